// Runs inside a kernel-matrix guest (scripts/kernels/run.mjs boots it with
// virtme-ng: the host's root read-only, OUT writable):
//   node scripts/kernels/guest.mjs OUT STAGE.tar FILE...
// loads the modules the suite exercises, probes every kernel feature
// (scripts/kernel-features.mjs), notes which rtnetlink groups this kernel
// refuses, unpacks STAGE.tar (the build, the tests, ava) into the guest's
// memory and runs the given test files with ava from there, and writes
// OUT/result.json.
// The guest's own exit code does not reach the host (virtme-ng's console
// fallback), so everything the host needs is in that file.
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { release, tmpdir } from 'node:os'
import { join } from 'node:path'
import { FEATURES, probe } from '../kernel-features.mjs'
import { readRecords } from '../skips.mjs'

const [out, staged, ...files] = process.argv.slice(2)
const started = Date.now()
const result = { kernel: release(), node: process.version, modules: { loaded: [], missing: [] }, features: {}, tests: [], uses: [], skips: [] }
const phase = (name) => ((result.phases ??= {})[name] = (Date.now() - started) / 1000)
const save = () => writeFileSync(join(out, 'result.json'), JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 }, null, 1))

// Debian builds these as modules, and the guest does not load them on demand.
// (Not the other tunnel modules yet: each makes a fallback device in every
// namespace, of kinds decoded later.)
const MODULES = [
  'veth', 'bridge', 'tun', 'dummy', '8021q', 'bonding', 'vrf', 'wireguard', 'macvlan', 'ipvlan', 'vxlan',
  'ip_gre', 'ip6_gre',
  'mpls_router', 'mpls_iptunnel',
  'sch_htb', 'sch_tbf', 'sch_ingress', 'sch_prio', 'sch_fq_codel', 'sch_netem', 'sch_fq', 'sch_cake', 'sch_sfq',
  'cls_u32', 'cls_bpf', 'cls_matchall', 'cls_flower', 'act_gact', 'act_mirred', 'act_police',
]

// The guest's PATH may leave out the sbin folders (modprobe, sysctl).
process.env.PATH = `/usr/local/sbin:/usr/sbin:/sbin:${process.env.PATH ?? '/usr/bin:/bin'}`

try {
  execFileSync('ip', ['link', 'set', 'lo', 'up'])
  mkdirSync('/run/netns', { recursive: true })
  // One modprobe for all (each process start costs a second here); the
  // ones that did not load are asked one by one for the reason.
  spawnSync('modprobe', ['-a', ...MODULES], { stdio: 'ignore' })
  for (const m of MODULES) {
    if (existsSync(`/sys/module/${m.replace(/-/g, '_')}`)) {
      result.modules.loaded.push(m)
      continue
    }
    try {
      execFileSync('modprobe', [m], { stdio: ['ignore', 'ignore', 'pipe'] })
      result.modules.loaded.push(m)
    } catch (e) {
      result.modules.missing.push(`${m}: ${String(e.stderr ?? e.message).trim().split('\n')[0]}`)
    }
  }
  phase('modules')
  if (!existsSync('/dev/net/tun')) {
    mkdirSync('/dev/net', { recursive: true })
    execFileSync('mknod', ['/dev/net/tun', 'c', '10', '200'])
  }
  for (const f of Object.keys(FEATURES)) {
    try {
      result.features[f] = probe(f)
    } catch (e) {
      result.features[f] = `probe failed: ${e.message}`
    }
  }
  phase('probes')
  // From here on the guest's own copy (tmpfs): see STAGED in run.mjs.
  const work = '/run/rtnl-stage'
  mkdirSync(work, { recursive: true })
  execFileSync('mount', ['-t', 'tmpfs', 'rtnl-stage', work])
  execFileSync('tar', ['-xf', staged, '-C', work])
  phase('unpacked')
  const { subscribe, ALL_GROUPS } = await import(join(work, 'dist', 'index.mjs'))
  const monitor = await subscribe({ groups: [...ALL_GROUPS] })
  result.groupsRefused = monitor.stats().groupsRefused
  await monitor.stop()
  phase('groups')
  save()

  // The tests ask the same probes (__test__/_features.mjs): answered already.
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-sentinel-'))
  const answered = Object.entries(result.features).filter(([, v]) => typeof v === 'boolean')
  writeFileSync(join(dir, 'features.cache'), JSON.stringify(Object.fromEntries(answered)))
  // Streamed, so each test's finishing time (seconds since the guest
  // started) is known: the run's report says where the minutes go.
  const ava = spawn(process.execPath, ['node_modules/ava/entrypoints/cli.mjs', '--tap', '--timeout=10m', ...files], {
    cwd: work,
    // Under emulation the watch test makes 200 changes, not 1,500, and a
    // child process may take 10 times as long (__test__/_helpers.mjs).
    env: { ...process.env, RTNL_SENTINEL: dir, RTNL_SENTINEL_MONITORS: '0', RTNL_WATCH_KIND_CHANGES: '200', RTNL_TIME_SCALE: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  let pending = ''
  ava.stderr.on('data', (d) => (stderr += d))
  ava.stdout.on('data', (d) => {
    stdout += d
    pending += d
    const lines = pending.split('\n')
    pending = lines.pop()
    for (const line of lines) {
      const m = /^(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$/.exec(line)
      if (!m) continue
      const status = m[1] === 'not ok' ? 'failed' : m[3] === 'SKIP' ? 'skipped' : 'passed'
      result.tests.push({ title: m[2], status, at: (Date.now() - started) / 1000 })
    }
  })
  result.avaStatus = await new Promise((resolve) => ava.on('close', (code) => resolve(code)))
  writeFileSync(join(out, 'ava.tap'), stdout + '\n# stderr\n' + stderr)
  result.skips = readRecords(dir, 'skips')
  result.uses = readRecords(dir, 'uses')
} catch (e) {
  result.error = String(e.stack ?? e)
}
save()
