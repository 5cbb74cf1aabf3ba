/**
 * Bridge VLANs, the per-VLAN database (`bridge -d vlan show`, `bridge vlan
 * global show`; RTM_NEWVLAN / RTM_DELVLAN). One object per entry (a VLAN
 * or a range) or per VLAN's global options, told apart by `entryType`.
 * Mirrors crates/rtnl-core/src/vlan.rs.
 */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

/**
 * BRIDGE_VLANDB_TINFO_*.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgeVlans } from 'rtnl'
 *
 * for (const v of await bridgeVlans.list()) {
 *   if (v.tunnelInfo?.id !== undefined) console.log(`port ${v.ifindex} vlan ${v.vid} -> vni ${v.tunnelInfo.id}`)
 * }
 * ```
 */
export interface VlanTunnelInfo {
  /** BRIDGE_VLANDB_TINFO_ID: the tunnel id (VNI). */
  id?: number
  /** BRIDGE_VLANDB_TINFO_CMD: RTM_SETLINK/RTM_DELLINK (requests). */
  cmd?: number
  /** BRIDGE_VLANDB_TINFO_* not decoded, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * BRIDGE_VLANDB_STATS_*.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgeVlans } from 'rtnl'
 *
 * for (const v of await bridgeVlans.list({ ifindex: 3 })) {
 *   if (v.stats) console.log(`vlan ${v.vid}: rx ${v.stats.rxBytes} B, tx ${v.stats.txBytes} B`)
 * }
 * ```
 */
export interface VlanStats {
  /** BRIDGE_VLANDB_STATS_RX_BYTES. */
  rxBytes?: number
  /** BRIDGE_VLANDB_STATS_RX_PACKETS. */
  rxPackets?: number
  /** BRIDGE_VLANDB_STATS_TX_BYTES. */
  txBytes?: number
  /** BRIDGE_VLANDB_STATS_TX_PACKETS. */
  txPackets?: number
  /** BRIDGE_VLANDB_STATS_* not decoded, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * BRIDGE_VLANDB_GOPTS_* (the id and range go to the entry's `vid`/`vidEnd`).
 * Intervals are in centiseconds (clock_t), as bridge prints them.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgeVlans } from 'rtnl'
 *
 * for (const v of await bridgeVlans.list()) {
 *   if (v.entryType === 'global') console.log(`vlan ${v.vid}: snooping ${v.global?.mcastSnooping}, msti ${v.global?.msti}`)
 * }
 * ```
 */
export interface VlanGlobalOptions {
  /** BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING. */
  mcastSnooping?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION. */
  mcastIgmpVersion?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION. */
  mcastMldVersion?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT. */
  mcastLastMemberCnt?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT. */
  mcastStartupQueryCnt?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL. */
  mcastLastMemberIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL. */
  mcastMembershipIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL. */
  mcastQuerierIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL. */
  mcastQueryIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL. */
  mcastQueryResponseIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL. */
  mcastStartupQueryIntvl?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_QUERIER. */
  mcastQuerier?: number
  /** BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS: nested router ports (hex; not decoded). */
  mcastRouterPorts?: string
  /** BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE: nested querier state (hex; not decoded). */
  mcastQuerierState?: string
  /** BRIDGE_VLANDB_GOPTS_MSTI: the MST instance of the VLAN. */
  msti?: number
  /** BRIDGE_VLANDB_GOPTS_* not decoded, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * One entry of a bridge's per-VLAN database: a VLAN (or range) on a port,
 * with its STP state and options, or a VLAN's global options (`entryType`
 * 'global'), as `bridgeVlans.list()` returns it and a VLAN event carries
 * it (struct br_vlan_msg and its BRIDGE_VLANDB_* attributes).
 *
 * @category Bridge
 * @example
 * ```ts
 * import { bridgeVlans } from 'rtnl'
 *
 * for (const v of await bridgeVlans.list()) {
 *   if (v.entryType !== 'vlan') continue
 *   const range = v.vidEnd ? `${v.vid}-${v.vidEnd}` : `${v.vid}`
 *   console.log(`port ${v.ifindex} vlan ${range} ${v.flagNames?.join(' ') ?? ''} ${v.stateName ?? ''}`)
 * }
 * ```
 */
export interface BridgeVlan {
  /** 'vlan' (BRIDGE_VLANDB_ENTRY) or 'global' (BRIDGE_VLANDB_GLOBAL_OPTIONS). */
  entryType: 'vlan' | 'global'
  /** br_vlan_msg.family (AF_BRIDGE). */
  family: number
  /** The port (or the bridge itself). */
  ifindex: number
  /** The VLAN id: BRIDGE_VLANDB_ENTRY_INFO's vid, or BRIDGE_VLANDB_GOPTS_ID (bridge's `vlan`). */
  vid?: number
  /** The last VLAN of a range: BRIDGE_VLANDB_ENTRY_RANGE / GOPTS_RANGE (bridge's `vlanEnd`). */
  vidEnd?: number
  /** bridge_vlan_info.flags: BRIDGE_VLAN_INFO_* (entries). */
  flags?: number
  /**
   * `flags` by name: master, pvid, untagged, range_begin, range_end, brentry,
   * only_opts (bridge prints pvid as "PVID" and untagged as "Egress Untagged").
   */
  flagNames?: string[]
  /** BRIDGE_VLANDB_ENTRY_STATE: the VLAN's STP state (BR_STATE_*). */
  state?: number
  /** `state` as bridge prints it: disabled, listening, learning, forwarding, blocking. */
  stateName?: string
  /** BRIDGE_VLANDB_ENTRY_TUNNEL_INFO: the VLAN-to-tunnel mapping. */
  tunnelInfo?: VlanTunnelInfo
  /** BRIDGE_VLANDB_ENTRY_STATS: per-VLAN counters. */
  stats?: VlanStats
  /** BRIDGE_VLANDB_ENTRY_MCAST_ROUTER: the port's multicast router mode for this VLAN. */
  mcastRouter?: number
  /** BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS: multicast groups joined on this port-VLAN. */
  mcastNGroups?: number
  /** BRIDGE_VLANDB_ENTRY_MCAST_MAX_GROUPS: the limit on them (0 = none). */
  mcastMaxGroups?: number
  /** BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS: 1 when ARP/ND suppression is on. */
  neighSuppress?: number
  /** BRIDGE_VLANDB_GLOBAL_OPTIONS: the global options ('global' entries). */
  global?: VlanGlobalOptions
  /** Attributes not decoded (of this entry, or of the message when it has no entry), as hex. */
  unknown?: UnknownAttribute[]
}

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
