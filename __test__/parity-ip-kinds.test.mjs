// Parity with iproute2 for the kinds of `ip nexthop`, `ip netconf`,
// `ip netns list-id` and `ip stats`: a namespace is built with objects of
// each, then every list() entry is compared with the matching object `ip -j`
// prints, key by key.
//
// THE MAPPING TABLES below are the proof, as in parity.test.mjs: each row
// names an `ip` JSON key (a dotted path into nested objects), how our struct
// gives the same value, and why a normalisation exists. Every key `ip`
// prints must be in a table, compared or listed in NOT_COMPARED with the
// reason, so a key a newer iproute2 adds fails this test until handled.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { nexthops, netconf, nsids, linkStats, links } from 'rtnl'
import { makeNetns, ip, ipJson, waitQuiet } from './_helpers.mjs'
import { has, needs } from './_features.mjs'

// ---- the tables ----------------------------------------------------------------------------
// Each row: ip key -> (ours, ctx) => value, or [ours, ipNormaliser, why], or a string: not compared, why.
const memberAsIp = (m) => (m.weight === 1 ? { id: m.id } : { id: m.id, weight: m.weight })
const NEXTHOP = {
  id: (n) => n.id,
  gateway: (n) => n.gateway,
  dev: [(n, ctx) => ctx.name(n.oif), (v) => v, 'ip prints the link by name'],
  scope: (n) => n.scopeName,
  protocol: (n) => n.protocolName,
  flags: (n) => n.flagNames,
  blackhole: [(n) => (n.blackhole ? null : undefined), (v) => v, 'ip prints "blackhole": null for NHA_BLACKHOLE'],
  fdb: [(n) => (n.fdb ? null : undefined), (v) => v, 'ip prints "fdb": null for NHA_FDB'],
  group: [(n) => n.group?.map(memberAsIp), (v) => v, 'ip omits a member weight of 1'],
  type: (n) => n.groupTypeName,
  'resilient_args.buckets': (n) => n.resilient?.buckets,
  'resilient_args.idle_timer': [(n) => n.resilient?.idleTimer / 100, (v) => v, 'ip prints seconds, the kernel sends 1/100 s'],
  'resilient_args.unbalanced_timer': [(n) => n.resilient?.unbalancedTimer / 100, (v) => v, 'same'],
  'resilient_args.unbalanced_time': [(n) => Math.round(n.resilient?.unbalancedTime / 100), (v) => Math.round(v),
    'seconds against 1/100 s; 0 while the group is balanced, as here'],
  encap: (n) => n.encapTypeName,
  mode: 'seg6 encapsulation attributes: NHA_ENCAP is kept undecoded, as hex in `encap`',
  segs: 'seg6 encapsulation attributes: NHA_ENCAP is kept undecoded, as hex in `encap`',
}

const onOff = (k) => [(n) => (n[k] === undefined ? undefined : n[k] !== 0), (v) => v, 'ip prints the sysctl as a boolean']
const NETCONF = {
  family: [(n) => ({ 2: 'inet', 10: 'inet6', 28: 'mpls' })[n.family], (v) => v, 'ip names the family'],
  interface: [(n, ctx) => n.interface ?? ctx.name(n.ifindex), (v) => v, "ip prints the link by name, and 'all'/'default' for -1/-2"],
  forwarding: onOff('forwarding'),
  rp_filter: (n) => n.rpFilterName,
  mc_forwarding: onOff('mcForwarding'),
  proxy_neigh: onOff('proxyNeigh'),
  ignore_routes_with_linkdown: onOff('ignoreRoutesWithLinkdown'),
  input: onOff('input'),
  bc_forwarding: onOff('bcForwarding'),
}

const NSID = {
  nsid: (n) => n.nsid,
  name: 'ip finds the name by asking the kernel for the id of each file in /run/netns; the message carries only the id',
  'current-nsid': 'printed only for `list-id target-nsid`, which nsids.list() does not ask (Nsid.currentNsid carries it)',
}

// ip stats show prints one record per link and group/subgroup/suite; the
// selector picks our sub-object, then the path maps as in these tables.
const STATS64 = {
  'rx.bytes': 'rxBytes', 'rx.packets': 'rxPackets', 'rx.errors': 'rxErrors', 'rx.dropped': 'rxDropped',
  'rx.over_errors': 'rxOverErrors', 'rx.multicast': 'multicast', 'tx.bytes': 'txBytes', 'tx.packets': 'txPackets',
  'tx.errors': 'txErrors', 'tx.dropped': 'txDropped', 'tx.carrier_errors': 'txCarrierErrors', 'tx.collisions': 'collisions',
  // with -s -s (ip stats show -d):
  'rx.length_errors': 'rxLengthErrors', 'rx.crc_errors': 'rxCrcErrors', 'rx.frame_errors': 'rxFrameErrors',
  'rx.fifo_errors': 'rxFifoErrors', 'rx.missed_errors': 'rxMissedErrors', 'rx.nohandler': 'rxNohandler',
  'rx.otherhost_dropped': 'rxOtherhostDropped', 'rx.compressed': 'rxCompressed', 'tx.aborted_errors': 'txAbortedErrors',
  'tx.fifo_errors': 'txFifoErrors', 'tx.window_errors': 'txWindowErrors', 'tx.heartbeat_errors': 'txHeartbeatErrors',
  'tx.carrier_changes': 'carrier_changes is IFLA_CARRIER_CHANGES, not a stats64 counter',
  'tx.compressed': 'txCompressed',
}
const MCAST = {}
for (const proto of ['igmp', 'mld']) {
  for (const kind of ['queries', 'reports']) {
    for (const v of proto === 'igmp' ? ['v1', 'v2', 'v3'] : ['v1', 'v2']) {
      for (const dir of ['rx', 'tx']) MCAST[`${proto}_${kind}.${dir}_${v}`] = (m) => m[`${proto}V${v[1]}${kind}`][dir]
    }
  }
  for (const dir of ['rx', 'tx']) MCAST[`${proto}_leaves.${dir}`] = (m) => m[`${proto}Leaves`][dir]
  MCAST[`${proto}_parse_errors`] = (m) => m[`${proto}ParseErrors`]
}
const STP = {
  rx_bpdu: 'rxBpdu', tx_bpdu: 'txBpdu', rx_tcn: 'rxTcn', tx_tcn: 'txTcn', transition_blk: 'transitionBlk', transition_fwd: 'transitionFwd',
}
const moo = (v) => (v === undefined ? undefined : v === 1)
/** selector -> [the sub-object of LinkStats, { ip path -> (sub) => value, or why not compared }] */
const STATS = {
  link: [(s) => s.link64, Object.fromEntries(Object.entries(STATS64).map(([k, ours]) =>
    [`stats64.${k}`, ours.includes(' ') ? ours : (x) => x[ours]]))],
  'offload/cpu_hit': [(s) => s.offloadXstats?.cpuHit, Object.fromEntries(Object.entries(STATS64).map(([k, ours]) =>
    [`stats64.${k}`, ours.includes(' ') ? ours : (x) => x[ours]]))],
  'offload/hw_stats_info': [(s) => s.offloadXstats?.hwStatsInfo, {
    'info.l3_stats.request': (h) => moo(h.l3Stats?.request),
    'info.l3_stats.used': (h) => moo(h.l3Stats?.used),
  }],
  'offload/l3_stats': [(s) => s.offloadXstats, {
    'info.request': (o) => moo(o.hwStatsInfo?.l3Stats?.request),
    'info.used': (o) => moo(o.hwStatsInfo?.l3Stats?.used),
    ...Object.fromEntries(['bytes', 'packets', 'errors', 'dropped'].flatMap((c) => ['rx', 'tx'].map((d) =>
      [`stats64.${d}.${c}`, (o) => o.l3Stats?.[`${d}${c[0].toUpperCase()}${c.slice(1)}`]]))),
    'stats64.rx.multicast': (o) => o.l3Stats?.multicast,
  }],
  'xstats/bridge/mcast': [(s) => s.xstats?.bridge?.mcast, Object.fromEntries(Object.entries(MCAST).map(([k, f]) => [`multicast.${k}`, f]))],
  'xstats_slave/bridge/mcast': [(s) => s.xstatsSlave?.bridge?.mcast, Object.fromEntries(Object.entries(MCAST).map(([k, f]) => [`multicast.${k}`, f]))],
  'xstats/bridge/stp': [(s) => s.xstats?.bridge?.stp, Object.fromEntries(Object.entries(STP).map(([k, o]) => [`stp.${k}`, (x) => x[o]]))],
  'xstats_slave/bridge/stp': [(s) => s.xstatsSlave?.bridge?.stp, Object.fromEntries(Object.entries(STP).map(([k, o]) => [`stp.${k}`, (x) => x[o]]))],
  'xstats/bond/802.3ad': [(s) => s.xstats?.bond?.lacp, {}],
  'xstats_slave/bond/802.3ad': [(s) => s.xstatsSlave?.bond?.lacp, {}],
  'afstats/mpls': [(s) => s.afSpec?.mpls?.link, Object.fromEntries([
    ...['bytes', 'packets', 'errors', 'dropped', 'noroute'].map((c) => [`mpls_stats.rx.${c}`, (m) => m[`rx${c[0].toUpperCase()}${c.slice(1)}`]]),
    ...['bytes', 'packets', 'errors', 'dropped'].map((c) => [`mpls_stats.tx.${c}`, (m) => m[`tx${c[0].toUpperCase()}${c.slice(1)}`]]),
  ])],
}
const STATS_RECORD_KEYS = {
  ifindex: 'the record is matched by it',
  ifname: 'the record is matched by ifindex; compared with links.list() names in ctx',
  group: 'the selector', subgroup: 'the selector', suite: 'the selector',
}

// ---- comparison ----------------------------------------------------------------------------
const proven = new Map()
const prove = (key) => proven.set(key, (proven.get(key) ?? 0) + 1)

/** Compares every key `ip` printed for one object with ours through `table` (nested objects by dotted path). */
function compareObject(t, what, table, ipObj, ours, ctx, { prefix = '', within } = {}) {
  for (const [key, ipValue] of Object.entries(ipObj)) {
    const path = prefix + key
    if (ipValue !== null && typeof ipValue === 'object' && !Array.isArray(ipValue) && !(path in table)) {
      compareObject(t, what, table, ipValue, ours, ctx, { prefix: `${path}.`, within })
      continue
    }
    const row = table[path]
    t.not(row, undefined, `${what}: ip prints '${path}', which the mapping table does not cover`)
    if (row === undefined || typeof row === 'string') continue
    const [mine, norm] = typeof row === 'function' ? [row, (v) => v] : row
    if (within && typeof ipValue === 'number') {
      // A counter: ip read it between our two listings.
      const [lo, hi] = [mine(ours, ctx), mine(within, ctx)]
      t.true(lo <= ipValue && ipValue <= hi, `${what} ${path}: ip ${ipValue} not within [${lo}, ${hi}]`)
    } else {
      t.deepEqual(mine(ours, ctx), norm(ipValue), `${what} ${path}`)
    }
    prove(`${what.split(' ')[0]}.${path}`)
  }
}

const SCENARIO = [
  'link set lo up',
  'link add v1 type veth peer name v2',
  'link set v1 up', 'link set v2 up',
  'addr add 10.0.0.1/24 dev v1',
  '-6 addr add fd00::1/64 dev v1 nodad',
  'nexthop add id 1 via 10.0.0.2 dev v1',
  'nexthop add id 2 via 10.0.0.3 dev v1',
  'nexthop add id 3 blackhole',
  'nexthop add id 4 group 1/2,3',
  'nexthop add id 5 via fd00::2 dev v1',
  'nexthop add id 6 via 10.0.0.4 fdb',
  'nexthop add id 7 group 6 fdb',
  'nexthop add id 8 dev v1 protocol static',
  'nexthop add id 9 via 10.0.0.9 dev v1 onlink',
  // (resilient groups: Linux 5.13 and newer)
  ...(has('nexthop_resilient') ? ['nexthop add id 10 group 1/2 type resilient buckets 8'] : []),
  'nexthop add id 11 group 1,2/5',
  'link add br0 type bridge mcast_stats_enabled 1',
  'link set v2 master br0',
  'link set br0 up',
]
const SYSCTLS = [
  'net.ipv4.conf.v1.forwarding=1', 'net.ipv4.conf.v1.rp_filter=2', 'net.ipv6.conf.v1.forwarding=1',
  'net.ipv4.conf.all.rp_filter=1', 'net.ipv4.conf.default.proxy_arp=1', 'net.ipv6.conf.default.proxy_ndp=1',
]

// Needs seg6 lwtunnel, which some kernel builds lack: its own test below.
const SEG6_NEXTHOP = 'nexthop add id 20 encap seg6 mode encap segs fc00::1 dev v1'

async function setUp(t, extra = []) {
  const ns = makeNetns(t)
  for (const line of [...SCENARIO, ...extra]) ip(ns, ...line.split(' '))
  for (const s of SYSCTLS) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', s])
  await waitQuiet(ns)
  const byIndex = new Map((await links.list({ netns: { name: ns } })).map((l) => [l.index, l.name]))
  const ctx = { name: (index) => (index === undefined ? undefined : byIndex.get(index) ?? `if${index}`) }
  return { ns, netns: { name: ns }, ctx }
}

test('nexthops and netconf match iproute2 key by key', async (t) => {
  const { ns, netns, ctx } = await setUp(t)

  const ours = await nexthops.list({ netns })
  const ipNh = ipJson(ns, '-d', 'nexthop', 'show')
  t.is(ipNh.length, ours.length)
  for (const n of ipNh) {
    const mine = ours.find((x) => x.id === n.id)
    t.truthy(mine, `nexthop ${n.id}`)
    if (mine) compareObject(t, `nexthop ${n.id}`, NEXTHOP, n, mine, ctx)
  }
  for (const family of [4, 6]) {
    const ipOnly = ipJson(ns, `-${family}`, '-d', 'nexthop', 'show').map((n) => n.id).sort()
    const mine = (await nexthops.list({ netns, family })).map((n) => n.id).sort()
    t.deepEqual(mine, ipOnly, `nexthops of family ${family}`)
  }

  const ourConf = await netconf.list({ netns })
  const ipConf = ipJson(ns, 'netconf', 'show')
  t.is(ipConf.length, ourConf.length)
  for (const c of ipConf) {
    const mine = ourConf.find((x) => NETCONF.family[0](x) === c.family && NETCONF.interface[0](x, ctx) === c.interface)
    t.truthy(mine, `netconf ${c.family} ${c.interface}`)
    if (mine) compareObject(t, `netconf ${c.family}/${c.interface}`, NETCONF, c, mine, ctx)
  }
  t.log(`proven fields (ip key: objects compared): ${[...proven].map(([k, n]) => `${k}:${n}`).join(' ')}`)
})

needs('seg6')('a seg6-encapsulated nexthop matches iproute2 key by key', async (t) => {
  const { ns, netns, ctx } = await setUp(t, [SEG6_NEXTHOP])
  const [n] = ipJson(ns, '-d', 'nexthop', 'show', 'id', '20')
  const mine = (await nexthops.list({ netns })).find((x) => x.id === 20)
  t.truthy(mine, 'nexthop 20')
  t.is(n.encap, 'seg6')
  compareObject(t, 'nexthop 20', NEXTHOP, n, mine, ctx)
})

test('namespace ids match iproute2', async (t) => {
  const ns = makeNetns(t)
  const peers = [makeNetns(t, 'rtnl-peer'), makeNetns(t, 'rtnl-peer')]
  ip(ns, 'netns', 'set', peers[0], '5')
  ip(ns, 'netns', 'set', peers[1], '6')
  const ours = await nsids.list({ netns: { name: ns } })
  const ipIds = ipJson(ns, 'netns', 'list-id')
  t.is(ipIds.length, ours.length)
  for (const n of ipIds) {
    const mine = ours.find((x) => x.nsid === n.nsid)
    t.truthy(mine, `nsid ${n.nsid}`)
    if (mine) compareObject(t, `nsid ${n.nsid}`, NSID, n, mine, {})
  }
  t.deepEqual(ours.map((n) => n.nsid).sort(), [5, 6])
})

test('link statistics match ip stats show record by record', async (t) => {
  const { ns, netns, ctx } = await setUp(t)
  const before = new Map((await linkStats.list({ netns })).map((s) => [s.ifindex, s]))
  const records = ipJson(ns, 'stats', 'show')
  const after = new Map((await linkStats.list({ netns })).map((s) => [s.ifindex, s]))
  t.deepEqual([...before.keys()].sort(), [...new Set(records.map((r) => r.ifindex))].sort())
  for (const r of records) {
    const { ifindex, ifname, group, subgroup, suite, ...fields } = r
    for (const k of Object.keys(STATS_RECORD_KEYS)) prove(`stats.${k}`)
    t.is(ctx.name(ifindex), ifname)
    const sel = [group, subgroup, suite].filter(Boolean).join('/')
    const row = STATS[sel]
    t.not(row, undefined, `ip stats prints records of ${sel}, which the mapping table does not cover`)
    if (!row) continue
    const [pick, table] = row
    const [lo, hi] = [pick(before.get(ifindex)), pick(after.get(ifindex))]
    // A record without fields: ip found nothing of that group for this link; nor did we.
    if (Object.keys(fields).length === 0) {
      t.is(lo, undefined, `${ifname} ${sel}: ip prints nothing, we have ${JSON.stringify(lo)}`)
      continue
    }
    t.truthy(lo && hi, `${ifname} ${sel}`)
    if (lo && hi) compareObject(t, `stats ${ifname} ${sel}`, table, fields, lo, ctx, { within: hi })
  }
  t.log(`proven fields (ip key: records compared): ${[...proven].map(([k, n]) => `${k}:${n}`).join(' ')}`)
})
