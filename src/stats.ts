/** Link statistics, as `ip stats show` shows them (RTM_NEWSTATS). Mirrors crates/rtnl-core/src/stats.rs. */
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'
import type { LinkStats64 } from './link'

/** A receive/transmit pair of one br_mcast_stats counter. */
export interface RxTx {
  rx: number
  tx: number
}

/** struct br_mcast_stats (BRIDGE_XSTATS_MCAST): IGMP/MLD packets the bridge (or port) saw and sent; present with mcast_stats_enabled. */
export interface BridgeMcastStats {
  igmpV1queries: RxTx
  igmpV2queries: RxTx
  igmpV3queries: RxTx
  igmpLeaves: RxTx
  igmpV1reports: RxTx
  igmpV2reports: RxTx
  igmpV3reports: RxTx
  igmpParseErrors: number
  mldV1queries: RxTx
  mldV2queries: RxTx
  mldLeaves: RxTx
  mldV1reports: RxTx
  mldV2reports: RxTx
  mldParseErrors: number
  mcastBytes: RxTx
  mcastPackets: RxTx
}

/** struct bridge_stp_xstats (BRIDGE_XSTATS_STP): a bridge port's STP counters. */
export interface BridgeStpStats {
  /** Transitions to the blocking state. */
  transitionBlk: number
  /** Transitions to the forwarding state. */
  transitionFwd: number
  rxBpdu: number
  txBpdu: number
  rxTcn: number
  txTcn: number
}

/** struct bridge_vlan_xstats (BRIDGE_XSTATS_VLAN): one VLAN's counters (bridges with VLAN filtering and per-VLAN statistics). */
export interface BridgeVlanStats {
  rxBytes: number
  rxPackets: number
  txBytes: number
  txPackets: number
  vid: number
  /** BRIDGE_VLAN_INFO_* bits. */
  flags: number
}

/** LINK_XSTATS_TYPE_BRIDGE: BRIDGE_XSTATS_*. */
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

/** LINK_XSTATS_TYPE_BOND: BOND_XSTATS_*. */
export interface BondXstats {
  /** BOND_XSTATS_3AD: the 802.3ad counters (BOND_3AD_STAT_*: lacpduRx, lacpduTx, lacpduUnknownRx, lacpduIllegalRx, markerRx, markerTx, markerRespRx, markerRespTx, markerUnknownRx). */
  lacp?: Record<string, number | string>
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/** IFLA_STATS_LINK_XSTATS / IFLA_STATS_LINK_XSTATS_SLAVE: per link type (LINK_XSTATS_TYPE_*) extended statistics of the link, or of it as a port of its master. */
export interface Xstats {
  /** LINK_XSTATS_TYPE_BRIDGE. */
  bridge?: BridgeXstats
  /** LINK_XSTATS_TYPE_BOND. */
  bond?: BondXstats
  /** Link types not decoded. */
  unknown?: UnknownAttribute[]
}

/** IFLA_OFFLOAD_XSTATS_HW_S_INFO for one statistics suite: whether hardware statistics were asked for, and whether a driver provides them. */
export interface HwStatsInfo {
  /** IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST (0/1). */
  request?: number
  /** IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED (0/1). */
  used?: number
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/** IFLA_OFFLOAD_XSTATS_HW_S_INFO: per suite (`ip stats ... l3_stats`). */
export interface HwStatsInfoSet {
  /** IFLA_OFFLOAD_XSTATS_L3_STATS. */
  l3Stats?: HwStatsInfo
  /** Suites not decoded. */
  unknown?: UnknownAttribute[]
}

/** struct rtnl_hw_stats64 (IFLA_OFFLOAD_XSTATS_L3_STATS). */
export interface HwStats64 {
  rxPackets: number
  txPackets: number
  rxBytes: number
  txBytes: number
  rxErrors: number
  txErrors: number
  rxDropped: number
  txDropped: number
  multicast: number
}

/** IFLA_STATS_LINK_OFFLOAD_XSTATS: IFLA_OFFLOAD_XSTATS_*. */
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

/** struct mpls_link_stats (MPLS_STATS_LINK). */
export interface MplsLinkStats {
  rxPackets: number
  txPackets: number
  rxBytes: number
  txBytes: number
  rxErrors: number
  txErrors: number
  rxDropped: number
  txDropped: number
  /** Packets received without a route for their label. */
  rxNoroute: number
}

/** IFLA_STATS_AF_SPEC[AF_MPLS]: MPLS_STATS_*. */
export interface MplsStats {
  /** MPLS_STATS_LINK. */
  link?: MplsLinkStats
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/** IFLA_STATS_AF_SPEC: per address family statistics. */
export interface AfStats {
  /** AF_MPLS (links with MPLS input enabled). */
  mpls?: MplsStats
  /** Families not decoded, by family number. */
  unknown?: UnknownAttribute[]
}

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
