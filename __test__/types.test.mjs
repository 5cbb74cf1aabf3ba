// The TS types of what the Rust core serialises are written by running Rust
// (crates/rtnl-typegen -> src/generated/, kept current by `cargo test`).
// These tests check what that cannot: the hand overrides in the Rust
// derives (fields typed by name or made required) hold in the published
// types, every generated type is exported, the guide lists the same fields,
// real values type-check against the published types, and internals stay
// out of them.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { subscribe, links, addresses, routes, rules, neighbours } from 'rtnl'
import { ROOT, readTs, typecheckValues, publicLeaks, makeProgram, checkReadme, typecheckSource } from '../scripts/check-types.mjs'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'
import { SCENARIO as BASE_SCENARIO } from './_scenario.mjs'

const read = (path) => readFileSync(join(ROOT, path), 'utf8')

/** A copy of a source with `after` followed by `insert`; fails if `after` is not there once. */
function edit(text, after, insert, replace = false) {
  const at = text.indexOf(after)
  if (at < 0 || text.indexOf(after, at + 1) >= 0) throw new Error(`'${after}' must occur exactly once`)
  return text.slice(0, at) + (replace ? insert : after + insert) + text.slice(at + after.length)
}

test('every type in src/generated is exported from the package, with its docs', (t) => {
  const program = makeProgram([join(ROOT, 'dist/index.d.ts')])
  const checker = program.getTypeChecker()
  const exported = new Map(checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, 'dist/index.d.ts')))).map((s) => [s.name, s]))
  // kinds.ts is the kinds' declarations as watch() and reconcile() read them: internal, not types of the API.
  const files = readdirSync(join(ROOT, 'src/generated')).filter((f) => f !== 'kinds.ts')
  t.true(files.length >= 17, files.join(', '))
  let names = 0
  for (const f of files) {
    for (const m of read(`src/generated/${f}`).matchAll(/^export (?:interface|type) (\w+)/gm)) {
      names++
      const sym = exported.get(m[1])
      t.truthy(sym, `src/index.ts does not export ${m[1]} (src/generated/${f})`)
      if (!sym) continue
      const target = sym.flags & 2097152 ? checker.getAliasedSymbol(sym) : sym
      t.not(ts(target.getDocumentationComment(checker)), '', `${m[1]} has no docs`)
    }
  }
  t.true(names >= 100, `${names} generated types`)
})
const ts = (parts) => parts.map((p) => p.text).join('')

test('the hand overrides in the Rust derives hold in the published types: always-sent fields required, fields typed by name', (t) => {
  // Options in Rust (the decoder cannot prove the attribute came) but required in TS, because the kernel puts
  // them in every message of the kind: rtnl_fill_ifinfo puts IFLA_IFNAME, IFLA_MTU and IFLA_OPERSTATE,
  // inet_fill_ifaddr / inet6_fill_ifaddr IFA_CACHEINFO. The real values below hold them to it.
  const types = readTs({ names: ['Link', 'Address', 'Route', 'Netconf', 'NdOption', 'LinkInfo', 'BridgePort', 'MdbEntry', 'BridgeVlan', 'TcObject'] })
  for (const [kind, field] of [['Link', 'name'], ['Link', 'mtu'], ['Link', 'operstate'], ['Address', 'cacheinfo']]) {
    t.false(types.get(kind).props.get(field).optional, `${kind}.${field} is required`)
  }
  const text = (kind, field) => types.get(kind).props.get(field).text.replace(/;$/, '')
  t.is(text('Route', 'metrics'), 'metrics?: Record<string, number | string>')
  t.is(text('Netconf', 'interface'), "interface?: 'all' | 'default'")
  t.is(text('NdOption', 'typeName'), "typeName?: 'prefix' | 'rdnss' | 'dnssl' | 'captive-portal' | 'pref64'")
  t.is(text('LinkInfo', 'data'), 'data?: LinkInfoData')
  t.is(text('LinkInfo', 'slaveData'), 'slaveData?: LinkSlaveData')
  t.is(text('BridgePort', 'protinfo'), 'protinfo?: BridgePortData')
  t.is(text('MdbEntry', 'entryType'), 'entryType: "group" | "router"')
  t.is(text('BridgeVlan', 'entryType'), 'entryType: "vlan" | "global"')
  t.is(text('TcObject', 'object'), 'object?: "qdisc" | "class" | "filter" | "chain"')
  // The name unions are written from the decoder's tables: a name outside them does not compile.
  const wrong = `import type * as R from './dist/index'
export const a: R.AddressFlagName = 'tentative'
export const b: R.NeighbourState = 'stale'
export const c: R.NeighbourFlag = 'extern_learn'
export const d: R.AddressFlagName = 'fresh'
`
  const problems = typecheckSource(wrong)
  t.is(problems.length, 1, problems.join('\n'))
  t.regex(problems[0], /^line 5: Type '"fresh"' is not assignable to type 'AddressFlagName'/)
})

test('the guide lists the same top-level fields as the TS interfaces', (t) => {
  t.deepEqual(checkReadme(), [])
  const readme = read('docs/guide.md')
  const stale = readme.replace('protoDown, linkNetnsid,', 'protoDown, oldField, linkNetnsid,').replace(', tunId,', ',')
  const problems = checkReadme(stale)
  t.is(problems.length, 2, problems.join('\n'))
  t.regex(problems[0], /^Link\.oldField: listed in docs\/guide\.md:\d+ but not a field of TS interface Link$/)
  t.regex(problems[1], /^Rule\.tunId: a field of TS interface Rule that docs\/guide\.md:\d+ does not list$/)
})

// Monitor and MonitorBranch declare private constructors: nothing is known to leak.
const KNOWN_LEAKS = []

test('linkinfo data types resolve per kind as documented', (t) => {
  const ok = `import type * as R from './dist/index'
type Eq<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
const checks: true[] = [
  true as Eq<R.LinkInfoDataOf<'bridge'>, R.BridgeData>,
  true as Eq<R.LinkInfoDataOf<'macvtap'>, R.MacvlanData>,
  true as Eq<R.LinkInfoDataOf<'ip6erspan'>, R.GreData>,
  true as Eq<R.LinkInfoDataOf<'ifb'>, R.LinkInfoDataCommon>,
  true as Eq<R.LinkInfoDataOf<undefined>, R.LinkInfoDataCommon>,
  true as Eq<R.LinkInfoDataOf<string>, R.LinkInfoData>,
  true as Eq<R.LinkInfoDataOf<'tun' | 'vxlan'>, R.TunData | R.VxlanData>,
  true as Eq<R.LinkSlaveDataOf<'bridge'>, R.BridgePortData>,
  true as Eq<R.LinkSlaveDataOf<'team'>, R.LinkInfoDataCommon>,
  true as Eq<NonNullable<R.LinkInfo['data']>, R.LinkInfoData>,
  true as Eq<NonNullable<R.LinkInfo['slaveData']>, R.LinkSlaveData>,
  true as Eq<R.TunData['type'], 'tun' | 'tap' | \`\${number}\` | undefined>,
]
declare const link: R.Link
const bridge = link.linkinfo?.data as R.LinkInfoDataOf<'bridge'> | undefined
const delay: number | undefined = bridge?.forwardDelay
const port = link.linkinfo?.slaveData as R.LinkSlaveDataOf<'bridge'> | undefined
const learning: boolean | undefined = port?.learning
const unknown: R.UnknownAttribute[] | undefined = link.linkinfo?.data?.unknown
export { checks, delay, learning, unknown }
`
  t.deepEqual(typecheckSource(ok), [])
  // Keys of one kind do not type on another's data.
  const wrong = `import type * as R from './dist/index'
declare const d: R.LinkInfoDataOf<'tun'>
export const x = d.forwardDelay
`
  t.regex(typecheckSource(wrong).join('\n'), /Property 'forwardDelay' does not exist on type 'TunData'/)
})

test('the published types expose no internals', (t) => {
  const leaks = publicLeaks()
  t.is(leaks.length, KNOWN_LEAKS.length, leaks.join('\n'))
  KNOWN_LEAKS.forEach((re, i) => t.regex(leaks[i] ?? '', re))

  // A `_member`, a Native* type or a token constructor reachable from the exports shows.
  const dts = join(ROOT, 'dist/link.d.ts')
  const leaky = edit(read('dist/link.d.ts'), '    get(which: LinkSelector, opts?: LinkListOptions): Promise<Link | null>;\n', '    _attach(native: NativeMonitor): void;\n')
    .replace('export declare const links', 'export interface NativeMonitor {\n    close(): void;\n}\nexport declare class Hidden {\n    constructor(token: symbol);\n}\nexport declare const links')
  const index = join(ROOT, 'dist/index.d.ts')
  const more = publicLeaks({ overrides: { [dts]: leaky, [index]: read('dist/index.d.ts') + "export { Hidden } from './link';\n" } })
  const added = more.filter((l) => !leaks.includes(l))
  t.is(added.length, 4, added.join('\n'))
  t.regex(added.join('\n'), /^Hidden: constructor takes an internal token `token: symbol` \(dist\/link\.d\.ts:\d+\)$/m)
  t.regex(added.join('\n'), /^Hidden: public constructor `constructor\(token: symbol\);`/m)
  t.regex(added.join('\n'), /^links\._attach: internal member in the published types/m)
  t.regex(added.join('\n'), /^links\._attach\(native\): exposes type NativeMonitor/m)
})

// ---- real values ---------------------------------------------------------------------------------

// The parity namespace, and more kinds and attributes on top.
const SCENARIO = [
  ...BASE_SCENARIO,
  'link add ifb0 type ifb',
  'link add mv0 link a1 type macvlan mode bridge',
  'link add mvt0 link a1 type macvtap mode vepa',
  'link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1 dev a0 ttl 9 ageing 120',
  'link property add dev a0 altname uplink0',
  'link set vx0 up',
  'addr add 10.4.0.1/24 dev a1 valid_lft 3000 preferred_lft 2000',
  'addr add 10.5.0.1/24 dev a1 metric 7',
  'route add 10.18.0.0/16 via 10.1.0.254 mtu 1300 advmss 1200 hoplimit 9 congctl cubic',
  '-6 route add fd04::/48 dev a0 expires 300',
  '-6 route add fd05::/48 from fd00::/64 via fd00::2 dev a0',
  'route add 10.16.0.0/16 via inet6 fd00::2 dev a0',
  'nexthop add id 1 via 10.1.0.254 dev a0',
  'route add 10.17.0.0/16 nhid 1',
  'rule add pref 1008 table 6 realms 3/4 protocol static',
  'rule add pref 1006 goto 1007',
  'rule add pref 1007 table 7 suppress_ifgroup 3',
  'neigh add proxy 10.1.0.9 dev a0',
  'neigh add 10.1.0.10 lladdr 02:00:00:00:ab:0a dev a0 protocol static',
]
/** Kinds this kernel may lack: added when it has them. */
const OPTIONAL = [
  'link add v5 link a0 type vlan id 5',
  'link add bo0 type bond mode active-backup miimon 100',
  'link add vr0 type vrf table 10',
  'link add iv0 link a1 type ipvlan mode l3',
  'link add gre1 type gre remote 10.9.9.9 local 10.1.0.1 ttl 64',
  'link add wg0 type wireguard',
]
const FDB = [
  ['fdb', 'add', '02:00:00:00:cd:01', 'dev', 'b0', 'master', 'static'],
  ['fdb', 'add', '02:00:00:00:cd:02', 'dev', 'b1', 'master'],
  ['fdb', 'append', '00:00:00:00:00:00', 'dev', 'vx0', 'dst', '10.1.0.9', 'port', '4790', 'vni', '43'],
]

test('what list(), get() and a monitor return type-checks against the published types, linkinfo data per kind', async (t) => {
  const ns = makeNetns(t)
  const netns = { name: ns }
  const monitor = await subscribe({ netns })
  t.teardown(() => monitor.stop())
  const seen = collect(monitor)
  for (const line of SCENARIO) ip(ns, ...line.split(' '))
  const optional = []
  for (const line of OPTIONAL) {
    try {
      execFileSync('ip', ['-n', ns, ...line.split(' ')], { stdio: 'ignore' })
      optional.push(line.split(' ')[2])
    } catch {}
  }
  if (optional.includes('bo0')) ip(ns, 'link', 'set', 'mv0', 'down')
  for (const args of FDB) execFileSync('bridge', ['-n', ns, ...args])
  await seen.waitFor(isOp('new_neigh', (n) => n.lladdr === '00:00:00:00:00:00' && n.dst === '10.1.0.9'), 5000, 'the last fdb entry')

  const entries = []
  const add = (label, type, value) => entries.push({ label, type, value })
  const all = {
    links: await links.list({ netns }),
    linksAf: await links.list({ netns, afDetails: true }),
    addresses: await addresses.list({ netns }),
    routes: await routes.list({ netns }),
    rules: await rules.list({ netns }),
    neighbours: await neighbours.list({ netns }),
  }
  for (const l of [...all.links, ...all.linksAf]) {
    add(`link ${l.name}`, 'Link', l)
    const info = l.linkinfo
    if (info?.data) add(`link ${l.name} data`, `LinkInfoDataOf<${JSON.stringify(info.kind ?? '')}>`, info.data)
    if (info?.slaveData) add(`link ${l.name} slaveData`, `LinkSlaveDataOf<${JSON.stringify(info.slaveKind ?? '')}>`, info.slaveData)
  }
  for (const a of all.addresses) add(`address ${a.address}/${a.prefixlen}`, 'Address', a)
  for (const r of all.routes) add(`route ${r.dst ?? 'default'}/${r.dstLen} table ${r.table}`, 'Route', r)
  for (const r of all.rules) add(`rule ${r.priority} family ${r.family}`, 'Rule', r)
  for (const n of all.neighbours) add(`neighbour ${n.dst ?? n.lladdr} family ${n.family}`, 'Neighbour', n)
  add('routes.get 10.11.1.1', 'Route', await routes.get('10.11.1.1', { netns }))
  add('links.get br0', 'Link', await links.get({ name: 'br0' }, { netns, afDetails: true }))
  const perOp = new Map()
  for (const m of seen.seen) {
    const k = m.op ?? m.type
    perOp.set(k, (perOp.get(k) ?? 0) + 1)
    if (perOp.get(k) <= 25) add(`event ${k} #${perOp.get(k)}`, 'MonitorMessage', m)
  }

  const problems = typecheckValues(entries)
  t.deepEqual(problems, [], problems.join('\n'))

  // What the values covered: the kinds, and the interface keys never seen in a value.
  const kinds = new Set(all.links.map((l) => l.linkinfo?.kind).filter(Boolean))
  for (const k of ['veth', 'bridge', 'tun', 'macvlan', 'macvtap', 'vxlan', 'ifb']) t.true(kinds.has(k), k)
  const dataTypes = new Set(entries.map((e) => e.type).filter((ty) => ty.startsWith('Link')))
  for (const ty of ['"bridge"', '"tun"', '"macvlan"', '"macvtap"', '"vxlan"'].map((k) => `LinkInfoDataOf<${k}>`).concat('LinkSlaveDataOf<"bridge">')) {
    t.true(dataTypes.has(ty), `no value was checked as ${ty}`)
  }
  t.true(all.links.some((l) => l.linkinfo?.slaveKind === 'bridge' && l.linkinfo.slaveData), 'a bridge port')
  t.true(all.routes.some((r) => r.multipath?.length === 2) && all.routes.some((r) => r.metrics?.congctl === 'cubic'))
  t.true(all.addresses.some((a) => a.cacheinfo?.valid === 'forever') && all.addresses.some((a) => typeof a.cacheinfo?.valid === 'number'))
  t.true(all.neighbours.some((n) => n.family === 7 && n.vni === 43))
  const tsTypes = readTs()
  const unseen = []
  const visit = (tsName, obj) => {
    if (!obj || typeof obj !== 'object' || !tsTypes.get(tsName)) return
    const seenKeys = (visit.keys[tsName] ??= new Set())
    for (const [k, v] of Object.entries(obj)) {
      seenKeys.add(k)
      const p = tsTypes.get(tsName).props.get(k)
      const child = p?.alts.map((a) => /struct:(\w+)/.exec(a)?.[1]).find(Boolean)
      if (child) for (const c of Array.isArray(v) ? v : [v]) visit(child, c)
    }
  }
  visit.keys = {}
  const roots = { Link: [...all.links, ...all.linksAf], Address: all.addresses, Route: all.routes, Rule: all.rules, Neighbour: all.neighbours }
  for (const [name, list] of Object.entries(roots)) for (const o of list) visit(name, o)
  visit('Route', entries.find((e) => e.label === 'routes.get 10.11.1.1').value)
  for (const [name, iface] of tsTypes) {
    const keys = visit.keys[name] ?? new Set()
    const missing = [...iface.props.keys()].filter((k) => !keys.has(k))
    if (missing.length) unseen.push(`${name}: ${missing.join(', ')}`)
  }
  t.log(`type-checked ${entries.length} values (linkinfo as ${[...dataTypes].filter((d) => d !== 'Link').join(', ')}); optional kinds present here: ${optional.join(', ') || 'none'}`)
  t.log(`keys no value here had (absent in this namespace, not wrong): ${unseen.join('; ')}`)
})
