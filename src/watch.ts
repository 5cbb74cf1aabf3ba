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
  /** How long to gather further wake-ups before re-listing, in ms. Default 10. */
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

/** What `watch()` yields: every watched kind's full current list, and what changed since the last yield. */
export interface Snapshot<K extends WatchKind = WatchKind> {
  /** The current list of every watched kind (and only those). */
  state: { [P in K]: KindTypes[P][] }
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
/**
 * Which kinds an event may have changed. A link event also wakes the kinds
 * the kernel changes without a notification when a link goes: IPv4 routes
 * of a deleted or downed link vanish silently, and so do its neighbours.
 */
const WAKES: Record<string, WatchKind[]> = {
  new_link: ['links', 'routes', 'addresses', 'neighbours'],
  del_link: ['links', 'routes', 'addresses', 'neighbours'],
  new_addr: ['addresses'],
  del_addr: ['addresses'],
  new_route: ['routes'],
  del_route: ['routes'],
  new_rule: ['rules'],
  del_rule: ['rules'],
  new_neigh: ['neighbours'],
  del_neigh: ['neighbours'],
}

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
  for (const obj of list) {
    const base = keyOf(kind, obj)
    let key = base
    for (let n = 2; map.has(key); n++) key = `${base}#${n}`
    map.set(key, obj)
  }
  return map
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
  const comparable = (o: KindTypes[K]) => stableJson(MOVING[kind](o as unknown as Record<string, unknown>))
  for (const [key, was] of a) {
    const now = b.get(key)
    if (now === undefined) changes.push({ kind, change: 'removed', key, before: was })
    else if (comparable(was) !== comparable(now)) changes.push({ kind, change: 'changed', key, before: was, after: now })
  }
  for (const [key, now] of b) if (!a.has(key)) changes.push({ kind, change: 'added', key, after: now })
  return changes as Change<K>[]
}

const TIMEOUT = Symbol('timeout')

/**
 * Watches `kinds` and yields a Snapshot first with everything 'added', then
 * after every change. Order that cannot race: the monitor is subscribed (its
 * groups joined) before the first listing, and every wake-up after that
 * (an event, or a resync_needed, which re-lists every kind) re-lists only the
 * kinds it concerns. Breaking out of the loop stops the monitor.
 */
export async function* watch<K extends WatchKind>(kinds: readonly K[], opts: WatchOptions = {}): AsyncGenerator<Snapshot<K>, void, undefined> {
  if (!Array.isArray(kinds) || kinds.length === 0) throw invalidType(`watch: kinds must be a non-empty array of ${KINDS.join(', ')}`)
  for (const k of kinds) if (!KINDS.includes(k)) throw invalidValue(`watch: unknown kind '${String(k)}'; expected one of ${KINDS.join(', ')}`)
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw invalidType(`watch: options must be an object, got ${describe(opts)}`)
  if ('groups' in opts) {
    throw invalidValue('watch: groups is not an option of watch(): the groups follow from the kinds watched')
  }
  checkKeys(opts, [...MONITOR_OPTION_KEYS.filter((k) => k !== 'groups'), 'debounceMs', 'filters'], 'watch options')
  const { debounceMs = 10, filters = {}, ...monitorOpts } = opts
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
  if (watched.has('routes') || watched.has('addresses') || watched.has('neighbours')) groups.add(RTNLGRP.LINK)

  const monitor = await subscribe({ ...monitorOpts, groups: [...groups] })
  const list = <P extends WatchKind>(k: P): Promise<KindTypes[P][]> =>
    (LIST[k].list as (o: object) => Promise<KindTypes[P][]>)({
      netns: monitorOpts.netns,
      ...(k === 'links' && monitorOpts.afDetails ? { afDetails: true } : {}),
      ...((filters as Record<string, object>)[k] ?? {}),
    })
  // Appends without spreading: a spread passes one argument per object and
  // overflows the stack on a full routing table.
  const append = (into: Change<K>[], more: readonly Change[]) => {
    for (const c of more) into.push(c as Change<K>)
  }
  try {
    const state = {} as Snapshot<K>['state']
    const stateOf = state as unknown as Record<WatchKind, unknown[]>
    const first: Change<K>[] = []
    for (const k of watched) {
      const now = await list(k)
      stateOf[k] = now
      append(first, diff(k, [], now as never))
    }
    yield { state: { ...state }, changes: first, resync: false }

    let pending: Promise<IteratorResult<MonitorMessage>> | null = null
    const next = () => (pending ??= monitor.next())
    for (;;) {
      const dirty = new Set<WatchKind>()
      let resync = false
      const mark = (m: MonitorMessage) => {
        if (m.type === 'resync_needed') {
          resync = true
          watched.forEach((k) => dirty.add(k))
        } else {
          for (const k of WAKES[m.op] ?? []) if (watched.has(k)) dirty.add(k)
        }
      }
      const woke = await next()
      pending = null
      if (woke.done) return
      mark(woke.value)
      // Gather the rest of a burst before listing.
      const until = Date.now() + debounceMs
      for (let left = debounceMs; left > 0; left = until - Date.now()) {
        let timer: NodeJS.Timeout | undefined
        const r = await Promise.race([next(), new Promise<typeof TIMEOUT>((res) => (timer = setTimeout(res, left, TIMEOUT)))])
        clearTimeout(timer)
        if (r === TIMEOUT) break
        pending = null
        if (r.done) return
        mark(r.value)
      }
      const changes: Change<K>[] = []
      for (const k of dirty) {
        const now = await list(k)
        append(changes, diff(k, (stateOf[k] ?? []) as never, now as never))
        stateOf[k] = now
      }
      if (changes.length > 0 || resync) yield { state: { ...state }, changes, resync }
    }
  } finally {
    await monitor.stop()
  }
}
