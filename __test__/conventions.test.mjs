// What a Node user expects and what used to surprise one (issue #11): no
// hang on a hostile namespace path, cancellable dumps, JSON-safe messages,
// typos rejected rather than ignored, coded errors, lossless names,
// configured table names, fan-out, disposal and abort.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { subscribe, unsubscribe, Monitor, MonitorBranch, links, routes, addresses, nsidOf, netnsNameOf, diff, keyOf, watch, RTNLGRP } from 'rtnl'
import { makeNetns, ip, ipBatch, collect, isOp, runNode } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

/** A FIFO, and a /run/netns entry that is a symlink to it. */
function makeFifo(t) {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-fifo-'))
  const fifo = join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const name = `rtnl-fifo-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  execFileSync('mkdir', ['-p', '/run/netns'])
  symlinkSync(fifo, `/run/netns/${name}`)
  t.teardown(() => {
    rmSync(`/run/netns/${name}`, { force: true })
    rmSync(dir, { recursive: true, force: true })
  })
  return { fifo, name }
}

test('a namespace path that is a FIFO fails fast everywhere: subscribe, list, nsidOf, netnsNameOf and the CLI; no thread is left stuck', async (t) => {
  const { fifo, name } = makeFifo(t)
  const r = await runNode([fileURLToPath(new URL('./fixtures/fifo.mjs', import.meta.url)), fifo, name], { timeout: 10000 })
  t.is(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  t.like(out, { threadsLeft: 0, eventLoopBlockedMs: 'under 200', netnsNameOf: null })
  for (const k of ['subscribe path', 'list path']) t.is(out[k][1], 'EINVAL', k)
  for (const k of ['subscribe name', 'list name']) t.is(out[k][1], 'EINVAL', k)
  t.is(out['subscribe path'][2], 'setns')
  t.regex(out['subscribe path'][3], /the file is not a network namespace/)
  t.is(out.nsidOf[0], 'RtnlError')
  const cliRun = await runNode([cli, 'monitor', '--netns', name], { timeout: 5000 })
  t.is(cliRun.code, 1)
  t.regex(cliRun.stderr, /not a network namespace.*\[EINVAL\]/)
})

test('list() and get() take a signal: an abort rejects at once with AbortError, an aborted signal before the call too', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const lines = []
  for (let i = 0; i < 50000; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  ipBatch(ns, lines)
  const ac = new AbortController()
  const pending = routes.list({ netns: { name: ns }, signal: ac.signal })
  // Measured from the abort to the rejection (not from the call: the other
  // tests of this file run meanwhile, and their synchronous ip calls hold
  // the event loop at times).
  let abortedAt = 0
  let rejectedAt = 0
  pending.catch(() => (rejectedAt = performance.now()))
  setImmediate(() => {
    abortedAt = performance.now()
    ac.abort()
  })
  const err = await t.throwsAsync(pending)
  t.is(err.name, 'AbortError')
  t.is(err.code, 'ABORT_ERR')
  t.true(rejectedAt - abortedAt < 100, `rejected ${rejectedAt - abortedAt} ms after the abort`)
  // The cancelled dump's thread ends too.
  for (const call of [
    () => routes.list({ netns: { name: ns }, signal: AbortSignal.abort() }),
    () => links.get({ name: 'lo' }, { netns: { name: ns }, signal: AbortSignal.abort() }),
    () => routes.get('10.0.0.1', { netns: { name: ns }, signal: AbortSignal.abort() }),
    () => nsidOf({ name: ns }, { signal: AbortSignal.abort() }),
  ]) {
    const e = await t.throwsAsync(call())
    t.is(e.name, 'AbortError')
  }
  const bad = await t.throwsAsync(routes.list({ netns: { name: ns }, signal: 'soon' }))
  t.is(bad.code, 'ERR_INVALID_ARG_TYPE')
  t.is(bad.message, "routes.list: signal must be an AbortSignal, got 'soon'")
  // Unaborted, the same call works.
  t.is((await routes.list({ netns: { name: ns }, signal: new AbortController().signal, table: 254 })).length, 50000)
})

test('JSON.stringify works on every message and list entry; family as the structs carry it (2/10) is accepted back', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'route', 'add', 'blackhole', '10.7.0.0/16')
  const ev = await events.waitFor(isOp('new_route', (r) => r.dst === '10.7.0.0'))
  const text = JSON.stringify(ev)
  t.deepEqual(JSON.parse(text).resource, ev.resource)
  const v4 = await routes.list({ netns: { name: ns }, family: ev.resource.family })
  t.true(v4.length > 0 && v4.every((r) => r.family === 2))
  t.true((await routes.list({ netns: { name: ns }, family: 10 })).every((r) => r.family === 10))
  t.true((await addresses.list({ netns: { name: ns }, family: 2 })).every((a) => a.family === 2))
  const e = await t.throwsAsync(routes.list({ family: 3 }))
  t.is(e.code, 'ERR_INVALID_ARG_VALUE')
  t.is(e.message, "routes.list: family must be 4 or 6 (IP versions), 2, 10 or 28 (AF_INET, AF_INET6, AF_MPLS), or 'inet', 'inet6', 'mpls', got number 3")
})

test('a typo is an error, never a different result', async (t) => {
  const cases = [
    [() => links.get({ name: 'lo\0evil' }), TypeError, 'ERR_INVALID_ARG_VALUE', 'links.get: name must not contain NUL, \'/\', \':\' or white space, got "lo\\u0000evil" (byte 2 is 0x00)'],
    [() => links.get({ name: 'a'.repeat(16) }), TypeError, 'ERR_INVALID_ARG_VALUE', `links.get: name must be an interface name of 1 to 15 bytes, got 16 bytes ("${'a'.repeat(16)}")`],
    [() => watch(['routes'], { filters: { route: { table: 5 } } }).next(), TypeError, 'ERR_INVALID_ARG_VALUE', 'watch: filters.route is not a kind with list filters; expected one of addresses, routes, rules, neighbours, nexthops, netconf, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb'],
    [() => watch(['routes'], { filters: { addresses: { family: 4 } } }).next(), TypeError, 'ERR_INVALID_ARG_VALUE', "watch: filters.addresses is given but 'addresses' is not watched"],
    [() => watch(['routes'], { filters: { routes: { tabel: 5 } } }).next(), TypeError, 'ERR_INVALID_ARG_VALUE', "watch: filters.routes options: unknown option 'tabel'; expected one of netns, signal, family, table, oif"],
    [() => watch(['routes'], { groups: [1] }).next(), TypeError, 'ERR_INVALID_ARG_VALUE', 'watch: groups is not an option of watch(): the groups follow from the kinds watched'],
    [() => watch(['routes'], { debounce: 5 }).next(), TypeError, 'ERR_INVALID_ARG_VALUE', "watch options: unknown option 'debounce'; expected one of netns, rcvbuf, maxQueued, maxDatagram, allNsid, filter, signal, afDetails, debounceMs, filters"],
    [() => subscribe({ maxDatagram: 64 }), RangeError, 'ERR_OUT_OF_RANGE', 'maxDatagram must be an integer from 8192 to 16777216, got 64: the kernel sends notifications of up to 8 KiB (more for links with many VFs)'],
    // eslint-disable-next-line no-sparse-arrays
    [() => subscribe({ groups: [1, , 3] }), TypeError, 'ERR_INVALID_ARG_TYPE', 'groups[1] must be a positive integer, got undefined'],
  ]
  for (const [call, cls, code, message] of cases) {
    const err = await t.throwsAsync(async () => call())
    t.true(err instanceof cls, `${message}: ${err.constructor.name}`)
    t.is(err.code, code, message)
    t.is(err.message, message)
  }
})

test('every misuse error has a code: concurrent next(), diff/keyOf with null, unsubscribe(null), new Monitor()', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  t.teardown(() => monitor.stop())
  const first = monitor.next()
  const second = await t.throwsAsync(monitor.next())
  t.is(second.name, 'RtnlError')
  t.is(second.code, 'ERR_RTNL_CONCURRENT_NEXT')
  t.regex(second.message, /^next\(\) was called again before the previous call settled: .*use monitor\.tee\(\)/)
  await monitor.stop()
  t.deepEqual(await first, { value: undefined, done: true })
  for (const [call, code, message] of [
    [() => diff('routes', null, []), 'ERR_INVALID_ARG_TYPE', 'diff: before must be an array of routes, got null'],
    [() => keyOf('routes', null), 'ERR_INVALID_ARG_TYPE', 'keyOf: obj must be a routes object as list() returns it, got null'],
    [() => keyOf('rout', {}), 'ERR_INVALID_ARG_VALUE', "keyOf: unknown kind 'rout'; expected one of links, addresses, routes, rules, neighbours, nexthops, netconf, nsids, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb"],
    [() => new Monitor(), 'ERR_ILLEGAL_CONSTRUCTOR', 'Monitor is not constructible: use subscribe()'],
    [() => new MonitorBranch(), 'ERR_ILLEGAL_CONSTRUCTOR', 'MonitorBranch is not constructible: use monitor.tee()'],
  ]) {
    const err = t.throws(call)
    t.is(err.code, code)
    t.is(err.message, message)
  }
  const u = await t.throwsAsync(unsubscribe(null))
  t.is(u.code, 'ERR_INVALID_ARG_TYPE')
  t.is(u.message, 'unsubscribe takes a Monitor, got null')
})

test('an interface name that is not UTF-8 round-trips: listed, found again by name, kept through JSON', async (t) => {
  const ns = makeNetns(t)
  // 'n' 0xff 0xfe: not UTF-8. Through -batch: argv from Node is always UTF-8.
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: Buffer.concat([Buffer.from('link add '), Buffer.from([0x6e, 0xff, 0xfe]), Buffer.from(' type ifb\n')]) })
  const raw = execFileSync('ip', ['-n', ns, '-o', 'link', 'show', 'type', 'ifb'])
  t.true(raw.includes(Buffer.from([0x6e, 0xff, 0xfe])), 'the kernel has the raw bytes')
  const all = await links.list({ netns: { name: ns } })
  const odd = all.find((l) => l.kind === 'ifb')
  t.is(odd.name, 'n\udcff\udcfe')
  const again = await links.get({ name: odd.name }, { netns: { name: ns } })
  t.is(again.index, odd.index)
  const viaJson = JSON.parse(JSON.stringify(odd)).name
  t.is((await links.get({ name: viaJson }, { netns: { name: ns } })).index, odd.index)
  const lone = await t.throwsAsync(links.get({ name: 'x\ud800' }, { netns: { name: ns } }))
  t.is(lone.code, 'ERR_INVALID_ARG_VALUE')
  t.is(lone.message, 'links.get: name has the lone surrogate U+D800, which stands for no byte')
})

test.serial('table, protocol and scope names configured in /etc/iproute2 are used, and picked up when the file changes', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const dir = '/etc/iproute2/rt_tables.d'
  execFileSync('mkdir', ['-p', dir])
  const file = join(dir, `rtnl-test-${process.pid}.conf`)
  const protos = '/etc/iproute2/rt_protos.d'
  execFileSync('mkdir', ['-p', protos])
  const pfile = join(protos, `rtnl-test-${process.pid}.conf`)
  t.teardown(() => {
    rmSync(file, { force: true })
    rmSync(pfile, { force: true })
  })
  writeFileSync(file, '# a test table\n1234 rtnltest\n0x4d2 ignored-duplicate-of-1234-later-wins\n77 vpn\n')
  writeFileSync(pfile, '201 rtnlproto\n')
  ip(ns, 'route', 'add', 'blackhole', '10.8.0.0/16', 'table', '77', 'proto', '201')
  await new Promise((resolve) => setTimeout(resolve, 1100)) // past the 1 s re-read interval
  const [r] = await routes.list({ netns: { name: ns }, table: 77 })
  t.is(r.tableName, 'vpn')
  t.is(r.protocolName, 'rtnlproto')
  t.is(execFileSync('ip', ['-n', ns, 'route', 'show', 'table', 'vpn'], { encoding: 'utf8' }).includes('10.8.0.0/16'), true, 'ip agrees')
  // Events use the same names; a renamed table shows up without a restart.
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  writeFileSync(file, '77 vpn2\n')
  await new Promise((resolve) => setTimeout(resolve, 1100))
  ip(ns, 'route', 'add', 'blackhole', '10.9.0.0/16', 'table', '77')
  const ev = await events.waitFor(isOp('new_route', (x) => x.dst === '10.9.0.0'))
  t.is(ev.resource.tableName, 'vpn2')
  t.is(readFileSync(file, 'utf8'), '77 vpn2\n')
})

test('tee(): one monitor fans out to many consumers, each with its own bounded queue; ending one leaves the rest', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE], maxQueued: 20000 })
  t.teardown(() => monitor.stop())
  const fast = collect(monitor.tee())
  const quitter = monitor.tee()
  const slow = monitor.tee() // never read until the end: falls behind
  const direct = await t.throwsAsync(monitor.next())
  t.is(direct.code, 'ERR_RTNL_CONCURRENT_NEXT')
  ip(ns, 'route', 'add', 'blackhole', '10.1.0.0/16')
  const q = await quitter.next()
  t.is(q.value.resource.dst, '10.1.0.0')
  t.deepEqual(await quitter.return(), { value: undefined, done: true })
  const lines = []
  for (let i = 0; i < 30000; i++) lines.push(`route add blackhole 10.${2 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`)
  // In a child, so this event loop runs (and the fast branch reads) during the burst.
  await runNode(['ip', '-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' })
  ip(ns, 'route', 'add', 'blackhole', '10.3.0.0/16')
  await fast.waitFor(isOp('new_route', (r) => r.dst === '10.3.0.0'), 10000, 'the marker on the fast branch')
  t.is(fast.seen.filter((m) => m.type === 'event').length, 30002, 'the fast branch got every event')
  t.is(fast.seen.filter((m) => m.type === 'resync_needed').length, 0)
  const slowSeen = []
  for (let i = 0; i < 20001; i++) slowSeen.push((await slow.next()).value)
  t.is(slowSeen.filter((m) => m.type === 'event').length, 20000, 'the slow branch kept maxQueued events')
  t.deepEqual(slowSeen[20000], { type: 'resync_needed', reason: 'overflow' }, 'then said it dropped the rest')
  t.is(monitor.stats().dropped, 0, 'the monitor itself dropped nothing')
  await monitor.stop()
  await fast.done
  t.deepEqual(await slow.next(), { value: undefined, done: true })
})

test('Symbol.asyncDispose stops the monitor (await using)', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  t.is(typeof monitor[Symbol.asyncDispose], 'function')
  await monitor[Symbol.asyncDispose]()
  t.true(monitor.stopped)
  t.deepEqual(await monitor.next(), { value: undefined, done: true })
  t.true(existsSync('/proc/self'))
})

test('a link carries no hex for what is known: cacheinfo decoded, devconf and IPv6 statistics behind afDetails, events and list() alike', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'a0', 'master', 'br0')
  for (const l of ['lo', 'a0', 'b0', 'br0']) ip(ns, 'link', 'set', l, 'up')
  const plain = await links.list({ netns: { name: ns } })
  for (const l of plain) {
    t.deepEqual(l.unknown ?? [], [], `${l.name}: no undecoded attribute`)
    t.deepEqual(l.afSpec.inet6.unknown ?? [], [], `${l.name}: no undecoded inet6 attribute`)
    t.is(typeof l.afSpec.inet6.cacheinfo.reachableTime, 'number')
    t.is(l.afSpec.inet6.conf, undefined)
    t.is(l.afSpec.inet, undefined)
    // ip -s -d -j: the same facts (with counters); ours adds flag bits, cacheinfo and every stats64 counter.
    const ipSize = execFileSync('ip', ['-n', ns, '-s', '-d', '-j', 'link', 'show', 'dev', l.name]).length
    t.true(JSON.stringify(l).length < 2.5 * ipSize, `${l.name}: ${JSON.stringify(l).length} bytes of JSON, ip -s -d -j ${ipSize}`)
  }
  const detailed = await links.get({ name: 'a0' }, { netns: { name: ns }, afDetails: true })
  t.is(detailed.afSpec.inet.conf.forwarding, Number(execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv4.conf.a0.forwarding'], { encoding: 'utf8' }).trim()))
  t.is(detailed.afSpec.inet6.conf.mtu6, 1500)
  t.is(detailed.afSpec.inet6.conf.hoplimit, Number(execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-n', 'net.ipv6.conf.a0.hop_limit'], { encoding: 'utf8' }).trim()))
  t.is(typeof detailed.afSpec.inet6.stats.inpkts, 'number')
  t.is(typeof detailed.afSpec.inet6.icmp6Stats.outmsgs, 'number')
  // A monitor with the same option gives the same struct as the list.
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK], afDetails: true })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'link', 'set', 'a0', 'mtu', '1400')
  const ev = await events.waitFor(isOp('new_link', (l) => l.name === 'a0' && l.mtu === 1400))
  t.is(typeof ev.resource.afSpec.inet6.conf.mtu6, 'number')
  t.is(typeof ev.resource.afSpec.inet.conf.forwarding, 'number')
  const bad = await t.throwsAsync(links.list({ afDetails: 'yes' }))
  t.is(bad.code, 'ERR_INVALID_ARG_TYPE')
  t.is(bad.message, "links.list: afDetails must be a boolean, got 'yes'")
})
