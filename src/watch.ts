/**
 * Level-triggered state: `watch()` runs the reconcile loop every consumer of
 * a monitor needs (subscribe, list, then on each wake-up re-list what may
 * have changed and diff), and yields the full state with what changed.
 */
import { subscribe, Monitor } from './monitor'
import { KIND_GROUPS, RTNLGRP } from './groups'
import { invalidType, invalidValue, outOfRange } from './errors'
import { links, Link } from './link'
import { addresses, Address } from './address'
import { routes, Route } from './route'
import { rules, Rule } from './rule'
import { neighbours, Neighbour } from './neighbour'
import { nexthops, NexthopObject } from './nexthop'
import { netconf, Netconf } from './netconf'
import { nsids, Nsid } from './nsid'
import { qdiscs, tcClasses, tcFilters, tcChains } from './tc'
import type { Qdisc, TcClass, TcFilter, TcChain, TcObject } from './tc'
import { bridgeVlans, BridgeVlan } from './vlan'
import { bridgePorts, BridgePort } from './bridge-port'
import { mdb, MdbEntry } from './mdb'
import { checkKeys, describe, familyNumber, MONITOR_OPTION_KEYS, validateListOptions } from './options'
import type { AddressListOptions, FamilyListOptions, IfindexListOptions, ListFilterKey, MonitorOptions, NeighbourListOptions, NetconfListOptions, NexthopListOptions, RouteListOptions } from './options'
import type { MonitorMessage } from './events'
import { KIND_TABLE, KEY_OF } from './generated/kinds'
import { perKind } from './kinds'
import type { KeyedObject } from './generated/kinds'

/**
 * The kinds `watch()` follows: every kind with state the kernel can list.
 * Not nexthopBuckets (a group's buckets move without an event), linkStats
 * (counters move with every packet) nor prefixes and ndUserOptions (the
 * kernel only multicasts them).
 */
export const WATCH_KINDS = [
  'links',
  'addresses',
  'routes',
  'rules',
  'neighbours',
  'nexthops',
  'netconf',
  'nsids',
  'qdiscs',
  'tcClasses',
  'tcFilters',
  'tcChains',
  'bridgeVlans',
  'bridgePorts',
  'mdb',
] as const
const KINDS: readonly string[] = WATCH_KINDS

/**
 * A kind `watch()` can follow: 'links', 'addresses', 'routes', 'rules',
 * 'neighbours', 'nexthops', 'netconf', 'nsids', 'qdiscs', 'tcClasses',
 * 'tcFilters', 'tcChains', 'bridgeVlans', 'bridgePorts' or 'mdb': every kind with state
 * the kernel can list, but nexthopBuckets (a group's buckets move without
 * an event), linkStats (counters move with every packet), and prefixes and
 * ND user options (the kernel only multicasts them).
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch, type WatchKind } from 'rtnl'
 *
 * const kinds: WatchKind[] = ['links', 'addresses', 'routes']
 * for await (const { state } of watch(kinds)) console.log(state.links.size, state.addresses.size, state.routes.size)
 * ```
 */
export type WatchKind = (typeof WATCH_KINDS)[number]

/**
 * The struct of each kind.
 *
 * @category Watch
 * @example
 * ```ts
 * import { routes, keyOf, type KindTypes } from 'rtnl'
 *
 * const byKey = new Map<string, KindTypes['routes']>()
 * for (const r of await routes.list()) byKey.set(keyOf('routes', r), r)
 * ```
 */
export interface KindTypes {
  /** What `links.list()` returns one of. */
  links: Link
  /** What `addresses.list()` returns one of. */
  addresses: Address
  /** What `routes.list()` returns one of. */
  routes: Route
  /** What `rules.list()` returns one of. */
  rules: Rule
  /** What `neighbours.list()` returns one of. */
  neighbours: Neighbour
  /** What `nexthops.list()` returns one of. */
  nexthops: NexthopObject
  /** What `netconf.list()` returns one of. */
  netconf: Netconf
  /** What `nsids.list()` returns one of. */
  nsids: Nsid
  /** What `qdiscs.list()` returns one of. */
  qdiscs: Qdisc
  /** What `tcClasses.list()` returns one of. */
  tcClasses: TcClass
  /** What `tcFilters.list()` returns one of. */
  tcFilters: TcFilter
  /** What `tcChains.list()` returns one of. */
  tcChains: TcChain
  /** What `bridgeVlans.list()` returns one of. */
  bridgeVlans: BridgeVlan
  /** What `bridgePorts.list()` returns one of. */
  bridgePorts: BridgePort
  /** What `mdb.list()` returns one of. */
  mdb: MdbEntry
}

/**
 * What {@link watch} takes: the monitor's options (the namespace, buffer
 * sizes, `signal`, ...; not `groups`, which follow from the kinds), plus
 * `debounceMs` and per-kind list `filters`.
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch } from 'rtnl'
 *
 * const ac = new AbortController()
 * process.once('SIGINT', () => ac.abort())
 * for await (const snap of watch(['routes'], { netns: { name: 'blue' }, filters: { routes: { table: 100 } }, debounceMs: 50, signal: ac.signal })) {
 *   console.log(`${snap.state.routes.size} routes in table 100`)
 * }
 * ```
 */
export interface WatchOptions extends Omit<MonitorOptions, 'groups' | 'missingGroups'> {
  /**
   * How long to wait for more changes before yielding, in ms. Default 0: a
   * snapshot follows each wake-up at once, with whatever arrived with it.
   */
  debounceMs?: number
  /** Per-kind list filters (as for `list()`), applied to every listing. */
  filters?: {
    /** What every listing of `addresses` is filtered by (as `addresses.list()` takes it). */
    addresses?: Omit<AddressListOptions, 'netns'>
    /** What every listing of `routes` is filtered by (as `routes.list()` takes it). */
    routes?: Omit<RouteListOptions, 'netns'>
    /** What every listing of `rules` is filtered by (as `rules.list()` takes it). */
    rules?: Omit<FamilyListOptions, 'netns'>
    /** What every listing of `neighbours` is filtered by (as `neighbours.list()` takes it). */
    neighbours?: Omit<NeighbourListOptions, 'netns'>
    /** What every listing of `nexthops` is filtered by (as `nexthops.list()` takes it). */
    nexthops?: Omit<NexthopListOptions, 'netns'>
    /** What every listing of `netconf` is filtered by (as `netconf.list()` takes it). */
    netconf?: Omit<NetconfListOptions, 'netns'>
    /** What every listing of `qdiscs` is filtered by (as `qdiscs.list()` takes it). */
    qdiscs?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `tcClasses` is filtered by (as `tcClasses.list()` takes it). */
    tcClasses?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `tcFilters` is filtered by (as `tcFilters.list()` takes it). */
    tcFilters?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `tcChains` is filtered by (as `tcChains.list()` takes it). */
    tcChains?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `bridgeVlans` is filtered by (as `bridgeVlans.list()` takes it). */
    bridgeVlans?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `bridgePorts` is filtered by (as `bridgePorts.list()` takes it). */
    bridgePorts?: Omit<IfindexListOptions, 'netns'>
    /** What every listing of `mdb` is filtered by (as `mdb.list()` takes it). */
    mdb?: Omit<IfindexListOptions, 'netns'>
  }
}

/**
 * One difference between two listings of one kind.
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch, type KindChange } from 'rtnl'
 *
 * const show = (c: KindChange<'links'>) => `${c.change} ${(c.after ?? c.before)?.name}`
 * for await (const { changes } of watch(['links'])) for (const c of changes) console.log(show(c))
 * ```
 */
export interface KindChange<K extends WatchKind> {
  /** The kind of the object. */
  kind: K
  /** Whether it appeared, went, or is still there with other values. */
  change: 'added' | 'removed' | 'changed'
  /** The object's identity key (see `keyOf`). */
  key: string
  /** The object before ('removed', 'changed'). */
  before?: KindTypes[K]
  /** The object after ('added', 'changed'). */
  after?: KindTypes[K]
}

/**
 * One difference between two listings: a union over the kinds, so that
 * testing `change.kind === 'routes'` narrows `before`/`after` to Route.
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch, type Change } from 'rtnl'
 *
 * function describe(c: Change<'links' | 'routes'>): string {
 *   if (c.kind === 'routes') return `${c.change} route ${(c.after ?? c.before)?.dst ?? 'default'}` // narrowed to Route
 *   return `${c.change} link ${(c.after ?? c.before)?.name}` // narrowed to Link
 * }
 * for await (const { changes } of watch(['links', 'routes'])) changes.forEach((c) => console.log(describe(c)))
 * ```
 */
export type Change<K extends WatchKind = WatchKind> = { [P in K]: KindChange<P> }[K]

/**
 * What `watch()` yields: the current state of every watched kind, and what
 * changed since the last yield.
 *
 * `state` holds live read-only Map views (keyed by `keyOf`), not copies: a
 * yield costs O(changes), whatever the size of the tables. The views change
 * in place once you ask for the next snapshot; copy what you keep
 * (`[...state.routes.values()]`, `new Map(state.routes)`).
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch, type Route } from 'rtnl'
 *
 * let kept: Route[] = []
 * for await (const { state, changes, resync } of watch(['routes'])) {
 *   if (resync) console.warn('events were lost; everything was listed again')
 *   if (changes.length) kept = [...state.routes.values()] // copy: the Map is live
 * }
 * ```
 */
export interface Snapshot<K extends WatchKind = WatchKind> {
  /** The current objects of every watched kind (and only those), by identity key. */
  state: { [P in K]: ReadonlyMap<string, KindTypes[P]> }
  /** What changed since the previous snapshot (the first has every object 'added'). */
  changes: Change<K>[]
  /** A resync_needed was among the wake-ups: events had been lost, and every kind was re-listed. */
  resync: boolean
}

const LIST = { links, addresses, routes, rules, neighbours, nexthops, netconf, nsids, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, bridgePorts, mdb } as const
const GROUPS: Record<WatchKind, readonly number[]> = KIND_GROUPS
/** The kind an event's resource is, and whether the event removes it: the events of the watched kinds whose objects `list()` returns (not multicast or anycast addresses), from each kind's declaration. */
const OPS: Record<string, [WatchKind, boolean]> = Object.fromEntries(
  WATCH_KINDS.flatMap((kind) => KIND_TABLE[kind].ops.filter((o) => o.listed).map((o) => [o.op, [kind, o.removes]])),
)

/** The tc kinds: any change to one of them re-lists the four for its link. */
const TC_KINDS: ReadonlySet<WatchKind> = new Set(['qdiscs', 'tcClasses', 'tcFilters', 'tcChains'])
/** The kinds whose objects live on links and vanish with them without an event (nexthops through a link that goes down or away, a link's qdiscs, classes, filters, VLANs). */
const ON_LINKS: readonly WatchKind[] = ['routes', 'addresses', 'neighbours', 'nexthops', 'qdiscs', 'tcClasses', 'tcFilters', 'tcChains', 'bridgeVlans', 'bridgePorts', 'mdb']
/** Of those, the ones re-listed whole on a link event: nexthop groups lose members silently, MDB entries are keyed by bridge and live on ports, bridge ports are one small dump the kernel cannot filter by link. */
const WHOLE_ON_LINK: ReadonlySet<WatchKind> = new Set(['nexthops', 'mdb', 'bridgePorts'])

const NLM_F_REPLACE = 0x100

/**
 * The identity of an object of a kind: what the kernel itself keys it by,
 * as each kind declares it (its watch key, in its Rust module; reconcile()
 * matches a desired object by its desired key where the two differ).
 * - links: the ifindex.
 * - addresses: family, ifindex, local (or address), peer address, prefix length.
 * - routes: family, table, dst/len, src/len, tos, priority (metric), type, and
 *   the output link and gateway (IPv6 keeps one route per next hop under the
 *   same prefix and metric; `ip route append` does so for IPv4).
 * - rules: every field (a rule cannot change in place: it is added and deleted).
 * - neighbours: family, ifindex, dst; for bridge fdb entries (family 7) the
 *   MAC, VLAN, master and whether it is the port's own (`self`) entry.
 * - nexthops: the id.
 * - netconf: family and ifindex (-1 'all', -2 'default').
 * - nsids: the id.
 * - qdiscs: ifindex, parent, handle. tcClasses: ifindex, handle (the classid).
 * - tcFilters: ifindex, parent, chain, priority, protocol, kind, handle.
 * - tcChains: ifindex, parent, chain.
 * - bridgeVlans: ifindex, entry type, first and last VLAN id.
 * - bridgePorts: the ifindex (of the port, or of the bridge in its own entry).
 * - mdb: entry type, bridge, port, group, VLAN, source.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `obj` is not an object.
 *
 * @category Watch
 * @example
 * ```ts
 * import { routes, keyOf } from 'rtnl'
 *
 * const [r] = await routes.list({ table: 254 })
 * if (r) console.log(keyOf('routes', r)) // '2|254|10.0.0.0/8|/0|0||1|2|' and the like
 * ```
 */
export function keyOf<K extends WatchKind>(kind: K, obj: KindTypes[K]): string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw invalidType(`keyOf: obj must be a ${String(kind)} object as list() returns it, got ${describe(obj)}`)
  }
  if (!KINDS.includes(kind)) throw invalidValue(`keyOf: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}`)
  // The key is the kind's declared watch key (its KindDecl in the Rust module); rules, which have no key of fewer fields, are their whole object.
  const key = KEY_OF[kind]
  return key ? key(obj as KeyedObject) : stableJson(obj)
}

/**
 * Fields that move without anything being configured (counters, ages,
 * countdowns): left out when deciding that an object 'changed'. The objects
 * in `state`, `before` and `after` keep them. For links, some are nested:
 * see `linkComparable`.
 */
const MOVING: Record<WatchKind, ReadonlySet<string>> = perKind(WATCH_KINDS, (k) => new Set<string>(KIND_TABLE[k].moving))

/** A link without what moves by itself, as text: equal means not 'changed'. */
function linkComparable(link: unknown): string {
  const l = Object.fromEntries(Object.entries(link as Record<string, unknown>).filter(([k]) => !MOVING.links.has(k)))
  const info = l.linkinfo as { data?: Record<string, unknown>; slaveData?: Record<string, unknown> } | undefined
  const noTimers = (d?: Record<string, unknown>) => d && Object.fromEntries(Object.entries(d).filter(([k]) => !movesInPort(k)))
  const inet6 = (l.afSpec as { inet6?: Record<string, unknown> } | undefined)?.inet6
  return stableJson({
    ...l,
    linkinfo: info && { ...info, data: noTimers(info.data), slaveData: noTimers(info.slaveData) },
    // inet6 statistics and cacheinfo (tstamp, the randomised reachable time) move by themselves, and
    // so do its flags (IF_RS_SENT is set when a router solicitation goes out, with no notification)
    afSpec: l.afSpec && { ...(l.afSpec as object), inet6: inet6 && { ...inet6, cacheinfo: undefined, stats: undefined, icmp6Stats: undefined, flags: undefined } },
  })
}

/**
 * What moves by itself in a bridge port's (or any link's linkinfo) options: STP timers
 * count down, and the multicast groups and hosts a port has learnt (IGMP/MLD snooping)
 * and the MAC addresses a bridge has learnt come and go with the traffic, without a
 * link event.
 */
const movesInPort = (key: string) => key.endsWith('Timer') || key === 'mcastNGroups' || key === 'mcastEhtHostsCnt' || key === 'fdbNLearned'

/** A bridge port without what moves by itself, as text. */
function bridgePortComparable(port: unknown): string {
  const p = port as BridgePort
  const protinfo = p.protinfo && Object.fromEntries(Object.entries(p.protinfo).filter(([k]) => !movesInPort(k)))
  return stableJson({ ...p, protinfo })
}

function stableJson(v: unknown): string {
  return JSON.stringify(v, (_, x) =>
    x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.keys(x).sort().map((k) => [k, x[k]])) : x,
  )
}

/** Keys a listing; objects sharing a key (the kernel allows a few duplicates) get `#2`, `#3`, ... in list order. */
function keyed<K extends WatchKind>(kind: K, list: readonly KindTypes[K][]): Map<string, KindTypes[K]> {
  const map = new Map<string, KindTypes[K]>()
  for (const obj of list) addKeyed(map, kind, obj)
  return map
}

/** Adds `obj` to a keyed listing under its key, or `#2`, `#3`, ... when taken. */
function addKeyed<V>(map: Map<string, V>, kind: WatchKind, obj: V): void {
  map.set(freeKey(map, kind, obj), obj)
}

/** The key of `obj` in a listing whose keys `taken` holds: its own, or `#2`, `#3`, ... when taken. */
function freeKey(taken: { has(key: string): boolean }, kind: WatchKind, obj: unknown): string {
  const base = keyOf(kind, obj as never)
  let key = base
  for (let n = 2; taken.has(key); n++) key = `${base}#${n}`
  return key
}

/** Deep equality of decoded objects (plain data), key order aside. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false
    return true
  }
  if (Array.isArray(b)) return false
  const ka = Object.keys(a)
  if (ka.length !== Object.keys(b).length) return false
  for (const k of ka) {
    if (!Object.hasOwn(b, k) || !deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false
  }
  return true
}

/**
 * Whether two objects of a kind differ in what is configured (not in
 * counters or ages): what decides 'changed'. Compared field by field, without
 * building text, as a resync compares a whole table.
 */
function sameConfig(kind: WatchKind, a: unknown, b: unknown): boolean {
  if (kind === 'links') return linkComparable(a) === linkComparable(b)
  if (kind === 'bridgePorts') return bridgePortComparable(a) === bridgePortComparable(b)
  const skip = MOVING[kind]
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  let n = 0
  for (const k in x) {
    if (skip.has(k)) continue
    n++
    if (!Object.hasOwn(y, k) || !deepEqual(x[k], y[k])) return false
  }
  for (const k in y) if (!skip.has(k)) n--
  return n === 0
}

/**
 * What changed from one listing of a kind to another.
 *
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an unknown kind, `ERR_INVALID_ARG_TYPE` when `before` or `after` is not an array.
 *
 * @category Watch
 * @example
 * ```ts
 * import { routes, diff } from 'rtnl'
 *
 * const before = await routes.list()
 * await new Promise((r) => setTimeout(r, 5000))
 * for (const c of diff('routes', before, await routes.list())) console.log(c.change, c.key)
 * ```
 */
export function diff<K extends WatchKind>(kind: K, before: readonly KindTypes[K][], after: readonly KindTypes[K][]): Change<K>[] {
  if (!KINDS.includes(kind as string)) throw invalidValue(`diff: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}`)
  for (const [name, list] of [['before', before], ['after', after]] as const) {
    if (!Array.isArray(list)) throw invalidType(`diff: ${name} must be an array of ${kind}, got ${describe(list)}`)
  }
  const a = keyed(kind, before)
  const b = keyed(kind, after)
  const changes: KindChange<K>[] = []
  for (const [key, was] of a) {
    const now = b.get(key)
    if (now === undefined) changes.push({ kind, change: 'removed', key, before: was })
    else if (!sameConfig(kind, was, now)) changes.push({ kind, change: 'changed', key, before: was, after: now })
  }
  for (const [key, now] of b) if (!a.has(key)) changes.push({ kind, change: 'added', key, after: now })
  return changes as Change<K>[]
}

const TIMEOUT = Symbol('timeout')

/** Lets the event loop run: long loops yield every SLICE_MS. */
const SLICE_MS = 5
/** How long the queue must be quiet after a resync_needed before the resync lists (see the loop). */
const RESYNC_DRAIN_MS = 20
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))
/**
 * The pause before listing again after the `attempt`th interrupted dump in a
 * row: none for the first few (a passing change), then doubling to 1 s
 * while the kernel stays that busy.
 */
const relistPauseMs = (attempt: number) => (attempt < 4 ? 0 : Math.min(1000, 10 * 2 ** (attempt - 4)))

/** A read-only view of a live Map. */
class MapView<V> implements ReadonlyMap<string, V> {
  constructor(private readonly map: Map<string, V>) {}
  get size(): number {
    return this.map.size
  }
  get(key: string): V | undefined {
    return this.map.get(key)
  }
  has(key: string): boolean {
    return this.map.has(key)
  }
  keys(): MapIterator<string> {
    return this.map.keys()
  }
  values(): MapIterator<V> {
    return this.map.values()
  }
  entries(): MapIterator<[string, V]> {
    return this.map.entries()
  }
  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void, thisArg?: unknown): void {
    this.map.forEach((v, k) => fn.call(thisArg, v, k, this))
  }
  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.map.entries()
  }
  get [Symbol.toStringTag](): string {
    return 'ReadonlyMap'
  }
}

/** Does `obj` (of `kind`) live on link `ifindex`: what the kernel removes or changes with the link. */
const onLink = (kind: WatchKind, obj: unknown, ifindex: number): boolean => linksOf(kind, obj).includes(ifindex)

/** Whether `obj` of `kind` is inside a list filter (family, table, ifindex, oif), as the kernel applies it. */
function inFilter(kind: WatchKind, obj: unknown, f: Record<string, unknown> | undefined): boolean {
  if (!f) return true
  const o = obj as { family?: number; table?: number; index?: number; ifindex?: number }
  if (f.family !== undefined && o.family !== familyNumber(f.family, true)) return false
  if (f.table !== undefined && o.table !== f.table) return false
  if (f.ifindex !== undefined && (kind === 'addresses' ? o.index : o.ifindex) !== f.ifindex) return false
  if (f.oif !== undefined && !onLink('routes', obj, f.oif as number)) return false
  return true
}

type KeySet = string | Set<string>

/**
 * A set of strings split over 64 Sets by a hash of the string. A single Set
 * of a million keys rehashes all of them at once as it grows (about 40 ms
 * here, one long task); 64 shards each rehash a sixty-fourth.
 */
class ShardedSet {
  private readonly shards = Array.from({ length: 64 }, () => new Set<string>())
  private shard(key: string): Set<string> {
    let h = 0
    for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) | 0
    return this.shards[h & 63]
  }
  add(key: string): void {
    this.shard(key).add(key)
  }
  has(key: string): boolean {
    return this.shard(key).has(key)
  }
}

/** Adds `key` to (or removes it from) the set at `at`: a lone key is kept as itself. */
function indexKey<I>(index: Map<I, KeySet>, at: I, key: string, add: boolean): void {
  const had = index.get(at)
  if (add) {
    if (had === undefined) index.set(at, key)
    else if (typeof had === 'string') {
      if (had !== key) index.set(at, new Set([had, key]))
    } else had.add(key)
  } else if (had !== undefined) {
    if (typeof had === 'string') {
      if (had === key) index.delete(at)
    } else {
      had.delete(key)
      if (had.size === 1) index.set(at, had.values().next().value as string)
    }
  }
}

const keysIn = (set: KeySet | undefined): string[] => (set === undefined ? [] : typeof set === 'string' ? [set] : [...set])

/** The links an object lives on: its output link, every nexthop's, its own link. */
function linksOf(kind: WatchKind, obj: unknown): number[] {
  switch (kind) {
    case 'routes': {
      const r = obj as Route
      const out = r.oif === undefined ? [] : [r.oif]
      for (const h of r.multipath ?? []) if (h.oif !== undefined && !out.includes(h.oif)) out.push(h.oif)
      return out
    }
    case 'addresses':
      return [(obj as Address).index]
    case 'neighbours':
      return [(obj as Neighbour).ifindex]
    case 'nexthops': {
      const n = obj as NexthopObject
      return n.oif === undefined ? [] : [n.oif]
    }
    case 'qdiscs':
    case 'tcClasses':
    case 'tcFilters':
    case 'tcChains':
      return [(obj as TcObject).ifindex]
    case 'bridgeVlans':
      return [(obj as BridgeVlan).ifindex]
    case 'bridgePorts':
      return [(obj as BridgePort).index]
    case 'mdb': {
      const m = obj as MdbEntry
      return m.port && m.port !== m.ifindex ? [m.ifindex, m.port] : [m.ifindex]
    }
    default:
      return []
  }
}

/** The fields by which a route replace finds the route it replaces. */
const replaceKey = (r: Route) => `${r.family}|${r.table}|${r.dst ?? ''}/${r.dstLen}|${r.src ?? ''}/${r.srcLen}|${r.tos}|${r.priority ?? ''}`

/**
 * Watches `kinds` and yields a Snapshot first with everything 'added', then
 * after every change. The cost model: the first snapshot lists every kind;
 * after that each event is applied by its identity key in O(1), and only
 * what the kernel changes without telling is listed again, scoped:
 * - a link event re-lists the routes (by nexthop), addresses and neighbours
 *   of that link (IPv4 routes through a link that goes down or away vanish
 *   without an event; a deleted link takes everything on it);
 * - an IPv4 address deletion re-lists the IPv4 routes (routes that used it
 *   as preferred source vanish without an event);
 * - an IPv4 route replace whose old route cannot be told apart re-lists that
 *   route's table;
 * - a link event re-lists the nexthops and MDB entries (small tables: a
 *   nexthop group loses members silently) and that link's qdiscs, classes,
 *   filters, chains and VLANs; a deleted nexthop takes the routes through it;
 * - a tc event re-lists that link's qdiscs, classes, filters and chains
 *   (deleting a root qdisc attaches the default one without an event; what
 *   hangs under a deleted qdisc, class, chain or priority goes silently);
 * - a netconf event re-lists netconf: a sysctl change is announced with only
 *   the attribute that changed.
 * A `resync_needed` re-lists every kind, and the diff runs in slices that
 * never hold the event loop more than a few ms. Order that cannot race: the
 * monitor is subscribed before the first listing. A lone change is handled
 * at once; what arrives with it is taken along (no timer), unless
 * `debounceMs` asks to wait for more. Breaking out of the loop stops the
 * monitor.
 *
 * A listing that changes interrupt (`EDUMPINTR`) is made again, after a
 * pause that grows to 1 s while they keep coming: a busy kernel delays a
 * snapshot, it does not end the watch.
 *
 * @throws {@link RtnlError} what {@link subscribe} and each kind's `list()` reject with (`ENOENT`,
 * `EINVAL`, `EPERM` for the namespace, ...) except `EDUMPINTR`, and `ERR_RTNL_NETNS_GONE` when the
 * namespace is deleted.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for an empty or unknown kind, a
 * `groups` option, a filter of a kind not watched, a bad option; RangeError `ERR_OUT_OF_RANGE` for
 * `debounceMs` outside 0..60000; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
 *
 * @category Watch
 * @example
 * ```ts
 * import { watch } from 'rtnl'
 *
 * for await (const { state, changes, resync } of watch(['links', 'routes'])) {
 *   for (const c of changes) console.log(c.kind, c.change, c.key)
 *   console.log(`${state.links.size} links, ${state.routes.size} routes${resync ? ' (after a resync)' : ''}`)
 * }
 * ```
 */
export function watch<K extends WatchKind>(kinds: readonly K[], opts: WatchOptions = {}): AsyncGenerator<Snapshot<K>, void, undefined> {
  // An async generator queues return() behind a next() under way: one
  // called while the loop waits for the next change (a Ctrl-C handler, a
  // component unmounting) would wait for that change. Stopping the monitor
  // first ends that wait, and the generator returns at once.
  const held: { monitor?: Monitor } = {}
  const inner = watchLoop(kinds, opts, held)
  const outer: AsyncGenerator<Snapshot<K>, void, undefined> = {
    next: (...args: [] | [undefined]) => inner.next(...args),
    async return(value?: void | PromiseLike<void>) {
      await held.monitor?.stop()
      return inner.return(value as void)
    },
    throw: (err?: unknown) => inner.throw(err),
    [Symbol.asyncIterator]() {
      return this
    },
  }
  return outer
}

async function* watchLoop<K extends WatchKind>(kinds: readonly K[], opts: WatchOptions, held: { monitor?: Monitor }): AsyncGenerator<Snapshot<K>, void, undefined> {
  if (!Array.isArray(kinds) || kinds.length === 0) throw invalidType(`watch: kinds must be a non-empty array of ${KINDS.join(', ')}`)
  for (const k of kinds) if (!KINDS.includes(k as string)) throw invalidValue(`watch: unknown kind '${String(k)}'; expected one of ${KINDS.join(', ')}`)
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw invalidType(`watch: options must be an object, got ${describe(opts)}`)
  if ('groups' in opts) {
    throw invalidValue('watch: groups is not an option of watch(): the groups follow from the kinds watched')
  }
  checkKeys(opts, [...MONITOR_OPTION_KEYS.filter((k) => k !== 'groups' && k !== 'missingGroups'), 'debounceMs', 'filters'], 'watch options')
  const { debounceMs = 0, filters = {}, ...monitorOpts } = opts
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw invalidType(`watch: filters must be an object keyed by kind, got ${describe(filters)}`)
  }
  const FILTERABLE: Record<string, readonly ListFilterKey[]> = Object.fromEntries(
    WATCH_KINDS.filter((k) => KIND_TABLE[k].listFilters.length > 0).map((k) => [k, KIND_TABLE[k].listFilters as readonly ListFilterKey[]]),
  )
  for (const [k, f] of Object.entries(filters)) {
    if (!(k in FILTERABLE)) {
      throw invalidValue(`watch: filters.${k} is not a kind with list filters; expected one of ${Object.keys(FILTERABLE).join(', ')}`)
    }
    if (!(kinds as readonly string[]).includes(k)) throw invalidValue(`watch: filters.${k} is given but '${k}' is not watched`)
    if (typeof f === 'object' && f !== null && 'netns' in f) throw invalidValue(`watch: filters.${k}.netns: the namespace is the watch's own netns option`)
    validateListOptions(f, `watch: filters.${k}`, FILTERABLE[k])
  }
  if (typeof debounceMs !== 'number' || !(debounceMs >= 0) || debounceMs > 60000) {
    throw outOfRange(`watch: debounceMs must be a number from 0 to 60000, got ${String(debounceMs)}`)
  }
  const watched = new Set<WatchKind>(kinds)
  const groups = new Set<number>()
  for (const k of watched) GROUPS[k].forEach((g) => groups.add(g))
  const linked = ON_LINKS.some((k) => watched.has(k))
  if (linked) groups.add(RTNLGRP.LINK)
  // IPv6 announces what moves in a link's afSpec.inet6 (RS sent, RA flags) on a group of its own.
  if (watched.has('links')) groups.add(RTNLGRP.IPV6_IFINFO)
  // An IPv4 address deletion takes routes with it silently.
  if (watched.has('routes')) groups.add(RTNLGRP.IPV4_IFADDR)

  const monitor = await subscribe({ ...monitorOpts, groups: [...groups] })
  held.monitor = monitor
  const kindFilters = filters as Record<string, Record<string, unknown>>
  /**
   * Lists `k` within its filters and `extra` (a scope), as a stream of
   * batches (iterate()): a full table is never held twice over. When the
   * scope lies outside the filters (another link, another family), nothing
   * of the watched state can be there: no dump at all. A route table that
   * does not exist (yet) holds nothing.
   */
  async function* list<P extends WatchKind>(k: P, extra: Record<string, unknown> = {}): AsyncGenerator<KindTypes[P][]> {
    const own = kindFilters[k] ?? {}
    for (const [key, value] of Object.entries(extra)) {
      const mine = own[key]
      if (mine === undefined) continue
      const same = key === 'family' ? familyNumber(mine, true) === familyNumber(value, true) : mine === value
      if (!same) return
    }
    const opts = {
      netns: monitorOpts.netns,
      ...(k === 'links' && monitorOpts.afDetails ? { afDetails: true } : {}),
      ...own,
      ...extra,
    }
    try {
      yield* (LIST[k].iterate as (o: object) => AsyncGenerator<KindTypes[P][]>)(opts)
    } catch (err) {
      if (k === 'routes' && (opts as { table?: number }).table !== undefined && (err as { code?: string }).code === 'ENOENT') return
      throw err
    }
  }
  const maps = new Map<WatchKind, Map<string, unknown>>()
  const state = {} as Record<string, MapView<unknown>>
  for (const k of watched) {
    const m = new Map<string, unknown>()
    maps.set(k, m)
    state[k] = new MapView(m)
  }
  let changes: Change<K>[] = []
  const record = (c: KindChange<WatchKind>) => changes.push(c as unknown as Change<K>)

  // Indexes kept beside the state, so that what a change touches is found
  // without a walk of the table:
  // - routes by the fields a replace matches on (a replace finds what it replaced);
  // - routes, addresses and neighbours by link (what a link event may have changed);
  // - IPv4 routes by preferred source (what an address deletion may have removed).
  // A set of one is kept as the key itself: most are, and a Set per route would
  // cost more than the route.
  const byReplace = new Map<string, KeySet>()
  const byLink = new Map<WatchKind, Map<number, KeySet>>()
  const byPrefsrc = new Map<string, KeySet>()
  // Routes by nexthop id: deleting a nexthop deletes the routes that use it, without an event.
  const byNhid = new Map<number, KeySet>()
  for (const k of ON_LINKS) if (watched.has(k)) byLink.set(k, new Map())
  const index = (k: WatchKind, key: string, obj: unknown, add: boolean) => {
    const links = byLink.get(k)
    if (links) for (const ifindex of linksOf(k, obj)) indexKey(links, ifindex, key, add)
    if (k !== 'routes') return
    const r = obj as Route
    indexKey(byReplace, replaceKey(r), key, add)
    if (r.nhid !== undefined) indexKey(byNhid, r.nhid, key, add)
    if (r.family === 2 && r.prefsrc !== undefined) indexKey(byPrefsrc, r.prefsrc, key, add)
  }

  /**
   * Puts `obj` at `key`, recording 'added' or 'changed' (not a move of
   * counters or ages). An object equal to the one held, counters and all,
   * leaves the held one in place: a resync then replaces nothing, and the
   * fresh copies die young instead of filling the old generation.
   */
  const put = (k: WatchKind, key: string, obj: unknown) => {
    const m = maps.get(k) as Map<string, unknown>
    const was = m.get(key)
    if (was !== undefined && deepEqual(was, obj)) return
    m.set(key, obj)
    if (was === undefined) index(k, key, obj, true)
    if (was === undefined) record({ kind: k, change: 'added', key, after: obj } as KindChange<WatchKind>)
    else if (!sameConfig(k, was, obj)) record({ kind: k, change: 'changed', key, before: was, after: obj } as KindChange<WatchKind>)
  }
  const remove = (k: WatchKind, key: string) => {
    const m = maps.get(k) as Map<string, unknown>
    const was = m.get(key)
    if (was === undefined) return
    m.delete(key)
    index(k, key, was, false)
    record({ kind: k, change: 'removed', key, before: was } as KindChange<WatchKind>)
  }

  /**
   * Makes the objects of `k` that `inScope` selects equal to a fresh
   * listing of exactly that scope, applied batch by batch as the dump
   * streams in, in slices that let the event loop run. `candidates` (from
   * an index) are the keys that may be gone; without it, the whole kind.
   * A dump the kernel interrupted is listed again (what was applied from
   * it was true when read), for as long as changes keep interrupting it:
   * a busy kernel delays the snapshot, it never ends the watch. Once the
   * watch is stopped, nothing is listed again.
   */
  const reconcile = async (k: WatchKind, fresh: () => AsyncIterable<unknown[]>, inScope: (o: unknown) => boolean, candidates?: Iterable<string>) => {
    const m = maps.get(k) as Map<string, unknown>
    let slice = performance.now()
    let steps = 0
    // Checked without awaiting, so a million steps cost no million microtasks.
    const due = () => (++steps & 255) === 0 && performance.now() - slice > SLICE_MS
    const pace = async () => {
      await turn()
      slice = performance.now()
    }
    for (let attempt = 1; ; attempt++) {
      // The keys of this listing, numbered #2, #3, ... where the kernel repeats one (as keyed() does).
      const seen = new ShardedSet()
      try {
        for await (const batch of fresh()) {
          for (const obj of batch) {
            const key = freeKey(seen, k, obj)
            seen.add(key)
            put(k, key, obj)
            if (due()) await pace()
          }
        }
      } catch (err) {
        if ((err as { code?: string }).code !== 'EDUMPINTR') throw err
        if (monitor.stopped) return
        const pause = relistPauseMs(attempt)
        if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause))
        continue
      }
      // Walked in place (a Map's iteration survives deleting the entry it is
      // at): a copy of a million keys would hold the loop for tens of ms.
      const keys = candidates ? [...candidates] : m.keys()
      for (const key of keys) {
        const obj = m.get(key)
        if (obj !== undefined && inScope(obj) && !seen.has(key)) remove(k, key)
        if (due()) await pace()
      }
      return
    }
  }

  try {
    for (const k of watched) await reconcile(k, () => list(k), () => true)
    // Stopped during the first listing (return(), the signal, the namespace
    // gone): the monitor's next() below says how it ended.
    if (!monitor.stopped) yield { state: state as unknown as Snapshot<K>['state'], changes, resync: false }

    let pending: Promise<IteratorResult<MonitorMessage>> | null = null
    const next = () => (pending ??= monitor.next())
    const TAKEN = Symbol('none queued')
    for (;;) {
      changes = []
      const woke = await next()
      pending = null
      if (woke.done) return
      const batch: MonitorMessage[] = [woke.value]
      // Take along what is already queued: no timer between a lone change and its snapshot.
      for (;;) {
        const r = await Promise.race([next(), Promise.resolve(TAKEN)])
        if (r === TAKEN) break
        pending = null
        if (r.done) return
        batch.push(r.value)
      }
      if (debounceMs > 0) {
        const until = Date.now() + debounceMs
        for (let left = debounceMs; left > 0; left = until - Date.now()) {
          let timer: NodeJS.Timeout | undefined
          const r = await Promise.race([next(), new Promise<typeof TIMEOUT>((res) => (timer = setTimeout(res, left, TIMEOUT)))])
          clearTimeout(timer)
          if (r === TIMEOUT) break
          pending = null
          if (r.done) return
          batch.push(r.value)
        }
      }
      // After a loss the kernel reports it first (recvmsg checks the socket's
      // error before its queue), then delivers what it had queued before the
      // loss: those messages are older than the listing a resync makes, and
      // one applied after it would put back what is gone. So the queue is
      // drained, until it has been quiet for RESYNC_DRAIN_MS, before the
      // resync lists anything (what follows a resync is skipped anyway).
      if (batch.some((m) => m.type === 'resync_needed')) {
        for (;;) {
          let timer: NodeJS.Timeout | undefined
          const r = await Promise.race([next(), new Promise<typeof TIMEOUT>((res) => (timer = setTimeout(res, RESYNC_DRAIN_MS, TIMEOUT)))])
          clearTimeout(timer)
          if (r === TIMEOUT) break
          pending = null
          if (r.done) return
          batch.push(r.value)
        }
      }
      let resync = false
      const touchedLinks = new Set<number>()
      const goneLinks = new Set<number>()
      // Preferred sources deleted with their address: the IPv4 routes that used them vanish silently.
      const goneSources = new Set<string>()
      let anySource = false
      const tables = new Set<string>()
      let relistNetconf = false
      const tcLinks = new Set<number>()
      // A port's STP state and a bridge's id reach a link's slave data
      // (linkinfo.slaveData) without a link event, and IPv6's flags its
      // afSpec: a bridge port event, an IPv6 link event, or a bridge's link
      // event, re-lists the links (and ports) they move.
      const portLinks = new Set<number>()
      const changedBridges = new Set<number>()
      let changedPorts = false
      let sliceStart = performance.now()
      let applied = 0
      for (const m of batch) {
        // A burst is applied in slices, so it never holds the event loop long.
        if ((++applied & 255) === 0 && performance.now() - sliceStart > SLICE_MS) {
          await turn()
          sliceStart = performance.now()
        }
        if (m.type === 'resync_needed') {
          resync = true
          continue
        }
        if (resync) continue // everything is re-listed anyway
        const op = OPS[m.op]
        if (!op) continue
        const [k, removes] = op
        if (k === 'links' && (m.resource as Link).family !== 0) {
          // IPv6's view of a link (group IPV6_IFINFO: router solicitation sent, RA flags,
          // its own few attributes): not the link, which is listed again instead.
          portLinks.add((m.resource as Link).index)
          continue
        }
        if (k === 'links') {
          const l = m.resource as Link
          if (linked) {
            touchedLinks.add(l.index)
            if (removes) goneLinks.add(l.index)
            else goneLinks.delete(l.index)
          }
        }
        if (k === 'bridgePorts') {
          portLinks.add((m.resource as BridgePort).index)
          changedPorts = true
        }
        if (k === 'links' && !removes) {
          const l = m.resource as Link
          if (l.kind === 'bridge') changedBridges.add(l.index)
          // A port's link event may be older than a listing made since (a bridge's id
          // reaches its ports silently): it is listed again with the others.
          if (l.linkinfo?.slaveKind === 'bridge') portLinks.add(l.index)
        }
        if (k === 'addresses' && removes && (m.resource as Address).family === 2 && watched.has('routes')) {
          // Routes with it as preferred source vanish with it; and when it was the link's last
          // IPv4 address, every IPv4 route through the link (the kernel treats that as the link
          // going down for IPv4): the link's routes are listed again, as on a link event.
          const a = m.resource as Address
          if (linked) touchedLinks.add(a.index)
          const local = a.local ?? a.address
          if (local === undefined) anySource = true
          else if (byPrefsrc.has(local)) goneSources.add(local)
        }
        if (k === 'nexthops' && removes && watched.has('routes')) {
          // The routes through a deleted nexthop are deleted with it, without a del_route.
          for (const rk of keysIn(byNhid.get((m.resource as NexthopObject).id as number))) remove('routes', rk)
        }
        if (!watched.has(k) || !inFilter(k, m.resource, kindFilters[k])) continue
        if (TC_KINDS.has(k)) {
          // Deleting a root qdisc attaches the default one silently; deleting a qdisc, class,
          // chain or filter priority takes what hangs under it without an event each.
          tcLinks.add((m.resource as TcObject).ifindex)
        }
        if (k === 'netconf' && !removes) {
          // A sysctl change is announced with only the attribute that changed: list the whole (small) kind instead.
          relistNetconf = true
          continue
        }
        const key = keyOf(k, m.resource as never)
        if (removes) {
          remove(k, key)
          continue
        }
        if (k === 'routes' && ((m.nlmsgFlags ?? 0) & NLM_F_REPLACE) !== 0) {
          // The route it replaced is gone without a del_route.
          const r = m.resource as Route
          const others = keysIn(byReplace.get(replaceKey(r))).filter((kk) => kk !== key)
          if (others.length === 1) remove('routes', others[0])
          else if (others.length > 1) tables.add(`${r.family}|${r.table}`)
        }
        put(k, key, m.resource)
      }
      if (resync) {
        for (const k of watched) await reconcile(k, () => list(k), () => true)
      } else {
        for (const k of WHOLE_ON_LINK) {
          if (watched.has(k) && touchedLinks.size > 0) await reconcile(k, () => list(k), () => true)
        }
        for (const index of touchedLinks) {
          for (const k of ON_LINKS) {
            if (!watched.has(k) || WHOLE_ON_LINK.has(k)) continue
            const gone = goneLinks.has(index)
            async function* ofLink(): AsyncGenerator<unknown[]> {
              if (gone) return
              try {
                yield* list(k, k === 'routes' ? { oif: index } : { ifindex: index })
              } catch (err) {
                // The link went away meanwhile: nothing is on it any more.
                if ((err as { code?: string }).code !== 'ENODEV') throw err
              }
            }
            await reconcile(k, ofLink, (o) => onLink(k, o, index), keysIn(byLink.get(k)?.get(index)))
          }
        }
        if (watched.has('links') && (portLinks.size > 0 || changedBridges.size > 0)) {
          const moved = (o: unknown) => portLinks.has((o as Link).index) || changedBridges.has((o as Link).master ?? 0)
          await reconcile('links', () => list('links'), moved)
        }
        if (watched.has('bridgePorts') && (changedBridges.size > 0 || changedPorts) && touchedLinks.size === 0) {
          // One small dump (the kernel cannot filter it by link), as on a link event.
          await reconcile('bridgePorts', () => list('bridgePorts'), () => true)
        }
        if (relistNetconf) await reconcile('netconf', () => list('netconf'), () => true)
        for (const index of tcLinks) {
          if (touchedLinks.has(index)) continue // listed above
          for (const k of TC_KINDS) {
            if (watched.has(k)) await reconcile(k, () => list(k, { ifindex: index }), (o) => (o as TcObject).ifindex === index, keysIn(byLink.get(k)?.get(index)))
          }
        }
        if (anySource || goneSources.size > 0) {
          // The kernel has no dump filter by source: the IPv4 table is listed, and only
          // the routes with those sources can have gone (or every IPv4 route, not knowing the address).
          const candidates = anySource ? undefined : [...goneSources].flatMap((src) => keysIn(byPrefsrc.get(src)))
          await reconcile('routes', () => list('routes', { family: 4 }), (o) => (o as Route).family === 2, candidates)
        }
        for (const t of tables) {
          const [family, table] = t.split('|').map(Number)
          await reconcile('routes', () => list('routes', { family, table }), (o) => (o as Route).family === family && (o as Route).table === table)
        }
      }
      if (changes.length > 0 || resync) yield { state: state as unknown as Snapshot<K>['state'], changes, resync }
    }
  } finally {
    await monitor.stop()
  }
}
