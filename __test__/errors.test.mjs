// Every error path of subscribe() and list(): the class, code and message,
// and that a failed subscribe leaves no fd and no thread behind.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { subscribe, links, routes, RtnlError, RTNLGRP } from 'rtnl'
import { makeNetns, socketAndNetnsFds, threadCount, runNode } from './_helpers.mjs'

const invalidOptions = [
  // [options, class, code, message fragment]
  [{ groups: [0] }, RangeError, 'ERR_OUT_OF_RANGE', 'groups[0] must be an integer from 1 to 4294967295, got 0'],
  [{ groups: [1, -3] }, RangeError, 'ERR_OUT_OF_RANGE', 'groups[1] must be an integer from 1 to 4294967295, got -3'],
  [{ groups: [1.5] }, RangeError, 'ERR_OUT_OF_RANGE', 'groups[0] must be an integer from 1 to 4294967295, got 1.5'],
  [{ groups: ['link'] }, TypeError, 'ERR_INVALID_ARG_TYPE', "groups[0] must be a positive integer, got 'link'"],
  [{ groups: 1 }, TypeError, 'ERR_INVALID_ARG_TYPE', 'groups must be an array of RTNLGRP numbers, got number 1'],
  [{ groups: [] }, RangeError, 'ERR_OUT_OF_RANGE', 'groups must list at least one RTNLGRP number, got an empty array'],
  [{ rcvbuf: 0 }, RangeError, 'ERR_OUT_OF_RANGE', 'rcvbuf must be an integer from 1 to 1073741823, got 0'],
  [{ rcvbuf: -1 }, RangeError, 'ERR_OUT_OF_RANGE', 'rcvbuf must be an integer from 1 to 1073741823, got -1'],
  [{ rcvbuf: 1.5 }, RangeError, 'ERR_OUT_OF_RANGE', 'rcvbuf must be an integer from 1 to 1073741823, got 1.5'],
  [{ rcvbuf: 2 ** 40 }, RangeError, 'ERR_OUT_OF_RANGE', 'rcvbuf must be an integer from 1 to 1073741823, got 1099511627776'],
  [{ rcvbuf: '4M' }, TypeError, 'ERR_INVALID_ARG_TYPE', "rcvbuf must be a positive integer, got '4M'"],
  [{ maxQueued: 0 }, RangeError, 'ERR_OUT_OF_RANGE', 'maxQueued must be an integer from 1 to 2147483647, got 0'],
  [{ netns: 'guest' }, TypeError, 'ERR_INVALID_ARG_TYPE', "netns must be 'host', { name }, { path } or { pid }, got 'guest'"],
  [{ netns: { id: 3 } }, TypeError, 'ERR_INVALID_ARG_TYPE', "netns must be 'host', { name }, { path } or { pid }, got an object with keys [id]"],
  [{ netns: { name: 'a', pid: 1 } }, TypeError, 'ERR_INVALID_ARG_TYPE', "netns must be 'host', { name }, { path } or { pid }"],
  [{ netns: { name: 'a/b' } }, TypeError, 'ERR_INVALID_ARG_VALUE', "netns.name must be an 'ip netns' name (no '/', not empty), got 'a/b'"],
  [{ netns: { name: '' } }, TypeError, 'ERR_INVALID_ARG_VALUE', "netns.name must be an 'ip netns' name"],
  [{ netns: { name: 7 } }, TypeError, 'ERR_INVALID_ARG_TYPE', 'netns.name must be a string, got number 7'],
  [{ netns: { path: '' } }, TypeError, 'ERR_INVALID_ARG_VALUE', "netns.path must be a non-empty file path, got ''"],
  [{ netns: { pid: 0 } }, RangeError, 'ERR_OUT_OF_RANGE', 'netns.pid must be an integer from 1 to 2147483647, got 0'],
  [{ netns: { pid: '1' } }, TypeError, 'ERR_INVALID_ARG_TYPE', "netns.pid must be a positive integer, got '1'"],
  [{ signal: {} }, TypeError, 'ERR_INVALID_ARG_TYPE', 'signal must be an AbortSignal'],
  [{ grups: [1] }, TypeError, 'ERR_INVALID_ARG_VALUE', "subscribe options: unknown option 'grups'"],
  ['host', TypeError, 'ERR_INVALID_ARG_TYPE', "options must be an object, got 'host'"],
]

for (const [opts, cls, code, message] of invalidOptions) {
  test(`subscribe(${JSON.stringify(opts)}) rejects with ${cls.name} ${code}`, async (t) => {
    const err = await t.throwsAsync(subscribe(opts), { instanceOf: cls })
    t.is(err.code, code)
    t.true(err.message.includes(message), err.message)
  })
}

test('list() validates its options the same way', async (t) => {
  const err = await t.throwsAsync(routes.list({ netns: 'guest' }), { instanceOf: TypeError })
  t.is(err.code, 'ERR_INVALID_ARG_TYPE')
  const err2 = await t.throwsAsync(links.list({ ns: 'x' }), { instanceOf: TypeError })
  t.is(err2.code, 'ERR_INVALID_ARG_VALUE')
  t.is(err2.message, "links.list options: unknown option 'ns'; expected one of netns, signal, afDetails")
})

test('a netns name that does not exist rejects with ENOENT naming /run/netns/NAME', async (t) => {
  const name = `rtnl-missing-${process.pid}`
  const err = await t.throwsAsync(subscribe({ netns: { name } }), { instanceOf: RtnlError })
  t.is(err.code, 'ENOENT')
  t.is(err.errno, 2)
  t.is(err.syscall, 'open')
  t.is(err.path, `/run/netns/${name}`)
  t.is(err.message, `entering network namespace: open '/run/netns/${name}' failed: ENOENT (No such file or directory)`)
  const listErr = await t.throwsAsync(links.list({ netns: { name } }), { instanceOf: RtnlError })
  t.is(listErr.code, 'ENOENT')
  t.is(listErr.path, `/run/netns/${name}`)
})

test('a file that is not a namespace rejects with EINVAL from setns', async (t) => {
  const err = await t.throwsAsync(subscribe({ netns: { path: '/etc/hostname' } }), { instanceOf: RtnlError })
  t.is(err.code, 'EINVAL')
  t.is(err.syscall, 'setns')
  t.is(err.path, '/etc/hostname')
  t.is(
    err.message,
    "entering network namespace: setns '/etc/hostname' failed: EINVAL (Invalid argument): the file is not a network namespace",
  )
})

test('a pid that does not exist rejects with ENOENT naming /proc/PID/ns/net', async (t) => {
  const pid = 2147483646
  const err = await t.throwsAsync(subscribe({ netns: { pid } }), { instanceOf: RtnlError })
  t.is(err.code, 'ENOENT')
  t.is(err.syscall, 'open')
  t.is(err.path, `/proc/${pid}/ns/net`)
})

test('a group the kernel does not have rejects with EINVAL from setsockopt', async (t) => {
  const ns = makeNetns(t)
  const err = await t.throwsAsync(subscribe({ netns: { name: ns }, groups: [RTNLGRP.LINK, 4000] }), {
    instanceOf: RtnlError,
  })
  t.is(err.code, 'EINVAL')
  t.is(err.syscall, 'setsockopt')
  t.is(err.message, "joining multicast group 4000: setsockopt NETLINK_ADD_MEMBERSHIP failed: EINVAL (Invalid argument): this kernel has no group 4000 (a newer kernel may); pass missingGroups: 'skip' to join the groups it has")
})

// Serial: fd and thread counts of this process are only meaningful while no other test runs.
test.serial('failed subscribes leave no fd and no thread behind', async (t) => {
  const ns = makeNetns(t)
  await (await subscribe({ netns: { name: ns } })).stop() // loads the addon and its runtime threads
  await new Promise((resolve) => setImmediate(resolve))
  const fds = socketAndNetnsFds()
  const threads = threadCount()
  for (let i = 0; i < 200; i++) {
    await t.throwsAsync(subscribe({ netns: { name: `rtnl-missing-${i}` } }))
    await t.throwsAsync(subscribe({ netns: { name: ns }, groups: [4000] }))
    await t.throwsAsync(subscribe({ netns: { path: '/etc/hostname' } }))
    await t.throwsAsync(subscribe({ groups: [0] }))
  }
  await new Promise((resolve) => setImmediate(resolve))
  t.is(socketAndNetnsFds(), fds)
  t.is(threadCount(), threads)
})

test('on a platform other than Linux, import works and calls reject with ERR_RTNL_UNSUPPORTED_PLATFORM', async (t) => {
  const script = fileURLToPath(new URL('./fixtures/other-platform.cjs', import.meta.url))
  const r = await runNode([script])
  t.is(r.code, 0, r.stderr)
  t.deepEqual(JSON.parse(r.stdout), {
    imported: ['subscribe', 'links', 'RTNLGRP'],
    subscribe: ['RtnlError', 'ERR_RTNL_UNSUPPORTED_PLATFORM', 'rtnl needs Linux (rtnetlink); this is darwin/x64'],
    list: ['RtnlError', 'ERR_RTNL_UNSUPPORTED_PLATFORM'],
  })
})
