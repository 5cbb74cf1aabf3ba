// Every op of the ten, in a throwaway namespace, each resource checked
// against what was configured with `ip` and what `ip -j` reports.
import test from 'ava'
import { subscribe, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipJson, collect, isOp } from './_helpers.mjs'

async function setup(t) {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns } })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  return { ns, monitor, events }
}

function vethUp(ns) {
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'a0', 'up')
  ip(ns, 'link', 'set', 'b0', 'up')
  return ipJson(ns, 'link', 'show', 'a0')[0]
}

test('new_link and del_link carry the link as ip configured it', async (t) => {
  const { ns, events } = await setup(t)
  ip(ns, 'link', 'add', 'a0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'b0')
  const shown = ipJson(ns, 'link', 'show', 'a0')[0]
  const added = await events.waitFor(isOp('new_link', (l) => l.name === 'a0'), 5000, 'new_link a0')
  const l = added.resource
  t.is(l.index, shown.ifindex)
  t.is(l.mtu, 1400)
  t.is(l.kind, 'veth')
  t.is(l.address, shown.address)
  t.is(l.operstate, shown.operstate)
  t.is(l.family, 0)
  t.is(l.type, 1) // ARPHRD_ETHER
  t.is(l.flags & 1, 0) // not IFF_UP
  t.is(typeof l.link, 'number')
  t.is(l.master, undefined)

  ip(ns, 'link', 'del', 'a0')
  const removed = await events.waitFor(isOp('del_link', (x) => x.name === 'a0'), 5000, 'del_link a0')
  t.is(removed.resource.index, shown.ifindex)
  t.is(removed.resource.kind, 'veth')
})

test('a bridge port reports its master and kind', async (t) => {
  const { ns, events } = await setup(t)
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'a0', 'master', 'br0')
  const br = ipJson(ns, 'link', 'show', 'br0')[0]
  const port = await events.waitFor(isOp('new_link', (l) => l.name === 'a0' && l.master !== undefined), 5000, 'a0 enslaved')
  t.is(port.resource.master, br.ifindex)
  const bridge = await events.waitFor(isOp('new_link', (l) => l.name === 'br0'))
  t.is(bridge.resource.kind, 'bridge')
})

test('new_addr and del_addr for IPv4 carry prefix, local, label and index', async (t) => {
  const { ns, events } = await setup(t)
  const a0 = vethUp(ns)
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'brd', '+', 'dev', 'a0', 'label', 'a0:web')
  const ev = await events.waitFor(isOp('new_addr', (a) => a.local === '10.1.0.1'), 5000, 'new_addr 10.1.0.1')
  const a = ev.resource
  t.is(a.family, 2)
  t.is(a.prefixlen, 24)
  t.is(a.index, a0.ifindex)
  t.is(a.address, '10.1.0.1')
  t.is(a.label, 'a0:web')
  t.is(a.broadcast, '10.1.0.255')
  t.is(a.scope, 0)
  t.true(a.flagNames.includes('permanent'))
  ip(ns, 'addr', 'del', '10.1.0.1/24', 'dev', 'a0')
  const del = await events.waitFor(isOp('del_addr', (x) => x.local === '10.1.0.1'), 5000, 'del_addr')
  t.is(del.resource.prefixlen, 24)
  t.is(del.resource.index, a0.ifindex)
})

test('new_addr and del_addr for IPv6 carry the address in ip form and flags', async (t) => {
  const { ns, events } = await setup(t)
  const a0 = vethUp(ns)
  ip(ns, '-6', 'addr', 'add', 'fd00:0:0:0::1/64', 'dev', 'a0', 'nodad')
  const ev = await events.waitFor(isOp('new_addr', (a) => a.address === 'fd00::1'), 5000, 'new_addr fd00::1')
  t.is(ev.resource.family, 10)
  t.is(ev.resource.prefixlen, 64)
  t.is(ev.resource.index, a0.ifindex)
  t.true(ev.resource.flagNames.includes('nodad'))
  t.deepEqual(ev.resource.cacheinfo.valid, 'forever')
  ip(ns, '-6', 'addr', 'del', 'fd00::1/64', 'dev', 'a0')
  const del = await events.waitFor(isOp('del_addr', (a) => a.address === 'fd00::1'), 5000, 'del_addr fd00::1')
  t.is(del.resource.family, 10)
})

test('new_route and del_route for IPv4 carry dst, gateway, oif, metric and table', async (t) => {
  const { ns, events } = await setup(t)
  const a0 = vethUp(ns)
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'a0')
  ip(ns, 'route', 'add', '10.9.0.0/16', 'via', '10.1.0.2', 'dev', 'a0', 'metric', '50', 'table', '100')
  const ev = await events.waitFor(isOp('new_route', (r) => r.dst === '10.9.0.0'), 5000, 'new_route 10.9.0.0/16')
  const r = ev.resource
  t.is(r.family, 2)
  t.is(r.dstLen, 16)
  t.is(r.gateway, '10.1.0.2')
  t.is(r.oif, a0.ifindex)
  t.is(r.priority, 50)
  t.is(r.table, 100)
  t.is(r.protocol, 3) // RTPROT_BOOT: added by ip
  t.is(r.type, 1) // RTN_UNICAST
  t.is(r.scope, 0)
  ip(ns, 'route', 'del', '10.9.0.0/16', 'table', '100')
  const del = await events.waitFor(isOp('del_route', (x) => x.dst === '10.9.0.0'), 5000, 'del_route')
  t.is(del.resource.table, 100)
})

test('kernel routes carry prefsrc and the main/local tables', async (t) => {
  const { ns, events } = await setup(t)
  vethUp(ns)
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'a0')
  const ev = await events.waitFor(isOp('new_route', (r) => r.dst === '10.1.0.0' && r.dstLen === 24), 5000, 'connected route')
  t.is(ev.resource.prefsrc, '10.1.0.1')
  t.is(ev.resource.table, 254)
  t.is(ev.resource.protocol, 2) // RTPROT_KERNEL
  t.is(ev.resource.scope, 253) // RT_SCOPE_LINK
  const local = await events.waitFor(isOp('new_route', (r) => r.dst === '10.1.0.1' && r.table === 255), 5000, 'local route')
  t.is(local.resource.type, 2) // RTN_LOCAL
})

test('new_route and del_route for IPv6', async (t) => {
  const { ns, events } = await setup(t)
  const a0 = vethUp(ns)
  ip(ns, '-6', 'addr', 'add', 'fd00::1/64', 'dev', 'a0', 'nodad')
  ip(ns, '-6', 'route', 'add', 'fd01::/48', 'via', 'fd00::2', 'dev', 'a0', 'metric', '60')
  const ev = await events.waitFor(isOp('new_route', (r) => r.dst === 'fd01::'), 5000, 'new_route fd01::/48')
  t.is(ev.resource.family, 10)
  t.is(ev.resource.dstLen, 48)
  t.is(ev.resource.gateway, 'fd00::2')
  t.is(ev.resource.oif, a0.ifindex)
  t.is(ev.resource.priority, 60)
  t.is(ev.resource.table, 254)
  ip(ns, '-6', 'route', 'del', 'fd01::/48')
  const del = await events.waitFor(isOp('del_route', (r) => r.dst === 'fd01::'), 5000, 'del_route fd01::/48')
  t.is(del.resource.family, 10)
})

test('new_rule and del_rule for IPv4 carry selector, fwmark, priority and table', async (t) => {
  const { ns, events } = await setup(t)
  ip(ns, 'rule', 'add', 'from', '10.5.0.0/16', 'fwmark', '7', 'table', '100', 'pref', '1000')
  const ev = await events.waitFor(isOp('new_rule', (r) => r.priority === 1000), 5000, 'new_rule pref 1000')
  const r = ev.resource
  t.is(r.family, 2)
  t.is(r.src, '10.5.0.0')
  t.is(r.srcLen, 16)
  t.is(r.fwmark, 7)
  t.is(r.table, 100)
  t.is(r.action, 1) // FR_ACT_TO_TBL
  t.is(r.dst, undefined)
  ip(ns, 'rule', 'del', 'pref', '1000')
  const del = await events.waitFor(isOp('del_rule', (x) => x.priority === 1000), 5000, 'del_rule')
  t.is(del.resource.fwmark, 7)
})

test('new_rule and del_rule for IPv6, with a table above 255', async (t) => {
  const { ns, events } = await setup(t)
  ip(ns, '-6', 'rule', 'add', 'to', 'fd00::/8', 'table', '1000', 'pref', '1001')
  const ev = await events.waitFor(isOp('new_rule', (r) => r.priority === 1001), 5000, 'new_rule pref 1001')
  t.is(ev.resource.family, 10)
  t.is(ev.resource.dst, 'fd00::')
  t.is(ev.resource.dstLen, 8)
  t.is(ev.resource.table, 1000)
  ip(ns, '-6', 'rule', 'del', 'pref', '1001')
  await events.waitFor(isOp('del_rule', (r) => r.priority === 1001 && r.family === 10), 5000, 'del_rule v6')
  t.pass()
})

test('new_neigh and del_neigh carry dst, lladdr, ifindex and state', async (t) => {
  const { ns, events } = await setup(t)
  const a0 = vethUp(ns)
  ip(ns, 'neigh', 'add', '10.1.0.7', 'lladdr', '02:00:00:00:AB:07', 'dev', 'a0', 'nud', 'permanent')
  const ev = await events.waitFor(isOp('new_neigh', (n) => n.dst === '10.1.0.7'), 5000, 'new_neigh')
  const n = ev.resource
  t.is(n.family, 2)
  t.is(n.ifindex, a0.ifindex)
  t.is(n.lladdr, '02:00:00:00:ab:07')
  t.is(n.state, 0x80)
  t.deepEqual(n.stateNames, ['permanent'])
  ip(ns, 'neigh', 'add', 'fd00::7', 'lladdr', '02:00:00:00:00:08', 'dev', 'a0', 'nud', 'stale')
  const v6 = await events.waitFor(isOp('new_neigh', (x) => x.dst === 'fd00::7'), 5000, 'new_neigh v6')
  t.is(v6.resource.family, 10)
  t.deepEqual(v6.resource.stateNames, ['stale'])
  ip(ns, 'neigh', 'del', '10.1.0.7', 'dev', 'a0')
  const del = await events.waitFor(isOp('del_neigh', (x) => x.dst === '10.1.0.7'), 5000, 'del_neigh')
  t.is(del.resource.ifindex, a0.ifindex)
})

test('a monitor on RTNLGRP.LINK only sees no route, address or rule events', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'link', 'set', 'lo', 'up') // link event, plus route and address events on other groups
  ip(ns, 'addr', 'add', '10.3.0.1/24', 'dev', 'lo')
  ip(ns, 'route', 'add', 'blackhole', '10.4.0.0/16')
  ip(ns, 'rule', 'add', 'pref', '500', 'table', '5')
  // Events arrive in order: once this link event is in, anything before it is too.
  ip(ns, 'link', 'add', 'last0', 'type', 'veth', 'peer', 'name', 'last1')
  await events.waitFor(isOp('new_link', (l) => l.name === 'last0'), 5000, 'new_link last0')
  const ops = new Set(events.seen.map((m) => m.op))
  t.true(ops.has('new_link'))
  t.deepEqual([...ops].filter((op) => op !== 'new_link'), [])
})
