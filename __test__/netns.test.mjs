// The four netns forms: { name }, { path }, { pid } and 'host' (the
// process's own namespace, proven by running a child inside a namespace).
import test from 'ava'
import { spawn } from 'node:child_process'
import { readlinkSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { subscribe, links } from 'rtnl'
import { makeNetns, ip, collect, isOp, runNode } from './_helpers.mjs'

async function seesLinkCreated(t, netns, ns) {
  const monitor = await subscribe({ netns })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  ip(ns, 'link', 'add', 'n0', 'type', 'veth', 'peer', 'name', 'n1')
  const ev = await events.waitFor(isOp('new_link', (l) => l.name === 'n0'), 5000, 'new_link n0')
  t.is(ev.resource.kind, 'veth')
  const listed = await links.list({ netns })
  t.true(listed.some((l) => l.name === 'n0'))
  await monitor.stop()
  await events.done
}

test('netns { name } watches /run/netns/NAME', async (t) => {
  const ns = makeNetns(t)
  await seesLinkCreated(t, { name: ns }, ns)
})

test('netns { path } watches the namespace file', async (t) => {
  const ns = makeNetns(t)
  await seesLinkCreated(t, { path: `/run/netns/${ns}` }, ns)
})

test('netns { pid } watches /proc/PID/ns/net', async (t) => {
  const ns = makeNetns(t)
  const child = spawn('ip', ['netns', 'exec', ns, 'sleep', '60'], { stdio: 'ignore' })
  t.teardown(() => child.kill('SIGKILL'))
  // Wait (with a deadline) until the child has entered the namespace.
  const want = `net:[${statSync(`/run/netns/${ns}`).ino}]`
  const nsOf = (pid) => {
    try {
      return readlinkSync(`/proc/${pid}/ns/net`)
    } catch {
      return null
    }
  }
  const deadline = Date.now() + 5000
  while (nsOf(child.pid) !== want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  t.is(nsOf(child.pid), want, `child ${child.pid} entered ${ns}`)
  await seesLinkCreated(t, { pid: child.pid }, ns)
})

test("netns 'host' (and the default) is the process's own namespace", async (t) => {
  const ns = makeNetns(t)
  const script = fileURLToPath(new URL('./fixtures/host-monitor.mjs', import.meta.url))
  const result = await runNode(['ip', 'netns', 'exec', ns, process.execPath, script], { timeout: 20000 })
  t.is(result.code, 0, result.stderr)
  const lines = result.stdout.trim().split('\n')
  t.deepEqual(lines, ['host: new_link h0 veth', 'default: new_link h0 veth', 'list: h0'])
})
