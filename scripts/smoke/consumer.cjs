// Runs under each target's own Node (native, musl loader or qemu-user): loads
// rtnl as a user would (require('rtnl') from node_modules, where all five
// platform packages are installed, so the loader has to choose), lists the
// links of a namespace, then waits for a real new_link of the name the
// driver creates. Prints one JSON line. CommonJS, so any Node runs it.
//   node consumer.cjs NETNS LINKNAME
const { readFileSync } = require('node:fs')
const rtnl = require('rtnl')

async function main() {
  const [ns, name] = process.argv.slice(2)
  const netns = { name: ns }
  const links = await rtnl.links.list({ netns })
  const monitor = await rtnl.subscribe({ netns, groups: [rtnl.RTNLGRP.LINK] })
  console.log('ready')
  let event
  for await (const msg of monitor) {
    if (msg.type === 'event' && msg.op === 'new_link' && msg.resource.name === name) {
      event = { op: msg.op, name: msg.resource.name, kind: msg.resource.linkinfo && msg.resource.linkinfo.kind, ifindex: msg.resource.index }
      break
    }
  }
  const loaded = (readFileSync('/proc/self/maps', 'utf8').match(/rtnl\.(linux-[a-z0-9-]+)\.node/) || [])[1]
  const header = process.report.getReport().header
  console.log(
    JSON.stringify({
      node: process.version,
      arch: process.arch,
      libc: header.glibcVersionRuntime ? `glibc ${header.glibcVersionRuntime}` : 'musl',
      loaded,
      links: links.map((l) => l.name),
      event,
    }),
  )
}
main().catch((e) => {
  console.log(JSON.stringify({ error: `${e.code}: ${e.message}` }))
  process.exitCode = 1
})
