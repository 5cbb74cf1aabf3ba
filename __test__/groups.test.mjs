// Groups the kernel lacks: every group after 33 came after Linux 5.10 (see
// RTNLGRP). ALL_GROUPS and IP_MONITOR_ALL_GROUPS join what the kernel has, as
// `ip monitor all` does, and report the rest; an explicit list stays strict
// unless the caller asks for missingGroups: 'skip'. Group 1000 stands for a
// group no kernel has; on the kernel matrix's older kernels (npm run
// test:kernels) the real missing groups (34 to 39) are checked as well.
import test from 'ava'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { subscribe, ALL_GROUPS, IP_MONITOR_ALL_GROUPS, RTNLGRP, RtnlError } from 'rtnl'
import { collect, ip, isOp, makeNetns, socketAndNetnsFds } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const NO_SUCH_GROUP = 1000
const strictMessage = (g) =>
  `joining multicast group ${g}: setsockopt NETLINK_ADD_MEMBERSHIP failed: EINVAL (Invalid argument): ` +
  `this kernel has no group ${g} (a newer kernel may); pass missingGroups: 'skip' to join the groups it has`

/** The groups of ALL_GROUPS this kernel refuses, asked one at a time with the strict default. */
async function refusedByKernel(netns) {
  const refused = []
  for (const g of ALL_GROUPS) {
    try {
      await (await subscribe({ netns, groups: [g] })).stop()
    } catch (err) {
      if (err.code !== 'EINVAL') throw err
      refused.push(g)
    }
  }
  return refused
}

test('ALL_GROUPS and IP_MONITOR_ALL_GROUPS join the groups this kernel has, list the others in stats(), and deliver events', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const refused = await refusedByKernel(netns)
  t.log(`this kernel refuses groups: ${refused.length ? refused.join(', ') : 'none'}`)
  // Every group up to 33 is in every kernel from 5.10 up.
  t.true(refused.every((g) => g > RTNLGRP.BRVLAN), `refused ${refused}`)
  for (const [name, list] of [['ALL_GROUPS', ALL_GROUPS], ['IP_MONITOR_ALL_GROUPS', IP_MONITOR_ALL_GROUPS]]) {
    // A copy, as the examples pass it, counts as the list.
    const monitor = await subscribe({ netns, groups: [...list] })
    const events = collect(monitor)
    t.deepEqual(monitor.stats().groupsRefused, refused.filter((g) => list.includes(g)), name)
    const link = `d${list.length}`
    ip(ns, 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`)
    await events.waitFor(isOp('new_link', (l) => l.name === link), 10_000, `new_link ${link} under ${name}`)
    await monitor.stop()
  }
})

test.serial('an explicit list of groups stays strict: a group the kernel lacks fails with EINVAL and leaves nothing open', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const before = socketAndNetnsFds()
  const err = await t.throwsAsync(subscribe({ netns, groups: [RTNLGRP.LINK, NO_SUCH_GROUP] }))
  t.true(err instanceof RtnlError)
  t.is(err.code, 'EINVAL')
  t.is(err.message, strictMessage(NO_SUCH_GROUP))
  t.is(socketAndNetnsFds(), before)
  // missingGroups: 'error' keeps ALL_GROUPS strict too: on a kernel that
  // lacks a group it fails on the first, here as on the kernel matrix's.
  const refused = await refusedByKernel(netns)
  if (refused.length) {
    const strict = await t.throwsAsync(subscribe({ netns, groups: [...ALL_GROUPS], missingGroups: 'error' }))
    t.is(strict.message, strictMessage(refused[0]))
    const explicit = await t.throwsAsync(subscribe({ netns, groups: [RTNLGRP.LINK, refused[0]] }))
    t.is(explicit.code, 'EINVAL')
  } else {
    await (await subscribe({ netns, groups: [...ALL_GROUPS], missingGroups: 'error' })).stop()
  }
  t.is(socketAndNetnsFds(), before)
})

test("missingGroups: 'skip' joins the rest, lists what it left out in stats(), and warns once per process", async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const warnings = []
  const onWarning = (w) => w.code === 'RTNL_GROUPS_MISSING' && warnings.push(w)
  process.on('warning', onWarning)
  t.teardown(() => process.off('warning', onWarning))
  const first = await subscribe({ netns, groups: [RTNLGRP.LINK, NO_SUCH_GROUP], missingGroups: 'skip' })
  const second = await subscribe({ netns, groups: [NO_SUCH_GROUP, RTNLGRP.LINK], missingGroups: 'skip' })
  const events = collect(first)
  t.deepEqual(first.stats().groupsRefused, [NO_SUCH_GROUP])
  t.deepEqual(second.stats().groupsRefused, [NO_SUCH_GROUP])
  ip(ns, 'link', 'add', 'w0', 'type', 'veth', 'peer', 'name', 'w1')
  await events.waitFor(isOp('new_link', (l) => l.name === 'w0'), 10_000, 'new_link w0')
  await new Promise((resolve) => setImmediate(resolve)) // warnings are emitted on the next tick
  t.is(warnings.length, 1)
  t.is(warnings[0].name, 'RtnlWarning')
  t.is(warnings[0].message, `this kernel has no group (${NO_SUCH_GROUP}): not joined; the events of that group will not arrive`)
  await first.stop()
  await second.stop()
  t.deepEqual(first.stats().groupsRefused, [NO_SUCH_GROUP], 'kept after stop()')
})

test('missingGroups takes error or skip', async (t) => {
  for (const bad of ['ignore', true, 1]) {
    const err = await t.throwsAsync(subscribe({ missingGroups: bad }))
    t.true(err instanceof TypeError)
    t.is(err.code, 'ERR_INVALID_ARG_VALUE')
    t.regex(err.message, /^missingGroups must be 'error' or 'skip', got /)
  }
})

test('rtnl monitor all starts on this kernel and prints events', async (t) => {
  const ns = makeNetns(t)
  const child = spawn(process.execPath, [cli, 'monitor', 'all', '--netns', ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)))
  // Until the monitor has joined, a change may come before it: make one per
  // round until a line about it arrives (or the monitor exits).
  const deadline = Date.now() + 60_000
  for (let i = 0; !out.includes('mark') && Date.now() < deadline; i++) {
    ip(ns, 'link', 'add', `mark${i}`, 'type', 'veth', 'peer', 'name', `mark${i}p`)
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('running'), 500))])
    if (code !== 'running') break
  }
  t.regex(out, /mark\d+/, `stdout: ${out}\nstderr: ${err}`)
  t.notRegex(err, /EINVAL|Error/, err)
})
