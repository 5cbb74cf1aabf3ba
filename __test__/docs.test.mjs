// The docs as a user meets them (scripts/doc-samples.mjs, scripts/doc-links.mjs):
// every ```js/```ts sample of README.md, docs/guide.md and docs/cookbook/*.md
// and every example program type-checks as strict TypeScript (nodenext)
// against the published types; every sample runs, each in a throwaway
// namespace (to its end, or until stopped while the namespace changes);
// every relative link and anchor resolves, in the repository and in the
// packed package.
import test from 'ava'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { allSamples, compileUnits, examplePrograms, extractSamples, makeProject, runnableCode, sampleName, SampleMarkError, typecheck, ROOT } from '../scripts/doc-samples.mjs'
import { checkLinks, checkRepo, packedDocChecks } from '../scripts/doc-links.mjs'
import { pack, stageMain } from '../scripts/stage.mjs'
import { makeNetns, ip } from './_helpers.mjs'

const read = (p) => readFileSync(join(ROOT, p), 'utf8')
const samples = allSamples()
const project = makeProject()
test.after.always(() => project.cleanup())

// At most 3 sample processes at once: each is a node with the addon, on 2 cores.
let running = 0
const waiting = []
async function slot(fn) {
  while (running >= 3) await new Promise((resolve) => waiting.push(resolve))
  running++
  try {
    return await fn()
  } finally {
    running--
    waiting.shift()?.()
  }
}

/** Starts a sample's code with node inside namespace `ns`; `p.out`, `p.err`, `p.exited` (resolves { code, signal }). */
function start(t, code, name, ns) {
  const file = join(project.dir, `${name}.mjs`)
  writeFileSync(file, code)
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, file], { cwd: project.dir, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  const p = { child, out: '', err: '', done: false }
  child.stdout.on('data', (d) => (p.out += d))
  child.stderr.on('data', (d) => (p.err += d))
  p.exited = new Promise((resolve) => child.on('close', (code, signal) => ((p.done = true), resolve({ code, signal }))))
  return p
}

/** Polls `check` every 20 ms until it is true; throws `what` with `detail()` after `ms`. */
async function until(what, check, detail, ms = 15000) {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; ${detail()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

// One TypeScript program for every unit (a program takes seconds to build):
// the docs' samples, the examples, and two that must fail, labelled apart.
const units = compileUnits()
const NEGATIVE = [
  // The README's quick start as it was: next() of a generator is `void | Snapshot`.
  { name: 'old-quick-start', label: 'OLD README.md', offset: 40, code: "import { watch } from 'rtnl'\nconst view = watch(['links'])\nconst { value } = await view.next()\nconsole.log(value.state.links.size)\n" },
  // A parameter without a type, in a .mjs program copied into a TS project.
  { name: 'untyped', label: 'UNTYPED examples/x.mjs', offset: 0, code: 'export const key = (r) => r.dst\n' },
]
let checked = []
// Before the samples run: building the program holds the event loop for seconds.
test.before(() => {
  checked = typecheck([...units, ...NEGATIVE])
})
const diagnostics = () => checked
const of = (label) => diagnostics().filter((d) => d.startsWith(`${label}:`))

test('the README quick start type-checks as strict TypeScript (nodenext) against the published types', (t) => {
  const [quick] = samples.filter((s) => s.file === 'README.md')
  t.regex(quick.code, /watch\(\['links', 'addresses'\]\)/, 'the first README sample is the quick start')
  t.true(units.some((u) => u.label === 'README.md' && u.code === quick.code))
  t.deepEqual(of('README.md'), [])
})

test('every sample of the README, the guide and the cookbook, and every example program, type-checks as strict TypeScript (nodenext)', (t) => {
  t.is(units.length, samples.filter((s) => s.mode !== 'fragment').length + examplePrograms().length)
  t.true(examplePrograms().includes('examples/dashboard.mjs'))
  const problems = diagnostics().filter((d) => !NEGATIVE.some((n) => d.startsWith(`${n.label}:`)))
  t.deepEqual(problems, [], problems.join('\n'))
})

test('a sample that does not type-check is reported at its line in the markdown, with the TypeScript error', (t) => {
  const old = of('OLD README.md')
  t.is(old.length, 1, old.join('\n'))
  t.regex(old[0], /^OLD README\.md:44:\d+ TS2339 Property 'state' does not exist on type 'void \| Snapshot<"links">'/)
  const untyped = of('UNTYPED examples/x.mjs')
  t.is(untyped.length, 1, untyped.join('\n'))
  t.regex(untyped[0], /^UNTYPED examples\/x\.mjs:1:\d+ TS7006 Parameter 'r' implicitly has an 'any' type\./)
})

test('the sample marks: each names its mode, an exclusion says why, a program is its file verbatim and run by its test, and few are excluded', (t) => {
  const excluded = samples.filter((s) => s.mode === 'not-run' || s.mode === 'fragment')
  for (const s of excluded) t.log(`${s.file}:${s.line}: ${s.mode}: ${s.reason}`)
  t.true(excluded.length <= 2, `at most 2 samples excluded from running, not ${excluded.length}`)
  for (const s of excluded) t.true(s.reason.length > 10, `${s.file}:${s.line} says why it is excluded`)
  const programs = samples.filter((s) => s.mode === 'program')
  t.true(programs.length >= 6)
  for (const s of programs) {
    t.is(s.code, read(s.program).trimEnd() + '\n', `${s.file}:${s.line} shows ${s.program} verbatim`)
    t.true(read(s.test).includes(s.program), `${s.test} runs ${s.program}`)
  }
  const counts = {}
  for (const s of samples) counts[s.mode] = (counts[s.mode] ?? 0) + 1
  t.log(Object.entries(counts).map(([mode, n]) => `${mode}: ${n}`).join(', '))
  t.true(samples.filter((s) => s.mode === 'run').length >= 4)
})

test('a malformed sample mark is refused, naming its line and the marks there are', (t) => {
  const err = t.throws(() => extractSamples('text\n<!-- sample: skip -->\n```js\nx\n```\n', 'x.md'), { instanceOf: SampleMarkError })
  t.is(err.message, "x.md:2: unknown sample mark 'skip': expected 'until stopped', 'program examples/F.mjs, run by __test__/T.test.mjs', 'not run: REASON' or 'fragment: REASON'")
  t.throws(() => extractSamples('<!-- sample: until stopped -->\n```sh\nls\n```\n', 'y.md'), { instanceOf: SampleMarkError, message: 'y.md:1: a sample mark on a ```sh block: only js and ts blocks are samples' })
  t.throws(() => extractSamples('<!-- sample output -->\n```text\nhi\n```\n', 'z.md'), { instanceOf: SampleMarkError, message: 'z.md:1: a sample output block with no sample before it' })
  const ok = extractSamples('<!-- sample: not run: it formats the disk, for the record -->\n```ts\nlet a = 1\n```\n\n```js\nconsole.log(1)\n```\n<!-- sample output -->\n```text\n1\n```\n', 'w.md')
  t.like(ok[0], { line: 2, lang: 'ts', mode: 'not-run', reason: 'it formats the disk, for the record' })
  t.like(ok[1], { line: 6, lang: 'js', mode: 'run', output: '1\n' })
})

test('a ts sample runs with its types stripped and its imports as written, so an import of a name the package lacks fails the run', (t) => {
  const code = runnableCode({ lang: 'ts', code: "import { nosuch } from 'rtnl'\nimport type { Link } from 'rtnl'\nconst n: number = 1\n" })
  t.is(code.trim(), "import { nosuch } from 'rtnl';\nconst n = 1;")
})

for (const s of samples.filter((x) => x.mode === 'run' || x.mode === 'until-stopped')) {
  const what = s.mode === 'run' ? `runs to its end${s.output ? ' and prints what the doc shows' : ''}` : 'runs, printing as the namespace changes, until stopped'
  test(`${s.file}:${s.line} (${s.lang} sample) ${what}, in a throwaway namespace`, async (t) => {
    const ns = makeNetns(t)
    await slot(async () => {
      const p = start(t, runnableCode(s), sampleName(s), ns)
      const detail = () => `stdout: ${p.out.slice(0, 2000)}\nstderr: ${p.err.slice(0, 2000)}`
      if (s.mode === 'run') {
        const timer = setTimeout(() => p.child.kill('SIGKILL'), 20000)
        const { code, signal } = await p.exited
        clearTimeout(timer)
        t.is(signal, null, `killed after 20 s: it did not end. ${detail()}`)
        t.is(code, 0, detail())
        t.is(p.err, '', detail())
        if (s.output) t.is(p.out, s.output)
        return
      }
      // Until stopped: change the namespace until it prints, then Ctrl-C.
      let n = 0
      let next = Date.now() + 200
      await until(
        'the sample printing',
        () => {
          if (p.done || p.out.length > 0) return true
          if (Date.now() < next) return false
          next = Date.now() + 200
          if (n === 0) ip(ns, 'link', 'set', 'lo', 'up')
          else ip(ns, 'route', 'add', 'blackhole', `10.99.${n % 256}.0/24`, 'table', n % 2 ? '100' : 'main')
          n++
          return false
        },
        detail,
      )
      t.false(p.done, `it ended by itself: ${detail()}`)
      t.true(p.out.length > 0)
      p.child.kill('SIGINT')
      const timer = setTimeout(() => p.child.kill('SIGKILL'), 5000)
      const { signal } = await p.exited
      clearTimeout(timer)
      t.not(signal, 'SIGKILL', `SIGINT did not end it within 5 s: ${detail()}`)
      t.notRegex(p.err, /Error/, detail())
    })
  })
}

test("the guide side by side: stop() ends a monitor's for-await loop quietly, an aborted signal makes it throw an AbortError", async (t) => {
  const s = samples.find((x) => x.file === 'docs/guide.md' && x.code.includes('controller.abort()') && x.code.includes('stopped.stop()'))
  t.truthy(s, 'the guide has the stop/abort sample')
  t.is(s.output, 'stop(): the loop ended without an error\nabort: the loop threw AbortError\n')
  const ns = makeNetns(t)
  const p = start(t, s.code, 'stop-abort', ns)
  const { code } = await p.exited
  t.is(code, 0, p.err)
  t.is(p.out, s.output)
})

test("the guide's tee() sample prints the port it serves on, and streams the namespace's events there as server-sent events", async (t) => {
  const s = samples.find((x) => x.file === 'docs/guide.md' && x.code.includes('monitor.tee()'))
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  const server = start(t, s.code, 'tee-server', ns)
  await until('the port printed', () => /localhost:\d+\//.test(server.out), () => `stdout: ${server.out} stderr: ${server.err}`)
  const port = /localhost:(\d+)\//.exec(server.out)[1]
  const client = start(t, `import { get } from 'node:http'\nget('http://localhost:${port}/', (res) => { console.log(res.headers['content-type']); res.on('data', (d) => process.stdout.write(d)) })\n`, 'tee-client', ns)
  // The headers come at once: a client sees the stream open before the first event.
  await until('the client connected', () => client.out.includes('text/event-stream'), () => `client: ${client.out} ${client.err}`)
  let n = 0
  await until(
    'a route event at the client',
    () => (ip(ns, 'route', 'add', 'blackhole', `10.88.${n++}.0/24`), /^data: \{"type":"event","op":"new_route"/m.test(client.out)),
    () => `client: ${client.out} ${client.err}`,
  )
  client.child.kill('SIGKILL')
  server.child.kill('SIGKILL')
  t.pass()
})

test('every relative link and anchor of the README, the guide, the cookbook and examples/README.md resolves', (t) => {
  const problems = checkRepo()
  t.deepEqual(problems, [], problems.join('\n'))
})

test('the link checker reports a missing file, a missing heading, a fragment into a file that is not markdown and a link out of the tree', (t) => {
  const files = {
    'README.md': '# Top\n\n## Quick `start`: here\n\n[a](docs/guide.md#nope) [b](docs/gone.md) [c](#quick-start-here) [d](examples/x.mjs#L3) [e](https://example.com/x) `[f](not/a/link.md)`\n',
    'docs/guide.md': '# Guide\n\n[up](../../outside.md) [g](../README.md#top)\n',
    'examples/x.mjs': '',
  }
  const problems = checkLinks(['README.md', 'docs/guide.md'], { read: (p) => files[p], exists: (p) => p in files })
  t.deepEqual(problems, [
    'README.md:5: docs/guide.md#nope: docs/guide.md has no heading #nope',
    'README.md:5: docs/gone.md: docs/gone.md does not exist',
    'README.md:5: examples/x.mjs#L3: a #fragment into examples/x.mjs, which is not markdown',
    'docs/guide.md:3: ../../outside.md: points outside (../outside.md)',
  ])
})

test('the packed package ships the guide, the cookbook and the charts, every relative link of its markdown resolves inside it, and its source maps carry their sources', (t) => {
  const work = mkdtempSync(join(tmpdir(), 'rtnl-docs-pack-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  t.true(existsSync(join(ROOT, 'dist/index.js')), 'built')
  const tgz = pack(stageMain(join(work, 'rtnl')), work)
  const checks = packedDocChecks(tgz, work)
  t.is(checks.length, 3)
  for (const c of checks) t.true(c.ok, `${c.name}: ${c.detail}`)
  // A README link to what does not ship fails the same check.
  const staged = join(work, 'rtnl')
  writeFileSync(join(staged, 'README.md'), read('README.md') + '\nSee [the tests](__test__/docs.test.mjs) and [the guide](docs/guide.md#no-such-heading).\n')
  mkdirSync(join(work, 'again'))
  const broken = packedDocChecks(pack(staged, join(work, 'again')), work).find((c) => c.name.startsWith('every relative link'))
  t.false(broken.ok)
  t.regex(broken.detail, /README\.md:\d+: __test__\/docs\.test\.mjs: __test__\/docs\.test\.mjs does not exist; README\.md:\d+: docs\/guide\.md#no-such-heading: docs\/guide\.md has no heading #no-such-heading/)
})

test('each first-day program (monitor a namespace, a watch() dashboard, routes held with reconcile(), a monitor in a worker, the CLI) is an example listed in examples/README.md with the test that runs it', (t) => {
  const index = read('examples/README.md')
  const rows = [...index.matchAll(/^\| \[([^\]]+)\]\(([^)]+)\) \| ([^|]+) \|[^|]*\| `(__test__\/[^`]+)` \|$/gm)].map((m) => ({ file: `examples/${m[2]}`, what: m[3], test: m[4] }))
  t.deepEqual(rows.map((r) => r.file).sort(), examplePrograms().sort(), 'every example program is listed once')
  for (const r of rows) t.true(read(r.test).includes(r.file), `${r.test} runs ${r.file}`)
  const jobs = { 'monitors a namespace': 'examples/monitor.mjs', 'live interface dashboard': 'examples/dashboard.mjs', 'with `reconcile()`': 'examples/hold-routes.mjs', 'a monitor in a worker': 'examples/cookbook/network-panel.mjs', 'the CLI': 'examples/cookbook/ship-logs.mjs' }
  for (const [job, file] of Object.entries(jobs)) t.true(rows.find((r) => r.file === file)?.what.includes(job), `${file}: ${job}`)
})

test('the package.json description names what the library is today', (t) => {
  const { description } = JSON.parse(read('package.json'))
  for (const word of ['links', 'addresses', 'routes', 'rules', 'neighbours', 'nexthops', 'tc', 'bridge', 'monitor', 'list', 'watch', 'reconcile']) t.true(description.includes(word), word)
})

test('the README and the guide open with what rtnl is, `npm install rtnl` and a first program; the first two shell commands are the repository commands, labelled as such', (t) => {
  for (const file of ['README.md', 'docs/guide.md']) {
    const text = read(file)
    const sh = text.indexOf('```sh\n')
    const commands = text.slice(sh + 6, text.indexOf('\n```', sh)).split('\n').map((l) => l.replace(/\s+#.*$/, '').trim())
    // .ci/run runs these; the README's first two shell commands must stay the repository's.
    t.deepEqual(commands, ['npm ci && npm start', 'npm ci && npm run test:all'], `${file}: the first shell block`)
    const before = text.slice(0, sh)
    t.true(before.includes('`npm install rtnl`'), `${file}: install comes first`)
    t.true(before.includes("```js\nimport { subscribe"), `${file}: a first program comes before the repository commands`)
    t.regex(before.slice(before.lastIndexOf('```\n')), /In a clone of this repository/, `${file}: the repository commands are labelled`)
  }
})
