// Streaming a big table: `routes.iterate()` against `routes.list()` on N
// routes (default 1,000,000), each in a fresh child process inside the
// namespace: time to the first batch, total time, and peak RSS above the
// child's baseline, after one warm-up call has loaded the addon. Writes bench/results/stream.json. Needs root and a build;
// adding 1M routes takes about 20 s.
//   node bench/stream.mjs [N]
import { execFileSync, spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { writeResult } from '../scripts/platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()

const N = Number(process.argv[2] ?? 1000000)
const ns = `rtnl-bench-stream-${process.pid}`
const here = fileURLToPath(new URL('.', import.meta.url))

const CHILD = `
const { routes, links } = require(${JSON.stringify(`${here}../dist/index.js`)})
const rss = () => process.memoryUsage().rss
;(async () => {
  // The addon loads on first use (and asks Node for its libc): a service has done that long before.
  await links.list()
  globalThis.gc?.()
  const base = rss()
  let peak = base
  const t0 = performance.now()
  let first = 0, count = 0
  if (process.argv[1] === 'iterate') {
    for await (const batch of routes.iterate()) {
      if (!first) first = performance.now() - t0
      count += batch.length
      peak = Math.max(peak, rss())
    }
  } else {
    const all = await routes.list()
    first = performance.now() - t0
    count = all.length
    peak = Math.max(peak, rss())
  }
  console.log(JSON.stringify({ mode: process.argv[1], count, firstMs: +first.toFixed(1), totalMs: Math.round(performance.now() - t0), peakRssAboveBaseMb: Math.round((peak - base) / 1048576) }))
})()
`

addNetns(ns)
try {
  execFileSync('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])
  const lines = []
  for (let i = 0; i < N; i++) lines.push(`route add blackhole 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  console.log(`adding ${N} routes`)
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n', maxBuffer: 1 << 30 })
  const results = []
  for (const mode of ['iterate', 'list', 'iterate', 'list']) {
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, '--expose-gc', '-e', CHILD, mode], { encoding: 'utf8', maxBuffer: 1 << 26 })
    if (r.status !== 0) throw new Error(r.stderr)
    const line = JSON.parse(r.stdout.trim().split('\n').at(-1))
    console.log(JSON.stringify(line))
    results.push(line)
  }
  if (process.argv[2] === undefined) console.log(`wrote ${writeResult('stream', { note: 'node bench/stream.mjs', routes: N, results })}`)
} finally {
  delNetns(ns)
}
