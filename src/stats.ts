/** Link statistics, as `ip stats show` shows them (RTM_NEWSTATS). Mirrors crates/rtnl-core/src/stats.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

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
}
