// Lints .github/workflows/*.yml: valid YAML, every job with runs-on and
// steps, every step with `uses` or `run`, the build matrix covering exactly
// package.json's napi.targets (which must equal scripts/platforms.mjs), and
// one way to build: the addon is built by `npm run build:all`, never by a
// `napi build` of the workflow's own. The workflow cannot run here; this
// keeps it correct by construction.
import { readdirSync, readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { TARGETS } from './platforms.mjs'

const dir = new URL('../.github/workflows/', import.meta.url)
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const problems = []
if (JSON.stringify([...pkg.napi.targets].sort()) !== JSON.stringify(TARGETS.map((t) => t.triple).sort())) {
  problems.push(`package.json napi.targets differs from scripts/platforms.mjs TARGETS`)
}
for (const file of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f))) {
  let doc
  try {
    doc = parse(readFileSync(new URL(file, dir), 'utf8'), { strict: true, uniqueKeys: true })
  } catch (e) {
    problems.push(`${file}: ${e.message}`)
    continue
  }
  if (!doc.on) problems.push(`${file}: no 'on' triggers`)
  for (const [name, job] of Object.entries(doc.jobs ?? {})) {
    if (!job['runs-on']) problems.push(`${file}: job ${name} has no runs-on`)
    if (!Array.isArray(job.steps) || job.steps.length === 0) problems.push(`${file}: job ${name} has no steps`)
    for (const [i, step] of (job.steps ?? []).entries()) {
      if (!step.uses && !step.run) problems.push(`${file}: job ${name} step ${i + 1} has neither uses nor run`)
    }
    for (const need of [].concat(job.needs ?? [])) {
      if (!doc.jobs[need]) problems.push(`${file}: job ${name} needs unknown job ${need}`)
    }
  }
  const matrix = doc.jobs?.build?.strategy?.matrix?.include?.map((m) => m.target)
  if (matrix) {
    const want = [...pkg.napi.targets].sort()
    if (JSON.stringify([...matrix].sort()) !== JSON.stringify(want)) {
      problems.push(`${file}: build matrix ${matrix.join(', ')} differs from napi.targets ${want.join(', ')}`)
    }
  }
  const text = JSON.stringify(doc)
  if (/napi build|cargo (zig)?build/.test(text)) problems.push(`${file}: builds the addon itself; use npm run build:all`)
  if (doc.jobs?.build && !JSON.stringify(doc.jobs.build).includes('npm run build:all')) problems.push(`${file}: job build does not run npm run build:all`)
  for (const script of text.match(/npm run [\w:-]+/g) ?? []) {
    const name = script.slice('npm run '.length)
    if (!pkg.scripts[name]) problems.push(`${file}: '${script}' but package.json has no script ${name}`)
  }
}
for (const p of problems) console.error(p)
console.log(problems.length ? `workflow lint: ${problems.length} problems` : 'workflow lint: ok')
process.exitCode = problems.length ? 1 : 0
