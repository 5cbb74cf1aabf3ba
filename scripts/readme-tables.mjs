// Redraws the README's measured tables from the committed result files in
// bench/results/, between <!-- NAME:begin --> and <!-- NAME:end --> markers,
// so the README cannot disagree with the measurements.
//   node scripts/readme-tables.mjs          rewrite README.md
//   node scripts/readme-tables.mjs --check  exit 1 if README.md is stale
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { root, TARGETS } from './platforms.mjs'

const results = (name) => {
  const file = join(root, 'bench/results', `${name}.json`)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined
}
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

const blocks = { platforms, 'json-size': jsonSize }
const readmePath = join(root, 'README.md')
const before = readFileSync(readmePath, 'utf8')
let after = before
for (const [name, draw] of Object.entries(blocks)) {
  const re = new RegExp(`(<!-- ${name}:begin[^>]*-->)[\\s\\S]*?(<!-- ${name}:end -->)`)
  if (!re.test(after)) throw new Error(`README.md has no <!-- ${name}:begin --> ... <!-- ${name}:end --> block`)
  after = after.replace(re, (_, a, b) => `${a}\n${draw()}\n${b}`)
}
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md tables are stale: run node scripts/readme-tables.mjs')
    process.exitCode = 1
  } else console.log('README tables: up to date')
} else {
  writeFileSync(readmePath, after)
  console.log('README tables redrawn')
}
