// A log shipper fed by `rtnl monitor --json`: reads one JSON event a line
// from stdin and appends them to OUT in batches (one JSON line per batch),
// as it would post them to a log service.
//   rtnl monitor --json | node examples/cookbook/ship-logs.mjs OUT
import { appendFileSync } from 'node:fs'
import { createInterface } from 'node:readline'

const out = process.argv[2]
const MAX_BATCH = 100 // events per batch at most
const MAX_WAIT_MS = 1000 // how long an event may wait for its batch to fill
let batch = Array.of() // the events read and not shipped yet
let sent = 0

function ship(extra = {}) {
  if (batch.length === 0 && Object.keys(extra).length === 0) return
  appendFileSync(out, JSON.stringify({ batch: ++sent, events: batch, ...extra }) + '\n')
  batch = []
}
// Every second, what came since goes out, whether its batch is full or not.
const tick = setInterval(ship, MAX_WAIT_MS)

// Ctrl-C reaches the whole pipeline: rtnl monitor exits, stdin ends, and the rest is shipped below.
process.on('SIGINT', () => {})
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue
  const msg = JSON.parse(line)
  if (msg.type === 'resync_needed') {
    // Events were lost before this point (rtnl says why): ship what came before, then mark the gap.
    ship()
    ship({ gap: msg.reason })
    continue
  }
  batch.push(msg)
  if (batch.length >= MAX_BATCH) ship()
}
clearInterval(tick)
ship() // stdin ended: the last batch
