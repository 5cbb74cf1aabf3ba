// The kinds beyond the first five, against the real kernel: get() of
// nexthops, netconf and link statistics, the events that carry them, what
// a kernel without a feature answers, and the errors of bad arguments.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import rtnl, { nexthops, nexthopBuckets, netconf, linkStats, bridgeVlans, qdiscs, tcFilters, links, subscribe, KIND_GROUPS, KINDS } from 'rtnl'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'

function setUp(t) {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'q0')
  ip(ns, 'link', 'set', 'p0', 'up')
  ip(ns, 'link', 'set', 'q0', 'up')
  ip(ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'p0')
  return ns
}

test('every kind list() names has a list() and KIND_GROUPS entry', (t) => {
  for (const k of KINDS) {
    t.is(typeof rtnl[k].list, 'function', k)
    t.is(typeof rtnl[k].iterate, 'function', k)
    t.true(Array.isArray(KIND_GROUPS[k]) && KIND_GROUPS[k].length > 0, k)
  }
})

test('nexthops.get(id) is the listed nexthop, null for an id with none; a resilient group has buckets', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.70.0.2', 'dev', 'p0')
  ip(ns, 'nexthop', 'add', 'id', '2', 'via', '10.70.0.3', 'dev', 'p0')
  ip(ns, 'nexthop', 'add', 'id', '10', 'group', '1/2', 'type', 'resilient', 'buckets', '8')
  const one = await nexthops.get(1, { netns })
  t.deepEqual(one, (await nexthops.list({ netns })).find((n) => n.id === 1))
  t.is(one.gateway, '10.70.0.2')
  t.is(await nexthops.get(99, { netns }), null)
  const buckets = await nexthopBuckets.list({ netns })
  t.is(buckets.length, 8)
  t.true(buckets.every((b) => b.id === 10 && b.bucket && [1, 2].includes(b.bucket.nhId)))
})

test('netconf.get() of a link, of all and default, per family; null for a link that is not there', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const p0 = (await links.get({ name: 'p0' }, { netns })).index
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.p0.forwarding=1'])
  const four = await netconf.get(p0, { netns })
  t.is(four.family, 2)
  t.is(four.ifindex, p0)
  t.is(four.forwarding, 1)
  const six = await netconf.get(p0, { netns, family: 6 })
  t.is(six.family, 10)
  t.is((await netconf.get('all', { netns })).interface, 'all')
  t.is((await netconf.get('default', { netns, family: 6 })).interface, 'default')
  t.is(await netconf.get(9999, { netns }), null)
})

test('a sysctl change is a new_netconf with only that attribute; the listed object has them all', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const m = await subscribe({ netns, groups: KIND_GROUPS.netconf })
  const events = collect(m)
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.p0.rp_filter=2'])
  const e = await events.waitFor(isOp('new_netconf', (n) => n.rpFilter === 2))
  t.is(e.resource.forwarding, undefined, 'only the changed attribute came')
  const listed = (await netconf.list({ netns })).find((n) => n.family === 2 && n.ifindex === e.resource.ifindex)
  t.is(listed.rpFilter, 2)
  t.is(listed.rpFilterName, 'loose')
  t.is(listed.forwarding, 0)
  await m.stop()
})

test('linkStats.get(ifindex) has the link counters; null for a link that is not there', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const p0 = (await links.get({ name: 'p0' }, { netns })).index
  const s = await linkStats.get(p0, { netns })
  t.is(s.ifindex, p0)
  t.is(typeof s.link64.rxPackets, 'number')
  t.is(await linkStats.get(9999, { netns }), null)
  t.deepEqual((await linkStats.list({ netns, ifindex: p0 })).map((x) => x.ifindex), [p0])
})

test('bridgeVlans.list() on a kernel without bridge VLAN filtering is empty, not an error', async (t) => {
  const ns = setUp(t)
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  let filtering = true
  try {
    ip(ns, 'link', 'set', 'br0', 'type', 'bridge', 'vlan_filtering', '1')
  } catch {
    filtering = false
  }
  const vlans = await bridgeVlans.list({ netns: { name: ns } })
  if (filtering) t.true(vlans.length > 0, 'a filtering bridge has VLAN 1')
  else t.deepEqual(vlans, [])
})

test('qdiscs and filters of one link, and a clsact egress filter under ffff:fff3', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const p0 = (await links.get({ name: 'p0' }, { netns })).index
  execFileSync('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'p0', 'clsact'])
  execFileSync('tc', ['-n', ns, 'filter', 'add', 'dev', 'p0', 'egress', 'protocol', 'ip', 'prio', '3', 'u32', 'match', 'ip', 'dst', '10.1.2.3/32'])
  const mine = await qdiscs.list({ netns, ifindex: p0 })
  t.true(mine.every((q) => q.ifindex === p0))
  t.true(mine.some((q) => q.kind === 'clsact' && q.object === 'qdisc'))
  const filters = await tcFilters.list({ netns, ifindex: p0 })
  t.true(filters.length > 0)
  t.true(filters.every((f) => f.parentName === 'ffff:fff3' && f.prio === 3 && f.protocolName === 'ip' && f.kind === 'u32'))
})

test('bad arguments of the new calls: class, code and message', async (t) => {
  await t.throwsAsync(() => nexthops.get('7'), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_TYPE',
    message: "nexthops.get: id must be a positive integer, got '7'",
  })
  await t.throwsAsync(() => netconf.get('eth0'), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "netconf.get: link must be an ifindex, 'all' or 'default', got 'eth0'",
  })
  await t.throwsAsync(() => qdiscs.list({ family: 4 }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "qdiscs.list options: unknown option 'family'; expected one of netns, signal, ifindex",
  })
  await t.throwsAsync(() => linkStats.get(0), { instanceOf: RangeError, code: 'ERR_OUT_OF_RANGE', message: 'linkStats.get: ifindex must be an integer from 1 to 2147483647, got 0' })
})

test('netconf.list({ ifindex }) keeps that link only, both families', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const p0 = (await links.get({ name: 'p0' }, { netns })).index
  const mine = await netconf.list({ netns, ifindex: p0 })
  t.deepEqual(mine.map((n) => [n.family, n.ifindex]).sort(), [[10, p0], [2, p0]].sort())
})

test('tc get(): a qdisc, a class, a filter and a chain by what identifies them; null when there is none', async (t) => {
  const ns = setUp(t)
  const netns = { name: ns }
  const { tcClasses, tcChains } = await import('rtnl')
  const p0 = (await links.get({ name: 'p0' }, { netns })).index
  for (const line of [
    'qdisc add dev p0 root handle 1: htb default 10',
    'class add dev p0 parent 1: classid 1:10 htb rate 1mbit',
    'filter add dev p0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.2/32 flowid 1:10',
    'chain add dev p0 parent 1: chain 7',
  ]) execFileSync('tc', ['-n', ns, ...line.split(' ')])
  const q = await qdiscs.get({ ifindex: p0, handle: 0x10000 }, { netns })
  t.is(q.kind, 'htb')
  t.deepEqual(q.options, (await qdiscs.list({ netns, ifindex: p0 })).find((x) => x.kind === 'htb').options)
  t.is(await qdiscs.get({ ifindex: p0, handle: 0x20000 }, { netns }), null)
  const c = await tcClasses.get({ ifindex: p0, handle: 0x10010 }, { netns })
  t.is(c.handleName, '1:10')
  t.is(await tcClasses.get({ ifindex: p0, handle: 0x10099 }, { netns }), null)
  const listed = (await tcFilters.list({ netns, ifindex: p0 })).find((f) => f.options?.classid === 0x10010)
  const f = await tcFilters.get({ ifindex: p0, parent: 0x10000, prio: 1, protocol: 0x800, handle: listed.handle, kind: 'u32' }, { netns })
  t.is(f.options.classid, 0x10010)
  const ch = await tcChains.get({ ifindex: p0, parent: 0x10000, chain: 7 }, { netns })
  t.is(ch.chain, 7)
  t.is(await tcChains.get({ ifindex: p0, parent: 0x10000, chain: 8 }, { netns }), null)
  await t.throwsAsync(() => qdiscs.get({ handle: 1 }, { netns }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: 'qdiscs.get: ifindex is required' })
  await t.throwsAsync(() => tcFilters.get({ ifindex: p0, parent: 0x10000, prio: 0, protocol: 0x800, handle: 1, kind: 'u32' }, { netns }), {
    instanceOf: RangeError,
    code: 'ERR_OUT_OF_RANGE',
  })
})
