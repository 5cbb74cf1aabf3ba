#!/usr/bin/env node
// Keeps the hand-written TypeScript interfaces (src/link.ts, address.ts,
// route.ts, neighbour.ts, rule.ts) and the Rust structs whose JSON they
// describe (crates/rtnl-core/src/*.rs, serialised with serde) from drifting:
//
//   node scripts/check-types.mjs        (after `npm run build:ts`)
//
// Rust side: the structs deriving Serialize in RUST_FILES, read by
// scripts/rust-source.mjs: each field's JSON name (rename_all, rename),
// whether it can be absent (Option under #[skip_serializing_none],
// skip_serializing_if) or null, and a coarse type. TS side: the published
// types, dist/index.d.ts, read with the TypeScript compiler API. MAPPING
// pairs them; every difference is reported. The README's per-kind field
// lists (the third copy of the names) are compared with the interfaces too. The same module type-checks
// real values (what list() returns) against the published types, and lists
// what the published types expose that they should not (internals).
//
// __test__/types.test.mjs runs all of it. Exits 1 with one line per
// difference.
import { readFileSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { readItems, parseAttr, parseType, splitTopLevel, RustSourceError } from './rust-source.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** The Rust files whose Serialize structs are JS objects (and the files their types come from). */
export const RUST_FILES = ['link', 'address', 'route', 'neighbour', 'rule', 'link_af', 'wire', 'names', 'nexthop', 'netconf', 'nsid', 'prefix', 'nduseropt', 'stats', 'tc', 'vlan', 'bridge_port', 'mdb'].map(
  (m) => `crates/rtnl-core/src/${m}.rs`,
)

/**
 * THE MAPPING: every struct in RUST_FILES that derives Serialize, and the
 * exported TS interface that describes its JSON. A Serialize struct missing
 * here is an error, so a new struct cannot go unchecked.
 */
export const MAPPING = {
  Link: 'Link',
  BridgePort: 'BridgePort',
  BridgePortVlan: 'BridgePortVlan',
  LinkInfo: 'LinkInfo',
  Xdp: 'Xdp',
  IfMap: 'IfMap',
  AfSpec: 'AfSpec',
  InetSpec: 'InetSpec',
  Inet6Spec: 'Inet6Spec',
  Inet6CacheInfo: 'Inet6CacheInfo',
  Address: 'Address',
  AddressCacheInfo: 'AddressCacheInfo',
  Route: 'Route',
  Nexthop: 'Nexthop',
  RouteCacheInfo: 'RouteCacheInfo',
  Neighbour: 'Neighbour',
  NeighbourCacheInfo: 'NeighbourCacheInfo',
  Rule: 'Rule',
  Range: 'Range',
  UnknownAttr: 'UnknownAttribute',
  NexthopObject: 'NexthopObject',
  NexthopGroupMember: 'NexthopGroupMember',
  NexthopResilientGroup: 'NexthopResilientGroup',
  NexthopResilientBucket: 'NexthopResilientBucket',
  NexthopGroupStatsEntry: 'NexthopGroupStatsEntry',
  Netconf: 'Netconf',
  Nsid: 'Nsid',
  Prefix: 'Prefix',
  PrefixCacheInfo: 'PrefixCacheInfo',
  NdUserOption: 'NdUserOption',
  NdOption: 'NdOption',
  LinkStats: 'LinkStats',
  RxTx: 'RxTx',
  BridgeMcastStats: 'BridgeMcastStats',
  BridgeStpStats: 'BridgeStpStats',
  BridgeVlanStats: 'BridgeVlanStats',
  BridgeXstats: 'BridgeXstats',
  BondXstats: 'BondXstats',
  Xstats: 'Xstats',
  HwStatsInfo: 'HwStatsInfo',
  HwStatsInfoSet: 'HwStatsInfoSet',
  HwStats64: 'HwStats64',
  OffloadXstats: 'OffloadXstats',
  MplsLinkStats: 'MplsLinkStats',
  MplsStats: 'MplsStats',
  AfStats: 'AfStats',
  Tc: 'TcObject',
  Bitfield32: 'Bitfield32',
  TcEstimator: 'TcEstimator',
  TcStats: 'TcStats',
  TcStats2: 'TcStats2',
  StatsBasic: 'StatsBasic',
  RateEst: 'RateEst',
  StatsQueue: 'StatsQueue',
  TcStab: 'TcStab',
  SizeSpec: 'SizeSpec',
  OtherOptions: 'OtherOptions',
  RateSpec: 'RateSpec',
  HtbOptions: 'HtbOptions',
  HtbGlob: 'HtbGlob',
  HtbOpt: 'HtbOpt',
  TbfOptions: 'TbfOptions',
  TbfQopt: 'TbfQopt',
  PrioOptions: 'PrioOptions',
  FifoOptions: 'FifoOptions',
  FqCodelOptions: 'FqCodelOptions',
  U32Options: 'U32Options',
  U32Sel: 'U32Sel',
  U32Key: 'U32Key',
  U32Mark: 'U32Mark',
  U32Pcnt: 'U32Pcnt',
  MatchallOptions: 'MatchallOptions',
  BpfOptions: 'BpfOptions',
  BpfInsn: 'BpfInsn',
  RawXstats: 'RawXstats',
  HtbXstats: 'HtbXstats',
  FqCodelXstats: 'FqCodelXstats',
  FqCodelQdStats: 'FqCodelQdStats',
  FqCodelClStats: 'FqCodelClStats',
  BridgeVlan: 'BridgeVlan',
  VlanTunnelInfo: 'VlanTunnelInfo',
  VlanStats: 'VlanStats',
  VlanGlobalOptions: 'VlanGlobalOptions',
  MdbEntry: 'MdbEntry',
  MdbSource: 'MdbSource',
}

/**
 * Closed string unions in TS whose members are the names of a Rust table of
 * (bit, "name") pairs: the union must list exactly the table's names.
 */
export const NAME_TABLES = [
  { ts: 'AddressFlagName', file: 'crates/rtnl-core/src/address.rs', rust: 'FLAG_NAMES', field: 'Address.flagNames' },
  { ts: 'NeighbourState', file: 'crates/rtnl-core/src/neighbour.rs', rust: 'STATE_NAMES', field: 'Neighbour.stateNames' },
  { ts: 'NeighbourFlag', file: 'crates/rtnl-core/src/neighbour.rs', rust: 'FLAG_NAMES', field: 'Neighbour.flagNames' },
]

/**
 * Fields that are an Option in Rust (the decoder cannot prove an attribute
 * came) but required in TS, because the kernel puts the attribute in every
 * message of the kind: rtnl_fill_ifinfo, br_fill_ifinfo (bridge ports) and
 * inet6_fill_ifinfo all put IFLA_IFNAME, IFLA_MTU and IFLA_OPERSTATE;
 * inet_fill_ifaddr, inet6_fill_ifaddr, and the multicast and anycast fills,
 * IFA_CACHEINFO. The real values listed by __test__/types.test.mjs hold
 * them to it.
 */
export const ALWAYS_SENT = {
  'Link.name': 'IFLA_IFNAME',
  'Link.mtu': 'IFLA_MTU',
  'Link.operstate': 'IFLA_OPERSTATE',
  'Address.cacheinfo': 'IFA_CACHEINFO',
}

/** Types with a hand-written `impl Serialize`: what JSON they produce. */
export const CUSTOM_SERIALIZE = {
  // wire.rs: a kernel name as a JSON string (invalid UTF-8 as lone surrogates).
  KernelName: ['string'],
}

const NUMBERS = new Set(['u8', 'u16', 'u32', 'u64', 'u128', 'usize', 'i8', 'i16', 'i32', 'i64', 'i128', 'isize', 'f32', 'f64'])
const STRINGS = new Set(['String', 'str', 'char'])
const MAPS = new Set(['Map', 'HashMap', 'BTreeMap', 'IndexMap'])
const SEQS = new Set(['Vec', 'VecDeque', 'BTreeSet', 'HashSet'])
const TRANSPARENT = new Set(['Box', 'Rc', 'Arc', 'Cow'])
const OPTION_PATHS = ['Option', 'std::option::Option', 'core::option::Option']

/** serde's RenameRule for a snake_case field or a PascalCase variant. */
export function renameField(name, rule) {
  switch (rule) {
    case undefined:
    case 'snake_case':
      return name
    case 'camelCase': {
      let pascal = ''
      let up = true
      for (const ch of name) {
        if (ch === '_') up = true
        else if (up) {
          pascal += ch.toUpperCase()
          up = false
        } else pascal += ch
      }
      return pascal[0].toLowerCase() + pascal.slice(1)
    }
    case 'lowercase':
      return name.toLowerCase()
    case 'UPPERCASE':
      return name.toUpperCase()
    case 'kebab-case':
      return name.replace(/_/g, '-')
    default:
      return null
  }
}

const fmtAlts = (alts) => [...new Set(alts)].sort().join(' | ')

function rustFail(file, line, msg) {
  throw new RustSourceError(file, line, msg)
}

/**
 * Reads the Serialize structs of the given files ({ path, text }, path
 * relative to the repository) into { structs: Map(name -> { name, file,
 * line, fields: [{ json, rust, line, optional, nullable, type, alts }] }) }.
 * Throws RustSourceError on anything it does not understand in a
 * serialised struct.
 */
export function readRust(files) {
  const parsed = files.map(({ path, text }) => ({ path, module: basename(path, '.rs'), items: readItems(text, path) }))
  const byModule = new Map(parsed.map((p) => [p.module, p]))
  const serialised = new Map()
  const enums = new Map()
  const custom = new Map()
  const derivesSerialize = (item) =>
    item.attrs.some((a) => a.name === 'derive' && a.args?.some((x) => x.key === 'Serialize' || x.key.endsWith('::Serialize')))
  for (const p of parsed) {
    for (const s of p.items.structs) {
      if (!derivesSerialize(s)) continue
      if (serialised.has(s.name)) rustFail(p.path, s.line, `struct ${s.name} is also defined in ${serialised.get(s.name).file}: names must be unique`)
      serialised.set(s.name, { ...s, file: p.path, module: p.module })
    }
    for (const e of p.items.enums) if (derivesSerialize(e)) enums.set(e.name, { ...e, file: p.path, module: p.module })
    for (const [name, v] of p.items.customSerialize) custom.set(name, { ...v, file: p.path })
  }

  /** Resolves a path type to an alias, struct, enum or custom type, by module for `crate::m::T` / `m::T`. */
  function lookup(path, fromModule) {
    const name = path[path.length - 1]
    let module = fromModule
    if (path.length >= 2) {
      const seg = path[0] === 'crate' || path[0] === 'super' || path[0] === 'self' ? path[1] : path[0]
      if (path[0] === 'crate' && path.length === 2) module = fromModule
      else if (byModule.has(seg)) module = seg
      else return null
    }
    const alias = byModule.get(module)?.items.aliases.get(name)
    if (alias) return { alias, module }
    if (serialised.has(name)) return { struct: serialised.get(name) }
    if (enums.has(name)) return { enum: enums.get(name) }
    if (custom.has(name)) return { custom: name }
    return null
  }

  /** The coarse JSON types a Rust type can serialise to, e.g. ['number'] or ['array<struct:UnknownAttribute>']. */
  function coarse(ty, where, seen = new Set()) {
    const fail = (msg) => rustFail(where.file, where.line, `${where.what}: ${msg}`)
    if (ty.ref) return coarse(ty.ref, where, seen)
    if (ty.slice || ty.array) return [`array<${fmtAlts(coarse(ty.slice ?? ty.array, where, seen))}>`]
    if (ty.tuple) fail(`tuple type \`${ty.text ?? '(..)'}\` is not supported`)
    const name = ty.path[ty.path.length - 1]
    const qualified = ty.path.join('::')
    const std = ty.path.length === 1 || ['std', 'core', 'alloc', 'serde_json', 'indexmap'].includes(ty.path[0])
    const local = lookup(ty.path, where.module)
    if (local?.alias && !seen.has(local.alias)) {
      seen.add(local.alias)
      return coarse(local.alias.type, { ...where, module: local.module }, seen)
    }
    if (local?.struct) {
      const ts = MAPPING[name]
      if (!ts) fail(`struct ${name} (${local.struct.file}:${local.struct.line}) derives Serialize but is not in MAPPING in scripts/check-types.mjs`)
      return [`struct:${ts}`]
    }
    if (local?.enum) return enumCoarse(local.enum, seen)
    if (local?.custom) {
      if (!CUSTOM_SERIALIZE[name]) fail(`${name} has a hand-written impl Serialize (${custom.get(name).file}:${custom.get(name).line}); add what it produces to CUSTOM_SERIALIZE in scripts/check-types.mjs`)
      return CUSTOM_SERIALIZE[name]
    }
    if (std && NUMBERS.has(name) && ty.path.length === 1) return ['number']
    if (std && name === 'bool' && ty.path.length === 1) return ['boolean']
    if (std && STRINGS.has(name)) return ['string']
    if (std && TRANSPARENT.has(name)) {
      if (ty.args.length !== 1) fail(`\`${qualified}\` needs one type argument`)
      return coarse(ty.args[0], where, seen)
    }
    if (std && SEQS.has(name)) return [`array<${fmtAlts(coarse(ty.args[0], where, seen))}>`]
    if (std && MAPS.has(name)) {
      const key = ty.args[0]
      if (!key || coarse(key, where, seen).join() !== 'string') fail(`map \`${qualified}\` must have string keys`)
      return ['object']
    }
    if (std && name === 'Value' && (ty.path[0] === 'serde_json' || ty.path.length === 1)) return ['unknown']
    if (OPTION_PATHS.includes(qualified)) return [...coarse(ty.args[0], where, seen), 'null']
    fail(`unknown type \`${qualified}\`: scripts/check-types.mjs knows primitives, String, Vec, Option, Box, Cow, serde_json::Map/Value, type aliases, the structs in MAPPING, untagged enums and CUSTOM_SERIALIZE`)
  }

  /** An enum: only #[serde(untagged)] with newtype variants, which serialise as their content. */
  function enumCoarse(e, seen) {
    const where = { file: e.file, line: e.line, module: e.module, what: `enum ${e.name}` }
    const serde = e.attrs.filter((a) => a.name === 'serde').flatMap((a) => a.args ?? [])
    // A C-like enum (unit variants, names renamed as a whole) serialises as a string.
    const variants = splitTopLevel(stripAttrs(e.body, where))
    if (serde.every((a) => a.key === 'rename_all') && variants.every((v) => v.length === 1)) return ['string']
    if (!serde.some((a) => a.key === 'untagged') || serde.length !== 1) {
      rustFail(e.file, e.line, `enum ${e.name}: only #[serde(untagged)] enums of newtype variants and unit-variant enums are understood by scripts/check-types.mjs`)
    }
    const alts = []
    for (const v of splitTopLevel(stripAttrs(e.body, where))) {
      if (v.length < 4 || v[1].text !== '(' || v[v.length - 1].text !== ')') {
        rustFail(e.file, v[0].line, `enum ${e.name}: variant \`${v.map((t) => t.text).join(' ')}\` is not a newtype variant`)
      }
      alts.push(...coarse(parseType(v.slice(2, -1), where), { ...where, line: v[0].line }, seen))
    }
    return alts
  }

  const structs = new Map()
  for (const s of serialised.values()) {
    const where = { file: s.file, line: s.line, module: s.module, what: `struct ${s.name}` }
    if (s.generics) rustFail(s.file, s.line, `struct ${s.name}: generic serialised structs are not supported`)
    if (!s.body) rustFail(s.file, s.line, `struct ${s.name}: only structs with named fields are supported`)
    let renameAll
    let skipNone = false
    for (const a of s.attrs) {
      if (a.name === 'derive' || a.name === 'allow') continue
      if (a.name === 'skip_serializing_none' && a.args?.length === 0) {
        skipNone = true
        continue
      }
      if (a.name === 'serde' && a.args) {
        for (const arg of a.args) {
          if (arg.key === 'rename_all' && arg.value !== undefined && renameField('a_b', arg.value) !== null) renameAll = arg.value
          else rustFail(s.file, arg.line, `struct ${s.name}: #[serde(${arg.key}${arg.value !== undefined ? ` = "${arg.value}"` : ''})] is not understood by scripts/check-types.mjs`)
        }
        continue
      }
      rustFail(s.file, a.line, `struct ${s.name}: attribute #[${a.name}] is not understood by scripts/check-types.mjs`)
    }
    const fields = []
    for (const part of splitTopLevel(s.body)) {
      const { attrs, rest } = takeAttrs(part, { ...where, line: part[0].line })
      let k = 0
      if (rest[k]?.text === 'pub') {
        k++
        if (rest[k]?.text === '(') {
          while (rest[k] && rest[k].text !== ')') k++
          k++
        }
      }
      const nameTok = rest[k]
      if (!nameTok || nameTok.kind !== 'ident' || rest[k + 1]?.text !== ':') {
        rustFail(s.file, part[0].line, `struct ${s.name}: cannot read a field from \`${part.map((t) => t.text).join(' ')}\``)
      }
      const fwhere = { ...where, line: nameTok.line, what: `${s.name}.${nameTok.text}` }
      const type = parseType(rest.slice(k + 2), fwhere)
      let json = renameField(nameTok.text, renameAll)
      let skipIf
      let skipped = false
      for (const a of attrs) {
        if (a.name !== 'serde' || !a.args) rustFail(s.file, a.line, `${fwhere.what}: attribute #[${a.name}] is not understood by scripts/check-types.mjs`)
        for (const arg of a.args) {
          if (arg.key === 'rename' && arg.value !== undefined) json = arg.value
          else if (arg.key === 'skip_serializing_if' && arg.value !== undefined) skipIf = arg.value
          else if (arg.key === 'skip' || arg.key === 'skip_serializing') skipped = true
          else if (arg.key === 'default') continue
          else rustFail(s.file, arg.line, `${fwhere.what}: #[serde(${arg.key}${arg.value !== undefined ? ` = "${arg.value}"` : ''})] is not understood by scripts/check-types.mjs`)
        }
      }
      if (skipped) continue
      const isOption = OPTION_PATHS.includes(type.path?.join('::'))
      if (skipNone && isOption && skipIf === undefined) skipIf = 'Option::is_none'
      const optional = skipIf !== undefined
      let alts
      let nullable = false
      if (isOption) {
        const inner = coarse(type.args[0], fwhere)
        // Option<T> is null when None unless it is skipped then.
        nullable = skipIf !== 'Option::is_none'
        alts = nullable ? [...inner, 'null'] : inner
      } else alts = coarse(type, fwhere)
      const why = optional
        ? skipIf === 'Option::is_none'
          ? skipNone && !attrs.length ? 'Option under #[skip_serializing_none]' : 'skip_serializing_if = "Option::is_none"'
          : `skip_serializing_if = "${skipIf}"`
        : isOption
          ? 'Option without skip_serializing_if: null when None'
          : 'always serialised'
      fields.push({ json, rust: nameTok.text, line: nameTok.line, optional, nullable, alts, typeText: type.text, why })
    }
    const dup = fields.find((f, i) => fields.findIndex((g) => g.json === f.json) !== i)
    if (dup) rustFail(s.file, dup.line, `struct ${s.name}: two fields serialise as '${dup.json}'`)
    structs.set(s.name, { name: s.name, file: s.file, line: s.line, fields })
  }
  return { structs }
}

/** Splits leading `#[...]` attributes off a field's or variant's tokens. */
function takeAttrs(tokens, where) {
  const attrs = []
  let i = 0
  while (tokens[i]?.text === '#' && tokens[i + 1]?.text === '[') {
    let depth = 0
    let j = i + 1
    for (; j < tokens.length; j++) {
      if (tokens[j].text === '[') depth++
      else if (tokens[j].text === ']' && --depth === 0) break
    }
    attrs.push(parseAttr(tokens.slice(i + 2, j), where))
    i = j + 1
  }
  return { attrs, rest: tokens.slice(i) }
}

function stripAttrs(tokens, where) {
  // Variant attributes (doc comments are already gone) are not expected in an untagged enum.
  const out = []
  for (const part of splitTopLevel(tokens)) {
    const { attrs, rest } = takeAttrs(part, where)
    if (attrs.length) rustFail(where.file, part[0].line, `${where.what}: variant attributes are not understood by scripts/check-types.mjs`)
    out.push(...rest, { kind: 'punct', text: ',', line: rest[rest.length - 1].line })
  }
  return out
}

/** Reads RUST_FILES from the repository, with optional replacements ({ path: text }). */
export function readRustFromRepo(overrides = {}) {
  return readRust(RUST_FILES.map((path) => ({ path, text: overrides[path] ?? readFileSync(join(ROOT, path), 'utf8') })))
}

// ---- TypeScript --------------------------------------------------------------------------------

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  skipLibCheck: true,
}

const PARSED = new Map()

/**
 * A program over the published types, with files replaced or added in
 * memory (overrides: absolute path -> text).
 */
export function makeProgram(rootNames, overrides = {}) {
  const options = { ...COMPILER_OPTIONS, typeRoots: [join(ROOT, 'node_modules/@types')] }
  const host = ts.createCompilerHost(options, true)
  const over = new Map(Object.entries(overrides).map(([k, v]) => [resolve(k), v]))
  const { getSourceFile, fileExists, readFile } = host
  host.getCurrentDirectory = () => ROOT
  host.getSourceFile = (name, lang, onError, create) => {
    if (over.has(resolve(name))) return ts.createSourceFile(name, over.get(resolve(name)), lang, true)
    // Files on disk are parsed once per process (lib and @types/node are most of the time).
    const key = `${lang}:${resolve(name)}`
    if (!PARSED.has(key)) PARSED.set(key, getSourceFile.call(host, name, lang, onError, create))
    return PARSED.get(key)
  }
  host.fileExists = (name) => over.has(resolve(name)) || fileExists.call(host, name)
  host.readFile = (name) => (over.has(resolve(name)) ? over.get(resolve(name)) : readFile.call(host, name))
  return ts.createProgram(rootNames, options, host)
}

const DIST_INDEX = join(ROOT, 'dist/index.d.ts')

function where(decl) {
  const sf = decl.getSourceFile()
  const { line } = sf.getLineAndCharacterOfPosition(decl.getStart())
  return `${relative(ROOT, sf.fileName)}:${line + 1}`
}

/** The exports of dist/index.d.ts, aliases resolved: name -> symbol. */
function exportsOf(program, index = DIST_INDEX) {
  const checker = program.getTypeChecker()
  const sf = program.getSourceFile(index)
  if (!sf) throw new Error(`${relative(ROOT, index)} is missing: run \`npm run build:ts\` first`)
  const mod = checker.getSymbolAtLocation(sf)
  const out = new Map()
  for (const s of checker.getExportsOfModule(mod)) {
    out.set(s.name, s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)
  }
  return out
}

/** The coarse types of a TS type, in the same vocabulary as the Rust side. */
function tsCoarse(type, checker, interfaceNames) {
  if (type.isUnion()) return type.types.flatMap((t) => tsCoarse(t, checker, interfaceNames))
  const f = type.flags
  if (f & (ts.TypeFlags.NumberLike & ~ts.TypeFlags.EnumLike)) return ['number']
  if (f & ts.TypeFlags.StringLike) return ['string']
  if (f & ts.TypeFlags.BooleanLike) return ['boolean']
  if (f & ts.TypeFlags.Null) return ['null']
  if (f & ts.TypeFlags.Undefined) return ['undefined']
  if (f & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return ['unknown']
  if (checker.isArrayType(type)) return [`array<${fmtAlts(tsCoarse(checker.getTypeArguments(type)[0], checker, interfaceNames))}>`]
  if (checker.isTupleType(type)) return ['tuple']
  if (f & ts.TypeFlags.Object || type.isIntersection()) {
    const name = type.aliasSymbol?.name ?? type.getSymbol()?.name
    if (name && interfaceNames.has(name)) return [`struct:${name}`]
    return ['object']
  }
  return [checker.typeToString(type)]
}

/**
 * The properties of the TS interfaces named in MAPPING, from the published
 * types: name -> { file, props: Map(name -> { optional, alts, where, text }) }.
 * `overrides` replaces files in memory (absolute path -> text).
 */
export function readTs({ index = DIST_INDEX, overrides = {}, names = Object.values(MAPPING) } = {}) {
  const program = makeProgram([index], overrides)
  const checker = program.getTypeChecker()
  const exported = exportsOf(program, index)
  const wanted = new Set(names)
  const out = new Map()
  for (const name of wanted) {
    const sym = exported.get(name)
    if (!sym) {
      out.set(name, null)
      continue
    }
    const type = checker.getDeclaredTypeOfSymbol(sym)
    const props = new Map()
    for (const p of checker.getPropertiesOfType(type)) {
      const decl = p.declarations?.[0]
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0
      let alts = tsCoarse(checker.getTypeOfSymbol(p), checker, wanted)
      if (optional) alts = alts.filter((a) => a !== 'undefined')
      props.set(p.name, { optional, alts, where: decl ? where(decl) : relative(ROOT, index), text: decl ? decl.getText().replace(/\s+/g, ' ') : p.name })
    }
    const decl = sym.declarations?.[0]
    out.set(name, { file: decl ? where(decl) : '?', props })
  }
  return out
}

/** The TS source a dist/*.d.ts file is built from, for messages. */
const srcOf = (dtsWhere) => `src/${basename(dtsWhere.split(':')[0]).replace(/\.d\.ts$/, '.ts')}`

/** Compares the Rust model with the TS interfaces; returns one message per difference. */
export function compare(rust, tsTypes, mapping = MAPPING, alwaysSent = ALWAYS_SENT) {
  const problems = []
  for (const name of rust.structs.keys()) {
    if (!(name in mapping)) problems.push(`Rust struct ${name} derives Serialize but is not in MAPPING (scripts/check-types.mjs)`)
  }
  for (const [rustName, tsName] of Object.entries(mapping)) {
    const r = rust.structs.get(rustName)
    const t = tsTypes.get(tsName)
    if (!r) {
      problems.push(`MAPPING names Rust struct ${rustName}, which no file in RUST_FILES defines with #[derive(Serialize)]`)
      continue
    }
    if (!t) {
      problems.push(`${tsName}: Rust struct ${rustName} (${r.file}:${r.line}) has no exported TS interface ${tsName} in dist/index.d.ts`)
      continue
    }
    const seen = new Set()
    for (const f of r.fields) {
      seen.add(f.json)
      const rdesc = `${r.file}:${f.line} \`${f.rust}: ${f.typeText}\``
      const p = t.props.get(f.json)
      if (!p) {
        problems.push(
          `${tsName}.${f.json}: serialised by Rust (${rdesc}, ${f.optional ? 'optional' : 'required'} ${fmtAlts(f.alts)}) but missing from TS interface ${tsName} (${t.file}; edit ${srcOf(t.file)})`,
        )
        continue
      }
      // A field the kernel always sends may be required in TS; nothing else may differ.
      if (p.optional !== f.optional && !(f.optional && !p.optional && !f.nullable && `${tsName}.${f.json}` in alwaysSent)) {
        problems.push(
          `${tsName}.${f.json}: ${f.optional ? 'optional' : 'required'} in Rust (${rdesc}: ${f.why}) but ${p.optional ? 'optional' : 'required'} in TS (${p.where} \`${p.text}\`)`,
        )
      }
      const ra = fmtAlts(f.alts)
      const ta = fmtAlts(p.alts)
      if (ra !== ta) problems.push(`${tsName}.${f.json}: type differs: Rust ${ra} (${rdesc}) vs TS ${ta} (${p.where} \`${p.text}\`)`)
    }
    for (const key of Object.keys(alwaysSent).filter((k) => k.startsWith(`${tsName}.`))) {
      const f = r.fields.find((g) => `${tsName}.${g.json}` === key)
      const p = t.props.get(key.slice(tsName.length + 1))
      if (!f || !p || !f.optional || p.optional) {
        problems.push(`${key}: ALWAYS_SENT (scripts/check-types.mjs) says the kernel always sends ${alwaysSent[key]}, for a field that is not optional in Rust and required in TS: drop the entry`)
      }
    }
    for (const [prop, p] of t.props) {
      if (!seen.has(prop)) {
        problems.push(`${tsName}.${prop}: in TS interface ${tsName} (${p.where} \`${p.text}\`) but Rust struct ${rustName} (${r.file}:${r.line}) serialises no such field`)
      }
    }
  }
  return problems
}

/** Rust sources against the published types, with optional in-memory replacements of either side. */
export function checkStructs({ rustOverrides = {}, tsOverrides = {} } = {}) {
  return compare(readRustFromRepo(rustOverrides), readTs({ overrides: tsOverrides }))
}

/** Compares NAME_TABLES: the Rust tables' names with the TS unions' members; one message per difference. */
export function checkNameTables({ rustOverrides = {}, tsOverrides = {} } = {}) {
  const problems = []
  const program = makeProgram([DIST_INDEX], tsOverrides)
  const checker = program.getTypeChecker()
  const exported = exportsOf(program)
  for (const { ts: tsName, file, rust, field } of NAME_TABLES) {
    const items = readItems(rustOverrides[file] ?? readFileSync(join(ROOT, file), 'utf8'), file)
    const c = items.consts.get(rust)
    if (!c) {
      problems.push(`${field}: ${file} has no const ${rust} (NAME_TABLES in scripts/check-types.mjs)`)
      continue
    }
    const names = splitTopLevel(c.value.slice(1, -1)).map((el) => {
      const s = el.filter((t) => t.kind === 'string')
      if (el[0].text !== '(' || s.length !== 1) rustFail(file, el[0].line, `${rust}: expected (bit, "name") pairs`)
      return s[0].text
    })
    const sym = exported.get(tsName)
    if (!sym) {
      problems.push(`${field}: the TS type ${tsName} is not exported from dist/index.d.ts`)
      continue
    }
    const type = checker.getDeclaredTypeOfSymbol(sym)
    const members = (type.isUnion() ? type.types : [type]).map((m) => (m.isStringLiteral() ? m.value : null))
    const decl = where(sym.declarations[0])
    if (members.includes(null)) {
      problems.push(`${field}: ${tsName} (${decl}) is not a union of string literals`)
      continue
    }
    for (const n of names) if (!members.includes(n)) problems.push(`${field}: Rust ${file}:${c.line} ${rust} names '${n}', which TS type ${tsName} (${decl}) lacks`)
    for (const m of members) if (!names.includes(m)) problems.push(`${field}: TS type ${tsName} (${decl}) has '${m}', which Rust ${file}:${c.line} ${rust} does not name`)
  }
  return problems
}

// ---- the README's field lists ---------------------------------------------------------------------

/** The guide (docs/guide.md) lists each kind's fields on a `- Kind: a, b, c { ... }` line; nested groups are examples, not compared. */
export const README_KINDS = ['Link', 'Address', 'Route', 'Neighbour', 'Rule', 'NexthopObject', 'Netconf', 'Nsid', 'TcObject', 'BridgeVlan', 'MdbEntry', 'LinkStats', 'Prefix', 'NdUserOption']

/** Compares the top-level fields the README lists with the TS interfaces; one message per difference. */
export function checkReadme(text = readFileSync(join(ROOT, 'docs', 'guide.md'), 'utf8'), tsTypes = readTs({ names: README_KINDS })) {
  const problems = []
  const lines = text.split('\n')
  for (const kind of README_KINDS) {
    const at = lines.findIndex((l) => l.startsWith(`- ${kind}: `))
    if (at < 0) {
      problems.push(`docs/guide.md has no \`- ${kind}: ...\` field list`)
      continue
    }
    let depth = 0
    let top = ''
    for (const ch of lines[at].slice(kind.length + 4)) {
      if ('{[('.includes(ch)) depth++
      else if ('}])'.includes(ch)) depth--
      else if (depth === 0) top += ch
    }
    const listed = top.split(',').map((k) => k.trim()).filter(Boolean)
    const props = [...tsTypes.get(kind).props.keys()]
    for (const k of listed) if (!props.includes(k)) problems.push(`${kind}.${k}: listed in docs/guide.md:${at + 1} but not a field of TS interface ${kind}`)
    for (const k of props) if (!listed.includes(k)) problems.push(`${kind}.${k}: a field of TS interface ${kind} that docs/guide.md:${at + 1} does not list`)
  }
  return problems
}

// ---- real values --------------------------------------------------------------------------------

/**
 * Type-checks values against published types: each entry { label, type,
 * value } becomes `const v: R.<type> = <value as a literal>` in an in-memory
 * file importing dist/index.d.ts as R, so TypeScript's excess property
 * checks catch keys the type lacks. Returns one message per diagnostic,
 * naming the entry and the offending line of its literal.
 */
export function typecheckValues(entries) {
  const file = join(ROOT, '__rtnl_typecheck__.ts')
  const lines = ["import type * as R from './dist/index'"]
  const spans = []
  entries.forEach((e, i) => {
    const start = lines.length
    const literal = JSON.stringify(e.value, null, 2).split('\n')
    lines.push(`const v${i}: R.${e.type} = ${literal[0]}`, ...literal.slice(1))
    spans.push({ start, end: lines.length, entry: e })
  })
  lines.push('')
  const program = makeProgram([file], { [file]: lines.join('\n') })
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ')
    if (!d.file || resolve(d.file.fileName) !== file) return `${d.file ? relative(ROOT, d.file.fileName) : ''}: ${msg}`
    const line = d.file.getLineAndCharacterOfPosition(d.start).line
    const span = spans.find((s) => line >= s.start && line < s.end)
    const text = lines[line].trim()
    return span ? `${span.entry.label} as ${span.entry.type}: ${msg} (at \`${text.slice(0, 120)}\`)` : msg
  })
}

/** Diagnostics of a TS source (importing the published types as `R` from './dist/index'), checked in memory. */
export function typecheckSource(text) {
  const file = join(ROOT, '__rtnl_typecheck__.ts')
  const program = makeProgram([file], { [file]: text })
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].map((d) => {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0
    return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
  })
}

// ---- internals in the published types -------------------------------------------------------------

/** Exported classes that are meant to be constructed by users. */
export const PUBLIC_CONSTRUCTORS = new Set(['RtnlError'])

/**
 * What the published types (everything reachable from dist/index.d.ts's
 * exports) expose that is internal: members named `_x`, types named
 * Native*, and constructors of classes users cannot construct (an
 * @internal constructor stripped from a class leaves an implicit public
 * `new X()` behind). One message each.
 */
export function publicLeaks({ index = DIST_INDEX, overrides = {} } = {}) {
  const program = makeProgram([index], overrides)
  const checker = program.getTypeChecker()
  const leaks = new Set()
  const visited = new Set()
  const inDist = (decl) => resolve(decl.getSourceFile().fileName).startsWith(join(ROOT, 'dist'))

  function visitType(type, path) {
    if (!type || visited.has(type)) return
    visited.add(type)
    const sym = type.aliasSymbol ?? type.getSymbol()
    const decls = sym?.declarations ?? []
    if (decls.length && !decls.some(inDist)) return
    if (sym && /^Native/.test(sym.name)) leaks.add(`${path}: exposes type ${sym.name} (${where(decls[0])})`)
    if (type.isUnionOrIntersection()) type.types.forEach((t) => visitType(t, path))
    for (const t of type.aliasTypeArguments ?? []) visitType(t, path)
    if (type.flags & ts.TypeFlags.Object) {
      for (const t of checker.getTypeArguments?.(type) ?? []) visitType(t, path)
      for (const p of checker.getPropertiesOfType(type)) {
        const pdecl = p.declarations?.[0]
        if (pdecl && !inDist(pdecl)) continue
        if (p.name.startsWith('_') && !p.name.startsWith('__@')) leaks.add(`${path}.${p.name}: internal member in the published types (${where(pdecl)})`)
        if (pdecl) visitType(checker.getTypeOfSymbolAtLocation(p, pdecl), `${path}.${p.name}`)
      }
      for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
        for (const sig of checker.getSignaturesOfType(type, kind)) {
          for (const param of sig.parameters) {
            const pd = param.declarations?.[0]
            if (pd) visitType(checker.getTypeOfSymbolAtLocation(param, pd), `${path}(${param.name})`)
          }
          visitType(sig.getReturnType(), `${path}()`)
        }
      }
    }
  }

  for (const [name, sym] of exportsOf(program, index)) {
    const decl = sym.declarations?.[0]
    if (!decl) continue
    if (sym.flags & ts.SymbolFlags.Class) {
      const ctors = decl.members?.filter((m) => ts.isConstructorDeclaration(m)) ?? []
      const visible = ctors.filter((m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
      if (!PUBLIC_CONSTRUCTORS.has(name)) {
        if (!ctors.length) leaks.add(`${name}: \`new ${name}()\` type-checks: the class declares no constructor in ${where(decl)} (an @internal constructor was stripped, leaving an implicit public one)`)
        for (const c of visible) leaks.add(`${name}: public constructor \`${c.getText().replace(/\s+/g, ' ')}\` (${where(c)})`)
      }
      for (const c of ctors) {
        for (const p of c.parameters) {
          if (/token/i.test(p.name.getText()) || p.type?.getText() === 'symbol') leaks.add(`${name}: constructor takes an internal token \`${p.getText()}\` (${where(p)})`)
        }
      }
      visitType(checker.getTypeOfSymbol(sym), name)
      visitType(checker.getDeclaredTypeOfSymbol(sym), name)
    } else if (sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      visitType(checker.getDeclaredTypeOfSymbol(sym), name)
    } else {
      visitType(checker.getTypeOfSymbol(sym), name)
    }
  }
  return [...leaks].sort()
}

// ---- command line ---------------------------------------------------------------------------------

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let problems
  try {
    problems = [...checkStructs(), ...checkNameTables(), ...checkReadme()]
  } catch (e) {
    problems = [e.message]
  }
  const leaks = publicLeaks()
  for (const p of problems) console.error(p)
  if (leaks.length) console.error(`internals in the published types (informational):\n  ${leaks.join('\n  ')}`)
  if (problems.length) {
    console.error(`check-types: ${problems.length} difference(s) between the Rust structs, the TS interfaces and the README`)
    process.exit(1)
  }
  console.log(`check-types: ${Object.keys(MAPPING).length} Rust structs match their TS interfaces, and the README lists their fields`)
}
