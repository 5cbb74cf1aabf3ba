// Streaming dumps (`<kind>.iterate()`) and the netlink header flags events
// carry (NLM_F_REPLACE and friends): groundwork of the full-table work.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { routes, links, subscribe, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp, rtnlThreads } from './_helpers.mjs'

function manyRoutes(ns, n) {
  ip(ns, 'link', 'set', 'lo', 'up')
  const lines = []
  for (let i = 0; i < n; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  ipBatch(ns, lines)
}

test('iterate() yields the same objects as list(), in batches of at most 500', async (t) => {
  const ns = makeNetns(t)
  manyRoutes(ns, 20000)
  const listed = await routes.list({ netns: { name: ns }, table: 254 })
  const streamed = []
  let batches = 0
  for await (const batch of routes.iterate({ netns: { name: ns }, table: 254 })) {
    t.true(batch.length > 0 && batch.length <= 500, `batch of ${batch.length}`)
    batches++
    for (const r of batch) streamed.push(r)
  }
  t.is(streamed.length, 20000)
  t.deepEqual(streamed, listed)
  t.true(batches >= 40)
  const all = []
  for await (const batch of links.iterate({ netns: { name: ns } })) all.push(...batch)
  t.deepEqual(all.map((l) => l.name), ['lo'])
})

test.serial('leaving an iterate() loop early stops the dump: its thread ends, nothing is left running', async (t) => {
  const ns = makeNetns(t)
  manyRoutes(ns, 50000)
  let seen = 0
  for await (const batch of routes.iterate({ netns: { name: ns } })) {
    seen += batch.length
    break
  }
  t.true(seen > 0 && seen <= 500)
  t.deepEqual(rtnlThreads().filter((n) => n !== 'rtnl-reactor'), [], 'the stream thread saw the cancel and exited')
  // A consumer that pauses holds a stream thread, not one of the namespace
  // threads every subscribe and list() needs: those still work meanwhile.
  const it = routes.iterate({ netns: { name: ns } })
  const first = await it.next()
  t.false(first.done)
  const paused = [routes.iterate({ netns: { name: ns } }), routes.iterate({ netns: { name: ns } }), routes.iterate({ netns: { name: ns } }), routes.iterate({ netns: { name: ns } })]
  for (const p of paused) t.false((await p.next()).done)
  t.is((await links.list({ netns: { name: ns } })).length, 1, 'list() runs while five streams wait for their consumers')
  await (await subscribe({ netns: { name: ns } })).stop()
  for (const p of paused) await p.return()
  await it.return()
  t.deepEqual(rtnlThreads().filter((n) => n !== 'rtnl-reactor'), [])
})

test('an aborted signal ends iterate() with the AbortError; bad options are errors before anything starts', async (t) => {
  const ns = makeNetns(t)
  manyRoutes(ns, 5000)
  const ac = new AbortController()
  const err = await t.throwsAsync(async () => {
    for await (const batch of routes.iterate({ netns: { name: ns }, signal: ac.signal })) {
      void batch
      ac.abort()
    }
  })
  t.is(err.name, 'AbortError')
  const bad = await t.throwsAsync(async () => {
    for await (const batch of routes.iterate({ tabel: 5 })) void batch
  })
  t.is(bad.code, 'ERR_INVALID_ARG_VALUE')
  t.is(bad.message, "routes.iterate options: unknown option 'tabel'; expected one of netns, signal, family, table, oif")
})

test('events carry the netlink header flags: a gateway-changing IPv4 replace is one new_route with NLM_F_REPLACE', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'a0', 'up')
  ip(ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'a0')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'route', 'add', '10.50.0.0/16', 'via', '10.9.0.2')
  const added = await events.waitFor(isOp('new_route', (r) => r.dst === '10.50.0.0' && r.gateway === '10.9.0.2'))
  t.is(added.nlmsgFlags & 0x600, 0x600, 'ip route add: NLM_F_CREATE | NLM_F_EXCL')
  ip(ns, 'route', 'replace', '10.50.0.0/16', 'via', '10.9.0.3')
  const replaced = await events.waitFor(isOp('new_route', (r) => r.dst === '10.50.0.0' && r.gateway === '10.9.0.3'))
  t.is(replaced.nlmsgFlags & 0x100, 0x100, 'NLM_F_REPLACE')
  t.false(events.seen.some(isOp('del_route', (r) => r.dst === '10.50.0.0')), 'no del_route for the replaced route')
  // A listed route carries no message flags; the event's resource is the same struct.
  const [listed] = await routes.list({ netns: { name: ns }, table: 254 }).then((rs) => rs.filter((r) => r.dst === '10.50.0.0'))
  t.deepEqual(listed, replaced.resource)
})

test('routes.list({ oif }) keeps the routes with a nexthop through that link, multipath hops included (the kernel filters by every nexthop)', async (t) => {
  const ns = makeNetns(t)
  for (const [a, b, net] of [['a0', 'b0', '10.1.0'], ['a1', 'b1', '10.2.0']]) {
    ip(ns, 'link', 'add', a, 'type', 'veth', 'peer', 'name', b)
    ip(ns, 'link', 'set', a, 'up')
    ip(ns, 'addr', 'add', `${net}.1/24`, 'dev', a)
  }
  ip(ns, 'route', 'add', '10.50.0.0/16', 'via', '10.1.0.2')
  ip(ns, 'route', 'add', '10.51.0.0/16', 'via', '10.2.0.2')
  ip(ns, 'route', 'add', '10.52.0.0/16', 'nexthop', 'via', '10.1.0.2', 'nexthop', 'via', '10.2.0.2')
  ip(ns, 'route', 'add', '10.53.0.0/16', 'via', '10.1.0.2', 'table', '7')
  const a1 = (await links.get({ name: 'a1' }, { netns: { name: ns } })).index
  const mine = await routes.list({ netns: { name: ns }, oif: a1 })
  const dsts = mine.filter((r) => r.family === 2 && r.table !== 255).map((r) => `${r.dst}/${r.dstLen}`).sort()
  t.deepEqual(dsts, ['10.2.0.0/24', '10.51.0.0/16', '10.52.0.0/16'])
  // `ip route show dev a1` filters on RTA_OIF itself and leaves the multipath route out.
  const ipSays = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'dev', 'a1'], { encoding: 'utf8' })).map((r) => r.dst).sort()
  t.deepEqual(ipSays, ['10.2.0.0/24', '10.51.0.0/16'])
  t.true(mine.every((r) => r.oif === a1 || r.multipath?.some((h) => h.oif === a1)))
  const bad = await t.throwsAsync(routes.list({ oif: 0 }))
  t.is(bad.code, 'ERR_OUT_OF_RANGE')
})
