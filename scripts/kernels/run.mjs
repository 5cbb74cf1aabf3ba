// `npm run test:kernels [-- 5.10 7.2]`: a chosen subset of the suite inside
// real distribution kernels (Debian's 5.10, 6.1, 6.12 and 7.2, pinned in
// kernels.json), each booted with QEMU under virtme-ng over the host's root
// (read-only; the guest sees this checkout, node and iproute2 as they are).
//
// For each kernel: fetch it (scripts/kernels/fetch.mjs, cached outside the
// clone), boot it, run scripts/kernels/guest.mjs there, read its result, and
// check its skips against __test__/expected-skips.json. Then the kernel table
// (kernel x feature: passed, skipped with the reason, failed) goes to
// bench/results/kernels.json, which scripts/readme-tables.mjs draws into the
// guide. Exits 1 when a kernel failed a test, skipped what it should not,
// or could not be booted at all: a matrix that cannot run is a failure.
//
// Pure emulation (TCG): KVM guests hang in early boot on these machines.
// About 30x slower than native, so the subset is chosen (SUBSET below).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FEATURES } from '../kernel-features.mjs'
import { checkSkips } from '../skips.mjs'
import { ensureKernel, ensureTools, PINS } from './fetch.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

/**
 * The subset: decoding parity (ip, tc, bridge) of every kind decoded today,
 * the kinds this machine's kernel may lack, the event path of every kind,
 * writes and reconcile with the scope promise, groups, lifecycle.
 */
export const SUBSET = [
  '__test__/kernel-kinds.test.mjs',
  '__test__/groups.test.mjs',
  '__test__/parity.test.mjs',
  '__test__/parity-ip-kinds.test.mjs',
  '__test__/parity-tc-bridge.test.mjs',
  '__test__/tc-actions.test.mjs',
  '__test__/watch-kinds.test.mjs',
  '__test__/mutate-kinds.test.mjs',
  '__test__/safe-writes.test.mjs',
  '__test__/lifecycle.test.mjs',
]

/**
 * The files the guest runs from, packed into one archive that the guest
 * unpacks into its own memory: over the shared 9p root every `stat` and
 * `open` is a round trip to the host, and ava's start (about 5,500 of them)
 * took 58 s there; from the guest's tmpfs it takes a few.
 */
const STAGED = ['package.json', 'dist', 'native', '__test__', 'scripts', 'examples']

/** node_modules folders of a package and everything it depends on, found as Node finds them (nearest node_modules upwards). */
function dependencyClosure(name, from = root, seen = new Set()) {
  for (let dir = from; dir.startsWith(root); dir = dirname(dir)) {
    if (basename(dir) === 'node_modules') continue
    const at = join(dir, 'node_modules', name)
    if (!existsSync(join(at, 'package.json'))) continue
    if (seen.has(at)) return seen
    seen.add(at)
    const pkg = JSON.parse(readFileSync(join(at, 'package.json'), 'utf8'))
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) dependencyClosure(dep, at, seen)
    return seen
  }
  return seen // an optional dependency not installed here
}

/** Packs what the guest needs (the build, the tests, ava and its dependencies) into DIR/stage.tar. */
function stage(dir) {
  const all = [...dependencyClosure('ava')].map((d) => d.slice(root.length + 1))
  // A nested package is inside its parent's folder already.
  const modules = all.filter((d) => !all.some((p) => p !== d && d.startsWith(`${p}/`)))
  const file = join(dir, 'stage.tar')
  const tar = spawnSync('tar', ['-cf', file, '-C', root, ...STAGED, ...modules], { encoding: 'utf8' })
  if (tar.status !== 0) fail(`packing the guest's files failed: ${tar.stderr}`)
  return file
}

/** RTNL_KERNEL_SUBSET=a.test.mjs,b.test.mjs runs those instead (while fixing one file). */
const FILES = process.env.RTNL_KERNEL_SUBSET ? process.env.RTNL_KERNEL_SUBSET.split(',').map((f) => (f.includes('/') ? f : `__test__/${f}`)) : SUBSET

/**
 * Guests booted at once (RTNL_KERNEL_JOBS), sharing the cores. Default 1:
 * two guests of one vCPU each finish 6.1 and 6.12 in 441 s against 660 s one
 * after the other, but 5.10 (slow under emulation: its namespaces cost 4x)
 * then takes 16 minutes and its timing-sensitive tests flake.
 */
const JOBS = Number(process.env.RTNL_KERNEL_JOBS ?? 1)

/** Minutes a guest may take before it is stopped and counted as failed. */
const GUEST_MINUTES = Number(process.env.RTNL_KERNEL_MINUTES ?? 15)

const log = (s) => console.log(`test:kernels: ${s}`)

async function main() {
  const asked = process.argv.slice(2)
  const kernels = asked.length ? asked.map((id) => PINS.kernels.find((k) => k.id === id) ?? fail(`unknown kernel '${id}'; expected ${PINS.kernels.map((k) => k.id).join(', ')}`)) : PINS.kernels
  if (!existsSync(join(root, 'dist', 'index.mjs')) || !existsSync(join(root, 'dist', 'cli.js'))) fail('the addon is not built: run `npm run build` first')
  const { vng, bin } = ensureTools(log)
  const runDir = mkdtempSync(join(tmpdir(), 'rtnl-kernels-'))
  const staged = stage(runDir)
  // Fetching is sequential (apt and dpkg); then the guests boot JOBS at a
  // time, each with its share of the cores (see JOBS).
  const ready = []
  const rows = []
  for (const k of kernels) {
    const row = { id: k.id, distribution: k.distribution, release: k.release, packages: k.packages.map((p) => `${p.name} ${p.version}`), subset: FILES }
    const t0 = Date.now()
    try {
      ready.push({ k, row, kernel: ensureKernel(k, log) })
      row.fetchSeconds = (Date.now() - t0) / 1000
    } catch (e) {
      row.error = e.message
      rows.push(finish(row))
    }
  }
  const jobs = Math.max(1, Math.min(JOBS, ready.length))
  const vcpus = Math.max(1, Math.floor(cpus().length / jobs))
  const boot = async ({ k, row, kernel }) => {
    const out = join(runDir, k.id)
    mkdirSync(out)
    log(`${k.id}: booting ${k.release} (TCG, ${vcpus} vCPU${vcpus === 1 ? '' : 's'}, 2 GiB)`)
    let booted = Date.now()
    try {
      const start = () =>
        run(
          vng,
          ['-r', kernel.vmlinuz, '--disable-kvm', '--cpus', String(vcpus), '--memory', '2G', '--user', 'root', '--rwdir', out, '--cwd', root,
            '--exec', `${process.execPath} scripts/kernels/guest.mjs ${out} ${staged} ${FILES.join(' ')}`],
          { env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: GUEST_MINUTES * 60_000 },
        )
      let guest = await start()
      // A guest that stops within a minute without a result never reached the tests (seen once:
      // vng exit 255 after 13 s, the same kernel passing on the next boot): it is booted once more,
      // and said so. A guest that ran the tests takes longer and leaves a result either way.
      if (!existsSync(join(out, 'result.json')) && !guest.timedOut && Date.now() - booted < 60_000) {
        log(`${k.id}: the guest stopped after ${((Date.now() - booted) / 1000).toFixed(0)} s without starting the tests (vng exit ${guest.status}); booting it once more`)
        row.bootRetried = `vng exit ${guest.status}`
        writeFileSync(join(out, 'console-first-boot.log'), guest.output)
        booted = Date.now()
        guest = await start()
      }
      row.guestSeconds = (Date.now() - booted) / 1000
      row.vcpus = vcpus
      row.parallelGuests = jobs
      writeFileSync(join(out, 'console.log'), guest.output)
      const file = join(out, 'result.json')
      if (!existsSync(file)) {
        throw new Error(`the guest left no result (${guest.timedOut ? `stopped after ${GUEST_MINUTES} minutes` : `vng exit ${guest.status}`}); its console is in ${join(out, 'console.log')}`)
      }
      Object.assign(row, judge(JSON.parse(readFileSync(file, 'utf8')), out))
      if (guest.timedOut) row.error = `stopped after ${GUEST_MINUTES} minutes (RTNL_KERNEL_MINUTES); the tests it finished are counted above`
    } catch (e) {
      row.error = e.message
    }
    rows.push(finish(row))
  }
  const queue = [...ready]
  await Promise.all(Array.from({ length: jobs }, async () => {
    while (queue.length) await boot(queue.shift())
  }))
  const failed = rows.some((r) => !r.ok)
  write(rows)
  log(`records kept in ${runDir}`)
  process.exit(failed ? 1 : 0)
}

/** A row's verdict, logged. */
function finish(row) {
  row.ok = !row.error && row.problems.length === 0
  log(`${row.id}: ${row.ok ? 'passed' : 'FAILED'}` + (row.guestSeconds ? ` in ${Math.round(row.guestSeconds)} s` : '') + (row.tests ? ` (${row.tests.passed} passed, ${row.tests.skipped} skipped, ${row.tests.failed} failed)` : ''))
  for (const p of row.problems ?? []) log(`${row.id}:   ${p}`)
  if (row.error) log(`${row.id}:   ${row.error}`)
  return row
}

/** Runs a command to its end (or `timeout`, then kills it): { status, output, timedOut }. */
function run(command, args, { env, timeout }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    let timedOut = false
    child.stdout.on('data', (d) => (output += d))
    child.stderr.on('data', (d) => (output += d))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeout)
    child.on('close', (status) => {
      clearTimeout(timer)
      resolve({ status, output, timedOut })
    })
  })
}

/** What a guest's result says: counts, the feature table, and what is wrong. */
function judge(r, out) {
  const problems = []
  if (r.error) problems.push(`the guest runner failed: ${r.error.split('\n')[0]}`)
  const notLoaded = r.modules.missing.filter((m) => m.startsWith('veth:') || m.startsWith('bridge:'))
  if (notLoaded.length) problems.push(`the guest could not load the modules every test needs (${notLoaded.join('; ')}): is the kernel cache visible in the guest?`)
  const failedTests = r.tests.filter((t) => t.status === 'failed')
  for (const t of failedTests) problems.push(`failed: ${t.title} (${join(out, 'ava.tap')})`)
  if (r.tests.length === 0 && !r.error) problems.push(`ava ran no test (exit ${r.avaStatus}; ${join(out, 'ava.tap')})`)
  else if (r.avaStatus !== 0 && failedTests.length === 0) problems.push(`ava exited ${r.avaStatus} (${join(out, 'ava.tap')})`)
  for (const [f, v] of Object.entries(r.features)) if (typeof v === 'string') problems.push(`${f}: ${v}`)
  const skipCheck = checkSkips(r.skips, r.kernel)
  problems.push(...skipCheck.problems)
  const status = (title) => r.tests.find((t) => t.title === title || t.title.endsWith(` › ${title}`) || t.title.startsWith(`${title} [skipped`))?.status
  const features = {}
  for (const [f, present] of Object.entries(r.features)) {
    if (present !== true) {
      features[f] = { state: present === false ? 'absent' : 'probe failed', tests: r.skips.filter((s) => s.features.includes(f)).length }
      continue
    }
    const tests = r.uses.filter((u) => u.features.includes(f)).map((u) => status(u.test))
    features[f] = { state: tests.includes('failed') ? 'failed' : tests.length ? 'passed' : 'present', tests: tests.length }
  }
  const count = (s) => r.tests.filter((t) => t.status === s).length
  return {
    kernel: r.kernel,
    seconds: r.seconds,
    node: r.node,
    modulesMissing: r.modules.missing,
    groupsRefused: r.groupsRefused,
    features,
    tests: { passed: count('passed'), skipped: count('skipped'), failed: count('failed') },
    failedTests: failedTests.map((t) => t.title),
    problems,
  }
}

/** bench/results/kernels.json: each kernel's latest row (a run of some kernels keeps the others'). */
function write(rows) {
  const file = join(root, 'bench', 'results', 'kernels.json')
  const before = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { kernels: [] }
  const date = new Date().toISOString()
  const kernels = PINS.kernels
    .map((k) => rows.find((r) => r.id === k.id) ?? before.kernels.find((r) => r.id === k.id))
    .filter(Boolean)
    .map((r) => (rows.includes(r) ? { ...r, date } : r))
  const doc = {
    about: 'The kernel matrix (npm run test:kernels): scripts/kernels/run.mjs boots each kernel under QEMU (TCG) and runs a subset of the suite there.',
    machine: { cores: cpus().length, cpu: cpus()[0]?.model, hostKernel: release(), node: process.version, date },
    subset: FILES,
    features: Object.fromEntries(Object.entries(FEATURES).map(([f, s]) => [f, s.what])),
    kernels,
  }
  writeFileSync(file, JSON.stringify(doc, null, 1) + '\n')
  log(`kernel table written to bench/results/kernels.json`)
}

function fail(message) {
  console.error(`test:kernels: ${message}`)
  process.exit(1)
}

await main()
