// `rtnl monitor` prints every token `ip monitor`, `tc monitor` and `bridge
// monitor` print, event for event.
//
// One namespace; `ip -n NS monitor label link address route rule neigh
// nexthop netconf nsid stats`, `tc -n NS monitor`, `bridge -n NS monitor fdb
// mdb` and `rtnl monitor ... --netns NS` watch it at the same time while the
// rows below make their changes. Each tool's event is matched to the rtnl
// line of the same object (kind and identity: ifindex, address, prefix and
// table, rule preference, neighbour or fdb entry, nexthop id, netconf family
// and link, nsid, qdisc or class handle, filter parent/pref/handle, chain,
// mdb group; the n-th event of an object to its n-th line) and every token
// the tool prints (multi-line events joined, banner dropped) must appear in
// that line, in any order, as often as the tool prints it. Bridge fdb entries
// are held to `bridge monitor fdb`'s tokens (not ip's), mdb entries to
// `bridge monitor mdb`'s, qdiscs, classes, filters and chains to `tc
// monitor`'s (its verbs deleted/added/replaced included).
import test from 'ava'
import { spawn, execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeNetns } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

/**
 * One row per kind of change: what it shows, and the commands that make it
 * (`ip -n NS ARGS`; `bridge -n NS ARGS` and `tc -n NS ARGS` for lines
 * starting with `bridge` or `tc`; `ip netns exec NS sysctl -qw ARGS` for
 * lines starting with `sysctl`; OTHER and THIRD are two more namespaces).
 */
const ROWS = [
  ['links: a bridge (its fdb entry comes before its link), a veth pair (b0@NONE, a0@b0, M-DOWN), a bridge port (master br0), up', [
    'link add br0 type bridge',
    'link add a0 type veth peer name b0',
    'link set a0 master br0',
    'link set a0 up',
    'link set b0 up',
    'link set br0 up',
  ]],
  ['links: tap, ifb in group 5, macvlan m0@b0, vxlan, alias (carried by the next event), mtu, altname, delete, a veth peer in another namespace (@ifN, link-netnsid)', [
    'tuntap add t0 mode tap',
    'link add ifb0 type ifb',
    'link set ifb0 group 5',
    'link add m0 link b0 type macvlan mode bridge',
    'link add vx0 type vxlan id 42 dstport 4789 nolearning',
    'link set b0 alias uplink-port',
    'link set b0 mtu 1400',
    'link property add dev b0 altname bee0',
    'link del m0',
    'link add c0 type veth peer name c1 netns OTHER',
  ]],
  ['IPv4 addresses: primary, secondary, brd, peer, label, lifetimes, metric, delete', [
    'addr add 10.9.0.1/24 dev b0',
    'addr add 10.9.0.2/24 dev b0',
    'addr add 10.8.0.1/24 brd + dev b0 label b0:x',
    'addr add 10.7.0.1 peer 10.7.0.2/32 dev b0',
    'addr add 10.6.0.1/24 dev b0 valid_lft 300 preferred_lft 200',
    'addr add 10.5.0.1/24 dev b0 metric 50',
    'addr del 10.9.0.2/24 dev b0',
  ]],
  ['IPv6 addresses: nodad, lifetimes, noprefixroute, deprecated, home, mngtmpaddr, delete', [
    '-6 addr add 2001:db8::1/64 dev b0 nodad',
    '-6 addr add 2001:db8:1::1/64 dev b0 nodad valid_lft 300 preferred_lft 200 noprefixroute',
    '-6 addr add 2001:db8:2::1/64 dev b0 nodad preferred_lft 0',
    '-6 addr add 2001:db8:3::1/64 dev b0 nodad home mngtmpaddr',
    '-6 addr del 2001:db8::1/64 dev b0',
  ]],
  ['IPv4 routes: tables main, local, 100, 4242; types; scope, src, tos, metric, metrics with lock, realms, onlink, via inet6', [
    'route add 10.10.0.0/16 via 10.9.0.3 dev b0',
    'route add 10.11.0.0/16 dev b0 scope link src 10.9.0.1 tos 0x10 metric 5',
    'route add 10.13.0.0/16 dev b0 table local mtu lock 1400 advmss 1300 rtt 12 hoplimit 9',
    'route add blackhole 10.15.0.0/16 table 100',
    'route add unreachable 10.16.0.0/16 table 4242',
    'route add prohibit 10.17.0.0/16 proto static',
    'route add throw 10.18.0.0/16 table 100',
    'route add 10.19.0.0/16 via 10.9.0.3 dev b0 realms 3/4',
    'route add 10.20.0.0/16 via 10.99.0.1 dev b0 onlink',
    'route add 10.40.0.0/16 via inet6 fe80::1 dev b0',
    'route del 10.10.0.0/16',
  ]],
  ['IPv4 routes: multipath with weights, nexthop ids (nhid) and groups, linkdown', [
    'route add 10.12.0.0/16 table 100 nexthop via 10.9.0.3 dev b0 weight 2 nexthop via 10.9.0.4 dev b0',
    'nexthop add id 7 via 10.9.0.3 dev b0',
    'route add 10.14.0.0/16 nhid 7',
    'nexthop add id 8 group 7',
    'route add 10.21.0.0/16 nhid 8',
    'link add d0 type veth peer name d1',
    'link set d0 up',
    'addr add 10.30.0.1/24 dev d0',
    'route add 10.31.0.0/16 via 10.30.0.2 dev d0',
    'route add 10.32.0.0/16 nexthop via 10.30.0.2 dev d0 nexthop via 10.9.0.3 dev b0',
    'route del 10.14.0.0/16',
  ]],
  ['IPv6 routes: from (source prefix), pref, expires, metric, multipath, table 100', [
    '-6 route add 2001:db8:5::/64 from 2001:db8:6::/64 dev b0',
    '-6 route add 2001:db8:7::/64 dev b0 pref high expires 300',
    '-6 route add 2001:db8:8::/64 via fe80::1 dev b0 metric 7',
    '-6 route add 2001:db8:9::/64 nexthop via fe80::1 dev b0 nexthop via fe80::2 dev b0',
    '-6 route add 2001:db8:a::/64 dev b0 table 100',
    '-6 route del 2001:db8:5::/64 from 2001:db8:6::/64 dev b0',
  ]],
  ['rules of both families: from, not, to, fwmark/mask, iif, oif, tos, uidrange, ipproto, ports, actions, suppress, realms, proto, delete', [
    'rule add from 10.1.0.0/16 table 100 pref 100',
    '-6 rule add from 2001:db8::/32 table 100 pref 100',
    'rule add not to 10.2.0.0/16 fwmark 0x9/0xff iif b0 oif a0 tos 0x10 lookup main pref 200',
    'rule add pref 300 uidrange 100-200 ipproto tcp dport 80-90 sport 1000 table 4242',
    'rule add pref 400 blackhole',
    'rule add pref 500 goto 600',
    'rule add pref 600 nop',
    'rule add pref 700 lookup main suppress_prefixlength 0',
    '-6 rule add pref 800 unreachable',
    'rule add pref 900 realms 3 table 100 protocol 99',
    'rule add pref 1000 fwmark 0x10 table 5',
    'rule del pref 100',
    '-6 rule del pref 100',
  ]],
  ['neighbours: permanent, router stale, extern_learn, proto, incomplete, noarp, delete', [
    'neigh add 10.9.0.9 lladdr 02:00:00:00:00:09 dev b0 nud permanent',
    'neigh add 10.9.0.11 lladdr 02:00:00:00:00:21 dev b0 router nud stale',
    '-6 neigh add 2001:db8::12 lladdr 02:00:00:00:00:22 dev b0 router extern_learn',
    'neigh add 10.9.0.13 lladdr 02:00:00:00:00:23 dev b0 nud reachable protocol 99',
    'neigh add 10.9.0.10 dev b0 nud incomplete',
    'neigh replace 10.9.0.9 lladdr 02:00:00:00:00:19 dev b0 nud noarp',
    'neigh del 10.9.0.9 dev b0',
  ]],
  ['fdb entries: master static, self permanent, vxlan dst/port/vni/via, extern_learn, delete', [
    'bridge fdb add 02:00:00:00:00:11 dev a0 master static',
    'bridge fdb add 02:00:00:00:00:13 dev a0 self permanent',
    'bridge fdb add 00:00:00:00:00:00 dev vx0 dst 10.9.0.77 self permanent',
    'bridge fdb append 00:00:00:00:00:00 dev vx0 dst 10.9.0.78 port 4790 vni 43 self permanent',
    'bridge fdb add 02:00:00:00:00:15 dev a0 master extern_learn',
    'bridge fdb add 02:00:00:00:00:16 dev vx0 dst 10.9.0.79 via b0 self',
    'bridge fdb del 02:00:00:00:00:11 dev a0 master',
  ]],
  ['nexthops: via (IPv4, IPv6, onlink), dev with proto, blackhole (lo up), groups with weights, resilient, fdb, delete (groups shrink)', [
    'link set lo up',
    'nexthop add id 21 via 10.9.0.3 dev b0',
    '-6 nexthop add id 22 via fe80::1 dev b0',
    'nexthop add id 23 via 10.99.0.1 dev b0 onlink',
    'nexthop add id 24 dev b0 protocol static',
    'nexthop add id 25 blackhole',
    'nexthop add id 26 group 21/7',
    'nexthop add id 27 group 21,3/23,2',
    'nexthop add id 28 group 21/23 type resilient buckets 8 idle_timer 60',
    'nexthop add id 29 via 10.9.0.78 fdb',
    'nexthop add id 30 group 29 fdb',
    'nexthop del id 21',
  ]],
  ['netconf: forwarding, rp_filter, proxy_arp/proxy_ndp of a link, all and default, both families', [
    'sysctl net.ipv4.conf.b0.forwarding=1',
    'sysctl net.ipv6.conf.b0.forwarding=1',
    'sysctl net.ipv4.conf.b0.rp_filter=2',
    'sysctl net.ipv4.conf.b0.proxy_arp=1',
    'sysctl net.ipv6.conf.b0.proxy_ndp=1',
    'sysctl net.ipv4.conf.all.forwarding=1',
    'sysctl net.ipv4.conf.default.rp_filter=1',
    'sysctl net.ipv4.conf.b0.forwarding=0',
  ]],
  ['namespace ids and link statistics: nsid of a named namespace, l3_stats on and off', [
    'netns set THIRD 7',
    'stats set dev b0 l3_stats on',
    'stats set dev b0 l3_stats off',
  ]],
  ['tc: htb qdisc (replacing noqueue), htb classes, u32 filters (chain 0 appears), a chain, tbf, clsact, pfifo replace, deletes', [
    'tc qdisc add dev b0 root handle 1: htb default 10',
    'tc class add dev b0 parent 1: classid 1:10 htb rate 1mbit',
    'tc class add dev b0 parent 1:10 classid 1:20 htb rate 500kbit ceil 1mbit burst 15k prio 2',
    'tc filter add dev b0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/24 flowid 1:10',
    'tc filter add dev b0 parent 1: protocol ip prio 2 u32 match ip src 10.1.0.0/16 match ip dport 80 0xffff flowid 1:20',
    'tc chain add dev b0 parent 1: chain 5',
    'tc qdisc add dev a0 root handle 2: tbf rate 1500kbit burst 10000 latency 12.345ms',
    'tc qdisc add dev a0 clsact',
    'tc qdisc replace dev t0 root pfifo limit 50',
    'tc filter del dev b0 parent 1: prio 2',
    'tc chain del dev b0 parent 1: chain 5',
    'tc class del dev b0 classid 1:20',
    'tc qdisc del dev a0 clsact',
  ]],
  ['mdb: IPv4, IPv6 temp, a MAC group, vid, (S,G) with src, host-joined (port is the bridge), delete', [
    'bridge mdb add dev br0 port a0 grp 239.1.1.1 permanent',
    'bridge mdb add dev br0 port a0 grp 239.1.1.2 permanent vid 1',
    'bridge mdb add dev br0 port a0 grp ff0e::1 temp',
    'bridge mdb add dev br0 port a0 grp 01:00:5e:01:01:05 permanent',
    'bridge mdb add dev br0 port a0 grp 239.1.1.3 src 10.0.0.9 permanent',
    'bridge mdb add dev br0 port br0 grp 239.1.1.4 temp',
    'bridge mdb del dev br0 port a0 grp 239.1.1.1',
  ]],
]

/**
 * Tokens `ip` prints that rtnl does not, and why: each entry names the kind,
 * a test on the ip event's tokens, the tokens exempted and the reason, e.g.
 *   { kind: 'ROUTE', when: (toks) => toks.includes('tos'), tokens: ['AF11'], why: '...' }
 * Empty: every token `ip` prints for the rows below is in rtnl's line.
 *
 * Not compared, because `ip` takes them from /etc/iproute2 rather than from
 * the message, and the rows avoid them: names for numbers in rt_dsfield (tos
 * 0x28 prints as AF11 there, 0x28 in rtnl), rt_realms, group, rt_protos.d
 * and custom rt_tables names; rtnl prints the numbers (and the kernel's
 * built-in names: main, local, boot, kernel, ...).
 */
const EXCEPTIONS = []


const ROUTE_TYPES = new Set(['local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve'])

function spawnCollect(t, cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  const state = { out: '', err: '', child }
  child.stdout.on('data', (d) => (state.out += d))
  child.stderr.on('data', (d) => (state.err += d))
  return state
}

async function until(pred, ms, what) {
  const deadline = Date.now() + ms
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const tokens = (text) => text.split(/\s+/).filter(Boolean)
const after = (toks, word) => {
  const i = toks.indexOf(word)
  return i >= 0 ? toks[i + 1] : undefined
}

/** `ip monitor label` output as events: a banner line and its indented continuation lines. */
function ipEvents(out) {
  const events = []
  for (const line of out.split('\n')) {
    const m = /^\[(\w+)\](.*)$/.exec(line)
    if (m) events.push({ kind: m[1], text: m[2] })
    else if (/^\s/.test(line) && events.length) events[events.length - 1].text += ` ${line}`
  }
  return events.map((e) => ({ ...e, toks: tokens(e.text) }))
}

/** rtnl's lines: [KIND] verb rest. The verbs `Deleted` (ip, bridge) and `deleted`, `added`, `replaced` (tc) are the tools' tokens; `new` is rtnl's own. */
function rtnlEvents(out) {
  return out
    .split('\n')
    .map((line) => /^\[(\w+)\] (\S+) (.*)$/.exec(line))
    .filter(Boolean)
    .map(([line, kind, verb, rest]) => ({ kind, line, toks: verb === 'new' ? tokens(rest) : [verb, ...tokens(rest)], fdb: rest.startsWith('fdb ') }))
}

/** `bridge monitor fdb mdb` output: one line an event; mdb entries start with `dev` or `router` (after `Deleted`). */
function bridgeEvents(out) {
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((text) => {
      const toks = tokens(text)
      const first = toks[0] === 'Deleted' ? toks[1] : toks[0]
      return { kind: first === 'dev' || first === 'router' ? 'MDB' : 'FDB', text, toks }
    })
}

const TC_VERBS = new Set(['deleted', 'added', 'replaced'])

/** `tc monitor` output as events: `[verb] qdisc|class|filter|chain ...` and its indented continuation lines (u32 keys). */
function tcEvents(out) {
  const events = []
  for (const line of out.split('\n')) {
    if (!line.trim()) continue
    if (/^\s/.test(line) && events.length) {
      events[events.length - 1].text += ` ${line}`
      continue
    }
    const toks = tokens(line)
    const object = TC_VERBS.has(toks[0]) ? toks[1] : toks[0]
    events.push({ kind: object.toUpperCase(), text: line })
  }
  return events.map((e) => ({ ...e, toks: tokens(e.text) }))
}

/** Which object an event is about, the same for ip's, bridge's, tc's and rtnl's tokens of it. */
function identity(kind, toks) {
  const t = toks[0] === 'Deleted' || TC_VERBS.has(toks[0]) ? toks.slice(1) : toks
  switch (kind) {
    case 'LINK':
      return `LINK ${t[0]}`
    case 'ADDR':
      return `ADDR ${t[0]} ${t[2]} ${t[3]}`
    case 'ROUTE': {
      const dst = ROUTE_TYPES.has(t[0]) ? t[1] : t[0]
      return `ROUTE ${dst} ${after(t, 'table') ?? 'main'}`
    }
    case 'RULE':
      return `RULE ${t.find((x) => /^\d+:$/.test(x))}`
    case 'NEIGH':
    case 'FDB': {
      // ip: [DST] dev D lladdr L; rtnl: the same, or fdb MAC dev D [dst DST]; bridge: MAC dev D [dst DST]
      const fdb = t[0] === 'fdb' ? t.slice(1) : kind === 'FDB' ? t : null
      if (fdb) return `NEIGH ${after(fdb, 'dev')} ${fdb[0]} ${after(fdb, 'dst') ?? ''}`
      return `NEIGH ${after(t, 'dev')} ${after(t, 'lladdr') ?? ''} ${t[0] === 'dev' ? '' : t[0]}`
    }
    case 'NEXTHOP':
      return `NEXTHOP ${after(t, 'id')}`
    case 'NETCONF':
      return `NETCONF ${t[0]} ${t[1]}`
    case 'NSID':
      return `NSID ${after(t, 'nsid')}`
    case 'STATS':
      return `STATS ${t[0]}`
    case 'QDISC':
    case 'CLASS':
      // qdisc KIND HANDLE dev D ... / class KIND CLASSID dev D ...
      return `${kind} ${after(t, 'dev')} ${t[2]}`
    case 'FILTER':
      return `FILTER ${after(t, 'dev')} ${after(t, 'parent') ?? t.find((x) => ['root', 'ingress', 'egress'].includes(x))} ${after(t, 'pref') ?? ''} ${after(t, 'fh') ?? ''}`
    case 'CHAIN':
      return `CHAIN ${after(t, 'dev')} ${after(t, 'parent')} ${t[t.lastIndexOf('chain') + 1]}`
    case 'MDB':
      return `MDB ${after(t, 'dev')} ${after(t, 'port')} ${after(t, 'grp')} ${after(t, 'src') ?? ''} ${after(t, 'vid') ?? ''}`
    default:
      return `${kind} ${t.join(' ')}`
  }
}

/** The events strictly between the one mentioning `from` and the one mentioning `to`. */
function between(events, from, to) {
  const i = events.findIndex((e) => e.toks.includes(from) || e.text?.includes(from) || e.line?.includes(from))
  const j = events.findIndex((e, k) => k > i && (e.toks.includes(to) || e.text?.includes(to) || e.line?.includes(to)))
  if (i < 0 || j < 0) throw new Error(`markers ${from} .. ${to} not found`)
  return events.slice(i + 1, j)
}

/** Tokens of `want` missing from `have`, counted (a token ip prints twice must be there twice). */
function missingTokens(want, have) {
  const count = new Map()
  for (const x of have) count.set(x, (count.get(x) ?? 0) + 1)
  const missing = []
  for (const x of want) {
    const n = count.get(x) ?? 0
    if (n === 0) missing.push(x)
    else count.set(x, n - 1)
  }
  return missing
}

function groupBy(events, kindOf) {
  const groups = new Map()
  for (const e of events) {
    const key = identity(kindOf(e), e.toks)
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(e)
  }
  return groups
}

test('rtnl monitor prints every token ip monitor, tc monitor and bridge monitor print, for every kind of change', async (t) => {
  const ns = makeNetns(t, 'rtnl-par')
  const other = makeNetns(t, 'rtnl-par')
  const third = makeNetns(t, 'rtnl-par')
  const run = (line) => {
    const [tool, ...words] = line.replace('OTHER', other).replace('THIRD', third).split(' ')
    if (tool === 'sysctl') execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', ...words], { stdio: ['ignore', 'ignore', 'pipe'] })
    else if (tool === 'bridge' || tool === 'tc') execFileSync(tool, ['-n', ns, ...words], { stdio: ['ignore', 'ignore', 'pipe'] })
    else execFileSync('ip', ['-n', ns, tool, ...words], { stdio: ['ignore', 'ignore', 'pipe'] })
  }
  // A bridge for the markers, made before the monitors start: fdb entries on it reach ip, bridge and rtnl;
  // chains of an htb qdisc on it reach tc and rtnl.
  run('link add mk0 type bridge')
  run('tc qdisc add dev mk0 root handle ff: htb')
  const ipMon = spawnCollect(t, 'ip', ['-n', ns, 'monitor', 'label', 'link', 'address', 'route', 'rule', 'neigh', 'nexthop', 'netconf', 'nsid', 'stats'])
  const brMon = spawnCollect(t, 'bridge', ['-n', ns, 'monitor', 'fdb', 'mdb'])
  const tcMon = spawnCollect(t, 'tc', ['-n', ns, 'monitor'])
  const objects = ['link', 'addr', 'route', 'rule', 'neigh', 'nexthop', 'netconf', 'nsid', 'stats', 'tc', 'mdb']
  const rtnlMon = spawnCollect(t, process.execPath, [cli, 'monitor', ...objects, '--netns', ns])
  const monitors = [ipMon, brMon, rtnlMon]
  const marker = (a, b) => `02:ff:${a.toString(16).padStart(2, '0')}:00:00:${b.toString(16).padStart(2, '0')}`
  const allSaw = (mac) => monitors.every((m) => m.out.includes(mac))
  // tc markers: chain numbers, as tc prints them (`chain N`)
  const tcMarker = (a, b) => String(a * 1000 + b)
  const tcSaw = (n) => [tcMon, rtnlMon].every((m) => new RegExp(`chain dev mk0 parent ff: chain ${n}\\b`).test(m.out))
  const addTcMarker = (n) => run(`tc chain add dev mk0 parent ff: chain ${n}`)

  // Start: markers until all three monitors show the same one, then tc markers until tc (and rtnl) show one.
  // Any marker all showed will do: under load one may show after the next was added.
  let start
  const tried = []
  for (let i = 1; i < 100 && !start; i++) {
    const mac = marker(0xff, i)
    run(`bridge fdb add ${mac} dev mk0 self permanent`)
    tried.push(mac)
    try {
      await until(() => tried.some(allSaw), 300, mac)
    } catch {}
    start = tried.find(allSaw)
  }
  t.truthy(start, `the monitors never all showed a marker: ${monitors.map((m) => m.err).join(' ')}`)
  let tcStart
  const tcTried = []
  for (let i = 1; i < 100 && !tcStart; i++) {
    const n = tcMarker(900, i)
    addTcMarker(n)
    tcTried.push(n)
    try {
      await until(() => tcTried.some(tcSaw), 300, `chain ${n}`)
    } catch {}
    tcStart = tcTried.find(tcSaw)
  }
  t.truthy(tcStart, `tc monitor never showed a marker: ${tcMon.err}`)

  const rowMarkers = []
  const tcRowMarkers = []
  for (const [i, [, commands]] of ROWS.entries()) {
    for (const c of commands) run(c)
    tcRowMarkers.push(tcMarker(800, i + 1))
    addTcMarker(tcRowMarkers[i])
    rowMarkers.push(marker(0xfe, i + 1))
    run(`bridge fdb add ${rowMarkers[i]} dev mk0 self permanent`)
  }
  // tc's end marker first: rtnl's lines up to the fdb end marker include it
  const tcEnd = tcMarker(700, 1)
  addTcMarker(tcEnd)
  const end = marker(0xfd, 1)
  run(`bridge fdb add ${end} dev mk0 self permanent`)
  await until(() => allSaw(end) && tcSaw(tcEnd), 10000, `the end markers in every monitor; stderr: ${[...monitors, tcMon].map((m) => m.err).join(' ')}`)

  const ipAll = between(ipEvents(ipMon.out), start, end)
  const rtnlAll = between(rtnlEvents(rtnlMon.out), start, end)
  const brAll = between(bridgeEvents(brMon.out), start, end)
  const tcAll = between(tcEvents(tcMon.out), tcStart, tcEnd)

  // Which row made each tool's event: the rows' markers split each stream.
  const rowOf = new Map()
  for (const [stream, markers] of [[ipAll, rowMarkers], [brAll, rowMarkers], [tcAll, tcRowMarkers]]) {
    let row = 0
    for (const e of stream) {
      rowOf.set(e, ROWS[Math.min(row, ROWS.length - 1)][0])
      if (markers.some((m) => e.toks.includes(m))) row++
    }
  }

  const failures = []
  const compared = new Map(ROWS.map(([name]) => [name, 0]))
  let exempted = 0
  const rtnlGroups = groupBy(rtnlAll, (e) => e.kind)
  // ip's events and tc's; bridge's mdb entries: every token in rtnl's line for the same object
  const toolEvents = [...ipAll, ...tcAll, ...brAll.filter((e) => e.kind === 'MDB')]
  for (const [key, group] of groupBy(toolEvents, (e) => e.kind)) {
    const lines = rtnlGroups.get(key) ?? []
    if (lines.length !== group.length) {
      failures.push(`${key}: the tool printed ${group.length} events, rtnl ${lines.length}:\n  tool: ${group.map((e) => e.text).join('\n  tool: ')}\n  rtnl: ${lines.map((e) => e.line).join('\n  rtnl: ')}`)
      continue
    }
    group.forEach((e, n) => {
      const r = lines[n]
      // `ip monitor` prints a bridge fdb entry as a neighbour (`dev a0 lladdr MAC NOARP`); rtnl prints
      // it as `bridge monitor fdb` does, and is held to bridge's tokens below instead.
      if (r.fdb) return
      let missing = missingTokens(e.toks, r.toks)
      for (const x of EXCEPTIONS) {
        if (x.kind === e.kind && x.when(e.toks)) {
          const before = missing.length
          missing = missing.filter((tok) => !x.tokens.includes(tok))
          exempted += before - missing.length
        }
      }
      compared.set(rowOf.get(e), compared.get(rowOf.get(e)) + 1)
      if (missing.length) failures.push(`[${rowOf.get(e)}] ${e.kind} missing ${JSON.stringify(missing)}\n  tool: ${e.text.trim()}\n  rtnl: ${r.line}`)
    })
  }
  // fdb entries: every `bridge monitor fdb` token in rtnl's fdb line for the same entry.
  const fdbLines = groupBy(rtnlAll.filter((e) => e.fdb), () => 'NEIGH')
  for (const [key, brGroup] of groupBy(brAll.filter((e) => e.kind === 'FDB'), () => 'FDB')) {
    const lines = fdbLines.get(key) ?? []
    if (lines.length !== brGroup.length) {
      failures.push(`${key}: bridge printed ${brGroup.length} fdb events, rtnl ${lines.length}:\n  bridge: ${brGroup.map((e) => e.text).join('\n  bridge: ')}\n  rtnl:   ${lines.map((e) => e.line).join('\n  rtnl:   ')}`)
      continue
    }
    brGroup.forEach((e, n) => {
      const missing = missingTokens(e.toks, lines[n].toks.filter((x) => x !== 'fdb'))
      compared.set(rowOf.get(e), compared.get(rowOf.get(e)) + 1)
      if (missing.length) failures.push(`[${rowOf.get(e)}] fdb missing ${JSON.stringify(missing)}\n  bridge: ${e.text}\n  rtnl:   ${lines[n].line}`)
    })
  }

  t.deepEqual(failures, [], failures.join('\n'))
  for (const [name, n] of compared) t.true(n > 0, `row "${name}" made no event that was compared`)
  const counts = (events) => [...events.reduce((m, e) => m.set(e.kind, (m.get(e.kind) ?? 0) + 1), new Map())].map(([k, n]) => `${k} ${n}`).join(', ')
  t.log(`${ipAll.length} ip events (${counts(ipAll)}), ${tcAll.length} tc events (${counts(tcAll)}) and ${brAll.length} bridge events (${counts(brAll)}) compared with ${rtnlAll.length} rtnl lines; ${exempted} tokens exempted`)
})
