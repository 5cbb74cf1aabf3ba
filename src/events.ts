/**
 * What a monitor yields: a discriminated union on `type`, and for events on
 * `op`, so that TypeScript narrows `resource` to the right struct.
 */
import type { Address } from './address'
import type { Link } from './link'
import type { Neighbour } from './neighbour'
import type { Route } from './route'
import type { Rule } from './rule'

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
  op: 'new_addr' | 'del_addr'
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
/** A message type this library does not decode, or one that failed to decode (`error` says why). */
export interface UnknownEvent extends EventMeta {
  type: 'event'
  op: 'unknown'
  /** The nlmsg_type. */
  rtmType: number
  resource: null
  error?: string
}

export type MonitorEvent = LinkEvent | AddressEvent | RouteEvent | NeighbourEvent | RuleEvent | UnknownEvent
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
