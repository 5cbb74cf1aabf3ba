#!/usr/bin/env python3
"""Sends one rtnetlink dump request and prints every reply message as
"<nlmsg_type> <hex of the whole message>" (the format of the other *.hex
files here), stopping at NLMSG_DONE. The socket asks for
strict checking of the request, as iproute2 does. Run inside the namespace to dump:

    python3 dump.py TYPE HEADER_HEX [ATTRS_HEX]
    python3 dump.py 106 0000000000000000            # RTM_GETNEXTHOP, nhmsg
    python3 dump.py 94 00000000000000001f000000     # RTM_GETSTATS, filter_mask 0x1f
"""
import socket
import struct
import sys

kind, body = int(sys.argv[1]), bytes.fromhex(sys.argv[2] + (sys.argv[3] if len(sys.argv) > 3 else ""))
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
# NETLINK_GET_STRICT_CHK, as iproute2 sets it: without it some dumps (RTM_GETNSID)
# ignore the request's attributes.
s.setsockopt(270, 12, 1)
s.send(struct.pack("=IHHII", 16 + len(body), kind, 0x301, 1, 0) + body)  # REQUEST|DUMP
while True:
    d = s.recv(1 << 20)
    i = 0
    while i + 16 <= len(d):
        length, typ = struct.unpack_from("=IH", d, i)
        if typ == 3:  # NLMSG_DONE
            sys.exit(0)
        if typ == 2:  # NLMSG_ERROR
            errno = -struct.unpack_from("=i", d, i + 16)[0]
            sys.exit(f"dump.py: NLMSG_ERROR errno {errno}")
        print(typ, d[i:i + length].hex())
        i += (length + 3) & ~3
