// The TS types describe what the Rust core serialises, and nothing keeps
// the two matched by hand: scripts/check-types.mjs compares the serialised
// Rust structs with the published interfaces (dist/index.d.ts), and
// type-checks what list() and a monitor really return against them;
// scripts/gen-linkinfo-types.mjs writes src/linkinfo.ts from linkinfo.rs's
// tables. These tests run both, prove they catch a one-sided field, and
// keep internals out of the published types.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { subscribe, links, addresses, routes, rules, neighbours } from 'rtnl'
import {
  ROOT,
  MAPPING,
  ALWAYS_SENT,
  checkStructs,
  compare,
  readRust,
  readRustFromRepo,
  readTs,
  RUST_FILES,
  typecheckValues,
  publicLeaks,
  makeProgram,
  checkReadme,
  checkNameTables,
  typecheckSource,
} from '../scripts/check-types.mjs'
import { generate, exportedNames, SOURCE, OUTPUT } from '../scripts/gen-linkinfo-types.mjs'
import { RustSourceError } from '../scripts/rust-source.mjs'
import { makeNetns, ip, collect, isOp } from './_helpers.mjs'
import { SCENARIO as BASE_SCENARIO } from './_scenario.mjs'

const read = (path) => readFileSync(join(ROOT, path), 'utf8')
const rustFiles = (overrides = {}) => RUST_FILES.map((path) => ({ path, text: overrides[path] ?? read(path) }))

/** A copy of a source with `after` followed by `insert`; fails if `after` is not there once. */
function edit(text, after, insert, replace = false) {
  const at = text.indexOf(after)
  if (at < 0 || text.indexOf(after, at + 1) >= 0) throw new Error(`'${after}' must occur exactly once`)
  return text.slice(0, at) + (replace ? insert : after + insert) + text.slice(at + after.length)
}

test('every serialised Rust struct matches its published TS interface, field by field', (t) => {
  const problems = checkStructs()
  t.deepEqual(problems, [], problems.join('\n'))
  // The model is not empty: every mapped struct has fields on both sides.
  const rust = readRustFromRepo()
  const tsTypes = readTs()
  for (const [r, name] of Object.entries(MAPPING)) {
    t.true(rust.structs.get(r).fields.length > 0, r)
    t.true(tsTypes.get(name).props.size > 0, name)
  }
})

test('the checker reports a field on one side only, optionality and type differences, with the place to fix', (t) => {
  const tsTypes = readTs()
  const route = 'crates/rtnl-core/src/route.rs'
  const link = 'crates/rtnl-core/src/link.rs'

  // A field added in Rust only.
  const rustOnly = edit(read(route), '    pub nhid: Option<u32>,\n', '    pub fake_field: Option<u32>,\n')
  const line = rustOnly.split('\n').findIndex((l) => l.includes('fake_field')) + 1
  const problems = compare(readRust(rustFiles({ [route]: rustOnly })), tsTypes)
  const dtsLine = read('dist/route.d.ts').split('\n').findIndex((l) => l.startsWith('export interface Route ')) + 1
  t.deepEqual(problems, [
    `Route.fakeField: serialised by Rust (${route}:${line} \`fake_field: Option<u32>\`, optional number) but missing from TS interface Route (dist/route.d.ts:${dtsLine}; edit src/route.ts)`,
  ])
  t.log(problems[0])

  // A field added in TS only (the published .d.ts, changed in memory).
  const dts = join(ROOT, 'dist/route.d.ts')
  const tsOnly = edit(read('dist/route.d.ts'), '    nhid?: number;\n', '    fakeField?: string;\n')
  const p2 = checkStructs({ tsOverrides: { [dts]: tsOnly } })
  t.is(p2.length, 1)
  t.regex(p2[0], /^Route\.fakeField: in TS interface Route \(dist\/route\.d\.ts:\d+ `fakeField\?: string;`\) but Rust struct Route \(crates\/rtnl-core\/src\/route\.rs:\d+\) serialises no such field$/)

  // Optional in Rust (Option under skip_serializing_none), required in TS; and a type change.
  // Link's own txqlen: anchored at a line start (LinkInput has a txqlen too, indented deeper).
  const required = edit(read('dist/link.d.ts'), '\n    txqlen?: number;\n', '\n    txqlen: number;\n', true)
  const retyped = edit(required, '    qdisc?: string;\n', '    qdisc?: number;\n', true)
  const p3 = checkStructs({ tsOverrides: { [join(ROOT, 'dist/link.d.ts')]: retyped } })
  t.is(p3.length, 2, p3.join('\n'))
  t.regex(p3[0], /^Link\.qdisc: type differs: Rust string \(.*`qdisc: Option<String>`\) vs TS number \(dist\/link\.d\.ts:\d+ `qdisc\?: number;`\)$/)
  t.regex(p3[1], /^Link\.txqlen: optional in Rust \(crates\/rtnl-core\/src\/link\.rs:\d+ `txqlen: Option<u32>`: Option under #\[skip_serializing_none\]\) but required in TS \(dist\/link\.d\.ts:\d+ `txqlen: number;`\)$/)

  // A rename in Rust is a field on each side.
  const renamed = edit(read(link), '    pub txqlen: Option<u32>,\n', '    #[serde(rename = "txQueueLen")]\n    pub txqlen: Option<u32>,\n', true)
  const p4 = compare(readRust(rustFiles({ [link]: renamed })), tsTypes)
  t.is(p4.length, 2, p4.join('\n'))
  t.regex(p4[0], /^Link\.txQueueLen: serialised by Rust/)
  t.regex(p4[1], /^Link\.txqlen: in TS interface Link/)

  // An Option without skip_serializing_none serialises null: required and nullable.
  const nullable = edit(read(route), '#[skip_serializing_none]\n#[derive(Debug, Clone, Default, PartialEq, Serialize)]\n#[serde(rename_all = "camelCase")]\npub struct Nexthop', '#[derive(Debug, Clone, Default, PartialEq, Serialize)]\n#[serde(rename_all = "camelCase")]\npub struct Nexthop', true)
  const p5 = compare(readRust(rustFiles({ [route]: nullable })), tsTypes)
  t.true(p5.some((p) => /^Nexthop\.gateway: required in Rust .*Option without skip_serializing_if: null when None\) but optional in TS/.test(p)), p5.join('\n'))
  t.true(p5.some((p) => /^Nexthop\.gateway: type differs: Rust null \| string/.test(p)), p5.join('\n'))

  // A new serialised struct must be mapped.
  const extra = read(route) + '\n#[derive(Serialize)]\npub struct Fresh {\n    pub a: u8,\n}\n'
  t.deepEqual(compare(readRust(rustFiles({ [route]: extra })), tsTypes), [
    'Rust struct Fresh derives Serialize but is not in MAPPING (scripts/check-types.mjs)',
  ])
})

test('fields the kernel sends in every message (Link.name, mtu, operstate; Address.cacheinfo) are required in TS, Options in Rust; a stale ALWAYS_SENT entry is reported', (t) => {
  const rust = readRustFromRepo()
  const tsTypes = readTs()
  t.deepEqual(Object.keys(ALWAYS_SENT).sort(), ['Address.cacheinfo', 'Link.mtu', 'Link.name', 'Link.operstate'])
  for (const key of Object.keys(ALWAYS_SENT)) {
    const [type, field] = key.split('.')
    t.false(tsTypes.get(type).props.get(field).optional, `${key} is required in TS`)
    t.true(rust.structs.get(type).fields.find((f) => f.json === field).optional, `${key} is an Option in Rust`)
  }
  // Without the entries, each is a difference.
  const strict = compare(rust, tsTypes, MAPPING, {})
  t.deepEqual(strict.map((p) => p.split(':')[0]).sort(), ['Address.cacheinfo', 'Link.mtu', 'Link.name', 'Link.operstate'])
  t.regex(strict.find((p) => p.startsWith('Link.name:')), /^Link\.name: optional in Rust \(.*`name: Option<KernelName>`.*\) but required in TS/)
  // An entry for a field TS makes optional again is stale.
  const optional = edit(read('dist/link.d.ts'), ' on every link message). Bytes that are not UTF-8 arrive as lone surrogates U+DC80..U+DCFF ({@link escapeText} prints them as `\\xNN`). */\n    name: string;\n', ' on every link message). */\n    name?: string;\n', true)
  const stale = checkStructs({ tsOverrides: { [join(ROOT, 'dist/link.d.ts')]: optional } })
  t.deepEqual(stale, ['Link.name: ALWAYS_SENT (scripts/check-types.mjs) says the kernel always sends IFLA_IFNAME, for a field that is not optional in Rust and required in TS: drop the entry'])
})

test('the closed name unions in TS (address flags, neighbour states and flags) list exactly the Rust tables\' names', (t) => {
  t.deepEqual(checkNameTables(), [])
  const file = 'crates/rtnl-core/src/neighbour.rs'
  const grown = edit(read(file), '    (0x80, "router"),\n', '    (0x100, "fresh"),\n').replace('const FLAG_NAMES: [(u8, &str); 8]', 'const FLAG_NAMES: [(u8, &str); 9]')
  const problems = checkNameTables({ rustOverrides: { [file]: grown } })
  t.is(problems.length, 1, problems.join('\n'))
  t.regex(problems[0], /^Neighbour\.flagNames: Rust crates\/rtnl-core\/src\/neighbour\.rs:\d+ FLAG_NAMES names 'fresh', which TS type NeighbourFlag \(dist\/neighbour\.d\.ts:\d+\) lacks$/)
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

test('the Rust reader refuses what it does not understand in a serialised struct instead of skipping it', (t) => {
  const route = 'crates/rtnl-core/src/route.rs'
  const cases = [
    ['    pub nhid: Option<u32>,\n', '    #[serde(flatten)]\n    pub nhid: Option<u32>,\n', /Route\.nhid: #\[serde\(flatten\)\] is not understood/],
    ['    pub nhid: Option<u32>,\n', '    pub nhid: Option<(u32, u32)>,\n', /Route\.nhid: tuple type/],
    ['    pub nhid: Option<u32>,\n', '    pub nhid: Option<Mystery>,\n', /Route\.nhid: unknown type `Mystery`/],
    ['    pub nhid: Option<u32>,\n', '    #[cfg(feature = "x")]\n    pub nhid: Option<u32>,\n', /Route\.nhid: attribute #\[cfg\] is not understood/],
    ['#[serde(rename_all = "camelCase")]\npub struct Route {', '#[serde(rename_all = "camelCase", deny_unknown_fields)]\npub struct Route {', /struct Route: #\[serde\(deny_unknown_fields\)\]/],
  ]
  for (const [from, to, message] of cases) {
    const err = t.throws(() => readRust(rustFiles({ [route]: edit(read(route), from, to, true) })), { instanceOf: RustSourceError })
    t.regex(err.message, message)
    t.regex(err.message, /^crates\/rtnl-core\/src\/route\.rs:\d+: /)
  }
})

test('src/linkinfo.ts is what scripts/gen-linkinfo-types.mjs writes from linkinfo.rs, and src/index.ts exports it', (t) => {
  const source = read(SOURCE)
  t.is(read(OUTPUT), generate(source), 'src/linkinfo.ts is stale: run `node scripts/gen-linkinfo-types.mjs`')

  // A new row, a new format and a new extra key all show.
  const added = edit(source, '    (9, "bclim", I32),', '\n    (10, "fakeKey", Bool8),')
  const macvlan = /\nexport interface MacvlanData [\s\S]*?\n}\n/.exec(generate(added))[0]
  t.regex(macvlan, /\n {2}fakeKey\?: boolean\n/)
  t.throws(() => generate(edit(source, "    U32Pair(&'static str, &'static str),", '\n    Fresh,')), { message: /Fmt::Fresh is new/ })
  t.throws(() => generate(edit(source, 'map.insert("error".to_string()', 'map.insert("oops".to_string()', true)), { message: /decode_with adds the key 'oops'/ })
  t.throws(() => generate(edit(source, '"vrf" => VRF,', '"vrf" | "vrf2" => VRF,', true)), { message: /DATA_KINDS .* differ/ })

  const program = makeProgram([join(ROOT, 'dist/index.d.ts')])
  const checker = program.getTypeChecker()
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, 'dist/index.d.ts')))).map((s) => s.name)
  for (const name of exportedNames(source)) t.true(exported.includes(name), `src/index.ts does not export ${name}`)
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
