// Benchmark: list() of many routes, next to `ip -j route show table all` +
// JSON.parse and the npm `netlink` package's getRoutes, in one run.
//   npm run bench:list [-- ROUTES]      (default 100000)
// Writes bench/results/list-<timestamp>.json and prints a table. Needs root.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus, release } from 'node:os'
import { fileURLToPath } from 'node:url'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'
import { machine } from '../scripts/platforms.mjs'

cleanUpOnSignals()

const ROUTES = Number(process.argv[2] ?? 100000)
const RUNS = 7
const ns = `rtnl-bench-list-${process.pid}`
const here = fileURLToPath(new URL('.', import.meta.url))
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]

function setup() {
  addNetns(ns)
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
  const lines = []
  for (let i = 0; i < ROUTES; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 30 })
}

function child(which) {
  const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, `${here}/list-child.mjs`, which, String(RUNS)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  })
  if (r.status !== 0) return { which, error: (r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' ') }
  return JSON.parse(r.stdout.trim().split('\n').at(-1))
}

function ipJson() {
  const times = []
  let count = 0
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint()
    const out = execFileSync('ip', ['-n', ns, '-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8', maxBuffer: 1 << 30 })
    const v4 = JSON.parse(out)
    const out6 = execFileSync('ip', ['-n', ns, '-6', '-j', 'route', 'show', 'table', 'all'], { encoding: 'utf8', maxBuffer: 1 << 30 })
    const v6 = JSON.parse(out6)
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    count = v4.length + v6.length
  }
  return { which: 'ip -j route show table all + JSON.parse', count, times }
}

try {
  setup()
  const results = [child('rtnl'), ipJson(), child('netlink')]
  const base = median(results[0].times)
  console.log(`list() of ${ROUTES} routes (+ the namespace's own), median of ${RUNS} runs, ${cpus().length} CPUs, Linux ${release()}`)
  console.log('| consumer | objects | median ms | min ms | vs rtnl |')
  console.log('|---|---|---|---|---|')
  for (const r of results) {
    if (r.error) {
      console.log(`| ${r.which} | failed: ${r.error} | | | |`)
      continue
    }
    const m = median(r.times)
    console.log(`| ${r.which} | ${r.count} | ${m.toFixed(1)} | ${Math.min(...r.times).toFixed(1)} | ${(m / base).toFixed(2)}x |`)
  }
  mkdirSync(`${here}/results`, { recursive: true })
  const file = `${here}/results/list-${new Date().toISOString().replace(/[:.]/g, '-')}.json`
  writeFileSync(file, JSON.stringify({ machine: machine(), note: 'node bench/list.mjs', routes: ROUTES, runs: RUNS, cpus: cpus().length, kernel: release(), results }, null, 2))
  console.log(`wrote ${file}`)
} finally {
  delNetns(ns)
}
