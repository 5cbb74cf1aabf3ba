// stop(), break, AbortSignal, and what keeps the Node event loop alive.
import test from 'ava'
import { fileURLToPath } from 'node:url'
import { subscribe, unsubscribe, RTNLGRP } from 'rtnl'
import { rtnlThreads, makeNetns, ip, collect, isOp, runNode, fdTargets, stillOpen, threadCount } from './_helpers.mjs'

const fixture = (name) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url))

test('stop() ends a pending iteration, is idempotent, and next() is done afterwards', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns } })
  const loop = (async () => {
    const got = []
    for await (const m of monitor) got.push(m)
    return got
  })()
  await monitor.stop()
  await monitor.stop()
  await unsubscribe(monitor)
  t.deepEqual(await loop, [])
  t.true(monitor.stopped)
  t.deepEqual(await monitor.next(), { value: undefined, done: true })
})

// Serial: fd and thread counts of this process are only meaningful while no other test runs.
test.serial('stop() closes the socket; monitors add no thread', async (t) => {
  const ns = makeNetns(t)
  await (await subscribe({ netns: { name: ns } })).stop() // loads the addon and its tokio runtime
  await new Promise((resolve) => setImmediate(resolve))
  const before = fdTargets()
  const threads = threadCount()
  const monitors = []
  for (let i = 0; i < 20; i++) monitors.push(await subscribe({ netns: { name: ns } }))
  // V8 may start a helper thread of its own meanwhile; rtnl's threads are counted by name.
  t.deepEqual(rtnlThreads(), ['rtnl-reactor'], 'monitors share the reactor thread: none of their own')
  t.true(threadCount() - threads < 5, `${threadCount() - threads} threads more for 20 monitors`)
  const during = fdTargets()
  const sockets = [...during].filter(([fd, target]) => before.get(fd) !== target && target.startsWith('socket:'))
  t.true(sockets.length >= 20, `${sockets.length} sockets opened for 20 monitors`)
  await Promise.all(monitors.map((m) => m.stop()))
  t.deepEqual(rtnlThreads(), ['rtnl-reactor'])
  // By identity, not by count: Node may open an fd of its own meanwhile.
  t.deepEqual(stillOpen(before, during), [], 'every fd the monitors opened is closed once stop() resolved')
})

test('breaking out of for-await stops the monitor', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  for await (const msg of monitor) {
    if (msg.type === 'event' && msg.op === 'new_link') break
  }
  t.true(monitor.stopped)
  t.is(typeof monitor.stats().received, 'number')
})

test('stop() from inside the for-await body ends the loop', async (t) => {
  const ns = makeNetns(t)
  const monitor = await subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK] })
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  let n = 0
  for await (const msg of monitor) {
    n++
    await monitor.stop()
  }
  t.is(n, 1)
})

test('aborting the signal stops the monitor and the loop throws the AbortError, as events.on does; an aborted signal rejects subscribe', async (t) => {
  const ns = makeNetns(t)
  const ac = new AbortController()
  const monitor = await subscribe({ netns: { name: ns }, signal: ac.signal })
  const loop = (async () => {
    for await (const msg of monitor) void msg
  })()
  ac.abort(new Error('enough'))
  const thrown = await t.throwsAsync(loop)
  t.is(thrown.name, 'AbortError')
  t.is(thrown.code, 'ABORT_ERR')
  t.is(thrown.cause.message, 'enough')
  t.true(monitor.stopped)
  t.deepEqual(await monitor.next(), { value: undefined, done: true }, 'the AbortError is thrown once, then the monitor is done')
  const err = await t.throwsAsync(subscribe({ netns: { name: ns }, signal: AbortSignal.abort() }))
  t.is(err.name, 'AbortError')
})

test('a running monitor keeps the process alive; a stopped one lets it exit', async (t) => {
  const ns = makeNetns(t)
  const alive = await runNode([fixture('keepalive.mjs'), ns, 'running'])
  t.is(alive.code, 0, alive.stderr)
  t.is(alive.stdout.trim(), 'still running after 300 ms')
  const exits = await runNode([fixture('keepalive.mjs'), ns, 'stopped'], { timeout: 5000 })
  t.is(exits.code, 0, exits.stderr)
  t.is(exits.stdout.trim(), 'stopped')
  const unref = await runNode([fixture('keepalive.mjs'), ns, 'unref'], { timeout: 5000 })
  t.is(unref.code, 0, unref.stderr)
  t.is(unref.stdout.trim(), 'unref')
})

test('breaking out of the loop lets the process exit', async (t) => {
  const ns = makeNetns(t)
  const r = await runNode([fixture('keepalive.mjs'), ns, 'break'], { timeout: 5000 })
  t.is(r.code, 0, r.stderr)
  t.is(r.stdout.trim(), 'broke out')
})
