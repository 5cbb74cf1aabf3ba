// The kinds a distribution kernel has as modules and some kernel builds lack
// altogether (dummy, vlan, bond, vrf, wireguard, GRE, ipvlan, MPLS, fq_codel,
// netem, fq, cake): each test needs its feature (__test__/_features.mjs) and
// is skipped with its name where the kernel lacks it. The kernel matrix (npm
// run test:kernels) runs them on Debian's 5.10, 6.1, 6.12 and 7.2.
//
// For each kind: the event the kernel sends when the object is made and the
// object list() gives are the same struct, and both match what iproute2
// prints (`ip -d -j`, `tc -d -j`) key by key; nothing arrives undecoded.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { isDeepStrictEqual } from 'node:util'
import { links, routes, netconf, qdiscs, subscribe, watch, ALL_GROUPS } from 'rtnl'
import { collect, ip, ipBatch, ipJson, isOp, makeNetns, waitQuiet } from './_helpers.mjs'
import { toolJson } from './_parity.mjs'
import { needs } from './_features.mjs'
import { camel, fieldsRead, linkinfoRow, notPrinted } from './_linkinfo-ip.mjs'

/** A namespace with two veth pairs (a0/b0, a1/b1, up) and a monitor of every group. */
async function host(t) {
  const ns = makeNetns(t)
  ipBatch(ns, ['link set lo up', 'link add a0 type veth peer name b0', 'link add a1 type veth peer name b1', 'link set a0 up', 'link set b0 up', 'addr add 10.1.0.1/24 dev a0'])
  const monitor = await subscribe({ netns: { name: ns }, groups: [...ALL_GROUPS] })
  t.teardown(() => monitor.stop())
  return { ns, netns: { name: ns }, events: collect(monitor), monitor }
}

/**
 * Attributes a newer kernel sends that rtnl keeps raw (in `unknown`, as it
 * keeps anything it does not know) until they are named: [link kind, path, type, why].
 */
const STILL_RAW = [
  ['bond', 'linkinfo.data', 34, "bond attribute 34 (a u8), sent by Debian's 7.2 after IFLA_BOND_BROADCAST_NEIGH (33); not in the uapi header rtnl decodes from yet, so kept raw"],
]

/** Fails on any event that arrived undecoded, or any undecoded attribute among `objects`. */
function nothingUnknown(t, events, objects) {
  const unknown = events.seen.filter((m) => m.type === 'event' && m.op === 'unknown')
  t.deepEqual(unknown.map((m) => m.resource), [], 'events that arrived undecoded')
  const found = []
  const walk = (v, path, kind) => {
    if (v === null || typeof v !== 'object') return
    const unknown = (v.unknown ?? []).filter((a) => !STILL_RAW.some(([k, at, type]) => k === kind && path.endsWith(at) && a.type === type))
    if (unknown.length) found.push(`${path}.unknown: ${JSON.stringify(unknown)}`)
    for (const [k, x] of Object.entries(v)) if (k !== 'unknown') walk(x, `${path}.${k}`, kind)
  }
  for (const o of objects) walk(o, o.name ?? o.kind ?? 'object', o.linkinfo?.kind)
  t.deepEqual(found, [], 'undecoded attributes')
}

/**
 * A link without what legitimately differs between its last event and a
 * listing: the counters (they move), the header's change mask and
 * IFLA_EVENT, which only notifications carry, and the IPv6 per-link state
 * (ready, router solicitation sent, and its timestamp), which the kernel
 * announces in the family-10 notice, not in an AF_UNSPEC new_link.
 */
const still = (l) => {
  const { stats, stats64, change, event, ...rest } = l
  const inet6 = rest.afSpec?.inet6
  if (inet6) {
    const { flags, cacheinfo, ...stable } = inet6
    const { tstamp, ...times } = cacheinfo ?? {}
    rest.afSpec = { ...rest.afSpec, inet6: { ...stable, cacheinfo: times } }
  }
  return rest
}

// Each kind: its feature, and the `ip` lines that make one or more of it.
const LINK_KINDS = [
  ['dummy', ['link add d0 type dummy', 'link set d0 up']],
  ['vlan', ['link add link a0 name a0.10 type vlan id 10', 'link add link a0 name a0.20 type vlan id 20 protocol 802.1ad']],
  ['bond', ['link add bond0 type bond mode active-backup miimon 100', 'link set a1 master bond0']],
  ['vrf', ['link add vrf0 type vrf table 100', 'link set a1 master vrf0']],
  ['wireguard', ['link add wg0 type wireguard']],
  // (not gre0, gretap0, erspan0, ip6gre0: the module's fallback devices, in every namespace)
  ['gre', ['link add gre1 type gre remote 10.9.0.1 local 10.9.0.2 ttl 64 key 5', 'link add gtap1 type gretap remote 10.9.0.3 local 10.9.0.2', 'link add ersp1 type erspan remote 10.9.0.4 local 10.9.0.2 seq key 10 erspan_ver 1 erspan 100']],
  ['ip6gre', ['link add g6 type ip6gre remote fd00::1 local fd00::2 hoplimit 30']],
  ['ipvlan', ['link add link a0 name ipv0 type ipvlan mode l3']],
]

for (const [feature, lines] of LINK_KINDS) {
  needs(feature)(`${feature} links: the event and list() are one struct, and match ip -d -j link show key by key`, async (t) => {
    const { ns, netns, events } = await host(t)
    ipBatch(ns, lines)
    const made = lines.map((l) => /link add (?:link \S+ )?(?:name )?(\S+)/.exec(l)?.[1]).filter(Boolean)
    for (const name of made) await events.waitFor(isOp('new_link', (l) => l.name === name), 20_000, `new_link ${name}`)
    await waitQuiet(ns)
    const listed = await links.list({ netns })
    const theirs = ipJson(ns, '-d', 'link', 'show')
    // Every key that differs, so one run (minutes, under emulation) shows them all.
    const differ = []
    const ctx = { name: (index) => listed.find((l) => l.index === index)?.name ?? `if${index}` }
    for (const name of made) {
      const mine = listed.find((l) => l.name === name)
      const ipLink = theirs.find((l) => l.ifname === name)
      t.truthy(mine && ipLink, name)
      if (!mine || !ipLink) continue
      // The last event about the link is the state list() reads.
      // (AF_UNSPEC: an IPv6 per-link notice, family 10, is a new_link too.)
      const last = events.seen.filter((m) => m.type === 'event' && m.op === 'new_link' && m.resource.family === 0 && m.resource.index === mine.index).at(-1)
      t.deepEqual(still(last.resource), still(mine), `${name}: the last new_link and list() differ`)
      const info = ipLink.linkinfo ?? {}
      t.is(mine.linkinfo?.kind, info.info_kind, `${name} info_kind`)
      t.is(mine.linkinfo?.slaveKind, info.info_slave_kind, `${name} info_slave_kind`)
      for (const [where, kind, data, ours] of [['info_data', info.info_kind, info.info_data, mine.linkinfo?.data], ['info_slave_data', `${info.info_slave_kind}_slave`, info.info_slave_data, mine.linkinfo?.slaveData]]) {
        for (const [key, value] of Object.entries(data ?? {})) {
          const [pick, norm] = linkinfoRow(kind, key) ?? [(v) => v, (v) => v]
          const mineValue = pick(ours?.[camel(key)], ours ?? {}, ctx)
          if (!isDeepStrictEqual(mineValue, norm(value))) differ.push(`${name} ${where}.${key}: ip ${JSON.stringify(value)}, ours (${camel(key)}) ${JSON.stringify(mineValue)} in ${JSON.stringify(ours)}`)
        }
        // And the other way: each field of ours ip printed, or a reason it does not.
        const read = fieldsRead(kind, Object.keys(data ?? {}))
        for (const [field, value] of Object.entries(ours ?? {})) {
          if (field === 'unknown' || read.has(field) || notPrinted(kind, field, value, ours)) continue
          differ.push(`${name} ${where}: ours has ${field} ${JSON.stringify(value)}, which ip does not print, and __test__/_linkinfo-ip.mjs gives no reason`)
        }
      }
    }
    t.deepEqual(differ, [], 'linkinfo keys that differ from ip -d -j')
    // Every link of the namespace is the same in both reads (ports and uppers changed too).
    t.is(listed.length, theirs.length)
    nothingUnknown(t, events, listed.filter((l) => made.includes(l.name)))
  })
}

needs('mpls')('MPLS routes: listed, filtered and watched as family 28 (mpls), and matching ip -f mpls route', async (t) => {
  const { ns, netns, events } = await host(t)
  execFileSync('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.mpls.platform_labels=1000', 'net.mpls.conf.a0.input=1'])
  const snapshots = watch(['routes'], { netns, filters: { routes: { family: 'mpls' } } })
  t.teardown(() => snapshots.return())
  const first = await snapshots.next()
  t.is(first.value.state.routes.size, 0, 'no MPLS route yet')
  ip(ns, '-f', 'mpls', 'route', 'add', '100', 'as', '200', 'via', 'inet', '10.1.0.2', 'dev', 'a0')
  ip(ns, '-f', 'mpls', 'route', 'add', '101', 'via', 'inet', '10.1.0.3', 'dev', 'a0')
  await events.waitFor(isOp('new_route', (r) => r.family === 28 && r.dst === '101'), 20_000, 'new_route of label 101')
  for (;;) {
    const snap = (await snapshots.next()).value
    if (snap.state.routes.size === 2) {
      t.deepEqual([...snap.state.routes.values()].map((r) => r.dst).sort(), ['100', '101'], 'watch() of MPLS routes')
      break
    }
  }
  const mine = await routes.list({ netns, family: 'mpls' })
  t.deepEqual(await routes.list({ netns, family: 28 }), mine, "family 28 and 'mpls' are one filter")
  t.is((await routes.list({ netns, family: 4 })).filter((r) => r.family === 28).length, 0)
  const theirs = ipJson(ns, '-f', 'mpls', 'route', 'show')
  t.is(mine.length, theirs.length)
  for (const r of theirs) {
    const ours = mine.find((m) => m.dst === String(r.dst))
    t.truthy(ours, `label ${r.dst}`)
    if (!ours) continue
    t.is(ours.family, 28)
    // ip prints RTA_VIA as { family, host }; we keep the address.
    t.is(ours.via ?? ours.gateway, r.via?.host ?? r.gateway, `label ${r.dst} via`)
    if (r.as) t.is(ours.newdst, String(r.as.to ?? r.as), `label ${r.dst} as`)
    const event = events.seen.filter((m) => m.type === 'event' && m.op === 'new_route' && m.resource.family === 28 && m.resource.dst === ours.dst).at(-1)
    t.deepEqual(event.resource, ours, `label ${r.dst}: the event and list() differ`)
  }
  const conf = await netconf.list({ netns, family: 'mpls' })
  t.true(conf.length > 0 && conf.every((c) => c.family === 28), 'netconf of family mpls')
  t.is(conf.length, ipJson(ns, '-f', 'mpls', 'netconf', 'show').length)
  nothingUnknown(t, events, mine)
})

needs('mpls_encap')('a route with MPLS encapsulation: the event and list() are one struct, with encapType 1', async (t) => {
  const { ns, netns, events } = await host(t)
  ip(ns, 'route', 'add', '10.20.0.0/16', 'encap', 'mpls', '300/400', 'via', '10.1.0.2', 'dev', 'a0')
  const event = await events.waitFor(isOp('new_route', (r) => r.dst === '10.20.0.0'), 20_000, 'new_route 10.20.0.0/16')
  const mine = (await routes.list({ netns, family: 4 })).find((r) => r.dst === '10.20.0.0')
  t.deepEqual(event.resource, mine)
  t.is(mine.encapType, 1)
  const [theirs] = ipJson(ns, '-d', 'route', 'show', '10.20.0.0/16')
  t.is(theirs.encap, 'mpls')
  t.is(mine.gateway, theirs.gateway)
})

// Qdiscs: fq_codel is decoded field by field; netem, fq and cake are listed
// and announced with their options kept (decoded later), never dropped.
const FQ_CODEL = { limit: 'limit', flows: 'flows', quantum: 'quantum', target: 'target', interval: 'interval', memory_limit: 'memoryLimit', ecn: 'ecn', drop_batch: 'dropBatchSize' }
const QDISC_KINDS = [
  ['fq_codel', 'fq_codel limit 1000 flows 256 target 4ms interval 90ms ecn'],
  ['netem', 'netem delay 10ms 2ms loss 1%'],
  ['fq', 'fq limit 500 flow_limit 50'],
  ['cake', 'cake bandwidth 10mbit'],
]
for (const [feature, spec] of QDISC_KINDS) {
  needs(feature)(`${feature} qdiscs: the event and list() are one struct, and match tc -d -j qdisc show`, async (t) => {
    const { ns, netns, events } = await host(t)
    execFileSync('tc', ['-n', ns, 'qdisc', 'add', 'dev', 'a0', 'root', 'handle', '5:', ...spec.split(' ')])
    const event = await events.waitFor(isOp('new_qdisc', (q) => q.kind === feature), 20_000, `new_qdisc ${feature}`)
    const mine = (await qdiscs.list({ netns })).find((q) => q.kind === feature)
    // The counters move between the two reads (xstats too).
    const { stats, stats2, xstats, ...fixed } = mine
    const { stats: s1, stats2: s2, xstats: x2, ...announced } = event.resource
    t.deepEqual(announced, fixed, 'the event and list() differ')
    const [theirs] = toolJson('tc', ns, '-d', '-j', 'qdisc', 'show', 'dev', 'a0').filter((q) => q.kind === feature)
    t.is(mine.handleName, theirs.handle)
    t.is(mine.parentName === 'root', theirs.root === true)
    if (feature === 'fq_codel') {
      for (const [key, ours] of Object.entries(FQ_CODEL)) {
        if (theirs.options[key] === undefined) continue
        const value = key === 'ecn' ? (mine.options[ours] === 1) : mine.options[ours]
        t.deepEqual(value, theirs.options[key], `fq_codel options.${key}`)
      }
    } else {
      t.truthy(mine.options, `${feature}: its options are kept`)
    }
  })
}
