// `npm run test:ava`: the ava suite with the "nothing arrives undecoded"
// sentinel. Every namespace a test makes gets a monitor of every rtnetlink
// group (__test__/fixtures/sentinel.mjs); after the suite, this fails if any
// of them received an `unknown` event, and prints what they saw by op.
//   node scripts/ava-sentinel.mjs [ava arguments...]
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkSkips, readSkips } from './skips.mjs'

const dir = mkdtempSync(join(tmpdir(), 'rtnl-sentinel-'))
const ava = spawnSync(process.execPath, [join('node_modules', 'ava', 'entrypoints', 'cli.mjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, RTNL_SENTINEL: dir },
})

// Each sentinel writes its counts when its namespace is deleted: give the last ones a moment.
const ready = () => readdirSync(dir).filter((f) => f.endsWith('.ready')).map((f) => f.slice(0, -6))
const until = Date.now() + 10_000
while (ready().some((n) => !existsSync(join(dir, `${n}.json`))) && Date.now() < until) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50)
}
const totals = {}
let watched = 0
const problems = []
for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
  const counts = JSON.parse(readFileSync(join(dir, f), 'utf8'))
  if (counts.subscribeError) {
    problems.push(`${f.slice(0, -5)}: the sentinel could not subscribe: ${counts.subscribeError}`)
    continue
  }
  if (counts.error) problems.push(`${f.slice(0, -5)}: the sentinel's monitor failed: ${counts.error}`)
  delete counts.error
  watched++
  for (const [op, n] of Object.entries(counts)) totals[op] = (totals[op] ?? 0) + n
}
const unfinished = ready().filter((n) => !existsSync(join(dir, `${n}.json`)))
const unknownFile = join(dir, 'unknown.jsonl')
const unknown = existsSync(unknownFile) ? readFileSync(unknownFile, 'utf8').trim().split('\n') : []
const events = Object.entries(totals)
  .filter(([op]) => op !== 'resync_needed')
  .reduce((sum, [, n]) => sum + n, 0)
console.log(
  `sentinel: ${watched} namespaces watched on every group, ${events} events, ${totals.resync_needed ?? 0} resyncs, ${unknown.length} unknown` +
    (unfinished.length ? `, ${unfinished.length} still running at the end` : ''),
)
console.log(`sentinel: by op: ${Object.entries(totals).sort().map(([op, n]) => `${op} ${n}`).join(', ')}`)
for (const line of unknown.slice(0, 20)) console.error(`sentinel: UNKNOWN ${line.slice(0, 400)}`)
for (const p of problems) console.error(`sentinel: ${p}`)

// Tests skipped for a kernel feature (__test__/_features.mjs): listed, and
// checked against what __test__/expected-skips.json expects of this kernel.
const skipCheck = checkSkips(readSkips(dir), release())
console.log(skipCheck.summary)
problems.push(...skipCheck.problems)
for (const p of skipCheck.problems) console.error(`skips: ${p}`)
const failed = unknown.length > 0 || problems.length > 0 || (ava.status === 0 && watched === 0)
if (!failed) rmSync(dir, { recursive: true, force: true })
else console.error(`sentinel: records kept in ${dir}`)
process.exit(ava.status !== 0 ? (ava.status ?? 1) : failed ? 1 : 0)
