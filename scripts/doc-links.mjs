// Every relative link of the docs resolves: to a file (or folder) that
// exists and, with a #fragment into markdown, to a heading there, named as
// GitHub names headings. Checked in the repository (README.md, the guide,
// the cookbook, examples/README.md) and in the published package (every
// markdown file it ships, against the files it ships: scripts/pack-smoke.mjs
// and __test__/docs.test.mjs).
//   node scripts/doc-links.mjs          the repository; exits 1 with one line per broken link
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { dirname, join, normalize, posix, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { docFiles } from './doc-samples.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The markdown files whose links are checked in the repository. */
export const linkedFiles = (root = ROOT) => [...docFiles(root), 'examples/README.md']

/** Markdown text without fenced code blocks and code spans (links there are not links). */
function prose(text) {
  return text
    .split('\n')
    .reduce(
      (acc, line) => {
        if (/^\s*```/.test(line)) acc.fenced = !acc.fenced
        acc.lines.push(acc.fenced || /^\s*```/.test(line) ? '' : line.replace(/`[^`]*`/g, (m) => m.replace(/[[\]()]/g, ' ')))
        return acc
      },
      { fenced: false, lines: [] },
    )
    .lines
}

/** The links of a markdown text: [{ line, target }] for [text](target) and ![alt](target). */
export function linksOf(text) {
  const out = []
  prose(text).forEach((line, i) => {
    for (const m of line.matchAll(/!?\[(?:[^\]]|\][^(])*?\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ line: i + 1, target: m[1] })
  })
  return out
}

/** GitHub's anchor for a heading's text: lower case, punctuation dropped, spaces as '-'. */
export function slug(heading) {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link: its text
    .replace(/[`*_]/g, (c) => (c === '_' ? '_' : ''))
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** The anchors of a markdown text's headings (a repeated heading gets -1, -2, as on GitHub). */
export function anchorsOf(text) {
  const seen = new Map()
  const out = new Set()
  let fenced = false
  for (const line of text.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced
    const h = !fenced && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!h) continue
    const base = slug(h[1])
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n ? `${base}-${n}` : base)
  }
  return out
}

const external = (target) => /^[a-z][a-z0-9+.-]*:/i.test(target)

/**
 * Checks the relative links of `files` (paths relative to the root, '/'
 * separated). `read(path)` gives a markdown file's text; `exists(path)` says
 * whether a file or folder is there. Returns one message per broken link:
 * `file:line: target: why`.
 */
export function checkLinks(files, { read, exists }) {
  const problems = []
  for (const file of files) {
    for (const { line, target } of linksOf(read(file))) {
      if (external(target)) continue
      const [path, fragment] = target.split('#', 2)
      const to = path ? posix.normalize(posix.join(posix.dirname(file), decodeURIComponent(path))) : file
      const at = `${file}:${line}: ${target}`
      if (to.startsWith('../') || to === '..') {
        problems.push(`${at}: points outside (${to})`)
        continue
      }
      if (!exists(to.replace(/\/$/, ''))) {
        problems.push(`${at}: ${to} does not exist`)
        continue
      }
      if (fragment !== undefined) {
        if (!to.endsWith('.md')) problems.push(`${at}: a #fragment into ${to}, which is not markdown`)
        else if (!anchorsOf(read(to)).has(fragment)) problems.push(`${at}: ${to} has no heading #${fragment}`)
      }
    }
  }
  return problems
}

/** The repository's docs, against the working tree. */
export function checkRepo(root = ROOT) {
  return checkLinks(linkedFiles(root), {
    read: (p) => readFileSync(join(root, p), 'utf8'),
    exists: (p) => existsSync(join(root, normalize(p))),
  })
}

/**
 * The published package's markdown (every .md it ships), against its file
 * list: `files` are paths relative to the package, `read(path)` their text.
 */
export function checkPackage(files, read) {
  const set = new Set(files)
  const exists = (p) => set.has(p) || files.some((f) => f.startsWith(`${p}/`))
  return checkLinks(files.filter((f) => f.endsWith('.md')).sort(), { read, exists })
}

/** What the published package must ship besides its code. */
export const SHIPPED_DOCS = ['README.md', 'docs/guide.md', 'docs/cookbook/README.md', 'docs/charts/burst.svg', 'examples/README.md', 'RELIABILITY.md', 'CHANGELOG.md']

/**
 * The checks of a packed main package (its .tgz, unpacked under `work`):
 * the docs ship, every relative link and anchor of its markdown resolves
 * inside it, and each source map carries its sources (src/*.ts does not
 * ship). Returns [{ name, ok, detail }].
 */
export function packedDocChecks(tgz, work) {
  const dir = mkdtempSync(join(work, 'unpacked-'))
  execFileSync('tar', ['-xzf', tgz, '-C', dir])
  const files = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter((f) => !f.endsWith('/'))
    .map((f) => f.replace(/^package\//, ''))
  const read = (f) => readFileSync(join(dir, 'package', f), 'utf8')
  const missing = SHIPPED_DOCS.filter((f) => !files.includes(f))
  const broken = checkPackage(files, read)
  const maps = files.filter((f) => f.endsWith('.map'))
  const sourceless = maps.filter((f) => {
    const map = JSON.parse(read(f))
    return !(map.sourcesContent?.length === map.sources.length && map.sourcesContent.every((c) => typeof c === 'string' && c.length > 0))
  })
  return [
    { name: 'the guide, the cookbook, the charts, the examples index, RELIABILITY.md and CHANGELOG.md ship', ok: missing.length === 0, detail: missing.length ? `missing: ${missing.join(' ')}` : '' },
    { name: 'every relative link and anchor of the shipped markdown resolves inside the package', ok: broken.length === 0, detail: broken.join('; ') },
    { name: 'every shipped source map carries its sources', ok: maps.length > 0 && sourceless.length === 0, detail: `${maps.length} maps${sourceless.length ? `; without their sources: ${sourceless.join(' ')}` : ''}` },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkRepo()
  for (const p of problems) console.log(p)
  console.log(problems.length ? `${problems.length} broken links` : `every relative link and anchor of ${linkedFiles().join(', ')} resolves`)
  process.exitCode = problems.length ? 1 : 0
}
