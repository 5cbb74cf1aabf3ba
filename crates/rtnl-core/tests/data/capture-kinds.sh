#!/usr/bin/env bash
# Regenerates the nexthop-*, netconf-*, nsid-*, ra-* and stats-* captures
# (see README.md): multicast events recorded by examples/capture.rs and dump
# replies printed by dump.py, plus what `ip -j` printed for the same objects.
# Run as root from the repo root; CAPTURE names the built capture example.
set -u
D=crates/rtnl-core/tests/data
CAP=${CAPTURE:-target/debug/examples/capture}
A=rtnlcap-$$-a; B=rtnlcap-$$-b; C=rtnlcap-$$-c
for n in $A $B $C; do ip netns add $n; done
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; for n in $A $B $C; do ip netns del $n 2>/dev/null; done' EXIT
run() { sleep 0.05; "$@" || echo "FAILED: $*" >&2; }
NA="ip -n $A"

ip netns exec $A $CAP 32 > $D/nexthop-events.hex & pids+=($!)
ip netns exec $A $CAP 24 25 > $D/netconf-events.hex & pids+=($!)
ip netns exec $A $CAP 28 > $D/nsid-events.hex & pids+=($!)
ip netns exec $B $CAP 18 20 > $D/ra-events.hex & pids+=($!)
sleep 0.5

# nexthops
run $NA link set lo up
run $NA link add v1 type veth peer name v2
run $NA link set v1 up; run $NA link set v2 up
run $NA addr add 10.0.0.1/24 dev v1
run $NA -6 addr add fd00::1/64 dev v1 nodad
run $NA nexthop add id 1 via 10.0.0.2 dev v1
run $NA nexthop add id 2 via 10.0.0.3 dev v1
run $NA nexthop add id 3 blackhole
run $NA nexthop add id 4 group 1/2,3
run $NA nexthop add id 5 via fd00::2 dev v1
run $NA nexthop add id 6 via 10.0.0.4 fdb
run $NA nexthop add id 7 group 6 fdb
run $NA nexthop add id 8 dev v1 protocol static
run $NA nexthop add id 10 group 1/2 type resilient buckets 8
run $NA nexthop add id 11 via 10.0.0.9 dev v1 onlink
run $NA nexthop add id 20 encap seg6 mode encap segs fc00::1 dev v1
run $NA nexthop add id 21 encap ip id 5 dst 10.1.1.1 dev v1
run $NA nexthop add id 12 group 1,2
run $NA nexthop del id 12
# netconf
run ip netns exec $A sysctl -qw net.ipv4.conf.v1.forwarding=1
run ip netns exec $A sysctl -qw net.ipv4.conf.v1.rp_filter=2
run ip netns exec $A sysctl -qw net.ipv6.conf.v1.forwarding=1
run ip netns exec $A sysctl -qw net.ipv4.conf.all.rp_filter=1
run ip netns exec $A sysctl -qw net.ipv4.conf.default.proxy_arp=1
run ip netns exec $A sysctl -qw net.ipv6.conf.default.proxy_ndp=1
# nsids: A names B 5 and C 6; C names A 7; B names C 8 and A 9; then C goes away
run $NA netns set $B 5
run $NA netns set $C 6
run ip -n $C netns set $A 7
run ip -n $B netns set $C 8
run ip -n $B netns set $A 9
# stats: a bridge with multicast statistics, and v2 as its port
run $NA link add br0 type bridge mcast_stats_enabled 1
run $NA link set v2 master br0
run $NA link set br0 up
sleep 1

ip netns exec $A python3 $D/dump.py 106 0000000000000000 > $D/nexthop-dump.hex
# NHA_OP_FLAGS (14) = NHA_OP_FLAG_DUMP_STATS | NHA_OP_FLAG_DUMP_HW_STATS
ip netns exec $A python3 $D/dump.py 106 0000000000000000 08000e0003000000 > $D/nexthop-dump-stats.hex
ip netns exec $A python3 $D/dump.py 118 0000000000000000 > $D/nexthop-bucket-dump.hex
$NA -j -d nexthop show > $D/nexthop-dump.ip.json
$NA -j nexthop bucket show > $D/nexthop-bucket-dump.ip.json
ip netns exec $A python3 $D/dump.py 82 00000000 > $D/netconf-dump.hex
$NA -j netconf show > $D/netconf-dump.ip.json
ip netns exec $A python3 $D/dump.py 90 00000000 > $D/nsid-dump.hex
# NETNSA_TARGET_NSID (4) = 5: ids as B sees them, with NETNSA_CURRENT_NSID
ip netns exec $A python3 $D/dump.py 90 00000000 0800040005000000 > $D/nsid-dump-target.hex
$NA -j netns list-id > $D/nsid-dump.ip.json
$NA -j netns list-id target-nsid 5 > $D/nsid-dump-target.ip.json
ip netns exec $A python3 $D/dump.py 94 00000000000000001f000000 > $D/stats-dump.hex
$NA -j stats show > $D/stats-dump.ip.json
$NA -j link show > $D/stats-links.ip.json

# nsid deletion: C is destroyed
run ip netns del $C
# router advertisement from A's v3 to B's v4
run $NA link add v3 type veth peer name v4 netns $B
run ip netns exec $B sysctl -qw net.ipv6.conf.v4.accept_ra=2 net.ipv6.conf.v4.forwarding=0
run $NA link set v3 up; run ip -n $B link set v4 up
sleep 2.5 # v3's link-local address must finish DAD before it can send
run ip netns exec $A python3 __test__/fixtures/ra.py v3 2001:db8:1::/64 2001:db8::53 example.com lan.example.org
sleep 0.5
ip -n $B -j link show > $D/ra-links.ip.json
ip -n $A -j -6 addr show dev v3 > $D/ra-router.ip.json
sleep 0.5
