/**
 * Bridge ports (`bridge link`): the bridge family's view of a link
 * (RTM_NEWLINK / RTM_DELLINK with family AF_BRIDGE, 7). The kernel sends
 * one when a port joins a bridge, changes STP state or options, or leaves
 * it (a `del_bridge_port`: no longer a port, the link itself stays), and
 * one for a bridge's own VLANs (an entry whose `master` is its own
 * `index`). These never change `links`: a link is what family 0 says.
 * Mirrors crates/rtnl-core/src/bridge_port.rs.
 */
import { iterateKind, listKind } from './list'
import type { BridgePortData } from './generated/linkinfo'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'
import type { BridgePortVlan, BridgePort } from './generated/bridge-port'
export type { BridgePortVlan, BridgePort } from './generated/bridge-port'

const FILTERS = ['ifindex'] as const

/**
 * Bridge ports (`bridge -d link show`): list them. Each is a
 * {@link BridgePort}; their events are {@link BridgePortEvent}s (group
 * LINK, with the links' events).
 *
 * @namespace
 * @category Bridge
 * @example
 * ```ts
 * import { bridgePorts } from 'rtnl'
 *
 * const blocked = (await bridgePorts.list()).filter((p) => p.stateName === 'blocking')
 * console.log(blocked.map((p) => p.name))
 * ```
 */
export const bridgePorts = {
  /**
   * Every bridge port, and each bridge's own entry (RTM_GETLINK dump of
   * family AF_BRIDGE, asking for VLANs as notifications carry them).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { bridgePorts } from 'rtnl'
   *
   * for (const p of await bridgePorts.list({ ifindex: 3 })) console.log(p.name, p.stateName, p.protinfo?.priority)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<BridgePort[]> {
    return listKind<BridgePort>('bridgePorts', opts, FILTERS)
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
   * import { bridgePorts } from 'rtnl'
   *
   * for await (const batch of bridgePorts.iterate()) console.log(batch.length)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<BridgePort[], void, undefined> {
    return iterateKind<BridgePort>('bridgePorts', opts, FILTERS)
  },
}
