// The bounded queue between the reader thread and JS: a consumer that does
// not read during a burst still gets every event with the default maxQueued;
// with a tiny maxQueued it gets resync_needed 'overflow', memory stays flat,
// and the counters add up.
import test from 'ava'
import { subscribe, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp } from './_helpers.mjs'

const burst = (n, from = 0) => {
  const lines = []
  for (let i = from; i < from + n; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  return lines
}

function blockFor(ms) {
  const until = Date.now() + ms
  while (Date.now() < until);
}

test('a consumer that blocks its event loop through a burst still gets every event', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  // The burst runs while this thread is blocked (execFileSync), then it stays blocked for 1 s more.
  ipBatch(ns, burst(30000))
  blockFor(1000)
  const events = collect(monitor)
  ip(ns, 'route', 'add', 'blackhole', '10.250.0.0/16')
  await events.waitFor(isOp('new_route', (r) => r.dst === '10.250.0.0'), 15000, 'the route after the burst')
  t.is(events.seen.filter((m) => m.type === 'resync_needed').length, 0)
  t.is(events.seen.filter(isOp('new_route', (r) => r.dstLen === 32 && r.dst.startsWith('10.0.'))).length, 30000)
  const s = monitor.stats()
  t.is(s.received, s.delivered + s.dropped)
  t.is(s.dropped, 0)
  t.true(s.batches < s.delivered / 10, `${s.batches} batches for ${s.delivered} events: batched, not one call per event`)
})

test('past maxQueued events are dropped, one resync_needed overflow follows, memory stays flat', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE], maxQueued: 100 })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  // A first burst warms Node's own allocations (child I/O, JIT) so that the
  // second one measures only what the monitor holds while JS is blocked.
  ipBatch(ns, burst(50000))
  blockFor(300)
  await events.waitFor((m) => m.type === 'resync_needed', 5000, 'resync_needed')
  const input = burst(50000, 50000)
  globalThis.gc()
  const rss0 = process.memoryUsage().rss
  ipBatch(ns, input)
  blockFor(300)
  globalThis.gc()
  const rss1 = process.memoryUsage().rss
  await events.waitAfter(events.seen.length, (m) => m.type === 'resync_needed', 5000, 'the second resync_needed')
  // A change after the consumer caught up arrives; one made while the queue
  // was still full would itself be dropped and announced by another resync.
  let marker
  for (let i = 0; i < 5 && !marker; i++) {
    const from = events.seen.length
    ip(ns, 'route', 'add', 'blackhole', `10.250.${i}.0/24`)
    marker = await events.waitAfter(from, (m) => m.type === 'resync_needed' || (m.type === 'event' && m.resource.dst === `10.250.${i}.0`), 5000, 'the marker or a resync')
    if (marker.type === 'resync_needed') marker = undefined
  }
  t.truthy(marker, 'a change after the overflow arrives')
  const resyncs = events.seen.filter((m) => m.type === 'resync_needed')
  t.true(resyncs.length >= 1)
  t.true(resyncs.every((m) => m.reason === 'overflow'))
  const s = monitor.stats()
  t.true(s.dropped > 90000, `dropped ${s.dropped}`)
  t.is(s.received, s.delivered + s.dropped)
  t.is(events.seen.filter((m) => m.type === 'event').length, s.delivered)
  t.true(rss1 - rss0 < 20 * 1024 * 1024, `RSS grew ${((rss1 - rss0) / 1048576).toFixed(1)} MiB while 50,000 more events were refused`)
})
