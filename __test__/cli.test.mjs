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
    [['frobnicate'], "unknown command 'frobnicate'; expected monitor, list or apply"],
    [['monitor', 'routes'], "unknown object 'routes'; expected link, addr, route, mroute, rule, neigh, nexthop, netconf, nsid, prefix, nduseropt, stats, maddr, acaddr, tc, qdisc, class, filter, action, chain, mdb, vlan, all or everything"],
    [['monitor', '--netns'], '--netns needs a value'],
    [['monitor', '--netns', 'a', '--netns-pid', '1'], '--netns-pid and --netns cannot be combined'],
    [['monitor', '--netns-pid', 'abc'], "--netns-pid takes a process id, got 'abc'"],
    [['monitor', '--colour'], "unknown option '--colour'"],
    [['list'], 'list takes exactly one kind'],
    [['list', 'tables'], "unknown kind 'tables'"],
    // names of Object.prototype are not objects or kinds (they crashed with "KINDS[kind].list is not a function")
    [['list', 'toString'], "unknown kind 'toString'; expected links, addresses, routes, rules, neighbours, nexthops, nexthopBuckets, netconf, nsids, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb, linkStats or tcActions"],
    [['list', 'constructor'], "unknown kind 'constructor'"],
    [['list', '__proto__'], "unknown kind '__proto__'"],
    [['monitor', 'constructor'], "unknown object 'constructor'; expected link, addr, route, mroute, rule, neigh, nexthop, netconf, nsid, prefix, nduseropt, stats, maddr, acaddr, tc, qdisc, class, filter, action, chain, mdb, vlan, all or everything"],
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

test('usage errors of the new kinds and objects: exact messages, exit code 2, the usage after them', async (t) => {
  const OBJECTS = 'link, addr, route, mroute, rule, neigh, nexthop, netconf, nsid, prefix, nduseropt, stats, maddr, acaddr, tc, qdisc, class, filter, action, chain, mdb, vlan, all or everything'
  const KINDS = 'links, addresses, routes, rules, neighbours, nexthops, nexthopBuckets, netconf, nsids, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb, linkStats or tcActions'
  const FAMILY = 'addresses, routes, rules, neighbours, nexthops, nexthopBuckets or netconf'
  const DEV = 'addresses, routes, neighbours, nexthops, nexthopBuckets, netconf, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb or linkStats'
  const cases = [
    [['monitor', 'qdiscs'], `unknown object 'qdiscs'; expected ${OBJECTS}`, 'monitor'],
    [['monitor', 'tc', 'mdbs'], `unknown object 'mdbs'; expected ${OBJECTS}`, 'monitor'],
    [['list', 'qdisc'], `unknown kind 'qdisc'; expected ${KINDS}`, 'list'],
    [['list', 'tables'], `unknown kind 'tables'; expected ${KINDS}`, 'list'],
    [['list', 'prefixes'], 'prefixes cannot be listed: the kernel only sends them as events (rtnl monitor prefix)', 'list'],
    [['list', 'ndUserOptions'], 'ndUserOptions cannot be listed: the kernel only sends them as events (rtnl monitor nduseropt)', 'list'],
    [['list', 'nsids', '-4'], `-4 does not apply to nsids; it applies to ${FAMILY}`, 'list'],
    [['list', 'qdiscs', '-6'], `-6 does not apply to qdiscs; it applies to ${FAMILY}`, 'list'],
    [['list', 'rules', '--dev', 'lo'], `--dev does not apply to rules; it applies to ${DEV}`, 'list'],
    [['list', 'links', '--dev=lo'], `--dev does not apply to links; it applies to ${DEV}`, 'list'],
    [['list', 'qdiscs', '--dev'], '--dev needs a value', 'list'],
    [['list', 'qdiscs', '--dev', 'a0', '--dev', 'b0'], '--dev given twice', 'list'],
    [['list', 'mdb', '--table', '7'], '--table applies to routes only, not mdb', 'list'],
    [['monitor', 'tc', '--dev', 'lo'], "unknown option '--dev'", 'monitor'],
  ]
  for (const [args, message, command] of cases) {
    const r = await runNode([cli, ...args])
    t.is(r.code, 2, args.join(' '))
    const [first, blank, usage] = r.stderr.split('\n')
    t.is(first, `rtnl: ${message}`, args.join(' '))
    t.is(blank, '')
    t.is(usage, `usage: rtnl ${command} ${command === 'list' ? 'KIND' : '[OBJECT ...]'} [options]`)
  }
  // a link that is not there: a system error (1), as ip's "Cannot find device"
  const missing = await runNode([cli, 'list', 'qdiscs', '--dev', 'nosuch0'])
  t.is(missing.code, 1)
  t.is(missing.stderr, "rtnl: no link named 'nosuch0' in the namespace\n")
  // the help names every object and kind
  const monHelp = await runNode([cli, 'monitor', '--help'])
  for (const o of OBJECTS.replace(' or ', ', ').split(', ')) t.regex(monHelp.stdout, new RegExp(`^  ${o} +\\S`, 'm'), o)
  const listHelp = await runNode([cli, 'list', '--help'])
  t.true(listHelp.stdout.includes(`kinds: ${KINDS.replace(' or ', ', ')}`), listHelp.stdout)
  t.regex(listHelp.stdout, /--dev NAME/)
})

test('rtnl list prints every kind as ip, tc and bridge do; -4/-6 and --dev filter', async (t) => {
  const ns = makeNetns(t)
  const peer = makeNetns(t, 'rtnl-peer')
  const setup = [
    'link set lo up',
    'link add a0 type veth peer name b0',
    'link add br0 type bridge',
    'link set b0 master br0',
    'link set a0 up', 'link set b0 up', 'link set br0 up',
    'addr add 10.9.0.1/24 dev a0',
    '-6 addr add 2001:db8::1/64 dev a0 nodad',
    'nexthop add id 1 via 10.9.0.2 dev a0',
    'nexthop add id 2 via 10.9.0.3 dev a0 onlink',
    'nexthop add id 3 blackhole',
    'nexthop add id 4 group 1/2,3',
    'nexthop add id 5 via 2001:db8::2 dev a0',
    'nexthop add id 6 group 1/2 type resilient buckets 4',
    'nexthop add id 7 dev a0 protocol static',
    `netns set ${peer} 5`,
  ]
  for (const line of setup) ip(ns, ...line.split(' '))
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.a0.forwarding=1', 'net.ipv4.conf.a0.rp_filter=2'])
  for (const c of [
    'qdisc add dev a0 root handle 1: htb default 10',
    'class add dev a0 parent 1: classid 1:10 htb rate 1mbit',
    'filter add dev a0 parent 1: protocol ip prio 1 u32 match ip dst 10.0.0.0/24 flowid 1:10',
  ]) execFileSync('tc', ['-n', ns, ...c.split(' ')])
  execFileSync('bridge', ['-n', ns, 'mdb', 'add', 'dev', 'br0', 'port', 'b0', 'grp', '239.1.1.1', 'permanent', 'vid', '3'])
  const list = async (...args) => {
    const r = await runNode([cli, 'list', ...args, '-n', ns])
    t.is(r.code, 0, `${args.join(' ')}: ${r.stderr}`)
    return r.stdout.split('\n').filter(Boolean)
  }
  // what the tools print, trailing blanks dropped, continuation lines joined
  const tool = (cmd, ...args) =>
    execFileSync(cmd, ['-n', ns, ...args], { encoding: 'utf8' }).replace(/ *\n +/g, ' ').split('\n').map((l) => l.trimEnd()).filter(Boolean)

  t.deepEqual(await list('nexthops'), tool('ip', 'nexthop', 'show'))
  t.deepEqual(await list('nexthops', '-6'), ['id 5 via 2001:db8::2 dev a0 scope link'])
  t.deepEqual(await list('nexthops', '--dev', 'a0', '-4'), [
    'id 1 via 10.9.0.2 dev a0 scope link',
    'id 2 via 10.9.0.3 dev a0 scope link onlink',
    'id 7 dev a0 scope host proto static',
  ])
  const buckets = await list('nexthopBuckets')
  t.is(buckets.length, 4)
  for (const [i, line] of buckets.entries()) t.regex(line, new RegExp(`^id 6 index ${i} idle_time [0-9.]+ nhid [12]$`))
  t.deepEqual(await list('netconf', '-4', '--dev', 'a0'), ['inet a0 forwarding on rp_filter loose mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off bc_forwarding off'])
  // ip's words, and bc_forwarding (ip 6.1 leaves it out)
  t.deepEqual((await list('netconf')).map((l) => l.replace(/ bc_forwarding o(n|ff)$/, '')), tool('ip', 'netconf', 'show'))
  t.deepEqual(await list('nsids'), [`nsid 5 (iproute2 netns name: ${peer})`])
  t.deepEqual(await list('qdiscs', '--dev', 'a0'), tool('tc', 'qdisc', 'show').filter((l) => l.includes(' dev a0 ')))
  t.regex((await list('qdiscs', '--dev', 'a0'))[0], /^qdisc htb 1: dev a0 root refcnt \d+ r2q 10 default 0x10 direct_packets_stat 0 direct_qlen 1000$/)
  t.deepEqual(await list('tcClasses'), ['class htb 1:10 dev a0 root prio 0 rate 1Mbit ceil 1Mbit burst 1600b cburst 1600b'])
  t.deepEqual(await list('tcFilters', '--dev', 'a0'), [
    'filter dev a0 parent 1: protocol ip pref 1 u32 chain 0',
    'filter dev a0 parent 1: protocol ip pref 1 u32 chain 0 fh 800: ht divisor 1',
    'filter dev a0 parent 1: protocol ip pref 1 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 *flowid 1:10 not_in_hw match 0a000000/ffffff00 at 16',
  ])
  t.deepEqual((await list('tcFilters')).map((l) => l.replace('dev a0 ', '')), tool('tc', 'filter', 'show', 'dev', 'a0'))
  t.deepEqual(await list('tcChains'), ['chain dev a0 parent 1: chain 0'])
  // (the bridge learns IPv6 groups from MLD as well: those come and go)
  const mine = (lines) => lines.filter((l) => l.includes(' grp 239.'))
  t.deepEqual(mine(await list('mdb', '--dev', 'br0')), ['dev br0 port b0 grp 239.1.1.1 permanent proto static vid 3'])
  t.deepEqual(mine(await list('mdb')).map((l) => l.replace(' proto static', '')), mine(tool('bridge', 'mdb', 'show')))
  t.deepEqual(await list('mdb', '--dev', 'a0'), [], 'a0 is no bridge')
  t.deepEqual(await list('bridgeVlans', '--dev', 'lo'), [])
  const stats = await list('linkStats', '--dev', 'a0')
  t.is(stats.length, 1)
  t.regex(stats[0], /^\d+: a0: l3_stats off used off link RX: bytes \d+ packets \d+ errors 0 dropped \d+ mcast \d+ TX: bytes \d+ packets \d+ errors 0 dropped \d+$/)
  // --json: the objects themselves
  const json = await runNode([cli, 'list', 'qdiscs', '--dev=a0', '-n', ns, '--json'])
  t.deepEqual(JSON.parse(json.stdout).map((q) => [q.kind, q.handleName]), [['htb', '1:']])
})

test('rtnl monitor OBJECT: tc objects (qdisc alone leaves classes out), nexthop, netconf, nsid, mdb, all, everything', async (t) => {
  const ns = makeNetns(t)
  const peer = makeNetns(t, 'rtnl-peer')
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  for (const l of ['a0', 'b0', 'br0']) ip(ns, 'link', 'set', l, 'up')
  ip(ns, 'link', 'set', 'b0', 'master', 'br0')
  const tc = (...args) => execFileSync('tc', ['-n', ns, ...args])
  /** Replaces lo's qdisc and a route until the monitor shows either: then it is surely subscribed. */
  const subscribed = async (mon) => {
    for (let i = 1; i < 50; i++) {
      tc('qdisc', 'replace', 'dev', 'lo', 'root', 'handle', '9:', 'pfifo', 'limit', String(i))
      ip(ns, 'route', 'replace', 'blackhole', '10.255.255.0/24', 'metric', String(i))
      try {
        await mon.waitFor(/\[QDISC\] new qdisc pfifo 9: dev lo root refcnt \d+ limit \d+p|\[ROUTE\] new blackhole 10\.255\.255\.0\/24/, 100)
        return
      } catch {}
    }
    throw new Error('the monitor never showed the marker')
  }
  const mon = startMonitor(t, ['qdisc', 'nexthop', 'netconf', 'nsid', 'mdb', '-n', ns])
  await subscribed(mon)
  tc('qdisc', 'add', 'dev', 'a0', 'root', 'handle', '1:', 'htb')
  tc('class', 'add', 'dev', 'a0', 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '2mbit')
  ip(ns, 'nexthop', 'add', 'id', '9', 'blackhole')
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv6.conf.a0.forwarding=1'])
  ip(ns, 'netns', 'set', peer, '12')
  execFileSync('bridge', ['-n', ns, 'mdb', 'add', 'dev', 'br0', 'port', 'b0', 'grp', '239.9.9.9', 'permanent'])
  tc('qdisc', 'del', 'dev', 'a0', 'root')
  await mon.waitFor('[QDISC] deleted qdisc htb 1: dev a0 root')
  const lines = mon.out().split('\n').filter((l) => !l.includes(' dev lo '))
  t.false(lines.some((l) => l.startsWith('[ROUTE]')), 'routes were not asked for')
  t.true(lines.includes('[QDISC] new qdisc htb 1: dev a0 root r2q 10 default 0 direct_packets_stat 0 direct_qlen 1000'), lines.join('\n'))
  t.true(lines.includes('[NEXTHOP] new id 9 blackhole'), lines.join('\n'))
  t.true(lines.includes('[NETCONF] new inet6 a0 forwarding on'), lines.join('\n'))
  t.true(lines.includes(`[NSID] new nsid 12 (iproute2 netns name: ${peer})`), lines.join('\n'))
  t.true(lines.includes('[MDB] new dev br0 port b0 grp 239.9.9.9 permanent proto static'), lines.join('\n'))
  t.false(lines.some((l) => l.startsWith('[CLASS]')), 'qdisc alone: no class lines')
  mon.child.kill('SIGINT')
  t.deepEqual(await mon.exited, { code: 0, signal: null })
  // all (ip monitor all's groups) and everything (every group) subscribe
  for (const objects of [['all'], ['everything'], ['tc', 'vlan', 'prefix', 'nduseropt', 'stats', 'maddr', 'acaddr', 'mroute']]) {
    const m = startMonitor(t, [...objects, '-n', ns])
    await subscribed(m)
    m.child.kill('SIGINT')
    t.deepEqual(await m.exited, { code: 0, signal: null }, objects.join(' '))
  }
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

test('rtnl list and rtnl monitor print the link alias, as ip link show does (before the altnames)', async (t) => {
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  ip(ns, 'link', 'set', 'v0', 'alias', 'uplink to rack 7')
  ip(ns, 'link', 'property', 'add', 'dev', 'v0', 'altname', 'vee0')
  t.regex(ip(ns, 'link', 'show', 'v0'), /^ {4}alias uplink to rack 7$/m, 'ip prints it')
  const list = await runNode([cli, 'list', 'links', '-n', ns])
  t.is(list.code, 0, list.stderr)
  t.regex(list.stdout, /^\d+: v0@v1: <[A-Z_,-]+> mtu 1500 qdisc \w+ state DOWN group default link\/ether [0-9a-f:]{17} brd ff:ff:ff:ff:ff:ff alias uplink to rack 7 altname vee0 kind veth$/m)
  t.notRegex(list.stdout, /^\d+: v1@v0: .*alias/m, 'no alias where there is none')
  const mon = startMonitor(t, ['link', 'route', '--netns', ns])
  await untilSubscribed(ns, mon, /\[ROUTE\] new blackhole 10\.255\.255\.0\/24/)
  // setting an alias sends no event; the next change of the link carries it
  ip(ns, 'link', 'set', 'v1', 'alias', 'the other end')
  ip(ns, 'link', 'set', 'v1', 'mtu', '1400')
  await mon.waitFor(/^\[LINK\] new \d+: v1@v0: .* mtu 1400 .* alias the other end kind veth$/m)
  mon.child.kill('SIGINT')
  t.is((await mon.exited).code, 0)
})

test('every invisible or format character prints escaped (U+200B as U+202E), printable text as it is', async (t) => {
  // Cf (format: bidi controls, zero width space and joiners, BOM, soft hyphen, word joiner), Zl, Zp,
  // spaces other than U+0020 (Zs), private use (Co), unassigned (Cn), other default-ignorables
  const cases = [
    ['\u200b', '\\xe2\\x80\\x8b'],
    ['\u202e', '\\xe2\\x80\\xae'],
    ['\u200d', '\\xe2\\x80\\x8d'],
    ['\ufeff', '\\xef\\xbb\\xbf'],
    ['\u00ad', '\\xc2\\xad'],
    ['\u2060', '\\xe2\\x81\\xa0'],
    ['\u2028', '\\xe2\\x80\\xa8'],
    ['\u2029', '\\xe2\\x80\\xa9'],
    ['\u00a0', '\\xc2\\xa0'],
    ['\u3000', '\\xe3\\x80\\x80'],
    ['\ue000', '\\xee\\x80\\x80'],
    ['\u0378', '\\xcd\\xb8'],
    ['\ufe0f', '\\xef\\xb8\\x8f'],
    ['\u{e0041}', '\\xf3\\xa0\\x81\\x81'],
    ['\u3164', '\\xe3\\x85\\xa4'],
  ]
  for (const [ch, want] of cases) t.is(escapeText(`a${ch}b`), `a${want}b`, `U+${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
  t.is(escapeText('a b é ✓ 名前 ☃'), 'a b é ✓ 名前 ☃', 'printable text, U+0020 included, stays')
  // from the kernel: an alias with U+200B, U+202E and U+00A0, escaped in text and raw in JSON
  const ns = makeNetns(t)
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  const alias = 'a\u200bb\u202ec\u00a0d'
  ip(ns, 'link', 'set', 'v0', 'alias', alias)
  const text = await runNode([cli, 'list', 'links', '-n', ns])
  t.is(text.code, 0, text.stderr)
  t.regex(text.stdout, / alias a\\xe2\\x80\\x8bb\\xe2\\x80\\xaec\\xc2\\xa0d kind veth$/m)
  t.false(/[\u200b\u202e\u00a0]/.test(text.stdout), 'none reaches the terminal raw')
  const json = await runNode([cli, 'list', 'links', '-n', ns, '--json'])
  t.is(JSON.parse(json.stdout).find((l) => l.name === 'v0').ifalias, alias)
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

test('createPrinter(): [UNKNOWN] shows the type name and bytes; tc units (rate64, sizes, times); the event-only kinds', (t) => {
  const printer = createPrinter()
  const ev = (op, resource, extra = {}) => printer.format({ type: 'event', op, resource, receivedAt: 0, receivedAtNs: '0', ...extra })
  t.is(
    printer.format({ type: 'event', op: 'unknown', rtmType: 48, typeName: 'RTM_NEWACTION', payload: '0000000014000100', resource: null, receivedAt: 0, receivedAtNs: '0' }),
    '[UNKNOWN] RTM_NEWACTION (nlmsg_type 48) payload 0000000014000100',
  )
  t.is(
    printer.format({ type: 'event', op: 'unknown', rtmType: 106, typeName: 'RTM_106', payload: 'ff', error: 'short\nheader', resource: null, receivedAt: 0, receivedAtNs: '0' }),
    '[UNKNOWN] RTM_106 (nlmsg_type 106): short\\x0aheader payload ff',
  )
  // an htb class over 2^32-1 bytes/s: the rate from rate64, the burst from the psched ticks
  const spec = (rate) => ({ cellLog: 0, linklayer: 1, linklayerName: 'ethernet', overhead: 0, cellAlign: 0, mpu: 0, rate })
  const cls = {
    object: 'class', family: 0, ifindex: 99, handle: 0x10001, handleName: '1:1', parent: 0xffffffff, parentName: 'root', info: 0, kind: 'htb',
    options: { parms: { rate: spec(0xffffffff), ceil: spec(0xffffffff), buffer: 15625, cbuffer: 15625, quantum: 200000, level: 0, prio: 0 }, rate64: 1.25e9, ceil64: 5e9 },
  }
  t.is(ev('new_class', cls), '[CLASS] new class htb 1:1 dev if99 root prio 0 rate 10Gbit ceil 40Gbit burst 1250000b cburst 5000000b')
  t.is(ev('del_class', cls).split(' ').slice(0, 3).join(' '), '[CLASS] deleted class')
  const chain = { object: 'chain', family: 0, ifindex: -1, handle: 0, parent: 7, parentName: ':7', info: 0, chain: 3 }
  t.is(ev('new_chain', chain, { nlmsgFlags: 0x400 }), '[CHAIN] replaced chain block 7 chain 3')
  t.is(ev('new_nsid', { family: 0, nsid: -1 }), '[NSID] new nsid unassigned')
  t.is(
    ev('new_prefix', { family: 10, ifindex: 99, prefixType: 3, prefixLen: 64, flags: 0xc0, flagNames: ['onlink', 'autoconf'], address: '2001:db8::', cacheinfo: { preferredTime: 604800, validTime: 2592000 } }),
    '[PREFIX] new prefix 2001:db8::/64 dev if99 onlink autoconf valid 2592000 preferred 604800',
  )
  const ra = { family: 10, ifindex: 99, icmpType: 134, icmpCode: 0, optionsHex: '', srcaddr: 'fe80::1' }
  t.is(ev('new_nduseropt', { ...ra, options: [{ type: 25, typeName: 'rdnss', lifetime: 600, servers: ['2001:db8::53', '2001:db8::54'] }] }), '[NDUSEROPT] new dev if99 from fe80::1 rdnss 2001:db8::53 2001:db8::54 lifetime 600')
  t.is(ev('new_nduseropt', { ...ra, options: [{ type: 31, typeName: 'dnssl', lifetime: 60, domains: ['a.example', 'b\x1b.example'] }] }), '[NDUSEROPT] new dev if99 from fe80::1 dnssl a.example b\\x1b.example lifetime 60')
  t.is(ev('new_nduseropt', { ...ra, options: [{ type: 14, data: 'abcd' }] }), '[NDUSEROPT] new dev if99 from fe80::1 option 14 data abcd')
  t.is(ev('new_stats', { family: 0, ifindex: 99, filterMask: 8, offloadXstats: { hwStatsInfo: { l3Stats: { request: 1, used: 0 } } } }), '[STATS] new 99: if99: l3_stats on used off')
  t.is(printer.text('nexthopBucket', { family: 0, scope: 0, scopeName: 'global', protocol: 0, protocolName: 'unspec', flags: 0, flagNames: [], id: 6, bucket: { index: 2, idleTime: 12345, nhId: 1 } }), 'id 6 index 2 idle_time 123.45 nhid 1')
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
