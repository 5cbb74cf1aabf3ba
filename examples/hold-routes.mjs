// Holds a desired set of routes in place: reconcile() makes the table match,
// and watch() wakes the loop whenever anything in that table changes (another
// process deleting a route, a link going down), so the routes come back.
//   node examples/hold-routes.mjs [NETNS]
import { watch, reconcile } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
const TABLE = 100
// What this program owns: table 100. Everything else is left alone.
const desired = [
  { dst: '10.60.0.0', dstLen: 16, type: 6 }, // blackhole
  { dst: '10.61.0.0', dstLen: 16, type: 7 }, // unreachable
  { dst: '10.62.0.0', dstLen: 24, type: 6, priority: 10 },
]
const scope = { table: TABLE }

// Ctrl-C aborts the watch even while it waits for the next change.
const stop = new AbortController()
process.on('SIGINT', () => stop.abort())
try {
  for await (const { changes } of watch(['routes'], { netns, filters: { routes: { table: TABLE } }, signal: stop.signal })) {
    // The first snapshot, and every change in the table: make it match again.
    const { ops, results } = await reconcile('routes', desired, { netns, scope })
    ops.forEach((op, i) => console.log(`${op.verb} ${op.object.dst}/${op.object.dstLen}${results[i].ok ? '' : ` failed: ${results[i].error.message}`}`))
    if (ops.length === 0 && changes.length > 0) console.log('in place')
  }
} catch (err) {
  if (!stop.signal.aborted) throw err // an AbortError after Ctrl-C; anything else is a failure
}
