// examples/reconcile.mjs, shown whole in the guide, runs as written (every
// other sample of the docs: __test__/docs.test.mjs).
import test from 'ava'
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip } from './_helpers.mjs'

const file = fileURLToPath(new URL('../examples/reconcile.mjs', import.meta.url))

test('the guide shows examples/reconcile.mjs verbatim', (t) => {
  const readme = readFileSync(new URL('../docs/guide.md', import.meta.url), 'utf8')
  const code = readFileSync(file, 'utf8').trim()
  t.true(readme.includes(code), 'docs/guide.md must contain examples/reconcile.mjs as it is')
})

test('examples/reconcile.mjs reports added and removed routes', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
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
  await waitFor(/^\d+ routes$/m)
  ip(ns, 'route', 'add', 'blackhole', '10.40.0.0/16')
  await waitFor(/^added {3}2 main 10\.40\.0\.0\/16 0 0 blackhole$/m)
  ip(ns, 'route', 'del', 'blackhole', '10.40.0.0/16')
  await waitFor(/^removed 2 main 10\.40\.0\.0\/16 0 0 blackhole$/m)
  child.kill('SIGINT')
  const code = await new Promise((resolve) => child.on('exit', resolve))
  t.is(code, 0)
})
