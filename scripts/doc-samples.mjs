// The docs' code samples, as a user meets them: every ```js and ```ts block
// of README.md, docs/guide.md and docs/cookbook/*.md, and every program in
// examples/, type-checked as TypeScript (strict, module and moduleResolution
// nodenext) against the package's published types, importing 'rtnl' as a
// project that installed it does; and run (__test__/docs.test.mjs runs each
// in a throwaway namespace).
//
// A sample is compiled and run unless the HTML comment on the line before
// its fence says otherwise, where a reader of the markdown sees it too:
//   <!-- sample: until stopped -->   runs until stopped (a monitor loop, a
//                                    server): it must print while the
//                                    namespace changes, then gets SIGINT
//   <!-- sample: program examples/F.mjs, run by __test__/T.test.mjs -->
//                                    the program F shown whole (it must be
//                                    F verbatim), run with its arguments by T
//   <!-- sample: not run: REASON --> compiled, not run
//   <!-- sample: fragment: REASON --> neither (not a whole program)
// A ```text block right after a sample, marked `<!-- sample output -->`,
// is what the sample prints, exactly.
//
//   node scripts/doc-samples.mjs            type-check; list the samples and their marks
//   node scripts/doc-samples.mjs --list     only list
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The markdown files whose samples are checked, relative to the repository. */
export function docFiles(root = ROOT) {
  const cookbook = readdirSync(join(root, 'docs/cookbook'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => `docs/cookbook/${f}`)
  return ['README.md', 'docs/guide.md', ...cookbook]
}

/** The example programs (examples/**.mjs), relative to the repository. */
export function examplePrograms(root = ROOT) {
  const out = []
  const walk = (dir) => {
    for (const e of readdirSync(join(root, dir), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(`${dir}/${e.name}`)
      else if (e.name.endsWith('.mjs')) out.push(`${dir}/${e.name}`)
    }
  }
  walk('examples')
  return out
}

export class SampleMarkError extends Error {}

const MARK = /^<!--\s*sample:\s*(.*?)\s*-->$/
const MODES = [
  [/^until stopped$/, () => ({ mode: 'until-stopped' })],
  [/^program (examples\/\S+\.mjs), run by (__test__\/\S+\.test\.mjs)$/, (m) => ({ mode: 'program', program: m[1], test: m[2] })],
  [/^not run: (.+)$/, (m) => ({ mode: 'not-run', reason: m[1] })],
  [/^fragment: (.+)$/, (m) => ({ mode: 'fragment', reason: m[1] })],
]

/**
 * The ```js and ```ts samples of one markdown text: { file, line (of the
 * fence), lang, code, mode ('run' by default), reason?, program?, test?,
 * output? }. A malformed mark throws SampleMarkError naming the line.
 */
export function extractSamples(text, file) {
  const lines = text.split('\n')
  const samples = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\w*)\s*$/.exec(lines[i])
    if (!fence) continue
    const end = lines.findIndex((l, j) => j > i && /^```\s*$/.test(l))
    if (end < 0) throw new SampleMarkError(`${file}:${i + 1}: a code block that never ends`)
    const lang = fence[1]
    const mark = MARK.exec(lines[i - 1] ?? '')
    if (lang === 'js' || lang === 'ts') {
      const sample = { file, line: i + 1, lang, code: lines.slice(i + 1, end).join('\n') + '\n', mode: 'run' }
      if (mark) {
        const hit = MODES.map(([re, make]) => [re.exec(mark[1]), make]).find(([m]) => m)
        if (!hit) throw new SampleMarkError(`${file}:${i}: unknown sample mark '${mark[1]}': expected 'until stopped', 'program examples/F.mjs, run by __test__/T.test.mjs', 'not run: REASON' or 'fragment: REASON'`)
        Object.assign(sample, hit[1](hit[0]))
      }
      samples.push(sample)
    } else if (mark) {
      throw new SampleMarkError(`${file}:${i}: a sample mark on a \`\`\`${lang} block: only js and ts blocks are samples`)
    } else if (/^<!--\s*sample output\s*-->$/.test(lines[i - 1] ?? '')) {
      const prev = samples.at(-1)
      // The output block must follow its sample, with nothing but prose between.
      if (!prev || prev.end === undefined || lines.slice(prev.end + 1, i - 1).some((l) => l.startsWith('```'))) {
        throw new SampleMarkError(`${file}:${i}: a sample output block with no sample before it`)
      }
      if (prev.mode !== 'run') throw new SampleMarkError(`${file}:${i}: a sample output block after a sample that is not run to its end (${prev.mode})`)
      prev.output = lines.slice(i + 1, end).join('\n') + '\n'
    }
    if (samples.length && samples.at(-1).line === i + 1) samples.at(-1).end = end
    i = end
  }
  return samples.map(({ end, ...s }) => s)
}

/** Every sample of every doc file, in order. */
export function allSamples(root = ROOT) {
  return docFiles(root).flatMap((f) => extractSamples(readFileSync(join(root, f), 'utf8'), f))
}

/** A file name for a sample: README.md:40 -> README.md-40. */
export const sampleName = (s) => `${s.file.replace(/\//g, '_')}-${s.line}`

/**
 * A throwaway project that has the package installed: node_modules/rtnl is
 * this repository (its package.json "exports" and dist/), as npm would link
 * a local install. Returns { dir, cleanup }.
 */
export function makeProject(root = ROOT) {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-docs-'))
  mkdirSync(join(dir, 'node_modules'))
  symlinkSync(root, join(dir, 'node_modules', 'rtnl'), 'dir')
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'rtnl-docs-samples', private: true, type: 'module' }))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** What a user's tsconfig says: strict, nodenext. */
export const COMPILER_OPTIONS = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  noEmit: true,
  types: ['node'],
  typeRoots: [join(ROOT, 'node_modules/@types')],
  skipLibCheck: true,
}

/**
 * Type-checks sources as .mts files of a project with the package
 * installed: `units` is [{ name, label, code }] (label: where it came from,
 * for messages). Returns one message per diagnostic: `label:line:col TSnnnn text`.
 */
export function typecheck(units, root = ROOT) {
  const { dir, cleanup } = makeProject(root)
  try {
    const byFile = new Map()
    for (const u of units) {
      const file = join(dir, `${u.name}.mts`)
      writeFileSync(file, u.code)
      byFile.set(file, u)
    }
    const program = ts.createProgram([...byFile.keys()], COMPILER_OPTIONS)
    return ts.getPreEmitDiagnostics(program).map((d) => {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n')
      if (!d.file) return `TS${d.code} ${text}`
      const u = byFile.get(d.file.fileName)
      const { line, character } = d.file.getLineAndCharacterOfPosition(d.start ?? 0)
      const where = u ? `${u.label}:${u.offset + line + 1}:${character + 1}` : `${relative(dir, d.file.fileName)}:${line + 1}:${character + 1}`
      return `${where} TS${d.code} ${text}`
    })
  } finally {
    cleanup()
  }
}

/** The units to type-check: every doc sample that is not a fragment, and every example program. */
export function compileUnits(root = ROOT) {
  const docs = allSamples(root)
    .filter((s) => s.mode !== 'fragment')
    // The fence's line is the offset: line 1 of the code is the line after it.
    .map((s) => ({ name: sampleName(s), label: s.file, offset: s.line, code: s.code }))
  const programs = examplePrograms(root).map((f) => ({ name: f.replace(/\//g, '_'), label: f, offset: 0, code: readFileSync(join(root, f), 'utf8') }))
  return [...docs, ...programs]
}

/** JS a sample runs as: a js sample as written, a ts sample with its types stripped. */
export function runnableCode(sample) {
  if (sample.lang === 'js') return sample.code
  // Imports kept as written (as Node's type stripping keeps them): an import only of values never used still runs.
  return ts.transpileModule(sample.code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true } }).outputText
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const samples = allSamples()
  const count = (mode) => samples.filter((s) => s.mode === mode).length
  for (const s of samples) {
    const why = s.reason ?? (s.program ? `${s.program}, run by ${s.test}` : '')
    console.log(`${s.file}:${s.line} ${s.lang} ${s.mode}${why ? `: ${why}` : ''}${s.output ? ' (output checked)' : ''}`)
  }
  console.log(
    `${samples.length} samples: ${count('run')} run to their end, ${count('until-stopped')} run until stopped, ${count('program')} programs run by their tests, ${count('not-run')} not run, ${count('fragment')} fragments`,
  )
  if (!process.argv.includes('--list')) {
    const problems = typecheck(compileUnits())
    for (const p of problems) console.log(p)
    console.log(problems.length ? `${problems.length} type errors` : `every sample and example type-checks (strict, nodenext)`)
    process.exitCode = problems.length ? 1 : 0
  }
}
