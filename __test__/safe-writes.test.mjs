// The scope is a promise: reconcile() and writes never change or delete an
// object outside their scope, or another object than the one they name.
// Each test builds what a user's host has (routes of other protocols, the
// kernel's own rules and addresses, stacked links, nexthop groups), runs a
// reconcile, and compares everything outside the scope with `ip -d -j`
// listings taken before and after: exactly as before, or the call was
// refused with nothing sent.
import test from 'ava'
import { reconcile, routes, links, RtnlError } from 'rtnl'
import { execFileSync } from 'node:child_process'
import { makeNetns, ip, ipJson, waitQuiet } from './_helpers.mjs'

/**
 * A namespace with lo up and a veth pair v0/v1 up, v0 at 10.9.0.1/24 and
 * fd00::1/64. Without duplicate address detection, and settled: the kernel
 * would otherwise add link-local addresses and their routes a second later,
 * by itself, between the listings a test compares.
 */
async function host(t) {
  const ns = makeNetns(t)
  for (const k of ['all', 'default']) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${k}.accept_dad=0`])
  for (const line of [
    'link set lo up',
    'link add v0 type veth peer name v1',
    'link set v0 up',
    'link set v1 up',
    'addr add 10.9.0.1/24 dev v0',
    '-6 addr add fd00::1/64 dev v0 nodad',
  ]) ip(ns, ...line.split(' '))
  await waitQuiet(ns, 500)
  return { ns, netns: { name: ns } }
}

/**
 * Everything `ip` shows of a namespace, one JSON string per object, per
 * listing: routes and rules of both families in every table, addresses
 * (flattened per address, with their link), links, nexthops. Lifetimes and
 * counters, which move by themselves, are left out.
 */
function state(ns) {
  const out = {}
  const strip = (o) => {
    const { valid_life_time: _v, preferred_life_time: _p, stats: _s, stats64: _s64, ...rest } = o
    return JSON.stringify(rest)
  }
  for (const f of ['-4', '-6']) {
    out[`routes${f}`] = ipJson(ns, f, '-d', 'route', 'show', 'table', 'all').map(strip)
    out[`rules${f}`] = ipJson(ns, f, 'rule', 'show').map(strip)
  }
  out.addresses = ipJson(ns, '-d', 'addr', 'show').flatMap((l) => l.addr_info.map((a) => strip({ dev: l.ifname, ...a })))
  out.links = ipJson(ns, '-d', 'link', 'show').map(strip)
  out.nexthops = ipJson(ns, 'nexthop', 'show').map(strip)
  return out
}

/** Asserts that every object of `before` for which `inScope` is false is in `after`, unchanged, and nothing new appeared outside. */
function outsideUnchanged(t, before, after, inScope = () => false) {
  for (const key of Object.keys(before)) {
    const keep = (list) => list.filter((s) => !inScope(key, JSON.parse(s))).sort()
    t.deepEqual(keep(after[key]), keep(before[key]), `${key} outside the scope`)
  }
}

test('reconcile never replaces a route of another protocol sharing its IPv4 kernel identity: it appends, then deletes the old one', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'route', 'add', '10.5.0.0/16', 'via', '10.9.0.2', 'proto', 'boot', 'table', '100')
  ip(ns, 'route', 'append', '10.5.0.0/16', 'via', '10.9.0.3', 'proto', 'static', 'table', '100')
  const before = state(ns)
  const desired = [{ dst: '10.5.0.0', dstLen: 16, gateway: '10.9.0.4', protocol: 4, table: 100 }]
  const scope = { protocol: 'static', table: 100 }
  const r = await reconcile('routes', desired, { netns, scope })
  t.deepEqual(r.ops.map((o) => o.verb), ['append', 'del'])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  // ip leaves out the protocol boot, its default.
  const table = ipJson(ns, 'route', 'show', 'table', '100').map((x) => `${x.gateway} ${x.protocol ?? 'boot'}`).sort()
  t.deepEqual(table, ['10.9.0.2 boot', '10.9.0.4 static'])
  const isStatic = (key, o) => key === 'routes-4' && o.protocol === 'static'
  outsideUnchanged(t, before, state(ns), isStatic)
  const again = await reconcile('routes', desired, { netns, scope })
  t.deepEqual([again.ops.length, again.unchanged], [0, 1], 'a second run plans nothing')
})

test('reconcile refuses an IPv6 route replace that the kernel would make on a route of another protocol, and sends nothing', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, '-6', 'route', 'add', '2001:db8:5::/64', 'dev', 'v1', 'proto', 'boot', 'table', '100')
  ip(ns, '-6', 'route', 'append', '2001:db8:5::/64', 'via', 'fd00::2', 'dev', 'v0', 'proto', 'static', 'table', '100')
  const before = state(ns)
  const e = await t.throwsAsync(
    reconcile('routes', [{ dst: '2001:db8:5::', dstLen: 64, gateway: 'fd00::4', oif: 'v0', table: 100 }], { netns, scope: { protocol: 'static', table: 100 } }),
  )
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(e.message, /^reconcile: replacing route 2001:db8:5::\/64 via fd00::2 oif \d+ table 100 metric 1024 proto 4 would replace route 2001:db8:5::\/64 oif \d+ table 100 metric 1024 proto 3, which is outside the scope: IPv6 replaces a route of the same table, destination and metric whoever made it/)
  outsideUnchanged(t, before, state(ns))
})

test('reconcile of rules never deletes the rules the kernel made: scope { table: main, family: 4 } keeps 32766, { family: 4 } keeps 0 and 32767', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'rule', 'add', 'pref', '100', 'from', '10.1.0.0/16', 'table', 'main')
  const before = state(ns)
  const main = await reconcile('rules', [], { netns, scope: { table: 'main', family: 4 } })
  t.deepEqual(main.remove.map((x) => x.priority), [100], 'only the rule a user made')
  t.true(main.results.every((x) => x.ok))
  const all = await reconcile('rules', [], { netns, scope: { family: 4 }, dryRun: true })
  t.deepEqual(all.remove, [])
  outsideUnchanged(t, before, state(ns), (key, o) => key === 'rules-4' && o.priority === 100)
  t.deepEqual(ipJson(ns, '-4', 'rule', 'show').map((x) => x.priority), [0, 32766, 32767])
})

test('reconcile of addresses never deletes what the kernel made: the link-local fe80:: of a link, ::1', async (t) => {
  const { ns, netns } = await host(t)
  const v0 = (await links.get({ name: 'v0' }, { netns })).index
  const six = await reconcile('addresses', [], { netns, scope: { family: 6 }, dryRun: true })
  t.deepEqual(six.remove.map((a) => a.address ?? a.local), ['fd00::1'], 'only the address a user made')
  // The link-local address arrives once the link has a carrier; it is there by now or comes later, and stays.
  const before = state(ns)
  const r = await reconcile('addresses', [], { netns, scope: { index: 'v0', family: 6 } })
  t.true(r.results.every((x) => x.ok))
  t.false(r.remove.some((a) => String(a.address).startsWith('fe80:')))
  // fd00::1 goes, and with it what exists because of it: its prefix route and its local route.
  const derived = (key, o) => (key === 'addresses' && o.local === 'fd00::1') || (key === 'routes-6' && (o.dst === 'fd00::1' || o.dst === 'fd00::/64'))
  outsideUnchanged(t, before, state(ns), derived)
  t.true(ipJson(ns, '-6', 'addr', 'show', 'dev', 'lo')[0].addr_info.some((a) => a.local === '::1'))
  t.true(v0 > 0)
})

test('reconcile of IPv4 addresses never deletes 127.0.0.1 on lo, which carries no IFA_PROTO on any kernel', async (t) => {
  const { ns, netns } = await host(t)
  t.is(ipJson(ns, '-d', '-4', 'addr', 'show', 'dev', 'lo')[0].addr_info.find((a) => a.local === '127.0.0.1').protocol, undefined, 'the kernel does not mark it')
  const four = await reconcile('addresses', [], { netns, scope: { family: 4 }, dryRun: true })
  t.false(four.remove.some((a) => a.local === '127.0.0.1'))
  const before = state(ns)
  const r = await reconcile('addresses', [], { netns, scope: { family: 4, index: 'lo' } })
  t.deepEqual(r.remove, [])
  t.deepEqual(state(ns), before)
})

test('reconcile refuses a delete whose kernel cascade reaches outside the scope: a primary address and its secondary of another label', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'addr', 'add', '10.20.0.1/24', 'dev', 'v0', 'label', 'v0:a')
  ip(ns, 'addr', 'add', '10.20.0.2/24', 'dev', 'v0', 'label', 'v0:b')
  const before = state(ns)
  const e = await t.throwsAsync(reconcile('addresses', [], { netns, scope: { index: 'v0', label: 'v0:a' } }))
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.is(e.message, 'reconcile: deleting address 10.20.0.1/24 would also delete its secondary address 10.20.0.2/24 (label v0:b), outside the scope; pass allowCascade: true to let the kernel do so (the plan lists what goes in cascade)')
  outsideUnchanged(t, before, state(ns))
  const plan = await reconcile('addresses', [], { netns, scope: { index: 'v0', label: 'v0:a' }, allowCascade: true, dryRun: true })
  t.deepEqual(plan.cascade.map((a) => a.local), ['10.20.0.2'])
})

test('reconcile refuses deleting a nexthop that a group and routes outside the scope use', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'nexthop', 'add', 'id', '1', 'via', '10.9.0.2', 'dev', 'v0', 'proto', 'static')
  ip(ns, 'nexthop', 'add', 'id', '2', 'via', '10.9.0.3', 'dev', 'v0', 'proto', 'boot')
  ip(ns, 'nexthop', 'add', 'id', '11', 'group', '1/2', 'proto', 'boot')
  ip(ns, 'route', 'add', '10.30.0.0/16', 'nhid', '11', 'proto', 'boot')
  ip(ns, 'route', 'add', '10.31.0.0/16', 'nhid', '1', 'table', '100')
  const before = state(ns)
  const e = await t.throwsAsync(reconcile('nexthops', [], { netns, scope: { protocol: 'static' } }))
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(e.message, /^reconcile: deleting nexthop 1 would also change group 11, outside the scope \(and 1 more\)/)
  outsideUnchanged(t, before, state(ns))
  const plan = await reconcile('nexthops', [], { netns, scope: { protocol: 'static' }, allowCascade: true, dryRun: true })
  t.deepEqual(plan.cascade.map((o) => o.id ?? o.dst).sort(), [11, '10.31.0.0'].sort())
})

test('reconcile refuses deleting a veth whose peer lives in another namespace, and a link with a macvlan on top', async (t) => {
  const { ns, netns } = await host(t)
  const other = makeNetns(t, 'rtnl-peer')
  ip(ns, 'link', 'add', 'c0', 'type', 'veth', 'peer', 'name', 'c1', 'netns', other)
  const before = state(ns)
  const e = await t.throwsAsync(reconcile('links', [{ name: 'v0' }, { name: 'v1' }], { netns, scope: { kind: 'veth' } }))
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(e.message, /^reconcile: deleting link 'c0' would also delete its veth peer \(ifindex \d+\) in the namespace of nsid \d+, outside the scope/)
  outsideUnchanged(t, before, state(ns))
  t.is(ipJson(other, 'link', 'show', 'c1').length, 1)

  ip(ns, 'link', 'add', 'm0', 'link', 'v0', 'type', 'macvlan')
  const e2 = await t.throwsAsync(reconcile('links', [{ name: 'c0' }], { netns, scope: { kind: 'veth' } }))
  t.is(e2.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(e2.message, /^reconcile: deleting link 'v0' would also delete link 'm0' \(macvlan on top of it\), outside the scope/)
  t.is(ipJson(ns, 'link', 'show', 'm0').length, 1)
})

test('reconcile sends nothing when one desired object is invalid: a misspelled key leaves the old routes in place', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'route', 'add', '10.5.0.0/16', 'via', '10.9.0.2', 'table', '100')
  const before = state(ns)
  const e = await t.throwsAsync(reconcile('routes', [{ dst: '10.6.0.0', dstLen: 16, gatway: '10.9.0.3', table: 100 }], { netns, scope: { table: 100 } }))
  t.true(e instanceof TypeError)
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.regex(e.message, /^reconcile: nothing was sent: change 1 \(add of routes\) is invalid: routes\.add: unknown field 'gatway'/)
  outsideUnchanged(t, before, state(ns))
  const dry = await t.throwsAsync(reconcile('routes', [{ dst: '10.6.0.0', dstLen: 16, gatway: '10.9.0.3', table: 100 }], { netns, scope: { table: 100 }, dryRun: true }))
  t.is(dry.message, e.message, 'a dry run validates what a real run validates')
})

test('reconcile refuses a desired link named with a template (%d), which the kernel would name anew on every run', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  const before = state(ns)
  const e = await t.throwsAsync(reconcile('links', [{ name: 'br%d', linkinfo: { kind: 'bridge' } }], { netns, scope: { kind: 'bridge' } }))
  t.true(e instanceof TypeError)
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.is(e.message, "reconcile: desired[0].name 'br%d' is a name template (%d): the kernel picks the name, so a reconciled link could never be found again; give the name itself")
  outsideUnchanged(t, before, state(ns))
  for (const [verb, call] of [['set', () => links.set({ name: 'br%d', mtu: 1400 }, { netns })], ['del', () => links.del({ name: 'br%d' }, { netns })]]) {
    const err = await t.throwsAsync(call())
    t.is(err.code, 'ERR_INVALID_ARG_VALUE')
    t.is(err.message, `links.${verb}: name 'br%d' is a name template (%d), which names no link; give the link's own name`)
  }
  // links.add takes the template as the kernel does, and says which name it made.
  t.is(await links.add({ name: 'br%d', linkinfo: { kind: 'bridge' } }, { netns }), 'br1', 'br0 is taken: the lowest free number')
  t.is(await links.add({ name: 'br%d', linkinfo: { kind: 'bridge' } }, { netns }), 'br2')
  t.is(await links.add({ linkinfo: { kind: 'bridge' } }, { netns }), 'bridge0', 'no name: the kind is the template')
  t.is(await links.add({ name: 'plain0', linkinfo: { kind: 'bridge' } }, { netns }), 'plain0')
  t.deepEqual(ipJson(ns, 'link', 'show', 'type', 'bridge').map((l) => l.ifname).sort(), ['br0', 'br1', 'br2', 'bridge0', 'plain0'])
  const bad = await t.throwsAsync(links.add({ name: 'br%s', linkinfo: { kind: 'bridge' } }, { netns }))
  t.true(bad instanceof TypeError)
  t.is(bad.code, 'ERR_INVALID_ARG_VALUE')
  t.is(bad.message, "links.add: name 'br%s' is a template with one %d and no other %: got another %")
  const long = await t.throwsAsync(links.add({ name: 'abcdefghijklmno%d', linkinfo: { kind: 'bridge' } }, { netns }))
  t.is(long.code, 'ERR_INVALID_ARG_VALUE')
  t.is(long.message, "links.add: name template 'abcdefghijklmno%d' gives 'abcdefghijklmno0', longer than 15 bytes")
})

test('reconcile refuses desired objects outside the scope, also by an implied family or a name, and fills what the scope fixes', async (t) => {
  const { ns, netns } = await host(t)
  const refused = async (desired, scope, message, instanceOf = TypeError) => {
    const e = await t.throwsAsync(reconcile('routes', desired, { netns, scope }))
    t.true(e instanceof instanceOf, e.message)
    t.is(e.code, 'ERR_INVALID_ARG_VALUE')
    t.is(e.message, message)
  }
  const before = state(ns)
  await refused([{ dst: '10.7.0.0', dstLen: 16, gateway: '10.9.0.2' }], { family: 6 }, 'reconcile: desired[0] is of family 2 (its addresses are of family 2), outside the scope (family: 6)')
  await refused([{ dst: '10.7.0.0', dstLen: 16, gateway: '10.9.0.2', oif: 'v1' }], { oif: 'v0' }, "reconcile: desired[0].oif is 'v1', outside the scope (oif: 'v0')")
  await refused([], { protocol: 'constructor' }, "reconcile: scope.protocol 'constructor' is not a name this library knows (unspec, redirect, kernel, boot, static, gated, ra, mrt, zebra, bird, dnrouted, xorp, ntk, dhcp, keepalived, babel, openr, bgp, isis, ospf, rip, eigrp); give the number")
  await refused([], { oif: 'nosuch0' }, "reconcile: scope.oif 'nosuch0' names no link in the namespace reconciled; expected a link name or an index")
  outsideUnchanged(t, before, state(ns))
  // Omitted fields the scope fixes are filled: a blackhole scope makes blackhole routes, and a second run plans nothing.
  const scope = { type: 'blackhole', table: 100 }
  const desired = [{ dst: '10.8.0.0', dstLen: 16 }]
  const r = await reconcile('routes', desired, { netns, scope })
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '100').map((x) => `${x.type} ${x.dst}`), ['blackhole 10.8.0.0/16'])
  t.deepEqual((await reconcile('routes', desired, { netns, scope })).ops, [])
  const link = await reconcile('routes', [{ dst: '10.8.1.0', dstLen: 24, oif: 'v0' }], { netns, scope: { scope: 'link', table: 101, oif: 'v0' } })
  t.true(link.results.every((x) => x.ok), JSON.stringify(link.results))
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '101').map((x) => `${x.scope} ${x.dev}`), ['link v0'])
})

test('reconcile: scope priority 0 is metric 0 for IPv4, conflicting duplicates are refused, a table that does not exist yet is empty', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'route', 'add', '10.40.0.0/16', 'via', '10.9.0.2', 'table', '100')
  ip(ns, 'route', 'add', '10.41.0.0/16', 'via', '10.9.0.2', 'table', '100', 'metric', '5')
  const zero = await reconcile('routes', [], { netns, scope: { priority: 0, table: 100 }, dryRun: true })
  t.deepEqual(zero.remove.map((x) => x.dst), ['10.40.0.0'])
  const e = await t.throwsAsync(
    reconcile('routes', [{ dst: '10.42.0.0', dstLen: 16, gateway: '10.9.0.2' }, { dst: '10.42.0.0', dstLen: 16, gateway: '10.9.0.3' }], { netns, scope: { table: 100 } }),
  )
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.is(e.message, 'reconcile: desired[0] and desired[1] are the same route to the kernel (family, table, destination, source, tos and metric); give each once')
  t.deepEqual(await routes.list({ netns, family: 4, table: 200 }), [])
  const fresh = await reconcile('routes', [{ dst: '10.43.0.0', dstLen: 16, gateway: '10.9.0.2' }], { netns, scope: { table: 200, family: 4 } })
  t.true(fresh.results.every((x) => x.ok), JSON.stringify(fresh.results))
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '200').map((x) => x.dst), ['10.43.0.0/16'])
})

test('reconcile changes an IPv4 address label by delete and add (the kernel replace leaves it), says so in breaks, and plans nothing the second time', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'addr', 'add', '10.50.0.1/24', 'dev', 'v0', 'label', 'v0:old')
  const before = state(ns)
  const desired = [{ local: '10.50.0.1', prefixlen: 24, label: 'v0:new' }, { local: '10.9.0.1', prefixlen: 24 }]
  const scope = { index: 'v0', family: 4 }
  const r = await reconcile('addresses', desired, { netns, scope })
  t.deepEqual(r.breaks.map((a) => a.local), ['10.50.0.1'])
  t.deepEqual(r.ops.map((o) => o.verb), ['del', 'add'])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.is(ipJson(ns, 'addr', 'show', 'dev', 'v0')[0].addr_info.find((a) => a.local === '10.50.0.1').label, 'v0:new')
  const again = await reconcile('addresses', desired, { netns, scope })
  t.deepEqual(again.ops, [], 'a second run plans nothing')
  outsideUnchanged(t, before, state(ns), (key, o) => key === 'addresses' && o.local === '10.50.0.1')
})

test('a link whose name is not UTF-8 can be set and deleted by the name list() gives, so reconcile can remove it', async (t) => {
  const { ns, netns } = await host(t)
  // bash's $'...' makes the raw bytes: 0xff is no UTF-8.
  execFileSync('bash', ['-c', `ip -n ${ns} link add name $'w\\xff0' type veth peer name $'w\\xff1'`])
  const [w0, w1] = ['w\udcff0', 'w\udcff1']
  t.truthy(await links.get({ name: w0 }, { netns }), 'listed under its surrogate-escaped name')
  await links.set({ name: w0, mtu: 1400 }, { netns })
  t.is((await links.get({ name: w0 }, { netns })).mtu, 1400)
  const r = await reconcile('links', [{ name: 'v0' }, { name: 'v1' }], { netns, scope: { kind: 'veth' } })
  t.deepEqual(r.remove.map((l) => l.name).sort(), [w0, w1])
  t.is(r.ops.length, 1, 'one delete: the peer goes with it')
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.is(await links.get({ name: w0 }, { netns }), null)
  t.is(await links.get({ name: w1 }, { netns }), null)
  await t.throwsAsync(links.del({ name: w1 }, { netns }), { code: 'ENODEV' })
})

test('reconcile sends nothing when a desired qdisc has a bad option key: the old tbf stays', async (t) => {
  const { ns, netns } = await host(t)
  execFileSync('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'v0', 'root', 'handle', '1:', 'tbf', 'rate', '1mbit', 'burst', '32kb', 'latency', '400ms'])
  const tcState = () => execFileSync('tc', ['-n', ns, '-j', 'qdisc', 'show'], { encoding: 'utf8' })
  const before = tcState()
  const desired = [{ handle: 0x20000, kind: 'tbf', options: { parms: { rate: { rate: 250000 }, limit: 10000, buffer: 4096000 }, rattle: 1 } }]
  const e = await t.throwsAsync(reconcile('qdiscs', desired, { netns, scope: { ifindex: 'v0', parent: 'root' } }))
  t.true(e instanceof TypeError)
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.regex(e.message, /^reconcile: nothing was sent: change 1 \(add of qdiscs\) is invalid: .*rattle/)
  t.is(tcState(), before)
})

test('reconcile refuses deleting the last IPv4 address of a link whose routes the kernel would flush, and only the last', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'addr', 'add', '10.61.0.1/24', 'dev', 'v0')
  ip(ns, 'route', 'add', '10.60.0.0/16', 'via', '10.9.0.2', 'proto', 'static')
  const scope = { index: 'v0', family: 4 }
  // 10.9.0.1 stays in the scope: the link keeps an address and its route.
  const before = state(ns)
  const r = await reconcile('addresses', [{ local: '10.9.0.1', prefixlen: 24 }], { netns, scope })
  t.deepEqual(r.remove.map((a) => a.local), ['10.61.0.1'])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  const derived = (key, o) => (key === 'addresses' && o.local === '10.61.0.1') || (key === 'routes-4' && String(o.dst).startsWith('10.61.0.'))
  outsideUnchanged(t, before, state(ns), derived)
  // Nothing desired: the last address would take 10.60.0.0/16 with it.
  const e = await t.throwsAsync(reconcile('addresses', [], { netns, scope }))
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.regex(e.message, /^reconcile: deleting address 10\.9\.0\.1\/24, the last IPv4 address of link \d+, would also flush route 10\.60\.0\.0\/16 via 10\.9\.0\.2 oif \d+ table 254 metric 0 proto 4, outside the scope/)
  t.is(ipJson(ns, 'route', 'show', '10.60.0.0/16').length, 1)
})

test('reconcile refuses lowering the MTU of a link under a macvlan outside the scope (the kernel lowers the macvlan with it), and lists it with allowCascade', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'link', 'add', 'b3', 'type', 'bridge')
  ip(ns, 'link', 'add', 'm1', 'link', 'b3', 'type', 'macvlan')
  const before = state(ns)
  const scope = { kind: 'bridge' }
  const e = await t.throwsAsync(reconcile('links', [{ name: 'b3', mtu: 1400 }], { netns, scope }))
  t.true(e instanceof RtnlError)
  t.is(e.code, 'ERR_RTNL_OUTSIDE_SCOPE')
  t.is(
    e.message,
    "reconcile: changing the MTU of link 'b3' (1500 to 1400) would also lower the MTU of link 'm1' (macvlan on top of it) to 1400, outside the scope; pass allowCascade: true to let the kernel do so (the plan lists what goes in cascade)",
  )
  outsideUnchanged(t, before, state(ns))
  // Raising it reaches nothing: the macvlan keeps its own.
  const up = await reconcile('links', [{ name: 'b3', mtu: 1600 }], { netns, scope, dryRun: true })
  t.deepEqual(up.cascade, [])
  const r = await reconcile('links', [{ name: 'b3', mtu: 1400 }], { netns, scope, allowCascade: true })
  t.deepEqual(r.cascade.map((l) => l.name), ['m1'])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.is(ipJson(ns, 'link', 'show', 'm1')[0].mtu, 1400, 'the kernel lowered it, as the plan said')
})

test('reconcile keeps a secondary address of ours whose primary it deletes: deleted before it and added again after, listed in breaks', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'addr', 'add', '10.20.0.3/24', 'dev', 'v1', 'label', 'v1')
  ip(ns, 'addr', 'add', '10.20.0.1/24', 'dev', 'v1', 'label', 'v1:a')
  const before = state(ns)
  const desired = [{ local: '10.20.0.1', prefixlen: 24, label: 'v1:a' }]
  const scope = { index: 'v1', family: 4 }
  const r = await reconcile('addresses', desired, { netns, scope })
  t.deepEqual(r.remove.map((a) => a.local), ['10.20.0.3'])
  t.deepEqual(r.breaks.map((a) => a.local), ['10.20.0.1'])
  t.deepEqual(r.ops.map((o) => `${o.verb} ${o.object.local}`), ['del 10.20.0.1', 'del 10.20.0.3', 'add 10.20.0.1'])
  t.true(r.results.every((x) => x.ok), JSON.stringify(r.results))
  t.deepEqual(ipJson(ns, '-4', 'addr', 'show', 'dev', 'v1')[0].addr_info.map((a) => `${a.local} ${a.label}`), ['10.20.0.1 v1:a'])
  t.deepEqual((await reconcile('addresses', desired, { netns, scope })).ops, [], 'a second run plans nothing')
  // v1's own kernel routes follow its addresses (derived); nothing else outside changed.
  outsideUnchanged(t, before, state(ns), (key, o) => (key === 'addresses' && o.dev === 'v1' && o.family === 'inet') || (key === 'routes-4' && o.dev === 'v1'))
})
