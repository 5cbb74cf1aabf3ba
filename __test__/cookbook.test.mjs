// The cookbook (docs/cookbook/): every recipe page shows its program
// verbatim, and every program runs as written against the real kernel, in
// throwaway namespaces, waiting for its output with a deadline.
import test from 'ava'
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip, ipBatch, runNode } from './_helpers.mjs'
import { delNetns } from '../scripts/netns.mjs'

const path = (rel) => fileURLToPath(new URL(`../${rel}`, import.meta.url))
const RECIPES = {
  'vpn-client': 'examples/cookbook/vpn-client.mjs',
  'cni-agent': 'examples/cookbook/cni-agent.mjs',
  'network-panel': 'examples/cookbook/network-panel.mjs',
  'hold-routes': 'examples/hold-routes.mjs', // run by __test__/hold-routes.test.mjs
  'ship-logs': 'examples/cookbook/ship-logs.mjs',
}

/** Polls `check` every 20 ms until it is true; throws `what` and `detail()` after `ms`. */
async function until(what, check, detail = () => '', ms = 10000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms; ${detail()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Runs a recipe program; `waitFor(re)` resolves once its output matches, `stop()` sends SIGINT and resolves with the exit code. */
function run(t, file, args) {
  const child = spawn(process.execPath, [path(file), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  const p = { out: '', exited: new Promise((resolve) => child.on('exit', resolve)) }
  child.stdout.on('data', (d) => (p.out += d))
  child.stderr.on('data', (d) => (p.out += d))
  p.waitFor = (re) => until(`${file} printing ${re}`, () => re.test(p.out), () => `output:\n${p.out}`)
  p.stop = () => (child.kill('SIGINT'), p.exited)
  return p
}

test('every recipe page shows its program verbatim, and the index links every page', (t) => {
  const index = readFileSync(path('docs/cookbook/README.md'), 'utf8')
  for (const [name, file] of Object.entries(RECIPES)) {
    const page = readFileSync(path(`docs/cookbook/${name}.md`), 'utf8')
    t.true(page.includes('```js\n' + readFileSync(path(file), 'utf8').trim() + '\n```'), `docs/cookbook/${name}.md must contain ${file} as it is`)
    t.true(index.includes(`(${name}.md)`), `docs/cookbook/README.md must link ${name}.md`)
  }
})

test('vpn-client: reconnects on a new default route, and reads DNS servers from a router advertisement', async (t) => {
  const router = makeNetns(t)
  const client = makeNetns(t)
  ip(router, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1', 'netns', client)
  // No duplicate address detection: the link-local addresses are usable at once.
  execFileSync('ip', ['netns', 'exec', router, 'sysctl', '-qw', 'net.ipv6.conf.v0.accept_dad=0'])
  execFileSync('ip', ['netns', 'exec', client, 'sysctl', '-qw', 'net.ipv6.conf.v1.accept_dad=0', 'net.ipv6.conf.v1.accept_ra=2'])
  ip(router, 'link', 'set', 'v0', 'up')
  ip(client, 'link', 'set', 'v1', 'up')
  ip(client, 'addr', 'add', '10.9.0.2/24', 'dev', 'v1')
  const vpn = run(t, RECIPES['vpn-client'], [client])
  await vpn.waitFor(/^default route: none$/m)
  ip(client, 'route', 'add', 'default', 'via', '10.9.0.1')
  await vpn.waitFor(/^default route: 10\.9\.0\.1 \(ifindex \d+\) \(was none\): reconnect the tunnel$/m)
  // The router's advertisement: a prefix, an RDNSS and a DNSSL option. Sent
  // again every 300 ms until seen: the first may leave before v0 has its
  // link-local address (an RA from any other source is dropped).
  const ra = ['netns', 'exec', router, 'python3', path('__test__/fixtures/ra.py'), 'v0', '2001:db8:1::/64', '2001:db8::53', 'example.com']
  const send = setInterval(() => spawn('ip', ra, { stdio: 'ignore' }), 300)
  t.teardown(() => clearInterval(send))
  spawn('ip', ra, { stdio: 'ignore' })
  await vpn.waitFor(/^dns servers: 2001:db8::53 for 600 s \(from fe80::[0-9a-f:]+\)$/m)
  clearInterval(send)
  // The RA also made the router the IPv6 default route.
  await vpn.waitFor(/^default route: 10\.9\.0\.1 \(ifindex \d+\), fe80::[0-9a-f:]+ \(ifindex \d+\) \(was 10\.9\.0\.1 \(ifindex \d+\)\): reconnect the tunnel$/m)
  ip(client, 'route', 'del', 'default', 'via', '10.9.0.1')
  await vpn.waitFor(/^default route: fe80::[0-9a-f:]+ \(ifindex \d+\) \(was 10\.9\.0\.1 .*\): reconnect the tunnel$/m)
  t.is(await vpn.stop(), 0)
})

test('cni-agent: names pods as they get an nsid, sees links inside them, and their end', async (t) => {
  const node = makeNetns(t)
  const early = makeNetns(t) // a pod from before the agent started
  const pod = makeNetns(t)
  ip(node, 'netns', 'set', early, '5')
  const agent = run(t, RECIPES['cni-agent'], [node])
  await agent.waitFor(new RegExp(`^pods: ${early}$`, 'm'))
  ip(node, 'netns', 'set', pod, '7')
  await agent.waitFor(new RegExp(`^pod up: ${pod} \\(nsid 7\\)$`, 'm'))
  // What a CNI plugin does: a veth pair with one end in the pod as eth0.
  ip(node, 'link', 'add', 'vpod', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod)
  await agent.waitFor(new RegExp(`^${pod}: link eth0 DOWN$`, 'm'))
  t.notRegex(agent.out, /link vpod/, "the node's own links are not a pod's")
  t.notRegex(agent.out, /nsid 0/, "the pod's id for the node is not a pod")
  ip(pod, 'link', 'del', 'eth0')
  await agent.waitFor(new RegExp(`^${pod}: link removed eth0`, 'm'))
  delNetns(pod) // the pod ends
  await agent.waitFor(new RegExp(`^pod gone: ${pod}$`, 'm'))
  t.is(await agent.stop(), 0)
})

test('network-panel: a worker keeps links and addresses with watch() and posts the view on every change', async (t) => {
  const ns = makeNetns(t)
  const panel = run(t, RECIPES['network-panel'], [ns])
  await panel.waitFor(/^--- 1 links\nlo DOWN$/m)
  ip(ns, 'link', 'set', 'lo', 'up')
  await panel.waitFor(/^lo UNKNOWN 127\.0\.0\.1\/8 ::1\/128$/m)
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  ip(ns, 'addr', 'add', '10.7.0.1/24', 'dev', 'v0')
  await panel.waitFor(/^--- 3 links\nlo UNKNOWN 127\.0\.0\.1\/8 ::1\/128\nv0 DOWN 10\.7\.0\.1\/24\nv1 DOWN$/m)
  ip(ns, 'link', 'del', 'v0')
  await panel.waitFor(/^--- 1 links\nlo UNKNOWN 127\.0\.0\.1\/8 ::1\/128\n(?!v)/m)
  t.is(await panel.stop(), 0)
})

test('ship-logs: `rtnl monitor --json | ship-logs.mjs OUT` ships every event in batches of at most 100', async (t) => {
  const ns = makeNetns(t)
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-ship-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const out = join(dir, 'events.jsonl')
  const q = (s) => `'${s}'`
  const pipeline = `${q(process.execPath)} ${q(path('dist/cli.js'))} monitor --json --netns ${ns} | ${q(process.execPath)} ${q(path(RECIPES['ship-logs']))} ${q(out)}`
  // In a process group of its own, so that SIGINT reaches both ends as
  // Ctrl-C would; the shell lives through it, as an interactive one does,
  // and exits with the shipper's status.
  const sh = spawn('sh', ['-c', `trap : INT; ${pipeline}`], { stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  t.teardown(() => {
    try {
      process.kill(-sh.pid, 'SIGKILL')
    } catch {}
  })
  let stderr = ''
  sh.stderr.on('data', (d) => (stderr += d))
  const exited = new Promise((resolve) => sh.on('exit', resolve))
  const batches = () => (existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [])
  const events = () => batches().flatMap((b) => b.events)
  const detail = () => `${events().length} events in ${batches().length} batches; stderr: ${stderr}`
  // The monitor's start cannot be seen from outside: change until a change arrives.
  let n = 0
  await until('the first event', () => (ip(ns, 'addr', 'add', `10.3.0.${++n}/32`, 'dev', 'lo'), events().length > 0), detail)
  // 250 addresses at once: more than one batch's worth.
  ip(ns, 'link', 'set', 'lo', 'up')
  ipBatch(ns, Array.from({ length: 250 }, (_, i) => `addr add 10.4.${i >> 8}.${i & 255}/32 dev lo`))
  const added = (e) => e.op === 'new_addr' && e.resource.local?.startsWith('10.4.')
  await until('the 250 addresses shipped', () => events().filter(added).length === 250, detail)
  process.kill(-sh.pid, 'SIGINT')
  t.is(await exited, 0, `the pipeline's exit status; stderr: ${stderr}`)
  const all = batches()
  t.deepEqual(all.map((b) => b.batch), all.map((_, i) => i + 1), 'batches numbered in order')
  t.true(all.every((b) => b.events.length >= 1 && b.events.length <= 100), 'batches of 1 to 100 events')
  t.true(all.some((b) => b.events.length === 100), 'a burst fills whole batches')
  t.true(events().some((e) => e.op === 'new_link' && e.resource.name === 'lo'))
  t.true(events().every((e) => e.type === 'event' && typeof e.receivedAt === 'number'))
})

test('ship-logs: a resync_needed ships what came before it, then a gap record', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-ship-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const out = join(dir, 'events.jsonl')
  const lines = [{ type: 'event', op: 'new_link', n: 1 }, { type: 'event', op: 'new_addr', n: 2 }, { type: 'resync_needed', reason: 'overflow' }, '', { type: 'event', op: 'del_addr', n: 3 }]
  const r = await runNode([path(RECIPES['ship-logs']), out], { input: lines.map((l) => (l ? JSON.stringify(l) : '')).join('\n') + '\n' })
  t.is(r.code, 0, r.stderr)
  const shipped = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l))
  t.deepEqual(shipped, [
    { batch: 1, events: [lines[0], lines[1]] },
    { batch: 2, events: [], gap: 'overflow' },
    { batch: 3, events: [lines[4]] },
  ])
})
