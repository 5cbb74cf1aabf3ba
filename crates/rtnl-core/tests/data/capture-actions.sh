#!/usr/bin/env bash
# Regenerates the tc-action-* captures (see README.md): the RTM_NEWACTION /
# RTM_DELACTION events examples/capture.rs records on RTNLGRP_TC (4), one
# RTM_GETACTION dump per action kind printed by dump.py, and what
# `tc -s -j actions ls` printed for the same actions. The kinds the kernel
# lacks (act_gact, act_police are modules on distribution kernels, absent
# from some builds) are skipped, with a line on stderr.
# Run as root from the repo root; CAPTURE names the built capture example.
set -u
D=crates/rtnl-core/tests/data
CAP=${CAPTURE:-target/debug/examples/capture}
ns=rtnlcap-act-$$
ip netns add $ns
trap 'kill $cap 2>/dev/null; ip netns del $ns 2>/dev/null' EXIT
N="ip netns exec $ns"
$N $CAP 4 > $D/tc-action-events.hex & cap=$!
sleep 0.5
run() { sleep 0.1; "$@" || echo "FAILED: $*" >&2; }
run $N ip link set lo up
run $N ip link add a0 type veth peer name b0
run $N tc actions add action mirred egress redirect dev b0 index 8 cookie 0a0b
run $N tc actions add action mirred ingress mirror dev lo index 9
run $N tc actions add action gact drop index 7
run $N tc actions add action gact pass random determ drop 10 index 6
run $N tc actions add action gact reclassify index 5
run $N tc actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 4
run $N tc actions add action police rate 40gbit burst 1m mtu 9000 index 3
run $N tc actions del action mirred index 9
sleep 0.3
for kind in mirred gact police; do
  hex=$(printf %s "$kind" | xxd -p)
  len=$(( 4 + ${#kind} + 1 )); pad=$(( (4 - len % 4) % 4 ))
  attr=$(printf '%02x000100' $len)$hex$(printf '%0*d' $(( 2 + pad * 2 )) 0)
  inner=$(( len + pad + 4 )); outer=$(( inner + 4 ))
  req=$(printf '%02x000180%02x000180' $outer $inner)$attr
  $N python3 $D/dump.py 50 00000000 $req > $D/tc-action-dump-$kind.hex
  $N tc -s -j actions ls action $kind > $D/tc-action-dump-$kind.tc.json
  [ -s $D/tc-action-dump-$kind.hex ] || { echo "no $kind actions on this kernel" >&2; rm -f $D/tc-action-dump-$kind.hex $D/tc-action-dump-$kind.tc.json; }
done
