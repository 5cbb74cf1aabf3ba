// Bridge ports: the bridge family's (AF_BRIDGE) RTM_NEWLINK/DELLINK are a
// kind of their own. They never change `links` (on a bridge host every
// veth is a port: a join once replaced the link with the port's 13 keys,
// and `nomaster` arrived as del_link of a link that never went away), and
// watch() of both kinds equals a fresh list() through joins, leaves and
// flaps of 100 ports.
import test from 'ava'
import { spawn } from 'node:child_process'
import { watch, subscribe, links, bridgePorts } from 'rtnl'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'
import { needs } from './_features.mjs'

/** `ip -n NS -force -batch -`, asynchronously so the watch loop runs meanwhile. */
function ipBatchAsync(ns, lines) {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['-n', ns, '-force', '-batch', '-'], { stdio: ['pipe', 'ignore', 'ignore'] })
    child.on('error', reject)
    child.on('exit', resolve)
    child.stdin.end(lines.join('\n') + '\n')
  })
}

/** What moves by itself in a port's or bridge's options: STP timers, the multicast groups and hosts a port learnt (snooping), the MACs a bridge learnt. */
const moves = (key) => key.endsWith('Timer') || key === 'mcastNGroups' || key === 'mcastEhtHostsCnt' || key === 'fdbNLearned'

/** What watch() compares: without counters, the change mask, the event and what moves by itself. */
function settled(kind, o) {
  const c = structuredClone(o)
  if (kind === 'links') {
    delete c.stats64
    delete c.change
    delete c.event
    // IPv6 sets IF_RS_SENT when a router solicitation goes out, and tells no one
    if (c.afSpec?.inet6) delete c.afSpec.inet6.cacheinfo, delete c.afSpec.inet6.flags
    for (const d of [c.linkinfo?.data, c.linkinfo?.slaveData]) for (const key of Object.keys(d ?? {})) if (moves(key)) delete d[key]
  }
  if (kind === 'bridgePorts') for (const key of Object.keys(c.protinfo ?? {})) if (moves(key)) delete c.protinfo[key]
  return c
}

const byKey = (kind, entries) => [...entries].map(([k, o]) => [k, settled(kind, o)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
const listed = (kind, list) => byKey(kind, list.map((o) => [String(o.index), o]))

/**
 * Drives a watch() by hand, and brings it up to date with everything made
 * so far: a marker change (lo's MTU: an alias change sends no event) is
 * made after them, and snapshots
 * are taken until one holds it. Events are applied in order, so whatever
 * came before the marker is in that snapshot; and the generator stays
 * suspended at it while the test compares (a state read while a snapshot is
 * being made would be half-applied).
 */
function follow(it, ns) {
  const seen = { last: undefined, count: 0 }
  let marks = 0
  seen.caughtUp = async () => {
    const mark = 60000 + ++marks
    ip(ns, 'link', 'set', 'lo', 'mtu', String(mark))
    const until = Date.now() + 20000
    for (;;) {
      let timer
      const r = await Promise.race([it.next(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`watch() did not apply ${mark} within 20 s`)), until - Date.now())))])
      clearTimeout(timer)
      seen.last = r.value
      seen.count++
      if ([...seen.last.state.links.values()].find((l) => l.name === 'lo')?.mtu === mark) return
    }
  }
  return seen
}

needs('bridge')('a link joining and leaving a bridge stays one link: its events are new_bridge_port and del_bridge_port, never a del_link, and watch(links) reports it changed, not removed and added', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  ip(ns, 'link', 'add', 'br0', 'type', 'bridge')
  const v1 = (await links.list({ netns })).find((l) => l.name === 'v1')
  const monitor = await subscribe({ netns })
  const events = collect(monitor)
  const it = watch(['links'], { netns })
  const seen = follow(it, ns)
  await seen.caughtUp()

  ip(ns, 'link', 'set', 'v1', 'master', 'br0')
  const joined = await events.waitFor(isOp('new_bridge_port', (p) => p.index === v1.index), 5000, 'the join')
  t.is(joined.resource.family, 7)
  t.is(joined.resource.name, 'v1')
  await seen.caughtUp()
  const inWatch = seen.last.state.links.get(String(v1.index))
  t.is(inWatch.kind, 'veth', 'the link keeps its kind')
  t.is(inWatch.linkinfo?.kind, 'veth')
  t.deepEqual(byKey('links', seen.last.state.links), listed('links', await links.list({ netns })))

  const before = seen.count
  ip(ns, 'link', 'set', 'v1', 'nomaster')
  await events.waitFor(isOp('del_bridge_port', (p) => p.index === v1.index), 5000, 'the leave')
  await seen.caughtUp()
  t.true(seen.count > before)
  t.deepEqual(byKey('links', seen.last.state.links), listed('links', await links.list({ netns })))
  t.false(events.seen.some((m) => m.op === 'del_link'), 'no link went away')
  t.false(events.seen.some((m) => m.op === 'new_link' && m.resource.family !== 0), 'every new_link is the link itself (family 0)')
  await it.return()
  await monitor.stop()
})

const PORTS = 100

needs('bridge')(`watch(['links', 'bridgePorts']) equals a fresh links.list() and bridgePorts.list() after every snapshot through joins, flaps and leaves of ${PORTS} ports`, async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const setup = ['link add br0 type bridge', 'link set br0 up']
  for (let i = 0; i < PORTS; i++) setup.push(`link add p${i} type veth peer name q${i}`, `link set q${i} up`)
  await ipBatchAsync(ns, setup)
  const it = watch(['links', 'bridgePorts'], { netns })
  const seen = follow(it, ns)
  await seen.caughtUp()
  let compared = 0
  let settling = 0
  // The kernel applies operstate changes later, from its link watch (up to a second after a
  // flap), and announces them then: a listing can be ahead of the last event for that long.
  // So a difference is looked at again after a pause and another marker, at most 5 times.
  const same = async (what) => {
    for (let attempt = 1; ; attempt++) {
      const [l, b] = await Promise.all([links.list({ netns }), bridgePorts.list({ netns })])
      const equal = JSON.stringify([byKey('links', seen.last.state.links), byKey('bridgePorts', seen.last.state.bridgePorts)]) === JSON.stringify([listed('links', l), listed('bridgePorts', b)])
      if (!equal && attempt < 5) {
        settling++
        await new Promise((r) => setTimeout(r, 300))
        await seen.caughtUp()
        continue
      }
      t.deepEqual(byKey('links', seen.last.state.links), listed('links', l), `${what}: links`)
      t.deepEqual(byKey('bridgePorts', seen.last.state.bridgePorts), listed('bridgePorts', b), `${what}: bridge ports`)
      compared++
      return
    }
  }
  const all = (f) => Array.from({ length: PORTS }, (_, i) => f(i)).flat()
  const steps = [
    ['every port joins and comes up', all((i) => [`link set p${i} master br0`, `link set p${i} up`])],
    ['every port flaps', all((i) => [`link set p${i} down`, `link set p${i} up`])],
    ['every port changes its cost and learning', all((i) => [`link set p${i} type bridge_slave cost ${10 + i} learning ${i % 2 ? 'on' : 'off'}`])],
    ['every port leaves', all((i) => [`link set p${i} nomaster`])],
    ['every port joins again', all((i) => [`link set p${i} master br0`])],
  ]
  for (const [what, lines] of steps) {
    await ipBatchAsync(ns, lines)
    await seen.caughtUp()
    await same(what)
  }
  t.is(seen.last.state.bridgePorts.size, PORTS + 1, 'every port, and the bridge itself')
  // One change at a time: a join, a leave, a flap, a port down, a port deleted, on random ports.
  let x = 7
  const rnd = (m) => ((x = (x * 1103515245 + 12345) >>> 0), x % m)
  for (let n = 0; n < 40; n++) {
    const p = `p${rnd(PORTS)}`
    const op = [[`link set ${p} master br0`], [`link set ${p} nomaster`], [`link set ${p} down`, `link set ${p} up`], [`link set ${p} down`], [`link set ${p} up`]][rnd(5)]
    await ipBatchAsync(ns, op)
    await seen.caughtUp()
    await same(`${op.join('; ')}`)
  }
  // The bridge goes away: its own entry with it (the kernel sends no bridge-family message for that).
  await ipBatchAsync(ns, ['link del br0'])
  await seen.caughtUp()
  await same('the bridge deleted')
  t.is(seen.last.state.bridgePorts.size, 0)
  t.log(`${seen.count} snapshots, ${compared} comparisons, ${settling} looked at again once the kernel settled`)
  await it.return()
})

test('bridgePorts.list() refuses a bad filter with a clear error', async (t) => {
  await t.throwsAsync(bridgePorts.list({ ifindex: 'x' }), { instanceOf: TypeError, code: 'ERR_INVALID_ARG_TYPE', message: "bridgePorts.list: ifindex must be a positive integer, got 'x'" })
})
