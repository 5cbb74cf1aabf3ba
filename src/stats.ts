/** Link statistics, as `ip stats show` shows them (RTM_NEWSTATS). Mirrors crates/rtnl-core/src/stats.rs. */
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'
import type { LinkStats64 } from './link'
import type { RxTx, BridgeMcastStats, BridgeStpStats, BridgeVlanStats, BridgeXstats, BondXstats, Xstats, HwStatsInfo, HwStatsInfoSet, HwStats64, OffloadXstats, MplsLinkStats, MplsStats, AfStats, LinkStats } from './generated/stats'
export type { RxTx, BridgeMcastStats, BridgeStpStats, BridgeVlanStats, BridgeXstats, BondXstats, Xstats, HwStatsInfo, HwStatsInfoSet, HwStats64, OffloadXstats, MplsLinkStats, MplsStats, AfStats, LinkStats } from './generated/stats'

const FILTERS = ['ifindex'] as const

/**
 * Link statistics (`ip stats show`): list them, or get one link's. Each is
 * a {@link LinkStats}; their events are {@link LinkStatsEvent}s (group
 * STATS, not a default one).
 *
 * @namespace
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const before = await linkStats.get(2)
 * await new Promise((r) => setTimeout(r, 1000))
 * const after = await linkStats.get(2)
 * console.log('rx bytes/s:', Number(after?.link64?.rxBytes ?? 0) - Number(before?.link64?.rxBytes ?? 0))
 * ```
 */
export const linkStats = {
  /**
   * The statistics of every link (or of `ifindex`) (RTM_GETSTATS dump).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { linkStats } from 'rtnl'
   *
   * for (const st of await linkStats.list()) console.log(st.ifindex, st.link64?.rxPackets, st.link64?.txPackets)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<LinkStats[]> {
    return listKind<LinkStats>('linkStats', opts, FILTERS)
  },
  /**
   * The same dump as `list()`, as batches.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { linkStats } from 'rtnl'
   *
   * for await (const batch of linkStats.iterate()) for (const st of batch) console.log(st.ifindex, st.link64?.rxDropped)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<LinkStats[], void, undefined> {
    return iterateKind<LinkStats>('linkStats', opts, FILTERS)
  },
  /**
   * The statistics of one link (`ip stats show dev X`), or null when there is no such link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { linkStats } from 'rtnl'
   *
   * const st = await linkStats.get(2)
   * console.log(st?.link64)
   * ```
   */
  async get(ifindex: number, opts?: ListOptions): Promise<LinkStats | null> {
    return getObject<LinkStats>('linkStats', { ifindex: positiveInteger(ifindex, 'linkStats.get: ifindex', 0x7fffffff) }, opts)
  },
}
