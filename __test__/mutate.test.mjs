// Changes against the real kernel: every route verb from the struct list()
// returns and back, batch semantics (one result per change, a bad change
// refused before anything is sent without losing the others), the kernel's
// errors with their extended-ack text, the privilege error, reconcile() with
// its scope and dry run, and `rtnl apply`.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { routes, links, rules, subscribe, batch, reconcile, diff, keyOf, RtnlError } from 'rtnl'
import { makeNetns, ip, ipJson, runNode, vethHost, collect, isOp } from './_helpers.mjs'
import { needs } from './_features.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

const setUp = (t) => vethHost(t)

const inTable = async (netns, table) => routes.list({ netns, table })

test('routes: add from a struct, list it back, replace, append, delete the listed object; ip agrees', async (t) => {
  const { ns, netns, v0 } = await setUp(t)
  const given = { dst: '10.1.0.0', dstLen: 16, gateway: '10.254.0.2', oif: v0, table: 100, priority: 5, metrics: { mtu: 1400 } }
  await routes.add(given, { netns })
  let [listed] = await inTable(netns, 100)
  // Every field given comes back as given.
  for (const [k, v] of Object.entries(given)) t.deepEqual(listed[k], v, k)
  const [fromIp] = ipJson(ns, '-d', 'route', 'show', 'table', '100')
  t.is(fromIp.dst, '10.1.0.0/16')
  t.is(fromIp.gateway, '10.254.0.2')
  t.is(fromIp.metric, 5)
  // Adding it again: EEXIST, named after the route, with the kernel's errno.
  const again = await t.throwsAsync(routes.add(given, { netns }))
  t.true(again instanceof RtnlError)
  t.is(again.code, 'EEXIST')
  t.is(again.errno, 17)
  t.true(again.message.startsWith('adding route 10.1.0.0/16'), again.message)
  // Replace with another gateway: one route, the new gateway; diff() says changed.
  await routes.replace({ ...given, gateway: '10.254.0.3' }, { netns })
  const after = await inTable(netns, 100)
  t.is(after.length, 1)
  t.is(after[0].gateway, '10.254.0.3')
  // The gateway is part of a route's identity (keyOf): the old one is gone, the new one there.
  t.deepEqual(diff('routes', [listed], after).map((c) => `${c.change} ${(c.after ?? c.before).gateway}`).sort(), ['added 10.254.0.3', 'removed 10.254.0.2'])
  // Append: a second IPv6 nexthop for the same prefix and metric; the kernel lists the two as one multipath route.
  await routes.append({ dst: 'fd00:1::', dstLen: 64, gateway: 'fe80::1', oif: v0, table: 100 }, { netns })
  await routes.append({ dst: 'fd00:1::', dstLen: 64, gateway: 'fe80::2', oif: v0, table: 100 }, { netns })
  const six = (await inTable(netns, 100)).filter((r) => r.family === 10)
  t.is(six.length, 1)
  t.deepEqual(six[0].multipath.map((h) => h.gateway), ['fe80::1', 'fe80::2'])
  // Feeding back listed objects deletes exactly them.
  for (const r of await inTable(netns, 100)) await routes.del(r, { netns })
  t.deepEqual(await inTable(netns, 100).catch(() => []), [])
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '100'), [])
})

test('routes: blackhole, unreachable, prohibit, multipath and a table above 255 round-trip', async (t) => {
  const { netns, v0 } = await setUp(t)
  const objects = [
    { dst: '10.2.0.0', dstLen: 16, type: 6, table: 1000 },
    { dst: '10.3.0.0', dstLen: 16, typeName: 'unreachable', table: 1000 },
    { dst: '10.4.0.0', dstLen: 16, type: 8, table: 1000 },
    { dst: '10.5.0.0', dstLen: 16, table: 1000, multipath: [{ gateway: '10.254.0.2', oif: v0, weight: 1 }, { gateway: '10.254.0.3', oif: v0, weight: 3 }] },
  ]
  const results = await batch(objects.map((object) => ({ kind: 'routes', verb: 'add', object })), { netns })
  t.deepEqual(results, objects.map(() => ({ ok: true })))
  const listed = await inTable(netns, 1000)
  t.deepEqual(listed.map((r) => r.typeName).sort(), ['blackhole', 'prohibit', 'unicast', 'unreachable'])
  const mp = listed.find((r) => r.dst === '10.5.0.0')
  t.deepEqual(mp.multipath.map((h) => [h.gateway, h.weight]), [['10.254.0.2', 1], ['10.254.0.3', 3]])
  t.is(mp.table, 1000)
  // The listed objects, fed back whole to replace, change nothing.
  const again = await batch(listed.map((object) => ({ kind: 'routes', verb: 'replace', object })), { netns })
  t.true(again.every((r) => r.ok), JSON.stringify(again))
  t.deepEqual(diff('routes', listed, await inTable(netns, 1000)), [])
})

test('batch: one result per change in order; a bad change is refused before sending, the kernel refuses another, the rest are made', async (t) => {
  const { netns, v0 } = await setUp(t)
  const results = await batch(
    [
      { kind: 'routes', verb: 'add', object: { dst: '10.10.0.0', dstLen: 16, gateway: '10.254.0.2', table: 100 } },
      { kind: 'routes', verb: 'add', object: { dst: '10.11.0.0', dstLen: 40, table: 100, type: 6 } },
      { kind: 'routes', verb: 'add', object: { dst: '10.12.0.0', dstLen: 16, gateway: '10.99.0.1', oif: v0, table: 100 } },
      { kind: 'routes', verb: 'add', object: { dst: '10.13.0.0', dstLen: 16, type: 6, table: 100, colour: 'blue' } },
      { kind: 'routes', verb: 'add', object: { dst: '10.14.0.0', dstLen: 16, type: 6, table: 100 } },
    ],
    { netns },
  )
  t.is(results.length, 5)
  t.true(results[0].ok)
  t.false(results[1].ok)
  t.true(results[1].error instanceof RangeError)
  t.is(results[1].error.code, 'ERR_OUT_OF_RANGE')
  t.is(results[1].error.message, 'routes.add: dstLen must be an integer from 0 to 32, got 40')
  t.false(results[2].ok)
  t.true(results[2].error instanceof RtnlError)
  t.is(results[2].error.code, 'ENETUNREACH')
  t.is(results[2].error.extAck, 'Nexthop has invalid gateway')
  t.regex(results[2].error.message, /^adding route 10\.12\.0\.0\/16.*: the kernel answered ENETUNREACH \(Network is unreachable\): Nexthop has invalid gateway$/)
  t.false(results[3].ok)
  t.is(results[3].error.code, 'ERR_INVALID_ARG_VALUE')
  t.regex(results[3].error.message, /^routes\.add: unknown field 'colour'; expected one of /)
  t.true(results[4].ok)
  t.deepEqual((await inTable(netns, 100)).map((r) => r.dst).sort(), ['10.10.0.0', '10.14.0.0'])
})

test('batch: bad arguments are refused whole, with class, code and message', async (t) => {
  await t.throwsAsync(batch('routes'), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "batch: ops must be an array of { kind, verb, object }, got 'routes'" })
  await t.throwsAsync(batch([{ kind: 'links', verb: 'append', object: {} }]), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "batch: ops[0].verb must be one of add, set, del for links, got 'append'",
  })
  await t.throwsAsync(batch([{ kind: 'stats', verb: 'add', object: {} }]), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: /^batch: ops\[0\]\.kind must be one of links, addresses, routes/ })
  await t.throwsAsync(batch([{ kind: 'routes', verb: 'add', object: null }]), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE' })
  await t.throwsAsync(routes.add({ dst: '10.0.0.1', dstLen: 8, gateway: 'fd00::1' }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: /^routes\.add: gateway 'fd00::1' is not of the object's family/,
  })
})

test('without CAP_NET_ADMIN a change is EPERM, and the message says what is needed', async (t) => {
  const ns = makeNetns(t)
  const r = await runNode(['ip', 'netns', 'exec', ns, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all', process.execPath, fixture('unprivileged-change.mjs')])
  t.is(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  t.is(out.name, 'RtnlError')
  t.is(out.code, 'EPERM')
  t.is(out.errno, 1)
  t.regex(out.message, /^adding route 10\.77\.0\.0\/16.*EPERM.*needs CAP_NET_ADMIN in the target namespace/)
})

test('reconcile: the plan, a dry run that changes nothing, then exactly the difference; kernel routes untouched', async (t) => {
  const { ns, netns, v0 } = await setUp(t)
  for (let i = 0; i < 10; i++) ip(ns, 'route', 'add', `10.20.${i}.0/24`, 'via', '10.254.0.2', 'table', 'main', 'proto', 'static')
  ip(ns, 'route', 'add', '10.30.0.0/16', 'via', '10.254.0.2') // proto boot: not ours
  const kernelBefore = (await routes.list({ netns })).filter((r) => r.protocol === 2 || r.table === 255)
  // Desired: keep 0-4, change 5's gateway, drop 6-9, add two.
  const desired = [
    ...[0, 1, 2, 3, 4].map((i) => ({ dst: `10.20.${i}.0`, dstLen: 24, gateway: '10.254.0.2', oif: v0 })),
    { dst: '10.20.5.0', dstLen: 24, gateway: '10.254.0.9', oif: v0 },
    { dst: '10.21.0.0', dstLen: 16, gateway: '10.254.0.2', oif: v0 },
    { dst: '10.22.0.0', dstLen: 16, type: 6 },
  ]
  const scope = { table: 'main', protocol: 'static' }
  const dry = await reconcile('routes', desired, { netns, scope, dryRun: true })
  t.is(dry.unchanged, 5)
  t.deepEqual(dry.replace.map((r) => r.dst), ['10.20.5.0'])
  t.deepEqual(dry.add.map((r) => r.dst), ['10.21.0.0', '10.22.0.0'])
  t.deepEqual(dry.remove.map((r) => r.dst).sort(), ['10.20.6.0', '10.20.7.0', '10.20.8.0', '10.20.9.0'])
  t.deepEqual(dry.ops.map((o) => `${o.verb} ${o.object.dst}`).sort(), ['add 10.21.0.0', 'add 10.22.0.0', 'del 10.20.6.0', 'del 10.20.7.0', 'del 10.20.8.0', 'del 10.20.9.0', 'replace 10.20.5.0'])
  t.deepEqual(dry.results, [], 'the changes it would send, none sent')
  t.is((await routes.list({ netns })).filter((r) => r.protocol === 4).length, 10, 'a dry run changes nothing')
  const done = await reconcile('routes', desired, { netns, scope })
  t.deepEqual(done.ops, dry.ops)
  t.true(done.results.every((r) => r.ok), JSON.stringify(done.results))
  const ours = (await routes.list({ netns, table: 254 })).filter((r) => r.protocol === 4)
  t.deepEqual(ours.map((r) => r.dst).sort(), ['10.20.0.0', '10.20.1.0', '10.20.2.0', '10.20.3.0', '10.20.4.0', '10.20.5.0', '10.21.0.0', '10.22.0.0'])
  t.is(ours.find((r) => r.dst === '10.20.5.0').gateway, '10.254.0.9')
  const all = await routes.list({ netns })
  t.true(all.some((r) => r.dst === '10.30.0.0'), 'a route outside the scope stays')
  t.deepEqual(all.filter((r) => r.protocol === 2 || r.table === 255).map((r) => keyOf('routes', r)).sort(), kernelBefore.map((r) => keyOf('routes', r)).sort())
  // Again: nothing to do.
  const again = await reconcile('routes', desired, { netns, scope })
  t.is(again.ops.length, 0)
  t.is(again.unchanged, desired.length)
})

test('reconcile: the scope is required and every desired object must be inside it', async (t) => {
  await t.throwsAsync(reconcile('routes', [], {}), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: /^reconcile: scope is required: the fields of what this caller owns/ })
  await t.throwsAsync(reconcile('routes', [{ dst: '10.0.0.0', dstLen: 8, table: 5 }], { scope: { table: 100 } }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: 'reconcile: desired[0].table is 5, outside the scope (table: 100)',
  })
  await t.throwsAsync(reconcile('routes', [], { scope: { dev: 'eth0' } }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: /^reconcile: scope of routes: unknown option 'dev'/ })
  await t.throwsAsync(reconcile('mdb', [], { scope: { ifindex: 1 } }), {
    instanceOf: TypeError,
    code: 'ERR_INVALID_ARG_VALUE',
    message: "reconcile: kind must be one of routes, addresses, neighbours, rules, nexthops, qdiscs, tcClasses, links, got 'mdb'",
  })
  await t.throwsAsync(reconcile('links', [], { scope: { index: 1 } }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_VALUE', message: "reconcile: scope of links: unknown option 'index'; expected one of kind, group" })
  await t.throwsAsync(reconcile('routes', [], { scope: { protocol: 'made-up' } }), { code: 'ERR_INVALID_ARG_VALUE', message: /^reconcile: scope\.protocol 'made-up' is not a name this library knows/ })
})

test('rtnl apply FILE.json: --dry-run prints the plan and changes nothing; without it the routes are made; a refused change is exit 1', async (t) => {
  const { ns, netns, v0 } = await setUp(t)
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-apply-'))
  const file = join(dir, 'state.json')
  writeFileSync(file, JSON.stringify({ routes: { scope: { table: 100 }, desired: [{ dst: '10.40.0.0', dstLen: 16, gateway: '10.254.0.2', oif: v0 }, { dst: '10.41.0.0', dstLen: 16, type: 6 }] } }))
  const dry = await runNode([cli, 'apply', file, '--netns', ns, '--dry-run'])
  t.is(dry.code, 0, dry.stderr)
  t.regex(dry.stdout, /^\(dry run\) add route 10\.40\.0\.0\/16 via 10\.254\.0\.2 dev v0 table 100 proto boot$/m)
  t.regex(dry.stdout, /routes: 0 unchanged, 2 to add, 0 to replace, 0 to delete \(dry run: nothing changed\)/)
  t.deepEqual(await inTable(netns, 100).catch(() => []), [])
  const real = await runNode([cli, 'apply', file, '--netns', ns])
  t.is(real.code, 0, real.stderr)
  t.deepEqual((await inTable(netns, 100)).map((r) => r.dst).sort(), ['10.40.0.0', '10.41.0.0'])
  writeFileSync(file, JSON.stringify({ ops: [{ kind: 'routes', verb: 'add', object: { dst: '10.40.0.0', dstLen: 16, type: 6, table: 100 } }] }))
  const refused = await runNode([cli, 'apply', file, '--netns', ns])
  t.is(refused.code, 1)
  t.regex(refused.stdout, /^add route blackhole 10\.40\.0\.0\/16 table 100 proto boot: FAILED: adding route 10\.40\.0\.0\/16.*EEXIST/m)
  const bad = await runNode([cli, 'apply', join(dir, 'missing.json')])
  t.is(bad.code, 1)
  t.regex(bad.stderr, /cannot read .*missing\.json/)
  writeFileSync(file, JSON.stringify({ mdb: { scope: {}, desired: [] } }))
  const badKind = await runNode([cli, 'apply', file])
  t.is(badKind.code, 2)
  t.regex(badKind.stderr, /unknown kind 'mdb'; expected routes, addresses, neighbours, rules, nexthops, qdiscs, tcClasses or links, or "ops"/)
})

// A field added through the generated types (FRA_DSCP, Linux 6.12): written by
// rules.add, carried alike by the event and by list(). iproute2 6.1 cannot set
// or print it, so the probe (scripts/kernel-probes/rule-dscp.mjs) writes and reads it back.
needs('rule_dscp')('rules: a dscp selector is written, listed and carried by its event as the same struct', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const monitor = await subscribe({ netns, groups: [8] }) // RTNLGRP_IPV4_RULE
  t.teardown(() => monitor.stop())
  const seen = collect(monitor)
  // Every other rule stays exactly as it was, through the add and the delete.
  const othersBefore = [ipJson(ns, '-4', '-d', 'rule', 'show'), ipJson(ns, '-6', '-d', 'rule', 'show')].flat().filter((r) => r.priority !== 1300)
  await rules.add({ family: 2, priority: 1300, dscp: 46, table: 46 }, { netns })
  const event = await seen.waitFor(isOp('new_rule', (r) => r.priority === 1300), 5000, 'the new_rule of the dscp rule')
  const [listed] = (await rules.list({ netns })).filter((r) => r.priority === 1300)
  t.is(listed.dscp, 46)
  t.is(listed.tos, 0)
  t.is(listed.unknown, undefined)
  t.deepEqual(event.resource, listed)
  await rules.del(listed, { netns })
  t.deepEqual((await rules.list({ netns })).filter((r) => r.priority === 1300), [])
  t.deepEqual([ipJson(ns, '-4', '-d', 'rule', 'show'), ipJson(ns, '-6', '-d', 'rule', 'show')].flat().filter((r) => r.priority !== 1300), othersBefore, 'no other rule changed')
})
