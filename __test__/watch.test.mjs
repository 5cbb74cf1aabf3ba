// watch(): level-triggered snapshots that stay equal to a fresh list()
// through 10,000 random changes and forced resyncs; diff(); receivedAt;
// every namespace from one socket (allNsid) and namespace ids.
import test from 'ava'
import { spawn } from 'node:child_process'
import { watch, diff, keyOf, subscribe, links, addresses, routes, rules, nsidOf, netnsNameOf, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp } from './_helpers.mjs'

/**
 * ip -force -batch, asynchronously so the watch loop runs meanwhile; -force
 * keeps going past a change the kernel refuses (deleting what is not there).
 */
function ipBatchForce(ns, lines) {
  return new Promise((resolve) => {
    const child = spawn('ip', ['-n', ns, '-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('exit', resolve)
    child.stdin.end(lines.join('\n') + '\n')
  })
}

/** A link with 300 addresses, deleted: 300 RTM_DELADDR from one syscall, which overruns a tiny rcvbuf. */
function flood(round) {
  const lines = [`link add fl${round} type veth peer name fp${round}`]
  for (let i = 0; i < 300; i++) lines.push(`addr add 10.201.${i >> 8}.${i & 255}/32 dev fl${round}`)
  lines.push(`link del fl${round}`)
  return lines
}

const CHANGES = Number(process.env.RTNL_WATCH_CHANGES ?? 10000)

/** A seeded generator (a linear congruential one): the same changes every run. */
function seeded(seed) {
  let x = seed
  return (m) => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m)
}

function randomOps(n, seed) {
  const rnd = seeded(seed)
  const ops = []
  for (let i = 0; i < n; i++) {
    const k = rnd(10)
    const a = rnd(200)
    if (k < 5) ops.push(`route ${rnd(3) ? 'replace' : 'del'} blackhole 10.${100 + (a >> 6)}.${a & 63}.0/24 table ${100 + rnd(3)} metric ${rnd(4)}`)
    else if (k < 8) ops.push(`addr ${rnd(2) ? 'add' : 'del'} 10.200.${a}.1/24 dev ${rnd(2) ? 'a0' : 'b0'}`)
    else ops.push(`rule ${rnd(2) ? 'add' : 'del'} pref ${1000 + rnd(100)} from 10.${a}.0.0/16 table ${100 + rnd(3)}`)
  }
  return ops
}

function apply(state, changes) {
  for (const c of changes) {
    const map = state.get(c.kind)
    if (c.change === 'removed') map.delete(c.key)
    else map.set(c.key, c.after)
  }
}

const asMap = (kind, list) => {
  const m = new Map()
  for (const c of diff(kind, [], list)) m.set(c.key, c.after)
  return m
}

test(`watch() stays equal to list() through ${CHANGES} random changes with forced resyncs`, async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0') // links stay down: nothing moves by itself
  const kinds = ['links', 'addresses', 'routes', 'rules']
  // rcvbuf 1: the kernel's minimum, so the bursts overrun it and force resyncs.
  const it = watch(kinds, { netns, rcvbuf: 1, debounceMs: 5 })
  const first = (await it.next()).value
  const replay = new Map(kinds.map((k) => [k, new Map(first.state[k])]))
  let last = first
  let resyncs = 0
  let yields = 1
  const consumer = (async () => {
    for await (const snap of it) {
      yields++
      if (snap.resync) resyncs++
      apply(replay, snap.changes)
      last = snap
      if ([...snap.state.routes.values()].some((r) => r.dst === '10.250.0.0')) return
    }
  })()
  const ops = randomOps(CHANGES, 42)
  for (let i = 0; i < ops.length; i += 1000) {
    await ipBatchForce(ns, ops.slice(i, i + 1000))
    await ipBatchForce(ns, flood(i / 1000))
  }
  ip(ns, 'route', 'add', 'blackhole', '10.250.0.0/16') // the last change: a marker
  await consumer
  await it.return()
  t.log(`${yields} snapshots, ${resyncs} of them after a resync`)
  t.true(resyncs >= 1, 'the bursts forced at least one resync')
  const fresh = {
    links: await links.list({ netns }),
    addresses: await addresses.list({ netns }),
    routes: await routes.list({ netns }),
    rules: await rules.list({ netns }),
  }
  // Compared without what the kernel moves silently (counters, ages, the
  // IPv6 reachable time it re-randomises every few minutes): a change of
  // those alone is no 'changed', so the replay cannot hold it.
  for (const k of kinds) {
    const sorted = (m) => [...m].map(([key, o]) => [key, settled(k, o)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    t.deepEqual(sorted(last.state[k]), sorted(asMap(k, fresh[k])), `${k}: the last state is a fresh list(), by identity key`)
    t.deepEqual([...replay.get(k).values()].map((o) => keyOf(k, o)).sort(), fresh[k].map((o) => keyOf(k, o)).sort(), `${k}: the changes replayed on the first state give the last`)
    const byKey = asMap(k, fresh[k])
    for (const [key, obj] of replay.get(k)) t.deepEqual(settled(k, obj), settled(k, byKey.get(key)), `${k} ${key}`)
  }
})

test('watch() outlasts dumps that changes interrupt again and again (where list() gives up with EDUMPINTR): the first snapshot comes once they ease, equal to list(); one stopped meanwhile ends without a snapshot', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  // 10,000 addresses: a dump of many datagrams, each a chance for a change to interrupt it.
  const lines = ['link add d0 type veth peer name d1']
  for (let i = 0; i < 10000; i++) lines.push(`addr add 10.${40 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32 dev d0`)
  ipBatch(ns, lines)
  const churn = []
  for (let i = 0; i < 50000; i++) churn.push(`addr ${i & 1 ? 'del' : 'add'} 10.99.${(i >> 9) & 255}.${(i >> 1) & 255}/32 dev d1`)
  const churning = ipBatchForce(ns, churn)
  let churnEnded = false
  churning.then(() => (churnEnded = true))
  // The condition itself: list() meets five interrupted dumps in a row
  // (tried again while the churn lasts: it may find a quiet moment).
  let gaveUp
  while (!gaveUp && !churnEnded) gaveUp = await addresses.list({ netns }).then(() => undefined, (e) => e)
  t.is(gaveUp?.code, 'EDUMPINTR', 'list() gave up while the churn lasted')
  t.false(churnEnded, 'the churn outlasted list()')
  // A watch stopped while it lists again: return() ends it within a pause,
  // and the pending next() is done, with no snapshot of a partial listing.
  const stopped = watch(['addresses'], { netns })
  let settled = false
  const firstOfStopped = stopped.next().finally(() => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.false(settled || churnEnded, 'still listing, in the churn, 100 ms later')
  const asked = Date.now()
  await stopped.return()
  t.true(Date.now() - asked < 3000, `return() took ${Date.now() - asked} ms`)
  t.deepEqual(await firstOfStopped, { done: true, value: undefined })
  const it = watch(['addresses'], { netns })
  t.teardown(() => it.return())
  const first = (await it.next()).value
  t.true(first.state.addresses.size >= 10000, `${first.state.addresses.size} addresses`)
  await churning
  ip(ns, 'addr', 'add', '10.250.0.1/32', 'dev', 'd0') // a marker: the last change
  let last = first
  while (![...last.state.addresses.values()].some((a) => a.local === '10.250.0.1')) last = (await it.next()).value
  const fresh = asMap('addresses', await addresses.list({ netns }))
  t.deepEqual([...last.state.addresses.keys()].sort(), [...fresh.keys()].sort())
})

test('diff() reports added, removed and changed by identity key, ignoring counters and ages', (t) => {
  const r = (dst, extra = {}) => ({ family: 2, table: 254, dst, dstLen: 24, srcLen: 0, tos: 0, type: 1, priority: 10, oif: 2, ...extra })
  const before = [r('10.0.1.0'), r('10.0.2.0', { protocol: 3 }), r('10.0.3.0', { cacheinfo: { expires: 5 } })]
  const after = [r('10.0.2.0', { protocol: 4 }), r('10.0.3.0', { cacheinfo: { expires: 4 } }), r('10.0.4.0')]
  const changes = diff('routes', before, after)
  t.deepEqual(changes.map((c) => [c.change, c.after?.dst ?? c.before.dst]), [['removed', '10.0.1.0'], ['changed', '10.0.2.0'], ['added', '10.0.4.0']])
  t.is(changes[1].before.protocol, 3)
  t.is(changes[1].after.protocol, 4)
  t.throws(() => diff('tables', [], []), { instanceOf: TypeError, message: /unknown kind 'tables'/ })
})

test('watch() rejects bad arguments clearly', async (t) => {
  await t.throwsAsync(watch([]).next(), { instanceOf: TypeError, message: /kinds must be a non-empty array/ })
  await t.throwsAsync(watch(['routes', 'tables']).next(), { instanceOf: TypeError, message: /unknown kind 'tables'/ })
  await t.throwsAsync(watch(['routes'], { debounceMs: -1 }).next(), { instanceOf: RangeError, message: /debounceMs must be a number from 0 to 60000/ })
})

test('watch() of a route table that does not exist yet starts empty and sees it appear; routes.list() of it is empty (the kernel answers ENOENT)', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  t.deepEqual(await routes.list({ netns: { name: ns }, family: 4, table: 321 }), [])
  t.deepEqual(await routes.list({ netns: { name: ns }, family: 6, table: 321 }), [])
  const it = watch(['routes'], { netns: { name: ns }, filters: { routes: { family: 4, table: 321 } } })
  t.teardown(() => it.return())
  const first = (await it.next()).value
  t.is(first.state.routes.size, 0)
  ip(ns, 'route', 'add', 'blackhole', '10.9.9.0/24', 'table', '321')
  const next = (await it.next()).value
  t.deepEqual([...next.state.routes.values()].map((r) => [r.dst, r.table]), [['10.9.9.0', 321]])
})

test('every event carries receivedAt (Date.now() milliseconds) and receivedAtNs (exact nanoseconds), and JSON.stringify works', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  const before = BigInt(Date.now() - 1) * 1000000n
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  const ev = await events.waitFor(isOp('new_link', (l) => l.name === 'k0'), 5000, 'new_link')
  const after = BigInt(Date.now() + 1) * 1000000n
  t.is(typeof ev.receivedAt, 'number')
  t.regex(ev.receivedAtNs, /^\d{19}$/)
  const nanos = BigInt(ev.receivedAtNs)
  t.true(nanos >= before && nanos <= after, `${before} <= ${nanos} <= ${after}`)
  t.true(Math.abs(ev.receivedAt - Number(nanos / 1000n) / 1000) < 0.002, `${ev.receivedAt} is ${nanos} in ms`)
  t.is(new Date(ev.receivedAt).getTime(), Number(nanos / 1000000n))
  const back = JSON.parse(JSON.stringify(ev))
  t.is(back.receivedAtNs, ev.receivedAtNs)
  t.is(back.resource.name, 'k0')
  t.is(ev.nsid, undefined, 'no nsid without allNsid')
})

test('allNsid: one socket receives every namespace that has an id, tagged with it; the own namespace is null', async (t) => {
  const viewer = makeNetns(t, 'rtnl-view')
  const a = makeNetns(t, 'rtnl-a')
  const b = makeNetns(t, 'rtnl-b')
  ip(viewer, 'netns', 'set', a, '5')
  ip(viewer, 'netns', 'set', b, '6')
  ip(viewer, 'netns', 'set', viewer, '7') // the viewer's own id: its events must still read null
  t.is(await nsidOf({ name: a }, { netns: { name: viewer } }), 5)
  t.is(await nsidOf({ name: viewer }, { netns: { name: viewer } }), 7)
  t.is(await nsidOf({ name: b }), null, 'the host namespace gave b no id')
  t.is(await netnsNameOf(6, { netns: { name: viewer } }), b)
  t.is(await netnsNameOf(99, { netns: { name: viewer } }), null)
  const monitor = await subscribe({ netns: { name: viewer }, groups: [RTNLGRP.LINK], allNsid: true })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(a, 'link', 'add', 'in-a', 'type', 'veth', 'peer', 'name', 'pa')
  ip(b, 'link', 'add', 'in-b', 'type', 'veth', 'peer', 'name', 'pb')
  ip(viewer, 'link', 'add', 'in-v', 'type', 'veth', 'peer', 'name', 'pv')
  t.is((await events.waitFor(isOp('new_link', (l) => l.name === 'in-a'), 5000, 'in-a')).nsid, 5)
  t.is((await events.waitFor(isOp('new_link', (l) => l.name === 'in-b'), 5000, 'in-b')).nsid, 6)
  t.is((await events.waitFor(isOp('new_link', (l) => l.name === 'in-v'), 5000, 'in-v')).nsid, null)
  await t.throwsAsync(subscribe({ allNsid: 'yes' }), { instanceOf: TypeError, message: "allNsid must be a boolean, got 'yes'" })
})

const LINK_CHANGES = Number(process.env.RTNL_WATCH_LINK_CHANGES ?? 3000)
const MARKER = '2|254|10.250.0.0/16|/0|0||6||'

/** Random changes that exercise what the kernel does without telling: links going down, up and away with routes, addresses and neighbours on them, IPv6, replaces. */
function linkOps(n, seed) {
  const rnd = seeded(seed)
  const ops = []
  for (let i = 0; i < n; i++) {
    const k = rnd(20)
    const p = `p${rnd(3)}`
    const a = rnd(40)
    if (k < 2) ops.push(`link set ${p} ${rnd(2) ? 'up' : 'down'}`)
    else if (k < 3) ops.push(`link del ${p}`, `link add ${p} type veth peer name q${p.slice(1)}`, `link set ${p} up`)
    else if (k < 6) ops.push(`addr ${rnd(3) ? 'add' : 'del'} 10.7${p.slice(1)}.${a}.1/24 dev ${p}`)
    else if (k < 10) ops.push(`route ${['add', 'del', 'replace'][rnd(3)]} 10.8${rnd(3)}.${a}.0/24 dev ${p} metric ${rnd(3)}${rnd(4) ? '' : ' table 100'}`)
    else if (k < 12) ops.push(`route replace 10.9${rnd(2)}.${a}.0/24 via 10.7${p.slice(1)}.${rnd(40)}.2 dev ${p}`)
    else if (k < 14) ops.push(`route ${rnd(3) ? 'add' : 'del'} 10.95.${a}.0/24 nexthop via 10.70.${rnd(40)}.2 dev p0 nexthop via 10.71.${rnd(40)}.2 dev p1`)
    else if (k < 16) ops.push(`-6 route ${rnd(3) ? 'add' : 'del'} fd0${p.slice(1)}:${a}::/64 dev ${p} metric ${rnd(2)}`)
    else if (k < 17) ops.push(`-6 addr ${rnd(3) ? 'add' : 'del'} fd1${p.slice(1)}::${a + 1}/64 dev ${p} nodad`)
    else if (k < 18) ops.push(`route add 10.86.${a}.0/24 dev ${p} src 10.7${p.slice(1)}.${rnd(40)}.1`) // gone, silently, with its source address
    else ops.push(`neigh ${rnd(3) ? 'replace' : 'del'} 10.7${p.slice(1)}.${a}.9 lladdr 02:00:00:00:${p.slice(1)}0:${(a + 16).toString(16)} dev ${p}`)
  }
  return ops
}

/** An object without what moves by itself (counters, ages, timers): what watch() compares. */
function settled(kind, o) {
  const c = structuredClone(o)
  if (kind === 'links') {
    delete c.stats64
    delete c.change
    delete c.event
    if (c.afSpec?.inet6) delete c.afSpec.inet6.cacheinfo, delete c.afSpec.inet6.flags
    for (const d of [c.linkinfo?.data, c.linkinfo?.slaveData]) for (const key of Object.keys(d ?? {})) if (key.endsWith('Timer')) delete d[key]
  }
  if (kind === 'addresses' || kind === 'neighbours') delete c.cacheinfo
  if (kind === 'neighbours') delete c.probes
  if (kind === 'routes') {
    delete c.cacheinfo
    delete c.expires
  }
  return c
}

test(`watch() applies events incrementally and stays equal to list() through ${LINK_CHANGES} changes of links, addresses, IPv4/IPv6 routes and neighbours, without a resync`, async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  for (const s of ['net.ipv6.conf.default.accept_dad=0', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.addr_gen_mode=1']) {
    ip(ns, 'netns', 'exec', ns, 'sysctl', '-q', '-w', s)
  }
  for (const i of [0, 1, 2]) {
    ip(ns, 'link', 'add', `p${i}`, 'type', 'veth', 'peer', 'name', `q${i}`)
    ip(ns, 'link', 'set', `p${i}`, 'up')
  }
  const kinds = ['links', 'addresses', 'routes', 'neighbours']
  const it = watch(kinds, { netns })
  const first = (await it.next()).value
  const replay = new Map(kinds.map((k) => [k, new Map(first.state[k])]))
  let last = first
  let resyncs = 0
  let yields = 1
  let lastYield = Date.now()
  const consumer = (async () => {
    for await (const snap of it) {
      yields++
      lastYield = Date.now()
      if (snap.resync) resyncs++
      apply(replay, snap.changes)
      last = snap
      // Leaving the loop ends the generator (return() from outside would wait for its next yield).
      if (snap.state.routes.has(MARKER)) return
    }
  })()
  const ops = linkOps(LINK_CHANGES, 7)
  for (let i = 0; i < ops.length; i += 200) await ipBatchForce(ns, ops.slice(i, i + 200))
  // Quiet: no snapshot for a second (the kernel finishes what the last changes started), then a marker.
  while (Date.now() - lastYield < 1000) await new Promise((resolve) => setTimeout(resolve, 100))
  ip(ns, 'route', 'add', 'blackhole', '10.250.0.0/16')
  await consumer
  const fresh = {
    links: await links.list({ netns }),
    addresses: await addresses.list({ netns }),
    routes: await routes.list({ netns }),
    neighbours: await (await import('rtnl')).neighbours.list({ netns }),
  }
  t.log(`${yields} snapshots, ${resyncs} resyncs, ${ops.length} ip commands`)
  t.is(resyncs, 0, 'the incremental path did the work, not a resync')
  const sorted = (k, m) => [...m].map(([key, o]) => [key, settled(k, o)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  for (const k of kinds) {
    t.deepEqual(sorted(k, last.state[k]), sorted(k, asMap(k, fresh[k])), `${k}: the state is a fresh list()`)
    t.deepEqual(sorted(k, replay.get(k)), sorted(k, asMap(k, fresh[k])), `${k}: the changes replayed on the first state give the same`)
  }
})

test('watch() sees what the kernel removes without telling: routes of an IPv4 source address, of a link that goes down, replaced routes, everything on a deleted link', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'q0')
  ip(ns, 'link', 'set', 'p0', 'up')
  ip(ns, 'link', 'set', 'q0', 'up')
  ip(ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'p0')
  ip(ns, 'addr', 'add', '10.70.1.1/24', 'dev', 'p0')
  const it = watch(['routes', 'neighbours', 'addresses'], { netns })
  await it.next()
  const step = async (cmd, pred, what) => {
    ip(ns, ...cmd)
    const deadline = Date.now() + 5000
    for (;;) {
      const next = await Promise.race([it.next(), new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now()), null))])
      if (next === null) throw new Error(`no snapshot showed ${what} within 5 s`)
      const { value } = next
      const hit = value.changes.find(pred)
      if (hit) return hit
      t.log(`(another snapshot while waiting for ${what})`)
    }
  }
  const route = (c, dst, change) => c.kind === 'routes' && c.change === change && (c.before ?? c.after).dst === dst
  ip(ns, 'route', 'add', '10.86.0.0/24', 'dev', 'p0', 'src', '10.70.1.1')
  await step(['route', 'add', '10.87.0.0/24', 'via', '10.70.0.2'], (c) => route(c, '10.87.0.0', 'added'), 'the routes')
  // 1. Deleting 10.70.1.1 takes 10.86.0.0/24 (its preferred source) with it: no del_route is sent.
  await step(['addr', 'del', '10.70.1.1/24', 'dev', 'p0'], (c) => route(c, '10.86.0.0', 'removed'), 'the source route to go')
  // 2. A replace that changes the gateway: one new_route (NLM_F_REPLACE), the old route gone.
  const replaced = await step(['route', 'replace', '10.87.0.0/24', 'via', '10.70.0.3'], (c) => route(c, '10.87.0.0', 'removed'), 'the replaced route to go')
  t.is(replaced.before.gateway, '10.70.0.2')
  ip(ns, 'neigh', 'add', '10.70.0.9', 'lladdr', '02:00:00:00:00:09', 'dev', 'p0')
  // 3. Link down: IPv4 routes through it vanish silently.
  const down = await step(['link', 'set', 'p0', 'down'], (c) => route(c, '10.87.0.0', 'removed'), 'the routes of the downed link')
  t.is(down.before.gateway, '10.70.0.3')
  // 4. The link's last IPv4 address deleted: every IPv4 route through it goes, silently.
  ip(ns, 'link', 'set', 'p0', 'up')
  await step(['route', 'add', '10.88.0.0/24', 'via', '10.70.0.2', 'table', '100'], (c) => route(c, '10.88.0.0', 'added'), 'a route via the last address')
  const last = await step(['addr', 'flush', 'dev', 'p0'], (c) => route(c, '10.88.0.0', 'removed'), 'the routes of the last address')
  t.is(last.before.gateway, '10.70.0.2')
  ip(ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'p0')
  // 5. Link deleted: its addresses and neighbours go too.
  const gone = await step(['link', 'del', 'p0'], (c) => c.kind === 'addresses' && c.change === 'removed' && c.before.local === '10.70.0.1', 'the addresses of the deleted link')
  t.truthy(gone)
  await it.return()
  const left = await routes.list({ netns })
  t.false(left.some((r) => ['10.86.0.0', '10.87.0.0'].includes(r.dst)))
})

test("watch() of one route table sees its routes go with their link's last IPv4 address (the kernel flushes them without a del_route)", async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'gw1')
  ip(ns, 'link', 'set', 'gw0', 'up')
  ip(ns, 'link', 'set', 'gw1', 'up')
  ip(ns, 'addr', 'add', '10.99.0.2/24', 'dev', 'gw0')
  ip(ns, 'route', 'add', '10.5.0.0/16', 'via', '10.99.0.1', 'table', '100')
  const it = watch(['routes'], { netns, filters: { routes: { table: 100 } } })
  t.is((await it.next()).value.state.routes.size, 1)
  ip(ns, 'addr', 'flush', 'dev', 'gw0')
  const next = await Promise.race([it.next(), new Promise((resolve) => setTimeout(resolve, 5000, null))])
  t.not(next, null, 'a snapshot came')
  t.deepEqual(next.value.changes.map((c) => [c.change, c.before?.dst]), [['removed', '10.5.0.0']])
  t.is(next.value.state.routes.size, 0)
  t.deepEqual(await routes.list({ netns, table: 100 }), [])
  await it.return()
})
