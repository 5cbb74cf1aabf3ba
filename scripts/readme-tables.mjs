// Redraws the guide's measured tables (docs/guide.md) from the committed result files in
// bench/results/, between <!-- NAME:begin --> and <!-- NAME:end --> markers,
// so the guide cannot disagree with the measurements.
//   node scripts/readme-tables.mjs          rewrite docs/guide.md
//   node scripts/readme-tables.mjs --check  exit 1 if docs/guide.md is stale
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { root, TARGETS } from './platforms.mjs'

const results = (name) => {
  const file = join(root, 'bench/results', `${name}.json`)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}
/** Every result file `<name>.json` and `<name>-<N>.json` (one run per size). */
const sized = (name) =>
  readdirSync(join(root, 'bench/results'))
    .filter((f) => f === `${name}.json` || new RegExp(`^${name}-\\d+\\.json$`).test(f))
    .map((f) => results(f.slice(0, -'.json'.length)))
const mb = (n) => `${(n / 1e6).toFixed(2)} MB`
const day = (m) => m.date.slice(0, 10)

function platforms() {
  const build = results('platforms-build')
  const smoke = results('platforms-smoke')
  const matrix = results('node-matrix')
  const rows = [
    '| target | libc floor | addon | tarball | built in | smoke-tested here with | saw |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const t of TARGETS) {
    const b = build?.results.find((r) => r.target === t.suffix)
    const s = smoke?.results.find((r) => r.target === t.suffix)
    const floor = b ? (b.glibcFloor ? `glibc ${b.glibcFloor}` : `musl (needs ${b.needed.join(', ')})`) : t.libc
    rows.push(
      `| \`${t.suffix}\` | ${floor} | ${b ? mb(b.bytes) : '?'} | ${b?.tarballBytes ? mb(b.tarballBytes) : '?'} | ${b ? `${Math.round(b.seconds)} s` : '?'} | ` +
        `${s ? `Node ${s.node} (${s.libc}), ${s.runtime}` : 'not run'} | ${s ? (s.ok ? `${s.event.op} ${s.event.kind}` : 'FAILED') : ''} |`,
    )
  }
  const lines = [...rows, '']
  if (build) {
    const total = build.results.reduce((a, r) => a + r.seconds, 0)
    lines.push(
      `Built by \`npm run build:all\` from a clean checkout in ${Math.round(total)} s of compiling in all (the first target ` +
        `also builds the host-side macros the others reuse; installing zig into .venv adds about 10 s) ` +
        `(${build.machine.cores} cores, ${build.machine.cpu}, ${day(build.machine)}); smoke by \`npm run smoke:all\`` +
        `${smoke ? ` (${day(smoke.machine)}, kernel ${smoke.machine.kernel})` : ''}.`,
    )
  }
  if (matrix) {
    const byNode = new Map()
    for (const r of matrix.results) byNode.set(r.node, [...(byNode.get(r.node) ?? []), r])
    const parts = [...byNode].map(([node, rs]) => `${node} ${rs.every((r) => r.ok) ? 'passed' : 'FAILED'} (${rs.map((r) => r.summary).join('; ')})`)
    lines.push(`The test suite on x64 (\`npm run test:node-matrix\`, ${day(matrix.machine)}): ${parts.join(', ')}.`)
  }
  return lines.join('\n')
}

function jsonSize() {
  const r = results('json-size')
  if (!r) return '(no results: node bench/json-size.mjs)'
  const rows = ['| link | rtnl | with `afDetails` | `ip -d -j` | `ip -s -d -j` |', '|---|---|---|---|---|']
  for (const x of r.results) rows.push(`| ${x.link} | ${x.rtnl} B | ${x.rtnlAfDetails} B | ${x.ipD} B | ${x.ipSD} B |`)
  rows.push('', `Bytes of JSON per link, \`node bench/json-size.mjs\` (${day(r.machine)}, kernel ${r.machine.kernel}).`)
  return rows.join('\n')
}

function namespaces() {
  const runs = sized('namespaces').sort((a, b) => a.results[0].monitors - b.results[0].monitors)
  if (runs.length === 0) return '(no results: node --expose-gc bench/namespaces.mjs)'
  const rows = [
    '| monitors | saw their own event | threads added | RSS added | open all | close all | all events seen |',
    '|---|---|---|---|---|---|---|',
  ]
  for (const { results: [x] } of runs) {
    rows.push(`| ${x.monitors} | ${x.sawOwnEvent} | ${x.threadsAdded} | ${x.rssAddedMb} MB | ${x.openMs} ms | ${x.closeMs} ms | ${x.eventsMs} ms (includes running \`ip\` ${x.monitors} times) |`)
  }
  const r = runs.at(-1)
  rows.push(
    '',
    `\`node --expose-gc bench/namespaces.mjs [N]\` (${[...new Set(runs.map((x) => day(x.machine)))].join(', ')}, ${r.machine.cores} cores, kernel ${r.machine.kernel}). Goals: at most 4 threads, under 50 MB, open and close under 1 s.`,
  )
  return rows.join('\n')
}

/** The newest full (not --quick) run of bench/burst.mjs. */
function latestBurst() {
  const dir = join(root, 'bench/results')
  const files = readdirSync(dir).filter((f) => /^burst-.*\.json$/.test(f) && !f.includes('quick')).sort()
  return files.length ? { file: files.at(-1), data: JSON.parse(readFileSync(join(dir, files.at(-1)), 'utf8')) } : undefined
}

function burstTable(title, rows) {
  const ip = rows.find((r) => r.name === 'ip monitor')?.cpu
  const out = [title, '| consumer | delivered / expected | resync or errors | survived | CPU s | CPU vs ip monitor | peak RSS MB |', '|---|---|---|---|---|---|---|']
  for (const r of rows) {
    if (r.skipped) out.push(`| ${r.name} | skipped: ${r.skipped} | | | | | |`)
    else {
      const survived = r.survived ? 'yes' : `no${r.error ? ` (${r.error.trim()})` : ''}`
      out.push(`| ${r.name} | ${r.events} / ${r.expected} | ${r.resyncs} | ${survived} | ${r.cpu.toFixed(2)} | ${ip ? `${(r.cpu / ip).toFixed(2)}x` : ''} | ${r.rssMb.toFixed(0)} |`)
    }
  }
  return out.join('\n')
}

function burst() {
  const b = latestBurst()
  if (!b) return '(no results: npm run bench:burst)'
  const d = b.data
  const parts = [`\`npm run bench:burst\`, ${b.file} (${d.machine.cpus} cores, ${d.machine.model}, kernel ${d.machine.kernel}):`, '']
  if (d.burst) parts.push(burstTable(`Burst: ${d.burst[0].expected} route events (half add, half del)`, d.burst), '')
  if (d.blocked) parts.push(burstTable('Blocked consumer: the same burst, the JS consumer blocks its event loop for 2 s at the first event', d.blocked), '')
  if (d.million) parts.push(burstTable(`Burst: ${d.million[0].expected} route events`, d.million), '')
  if (d.latency) {
    const l = d.latency
    parts.push(
      `Latency: ${l.changes} changes, one every 10 ms; from the change's syscall returning to the event in the JS loop`,
      '| consumer | matched | p50 us | p99 us | max us |',
      '|---|---|---|---|---|',
      `| ${l.name} | ${l.matched} / ${l.changes} | ${l.p50us} | ${l.p99us} | ${l.maxUs} |`,
      '',
    )
  }
  if (d.filter) parts.push(burstTable('Kernel-side filter: the burst in table 200, against a filter for table 254 only', d.filter))
  return parts.join('\n').trim()
}

function stream() {
  const r = results('stream')
  if (!r) return '(no results: node bench/stream.mjs)'
  const rows = ['| call | routes | first batch | total | peak RSS above baseline |', '|---|---|---|---|---|']
  for (const x of r.results) rows.push(`| \`routes.${x.mode}()\` | ${x.count} | ${x.firstMs} ms | ${x.totalMs} ms | ${x.peakRssAboveBaseMb} MB |`)
  rows.push('', `\`node bench/stream.mjs\` (${day(r.machine)}, kernel ${r.machine.kernel}; each row a fresh process, after one warm-up call).`)
  return rows.join('\n')
}

function scale() {
  const runs = sized('scale-watch').sort((a, b) => a.routesInstalled - b.routesInstalled)
  if (runs.length === 0) return '(no results: node --expose-gc bench/scale.mjs watch)'
  const rows = [
    '| with routes installed | first snapshot | watch() RSS | one route add: p50 / p99 | event-loop delay max | CPU per change | link down, 1,000 routes on it | forced resync | event-loop delay max in the resync |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const r of runs) {
    const x = r.results
    rows.push(
      `| ${r.routesInstalled} | ${x.firstSnapshotMs} ms | ${x.rssMb} MB | ${x.single.p50Ms} / ${x.single.p99Ms} ms (${x.single.matched}/${x.single.changes}) | ${x.single.loopDelayMaxMs} ms | ${x.single.cpuPerChangeMs} ms (process ${x.single.phaseCpuMsPerSec ?? '?'} ms/s during the changes, ${x.single.idleCpuMsPerSec ?? '?'} ms/s idle) | ${x.linkDown.removed} removed in ${x.linkDown.ms} ms | ${x.resync.ms} ms | ${x.resync.loopDelayMaxMs} ms |`,
    )
  }
  rows.push(
    '',
    `\`node --expose-gc bench/scale.mjs watch [N]\` (${[...new Set(runs.map((r) => day(r.machine)))].join(', ')}, kernel ${runs[0].machine.kernel}). Goals: p50 < 2 ms, p99 < 10 ms, loop delay < 10 ms, CPU < 1 ms per change, link down within 50 ms, resync loop delay < 10 ms.`,
  )
  return rows.join('\n')
}

function scaleList() {
  const runs = ['scale-list-100000', 'scale-list'].map(results).filter(Boolean)
  if (runs.length === 0) return '(no results: node --expose-gc bench/scale.mjs list [N])'
  const rows = [
    '| routes | kernel dump (read and framed) | Rust decode / JSON encode | V8 building the objects from plain JSON | `routes.list()` | vs kernel | `ip -j route show table all` + `JSON.parse` | ip -j vs rtnl | heap per listed route |',
    '|---|---|---|---|---|---|---|---|---|',
  ]
  for (const r of runs) {
    const x = r.results
    rows.push(
      `| ${x.list.routes} | ${x.kernelDumpMs} ms | ${x.rustDecodeMs} / ${x.rustJsonMs} ms | ${x.jsonParseFloorMs} ms | ${x.list.medianMs} ms (min ${x.list.minMs}) | ${x.ratioToKernel}x | ${x.ipJson.medianMs} ms | ${x.ipJsonOverRtnl}x | ${x.list.bytesPerRoute ?? '?'} bytes |`,
    )
  }
  rows.push(
    '',
    `\`node --expose-gc bench/scale.mjs list [N]\` (${[...new Set(runs.map((r) => day(r.machine)))].join(', ')}, kernel ${runs[0].machine.kernel}; medians of 3). Goals: within 1.5x the kernel's dump, at least 2x faster than ip -j.`,
  )
  return rows.join('\n')
}

function mixed() {
  const r = results('mixed')
  if (!r) return '(no results: node bench/mixed.mjs)'
  const rows = ['| delivery | routes alone: CPU per event | nexthops, qdiscs and routes: CPU per event | ratio | events per batch (routes / mixed) |', '|---|---|---|---|---|']
  for (const mode of ['held', 'live']) {
    const x = r[mode]
    rows.push(`| ${mode} | ${x.cpuUsPerEvent.routesOnly} µs | ${x.cpuUsPerEvent.mixed} µs | ${x.ratio}x | ${x.eventsPerBatch.routesOnly} / ${x.eventsPerBatch.mixed} |`)
  }
  rows.push(
    '',
    `\`node bench/mixed.mjs\` (${day(r.machine)}, kernel ${r.machine.kernel}): ${r.changes} changes per workload after a warm-up of ${r.warmup}, medians of ${r.rounds} rounds, ${r.lossless ? 'every event delivered and no resync in every round' : 'NOT LOSSLESS: see bench/results/mixed.json'}. Held: the consumer is stopped while the changes are made and reads them at once, so both workloads are batched alike; live: it reads as they come (tc -batch makes changes at about half the rate of ip -batch, so its batches are half as full).`,
  )
  return rows.join('\n')
}

function mutate() {
  const r = results('mutate')
  if (!r) return '(no results: node bench/mutate.mjs)'
  const a = r.adds
  const c = r.reconcile
  return [
    '| | rtnl | same work otherwise | ratio |',
    '|---|---|---|---|',
    `| ${r.routes} route adds | \`batch()\`: ${a.medianRtnlMs} ms | \`ip -batch\`: ${a.medianIpMs} ms | ${a.medianRatio}x |`,
    `| reconcile ${r.routes} routes, ${c.differing} differing | \`reconcile()\`: ${c.medianReconcileMs} ms, ${c.plan.add + c.plan.remove + c.plan.replace} changes sent | \`routes.list()\` + those changes in one \`batch()\`: ${c.medianListPlusOpsMs} ms | ${c.medianRatio}x |`,
    '',
    `\`node bench/mutate.mjs\` (${day(r.machine)}, kernel ${r.machine.kernel}; medians of ${r.rounds} rounds). Goals: adds in at most half the time of ip -batch; reconcile under 1.5x the list plus the changes.`,
  ].join('\n')
}

/** The kernel matrix (npm run test:kernels): each kernel's result, time and what it lacks (the README repeats it). */
function kernels() {
  const r = results('kernels')
  if (!r) return '(no results: npm run test:kernels)'
  const groupName = (g) => ({ 34: 'MCTP_IFADDR', 35: 'TUNNEL', 36: 'STATS', 37: 'IPV4_MCADDR', 38: 'IPV6_MCADDR', 39: 'IPV6_ACADDR' })[g] ?? String(g)
  const rows = [
    `| | ${r.kernels.map((k) => `${k.distribution}: ${k.kernel ?? k.release}`).join(' | ')} |`,
    `|---|${r.kernels.map(() => '---').join('|')}|`,
    `| suite subset | ${r.kernels.map((k) => (k.tests ? `${k.ok ? 'passed' : 'FAILED'}: ${k.tests.passed} passed, ${k.tests.skipped} skipped, ${k.tests.failed} failed` : `FAILED: ${k.error}`) + (k.subset && String(k.subset) !== String(r.subset) ? ' (another subset)' : '')).join(' | ')} |`,
    `| time in the guest | ${r.kernels.map((k) => (k.guestSeconds ? `${Math.round(k.guestSeconds)} s (${k.vcpus ?? 2} vCPU${k.vcpus === 1 ? '' : 's'})` : '')).join(' | ')} |`,
    `| lacks | ${r.kernels.map((k) => [...Object.entries(k.features ?? {}).filter(([, f]) => f.state === 'absent').map(([f]) => f), ...(k.groupsRefused?.length ? [`groups ${k.groupsRefused.join(', ')}`] : [])].join(', ') || 'nothing the suite asks for').join(' | ')} |`,
    `| groups refused (joined by ALL_GROUPS otherwise) | ${r.kernels.map((k) => (k.groupsRefused?.length ? k.groupsRefused.map((g) => `${g} ${groupName(g)}`).join(', ') : 'none')).join(' | ')} |`,
  ]
  const dates = [...new Set(r.kernels.map((k) => (k.date ?? r.machine.date).slice(0, 10)))].join(', ')
  return [
    ...rows,
    '',
    `\`npm run test:kernels\` (${dates}; QEMU without KVM, ${r.kernels.every((k) => (k.parallelGuests ?? 1) === 1) ? 'one guest at a time' : 'guests side by side'}, on a ${r.machine.cores}-core ${r.machine.cpu}, host kernel ${r.machine.hostKernel}, Node ${r.machine.node}). ` +
      `The subset: ${r.subset.map((f) => f.replace('__test__/', '').replace('.test.mjs', '')).join(', ')}.`,
  ].join('\n')
}

/** The kernel matrix, kernel x feature: passed, skipped with the reason, failed. */
function kernelFeatures() {
  const r = results('kernels')
  if (!r) return '(no results: npm run test:kernels)'
  const cell = (f) => {
    if (!f) return 'not run'
    if (f.state === 'passed') return `passed (${f.tests} test${f.tests === 1 ? '' : 's'})`
    if (f.state === 'absent') return f.tests ? `skipped: not in this kernel (${f.tests} test${f.tests === 1 ? '' : 's'})` : 'not in this kernel (the scenarios leave it out)'
    if (f.state === 'present') return 'present (no test needs it here)'
    return f.state.toUpperCase()
  }
  return [
    `| feature | ${r.kernels.map((k) => k.kernel ?? k.release).join(' | ')} |`,
    `|---|${r.kernels.map(() => '---').join('|')}|`,
    ...Object.entries(r.features).map(([f, what]) => `| ${what} | ${r.kernels.map((k) => cell(k.features?.[f])).join(' | ')} |`),
  ].join('\n')
}

/** Two builds taking turns (bench/ab.mjs): each run's medians, B against A. */
function ab() {
  const runs = readdirSync(join(root, 'bench/results'))
    .filter((f) => /^ab-.+\.json$/.test(f))
    .map((f) => ({ label: f.slice(3, -5), ...results(f.slice(0, -5)) }))
    .sort((x, y) => x.date.localeCompare(y.date))
  if (runs.length === 0) return '(no results: node bench/ab.mjs)'
  const ratio = (r, what) => (r.summary[what] ? `${r.summary[what].ratio.toFixed(2)}x` : 'not measured')
  return [
    '| run | A | B | burst CPU | list() | watch() first snapshot | watch() CPU over a churn | longest event-loop delay | every event delivered |',
    '|---|---|---|---|---|---|---|---|---|',
    ...runs.map((r) => `| ${r.label} (${day(r)}) | ${r.a.commit}${r.a.dirty ? ' (edited)' : ''} | ${r.b.commit}${r.b.dirty ? ' (edited)' : ''} | ${ratio(r, 'burstCpu')} | ${ratio(r, 'list')} | ${ratio(r, 'watchFirst')} | ${ratio(r, 'watchChurnCpu')} | ${ratio(r, 'watchLoopMax')} | ${r.lossless ? 'yes' : 'NO'} |`),
    '',
    `\`node bench/ab.mjs DIR_A DIR_B\` (B's median over A's, the two builds alternating in the same run; ${runs.at(-1).sizes.rounds} rounds, ${runs.at(-1).sizes.burstEvents} burst events, ${runs.at(-1).sizes.listRoutes} routes listed and watched${runs.at(-1).sizes.watchChurn ? `, a churn of ${runs.at(-1).sizes.watchChurn} route changes` : ''} in the latest; kernel ${runs.at(-1).kernel}, Node ${runs.at(-1).node}). Under 1.00x: B cost less. Goal: every change within 1.05x of the build before it.`,
  ].join('\n')
}

const blocks = { ab, kernels, 'kernel-features': kernelFeatures, mutate, mixed, platforms, 'json-size': jsonSize, namespaces, burst, stream, scale, 'scale-list': scaleList }
// Every block is in the guide; the front page (README.md) repeats the ones it shows.
let stale = false
for (const [file, required] of [['docs/guide.md', true], ['README.md', false]]) {
  const path = join(root, file)
  const before = readFileSync(path, 'utf8')
  let after = before
  for (const [name, draw] of Object.entries(blocks)) {
    const re = new RegExp(`(<!-- ${name}:begin[^>]*-->)[\\s\\S]*?(<!-- ${name}:end -->)`)
    if (!re.test(after)) {
      if (required) throw new Error(`${file} has no <!-- ${name}:begin --> ... <!-- ${name}:end --> block`)
      continue
    }
    after = after.replace(re, (_, a, b) => `${a}\n${draw()}\n${b}`)
  }
  if (process.argv.includes('--check')) {
    if (after !== before) {
      console.error(`${file} tables are stale: run node scripts/readme-tables.mjs`)
      stale = true
    }
  } else if (after !== before) {
    writeFileSync(path, after)
    console.log(`${file}: tables redrawn`)
  }
}
if (process.argv.includes('--check')) {
  if (stale) process.exitCode = 1
  else console.log('tables: up to date')
}
