// The README's program (examples/monitor.mjs, what `npm start` runs) prints
// one line per event for changes made with `ip`.
import test from 'ava'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip } from './_helpers.mjs'

test('examples/monitor.mjs NAME prints events as they happen', async (t) => {
  const ns = makeNetns(t)
  const script = fileURLToPath(new URL('../examples/monitor.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  const ready = new Promise((resolve) => child.stderr.once('data', resolve))
  const saw = (text) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line with '${text}' in: ${out}`)), 5000)
      const check = () => {
        if (out.includes(text)) {
          clearTimeout(timer)
          resolve()
        }
      }
      child.stdout.on('data', (d) => {
        out += d
        check()
      })
      check()
    })
  await ready // "watching netns ..." is printed once subscribed
  ip(ns, 'link', 'add', 'e0', 'type', 'veth', 'peer', 'name', 'e1')
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'route', 'add', 'blackhole', '10.77.0.0/16')
  await saw('[ROUTE] new blackhole 10.77.0.0/16 table main proto boot')
  t.regex(out, /\[LINK\] new \d+: e0@e1: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop state DOWN .*kind veth/)
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
  t.is(code, 0)
})

test('examples/dashboard.mjs draws the links and their addresses, again on every change, and Ctrl-C ends it', async (t) => {
  const ns = makeNetns(t)
  const script = fileURLToPath(new URL('../examples/dashboard.mjs', import.meta.url))
  const child = spawn(process.execPath, [script, ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const saw = async (re) => {
    const deadline = Date.now() + 5000
    while (!re.test(out)) {
      if (Date.now() > deadline) throw new Error(`no ${re} in: ${out}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  await saw(/^--- 1 links, 1 changes\nlo +DOWN +65536$/m)
  ip(ns, 'link', 'set', 'lo', 'up')
  await saw(/^lo +UNKNOWN +65536 {2}127\.0\.0\.1\/8 ::1\/128$/m)
  ip(ns, 'link', 'add', 'd0', 'mtu', '1400', 'type', 'veth', 'peer', 'name', 'd1')
  ip(ns, 'addr', 'add', '10.5.0.1/24', 'dev', 'd0')
  await saw(/^--- 3 links, \d+ changes\nlo +UNKNOWN +65536 {2}127\.0\.0\.1\/8 ::1\/128\nd1 +DOWN +1500\nd0 +DOWN +1400 {2}10\.5\.0\.1\/24$/m)
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c)))
  t.is(code, 0, out)
})
