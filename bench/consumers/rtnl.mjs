// Burst consumer: this library, a for-await loop that touches each resource.
//   node rtnl.mjs EXPECTED [--block-ms N] [--latency]
// Prints READY when it sees the readiness marker (10.255.255.0/24), then one JSON line at the end.
import { subscribe, RTNLGRP } from 'rtnl'

const expected = Number(process.argv[2])
const blockMs = process.argv.includes('--block-ms') ? Number(process.argv[process.argv.indexOf('--block-ms') + 1]) : 0
const latency = process.argv.includes('--latency')
// --filter-table N: a kernel-side filter keeping only table N (and ending at the end marker 10.255.254.0).
const filterTable = process.argv.includes('--filter-table') ? Number(process.argv[process.argv.indexOf('--filter-table') + 1]) : 0
const untilEnd = process.argv.includes('--until-end')
const monitor = await subscribe({ groups: [RTNLGRP.IPV4_ROUTE], ...(filterTable ? { filter: { table: [filterTable] } } : {}) })
let events = 0
let resyncs = 0
let ready = false
let blocked = false
let touched = 0
const arrivals = latency ? [] : null
const finish = async () => {
  const stats = monitor.stats()
  await monitor.stop()
  console.log(JSON.stringify({ events, resyncs, survived: true, touched, stats, arrivals }))
}
let idle = setTimeout(finish, 60000)
process.on('SIGTERM', finish)
for await (const msg of monitor) {
  if (msg.type === 'resync_needed') {
    resyncs++
    continue
  }
  const r = msg.resource
  if (untilEnd && r.dst === '10.255.254.0') {
    clearTimeout(idle)
    await finish()
    break
  }
  if (r.dst === '10.255.255.0') {
    if (!ready) console.log('READY')
    ready = true
    continue
  }
  if (!ready || r.dstLen !== 32) continue
  if (blockMs && !blocked) {
    blocked = true
    const until = Date.now() + blockMs
    while (Date.now() < until);
  }
  if (arrivals) arrivals.push([r.dst, Math.round((performance.timeOrigin + performance.now()) * 1e3)])
  touched += r.table + r.dstLen + r.type + (r.priority ?? 0)
  events++
  clearTimeout(idle)
  idle = setTimeout(finish, 3000)
  if (events === expected && !untilEnd) {
    clearTimeout(idle)
    await finish()
  }
}
