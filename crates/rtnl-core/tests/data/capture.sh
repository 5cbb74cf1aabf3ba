#!/usr/bin/env bash
# Regenerates monitor-session.hex: runs examples/capture.rs in a fresh
# namespace while the commands below change it. Run as root from the repo root.
set -u
out=crates/rtnl-core/tests/data/monitor-session.hex
cargo build --release -q -p rtnl-core --example capture
ns=rtnl-capture-$$
ip netns add "$ns"
ip netns exec "$ns" ./target/release/examples/capture 1 3 5 7 8 9 11 19 > "$out" &
capture=$!
trap 'kill $capture 2>/dev/null; ip netns del "$ns" 2>/dev/null' EXIT
sleep 0.3
N="ip -n $ns"
run() { sleep 0.05; "$@" || echo "FAILED: $*" >&2; }
run $N link add a0 mtu 1400 type veth peer name b0
run $N link set lo up
run $N addr add 10.1.0.1/24 brd + dev a0 label a0:web
run $N -6 addr add fd00::1/64 dev a0 nodad
run $N link set a0 up
run $N link set b0 up
run $N route add 10.9.0.0/16 via 10.1.0.2 dev a0 metric 50 table 100
run $N -6 route add fd01::/48 via fd00::2 dev a0 metric 60
run $N route add 10.10.0.0/16 nexthop via 10.1.0.2 weight 1 nexthop via 10.1.0.3 weight 3
run $N route add 10.11.0.0/16 via 10.1.0.2 mtu 1300 advmss 1200
run $N rule add from 10.5.0.0/16 fwmark 7 table 100 pref 1000
run $N -6 rule add to fd00::/8 table 1000 pref 1001
run $N rule add uidrange 100-200 ipproto tcp dport 80-90 table 5 pref 1002
run $N neigh add 10.1.0.7 lladdr 02:00:00:00:ab:07 dev a0 nud permanent
run $N link add br0 type bridge
run $N link set b0 master br0
run $N route del 10.9.0.0/16 table 100
run $N addr del 10.1.0.1/24 dev a0
run $N rule del pref 1000
run $N link del a0
sleep 0.3
