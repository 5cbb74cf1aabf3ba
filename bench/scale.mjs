// A full routing table: watch() and list() against N routes (default
// 1,000,000: N - 1,000 blackhole routes, and 1,000 through a link p0).
// Adding a million routes takes about 20 s; the table is built once per run,
// in a throwaway namespace. Parts, each within a 10-minute command:
//   node --expose-gc bench/scale.mjs watch [N]   single-change latency, CPU and event-loop delay,
//                                               a link going down, a forced resync, watch() RSS
//   node --expose-gc bench/scale.mjs list [N]    list() against the kernel's own dump and ip -j
// Writes bench/results/scale-<part>.json. Needs root and a build (and cargo for the kernel dump).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { routes, watch } from '../dist/index.js'
import { root, writeResult } from '../scripts/platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()

const part = process.argv[2] ?? 'watch'
const N = Number(process.argv[3] ?? 1000000)
const ns = `rtnl-bench-scale-${process.pid}`
const netns = { name: ns }
const here = fileURLToPath(new URL('.', import.meta.url))
const ip = (...args) => execFileSync('ip', ['-n', ns, ...args])
const run = (cmd, args) =>
  new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}`))))
  })
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]
const ms = (ns) => Math.round(ns / 1e4) / 100

function build() {
  addNetns(ns)
  ip('link', 'set', 'lo', 'up')
  ip('link', 'add', 'p0', 'type', 'veth', 'peer', 'name', 'q0')
  ip('link', 'set', 'p0', 'up')
  ip('link', 'set', 'q0', 'up')
  ip('addr', 'add', '10.254.0.1/16', 'dev', 'p0')
  const lines = []
  for (let i = 0; i < N - 1000; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  for (let i = 0; i < 1000; i++) lines.push(`route add 10.201.${i >> 8}.${i & 255}/32 dev p0`)
  const t0 = Date.now()
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 30 })
  console.log(`built ${N} routes in ${((Date.now() - t0) / 1000).toFixed(1)} s`)
}

async function watchPart() {
  const results = {}
  globalThis.gc?.()
  const rss0 = process.memoryUsage().rss
  // A small rcvbuf so that the burst below overruns it and forces a resync.
  const it = watch(['routes'], { netns, rcvbuf: 4096 })
  let t = performance.now()
  const first = (await it.next()).value
  results.firstSnapshotMs = Math.round(performance.now() - t)
  const state = first.state
  first.changes.length = 0 // the first snapshot's million 'added' entries: a consumer lets them go
  globalThis.gc?.()
  results.routes = state.routes.size
  results.rssMb = Math.round((process.memoryUsage().rss - rss0) / 1048576)
  console.log(`first snapshot: ${results.routes} routes in ${results.firstSnapshotMs} ms, RSS +${results.rssMb} MB`)

  // What the process burns with nothing happening (V8's background work on a
  // big heap, the event-loop delay sampler's 1 ms timer): subtracted from the
  // CPU of the single changes below.
  const delay = monitorEventLoopDelay({ resolution: 1 })
  delay.enable()
  const idle0 = process.cpuUsage()
  const idleT = performance.now()
  let pending = it.next()
  await new Promise((r) => setTimeout(r, 3000))
  const idle = process.cpuUsage(idle0)
  const idleMsPerSec = (idle.user + idle.system) / 1000 / ((performance.now() - idleT) / 1000)
  // Single changes: 200 route adds, one every 50 ms, by a process that notes when each syscall returned
  // (200, so that p99 is not simply the slowest one).
  const arrivals = new Map()
  // Measured from after the spawn: forking this process (a big heap, many
  // page tables) holds the event loop up to tens of ms, which is the bench's
  // doing; python takes longer than that to start and make its first change.
  const CHANGES = 200
  const INTERVAL_MS = 50
  const gen = run('ip', ['netns', 'exec', ns, 'python3', `${here}/gen_latency.py`, String(CHANGES), String(INTERVAL_MS)])
  delay.reset()
  const cpu0 = process.cpuUsage()
  const phaseT = performance.now()
  let waiting = true
  gen.then(() => setTimeout(() => (waiting = false), 500))
  // One next() at a time: a next() left behind by a lost race would take a later snapshot.
  while (waiting) {
    const next = await Promise.race([(pending ??= it.next()), new Promise((r) => setTimeout(r, 200, null))])
    if (!next) continue
    pending = null
    const at = Math.round((performance.timeOrigin + performance.now()) * 1000)
    for (const c of next.value.changes) if (c.change === 'added' && c.after.dst?.startsWith('10.200.')) arrivals.set(c.after.dst, at)
  }
  delay.disable()
  const cpu = process.cpuUsage(cpu0)
  const phaseSec = (performance.now() - phaseT) / 1000
  const sent = new Map(JSON.parse(await gen))
  const lat = [...sent].filter(([dst]) => arrivals.has(dst)).map(([dst, us]) => (arrivals.get(dst) - us) / 1000)
  results.single = {
    changes: sent.size,
    intervalMs: INTERVAL_MS,
    matched: lat.length,
    p50Ms: +pct(lat, 50).toFixed(2),
    p99Ms: +pct(lat, 99).toFixed(2),
    maxMs: +Math.max(...lat).toFixed(2),
    loopDelayMaxMs: ms(delay.max),
    // The process CPU of the phase, less what it burns idle over the same time, per change.
    cpuPerChangeMs: +(Math.max(0, (cpu.user + cpu.system) / 1000 - idleMsPerSec * phaseSec) / sent.size).toFixed(3),
    idleCpuMsPerSec: +idleMsPerSec.toFixed(1),
    phaseCpuMsPerSec: +((cpu.user + cpu.system) / 1000 / phaseSec).toFixed(1),
  }
  console.log('single changes', JSON.stringify(results.single))

  // A link going down: the 1,000 IPv4 routes through it vanish without an event.
  t = performance.now()
  const down = run('ip', ['-n', ns, 'link', 'set', 'p0', 'down'])
  let removed = 0
  while (removed < 1000) {
    const { value } = await (pending ?? it.next())
    pending = null
    removed += value.changes.filter((c) => c.change === 'removed' && c.before.dst?.startsWith('10.201.')).length
  }
  await down
  results.linkDown = { removed, ms: Math.round(performance.now() - t) }
  console.log('link down', JSON.stringify(results.linkDown))

  // A forced resync: a burst of 20,000 changes in table 100 overruns the small buffer.
  const burst = []
  for (let i = 0; i < 10000; i++) burst.push(`route add blackhole 10.202.${i >> 8}.${i & 255}/32 table 100`)
  for (let i = 0; i < 10000; i++) burst.push(`route del blackhole 10.202.${i >> 8}.${i & 255}/32 table 100`)
  const delay2 = monitorEventLoopDelay({ resolution: 1 })
  delay2.enable()
  t = performance.now()
  const child = spawn('ip', ['-n', ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'inherit'] })
  child.stdin.end(burst.join('\n') + '\n')
  let resynced = false
  const deadline = Date.now() + 60000
  while (!resynced && Date.now() < deadline) {
    const next = await Promise.race([(pending ??= it.next()), new Promise((r) => setTimeout(r, 1000, null))])
    if (!next) continue
    pending = null
    resynced = next.value.resync
  }
  if (!resynced) throw new Error('the burst forced no resync')
  delay2.disable()
  results.resync = { ms: Math.round(performance.now() - t), loopDelayMaxMs: ms(delay2.max), routesAfter: state.routes.size }
  console.log('forced resync', JSON.stringify(results.resync))
  await it.return()
  return results
}

async function listPart() {
  const results = {}
  const times = []
  let count = 0
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    count = (await routes.list({ netns })).length
    times.push(performance.now() - t)
  }
  results.list = { routes: count, medianMs: Math.round(pct(times, 50)), minMs: Math.round(Math.min(...times)) }
  // The floor of any JSON hand-off on this machine: V8 building the same
  // objects from their JSON, already in memory, in list()'s chunks of 500.
  {
    const listed = await routes.list({ netns })
    const chunks = []
    for (let i = 0; i < listed.length; i += 500) chunks.push(JSON.stringify(listed.slice(i, i + 500)))
    listed.length = 0
    const parseTimes = []
    for (let i = 0; i < 3; i++) {
      const t = performance.now()
      const out = []
      for (const c of chunks) for (const o of JSON.parse(c)) out.push(o)
      parseTimes.push(performance.now() - t)
    }
    results.jsonParseFloorMs = Math.round(pct(parseTimes, 50))
  }
  // What the listed array holds on the heap, after collection.
  globalThis.gc?.()
  const heap0 = process.memoryUsage().heapUsed
  const kept = await routes.list({ netns })
  globalThis.gc?.()
  results.list.heapMb = Math.round((process.memoryUsage().heapUsed - heap0) / 1048576)
  results.list.bytesPerRoute = Math.round((process.memoryUsage().heapUsed - heap0) / kept.length)
  kept.length = 0
  const ipTimes = []
  for (let i = 0; i < 3; i++) {
    const t = performance.now()
    JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8', maxBuffer: 1 << 30 }))
    ipTimes.push(performance.now() - t)
  }
  results.ipJson = { medianMs: Math.round(pct(ipTimes, 50)) }
  // The kernel's own share: the dump read and framed, not decoded (crates/rtnl-core/examples/dumpbench.rs).
  const r = spawnSync('ip', ['netns', 'exec', ns, 'cargo', 'run', '--release', '-q', '-p', 'rtnl-core', '--example', 'dumpbench'], { cwd: root, encoding: 'utf8' })
  const dur = (v, unit) => Number(v) * (unit === 's' ? 1000 : unit === 'µs' ? 0.001 : 1)
  const kernel = [...(r.stdout ?? '').matchAll(/recv only: (\d+) messages in ([\d.]+)(ms|s|µs)/g)].map((m) => dur(m[2], m[3]))
  results.kernelDumpMs = kernel.length ? Math.round(Math.min(...kernel)) : null
  // The same dump decoded into Rust structs, and those encoded as JSON: the Rust side of list().
  const decoded = [...(r.stdout ?? '').matchAll(/dump\+decode ([\d.]+)(ms|s|µs), json ([\d.]+)(ms|s|µs)/g)]
  results.rustDecodeMs = decoded.length ? Math.round(Math.min(...decoded.map((m) => dur(m[1], m[2])))) : null
  results.rustJsonMs = decoded.length ? Math.round(Math.min(...decoded.map((m) => dur(m[3], m[4])))) : null
  results.ratioToKernel = results.kernelDumpMs ? +(results.list.medianMs / results.kernelDumpMs).toFixed(2) : null
  results.ipJsonOverRtnl = +(results.ipJson.medianMs / results.list.medianMs).toFixed(2)
  console.log(JSON.stringify(results))
  return results
}

build()
try {
  const results = part === 'list' ? await listPart() : await watchPart()
  console.log(`wrote ${writeResult(N === 1000000 ? `scale-${part}` : `scale-${part}-${N}`, { note: `node --expose-gc bench/scale.mjs ${part} ${N}`, routesInstalled: N, results })}`)
} finally {
  delNetns(ns)
}
process.exit(0)
