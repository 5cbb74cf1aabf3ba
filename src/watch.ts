/**
 * Level-triggered state: `watch()` runs the reconcile loop every consumer of
 * a monitor needs (subscribe, list, then on each wake-up re-list what may
 * have changed and diff), and yields the full state with what changed.
 */
import { KINDS, KindName } from './kinds'
import { subscribe } from './monitor'
import { RTNLGRP } from './groups'
import { invalidType, invalidValue, outOfRange } from './errors'
import { links, Link } from './link'
import { addresses, Address } from './address'
import { routes, Route } from './route'
import { rules, Rule } from './rule'
import { neighbours, Neighbour } from './neighbour'
import { checkKeys, describe, MONITOR_OPTION_KEYS, validateListOptions } from './options'
import type { AddressListOptions, FamilyListOptions, ListFilterKey, MonitorOptions, NeighbourListOptions, RouteListOptions } from './options'
import type { MonitorMessage } from './events'

/** A kind `watch()` can follow: every kind. */
export type WatchKind = KindName

/** The struct of each kind. */
export interface KindTypes {
  links: Link
  addresses: Address
  routes: Route
  rules: Rule
  neighbours: Neighbour
}

export interface WatchOptions extends Omit<MonitorOptions, 'groups'> {
  /**
   * How long to wait for more changes before yielding, in ms. Default 0: a
   * snapshot follows each wake-up at once, with whatever arrived with it.
   */
  debounceMs?: number
  /** Per-kind list filters (as for `list()`), applied to every listing. */
  filters?: {
    addresses?: Omit<AddressListOptions, 'netns'>
    routes?: Omit<RouteListOptions, 'netns'>
    rules?: Omit<FamilyListOptions, 'netns'>
    neighbours?: Omit<NeighbourListOptions, 'netns'>
  }
}

/** One difference between two listings of one kind. */
export interface KindChange<K extends WatchKind> {
  kind: K
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
 */
export interface Snapshot<K extends WatchKind = WatchKind> {
  /** The current objects of every watched kind (and only those), by identity key. */
  state: { [P in K]: ReadonlyMap<string, KindTypes[P]> }
  changes: Change<K>[]
  /** A resync_needed was among the wake-ups: events had been lost, and every kind was re-listed. */
  resync: boolean
}

const LIST = { links, addresses, routes, rules, neighbours } as const
const GROUPS: Record<WatchKind, number[]> = {
  links: [RTNLGRP.LINK],
  addresses: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  routes: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
  rules: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  neighbours: [RTNLGRP.NEIGH],
}
/** The kind an event's resource is, and whether the event removes it. */
const OPS: Record<string, [WatchKind, boolean]> = {
  new_link: ['links', false],
  del_link: ['links', true],
  new_addr: ['addresses', false],
  del_addr: ['addresses', true],
  new_route: ['routes', false],
  del_route: ['routes', true],
  new_rule: ['rules', false],
  del_rule: ['rules', true],
  new_neigh: ['neighbours', false],
  del_neigh: ['neighbours', true],
}

const NLM_F_REPLACE = 0x100

/**
 * The identity of an object of a kind: what the kernel itself keys it by.
 * - links: the ifindex.
 * - addresses: family, ifindex, local (or address), peer address, prefix length.
 * - routes: family, table, dst/len, src/len, tos, priority (metric), type, and
 *   the output link and gateway (IPv6 keeps one route per next hop under the
 *   same prefix and metric; `ip route append` does so for IPv4).
 * - rules: every field (a rule cannot change in place: it is added and deleted).
 * - neighbours: family, ifindex, dst; for bridge fdb entries (family 7) the
 *   MAC, VLAN, master and whether it is the port's own (`self`) entry.
 */
export function keyOf<K extends WatchKind>(kind: K, obj: KindTypes[K]): string {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw invalidType(`keyOf: obj must be a ${String(kind)} object as list() returns it, got ${describe(obj)}`)
  }
  switch (kind) {
    case 'links':
      return String((obj as Link).index)
    case 'addresses': {
      const a = obj as Address
      return `${a.family}|${a.index}|${a.local ?? ''}|${a.address ?? ''}|${a.prefixlen}`
    }
    case 'routes': {
      const r = obj as Route
      return `${r.family}|${r.table}|${r.dst ?? ''}/${r.dstLen}|${r.src ?? ''}/${r.srcLen}|${r.tos}|${r.priority ?? ''}|${r.type}|${r.oif ?? ''}|${r.gateway ?? ''}`
    }
    case 'rules':
      return stableJson(obj)
    case 'neighbours': {
      const n = obj as Neighbour
      const fdb = n.family === 7 ? `|${n.lladdr ?? ''}|${n.vlan ?? ''}|${n.master ?? ''}|${n.flagNames.includes('self')}` : ''
      return `${n.family}|${n.ifindex}|${n.dst ?? ''}${fdb}`
    }
    default:
      throw invalidValue(`keyOf: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}`)
  }
}

/**
 * Fields that move without anything being configured (counters, ages,
 * countdowns): left out when deciding that an object 'changed'. The objects
 * in `state`, `before` and `after` keep them.
 */
const MOVING: Record<WatchKind, (o: Record<string, unknown>) => Record<string, unknown>> = {
  links: ({ stats64, change, event, ...l }) => {
    void stats64, change, event
    const info = l.linkinfo as { data?: Record<string, unknown>; slaveData?: Record<string, unknown> } | undefined
    const noTimers = (d?: Record<string, unknown>) => d && Object.fromEntries(Object.entries(d).filter(([k]) => !k.endsWith('Timer')))
    const inet6 = (l.afSpec as { inet6?: Record<string, unknown> } | undefined)?.inet6
    return {
      ...l,
      linkinfo: info && { ...info, data: noTimers(info.data), slaveData: noTimers(info.slaveData) },
      // inet6 statistics and cacheinfo (tstamp, the randomised reachable time) move by themselves
      afSpec: l.afSpec && { ...(l.afSpec as object), inet6: inet6 && { ...inet6, cacheinfo: undefined, stats: undefined, icmp6Stats: undefined } },
    }
  },
  addresses: ({ cacheinfo, ...a }) => (void cacheinfo, a),
  routes: ({ cacheinfo, expires, ...r }) => (void cacheinfo, void expires, r),
  rules: (r) => r,
  neighbours: ({ cacheinfo, probes, ...n }) => (void cacheinfo, void probes, n),
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
  const base = keyOf(kind, obj as never)
  let key = base
  for (let n = 2; map.has(key); n++) key = `${base}#${n}`
  map.set(key, obj)
}

/** An object without what moves by itself, as text: equal means not 'changed'. */
function comparable(kind: WatchKind, obj: unknown): string {
  return stableJson(MOVING[kind](obj as Record<string, unknown>))
}

/** What changed from one listing of a kind to another. */
export function diff<K extends WatchKind>(kind: K, before: readonly KindTypes[K][], after: readonly KindTypes[K][]): Change<K>[] {
  if (!KINDS.includes(kind)) throw invalidValue(`diff: unknown kind '${String(kind)}'; expected one of ${KINDS.join(', ')}`)
  for (const [name, list] of [['before', before], ['after', after]] as const) {
    if (!Array.isArray(list)) throw invalidType(`diff: ${name} must be an array of ${kind}, got ${describe(list)}`)
  }
  const a = keyed(kind, before)
  const b = keyed(kind, after)
  const changes: KindChange<K>[] = []
  for (const [key, was] of a) {
    const now = b.get(key)
    if (now === undefined) changes.push({ kind, change: 'removed', key, before: was })
    else if (comparable(kind, was) !== comparable(kind, now)) changes.push({ kind, change: 'changed', key, before: was, after: now })
  }
  for (const [key, now] of b) if (!a.has(key)) changes.push({ kind, change: 'added', key, after: now })
  return changes as Change<K>[]
}

const TIMEOUT = Symbol('timeout')

/** Lets the event loop run: long loops yield every SLICE_MS. */
const SLICE_MS = 5
const turn = () => new Promise<void>((resolve) => setImmediate(resolve))

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
function onLink(kind: WatchKind, obj: unknown, ifindex: number): boolean {
  switch (kind) {
    case 'routes': {
      const r = obj as Route
      return r.oif === ifindex || (r.multipath ?? []).some((h) => h.oif === ifindex)
    }
    case 'addresses':
      return (obj as Address).index === ifindex
    case 'neighbours':
      return (obj as Neighbour).ifindex === ifindex
    default:
      return false
  }
}

const AF: Record<string, number> = { '4': 2, '6': 10, '2': 2, '10': 10, bridge: 7, '7': 7 }

/** Whether `obj` of `kind` is inside a list filter (family, table, ifindex, oif), as the kernel applies it. */
function inFilter(kind: WatchKind, obj: unknown, f: Record<string, unknown> | undefined): boolean {
  if (!f) return true
  const o = obj as { family?: number; table?: number; index?: number; ifindex?: number }
  if (f.family !== undefined && o.family !== AF[String(f.family)]) return false
  if (f.table !== undefined && o.table !== f.table) return false
  if (f.ifindex !== undefined && (kind === 'addresses' ? o.index : o.ifindex) !== f.ifindex) return false
  if (f.oif !== undefined && !onLink('routes', obj, f.oif as number)) return false
  return true
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
 *   route's table.
 * A `resync_needed` re-lists every kind, and the diff runs in slices that
 * never hold the event loop more than a few ms. Order that cannot race: the
 * monitor is subscribed before the first listing. A lone change is handled
 * at once; what arrives with it is taken along (no timer), unless
 * `debounceMs` asks to wait for more. Breaking out of the loop stops the
 * monitor.
 */
export async function* watch<K extends WatchKind>(kinds: readonly K[], opts: WatchOptions = {}): AsyncGenerator<Snapshot<K>, void, undefined> {
  if (!Array.isArray(kinds) || kinds.length === 0) throw invalidType(`watch: kinds must be a non-empty array of ${KINDS.join(', ')}`)
  for (const k of kinds) if (!KINDS.includes(k)) throw invalidValue(`watch: unknown kind '${String(k)}'; expected one of ${KINDS.join(', ')}`)
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw invalidType(`watch: options must be an object, got ${describe(opts)}`)
  if ('groups' in opts) {
    throw invalidValue('watch: groups is not an option of watch(): the groups follow from the kinds watched')
  }
  checkKeys(opts, [...MONITOR_OPTION_KEYS.filter((k) => k !== 'groups'), 'debounceMs', 'filters'], 'watch options')
  const { debounceMs = 0, filters = {}, ...monitorOpts } = opts
  if (typeof filters !== 'object' || filters === null || Array.isArray(filters)) {
    throw invalidType(`watch: filters must be an object keyed by kind, got ${describe(filters)}`)
  }
  const FILTERABLE: Record<string, readonly ListFilterKey[]> = {
    addresses: ['family', 'ifindex'],
    routes: ['family', 'table', 'oif'],
    rules: ['family'],
    neighbours: ['family', 'ifindex'],
  }
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
  const linked = watched.has('routes') || watched.has('addresses') || watched.has('neighbours')
  if (linked) groups.add(RTNLGRP.LINK)
  // An IPv4 address deletion takes routes with it silently.
  if (watched.has('routes')) groups.add(RTNLGRP.IPV4_IFADDR)

  const monitor = await subscribe({ ...monitorOpts, groups: [...groups] })
  const kindFilters = filters as Record<string, Record<string, unknown>>
  /**
   * Lists `k` within its filters and `extra` (a scope). When the scope lies
   * outside the filters (another link, another family), nothing of the
   * watched state can be there: no dump at all.
   */
  const list = async <P extends WatchKind>(k: P, extra: Record<string, unknown> = {}): Promise<KindTypes[P][]> => {
    const own = kindFilters[k] ?? {}
    for (const [key, value] of Object.entries(extra)) {
      const mine = own[key]
      if (mine === undefined) continue
      const same = key === 'family' ? AF[String(mine)] === AF[String(value)] : mine === value
      if (!same) return []
    }
    return (LIST[k].list as (o: object) => Promise<KindTypes[P][]>)({
      netns: monitorOpts.netns,
      ...(k === 'links' && monitorOpts.afDetails ? { afDetails: true } : {}),
      ...own,
      ...extra,
    })
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

  // Routes by the fields a replace matches on, so a replace finds what it replaced in O(1).
  const byReplace = new Map<string, Set<string>>()
  const index = (k: WatchKind, key: string, obj: unknown, add: boolean) => {
    if (k !== 'routes') return
    const rk = replaceKey(obj as Route)
    let set = byReplace.get(rk)
    if (add) {
      if (!set) byReplace.set(rk, (set = new Set()))
      set.add(key)
    } else if (set) {
      set.delete(key)
      if (set.size === 0) byReplace.delete(rk)
    }
  }

  /** Puts `obj` at `key`, recording 'added' or 'changed' (not a move of counters or ages). */
  const put = (k: WatchKind, key: string, obj: unknown) => {
    const m = maps.get(k) as Map<string, unknown>
    const was = m.get(key)
    m.set(key, obj)
    if (was === undefined) index(k, key, obj, true)
    if (was === undefined) record({ kind: k, change: 'added', key, after: obj } as KindChange<WatchKind>)
    else if (comparable(k, was) !== comparable(k, obj)) record({ kind: k, change: 'changed', key, before: was, after: obj } as KindChange<WatchKind>)
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
   * Makes the objects of `k` that `inScope` selects equal to `fresh` (a
   * listing of exactly that scope), in slices that let the event loop run.
   */
  const reconcile = async (k: WatchKind, fresh: readonly unknown[], inScope: (o: unknown) => boolean) => {
    const m = maps.get(k) as Map<string, unknown>
    let slice = performance.now()
    let steps = 0
    // Checked without awaiting, so a million steps cost no million microtasks.
    const due = () => (++steps & 255) === 0 && performance.now() - slice > SLICE_MS
    const pace = async () => {
      await turn()
      slice = performance.now()
    }
    // keyed(), in slices: a full table is a million keys.
    const next = new Map<string, unknown>()
    for (const obj of fresh) {
      addKeyed(next, k, obj)
      if (due()) await pace()
    }
    for (const [key, obj] of m) {
      if (inScope(obj) && !next.has(key)) remove(k, key)
      if (due()) await pace()
    }
    for (const [key, obj] of next) {
      put(k, key, obj)
      if (due()) await pace()
    }
  }

  try {
    for (const k of watched) await reconcile(k, await list(k), () => true)
    yield { state: state as unknown as Snapshot<K>['state'], changes, resync: false }

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
      let resync = false
      const touchedLinks = new Set<number>()
      const goneLinks = new Set<number>()
      let ipv4Routes = false
      const tables = new Set<string>()
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
        if (k === 'links') {
          const l = m.resource as Link
          if (linked) {
            touchedLinks.add(l.index)
            if (removes) goneLinks.add(l.index)
            else goneLinks.delete(l.index)
          }
        }
        if (k === 'addresses' && removes && (m.resource as Address).family === 2 && watched.has('routes')) ipv4Routes = true
        if (!watched.has(k) || !inFilter(k, m.resource, kindFilters[k])) continue
        const key = keyOf(k, m.resource as never)
        if (removes) {
          remove(k, key)
          continue
        }
        if (k === 'routes' && ((m.nlmsgFlags ?? 0) & NLM_F_REPLACE) !== 0) {
          // The route it replaced is gone without a del_route.
          const r = m.resource as Route
          const others = [...(byReplace.get(replaceKey(r)) ?? [])].filter((kk) => kk !== key)
          if (others.length === 1) remove('routes', others[0])
          else if (others.length > 1) tables.add(`${r.family}|${r.table}`)
        }
        put(k, key, m.resource)
      }
      if (resync) {
        for (const k of watched) await reconcile(k, await list(k), () => true)
      } else {
        for (const index of touchedLinks) {
          for (const k of ['routes', 'addresses', 'neighbours'] as const) {
            if (!watched.has(k)) continue
            let fresh: unknown[] = []
            if (!goneLinks.has(index)) {
              try {
                fresh = await list(k, k === 'routes' ? { oif: index } : { ifindex: index })
              } catch (err) {
                // The link went away meanwhile: nothing is on it any more.
                if ((err as { code?: string }).code !== 'ENODEV') throw err
              }
            }
            await reconcile(k, fresh, (o) => onLink(k, o, index))
          }
        }
        if (ipv4Routes) await reconcile('routes', await list('routes', { family: 4 }), (o) => (o as Route).family === 2)
        for (const t of tables) {
          const [family, table] = t.split('|').map(Number)
          await reconcile('routes', await list('routes', { family, table }), (o) => (o as Route).family === family && (o as Route).table === table)
        }
      }
      if (changes.length > 0 || resync) yield { state: state as unknown as Snapshot<K>['state'], changes, resync }
    }
  } finally {
    await monitor.stop()
  }
}
