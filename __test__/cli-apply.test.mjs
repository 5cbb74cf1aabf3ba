// `rtnl apply`: stdin, the checks of a dry run against those of a real run,
// every change printed before a failure (exit 1), the summary of what was
// done, files that are not regular files, lines in the words of `rtnl list`,
// and Ctrl-C in the middle of a batch. Against the kernel, in throwaway
// namespaces, through dist/cli.js.
import test from 'ava'
import { spawn, execFileSync } from 'node:child_process'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { links, routes, subscribe, RTNLGRP } from 'rtnl'
import { ip, runNode, vethHost } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))

const setUp = (t) => vethHost(t, 'rtnl-apply')

/** A file in a directory deleted after the test. */
function tempFile(t, name, content) {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-apply-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, name)
  if (content !== undefined) writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
  return file
}

const lines = (text) => text.split('\n').filter((l) => l !== '')
const inTable = async (netns, table) => (await routes.list({ netns, table })).map((r) => `${r.typeName} ${r.dst}/${r.dstLen}`).sort()
const USAGE_LINE = 'usage: rtnl apply FILE.json [options]   (FILE - reads stdin)'

test('apply - reads stdin', async (t) => {
  const { ns, netns } = await setUp(t)
  const ops = { ops: [{ kind: 'routes', verb: 'add', object: { dst: '10.40.0.0', dstLen: 16, type: 6, table: 100 } }] }
  const r = await runNode([cli, 'apply', '-', '-n', ns], { input: JSON.stringify(ops) })
  t.is(r.code, 0, r.stderr)
  t.deepEqual(lines(r.stdout), ['add route blackhole 10.40.0.0/16 table 100 proto boot', '1 change: 1 made, 0 failed'])
  t.deepEqual(await inTable(netns, 100), ['blackhole 10.40.0.0/16'])
  // an empty stdin is not JSON: a usage error, naming stdin
  const empty = await runNode([cli, 'apply', '-', '-n', ns], { input: '' })
  t.is(empty.code, 2)
  t.deepEqual(empty.stderr.split('\n').slice(0, 3), ['rtnl: stdin is not JSON: Unexpected end of JSON input', '', USAGE_LINE])
})

test('apply usage: its help, a missing or second file, an unknown option (exit 2)', async (t) => {
  const help = await runNode([cli, 'apply', '--help'])
  t.is(help.code, 0)
  t.is(lines(help.stdout)[0], USAGE_LINE)
  t.true(help.stdout.includes('1 a change failed or was not sent, or a kind was refused after changes were made;'), help.stdout)
  t.true(help.stdout.includes('2 bad arguments, or a file refused before anything was sent'), help.stdout)
  for (const [args, message] of [
    [['apply'], 'apply takes exactly one file (- for stdin)'],
    [['apply', 'a.json', '-'], 'apply takes exactly one file (- for stdin)'],
    [['apply', '-', '--table', '7'], "unknown option '--table'"],
  ]) {
    const r = await runNode([cli, ...args])
    t.is(r.code, 2, args.join(' '))
    t.deepEqual(r.stderr.split('\n').slice(0, 3), [`rtnl: ${message}`, '', USAGE_LINE], args.join(' '))
  }
})

test('a dry run refuses what a real run refuses', async (t) => {
  const { ns, netns } = await setUp(t)
  const run = (file, dry) => runNode([cli, 'apply', file, '-n', ns, ...(dry ? ['--dry-run'] : [])])
  // The file as a whole: refused by both, before anything is sent, with the same error (exit 2).
  const KINDS = 'links, addresses, routes, rules, neighbours, nexthops, qdiscs, tcClasses, tcFilters, tcChains'
  const wholeFile = [
    [{ ops: [{ kind: 'bogus', verb: 'explode', object: {} }] }, `rtnl: batch: ops[0].kind must be one of ${KINDS}, got 'bogus' [ERR_INVALID_ARG_VALUE]`],
    [{ ops: 5 }, 'rtnl: batch: ops must be an array of { kind, verb, object }, got number 5 [ERR_INVALID_ARG_TYPE]'],
    [{ ops: [{ kind: 'routes', verb: 'explode', object: {} }] }, "rtnl: batch: ops[0].verb must be one of add, replace, append, del for routes, got 'explode' [ERR_INVALID_ARG_VALUE]"],
    [{ ops: [{ kind: 'routes', verb: 'add', object: 7 }] }, 'rtnl: batch: ops[0].object must be a routes object as list() returns it, got number 7 [ERR_INVALID_ARG_TYPE]'],
    // JSON.parse makes `__proto__` an own key: an unknown key of the op
    [
      '{"ops":[{"kind":"routes","verb":"add","object":{"dst":"10.1.0.0","dstLen":16,"type":6},"__proto__":{}}]}',
      "rtnl: batch: ops[0] has an unknown key '__proto__'; an op is { kind, verb, object } (netns, signal and the like are options of the whole batch) [ERR_INVALID_ARG_VALUE]",
    ],
    [
      { routes: { scope: { table: 100 }, desired: [{ dst: '10.1.0.0', dstLen: 33, type: 6 }] } },
      'rtnl: routes: reconcile: nothing was sent: change 0 (add of routes) is invalid: routes.add: dstLen must be an integer from 0 to 32, got 33 [ERR_OUT_OF_RANGE]',
    ],
  ]
  for (const [content, message] of wholeFile) {
    const file = tempFile(t, 'whole.json', content)
    for (const dry of [true, false]) {
      const r = await run(file, dry)
      t.is(r.code, 2, `${JSON.stringify(content)} dry=${dry}: ${r.stderr}`)
      t.is(r.stderr.split('\n')[0], message, `dry=${dry}`)
      t.is(r.stdout, '', `dry=${dry}: nothing printed as done`)
    }
  }
  // a mistake in the last kind of a file: its first kind is not applied either
  const lastKind = tempFile(t, 'last.json', { routes: { scope: { table: 100 }, desired: [{ dst: '10.1.0.0', dstLen: 16, type: 6 }] }, mdb: { scope: {}, desired: [] } })
  for (const dry of [true, false]) {
    const r = await run(lastKind, dry)
    t.is(r.code, 2)
    t.is(r.stderr.split('\n')[0], `rtnl: ${lastKind}: unknown kind 'mdb'; expected routes, addresses, neighbours, rules, nexthops, qdiscs, tcClasses or links, or "ops"`)
    t.is(r.stdout, '')
  }
  t.deepEqual(await inTable(netns, 100), [], 'nothing was made')
  // One op that does not encode among good ones: a real batch refuses it alone and makes the others;
  // the dry run names it with the same error. Exit 1 both.
  const DSTLEN = 'routes.add: dstLen must be an integer from 0 to 32, got 33 [ERR_OUT_OF_RANGE]'
  const PROTO = "routes.add: unknown field '__proto__'"
  const file = tempFile(
    t,
    'ops.json',
    '{"ops":[{"kind":"routes","verb":"add","object":{"dst":"10.41.0.0","dstLen":16,"type":6,"table":100}},' +
      '{"kind":"routes","verb":"add","object":{"dst":"10.42.0.0","dstLen":33,"type":6,"table":100}},' +
      '{"kind":"routes","verb":"add","object":{"dst":"10.43.0.0","dstLen":16,"type":7,"table":100,"__proto__":{"x":1}}},' +
      '{"kind":"routes","verb":"add","object":{"dst":"10.44.0.0","dstLen":16,"type":8,"table":100}}]}',
  )
  const dry = await run(file, true)
  t.is(dry.code, 1, dry.stderr)
  const dryLines = lines(dry.stdout)
  t.deepEqual(dryLines.slice(0, 2), [
    '(dry run) add route blackhole 10.41.0.0/16 table 100 proto boot',
    `(dry run) add route blackhole 10.42.0.0/33 table 100 proto boot: FAILED: ${DSTLEN}`,
  ])
  t.true(dryLines[2].startsWith(`(dry run) add route unreachable 10.43.0.0/16 table 100 proto boot: FAILED: ${PROTO}`), dryLines[2])
  t.deepEqual(dryLines.slice(3), ['(dry run) add route prohibit 10.44.0.0/16 table 100 proto boot', '4 changes: 2 valid, 2 refused (dry run: nothing changed)'])
  t.deepEqual(await inTable(netns, 100), [], 'the dry run sent nothing')
  const real = await run(file, false)
  t.is(real.code, 1, real.stderr)
  const realLines = lines(real.stdout)
  t.deepEqual(
    realLines.slice(0, 3),
    dryLines.slice(0, 3).map((l) => l.replace('(dry run) ', '')),
    'the same changes refused, with the same errors',
  )
  t.deepEqual(realLines.slice(3), ['add route prohibit 10.44.0.0/16 table 100 proto boot', '4 changes: 2 made, 2 failed'])
  t.deepEqual(await inTable(netns, 100), ['blackhole 10.41.0.0/16', 'prohibit 10.44.0.0/16'])
})

test('apply prints every change made before a failure and exits 1', async (t) => {
  const { ns, netns, v0 } = await setUp(t)
  // routes are made, then the rules' scope is refused: the kinds after it are not applied
  const file = tempFile(t, 'state.json', {
    routes: { scope: { table: 100 }, desired: [{ dst: '10.100.3.0', dstLen: 24, type: 7 }, { dst: '10.100.4.0', dstLen: 24, gateway: '10.254.0.2', oif: v0 }] },
    rules: { scope: { bogus: 1 }, desired: [] },
    addresses: { scope: { index: v0, family: 4 }, desired: [] },
  })
  const RULES = "rules: reconcile: scope of rules: unknown option 'bogus'; expected one of family, table, protocol, priority [ERR_INVALID_ARG_VALUE]"
  const dry = await runNode([cli, 'apply', file, '-n', ns, '--dry-run'])
  t.is(dry.code, 1, 'the exit code the real run will have')
  t.deepEqual(lines(dry.stdout), [
    '(dry run) add route unreachable 10.100.3.0/24 table 100 proto boot',
    '(dry run) add route 10.100.4.0/24 via 10.254.0.2 dev v0 table 100 proto boot',
    'routes: 0 unchanged, 2 to add, 0 to replace, 0 to delete (dry run: nothing changed)',
    'rules: refused (dry run: nothing changed)',
    'addresses: not applied (rules was refused)',
  ])
  t.is(dry.stderr, `rtnl: ${RULES}\n`)
  // --json: the same, as one object
  const json = await runNode([cli, 'apply', file, '-n', ns, '--json', '--dry-run'])
  t.is(json.code, 1)
  const report = JSON.parse(json.stdout)
  t.deepEqual(report.routes, { unchanged: 0, add: 2, replace: 0, remove: 0, failed: 0, notSent: 0 })
  t.deepEqual(report.rules, { refused: { error: RULES.replace(/^rules: /, '').replace(/ \[ERR_INVALID_ARG_VALUE\]$/, ''), code: 'ERR_INVALID_ARG_VALUE' } })
  t.deepEqual(report.addresses, { notApplied: 'rules was refused' })
  t.deepEqual(report.lines, lines(dry.stdout))
  const real = await runNode([cli, 'apply', file, '-n', ns])
  t.is(real.code, 1)
  t.deepEqual(lines(real.stdout), [
    'add route unreachable 10.100.3.0/24 table 100 proto boot',
    'add route 10.100.4.0/24 via 10.254.0.2 dev v0 table 100 proto boot',
    'routes: 0 unchanged, 2 added, 0 replaced, 0 deleted, 0 failed',
    'rules: refused, nothing sent',
    'addresses: not applied (rules was refused)',
  ])
  t.is(real.stderr, `rtnl: ${RULES}\n`)
  t.deepEqual(await inTable(netns, 100), ['unicast 10.100.4.0/24', 'unreachable 10.100.3.0/24'])
  t.deepEqual(ip(ns, '-4', 'addr', 'show', 'dev', 'v0').match(/inet \S+/g), ['inet 10.254.0.1/16'], 'the addresses were not applied')
  // Again: the routes are in place, nothing is sent before the refusal, so the file is refused (exit 2)
  const again = await runNode([cli, 'apply', file, '-n', ns])
  t.is(again.code, 2)
  t.deepEqual(lines(again.stdout), ['routes: 2 unchanged, 0 added, 0 replaced, 0 deleted, 0 failed'])
  t.is(again.stderr, `rtnl: ${RULES}\n`)
})

test('the summary of apply counts what was done: made, failed, not sent', async (t) => {
  const { ns, netns, v0 } = await setUp(t)
  ip(ns, 'route', 'add', 'blackhole', '10.50.0.0/16', 'table', '100')
  // one route to delete, one to add, one the kernel refuses (its gateway is not on a link)
  const file = tempFile(t, 'state.json', {
    routes: { scope: { table: 100 }, desired: [{ dst: '10.51.0.0', dstLen: 16, gateway: '10.254.0.2', oif: v0 }, { dst: '10.52.0.0', dstLen: 16, gateway: '10.99.0.2' }] },
  })
  const real = await runNode([cli, 'apply', file, '-n', ns])
  t.is(real.code, 1)
  t.deepEqual(lines(real.stdout), [
    'del route blackhole 10.50.0.0/16 table 100 proto boot',
    'add route 10.51.0.0/16 via 10.254.0.2 dev v0 table 100 proto boot',
    'add route 10.52.0.0/16 via 10.99.0.2 table 100 proto boot: FAILED: adding route 10.52.0.0/16 table 100: the kernel answered ENETUNREACH (Network is unreachable): Nexthop has invalid gateway',
    'routes: 0 unchanged, 1 added, 0 replaced, 1 deleted, 1 failed',
  ])
  t.is(real.stderr, '')
  t.deepEqual(await inTable(netns, 100), ['unicast 10.51.0.0/16'])
  // --json: the counts and one result per change
  const json = await runNode([cli, 'apply', file, '-n', ns, '--json'])
  t.is(json.code, 1)
  const out = JSON.parse(json.stdout)
  t.deepEqual(out.routes, { unchanged: 1, add: 0, replace: 0, remove: 0, failed: 1, notSent: 0 })
  t.is(out.dryRun, false)
  t.deepEqual(out.lines, [
    'add route 10.52.0.0/16 via 10.99.0.2 table 100 proto boot: FAILED: adding route 10.52.0.0/16 table 100: the kernel answered ENETUNREACH (Network is unreachable): Nexthop has invalid gateway',
    'routes: 1 unchanged, 0 added, 0 replaced, 0 deleted, 1 failed',
  ])
  // a list of ops: made and failed, and each op's result in JSON
  const ops = tempFile(t, 'ops.json', {
    ops: [
      { kind: 'routes', verb: 'add', object: { dst: '10.53.0.0', dstLen: 16, type: 6, table: 100 } },
      { kind: 'routes', verb: 'add', object: { dst: '10.53.0.0', dstLen: 16, type: 6, table: 100 } },
    ],
  })
  const listed = await runNode([cli, 'apply', ops, '-n', ns, '-j'])
  t.is(listed.code, 1)
  const o = JSON.parse(listed.stdout)
  t.deepEqual(o.changes, { made: 1, failed: 1, notSent: 0 })
  t.deepEqual(
    o.ops.map((op) => op.result),
    ['ok', { error: 'adding route 10.53.0.0/16 table 100: the kernel answered EEXIST (File exists)', code: 'EEXIST' }],
  )
  t.is(o.lines.at(-1), '2 changes: 1 made, 1 failed')
})

test('apply refuses a FIFO (and a directory, a device) at once; a missing file is exit 1', async (t) => {
  const fifo = tempFile(t, 'state.fifo')
  execFileSync('mkfifo', [fifo])
  const dir = tempFile(t, 'dir')
  execFileSync('mkdir', [dir])
  for (const [file, what] of [
    [fifo, 'a FIFO'],
    [dir, 'a directory'],
    ['/dev/null', 'a character device'],
  ]) {
    // runNode's own deadline: a FIFO without a writer used to block for ever
    const r = await runNode([cli, 'apply', file, '--dry-run'], { timeout: 10000 })
    t.is(r.code, 2, file)
    t.deepEqual(r.stderr.split('\n').slice(0, 3), [`rtnl: ${file} is ${what}, not a regular file: give a file, or - to read stdin (... | rtnl apply -)`, '', USAGE_LINE])
  }
  const missing = tempFile(t, 'missing.json')
  const r = await runNode([cli, 'apply', missing])
  t.is(r.code, 1)
  t.is(r.stderr, `rtnl: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}' [ENOENT]\n`)
})

test('apply prints each change with the words rtnl list prints the object with', async (t) => {
  const { ns, v0 } = await setUp(t)
  ip(ns, 'route', 'add', 'unreachable', '10.100.3.0/24', 'table', '100', 'proto', 'static')
  ip(ns, 'route', 'add', '10.100.5.0/24', 'via', '10.254.0.2', 'dev', 'v0', 'table', '100', 'metric', '7')
  ip(ns, 'route', 'add', '10.100.6.0/24', 'dev', 'v0', 'table', '100', 'scope', 'link', 'src', '10.254.0.1')
  ip(ns, 'addr', 'add', '10.254.0.9/16', 'dev', 'v0')
  const listed = async (...args) => {
    const r = await runNode([cli, 'list', ...args, '-n', ns])
    t.is(r.code, 0, r.stderr)
    return lines(r.stdout)
  }
  const routeLines = await listed('routes', '--table', '100')
  t.is(routeLines.length, 3)
  const secondary = (await listed('addresses', '--dev', 'v0', '-4')).filter((l) => l.includes('10.254.0.9'))
  t.is(secondary.length, 1)
  const file = tempFile(t, 'state.json', {
    routes: { scope: { table: 100 }, desired: [{ dst: '10.100.4.0', dstLen: 24, type: 7 }] },
    addresses: { scope: { index: v0, family: 4 }, desired: [{ index: v0, local: '10.254.0.1', prefixlen: 16 }] },
  })
  const dry = await runNode([cli, 'apply', file, '-n', ns, '--dry-run'])
  t.is(dry.code, 0, dry.stderr)
  t.deepEqual(lines(dry.stdout), [
    ...routeLines.map((l) => `(dry run) del route ${l}`),
    // a desired route prints with its type and what the encoder fills in
    '(dry run) add route unreachable 10.100.4.0/24 table 100 proto boot',
    'routes: 0 unchanged, 1 to add, 0 to replace, 3 to delete (dry run: nothing changed)',
    ...secondary.map((l) => `(dry run) del address ${l}`),
    'addresses: 1 unchanged, 0 to add, 0 to replace, 1 to delete (dry run: nothing changed)',
  ])
})

test('Ctrl-C stops rtnl apply: it prints what was made and what was not sent, and exits 1', async (t) => {
  const { ns, netns } = await setUp(t)
  // enough that the kernel takes about a second: the SIGINT comes well before the end
  const N = 150000
  const ops = Array.from({ length: N }, (_, i) => ({ kind: 'routes', verb: 'add', object: { dst: `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`, dstLen: 32, type: 6, table: 200 } }))
  const file = tempFile(t, 'ops.json', { ops })
  // SIGINT as the first route arrives: the batch is under way
  const monitor = await subscribe({ netns, groups: [RTNLGRP.IPV4_ROUTE] })
  t.teardown(() => monitor.stop())
  const child = spawn(process.execPath, [cli, 'apply', file, '-n', ns], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += d))
  child.stderr.on('data', (d) => (stderr += d))
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })))
  for await (const msg of monitor) {
    if (msg.type === 'event' && msg.op === 'new_route' && msg.resource.table === 200) break
  }
  child.kill('SIGINT')
  t.deepEqual(await closed, { code: 1, signal: null }, stderr)
  const out = lines(stdout)
  const m = new RegExp(`^${N} changes: (\\d+) made, 0 failed, (\\d+) not sent$`).exec(out.at(-1))
  t.truthy(m, out.at(-1))
  const [made, notSent] = [Number(m[1]), Number(m[2])]
  t.is(made + notSent, N)
  t.true(made >= 1 && notSent >= 1, `${made} made, ${notSent} not sent`)
  t.is(out.filter((l) => l.endsWith(': NOT SENT')).length, notSent)
  t.is((await routes.list({ netns, table: 200 })).length, made, 'what it says was made is in the kernel')
})
