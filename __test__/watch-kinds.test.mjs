// watch() of the kinds beyond links, addresses, routes, rules and
// neighbours: nexthops, netconf, qdiscs, tc classes, filters and chains, MDB
// and namespace ids stay equal to a fresh list() through random changes,
// including what the kernel changes without an event (nexthops and qdiscs
// of a link that goes down or away, routes through a deleted nexthop).
import test from 'ava'
import { spawn, execFileSync } from 'node:child_process'
import { watch, diff, keyOf, nexthops, netconf, qdiscs, tcClasses, tcFilters, tcChains, mdb, routes, nsids } from 'rtnl'
import { makeNetns, ip } from './_helpers.mjs'
import { addNetns, delNetns } from '../scripts/netns.mjs'

const CHANGES = Number(process.env.RTNL_WATCH_KIND_CHANGES ?? 1500)

/** `TOOL -n NS -force -batch -` (ip, tc or bridge), asynchronously so the watch loop runs meanwhile. */
function batch(tool, ns, lines) {
  return new Promise((resolve) => {
    const child = spawn(tool, ['-n', ns, '-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('exit', resolve)
    child.stdin.end(lines.join('\n') + '\n')
  })
}

/** A seeded xorshift32 generator: the same changes every run, every residue reachable. */
function seeded(seed) {
  let x = seed >>> 0 || 1
  return (m) => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x % m
  }
}

/** [tool, line] pairs: nexthops and groups, routes on them, qdiscs, classes, u32 filters, chains, MDB entries, links going down, up and away. */
function kindOps(n, seed) {
  const rnd = seeded(seed)
  const ops = []
  for (let i = 0; i < n; i++) {
    const k = rnd(24)
    const p = rnd(3)
    const id = 1 + rnd(30)
    if (k < 4) ops.push(['ip', `nexthop ${rnd(3) ? 'replace' : 'del'} id ${id} via 10.7${p}.0.${2 + rnd(5)} dev p${p}`])
    else if (k < 5) ops.push(['ip', `nexthop replace id ${100 + rnd(5)} group ${id}/${1 + rnd(30)}`])
    else if (k < 6) ops.push(['ip', `nexthop replace id ${110 + rnd(3)} blackhole`])
    else if (k < 8) ops.push(['ip', `route ${rnd(3) ? 'replace' : 'del'} 10.9${rnd(3)}.${rnd(50)}.0/24 nhid ${rnd(4) ? id : 100 + rnd(5)}`])
    else if (k < 10) ops.push(['tc', `qdisc ${rnd(3) ? 'replace' : 'del'} dev p${p} root handle ${1 + rnd(2)}: htb default ${10 + rnd(3)}`])
    else if (k < 11) ops.push(['tc', `qdisc ${rnd(2) ? 'replace' : 'del'} dev q${p} root pfifo limit ${10 + rnd(90)}`])
    else if (k < 14) ops.push(['tc', `class ${rnd(3) ? 'replace' : 'del'} dev p${p} parent 1: classid 1:${10 + rnd(5)} htb rate ${1 + rnd(9)}mbit`])
    else if (k < 17) {
      const prio = 1 + rnd(4)
      if (rnd(3)) ops.push(['tc', `filter add dev p${p} parent 1: protocol ip prio ${prio} u32 match ip dst 10.${rnd(9)}.0.${rnd(9)}/32 flowid 1:${10 + rnd(5)}`])
      else ops.push(['tc', `filter del dev p${p} parent 1: prio ${prio}`])
    } else if (k < 18) ops.push(['tc', `chain ${rnd(2) ? 'add' : 'del'} dev p${p} parent 1: chain ${1 + rnd(3)}`])
    else if (k < 20) ops.push(['bridge', `mdb ${rnd(3) ? 'add' : 'del'} dev br0 port b${rnd(2)} grp 239.1.${rnd(3)}.${1 + rnd(20)} ${rnd(2) ? 'permanent' : 'temp'}`])
    else if (k < 22) ops.push(['ip', `link set p${p} ${rnd(2) ? 'up' : 'down'}`])
    else if (k < 23) ops.push(['ip', `link del p${p}`], ['ip', `link add p${p} type veth peer name q${p}`], ['ip', `link set p${p} up`], ['ip', `link set q${p} up`], ['ip', `addr add 10.7${p}.0.1/16 dev p${p}`])
    else ops.push(['ip', `link set b${rnd(2)} ${rnd(2) ? 'up' : 'down'}`])
  }
  return ops
}

/** An object without what moves by itself: what watch() leaves out when it compares. */
function settled(kind, o) {
  const c = structuredClone(o)
  for (const f of ['stats', 'stats2', 'xstats', 'rate', 'refcnt', 'info', 'groupStats', 'hwStatsUsed', 'timer', 'srcList', 'cacheinfo', 'expires']) delete c[f]
  return c
}

const asMap = (kind, list) => {
  const m = new Map()
  for (const c of diff(kind, [], list)) m.set(c.key, c.after)
  return m
}

const LIST = { nexthops, netconf, qdiscs, tcClasses, tcFilters, tcChains, mdb, routes, nsids }

test(`watch() of nexthops, netconf, qdiscs, tc classes, filters and chains, MDB and routes stays equal to list() through ${CHANGES} changes`, async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])
  ip(ns, 'link', 'set', 'lo', 'up')
  for (const p of [0, 1, 2]) {
    ip(ns, 'link', 'add', `p${p}`, 'type', 'veth', 'peer', 'name', `q${p}`)
    ip(ns, 'link', 'set', `p${p}`, 'up')
    ip(ns, 'link', 'set', `q${p}`, 'up')
    ip(ns, 'addr', 'add', `10.7${p}.0.1/16`, 'dev', `p${p}`)
  }
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  for (const b of [0, 1]) {
    ip(ns, 'link', 'add', `b${b}`, 'type', 'veth', 'peer', 'name', `c${b}`)
    ip(ns, 'link', 'set', `b${b}`, 'master', 'br0')
    ip(ns, 'link', 'set', `b${b}`, 'up')
    ip(ns, 'link', 'set', `c${b}`, 'up')
  }
  ip(ns, 'link', 'set', 'br0', 'up')
  const kinds = ['nexthops', 'netconf', 'qdiscs', 'tcClasses', 'tcFilters', 'tcChains', 'mdb', 'routes']
  const it = watch(kinds, { netns })
  const first = (await it.next()).value
  let last = first
  let resyncs = 0
  let yields = 1
  let lastYield = Date.now()
  const marker = '2|254|10.250.0.0/16|/0|0||6||'
  const seen = Object.fromEntries(kinds.map((k) => [k, 0]))
  const consumer = (async () => {
    for await (const snap of it) {
      for (const c of snap.changes) seen[c.kind]++
      yields++
      lastYield = Date.now()
      if (snap.resync) resyncs++
      last = snap
      if (snap.state.routes.has(marker)) return
    }
  })()
  const ops = kindOps(CHANGES, 11)
  // Consecutive commands of one tool go in one batch.
  for (let i = 0; i < ops.length; ) {
    const tool = ops[i][0]
    const lines = []
    while (i < ops.length && ops[i][0] === tool && lines.length < 100) lines.push(ops[i++][1])
    await batch(tool, ns, lines)
  }
  // A forwarding flip and an rp_filter change: new_netconf events with the changed attribute only.
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.p0.forwarding=1', 'net.ipv4.conf.p1.rp_filter=2'])
  // One of each tc object at the end, so the final comparison holds some.
  await batch('ip', ns, ['link set p0 up'])
  await batch('tc', ns, [
    'qdisc replace dev p0 root handle 1: htb default 10',
    'class replace dev p0 parent 1: classid 1:10 htb rate 1mbit',
    'filter add dev p0 parent 1: protocol ip prio 9 u32 match ip dst 10.9.9.9/32 flowid 1:10',
    'chain add dev p0 parent 1: chain 7',
  ])
  while (Date.now() - lastYield < 1000) await new Promise((resolve) => setTimeout(resolve, 100))
  ip(ns, 'route', 'add', 'blackhole', '10.250.0.0/16')
  await consumer
  t.log(`${yields} snapshots, ${resyncs} resyncs, ${ops.length} commands`)
  t.is(resyncs, 0, 'the incremental path did the work, not a resync')
  const sorted = (k, m) => [...m].map(([key, o]) => [key, settled(k, o)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const counts = []
  for (const k of kinds) {
    const fresh = await LIST[k].list({ netns })
    counts.push(`${k} ${fresh.length}`)
    t.deepEqual(sorted(k, last.state[k]), sorted(k, asMap(k, fresh)), `${k}: the state is a fresh list()`)
  }
  t.log(`at the end: ${counts.join(', ')}`)
  // The run exercised every kind: each changed along the way and ended with objects in it.
  t.log(`changes seen: ${Object.entries(seen).map(([k, n]) => `${k} ${n}`).join(', ')}`)
  // (At least 5 per kind in 1,500 changes; proportionally fewer in the
  // kernel matrix's shorter run.)
  const least = Math.max(1, Math.floor((5 * CHANGES) / 1500))
  for (const k of kinds) {
    t.true(seen[k] >= least, `${k} changed along the way (${seen[k]} times; at least ${least} expected)`)
    t.true(last.state[k].size > 0, `${k} had objects at the end`)
  }
})

test('watch() of nsids sees an id assigned and the namespace going away', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const peer = addNetns(`rtnl-${process.pid}-peer-${Date.now() % 100000}`)
  t.teardown(() => delNetns(peer))
  const it = watch(['nsids'], { netns })
  const first = (await it.next()).value
  t.is(first.state.nsids.size, 0)
  execFileSync('ip', ['-n', ns, 'netns', 'set', peer, '42'])
  const added = (await it.next()).value
  const c = added.changes.find((x) => x.kind === 'nsids')
  t.is(c.change, 'added')
  t.is(c.after.nsid, 42)
  t.is(keyOf('nsids', c.after), '42')
  t.deepEqual([...added.state.nsids.values()].map((n) => n.nsid), (await nsids.list({ netns })).map((n) => n.nsid))
  delNetns(peer)
  const removed = (await it.next()).value
  t.true(removed.changes.some((x) => x.kind === 'nsids' && x.change === 'removed' && x.before.nsid === 42))
  await it.return()
})

test('keyOf() of the new kinds: the identity the kernel keys them by', (t) => {
  t.is(keyOf('nexthops', { id: 7 }), '7')
  t.is(keyOf('netconf', { family: 2, ifindex: -1 }), '2|-1')
  t.is(keyOf('qdiscs', { ifindex: 3, parent: 0xffffffff, handle: 0x10000 }), '3|4294967295|65536')
  t.is(keyOf('tcClasses', { ifindex: 3, handle: 0x10010 }), '3|65552')
  t.is(keyOf('tcFilters', { ifindex: 3, parent: 0x10000, chain: 0, prio: 1, protocol: 0x800, kind: 'u32', handle: 0x80000800 }), '3|65536|0|1|2048|u32|2147485696')
  t.is(keyOf('mdb', { entryType: 'group', ifindex: 4, port: 5, grp: '239.1.1.1' }), 'group|4|5|239.1.1.1||')
})

test('return() of an idle watch() ends it at once (it does not wait for the next change)', async (t) => {
  const ns = makeNetns(t)
  const it = watch(['routes'], { netns: { name: ns } })
  await it.next()
  const pending = it.next() // waits for a change that will not come
  const t0 = Date.now()
  t.deepEqual(await it.return(), { value: undefined, done: true })
  t.true(Date.now() - t0 < 1000, `return() took ${Date.now() - t0} ms`)
  t.deepEqual(await pending, { value: undefined, done: true })
})
