// Holds a desired set of routes in place: reconcile() makes the table match,
// and watch() wakes the loop whenever the table, a link or an address
// changes, so the routes come back: after another process deletes them, and
// after a link flap (the kernel drops the IPv4 routes through a link that
// goes down, without a route event, and puts none back when it comes up).
//   node examples/hold-routes.mjs [NETNS [GATEWAY]]
import { watch, reconcile } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
const gateway = process.argv[3] ?? '10.99.0.1'
const TABLE = 100
// What this program owns: table 100. Everything else is left alone.
const desired = [
  { dst: '10.60.0.0', dstLen: 16, type: 'blackhole' }, // needs no link
  { dst: '10.61.0.0', dstLen: 16, type: 'unreachable' },
  { dst: '10.62.0.0', dstLen: 24, type: 'blackhole', priority: 10 },
  // 20 routes through a gateway: gone while the gateway's link is down.
  ...Array.from({ length: 20 }, (_, i) => ({ dst: `10.70.${i}.0`, dstLen: 24, gateway })),
]
const scope = { table: TABLE }

// Ctrl-C aborts the watch even while it waits for the next change.
const stop = new AbortController()
process.on('SIGINT', () => stop.abort())
let refused = new Set() // the changes the kernel refused last round, as printed
let changed = true // the last round sent changes (or there was none yet)
try {
  // The table, and every link and address: a route through a gateway can be
  // made again only once its link is up with an address on the gateway's
  // subnet, and only a link or address event says that it is.
  for await (const _ of watch(['routes', 'links', 'addresses'], { netns, filters: { routes: { table: TABLE } }, signal: stop.signal })) {
    // The first snapshot, and every change: make the table match again.
    const { ops, results } = await reconcile('routes', desired, { netns, scope })
    const now = new Set()
    ops.forEach((op, i) => {
      const { dst, dstLen, gateway: via } = op.object
      const line = `${op.verb} ${dst}/${dstLen}${via ? ` via ${via}` : ''}`
      const result = results[i]
      if (result.ok) return console.log(line)
      // Refused (ENETUNREACH while the link is down): reported once, not
      // retried in a loop; the next wake-up (the link back up) tries again.
      now.add(line)
      if (!refused.has(line)) console.log(`${line} failed: ${result.error.message}`)
    })
    if (now.size > 0 && [...now].some((line) => !refused.has(line))) console.log(`${now.size} waiting for a link or address to change`)
    if (ops.length === 0 && changed) console.log(`in place: ${desired.length} routes`)
    refused = now
    changed = ops.length > 0
  }
} catch (err) {
  if (!stop.signal.aborted) throw err // an AbortError after Ctrl-C; anything else is a failure
}
