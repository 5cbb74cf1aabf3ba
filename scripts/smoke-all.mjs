// Loads each built addon on its own architecture and libc and shows it a real
// kernel event: x64 gnu natively; x64 musl with a musl Node under trixie's
// musl loader; arm64 and armv7 gnu under qemu-user with Node builds of those
// arches; arm64 musl under qemu-user with a musl Node. Every run installs the
// staged main package and all five platform packages into one node_modules,
// so the loader must pick the right addon; the consumer reports which file
// it mapped (/proc/self/maps) and the libc its Node runs on.
// Needs root (a namespace) and npm run build:all first.
//   npm run smoke:all [-- SUFFIX ...]
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { root, runnerFor, sh, TARGETS, writeResult } from './platforms.mjs'
import { stageMain, stagePlatform } from './stage.mjs'
import { addNetns, cleanUpOnSignals, delNetns } from './netns.mjs'

cleanUpOnSignals()

const only = process.argv.slice(2)
const targets = only.length ? TARGETS.filter((t) => only.includes(t.suffix)) : TARGETS
const TIMEOUT_MS = 120_000 // a Node under qemu-user takes seconds to start

// node_modules as `npm install` leaves it on a machine that took every
// optional platform package.
const app = mkdtempSync(join(tmpdir(), 'rtnl-smoke-all-'))
const modules = join(app, 'node_modules')
mkdirSync(modules)
cpSync(stageMain(), join(modules, 'rtnl'), { recursive: true })
for (const t of TARGETS) cpSync(stagePlatform(t), join(modules, `rtnl-${t.suffix}`), { recursive: true })
cpSync(join(root, 'scripts/smoke/consumer.cjs'), join(app, 'consumer.cjs'))

function runOne(target, ns) {
  const cmd = runnerFor(target)
  const link = `smk${process.pid % 10000}`
  return new Promise((resolve) => {
    const child = spawn(cmd[0], [...cmd.slice(1), 'consumer.cjs', ns, link], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    let poked = false
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS)
    child.stdout.on('data', (d) => {
      out += d
      if (!poked && out.includes('ready\n')) {
        poked = true
        sh('ip', ['-n', ns, 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`])
      }
    })
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      clearTimeout(timer)
      const last = out.trim().split('\n').at(-1)
      let seen
      try {
        seen = JSON.parse(last)
      } catch {
        seen = { error: `exit ${code}: ${(err || out).trim().slice(0, 500)}` }
      }
      resolve({ how: cmd.map((c) => c.replace(root, '.')).slice(0, -1).join(' ') || 'node', expectedLink: link, ...seen })
    })
  })
}

const results = []
let failures = 0
try {
  for (const t of targets) {
    const ns = `rtnl-smoke-${process.pid}-${t.suffix}`
    addNetns(ns)
    let r
    const started = Date.now()
    try {
      r = await runOne(t, ns)
    } catch (e) {
      r = { error: e.message }
    } finally {
      delNetns(ns)
    }
    const ok =
      !r.error && r.loaded === t.suffix && r.event?.op === 'new_link' && r.event?.name === r.expectedLink && r.links.includes('lo')
    if (!ok) failures++
    const line = { target: t.suffix, ok, node: r.node, arch: r.arch, libc: r.libc, runtime: t.runtime.how, loaded: r.loaded, event: r.event, links: r.links, seconds: (Date.now() - started) / 1000, error: r.error }
    results.push(line)
    console.log(
      `${ok ? 'ok  ' : 'FAIL'} ${t.suffix.padEnd(20)} Node ${r.node ?? '?'} ${r.arch ?? '?'} ${r.libc ?? '?'} via ${t.runtime.how}: ` +
        (r.error ? r.error : `loaded rtnl.${r.loaded}.node, listed [${r.links.join(', ')}], saw ${r.event?.op} ${r.event?.name} (${r.event?.kind})`),
    )
  }
} finally {
  rmSync(app, { recursive: true, force: true })
}
if (!only.length) writeResult('platforms-smoke', { note: 'npm run smoke:all', results })
console.log(failures ? `smoke:all: ${failures} of ${targets.length} failed` : `smoke:all: ${targets.length} of ${targets.length} passed`)
process.exitCode = failures ? 1 : 0
