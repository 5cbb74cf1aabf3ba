// A burst into a deliberately tiny receive buffer makes the kernel drop
// (ENOBUFS): the monitor says resync_needed and keeps delivering.
import test from 'ava'
import { subscribe, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp } from './_helpers.mjs'

test('ENOBUFS yields resync_needed (reason enobufs) and later events still arrive', async (t) => {
  const ns = makeNetns(t)
  // rcvbuf 1 gets the kernel's minimum, room for a couple of messages. Deleting
  // a link with 2,000 addresses makes the kernel send 2,000 RTM_DELADDR from
  // one syscall, faster than any reader drains that; a round where the reader
  // kept up anyway is repeated, up to 20 times.
  const monitor = await subscribe({ netns: { name: ns }, rcvbuf: 1, groups: [RTNLGRP.IPV4_IFADDR] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  let resync
  for (let round = 0; round < 20 && !resync; round++) {
    const lines = [`link add r${round} type veth peer name p${round}`]
    for (let i = 0; i < 2000; i++) lines.push(`addr add 10.${i >> 8}.${i & 255}.1/24 dev r${round}`)
    ipBatch(ns, lines)
    const from = events.seen.length
    ip(ns, 'link', 'del', `r${round}`)
    ip(ns, 'addr', 'add', `10.250.${round}.1/24`, 'dev', 'lo') // a marker after the burst
    await events.waitAfter(from, isOp('new_addr', (a) => a.local === `10.250.${round}.1`), 10000, 'the marker address')
    resync = events.seen.slice(from).find((m) => m.type === 'resync_needed')
  }
  t.truthy(resync, 'a resync_needed within 20 bursts')
  t.is(resync.reason, 'enobufs')
  const from = events.seen.length
  ip(ns, 'addr', 'add', '10.251.0.1/24', 'dev', 'lo')
  await events.waitAfter(from, isOp('new_addr', (a) => a.local === '10.251.0.1'), 10000, 'an address added after the burst')
  const stats = monitor.stats()
  t.true(stats.enobufs >= 1)
  t.true(stats.rcvbuf < 65536, `rcvbuf ${stats.rcvbuf}`)
  t.false(monitor.stopped)
})

test('with the default rcvbuf the same burst arrives whole, without resync', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  const lines = []
  for (let i = 0; i < 5000; i++) lines.push(`route add blackhole 10.${i >> 8}.${i & 255}.0/24`)
  ipBatch(ns, lines)
  ip(ns, 'route', 'add', 'blackhole', '10.200.0.0/16')
  await events.waitFor(isOp('new_route', (r) => r.dst === '10.200.0.0'), 10000, 'the last route')
  t.is(events.seen.filter((m) => m.type === 'resync_needed').length, 0)
  t.is(events.seen.filter(isOp('new_route', (r) => r.dstLen === 24)).length, 5000)
  t.is(monitor.stats().rcvbuf, 8388608) // 4 MiB requested; the kernel doubles it
})
