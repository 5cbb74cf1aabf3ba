// Kernel-side filtering: a BPF program on the monitor's socket. What it
// rejects is never received (stats prove it), what it keeps arrives as usual.
import test from 'ava'
import { subscribe, links, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp } from './_helpers.mjs'

const GROUPS = [RTNLGRP.LINK, RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR]

async function setup(t, filter) {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  const a0 = (await links.get({ name: 'a0' }, { netns: { name: ns } })).index
  const monitor = await subscribe({ netns: { name: ns }, groups: GROUPS, filter: typeof filter === 'function' ? filter(a0) : filter })
  t.teardown(() => monitor.stop())
  return { ns, a0, monitor, events: collect(monitor) }
}

test('a table filter: routes of other tables are never received', async (t) => {
  const { ns, monitor, events } = await setup(t, { table: [100, 1000] })
  const lines = []
  for (let i = 0; i < 2000; i++) lines.push(`route add blackhole 10.1.${i >> 8}.${i & 255}/32 table 200`)
  lines.push('route add blackhole 10.2.0.0/16 table 100', 'route add blackhole 10.3.0.0/16 table 1000', 'route add blackhole 10.4.0.0/16')
  ipBatch(ns, lines)
  ip(ns, 'link', 'set', 'a0', 'mtu', '1400') // links have no table: they pass
  await events.waitFor(isOp('new_link', (l) => l.name === 'a0' && l.mtu === 1400), 5000, 'the link event after the routes')
  const routes = events.seen.filter((m) => m.op === 'new_route').map((m) => [m.resource.dst, m.resource.table])
  t.deepEqual(routes, [['10.2.0.0', 100], ['10.3.0.0', 1000]])
  const s = monitor.stats()
  t.is(s.received, events.seen.length, 'received counts only what passed the filter')
  t.true(s.received < 20, `${s.received} messages received for 2,003 route changes`)
})

test('an ifindex filter keeps one link and what is on it; a family filter keeps one family', async (t) => {
  const { ns, a0, events } = await setup(t, (a0) => ({ ifindex: [a0], family: 6 }))
  ip(ns, 'link', 'set', 'b0', 'mtu', '1300')
  ip(ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'a0') // IPv4: dropped by the family filter
  ip(ns, '-6', 'addr', 'add', 'fd00::1/64', 'dev', 'b0', 'nodad') // b0: dropped by the ifindex filter
  ip(ns, '-6', 'addr', 'add', 'fd00::2/64', 'dev', 'a0', 'nodad')
  ip(ns, 'link', 'set', 'a0', 'mtu', '1280')
  await events.waitFor(isOp('new_link', (l) => l.index === a0 && l.mtu === 1280), 5000, 'a0 mtu 1280')
  t.is(events.seen.filter(isOp('new_link', (l) => l.name === 'b0')).length, 0)
  const addrs = events.seen.filter((m) => m.op === 'new_addr').map((m) => m.resource.address)
  t.deepEqual(addrs, ['fd00::2'])
  t.true(events.seen.every((m) => m.type !== 'event' || m.resource.family === 0 || m.resource.family === 10))
})

test('the longest filter accepted (100 ifindexes, 100 tables) compiles and runs', async (t) => {
  const ns = makeNetns(t)
  const ifindex = Array.from({ length: 100 }, (_, i) => i + 1)
  const table = Array.from({ length: 100 }, (_, i) => i + 200)
  const monitor = await subscribe({ netns: { name: ns }, groups: GROUPS, filter: { ifindex, table, family: 4 } })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  await events.waitFor(isOp('new_link', (l) => l.name === 'k0'), 5000, 'new_link k0 (ifindex within 1..100)')
  t.pass()
})

test('filter options are validated', async (t) => {
  const cases = [
    [{ table: [] }, RangeError, 'filter.table must list 1 to 100 numbers, got 0'],
    [{ table: Array.from({ length: 101 }, (_, i) => i + 1) }, RangeError, 'filter.table must list 1 to 100 numbers, got 101'],
    [{ ifindex: 3 }, TypeError, 'filter.ifindex must be an array of numbers, got number 3'],
    [{ ifindex: [0] }, RangeError, 'filter.ifindex[0] must be an integer from 1 to 4294967295, got 0'],
    [{ family: 5 }, TypeError, "filter.family must be 4 or 6 (IP versions), 2, 10 or 28 (AF_INET, AF_INET6, AF_MPLS), or 'inet', 'inet6', 'mpls', got number 5"],
    [{ oif: [1] }, TypeError, "filter: unknown option 'oif'"],
    ['x', TypeError, "filter must be an object, got 'x'"],
  ]
  for (const [filter, cls, message] of cases) {
    const err = await t.throwsAsync(subscribe({ filter }), { instanceOf: cls })
    t.true(err.message.includes(message), err.message)
  }
})
