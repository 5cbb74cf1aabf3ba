/**
 * Validation of every public option, on the JS thread, before anything
 * native runs: a bad option never opens a socket or starts a thread.
 */
import { ALL_GROUPS, DEFAULT_GROUPS, IP_MONITOR_ALL_GROUPS } from './groups'
import { invalidType, invalidValue, outOfRange } from './errors'

/**
 * A network namespace: the process's own ('host'), an `ip netns` name
 * (/run/netns/NAME), any namespace file, or a process's (/proc/PID/ns/net).
 * Entering another namespace needs CAP_SYS_ADMIN (`EPERM` otherwise); one
 * that does not exist is `ENOENT` (see {@link RtnlError}).
 *
 * @example
 * ```ts
 * import { links, type Netns } from 'rtnl'
 *
 * const where: Netns[] = ['host', { name: 'blue' }, { path: '/var/run/docker/netns/1a2b' }, { pid: 4242 }]
 * for (const netns of where) console.log((await links.list({ netns })).map((l) => l.name))
 * ```
 * @category Options
 */
export type Netns =
  | 'host'
  | {
      /** An `ip netns` name: the file /run/netns/NAME. */
      name: string
    }
  | {
      /** Any file that refers to a network namespace (a bind mount, /proc/PID/ns/net). */
      path: string
    }
  | {
      /** A process whose namespace to use: /proc/PID/ns/net. */
      pid: number
    }

/**
 * What {@link subscribe} takes (and {@link watch}, less `groups`). Every key
 * is optional; an unknown key is an error (`ERR_INVALID_ARG_VALUE`).
 *
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS, type MonitorOptions } from 'rtnl'
 *
 * const opts: MonitorOptions = {
 *   netns: { name: 'blue' },
 *   groups: [...KIND_GROUPS.links, ...KIND_GROUPS.routes],
 *   rcvbuf: 16 * 1024 * 1024,
 *   filter: { table: [100] },
 * }
 * const monitor = await subscribe(opts)
 * ```
 * @category Options
 */
export interface MonitorOptions {
  /** The namespace to watch. Default 'host'. */
  netns?: Netns
  /**
   * RTNLGRP_* group numbers to join. Default DEFAULT_GROUPS. A group newer
   * than the kernel (see {@link RTNLGRP} for the version that added each)
   * fails the subscription with EINVAL, unless `missingGroups` is 'skip'.
   */
  groups?: number[]
  /**
   * What to do with a group the kernel does not have: 'error' fails the
   * subscription (missing events silently is worse than an error); 'skip'
   * joins the groups it has, lists the others in `stats().groupsRefused`
   * and emits one process warning (code 'RTNL_GROUPS_MISSING'), as
   * `ip monitor all` joins what it can. Default 'skip' when `groups` holds
   * exactly ALL_GROUPS or IP_MONITOR_ALL_GROUPS (or a copy), else 'error'.
   */
  missingGroups?: 'error' | 'skip'
  /**
   * SO_RCVBUF in bytes. Default 4 MiB (4194304). As root (CAP_NET_ADMIN)
   * SO_RCVBUFFORCE goes past net.core.rmem_max; otherwise it is capped there.
   */
  rcvbuf?: number
  /**
   * The most items (events and resync notices) handed to JS and not yet
   * consumed. Past it, events are dropped and one `resync_needed` with reason
   * 'overflow' follows. Default 1,000,000.
   */
  maxQueued?: number
  /**
   * The largest datagram read whole, in bytes. Default 65536; kernel
   * notifications are far smaller. A longer one is lost and reported as
   * `resync_needed` with reason 'truncated'.
   */
  maxDatagram?: number
  /**
   * Also receive the events of every namespace that has an id in the
   * monitored one (NETLINK_LISTEN_ALL_NSID; assign ids with
   * `ip netns set NAME ID`). Each event then carries `nsid`: the id, or null
   * for the monitored namespace itself.
   */
  allNsid?: boolean
  /**
   * A filter run by the kernel on the monitor's socket (a classic BPF
   * program, SO_ATTACH_FILTER): what it rejects is never received, never
   * counted. Every criterion given must hold; one that does not apply to a
   * kind lets that kind through.
   */
  filter?: EventFilter
  /**
   * Aborting it stops the monitor: the pending and next `next()` reject with
   * the AbortError (as `events.on` does), then the monitor is done.
   */
  signal?: AbortSignal
  /** Decode link events with their per-family details (see `links.list({ afDetails })`). */
  afDetails?: boolean
}

/**
 * A monitor's kernel-side filter (`MonitorOptions.filter`): compiled to a
 * classic BPF program on the socket, so what it rejects never reaches user
 * space. Every criterion given must hold; one that does not apply to a kind
 * lets that kind through (links have no family).
 *
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * // IPv4 routes of table 100; IPv4 addresses, neighbours and rules; every link
 * const monitor = await subscribe({ filter: { family: 4, table: [100] } })
 * ```
 * @category Options
 */
export interface EventFilter {
  /** Links, addresses, neighbours by their link; routes by their output link (RTA_OIF). At most 100. */
  ifindex?: number[]
  /** Addresses, routes, neighbours, rules and netconf of one family (see {@link Family}): 4 or 6, 2, 10 or 28, 'inet', 'inet6' or 'mpls'. */
  family?: Family
  /** Routes of these tables. At most 100. */
  table?: number[]
}

/**
 * What every `list()`, `iterate()` and `get()` takes: the namespace and an
 * abort signal. Each kind's own options extend it with the filters the
 * kernel applies.
 *
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * const all = await links.list({ netns: { pid: 4242 }, signal: AbortSignal.timeout(5000) })
 * ```
 * @category Options
 */
export interface ListOptions {
  /** The namespace to list. Default 'host'. */
  netns?: Netns
  /**
   * Aborting it rejects the call with an AbortError at once; a dump under way
   * stops between the kernel's replies.
   */
  signal?: AbortSignal
}

/**
 * A family as options take it: the IP versions 4 and 6; the address family
 * numbers the structs carry, AF_INET (2), AF_INET6 (10) and AF_MPLS (28); or
 * their names 'inet', 'inet6' and 'mpls'. MPLS routes and MPLS netconf are
 * family 28 (they need the kernel's mpls_router module).
 *
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * const v6 = await routes.list({ family: 6 })
 * const same = await routes.list({ family: 10 }) // AF_INET6, the number a Route's `family` holds
 * const labels = await routes.list({ family: 'mpls' }) // MPLS routes (AF_MPLS, 28)
 * ```
 * @category Options
 */
export type Family = 4 | 6 | 2 | 10 | 28 | 'inet' | 'inet6' | 'mpls'

/**
 * List options of kinds that have address families (rules; `netconf.get`).
 *
 * @example
 * ```ts
 * import { rules } from 'rtnl'
 *
 * const v6 = await rules.list({ family: 6 })
 * ```
 * @category Options
 */
export interface FamilyListOptions extends ListOptions {
  /** Only one family (see {@link Family}): IPv4, IPv6 or MPLS. Filtered by the kernel. */
  family?: Family
}

/**
 * What `routes.list()` and `routes.iterate()` take: each filter is applied
 * by the kernel, so a filtered dump reads only what it returns.
 *
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * const main4 = await routes.list({ family: 4, table: 254 })
 * const viaEth0 = await routes.list({ oif: 2 }) // ifindex 2
 * ```
 * @category Options
 */
export interface RouteListOptions extends FamilyListOptions {
  /** Only routes of this table (254 main, 255 local, ...). Filtered by the kernel. */
  table?: number
  /**
   * Only routes with a nexthop through this link (its ifindex): `oif`, or any
   * hop of a multipath route, as the kernel's dump filter checks them
   * (`ip route show dev X` leaves multipath routes out). Filtered by the kernel.
   */
  oif?: number
}

/**
 * What `addresses.list()` and `addresses.iterate()` take.
 *
 * @example
 * ```ts
 * import { addresses } from 'rtnl'
 *
 * const v4OnLink2 = await addresses.list({ family: 4, ifindex: 2 })
 * ```
 * @category Options
 */
export interface AddressListOptions extends FamilyListOptions {
  /** Only addresses of this link. Filtered by the kernel. */
  ifindex?: number
}

/**
 * What `neighbours.list()` and `neighbours.iterate()` take.
 *
 * @example
 * ```ts
 * import { neighbours } from 'rtnl'
 *
 * const arp = await neighbours.list({ family: 4 })
 * const fdb = await neighbours.list({ family: 'bridge' }) // bridge fdb entries
 * ```
 * @category Options
 */
export interface NeighbourListOptions extends ListOptions {
  /** Only IPv4 (4 or 2) or IPv6 (6 or 10) neighbours, or only bridge fdb entries ('bridge' or AF_BRIDGE 7). */
  family?: Family | 'bridge' | 7
  /** Only entries of this link. */
  ifindex?: number
}

/**
 * List options of the kinds kept per link (tc objects, bridge VLANs and MDB, link statistics).
 *
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * const onLink2 = await qdiscs.list({ ifindex: 2 })
 * ```
 * @category Options
 */
export interface IfindexListOptions extends ListOptions {
  /** Only objects of this link (its ifindex): for MDB entries, the bridge. */
  ifindex?: number
}

/**
 * What `nexthops.list()` and `nexthopBuckets.list()` take.
 *
 * @example
 * ```ts
 * import { nexthops } from 'rtnl'
 *
 * const throughLink2 = await nexthops.list({ oif: 2 })
 * ```
 * @category Options
 */
export interface NexthopListOptions extends FamilyListOptions {
  /** Only nexthops through this link (NHA_OIF). Filtered by the kernel. */
  oif?: number
}

/**
 * What `netconf.list()` and `netconf.iterate()` take.
 *
 * @example
 * ```ts
 * import { netconf } from 'rtnl'
 *
 * const v6OfLink2 = await netconf.list({ family: 6, ifindex: 2 })
 * ```
 * @category Options
 */
export interface NetconfListOptions extends FamilyListOptions {
  /** Only the configuration of this link (its ifindex). */
  ifindex?: number
}

/** The smallest maxDatagram: the kernel builds notifications in buffers of up to 8 KiB (NLMSG_GOODSIZE). */
export const MIN_DATAGRAM = 8192

/** The largest value the kernel accepts for SO_RCVBUF(FORCE): INT_MAX / 2. */
export const MAX_RCVBUF = 0x3fffffff
const MAX_GROUP = 0xffffffff

function describe(v: unknown): string {
  if (v === null) return 'null'
  if (v === undefined) return 'undefined'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'string') return `'${v}'`
  if (typeof v === 'object') return `an object with keys [${Object.keys(v as object).join(', ')}]`
  return `${typeof v} ${String(v)}`
}

function checkKeys(obj: object, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) {
      throw invalidValue(`${what}: unknown option '${key}'; expected one of ${allowed.join(', ')}`)
    }
  }
}

function positiveInteger(value: unknown, name: string, max: number, min = 1, why = ''): number {
  if (typeof value !== 'number') throw invalidType(`${name} must be a positive integer, got ${describe(value)}`)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfRange(`${name} must be an integer from ${min} to ${max}, got ${value}${why}`)
  }
  return value
}

/** Validates a Netns and returns it in the form the binding takes. */
export function validateNetns(value: unknown, name = 'netns'): Netns {
  if (value === undefined || value === 'host') return 'host'
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidType(`${name} must be 'host', { name }, { path } or { pid }, got ${describe(value)}`)
  }
  const keys = Object.keys(value)
  if (keys.length !== 1 || !['name', 'path', 'pid'].includes(keys[0])) {
    throw invalidType(`${name} must be 'host', { name }, { path } or { pid }, got ${describe(value)}`)
  }
  const v = value as Record<string, unknown>
  if ('name' in v) {
    const n = v.name
    if (typeof n !== 'string') throw invalidType(`${name}.name must be a string, got ${describe(n)}`)
    if (n === '' || n === '.' || n === '..' || n.includes('/') || n.includes('\0')) {
      throw invalidValue(`${name}.name must be an 'ip netns' name (no '/', not empty), got '${n}'`)
    }
    return { name: n }
  }
  if ('path' in v) {
    const p = v.path
    if (typeof p !== 'string') throw invalidType(`${name}.path must be a string, got ${describe(p)}`)
    if (p === '' || p.includes('\0')) throw invalidValue(`${name}.path must be a non-empty file path, got '${p}'`)
    return { path: p }
  }
  return { pid: positiveInteger(v.pid, `${name}.pid`, 0x7fffffff) }
}

/** The validated options, in the form the binding takes (signal kept aside). */
export interface NativeMonitorOptions {
  netns: Netns
  groups: number[]
  missingGroups: 'error' | 'skip'
  rcvbuf: number
  maxQueued: number
  maxDatagram: number
  allNsid: boolean
  filter?: { ifindex?: number[]; family?: number; table?: number[] }
  afDetails: boolean
}

export const MONITOR_OPTION_KEYS = ['netns', 'groups', 'missingGroups', 'rcvbuf', 'maxQueued', 'maxDatagram', 'allNsid', 'filter', 'signal', 'afDetails'] as const

function validateFilter(f: unknown): NativeMonitorOptions['filter'] {
  if (f === undefined) return undefined
  if (typeof f !== 'object' || f === null || Array.isArray(f)) throw invalidType(`filter must be an object, got ${describe(f)}`)
  checkKeys(f, ['ifindex', 'family', 'table'], 'filter')
  const o = f as Record<string, unknown>
  const list = (v: unknown, name: string) => {
    if (v === undefined) return undefined
    if (!Array.isArray(v)) throw invalidType(`filter.${name} must be an array of numbers, got ${describe(v)}`)
    if (v.length === 0 || v.length > 100) throw outOfRange(`filter.${name} must list 1 to 100 numbers, got ${v.length}`)
    return v.map((x, i) => positiveInteger(x, `filter.${name}[${i}]`, 0xffffffff))
  }
  const out: NonNullable<NativeMonitorOptions['filter']> = {}
  const ifindex = list(o.ifindex, 'ifindex')
  const table = list(o.table, 'table')
  if (ifindex) out.ifindex = ifindex
  if (table) out.table = table
  if (o.family !== undefined) out.family = validateFamily(o.family, 'filter.family', false)
  return out
}

/** Whether `groups` is ALL_GROUPS or IP_MONITOR_ALL_GROUPS (as a set): "whatever the kernel has". */
function isAllGroups(groups: number[]): boolean {
  const set = new Set(groups)
  return [ALL_GROUPS, IP_MONITOR_ALL_GROUPS].some((all) => all.length === set.size && all.every((g) => set.has(g)))
}

export function validateMonitorOptions(opts: unknown): { native: NativeMonitorOptions; signal?: AbortSignal } {
  if (opts === undefined) opts = {}
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw invalidType(`options must be an object, got ${describe(opts)}`)
  }
  checkKeys(opts, MONITOR_OPTION_KEYS, 'subscribe options')
  const o = opts as MonitorOptions
  let groups: number[]
  if (o.groups === undefined) {
    groups = [...DEFAULT_GROUPS]
  } else {
    if (!Array.isArray(o.groups)) throw invalidType(`groups must be an array of RTNLGRP numbers, got ${describe(o.groups)}`)
    if (o.groups.length === 0) throw outOfRange('groups must list at least one RTNLGRP number, got an empty array')
    groups = []
    // An index loop, not map(): map() skips the holes of a sparse array.
    for (let i = 0; i < o.groups.length; i++) groups.push(positiveInteger(o.groups[i], `groups[${i}]`, MAX_GROUP))
  }
  let missingGroups: 'error' | 'skip'
  if (o.missingGroups === undefined) missingGroups = isAllGroups(groups) ? 'skip' : 'error'
  else if (o.missingGroups === 'error' || o.missingGroups === 'skip') missingGroups = o.missingGroups
  else throw invalidValue(`missingGroups must be 'error' or 'skip', got ${describe(o.missingGroups)}`)
  const rcvbuf = o.rcvbuf === undefined ? 4194304 : positiveInteger(o.rcvbuf, 'rcvbuf', MAX_RCVBUF)
  const maxQueued = o.maxQueued === undefined ? 1_000_000 : positiveInteger(o.maxQueued, 'maxQueued', 0x7fffffff)
  const maxDatagram = o.maxDatagram === undefined ? 65536 : positiveInteger(o.maxDatagram, 'maxDatagram', 16 * 1024 * 1024, MIN_DATAGRAM, ': the kernel sends notifications of up to 8 KiB (more for links with many VFs)')
  if (o.allNsid !== undefined && typeof o.allNsid !== 'boolean') {
    throw invalidType(`allNsid must be a boolean, got ${describe(o.allNsid)}`)
  }
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) {
    throw invalidType(`signal must be an AbortSignal, got ${describe(o.signal)}`)
  }
  return {
    native: {
      netns: validateNetns(o.netns),
      groups,
      missingGroups,
      rcvbuf,
      maxQueued,
      maxDatagram,
      allNsid: o.allNsid ?? false,
      filter: validateFilter(o.filter),
      afDetails: o.afDetails === undefined ? false : boolean(o.afDetails, 'afDetails'),
    },
    signal: o.signal,
  }
}

/** The list options the binding takes. */
export interface NativeListOptions {
  netns: Netns
  family?: number
  table?: number
  ifindex?: number
  oif?: number
  afDetails?: boolean
  kind?: string
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalidType(`${name} must be a boolean, got ${describe(value)}`)
  return value
}

export type ListFilterKey = 'family' | 'table' | 'ifindex' | 'oif' | 'afDetails' | 'kind'

/**
 * Every way an option names a family, as the AF_ number the structs carry:
 * the IP versions 4 and 6, the address family numbers AF_INET 2, AF_INET6
 * 10, AF_MPLS 28 and AF_BRIDGE 7, and their names. One table for list,
 * monitor, watch and reconcile options.
 */
const AF_BY_NAME: Readonly<Record<string, number>> = Object.freeze({ inet: 2, inet6: 10, mpls: 28, bridge: 7 })
const AF_BY_NUMBER: ReadonlyMap<number, number> = new Map([[4, 2], [6, 10], [2, 2], [10, 10], [28, 28], [7, 7]])

/**
 * The AF_ number of a family as options take it, or undefined when `value`
 * names none; the bridge (7, 'bridge') only where `bridge` (neighbours).
 */
export function familyNumber(value: unknown, bridge: boolean): number | undefined {
  const n = typeof value === 'number' ? AF_BY_NUMBER.get(value) : typeof value === 'string' && Object.hasOwn(AF_BY_NAME, value) ? AF_BY_NAME[value] : undefined
  return n === 7 && !bridge ? undefined : n
}

/** What a family option takes, for error messages. */
export function familyExpected(bridge: boolean): string {
  return `4 or 6 (IP versions), 2, 10 or 28 (AF_INET, AF_INET6, AF_MPLS), or 'inet', 'inet6', 'mpls'${bridge ? ", 'bridge' or 7 (AF_BRIDGE)" : ''}`
}

/**
 * A family as options take it (see {@link Family}); neighbours also
 * 'bridge' or AF_BRIDGE (7). Returns the AF_ number.
 */
export function validateFamily(value: unknown, what: string, bridge: boolean): number {
  const n = familyNumber(value, bridge)
  if (n === undefined) throw invalidValue(`${what} must be ${familyExpected(bridge)}, got ${describe(value)}`)
  return n
}

/** Validates list options; `filters` are the filter keys this kind takes besides netns. */
export function validateListOptions(opts: unknown, what: string, filters: readonly ListFilterKey[]): NativeListOptions {
  if (opts === undefined) return { netns: 'host' }
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw invalidType(`${what} options must be an object, got ${describe(opts)}`)
  }
  checkKeys(opts, ['netns', 'signal', ...filters], `${what} options`)
  const o = opts as Record<string, unknown>
  const out: NativeListOptions = { netns: validateNetns(o.netns) }
  if (o.family !== undefined) out.family = validateFamily(o.family, `${what}: family`, what.startsWith('neighbours'))
  if (o.table !== undefined) out.table = positiveInteger(o.table, `${what}: table`, MAX_GROUP)
  if (o.ifindex !== undefined) out.ifindex = positiveInteger(o.ifindex, `${what}: ifindex`, 0x7fffffff)
  if (o.oif !== undefined) out.oif = positiveInteger(o.oif, `${what}: oif`, 0x7fffffff)
  if (o.afDetails !== undefined) out.afDetails = boolean(o.afDetails, `${what}: afDetails`)
  if (o.kind !== undefined) out.kind = actionKind(o.kind, `${what}: kind`)
  return out
}

/**
 * A tc action kind as the kernel names its modules (TCA_ACT_KIND, at most
 * 15 characters: 'gact', 'mirred', 'tunnel_key', ...).
 */
export function actionKind(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidType(`${name} must be a tc action kind such as 'gact', got ${describe(value)}`)
  if (!/^[a-z][a-z0-9_]{0,14}$/.test(value)) throw invalidValue(`${name} must be a tc action kind (lower-case letters, digits and '_', at most 15), got '${value}'`)
  return value
}

/** Validates an IP address argument just enough to name it in the error. */
export function validateIp(value: unknown, name: string): string {
  if (typeof value !== 'string') throw invalidType(`${name} must be an IPv4 or IPv6 address string, got ${describe(value)}`)
  if (!/^[0-9a-fA-F:.]+$/.test(value) || value.length > 45) {
    throw invalidValue(`${name} must be an IPv4 or IPv6 address, got '${value}'`)
  }
  return value
}

export { positiveInteger, describe, checkKeys }
