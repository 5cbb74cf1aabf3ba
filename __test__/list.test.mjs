// list() and events decode through the same code: the resource of the last
// NEW event for an object deep-equals its list() entry. The only fields left
// out are those that describe the message rather than the object (see
// MESSAGE_FIELDS), documented in the README.
import test from 'ava'
import { subscribe, links, addresses, routes, rules, neighbours } from 'rtnl'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'

// Link.change: which flags this message changed (0 in dumps).
// Neighbour.cacheinfo: ages as of when the kernel built the message.
const MESSAGE_FIELDS = { links: ['change'], neighbours: ['cacheinfo'] }

function withoutMessageFields(kind, obj) {
  const copy = { ...obj }
  for (const f of MESSAGE_FIELDS[kind] ?? []) delete copy[f]
  return copy
}

/** The last NEW event matching pred, once a later marker event has arrived (events are ordered). */
async function lastEventBefore(events, ns, op, pred) {
  const marker = `mk${Math.floor(Math.random() * 1e6)}`
  ip(ns, 'rule', 'add', 'pref', '31000', 'table', '31000', 'fwmark', String(Date.now() % 100000))
  const m = await events.waitFor(isOp('new_rule', (r) => r.priority === 31000), 5000, `marker ${marker}`)
  ip(ns, 'rule', 'del', 'pref', '31000')
  const before = events.seen.slice(0, events.seen.indexOf(m))
  return before.filter(isOp(op, pred)).at(-1)
}

test('list() entries deep-equal the last event for the same object, for every kind', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const monitor = await subscribe({ netns })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)

  // Links stay down: no IPv6 autoconfiguration or traffic changes them after creation.
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'a0', 'label', 'a0:x')
  ip(ns, '-6', 'addr', 'add', 'fd00::1/64', 'dev', 'a0', 'nodad')
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'route', 'add', 'blackhole', '10.20.0.0/16', 'table', '7', 'metric', '9')
  ip(ns, '-6', 'route', 'add', 'unreachable', 'fd09::/48', 'table', '8')
  ip(ns, 'rule', 'add', 'from', '10.5.0.0/16', 'fwmark', '7', 'table', '100', 'pref', '1000')
  ip(ns, '-6', 'rule', 'add', 'to', 'fd00::/8', 'table', '200', 'pref', '1001')
  ip(ns, 'neigh', 'add', '10.1.0.7', 'lladdr', '02:00:00:00:00:07', 'dev', 'a0', 'nud', 'permanent')

  const cases = [
    ['links', links, 'new_link', (l) => l.name === 'a0'],
    ['links', links, 'new_link', (l) => l.name === 'br0'],
    ['addresses', addresses, 'new_addr', (a) => a.local === '10.1.0.1'],
    ['addresses', addresses, 'new_addr', (a) => a.address === 'fd00::1'],
    ['routes', routes, 'new_route', (r) => r.dst === '10.20.0.0'],
    ['routes', routes, 'new_route', (r) => r.dst === 'fd09::'],
    ['rules', rules, 'new_rule', (r) => r.priority === 1000],
    ['rules', rules, 'new_rule', (r) => r.priority === 1001],
    ['neighbours', neighbours, 'new_neigh', (n) => n.dst === '10.1.0.7'],
  ]
  for (const [kind, api, op, pred] of cases) {
    const ev = await lastEventBefore(events, ns, op, pred)
    t.truthy(ev, `${kind}: an event for the object`)
    const listed = (await api.list({ netns })).filter(pred)
    t.is(listed.length, 1, `${kind}: exactly one list() entry`)
    t.deepEqual(withoutMessageFields(kind, listed[0]), withoutMessageFields(kind, ev.resource), `${kind} ${op}`)
  }
})

test('list() of each kind returns what ip shows', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'a0')
  ip(ns, 'route', 'add', 'prohibit', '10.30.0.0/16')
  const ls = await links.list({ netns })
  t.deepEqual(ls.map((l) => l.name).sort(), ['a0', 'b0', 'lo'])
  const as = await addresses.list({ netns })
  t.true(as.some((a) => a.local === '10.1.0.1' && a.prefixlen === 24))
  t.true(as.some((a) => a.local === '127.0.0.1'))
  const rs = await routes.list({ netns })
  const prohibit = rs.find((r) => r.dst === '10.30.0.0')
  t.is(prohibit.type, 8) // RTN_PROHIBIT
  const rl = await rules.list({ netns })
  // The default rules: 0 local, 32766 main, 32767 default, for v4 and v6 (v6 has no 32767 'default').
  t.deepEqual(rl.filter((r) => r.family === 2).map((r) => [r.priority ?? 0, r.table]), [[0, 255], [32766, 254], [32767, 253]])
  const nb = await neighbours.list({ netns })
  t.true(Array.isArray(nb))
  // A bridge adds fdb entries (family 7, AF_BRIDGE) listed with the neighbours.
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  ip(ns, 'link', 'set', 'b0', 'master', 'br0')
  const fdb = (await neighbours.list({ netns })).filter((n) => n.family === 7)
  t.true(fdb.length > 0)
})

test('list() with no options lists the host namespace', async (t) => {
  const host = await links.list()
  t.true(host.some((l) => l.name === 'lo'))
})

test('a list() longer than one streamed chunk (500 objects) comes back whole and in order', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const lines = []
  for (let i = 0; i < 1700; i++) lines.push(`route add blackhole 10.${(i >> 8) & 255}.${i & 255}.0/24 table 300`)
  const { execFileSync } = await import('node:child_process')
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' })
  const listed = await routes.list({ netns: { name: ns }, table: 300 })
  t.is(listed.length, 1700)
  const ipOrder = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'table', '300'], { encoding: 'utf8' })).map((r) => r.dst)
  t.deepEqual(listed.map((r) => `${r.dst}/${r.dstLen}`), ipOrder)
})
