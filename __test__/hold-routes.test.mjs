// examples/hold-routes.mjs keeps its routes in place while another process
// deletes them, leaves routes outside its scope alone, and puts back the
// routes the kernel drops when their gateway's link goes down (or loses its
// address) once it comes back. What is in the kernel is read with `ip -j`.
import test from 'ava'
import { execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip, ipBatch, ipJson } from './_helpers.mjs'

const file = fileURLToPath(new URL('../examples/hold-routes.mjs', import.meta.url))
const GATEWAY = '10.99.0.1'
// What the program holds: 3 routes that need no link, 20 through the gateway.
const LINKLESS = ['blackhole 10.60.0.0/16', 'unreachable 10.61.0.0/16', 'blackhole 10.62.0.0/24 metric 10']
const VIA = Array.from({ length: 20 }, (_, i) => `unicast 10.70.${i}.0/24 via ${GATEWAY} dev gw0`)
const WANT = [...LINKLESS, ...VIA].sort()
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }))

/** Table 100 as `ip -j route show table 100` has it, one line a route, sorted ([] before it exists). */
const table100 = (ns) =>
  showTable100(ns)
    .map((r) => `${r.type ?? 'unicast'} ${r.dst}${r.gateway ? ` via ${r.gateway} dev ${r.dev}` : ''}${r.metric ? ` metric ${r.metric}` : ''}`)
    .sort()
function showTable100(ns) {
  try {
    const out = execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'table', '100'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    return out.trim() ? JSON.parse(out) : []
  } catch (err) {
    if (/FIB table does not exist/.test(err.stderr)) return []
    throw err
  }
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b)

/** What process `pid` has used so far (all its threads): CPU seconds (user + system) and read/write system calls (netlink's sendmsg/recvmsg among them). */
const usage = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  const io = Object.fromEntries(readFileSync(`/proc/${pid}/io`, 'utf8').trim().split('\n').map((l) => l.split(': ')))
  return { cpu: (Number(fields[11]) + Number(fields[12])) / CLK_TCK, syscalls: Number(io.syscr) + Number(io.syscw) }
}

/**
 * A namespace with the gateway's link (gw0, 10.99.0.2/24, a veth whose peer
 * is up, so it has a carrier) and the program running in it, holding its
 * routes through 10.99.0.1. `out()` is what it printed.
 */
async function startHolder(t, setup = () => {}) {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'gw0', 'type', 'veth', 'peer', 'name', 'gw1')
  ip(ns, 'addr', 'add', '10.99.0.2/24', 'dev', 'gw0')
  ip(ns, 'link', 'set', 'gw1', 'up')
  ip(ns, 'link', 'set', 'gw0', 'up')
  setup(ns)
  const child = spawn(process.execPath, [file, ns, GATEWAY], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (out += d))
  const exited = new Promise((resolve) => child.on('exit', resolve))
  /** Polls `check` every 20 ms; throws `what` with table 100 and the output after 10 s. */
  const until = async (what, check) => {
    const deadline = Date.now() + 10000
    while (!check()) {
      if (child.exitCode !== null) throw new Error(`${what}: the program exited (${child.exitCode}); output: ${out}`)
      if (Date.now() > deadline) throw new Error(`${what}: not within 10 s; table 100 is ${JSON.stringify(table100(ns))}; output: ${out}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  const h = { ns, child, exited, out: () => out, until }
  await until('the first reconcile', () => same(table100(ns), WANT))
  await until('the first report', () => /^in place: 23 routes$/m.test(out))
  return h
}

/** Ctrl-C ends it at once, with exit code 0. */
async function interrupt(t, h) {
  h.child.kill('SIGINT')
  const code = await Promise.race([h.exited, new Promise((resolve) => setTimeout(resolve, 3000, 'still running 3 s after SIGINT'))])
  t.is(code, 0)
}

test('examples/hold-routes.mjs puts back what another process deletes, and only that', async (t) => {
  const h = await startHolder(t, (ns) => {
    ip(ns, 'route', 'add', 'blackhole', '10.99.0.0/16', 'table', '101') // not its table
    ip(ns, 'route', 'add', 'blackhole', '10.63.0.0/16', 'table', '100') // its table, not desired
  })
  const { ns } = h
  t.regex(h.out(), /^del 10\.63\.0\.0\/16$/m, 'the route it deleted is reported')
  // Another process deletes its routes, one at a time and then all at once.
  for (let round = 0; round < 5; round++) {
    ip(ns, 'route', 'del', '10.61.0.0/16', 'table', '100')
    ip(ns, 'route', 'del', '10.70.7.0/24', 'table', '100')
    await h.until(`round ${round}: 10.61.0.0/16 and 10.70.7.0/24 back`, () => same(table100(ns), WANT))
  }
  ip(ns, 'route', 'flush', 'table', '100')
  await h.until('everything back after a flush', () => same(table100(ns), WANT))
  t.deepEqual(
    ipJson(ns, 'route', 'show', 'table', '101').map((r) => r.dst),
    ['10.99.0.0/16'],
    'table 101 untouched',
  )
  // Idle (nothing changes): Ctrl-C still ends it, at once.
  await new Promise((resolve) => setTimeout(resolve, 300))
  await interrupt(t, h)
})

test('hold-routes puts back every route after its gateway link flaps', async (t) => {
  const h = await startHolder(t)
  const { ns } = h
  for (let flap = 0; flap < 3; flap++) {
    const from = h.out().length
    ip(ns, 'link', 'set', 'gw0', 'down')
    // The kernel drops the 20 routes through gw0, with no route event; the 3 without a link stay.
    t.deepEqual(table100(ns), LINKLESS.slice().sort(), `flap ${flap}: the routes through gw0 are gone`)
    // Each re-add is refused with ENETUNREACH while the link is down: reported, once each.
    await h.until(`flap ${flap}: the refusals reported`, () => /^20 waiting for a link or address to change$/m.test(h.out().slice(from)))
    const report = h.out().slice(from)
    for (let i = 0; i < 20; i++) {
      const re = new RegExp(
        `^add 10\\.70\\.${i}\\.0/24 via 10\\.99\\.0\\.1 failed: adding route 10\\.70\\.${i}\\.0/24 table 100: the kernel answered ENETUNREACH \\(Network is unreachable\\)`,
        'gm',
      )
      t.is(report.match(re)?.length, 1, `flap ${flap}: the refusal of 10.70.${i}.0/24 reported once`)
    }
    if (flap === 0) {
      // It waits for the link: no retry loop while nothing changes.
      // (Idle, it makes a few system calls a second; retrying at once made a thousand.)
      const before = usage(h.child.pid)
      await new Promise((resolve) => setTimeout(resolve, 1000))
      const after = usage(h.child.pid)
      const cpu = after.cpu - before.cpu
      const syscalls = after.syscalls - before.syscalls
      t.true(cpu < 0.1 && syscalls < 100, `${cpu} s of CPU and ${syscalls} system calls in 1 s while the link was down: it spins`)
      t.is(h.out().slice(from), report, 'nothing more printed while the link stays down')
    }
    t.is(h.child.exitCode, null, 'still running')
    t.deepEqual(table100(ns), LINKLESS.slice().sort(), `flap ${flap}: nothing came back while the link was down`)
    ip(ns, 'link', 'set', 'gw0', 'up')
    // No route event comes with the link: only the link's own wakes it.
    await h.until(`flap ${flap}: all 23 back after the link came up`, () => same(table100(ns), WANT))
    await h.until(`flap ${flap}: in place reported`, () => /^in place: 23 routes$/m.test(h.out().slice(from)))
  }
  await interrupt(t, h)
})

test("hold-routes puts back its routes when the gateway link's address comes back", async (t) => {
  const h = await startHolder(t)
  const { ns } = h
  const from = h.out().length
  // The last IPv4 address of a link takes every IPv4 route through it, silently.
  ip(ns, 'addr', 'flush', 'dev', 'gw0')
  t.deepEqual(table100(ns), LINKLESS.slice().sort(), 'the routes through gw0 are gone')
  await h.until('the refusals reported', () => /^20 waiting for a link or address to change$/m.test(h.out().slice(from)))
  t.regex(h.out().slice(from), /^add 10\.70\.0\.0\/24 via 10\.99\.0\.1 failed: .*ENETUNREACH/m)
  ip(ns, 'addr', 'add', '10.99.0.2/24', 'dev', 'gw0')
  await h.until('all 23 back with the address', () => same(table100(ns), WANT))
  await interrupt(t, h)
})

test('hold-routes puts back every route after a flap it slept through, and after flaps racing its reconcile', async (t) => {
  const h = await startHolder(t)
  const { ns } = h
  // Deterministic: the whole flap happens while the program cannot run, so
  // when it runs again the link is up and the kernel has put nothing back.
  h.child.kill('SIGSTOP')
  ip(ns, 'link', 'set', 'gw0', 'down')
  ip(ns, 'link', 'set', 'gw0', 'up')
  t.deepEqual(table100(ns), LINKLESS.slice().sort(), 'the kernel put nothing back when the link came up')
  h.child.kill('SIGCONT')
  await h.until('all 23 back after the flap it slept through', () => same(table100(ns), WANT))
  // Flaps whose up lands before, during or after the reconcile the down started
  // (which one is up to the scheduler; every one must end with all 23 back).
  for (const ms of [0, 1, 2, 5, 10, 20]) {
    if (ms === 0) ipBatch(ns, ['link set gw0 down', 'link set gw0 up'])
    else {
      ip(ns, 'link', 'set', 'gw0', 'down')
      await new Promise((resolve) => setTimeout(resolve, ms))
      ip(ns, 'link', 'set', 'gw0', 'up')
    }
    await h.until(`up ${ms} ms after down: all 23 back`, () => same(table100(ns), WANT))
  }
  await interrupt(t, h)
})
