// The `rtnl` command: monitor (text and JSON), list, help, bad arguments and exit codes,
// names from the kernel when an event comes first, escaping, and a reader that goes away.
// Token-by-token agreement with `ip monitor` is in cli-parity.test.mjs, backpressure in
// cli-backpressure.test.mjs.
import test from 'ava'
import { spawn, execFileSync } from 'node:child_process'
import { openSync, closeSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createPrinter, escapeText } from 'rtnl'
import { makeNetns, ip, ipBatch, runNode } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const example = fileURLToPath(new URL('../examples/monitor.mjs', import.meta.url))

/** Starts `rtnl monitor ...`, waits for its subscription (its first event), returns helpers. */
function startMonitor(t, args, script = [cli, 'monitor']) {
  const child = spawn(process.execPath, [...script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
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
        const m = typeof re === 'string' ? (out.includes(re) ? [re] : null) : out.match(re)
        if (m) {
          clearInterval(poll)
          resolve(m)
        } else if (Date.now() > deadline) {
          clearInterval(poll)
          reject(new Error(`no ${re} in: ${out} ${err}`))
        }
      }, 20)
    })
  return { child, exited, waitFor, out: () => out, err: () => err }
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
  t.regex(mon.out(), /\[LINK\] new \d+: a0@b0: <[A-Z_,-]+> mtu 1500 qdisc \w+ state \w+ group default link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff kind veth/)
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
  t.regex(monHelp.stdout, /-n, --netns NAME/)
  t.regex(monHelp.stdout, /-j, --json/)
  const listHelp = await runNode([cli, 'list', '-h'])
  t.regex(listHelp.stdout, /-n, --netns NAME/)
  t.regex(listHelp.stdout, /-4, -6/)
  t.regex(listHelp.stdout, /--table TABLE/)
  const cases = [
    [['frobnicate'], "unknown command 'frobnicate'; expected monitor or list"],
    [['monitor', 'routes'], "unknown object 'routes'; expected link, addr, route, rule or neigh"],
    [['monitor', '--netns'], '--netns needs a value'],
    [['monitor', '--netns', 'a', '--netns-pid', '1'], '--netns-pid and --netns cannot be combined'],
    [['monitor', '--netns-pid', 'abc'], "--netns-pid takes a process id, got 'abc'"],
    [['monitor', '--colour'], "unknown option '--colour'"],
    [['list'], 'list takes exactly one kind'],
    [['list', 'tables'], "unknown kind 'tables'"],
    // names of Object.prototype are not objects or kinds (they crashed with "KINDS[kind].list is not a function")
    [['list', 'toString'], "unknown kind 'toString'; expected links, addresses, routes, rules or neighbours"],
    [['list', 'constructor'], "unknown kind 'constructor'"],
    [['list', '__proto__'], "unknown kind '__proto__'"],
    [['monitor', 'constructor'], "unknown object 'constructor'; expected link, addr, route, rule or neigh"],
    [['monitor', 'hasOwnProperty'], "unknown object 'hasOwnProperty'"],
    [['monitor', '__proto__'], "unknown object '__proto__'"],
    // --option=VALUE, and the options of list
    [['monitor', '--netns='], '--netns needs a value'],
    [['monitor', '--json=yes'], '--json takes no value'],
    [['monitor', '--netns-pid=abc'], "--netns-pid takes a process id, got 'abc'"],
    [['monitor', '--netns=a', '-n', 'b'], '-n and --netns cannot be combined'],
    [['monitor', '-4'], "unknown option '-4'"],
    [['monitor', '--table=7'], "unknown option '--table=7'"],
    [['list', 'links', '-4'], '-4 does not apply to links'],
    [['list', 'routes', '-4', '-6'], '-4 and -6 cannot be combined'],
    [['list', 'rules', '--table', '7'], '--table applies to routes only, not rules'],
    [['list', 'routes', '--table', 'bogus'], "--table takes main, local, default or a number from 1 to 4294967295, got 'bogus'"],
    [['list', 'routes', '--table=0'], "got '0'"],
    [['list', 'routes', '--table=4294967296'], "got '4294967296'"],
    [['list', 'routes', '--table'], '--table needs a value'],
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

test('--netns=NAME, --netns-path=P and --netns-pid=N select the namespace; list -4/-6 and --table N|NAME filter', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'route', 'add', 'blackhole', '10.7.0.0/16', 'table', '7')
  ip(ns, '-6', 'route', 'add', 'blackhole', '2001:db8:7::/64', 'table', '7')
  ip(ns, 'route', 'add', 'blackhole', '10.8.0.0/16')
  ip(ns, '-6', 'rule', 'add', 'pref', '77', 'table', '7')
  const list = async (...args) => {
    const r = await runNode([cli, 'list', ...args])
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    return r.stdout.trim().split('\n')
  }
  t.deepEqual(await list('routes', `--netns=${ns}`, '-6', '--table', '7'), ['blackhole 2001:db8:7::/64 dev lo table 7 proto boot metric 1024 pref medium'])
  t.deepEqual(await list('routes', `--netns-path=/run/netns/${ns}`, '-4', '--table=7'), ['blackhole 10.7.0.0/16 table 7 proto boot'])
  t.deepEqual(await list('routes', '-n', ns, '-4', '--table=main'), ['blackhole 10.8.0.0/16 table main proto boot'])
  const local = await list('routes', '-n', ns, '-4', '--table', 'local')
  t.true(local.includes('local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1'), local.join('\n'))
  t.true(local.every((l) => l.includes(' table local ')), local.join('\n'))
  const rules6 = await list('rules', '-n', ns, '-6')
  t.true(rules6.includes('inet6 77: from all lookup 7'), rules6.join('\n'))
  t.true(rules6.every((l) => l.startsWith('inet6 ')), 'no IPv4 rule with -6')
  const addrs4 = await list('addresses', '-n', ns, '-4')
  t.deepEqual(addrs4, ['1: lo inet 127.0.0.1/8 scope host label lo valid_lft forever preferred_lft forever'])
  // --netns-pid=N: the namespace of a process in it
  const sleeper = spawn('ip', ['netns', 'exec', ns, 'sleep', '30'], { stdio: 'ignore' })
  t.teardown(() => sleeper.kill('SIGKILL'))
  const inNs = () => {
    try {
      return execFileSync('readlink', [`/proc/${sleeper.pid}/ns/net`], { encoding: 'utf8' }) === execFileSync('ip', ['netns', 'exec', ns, 'readlink', '/proc/self/ns/net'], { encoding: 'utf8' })
    } catch {
      return false
    }
  }
  for (let i = 0; i < 100 && !inNs(); i++) await new Promise((r) => setTimeout(r, 20))
  t.deepEqual((await list('links', `--netns-pid=${sleeper.pid}`)).map((l) => l.split(' ')[1]), ['lo:'])
})

test('an fdb event that arrives before its link names the link (links.get), with no link events watched', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'm0', 'type', 'veth', 'peer', 'name', 'm1')
  const mon = startMonitor(t, ['neigh', `--netns=${ns}`])
  for (let i = 1; ; i++) {
    ip(ns, 'neigh', 'replace', '10.255.0.1', 'lladdr', `02:00:00:00:ff:${String(i % 100).padStart(2, '0')}`, 'dev', 'm0', 'nud', 'permanent')
    try {
      await mon.waitFor(/\[NEIGH\] new 10\.255\.0\.1 dev m0 lladdr/, 100)
      break
    } catch (err) {
      if (i > 50) throw err
    }
  }
  // A new bridge's own fdb entry comes before the bridge's link event, and link events are not watched at all.
  ip(ns, 'link', 'add', 'br9', 'type', 'bridge')
  const [line] = await mon.waitFor(/\[NEIGH\] new fdb [0-9a-f:]{17} dev \S+ master \S+ permanent/)
  t.regex(line, / dev br9 master br9 permanent$/)
  t.notRegex(mon.out(), /\bif\d+\b/, 'no ifN where the link exists')
})

test('examples/monitor.mjs prints what rtnl monitor prints: names, not numbers (dev a0, table local)', async (t) => {
  const ns = makeNetns(t)
  const mon = startMonitor(t, ['--netns', ns])
  await untilSubscribed(ns, mon, /\[ROUTE\] new blackhole 10\.255\.255\.0\/24/)
  const ex = startMonitor(t, [ns], [example])
  // "watching ..." on stderr once it has subscribed and read the link names
  for (let i = 0; !ex.err().includes('watching'); i++) {
    if (i > 250) throw new Error(`the example never started: ${ex.err()}`)
    await new Promise((r) => setTimeout(r, 20))
  }
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'addr', 'add', '10.9.0.1/24', 'dev', 'a0')
  const want = '[ROUTE] new local 10.9.0.1 dev a0 table local proto kernel scope host src 10.9.0.1'
  await mon.waitFor(want)
  await ex.waitFor(want)
  const lines = (o) => o.split('\n').filter((l) => /^\[(LINK|ADDR|ROUTE)\] /.test(l) && !l.includes('10.255.255.0'))
  t.deepEqual(lines(ex.out()), lines(mon.out()), 'the same lines, from the same printer')
  t.true(lines(ex.out()).some((l) => /^\[ADDR\] new \d+: a0 inet 10\.9\.0\.1\/24 scope global label a0/.test(l)), ex.out())
  ex.child.kill('SIGINT')
  t.is((await ex.exited).code, 0)
})

test('names are escaped in text (control characters, bytes that are not UTF-8) and raw in JSON', async (t) => {
  const ns = makeNetns(t)
  // bash's $'...' makes the raw bytes: ESC [ 3 1 m in one name, 0xff and 0x01 in the other
  execFileSync('bash', ['-c', `ip -n ${ns} link add name $'e\\x1b[31m' type veth peer name $'p\\xff\\x01'`])
  const text = await runNode([cli, 'list', 'links', '-n', ns])
  t.is(text.code, 0, text.stderr)
  t.false(/[\x00-\x08\x0b-\x1f\x7f]/.test(text.stdout), 'no raw control character reaches the terminal')
  t.regex(text.stdout, /: e\\x1b\[31m@p(\\xff|\ufffd)\\x01: </, 'ESC and 0x01 as \\xNN; 0xff as \\xff once names reach JS losslessly')
  const json = await runNode([cli, 'list', 'links', '-n', ns, '--json'])
  const names = JSON.parse(json.stdout).map((l) => l.name)
  t.true(names.includes('e\x1b[31m'), 'JSON carries the name itself')
  t.true(json.stdout.includes('"e\\u001b[31m"'), 'as JSON escapes it')
})

test('createPrinter().format escapes a lone surrogate U+DC80+byte as that byte, control characters as \\xNN, a backslash as \\\\', (t) => {
  const printer = createPrinter()
  const link = { family: 0, type: 1, index: 5, flags: 0x1003, flagNames: [], change: 0, name: 'p\udcff\x01\u009b\\x', mtu: 1500, operstate: 'DOWN' }
  const line = printer.format({ type: 'event', op: 'new_link', resource: link, receivedAt: 0, receivedAtNs: '0' })
  t.is(line, '[LINK] new 5: p\\xff\\x01\\xc2\\x9b\\\\x: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500 state DOWN link/ether')
  // the cache learned it: other kinds name the link the same way
  const addr = { family: 2, prefixlen: 24, flags: 0x80, flagNames: ['permanent'], scope: 0, scopeName: 'global', index: 5, address: '10.1.0.1', local: '10.1.0.1', label: 'p\udcff\x01' }
  t.is(printer.format({ type: 'event', op: 'new_addr', resource: addr, receivedAt: 0, receivedAtNs: '0' }), '[ADDR] new 5: p\\xff\\x01\\xc2\\x9b\\\\x inet 10.1.0.1/24 scope global label p\\xff\\x01')
  t.is(escapeText('plain-name_0.1'), 'plain-name_0.1')
  t.is(escapeText('a\u202eb\u2028'), 'a\\xe2\\x80\\xaeb\\xe2\\x80\\xa8', 'bidi override and line separator')
  t.is(escapeText('\ud800'), '\\ud800', 'a lone surrogate outside U+DC80..U+DCFF')
  t.is(escapeText('é✓'), 'é✓', 'printable non-ASCII stays')
})

test('a reader that goes away ends rtnl quietly with 0: list routes | head -2, monitor | head -1', async (t) => {
  const ns = makeNetns(t)
  // about 1 MB of text: far more than a pipe holds, so the reader leaves mid-write
  ipBatch(ns, Array.from({ length: 20000 }, (_, i) => `route add blackhole 10.${1 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`))
  const head = (args, lines, poke) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
      t.teardown(() => child.kill('SIGKILL'))
      let out = ''
      let err = ''
      // events for a monitor to print, before and after the reader leaves
      const timer = poke && setInterval(poke, 50)
      child.stderr.on('data', (d) => (err += d))
      child.stdout.on('data', (d) => {
        out += d
        if (out.split('\n').length > lines) child.stdout.destroy() // what head does after its lines: close the pipe
      })
      const deadline = setTimeout(() => reject(new Error(`rtnl ${args.join(' ')} did not exit; stderr: ${err}`)), 15000)
      child.on('exit', (code, signal) => {
        clearTimeout(deadline)
        clearInterval(timer)
        resolve({ code, signal, err, out })
      })
    })
  const list = await head(['list', 'routes', '-n', ns], 2)
  t.deepEqual([list.code, list.signal, list.err], [0, null, ''])
  let n = 0
  const mon = await head(['monitor', 'route', '-n', ns], 1, () => ip(ns, 'route', 'replace', 'blackhole', '10.250.0.0/16', 'metric', String(++n)))
  t.deepEqual([mon.code, mon.signal, mon.err], [0, null, ''])
})

test('a write to stdout that fails for another reason (a full disk) exits 1 and says why', async (t) => {
  const full = openSync('/dev/full', 'w')
  t.teardown(() => closeSync(full))
  const child = spawn(process.execPath, [cli, 'list', 'links'], { stdio: ['ignore', full, 'pipe'] })
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const code = await new Promise((resolve) => child.on('close', resolve))
  t.is(code, 1)
  t.regex(err, /^rtnl: writing to stdout failed: ENOSPC/)
})
