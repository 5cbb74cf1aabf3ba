// Runs inside the benchmark namespace (ip netns exec): times one consumer's
// full route dump into JS objects, N times, and prints the times as JSON.
//   node list-child.mjs rtnl|netlink N
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const [which, runs] = [process.argv[2], Number(process.argv[3] ?? 5)]
const times = []
let count = 0
if (which === 'rtnl') {
  const { routes } = require('rtnl')
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    const list = await routes.list()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    count = list.length
  }
} else if (which === 'netlink') {
  const { createRtNetlink } = require('netlink')
  const socket = createRtNetlink()
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint()
    const list = await socket.getRoutes()
    times.push(Number(process.hrtime.bigint() - t0) / 1e6)
    count = list.length
  }
  socket.socket.close()
}
console.log(JSON.stringify({ which, count, times }))
