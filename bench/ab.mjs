// Two builds of rtnl on this machine, taking turns, so that its noise falls on
// both alike: did a change cost speed?
//   node bench/ab.mjs DIR_A DIR_B [--rounds 5] [--burst 200000] [--routes 100000] [--churn 2000] [--label NAME]
// DIR_A and DIR_B are built checkouts (`npm run build` in each). Each round runs,
// for each build in turn (the order swapped every round):
// - burst: a consumer process of that build (its bench/consumers/rtnl.mjs) in a
//   namespace of its own, through `--burst` route adds and as many deletes; its
//   CPU (user+sys, /usr/bin/time) and whether it got every event;
// - list: `routes.list()` of `--routes` routes, timed in a process of that build
//   (its bench/list-child.mjs, 3 calls, the fastest kept);
// - watch: watch(['routes']) over the same table, by bench/watch-child.mjs of this
//   checkout loading that build: the first snapshot's time, then `--churn` route
//   adds and as many deletes, the watcher's CPU over them and its longest
//   event-loop delay.
// Prints the medians and B's ratio to A, and writes bench/results/ab-NAME.json
// (machine, kernel, Node, date, sizes, every sample).
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()
const arg = (name, dflt) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : dflt)
const [dirA, dirB] = process.argv.slice(2, 4).map((d) => d && resolve(d))
if (!dirA || !dirB || dirA.startsWith('--') || dirB.startsWith('--')) {
  console.error('usage: node bench/ab.mjs DIR_A DIR_B [--rounds 5] [--burst 200000] [--routes 100000] [--churn 2000] [--label NAME]')
  process.exit(2)
}
const ROUNDS = Number(arg('--rounds', 5))
const BURST = Number(arg('--burst', 200000))
const ROUTES = Number(arg('--routes', 100000))
const CHURN = Number(arg('--churn', 2000))
const label = arg('--label', 'latest')
const here = fileURLToPath(new URL('.', import.meta.url))
const sh = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 30, ...opts })
const routeLines = (verb, n, base) => {
  const lines = []
  for (let i = 0; i < n; i++) lines.push(`route ${verb} blackhole ${base}.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  return lines.join('\n') + '\n'
}

/** One burst into a fresh namespace, consumed by `dir`'s rtnl: { cpu, events }. */
async function burst(dir) {
  const ns = addNetns(`rtnl-bench-ab-${process.pid}`)
  const tmp = mkdtempSync(`${tmpdir()}/rtnl-ab-`)
  try {
    const out = openSync(`${tmp}/out`, 'w')
    const err = openSync(`${tmp}/err`, 'w')
    // Files, not pipes: a pipe this process does not drain during the burst would block the consumer.
    const child = spawn('/usr/bin/time', ['-f', 'TIME %U %S', 'ip', 'netns', 'exec', ns, process.execPath, `${dir}/bench/consumers/rtnl.mjs`, String(2 * BURST)], { stdio: ['ignore', out, err] })
    closeSync(out)
    closeSync(err)
    const done = new Promise((r) => child.on('exit', r))
    for (let marker = 1; !readFileSync(`${tmp}/out`, 'utf8').includes('READY'); marker++) {
      if (marker > 100) throw new Error(`the consumer of ${dir} never became ready: ${readFileSync(`${tmp}/err`, 'utf8')}`)
      spawnSync('ip', ['-n', ns, 'route', 'replace', 'blackhole', '10.255.255.0/24', 'metric', String(marker)])
      await new Promise((r) => setTimeout(r, 100))
    }
    sh('ip', ['-n', ns, '-batch', '-'], { input: routeLines('add', BURST, '10') + routeLines('del', BURST, '10') })
    await done
    const time = readFileSync(`${tmp}/err`, 'utf8').match(/TIME ([\d.]+) ([\d.]+)/)
    const last = readFileSync(`${tmp}/out`, 'utf8').trim().split('\n').filter((l) => l.startsWith('{')).at(-1)
    const result = last ? JSON.parse(last) : {}
    return { cpu: time ? Number(time[1]) + Number(time[2]) : NaN, events: result.events ?? 0, resyncs: result.resyncs ?? NaN }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
    delNetns(ns)
  }
}

/** routes.list() of ROUTES routes by `dir`'s rtnl, in `ns`: the fastest of 3, in ms. */
function list(dir, ns) {
  const out = sh('ip', ['netns', 'exec', ns, process.execPath, `${dir}/bench/list-child.mjs`, 'rtnl', '3'])
  const { count, times } = JSON.parse(out.trim().split('\n').at(-1))
  if (count < ROUTES) throw new Error(`${dir}: listed ${count} routes, expected at least ${ROUTES}`)
  return Math.min(...times)
}

/** watch() over the table in `ns` by `dir`'s rtnl, then a churn: what watch-child.mjs prints. */
function watchRun(dir, ns) {
  const out = sh('ip', ['netns', 'exec', ns, process.execPath, `${here}/watch-child.mjs`, dir, String(CHURN)])
  const r = JSON.parse(out.trim().split('\n').at(-1))
  if (r.routes < ROUTES) throw new Error(`${dir}: watch() saw ${r.routes} routes, expected at least ${ROUTES}`)
  return r
}

const buildOf = (dir) => {
  const commit = spawnSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || 'unknown'
  const dirty = spawnSync('git', ['-C', dir, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8' }).stdout.trim() !== ''
  return { commit, dirty }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const empty = () => ({ burstCpu: [], burstEvents: [], list: [], watchFirst: [], watchChurnCpu: [], watchLoopMax: [] })
const samples = { A: empty(), B: empty() }
const listNs = addNetns(`rtnl-bench-ab-list-${process.pid}`)
try {
  sh('ip', ['-n', listNs, '-batch', '-'], { input: routeLines('add', ROUTES, '10') })
  for (let round = 0; round < ROUNDS; round++) {
    for (const which of round % 2 === 0 ? ['A', 'B'] : ['B', 'A']) {
      const dir = which === 'A' ? dirA : dirB
      const b = await burst(dir)
      samples[which].burstCpu.push(b.cpu)
      samples[which].burstEvents.push(b.events)
      samples[which].list.push(list(dir, listNs))
      const w = watchRun(dir, listNs)
      samples[which].watchFirst.push(w.firstSnapshotMs)
      samples[which].watchChurnCpu.push(w.churnCpuMs)
      samples[which].watchLoopMax.push(w.loopDelayMaxMs)
      console.log(`round ${round + 1} ${which}: burst ${b.cpu.toFixed(2)} s CPU, ${b.events}/${2 * BURST} events; list ${samples[which].list.at(-1).toFixed(0)} ms; watch first ${w.firstSnapshotMs.toFixed(0)} ms, churn ${w.churnCpuMs.toFixed(0)} ms CPU, loop max ${w.loopDelayMaxMs.toFixed(1)} ms`)
    }
  }
} finally {
  delNetns(listNs)
}
const summary = {}
for (const what of ['burstCpu', 'list', 'watchFirst', 'watchChurnCpu', 'watchLoopMax']) {
  const a = median(samples.A[what])
  const b = median(samples.B[what])
  summary[what] = { a, b, ratio: b / a }
  console.log(`${what}: A ${a.toFixed(3)}, B ${b.toFixed(3)}, B/A ${(b / a).toFixed(3)}`)
}
const lossless = [...samples.A.burstEvents, ...samples.B.burstEvents].every((n) => n === 2 * BURST)
console.log(`every event delivered in every run: ${lossless}`)
const result = {
  machine: { cpus: cpus().length, model: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30) },
  kernel: release(),
  node: process.version,
  date: new Date().toISOString(),
  sizes: { rounds: ROUNDS, burstEvents: 2 * BURST, listRoutes: ROUTES, watchChurn: 2 * CHURN },
  // Which code each build is: its commit, and whether its tree differed from it.
  a: buildOf(dirA),
  b: buildOf(dirB),
  samples,
  summary,
  lossless,
}
writeFileSync(`${here}/results/ab-${label}.json`, JSON.stringify(result, null, 2) + '\n')
