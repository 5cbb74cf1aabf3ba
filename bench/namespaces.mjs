// Many namespaces: N monitors, one per namespace, each must see its own
// event. Measures what rtnl adds to the process (threads, RSS), the time to
// open and to close all N, and the time until every monitor saw its event.
// Writes bench/results/namespaces.json (namespaces-N.json for another N). Needs root and a build.
//   node --expose-gc bench/namespaces.mjs [N]        (default 1000)
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { subscribe, RTNLGRP } from '../dist/index.js'
import { writeResult } from '../scripts/platforms.mjs'
import { addNetnsMany, cleanUpOnSignals, delNetnsMany } from '../scripts/netns.mjs'

cleanUpOnSignals()

const N = Number(process.argv[2] ?? 1000)
const prefix = `rtnl-bns-${process.pid}`
const names = Array.from({ length: N }, (_, i) => `${prefix}-${i}`)
const threads = () => readdirSync('/proc/self/task').length
const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024

console.log(`creating ${N} namespaces`)
addNetnsMany(names)
try {
  globalThis.gc?.()
  const before = { threads: threads(), rssMb: rssMb() }
  let t = performance.now()
  const monitors = await Promise.all(names.map((name) => subscribe({ netns: { name }, groups: [RTNLGRP.LINK] })))
  const openMs = performance.now() - t
  const during = { threads: threads(), rssMb: rssMb() }
  // Each monitor waits for the link made in its own namespace.
  // next(), not for-await: leaving a for-await loop would stop the monitor, and the close is measured below.
  const seen = monitors.map(async (m) => {
    for (;;) {
      const { value: msg, done } = await m.next()
      if (done) return false
      if (msg.type === 'event' && msg.op === 'new_link' && msg.resource.name === 'bench0') return true
    }
  })
  t = performance.now()
  for (const n of names) execFileSync('ip', ['-n', n, 'link', 'add', 'bench0', 'type', 'ifb'])
  const saw = (await Promise.race([Promise.all(seen), new Promise((r) => setTimeout(() => r(null), 60000))])) ?? []
  const eventsMs = performance.now() - t // includes running `ip` N times
  const ok = saw.filter(Boolean).length
  t = performance.now()
  await Promise.all(monitors.map((m) => m.stop()))
  const closeMs = performance.now() - t
  globalThis.gc?.()
  const after = { threads: threads(), rssMb: rssMb() }
  const r = {
    monitors: N,
    sawOwnEvent: ok,
    openMs: Math.round(openMs),
    closeMs: Math.round(closeMs),
    openPlusCloseMs: Math.round(openMs + closeMs),
    eventsMs: Math.round(eventsMs),
    threadsAdded: during.threads - before.threads,
    rssAddedMb: Math.round((during.rssMb - before.rssMb) * 10) / 10,
    threadsAfterClose: after.threads - before.threads,
  }
  console.log(JSON.stringify(r))
  const name = N === 1000 ? 'namespaces' : `namespaces-${N}`
  console.log(`wrote ${writeResult(name, { note: `node --expose-gc bench/namespaces.mjs${N === 1000 ? '' : ` ${N}`}`, results: [r] })}`)
} finally {
  delNetnsMany(names)
}
