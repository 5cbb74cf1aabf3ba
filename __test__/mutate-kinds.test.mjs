// Changes of every kind through the JS API, against the real kernel: each
// object made from a struct comes back from list() with what was given (ip,
// tc agree), and the listed objects, given to a fresh namespace, make the
// same state there (diff() finds nothing), which is what "what you list you
// can give back" promises.
import test from 'ava'
import { links, addresses, routes, nexthops, qdiscs, tcClasses, tcFilters, batch, diff, RtnlError } from 'rtnl'
import { makeNetns, ip, ipJson } from './_helpers.mjs'
import { has } from './_features.mjs'
import { execFileSync } from 'node:child_process'

const tcJson = (ns, ...args) => JSON.parse(execFileSync('tc', ['-n', ns, '-j', ...args], { encoding: 'utf8' }) || '[]')

/** The fields of `want` that `have` has with the same values (nested alike). */
function covers(t, have, want, path = '') {
  for (const [k, v] of Object.entries(want)) {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) covers(t, have?.[k] ?? {}, v, `${path}${k}.`)
    else t.deepEqual(have?.[k], v, `${path}${k}`)
  }
}

async function twoLinks(t) {
  const ns = makeNetns(t)
  const netns = { name: ns }
  await links.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } }, { netns })
  await links.set({ name: 'v0', flagNames: ['UP'], mtu: 1400 }, { netns })
  await links.set({ name: 'v1', flagNames: ['UP'] }, { netns })
  await links.set({ name: 'lo', flagNames: ['UP'] }, { netns })
  const v0 = await links.get({ name: 'v0' }, { netns })
  return { ns, netns, v0: v0.index }
}

test('links: add a veth pair and a bridge, set up, mtu, master, name; ip agrees; delete', async (t) => {
  const { ns, netns } = await twoLinks(t)
  const [v0] = ipJson(ns, '-d', 'link', 'show', 'v0')
  t.is(v0.mtu, 1400)
  t.true(v0.flags.includes('UP'))
  t.is(v0.linkinfo.info_kind, 'veth')
  await links.add({ name: 'br0', linkinfo: { kind: 'bridge', data: { stpState: 1 } } }, { netns })
  await links.set({ name: 'v1', master: (await links.get({ name: 'br0' }, { netns })).index }, { netns })
  t.is(ipJson(ns, 'link', 'show', 'v1')[0].master, 'br0')
  await links.set({ index: (await links.get({ name: 'br0' }, { netns })).index, name: 'br1' }, { netns })
  t.truthy(await links.get({ name: 'br1' }, { netns }))
  t.is(ipJson(ns, '-d', 'link', 'show', 'br1')[0].linkinfo.info_data.stp_state, 1)
  await links.del({ name: 'br1' }, { netns })
  t.is(await links.get({ name: 'br1' }, { netns }), null)
  // A kind the kernel lacks is the kernel's EOPNOTSUPP; one it has is made.
  const dummy = links.add({ name: 'd0', linkinfo: { kind: 'dummy' } }, { netns })
  if (has('dummy')) {
    await dummy
    t.is(ipJson(ns, '-d', 'link', 'show', 'd0')[0].linkinfo.info_kind, 'dummy')
  } else {
    const e = await t.throwsAsync(dummy)
    t.true(e instanceof RtnlError)
    t.is(e.code, 'EOPNOTSUPP')
  }
})

test('addresses: add with lifetimes and a label, replace, delete; ip agrees; the listed object round-trips', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  const given = { index: v0, local: '10.70.0.1', address: '10.70.0.1', prefixlen: 24, label: 'v0:web', cacheinfo: { preferred: 200, valid: 300 } }
  await addresses.add(given, { netns })
  const [listed] = (await addresses.list({ netns, ifindex: v0, family: 4 }))
  t.is(listed.label, 'v0:web')
  t.is(listed.prefixlen, 24)
  const fromIp = ipJson(ns, 'addr', 'show', 'dev', 'v0')[0].addr_info.find((a) => a.family === 'inet')
  t.is(fromIp.local, '10.70.0.1')
  t.is(fromIp.label, 'v0:web')
  t.true(fromIp.valid_life_time <= 300)
  await addresses.replace({ ...listed, cacheinfo: { preferred: 'forever', valid: 'forever' } }, { netns })
  t.is((await addresses.list({ netns, ifindex: v0, family: 4 }))[0].cacheinfo.valid, 'forever')
  await addresses.del(listed, { netns })
  t.deepEqual(await addresses.list({ netns, ifindex: v0, family: 4 }), [])
  const e = await t.throwsAsync(addresses.add({ index: v0, local: 'fd00::1', prefixlen: 200 }, { netns }))
  t.is(e.code, 'ERR_OUT_OF_RANGE')
})

test('nexthops: add a gateway, a blackhole and a group, replace, delete; ip agrees; routes through nhid', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  ip(ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'v0')
  const made = await batch(
    [
      { kind: 'nexthops', verb: 'add', object: { id: 1, gateway: '10.70.0.2', oif: v0 } },
      { kind: 'nexthops', verb: 'add', object: { id: 2, gateway: '10.70.0.4', oif: v0 } },
      { kind: 'nexthops', verb: 'add', object: { id: 4, blackhole: true } },
      { kind: 'nexthops', verb: 'add', object: { id: 3, group: [{ id: 1, weight: 1 }, { id: 2, weight: 3 }] } },
      { kind: 'routes', verb: 'add', object: { dst: '10.9.0.0', dstLen: 16, nhid: 3 } },
    ],
    { netns },
  )
  t.deepEqual(made, [{ ok: true }, { ok: true }, { ok: true }, { ok: true }, { ok: true }], JSON.stringify(made))
  t.true((await nexthops.get(4, { netns })).blackhole)
  const listed = await nexthops.list({ netns })
  covers(t, listed.find((n) => n.id === 3), { group: [{ id: 1, weight: 1 }, { id: 2, weight: 3 }] })
  t.deepEqual(ipJson(ns, 'nexthop', 'show', 'id', '3')[0].group.map((g) => [g.id, g.weight ?? 1]), [[1, 1], [2, 3]])
  await nexthops.replace({ id: 1, gateway: '10.70.0.3', oif: v0 }, { netns })
  t.is((await nexthops.get(1, { netns })).gateway, '10.70.0.3')
  t.is((await routes.list({ netns })).find((r) => r.dst === '10.9.0.0').nhid, 3)
  await nexthops.del({ id: 3 }, { netns })
  t.false((await routes.list({ netns })).some((r) => r.dst === '10.9.0.0'), 'the route through it went with it')
  const e = await t.throwsAsync(nexthops.add({ id: 9, gateway: '10.99.0.1', oif: v0 }, { netns }))
  t.is(e.extAck, 'Nexthop has invalid gateway')
})

test('tc: an htb qdisc, a class and a u32 filter from structs; tc agrees; the listed objects deleted', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  const r = await batch(
    [
      { kind: 'qdiscs', verb: 'add', object: { ifindex: v0, parent: 0xffffffff, handle: 0x10000, kind: 'htb', options: { init: { rate2quantum: 10, defcls: 0x10 } } } },
      { kind: 'tcClasses', verb: 'add', object: { ifindex: v0, parent: 0x10000, handle: 0x10010, kind: 'htb', options: { parms: { rate: { rate: 125000 } } } } },
    ],
    { netns },
  )
  t.true(r.every((x) => x.ok), JSON.stringify(r))
  const [q] = tcJson(ns, 'qdisc', 'show', 'dev', 'v0')
  t.is(q.kind, 'htb')
  t.is(q.options.default, '0x10')
  const cls = (await tcClasses.list({ netns, ifindex: v0 })).find((c) => c.handle === 0x10010)
  t.truthy(cls)
  await tcFilters.add({ ifindex: v0, parent: 0x10000, prio: 1, protocol: 0x800, kind: 'u32', options: { classid: 0x10010, sel: { flags: 1, keys: [{ mask: 0xffffffff, val: 0x0a000002, off: 16, offmask: 0 }] } } }, { netns })
  t.true(tcJson(ns, 'filter', 'show', 'dev', 'v0').some((f) => f.options?.flowid === '1:10'))
  for (const f of (await tcFilters.list({ netns, ifindex: v0 })).filter((f) => !f.handle)) await tcFilters.del(f, { netns })
  t.deepEqual((await tcFilters.list({ netns, ifindex: v0 })), [])
  await tcClasses.del(cls, { netns })
  await qdiscs.del((await qdiscs.list({ netns, ifindex: v0 })).find((x) => x.kind === 'htb'), { netns })
  t.false((await qdiscs.list({ netns, ifindex: v0 })).some((x) => x.kind === 'htb'))
})

test('what you list you can give back: routes, addresses and nexthops of one namespace, given to another, make the same state', async (t) => {
  const a = await twoLinks(t)
  const b = await twoLinks(t)
  ip(a.ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'v0')
  ip(a.ns, '-6', 'addr', 'add', 'fd00::1/64', 'dev', 'v0', 'nodad')
  ip(a.ns, 'nexthop', 'add', 'id', '5', 'via', '10.70.0.2', 'dev', 'v0')
  ip(a.ns, 'route', 'add', '10.8.0.0/16', 'via', '10.70.0.2', 'table', '100', 'metric', '7', 'mtu', 'lock', '1300')
  ip(a.ns, 'route', 'add', '10.7.0.0/16', 'nhid', '5')
  ip(a.ns, 'route', 'add', 'blackhole', '10.6.0.0/16', 'proto', 'static')
  const kinds = { addresses: addresses.list, nexthops: nexthops.list, routes: routes.list }
  // b's link has the same ifindex as a's (both made the same way); kernel routes and addresses are made by b's kernel too.
  t.is(a.v0, b.v0)
  for (const [kind, list] of Object.entries(kinds)) {
    const fromA = await list({ netns: a.netns })
    const fromB = await list({ netns: b.netns })
    const keyOfB = new Set(diff(kind, [], fromB).map((c) => c.key))
    const missing = diff(kind, [], fromA).filter((c) => !keyOfB.has(c.key)).map((c) => c.after)
    const results = await batch(missing.map((object) => ({ kind, verb: 'add', object })), { netns: b.netns })
    t.true(results.every((r) => r.ok), `${kind}: ${JSON.stringify(results.filter((r) => !r.ok).map((r) => r.error.message))}`)
  }
  for (const [kind, list] of Object.entries(kinds)) {
    const changes = diff(kind, await list({ netns: a.netns }), await list({ netns: b.netns }))
    // b keeps what its own kernel made that a's did not: the link-local addresses of its own MACs.
    // (and the local routes of those addresses)
    const own = (c) => c.change === 'added' && (c.after.local ?? c.after.address ?? c.after.dst ?? '').startsWith('fe80:')
    t.deepEqual(changes.filter((c) => !own(c)).map((c) => `${c.change} ${c.key}`), [], `${kind}: the same state`)
  }
})

test('rules and neighbours: add from structs, ip agrees, the listed objects delete themselves', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  const { rules, neighbours } = await import('rtnl')
  await rules.add({ family: 2, priority: 1000, src: '10.5.0.0', srcLen: 16, fwmark: 7, table: 100 }, { netns })
  const [fromIp] = ipJson(ns, 'rule', 'show', 'pref', '1000')
  t.is(fromIp.src, '10.5.0.0')
  t.is(fromIp.srclen, 16)
  t.is(fromIp.table, '100')
  const listed = (await rules.list({ netns })).find((r) => r.priority === 1000)
  t.is(listed.fwmark, 7)
  await rules.del(listed, { netns })
  t.false((await rules.list({ netns })).some((r) => r.priority === 1000))
  await neighbours.add({ family: 2, ifindex: v0, dst: '10.70.0.9', lladdr: '02:00:00:00:00:09', stateNames: ['permanent'] }, { netns })
  t.is(ipJson(ns, 'neigh', 'show', 'dev', 'v0').find((n) => n.dst === '10.70.0.9').lladdr, '02:00:00:00:00:09')
  await neighbours.replace({ family: 2, ifindex: v0, dst: '10.70.0.9', lladdr: '02:00:00:00:00:0a', stateNames: ['permanent'] }, { netns })
  const n = (await neighbours.list({ netns, family: 4 })).find((x) => x.dst === '10.70.0.9')
  t.is(n.lladdr, '02:00:00:00:00:0a')
  await neighbours.del(n, { netns })
  t.false((await neighbours.list({ netns, family: 4 })).some((x) => x.dst === '10.70.0.9'))
  const e = await t.throwsAsync(neighbours.del(n, { netns }))
  t.is(e.code, 'ENOENT')
})

test('reconcile() of addresses, rules and nexthops within their scope', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  const { reconcile, rules, nexthops } = await import('rtnl')
  ip(ns, 'addr', 'add', '10.70.0.1/24', 'dev', 'v0')
  ip(ns, 'addr', 'add', '10.71.0.1/24', 'dev', 'v0')
  const a = await reconcile('addresses', [{ local: '10.70.0.1', prefixlen: 24 }, { local: '10.72.0.1', prefixlen: 24 }], { netns, scope: { index: v0, family: 4 } })
  t.deepEqual([a.add.length, a.remove.length, a.unchanged], [1, 1, 1])
  t.true(a.results.every((r) => r.ok), JSON.stringify(a.results))
  t.deepEqual((await addresses.list({ netns, ifindex: v0, family: 4 })).map((x) => x.local).sort(), ['10.70.0.1', '10.72.0.1'])
  ip(ns, 'rule', 'add', 'pref', '2000', 'from', '10.9.0.0/16', 'table', '200')
  const r = await reconcile('rules', [{ family: 2, priority: 2001, src: '10.8.0.0', srcLen: 16, table: 200 }], { netns, scope: { table: 200 } })
  t.deepEqual([r.add.length, r.remove.length], [1, 1])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.deepEqual((await rules.list({ netns })).filter((x) => x.table === 200).map((x) => x.priority), [2001])
  t.true((await rules.list({ netns })).some((x) => x.tableName === 'main'), 'rules outside the scope stay')
  ip(ns, 'addr', 'add', '10.73.0.1/24', 'dev', 'v0')
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.73.0.2', 'dev', 'v0', 'proto', 'static')
  ip(ns, 'nexthop', 'add', 'id', '2', 'via', '10.73.0.3', 'dev', 'v0')
  const h = await reconcile('nexthops', [{ id: 1, gateway: '10.73.0.4', oif: v0, protocol: 4 }], { netns, scope: { protocol: 'static' } })
  t.deepEqual([h.replace.length, h.remove.length, h.add.length], [1, 0, 0])
  t.is((await nexthops.get(1, { netns })).gateway, '10.73.0.4')
  t.truthy(await nexthops.get(2, { netns }), 'a nexthop of another protocol stays')
})

test('reconcile() of qdiscs and tc classes: a tree made, changed and removed with the fewest changes, in the order tc needs; the default qdisc of the link stays', async (t) => {
  const { ns, netns, v0 } = await twoLinks(t)
  const { reconcile } = await import('rtnl')
  const scope = { ifindex: v0 }
  const qdiscsShown = () => tcJson(ns, 'qdisc', 'show', 'dev', 'v0').map((x) => `${x.kind} ${x.handle} ${x.root ? 'root' : x.parent}`).sort()
  // tc 6.1 prints classes as text even with -j: "class htb 1:10 parent 1:1 ...", "class htb 1:1 root ...".
  const classesShown = () =>
    execFileSync('tc', ['-n', ns, 'class', 'show', 'dev', 'v0'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((l) => l.match(/^class (\S+) (\S+) (root|parent \S+)/).slice(1).join(' '))
      .sort()
  const allOk = (r) => t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  const root = { parent: 0xffffffff, handle: 0x10000, kind: 'htb', options: { init: { defcls: 0x20 } } }
  const ingress = { parent: 0xfffffff1, handle: 0xffff0000, kind: 'ingress' }
  const before = qdiscsShown()
  t.is(before.length, 1)
  t.regex(before[0], / 0: root$/, 'a veth starts with a default qdisc, handle 0')

  let q = await reconcile('qdiscs', [root, ingress], { netns, scope })
  t.deepEqual([q.add.length, q.replace.length, q.remove.length, q.unchanged], [2, 0, 0, 0], 'the default qdisc is not removed')
  allOk(q)
  t.deepEqual(qdiscsShown(), ['htb 1: root', 'ingress ffff: ffff:fff1'])

  // Given children first: added parents first.
  const cls = (handle, parent, rate) => ({ handle, parent, kind: 'htb', options: { parms: { rate: { rate } } } })
  const tree = [cls(0x10010, 0x10001, 125000), cls(0x10020, 0x10001, 125000), cls(0x10001, 0x10000, 250000)]
  let c = await reconcile('tcClasses', tree, { netns, scope })
  allOk(c)
  t.deepEqual(c.ops.map((o) => `${o.verb} ${o.object.handle.toString(16)}`), ['add 10001', 'add 10010', 'add 10020'])
  t.deepEqual(classesShown(), ['htb 1:1 root', 'htb 1:10 parent 1:1', 'htb 1:20 parent 1:1'])
  c = await reconcile('tcClasses', tree, { netns, scope })
  t.deepEqual([c.ops.length, c.unchanged], [0, 3], 'listed classes equal the desired ones: nothing sent')

  c = await reconcile('tcClasses', [cls(0x10001, 0x10000, 250000), cls(0x10010, 0x10001, 62500)], { netns, scope })
  t.deepEqual([c.remove.length, c.replace.length, c.add.length, c.unchanged], [1, 1, 0, 1])
  allOk(c)
  t.deepEqual(classesShown(), ['htb 1:1 root', 'htb 1:10 parent 1:1'])
  t.is((await tcClasses.get({ ifindex: v0, handle: 0x10010 }, { netns })).options.parms.rate.rate, 62500)

  // A qdisc under a class, once the class exists.
  const leaf = { parent: 0x10010, handle: 0x100000, kind: 'pfifo', options: { limit: 50 } }
  q = await reconcile('qdiscs', [root, ingress, leaf], { netns, scope })
  t.deepEqual([q.add.length, q.unchanged], [1, 2])
  allOk(q)
  t.deepEqual(qdiscsShown(), ['htb 1: root', 'ingress ffff: ffff:fff1', 'pfifo 10: 1:10'])

  // Classes scoped by their parent: the kernel lists 1:1 with parent root, a request names the qdisc.
  for (const parent of [0x10000, 'root']) {
    c = await reconcile('tcClasses', [cls(0x10001, 0x10000, 250000)], { netns, scope: { ifindex: v0, parent } })
    t.deepEqual([c.ops.length, c.unchanged], [0, 1], `parent ${parent}: 1:1 in scope, 1:10 (under 1:1) not`)
  }

  // Changed in place where the kind can be (pfifo), refused by the kernel where not (htb).
  const leaf60 = { ...leaf, options: { limit: 60 } }
  q = await reconcile('qdiscs', [root, ingress, leaf60], { netns, scope })
  t.deepEqual([q.replace.length, q.unchanged], [1, 2])
  allOk(q)
  t.is(tcJson(ns, 'qdisc', 'show', 'dev', 'v0').find((x) => x.kind === 'pfifo').options.limit, 60)
  q = await reconcile('qdiscs', [{ ...root, options: { init: { defcls: 0x30 } } }, ingress, leaf60], { netns, scope })
  t.deepEqual([q.replace.length, q.unchanged, q.results.length], [1, 2, 1])
  t.false(q.results[0].ok)
  t.is(q.results[0].error.code, 'EINVAL')
  t.is(q.results[0].error.extAck, 'Change operation not supported by specified qdisc')

  // Another kind at the root is another qdisc: the htb goes (with its
  // classes and the pfifo under them, for which no delete is sent), a pfifo
  // comes. The leaf, still desired, went with the htb: it is added again,
  // and the kernel refuses it (a pfifo has no class 1:10).
  q = await reconcile('qdiscs', [{ parent: 0xffffffff, handle: 0x10000, kind: 'pfifo', options: { limit: 100 } }, leaf60], { netns, scope })
  t.deepEqual(q.remove.map((x) => x.kind).sort(), ['htb', 'ingress'])
  t.is(q.unchanged, 0)
  t.deepEqual(q.ops.map((o) => `${o.verb} ${o.object.kind} ${o.object.handle.toString(16)}`), ['del htb 10000', 'del ingress ffff0000', 'add pfifo 10000', 'add pfifo 100000'])
  t.deepEqual(q.results.map((r) => r.ok), [true, true, true, false])
  t.deepEqual(qdiscsShown(), ['pfifo 1: root'])

  // Nothing desired: the root pfifo goes, the link's default qdisc comes back and stays.
  q = await reconcile('qdiscs', [], { netns, scope: { ifindex: v0, parent: 'root' } })
  t.deepEqual([q.remove.length, q.ops.length], [1, 1])
  allOk(q)
  t.deepEqual(qdiscsShown(), before)
  q = await reconcile('qdiscs', [], { netns, scope })
  t.deepEqual([q.remove.length, q.ops.length], [0, 0])

  // Classes deleted children first: htb refuses to delete a class that has children.
  allOk(await reconcile('qdiscs', [root], { netns, scope }))
  allOk(await reconcile('tcClasses', tree, { netns, scope }))
  c = await reconcile('tcClasses', [], { netns, scope })
  allOk(c)
  t.deepEqual(c.ops.map((o) => `${o.verb} ${o.object.handle.toString(16)}`).at(-1), 'del 10001')
  t.deepEqual(classesShown(), [])

  const e = await t.throwsAsync(reconcile('qdiscs', [], { netns, scope: { parent: '1:' } }))
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.is(e.message, "reconcile: scope.parent '1:' is not a name this library knows (root, ingress); give the number")
})

test('reconcile() of links: made, changed (set) and deleted by kind or group; a veth with its peer; loopback and links of other kinds stay', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const { reconcile } = await import('rtnl')
  const allOk = (r) => t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  const shown = (kind) => ipJson(ns, '-d', 'link', 'show', 'type', kind).map((l) => `${l.ifname} ${l.flags.includes('UP') ? 'up' : 'down'} ${l.mtu}`).sort()
  ip(ns, 'link', 'add', 'keep0', 'type', 'ifb')
  const bridges = { scope: { kind: 'bridge' }, netns }

  let r = await reconcile('links', [{ name: 'br1', flagNames: ['UP', 'MULTICAST'] }, { name: 'br2', linkinfo: { kind: 'bridge', data: { stpState: 1 } } }], bridges)
  t.deepEqual([r.add.length, r.replace.length, r.remove.length, r.unchanged], [2, 0, 0, 0])
  allOk(r)
  t.deepEqual(shown('bridge'), ['br1 up 1500', 'br2 down 1500'])
  t.is(ipJson(ns, '-d', 'link', 'show', 'br2')[0].linkinfo.info_data.stp_state, 1)

  r = await reconcile('links', [{ name: 'br1', flagNames: ['UP', 'MULTICAST'] }, { name: 'br2', linkinfo: { kind: 'bridge', data: { stpState: 1 } } }], bridges)
  t.deepEqual([r.ops.length, r.unchanged], [0, 2], 'listed links equal the desired ones: nothing sent')

  // br1 down with another MTU (a set: setFlags turns UP off; flagNames only turns on), br2 gone; the ifb and lo are of no kind in the scope.
  r = await reconcile('links', [{ name: 'br1', setFlags: { UP: false }, mtu: 1400 }], bridges)
  t.deepEqual([r.replace.length, r.remove.length], [1, 1])
  t.deepEqual(r.ops.map((o) => `${o.verb} ${o.object.name}`), ['del br2', 'set br1'])
  allOk(r)
  t.deepEqual(shown('bridge'), ['br1 down 1400'])
  t.deepEqual(shown('ifb'), ['keep0 down 1500'])

  // A veth is made with its peer; the peer, listed, is not removed; one delete takes both.
  const veths = { scope: { kind: 'veth' }, netns }
  const pair = [{ name: 'va', flagNames: ['UP', 'MULTICAST'], linkinfo: { kind: 'veth', data: { peer: { name: 'vb' } } } }]
  allOk(await reconcile('links', pair, veths))
  t.deepEqual(shown('veth'), ['va up 1500', 'vb down 1500'])
  r = await reconcile('links', pair, veths)
  t.deepEqual([r.ops.length, r.unchanged, r.remove.length], [0, 1, 0])
  r = await reconcile('links', [], veths)
  t.deepEqual(r.remove.map((l) => l.name).sort(), ['va', 'vb'])
  t.is(r.ops.length, 1, 'the peer goes with the first')
  allOk(r)
  t.deepEqual(shown('veth'), [])

  // A link outside the scope is not this reconcile's to change: refused, nothing sent; set into the scope, it is.
  const outside = await t.throwsAsync(reconcile('links', [{ name: 'br1' }], { scope: { group: 7 }, netns }))
  t.true(outside instanceof RtnlError)
  t.is(outside.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.is(
    outside.message,
    "reconcile: link 'br1' exists outside the scope (kind bridge, group 0); reconcile changes only links in its scope: set it into the scope first (links.set) or give another name",
  )
  t.is((await links.get({ name: 'br1' }, { netns })).group, 0)
  await links.set({ name: 'br1', group: 7 }, { netns })
  r = await reconcile('links', [{ name: 'br1' }], { scope: { group: 7 }, netns })
  t.deepEqual([r.add.length, r.replace.length, r.unchanged], [0, 0, 1])
  const plan = await reconcile('links', [], { scope: { group: 0 }, netns, dryRun: true })
  t.deepEqual(plan.remove.map((l) => l.name), ['keep0'], 'loopback (no kind) is never removed; br1 is in group 7 now')

  // Loopback is in group 0 but no one's to delete: desired as it is, it is unchanged.
  r = await reconcile('links', [{ name: 'lo', mtu: 65536 }], { scope: { group: 0 }, netns, dryRun: true })
  t.deepEqual([r.unchanged, r.ops.filter((o) => o.object.name === 'lo').length], [1, 0])

  // An index given (from another namespace's listing) is not sent: the link is its name.
  r = await reconcile('links', [{ name: 'br1', index: 4242, mtu: 1300 }], { scope: { group: 7 }, netns })
  allOk(r)
  t.false('index' in r.ops[0].object)
  t.is((await links.get({ name: 'br1' }, { netns })).mtu, 1300)

  // A name taken by a link of another kind, outside the scope: refused before sending (the add would fail).
  const taken = await t.throwsAsync(reconcile('links', [{ name: 'br1' }, { name: 'keep0' }], bridges))
  t.is(taken.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(taken.message, /^reconcile: link 'keep0' exists outside the scope \(kind ifb, group 0\)/)

  // A veth whose peer is outside the scope cannot be deleted: that would delete the peer.
  allOk(await reconcile('links', [{ name: 'br1' }, ...pair], { scope: { group: 7 }, netns }))
  t.is((await links.get({ name: 'vb' }, { netns })).group, 0, 'the peer is made in group 0')
  const refused = async (desired, opts, message) => {
    const e = await t.throwsAsync(reconcile('links', desired, { netns, ...opts }))
    t.true(e instanceof TypeError)
    t.is(e.code, 'ERR_INVALID_ARG_VALUE')
    t.is(e.message, message)
  }
  const cascade = await t.throwsAsync(reconcile('links', [{ name: 'br1' }], { netns, scope: { group: 7 } }))
  t.true(cascade instanceof RtnlError)
  t.is(cascade.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.is(cascade.message, "reconcile: deleting link 'va' would also delete its veth peer 'vb', outside the scope; pass allowCascade: true to let the kernel do so (the plan lists what goes in cascade)")
  t.truthy(await links.get({ name: 'va' }, { netns }), 'nothing was sent')
  const planned = await reconcile('links', [{ name: 'br1' }], { netns, scope: { group: 7 }, allowCascade: true, dryRun: true })
  t.deepEqual([planned.ops.map((o) => `${o.verb} ${o.object.name}`), planned.cascade.map((l) => l.name)], [['del va'], ['vb']])
  const peerOutside = await t.throwsAsync(reconcile('links', [{ name: 'br1' }, { name: 'vb', group: 7 }], { netns, scope: { group: 7 } }))
  t.is(peerOutside.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(peerOutside.message, /^reconcile: link 'vb' exists outside the scope \(kind veth, group 0\)/)
  await links.set({ name: 'vb', group: 7 }, { netns })
  await refused([{ name: 'br1' }, { name: 'vb' }], { scope: { group: 7 } }, "reconcile: link 'va' is not desired, but deleting it would delete its veth peer 'vb', which is desired: desire both or neither")
  await refused([{ name: 'x', kind: 'veth' }], bridges, "reconcile: desired[0].kind is 'veth', outside the scope (kind: 'bridge')")
  await refused([{ mtu: 1400 }], bridges, 'reconcile: desired[0].name is required: a reconciled link is its name, got undefined')
  await refused([{ name: 'br1' }, { name: 'br1', mtu: 1400 }], bridges, "reconcile: desired[1].name 'br1' is given twice (also desired[0])")
  await refused([{ name: 'br1', netns: { name: 'other' } }], bridges, 'reconcile: desired[0].netns cannot be given: a reconciled link stays in the namespace reconciled')
})
