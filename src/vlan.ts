/**
 * Bridge VLANs, the per-VLAN database (`bridge -d vlan show`, `bridge vlan
 * global show`; RTM_NEWVLAN / RTM_DELVLAN). One object per entry (a VLAN
 * or a range) or per VLAN's global options, told apart by `entryType`.
 * Mirrors crates/rtnl-core/src/vlan.rs.
 */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'
import type { VlanTunnelInfo, VlanStats, VlanGlobalOptions, BridgeVlan } from './generated/vlan'
export type { VlanTunnelInfo, VlanStats, VlanGlobalOptions, BridgeVlan } from './generated/vlan'

const FILTERS = ['ifindex'] as const

/**
 * Bridge VLANs (`bridge -d vlan show`, `bridge vlan global show`): list
 * them. Each is a {@link BridgeVlan}; their events are
 * {@link BridgeVlanEvent}s (group BRVLAN, not a default one).
 *
 * @namespace
 * @category Bridge
 * @example
 * ```ts
 * import { bridgeVlans } from 'rtnl'
 *
 * const pvids = (await bridgeVlans.list()).filter((v) => v.flagNames?.includes('pvid'))
 * console.log(pvids.map((v) => `${v.ifindex}: ${v.vid}`))
 * ```
 */
export const bridgeVlans = {
  /**
   * Every VLAN entry of every bridge port (RTM_GETVLAN dump): empty unless a
   * bridge filters VLANs, and empty on a kernel built without bridge VLAN
   * filtering (which answers the dump with EOPNOTSUPP).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { bridgeVlans } from 'rtnl'
   *
   * for (const v of await bridgeVlans.list({ ifindex: 3 })) console.log(v.entryType, v.vid, v.vidEnd, v.flagNames)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<BridgeVlan[]> {
    return listKind<BridgeVlan>('bridgeVlans', opts, FILTERS)
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
   * import { bridgeVlans } from 'rtnl'
   *
   * for await (const batch of bridgeVlans.iterate()) console.log(batch.length)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<BridgeVlan[], void, undefined> {
    return iterateKind<BridgeVlan>('bridgeVlans', opts, FILTERS)
  },
}
