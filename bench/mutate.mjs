// Changes against ip -batch, in the same run. Needs root and a build.
//
// 1. N route adds (default 100,000) into an empty table of a fresh
//    namespace: `ip -n NS -batch -` (the process, start to exit) against
//    `batch()` of the same N adds (from the call to its answer, in a warm
//    process, the objects built before the clock starts), ROUNDS times each
//    (default 3), alternating; the table is emptied between runs.
// 2. reconcile(): N routes installed, a desired state that differs in 1,000
//    (500 installed routes left out, 500 new ones): the time of
//    reconcile('routes', desired, { scope }) against the time of
//    routes.list() plus a batch() of exactly those 1,000 changes, and the
//    count of changes it sent.
// Writes bench/results/mutate.json (with N of 100,000) or
// mutate-N.json otherwise.
//   node bench/mutate.mjs [N] [ROUNDS]
import { execFileSync, spawnSync } from 'node:child_process'
import { writeResult } from '../scripts/platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from '../scripts/netns.mjs'
import rtnl from '../dist/index.js'

cleanUpOnSignals()

const N = Number(process.argv[2] ?? 100000)
const ROUNDS = Number(process.argv[3] ?? 3)
const TABLE = 100
const ns = `rtnl-bench-mutate-${process.pid}`
const netns = { name: ns }
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const dst = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`

const ipLines = Array.from({ length: N }, (_, i) => `route add ${dst(i)}/32 via 10.254.0.2 dev v0 table ${TABLE}`)
const ops = Array.from({ length: N }, (_, i) => ({ kind: 'routes', verb: 'add', object: { dst: dst(i), dstLen: 32, gateway: '10.254.0.2', oif: 0, table: TABLE } }))

function flush() {
  execFileSync('ip', ['-n', ns, 'route', 'flush', 'table', String(TABLE)])
}

async function count() {
  let n = 0
  for await (const b of rtnl.routes.iterate({ netns, table: TABLE })) n += b.length
  return n
}

addNetns(ns)
try {
  execFileSync('ip', ['-n', ns, '-batch', '-'], {
    input: ['link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'addr add 10.254.0.1/16 dev v0'].join('\n') + '\n',
  })
  const v0 = (await rtnl.links.get({ name: 'v0' }, { netns })).index
  for (const op of ops) op.object.oif = v0
  // Warm: the addon loaded, a small batch through every layer.
  await rtnl.batch(ops.slice(0, 1000), { netns })
  flush()

  const adds = []
  for (let r = 0; r < ROUNDS; r++) {
    let t0 = performance.now()
    const ip = spawnSync('ip', ['-n', ns, '-batch', '-'], { input: ipLines.join('\n') + '\n', maxBuffer: 1 << 26 })
    const ipMs = performance.now() - t0
    if (ip.status !== 0) throw new Error(`ip -batch failed: ${ip.stderr}`)
    const ipCount = await count()
    flush()
    t0 = performance.now()
    const results = await rtnl.batch(ops, { netns })
    const rtnlMs = performance.now() - t0
    const failed = results.filter((x) => !x.ok).length
    const rtnlCount = await count()
    flush()
    const row = { ipMs: Math.round(ipMs), rtnlMs: Math.round(rtnlMs), ratio: +(rtnlMs / ipMs).toFixed(3), ipCount, rtnlCount, failed }
    console.log(JSON.stringify(row))
    adds.push(row)
  }

  // reconcile: N installed; desired leaves out the first 500 and adds 500 new.
  await rtnl.batch(ops, { netns })
  const listed = await rtnl.routes.list({ netns, table: TABLE })
  const desired = listed.slice(500).map((r) => ({ dst: r.dst, dstLen: r.dstLen, gateway: r.gateway, oif: r.oif, table: TABLE }))
  for (let i = 0; i < 500; i++) desired.push({ dst: `10.250.${i >> 8}.${i & 255}`, dstLen: 32, gateway: '10.254.0.2', oif: v0, table: TABLE })
  const dry = await rtnl.reconcile('routes', desired, { netns, scope: { table: TABLE }, dryRun: true })
  const plan = { add: dry.add.length, replace: dry.replace.length, remove: dry.remove.length, unchanged: dry.unchanged }
  console.log(`plan: ${JSON.stringify(plan)}`)
  const recon = []
  for (let r = 0; r < ROUNDS; r++) {
    // The same starting table every round: the 500 removed put back, the 500 added taken out.
    let t0 = performance.now()
    const done = await rtnl.reconcile('routes', desired, { netns, scope: { table: TABLE } })
    const reconcileMs = performance.now() - t0
    const sent = done.ops.length
    const failed = done.results.filter((x) => !x.ok).length
    // Back to the start, then the baseline: a list and the same 1,000 changes as one batch.
    const undo = [
      ...done.ops.filter((o) => o.verb === 'add').map((o) => ({ ...o, verb: 'del' })),
      ...done.ops.filter((o) => o.verb === 'del').map((o) => ({ ...o, verb: 'add' })),
    ]
    await rtnl.batch(undo, { netns })
    t0 = performance.now()
    await rtnl.routes.list({ netns, table: TABLE })
    const listMs = performance.now() - t0
    t0 = performance.now()
    await rtnl.batch(done.ops, { netns })
    const opsMs = performance.now() - t0
    await rtnl.batch(undo, { netns })
    const row = { reconcileMs: Math.round(reconcileMs), listMs: Math.round(listMs), opsMs: Math.round(opsMs), ratio: +(reconcileMs / (listMs + opsMs)).toFixed(3), sent, failed }
    console.log(JSON.stringify(row))
    recon.push(row)
  }
  const summary = {
    note: 'node bench/mutate.mjs',
    routes: N,
    rounds: ROUNDS,
    adds: { medianIpMs: median(adds.map((x) => x.ipMs)), medianRtnlMs: median(adds.map((x) => x.rtnlMs)), medianRatio: median(adds.map((x) => x.ratio)), runs: adds },
    reconcile: {
      differing: 1000,
      plan,
      medianReconcileMs: median(recon.map((x) => x.reconcileMs)),
      medianListPlusOpsMs: median(recon.map((x) => x.listMs + x.opsMs)),
      medianRatio: median(recon.map((x) => x.ratio)),
      runs: recon,
    },
  }
  console.log(JSON.stringify({ adds: { ...summary.adds, runs: undefined }, reconcile: { ...summary.reconcile, runs: undefined } }))
  console.log(`wrote ${writeResult(N === 100000 ? 'mutate' : `mutate-${N}`, summary)}`)
} finally {
  delNetns(ns)
}
