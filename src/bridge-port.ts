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
import type { BridgePortData } from './linkinfo'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

/**
 * One VLAN (or range) of a bridge port or a bridge (IFLA_BRIDGE_VLAN_INFO);
 * a RANGE_BEGIN/RANGE_END pair is one entry with `vidEnd`.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgePorts } from 'rtnl'
 *
 * for (const p of await bridgePorts.list()) {
 *   for (const v of p.vlans ?? []) console.log(p.name, v.vidEnd ? `${v.vid}-${v.vidEnd}` : v.vid, v.flagNames.join(' '))
 * }
 * ```
 */
export interface BridgePortVlan {
  /** The VLAN id (the first of a range). */
  vid: number
  /** The last VLAN of a range. */
  vidEnd?: number
  /** BRIDGE_VLAN_INFO_* bits (the range bits are folded into `vidEnd`). */
  flags: number
  /** `flags` by name: master, pvid, untagged, brentry, only_opts. */
  flagNames: string[]
}

/**
 * A bridge port as `bridgePorts.list()` returns it and a bridge port event
 * carries it: what `bridge -d -j link show` prints (state, priority, cost,
 * learning, flood, ...), with the VLANs the kernel's notifications carry.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgePorts } from 'rtnl'
 *
 * for (const p of await bridgePorts.list()) {
 *   if (p.index === p.master) continue // a bridge's own entry
 *   console.log(p.name, p.stateName, p.protinfo?.cost, p.protinfo?.learning ? 'learning' : '')
 * }
 * ```
 */
export interface BridgePort {
  /** ifi_family: AF_BRIDGE (7). */
  family: number
  /** ifi_type, an ARPHRD_* number. */
  type: number
  /** The port's ifindex (the bridge's, in a bridge's own entry). */
  index: number
  /** ifi_flags, IFF_* bits of the link. */
  flags: number
  /** `flags` by name, as a link's. */
  flagNames: string[]
  /** The link's name (as a link's `name`). */
  name?: string
  /** The bridge's ifindex (the bridge's own, in its own entry). */
  master?: number
  /** The link's MTU. */
  mtu?: number
  /** The link's operational state, as a link's (UP, DOWN, LOWERLAYERDOWN, ...). */
  operstate?: string
  /** The link's MAC address. */
  address?: string
  /** IFLA_LINK: the link's lower device (a veth's peer), when it has one. */
  link?: number
  /** The STP state by name (disabled, listening, learning, forwarding, blocking), from `protinfo.state`; absent in a bridge's own entry. */
  stateName?: string
  /** IFLA_PROTINFO: the port's IFLA_BRPORT_* attributes, by the names a link's bridge `slaveData` uses. */
  protinfo?: BridgePortData
  /** IFLA_AF_SPEC's VLANs of the port (or bridge). */
  vlans?: BridgePortVlan[]
  /** IFLA_AF_SPEC's IFLA_BRIDGE_FLAGS (BRIDGE_FLAGS_MASTER 1, _SELF 2). */
  bridgeFlags?: number
  /** IFLA_AF_SPEC's IFLA_BRIDGE_MODE (BRIDGE_MODE_VEB 0, _VEPA 1, _HAIRPIN 2). */
  bridgeMode?: number
  /** Attributes not decoded (a whole IFLA_AF_SPEC when one of its members is not), as hex. */
  unknown?: UnknownAttribute[]
}

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
