// Runs inside the A/B bench's list namespace (ip netns exec), against the build
// in DIR: watch(['routes']) over the table there, then a churn of CHURN route
// adds and as many deletes made by `ip -batch`, consumed until watch() has seen
// them all. Prints, as JSON: the first snapshot's time, the churn's wall time
// and this process's CPU over it, and the event loop's longest delay then.
//   node watch-child.mjs DIR CHURN
import { spawn } from 'node:child_process'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const [dir, churn] = [process.argv[2], Number(process.argv[3] ?? 2000)]
const { watch } = await import(pathToFileURL(`${dir}/dist/index.mjs`).href)
const lines = (verb) => {
  const out = []
  for (let i = 0; i < churn; i++) out.push(`route ${verb} blackhole 11.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`)
  return out.join('\n') + '\n'
}

const t0 = performance.now()
const it = watch(['routes'])
const first = (await it.next()).value
const firstSnapshotMs = performance.now() - t0
const routes = first.state.routes.size
first.changes.length = 0

const delay = monitorEventLoopDelay({ resolution: 1 })
delay.enable()
const cpu0 = process.cpuUsage()
const t1 = performance.now()
const ip = spawn('ip', ['-batch', '-'], { stdio: ['pipe', 'ignore', 'inherit'] })
ip.stdin.end(lines('add') + lines('del'))
let added = 0
let removed = 0
while (added < churn || removed < churn) {
  const { value, done } = await it.next()
  if (done) throw new Error('watch() ended')
  for (const c of value.changes) {
    if (c.change === 'added' && c.after.dst?.startsWith('11.')) added++
    else if (c.change === 'removed' && c.before.dst?.startsWith('11.')) removed++
  }
}
const churnMs = performance.now() - t1
const cpu = process.cpuUsage(cpu0)
delay.disable()
await it.return()
console.log(JSON.stringify({ routes, firstSnapshotMs, churnMs, churnCpuMs: (cpu.user + cpu.system) / 1000, loopDelayMaxMs: delay.max / 1e6 }))
