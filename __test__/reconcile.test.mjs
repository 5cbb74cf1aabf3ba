// examples/reconcile.mjs, shown whole in the guide, runs as written; so does
// every example of the README and the guide.
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

test('every js example in the README and the guide that imports rtnl runs as written (for a second, without an error)', async (t) => {
  const { writeFileSync, rmSync } = await import('node:fs')
  // Async, not spawnSync: a blocked event loop would starve the other tests of this file.
  const run = (file) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [file], { stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d) => (stderr += d))
      const timer = setTimeout(() => child.kill('SIGKILL'), 1000)
      child.on('close', (code, signal) => {
        clearTimeout(timer)
        resolve({ code, signal, stderr })
      })
    })
  const readme = ['../README.md', '../docs/guide.md'].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8')).join('\n')
  const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]).filter((b) => b.includes("from 'rtnl'"))
  t.true(blocks.length >= 3)
  for (const [i, code] of blocks.entries()) {
    // Inside the repository so that 'rtnl' resolves to this package.
    const file = fileURLToPath(new URL(`../.readme-example-${process.pid}-${i}.mjs`, import.meta.url))
    writeFileSync(file, code)
    try {
      const r = await run(file)
      // Still running after a second (a monitor), or done with exit code 0.
      t.true(r.signal === 'SIGKILL' || r.code === 0, `example ${i} failed (${r.signal ?? `exit ${r.code}`}): ${r.stderr}`)
      t.is(r.stderr, '', `example ${i}`)
    } finally {
      rmSync(file, { force: true })
    }
  }
})
