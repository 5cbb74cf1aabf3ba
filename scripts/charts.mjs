// Draws the README's benchmark charts from the committed result files in
// bench/results/ (the same files scripts/readme-tables.mjs draws the tables
// from), as Vega-Lite compiled and rendered to SVG in Node: no browser, no
// canvas. Each chart's subtitle names the machine and the date of its run.
//   node scripts/charts.mjs          write docs/charts/*.svg
//   node scripts/charts.mjs --check  exit 1 if a committed SVG is stale
// The output is deterministic: no timestamps, the SVG def ids reset before
// each chart, and text widths estimated (never measured with a canvas that
// may or may not be installed), so --check compares byte for byte.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as vega from 'vega'
import { compile } from 'vega-lite'
import { root } from './platforms.mjs'

const dir = join(root, 'bench/results')
const outDir = join(root, 'docs/charts')

/** Every result file whose name matches, oldest first, parsed. */
const files = (re) =>
  readdirSync(dir)
    .filter((f) => re.test(f))
    .sort()
    .map((file) => ({ file, data: JSON.parse(readFileSync(join(dir, file), 'utf8')) }))

/** The date in a file name bench/*.mjs stamped (burst-2026-11-28T05-27-15-545Z.json). */
const stampedDay = (file) => /(\d{4}-\d{2}-\d{2})T/.exec(file)?.[1]

/**
 * The machine of a run, whichever shape its file has: { cpu, cores, kernel,
 * date } (bench/scale, namespaces, mixed), { cpus, model, kernel } with the
 * date in the file name (bench/burst), or top-level cpus and kernel
 * (bench/list).
 */
function machineOf({ file, data }) {
  const m = data.machine ?? {}
  return {
    cpu: m.cpu ?? m.model,
    cores: m.cores ?? m.cpus ?? data.cpus,
    kernel: m.kernel ?? data.kernel,
    day: m.date?.slice(0, 10) ?? stampedDay(file) ?? '?',
  }
}

/** "Intel(R) Xeon(R) Processor, 2 cores, kernel 6.18.44; run 2026-11-28 (FILE, ...)", a line per distinct machine. */
function runs(list) {
  const byMachine = new Map()
  for (const r of list) {
    const m = machineOf(r)
    const key = `${m.cpu ?? 'CPU not recorded'}, ${m.cores} cores, kernel ${m.kernel}`
    const days = byMachine.get(key) ?? new Map()
    days.set(m.day, [...(days.get(m.day) ?? []), r.file])
    byMachine.set(key, days)
  }
  return [...byMachine].map(
    ([machine, days]) => `${machine}; ${[...days].map(([day, names]) => `${names.length > 1 ? 'runs' : 'run'} of ${day} (${names.join(', ')})`).join(', ')}`,
  )
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const thousands = (n) => n.toLocaleString('en-US')

/** The look every chart shares: white background (readable on a dark page too), one font. */
const base = (title, subtitle, width = 460) => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  background: 'white',
  padding: 12,
  width,
  title: { text: title, subtitle, anchor: 'start', subtitleColor: '#555', subtitleFontSize: 11 },
  config: { font: 'sans-serif', view: { stroke: null }, axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11, titleFontSize: 11, labelLimit: 400 } },
})

/** bench/burst.mjs, the newest full run: CPU and delivered events of every consumer of the same burst. */
function burst() {
  const run = files(/^burst-.*\.json$/).filter((r) => !r.file.includes('quick') && r.data.burst).at(-1)
  if (!run) return undefined
  const rows = run.data.burst
    .filter((r) => !r.skipped)
    .map((r) => ({
      consumer: r.name,
      cpu: r.cpu,
      events: r.events,
      outcome: r.survived && r.events === r.expected ? 'every event delivered' : r.survived ? 'events lost' : 'died (ENOBUFS)',
      label: r.survived ? thousands(r.events) : `${thousands(r.events)} (died)`,
    }))
  const expected = run.data.burst[0].expected
  const order = rows.map((r) => r.consumer)
  const color = {
    field: 'outcome',
    title: null,
    scale: { domain: ['every event delivered', 'events lost', 'died (ENOBUFS)'], range: ['#4c78a8', '#f58518', '#e45756'] },
  }
  const panel = (x, label, yAxis) => ({
    width: 230,
    height: 22 * rows.length,
    layer: [
      { mark: 'bar', encoding: { color } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { text: label } },
    ],
    encoding: { y: { field: 'consumer', type: 'nominal', sort: order, title: null, ...(yAxis ? {} : { axis: null }) }, x },
  })
  return {
    ...base(`Burst: ${thousands(expected)} route events (half add, half del), every consumer at once`, [
      'Left: CPU seconds the consumer used for the burst; right: events it delivered.',
      ...runs([run]),
    ]),
    width: undefined,
    data: { values: rows },
    hconcat: [
      panel({ field: 'cpu', type: 'quantitative', title: 'CPU seconds (less is better)' }, { field: 'cpu', type: 'quantitative', format: '.2f' }, true),
      panel(
        { field: 'events', type: 'quantitative', title: `events delivered of ${thousands(expected)}`, scale: { domain: [0, expected * 1.3] }, axis: { format: '~s' } },
        { field: 'label' },
        false,
      ),
    ],
  }
}

/** bench/scale.mjs list (scale-list*.json) and bench/list.mjs (list-*.json): list() against ip -j and npm netlink by table size. */
function list() {
  const scale = files(/^scale-list.*\.json$/)
  const plain = files(/^list-.*\.json$/)
  if (scale.length + plain.length === 0) return undefined
  const rows = []
  for (const { data } of scale) {
    const x = data.results
    const routes = x.list.routes
    rows.push({ routes, consumer: 'rtnl routes.list()', ms: x.list.medianMs })
    rows.push({ routes, consumer: 'ip -j route show table all + JSON.parse', ms: x.ipJson.medianMs })
    rows.push({ routes, consumer: 'kernel dump alone (read and framed)', ms: x.kernelDumpMs })
  }
  // bench/list.mjs: the newest run per table size.
  const names = { rtnl: 'rtnl routes.list()', netlink: 'npm netlink getRoutes' }
  const order = ['rtnl routes.list()', 'npm netlink getRoutes', 'ip -j route show table all + JSON.parse', 'kernel dump alone (read and framed)']
  const newest = new Map(plain.map((r) => [r.data.routes, r]))
  for (const { data } of newest.values()) {
    const rtnl = data.results.find((r) => r.which === 'rtnl' && !r.error)
    for (const r of data.results) {
      if (r.error) continue
      rows.push({ routes: rtnl?.count ?? r.count, consumer: names[r.which] ?? r.which, ms: median(r.times) })
    }
  }
  const used = [...scale, ...newest.values()]
  // Log axes that end a little past the data (Vega's nice domain would run to the next power of ten).
  const span = (xs) => [Math.min(...xs) / 1.6, Math.max(...xs) * 1.6]
  const x = { field: 'routes', type: 'quantitative', scale: { type: 'log', nice: false, domain: span(rows.map((r) => r.routes)) }, title: 'routes in the table', axis: { format: ',d', values: [...new Set(rows.map((r) => r.routes))] } }
  const y = { field: 'ms', type: 'quantitative', scale: { type: 'log', nice: false, domain: span(rows.map((r) => r.ms)) }, title: 'ms (median)' }
  return {
    ...base('list() of a routing table against ip -j, by table size', ['Median wall time to list every route, both axes logarithmic (less is better).', ...runs(used)]),
    height: 260,
    data: { values: rows },
    encoding: { x, y, color: { field: 'consumer', type: 'nominal', title: null, scale: { domain: [...new Set([...order, ...rows.map((r) => r.consumer)])].filter((c) => rows.some((r) => r.consumer === c)) }, legend: { orient: 'bottom', columns: 1 } } },
    layer: [
      { mark: { type: 'line', point: true } },
      { mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 }, encoding: { text: { field: 'ms', type: 'quantitative', format: ',d' } } },
    ],
  }
}

/** bench/scale.mjs watch (scale-watch*.json): one route add to the snapshot that shows it, by table size. */
function watchLatency() {
  const used = files(/^scale-watch.*\.json$/)
  if (used.length === 0) return undefined
  const rows = []
  for (const { data } of used) {
    const s = data.results.single
    const size = `${thousands(data.routesInstalled)} routes`
    rows.push({ size, routes: data.routesInstalled, percentile: 'p50', ms: s.p50Ms })
    rows.push({ size, routes: data.routesInstalled, percentile: 'p99', ms: s.p99Ms })
  }
  const sizes = [...new Set(rows.sort((a, b) => a.routes - b.routes).map((r) => r.size))]
  const goals = [
    { percentile: 'p50', goal: 2, label: 'p50 goal 2 ms' },
    { percentile: 'p99', goal: 10, label: 'p99 goal 10 ms' },
  ]
  return {
    ...base('watch(): one route added, to the snapshot that shows it, by table size', [
      `From a route add's syscall returning to the snapshot that has it, in the JS loop (${[...new Set(used.map((u) => `${u.data.results.single.changes} adds ${u.data.results.single.intervalMs ?? 100} ms apart`))].join(', ')} per run); dashed: the goals.`,
      ...runs(used),
    ], 360),
    height: 240,
    layer: [
      {
        data: { values: rows },
        mark: 'bar',
        encoding: {
          x: { field: 'size', type: 'ordinal', sort: sizes, title: 'routes in the table', axis: { labelAngle: 0 } },
          xOffset: { field: 'percentile' },
          y: { field: 'ms', type: 'quantitative', title: 'ms', scale: { domain: [0, Math.max(10, ...rows.map((r) => r.ms)) * 1.15] } },
          color: { field: 'percentile', title: null },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'text', dy: -6, fontSize: 10 },
        encoding: {
          x: { field: 'size', type: 'ordinal', sort: sizes },
          xOffset: { field: 'percentile' },
          y: { field: 'ms', type: 'quantitative' },
          text: { field: 'ms', type: 'quantitative', format: '.2f' },
        },
      },
      {
        data: { values: goals },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 4] }, encoding: { y: { field: 'goal', type: 'quantitative' }, color: { field: 'percentile', title: null } } },
          { mark: { type: 'text', align: 'right', dy: -5, fontSize: 10, x: 'width' }, encoding: { y: { field: 'goal', type: 'quantitative' }, text: { field: 'label' } } },
        ],
      },
    ],
  }
}

/** bench/namespaces.mjs (namespaces*.json): threads and RSS added by monitors, one per namespace, by namespace count. */
function namespaces() {
  const used = files(/^namespaces.*\.json$/)
  if (used.length === 0) return undefined
  const rows = used.flatMap(({ data }) => data.results.map((x) => ({ namespaces: thousands(x.monitors), n: x.monitors, threads: x.threadsAdded, rss: x.rssAddedMb })))
  const counts = [...new Set(rows.sort((a, b) => a.n - b.n).map((r) => r.namespaces))]
  const x = { field: 'namespaces', type: 'ordinal', sort: counts, title: 'namespaces, one monitor each', axis: { labelAngle: 0 } }
  const panel = (field, title, goal) => ({
    width: 200,
    height: 220,
    layer: [
      { mark: 'bar', encoding: { x, y: { field, type: 'quantitative', title, scale: { domain: [0, goal * 1.15] } } } },
      { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { x, y: { field, type: 'quantitative' }, text: { field, type: 'quantitative' } } },
      {
        data: { values: [{ goal, label: `goal: at most ${goal}` }] },
        layer: [
          { mark: { type: 'rule', strokeDash: [4, 4], color: '#e45756' } },
          { mark: { type: 'text', align: 'right', dy: -5, fontSize: 10, color: '#e45756', x: 'width' }, encoding: { text: { field: 'label' } } },
        ],
        encoding: { y: { field: 'goal', type: 'quantitative' } },
      },
    ],
  })
  return {
    ...base('Many namespaces: what a monitor in each costs the process', ['Threads and resident memory added by opening them all; dashed: the goals.', ...runs(used)]),
    width: undefined,
    data: { values: rows },
    hconcat: [panel('threads', 'threads added', 4), panel('rss', 'RSS added (MB)', 50)],
  }
}

/** bench/mixed.mjs (mixed.json): CPU per event of nexthops, qdiscs and routes against routes alone. */
function mixed() {
  const used = files(/^mixed\.json$/)
  if (used.length === 0) return undefined
  const r = used[0].data
  const workloads = { routesOnly: 'routes alone', mixed: 'nexthops, qdiscs and routes' }
  const rows = ['held', 'live'].flatMap((mode) => Object.entries(workloads).map(([k, workload]) => ({ mode, workload, us: r[mode].cpuUsPerEvent[k] })))
  return {
    ...base(`Mixed kinds: CPU per event, ${thousands(r.changes)} changes`, [
      `Medians of ${r.rounds} rounds. Held: the consumer reads after the changes; live: as they come.`,
      ...runs(used),
    ], 360),
    height: 220,
    data: { values: rows },
    encoding: {
      x: { field: 'mode', type: 'nominal', title: null, sort: ['held', 'live'], axis: { labelAngle: 0 } },
      xOffset: { field: 'workload', sort: Object.values(workloads) },
      y: { field: 'us', type: 'quantitative', title: 'CPU µs per event (less is better)' },
    },
    layer: [
      { mark: 'bar', encoding: { color: { field: 'workload', title: null, scale: { domain: Object.values(workloads), range: ['#4c78a8', '#f58518'] }, legend: { orient: 'bottom' } } } },
      { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { text: { field: 'us', type: 'quantitative', format: '.2f' } } },
    ],
  }
}

const charts = { burst, list, 'watch-latency': watchLatency, namespaces, mixed }

async function render(spec) {
  vega.resetSVGDefIds()
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  const svg = await view.toSVG()
  view.finalize()
  return svg + '\n'
}

/**
 * Text widths from a fixed table of sans-serif advance widths (em fractions,
 * a little wider than DejaVu Sans, Helvetica or Arial set them): deterministic, and close enough that titles
 * and legends are laid out without clipping or a wide empty margin (Vega's
 * own estimate, 0.8 em a character, is a third too wide).
 */
const EM = [
  [/[il.,:;|!'`]/, 0.3],
  [/[fjrt()[\]\/\- ]/, 0.38],
  [/[mwMW@%]/, 0.92],
  [/[A-Z]/, 0.72],
  [/[0-9]/, 0.64],
]
vega.textMetrics.width = (item, text) => {
  const line = text == null ? '' : String(text).trim()
  const size = item.fontSize != null ? +item.fontSize || 0 : 11
  let em = 0
  for (const ch of line) em += EM.find(([re]) => re.test(ch))?.[1] ?? 0.62
  return Math.ceil(em * size * (item.fontWeight === 'bold' || +item.fontWeight >= 600 ? 1.08 : 1))
}
const check = process.argv.includes('--check')
const stale = []
mkdirSync(outDir, { recursive: true })
for (const [name, draw] of Object.entries(charts)) {
  const spec = draw()
  const file = join(outDir, `${name}.svg`)
  if (!spec) {
    if (existsSync(file)) stale.push(`${name}.svg (its result files are gone)`)
    continue
  }
  const svg = await render(spec)
  if (check) {
    if (!existsSync(file) || readFileSync(file, 'utf8') !== svg) stale.push(`${name}.svg`)
  } else writeFileSync(file, svg)
}
if (check) {
  if (stale.length) {
    console.error(`docs/charts is stale (${stale.join(', ')}): run npm run charts`)
    process.exitCode = 1
  } else console.log('charts: up to date')
} else console.log(`charts written to docs/charts/ (${Object.keys(charts).join(', ')})`)
