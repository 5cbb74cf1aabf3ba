// watch(): level-triggered snapshots that stay equal to a fresh list()
// through 10,000 random changes and forced resyncs; diff(); receivedAt;
// every namespace from one socket (allNsid) and namespace ids.
import test from 'ava'
import { spawn } from 'node:child_process'
import { watch, diff, keyOf, subscribe, links, addresses, routes, rules, nsidOf, netnsNameOf, RTNLGRP } from 'rtnl'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'

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

function randomOps(n, seed) {
  let x = seed
  const rnd = (m) => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x % m)
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
  const replay = new Map(kinds.map((k) => [k, asMap(k, first.state[k])]))
  let last = first
  let resyncs = 0
  let yields = 1
  const consumer = (async () => {
    for await (const snap of it) {
      yields++
      if (snap.resync) resyncs++
      apply(replay, snap.changes)
      last = snap
      if (snap.state.routes.some((r) => r.dst === '10.250.0.0')) return
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
  for (const k of kinds) {
    t.deepEqual(last.state[k], fresh[k], `${k}: the last state is a fresh list()`)
    t.deepEqual([...replay.get(k).values()].map((o) => keyOf(k, o)).sort(), fresh[k].map((o) => keyOf(k, o)).sort(), `${k}: the changes replayed on the first state give the last`)
    const byKey = asMap(k, fresh[k])
    for (const [key, obj] of replay.get(k)) t.deepEqual(obj, byKey.get(key), `${k} ${key}`)
  }
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
