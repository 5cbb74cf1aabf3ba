// Standalone tc actions (the tcActions kind): list() and get() against
// `tc -s -j actions ls` field by field, the new_action / del_action events
// against list(), and every error path tcActions names. mirred runs on
// every kernel that has it; gact and police where the kernel has them (the
// kernel matrix's Debian kernels: act_gact and act_police are modules).
//
// THE MAPPING TABLE below is the proof: every key tc prints for an action
// is compared, or named with the reason it is not.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { tcActions, links, subscribe, KIND_GROUPS, RtnlError } from 'rtnl'
import { makeNetns, ip, collect, isOp, runNode } from './_helpers.mjs'
import { compareObject, toolJson } from './_parity.mjs'
import { needs } from './_features.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const tc = (ns, line) => execFileSync('tc', ['-n', ns, ...line.split(' ')])

/** TCA_ACT_HW_STATS_* names as tc prints them: none set is "disabled". */
function hwStats(b) {
  const bits = b.value & b.selector
  if (bits === 0) return ['disabled']
  return [['immediate', 1], ['delayed', 2]].filter(([, bit]) => bits & bit).map(([n]) => n)
}
const verdict = (c) => ({ type: c.type, ...(c.chain !== undefined ? { chain: c.chain } : {}), ...(c.jump !== undefined ? { jump: c.jump } : {}) })
const seconds = (ticks) => Math.floor(ticks / 100)

// tc -s -j actions ls: key -> ours (a row is a function, [function, normalise-theirs, why] or a reason).
const ACTION = {
  order: (a) => a.order,
  kind: (a) => a.kind,
  index: (a) => a.index,
  ref: (a) => a.refcnt,
  bind: (a) => a.bindcnt,
  control_action: [(a) => verdict(a.police?.result ?? a.controlAction), (v) => v,
    "police: tc prints the verdict over the rate and the one under it as two 'control_action' keys, of which JSON keeps the last (TCA_POLICE_RESULT, when set)"],
  prob: [(a) => (a.gact.prob ? { random_type: a.gact.prob.randomType, control_action: verdict(a.gact.prob.controlAction), val: a.gact.prob.val } : { random_type: 'none', control_action: { type: 'pass' }, val: 0 }), (v) => v,
    'tc prints a zeroed TCA_GACT_PROB when the kernel sent none'],
  mirred_action: (a) => a.mirred.action,
  direction: (a) => a.mirred.direction,
  to_dev: (a, ctx) => ctx.name(a.mirred.ifindex),
  // tc divides the ticks by USER_HZ (100); within: it read them a moment after list() did
  installed: (a) => seconds(a.tm.install),
  last_used: (a) => seconds(a.tm.lastuse),
  first_used: (a) => seconds(a.tm.firstuse),
  expires: (a) => seconds(a.tm.expires),
  stats: [(a) => ({ bytes: a.stats.basic.bytes, packets: a.stats.basic.packets, drops: a.stats.queue.drops, overlimits: a.stats.queue.overlimits, requeues: a.stats.queue.requeues, backlog: a.stats.queue.backlog, qlen: a.stats.queue.qlen }), (v) => v],
  cookie: (a) => a.cookie,
  not_in_hw: (a) => a.inHwCount === 0,
  in_hw: (a) => a.inHwCount > 0,
  in_hw_count: (a) => a.inHwCount,
  hw_stats: (a) => hwStats(a.hwStats),
  used_hw_stats: (a) => hwStats(a.usedHwStats),
  no_percpu: (a) => (a.flags.value & 1) !== 0,
  skip_hw: (a) => (a.flags.value & 2) !== 0,
  skip_sw: (a) => (a.flags.value & 4) !== 0,
  overhead: (a) => a.police.rate?.overhead ?? a.police.peakrate?.overhead ?? 0,
}
/**
 * The times tc printed lie between ours and a listing after tc's read (emulated kernels are slow:
 * seconds may pass), and tc rounds down: each compared within how far it moved, plus one second.
 */
function within(before, after) {
  const moved = (k) => Math.abs(seconds(after?.tm?.[k] ?? 0) - seconds(before.tm?.[k] ?? 0)) + 1
  return { installed: moved('install'), last_used: moved('lastuse'), first_used: moved('firstuse'), expires: moved('expires') }
}

async function namesOf(netns) {
  const byIndex = new Map((await links.list({ netns })).map((l) => [l.index, l.name]))
  return { name: (i) => byIndex.get(i) }
}

/** Every action of `kind`: ours from list({ kind }), tc's, compared key by key; returns ours. */
async function sameAsTc(t, ns, netns, kind, expected) {
  const ours = await tcActions.list({ netns, kind })
  const tool = toolJson('tc', ns, '-s', '-j', 'actions', 'ls', 'action', kind)
  const later = await tcActions.list({ netns, kind })
  const theirs = tool[1]?.actions ?? []
  t.is(ours.length, expected, `${kind} actions`)
  t.is(theirs.length, ours.length, `${kind}: tc lists as many`)
  const ctx = await namesOf(netns)
  for (const a of theirs) {
    const mine = ours.find((o) => o.index === a.index)
    t.truthy(mine, `${kind} ${a.index}`)
    if (!mine) continue
    t.deepEqual(mine.unknown ?? [], [], `${kind} ${a.index}: nothing undecoded`)
    t.deepEqual(mine.optionsUnknown ?? [], [], `${kind} ${a.index}: no option undecoded`)
    compareObject(t, `${kind} ${a.index}`, ACTION, a, mine, ctx, { tool: 'tc', within: within(mine, later.find((o) => o.index === a.index)) })
  }
  return ours
}

needs('act_mirred')('mirred actions: list and get match tc, events carry what list() has, and each error names what was wrong', async (t) => {
  const ns = makeNetns(t, 'rtnl-act')
  const netns = { name: ns }
  ip(ns, 'link', 'add', 'a0', 'type', 'veth', 'peer', 'name', 'b0')
  const monitor = await subscribe({ netns, groups: [...KIND_GROUPS.tcActions] })
  t.teardown(() => monitor.stop())
  const events = collect(monitor)
  tc(ns, 'actions add action mirred egress redirect dev b0 index 8 cookie 0a0b')
  tc(ns, 'actions add action mirred ingress mirror dev lo index 9')
  // An action a filter makes: listed (bound to it), but the kernel sends no action event for it.
  tc(ns, 'qdisc add dev a0 clsact')
  tc(ns, 'filter add dev a0 ingress protocol all prio 1 u32 match u32 0 0 action mirred egress mirror dev b0 index 20')

  const added = await events.waitFor(isOp('new_action', (a) => a.index === 9), 5000, 'new_action 9')
  const ours = await sameAsTc(t, ns, netns, 'mirred', 3)
  const bound = ours.find((a) => a.index === 20)
  t.is(bound.bindcnt, 1, 'the filter holds it')
  t.deepEqual(bound.mirred, { eaction: 2, action: 'mirror', direction: 'egress', ifindex: (await links.get({ name: 'b0' }, { netns })).index })

  // The event's struct is list()'s, but for what moves by itself (counters, times), the place in
  // the message (a dump numbers from 0, an event from 1), and usedHwStats, which the kernel
  // reports once it has read the statistics (an action's first event comes before that).
  const still = ({ stats, tm, order, usedHwStats, ...rest }) => rest
  t.deepEqual(still(added.resource), still(ours.find((a) => a.index === 9)))
  const first = await events.waitFor(isOp('new_action', (a) => a.index === 8), 5000, 'new_action 8')
  t.is(first.resource.cookie, '0a0b')

  // get: by kind and index, as list() has it; null for an index the kind does not hold
  const got = await tcActions.get({ kind: 'mirred', index: 8 }, { netns })
  t.deepEqual(still(got), still(ours.find((a) => a.index === 8)))
  t.is(await tcActions.get({ kind: 'mirred', index: 77 }, { netns }), null)
  // all kinds at once: the same mirred actions among them
  const all = await tcActions.list({ netns })
  t.deepEqual(all.filter((a) => a.kind === 'mirred').map((a) => a.index).sort((x, y) => x - y), [8, 9, 20])

  tc(ns, 'actions del action mirred index 9')
  const deleted = await events.waitFor(isOp('del_action'), 5000, 'del_action')
  t.is(deleted.resource.kind, 'mirred')
  t.is(deleted.resource.index, 9)
  t.false(events.seen.some((m) => m.type === 'event' && m.resource?.index === 20), 'no event for the action the filter made')
  t.false(events.seen.some((m) => m.type === 'event' && m.op === 'unknown'), 'every action event decodes')
  t.deepEqual((await tcActions.list({ netns, kind: 'mirred' })).map((a) => a.index).sort((x, y) => x - y), [8, 20])

  // the CLI lists them with the printer's words
  const out = await runNode([cli, 'list', 'tcActions', '-n', ns])
  t.is(out.code, 0, out.stderr)
  t.regex(out.stdout, /^action order \d+: mirred \(Egress Redirect to device b0\) stolen index 8 ref 1 bind 0 cookie 0a0b$/m)

  // errors: a kind the kernel does not know; bad input, named, before anything is sent
  const unknownKind = await t.throwsAsync(tcActions.get({ kind: 'nosuchact', index: 1 }, { netns }), { instanceOf: RtnlError })
  t.is(unknownKind.code, 'EINVAL')
  t.regex(unknownKind.extAck ?? '', /action kind not found/i)
  const badKind = await t.throwsAsync(tcActions.list({ netns, kind: 'Bad Kind' }), { instanceOf: TypeError })
  t.is(badKind.code, 'ERR_INVALID_ARG_VALUE')
  t.is(badKind.message, "tcActions.list: kind must be a tc action kind (lower-case letters, digits and '_', at most 15), got 'Bad Kind'")
  const notString = await t.throwsAsync(tcActions.list({ netns, kind: 5 }), { instanceOf: TypeError })
  t.is(notString.code, 'ERR_INVALID_ARG_TYPE')
  t.is(notString.message, "tcActions.list: kind must be a tc action kind such as 'gact', got number 5")
  const option = await t.throwsAsync(tcActions.list({ netns, ifindex: 2 }), { instanceOf: TypeError })
  t.is(option.code, 'ERR_INVALID_ARG_VALUE')
  t.is(option.message, "tcActions.list options: unknown option 'ifindex'; expected one of netns, signal, kind")
  const noIndex = await t.throwsAsync(tcActions.get({ kind: 'mirred' }, { netns }), { instanceOf: TypeError })
  t.is(noIndex.code, 'ERR_INVALID_ARG_TYPE')
  t.is(noIndex.message, 'tcActions.get: index must be a positive integer, got undefined')
  const notObject = await t.throwsAsync(tcActions.get('mirred', { netns }), { instanceOf: TypeError })
  t.is(notObject.code, 'ERR_INVALID_ARG_TYPE')
  t.is(notObject.message, "tcActions.get: expected { kind, index }, got 'mirred'")
})

needs('act_gact', 'act_police')('gact and police actions match tc field by field', async (t) => {
  const ns = makeNetns(t, 'rtnl-act')
  const netns = { name: ns }
  for (const line of [
    'actions add action gact drop index 7',
    'actions add action gact pass random determ drop 10 index 6',
    'actions add action gact pipe random netrand reclassify 30 index 5',
    'actions add action police rate 1mbit burst 10k conform-exceed drop/pipe index 4',
    'actions add action police rate 40gbit burst 1m mtu 9000 index 3',
  ]) tc(ns, line)
  const gact = await sameAsTc(t, ns, netns, 'gact', 3)
  const determ = gact.find((a) => a.index === 6)
  t.is(determ.controlAction.type, 'pass')
  t.deepEqual(determ.gact.prob, { ptype: 2, randomType: 'determ', val: 10, controlAction: { value: 2, type: 'drop' } })
  const police = await sameAsTc(t, ns, netns, 'police', 2)
  const byIndex = (i) => police.find((a) => a.index === i)
  t.is(byIndex(4).police.rate.rate, 125000, '1mbit: 125000 bytes/s')
  t.is(byIndex(4).controlAction.type, 'drop')
  t.is(byIndex(4).police.result.type, 'pipe')
  t.is(byIndex(3).police.rate64, 5e9, '40gbit: past 32 bits, so TCA_POLICE_RATE64')
  t.is(byIndex(3).police.mtu, 9000)
})
