// examples/hold-routes.mjs keeps its routes in place while another process
// deletes them, and leaves routes outside its scope alone.
import test from 'ava'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { routes } from 'rtnl'
import { makeNetns, ip } from './_helpers.mjs'

const file = fileURLToPath(new URL('../examples/hold-routes.mjs', import.meta.url))

test('examples/hold-routes.mjs puts back what another process deletes, and only that', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'route', 'add', 'blackhole', '10.99.0.0/16', 'table', '101') // not its table
  ip(ns, 'route', 'add', 'blackhole', '10.63.0.0/16', 'table', '100') // its table, not desired
  const child = spawn(process.execPath, [file, ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const held = async () => (await routes.list({ netns, table: 100 }).catch(() => [])).map((r) => `${r.dst}/${r.dstLen} ${r.typeName}`).sort()
  const want = ['10.60.0.0/16 blackhole', '10.61.0.0/16 unreachable', '10.62.0.0/24 blackhole']
  const until = async (what, check) => {
    const deadline = Date.now() + 5000
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 5 s; table 100 is ${JSON.stringify(await held())}; output: ${out}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  await until('the first reconcile', async () => JSON.stringify(await held()) === JSON.stringify(want))
  await until('the report of the route it deleted', async () => /^del 10\.63\.0\.0\/16$/m.test(out))
  // Another process deletes its routes, one at a time and then all at once.
  for (let round = 0; round < 5; round++) {
    ip(ns, 'route', 'del', '10.61.0.0/16', 'table', '100')
    await until(`round ${round}: 10.61.0.0/16 back`, async () => JSON.stringify(await held()) === JSON.stringify(want))
  }
  ip(ns, 'route', 'flush', 'table', '100')
  await until('everything back after a flush', async () => JSON.stringify(await held()) === JSON.stringify(want))
  t.true((await routes.list({ netns, table: 101 })).some((r) => r.dst === '10.99.0.0'), 'table 101 untouched')
  // Idle (nothing changes in the table): Ctrl-C still ends it, at once.
  await new Promise((resolve) => setTimeout(resolve, 300))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  child.kill('SIGINT')
  const code = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000, 'still running 3 s after SIGINT'))])
  t.is(code, 0)
})
