/**
 * Neighbours, as `ip neigh` shows them, and bridge fdb entries (family 7,
 * AF_BRIDGE) as `bridge fdb` shows them (RTM_NEWNEIGH / RTM_DELNEIGH).
 * Mirrors crates/rtnl-core/src/neighbour.rs.
 */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { NeighbourListOptions } from './options'

export type NeighbourState =
  | 'incomplete' | 'reachable' | 'stale' | 'delay' | 'probe' | 'failed' | 'noarp' | 'permanent'

export type NeighbourFlag = 'use' | 'self' | 'master' | 'proxy' | 'extern_learn' | 'offload' | 'sticky' | 'router'

/**
 * Ages in clock ticks (1/100 s) as of when the kernel built the message: two
 * messages about the same neighbour differ here and nowhere else.
 */
export interface NeighbourCacheInfo {
  confirmed: number
  used: number
  updated: number
  refcnt: number
}

export interface Neighbour {
  /** 2 (AF_INET), 10 (AF_INET6), 7 (AF_BRIDGE: fdb entry). */
  family: number
  ifindex: number
  /** ndm_state, NUD_* bits. */
  state: number
  stateNames: NeighbourState[]
  /** ndm_flags, NTF_* bits. */
  flags: number
  flagNames: NeighbourFlag[]
  /** ndm_type. */
  type: number
  dst?: string
  /** Link-layer address, lower-case colon hex. */
  lladdr?: string
  cacheinfo?: NeighbourCacheInfo
  probes?: number
  vlan?: number
  port?: number
  vni?: number
  linkIfindex?: number
  /** Bridge fdb: the bridge's ifindex. */
  master?: number
  linkNetnsid?: number
  protocol?: number
  nhid?: number
  flagsExt?: number
  unknown?: UnknownAttribute[]
}

export const neighbours = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  replace(object: Partial<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'del', object, opts)
  },
  /** Every neighbour (ARP and NDP tables) and bridge fdb entry in the namespace. */
  list(opts?: NeighbourListOptions): Promise<Neighbour[]> {
    return listKind<Neighbour>('neighbours', opts, ['family', 'ifindex'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of neighbours.iterate()) for (const x of batch) ...`
   */
  iterate(opts?: NeighbourListOptions): AsyncGenerator<Neighbour[], void, undefined> {
    return iterateKind<Neighbour>('neighbours', opts, ['family', 'ifindex'])
  },
}
