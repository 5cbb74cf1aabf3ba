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
import type { MdbEntry } from './mdb'
import type { Prefix } from './prefix'
import type { NdUserOption } from './nduseropt'
import type { LinkStats } from './stats'

/** What every event carries besides its op and resource. */
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

export interface LinkEvent extends EventMeta {
  type: 'event'
  op: 'new_link' | 'del_link'
  resource: Link
}
export interface AddressEvent extends EventMeta {
  type: 'event'
  /**
   * new_addr/del_addr: an address (groups IPV4_IFADDR, IPV6_IFADDR);
   * new_maddr/del_maddr: a multicast group a link joined or left
   * (IPV4_MCADDR, IPV6_MCADDR); new_acaddr/del_acaddr: an IPv6 anycast
   * address (IPV6_ACADDR). `addresses.list()` lists the first only.
   */
  op: 'new_addr' | 'del_addr' | 'new_maddr' | 'del_maddr' | 'new_acaddr' | 'del_acaddr'
  resource: Address
}
export interface RouteEvent extends EventMeta {
  type: 'event'
  op: 'new_route' | 'del_route'
  resource: Route
}
export interface NeighbourEvent extends EventMeta {
  type: 'event'
  op: 'new_neigh' | 'del_neigh'
  resource: Neighbour
}
export interface RuleEvent extends EventMeta {
  type: 'event'
  op: 'new_rule' | 'del_rule'
  resource: Rule
}
export interface NexthopEvent extends EventMeta {
  type: 'event'
  op: 'new_nexthop' | 'del_nexthop'
  resource: NexthopObject
}
/** A bucket of a resilient nexthop group: `resource.bucket` says which, `resource.id` the group. */
export interface NexthopBucketEvent extends EventMeta {
  type: 'event'
  op: 'new_nexthop_bucket' | 'del_nexthop_bucket'
  resource: NexthopObject
}
export interface NetconfEvent extends EventMeta {
  type: 'event'
  op: 'new_netconf' | 'del_netconf'
  resource: Netconf
}
export interface NsidEvent extends EventMeta {
  type: 'event'
  op: 'new_nsid' | 'del_nsid'
  resource: Nsid
}
export interface QdiscEvent extends EventMeta {
  type: 'event'
  op: 'new_qdisc' | 'del_qdisc'
  resource: Qdisc
}
export interface TcClassEvent extends EventMeta {
  type: 'event'
  op: 'new_class' | 'del_class'
  resource: TcClass
}
export interface TcFilterEvent extends EventMeta {
  type: 'event'
  op: 'new_filter' | 'del_filter'
  resource: TcFilter
}
export interface TcChainEvent extends EventMeta {
  type: 'event'
  op: 'new_chain' | 'del_chain'
  resource: TcChain
}
/** One bridge VLAN entry; a message with several entries is one event each. */
export interface BridgeVlanEvent extends EventMeta {
  type: 'event'
  op: 'new_vlan' | 'del_vlan'
  resource: BridgeVlan
}
export interface MdbEvent extends EventMeta {
  type: 'event'
  op: 'new_mdb' | 'del_mdb'
  resource: MdbEntry
}
/** An IPv6 prefix a router advertised (group IPV6_PREFIX). */
export interface PrefixEvent extends EventMeta {
  type: 'event'
  op: 'new_prefix'
  resource: Prefix
}
/** ND options of a router advertisement: RDNSS, DNSSL, ... (group ND_USEROPT). */
export interface NdUserOptionEvent extends EventMeta {
  type: 'event'
  op: 'new_nduseropt'
  resource: NdUserOption
}
export interface LinkStatsEvent extends EventMeta {
  type: 'event'
  op: 'new_stats'
  resource: LinkStats
}
/**
 * A message type this library does not decode (tc actions, multicast route
 * cache reports, ...), or one that failed to decode (`error` says why). Its
 * bytes come along, so nothing the kernel said is lost.
 */
export interface UnknownEvent extends EventMeta {
  type: 'event'
  op: 'unknown'
  /** The nlmsg_type. */
  rtmType: number
  /** Its kernel name, 'RTM_NEWACTION'; 'RTM_<number>' for a type newer than this library. */
  typeName: string
  /** The message body after the 16-byte netlink header, as lower-case hex (for a datagram that could not be framed: the datagram). */
  payload: string
  resource: null
  error?: string
}

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
  | MdbEvent
  | PrefixEvent
  | NdUserOptionEvent
  | LinkStatsEvent
  | UnknownEvent
export type EventOp = MonitorEvent['op']

/**
 * Events may have been lost: re-list everything you track.
 * 'enobufs': the kernel dropped messages (socket buffer full);
 * 'overflow': this library dropped events (more than maxQueued waiting for JS);
 * 'truncated': a datagram was larger than the receive buffer.
 */
export interface ResyncNeeded {
  type: 'resync_needed'
  reason: 'enobufs' | 'overflow' | 'truncated'
}

export type MonitorMessage = MonitorEvent | ResyncNeeded

/** Counters of one monitor. */
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
  /** Items (events and resync notices) taken by the consumer. */
  consumed: number
}
