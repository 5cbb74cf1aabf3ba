// Builds the addon for all five targets on this machine, into artifacts/:
// zig (through cargo-zigbuild) links every target, the gnu ones against
// glibc 2.17's symbols, so no cross toolchain and no container is needed.
// Installs what it needs itself (a .venv with zig, the rustup targets).
// Records each target's build time, size, libc floor and needed libraries in
// bench/results/platforms-build.json.
//   npm run build:all [-- TRIPLE ...]
import { statSync } from 'node:fs'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pack, stagePlatform } from './stage.mjs'
import { artifacts, ensureRustTargets, root, sh, step, TARGETS, writeResult, zigPath } from './platforms.mjs'

const only = process.argv.slice(2)
const targets = only.length ? TARGETS.filter((t) => only.includes(t.triple) || only.includes(t.suffix)) : TARGETS
const PATH = zigPath()
ensureRustTargets()
mkdirSync(artifacts, { recursive: true })

/** The newest glibc symbol version an addon needs, and its DT_NEEDED libraries. */
export function inspect(file) {
  const dyn = sh('readelf', ['-d', '-W', file])
  const needed = [...dyn.matchAll(/\(NEEDED\)\s+Shared library: \[(.*?)\]/g)].map((m) => m[1])
  const syms = sh('readelf', ['--dyn-syms', '-W', file])
  const versions = [...new Set([...syms.matchAll(/@GLIBC_([0-9.]+)/g)].map((m) => m[1]))]
  versions.sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  const stripped = !/\.symtab|\.debug_info/.test(sh('readelf', ['-S', '-W', file]))
  return { needed, glibcFloor: versions.at(-1) ?? null, stripped }
}

const results = []
for (const t of targets) {
  const started = Date.now()
  step(`build ${t.suffix} (${t.zigTarget})`, 'npx', [
    'napi', 'build', '--platform', '--release', '--strip', '-x',
    '--target', t.zigTarget,
    '--manifest-path', 'crates/rtnl-node/Cargo.toml',
    '--package-json-path', 'package.json',
    '--output-dir', 'artifacts',
    '--no-js', '--dts', join('..', 'artifacts', '.binding.d.ts'),
  ], { cwd: root, env: { ...process.env, PATH } })
  const seconds = (Date.now() - started) / 1000
  const file = join(artifacts, `rtnl.${t.suffix}.node`)
  // What `npm publish` would upload for this target.
  const tgz = pack(stagePlatform(t), artifacts)
  const files = sh('tar', ['-tzf', tgz]).trim().split('\n').map((f) => f.replace(/^package\//, '')).sort()
  const r = { target: t.suffix, triple: t.triple, seconds, bytes: statSync(file).size, tarballBytes: statSync(tgz).size, files, ...inspect(file) }
  console.log(JSON.stringify(r))
  results.push(r)
}
if (!only.length) console.log(`wrote ${writeResult('platforms-build', { note: 'npm run build:all; seconds include compiling every crate for that target', results })}`)
