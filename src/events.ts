/**
 * What a monitor yields: a discriminated union on `type`, and for events on
 * `op`, so that TypeScript narrows `resource` to the right struct.
 */
import type { Address } from './address'
import type { Link } from './link'
import type { Neighbour } from './neighbour'
import type { Route } from './route'
import type { Rule } from './rule'
import type { NexthopObject } from './nexthop'
import type { Netconf } from './netconf'
import type { Nsid } from './nsid'
import type { Qdisc, TcClass, TcFilter, TcChain } from './tc'
import type { BridgeVlan } from './vlan'
import type { BridgePort } from './bridge-port'
import type { MdbEntry } from './mdb'
import type { Prefix } from './prefix'
import type { NdUserOption } from './nduseropt'
import type { LinkStats } from './stats'

/**
 * What every event carries besides its op and resource.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe({ allNsid: true })) {
 *   if (msg.type !== 'event') continue
 *   const lagMs = Date.now() - msg.receivedAt
 *   console.log(msg.op, `from ${msg.nsid ?? 'this namespace'}`, `${lagMs.toFixed(3)} ms after the kernel sent it`)
 * }
 * ```
 */
export interface EventMeta {
  /**
   * When the reader thread received it: CLOCK_REALTIME in milliseconds since
   * the epoch, with the microseconds as the fraction (`new Date(receivedAt)`
   * works, like `Date.now()`). JSON-safe.
   */
  receivedAt: number
  /** The same instant exactly: CLOCK_REALTIME nanoseconds as a decimal string (`BigInt(receivedAtNs)`). */
  receivedAtNs: string
  /**
   * With `allNsid`: the id of the namespace the event happened in, as the
   * monitored namespace numbers it, or null for the monitored namespace itself.
   */
  nsid?: number | null
  /**
   * The message's netlink header flags when any is set, on new_* events:
   * NLM_F_REPLACE 0x100, NLM_F_EXCL 0x200, NLM_F_CREATE 0x400, NLM_F_APPEND
   * 0x800. An IPv4 `ip route replace` that changes a route's gateway is one
   * new_route with NLM_F_REPLACE: the route it replaced is gone, with no
   * del_route.
   */
  nlmsgFlags?: number
}

/**
 * A monitor message: a link was added or changed (`new_link`), or deleted (`del_link`). Group LINK.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && msg.op === 'new_link') console.log(msg.resource.name, msg.resource.operstate)
 * }
 * ```
 */
export interface LinkEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_link' | 'del_link'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Link
}
/**
 * A monitor message: an address was added or removed (or a multicast / anycast address joined or left).
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && msg.op === 'del_addr') console.log('gone:', msg.resource.local ?? msg.resource.address)
 * }
 * ```
 */
export interface AddressEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /**
   * new_addr/del_addr: an address (groups IPV4_IFADDR, IPV6_IFADDR);
   * new_maddr/del_maddr: a multicast group a link joined or left
   * (IPV4_MCADDR, IPV6_MCADDR); new_acaddr/del_acaddr: an IPv6 anycast
   * address (IPV6_ACADDR). `addresses.list()` lists the first only.
   */
  op: 'new_addr' | 'del_addr' | 'new_maddr' | 'del_maddr' | 'new_acaddr' | 'del_acaddr'
  /** The address, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Address
}
/**
 * A monitor message: a route was added or changed (`new_route`), or deleted (`del_route`). Groups IPV4_ROUTE, IPV6_ROUTE.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && msg.op === 'new_route' && msg.resource.dstLen === 0) console.log('default route via', msg.resource.gateway)
 * }
 * ```
 */
export interface RouteEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_route' | 'del_route'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Route
}
/**
 * A monitor message: a neighbour or fdb entry was added or changed, or deleted. Group NEIGH.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && msg.op === 'new_neigh') console.log(msg.resource.dst ?? msg.resource.lladdr, msg.resource.stateNames)
 * }
 * ```
 */
export interface NeighbourEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_neigh' | 'del_neigh'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Neighbour
}
/**
 * A monitor message: a policy rule was added or deleted. Groups IPV4_RULE, IPV6_RULE.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && (msg.op === 'new_rule' || msg.op === 'del_rule')) console.log(msg.op, msg.resource.priority, msg.resource.tableName)
 * }
 * ```
 */
export interface RuleEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_rule' | 'del_rule'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Rule
}
/**
 * A monitor message: a nexthop object was added, replaced or deleted. Group NEXTHOP.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.nexthops] })) {
 *   if (msg.type === 'event' && msg.op === 'del_nexthop') console.log('nexthop', msg.resource.id, 'deleted: its routes went with it')
 * }
 * ```
 */
export interface NexthopEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_nexthop' | 'del_nexthop'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: NexthopObject
}
/**
 * A bucket of a resilient nexthop group: `resource.bucket` says which, `resource.id` the group.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.nexthopBuckets] })) {
 *   if (msg.type === 'event' && msg.op === 'new_nexthop_bucket') console.log(`group ${msg.resource.id} bucket ${msg.resource.bucket?.index} -> ${msg.resource.bucket?.nhId}`)
 * }
 * ```
 */
export interface NexthopBucketEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_nexthop_bucket' | 'del_nexthop_bucket'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: NexthopObject
}
/**
 * A monitor message: an interface's IP configuration changed (carrying only the attribute that changed), or its configuration went with it. Groups IPV4_NETCONF, IPV6_NETCONF, MPLS_NETCONF.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.netconf] })) {
 *   if (msg.type === 'event' && msg.op === 'new_netconf' && msg.resource.forwarding !== undefined) console.log('forwarding', msg.resource.forwarding)
 * }
 * ```
 */
export interface NetconfEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_netconf' | 'del_netconf'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Netconf
}
/**
 * A monitor message: a namespace id was assigned or released. Group NSID.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.nsids] })) {
 *   if (msg.type === 'event' && msg.op === 'new_nsid') console.log('new namespace id', msg.resource.nsid)
 * }
 * ```
 */
export interface NsidEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_nsid' | 'del_nsid'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Nsid
}
/**
 * A monitor message: a qdisc was added, changed or deleted. Group TC.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.qdiscs] })) {
 *   if (msg.type === 'event' && msg.op === 'new_qdisc') console.log(msg.resource.kind, msg.resource.handleName, 'on', msg.resource.ifindex)
 * }
 * ```
 */
export interface QdiscEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_qdisc' | 'del_qdisc'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Qdisc
}
/**
 * A monitor message: a tc class was added, changed or deleted. Group TC.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.tcClasses] })) {
 *   if (msg.type === 'event' && msg.op === 'new_class') console.log(msg.resource.kind, msg.resource.handleName)
 * }
 * ```
 */
export interface TcClassEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_class' | 'del_class'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: TcClass
}
/**
 * A monitor message: a tc filter was added, changed or deleted. Group TC.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.tcFilters] })) {
 *   if (msg.type === 'event' && msg.op === 'del_filter') console.log('filter gone, pref', msg.resource.prio)
 * }
 * ```
 */
export interface TcFilterEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_filter' | 'del_filter'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: TcFilter
}
/**
 * A monitor message: a filter chain was added or deleted. Group TC.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.tcChains] })) {
 *   if (msg.type === 'event' && msg.op === 'new_chain') console.log('chain', msg.resource.chain)
 * }
 * ```
 */
export interface TcChainEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_chain' | 'del_chain'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: TcChain
}
/**
 * One bridge VLAN entry; a message with several entries is one event each.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.bridgeVlans] })) {
 *   if (msg.type === 'event' && msg.op === 'new_vlan') console.log('port', msg.resource.ifindex, 'vlan', msg.resource.vid)
 * }
 * ```
 */
export interface BridgeVlanEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_vlan' | 'del_vlan'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: BridgeVlan
}
/**
 * A bridge port joined, changed (STP state, options, VLANs) or left a bridge
 * (`del_bridge_port`: no longer a port; the link stays). Also a bridge's own
 * VLANs changed (an entry whose `master` is its own `index`). Group LINK,
 * with the links' events; it never says anything of the link itself.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event' && msg.op === 'new_bridge_port') console.log(msg.resource.name, msg.resource.stateName)
 * }
 * ```
 */
export interface BridgePortEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_bridge_port' | 'del_bridge_port'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: BridgePort
}
/**
 * A monitor message: a group membership or router port was added or removed from a bridge's multicast database. Group MDB.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.mdb] })) {
 *   if (msg.type === 'event' && msg.op === 'new_mdb') console.log('joined', msg.resource.grp, 'on port', msg.resource.port)
 * }
 * ```
 */
export interface MdbEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_mdb' | 'del_mdb'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: MdbEntry
}
/**
 * An IPv6 prefix a router advertised (group IPV6_PREFIX).
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.prefixes] })) {
 *   if (msg.type === 'event' && msg.op === 'new_prefix') console.log(`${msg.resource.address}/${msg.resource.prefixLen}`)
 * }
 * ```
 */
export interface PrefixEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_prefix'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: Prefix
}
/**
 * ND options of a router advertisement: RDNSS, DNSSL, ... (group ND_USEROPT).
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.ndUserOptions] })) {
 *   if (msg.type === 'event' && msg.op === 'new_nduseropt') console.log(msg.resource.options.map((o) => o.typeName ?? o.type))
 * }
 * ```
 */
export interface NdUserOptionEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_nduseropt'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: NdUserOption
}
/**
 * A monitor message: a link's statistics, as the kernel announces them. Group STATS.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.linkStats] })) {
 *   if (msg.type === 'event' && msg.op === 'new_stats') console.log(msg.resource.ifindex, msg.resource.link64?.rxBytes)
 * }
 * ```
 */
export interface LinkStatsEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_stats'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: LinkStats
}
/**
 * The events of the kinds whose module declares its own event type: each such module adds its
 * entry (`declare module './events'`), and {@link MonitorEvent} takes them in.
 *
 * @category Events
 * @example
 * ```ts
 * import type { KindEvents } from 'rtnl'
 *
 * const show = (e: KindEvents['tcActions']) => `${e.op} ${e.resource.kind} ${e.resource.index}`
 * ```
 */
export interface KindEvents {}

/**
 * A message type this library does not decode (multicast route
 * cache reports, ...), or one that failed to decode (`error` says why). Its
 * bytes come along, so nothing the kernel said is lost.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, ALL_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...ALL_GROUPS] })) {
 *   if (msg.type === 'event' && msg.op === 'unknown') console.log(msg.typeName, msg.error ?? '', msg.payload.slice(0, 64))
 * }
 * ```
 */
export interface UnknownEvent extends EventMeta {
  /** Always 'event'. */
  type: 'event'
  /** Always 'unknown'. */
  op: 'unknown'
  /** The nlmsg_type. */
  rtmType: number
  /** Its kernel name, 'RTM_NEWNEIGHTBL'; 'RTM_<number>' for a type newer than this library. */
  typeName: string
  /** The message body after the 16-byte netlink header, as lower-case hex (for a datagram that could not be framed: the datagram). */
  payload: string
  /** Always null: there is no decoded object. */
  resource: null
  /** Why decoding failed, for a message of a type this library decodes. */
  error?: string
}

/**
 * Every event a monitor yields: a union discriminated by `op`, so that a
 * test of `op` narrows `resource` to the right struct.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, type MonitorEvent } from 'rtnl'
 *
 * function describe(e: MonitorEvent): string {
 *   switch (e.op) {
 *     case 'new_link':
 *     case 'del_link':
 *       return `${e.op} ${e.resource.name}`
 *     case 'new_route':
 *     case 'del_route':
 *       return `${e.op} ${e.resource.dst ?? 'default'}/${e.resource.dstLen}`
 *     case 'unknown':
 *       return e.typeName
 *     default:
 *       return e.op
 *   }
 * }
 * for await (const msg of await subscribe()) if (msg.type === 'event') console.log(describe(msg))
 * ```
 */
export type MonitorEvent =
  | LinkEvent
  | AddressEvent
  | RouteEvent
  | NeighbourEvent
  | RuleEvent
  | NexthopEvent
  | NexthopBucketEvent
  | NetconfEvent
  | NsidEvent
  | QdiscEvent
  | TcClassEvent
  | TcFilterEvent
  | TcChainEvent
  | BridgeVlanEvent
  | BridgePortEvent
  | MdbEvent
  | PrefixEvent
  | NdUserOptionEvent
  | LinkStatsEvent
  | KindEvents[keyof KindEvents]
  | UnknownEvent
/**
 * Every `op` an event can have: 'new_link', 'del_link', 'new_addr', ..., 'unknown'.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, type EventOp } from 'rtnl'
 *
 * const counts = new Map<EventOp, number>()
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'event') counts.set(msg.op, (counts.get(msg.op) ?? 0) + 1)
 * }
 * ```
 */
export type EventOp = MonitorEvent['op']

/**
 * Events may have been lost: re-list everything you track.
 * 'enobufs': the kernel dropped messages (socket buffer full);
 * 'overflow': this library dropped events (more than maxQueued waiting for JS);
 * 'truncated': a datagram was larger than the receive buffer.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, routes, type Route } from 'rtnl'
 *
 * let table: Route[] = await routes.list()
 * for await (const msg of await subscribe()) {
 *   if (msg.type === 'resync_needed') {
 *     console.warn(`events lost (${msg.reason}): re-listing`)
 *     table = await routes.list()
 *   }
 * }
 * ```
 */
export interface ResyncNeeded {
  /** Always 'resync_needed'. */
  type: 'resync_needed'
  /** What was lost: see above. */
  reason: 'enobufs' | 'overflow' | 'truncated'
}

/**
 * What a monitor yields: an event, or a notice that events were lost.
 * Discriminated by `type`.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, type MonitorMessage } from 'rtnl'
 *
 * const log = (msg: MonitorMessage) => console.log(msg.type === 'event' ? msg.op : `resync (${msg.reason})`)
 * for await (const msg of await subscribe()) log(msg)
 * ```
 */
export type MonitorMessage = MonitorEvent | ResyncNeeded

/**
 * Counters of one monitor.
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * const monitor = await subscribe({ maxQueued: 100_000 })
 * setInterval(() => {
 *   const st = monitor.stats()
 *   if (st.dropped || st.enobufs) console.warn(`lost ${st.dropped} events in rtnl, ${st.enobufs} overruns in the kernel; rcvbuf ${st.rcvbuf}`)
 * }, 10_000).unref()
 * ```
 */
export interface MonitorStats {
  /** Events decoded from the kernel's messages: always delivered + dropped. */
  received: number
  /** Events handed to JS. */
  delivered: number
  /** Events dropped because more than maxQueued items were waiting. */
  dropped: number
  /** resync_needed notices handed to JS. */
  resyncs: number
  /** Times recv failed with ENOBUFS (the kernel dropped messages). */
  enobufs: number
  /** Messages of a known type that failed to decode (delivered as op 'unknown'). */
  decodeFailures: number
  /** Datagrams from a sender other than the kernel, dropped. */
  foreign: number
  /** Datagrams cut short by MSG_TRUNC. */
  truncated: number
  /** Batches handed to JS (one JS call each). */
  batches: number
  /** Bytes read from the socket. */
  bytes: number
  /** Items handed to JS and not yet taken by the consumer. */
  queued: number
  /** The receive buffer the kernel granted (it doubles the request). */
  rcvbuf: number
  /** Whether SO_RCVBUFFORCE worked; false means SO_RCVBUF, capped by rmem_max. */
  rcvbufForced: boolean
  /**
   * Groups asked for that this kernel does not have, left out (missingGroups
   * 'skip'; for example IPV4_MCADDR, IPV6_MCADDR and IPV6_ACADDR before Linux
   * 6.14). Empty when every group was joined.
   */
  groupsRefused: number[]
  /** Items (events and resync notices) taken by the consumer. */
  consumed: number
}
