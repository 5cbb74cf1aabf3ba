/** Link statistics, as `ip stats show` shows them (RTM_NEWSTATS). Mirrors crates/rtnl-core/src/stats.rs. */
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'
import type { LinkStats64 } from './link'

/**
 * A receive/transmit pair of one br_mcast_stats counter.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const st = await linkStats.get(3) // a bridge with mcast_stats_enabled
 * const q = st?.xstats?.bridge?.mcast?.igmpV2queries
 * if (q) console.log(`IGMPv2 queries: ${q.rx} received, ${q.tx} sent`)
 * ```
 */
export interface RxTx {
  /** Received. */
  rx: number
  /** Sent. */
  tx: number
}

/**
 * struct br_mcast_stats (BRIDGE_XSTATS_MCAST): IGMP/MLD packets the bridge (or port) saw and sent; present with mcast_stats_enabled.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const m = st.xstats?.bridge?.mcast ?? st.xstatsSlave?.bridge?.mcast
 *   if (m) console.log(st.ifindex, 'IGMPv3 reports in', m.igmpV3reports.rx, 'MLDv2 reports in', m.mldV2reports.rx)
 * }
 * ```
 */
export interface BridgeMcastStats {
  /** IGMPv1 queries. */
  igmpV1queries: RxTx
  /** IGMPv2 queries. */
  igmpV2queries: RxTx
  /** IGMPv3 queries. */
  igmpV3queries: RxTx
  /** IGMP leave messages. */
  igmpLeaves: RxTx
  /** IGMPv1 membership reports. */
  igmpV1reports: RxTx
  /** IGMPv2 membership reports. */
  igmpV2reports: RxTx
  /** IGMPv3 membership reports. */
  igmpV3reports: RxTx
  /** IGMP packets that could not be parsed. */
  igmpParseErrors: number
  /** MLDv1 queries. */
  mldV1queries: RxTx
  /** MLDv2 queries. */
  mldV2queries: RxTx
  /** MLD done (leave) messages. */
  mldLeaves: RxTx
  /** MLDv1 reports. */
  mldV1reports: RxTx
  /** MLDv2 reports. */
  mldV2reports: RxTx
  /** MLD packets that could not be parsed. */
  mldParseErrors: number
  /** Multicast bytes. */
  mcastBytes: RxTx
  /** Multicast packets. */
  mcastPackets: RxTx
}

/**
 * struct bridge_stp_xstats (BRIDGE_XSTATS_STP): a bridge port's STP counters.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const stp = st.xstatsSlave?.bridge?.stp
 *   if (stp) console.log(`port ${st.ifindex}: ${stp.transitionFwd} to forwarding, ${stp.rxBpdu} BPDUs in`)
 * }
 * ```
 */
export interface BridgeStpStats {
  /** Transitions to the blocking state. */
  transitionBlk: number
  /** Transitions to the forwarding state. */
  transitionFwd: number
  /** BPDUs received. */
  rxBpdu: number
  /** BPDUs sent. */
  txBpdu: number
  /** Topology change notifications received. */
  rxTcn: number
  /** Topology change notifications sent. */
  txTcn: number
}

/**
 * struct bridge_vlan_xstats (BRIDGE_XSTATS_VLAN): one VLAN's counters (bridges with VLAN filtering and per-VLAN statistics).
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const br = await linkStats.get(3)
 * for (const v of br?.xstats?.bridge?.vlans ?? []) console.log(`vlan ${v.vid}: rx ${v.rxBytes} B tx ${v.txBytes} B`)
 * ```
 */
export interface BridgeVlanStats {
  /** Bytes received. */
  rxBytes: number
  /** Packets received. */
  rxPackets: number
  /** Bytes sent. */
  txBytes: number
  /** Packets sent. */
  txPackets: number
  /** The VLAN id. */
  vid: number
  /** BRIDGE_VLAN_INFO_* bits. */
  flags: number
}

/**
 * LINK_XSTATS_TYPE_BRIDGE: BRIDGE_XSTATS_*.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const br = st.xstats?.bridge
 *   if (br) console.log(st.ifindex, `${br.vlans?.length ?? 0} VLANs`, br.mcast ? 'mcast stats on' : '')
 * }
 * ```
 */
export interface BridgeXstats {
  /** BRIDGE_XSTATS_VLAN, one per VLAN. */
  vlans?: BridgeVlanStats[]
  /** BRIDGE_XSTATS_MCAST. */
  mcast?: BridgeMcastStats
  /** BRIDGE_XSTATS_STP (bridge ports). */
  stp?: BridgeStpStats
  /** Nested attributes not decoded (or shorter than their struct). */
  unknown?: UnknownAttribute[]
}

/**
 * LINK_XSTATS_TYPE_BOND: BOND_XSTATS_*.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const lacp = st.xstats?.bond?.lacp ?? st.xstatsSlave?.bond?.lacp
 *   if (lacp) console.log(st.ifindex, 'LACPDUs in', lacp.lacpduRx, 'out', lacp.lacpduTx)
 * }
 * ```
 */
export interface BondXstats {
  /** BOND_XSTATS_3AD: the 802.3ad counters (BOND_3AD_STAT_*: lacpduRx, lacpduTx, lacpduUnknownRx, lacpduIllegalRx, markerRx, markerTx, markerRespRx, markerRespTx, markerUnknownRx). */
  lacp?: Record<string, number | string>
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_STATS_LINK_XSTATS / IFLA_STATS_LINK_XSTATS_SLAVE: per link type (LINK_XSTATS_TYPE_*) extended statistics of the link, or of it as a port of its master.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   if (st.xstats?.bridge) console.log(st.ifindex, 'is a bridge')
 *   if (st.xstatsSlave?.bridge) console.log(st.ifindex, 'is a bridge port')
 * }
 * ```
 */
export interface Xstats {
  /** LINK_XSTATS_TYPE_BRIDGE. */
  bridge?: BridgeXstats
  /** LINK_XSTATS_TYPE_BOND. */
  bond?: BondXstats
  /** Link types not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_OFFLOAD_XSTATS_HW_S_INFO for one statistics suite: whether hardware statistics were asked for, and whether a driver provides them.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const st = await linkStats.get(2)
 * const l3 = st?.offloadXstats?.hwStatsInfo?.l3Stats
 * console.log('L3 hardware stats requested', l3?.request === 1, 'provided', l3?.used === 1)
 * ```
 */
export interface HwStatsInfo {
  /** IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST (0/1). */
  request?: number
  /** IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED (0/1). */
  used?: number
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_OFFLOAD_XSTATS_HW_S_INFO: per suite (`ip stats ... l3_stats`).
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const info = st.offloadXstats?.hwStatsInfo
 *   if (info?.l3Stats) console.log(st.ifindex, info.l3Stats)
 * }
 * ```
 */
export interface HwStatsInfoSet {
  /** IFLA_OFFLOAD_XSTATS_L3_STATS. */
  l3Stats?: HwStatsInfo
  /** Suites not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * struct rtnl_hw_stats64 (IFLA_OFFLOAD_XSTATS_L3_STATS).
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const l3 = (await linkStats.get(2))?.offloadXstats?.l3Stats
 * if (l3) console.log(`forwarded in hardware: ${l3.rxPackets} in, ${l3.txPackets} out`)
 * ```
 */
export interface HwStats64 {
  /** Packets received. */
  rxPackets: number
  /** Packets sent. */
  txPackets: number
  /** Bytes received. */
  rxBytes: number
  /** Bytes sent. */
  txBytes: number
  /** Receive errors. */
  rxErrors: number
  /** Transmit errors. */
  txErrors: number
  /** Received packets dropped. */
  rxDropped: number
  /** Packets dropped on transmit. */
  txDropped: number
  /** Multicast packets received. */
  multicast: number
}

/**
 * IFLA_STATS_LINK_OFFLOAD_XSTATS: IFLA_OFFLOAD_XSTATS_*.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const hit = st.offloadXstats?.cpuHit
 *   if (hit) console.log(st.ifindex, 'packets that reached the CPU:', hit.rxPackets)
 * }
 * ```
 */
export interface OffloadXstats {
  /** IFLA_OFFLOAD_XSTATS_CPU_HIT: traffic that reached the CPU of an offloading device (rtnl_link_stats64). */
  cpuHit?: LinkStats64
  /** IFLA_OFFLOAD_XSTATS_HW_S_INFO. */
  hwStatsInfo?: HwStatsInfoSet
  /** IFLA_OFFLOAD_XSTATS_L3_STATS: the hardware's L3 counters (when `used`). */
  l3Stats?: HwStats64
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * struct mpls_link_stats (MPLS_STATS_LINK).
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) {
 *   const m = st.afSpec?.mpls?.link
 *   if (m) console.log(st.ifindex, `MPLS rx ${m.rxPackets} (no route: ${m.rxNoroute})`)
 * }
 * ```
 */
export interface MplsLinkStats {
  /** Packets received. */
  rxPackets: number
  /** Packets sent. */
  txPackets: number
  /** Bytes received. */
  rxBytes: number
  /** Bytes sent. */
  txBytes: number
  /** Receive errors. */
  rxErrors: number
  /** Transmit errors. */
  txErrors: number
  /** Received packets dropped. */
  rxDropped: number
  /** Packets dropped on transmit. */
  txDropped: number
  /** Packets received without a route for their label. */
  rxNoroute: number
}

/**
 * IFLA_STATS_AF_SPEC[AF_MPLS]: MPLS_STATS_*.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * const withMpls = (await linkStats.list()).filter((st) => st.afSpec?.mpls)
 * console.log(withMpls.map((st) => st.ifindex))
 * ```
 */
export interface MplsStats {
  /** MPLS_STATS_LINK. */
  link?: MplsLinkStats
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_STATS_AF_SPEC: per address family statistics.
 *
 * @category Link statistics
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) if (st.afSpec) console.log(st.ifindex, Object.keys(st.afSpec))
 * ```
 */
export interface AfStats {
  /** AF_MPLS (links with MPLS input enabled). */
  mpls?: MplsStats
  /** Families not decoded, by family number. */
  unknown?: UnknownAttribute[]
}

/**
 * The statistics of one link, as `ip stats show` shows them: the 64-bit
 * counters, extended statistics of bridges and bonds (and of their ports),
 * hardware (offload) counters and per-family statistics (RTM_NEWSTATS,
 * struct if_stats_msg and its IFLA_STATS_* attributes).
 *
 * @example
 * ```ts
 * import { linkStats } from 'rtnl'
 *
 * for (const st of await linkStats.list()) console.log(st.ifindex, st.link64?.rxBytes, st.link64?.txBytes)
 * ```
 * @category Link statistics
 */
export interface LinkStats {
  /** if_stats_msg.family (AF_UNSPEC). */
  family: number
  /** if_stats_msg.ifindex: the link. */
  ifindex: number
  /** if_stats_msg.filter_mask: the IFLA_STATS_FILTER_BIT()s of the groups asked for. */
  filterMask: number
  /** IFLA_STATS_LINK_64: the link's rtnl_link_stats64 counters (as `stats64` of a link). */
  link64?: LinkStats64
  /** IFLA_STATS_LINK_XSTATS: extended statistics of the link's own type. */
  xstats?: Xstats
  /** IFLA_STATS_LINK_XSTATS_SLAVE: extended statistics of the link as a port of its master. */
  xstatsSlave?: Xstats
  /** IFLA_STATS_LINK_OFFLOAD_XSTATS: offload (hardware) statistics. */
  offloadXstats?: OffloadXstats
  /** IFLA_STATS_AF_SPEC: per address family statistics. */
  afSpec?: AfStats
  /** Attributes not decoded. */
  unknown?: UnknownAttribute[]
}

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
