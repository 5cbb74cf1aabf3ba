// The newcomer check: packs the staged main package and the linux-x64-gnu
// package (scripts/stage.mjs, as they would be published), installs both
// into a fresh project (no registry, no Rust on PATH), and runs an ESM
// consumer, a CommonJS consumer, TypeScript consumers type-checked with tsc
// against the published .d.ts (named and default imports, node16 and
// nodenext), and the CLI. Each subscribes in a throwaway namespace and must
// see a real event. Also: the docs ship, every relative link of the shipped
// markdown resolves inside the package, and the source maps carry their
// sources. Needs root and a build.
//   node scripts/pack-smoke.mjs
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { pack, stageMain, stagePlatform } from './stage.mjs'
import { TARGETS } from './platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from './netns.mjs'
import { packedDocChecks } from './doc-links.mjs'

cleanUpOnSignals()

const root = fileURLToPath(new URL('..', import.meta.url))
const target = 'linux-x64-gnu'
const work = mkdtempSync(join(tmpdir(), 'rtnl-pack-smoke-'))
const ns = `rtnl-pack-${process.pid}`
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts })
// No Rust toolchain where the consumer runs: the published package must not need one.
const PATH = process.env.PATH.split(':').filter((p) => !/cargo|rustup/.test(p)).join(':')
let failures = 0

function check(name, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`)
  if (!ok) failures++
}

/** Runs a consumer until it prints "saw ...", making a change in the namespace until then. */
function consume(name, cmd, args, cwd, want) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, PATH }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let n = 0
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    const poke = setInterval(() => {
      n++
      try {
        run('ip', ['-n', ns, 'route', 'replace', 'blackhole', `10.${n}.0.0/16`])
      } catch {}
      if (want.test(out) || n > 100) {
        clearInterval(poke)
        child.kill('SIGINT')
      }
    }, 100)
    // 'close', not 'exit': exit can come before the last output has been read.
    child.on('close', () => {
      clearInterval(poke)
      check(name, want.test(out), want.test(out) ? out.trim().split('\n')[0].slice(0, 100) : `${out} ${err}`.trim().slice(0, 400))
      resolve()
    })
  })
}

try {
  if (!existsSync(join(root, 'dist/index.js')) || !existsSync(join(root, `native/rtnl.${target}.node`))) {
    throw new Error('build first: npm run build')
  }
  addNetns(ns)
  run('ip', ['-n', ns, 'link', 'set', 'lo', 'up'])

  // 1. Pack: the staged main package, and the platform package around this checkout's addon.
  const mainTgz = pack(stageMain(), work)
  const platTgz = pack(stagePlatform(TARGETS.find((t) => t.suffix === target), join(root, `native/rtnl.${target}.node`)), work)
  const listing = run('tar', ['-tzf', mainTgz])
  check('main package has dist, the ESM types and no .node', /package\/dist\/index\.mjs/.test(listing) && /package\/dist\/index\.d\.mts/.test(listing) && !/\.node$/m.test(listing))
  // The docs ship, every relative link of the shipped markdown resolves inside the package, the maps carry their sources.
  for (const c of packedDocChecks(mainTgz, work)) check(c.name, c.ok, c.detail)
  const published = JSON.parse(run('tar', ['-xzOf', mainTgz, 'package/package.json']))
  check('published package.json has no lifecycle script', !('scripts' in published) && !('devDependencies' in published), JSON.stringify(published.scripts ?? {}))
  check('published package.json lists the five platform packages as optional', Object.keys(published.optionalDependencies ?? {}).length === 5)
  const platFiles = run('tar', ['-tzf', platTgz]).trim().split('\n').sort()
  const wantFiles = ['LICENSE', 'README.md', 'THIRD-PARTY-LICENSES.txt', 'package.json', `rtnl.${target}.node`].map((f) => `package/${f}`).sort()
  check('platform package holds its addon and the licence notices, nothing else', JSON.stringify(platFiles) === JSON.stringify(wantFiles), platFiles.join(' '))

  // 2. A fresh project: install both tarballs, offline.
  const app = join(work, 'app')
  mkdirSync(app)
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'rtnl-consumer', version: '1.0.0', private: true }))
  const r = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--omit=optional', mainTgz, platTgz], {
    cwd: app,
    env: { ...process.env, PATH },
    encoding: 'utf8',
  })
  if (r.status !== 0) throw new Error(`npm install failed: ${r.stdout}${r.stderr}`)
  check('npm install says nothing about install scripts', !/install-scripts|lifecycle/.test(r.stdout + r.stderr), (r.stdout + r.stderr).trim())
  check('installed without a registry or a Rust toolchain', existsSync(join(app, 'node_modules/rtnl/dist/index.js')))

  // 3. Consumers.
  const body = (imp) => `${imp}
const monitor = await subscribe({ netns: { name: process.argv[2] }, groups: [RTNLGRP.IPV4_ROUTE] })
for await (const msg of monitor) {
  if (msg.type === 'event' && msg.op === 'new_route') {
    console.log('saw new_route ' + msg.resource.dst)
    break
  }
}
`
  writeFileSync(join(app, 'esm.mjs'), body("import { subscribe, RTNLGRP } from 'rtnl'"))
  writeFileSync(join(app, 'esm-default.mjs'), body("import rtnl from 'rtnl'\nconst { subscribe, RTNLGRP } = rtnl"))
  writeFileSync(join(app, 'cjs.cjs'), `const { subscribe, RTNLGRP } = require('rtnl')\n;(async () => {\n${body('')}\n})()`)
  writeFileSync(
    join(app, 'ts.mts'),
    `import { subscribe, RTNLGRP, routes } from 'rtnl'
import type { Monitor, MonitorMessage, Route } from 'rtnl'
const monitor: Monitor = await subscribe({ netns: { name: process.argv[2] }, groups: [RTNLGRP.IPV4_ROUTE] })
for await (const msg of monitor as AsyncIterable<MonitorMessage>) {
  if (msg.type === 'event' && msg.op === 'new_route') {
    const r: Route = msg.resource
    const all: Route[] = await routes.list({ netns: { name: process.argv[2] }, table: r.table })
    console.log('saw new_route ' + r.dst + ' (' + all.length + ' routes in its table)')
    break
  }
}
`,
  )
  writeFileSync(
    join(app, 'ts-default.mts'),
    `import rtnl from 'rtnl'
import type { Link } from 'rtnl'
const all: Link[] = await rtnl.links.list({ netns: { name: process.argv[2] } })
const monitor = await rtnl.subscribe({ netns: { name: process.argv[2] }, groups: [rtnl.RTNLGRP.IPV4_ROUTE] })
for await (const msg of monitor) {
  if (msg.type === 'event' && msg.op === 'new_route') {
    console.log('saw new_route ' + msg.resource.dst + ' (' + all.length + ' links)')
    break
  }
}
`,
  )
  writeFileSync(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, outDir: 'out', typeRoots: [join(root, 'node_modules/@types')], types: ['node'] },
      files: ['ts.mts', 'ts-default.mts'],
    }),
  )
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  try {
    run(process.execPath, [tsc, '--noEmit', '-p', app])
    check('TypeScript consumer type-checks against the published .d.ts', true)
    run(process.execPath, [tsc, '-p', app])
  } catch (e) {
    check('TypeScript consumer type-checks against the published .d.ts', false, `${e.stdout}${e.stderr}`)
  }
  await consume('ESM consumer sees an event', process.execPath, ['esm.mjs', ns], app, /saw new_route/)
  await consume('ESM default-import consumer sees an event', process.execPath, ['esm-default.mjs', ns], app, /saw new_route/)
  await consume('CommonJS consumer sees an event', process.execPath, ['cjs.cjs', ns], app, /saw new_route/)
  if (existsSync(join(app, 'out/ts.mjs'))) await consume('TypeScript consumer sees an event', process.execPath, ['out/ts.mjs', ns], app, /saw new_route/)
  if (existsSync(join(app, 'out/ts-default.mjs'))) await consume('TypeScript default-import consumer sees an event', process.execPath, ['out/ts-default.mjs', ns], app, /saw new_route/)
  await consume('the rtnl CLI sees an event', join(app, 'node_modules/.bin/rtnl'), ['monitor', 'route', '--netns', ns, '--json'], app, /"op":"new_route"/)
} catch (e) {
  check('pack-smoke', false, e.message)
} finally {
  delNetns(ns)
  rmSync(work, { recursive: true, force: true })
}
console.log(failures ? `pack-smoke: ${failures} failed` : 'pack-smoke: all passed')
process.exitCode = failures ? 1 : 0
