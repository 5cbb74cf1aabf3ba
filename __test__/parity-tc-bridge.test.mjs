// Parity with iproute2 for traffic control (tc qdisc/class/filter/chain) and
// the bridge multicast database and VLAN database: a namespace is built,
// then every list() entry is compared with the matching object from
// `tc -s -j ...` / `bridge -d -s -j mdb show`, field by field.
//
// THE MAPPING TABLES below are the proof: each row names a tc/bridge JSON
// key (a dotted path inside `options`), how our struct gives the same value,
// and why a normalisation exists. Every key tc/bridge prints must be in a
// table, compared or listed as a string (the reason it is not compared), so a
// new key in a newer iproute2 fails this test until handled.
//
// Known iproute2 6.1 quirks handled here:
// - `tc -j class show` prints text, not JSON, for htb classes: the class
//   table maps the keys of the text form, parsed by parseClassText().
// - `tc -j filter show` repeats the key "match" once per u32 key, so
//   JSON.parse keeps only the last one: that one is compared.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { release } from 'node:os'
import { links, qdiscs, tcClasses, tcFilters, tcChains, mdb, bridgeVlans, bridgePorts } from 'rtnl'
import { makeNetns, ip, TIME_SCALE, waitQuiet } from './_helpers.mjs'
import { compareObject, toolJson } from './_parity.mjs'
import { has } from './_features.mjs'

// ---- the scenario ---------------------------------------------------------------------------
const TC = [
  'qdisc add dev a0 root handle 1: htb default 10 r2q 20 direct_qlen 500',
  'class add dev a0 parent 1: classid 1:10 htb rate 1mbit ceil 2mbit burst 15k',
  'class add dev a0 parent 1: classid 1:20 htb rate 500kbit prio 2 quantum 3000',
  'qdisc add dev a0 parent 1:10 handle 10: bfifo limit 10000',
  'qdisc add dev a0 parent 1:20 handle 20: pfifo limit 50',
  'filter add dev a0 parent 1: protocol ip prio 10 u32 match ip dst 10.0.0.9/32 flowid 1:20',
  'chain add dev a0 parent 1: chain 5',
  'filter add dev a0 parent 1: chain 3 protocol ip prio 20 u32 match ip tos 0x10 0xff flowid 1:10',
  'qdisc add dev b0 ingress',
  'filter add dev b0 parent ffff: protocol all prio 1 u32 match u32 0 0 classid 1:1',
  'qdisc add dev c0 clsact',
  'filter add dev c0 ingress protocol ipv6 prio 3 u32 match ip6 dst fd00::1/128 classid 1:3',
  'filter add dev c0 egress protocol 802.1Q prio 4 bpf bytecode BYTECODE classid 1:4',
  'qdisc add dev d0 root handle 2: tbf rate 1mbit burst 32kbit latency 400ms peakrate 2mbit mtu 1600',
  'qdisc add dev e0 root pfifo_fast',
]
const MDB = [
  'mdb add dev br0 port p1 grp 239.1.1.1 permanent',
  'mdb add dev br0 port p2 grp 239.1.1.2 temp',
  'mdb add dev br0 port p1 grp ff0e::1 permanent',
  'mdb add dev br0 port p2 grp 239.1.1.3 src 10.0.0.5 permanent',
  // (MAC groups: Linux 5.11 and newer)
  ...(has('mdb_l2') ? ['mdb add dev br0 port p1 grp 01:00:5e:00:00:05 permanent'] : []),
  'mdb add dev br0 port p1 grp 239.1.1.9 permanent vid 5',
  'mdb add dev br0 port br0 grp 239.1.1.8 temp',
]

function build(ns) {
  for (const [a, b] of [['a0', 'b0'], ['c0', 'd0'], ['e0', 'f0'], ['p1', 'q1'], ['p2', 'q2']]) {
    ip(ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b)
  }
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_igmp_version', '3', 'mcast_mld_version', '2')
  for (const p of ['p1', 'p2']) ip(ns, 'link', 'set', p, 'master', 'br0')
  for (const l of ['lo', 'a0', 'b0', 'c0', 'd0', 'e0', 'f0', 'p1', 'q1', 'p2', 'q2', 'br0']) ip(ns, 'link', 'set', l, 'up')
  ip(ns, 'addr', 'add', '10.0.0.1/24', 'dev', 'a0')
  // BYTECODE: one classic BPF instruction, "return 0" (a word with spaces).
  for (const line of TC) execFileSync('tc', ['-n', ns, ...line.split(' ').map((w) => (w === 'BYTECODE' ? '1,6 0 0 0' : w))])
  for (const line of MDB) execFileSync('bridge', ['-n', ns, ...line.split(' ')])
  ip(ns, 'link', 'set', 'dev', 'p2', 'type', 'bridge_slave', 'mcast_router', '2')
}

// ---- normalisers: iproute2's formatting, undone ---------------------------------------------
const hex = (n) => `0x${n.toString(16)}`

/** tc's tick_in_usec from /proc/net/psched (tc_core_init). */
function ticksPerUsec() {
  const [t2us, us2t, res] = readFileSync('/proc/net/psched', 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16))
  const t = res === 1e9 ? us2t : t2us
  return (t / us2t) * (res / 1e6)
}
const tick2us = (t) => t / ticksPerUsec()
const rate64 = (spec, r64) => r64 ?? spec.rate

/** Sizes and rates tc prints in text: "15Kb", "1600b", "1Mbit", "500Kbit". */
function parseSize(s) {
  const m = /^([\d.]+)(K|M|G)?b$/.exec(s)
  return Math.round(parseFloat(m[1]) * { undefined: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2]])
}
function parseRate(s) {
  const m = /^([\d.]+)(K|M|G)?bit$/.exec(s)
  return Math.round((parseFloat(m[1]) * { undefined: 1, K: 1e3, M: 1e6, G: 1e9 }[m[2]]) / 8)
}

// ---- the tables ----------------------------------------------------------------------------
const QDISC = {
  kind: (q) => q.kind,
  handle: (q) => q.handleName,
  dev: (q, ctx) => ctx.name(q.ifindex),
  root: [(q) => q.parentName === 'root', (v) => v, 'tc prints root:true for parent TC_H_ROOT'],
  parent: (q) => q.parentName,
  refcnt: (q) => q.refcnt,
  bytes: (q) => q.stats2.basic.bytes,
  packets: (q) => q.stats2.basic.packets,
  drops: (q) => q.stats2.queue.drops,
  overlimits: (q) => q.stats2.queue.overlimits,
  requeues: (q) => q.stats2.queue.requeues,
  backlog: (q) => q.stats2.queue.backlog,
  qlen: (q) => q.stats2.queue.qlen,
  offloaded: (q) => q.hwOffload === 1,
  ingress_block: (q) => q.ingressBlock,
  egress_block: (q) => q.egressBlock,
  // htb
  'options.r2q': (q) => q.options.init.rate2quantum,
  'options.default': [(q) => q.options.init.defcls, (v) => parseInt(v, 16), 'tc prints defcls in hex'],
  'options.direct_packets_stat': (q) => q.options.init.directPkts,
  'options.direct_qlen': (q) => q.options.directQlen,
  'options.ver': [(q) => `${q.options.init.version >> 16}.${q.options.init.version & 0xffff}`, (v) => v, 'tc -d prints major.minor'],
  'options.offload': (q) => q.options.offload === true,
  // pfifo / bfifo
  'options.limit': (q) => q.options.limit,
  // tbf: tc converts the psched ticks with /proc/net/psched
  'options.rate': (q) => rate64(q.options.parms.rate, q.options.rate64),
  'options.burst': [(q) => Math.round((rate64(q.options.parms.rate, q.options.rate64) * tick2us(q.options.parms.buffer)) / 1e6), (v) => v,
    'tc prints the bucket in bytes: rate * buffer ticks'],
  'options.minburst': [(q) => Math.round((rate64(q.options.parms.peakrate, q.options.prate64) * tick2us(q.options.parms.mtu)) / 1e6), (v) => v,
    'tc prints the peak bucket in bytes: peakrate * mtu ticks'],
  'options.lat': [(q) => {
    const p = q.options.parms
    let lat = (1e6 * p.limit) / rate64(p.rate, q.options.rate64) - tick2us(p.buffer)
    const peak = rate64(p.peakrate, q.options.prate64)
    if (peak) lat = Math.max(lat, (1e6 * p.limit) / peak - tick2us(p.mtu))
    return Math.round(lat)
  }, (v) => Math.round(v), 'tc derives the latency from limit, rate and buffer'],
  'options.peakrate': (q) => rate64(q.options.parms.peakrate, q.options.prate64),
  // prio / pfifo_fast
  'options.bands': (q) => q.options.bands,
  'options.priomap': (q) => q.options.priomap,
  'options.multiqueue': [(q) => q.options.multiqueue ?? false, (v) => v, 'tc prints false when TCA_PRIO_MQ is absent'],
}

const CLASS = {
  kind: (c) => c.kind,
  handle: (c) => c.handleName,
  root: [(c) => c.parentName === 'root', (v) => v, 'text form: "root"'],
  parent: (c) => c.parentName,
  leaf: (c) => c.leafName,
  prio: (c) => c.options.parms.prio,
  quantum: (c) => c.options.parms.quantum,
  rate: [(c) => rate64(c.options.parms.rate, c.options.rate64), parseRate, 'text form: "1Mbit"'],
  ceil: [(c) => rate64(c.options.parms.ceil, c.options.ceil64), parseRate, 'text form: "2Mbit"'],
  burst: [(c) => Math.round((rate64(c.options.parms.rate, c.options.rate64) * tick2us(c.options.parms.buffer)) / 1e6), parseSize,
    'text form "15Kb": rate * buffer ticks'],
  cburst: [(c) => Math.round((rate64(c.options.parms.ceil, c.options.ceil64) * tick2us(c.options.parms.cbuffer)) / 1e6), parseSize,
    'text form "1600b": ceil * cbuffer ticks'],
  linklayer: (c) => c.options.parms.rate.linklayerName,
  mpu: [(c) => c.options.parms.rate.mpu, parseSize, 'text form "0b"'],
  level: (c) => c.options.parms.level,
  bytes: (c) => c.stats2.basic.bytes,
  packets: (c) => c.stats2.basic.packets,
  drops: (c) => c.stats2.queue.drops,
  overlimits: (c) => c.stats2.queue.overlimits,
  requeues: (c) => c.stats2.queue.requeues,
  backlog: [(c) => c.stats2.queue.backlog, parseSize, 'text form "0b"'],
  qlen: (c) => c.stats2.queue.qlen,
  rate_est: 'the estimator moves between the two reads; checked present: stats2.rateEst',
  lended: (c) => c.xstats.lends,
  borrowed: (c) => c.xstats.borrows,
  giants: (c) => c.xstats.giants,
  tokens: 'tokens refill between the two reads: xstats.tokens',
  ctokens: 'ctokens refill between the two reads: xstats.ctokens',
}

const FILTER = {
  dev: (f, ctx) => ctx.name(f.ifindex),
  parent: (f) => f.parentName,
  root: [(f) => f.parentName === 'root', (v) => v, 'tc prints root:true for parent TC_H_ROOT'],
  protocol: (f) => f.protocolName,
  pref: (f) => f.prio,
  kind: (f) => f.kind,
  chain: (f) => f.chain,
  // u32
  'options.fh': (f) => f.options.fh,
  // with CONFIG_CLS_U32_PERF (Debian's kernels): TCA_U32_PCNT, printed under -s
  'options.rule_hit': (f) => f.options.pcnt?.rcnt,
  'options.success': (f) => f.options.pcnt?.rhit,
  'options.order': (f) => f.options.order,
  'options.ht_divisor': (f) => f.options.divisor,
  'options.key_ht': [(f) => f.options.keyHt.toString(16), (v) => v, 'tc prints the table in hex without 0x'],
  'options.bkt': [(f) => f.options.bkt.toString(16), (v) => v, 'tc prints the bucket in hex without 0x'],
  'options.flowid': (f) => f.options.classidName,
  'options.not_in_hw': (f) => (f.options.flagNames ?? f.options.flagsGenNames).includes('not_in_hw'),
  'options.in_hw': (f) => (f.options.flagNames ?? f.options.flagsGenNames).includes('in_hw'),
  'options.skip_hw': (f) => (f.options.flagNames ?? f.options.flagsGenNames).includes('skip_hw'),
  'options.skip_sw': (f) => (f.options.flagNames ?? f.options.flagsGenNames).includes('skip_sw'),
  'options.match': [(f) => {
    const k = f.options.sel.keys.at(-1)
    return { value: k.val.toString(16), mask: k.mask.toString(16), offmask: k.offmask ? 'nexthdr+' : '', off: k.off }
  }, (v) => v, 'tc repeats "match" per key, JSON.parse keeps the last: compared with the last key'],
  // bpf
  'options.handle': [(f) => f.handleName, (v) => v, 'tc prints a bpf filter handle in hex inside options'],
  'options.bytecode': [(f) => ({ length: f.options.opsLen, insns: f.options.ops }), (v) => v, 'the classic BPF program'],
}

const CHAIN = {
  dev: (c, ctx) => ctx.name(c.ifindex),
  parent: (c) => c.parentName,
  chain: (c) => c.chain,
}

const MDB_ENTRY = {
  index: (e) => e.ifindex,
  dev: (e, ctx) => ctx.name(e.ifindex),
  port: (e, ctx) => ctx.name(e.port),
  grp: (e) => e.grp,
  src: (e) => e.source,
  state: (e) => e.stateName,
  filter_mode: (e) => e.groupModeName,
  protocol: (e) => e.rtprotName,
  flags: (e) => e.flagNames,
  vid: (e) => e.vid,
  timer: 'moves between the two reads; compared within 2 s below',
  source_list: [(e) => e.srcList.map((s) => s.address), (v) => v.map((s) => s.address), 'timers move; addresses compared'],
  dst: (e) => e.dst,
  dst_port: (e) => e.dstPort,
  vni: (e) => e.vni,
  src_vni: (e) => e.srcVni,
  via: (e, ctx) => ctx.name(e.dstIfindex),
}
const MDB_ROUTER = {
  port: (e, ctx) => ctx.name(e.port),
  type: (e) => e.routerTypeName,
  timer: 'moves between the two reads; compared within 2 s below',
  inet_timer: 'moves between the two reads',
  inet6_timer: 'moves between the two reads',
  vid: (e) => e.vid,
}

// `bridge -d -j vlan show` keys (iproute2 print_vlan_rtm); unproven on this
// kernel, which has no VLAN filtering (RTM_GETVLAN answers EOPNOTSUPP).
export const BRIDGE_VLAN = {
  vlan: (v) => v.vid,
  vlanEnd: (v) => v.vidEnd,
  flags: [(v) => v.flagNames.filter((f) => f === 'pvid' || f === 'untagged').map((f) => (f === 'pvid' ? 'PVID' : 'Egress Untagged')), (x) => x,
    'bridge names pvid "PVID" and untagged "Egress Untagged"'],
  state: (v) => v.stateName,
  mcast_router: (v) => v.mcastRouter,
  mcast_n_groups: (v) => v.mcastNGroups,
  mcast_max_groups: (v) => v.mcastMaxGroups,
  neigh_suppress: (v) => v.neighSuppress === 1,
  tunid: (v) => v.tunnelInfo?.id,
}

// `bridge -d -j link show` keys (iproute2 6.1 bridge/link.c): the bridge family's link messages.
const onOff = (key) => (p) => p.protinfo?.[key]
const BRIDGE_PORT = {
  ifindex: (p) => p.index,
  ifname: (p) => p.name,
  link: (p, ctx) => ctx.name(p.link),
  flags: [(p) => p.flagNames.filter((f) => f !== 'RUNNING').sort(), (v) => v.filter((f) => f !== 'NO-CARRIER' && f !== 'M-DOWN').sort(),
    'bridge prints the IFF_ bits as ip does: RUNNING left out, NO-CARRIER and M-DOWN (of the peer) added, in its own order'],
  mtu: (p) => p.mtu,
  master: (p, ctx) => ctx.name(p.master),
  state: (p) => p.stateName,
  priority: onOff('priority'),
  cost: onOff('cost'),
  hairpin: onOff('hairpin'),
  guard: onOff('guard'),
  root_block: onOff('rootBlock'),
  fastleave: onOff('fastleave'),
  learning: onOff('learning'),
  flood: onOff('flood'),
  mcast_flood: onOff('mcastFlood'),
  bcast_flood: onOff('bcastFlood'),
  mcast_router: onOff('multicastRouter'),
  mcast_to_unicast: onOff('mcastToUnicast'),
  neigh_suppress: onOff('neighSuppress'),
  neigh_vlan_suppress: onOff('neighVlanSuppress'),
  vlan_tunnel: onOff('vlanTunnel'),
  isolated: onOff('isolated'),
  locked: onOff('locked'),
  mab: onOff('mab'),
  proxy_arp: onOff('proxyArp'),
  proxy_arp_wifi: onOff('proxyArpWifi'),
  mcast_max_groups: onOff('mcastMaxGroups'),
  mcast_n_groups: onOff('mcastNGroups'),
  backup_port: (p, ctx) => ctx.name(p.protinfo?.backupPort),
  backup_nhid: onOff('backupNhid'),
}

// ---- comparison ----------------------------------------------------------------------------
const compare = (t, what, table, theirs, ours, ctx, within) => compareObject(t, what, table, theirs, ours, ctx, { tool: 'tc/bridge', within })

/**
 * The counters a link's own traffic (IPv6 router solicitations, MLD reports)
 * moves while tc reads: compared within how far they moved between our two
 * listings around tc's (under emulation those reads are seconds apart).
 */
const moved = (before, after) => after?.stats2?.basic && before.stats2?.basic && {
  bytes: after.stats2.basic.bytes - before.stats2.basic.bytes,
  packets: after.stats2.basic.packets - before.stats2.basic.packets,
}

/** iproute2 6.1's text form of `tc -s -d class show` for htb, as an object per class. */
function parseClassText(text) {
  const out = []
  for (const block of text.split(/\n(?=class )/)) {
    const m = /^class (\S+) (\S+) (root|parent (\S+))(?: leaf (\S+))? prio (\d+) quantum (\d+) rate (\S+) ceil (\S+) linklayer (\S+) burst (\S+)\/\d+ mpu (\S+) cburst (\S+)\/\d+ mpu \S+ level (\d+)/.exec(block)
    if (!m) continue
    const c = { kind: m[1], handle: m[2] }
    if (m[3] === 'root') c.root = true
    else c.parent = m[4]
    if (m[5]) c.leaf = m[5]
    Object.assign(c, { prio: +m[6], quantum: +m[7], rate: m[8], ceil: m[9], linklayer: m[10], burst: m[11], mpu: m[12], cburst: m[13], level: +m[14] })
    const s = /Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+) requeues (\d+)\)/.exec(block)
    if (s) Object.assign(c, { bytes: +s[1], packets: +s[2], drops: +s[3], overlimits: +s[4] })
    const r = /rate (\S+) (\S+)pps/.exec(block.split('\n')[2] ?? '')
    if (r) c.rate_est = r[1]
    const b = /backlog (\S+) (\d+)p requeues (\d+)/.exec(block)
    if (b) Object.assign(c, { backlog: b[1], qlen: +b[2], requeues: +b[3] })
    const x = /lended: (\d+) borrowed: (\d+) giants: (\d+)/.exec(block)
    if (x) Object.assign(c, { lended: +x[1], borrowed: +x[2], giants: +x[3] })
    const k = /tokens: (-?\d+) ctokens: (-?\d+)/.exec(block)
    if (k) Object.assign(c, { tokens: +k[1], ctokens: +k[2] })
    out.push(c)
  }
  return out
}

/** A namespace with build()'s objects, settled; its link names by index, and the ctx the tables take. */
async function built(t) {
  const ns = makeNetns(t)
  const netns = { name: ns }
  build(ns)
  await waitQuiet(ns)
  const names = new Map((await links.list({ netns })).map((l) => [l.index, l.name]))
  return { ns, netns, names, ctx: { name: (i) => names.get(i) } }
}

test('tc qdiscs, classes, filters and chains match tc field by field', async (t) => {
  const { ns, netns, names, ctx } = await built(t)
  const idx = (n) => [...names].find(([, v]) => v === n)[0]

  // qdiscs: tc lists every link's; the kernel's dump ignores tcm_ifindex.
  const ours = await qdiscs.list({ netns })
  const theirs = toolJson('tc', ns, '-s', '-j', 'qdisc', 'show')
  const later = await qdiscs.list({ netns })
  t.is(ours.length, theirs.length)
  for (const q of theirs) {
    const same = (o) => ctx.name(o.ifindex) === q.dev && o.handleName === q.handle && o.kind === q.kind
    const mine = ours.find(same)
    t.truthy(mine, `qdisc ${q.kind} ${q.handle} on ${q.dev}`)
    if (mine) compare(t, `qdisc ${q.kind}@${q.dev}`, QDISC, q, mine, ctx, moved(mine, later.find(same)))
  }

  // classes of a0 (htb): iproute2 6.1 prints text even with -j.
  const classes = await tcClasses.list({ netns, ifindex: idx('a0') })
  const text = execFileSync('tc', ['-n', ns, '-s', '-d', 'class', 'show', 'dev', 'a0'], { encoding: 'utf8' })
  const laterClasses = await tcClasses.list({ netns, ifindex: idx('a0') })
  const parsed = parseClassText(text)
  t.is(parsed.length, 2)
  t.is(classes.length, parsed.length)
  for (const c of parsed) {
    const mine = classes.find((o) => o.handleName === c.handle)
    t.truthy(mine, `class ${c.handle}`)
    if (!mine) continue
    compare(t, `class ${c.handle}`, CLASS, c, mine, ctx, moved(mine, laterClasses.find((o) => o.handleName === c.handle)))
    if (c.rate_est) t.truthy(mine.stats2.rateEst, 'an estimator: TCA_STATS_RATE_EST')
  }

  // filters, per parent as tc asks for them
  for (const [dev, parentArgs] of [['a0', []], ['b0', ['parent', 'ffff:']], ['c0', ['ingress']], ['c0', ['egress']]]) {
    const parent = { ingress: 'ffff:fff2', egress: 'ffff:fff3', 'ffff:': 'ffff:' }[parentArgs.at(-1)]
    const listed = async () => (await tcFilters.list({ netns, ifindex: idx(dev) })).filter((f) => !parent || f.parentName === parent)
    // A u32 filter's hit counters move with the link's own traffic: compared
    // within how far they moved between a listing before tc's read and one after.
    const before = await listed()
    const theirs = toolJson('tc', ns, '-s', '-j', 'filter', 'show', 'dev', dev, ...parentArgs)
    const mine = await listed()
    t.is(mine.length, theirs.length, `filters of ${dev} ${parentArgs.join(' ')}`)
    theirs.forEach((f, i) => {
      // Same order as the kernel's dump: tc prints in dump order.
      const o = mine[i]
      if (!o) return
      // tc leaves out what the request fixed (dev, and the parent when given).
      if (parent) t.is(o.parentName, parent)
      const hits = (x, k) => x?.options?.pcnt?.[k] ?? 0
      compare(t, `filter ${dev}#${i}`, FILTER, f, o, ctx, {
        'options.rule_hit': hits(o, 'rcnt') - hits(before[i], 'rcnt'),
        'options.success': hits(o, 'rhit') - hits(before[i], 'rhit'),
      })
    })
  }

  // chains. The kernel answers a chain dump with tcm_parent = the qdisc's
  // handle (ffff: for both clsact blocks), so c0's ingress and egress chains
  // are compared together, in dump order (ingress block first).
  for (const [dev, parents] of [['a0', [[]]], ['c0', [['ingress'], ['egress']]]]) {
    const theirs = parents.flatMap((p) => toolJson('tc', ns, '-j', 'chain', 'show', 'dev', dev, ...p))
    const mine = await tcChains.list({ netns, ifindex: idx(dev) })
    t.is(mine.length, theirs.length, `chains of ${dev}`)
    theirs.forEach((c, i) => mine[i] && compare(t, `chain ${dev}#${i}`, CHAIN, c, mine[i], ctx))
  }
})

test('bridge mdb entries and router ports match bridge field by field', async (t) => {
  const { ns, netns, ctx } = await built(t)
  const ours = await mdb.list({ netns })
  const [theirs] = toolJson('bridge', ns, '-d', '-s', '-j', 'mdb', 'show')
  const groups = ours.filter((e) => e.entryType === 'group')
  t.is(groups.length, theirs.mdb.length)
  for (const e of theirs.mdb) {
    const mine = groups.find((o) => o.grp === e.grp && ctx.name(o.port) === e.port && o.source === e.src && (o.vid || undefined) === e.vid)
    t.truthy(mine, `mdb ${e.grp} on ${e.port}`)
    if (!mine) continue
    const { vid, ...rest } = e
    compare(t, `mdb ${e.grp}`, MDB_ENTRY, vid === undefined ? rest : e, mine, ctx)
    if (vid === undefined) t.is(mine.vid, 0, 'bridge leaves out vid 0')
    t.true(Math.abs(mine.timer / 100 - parseFloat(e.timer)) <= 2 * TIME_SCALE, `mdb ${e.grp} timer`)
  }
  const routers = ours.filter((e) => e.entryType === 'router')
  const theirRouters = Object.entries(theirs.router ?? {}).flatMap(([br, ports]) => ports.map((p) => ({ br, ...p })))
  t.is(routers.length, theirRouters.length)
  for (const r of theirRouters) {
    const mine = routers.find((o) => ctx.name(o.port) === r.port && ctx.name(o.ifindex) === r.br)
    t.truthy(mine, `router port ${r.port}`)
    if (!mine) continue
    const { br, ...rest } = r
    compare(t, `router ${r.port}`, MDB_ROUTER, rest, mine, ctx)
    t.true(Math.abs(mine.timer / 100 - parseFloat(r.timer)) <= 2 * TIME_SCALE)
  }
})

test('bridge ports match bridge -d link show field by field; each bridge has its own entry besides', async (t) => {
  const { ns, netns, ctx } = await built(t)
  ip(ns, 'link', 'set', 'dev', 'p1', 'type', 'bridge_slave', 'learning', 'off', 'cost', '7', 'priority', '9', 'isolated', 'on')
  await waitQuiet(ns)
  const ours = await bridgePorts.list({ netns })
  const theirs = toolJson('bridge', ns, '-d', '-j', 'link', 'show')
  const ports = ours.filter((p) => p.index !== p.master)
  t.deepEqual(ports.map((p) => p.name).sort(), theirs.map((p) => p.ifname).sort())
  t.deepEqual(ports.map((p) => p.name).sort(), ['p1', 'p2'])
  for (const theirPort of theirs) {
    const mine = ports.find((p) => p.index === theirPort.ifindex)
    t.truthy(mine, `bridge port ${theirPort.ifname}`)
    if (mine) compare(t, `bridge port ${theirPort.ifname}`, BRIDGE_PORT, theirPort, mine, ctx)
  }
  const p1 = ports.find((p) => p.name === 'p1')
  t.like(p1.protinfo, { learning: false, cost: 7, priority: 9, isolated: true })
  // The kernel lists each bridge once more, as its own entry (its own VLANs), and nothing else.
  const own = ours.filter((p) => p.index === p.master)
  t.deepEqual(own.map((p) => [p.name, p.protinfo, p.stateName]), [['br0', undefined, undefined]])
  // One port, as the list filter takes it.
  t.deepEqual((await bridgePorts.list({ netns, ifindex: p1.index })).map((p) => p.name), ['p1'])
})

test('mdb.get gives a group of a bridge on every port, as list() has it; what it refuses, it names', async (t) => {
  const { netns, names } = await built(t)
  const idx = (n) => [...names].find(([, v]) => v === n)[0]
  const br = idx('br0')
  const untimed = ({ timer, ...e }) => e
  const listed = await mdb.list({ netns, ifindex: br })
  t.deepEqual([...new Set(listed.map((e) => e.family))], [7], 'AF_BRIDGE, as events say (the kernel dumps 0)')
  const groups = listed.filter((e) => e.entryType === 'group')
  const keyOf = (e) => `${e.grp}|${e.vid}|${e.source ?? ''}`
  // The groups the scenario adds (the bridge learns others from its ports' MLD reports, as they come).
  const added = new Set(MDB.map((line) => line.split(' ')[line.split(' ').indexOf('grp') + 1]))
  const keys = [...new Set(groups.filter((e) => added.has(e.grp)).map(keyOf))]
  t.is(keys.length, MDB.length, keys.join(' '))
  for (const key of keys) {
    const [grp, vid, source] = key.split('|')
    const got = await mdb.get({ ifindex: br, grp, vid: Number(vid), ...(source ? { source } : {}) }, { netns })
    const want = groups.filter((e) => keyOf(e) === key)
    t.deepEqual(got.map(untimed), want.map(untimed), key)
  }
  t.deepEqual(await mdb.get({ ifindex: br, grp: '239.9.9.9' }, { netns }), [], 'no such group')
  t.deepEqual(await mdb.get({ ifindex: br, grp: '239.1.1.9' }, { netns }), [], 'the group is in VLAN 5, not 0')

  const refused = async (query, cls, code, message) => {
    const e = await t.throwsAsync(mdb.get(query, { netns }))
    t.is(e.constructor.name, cls, JSON.stringify(query))
    t.is(e.code, code)
    t.is(e.message, message)
  }
  // Kernels before 6.7 have no RTM_GETMDB request (mdb.get lists and picks
  // there): they answer EOPNOTSUPP, without a text, for any link.
  const [major, minor] = release().split('.').map(Number)
  if (major > 6 || (major === 6 && minor >= 7)) {
    await refused({ ifindex: idx('a0'), grp: '239.1.1.1' }, 'RtnlError', 'EOPNOTSUPP', `getting mdb group 239.1.1.1 of link ${idx('a0')}: the kernel answered EOPNOTSUPP (Operation not supported): Device does not support MDB operations`)
    await refused({ ifindex: 9999, grp: '239.1.1.1' }, 'RtnlError', 'ENODEV', "getting mdb group 239.1.1.1 of link 9999: the kernel answered ENODEV (No such device): Device doesn't exist")
  } else {
    await refused({ ifindex: idx('a0'), grp: '239.1.1.1' }, 'RtnlError', 'EOPNOTSUPP', `getting mdb group 239.1.1.1 of link ${idx('a0')}: the kernel answered EOPNOTSUPP (Operation not supported)`)
    await refused({ ifindex: 9999, grp: '239.1.1.1' }, 'RtnlError', 'EOPNOTSUPP', 'getting mdb group 239.1.1.1 of link 9999: the kernel answered EOPNOTSUPP (Operation not supported)')
  }
  await refused({ ifindex: br, grp: '10.0.0' }, 'TypeError', 'ERR_INVALID_ARG_VALUE', "mdb.get: grp must be an IPv4 or IPv6 group address or a MAC ('01:00:5e:01:01:01'), got '10.0.0'")
  await refused({ ifindex: br, grp: '239.1.1.3', source: 'fd00::5' }, 'TypeError', 'ERR_INVALID_ARG_VALUE', "mdb.get: source must be an address of the group's family (IPv4), got 'fd00::5'")
  await refused({ ifindex: br, grp: '239.1.1.1', vid: 4095 }, 'RangeError', 'ERR_OUT_OF_RANGE', 'mdb.get: vid must be an integer from 0 to 4094, got 4095')
  await refused({ ifindex: 0, grp: '239.1.1.1' }, 'RangeError', 'ERR_OUT_OF_RANGE', 'mdb.get: ifindex must be an integer from 1 to 2147483647, got 0')
  await refused({ ifindex: br, group: '239.1.1.1' }, 'TypeError', 'ERR_INVALID_ARG_VALUE', "mdb.get query: unknown option 'group'; expected one of ifindex, grp, vid, source")
  await refused('239.1.1.1', 'TypeError', 'ERR_INVALID_ARG_TYPE', "mdb.get takes { ifindex, grp, vid?, source? }, got '239.1.1.1'")
  await refused({ ifindex: br }, 'TypeError', 'ERR_INVALID_ARG_TYPE', 'mdb.get: grp must be a group address or MAC as a string (\'239.1.1.1\'), got undefined')
  await refused({ ifindex: br, grp: '' }, 'TypeError', 'ERR_INVALID_ARG_VALUE', "mdb.get: grp must be a group address or MAC as a string ('239.1.1.1'), got ''")
  await refused({ ifindex: br, grp: '239.1.1.1', vid: '5' }, 'TypeError', 'ERR_INVALID_ARG_TYPE', "mdb.get: vid must be an integer from 0 to 4094, got '5'")
  await refused({ ifindex: br, grp: '239.1.1.3', source: 5 }, 'TypeError', 'ERR_INVALID_ARG_TYPE', 'mdb.get: source must be an address as a string, got number 5')
  await refused({ ifindex: br, grp: '01:00:5e:00:00:05', source: '10.0.0.5' }, 'TypeError', 'ERR_INVALID_ARG_VALUE', "mdb.get: source must be an address of the group's family (none: a MAC group has no source), got '10.0.0.5'")
})

test('bridge vlans: without bridge VLAN filtering in the kernel the list is empty; with it, it matches bridge vlan show', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  build(ns)
  // Without CONFIG_BRIDGE_VLAN_FILTERING, RTM_GETVLAN answers EOPNOTSUPP:
  // there is no VLAN database, and bridgeVlans.list() is empty. On a kernel
  // with it, compare with `bridge -d -j vlan show` through BRIDGE_VLAN above.
  let filtering = true
  try {
    execFileSync('ip', ['-n', ns, 'link', 'add', 'vfprobe', 'type', 'bridge', 'vlan_filtering', '1'], { stdio: 'ignore' })
  } catch {
    filtering = false
  }
  const ours = await bridgeVlans.list({ netns })
  if (!filtering) {
    t.deepEqual(ours, [])
    return
  }
  const theirs = toolJson('bridge', ns, '-d', '-j', 'vlan', 'show')
  t.is(ours.filter((v) => v.entryType === 'vlan').length, theirs.flatMap((p) => p.vlans ?? []).length)
})
