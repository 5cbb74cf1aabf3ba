// Strict input and honest results for every write: no value becomes
// "absent" on its way to the kernel, a name is never cut, flags change only
// as named, an abort stops the sending, and every op of a batch says what
// happened to it. Each test runs against the real kernel in a throwaway
// namespace; "nothing was sent" is checked with a monitor of the namespace
// (no event) and with `ip` listings before and after.
import test from 'ava'
import { batch, links, reconcile, routes, subscribe, RtnlError } from 'rtnl'
import { execFileSync } from 'node:child_process'
import { makeNetns, ip, ipBatch, ipJson, waitQuiet } from './_helpers.mjs'

/** A settled namespace: lo up, a veth pair v0/v1 up, v0 at 10.9.0.1/24, a route 10.5.0.0/16 in main. */
async function host(t) {
  const ns = makeNetns(t)
  // Without duplicate address detection: the kernel would otherwise add
  // link-local addresses a second later, by itself, during a test.
  for (const k of ['all', 'default']) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${k}.accept_dad=0`])
  ipBatch(ns, [
    'link set lo up',
    'link add v0 type veth peer name v1',
    'link set v0 up',
    'link set v1 up',
    'addr add 10.9.0.1/24 dev v0',
    'route add 10.5.0.0/16 via 10.9.0.2',
  ])
  await waitQuiet(ns, 500)
  return { ns, netns: { name: ns } }
}

/**
 * Runs `call` (which must reject) with a monitor of the default groups on
 * the namespace, and asserts that no event came (nothing reached the
 * kernel's configuration) and the listings did not move. Returns the error.
 */
async function refusedWithNothingSent(t, ns, call) {
  const monitor = await subscribe({ netns: { name: ns } })
  const before = [ipJson(ns, '-d', 'link'), ipJson(ns, 'addr'), ipJson(ns, 'route', 'show', 'table', 'all')]
  const err = await t.throwsAsync(call)
  // A request sent before the rejection would have its event queued by now;
  // a NOOP round trip (a get) orders after it.
  await links.get({ name: 'lo' }, { netns: { name: ns } })
  const next = monitor.next()
  const quiet = await Promise.race([next.then((r) => r.value), new Promise((r) => setTimeout(() => r('quiet'), 300))])
  await monitor.stop()
  t.is(quiet, 'quiet', `an event arrived after a refused call: ${JSON.stringify(quiet)}`)
  t.deepEqual([ipJson(ns, '-d', 'link'), ipJson(ns, 'addr'), ipJson(ns, 'route', 'show', 'table', 'all')], before)
  return err
}

function assertError(t, err, Class, code, message) {
  t.true(err instanceof Class, `${err?.name}: ${err?.message}`)
  t.is(err.code, code)
  if (message instanceof RegExp) t.regex(err.message, message)
  else t.is(err.message, message)
}

test('a number field of NaN, Infinity or -Infinity is refused naming the field, never sent as absent (table: NaN used to delete in main)', async (t) => {
  const { ns, netns } = await host(t)
  const cases = [
    [() => routes.del({ dst: '10.5.0.0', dstLen: 16, table: Number('x') }, { netns }), 'routes.del: table must be a finite number, got NaN'],
    [() => routes.add({ dst: '10.6.0.0', dstLen: NaN, gateway: '10.9.0.2' }, { netns }), 'routes.add: dstLen must be a finite number, got NaN'],
    [() => routes.add({ dst: '10.6.0.0', dstLen: 16, gateway: '10.9.0.2', priority: Infinity }, { netns }), 'routes.add: priority must be a finite number, got Infinity'],
    [() => routes.del({ dst: '10.5.0.0', dstLen: 16, table: -Infinity }, { netns }), 'routes.del: table must be a finite number, got -Infinity'],
    [() => routes.add({ dst: '10.6.0.0', dstLen: 16, gateway: '10.9.0.2', metrics: { mtu: NaN } }, { netns }), 'routes.add: metrics.mtu must be a finite number, got NaN'],
  ]
  for (const [call, message] of cases) assertError(t, await refusedWithNothingSent(t, ns, call), RangeError, 'ERR_OUT_OF_RANGE', message)
  t.truthy(ip(ns, 'route', 'show', '10.5.0.0/16').trim(), 'the route in main is still there')
})

test('a BigInt, a function, a symbol, a Date or undefined in an array is refused with ERR_INVALID_ARG_TYPE naming the field', async (t) => {
  const { ns, netns } = await host(t)
  const cases = [
    [{ dst: '10.6.0.0', dstLen: 16, gateway: '10.9.0.2', priority: 5n }, 'routes.add: priority must be a number, got the bigint 5n'],
    [{ dst: '10.6.0.0', dstLen: 16, gateway: () => 1 }, 'routes.add: gateway must be a number, string, boolean, array or object, got a function'],
    [{ dst: '10.6.0.0', dstLen: 16, gateway: '10.9.0.2', protocol: Symbol('x') }, 'routes.add: protocol must be a number, string, boolean, array or object, got a symbol'],
    [{ dst: '10.6.0.0', dstLen: 16, gateway: '10.9.0.2', table: new Date(0) }, /^routes\.add: table must be a plain object or an array, got Date /],
    [{ dst: '10.6.0.0', dstLen: 16, multipath: [{ gateway: '10.9.0.2' }, undefined] }, 'routes.add: multipath[1] is undefined: an array holds values (JSON would make it null)'],
  ]
  for (const [object, message] of cases) {
    assertError(t, await refusedWithNothingSent(t, ns, () => routes.add(object, { netns })), TypeError, 'ERR_INVALID_ARG_TYPE', message)
  }
})

test('a fraction is refused by the field that takes an integer, naming it and the value', async (t) => {
  const { ns, netns } = await host(t)
  const err = await refusedWithNothingSent(t, ns, () => routes.add({ dst: '10.6.0.0', dstLen: 16.5, gateway: '10.9.0.2' }, { netns }))
  t.is(err.code, 'ERR_INVALID_ARG_VALUE')
  t.regex(err.message, /^routes\.add: dstLen must be an integer from 0 to 32, got 16\.5/)
})

test('a name with NUL is refused on every write, never cut at the NUL (links.del of okbr\\0zzz used to delete okbr)', async (t) => {
  const { ns, netns } = await host(t)
  ipBatch(ns, ['link add okbr type bridge', 'link add keepme type bridge'])
  await waitQuiet(ns, 300)
  for (const [call, message] of [
    [() => links.del({ name: 'okbr\0zzz' }, { netns }), 'links.del: name must not contain NUL (the kernel would cut it there), got "okbr\\0zzz"'],
    [() => links.set({ name: 'keepme\0junk', mtu: 1400 }, { netns }), 'links.set: name must not contain NUL (the kernel would cut it there), got "keepme\\0junk"'],
    [() => links.add({ name: 'a\0b', linkinfo: { kind: 'bridge' } }, { netns }), 'links.add: name must not contain NUL (the kernel would cut it there), got "a\\0b"'],
  ]) {
    assertError(t, await refusedWithNothingSent(t, ns, call), TypeError, 'ERR_INVALID_ARG_VALUE', message)
  }
  const alias = await refusedWithNothingSent(t, ns, () => links.set({ name: 'keepme', ifalias: 'front\0back' }, { netns }))
  assertError(t, alias, TypeError, 'ERR_INVALID_ARG_VALUE', 'links.set: ifalias must not contain NUL (the kernel would cut it there), got "front\\0back"')
  const label = await refusedWithNothingSent(t, ns, () => batch([{ kind: 'addresses', verb: 'add', object: { index: 2, local: '10.9.0.7', prefixlen: 24, label: 'v0:\0x' } }], { netns }).then((r) => { if (!r[0].ok) throw r[0].error }))
  t.is(label.code, 'ERR_INVALID_ARG_VALUE')
  t.regex(label.message, /label must not contain NUL/)
  t.truthy(ip(ns, 'link', 'show', 'okbr').trim())
})

test("links.set with flagNames ['UP'] brings the link up and leaves MULTICAST on (it used to turn it off)", async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'link', 'set', 'v0', 'down')
  t.deepEqual(ipJson(ns, 'link', 'show', 'v0')[0].flags, ['BROADCAST', 'MULTICAST'])
  await links.set({ name: 'v0', flagNames: ['UP'] }, { netns })
  const flags = ipJson(ns, 'link', 'show', 'v0')[0].flags
  t.true(flags.includes('UP'))
  t.true(flags.includes('MULTICAST'))
  // A listed link given back changes none of its flags.
  const listed = await links.get({ name: 'v0' }, { netns })
  await links.set(listed, { netns })
  t.deepEqual(ipJson(ns, 'link', 'show', 'v0')[0].flags, flags)
})

test('setFlags turns a flag on or off as ip link set does: down, promisc on and off, multicast off', async (t) => {
  const { ns, netns } = await host(t)
  await links.set({ name: 'v0', setFlags: { PROMISC: true } }, { netns })
  t.true(ipJson(ns, 'link', 'show', 'v0')[0].flags.includes('PROMISC'))
  t.is(ipJson(ns, '-d', 'link', 'show', 'v0')[0].promiscuity, 1)
  await links.set({ name: 'v0', setFlags: { PROMISC: false, UP: false, MULTICAST: false } }, { netns })
  t.deepEqual(ipJson(ns, 'link', 'show', 'v0')[0].flags, ['BROADCAST'])
  t.is(ipJson(ns, '-d', 'link', 'show', 'v0')[0].promiscuity, 0)
  await links.set({ name: 'v0', setFlags: { UP: true, MULTICAST: true, ALLMULTI: true } }, { netns })
  const flags = ipJson(ns, 'link', 'show', 'v0')[0].flags
  for (const f of ['UP', 'MULTICAST', 'ALLMULTI']) t.true(flags.includes(f), f)
})

test('a state flag named by flagNames or flags is refused unless the link has it; setFlags refuses what it cannot set', async (t) => {
  const { ns, netns } = await host(t)
  ip(ns, 'link', 'set', 'v0', 'down')
  await waitQuiet(ns, 300)
  const promisc = await refusedWithNothingSent(t, ns, () => links.set({ name: 'v0', flagNames: ['UP', 'PROMISC'] }, { netns }))
  assertError(t, promisc, TypeError, 'ERR_INVALID_ARG_VALUE', "links.set: flagNames names PROMISC, the link's state, which a request does not set, and v0 has it off; setFlags turns UP, NOARP, MULTICAST, PROMISC, ALLMULTI, DYNAMIC on or off")
  const lowerUp = await refusedWithNothingSent(t, ns, () => links.set({ name: 'v0', flags: 0x10001 }, { netns }))
  assertError(t, lowerUp, TypeError, 'ERR_INVALID_ARG_VALUE', "links.set: flags has 0x10000 set, the link's state, which a request does not set, and v0 has it off; setFlags turns UP, NOARP, MULTICAST, PROMISC, ALLMULTI, DYNAMIC on or off")
  const unknown = await refusedWithNothingSent(t, ns, () => links.set({ name: 'v0', setFlags: { LOWER_UP: true } }, { netns }))
  assertError(t, unknown, TypeError, 'ERR_INVALID_ARG_VALUE', 'links.set: setFlags.LOWER_UP is not a flag a request sets; expected one of UP, NOARP, MULTICAST, PROMISC, ALLMULTI, DYNAMIC')
  const notBool = await refusedWithNothingSent(t, ns, () => links.set({ name: 'v0', setFlags: { UP: 1 } }, { netns }))
  assertError(t, notBool, TypeError, 'ERR_INVALID_ARG_TYPE', 'links.set: setFlags.UP must be true or false, got 1')
  const both = await refusedWithNothingSent(t, ns, () => links.set({ name: 'v0', flagNames: ['UP'], setFlags: { UP: false } }, { netns }))
  assertError(t, both, TypeError, 'ERR_INVALID_ARG_VALUE', 'links.set: setFlags.UP is false but flags/flagNames turn UP on; give it once')
})

test('batch: an op that fails validation fails alone, the others are made, and its result says why', async (t) => {
  const { ns, netns } = await host(t)
  const results = await batch(
    [
      { kind: 'routes', verb: 'add', object: { dst: '10.8.0.0', dstLen: 16, gateway: '10.9.0.2' } },
      { kind: 'routes', verb: 'add', object: { dst: '10.9.9.0', dstLen: NaN, gateway: '10.9.0.2' } },
      { kind: 'routes', verb: 'add', object: { dst: '10.10.0.0', dstLen: 33, gateway: '10.9.0.2' } },
      { kind: 'routes', verb: 'add', object: { dst: '10.11.0.0', dstLen: 16, gateway: '10.9.0.2' } },
    ],
    { netns },
  )
  t.true(results[0].ok)
  assertError(t, results[1].error, RangeError, 'ERR_OUT_OF_RANGE', 'routes.add: dstLen must be a finite number, got NaN')
  assertError(t, results[2].error, RangeError, 'ERR_OUT_OF_RANGE', 'routes.add: dstLen must be an integer from 0 to 32, got 33')
  t.true(results[3].ok)
  const dsts = ipJson(ns, 'route').map((r) => r.dst)
  t.true(dsts.includes('10.8.0.0/16') && dsts.includes('10.11.0.0/16'))
  t.false(dsts.some((d) => d.startsWith('10.9.9.') || d.startsWith('10.10.')))
})

test('batch: an op too large for the socket fails alone with EMSGSIZE, and the ops around it are made', async (t) => {
  const { ns, netns } = await host(t)
  const v0 = (await links.get({ name: 'v0' }, { netns })).index
  const multipath = Array.from({ length: 30000 }, () => ({ gateway: '10.9.0.2', oif: v0 }))
  const results = await batch(
    [
      { kind: 'routes', verb: 'add', object: { dst: '10.11.0.0', dstLen: 16, gateway: '10.9.0.2' } },
      { kind: 'routes', verb: 'add', object: { dst: '10.12.0.0', dstLen: 16, multipath } },
      { kind: 'routes', verb: 'add', object: { dst: '10.13.0.0', dstLen: 16, gateway: '10.9.0.2' } },
    ],
    { netns },
  )
  t.true(results[0].ok)
  assertError(t, results[1].error, RtnlError, 'EMSGSIZE', 'adding route 10.12.0.0/16 table 254: the request is larger than a netlink socket sends at once; not sent: sendto failed: EMSGSIZE (Message too long)')
  t.true(results[2].ok)
  const dsts = ipJson(ns, 'route').map((r) => r.dst)
  t.true(dsts.includes('10.11.0.0/16') && dsts.includes('10.13.0.0/16') && !dsts.includes('10.12.0.0/16'))
})

test('batch: an unknown key on an op (netns, dryRun) refuses the batch before anything is sent', async (t) => {
  const { ns, netns } = await host(t)
  const object = { dst: '10.7.0.0', dstLen: 16, gateway: '10.9.0.2' }
  for (const key of ['netns', 'dryRun']) {
    const op = { kind: 'routes', verb: 'add', object, [key]: key === 'netns' ? { name: 'elsewhere' } : true }
    const err = await refusedWithNothingSent(t, ns, () => batch([{ kind: 'routes', verb: 'add', object: { ...object, dst: '10.7.1.0', dstLen: 24 } }, op], { netns }))
    assertError(t, err, TypeError, 'ERR_INVALID_ARG_VALUE', `batch: ops[1] has an unknown key '${key}'; an op is { kind, verb, object } (netns, signal and the like are options of the whole batch)`)
  }
})

function bigBatch(n, table) {
  const dst = (i) => `10.${100 + ((i >> 16) & 255)}.${(i >> 8) & 255}.${i & 255}`
  return Array.from({ length: n }, (_, i) => ({ kind: 'routes', verb: 'add', object: { dst: dst(i), dstLen: 32, gateway: '10.9.0.2', table } }))
}

/**
 * Aborts `ac` when the first route of `table` shows in the namespace: the
 * abort then lands while the changes are being sent, whatever the speed of
 * the machine. Resolves once it has subscribed.
 */
async function abortOnFirstRoute(netns, table, ac) {
  const monitor = await subscribe({ netns })
  ;(async () => {
    for await (const m of monitor) {
      if (m.type === 'event' && m.op === 'new_route' && m.resource.table === table) break
    }
    ac.abort()
  })()
  return monitor
}

/** Routes in a table; a table no route was ever added to does not exist (0). */
const countRoutes = (ns, table) =>
  execFileSync('ip', ['-n', ns, 'route', 'show', 'table', 'all'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter((l) => l.includes(` table ${table} `) || l.endsWith(` table ${table}`)).length

test.serial('batch: an abort stops the sending at once; the AbortError says per op what was made and what was not sent, and nothing is made after it', async (t) => {
  const { ns, netns } = await host(t)
  const ops = bigBatch(100000, 100)
  const ac = new AbortController()
  const monitor = await abortOnFirstRoute(netns, 100, ac)
  t.teardown(() => monitor.stop())
  const err = await t.throwsAsync(batch(ops, { netns, signal: ac.signal }))
  t.is(err.name, 'AbortError')
  t.is(err.code, 'ABORT_ERR')
  t.is(err.results.length, ops.length)
  const made = err.results.filter((r) => r.ok).length
  const notSent = err.results.filter((r) => !r.ok && r.error.code === 'ERR_RTNL_NOT_SENT')
  t.true(notSent.length > 0, 'the abort came before the end')
  t.is(made + notSent.length, ops.length, 'every op made or not sent')
  t.true(notSent[0].error instanceof RtnlError)
  for (const r of [notSent[0], notSent.at(-1)]) t.regex(r.error.message, /(^|: )not sent: the batch was aborted before this change$/)
  // The made ones come first, in order: the sending stopped, it did not skip.
  t.true(err.results.slice(0, made).every((r) => r.ok))
  await new Promise((r) => setTimeout(r, 1500))
  t.is(countRoutes(ns, 100), made, 'what the kernel holds 1.5 s later is what the results say was made')
})

test.serial('reconcile: an abort stops the sending the same way, with per-op results and nothing made after it', async (t) => {
  const { ns, netns } = await host(t)
  const desired = bigBatch(60000, 101).map((op) => op.object)
  const ac = new AbortController()
  const monitor = await abortOnFirstRoute(netns, 101, ac)
  t.teardown(() => monitor.stop())
  const e = await t.throwsAsync(reconcile('routes', desired, { netns, scope: { table: 101 }, signal: ac.signal }))
  t.is(e.name, 'AbortError')
  t.is(e.code, 'ABORT_ERR')
  await new Promise((r) => setTimeout(r, 1500))
  t.is(e.results.length, e.ops.length)
  t.true(e.results.some((r) => r.ok) && e.results.some((r) => !r.ok), 'the abort landed while the changes were sent')
  const made = e.results.filter((r) => r.ok).length
  t.log(`${made} of ${e.ops.length} changes made before the abort`)
  t.is(made + e.results.filter((r) => !r.ok && r.error.code === 'ERR_RTNL_NOT_SENT').length, e.ops.length)
  t.is(countRoutes(ns, 101), made)
})

test('reconcile dryRun and allowCascade take only booleans: 0, empty, null, "false" and "no" are refused', async (t) => {
  const { netns } = await host(t)
  for (const v of [0, '', null, 'false', 'no', 1]) {
    const err = await t.throwsAsync(reconcile('routes', [], { netns, scope: { table: 100 }, dryRun: v }))
    assertError(t, err, TypeError, 'ERR_INVALID_ARG_TYPE', `reconcile: dryRun must be true or false, got ${v === null ? 'null' : typeof v === 'string' ? `'${v}'` : `number ${v}`}`)
  }
})

test('maxDatagram out of range names the real minimum, 8192', async (t) => {
  const err = await t.throwsAsync(subscribe({ maxDatagram: 2 ** 40 }))
  assertError(t, err, RangeError, 'ERR_OUT_OF_RANGE', 'maxDatagram must be an integer from 8192 to 16777216, got 1099511627776: the kernel sends notifications of up to 8 KiB (more for links with many VFs)')
})
