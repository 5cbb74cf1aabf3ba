// examples/reconcile.mjs, shown whole in the guide, runs as written (every
// other sample of the docs: __test__/docs.test.mjs).
import test from 'ava'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip, ipJson } from './_helpers.mjs'

const file = fileURLToPath(new URL('../examples/reconcile.mjs', import.meta.url))

test('the guide shows examples/reconcile.mjs verbatim', (t) => {
  const readme = readFileSync(new URL('../docs/guide.md', import.meta.url), 'utf8')
  const code = readFileSync(file, 'utf8').trim()
  t.true(readme.includes(code), 'docs/guide.md must contain examples/reconcile.mjs as it is')
})

/** Runs examples/reconcile.mjs in `ns`; `waitFor(re)` resolves once its output matches, or rejects after 5 s. */
function runExample(t, ns) {
  const child = spawn(process.execPath, [file, ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const waitFor = (re) =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + 5000
      const poll = setInterval(() => {
        if (re.test(out)) resolve(clearInterval(poll))
        else if (Date.now() > deadline) reject(new Error(`no ${re} in: ${out}`), clearInterval(poll))
      }, 20)
    })
  return { child, waitFor }
}

test('examples/reconcile.mjs reports added and removed routes', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const { child, waitFor } = runExample(t, ns)
  await waitFor(/^\d+ routes$/m)
  ip(ns, 'route', 'add', 'blackhole', '10.40.0.0/16')
  await waitFor(/^added {3}2 main 10\.40\.0\.0\/16 0 0 blackhole$/m)
  ip(ns, 'route', 'del', 'blackhole', '10.40.0.0/16')
  await waitFor(/^removed 2 main 10\.40\.0\.0\/16 0 0 blackhole$/m)
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', resolve))
  t.is(code, 0)
})

test('examples/reconcile.mjs reports the routes a link takes down with it, which come with no route event', async (t) => {
  const ns = makeNetns(t)
  // No IPv6: its route deletions on link down would wake a loop that listens to routes only.
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'gw1')
  ip(ns, 'addr', 'add', '10.99.0.2/24', 'dev', 'gw0')
  ip(ns, 'link', 'set', 'gw1', 'up')
  ip(ns, 'link', 'set', 'gw0', 'up')
  const { child, waitFor } = runExample(t, ns)
  await waitFor(/^\d+ routes$/m)
  ip(ns, 'route', 'add', '10.41.0.0/16', 'via', '10.99.0.1', 'table', '100')
  await waitFor(/^added {3}2 100 10\.41\.0\.0\/16 0 0 unicast via 10\.99\.0\.1$/m)
  // The kernel drops it with the link and says nothing of it: only the link's event wakes the loop.
  ip(ns, 'link', 'set', 'gw0', 'down')
  t.deepEqual(ipJson(ns, 'route', 'show', 'table', '100'), [])
  await waitFor(/^removed 2 100 10\.41\.0\.0\/16 0 0 unicast$/m)
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', resolve))
  t.is(code, 0)
})
