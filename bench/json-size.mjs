// The JSON size of a listed link against what `ip -d -j` and `ip -s -d -j`
// print for it, in a namespace with a loopback, a bridge and a veth pair
// (one end a bridge port). Writes bench/results/json-size.json.
// Needs root and a build.   node bench/json-size.mjs
import { execFileSync } from 'node:child_process'
import { links } from '../dist/index.js'
import { writeResult } from '../scripts/platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'

cleanUpOnSignals()

const ns = `rtnl-jsonsize-${process.pid}`
const ip = (...args) => execFileSync('ip', ['-n', ns, ...args])
addNetns(ns)
try {
  ip('link', 'add', 'br0', 'type', 'bridge')
  ip('link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip('link', 'set', 'a0', 'master', 'br0')
  for (const l of ['lo', 'a0', 'b0', 'br0']) ip('link', 'set', l, 'up')
  const results = []
  for (const name of ['lo', 'br0', 'a0', 'b0']) {
    const plain = await links.get({ name }, { netns: { name: ns } })
    const detailed = await links.get({ name }, { netns: { name: ns }, afDetails: true })
    const r = {
      link: `${name} (${plain.kind ?? 'loopback'}${plain.master ? ', bridge port' : ''})`,
      rtnl: JSON.stringify(plain).length,
      rtnlAfDetails: JSON.stringify(detailed).length,
      ipD: ip('-d', '-j', 'link', 'show', 'dev', name).length,
      ipSD: ip('-s', '-d', '-j', 'link', 'show', 'dev', name).length,
    }
    results.push(r)
    console.log(JSON.stringify(r))
  }
  console.log(`wrote ${writeResult('json-size', { note: 'node bench/json-size.mjs: bytes of JSON per link', results })}`)
} finally {
  delNetns(ns)
}
