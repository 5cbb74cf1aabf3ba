# Burst consumer: pyroute2, IPRoute bound to RTMGRP_IPV4_ROUTE.
#   python pyroute2_consumer.py EXPECTED
import errno, json, select, signal, sys, time
from pyroute2 import IPRoute
from pyroute2.netlink.rtnl import RTMGRP_IPV4_ROUTE

expected = int(sys.argv[1])
events = resyncs = 0
ready = False
last = time.time()


def finish(*_):
    print(json.dumps({"events": events, "resyncs": resyncs, "survived": True}), flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, finish)
ipr = IPRoute()
ipr.bind(groups=RTMGRP_IPV4_ROUTE, rcvbuf=4 * 1024 * 1024)
while True:
    # After the burst, 3 s without a message ends the run (some may have been lost).
    if not select.select([ipr], [], [], 3 if ready and events else 60)[0]:
        finish()
    try:
        msgs = ipr.get()
    except OSError as e:
        if e.errno == errno.ENOBUFS:
            resyncs += 1
            continue
        raise
    for m in msgs:
        if m.get("event") not in ("RTM_NEWROUTE", "RTM_DELROUTE"):
            continue
        dst = m.get_attr("RTA_DST")
        if dst == "10.255.255.0":
            if not ready:
                print("READY", flush=True)
            ready = True
            continue
        if not ready or m["dst_len"] != 32:
            continue
        events += 1
        if events % 500 == 0:
            print(f"PROGRESS {events}", flush=True)
        if events == expected:
            finish()
