// Fuzz of the write path's input, against the real kernel: random values of
// every JS type in the fields of the objects writes take. Every change is
// either sent as a correct reading of its value means (then `ip` shows that
// value, or the kernel refused it and nothing changed), or refused before
// sending with a coded TypeError/RangeError (then nothing reached the
// kernel: no event, listings unchanged).
//
// Two parts, run as batches (one case per op):
// - every kind: a listed object of each kind (links, addresses, routes,
//   rules, neighbours, nexthops, qdiscs, classes, filters), one of its
//   fields anywhere in it (nested too) set to a value JSON cannot carry as
//   written (NaN, ±Infinity, a BigInt, a function, a symbol, a Date, a Map,
//   undefined in an array), sent with any verb the kind takes: always
//   refused, and a monitor of the namespace sees nothing;
// - with an oracle: route adds (priority, protocol, protocolName,
//   metrics.mtu) and link sets (mtu, txqlen, group, ifalias) with values of
//   every type; what `ip -N -d -j` shows afterwards must equal a model of
//   the correct reading of each accepted value.
//
// RTNL_WRITE_FUZZ_CASES (default 10,000: 40% each of the first two, 20%
// links) and RTNL_WRITE_FUZZ_SEED (default 1) choose the run; counts are
// logged and written to RTNL_WRITE_FUZZ_OUT when set. `npm run
// soak:write-fuzz` runs 1,000,000.
import test from 'ava'
import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { batch, links, addresses, routes, rules, neighbours, nexthops, qdiscs, tcClasses, tcFilters, bridgePorts, subscribe, VERBS } from 'rtnl'
import { makeNetns, ipBatch, ipJson, waitQuiet } from './_helpers.mjs'
import { SCENARIO } from './_scenario.mjs'

const CASES = Number(process.env.RTNL_WRITE_FUZZ_CASES ?? 10000)
const SEED = Number(process.env.RTNL_WRITE_FUZZ_SEED ?? 1)
const BATCH = 1000

function rng(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return { next, int: (n) => Math.floor(next() * n), pick: (xs) => xs[Math.floor(next() * xs.length)] }
}

/** Values JSON cannot carry as written: every write must refuse them. */
const NEVER = [() => NaN, () => Infinity, () => -Infinity, () => 5n, () => () => 1, () => Symbol('s'), () => new Date(0), () => new Map([[1, 2]])]

/** Values of every type, valid for some fields and not for others. */
function anyValue(r) {
  return r.pick([
    () => r.int(256),
    () => r.int(70000),
    () => 2 ** 32 - 1,
    () => 2 ** 32,
    () => -1 - r.int(5),
    () => r.int(100) + 0.5,
    () => -0,
    () => 2 ** 53 + 2,
    () => 1e21,
    () => String(r.int(300)),
    () => '+' + r.int(9),
    () => '',
    () => r.pick(['kernel', 'boot', 'static', 'dhcp', 'nope', 'constructor', 'a\0b', 'ünï', 'x y']),
    () => 'x'.repeat(1 + r.int(300)),
    () => true,
    () => false,
    () => null,
    () => undefined,
    () => [],
    () => [1],
    () => ({}),
    () => ({ a: 1 }),
    ...NEVER,
  ])()
}

const REFUSED_BEFORE = new Set(['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE'])
const isInt = (v, max) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max
const PROTOCOL_NAMES = { kernel: 2, boot: 3, static: 4, dhcp: 16 }

/**
 * The correct reading of `v` in `field` of a route add: { refused: true },
 * or the value the kernel must then hold (`undefined`: the default).
 */
function routeReading(field, v) {
  switch (field) {
    case 'priority':
    case 'protocol':
      if (v === null || v === undefined) return { value: undefined }
      // protocol takes a name as protocolName does (`protocol: 'static'`, as ip does)
      if (field === 'protocol' && typeof v === 'string') return routeReading('protocolName', v)
      return isInt(v, field === 'priority' ? 2 ** 32 - 1 : 255) ? { value: Object.is(v, -0) ? 0 : v } : { refused: true }
    case 'protocolName':
      if (v === null || v === undefined) return { value: undefined }
      if (typeof v !== 'string') return { refused: true }
      if (/^\+?\d+$/.test(v) && Number(v) <= 255) return { value: Number(v) }
      return Object.hasOwn(PROTOCOL_NAMES, v) ? { value: PROTOCOL_NAMES[v] } : { refused: true }
    case 'metrics.mtu':
      // A metric is a number or left out (undefined); null is no metric's value.
      if (v === undefined) return { value: undefined }
      return isInt(v, 2 ** 32 - 1) ? { value: Object.is(v, -0) ? 0 : v } : { refused: true }
  }
  throw new Error(field)
}

/** The same for a link set: the value the link must then hold (`undefined`: unchanged). */
function linkReading(field, v) {
  if (v === null || v === undefined) return { value: undefined }
  if (field === 'ifalias') return typeof v === 'string' && !v.includes('\0') ? { value: v } : { refused: true }
  return isInt(v, 2 ** 32 - 1) ? { value: Object.is(v, -0) ? 0 : v } : { refused: true }
}

/** Every path into an object (nested objects and arrays), as keys. */
function paths(o, at = [], out = []) {
  if (typeof o !== 'object' || o === null) return out
  for (const k of Array.isArray(o) ? o.keys() : Object.keys(o)) {
    out.push([...at, k])
    paths(o[k], [...at, k], out)
  }
  return out
}

function withValue(o, path, v) {
  const copy = structuredClone(o)
  let at = copy
  for (const k of path.slice(0, -1)) at = at[k]
  at[path.at(-1)] = v
  return copy
}

/** Subscribes to the namespace and counts what arrives, until stopped. */
async function eventsOf(netns) {
  const monitor = await subscribe({ netns })
  const seen = []
  const done = (async () => {
    for await (const m of monitor) seen.push(m)
  })()
  return {
    seen,
    async stop() {
      // A get orders after every change sent before it: its events are queued by then.
      await links.get({ name: 'lo' }, { netns })
      await new Promise((r) => setTimeout(r, 200))
      await monitor.stop()
      await done
      return seen
    },
  }
}

/** A bridge port without what moves by itself (timers, learnt groups), as text. */
function portConfig(p) {
  const protinfo = Object.fromEntries(Object.entries(p.protinfo ?? {}).filter(([k]) => !k.endsWith('Timer') && k !== 'mcastNGroups' && k !== 'mcastEhtHostsCnt'))
  return JSON.stringify({ ...p, protinfo })
}

function record(counts, key) {
  counts[key] = (counts[key] ?? 0) + 1
}

/** What `ip` shows of a namespace, without the timers and lifetimes that move by themselves. */
function state(ns) {
  const text = JSON.stringify([ipJson(ns, '-d', 'link'), ipJson(ns, 'addr'), ipJson(ns, 'route', 'show', 'table', 'all'), ipJson(ns, 'rule'), ipJson(ns, 'neigh'), ipJson(ns, 'nexthop')])
  return JSON.parse(text, (k, v) => (/timer|life_time|expires|^used$|^updated$/.test(k) ? undefined : v))
}

const LISTS = { links, addresses, routes, rules, neighbours, nexthops, qdiscs, tcClasses, tcFilters }

test(`writes refuse a value JSON cannot carry, in any field of any kind, and send nothing (${Math.round(CASES * 0.4)} cases, seed ${SEED})`, async (t) => {
  const ns = makeNetns(t, 'rtnl-fuzz')
  const netns = { name: ns }
  for (const k of ['all', 'default']) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${k}.accept_dad=0`])
  // br0 forwards at once: a port that starts forwarding 15 s later brings br0's carrier up, and with it routes the kernel adds by itself.
  for (const line of [...SCENARIO, 'link set br0 type bridge forward_delay 0', 'nexthop add id 7 via 10.1.0.254 dev a0', 'nexthop add id 8 group 7']) execFileSync('ip', ['-n', ns, ...line.split(' ')])
  execFileSync('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'a1', 'root', 'handle', '1:', 'htb', 'default', '10'])
  execFileSync('tc', ['-n', ns, 'class', 'add', 'dev', 'a1', 'parent', '1:', 'classid', '1:10', 'htb', 'rate', '1mbit'])
  execFileSync('tc', ['-n', ns, 'filter', 'add', 'dev', 'a1', 'parent', '1:', 'protocol', 'ip', 'prio', '1', 'u32', 'match', 'ip', 'dst', '10.2.0.0/16', 'flowid', '1:10'])
  await waitQuiet(ns, 1000)
  const listed = {}
  for (const [kind, api] of Object.entries(LISTS)) listed[kind] = (await api.list({ netns })).filter((o) => paths(o).length > 0)
  const kinds = Object.keys(listed).filter((k) => listed[k].length > 0)
  t.is(kinds.length, Object.keys(LISTS).length, `every kind listed something: ${kinds}`)
  const before = state(ns)
  // The kernel re-announces a bridge port now and then, unchanged, by itself (seen once in each
  // 1,000,000-case soak, minutes in): such a notice, alone and equal to the port as listed
  // before, is not a write that reached the kernel (a link write would bring a new_link too).
  const ports = new Map((await bridgePorts.list({ netns })).map((p) => [p.index, portConfig(p)]))
  const kernelsOwn = (seen) => seen.length > 0 && seen.every((e) => e.op === 'new_bridge_port' && ports.get(e.resource.index) === portConfig(e.resource))

  const r = rng(SEED)
  const counts = {}
  const total = Math.round(CASES * 0.4)
  for (let done = 0; done < total; ) {
    const ops = []
    const what = []
    for (let i = 0; i < Math.min(BATCH, total - done); i++) {
      const kind = r.pick(kinds)
      const object = r.pick(listed[kind])
      const path = r.pick(paths(object))
      // undefined is a value only inside an array (as a field it is absent).
      const parent = path.slice(0, -1).reduce((o, k) => o[k], object)
      const value = Array.isArray(parent) && r.int(4) === 0 ? undefined : r.pick(NEVER)()
      ops.push({ kind, verb: r.pick(VERBS[kind]), object: withValue(object, path, value) })
      what.push(`${kind} ${path.join('.')} = ${typeof value === 'symbol' ? 'a symbol' : String(value)}`)
    }
    const events = await eventsOf(netns)
    const results = await batch(ops, { netns })
    const seen = await events.stop()
    if (kernelsOwn(seen)) record(counts, "the kernel's own unchanged bridge port notice (ignored)")
    else t.deepEqual(seen, [], 'nothing reached the kernel')
    results.forEach((res, i) => {
      if (res.ok || !REFUSED_BEFORE.has(res.error.code)) t.fail(`case ${done + i} (${what[i]}): ${res.ok ? 'made' : `${res.error.code} ${res.error.message}`}`)
      else record(counts, `${ops[i].kind}: refused before sending`)
    })
    done += ops.length
  }
  const after = state(ns)
  t.true(JSON.stringify(after) === JSON.stringify(before), 'the namespace is as before')
  t.log(JSON.stringify(counts))
  if (process.env.RTNL_WRITE_FUZZ_OUT) writeFileSync(`${process.env.RTNL_WRITE_FUZZ_OUT}.never.json`, JSON.stringify({ seed: SEED, cases: total, counts }))
})

test(`route adds hold the correct reading of every value, or are refused with nothing sent (${Math.round(CASES * 0.4)} cases, seed ${SEED})`, async (t) => {
  const ns = makeNetns(t, 'rtnl-fuzz')
  const netns = { name: ns }
  ipBatch(ns, ['link set lo up'])
  await waitQuiet(ns, 300)
  const lo = (await links.get({ name: 'lo' }, { netns })).index
  const r = rng(SEED + 1)
  const counts = {}
  const total = Math.round(CASES * 0.4)
  const FIELDS = ['priority', 'protocol', 'protocolName', 'metrics.mtu']
  for (let done = 0; done < total; ) {
    const cases = []
    for (let i = 0; i < Math.min(BATCH, total - done); i++) {
      const n = done + i
      const field = r.pick(FIELDS)
      const value = anyValue(r)
      const dst = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
      const object = { dst, dstLen: 32, oif: lo, table: 100 }
      if (field === 'metrics.mtu') object.metrics = { mtu: value }
      else object[field] = value
      cases.push({ dst, field, value, object, reading: routeReading(field, value) })
    }
    const events = await eventsOf(netns)
    const results = await batch(cases.map((c) => ({ kind: 'routes', verb: 'add', object: c.object })), { netns })
    const seen = await events.stop()
    const shown = new Map(ipJson(ns, '-N', '-d', 'route', 'show', 'table', '100').map((x) => [x.dst, x]))
    const made = new Set()
    results.forEach((res, i) => {
      const c = cases[i]
      const label = `case ${done + i}: ${c.field} = ${typeof c.value === 'symbol' ? 'a symbol' : typeof c.value === 'bigint' ? `${c.value}n` : JSON.stringify(c.value) ?? String(c.value)}`
      const route = shown.get(c.dst)
      if (c.reading.refused) {
        if (res.ok || !REFUSED_BEFORE.has(res.error.code)) return t.fail(`${label}: expected a refusal before sending, got ${res.ok ? 'made' : res.error.code}`)
        if (route !== undefined) return t.fail(`${label}: refused, yet the route exists`)
        return record(counts, 'refused before sending')
      }
      if (!res.ok) {
        if (REFUSED_BEFORE.has(res.error.code)) return t.fail(`${label}: a correct reading (${c.reading.value}) was refused: ${res.error.message}`)
        if (route !== undefined) return t.fail(`${label}: the kernel refused it (${res.error.code}), yet the route exists`)
        return record(counts, `refused by the kernel (${res.error.code})`)
      }
      made.add(c.dst)
      if (route === undefined) return t.fail(`${label}: made, yet not listed`)
      const want = c.reading.value
      const got = {
        priority: route.metric ?? 0,
        protocol: Number(route.protocol),
        protocolName: Number(route.protocol),
        'metrics.mtu': route.metrics?.[0]?.mtu ?? 0,
      }[c.field]
      let expected = want ?? { priority: 0, protocol: 3, protocolName: 3, 'metrics.mtu': 0 }[c.field]
      // The kernel holds a route MTU above 65535 - 15 as that (ip_metrics_convert); rtnl sent what was given.
      if (c.field === 'metrics.mtu') expected = Math.min(expected, 65520)
      if (got !== expected) return t.fail(`${label}: made, and the kernel holds ${got}, not ${expected}`)
      record(counts, 'made as read')
    })
    const appeared = new Set(seen.filter((m) => m.type === 'event' && m.op === 'new_route' && m.resource.table === 100).map((m) => m.resource.dst))
    t.deepEqual([...appeared].filter((d) => !made.has(d)), [], 'no event of a change that was not made')
    t.is(shown.size, made.size)
    execFileSync('ip', ['-n', ns, 'route', 'flush', 'table', '100'])
    done += cases.length
  }
  t.true((counts['made as read'] ?? 0) > total / 10 && (counts['refused before sending'] ?? 0) > total / 10, `both outcomes are common: ${JSON.stringify(counts)}`)
  t.log(JSON.stringify(counts))
  if (process.env.RTNL_WRITE_FUZZ_OUT) writeFileSync(`${process.env.RTNL_WRITE_FUZZ_OUT}.routes.json`, JSON.stringify({ seed: SEED, cases: total, counts }))
})

test(`link sets hold the correct reading of every value, or are refused with nothing changed (${CASES - 2 * Math.round(CASES * 0.4)} cases, seed ${SEED})`, async (t) => {
  const ns = makeNetns(t, 'rtnl-fuzz')
  const netns = { name: ns }
  const LINKS = 40
  ipBatch(ns, Array.from({ length: LINKS }, (_, i) => `link add fz${i} type bridge`))
  await waitQuiet(ns, 300)
  const show = () => new Map(ipJson(ns, '-d', 'link', 'show', 'type', 'bridge').map((l) => [l.ifname, { mtu: l.mtu, txqlen: (l.txqlen ?? 0) >>> 0, group: l.group === 'default' ? 0 : Number(l.group) >>> 0, ifalias: l.ifalias ?? '' }]))
  // The model: what each link must hold.
  const model = show()
  const r = rng(SEED + 2)
  const counts = {}
  const total = CASES - 2 * Math.round(CASES * 0.4)
  const FIELDS = ['mtu', 'txqlen', 'group', 'ifalias']
  for (let done = 0; done < total; ) {
    // One op per link per batch: each result is then what the link shows.
    const cases = []
    for (let i = 0; i < Math.min(LINKS, total - done); i++) {
      const field = r.pick(FIELDS)
      const value = anyValue(r)
      cases.push({ name: `fz${i}`, field, value, reading: linkReading(field, value) })
    }
    const results = await batch(cases.map((c) => ({ kind: 'links', verb: 'set', object: { name: c.name, [c.field]: c.value } })), { netns })
    results.forEach((res, i) => {
      const c = cases[i]
      const label = `case ${done + i}: ${c.field} = ${typeof c.value === 'symbol' ? 'a symbol' : typeof c.value === 'bigint' ? `${c.value}n` : (JSON.stringify(c.value) ?? String(c.value)).slice(0, 40)}`
      if (c.reading.refused) {
        if (res.ok || !REFUSED_BEFORE.has(res.error.code)) return t.fail(`${label}: expected a refusal before sending, got ${res.ok ? 'made' : res.error.code}`)
        return record(counts, 'refused before sending')
      }
      if (!res.ok) {
        if (REFUSED_BEFORE.has(res.error.code)) return t.fail(`${label}: a correct reading was refused: ${res.error.message}`)
        return record(counts, `refused by the kernel (${res.error.code})`)
      }
      if (c.reading.value !== undefined) model.get(c.name)[c.field] = c.reading.value
      record(counts, 'made as read')
    })
    const now = show()
    for (const [name, want] of model) {
      const got = now.get(name)
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        t.fail(`after cases ${done}..${done + cases.length - 1}: ${name} holds ${JSON.stringify(got)}, the model ${JSON.stringify(want)}`)
        model.set(name, got)
      }
    }
    done += cases.length
  }
  t.true((counts['made as read'] ?? 0) > total / 10 && (counts['refused before sending'] ?? 0) > total / 10, `both outcomes are common: ${JSON.stringify(counts)}`)
  t.log(JSON.stringify(counts))
  if (process.env.RTNL_WRITE_FUZZ_OUT) writeFileSync(`${process.env.RTNL_WRITE_FUZZ_OUT}.links.json`, JSON.stringify({ seed: SEED, cases: total, counts }))
})
