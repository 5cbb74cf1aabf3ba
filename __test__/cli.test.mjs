// The `rtnl` command: monitor (text and JSON), list, help, bad arguments and exit codes.
import test from 'ava'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip, runNode } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

/** Starts `rtnl monitor ...`, waits for its subscription (its first event), returns helpers. */
function startMonitor(t, args) {
  const child = spawn(process.execPath, [cli, 'monitor', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  let err = ''
  child.stdout.on('data', (d) => (out += d))
  child.stderr.on('data', (d) => (err += d))
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })))
  const waitFor = (re, ms = 5000) =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + ms
      const poll = setInterval(() => {
        const m = out.match(re)
        if (m) {
          clearInterval(poll)
          resolve(m)
        } else if (Date.now() > deadline) {
          clearInterval(poll)
          reject(new Error(`no ${re} in: ${out} ${err}`))
        }
      }, 20)
    })
  return { child, exited, waitFor, out: () => out }
}

/** Makes changes until the monitor shows the marker: then it is surely subscribed. */
async function untilSubscribed(ns, mon, marker) {
  for (let i = 0; i < 50; i++) {
    ip(ns, 'route', 'replace', 'blackhole', '10.255.255.0/24', 'metric', String(i + 1))
    try {
      await mon.waitFor(marker, 100)
      return
    } catch {}
  }
  throw new Error('the monitor never showed the marker')
}

test('rtnl monitor prints ip-monitor-like lines; Ctrl-C exits 0', async (t) => {
  const ns = makeNetns(t)
  const mon = startMonitor(t, ['route', 'link', '--netns', ns])
  await untilSubscribed(ns, mon, /\[ROUTE\] new blackhole 10\.255\.255\.0\/24/)
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'set', 'a0', 'up')
  ip(ns, 'link', 'set', 'b0', 'up')
  ip(ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'a0')
  ip(ns, 'route', 'add', '10.10.0.0/16', 'via', '10.9.0.2', 'dev', 'a0')
  await mon.waitFor(/\[ROUTE\] new 10\.10\.0\.0\/16 via 10\.9\.0\.2 dev a0 table main proto boot/)
  t.regex(mon.out(), /\[LINK\] new \d+: a0 veth <[A-Z_,]+> mtu 1500 state \w+/)
  t.notRegex(mon.out(), /\[ADDR\]/, 'only the objects asked for')
  mon.child.kill('SIGINT')
  t.deepEqual(await mon.exited, { code: 0, signal: null })
})

test('rtnl monitor --json --timestamp prints one JSON object per line', async (t) => {
  const ns = makeNetns(t)
  const mon = startMonitor(t, ['--netns-path', `/run/netns/${ns}`, '--json', '--timestamp'])
  await untilSubscribed(ns, mon, /"dst":"10\.255\.255\.0"/)
  ip(ns, 'rule', 'add', 'fwmark', '9', 'table', '9', 'pref', '900')
  await mon.waitFor(/"op":"new_rule"/)
  const lines = mon.out().trim().split('\n').map((l) => JSON.parse(l))
  const rule = lines.find((m) => m.op === 'new_rule')
  t.is(rule.type, 'event')
  t.is(rule.resource.fwmark, 9)
  t.regex(rule.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  t.regex(rule.receivedAtNs, /^\d{19}$/, 'receivedAtNs: nanoseconds as a decimal string')
  t.is(typeof rule.receivedAt, 'number', 'receivedAt: milliseconds, as Date.now()')
  mon.child.kill('SIGTERM')
  t.is((await mon.exited).code, 0)
})

test('rtnl list prints each kind, as text or JSON', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'route', 'add', 'prohibit', '10.7.0.0/16', 'table', '7')
  const text = await runNode([cli, 'list', 'routes', '--netns', ns])
  t.is(text.code, 0, text.stderr)
  t.regex(text.stdout, /^prohibit 10\.7\.0\.0\/16 table 7 proto boot$/m)
  const json = await runNode([cli, 'list', 'links', '--netns', ns, '--json'])
  t.is(json.code, 0)
  t.deepEqual(JSON.parse(json.stdout).map((l) => l.name), ['lo'])
  for (const kind of ['addresses', 'rules', 'neighbours']) {
    const r = await runNode([cli, 'list', kind, '--netns', ns])
    t.is(r.code, 0, `${kind}: ${r.stderr}`)
  }
})

test('rtnl --help, and bad arguments exit 2 naming the argument', async (t) => {
  const help = await runNode([cli, '--help'])
  t.is(help.code, 0)
  t.regex(help.stdout, /usage: rtnl <command>/)
  const monHelp = await runNode([cli, 'monitor', '--help'])
  t.regex(monHelp.stdout, /--netns-pid PID/)
  const cases = [
    [['frobnicate'], "unknown command 'frobnicate'; expected monitor or list"],
    [['monitor', 'routes'], "unknown object 'routes'; expected link, addr, route, rule or neigh"],
    [['monitor', '--netns'], '--netns needs a value'],
    [['monitor', '--netns', 'a', '--netns-pid', '1'], '--netns-pid and --netns cannot be combined'],
    [['monitor', '--netns-pid', 'abc'], "--netns-pid takes a process id, got 'abc'"],
    [['monitor', '--colour'], "unknown option '--colour'"],
    [['list'], 'list takes exactly one kind'],
    [['list', 'tables'], "unknown kind 'tables'"],
  ]
  for (const [args, message] of cases) {
    const r = await runNode([cli, ...args])
    t.is(r.code, 2, args.join(' '))
    t.true(r.stderr.includes(message), `${args.join(' ')}: ${r.stderr}`)
  }
  const none = await runNode([cli])
  t.is(none.code, 2)
})

test('rtnl exits 1 with the error code when the namespace does not exist', async (t) => {
  const r = await runNode([cli, 'monitor', '--netns', `rtnl-missing-${process.pid}`])
  t.is(r.code, 1)
  t.regex(r.stderr, /open '\/run\/netns\/rtnl-missing-\d+' failed: ENOENT.*\[ENOENT\]/)
})
