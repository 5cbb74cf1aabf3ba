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
