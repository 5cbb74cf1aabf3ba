// Names where `ip` takes names: tables, protocols, types, scopes and rule
// actions by name in their number fields, links by name in every link field
// (looked up in the namespace when the change is made, a link made earlier
// in the same batch included), a name and a number that disagree refused,
// and the constants exported with the numbers list() reports.
import test from 'ava'
import { routes, rules, addresses, batch, reconcile, links, ROUTE_TYPES, ROUTE_TABLES, ROUTE_PROTOCOLS, ROUTE_SCOPES, RULE_ACTIONS, FAMILIES } from 'rtnl'
import { execFileSync } from 'node:child_process'
import { makeNetns, ip, ipJson } from './_helpers.mjs'

function host(t) {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  ip(ns, 'link', 'set', 'v0', 'up')
  ip(ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'v0')
  return { ns, netns: { name: ns } }
}

test('changes take tables, protocols, types, scopes and rule actions by the names ip takes', async (t) => {
  const { ns, netns } = host(t)
  await routes.add({ dst: '10.1.0.0', dstLen: 16, table: 'main', protocol: 'static', gateway: '10.9.0.2' }, { netns })
  await routes.add({ dst: '10.2.0.0', dstLen: 16, type: 'blackhole', table: 'local' }, { netns })
  await routes.add({ dst: '10.3.0.0', dstLen: 16, oif: 'v0', scope: 'link', protocol: 'boot' }, { netns })
  await addresses.add({ index: 'v0', local: '10.9.5.1', prefixlen: 24, scope: 'host' }, { netns })
  await rules.add({ priority: 100, src: '10.9.0.0', srcLen: 24, table: 'main', action: 'lookup' }, { netns })
  await rules.add({ priority: 101, src: '10.8.0.0', srcLen: 24, action: 'prohibit' }, { netns })
  const main = ipJson(ns, '-d', 'route', 'show', 'table', 'main')
  t.like(main.find((r) => r.dst === '10.1.0.0/16'), { gateway: '10.9.0.2', protocol: 'static' })
  t.like(main.find((r) => r.dst === '10.3.0.0/16'), { dev: 'v0', scope: 'link', protocol: 'boot' })
  t.like(ipJson(ns, '-d', 'route', 'show', 'table', 'local').find((r) => r.dst === '10.2.0.0/16'), { type: 'blackhole' })
  t.like(ipJson(ns, 'addr', 'show', 'dev', 'v0')[0].addr_info.find((a) => a.local === '10.9.5.1'), { scope: 'host' })
  const ruleList = ipJson(ns, 'rule', 'show')
  t.like(ruleList.find((r) => r.priority === 100), { table: 'main', src: '10.9.0.0' })
  t.like(ruleList.find((r) => r.priority === 101), { action: 'prohibit' })
})

test('a name and a number that disagree are refused, naming both; a listed object fed back (number and name alike) is taken', async (t) => {
  const { ns, netns } = host(t)
  await t.throwsAsync(routes.add({ dst: '10.7.0.0', dstLen: 16, table: 254, tableName: 'local', gateway: '10.9.0.2' }, { netns }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "routes.add: table 254 and tableName 'local' disagree ('local' is 255); give one, or both alike",
  })
  await t.throwsAsync(routes.add({ dst: '10.7.0.0', dstLen: 16, type: 'unreachable', typeName: 'blackhole' }, { netns }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "routes.add: type 'unreachable' (7) and typeName 'blackhole' disagree ('blackhole' is 6); give one, or both alike",
  })
  await t.throwsAsync(routes.add({ dst: '10.7.0.0', dstLen: 16, table: 'nosuch' }, { netns }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: /^routes\.add: table must be one of .*main.* or a number from 0 to 4294967295, got 'nosuch'$/,
  })
  t.is(ipJson(ns, 'route', 'show', '10.7.0.0/16').length, 0, 'nothing was made')
  ip(ns, 'route', 'add', '10.6.0.0/16', 'via', '10.9.0.2', 'proto', 'static', 'table', '100')
  const [listed] = await routes.list({ netns, table: 100 })
  t.is(listed.tableName, '100')
  await routes.del(listed, { netns })
  t.is(ipJson(ns, 'route', 'show', 'table', '100').length, 0)
})

test('link fields take a link name, looked up when the change is made: a link an earlier change of the batch adds included', async (t) => {
  const { ns, netns } = host(t)
  const results = await batch([
    { kind: 'links', verb: 'add', object: { name: 'd9', linkinfo: { kind: 'veth', data: { peer: { name: 'e9' } } } } },
    { kind: 'links', verb: 'set', object: { index: 'd9', setFlags: { UP: true } } },
    { kind: 'addresses', verb: 'add', object: { index: 'd9', local: '10.44.0.1', prefixlen: 24 } },
    { kind: 'routes', verb: 'add', object: { dst: '10.45.0.0', dstLen: 16, oif: 'd9', scope: 'link' } },
    { kind: 'routes', verb: 'add', object: { dst: '10.46.0.0', dstLen: 16, multipath: [{ oif: 'v0', gateway: '10.9.0.2' }, { oif: 'd9', gateway: '10.44.0.2' }] } },
    { kind: 'qdiscs', verb: 'add', object: { ifindex: 'e9', parent: 0xffffffff, handle: 0x10000, kind: 'pfifo' } },
  ], { netns })
  t.deepEqual(results, results.map(() => ({ ok: true })))
  const d9 = (await links.get({ name: 'd9' }, { netns })).index
  t.true(ipJson(ns, 'link', 'show', 'd9')[0].flags.includes('UP'))
  t.is(ipJson(ns, 'addr', 'show', 'dev', 'd9')[0].addr_info.find((a) => a.local === '10.44.0.1')?.prefixlen, 24)
  t.is((await routes.list({ netns })).find((r) => r.dst === '10.45.0.0')?.oif, d9)
  t.deepEqual(ipJson(ns, 'route', 'show', '10.46.0.0/16')[0].nexthops.map((h) => h.dev), ['v0', 'd9'])
  t.is(JSON.parse(execFileSync('tc', ['-n', ns, '-j', 'qdisc', 'show', 'dev', 'e9'], { encoding: 'utf8' }))[0].kind, 'pfifo')
})

test('a link name that names no link fails that change alone in a batch, and refuses an all-or-nothing change before anything is sent', async (t) => {
  const { ns, netns } = host(t)
  const [bad, good] = await batch([
    { kind: 'routes', verb: 'add', object: { dst: '10.50.0.0', dstLen: 16, oif: 'nope' } },
    { kind: 'routes', verb: 'add', object: { dst: '10.51.0.0', dstLen: 16, oif: 'v0' } },
  ], { netns })
  t.false(bad.ok)
  t.true(bad.error instanceof TypeError)
  t.is(bad.error.code, 'ERR_INVALID_ARG_VALUE')
  t.is(bad.error.message, "routes.add: oif 'nope' names no link in the namespace (a name is looked up when the change is made, after the changes before it in the batch)")
  t.deepEqual(good, { ok: true })
  await t.throwsAsync(reconcile('routes', [{ dst: '10.52.0.0', dstLen: 16, oif: 'v0', protocol: 'static' }, { dst: '10.53.0.0', dstLen: 16, oif: 'nope', protocol: 'static' }], { netns, scope: { protocol: 'static' } }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: /nope/,
  })
  t.is(ipJson(ns, 'route', 'show', '10.52.0.0/16').length, 0, 'nothing was sent')
})

test("reconcile takes names as the numbers they stand for: table 'main' and 254, protocol 'static' and 4 are the same route", async (t) => {
  const { ns, netns } = host(t)
  const desired = [{ dst: '10.60.0.0', dstLen: 16, gateway: '10.9.0.2', table: 'main', protocol: 'static' }]
  // Outside the scope (every route but main's static ones, the addresses, the rules): as before, after every run.
  ip(ns, 'route', 'add', '10.59.0.0/16', 'via', '10.9.0.2', 'proto', 'boot')
  ip(ns, 'route', 'add', '10.58.0.0/16', 'via', '10.9.0.2', 'proto', 'static', 'table', '100')
  const outside = () => [ipJson(ns, '-d', 'route', 'show', 'table', 'all').filter((r) => !(r.protocol === 'static' && (r.table ?? 'main') === 'main')), ipJson(ns, 'addr'), ipJson(ns, 'rule')]
  const before = outside()
  const first = await reconcile('routes', desired, { netns, scope: { protocol: 'static', table: 'main' } })
  t.is(first.add.length, 1)
  t.true(first.results.every((r) => r.ok))
  const again = await reconcile('routes', [{ ...desired[0], table: 254, protocol: 4 }], { netns, scope: { protocol: 4, table: 254 }, dryRun: true })
  t.deepEqual([again.add.length, again.replace.length, again.remove.length, again.unchanged], [0, 0, 0, 1])
  t.like(ipJson(ns, 'route', 'show', '10.60.0.0/16')[0], { protocol: 'static' })
  // Names outside the scope's keys too: a desired blackhole by name is the listed type 6.
  const held = [{ dst: '10.61.0.0', dstLen: 16, type: 'blackhole', protocol: 'static' }, { dst: '10.62.0.0', dstLen: 16, oif: 'v0', scope: 'link', protocol: 'static' }]
  t.true((await reconcile('routes', [...desired, ...held], { netns, scope: { protocol: 'static', table: 'main' } })).results.every((r) => r.ok))
  const steady = await reconcile('routes', [...desired, ...held], { netns, scope: { protocol: 'static', table: 'main' }, dryRun: true })
  t.deepEqual([steady.add.length, steady.replace.length, steady.remove.length, steady.unchanged], [0, 0, 0, 3])
  t.deepEqual(outside(), before, 'nothing outside the scope moved')
})

test('the exported constants are the numbers list() reports', async (t) => {
  const { ns, netns } = host(t)
  ip(ns, 'route', 'add', 'blackhole', '10.70.0.0/16', 'proto', 'static')
  ip(ns, '-6', 'route', 'add', 'unreachable', 'fd00::/64')
  const all = await routes.list({ netns })
  const bh = all.find((r) => r.dst === '10.70.0.0')
  t.deepEqual([bh.type, bh.table, bh.protocol, bh.scope, bh.family], [ROUTE_TYPES.blackhole, ROUTE_TABLES.main, ROUTE_PROTOCOLS.static, ROUTE_SCOPES.global, FAMILIES.inet])
  t.is(all.find((r) => r.dst === 'fd00::')?.type, ROUTE_TYPES.unreachable)
  t.is(all.find((r) => r.dst === 'fd00::')?.family, FAMILIES.inet6)
  const [main] = (await rules.list({ netns, family: 4 })).filter((r) => r.priority === 32766)
  t.deepEqual([main.action, main.table], [RULE_ACTIONS.lookup, ROUTE_TABLES.main])
  for (const c of [ROUTE_TYPES, ROUTE_TABLES, ROUTE_PROTOCOLS, ROUTE_SCOPES, RULE_ACTIONS, FAMILIES]) t.true(Object.isFrozen(c))
})
