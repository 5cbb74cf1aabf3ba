// The scope promise as a property, against the real kernel: a namespace per
// kind holds objects inside and outside a random scope (made with `ip`, by
// other protocols, tables, labels), a random desired set is reconciled
// (valid, invalid, conflicting), and then:
// - refused (it rejected): nothing changed at all: nothing was sent;
// - applied (every change made): everything outside the scope is exactly as
//   before (`ip -d -j` listings), except what exists only because of an
//   in-scope object that changed (an address's kernel routes), the objects
//   inside are the desired set, and a second reconcile plans nothing;
// - refused by the kernel (a change failed): everything outside the scope
//   is still exactly as before.
// 2,000 cases in `npm test`; `npm run soak:reconcile` runs 100,000 (RELIABILITY.md
// has the seed and the counts). RTNL_PROPERTY_CASES (default 2000, split over the
// kinds, routes twice) and RTNL_PROPERTY_SEED (default 20) choose the run;
// RTNL_PROPERTY_REASONS=1 logs why cases were refused. The counts are logged
// and written to RTNL_PROPERTY_OUT.<kind>.json when set.
import test from 'ava'
import { writeFileSync } from 'node:fs'
import { reconcile, links } from 'rtnl'
import { makeNetns, waitQuiet } from './_helpers.mjs'
import { execFileSync } from 'node:child_process'

const CASES = Number(process.env.RTNL_PROPERTY_CASES ?? 2000)
const SEED = Number(process.env.RTNL_PROPERTY_SEED ?? 20)

/** mulberry32: a small seeded generator, so a failing case can be replayed from its seed. */
function random(seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n) => Math.floor(next() * n)
  return { int, pick: (xs) => xs[int(xs.length)], chance: (p) => next() < p }
}

/**
 * Runs `ip -n NS -batch` with lines that may fail (noise: an add of what
 * exists, a delete of what does not). A batch line takes no option, so lines
 * starting with -4 or -6 go to a batch of that family.
 */
function ipTry(ns, lines) {
  const byFamily = new Map()
  for (const line of lines) {
    const m = /^(-[46]) (.*)$/.exec(line)
    const [flag, rest] = m ? [m[1], m[2]] : ['', line]
    byFamily.set(flag, [...(byFamily.get(flag) ?? []), rest])
  }
  for (const [flag, batch] of byFamily) {
    try {
      execFileSync('ip', ['-n', ns, ...(flag ? [flag] : []), '-force', '-batch', '-'], { input: batch.join('\n') + '\n', stdio: ['pipe', 'ignore', 'ignore'] })
    } catch {}
  }
}

const TABLES = { main: 254, local: 255, default: 253 }
const PROTOS = { kernel: 2, boot: 3, static: 4, bird: 12, dhcp: 16, unspec: 0 }
const tableOf = (t) => TABLES[t] ?? Number(t)
const protoOf = (p) => PROTOS[p] ?? Number(p)

/** Every listing, one string per object, as the scope test compares them. */
function state(ns) {
  const out = {}
  const strip = (o) => {
    const { valid_life_time: _v, preferred_life_time: _p, stats: _s, stats64: _s64, ...rest } = o
    return rest
  }
  // A route through a nexthop object (nhid) restates that nexthop's gateway and device: the nexthop's, not the route's.
  const route = (o) => strip(o.nhid === undefined ? o : { ...o, gateway: undefined, dev: undefined, nh_info: undefined })
  for (const f of ['-4', '-6']) {
    const [routes, rules] = ipBatchJson(ns, [f, '-d'], ['route show table all', 'rule show'])
    out[`routes${f}`] = routes.map(route)
    out[`rules${f}`] = rules.map(strip)
  }
  const [addresses, links, nexthops] = ipBatchJson(ns, ['-d'], ['addr show', 'link show', 'nexthop show'])
  out.addresses = addresses.flatMap((l) => l.addr_info.map((a) => strip({ dev: l.ifname, ...a })))
  // Bridge and port timers run by themselves.
  const timers = (o) => (o === null || typeof o !== 'object' ? o : Object.fromEntries(Object.entries(o).filter(([k]) => !k.endsWith('_timer')).map(([k, v]) => [k, timers(v)])))
  out.links = links.map((l) => timers(strip({ ...l, flags: undefined, operstate: undefined })))
  out.nexthops = nexthops.map(strip)
  return out
}

/** Several `ip -j` listings from one `ip -batch` (one line of JSON each): three execs per state instead of seven. */
function ipBatchJson(ns, options, commands) {
  const out = execFileSync('ip', ['-n', ns, '-j', ...options, '-batch', '-'], { input: commands.join('\n') + '\n', encoding: 'utf8' })
  const lines = out.split('\n').filter((l) => l.trim() !== '')
  if (lines.length !== commands.length) throw new Error(`ip -batch printed ${lines.length} listings for ${commands.length} commands: ${out.slice(0, 200)}`)
  return lines.map((l) => JSON.parse(l))
}

/** Each kind: a namespace set-up, noise made by others, scopes, desired sets, and what is inside a scope as `ip` prints it. */
const WORLDS = {
  routes: {
    setup: [
      'link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'addr add 10.9.0.1/24 dev v0', '-6 addr add fd00::1/64 dev v0 nodad',
      // Gateways are looked up in the route's own table: each table reaches v0's subnets (routes of the kernel's protocol, outside every scope).
      ...[100, 101, 102].flatMap((t) => [`route add 10.9.0.0/24 dev v0 table ${t} proto kernel`, `-6 route add fd00::/64 dev v0 table ${t} proto kernel`]),
    ],
    scopes: [{ table: 100 }, { table: 100, protocol: 'static' }, { protocol: 'bird' }, { table: 101, family: 6 }, { table: 'main', protocol: 'static' }, { priority: 5, table: 100 }, { type: 'blackhole', table: 102 }],
    noise(r) {
      const lines = []
      for (let i = r.int(3); i > 0; i--) {
        const six = r.chance(0.5)
        const dst = six ? `2001:db8:${1 + r.int(3)}::/64` : `10.${1 + r.int(3)}.0.0/16`
        const via = six ? `fd00::${2 + r.int(3)}` : `10.9.0.${2 + r.int(3)}`
        const metric = r.pick(six ? [1024, 5] : [0, 5])
        const where = `table ${r.pick([100, 101, 102, 'main'])} proto ${r.pick(['boot', 'static', 'bird', 'dhcp'])} metric ${metric}`
        lines.push(r.chance(0.3) ? `${six ? '-6 ' : ''}route del ${dst} ${where}` : `${six ? '-6 ' : ''}route ${r.pick(['add', 'append'])} ${dst} via ${via} ${where}`)
      }
      return lines
    },
    desired(r, scope) {
      const out = []
      const seen = new Set()
      for (let i = r.int(4); i > 0; i--) {
        const six = scope.family === 6 || (scope.family === undefined && r.chance(0.4))
        // Destinations overlap the noise's (1 to 3) in part: some desired routes meet foreign ones of the same kernel identity.
        const o = six ? { dst: `2001:db8:${2 + r.int(6)}::`, dstLen: 64 } : { dst: `10.${2 + r.int(6)}.0.0`, dstLen: 16 }
        if (scope.type === undefined) o.gateway = six ? `fd00::${2 + r.int(3)}` : `10.9.0.${2 + r.int(3)}`
        if (scope.table === undefined) o.table = r.pick([100, 101, 'main'])
        if (scope.protocol === undefined && r.chance(0.5)) o.protocol = r.pick([4, 16])
        if (scope.priority === undefined && r.chance(0.3)) o.priority = 5
        // One route per kernel identity (duplicates are made on purpose below).
        const id = `${o.dst} ${o.table} ${o.priority}`
        if (!seen.has(id)) out.push(o)
        seen.add(id)
      }
      return out
    },
    invalid(r, desired) {
      const o = { ...(desired[0] ?? { dst: '10.1.0.0', dstLen: 16, gateway: '10.9.0.2' }) }
      const how = r.int(3)
      if (how === 0) o.gatway = o.gateway ?? '10.9.0.2'
      else if (how === 1) o.dstLen = o.dst.includes(':') ? 129 : 33
      else o.table = 'nosuchtable'
      return [o, ...desired.slice(1)]
    },
    keys: ['routes-4', 'routes-6'],
    inside(o, scope) {
      if (o.protocol === 'kernel' || o.table === 'local') return false
      const metric = o.metric ?? 0
      return (
        (scope.table === undefined || tableOf(o.table) === tableOf(scope.table)) &&
        (scope.protocol === undefined || protoOf(o.protocol) === protoOf(scope.protocol)) &&
        (scope.family === undefined || o.family === scope.family) &&
        (scope.priority === undefined || metric === scope.priority) &&
        (scope.type === undefined || o.type === scope.type)
      )
    },
    /** A listed route as a desired one compares: destination, table, metric, gateway. */
    key: (o) => `${o.dst} t${tableOf(o.table)} m${o.metric ?? 0} ${o.gateway ?? o.type}`,
    want(d, scope) {
      const six = d.dst.includes(':')
      const table = tableOf(d.table ?? scope.table ?? 'main')
      const metric = d.priority ?? scope.priority ?? (six ? 1024 : 0)
      return `${d.dst}/${d.dstLen} t${table} m${metric} ${d.gateway ?? scope.type}`
    },
    derived: () => false,
  },
  rules: {
    setup: ['link set lo up'],
    scopes: [{ table: 100 }, { protocol: 'static' }, { table: 200, family: 6 }, { priority: 101 }, { family: 4, table: 'main' }],
    noise(r) {
      const lines = []
      for (let i = r.int(3); i > 0; i--) {
        const six = r.chance(0.4)
        const from = six ? `2001:db8:${1 + r.int(3)}::/48` : `10.${1 + r.int(3)}.0.0/16`
        const pref = 100 + r.int(4)
        lines.push(
          r.chance(0.3)
            ? `${six ? '-6' : '-4'} rule del pref ${pref}`
            : `${six ? '-6' : '-4'} rule add pref ${pref} from ${from} table ${r.pick([100, 200, 'main'])} proto ${r.pick(['boot', 'static', 'bird'])}`,
        )
      }
      return lines
    },
    desired(r, scope) {
      const out = []
      for (let i = r.int(3); i > 0; i--) {
        const six = scope.family === 6 || (scope.family === undefined && r.chance(0.4))
        const o = { family: six ? 10 : 2, src: six ? `2001:db8:${1 + r.int(3)}::` : `10.${1 + r.int(3)}.0.0`, srcLen: six ? 48 : 16 }
        if (scope.priority === undefined) o.priority = 100 + r.int(4)
        if (scope.table === undefined) o.table = r.pick([100, 200])
        if (scope.protocol === undefined && r.chance(0.5)) o.protocol = 4
        out.push(o)
      }
      return out
    },
    invalid(r, desired) {
      const o = { ...(desired[0] ?? { family: 2, src: '10.1.0.0', srcLen: 16, priority: 100, table: 100 }) }
      if (r.chance(0.5)) o.srcLen = 200
      else o.tabel = 5
      return [o, ...desired.slice(1)]
    },
    keys: ['rules-4', 'rules-6'],
    inside(o, scope) {
      if (o.protocol === 'kernel') return false
      return (
        (scope.table === undefined || tableOf(o.table) === tableOf(scope.table)) &&
        (scope.protocol === undefined || protoOf(o.protocol) === protoOf(scope.protocol)) &&
        (scope.family === undefined || o.family === scope.family) &&
        (scope.priority === undefined || o.priority === scope.priority)
      )
    },
    key: (o) => `${o.priority} ${o.src}/${o.srclen} t${tableOf(o.table)}`,
    want: (d, scope) => `${d.priority ?? scope.priority} ${d.src}/${d.srcLen} t${tableOf(d.table ?? scope.table)}`,
    derived: () => false,
  },
  addresses: {
    setup: ['link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up'],
    scopes: [{ index: 'v0', family: 4 }, { index: 'v0', label: 'v0:a' }, { index: 'v1', family: 6 }, { index: 'v1' }],
    noise(r) {
      const lines = []
      for (let i = r.int(3); i > 0; i--) {
        const dev = r.pick(['v0', 'v1'])
        const six = r.chance(0.4)
        const a = six ? `fd00:${1 + r.int(2)}::${1 + r.int(3)}/64` : `10.20.${r.int(2)}.${1 + r.int(4)}/24`
        const label = six ? '' : ` label ${dev}${r.pick(['', ':a', ':b'])}`
        lines.push(r.chance(0.3) ? `addr del ${a} dev ${dev}` : `addr add ${a} dev ${dev}${label}${six ? ' nodad' : ''}`)
      }
      return lines
    },
    desired(r, scope) {
      const out = []
      const dev = scope.index
      for (let i = r.int(3); i > 0; i--) {
        const six = scope.family === 6 || (scope.family === undefined && scope.label === undefined && r.chance(0.4))
        const o = six ? { local: `fd00:${1 + r.int(2)}::${1 + r.int(3)}`, prefixlen: 64, flags: 0x02 } : { local: `10.20.${r.int(2)}.${1 + r.int(4)}`, prefixlen: 24 }
        if (!six && scope.label === undefined) o.label = `${dev}${r.pick(['', ':a', ':b'])}`
        out.push(o)
      }
      return out
    },
    invalid(r, desired) {
      const o = { ...(desired[0] ?? { local: '10.20.0.1', prefixlen: 24 }) }
      if (r.chance(0.5)) o.prefixlen = o.local.includes(':') ? 129 : 33
      else o.lcoal = o.local
      return [o, ...desired.slice(1)]
    },
    keys: ['addresses'],
    inside(o, scope) {
      if (o.local === '::1' || String(o.local).startsWith('fe80:') || o.dev === 'lo') return false
      return (
        o.dev === scope.index &&
        (scope.family === undefined || o.family === (scope.family === 6 ? 'inet6' : 'inet')) &&
        (scope.label === undefined || o.label === scope.label)
      )
    },
    key: (o) => `${o.local}/${o.prefixlen} ${o.label ?? ''}`,
    want: (d, scope) => `${d.local}/${d.prefixlen} ${d.local.includes(':') ? '' : d.label ?? scope.label ?? scope.index}`,
    // An address brings its kernel routes (prefix, local, broadcast) and IPv6 multicast routes of its link.
    derived: (key, o) => key.startsWith('routes') && (o.protocol === 'kernel' || o.table === 'local'),
  },
  nexthops: {
    setup: ['link set lo up', 'link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up', 'addr add 10.9.0.1/24 dev v0'],
    scopes: [{ protocol: 'static' }, { protocol: 'bird' }, { protocol: 'static', oif: 'v0' }],
    noise(r) {
      const lines = []
      for (let i = r.int(3); i > 0; i--) {
        // Ids of each scope's range (1-4 static, 21-24 bird) and beside them.
        const id = r.pick([4, 5, 6, 7, 24, 25, 26, 27])
        const roll = r.int(20)
        if (roll < 4) lines.push(`nexthop del id ${id}`)
        else if (roll < 5) lines.push(`nexthop add id ${10 + r.int(2)} group ${id}/${r.pick([5, 6, 25, 26])} proto boot`)
        else if (roll < 6) lines.push(`route add 10.${50 + r.int(3)}.0.0/16 nhid ${id} table ${r.pick([100, 'main'])}`)
        else lines.push(`nexthop add id ${id} via 10.9.0.${2 + r.int(3)} dev v0 proto ${r.pick(['boot', 'static', 'bird'])}`)
      }
      return lines
    },
    desired(r, scope, ctx) {
      const out = []
      const ids = new Set()
      for (let i = r.int(3); i > 0; i--) {
        const id = (scope.protocol === 'bird' ? 21 : 1) + r.int(4)
        if (ids.has(id)) continue
        ids.add(id)
        out.push({ id, gateway: `10.9.0.${2 + r.int(3)}`, oif: ctx.v0 })
      }
      return out
    },
    invalid(r, desired) {
      const o = { ...(desired[0] ?? { id: 1, gateway: '10.9.0.2' }) }
      if (r.chance(0.5)) o.gateway = '10.9.0'
      else o.gatewya = '10.9.0.2'
      return [o, ...desired.slice(1)]
    },
    keys: ['nexthops'],
    inside: (o, scope) => protoOf(o.protocol) === protoOf(scope.protocol) && (scope.oif === undefined || o.dev === scope.oif),
    key: (o) => `${o.id} ${o.gateway}`,
    want: (d) => `${d.id} ${d.gateway}`,
    derived: () => false,
  },
  links: {
    setup: ['link set lo up', 'link add va type veth peer name vb', 'link add out0 type bridge'],
    scopes: [{ kind: 'bridge' }, { kind: 'ifb' }, { group: 7 }, { kind: 'bridge', group: 7 }],
    noise(r) {
      const lines = []
      for (let i = r.int(3); i > 0; i--) {
        const bridge = `b${1 + r.int(6)}`
        const roll = r.int(20)
        if (roll < 4) lines.push(`link del ${r.pick([bridge, `i${1 + r.int(6)}`, 'm1'])}`)
        else if (roll < 7) lines.push(`link add ${bridge} type bridge`)
        else if (roll < 9) lines.push(`link add i${1 + r.int(6)} type ifb`)
        else if (roll < 11) lines.push(`link set ${bridge} group ${r.pick([0, 7])}`)
        // What a bridge's delete would reach: a port (a veth end, outside every scope) and a macvlan on top.
        else if (roll < 13) lines.push(`link set ${r.pick(['va', 'vb'])} ${r.chance(0.3) ? 'nomaster' : `master ${r.pick([bridge, 'out0'])}`}`)
        else if (roll < 15) lines.push(`link add m1 link ${bridge} type macvlan`)
        else lines.push(`link set ${bridge} mtu ${r.pick([1400, 1450])}`)
      }
      return lines
    },
    desired(r, scope) {
      const out = []
      const names = new Set()
      for (let i = r.int(3); i > 0; i--) {
        const kind = scope.kind ?? r.pick(['bridge', 'ifb'])
        // Names of the kind scopes (1-4) and the group scopes (5-8) overlap the noise's (1-6) in part.
        const name = `${kind === 'bridge' ? 'b' : 'i'}${(scope.group === undefined ? 1 : 5) + r.int(4)}`
        if (names.has(name)) continue
        names.add(name)
        const o = { name, linkinfo: { kind } }
        if (r.chance(0.7)) o.mtu = r.pick([1400, 1450, 1500])
        out.push(o)
      }
      return out
    },
    invalid(r, desired) {
      const o = { ...(desired[0] ?? { name: 'b1', linkinfo: { kind: 'bridge' } }) }
      const how = r.int(3)
      if (how === 0) o.mtuu = 1400
      else if (how === 1) o.name = 'b%d'
      else o.name = 'a-name-too-long-for-ifnamsiz'
      return [o, ...desired.slice(1)]
    },
    keys: ['links'],
    inside(o, scope) {
      const group = o.group === 'default' ? 0 : Number(o.group)
      return (scope.kind === undefined || o.linkinfo?.info_kind === scope.kind) && (scope.group === undefined || group === scope.group)
    },
    key: (o) => `${o.ifname} ${o.mtu}`,
    // A link made without an mtu has the kernel's (1500 for these kinds); one in place keeps its own.
    want: (d) => `${d.name} ${d.mtu ?? '*'}`,
    wildcard: (key, want) => want.endsWith(' *') && key.startsWith(want.slice(0, -1)),
    derived: () => false,
  },
}

const counts = {}

for (const [kind, world] of Object.entries(WORLDS)) {
  const cases = Math.round((CASES * (kind === 'routes' ? 2 : 1)) / (Object.keys(WORLDS).length + 1))
  test(`reconcile of ${kind}: ${cases} random cases (seed ${SEED}); outside the scope nothing changes; inside is what was desired, or nothing was sent`, async (t) => {
    t.timeout(Math.max(300_000, cases * 1000))
    const ns = makeNetns(t, 'rtnl', { sentinel: false })
    // No duplicate address detection: the kernel would otherwise change addresses and routes by itself a second later.
    for (const k of ['all', 'default']) execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${k}.accept_dad=0`])
    ipTry(ns, world.setup)
    // The kernel finishes what the set-up started (link-local addresses once a link has carrier) before the first case.
    await waitQuiet(ns, 1000)
    const netns = { name: ns }
    const ctx = { v0: (await links.get({ name: 'v0' }, { netns }))?.index }
    const r = random(SEED * 1000 + Object.keys(WORLDS).indexOf(kind))
    const reasons = new Map()
    const c = (counts[kind] = { cases, applied: 0, unchanged: 0, refusedBeforeSending: 0, refusedByKernel: 0, invalidRefused: 0 })
    for (let i = 0; i < cases; i++) {
      ipTry(ns, world.noise(r))
      const scope = r.pick(world.scopes)
      let desired = world.desired(r, scope, ctx)
      const invalid = r.chance(0.1)
      if (invalid) desired = world.invalid(r, desired)
      else if (desired.length > 0 && r.chance(0.05)) desired = [...desired, { ...desired[0], ...(kind === 'nexthops' ? { gateway: '10.9.0.9' } : {}) }]
      const before = state(ns)
      // Now and then the caller lets the kernel's cascades past the scope: then what changes outside must be what the plan lists.
      const allowCascade = r.chance(0.25)
      const what = `case ${i} (seed ${SEED}): reconcile('${kind}', ${JSON.stringify(desired)}, { scope: ${JSON.stringify(scope)}, allowCascade: ${allowCascade} })`
      let result
      try {
        result = await reconcile(kind, desired, { netns, scope, allowCascade })
      } catch (err) {
        t.true(typeof err.code === 'string', `${what}: rejected without a code: ${err.message}`)
        t.deepEqual(state(ns), before, `${what}: rejected (${err.code}: ${err.message}), yet something changed`)
        c.refusedBeforeSending++
        if (invalid) c.invalidRefused++
        else reasons.set(err.message.replace(/[0-9a-f:.]{3,}|\d+/g, '#').slice(0, 110), (reasons.get(err.message.replace(/[0-9a-f:.]{3,}|\d+/g, '#').slice(0, 110)) ?? 0) + 1)
        continue
      }
      if (invalid) t.fail(`${what}: an invalid desired object was accepted`)
      const after = state(ns)
      const sent = `${what}, which sent ${JSON.stringify(result.ops.map((o) => [o.verb, o.object]))} (${result.results.map((x) => (x.ok ? 'ok' : x.error.code)).join(', ')})`
      const reached = new Set(result.cascade.map(reachedKey))
      if (!allowCascade) t.deepEqual(result.cascade, [], `${sent}: a cascade without allowCascade`)
      for (const key of Object.keys(before)) {
        const isInside = (o) => world.keys.includes(key) && world.inside(withFamily(key, o), scope)
        const outside = (list) =>
          list
            .filter((o) => !(world.derived(key, o) || isInside(o) || reached.has(listedKey(key, o))))
            .map((o) => JSON.stringify(o))
            .sort()
        const was = outside(before[key])
        let now = outside(after[key])
        // IPv6 lists ECMP siblings as one route with the first one's
        // protocol: a foreign hop hidden in a group listed inside the scope
        // shows under its own protocol once the group's first hop is gone.
        // It was there before, unchanged: not a change.
        if (key === 'routes-6') {
          const hidden = new Set(before[key].filter((o) => o.nexthops && isInside(o)).flatMap(hops))
          now = now.filter((s) => was.includes(s) || !hops(JSON.parse(s)).every((h) => hidden.has(h)))
        }
        t.deepEqual(now, was, `${sent}: ${key} outside the scope changed`)
      }
      if (!result.results.every((x) => x.ok)) {
        const why = result.results.find((x) => !x.ok).error.message.replace(/[0-9a-f:.]{3,}|\d+/g, '#').slice(0, 110)
        reasons.set(why, (reasons.get(why) ?? 0) + 1)
        c.refusedByKernel++
        continue
      }
      if (result.ops.length === 0) c.unchanged++
      else c.applied++
      const inside = world.keys.flatMap((key) => after[key].map((o) => withFamily(key, o))).filter((o) => world.inside(o, scope)).map(world.key).sort()
      const wanted = desired.map((d) => world.want(d, scope)).sort()
      // A desired field left out matches whatever the kernel holds.
      const matched = world.wildcard ? inside.map((k) => wanted.find((w) => w === k || world.wildcard(k, w)) ?? k).sort() : inside
      t.deepEqual(matched, wanted, `${sent}: inside the scope is not what was desired`)
      const again = await reconcile(kind, desired, { netns, scope, dryRun: true })
      t.deepEqual(again.ops, [], `${what}: a second reconcile plans changes`)
    }
    t.log(JSON.stringify(c))
    if (process.env.RTNL_PROPERTY_REASONS) t.log([...reasons].sort((a, b) => b[1] - a[1]).map(([m, n]) => `${n}× ${m}`).join('\n'))
    // Most cases must make changes, or the property proves little.
    t.true(c.applied / cases >= 0.6, `only ${c.applied} of ${cases} cases applied changes`)
    if (process.env.RTNL_PROPERTY_OUT) writeFileSync(`${process.env.RTNL_PROPERTY_OUT}.${kind}.json`, JSON.stringify({ seed: SEED, ...c }))
  })
}

/** An object the plan says goes in cascade, as listedKey names it. */
function reachedKey(o) {
  if (o.ifname !== undefined || (o.name !== undefined && o.index !== undefined && o.prefixlen === undefined)) return `link ${o.name}`
  if (o.prefixlen !== undefined) return `address ${o.local ?? o.address}/${o.prefixlen}`
  if (o.dstLen !== undefined) return `route ${o.dst === undefined ? 'default' : `${o.dst}/${o.dstLen}`} t${o.table ?? 254}`
  return `nexthop ${o.id}`
}

/** A listed object (as ip prints it) by the same names as reachedKey. */
function listedKey(key, o) {
  if (key === 'links') return `link ${o.ifname}`
  if (key === 'addresses') return `address ${o.local}/${o.prefixlen}`
  if (key === 'nexthops') return `nexthop ${o.id}`
  if (key.startsWith('routes')) return `route ${o.dst.includes('/') || o.dst === 'default' ? o.dst : `${o.dst}/${o.dst.includes(':') ? 128 : 32}`} t${tableOf(o.table)}`
  return JSON.stringify(o)
}

/** The hops of a listed IPv6 route, protocol aside: `dst table metric gateway dev` each. */
function hops(o) {
  return (o.nexthops ?? [o]).map((h) => `${o.dst} ${o.table} ${o.metric} ${h.gateway} ${h.dev}`)
}

/** ip's listings per family carry no family field: the key says it. */
function withFamily(key, o) {
  if (key.endsWith('-4')) return { ...o, family: 4 }
  if (key.endsWith('-6')) return { ...o, family: 6 }
  return o
}
