// Mixed kinds against routes alone: N changes (default 20,000) made in one
// namespace, once as route adds and deletes only, once spread over nexthops,
// qdiscs and routes (a third each), with one monitor (a child process
// joined to the route, nexthop and tc groups) counting what arrives and the
// CPU it spent from the first event to the last, after a warm-up of 3,000
// changes of the same mix (steady state: V8 has compiled the code the kinds
// need, as in a service that has run a while). Lossless means every
// change the kernel announced arrived (the count per command is calibrated
// first, slowly) and no resync_needed. Alternates the two workloads ROUNDS
// times (default 3) and reports medians; writes bench/results/mixed.json.
// Needs root and a build.
//   node bench/mixed.mjs [N] [ROUNDS]
import { execFileSync, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { writeResult } from '../scripts/platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()

const N = Number(process.argv[2] ?? 20000)
const ROUNDS = Number(process.argv[3] ?? 3)
const LINKS = 20
/** Changes made before measuring, per consumer. */
const WARMUP = 3000
const ns = `rtnl-bench-mixed-${process.pid}`
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))

// The consumer: counts events by op until `quiet` ms pass with none, then
// prints the counts, resyncs and the CPU time from its first event on.
const CHILD = `
const rtnl = require(${JSON.stringify(dist)})
;(async () => {
  const groups = [...rtnl.KIND_GROUPS.routes, ...rtnl.KIND_GROUPS.nexthops, ...rtnl.KIND_GROUPS.qdiscs]
  const m = await rtnl.subscribe({ groups, maxQueued: 1 << 20, rcvbuf: 256 << 20 })
  console.log('ready')
  // Phase 1 is a warm-up (the same kinds of changes, so V8 has compiled what
  // they need, as in a service that has run a while); after a quiet spell it
  // says 'warm' and phase 2 is measured.
  let phase = 1
  const ops = {}
  let resyncs = 0, events = 0, cpu0, t0, last = 0, batches0 = 0, bytes0 = 0
  const quiet = setInterval(() => {
    if (!last || performance.now() - last < 1500) return
    if (phase === 1) {
      phase = 2
      last = 0
      const st = m.stats()
      batches0 = st.batches
      bytes0 = st.bytes
      console.log('warm')
      return
    }
    const cpu = process.cpuUsage(cpu0)
    const st = m.stats()
    console.log(JSON.stringify({ events, resyncs, ops, cpuMs: (cpu.user + cpu.system) / 1000, wallMs: last - t0, batches: st.batches - batches0, bytes: st.bytes - bytes0 }))
    process.exit(0)
  }, 100)
  for await (const msg of m) {
    last = performance.now()
    if (phase === 1) continue
    if (!cpu0) { cpu0 = process.cpuUsage(); t0 = performance.now() }
    if (msg.type === 'resync_needed') resyncs++
    else { events++; ops[msg.op] = (ops[msg.op] ?? 0) + 1 }
  }
})()
`

function consumer() {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (d) => (out += d))
  const seen = (word) =>
    new Promise((resolve) => {
      const check = () => (out.includes(word) ? resolve() : setTimeout(check, 20))
      check()
    })
  const ready = seen('ready')
  const warm = seen('warm')
  const done = new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`consumer exited ${code}`)))),
  )
  return { ready, warm, done, pid: child.pid }
}

const ipBatch = (lines) => execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 28 })
const tcBatch = (lines) => execFileSync('tc', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 28 })

/** Route adds and deletes: `count` changes. */
function routeWork(count, base) {
  const half = count >> 1
  const lines = []
  for (let i = 0; i < half; i++) lines.push(`route add 10.${200 + base}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.0.2 dev v0`)
  for (let i = 0; i < half; i++) lines.push(`route del 10.${200 + base}.${(i >> 8) & 255}.${i & 255}/32 via 10.0.0.2 dev v0`)
  return () => ipBatch(lines)
}

/** Nexthop adds and deletes: `count` changes. */
function nexthopWork(count) {
  const half = count >> 1
  const lines = []
  for (let i = 0; i < half; i++) lines.push(`nexthop add id ${1000 + i} via 10.0.0.2 dev v0`)
  for (let i = 0; i < half; i++) lines.push(`nexthop del id ${1000 + i}`)
  return () => ipBatch(lines)
}

/** Root qdisc adds and deletes over LINKS veths: `cycles` add+del pairs. */
function qdiscWork(cycles) {
  const lines = []
  for (let i = 0; i < cycles; i++) {
    const dev = `q${i % LINKS}`
    lines.push(`qdisc add dev ${dev} root handle 1: pfifo limit ${100 + (i % 50)}`)
    lines.push(`qdisc del dev ${dev} root`)
  }
  return () => tcBatch(lines)
}

/**
 * One consumer: `warmup` changes it does not count, then `work`, measured.
 * 'live': the consumer reads while the changes are made, so how many events
 * each batch holds depends on how fast the tool makes them (tc -batch is
 * slower than ip -batch). 'held': the consumer is stopped (SIGSTOP) while
 * the changes are made, the kernel keeps them in its socket buffer (256 MiB),
 * and it reads them all at once when continued: the same batching for every
 * workload, so the CPU per event is the cost of the kinds themselves.
 */
async function run(warmup, work, mode) {
  const c = consumer()
  await c.ready
  for (const w of warmup) w()
  await c.warm
  if (mode === 'held') process.kill(c.pid, 'SIGSTOP')
  for (const w of work) w()
  if (mode === 'held') process.kill(c.pid, 'SIGCONT')
  return c.done
}

const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0)
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]

addNetns(ns)
try {
  const links = ['link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'addr add 10.0.0.1/24 dev v0']
  for (let i = 0; i < LINKS; i += 2) links.push(`link add q${i} type veth peer name q${i + 1}`, `link set q${i} up`, `link set q${i + 1} up`)
  // No IPv6 on the links: its routes (link-local, multicast) would arrive after DAD, inside a measurement.
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.all.disable_ipv6=1', 'net.ipv6.conf.default.disable_ipv6=1'])
  ipBatch(links)
  // Calibration: the events one qdisc add+del pair announces (the default root qdisc it replaces goes and comes back too).
  const calib = await run([qdiscWork(20)], [qdiscWork(20)], 'live')
  const perQdiscCycle = sum(calib.ops) / 20
  if (!Number.isInteger(perQdiscCycle)) throw new Error(`calibration: ${JSON.stringify(calib.ops)} for 20 qdisc cycles`)
  const third = Math.floor(N / 3)
  const qdiscCycles = Math.round(third / perQdiscCycle)
  const rounds = []
  for (let r = 0; r < ROUNDS; r++) {
    for (const mode of ['live', 'held']) {
      const routesOnly = await run([routeWork(WARMUP, 2)], [routeWork(N, 0)], mode)
      const mixed = await run(
        [nexthopWork(WARMUP / 3), qdiscWork(Math.round(WARMUP / 3 / perQdiscCycle)), routeWork(WARMUP / 3, 3)],
        [nexthopWork(third), qdiscWork(qdiscCycles), routeWork(N - 2 * third, 1)],
        mode,
      )
      const expectMixed = third + qdiscCycles * perQdiscCycle + (N - 2 * third)
      const row = {
        mode,
        routesOnly: { ...routesOnly, expected: N, cpuUsPerEvent: +((routesOnly.cpuMs * 1000) / routesOnly.events).toFixed(2) },
        mixed: { ...mixed, expected: expectMixed, cpuUsPerEvent: +((mixed.cpuMs * 1000) / mixed.events).toFixed(2) },
      }
      row.ratio = +(row.mixed.cpuUsPerEvent / row.routesOnly.cpuUsPerEvent).toFixed(3)
      console.log(JSON.stringify(row))
      rounds.push(row)
    }
  }
  const lossless = rounds.every((r) => r.routesOnly.events === r.routesOnly.expected && r.mixed.events === r.mixed.expected && !r.routesOnly.resyncs && !r.mixed.resyncs)
  const of = (mode) => rounds.filter((r) => r.mode === mode)
  const medians = (mode) => ({
    cpuUsPerEvent: { routesOnly: median(of(mode).map((r) => r.routesOnly.cpuUsPerEvent)), mixed: median(of(mode).map((r) => r.mixed.cpuUsPerEvent)) },
    ratio: median(of(mode).map((r) => r.ratio)),
    eventsPerBatch: {
      routesOnly: Math.round(median(of(mode).map((r) => r.routesOnly.events / r.routesOnly.batches))),
      mixed: Math.round(median(of(mode).map((r) => r.mixed.events / r.mixed.batches))),
    },
  })
  const summary = {
    note: 'node bench/mixed.mjs',
    changes: N,
    warmup: WARMUP,
    rounds: ROUNDS,
    qdiscEventsPerCycle: perQdiscCycle,
    lossless,
    held: medians('held'),
    live: medians('live'),
    results: rounds,
  }
  console.log(JSON.stringify({ lossless, held: summary.held, live: summary.live }))
  if (process.argv[2] === undefined) console.log(`wrote ${writeResult('mixed', summary)}`)
} finally {
  delNetns(ns)
}
