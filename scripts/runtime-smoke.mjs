// Bun and Deno: installs rtnl as a user would (dist/ as node_modules/rtnl,
// this checkout's addon as node_modules/rtnl-<target>) into a fresh project
// and runs scripts/smoke/runtime-consumer.mjs under each: list(), one event
// from subscribe() after a change made with `ip`, watch() snapshots (the
// second after a routes.add()), and the runtime must then exit by itself.
// Deno runs with --allow-ffi and nothing else (what rtnl needs), and once
// with no flag, where the error must name --allow-ffi.
//
// The runtimes are the official builds on npm (@oven/bun-linux-*,
// @deno/linux-*), unpacked once into .cache/runtimes/ like the Node builds of
// node-matrix, and not downloaded again. Needs root and a build.
//   node scripts/runtime-smoke.mjs [bun] [deno]
import { execFileSync, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cache, root, sh } from './platforms.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from './netns.mjs'

cleanUpOnSignals()

const arm = process.arch === 'arm64'
// Bun's x64 build needs AVX2; its baseline build does not.
const avx2 = /\bavx2\b/.test(readFileSync('/proc/cpuinfo', 'utf8'))
const RUNTIMES = {
  bun: {
    npm: arm ? '@oven/bun-linux-aarch64@1.4.5' : `@oven/bun-linux-x64${avx2 ? '' : '-baseline'}@1.4.5`,
    bin: 'bin/bun',
    run: [],
  },
  deno: {
    npm: `@deno/linux-${arm ? 'arm64' : 'x64'}-glibc@2.9.6`,
    bin: 'deno',
    run: ['run', '--no-prompt', '--allow-ffi'],
  },
}
const wanted = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(RUNTIMES)
for (const w of wanted) if (!RUNTIMES[w]) throw new Error(`unknown runtime '${w}'; expected one of ${Object.keys(RUNTIMES).join(', ')}`)

let failures = 0
function check(name, ok, detail = '') {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`)
  if (!ok) failures++
}

/** The runtime's binary, from npm into .cache/runtimes/<package>-<version>/ on first use. */
function fetchRuntime({ npm, bin }) {
  const dir = join(cache, 'runtimes', npm.replace(/^@/, '').replace(/[@/]/g, '-'))
  if (!existsSync(join(dir, '.done'))) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    console.log(`== ${npm} from npm`)
    const tgz = sh('npm', ['pack', '--silent', npm], { cwd: dir }).trim().split('\n').at(-1)
    sh('tar', ['-xzf', tgz, '--strip-components=1'], { cwd: dir })
    rmSync(join(dir, tgz))
    sh('chmod', ['+x', join(dir, bin)])
    writeFileSync(join(dir, '.done'), '')
  }
  return join(dir, bin)
}

/** A fresh project with rtnl and its platform package in node_modules, as npm would lay them out. */
function project(work) {
  if (!existsSync(join(root, 'dist/index.mjs'))) throw new Error('build first: npm run build')
  // The target the loader picks for this Node: the runtimes run on the same machine.
  const target = createRequire(import.meta.url)('../dist/native.js').nativeTarget()
  const addon = join(root, 'native', `rtnl.${target}.node`)
  if (!existsSync(addon)) throw new Error(`build first: npm run build (${addon} is missing)`)
  const app = join(work, 'app')
  const mod = join(app, 'node_modules')
  mkdirSync(join(mod, 'rtnl'), { recursive: true })
  mkdirSync(join(mod, `rtnl-${target}`), { recursive: true })
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'rtnl-runtime-consumer', private: true, type: 'module' }))
  cpSync(join(root, 'package.json'), join(mod, 'rtnl/package.json'))
  cpSync(join(root, 'dist'), join(mod, 'rtnl/dist'), { recursive: true })
  cpSync(join(root, 'npm', target, 'package.json'), join(mod, `rtnl-${target}/package.json`))
  cpSync(addon, join(mod, `rtnl-${target}`, `rtnl.${target}.node`))
  cpSync(join(root, 'scripts/smoke/runtime-consumer.mjs'), join(app, 'consumer.mjs'))
  return app
}

/**
 * Runs the consumer; makes the link once it prints "ready". Resolves with its
 * steps (by name), whether it exited by itself, its exit code and output.
 */
function consume(cmd, args, cwd, ns, link, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args, 'consumer.mjs', ns, link], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    const steps = {}
    let out = ''
    let err = ''
    let killed = false
    const deadline = setTimeout(() => {
      killed = true
      child.kill('SIGKILL')
    }, 30_000)
    child.stderr.on('data', (d) => (err += d))
    let pending = ''
    child.stdout.on('data', (d) => {
      out += d
      const lines = (pending + d).split('\n')
      pending = lines.pop()
      for (const line of lines) {
        if (line === 'ready') {
          try {
            execFileSync('ip', ['-n', ns, 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`], { stdio: ['ignore', 'ignore', 'pipe'] })
          } catch (e) {
            err += `ip link add: ${e.stderr}`
            child.kill('SIGKILL')
          }
        } else if (line.startsWith('{')) {
          const s = JSON.parse(line)
          steps[s.step] = s
        }
      }
    })
    child.on('close', (code) => {
      clearTimeout(deadline)
      resolve({ steps, exited: !killed, code, output: `${out}${err}`.trim().slice(0, 2000) })
    })
  })
}

const work = mkdtempSync(join(tmpdir(), 'rtnl-runtime-smoke-'))
const summary = []
try {
  const app = project(work)
  const env = {
    ...process.env,
    DENO_DIR: join(cache, 'deno'),
    DENO_NO_UPDATE_CHECK: '1',
    NO_COLOR: '1',
    DO_NOT_TRACK: '1',
  }
  for (const name of wanted) {
    const rt = RUNTIMES[name]
    const bin = fetchRuntime(rt)
    const version = `${name} ${sh(bin, ['--version']).match(/\d+\.\d+\.\d+\S*/)[0]}`
    const ns = addNetns(`rtnl-rt-${process.pid}-${name}`)
    try {
      const link = `rt${name}0`
      const r = await consume(bin, rt.run, app, ns, link, env)
      const s = r.steps
      const tag = `${version} ${rt.run.slice(1).join(' ')}`.trim()
      check(`${tag}: list() of a fresh namespace`, JSON.stringify(s.list?.links) === '["lo"]', JSON.stringify(s.list ?? r.output))
      check(`${tag}: subscribe() sees the new_link of a link made with ip`, s.event?.op === 'new_link' && s.event.name === link && s.event.kind === 'veth', JSON.stringify(s.event ?? r.output))
      check(`${tag}: watch()'s first snapshot holds that veth pair`, JSON.stringify(s.watch?.links) === JSON.stringify(['lo', link, `${link}p`].sort()), JSON.stringify(s.watch ?? r.output))
      check(`${tag}: watch() yields the route routes.add() made`, JSON.stringify(s.change?.added) === '["10.99.0.0/16"]', JSON.stringify(s.change ?? r.output))
      check(`${tag}: exits by itself with status 0 once done`, r.exited && r.code === 0 && !!s.done, `exited by itself: ${r.exited}, status ${r.code}${s.error ? `, ${JSON.stringify(s.error)}` : ''}`)
      if (!s.done) console.log(r.output)
      summary.push(version)
      if (name === 'deno') {
        // The error path: no flag at all. The first refusal is loading the addon, and it names the flag.
        const bare = await consume(bin, ['run', '--no-prompt'], app, ns, `${link}b`, env)
        const e = bare.steps.error ?? {}
        const want = /^the rtnl native addon for linux-\S+ was found at rtnl-linux-\S+ but Deno refused to load it: Requires ffi access to "\S+\.node", run again with the --allow-ffi flag\. rtnl needs Deno's --allow-ffi /
        check(
          `${version} with no flag: list() rejects with RtnlError ERR_RTNL_NATIVE_MISSING naming --allow-ffi`,
          e.name === 'RtnlError' && e.code === 'ERR_RTNL_NATIVE_MISSING' && want.test(e.message) && bare.code === 1 && !bare.steps.list,
          JSON.stringify(e.name ? e : bare.output),
        )
      }
    } finally {
      delNetns(ns)
    }
  }
} catch (e) {
  check('runtime-smoke', false, e.stack)
} finally {
  rmSync(work, { recursive: true, force: true })
}
console.log(failures ? `runtime-smoke: ${failures} failed` : `runtime-smoke: all passed (${summary.join(', ')})`)
process.exitCode = failures ? 1 : 0
