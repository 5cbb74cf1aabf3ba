// One identity per kind, declared in its Rust module (a KindDecl, registered in crates/rtnl-core/src/kinds.rs)
// and generated into src/generated/kinds.ts: watch() and keyOf key an object by
// its watch key, reconcile() matches a desired object by its desired key where the
// two must differ, each with the kernel's reason. These tests hold the code to
// the declarations, on the real kernel.
import test from 'ava'
import { routes, links, keyOf, reconcile, RECONCILE_KINDS, SCOPE_KEYS } from 'rtnl'
import { WATCH_KINDS } from '../dist/watch.js'
import { KIND_TABLE, KEY_OF } from '../dist/generated/kinds.js'
import { makeNetns, ip, ipJson } from './_helpers.mjs'

test('every watched kind declares its key with a reason; the reconciled ones their scope keys, and a desired key only beside a reason', (t) => {
  for (const kind of WATCH_KINDS) {
    const decl = KIND_TABLE[kind]
    t.truthy(decl, kind)
    t.true(decl.watchKey.parts.length > 0, `${kind} has a watch key`)
    t.true(decl.watchKey.why.length > 20, `${kind} says why`)
    t.is(typeof KEY_OF[kind] === 'function', decl.watchKey.parts[0] !== '*', `${kind}: keyOf is the key's fields, or the whole object for '*'`)
  }
  for (const kind of RECONCILE_KINDS) {
    t.deepEqual([...SCOPE_KEYS[kind]], [...KIND_TABLE[kind].scopeKeys], kind)
    const desired = KIND_TABLE[kind].desiredKey
    if (desired) t.true(desired.why.length > 20, `${kind}: why the desired key differs`)
  }
  // What the kinds not followed by watch() declare: no key.
  for (const kind of ['nexthopBuckets', 'prefixes', 'ndUserOptions', 'linkStats']) t.deepEqual([...KIND_TABLE[kind].watchKey.parts], [], kind)
})

test('routes: a next hop is part of the watch key and not of the desired key, so watch() sees a new route where reconcile() replaces one', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'r0', 'type', 'veth', 'peer', 'name', 'r1')
  ip(ns, 'link', 'set', 'r0', 'up')
  ip(ns, 'addr', 'add', '10.77.0.1/24', 'dev', 'r0')
  ip(ns, 'route', 'add', '10.78.0.0/16', 'via', '10.77.0.2', 'proto', 'static')
  const [before] = await routes.list({ netns, table: 254 }).then((rs) => rs.filter((r) => r.dst === '10.78.0.0'))
  const moved = { ...before, gateway: '10.77.0.3' }
  t.not(keyOf('routes', before), keyOf('routes', moved), 'two next hops: two objects to watch()')
  t.true(KIND_TABLE.routes.watchKey.parts.includes('gateway'))
  t.false(KIND_TABLE.routes.desiredKey.parts.includes('gateway'))

  const desired = [{ dst: '10.78.0.0', dstLen: 16, gateway: '10.77.0.3', protocol: 4 }]
  const plan = await reconcile('routes', desired, { netns, scope: { protocol: 'static' }, dryRun: true })
  t.is(plan.add.length, 0, 'the same route by its desired key')
  t.is(plan.remove.length, 0)
  t.is(plan.replace.length, 1, 'its next hop is replaced in place')
  // Outside the scope (every route not of protocol static) stays exactly as it was.
  const outside = () => ipJson(ns, '-d', 'route', 'show', 'table', 'all').filter((r) => r.protocol !== 'static')
  const outsideBefore = outside()
  await reconcile('routes', desired, { netns, scope: { protocol: 'static' } })
  t.deepEqual(outside(), outsideBefore, 'nothing outside the scope changed')
  const after = (await routes.list({ netns, table: 254 })).filter((r) => r.dst === '10.78.0.0')
  t.is(after.length, 1)
  t.is(after[0].gateway, '10.77.0.3')
})

test('links: the watch key is the ifindex and the desired key the name, so a rename is a change to watch() and another link to reconcile()', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  const [k0] = (await links.list({ netns })).filter((l) => l.name === 'k0')
  ip(ns, 'link', 'set', 'k0', 'name', 'k9')
  const [k9] = (await links.list({ netns })).filter((l) => l.name === 'k9')
  t.is(keyOf('links', k0), keyOf('links', k9), 'the same link to watch()')
  t.deepEqual([...KIND_TABLE.links.desiredKey.parts], ['name'])
  const plan = await reconcile('links', [{ name: 'k0', kind: 'veth', linkinfo: { kind: 'veth', data: { peer: { name: 'k2' } } } }], { netns, scope: { kind: 'veth' }, dryRun: true })
  t.is(plan.add.length, 1, 'k0 by name is a link to add')
})
