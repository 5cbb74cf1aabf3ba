/**
 * The text of one change, what `rtnl apply` prints for each op: the verb,
 * the object's word and the object in the words `rtnl list` prints it with
 * (src/format.ts), e.g.
 *
 *   add route unreachable 10.41.0.0/16 table 100 proto boot
 *   del address 3: v0 inet 10.9.0.2/24 scope global
 *   set link 3: v0: mtu 1400
 *   add qdisc htb 1: dev v0 root
 *
 * An op's object is partial: its numbers are named as the encoder reads
 * them (type 6 is `unreachable`), a link given by name prints as that name,
 * and for add, replace and append what the encoder fills in when it is left
 * out (a route's type, table, protocol and scope, an address's scope and
 * prefix length) is printed, so the line reads as the object will list. A
 * delete prints only what it matches on. Runs on the JS thread.
 */
import { escapeText } from './escape'
import { ADDRESS_FLAGS, LINK_FLAGS, PROTOCOLS } from './format'
import type { PrintableKind, Printer } from './format'
import type { AnyBatchOp, MutableKind } from './mutate'

/** Each kind's printer, and the word before its text (tc objects print their own: qdisc, class, filter, chain). */
const KINDS: Record<MutableKind, { printable: PrintableKind; word?: string }> = {
  links: { printable: 'link', word: 'link' },
  addresses: { printable: 'address', word: 'address' },
  routes: { printable: 'route', word: 'route' },
  rules: { printable: 'rule', word: 'rule' },
  neighbours: { printable: 'neighbour', word: 'neighbour' },
  nexthops: { printable: 'nexthop', word: 'nexthop' },
  qdiscs: { printable: 'qdisc' },
  tcClasses: { printable: 'tcClass' },
  tcFilters: { printable: 'tcFilter' },
  tcChains: { printable: 'tcChain' },
}

/** Names of numbers, as the core's src/names.rs has them without /etc/iproute2. */
const ROUTE_TYPES = ['none', 'unicast', 'local', 'broadcast', 'anycast', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw', 'nat', 'xresolve']
const TABLES: Record<number, string> = { 0: 'unspec', 252: 'compat', 253: 'default', 254: 'main', 255: 'local' }
const SCOPES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' }
const RULE_ACTIONS: Record<number, string> = { 0: 'unspec', 1: 'lookup', 2: 'goto', 3: 'nop', 6: 'blackhole', 7: 'unreachable', 8: 'prohibit' }
/** ETH_P_* as tc names a filter's protocol. */
const ETH_PROTOCOLS: Record<number, string> = { 0x0003: 'all', 0x0800: 'ip', 0x0806: 'arp', 0x86dd: 'ipv6', 0x8100: '802.1Q', 0x88a8: '802.1ad', 0x8847: 'mpls_uc', 0x8848: 'mpls_mc' }

const RT_SCOPE_LINK = 253
const RT_SCOPE_HOST = 254
const IFA_F_PERMANENT = 0x80
const TC_H_ROOT = 0xffffffff

type Obj = Record<string, unknown>

const reverse = (names: Record<number, string> | string[]) => new Map(Object.entries(names).map(([n, name]) => [name, Number(n)]))
const SCOPE_NUMBERS = reverse(SCOPES)
const ROUTE_TYPE_NUMBERS = reverse(ROUTE_TYPES)
const TABLE_NUMBERS = reverse(TABLES)
const PROTOCOL_NUMBERS = reverse(PROTOCOLS)
const RULE_ACTION_NUMBERS = new Map([...reverse(RULE_ACTIONS), ['to_tbl', 1]])

/**
 * A field given as a number or a name (`table: 100`, `table: 'main'`,
 * `tableName: 'main'`): its name, and its number where it is known.
 */
function numberAndName(o: Obj, key: string, nameKey: string, names: Record<number, string> | string[], numbers: Map<string, number>): void {
  const v = o[key]
  if (typeof v === 'number') o[nameKey] ??= (names as Record<number, string>)[v] ?? String(v)
  else if (typeof v === 'string') {
    o[nameKey] = v
    o[key] = numbers.get(v) ?? (/^\d+$/.test(v) ? Number(v) : -1)
  } else if (typeof o[nameKey] === 'string') o[key] = numbers.get(o[nameKey] as string) ?? -1
}

/** The family the addresses of an object tell (as the encoder reads it): 10 for IPv6, 2 for IPv4. */
function familyOf(o: Obj, keys: string[]): number | undefined {
  if (typeof o.family === 'number') return o.family
  for (const k of keys) if (typeof o[k] === 'string') return (o[k] as string).includes(':') ? 10 : 2
  return undefined
}

/** Bits of a flags field given by names (`flagNames`), in a table of [bit, name]. */
function bitsOf(names: unknown, table: [number, string][]): number | undefined {
  if (!Array.isArray(names)) return undefined
  const wanted = new Set(names.filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase()))
  return table.filter(([, name]) => wanted.has(name.toLowerCase())).reduce((bits, [bit]) => bits | bit, 0)
}

/** tc's handle: root, none, `:minor`, `major:` or `major:minor` in hex. */
function tcHandle(h: number): string {
  const n = h >>> 0
  if (n === TC_H_ROOT) return 'root'
  if (n === 0) return 'none'
  const major = n >>> 16
  const minor = n & 0xffff
  return major === 0 ? `:${minor.toString(16)}` : minor === 0 ? `${major.toString(16)}:` : `${major.toString(16)}:${minor.toString(16)}`
}

/** A tc handle given as a number or as tc writes it: its name, and `root` as the number the printer compares. */
function tcHandleField(o: Obj, key: string, nameKey: string): void {
  const v = o[key]
  if (typeof v === 'number') o[nameKey] ??= tcHandle(v)
  else if (typeof v === 'string') {
    o[nameKey] = v
    o[key] = v === 'root' ? TC_H_ROOT : 1
  }
}

function route(o: Obj, adds: boolean): void {
  const family = familyOf(o, ['dst', 'src', 'gateway', 'prefsrc'])
  o.family = family
  const max = family === 10 ? 128 : 32
  o.dstLen ??= o.dst !== undefined ? max : 0
  o.srcLen ??= o.src !== undefined ? max : 0
  numberAndName(o, 'type', 'typeName', ROUTE_TYPES, ROUTE_TYPE_NUMBERS)
  if (adds) {
    o.typeName ??= 'unicast'
    o.type ??= 1
  }
  const type = o.type as number | undefined
  numberAndName(o, 'table', 'tableName', TABLES, TABLE_NUMBERS)
  // the encoder's table, for a delete too: local for local, broadcast, anycast and nat routes
  o.tableName ??= type !== undefined && [2, 3, 4, 10].includes(type) ? 'local' : 'main'
  numberAndName(o, 'protocol', 'protocolName', PROTOCOLS, PROTOCOL_NUMBERS)
  if (adds) o.protocolName ??= 'boot'
  numberAndName(o, 'scope', 'scopeName', SCOPES, SCOPE_NUMBERS)
  if (adds && o.scope === undefined) {
    // the encoder's scope, as `ip route add` picks it
    const direct = o.gateway === undefined && o.via === undefined && o.multipath === undefined && o.nhid === undefined
    o.scope = family === 10 ? 0 : type === 2 || type === 10 ? RT_SCOPE_HOST : type === 3 || type === 4 || type === 5 ? RT_SCOPE_LINK : (type === 0 || type === 1) && direct ? RT_SCOPE_LINK : 0
    o.scopeName = SCOPES[o.scope as number]
  }
  o.flags ??= 0
  if (Array.isArray(o.multipath)) o.multipath = o.multipath.map((h) => (typeof h === 'object' && h !== null ? { weight: 1, flags: 0, ...h } : h))
}

function address(o: Obj, adds: boolean): void {
  o.family = familyOf(o, ['local', 'address'])
  o.prefixlen ??= o.family === 10 ? 128 : 32
  numberAndName(o, 'scope', 'scopeName', SCOPES, SCOPE_NUMBERS)
  if (adds) o.scopeName ??= 'global'
  const ci = o.cacheinfo as Obj | undefined
  if (typeof ci === 'object' && ci !== null) {
    const valid = ci.valid ?? 'forever'
    o.cacheinfo = { ...ci, valid, preferred: ci.preferred ?? valid }
  }
  if (adds && (o.flags !== undefined || o.flagNames !== undefined)) {
    // made permanent unless it has a lifetime: `dynamic` otherwise, as listed
    const lifetime = o.cacheinfo !== undefined && (o.cacheinfo as Obj).valid !== 'forever'
    const bits = typeof o.flags === 'number' ? o.flags : bitsOf(o.flagNames, [...ADDRESS_FLAGS, [0x100, 'managetempaddr']]) ?? 0
    o.flags = lifetime ? bits & ~IFA_F_PERMANENT : bits | IFA_F_PERMANENT
  }
}

function link(o: Obj, known: (index: number) => string | undefined): string[] {
  if (typeof o.index === 'number' && o.name === undefined) {
    const name = known(o.index)
    if (name !== undefined) o.name = name
  }
  if (o.flags === undefined) o.flags = bitsOf(o.flagNames, LINK_FLAGS)
  o.kind ??= (o.linkinfo as Obj | undefined)?.kind
  // setFlags turns flags on or off, as `ip link set` words them
  const words: string[] = []
  const set = o.setFlags
  if (typeof set === 'object' && set !== null) {
    for (const [flag, on] of Object.entries(set)) {
      const f = flag.toUpperCase()
      if (f === 'UP') words.push(on ? 'up' : 'down')
      else if (f === 'NOARP') words.push(`arp ${on ? 'off' : 'on'}`)
      else words.push(`${f === 'ALLMULTI' ? 'allmulticast' : f.toLowerCase()} ${on ? 'on' : 'off'}`)
    }
  }
  return words
}

function rule(o: Obj, adds: boolean): void {
  o.family = familyOf(o, ['src', 'dst'])
  const max = o.family === 10 ? 128 : 32
  o.srcLen ??= o.src !== undefined ? max : 0
  o.dstLen ??= o.dst !== undefined ? max : 0
  numberAndName(o, 'table', 'tableName', TABLES, TABLE_NUMBERS)
  // a table by a name the printer cannot number still prints
  if (o.table === -1) o.table = 1
  numberAndName(o, 'action', 'actionName', RULE_ACTIONS, RULE_ACTION_NUMBERS)
  if (adds && o.action === undefined && o.table !== undefined) o.action = 1
  numberAndName(o, 'protocol', 'protocolName', PROTOCOLS, PROTOCOL_NUMBERS)
  o.flags ??= 0
}

function neighbour(o: Obj): void {
  o.family = familyOf(o, ['dst'])
  o.flags ??= 0
}

function nexthop(o: Obj): void {
  numberAndName(o, 'scope', 'scopeName', SCOPES, SCOPE_NUMBERS)
  numberAndName(o, 'protocol', 'protocolName', PROTOCOLS, PROTOCOL_NUMBERS)
}

function tc(kind: MutableKind, o: Obj): void {
  tcHandleField(o, 'handle', 'handleName')
  tcHandleField(o, 'parent', 'parentName')
  if (kind === 'qdiscs') o.refcnt ??= 1
  if (kind === 'tcFilters' || kind === 'tcChains') {
    o.object ??= kind === 'tcFilters' ? 'filter' : 'chain'
    if (typeof o.protocol === 'number') o.protocolName ??= ETH_PROTOCOLS[o.protocol] ?? `[${o.protocol.toString(16).padStart(4, '0')}]`
    // the printer reads priority and protocol from tcm_info, which a change leaves to them
    if (o.info === undefined && (o.prio !== undefined || o.protocol !== undefined)) o.info = 1
    o.ifindex ??= 0
  }
}

/** A line with `undefined` or `NaN` in it: a field the printer needs that the op left out. */
const INCOMPLETE = /\bundefined\b|\bNaN\b/

/**
 * One change as one line: `<verb> <word> <text>`, the text in the words
 * `rtnl list` prints the object with, from the op's (partial) object. The
 * printer's link names (after `load()`) name the links the op gives by
 * index. What the printer cannot put in words prints as JSON.
 */
export function changeText(printer: Printer, op: AnyBatchOp): string {
  const spec = Object.hasOwn(KINDS, op.kind) ? KINDS[op.kind] : undefined
  const raw = (typeof op.object === 'object' && op.object !== null ? op.object : {}) as Obj
  if (spec === undefined) return `${op.verb} ${op.kind} ${escapeText(JSON.stringify(raw))}`
  // A copy the completion adds fields to: built key by key, as an object made by spread takes
  // each added field slowly (V8: 25 times, seconds for 100,000 routes). `__proto__` would set
  // the prototype: left out (the encoder refuses it as an unknown field, and the line says so).
  const o: Obj = {}
  for (const k of Object.keys(raw)) if (k !== '__proto__') o[k] = raw[k]
  const adds = op.verb !== 'del'
  const knownName = (printer as { known?: (index: number) => { name: string } | undefined }).known
  let words: string[] = []
  switch (op.kind) {
    case 'routes':
      route(o, adds)
      break
    case 'addresses':
      address(o, adds)
      break
    case 'links':
      words = link(o, (i) => knownName?.call(printer, i)?.name)
      break
    case 'rules':
      rule(o, adds)
      break
    case 'neighbours':
      neighbour(o)
      break
    case 'nexthops':
      nexthop(o)
      break
    default:
      tc(op.kind, o)
  }
  const prefix = `${op.verb}${spec.word ? ` ${spec.word}` : ''}`
  const print = (x: Obj) => {
    try {
      const text = printer.text(spec.printable, x as never)
      return INCOMPLETE.test(text) ? undefined : text
    } catch {
      return undefined
    }
  }
  let text = print(o)
  // options given in part (an htb qdisc's `init` alone): the rest in words, the options as given
  if (text === undefined && o.options !== undefined) {
    const rest = print({ ...o, options: undefined })
    if (rest !== undefined) text = `${rest} options ${escapeText(JSON.stringify(o.options))}`
  }
  return [prefix, text ?? escapeText(JSON.stringify(raw)), ...words].join(' ')
}
