#!/usr/bin/env python3
"""Writes the fuzz seed corpora from the real captured rtnetlink bytes in
crates/rtnl-core/tests/data (see the README there for the formats).

    python3 fuzz/seed.py        (from anywhere; stdlib only)

Each target's corpus is fuzz/corpus/<target>/. Seed files are named
`seed-*`; this script deletes and rewrites only those, so inputs merged in
after fuzzing (named by their SHA-1, as libFuzzer names them) are kept.

  datagram   whole datagrams (every line of monitor-session.hex, and the
             single-message linkinfo-*.hex datagrams)
  link address route neighbour rule
             one message payload each (the bytes after the 16-byte nlmsghdr),
             by nlmsg_type: 16/17 link, 20/21 address, 24/25 route,
             28/29 neighbour, 32/33 rule
  nexthop netconf nsid prefix nduseropt stats
             likewise: 104/105/116 nexthop, 80/81 netconf, 88/89 nsid,
             52 prefix, 68 nduseropt, 92 stats (from the nexthop-*, netconf-*,
             nsid-*, ra-* and stats-* captures, which also seed datagram)
  tc mdb vlan
             one message payload each, from the tc-*, mdb-* and vlan-*.hex
             files (one message a line); tc's payload is preceded by the
             selector byte fuzz_targets/tc.rs reads (0 qdisc, 1 class,
             2 filter, 3 chain)
  linkinfo   a selector byte and then IFLA_INFO_DATA (or
             IFLA_INFO_SLAVE_DATA) of each captured link; the selector maps
             to the kind as fuzz_targets/linkinfo.rs reads it:
             index = byte % (len(DATA_KINDS) + len(SLAVE_KINDS)), DATA_KINDS
             first, both lists read from crates/rtnl-core/src/linkinfo.rs
"""

import hashlib
import re
import struct
import sys
from pathlib import Path

FUZZ = Path(__file__).resolve().parent
ROOT = FUZZ.parent
DATA = ROOT / "crates/rtnl-core/tests/data"
LINKINFO_RS = ROOT / "crates/rtnl-core/src/linkinfo.rs"
CORPUS = FUZZ / "corpus"

NLMSG_HDRLEN = 16
KINDS = {
    16: "link", 17: "link",
    20: "address", 21: "address",
    24: "route", 25: "route",
    28: "neighbour", 29: "neighbour",
    32: "rule", 33: "rule",
    52: "prefix", 68: "nduseropt", 80: "netconf", 81: "netconf",
    88: "nsid", 89: "nsid", 92: "stats",
    104: "nexthop", 105: "nexthop", 116: "nexthop",

    36: "tc", 37: "tc", 40: "tc", 41: "tc", 44: "tc", 45: "tc", 100: "tc", 101: "tc",
    84: "mdb", 85: "mdb",
    112: "vlan", 113: "vlan",
}
TARGETS = ["datagram", "link", "address", "route", "neighbour", "rule", "linkinfo",
           "nexthop", "netconf", "nsid", "prefix", "nduseropt", "stats", "tc", "mdb", "vlan"]
# Captures of the kinds above, one message (or datagram) a line.
KIND_FILES = ["nexthop-events", "nexthop-dump", "nexthop-dump-stats", "nexthop-bucket-dump",
              "netconf-events", "netconf-dump", "nsid-events", "nsid-dump", "nsid-dump-target",
              "ra-events", "stats-dump"]
# fuzz_targets/tc.rs: the first byte picks qdisc/class/filter/chain.
TC_SELECTOR = {36: 0, 37: 0, 40: 1, 41: 1, 44: 2, 45: 2, 100: 3, 101: 3}
IFINFOMSG_LEN = 16
IFLA_LINKINFO = 18
IFLA_INFO_KIND, IFLA_INFO_DATA, IFLA_INFO_SLAVE_KIND, IFLA_INFO_SLAVE_DATA = 1, 2, 4, 5


def str_list(name):
    """A `pub const NAME: &[&str] = &[...];` from linkinfo.rs."""
    src = LINKINFO_RS.read_text()
    m = re.search(r"pub const %s: &\[&str\] = &\[(.*?)\];" % name, src, re.S)
    if not m:
        sys.exit(f"seed.py: {name} not found in {LINKINFO_RS}")
    return re.findall(r'"([^"]*)"', m.group(1))


def datagrams():
    """(name, bytes) for every captured datagram."""
    out = []
    for i, line in enumerate((DATA / "monitor-session.hex").read_text().splitlines()):
        if line.strip():
            typ, hx = line.split(None, 1)
            out.append((f"monitor-{i:02d}-type{typ}", bytes.fromhex(hx.strip())))
    for stem in KIND_FILES:
        for i, line in enumerate((DATA / f"{stem}.hex").read_text().splitlines()):
            if line.strip():
                typ, hx = line.split(None, 1)
                out.append((f"{stem}-{i:02d}-type{typ}", bytes.fromhex(hx.strip())))
    for f in sorted(DATA.glob("linkinfo-*.hex")):
        line = next(l for l in f.read_text().splitlines() if l.strip())
        typ, hx = line.split(None, 1)
        out.append((f"{f.stem}-type{typ}", bytes.fromhex(hx.strip())))
    for pattern in ("tc-*.hex", "mdb-*.hex", "vlan-*.hex"):
        for f in sorted(DATA.glob(pattern)):
            for i, line in enumerate(f.read_text().splitlines()):
                if line.strip():
                    typ, hx = line.split(None, 1)
                    out.append((f"{f.stem}-{i:02d}-type{typ}", bytes.fromhex(hx.strip())))
    return out


def messages(d):
    """(nlmsg_type, payload) for each message, framed as wire::messages does."""
    i = 0
    while i + NLMSG_HDRLEN <= len(d):
        length, typ = struct.unpack_from("=IH", d, i)
        if length < NLMSG_HDRLEN or i + length > len(d):
            raise ValueError(f"bad nlmsg_len {length} at offset {i}")
        yield typ, d[i + NLMSG_HDRLEN:i + length]
        i += (length + 3) & ~3


def attrs(b):
    i = 0
    while i + 4 <= len(b):
        length, typ = struct.unpack_from("=HH", b, i)
        if length < 4 or i + length > len(b):
            return
        yield typ & 0x3FFF, b[i + 4:i + length]
        i += (length + 3) & ~3


def cstr(b):
    return b.split(b"\0", 1)[0].decode("utf-8", "replace")


def linkinfo_parts(payload):
    """(kind, data, slave_kind, slave_data) from one link message payload."""
    parts = {}
    for typ, val in attrs(payload[IFINFOMSG_LEN:]):
        if typ == IFLA_LINKINFO:
            for t, v in attrs(val):
                parts[t] = v
    kind = cstr(parts[IFLA_INFO_KIND]) if IFLA_INFO_KIND in parts else None
    skind = cstr(parts[IFLA_INFO_SLAVE_KIND]) if IFLA_INFO_SLAVE_KIND in parts else None
    return kind, parts.get(IFLA_INFO_DATA), skind, parts.get(IFLA_INFO_SLAVE_DATA)


def main():
    data_kinds, slave_kinds = str_list("DATA_KINDS"), str_list("SLAVE_KINDS")
    files = {t: {} for t in TARGETS}  # target -> {content: name}; first name wins

    def add(target, name, content):
        files[target].setdefault(content, name)

    for name, d in datagrams():
        add("datagram", name, d)
        for j, (typ, payload) in enumerate(messages(d)):
            kind = KINDS.get(typ)
            if kind is None:
                continue
            if kind == "tc":
                payload = bytes([TC_SELECTOR[typ]]) + payload
            add(kind, f"{name}-msg{j}-type{typ}", payload)
            if kind != "link":
                continue
            k, data, sk, sdata = linkinfo_parts(payload)
            if data is not None and k in data_kinds:
                add("linkinfo", f"{name}-msg{j}-data-{k}", bytes([data_kinds.index(k)]) + data)
            if sdata is not None and sk in slave_kinds:
                sel = len(data_kinds) + slave_kinds.index(sk)
                add("linkinfo", f"{name}-msg{j}-slave-{sk}", bytes([sel]) + sdata)

    for target in TARGETS:
        out = CORPUS / target
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("seed-*"):
            old.unlink()
        # Inputs already in the corpus under their SHA-1 (merged by libFuzzer)
        # are not written twice.
        have = {p.name for p in out.iterdir()}
        n = 0
        for content, name in files[target].items():
            if hashlib.sha1(content).hexdigest() in have:
                continue
            (out / f"seed-{name}").write_bytes(content)
            n += 1
        print(f"{target:10} {n:3} seed files")


if __name__ == "__main__":
    main()
