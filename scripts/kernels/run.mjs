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
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
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
  '__test__/watch-kinds.test.mjs',
  '__test__/mutate-kinds.test.mjs',
  '__test__/safe-writes.test.mjs',
  '__test__/lifecycle.test.mjs',
]

/** Minutes a guest may take before it is stopped and counted as failed. */
const GUEST_MINUTES = Number(process.env.RTNL_KERNEL_MINUTES ?? 15)

const log = (s) => console.log(`test:kernels: ${s}`)

function main() {
  const asked = process.argv.slice(2)
  const kernels = asked.length ? asked.map((id) => PINS.kernels.find((k) => k.id === id) ?? fail(`unknown kernel '${id}'; expected ${PINS.kernels.map((k) => k.id).join(', ')}`)) : PINS.kernels
  if (!existsSync(join(root, 'dist', 'index.mjs')) || !existsSync(join(root, 'dist', 'cli.js'))) fail('the addon is not built: run `npm run build` first')
  const { vng, bin } = ensureTools(log)
  const runDir = mkdtempSync(join(tmpdir(), 'rtnl-kernels-'))
  const rows = []
  let failed = false
  for (const k of kernels) {
    const t0 = Date.now()
    const row = { id: k.id, distribution: k.distribution, release: k.release, packages: k.packages.map((p) => `${p.name} ${p.version}`) }
    try {
      const kernel = ensureKernel(k, log)
      row.fetchSeconds = (Date.now() - t0) / 1000
      const out = join(runDir, k.id)
      mkdirSync(out)
      log(`${k.id}: booting ${k.release} (TCG, 2 vCPUs, 2 GiB)`)
      const booted = Date.now()
      const guest = spawnSync(
        vng,
        ['-r', kernel.vmlinuz, '--disable-kvm', '--cpus', '2', '--memory', '2G', '--user', 'root', '--rwdir', out, '--cwd', root,
          '--exec', `${process.execPath} scripts/kernels/guest.mjs ${out} ${SUBSET.join(' ')}`],
        { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` }, timeout: GUEST_MINUTES * 60_000, maxBuffer: 256 * 1024 * 1024 },
      )
      row.guestSeconds = (Date.now() - booted) / 1000
      writeFileSync(join(out, 'console.log'), `${guest.stdout ?? ''}\n${guest.stderr ?? ''}`)
      const file = join(out, 'result.json')
      if (!existsSync(file)) {
        throw new Error(`the guest left no result (${guest.error ? guest.error.message : `vng exit ${guest.status}`}); its console is in ${join(out, 'console.log')}`)
      }
      Object.assign(row, judge(JSON.parse(readFileSync(file, 'utf8')), out))
    } catch (e) {
      row.error = e.message
    }
    row.ok = !row.error && row.problems.length === 0
    failed ||= !row.ok
    rows.push(row)
    log(`${k.id}: ${row.ok ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - t0) / 1000)} s` + (row.tests ? ` (${row.tests.passed} passed, ${row.tests.skipped} skipped, ${row.tests.failed} failed)` : ''))
    for (const p of row.problems ?? []) log(`${k.id}:   ${p}`)
    if (row.error) log(`${k.id}:   ${row.error}`)
  }
  write(rows)
  log(`records kept in ${runDir}`)
  process.exit(failed ? 1 : 0)
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
    subset: SUBSET,
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

main()
