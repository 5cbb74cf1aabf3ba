/** Link statistics, as `ip stats show` shows them (RTM_NEWSTATS). Mirrors crates/rtnl-core/src/stats.rs. */
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'

export interface LinkStats {
  family: number
  ifindex: number
  filterMask: number
  unknown?: UnknownAttribute[]
}

const FILTERS = ['ifindex'] as const

export const linkStats = {
  /** The statistics of every link (or of `ifindex`) (RTM_GETSTATS dump). */
  list(opts?: IfindexListOptions): Promise<LinkStats[]> {
    return listKind<LinkStats>('linkStats', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<LinkStats[], void, undefined> {
    return iterateKind<LinkStats>('linkStats', opts, FILTERS)
  },
  /** The statistics of one link (`ip stats show dev X`), or null when there is no such link. */
  async get(ifindex: number, opts?: ListOptions): Promise<LinkStats | null> {
    return getObject<LinkStats>('linkStats', { ifindex: positiveInteger(ifindex, 'linkStats.get: ifindex', 0x7fffffff) }, opts)
  },
}
