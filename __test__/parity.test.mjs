// Parity with iproute2: a varied namespace is built, then every list() entry
// is compared with the matching object from `ip -d -j` (and `ip -s -j` for
// stats, `bridge -j fdb` for the forwarding database), field by field.
//
// THE MAPPING TABLE below is the proof: each row names an `ip` JSON key, how
// our struct gives the same value, and why a normalisation exists (always a
// difference of formatting that iproute2 introduces). Every key `ip` prints
// must be in the table, either compared or listed in `notCompared` with the
// reason, so a new key in a newer iproute2 fails this test until handled.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import { links, addresses, routes, rules, neighbours, keyOf } from 'rtnl'
import { makeNetns, ip, ipJson, waitQuiet } from './_helpers.mjs'
import { compareObject, get, toolJson } from './_parity.mjs'
import { SCENARIO as BASE_SCENARIO } from './_scenario.mjs'
import { camel, linkinfoRow } from './_linkinfo-ip.mjs'

const SCENARIO = BASE_SCENARIO
const FDB = [
  ['fdb', 'add', '02:00:00:00:cd:01', 'dev', 'b0', 'master', 'static'],
  ['fdb', 'add', '02:00:00:00:cd:02', 'dev', 'b1', 'master'],
]

// ---- normalisers: iproute2's formatting, undone ---------------------------------------------
// (the tunnel types: a guest of the kernel matrix that loaded ip_gre and
// ip6_gre has their fallback devices, gre0, ip6tnl0, ..., in every namespace)
const ARPHRD = { 1: 'ether', 768: 'ipip', 769: 'tunnel6', 772: 'loopback', 776: 'sit', 778: 'gre', 823: 'gre6', 65534: 'none' }
const hex = (n) => `0x${n.toString(16)}`
// ip (ll_addr_n2a) prints the link-layer address of an IP tunnel, its endpoint, as an IP address.
const TUNNEL_ADDRESS = 'ip prints the link-layer address of an IP tunnel (its endpoint) as an IP address; rtnl keeps every link-layer address as colon hex'
const tunnelAddress = (l, a) => {
  if (a === undefined || ![768, 769, 776, 778, 823].includes(l.type)) return a
  const bytes = a.split(':').map((h) => parseInt(h, 16))
  if (bytes.length === 4) return bytes.join('.')
  if (bytes.length !== 16) return a
  const words = []
  for (let i = 0; i < 16; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16))
  // The URL parser writes IPv6 as inet_ntop does (the longest run of zeros as '::').
  return new URL(`http://[${words.join(':')}]`).hostname.slice(1, -1)
}
const withoutLeadingZeros = (bridgeId) => bridgeId.replace(/(^|[.:])0([0-9a-f])/g, '$1$2')
const BRPORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking']
const RTNH_FLAGS = [
  [1, 'dead'], [2, 'pervasive'], [4, 'onlink'], [8, 'offload'], [16, 'linkdown'], [32, 'unresolved'], [64, 'trap'],
  [0x100, 'notify'], [0x4000, 'rt_offload'], [0x8000, 'rt_trap'], [0x20000000, 'rt_offload_failed'],
]
const routeFlags = (flags) => RTNH_FLAGS.filter(([bit]) => flags & bit).map(([, n]) => n).sort()
const IP_PROTOS = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'ipv6-icmp' }
const ADDR_FLAG_KEYS = {
  // ip key -> our flag name (ip prints IFA_F_* flags as booleans; dynamic is "not permanent")
  secondary: 'secondary', nodad: 'nodad', optimistic: 'optimistic', dadfailed: 'dadfailed', home: 'home',
  deprecated: 'deprecated', tentative: 'tentative', noprefixroute: 'noprefixroute', mngtmpaddr: 'managetempaddr',
  autojoin: 'mcautojoin', 'stable-privacy': 'stable-privacy',
}
const NEIGH_STATE = (n) => n.stateNames.map((s) => s.toUpperCase())
const FDB_STATE = (n) =>
  n.stateNames.includes('permanent') ? 'permanent' : n.stateNames.includes('noarp') ? 'static' : n.stateNames.includes('stale') ? 'stale' : ''

// ---- the table -----------------------------------------------------------------------------
// Each row: ip key -> (ours, ctx) => value, or [ours, ipNormaliser, why].
const LINK = {
  ifindex: (l) => l.index,
  ifname: (l) => l.name,
  flags: [(l) => l.flagNames.filter((f) => f !== 'RUNNING').sort(), (v) => v.filter((f) => f !== 'NO-CARRIER' && f !== 'M-DOWN').sort(),
    'ip hides RUNNING, and adds NO-CARRIER (UP without LOWER_UP) and M-DOWN (the peer is down), derived from other fields'],
  mtu: (l) => l.mtu,
  qdisc: (l) => l.qdisc,
  operstate: (l) => l.operstate,
  linkmode: [(l) => ['DEFAULT', 'DORMANT'][l.linkmode], (v) => v, 'ip names the IF_LINK_MODE_* number'],
  group: [(l) => (l.group === 0 ? 'default' : String(l.group)), (v) => v, 'ip names group 0 "default"'],
  txqlen: (l) => l.txqlen,
  link_type: [(l) => ARPHRD[l.type], (v) => v, 'ip names the ARPHRD_* number'],
  address: [(l) => tunnelAddress(l, l.address), (v) => v, TUNNEL_ADDRESS],
  broadcast: [(l) => tunnelAddress(l, l.broadcast), (v) => v, TUNNEL_ADDRESS],
  promiscuity: (l) => l.promiscuity,
  allmulti: (l) => l.allmulti,
  min_mtu: (l) => l.minMtu,
  max_mtu: (l) => l.maxMtu,
  num_tx_queues: (l) => l.numTxQueues,
  num_rx_queues: (l) => l.numRxQueues,
  gso_max_size: (l) => l.gsoMaxSize,
  gso_max_segs: (l) => l.gsoMaxSegs,
  tso_max_size: (l) => l.tsoMaxSize,
  tso_max_segs: (l) => l.tsoMaxSegs,
  gro_max_size: (l) => l.groMaxSize,
  gso_ipv4_max_size: (l) => l.gsoIpv4MaxSize,
  gro_ipv4_max_size: (l) => l.groIpv4MaxSize,
  ifalias: (l) => l.ifalias,
  perm_address: (l) => l.permAddress,
  permaddr: [(l) => tunnelAddress(l, l.permAddress), (v) => v, `IFLA_PERM_ADDRESS (ip prints it when it differs from the address); ${TUNNEL_ADDRESS}`],
  parentbus: (l) => l.parentBus,
  parentdev: (l) => l.parentDev,
  inet6_addr_gen_mode: (l) => l.afSpec?.inet6?.addrGenMode,
  master: [(l, ctx) => ctx.name(l.master), (v) => v, 'ip prints the master by name'],
  link: [(l, ctx) => (l.link === 0 ? null : ctx.name(l.link)), (v) => v, 'ip prints the peer/lower link by name, and null for IFLA_LINK 0 (a tunnel module\'s fallback device has none)'],
  link_netnsid: (l) => l.linkNetnsid,
  'linkinfo.info_kind': (l) => l.linkinfo?.kind,
  'linkinfo.info_slave_kind': (l) => l.linkinfo?.slaveKind,
  'linkinfo.info_data': 'compared key by key in LINKINFO_DATA',
  'linkinfo.info_slave_data': 'compared key by key in LINKINFO_DATA',
}
// linkinfo data: ip's snake_case key -> our camelCase key, with these exceptions.
const LINKINFO_DATA = {
  timers: [(ours) => ours, (v) => Math.round(v * 100),
    'ip prints bridge timers in seconds, the kernel (and we) in 1/100 s; they count down, so compared within 2 s'],
  bridge_id: [(ours) => withoutLeadingZeros(ours), (v) => v, 'ip drops leading zeros of MAC bytes in bridge ids'],
  root_id: [(ours) => withoutLeadingZeros(ours), (v) => v, 'same as bridge_id'],
  group_fwd_mask: [(ours) => ours, (v) => Number(v), 'ip prints the mask as a hex string'],
  id: [(ours) => ours, (v) => Number(v), 'ip prints the port id as a hex string'],
  no: [(ours) => ours, (v) => Number(v), 'ip prints the port number as a hex string'],
  state: [(ours) => (typeof ours === 'number' ? BRPORT_STATES[ours] : ours), (v) => v, 'ip names bridge port states'],
  no_linklocal_learn: [(_, data) => data.multiBoolopt.optval & 1, (v) => v, 'ip derives it from bit 0 of multi_boolopt'],
  mcast_vlan_snooping: [(_, data) => (data.multiBoolopt.optval >> 1) & 1, (v) => v, 'bit 1 of multi_boolopt'],
  mst_enabled: [(_, data) => (data.multiBoolopt.optval >> 2) & 1, (v) => v, 'bit 2 of multi_boolopt'],
}
// Kinds whose data rtnl keeps raw (as `unknown` attributes) today; decoded in issue #27.
const LINKINFO_NOT_DECODED = {
  ip6tnl: 'the fallback device of ip6_tunnel (loaded with ip6_gre); its data is kept raw until the tunnel kinds are decoded',
  ipip: 'the same, for the ipip module', sit: 'the same, for the sit module', vti: 'the same, for ip_vti', ip6_vti: 'the same, for ip6_vti',
}
const LINKINFO_NOT_COMPARED = {
  gc_timer: 'a countdown: ip and list() read it at different instants',
  group_fwd_mask_str: 'the same mask as group_fwd_mask, as text',
}
const LINK_STATS = [
  'rx.bytes:rxBytes', 'rx.packets:rxPackets', 'rx.errors:rxErrors', 'rx.dropped:rxDropped', 'rx.over_errors:rxOverErrors',
  'rx.multicast:multicast', 'tx.bytes:txBytes', 'tx.packets:txPackets', 'tx.errors:txErrors', 'tx.dropped:txDropped',
  'tx.carrier_errors:txCarrierErrors', 'tx.collisions:collisions', 'rx.missed_errors:rxMissedErrors',
  'rx.nohandler:rxNohandler', 'rx.otherhost_dropped:rxOtherhostDropped',
].map((s) => s.split(':'))

const ADDRESS = {
  family: [(a) => ({ 2: 'inet', 10: 'inet6' })[a.family], (v) => v, 'ip names the family'],
  local: [(a) => (a.family === 2 ? a.local : a.address), (v) => v, 'for IPv6 ip prints IFA_ADDRESS as local'],
  address: [(a) => a.address, (v) => v, 'the peer of a point-to-point address; printed only when it differs from local'],
  prefixlen: (a) => a.prefixlen,
  scope: (a) => a.scopeName,
  label: (a) => a.label,
  broadcast: (a) => a.broadcast,
  anycast: (a) => a.anycast,
  dynamic: [(a) => !a.flagNames.includes('permanent') || undefined, (v) => v, 'ip prints "dynamic" for addresses without IFA_F_PERMANENT'],
  valid_life_time: 'a countdown: compared between two list() calls around ip, in LIFETIMES',
  preferred_life_time: 'a countdown: compared between two list() calls around ip, in LIFETIMES',
  ...Object.fromEntries(Object.entries(ADDR_FLAG_KEYS).map(([k, f]) => [k, [(a) => a.flagNames.includes(f) || undefined, (v) => v, `IFA_F flag ${f}`]])),
}

const ROUTE = {
  type: (r) => r.typeName,
  dst: [(r) => (r.dst === undefined ? 'default' : r.dstLen === (r.family === 2 ? 32 : 128) ? r.dst : `${r.dst}/${r.dstLen}`), (v) => v,
    'ip joins dst and dstLen, omits a full-length prefix and prints "default" for 0/0'],
  gateway: (r) => r.gateway,
  dev: [(r, ctx) => ctx.name(r.oif), (v) => v, 'ip prints the output link by name'],
  table: (r) => r.tableName,
  protocol: (r) => r.protocolName,
  scope: (r) => r.scopeName,
  metric: (r) => r.priority,
  prefsrc: (r) => r.prefsrc,
  flags: [(r) => routeFlags(r.flags), (v) => v.slice().sort(), 'ip names RTNH_F_* and RTM_F_* bits'],
  pref: [(r) => (r.pref === undefined ? undefined : { 0: 'medium', 1: 'high', 3: 'low' }[r.pref]), (v) => v, 'ip names ICMPV6_ROUTER_PREF_*'],
  expires: [(r) => Math.round((r.cacheinfo?.expires ?? 0) / 100), (v) => v, 'ip prints rta_cacheinfo.rta_expires in seconds; it counts down, so compared within 2 s'],
  'flow.to': [(r) => String(r.realms & 0xffff), (v) => v, 'ip splits RTA_FLOW into realms'],
  'flow.from': [(r) => String(r.realms >>> 16), (v) => v, 'ip splits RTA_FLOW into realms'],
  metrics: [(r) => r.metrics, (v) => Object.assign({}, ...v), 'ip prints RTA_METRICS as a list of objects'],
  nexthops: 'compared hop by hop in NEXTHOP',
}
const NEXTHOP = {
  gateway: (h) => h.gateway,
  dev: [(h, ctx) => ctx.name(h.oif), (v) => v, 'ip prints the link by name'],
  weight: (h) => h.weight,
  flags: [(h) => routeFlags(h.flags), (v) => v.slice().sort(), 'ip names RTNH_F_* bits'],
}

const RULE = {
  priority: (r) => r.priority ?? 0,
  src: [(r) => r.src ?? 'all', (v) => v, 'ip prints "all" for no source'],
  srclen: (r) => (r.src === undefined ? undefined : r.srcLen),
  dst: (r) => r.dst,
  dstlen: (r) => (r.dst === undefined ? undefined : r.dstLen),
  tos: [(r) => (r.tos ? hex(r.tos) : undefined), (v) => v, 'ip prints tos in hex'],
  fwmark: [(r) => (r.fwmark === undefined ? undefined : hex(r.fwmark)), (v) => v, 'ip prints marks in hex'],
  fwmask: [(r) => (r.fwmask === undefined || r.fwmask === 0xffffffff ? undefined : hex(r.fwmask)), (v) => v, 'ip prints masks in hex, and none for all ones'],
  iif: (r) => r.iifname,
  oif: (r) => r.oifname,
  table: [(r) => (r.action === 1 ? r.tableName : undefined), (v) => v, 'ip prints the table only for lookup rules'],
  action: [(r) => (r.action === 1 ? undefined : r.actionName), (v) => v, 'ip prints the action only when it is not a lookup'],
  goto: (r) => r.goto,
  not: [(r) => ((r.flags & 2) !== 0 ? null : undefined), (v) => v, 'ip prints "not": null for FIB_RULE_INVERT'],
  protocol: (r) => r.protocolName,
  uid_start: (r) => r.uidRange?.start,
  uid_end: (r) => r.uidRange?.end,
  ipproto: [(r) => IP_PROTOS[r.ipProto], (v) => v, 'ip names the IP protocol'],
  sport_start: (r) => r.sportRange?.start,
  sport_end: (r) => r.sportRange?.end,
  dport_start: (r) => r.dportRange?.start,
  dport_end: (r) => r.dportRange?.end,
  suppress_prefixlen: (r) => r.suppressPrefixlen,
  suppress_ifgroup: (r) => r.suppressIfgroup,
  flow_from: [(r) => (r.realms === undefined ? undefined : String(r.realms >>> 16)), (v) => v, 'ip splits FRA_FLOW into realms'],
  flow_to: [(r) => (r.realms === undefined ? undefined : String(r.realms & 0xffff)), (v) => v, 'ip splits FRA_FLOW into realms'],
  l3mdev: (r) => r.l3mdev,
  tun_id: (r) => r.tunId,
}

const NEIGH = {
  dst: (n) => n.dst,
  dev: [(n, ctx) => ctx.name(n.ifindex), (v) => v, 'ip prints the link by name'],
  lladdr: (n) => n.lladdr,
  state: [NEIGH_STATE, (v) => v, 'ip prints NUD_* names in upper case'],
  router: [(n) => (n.flagNames.includes('router') ? null : undefined), (v) => v, 'ip prints "router": null for NTF_ROUTER'],
  proxy: [(n) => (n.flagNames.includes('proxy') ? null : undefined), (v) => v, 'NTF_PROXY'],
  extern_learn: [(n) => (n.flagNames.includes('extern_learn') ? null : undefined), (v) => v, 'NTF_EXT_LEARNED'],
  offload: [(n) => (n.flagNames.includes('offload') ? null : undefined), (v) => v, 'NTF_OFFLOADED'],
  protocol: (n) => n.protocol,
}
const FDB_ROW = {
  mac: (n) => n.lladdr,
  ifname: [(n, ctx) => ctx.name(n.ifindex), (v) => v, 'bridge prints the port by name'],
  flags: [(n) => n.flagNames.filter((f) => f !== 'master' || n.master === undefined).sort(), (v) => v.slice().sort(),
    'bridge prints NTF_* names, without "master" (shown as the master key)'],
  master: [(n, ctx) => ctx.name(n.master), (v) => v, 'bridge prints the bridge by name'],
  state: [FDB_STATE, (v) => v, 'bridge names NUD_PERMANENT "permanent", NUD_NOARP "static", and prints "" for a learned entry'],
  vlan: (n) => n.vlan,
  dst: (n) => n.dst,
}

// ---- comparison ----------------------------------------------------------------------------
const proven = new Map()

/** Compares one object with what `ip` printed for it, counting each field compared. */
const compare = (t, what, table, ipObj, ours, ctx) => compareObject(t, what, table, ipObj, ours, ctx, { proven, within: { expires: 2 } })

function compareLinkinfoData(differs, what, kind, ipData, ours, ctx) {
  if (kind in LINKINFO_NOT_DECODED) return
  for (const [key, ipValue] of Object.entries(ipData)) {
    if (key in LINKINFO_NOT_COMPARED) continue
    let row = linkinfoRow(kind, key) ?? LINKINFO_DATA[key]
    if (!row && key.endsWith('_timer')) row = LINKINFO_DATA.timers
    const [mine, norm] = row ?? [(v) => v, (v) => v]
    const ourKey = camel(key)
    const actual = mine(ours[ourKey], ours, ctx)
    if (actual === undefined) differs.push(`${what}: ip prints '${key}' (${JSON.stringify(ipValue)}), our data has no '${ourKey}'`)
    else if (row === LINKINFO_DATA.timers ? Math.abs(actual - norm(ipValue)) > 200 : !isDeepStrictEqual(actual, norm(ipValue))) {
      differs.push(`${what}.${key}: ip ${JSON.stringify(ipValue)}, ours ${JSON.stringify(actual)}`)
    }
    proven.set(`linkinfo.${key}`, (proven.get(`linkinfo.${key}`) ?? 0) + 1)
  }
}

const bridgeJson = (ns, ...args) => toolJson('bridge', ns, '-j', ...args)

test('every list() entry matches iproute2 field by field', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  for (const line of SCENARIO) ip(ns, ...line.split(' '))
  for (const args of FDB) execFileSync('bridge', ['-n', ns, ...args])
  await waitQuiet(ns)

  const ourLinks = await links.list({ netns })
  const byIndex = new Map(ourLinks.map((l) => [l.index, l]))
  const ctx = { name: (index) => (index === undefined ? undefined : byIndex.get(index)?.name ?? `if${index}`) }

  // Links: ip -d -j link show
  const ipLinks = ipJson(ns, '-d', 'link', 'show')
  // Each linkinfo difference is kept and all are shown at once (a kernel-matrix guest takes minutes a run).
  const linkinfoDiffers = []
  t.is(ipLinks.length, ourLinks.length)
  for (const l of ipLinks) {
    const ours = byIndex.get(l.ifindex)
    compare(t, `link ${l.ifname}`, LINK, l, ours, ctx)
    if (l.linkinfo?.info_data) compareLinkinfoData(linkinfoDiffers, `${l.ifname} info_data`, l.linkinfo.info_kind, l.linkinfo.info_data, ours.linkinfo.data, ctx)
    if (l.linkinfo?.info_slave_data) compareLinkinfoData(linkinfoDiffers, `${l.ifname} info_slave_data`, `${l.linkinfo.info_slave_kind}_slave`, l.linkinfo.info_slave_data, ours.linkinfo.slaveData, ctx)
  }
  t.deepEqual(linkinfoDiffers, [], 'linkinfo keys that differ from ip -d -j')

  // Link counters: ip -s -j link show, between two list() calls (they only grow).
  const before = new Map((await links.list({ netns })).map((l) => [l.index, l.stats64]))
  const ipStats = ipJson(ns, '-s', 'link', 'show')
  const after = new Map((await links.list({ netns })).map((l) => [l.index, l.stats64]))
  for (const l of ipStats) {
    for (const [ipPath, ours] of LINK_STATS) {
      const v = get(l.stats64, ipPath)
      if (v === undefined) continue
      t.true(before.get(l.ifindex)[ours] <= v && v <= after.get(l.ifindex)[ours], `${l.ifname} stats64 ${ipPath}`)
      proven.set(`link.stats64.${ipPath}`, (proven.get(`link.stats64.${ipPath}`) ?? 0) + 1)
    }
  }

  // Addresses: ip -j addr show, one entry per addr_info.
  const ourAddrs = await addresses.list({ netns })
  const ipAddrs = ipJson(ns, 'addr', 'show').flatMap((l) => l.addr_info.map((a) => ({ ...a, ifindex: l.ifindex })))
  t.is(ipAddrs.length, ourAddrs.length)
  for (const a of ipAddrs) {
    const { ifindex, ...fields } = a
    const ours = ourAddrs.find((x) => x.index === ifindex && (x.family === 2 ? x.local : x.address) === a.local && x.prefixlen === a.prefixlen)
    t.truthy(ours, `address ${a.local}/${a.prefixlen}`)
    compare(t, `address ${a.local}`, ADDRESS, fields, ours, ctx)
  }
  // LIFETIMES: remaining lifetimes count down, so ip's value lies between two of ours.
  const lifeBefore = await addresses.list({ netns })
  const ipLife = ipJson(ns, 'addr', 'show').flatMap((l) => l.addr_info)
  const lifeAfter = await addresses.list({ netns })
  for (const a of ipLife) {
    const pick = (list) => list.find((x) => (x.family === 2 ? x.local : x.address) === a.local && x.prefixlen === a.prefixlen).cacheinfo
    for (const [ipKey, ourKey] of [['valid_life_time', 'valid'], ['preferred_life_time', 'preferred']]) {
      const asNumber = (v) => (v === 'forever' ? 4294967295 : v)
      const hi = asNumber(pick(lifeBefore)[ourKey])
      const lo = asNumber(pick(lifeAfter)[ourKey])
      t.true(lo <= a[ipKey] && a[ipKey] <= hi, `address ${a.local} ${ipKey} ${a[ipKey]} within [${lo}, ${hi}]`)
      proven.set(`address.${ipKey}`, (proven.get(`address.${ipKey}`) ?? 0) + 1)
    }
  }

  // Routes: ip -d -j route show table all, for each family. IPv6 can still
  // add a route after the quiet spell (a link-local address finishing DAD
  // gets its local route): ip's listing counts only if ours agree before
  // and after it, else the namespace is let settle and all are taken again.
  const routeKeys = (list) => list.map((r) => keyOf('routes', r)).sort().join('\n')
  let ourRoutes
  let ipRoutesOf
  for (let attempt = 1; ; attempt++) {
    const before = await routes.list({ netns })
    ipRoutesOf = Object.fromEntries(['-4', '-6'].map((fam) => [fam, ipJson(ns, fam, '-d', 'route', 'show', 'table', 'all')]))
    ourRoutes = await routes.list({ netns })
    if (routeKeys(before) === routeKeys(ourRoutes) || attempt === 5) break
    t.log(`(routes changed while ip listed them: taken again, attempt ${attempt + 1})`)
    await waitQuiet(ns)
  }
  for (const fam of ['-4', '-6']) {
    const family = fam === '-4' ? 2 : 10
    const ipRoutes = ipRoutesOf[fam]
    const mine = ourRoutes.filter((r) => r.family === family)
    t.is(ipRoutes.length, mine.length, `${fam} route count`)
    for (const r of ipRoutes) {
      const dstOf = (x) => ROUTE.dst[0](x)
      const ours = mine.find((x) => dstOf(x) === r.dst && x.tableName === r.table && x.typeName === r.type && (x.priority ?? undefined) === r.metric
        && (r.dev === undefined || ctx.name(x.oif) === r.dev))
      t.truthy(ours, `route ${r.type} ${r.dst} table ${r.table}`)
      if (!ours) continue
      compare(t, `route ${r.dst}`, ROUTE, r, ours, ctx)
      if (r.nexthops) {
        t.is(r.nexthops.length, ours.multipath.length)
        r.nexthops.forEach((h, i) => compare(t, `nexthop of ${r.dst}`, NEXTHOP, h, ours.multipath[i], ctx))
      }
    }
  }

  // Rules: ip -d -j rule show, for each family.
  const ourRules = await rules.list({ netns })
  for (const fam of ['-4', '-6']) {
    const family = fam === '-4' ? 2 : 10
    const ipRules = ipJson(ns, fam, '-d', 'rule', 'show')
    const mine = ourRules.filter((r) => r.family === family)
    t.is(ipRules.length, mine.length, `${fam} rule count`)
    for (const r of ipRules) {
      const ours = mine.find((x) => (x.priority ?? 0) === r.priority)
      compare(t, `rule ${r.priority}`, RULE, r, ours, ctx)
    }
  }

  // Neighbours: ip -d -j neigh show (IPv4 and IPv6); bridge -j fdb show (AF_BRIDGE).
  const ourNeigh = await neighbours.list({ netns })
  const ipNeigh = ipJson(ns, '-d', 'neigh', 'show', 'nud', 'all') // ip hides NOARP entries unless asked
  t.is(ipNeigh.length, ourNeigh.filter((n) => n.family !== 7).length)
  for (const n of ipNeigh) {
    const ours = ourNeigh.find((x) => x.dst === n.dst && ctx.name(x.ifindex) === n.dev)
    compare(t, `neigh ${n.dst}`, NEIGH, n, ours, ctx)
  }
  const ipFdb = bridgeJson(ns, 'fdb', 'show')
  const ourFdb = ourNeigh.filter((n) => n.family === 7)
  t.is(ipFdb.length, ourFdb.length)
  for (const f of ipFdb) {
    const ours = ourFdb.find((x) => x.lladdr === f.mac && ctx.name(x.ifindex) === f.ifname && x.vlan === f.vlan
      && (x.master !== undefined) === (f.master !== undefined))
    t.truthy(ours, `fdb ${f.mac} ${f.ifname}`)
    compare(t, `fdb ${f.mac}`, FDB_ROW, f, ours, ctx)
  }

  t.log(`proven fields (ip key: objects compared): ${[...proven].map(([k, n]) => `${k}:${n}`).join(' ')}`)
})

test('kernel-side filters give the same as filtering the full list', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  for (const line of SCENARIO) ip(ns, ...line.split(' '))
  // The kernel may order a filtered dump differently: compare as sets. A
  // route's cacheinfo.expires counts down between two dumps: left out.
  const sorted = (list) =>
    list.map((x) => JSON.stringify(x.cacheinfo ? { ...x, cacheinfo: { ...x.cacheinfo, expires: undefined } } : x)).sort()
  // A filtered dump is compared with the full dumps just before and after it;
  // if those two differ, the namespace changed meanwhile and the round is redone.
  async function sameAsFiltered(what, full, filtered, keep, view = sorted) {
    for (let round = 0; round < 5; round++) {
      const before = view((await full()).filter(keep))
      const got = view(await filtered())
      const after = view((await full()).filter(keep))
      if (JSON.stringify(before) !== JSON.stringify(after)) {
        await waitQuiet(ns)
        continue
      }
      t.deepEqual(got, before, what)
      return
    }
    t.fail(`${what}: the namespace never held still`)
  }
  const allRoutes = () => routes.list({ netns })
  await sameAsFiltered('table 100', allRoutes, () => routes.list({ netns, table: 100 }), (r) => r.table === 100)
  await sameAsFiltered('family 6', allRoutes, () => routes.list({ netns, family: 6 }), (r) => r.family === 10)
  await sameAsFiltered('family 4 table 254', allRoutes, () => routes.list({ netns, family: 4, table: 254 }), (r) => r.family === 2 && r.table === 254)
  const a0 = (await links.get({ name: 'a0' }, { netns })).index
  const allAddrs = () => addresses.list({ netns })
  await sameAsFiltered('addresses of a0', allAddrs, () => addresses.list({ netns, ifindex: a0 }), (a) => a.index === a0)
  await sameAsFiltered('IPv6 addresses', allAddrs, () => addresses.list({ netns, family: 6 }), (a) => a.family === 10)
  // Neighbour cacheinfo holds ages that move between two dumps: compare identities.
  // The kernel adds multicast neighbours at its own pace (MLD, IGMP): the
  // same before/after guard as above.
  const id = (list) => list.map((n) => `${n.family} ${n.ifindex} ${n.dst} ${n.lladdr} ${n.vlan}`).sort()
  const allNeigh = () => neighbours.list({ netns })
  await sameAsFiltered('neighbours of a0', allNeigh, () => neighbours.list({ netns, ifindex: a0 }), (n) => n.ifindex === a0, id)
  await sameAsFiltered('bridge fdb', allNeigh, () => neighbours.list({ netns, family: 'bridge' }), (n) => n.family === 7, id)
  await sameAsFiltered('IPv6 neighbours', allNeigh, () => neighbours.list({ netns, family: 6 }), (n) => n.family === 10, id)
  await sameAsFiltered('IPv6 rules', () => rules.list({ netns }), () => rules.list({ netns, family: 6 }), (r) => r.family === 10)
})

test('links.get and routes.get answer like ip link show / ip route get', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  for (const line of SCENARIO) ip(ns, ...line.split(' '))
  const byName = await links.get({ name: 'br0' }, { netns })
  const byIndex = await links.get({ index: byName.index }, { netns })
  t.is(byIndex.name, 'br0')
  t.is(byName.kind, 'bridge')
  t.is(await links.get({ name: 'nope0' }, { netns }), null)
  t.is(await links.get({ index: 99999 }, { netns }), null)
  const r = await routes.get('10.11.1.1', { netns })
  const ipr = ipJson(ns, 'route', 'get', '10.11.1.1')[0]
  t.is(r.gateway, ipr.gateway)
  t.is(r.dst, ipr.dst)
  t.is(r.prefsrc, ipr.prefsrc)
  t.is(r.oif, byIndexOf(await links.list({ netns }), ipr.dev))
  const local = await routes.get('10.1.0.1', { netns })
  t.is(local.typeName, 'local')
  const v6 = await routes.get('fd01::5', { netns })
  t.is(v6.gateway, 'fd00::2')
  const err = await t.throwsAsync(routes.get('10.99.0.1', { netns: { name: ns }, src: 'fd00::1' }))
  t.is(err.code, 'ERR_INVALID_ARG_VALUE')
})

function byIndexOf(list, name) {
  return list.find((l) => l.name === name)?.index
}
