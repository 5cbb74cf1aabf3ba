// Runs under Bun and Deno (scripts/runtime-smoke.mjs): imports rtnl as a user
// would (from node_modules), lists the links of a namespace, waits for the
// new_link of the link the driver makes with `ip` (a veth pair) once this prints "ready",
// then takes watch() snapshots: the first must hold that link, the next the
// route this adds with routes.add(). Prints one JSON line per step, then
// returns without process.exit(): the runtime must exit by itself.
//   <runtime> runtime-consumer.mjs NETNS LINKNAME
import process from 'node:process'
import { links, routes, subscribe, watch, RTNLGRP } from 'rtnl'

const [ns, name] = process.argv.slice(2)
const netns = { name: ns }
const say = (step, data) => console.log(JSON.stringify({ step, ...data }))

try {
  say('list', { links: (await links.list({ netns })).map((l) => l.name) })

  const monitor = await subscribe({ netns, groups: [RTNLGRP.LINK] })
  console.log('ready')
  for await (const msg of monitor) {
    if (msg.type === 'event' && msg.op === 'new_link' && msg.resource.name === name) {
      say('event', { op: msg.op, name: msg.resource.name, kind: msg.resource.linkinfo?.kind })
      break
    }
  }

  let n = 0
  for await (const { state, changes } of watch(['links', 'routes'], { netns })) {
    if (n++ === 0) {
      say('watch', { links: [...state.links.values()].map((l) => l.name).sort() })
      await routes.add({ dst: '10.99.0.0', dstLen: 16, type: 6 }, { netns }) // type 6: blackhole
    } else {
      const added = changes.filter((c) => c.kind === 'routes' && c.change === 'added').map((c) => `${c.after.dst}/${c.after.dstLen}`)
      if (added.length) {
        say('change', { added })
        break
      }
    }
  }
  say('done', {})
} catch (e) {
  say('error', { name: e.name, code: e.code, message: e.message })
  process.exitCode = 1
}
