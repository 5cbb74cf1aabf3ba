// Hardening: only the kernel is believed, truncation, leaks over many
// monitors, namespaces of threads, worker_threads, process.exit(), a deleted
// namespace, privileges, and methods after stop().
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { readdirSync, readlinkSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { subscribe, links, RTNLGRP } from 'rtnl'
import { addNetns, delNetns } from '../scripts/netns.mjs'
import { makeNetns, ip, ipBatch, collect, isOp, runNode, socketAndNetnsFds, threadCount } from './_helpers.mjs'

const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))
const SOAK = Number(process.env.RTNL_SOAK_CYCLES ?? 500)

test('a forged message from another socket is dropped and counted; kernel events still arrive', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  t.true(monitor.portId > 0)
  execFileSync('ip', ['netns', 'exec', ns, 'python3', fixture('forge.py'), String(monitor.portId), '10'])
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  await events.waitFor(isOp('new_link', (l) => l.name === 'k0'), 5000, 'the kernel event after the forged ones')
  t.is(events.seen.filter((m) => m.type === 'event' && m.resource?.name === 'forged0').length, 0)
  t.is(monitor.stats().foreign, 10)
})

test('a datagram larger than maxDatagram yields resync_needed truncated, never a half event', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  // 70 alternative names of 103 bytes make k0's link message about 8.5 KiB,
  // past the smallest maxDatagram (8 KiB).
  ipBatch(ns, Array.from({ length: 70 }, (_, i) => `link property add dev k0 altname alt${String(i).padStart(3, '0')}${'x'.repeat(100)}`))
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK], maxDatagram: 8192 })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'link', 'set', 'k0', 'mtu', '1400')
  const resync = await events.waitFor((m) => m.type === 'resync_needed', 5000, 'resync_needed')
  t.is(resync.reason, 'truncated')
  t.true(monitor.stats().truncated >= 1)
  t.is(events.seen.filter((m) => m.type === 'event').length, 0)
})

test.serial(`${SOAK} subscribe/stop cycles and ${SOAK / 5} failed subscribes leak no fd, thread or memory`, async (t) => {
  const ns = makeNetns(t)
  await (await subscribe({ netns: { name: ns } })).stop()
  global.gc?.()
  const fds = socketAndNetnsFds()
  const threads = threadCount()
  const rss = process.memoryUsage().rss
  for (let i = 0; i < SOAK; i++) {
    const m = await subscribe({ netns: { name: ns } })
    await m.stop()
    if (i % 5 === 0) await t.throwsAsync(subscribe({ netns: { name: `${ns}-missing` } }))
    // Released ThreadsafeFunctions are finalized on the event loop, as in any
    // program that is not a tight loop of awaits.
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve))
  }
  await new Promise((resolve) => setImmediate(resolve))
  global.gc?.()
  t.is(socketAndNetnsFds(), fds)
  t.is(threadCount(), threads)
  const grew = (process.memoryUsage().rss - rss) / 1048576
  t.true(grew < 20, `RSS grew ${grew.toFixed(1)} MiB`)
  t.log(`fds ${fds} -> ${socketAndNetnsFds()}, threads ${threads} -> ${threadCount()}, RSS +${grew.toFixed(1)} MiB`)
})

test.serial('many monitors at once all work and all close; no thread is left in another namespace', async (t) => {
  const ns = makeNetns(t)
  const count = Number(process.env.RTNL_MANY_MONITORS ?? 200)
  const own = readlinkSync('/proc/self/ns/net')
  const monitors = await Promise.all(Array.from({ length: count }, () => subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })))
  t.teardown(() => Promise.all(monitors.map((m) => m.stop())))
  threadCount() // lets the namespace threads that made the sockets exit
  const inNs = readdirSync('/proc/self/task').filter((tid) => {
    try {
      return readlinkSync(`/proc/self/task/${tid}/ns/net`) !== own
    } catch {
      return false
    }
  })
  t.deepEqual(inNs, [], 'no thread stays in the monitored namespace: sockets are made on namespace threads that exit, and read by the reactor')
  const collectors = monitors.map(collect)
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  await Promise.all(collectors.map((c) => c.waitFor(isOp('new_link', (l) => l.name === 'k0'), 10000, 'new_link k0')))
  await Promise.all(monitors.map((m) => m.stop()))
  const left = readdirSync('/proc/self/task').filter((tid) => {
    try {
      return readlinkSync(`/proc/self/task/${tid}/ns/net`) !== own
    } catch {
      return false
    }
  })
  t.deepEqual(left, [])
})

test.serial('stop() while a burst is in flight ends cleanly', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  const threads = threadCount()
  const events = collect(monitor)
  const lines = []
  for (let i = 0; i < 20000; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  const burst = runNode(['ip', '-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' })
  await events.waitFor((m) => m.type === 'event', 5000, 'the first burst event')
  await monitor.stop()
  await events.done
  t.true(events.ended)
  t.is(threadCount(), threads, 'a monitor has no thread of its own')
  await burst
})

test('a worker thread terminated mid-burst: no crash, no leak, main thread unaffected', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const r = await runNode([fixture('worker-burst.mjs'), ns], { timeout: 30000 })
  t.is(r.code, 0, r.stderr)
  t.is(r.signal, null)
  const [counts, alive] = r.stdout.trim().split('\n')
  const { before, after, added } = JSON.parse(counts)
  t.is(alive, 'main alive')
  // Node itself may keep a /dev/null fd after the child process it spawned;
  // what this library opens is netlink sockets and eventfds: none may stay.
  t.deepEqual(added.filter((fd) => /socket:|eventfd/.test(fd)), [], `fds added: ${added}`)
  t.true(after.fds - before.fds <= 1, `fds added: ${added}`)
  t.is(after.threads, before.threads)
})

test('process.exit() while monitors are reading: exit code 0, no crash', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const r = await runNode([fixture('exit-while-reading.mjs'), ns], { timeout: 20000 })
  t.is(r.signal, null)
  t.is(r.code, 0, r.stderr)
})

test('the monitored namespace deleted while monitoring: the loop ends with ERR_RTNL_NETNS_GONE after the events before it', async (t) => {
  // Made by hand, not makeNetns: the test deletes it itself, halfway.
  const name = addNetns(`rtnl-del-${process.pid}-${Date.now()}`)
  t.teardown(() => delNetns(name))
  const monitor = await subscribe({ netns: { name }, groups: [RTNLGRP.LINK] })
  execFileSync('ip', ['-n', name, 'link', 'add', 'g0', 'type', 'veth', 'peer', 'name', 'g1'])
  const seen = []
  const loop = (async () => {
    for await (const msg of monitor) seen.push(msg)
  })()
  // The socket holds a reference to the namespace, which lives on without
  // its name: the monitor notices the name is gone within a second.
  delNetns(name)
  const started = Date.now()
  const err = await t.throwsAsync(loop)
  t.true(Date.now() - started < 3000, `noticed after ${Date.now() - started} ms`)
  t.is(err.name, 'RtnlError')
  t.is(err.code, 'ERR_RTNL_NETNS_GONE')
  t.is(err.path, `/run/netns/${name}`)
  t.is(err.message, `the network namespace /run/netns/${name} is gone (deleted, or the file no longer refers to it): the monitor has stopped`)
  t.true(seen.some((m) => m.type === 'event' && m.op === 'new_link' && m.resource.name === 'g0'), 'the events before it were delivered')
  t.true(monitor.stopped)
  t.deepEqual(await monitor.next(), { value: undefined, done: true })
  const listed = await t.throwsAsync(links.list({ netns: { name } }))
  t.is(listed.code, 'ENOENT')
  t.is(listed.path, `/run/netns/${name}`)
})

test('unprivileged: another namespace is EPERM naming the capability; a large rcvbuf falls back', async (t) => {
  const ns = makeNetns(t)
  const r = await runNode(['ip', 'netns', 'exec', ns, 'setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', '--inh-caps=-all',
    process.execPath, fixture('unprivileged.mjs'), ns])
  t.is(r.code, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  t.is(out.otherNetns.name, 'RtnlError')
  t.is(out.otherNetns.code, 'EPERM')
  t.is(out.otherNetns.syscall, 'setns')
  t.is(out.otherNetns.path, `/run/netns/${ns}`)
  t.regex(out.otherNetns.message, /CAP_SYS_ADMIN is required to enter another network namespace/)
  t.false(out.rcvbuf.forced)
  const rmemMax = Number(execFileSync('cat', ['/proc/sys/net/core/rmem_max'], { encoding: 'utf8' }))
  t.is(out.rcvbuf.granted, rmemMax * 2)
})

test('methods after stop(): next() is done, stats() keeps the last figures, ref/unref do nothing', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns } })
  ip(ns, 'link', 'add', 'k0', 'type', 'veth', 'peer', 'name', 'k1')
  const events = collect(monitor)
  await events.waitFor(isOp('new_link'), 5000, 'new_link')
  const before = monitor.stats()
  await monitor.stop()
  t.deepEqual(await monitor.next(), { value: undefined, done: true })
  t.true(monitor.stats().received >= before.received)
  t.is(monitor.unref(), monitor)
  t.is(monitor.ref(), monitor)
  t.deepEqual(await monitor.return(), { value: undefined, done: true })
})
