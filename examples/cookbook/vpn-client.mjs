// What a VPN client watches: the default route (a new gateway or uplink
// means the tunnel must be dialled again) and the DNS servers that IPv6
// routers announce in their advertisements (RDNSS options).
//   node examples/cookbook/vpn-client.mjs [NETNS]
import { subscribe, routes, KIND_GROUPS } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
// Route events, and ND user options: the options of router advertisements.
const monitor = await subscribe({ netns, groups: [...KIND_GROUPS.routes, ...KIND_GROUPS.ndUserOptions] })
process.on('SIGINT', () => monitor.stop())

// The default routes of the main table, as one line to compare.
async function defaultRoutes() {
  const all = await routes.list({ netns, table: 254 })
  const lines = all.filter((r) => r.dstLen === 0).map((r) => `${r.gateway ?? 'direct'} (ifindex ${r.oif})`)
  return lines.sort().join(', ') || 'none'
}
let current = await defaultRoutes()
console.log(`default route: ${current}`)

for await (const msg of monitor) {
  if (msg.type === 'event' && msg.op === 'new_nduseropt') {
    // An RA's options: RDNSS carries DNS servers (the kernel sends these, it never lists them).
    for (const opt of msg.resource.options) {
      if (opt.typeName === 'rdnss') console.log(`dns servers: ${opt.servers?.join(' ')} for ${opt.lifetime} s (from ${msg.resource.srcaddr})`)
    }
    continue
  }
  // A route event, or resync_needed (events were lost): look at the default route again.
  const now = await defaultRoutes()
  if (now !== current) console.log(`default route: ${now} (was ${current}): reconnect the tunnel`)
  current = now
}
