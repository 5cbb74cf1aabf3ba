// Burst consumer: the npm `netlink` package (node_netlink), multicast on IPV4_ROUTE.
//   node netlink.cjs EXPECTED
const { createRtNetlink } = require('netlink')

const expected = Number(process.argv[2])
const socket = createRtNetlink({ ref: true })
socket.addMembership('IPV4_ROUTE')
let events = 0
let errors = 0
let ready = false
const finish = () => {
  console.log(JSON.stringify({ events, resyncs: errors, survived: true }))
  process.exit(0)
}
let idle = setTimeout(finish, 60000)
process.on('SIGTERM', finish)
socket.on('error', () => errors++)
socket.on('message', (message) => {
  for (const part of message) {
    if (part.kind !== 'route') continue
    const dst = part.attrs.dst
    if (dst && dst.join('.') === '10.255.255.0') {
      if (!ready) console.log('READY')
      ready = true
      continue
    }
    if (!ready || part.data.dstLen !== 32) continue
    events++
    if (events % 500 === 0) process.stdout.write(`PROGRESS ${events}\n`)
    clearTimeout(idle)
    idle = setTimeout(finish, 3000)
    if (events === expected) finish()
  }
})
