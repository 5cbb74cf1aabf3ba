// The level-triggered reconcile loop: subscribe first, then list, then on
// every wake-up (an event or a resync) re-list and diff. Prints what changed
// in the routing table of a namespace.
//   node examples/reconcile.mjs [NETNS]
import { subscribe, routes, RTNLGRP } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
// The routes of the namespace by what identifies them, as one line each.
const table = async () =>
  new Map((await routes.list({ netns })).map((r) => [`${r.family} ${r.tableName} ${r.dst ?? 'default'}/${r.dstLen} ${r.priority ?? 0} ${r.tos} ${r.typeName}`, r]))

// 1. Subscribe before listing, so no change can slip between the two. Links
// and IPv4 addresses are wake-ups too: the kernel deletes the IPv4 routes
// through a link that goes down (or loses its last IPv4 address) without a
// route event, and puts none back when the link comes up.
const monitor = await subscribe({ netns, groups: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, RTNLGRP.LINK, RTNLGRP.IPV4_IFADDR] })
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
