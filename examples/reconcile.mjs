// The level-triggered reconcile loop: subscribe first, then list, then on
// every wake-up (an event or a resync) re-list and diff. Prints what changed
// in the routing table of a namespace.
//   node examples/reconcile.mjs [NETNS]
import { subscribe, routes } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
// The routes of the namespace by what identifies them, as one line each.
const table = async () =>
  new Map((await routes.list({ netns })).map((r) => [`${r.family} ${r.tableName} ${r.dst ?? 'default'}/${r.dstLen} ${r.priority ?? 0} ${r.tos} ${r.typeName}`, r]))

// 1. Subscribe before listing, so no change can slip between the two.
const monitor = await subscribe({ netns, groups: [7, 11] }) // RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE
process.on('SIGINT', () => monitor.stop())
// 2. The starting state.
let known = await table()
console.log(`${known.size} routes`)
// 3. Every event and every resync_needed is a wake-up: look again, diff, act.
for await (const msg of monitor) {
  if (msg.type === 'resync_needed') console.log(`resync (${msg.reason})`)
  const now = await table()
  for (const [k, r] of now) if (!known.has(k)) console.log(`added   ${k}${r.gateway ? ` via ${r.gateway}` : ''}`)
  for (const k of known.keys()) if (!now.has(k)) console.log(`removed ${k}`)
  known = now
}
