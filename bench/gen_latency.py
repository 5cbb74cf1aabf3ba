# Latency generator: adds COUNT blackhole routes 10.200.x.y/32, one every
# INTERVAL_MS, over a raw NETLINK_ROUTE socket, and prints for each the
# CLOCK_REALTIME microseconds right after the kernel acknowledged it (the
# syscall that made the change returned). Run inside the namespace.
#   python gen_latency.py COUNT INTERVAL_MS
import json, socket, struct, sys, time

count, interval = int(sys.argv[1]), float(sys.argv[2]) / 1000
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
s.bind((0, 0))
RTM_NEWROUTE, NLM_F_REQUEST, NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL = 24, 1, 4, 0x400, 0x200
out = []
for i in range(count):
    dst = bytes([10, 200, (i >> 8) & 255, i & 255])
    # rtmsg: family, dst_len, src_len, tos, table(main), protocol(static), scope(universe), type(blackhole), flags
    body = struct.pack("=BBBBBBBBI", 2, 32, 0, 0, 254, 4, 0, 6, 0)
    body += struct.pack("=HH", 8, 1) + dst  # RTA_DST
    hdr = struct.pack("=IHHII", 16 + len(body), RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, i + 1, 0)
    s.send(hdr + body)
    s.recv(65536)  # the ACK
    out.append([".".join(map(str, dst)), time.time_ns() // 1000])
    time.sleep(interval)
print(json.dumps(out))
