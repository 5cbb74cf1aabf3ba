// Burst benchmark: the same route burst for each consumer in turn, in a
// namespace of its own, with CPU (user+sys) and peak RSS of each consumer
// process measured by /usr/bin/time.
//   npm run bench:burst                      all scenarios, full size
//   npm run bench:burst -- --quick           a small smoke size (used by CI)
// Scenarios: burst (200k events: 100k add + 100k del), blocked (the same with
// a JS consumer that blocks 2 s at the first event), million (1M events), and
// latency (1,000 changes, one every 10 ms). Writes bench/results/burst-*.json.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { cpus, release, totalmem } from 'node:os'
import { fileURLToPath } from 'node:url'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()

const here = fileURLToPath(new URL('.', import.meta.url))
const quick = process.argv.includes('--quick')
const only = process.argv.includes('--scenario') ? process.argv[process.argv.indexOf('--scenario') + 1] : null
const SIZE = quick ? 10000 : 200000
const MILLION = quick ? 40000 : 1000000
const LATENCY_COUNT = quick ? 100 : 1000
const ns = `rtnl-bench-burst-${process.pid}`

const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts })

// ---- peers: installed on demand, skipped with a reason when impossible ----------------------
function pythonWithPyroute2() {
  const venv = `${here}/.venv`
  const py = `${venv}/bin/python`
  try {
    if (!existsSync(py)) sh('python3', ['-m', 'venv', venv])
    spawnSync(py, ['-c', 'import pyroute2']).status === 0 || sh(`${venv}/bin/pip`, ['install', '-q', 'pyroute2'])
    return { ok: true, cmd: [py, `${here}/consumers/pyroute2_consumer.py`] }
  } catch (e) {
    return { ok: false, why: `pyroute2 could not be installed from PyPI: ${e.message.split('\n')[0]}` }
  }
}

function goConsumer() {
  if (spawnSync('go', ['version']).status !== 0) return { ok: false, why: 'go is not installed' }
  const bin = `${here}/go/rtnlbench`
  try {
    sh('go', ['build', '-o', bin, '.'], { cwd: `${here}/go` })
    return { ok: true, cmd: [bin] }
  } catch (e) {
    return { ok: false, why: `building the vishvananda/netlink consumer failed: ${e.message.split('\n')[0]}` }
  }
}

// ---- one consumer, one burst ---------------------------------------------------------------
function addLines(n, base, table = '') {
  const lines = []
  for (let i = 0; i < n; i++) lines.push(`route ${base} blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32${table}`)
  return lines.join('\n') + '\n'
}

/** A line of ip monitor's output for one of the burst's routes (not the markers 10.254/10.255). */
const BURST_LINE = /blackhole 10\.(?!25[45]\.)\d+\.\d+\.\d+ /

function flushLines() {
  const lines = []
  for (let i = 0; i < 150; i++) lines.push(`route add blackhole 10.254.${i}.0/24`, `route del blackhole 10.254.${i}.0/24`)
  return lines.join('\n') + '\n'
}

function waitReady(child, name) {
  return new Promise((resolve, reject) => {
    let marker = 0
    const timer = setInterval(() => {
      // A change the consumer recognises: it prints READY once it sees one.
      spawnSync('ip', ['-n', ns, 'route', 'replace', 'blackhole', '10.255.255.0/24', 'metric', String(++marker)])
      if (marker > 100) {
        clearInterval(timer)
        reject(new Error(`${name} never became ready`))
      }
    }, 100)
    child.ready.then(() => {
      clearInterval(timer)
      resolve()
    })
  })
}

// Consumers write to files, not pipes: a pipe that this process does not
// drain while it runs the burst would block them and make the kernel drop.
function start(name, cmd) {
  const dir = mkdtempSync(`${tmpdir()}/rtnl-burst-`)
  const [outFile, errFile] = [`${dir}/stdout`, `${dir}/stderr`]
  const out = openSync(outFile, 'w')
  const err = openSync(errFile, 'w')
  const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S %M', 'ip', 'netns', 'exec', ns, ...cmd], { stdio: ['ignore', out, err] })
  closeSync(out)
  closeSync(err)
  child.out = () => ({ stdout: readFileSync(outFile, 'utf8'), stderr: readFileSync(errFile, 'utf8') })
  child.ready = new Promise((resolve) => {
    const poll = setInterval(() => {
      const { stdout } = child.out()
      if (stdout.includes('READY') || (name === 'ip monitor' && stdout.includes('10.255.255.0'))) {
        clearInterval(poll)
        resolve()
      }
    }, 50)
  })
  child.done = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  child.cleanup = () => rmSync(dir, { recursive: true, force: true })
  return child
}

async function runOne(name, cmd, { events, burst, blockMs = 0, ipMonitor = false }) {
  const child = start(name, cmd)
  await waitReady(child, name)
  const t0 = process.hrtime.bigint()
  burst()
  // Every consumer exits by itself once it has counted `events` (or after 3 s
  // without one); ip monitor never does, so it is stopped after 3 s of silence.
  let exit
  if (ipMonitor) {
    // ip monitor never exits by itself, and its output to a pipe is block
    // buffered: once its count stops growing, 300 changes on another prefix
    // push the buffered tail out, then it is stopped (SIGTERM to ip itself,
    // so /usr/bin/time still reports it).
    const counted = () => child.out().stdout.split('\n').filter((l) => BURST_LINE.test(l)).length
    let last = -1
    while (counted() !== last && counted() < events) {
      last = counted()
      await new Promise((r) => setTimeout(r, 2000))
    }
    sh('ip', ['-n', ns, '-batch', '-'], { input: flushLines() })
    await new Promise((r) => setTimeout(r, 500))
    spawnSync('pkill', ['-TERM', '-x', '-f', `ip -n ${ns} monitor route`])
    exit = await child.done
  } else {
    const deadline = setTimeout(() => spawnSync('pkill', ['-KILL', '-f', cmd.join(' ')]), 120000)
    exit = await child.done
    clearTimeout(deadline)
  }
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const { stdout, stderr } = child.out()
  child.cleanup()
  const time = stderr.match(/TIME ([\d.]+) ([\d.]+) (\d+)/)
  const cpu = time ? Number(time[1]) + Number(time[2]) : NaN
  const rssMb = time ? Number(time[3]) / 1024 : NaN
  let result
  if (ipMonitor) {
    const lines = stdout.split('\n').filter((l) => BURST_LINE.test(l))
    result = { events: lines.length, resyncs: 0, survived: true }
  } else {
    // A consumer prints PROGRESS lines as it goes and one JSON line at the end;
    // one that crashed is credited with its last progress.
    const last = stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1)
    const progress = Number(stdout.match(/PROGRESS (\d+)\n(?![\s\S]*PROGRESS)/)?.[1] ?? 0)
    const error = stderr.replace(/TIME .*/, '').trim().split('\n').filter(Boolean).slice(-2).join(' ').slice(0, 160)
    result = last ? JSON.parse(last) : { events: progress, resyncs: 0, survived: false, error }
    if (exit.code !== 0 && !/TIME/.test(stderr)) result.survived = false
    if (/exited with non-zero status|Command terminated by signal/.test(stderr)) {
      result.survived = false
      result.error = error
    }
  }
  return { name, expected: events, ...result, cpu, rssMb, wall, blockMs, arrivals: undefined, stats: result.stats }
}

function table(title, rows) {
  const ipCpu = rows.find((r) => r.name === 'ip monitor')?.cpu
  console.log(`\n${title}`)
  console.log('| consumer | delivered / expected | resync or errors | survived | CPU s | CPU vs ip monitor | peak RSS MB |')
  console.log('|---|---|---|---|---|---|---|')
  for (const r of rows) {
    if (r.skipped) {
      console.log(`| ${r.name} | skipped: ${r.skipped} | | | | | |`)
      continue
    }
    const ratio = ipCpu ? `${(r.cpu / ipCpu).toFixed(2)}x` : ''
    const survived = r.survived ? 'yes' : `no${r.error ? ` (${r.error})` : ''}`
    console.log(`| ${r.name} | ${r.events} / ${r.expected} | ${r.resyncs} | ${survived} | ${r.cpu.toFixed(2)} | ${ratio} | ${r.rssMb.toFixed(0)} |`)
  }
}

async function burstScenario(title, total, consumers, extra = {}) {
  const half = total / 2
  const tableArg = extra.table ? ` table ${extra.table}` : ''
  const add = addLines(half, 'add', tableArg)
  const del = addLines(half, 'del', tableArg)
  const burst = () => {
    sh('ip', ['-n', ns, '-batch', '-'], { input: add })
    sh('ip', ['-n', ns, '-batch', '-'], { input: del })
    // The end marker: consumers started with --until-end stop when they see it.
    if (extra.endMarker) sh('ip', ['-n', ns, 'route', 'replace', 'blackhole', '10.255.254.0/24'])
  }
  const rows = []
  for (const c of consumers) {
    if (!c.ok) {
      rows.push({ name: c.name, skipped: c.why })
      continue
    }
    rows.push(await runOne(c.name, c.cmd(total), { events: c.expected ?? total, burst, ipMonitor: c.name === 'ip monitor', ...extra }))
  }
  table(title, rows)
  return rows
}

async function latencyScenario() {
  const child = start('rtnl', [process.execPath, `${here}/consumers/rtnl.mjs`, String(LATENCY_COUNT), '--latency'])
  await waitReady(child, 'rtnl')
  const gen = sh('ip', ['netns', 'exec', ns, 'python3', `${here}/gen_latency.py`, String(LATENCY_COUNT), '10'])
  const sent = new Map(JSON.parse(gen))
  await child.done
  const out = JSON.parse(child.out().stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1))
  child.cleanup()
  const lat = out.arrivals.filter(([dst]) => sent.has(dst)).map(([dst, us]) => us - sent.get(dst)).sort((a, b) => a - b)
  const pct = (p) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]
  const row = { name: 'rtnl', changes: LATENCY_COUNT, matched: lat.length, p50us: pct(50), p99us: pct(99), maxUs: lat.at(-1) }
  console.log(`\nLatency: ${LATENCY_COUNT} changes, one every 10 ms; from the change's syscall returning to the event in the JS loop`)
  console.log('| consumer | matched | p50 us | p99 us | max us |')
  console.log('|---|---|---|---|---|')
  console.log(`| rtnl | ${row.matched} / ${row.changes} | ${row.p50us} | ${row.p99us} | ${row.maxUs} |`)
  return row
}

const results = { machine: { cpus: cpus().length, model: cpus()[0]?.model, memGb: Math.round(totalmem() / 2 ** 30), kernel: release() }, quick }
try {
  if (process.getuid() !== 0) throw new Error('the benchmark needs root (network namespaces)')
  addNetns(ns)
  sh('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
  const py = pythonWithPyroute2()
  const go = goConsumer()
  const consumers = [
    { name: 'rtnl', ok: true, cmd: (n) => [process.execPath, `${here}/consumers/rtnl.mjs`, String(n)] },
    { name: 'ip monitor', ok: true, cmd: () => ['ip', '-n', ns, 'monitor', 'route'] },
    { name: 'npm netlink', ok: true, cmd: (n) => [process.execPath, `${here}/consumers/netlink.cjs`, String(n)] },
    { name: 'pyroute2', ok: py.ok, why: py.why, cmd: (n) => [...py.cmd, String(n)] },
    { name: 'vishvananda/netlink', ok: go.ok, why: go.why, cmd: (n) => [...go.cmd, String(n)] },
  ]
  console.log(`rtnl burst benchmark on ${results.machine.cpus} CPUs (${results.machine.model}), ${results.machine.memGb} GiB, Linux ${results.machine.kernel}${quick ? ' [quick]' : ''}`)
  if (!only || only === 'burst') results.burst = await burstScenario(`Burst: ${SIZE} route events (${SIZE / 2} add + ${SIZE / 2} del)`, SIZE, consumers)
  if (!only || only === 'blocked') {
    const blocked = [
      { name: 'rtnl (blocks 2 s)', ok: true, cmd: (n) => [process.execPath, `${here}/consumers/rtnl.mjs`, String(n), '--block-ms', '2000'] },
      consumers[1],
    ]
    results.blocked = await burstScenario(`Blocked consumer: the same burst, the JS consumer blocks its event loop for 2 s at the first event`, SIZE, blocked)
  }
  if (!only || only === 'million') {
    results.million = await burstScenario(`Burst: ${MILLION} route events`, MILLION, [consumers[0], consumers[1]])
  }
  if (!only || only === 'latency') results.latency = await latencyScenario()
  if (!only || only === 'filter') {
    // The same burst in table 200; one consumer filters in the kernel for table 254 (main) only.
    const filtered = [
      { name: 'rtnl, no filter', ok: true, cmd: (n) => [process.execPath, `${here}/consumers/rtnl.mjs`, String(n), '--until-end'] },
      { name: 'rtnl, filter table 254', ok: true, expected: 0, cmd: (n) => [process.execPath, `${here}/consumers/rtnl.mjs`, String(n), '--until-end', '--filter-table', '254'] },
    ]
    results.filter = await burstScenario(`Kernel-side filter: ${SIZE} route events in table 200, against a filter for table 254 only`, SIZE, filtered, { table: 200, endMarker: true })
  }
} finally {
  delNetns(ns)
}
mkdirSync(`${here}/results`, { recursive: true })
const file = `${here}/results/burst-${new Date().toISOString().replace(/[:.]/g, '-')}${quick ? '-quick' : ''}.json`
writeFileSync(file, JSON.stringify(results, (k, v) => (k === 'arrivals' ? undefined : v), 2))
console.log(`\nwrote ${file}`)
