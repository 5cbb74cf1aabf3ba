//! Link statistics (`ip stats`): RTM_NEWSTATS, struct if_stats_msg +
//! IFLA_STATS_*. Dumped with RTM_GETSTATS, whose filter_mask selects the
//! groups (IFLA_STATS_FILTER_BIT(attr) = 1 << (attr - 1); a zero mask is
//! refused); the kernel multicasts them on RTNLGRP_STATS only for offload
//! changes.

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::error::Error;
use crate::kind::{zeroed_header, Dump, GetRequest, Key, KindDecl, KindDef, Op};
use crate::link::decode_stats64;
use crate::spec::Spec;
use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWSTATS: u16 = 92;
pub const RTM_GETSTATS: u16 = 94;
/// sizeof(struct if_stats_msg)
pub const HEADER_LEN: usize = 12;

/// Link statistics (`ip stats`).
pub const LINK_STATS: KindDef<LinkStats> = KindDef {
    decl: KindDecl {
        name: "linkStats",
        ops: &[Op {
            nlmsg_type: RTM_NEWSTATS,
            name: "new_stats",
            removes: false,
            listed: true,
        }],
        get_type: Some(RTM_GETSTATS),
        header_len: HEADER_LEN,
        groups: &["STATS"],
        dump: Dump::Bodies {
            bodies: |_| {
                let mut body = zeroed_header(HEADER_LEN, 0);
                body[8..12].copy_from_slice(&DUMP_FILTER_MASK.to_ne_bytes());
                vec![body]
            },
            empty_when: None,
        },
        get: Some(get_request),
        encode: None,
        list_filters: &["ifindex"],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(
            &[],
            "not followed by watch(): statistics move by themselves",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps: |s, f| f.ifindex_is(s.ifindex as i64),
};

/// `ip stats show dev X`.
fn get_request(q: &mut Spec) -> Result<GetRequest, Error> {
    let ifindex = q
        .int("ifindex", 1, i32::MAX as i64)?
        .ok_or_else(|| q.missing("ifindex", "the link's ifindex"))? as u32;
    let mut body = zeroed_header(HEADER_LEN, 0);
    body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    body[8..12].copy_from_slice(&DUMP_FILTER_MASK.to_ne_bytes());
    Ok(GetRequest {
        body,
        what: format!("getting the statistics of link {ifindex}"),
        flags: 0,
        none: &[libc::ENODEV],
    })
}

const IFLA_STATS_LINK_64: u16 = 1;
const IFLA_STATS_LINK_XSTATS: u16 = 2;
const IFLA_STATS_LINK_XSTATS_SLAVE: u16 = 3;
const IFLA_STATS_LINK_OFFLOAD_XSTATS: u16 = 4;
const IFLA_STATS_AF_SPEC: u16 = 5;
/// The filter_mask `ip stats show` sends: every group above
/// (IFLA_STATS_FILTER_BIT of LINK_64, LINK_XSTATS, LINK_XSTATS_SLAVE,
/// LINK_OFFLOAD_XSTATS and AF_SPEC).
pub const DUMP_FILTER_MASK: u32 = 0x1f;

/// Type 0 is the pad attribute of every nest here that carries u64s.
const PAD: u16 = 0;

const LINK_XSTATS_TYPE_BRIDGE: u16 = 1;
const LINK_XSTATS_TYPE_BOND: u16 = 2;

const BRIDGE_XSTATS_VLAN: u16 = 1;
const BRIDGE_XSTATS_MCAST: u16 = 2;
const BRIDGE_XSTATS_PAD: u16 = 3;
const BRIDGE_XSTATS_STP: u16 = 4;

const BOND_XSTATS_3AD: u16 = 1;
const BOND_3AD_STAT_PAD: u16 = 10;
/// BOND_3AD_STAT_* (1..=9), each a u64.
const BOND_3AD_FIELDS: [&str; 9] = [
    "lacpduRx",
    "lacpduTx",
    "lacpduUnknownRx",
    "lacpduIllegalRx",
    "markerRx",
    "markerTx",
    "markerRespRx",
    "markerRespTx",
    "markerUnknownRx",
];

const IFLA_OFFLOAD_XSTATS_CPU_HIT: u16 = 1;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO: u16 = 2;
const IFLA_OFFLOAD_XSTATS_L3_STATS: u16 = 3;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST: u16 = 1;
const IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED: u16 = 2;

const AF_MPLS: u16 = 28;
const MPLS_STATS_LINK: u16 = 1;

type Counters = serde_json::Map<String, serde_json::Value>;

/// A receive/transmit pair of one br_mcast_stats counter.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// const st = await linkStats.get(3) // a bridge with mcast_stats_enabled
/// const q = st?.xstats?.bridge?.mcast?.igmpV2queries
/// if (q) console.log(`IGMPv2 queries: ${q.rx} received, ${q.tx} sent`)
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct RxTx {
    /// Received.
    pub rx: u64,
    /// Sent.
    pub tx: u64,
}

/// struct br_mcast_stats (BRIDGE_XSTATS_MCAST): IGMP/MLD packets the bridge (or port) saw and sent; present with mcast_stats_enabled.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const m = st.xstats?.bridge?.mcast ?? st.xstatsSlave?.bridge?.mcast
///   if (m) console.log(st.ifindex, 'IGMPv3 reports in', m.igmpV3reports.rx, 'MLDv2 reports in', m.mldV2reports.rx)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BridgeMcastStats {
    /// IGMPv1 queries.
    pub igmp_v1queries: RxTx,
    /// IGMPv2 queries.
    pub igmp_v2queries: RxTx,
    /// IGMPv3 queries.
    pub igmp_v3queries: RxTx,
    /// IGMP leave messages.
    pub igmp_leaves: RxTx,
    /// IGMPv1 membership reports.
    pub igmp_v1reports: RxTx,
    /// IGMPv2 membership reports.
    pub igmp_v2reports: RxTx,
    /// IGMPv3 membership reports.
    pub igmp_v3reports: RxTx,
    /// IGMP packets that could not be parsed.
    pub igmp_parse_errors: u64,
    /// MLDv1 queries.
    pub mld_v1queries: RxTx,
    /// MLDv2 queries.
    pub mld_v2queries: RxTx,
    /// MLD done (leave) messages.
    pub mld_leaves: RxTx,
    /// MLDv1 reports.
    pub mld_v1reports: RxTx,
    /// MLDv2 reports.
    pub mld_v2reports: RxTx,
    /// MLD packets that could not be parsed.
    pub mld_parse_errors: u64,
    /// Multicast bytes.
    pub mcast_bytes: RxTx,
    /// Multicast packets.
    pub mcast_packets: RxTx,
}

/// struct bridge_stp_xstats (BRIDGE_XSTATS_STP): a bridge port's STP counters.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const stp = st.xstatsSlave?.bridge?.stp
///   if (stp) console.log(`port ${st.ifindex}: ${stp.transitionFwd} to forwarding, ${stp.rxBpdu} BPDUs in`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BridgeStpStats {
    /// Transitions to the blocking state.
    pub transition_blk: u64,
    /// Transitions to the forwarding state.
    pub transition_fwd: u64,
    /// BPDUs received.
    pub rx_bpdu: u64,
    /// BPDUs sent.
    pub tx_bpdu: u64,
    /// Topology change notifications received.
    pub rx_tcn: u64,
    /// Topology change notifications sent.
    pub tx_tcn: u64,
}

/// struct bridge_vlan_xstats (BRIDGE_XSTATS_VLAN): one VLAN's counters (bridges with VLAN filtering and per-VLAN statistics).
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// const br = await linkStats.get(3)
/// for (const v of br?.xstats?.bridge?.vlans ?? []) console.log(`vlan ${v.vid}: rx ${v.rxBytes} B tx ${v.txBytes} B`)
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BridgeVlanStats {
    /// Bytes received.
    pub rx_bytes: u64,
    /// Packets received.
    pub rx_packets: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// The VLAN id.
    pub vid: u16,
    /// BRIDGE_VLAN_INFO_* bits.
    pub flags: u16,
}

/// LINK_XSTATS_TYPE_BRIDGE: BRIDGE_XSTATS_*.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const br = st.xstats?.bridge
///   if (br) console.log(st.ifindex, `${br.vlans?.length ?? 0} VLANs`, br.mcast ? 'mcast stats on' : '')
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BridgeXstats {
    /// BRIDGE_XSTATS_VLAN, one per VLAN.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub vlans: Vec<BridgeVlanStats>,
    /// BRIDGE_XSTATS_MCAST.
    pub mcast: Option<BridgeMcastStats>,
    /// BRIDGE_XSTATS_STP (bridge ports).
    pub stp: Option<BridgeStpStats>,
    /// Nested attributes not decoded (or shorter than their struct).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// LINK_XSTATS_TYPE_BOND: BOND_XSTATS_*.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const lacp = st.xstats?.bond?.lacp ?? st.xstatsSlave?.bond?.lacp
///   if (lacp) console.log(st.ifindex, 'LACPDUs in', lacp.lacpduRx, 'out', lacp.lacpduTx)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BondXstats {
    /// BOND_XSTATS_3AD: the 802.3ad counters (BOND_3AD_STAT_*: lacpduRx, lacpduTx, lacpduUnknownRx, lacpduIllegalRx, markerRx, markerTx, markerRespRx, markerRespTx, markerUnknownRx).
    #[ts(type = "Record<string, number | string>", optional)]
    pub lacp: Option<Counters>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_STATS_LINK_XSTATS / IFLA_STATS_LINK_XSTATS_SLAVE: per link type (LINK_XSTATS_TYPE_*) extended statistics of the link, or of it as a port of its master.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   if (st.xstats?.bridge) console.log(st.ifindex, 'is a bridge')
///   if (st.xstatsSlave?.bridge) console.log(st.ifindex, 'is a bridge port')
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Xstats {
    /// LINK_XSTATS_TYPE_BRIDGE.
    pub bridge: Option<BridgeXstats>,
    /// LINK_XSTATS_TYPE_BOND.
    pub bond: Option<BondXstats>,
    /// Link types not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_OFFLOAD_XSTATS_HW_S_INFO for one statistics suite: whether hardware statistics were asked for, and whether a driver provides them.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// const st = await linkStats.get(2)
/// const l3 = st?.offloadXstats?.hwStatsInfo?.l3Stats
/// console.log('L3 hardware stats requested', l3?.request === 1, 'provided', l3?.used === 1)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct HwStatsInfo {
    /// IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST (0/1).
    pub request: Option<u8>,
    /// IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED (0/1).
    pub used: Option<u8>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_OFFLOAD_XSTATS_HW_S_INFO: per suite (`ip stats ... l3_stats`).
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const info = st.offloadXstats?.hwStatsInfo
///   if (info?.l3Stats) console.log(st.ifindex, info.l3Stats)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct HwStatsInfoSet {
    /// IFLA_OFFLOAD_XSTATS_L3_STATS.
    pub l3_stats: Option<HwStatsInfo>,
    /// Suites not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct rtnl_hw_stats64 (IFLA_OFFLOAD_XSTATS_L3_STATS).
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// const l3 = (await linkStats.get(2))?.offloadXstats?.l3Stats
/// if (l3) console.log(`forwarded in hardware: ${l3.rxPackets} in, ${l3.txPackets} out`)
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HwStats64 {
    /// Packets received.
    pub rx_packets: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Transmit errors.
    pub tx_errors: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Packets dropped on transmit.
    pub tx_dropped: u64,
    /// Multicast packets received.
    pub multicast: u64,
}

/// IFLA_STATS_LINK_OFFLOAD_XSTATS: IFLA_OFFLOAD_XSTATS_*.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const hit = st.offloadXstats?.cpuHit
///   if (hit) console.log(st.ifindex, 'packets that reached the CPU:', hit.rxPackets)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct OffloadXstats {
    /// IFLA_OFFLOAD_XSTATS_CPU_HIT: traffic that reached the CPU of an offloading device (rtnl_link_stats64).
    #[ts(as = "Option<crate::link::LinkStats64>")]
    pub cpu_hit: Option<Counters>,
    /// IFLA_OFFLOAD_XSTATS_HW_S_INFO.
    pub hw_stats_info: Option<HwStatsInfoSet>,
    /// IFLA_OFFLOAD_XSTATS_L3_STATS: the hardware's L3 counters (when `used`).
    pub l3_stats: Option<HwStats64>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct mpls_link_stats (MPLS_STATS_LINK).
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) {
///   const m = st.afSpec?.mpls?.link
///   if (m) console.log(st.ifindex, `MPLS rx ${m.rxPackets} (no route: ${m.rxNoroute})`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MplsLinkStats {
    /// Packets received.
    pub rx_packets: u64,
    /// Packets sent.
    pub tx_packets: u64,
    /// Bytes received.
    pub rx_bytes: u64,
    /// Bytes sent.
    pub tx_bytes: u64,
    /// Receive errors.
    pub rx_errors: u64,
    /// Transmit errors.
    pub tx_errors: u64,
    /// Received packets dropped.
    pub rx_dropped: u64,
    /// Packets dropped on transmit.
    pub tx_dropped: u64,
    /// Packets received without a route for their label.
    pub rx_noroute: u64,
}

/// IFLA_STATS_AF_SPEC[AF_MPLS]: MPLS_STATS_*.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// const withMpls = (await linkStats.list()).filter((st) => st.afSpec?.mpls)
/// console.log(withMpls.map((st) => st.ifindex))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MplsStats {
    /// MPLS_STATS_LINK.
    pub link: Option<MplsLinkStats>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_STATS_AF_SPEC: per address family statistics.
///
/// @category Link statistics
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) if (st.afSpec) console.log(st.ifindex, Object.keys(st.afSpec))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct AfStats {
    /// AF_MPLS (links with MPLS input enabled).
    pub mpls: Option<MplsStats>,
    /// Families not decoded, by family number.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// The statistics of one link, as `ip stats show` shows them: the 64-bit
/// counters, extended statistics of bridges and bonds (and of their ports),
/// hardware (offload) counters and per-family statistics (RTM_NEWSTATS,
/// struct if_stats_msg and its IFLA_STATS_* attributes).
///
/// @example
/// ```ts
/// import { linkStats } from 'rtnl'
///
/// for (const st of await linkStats.list()) console.log(st.ifindex, st.link64?.rxBytes, st.link64?.txBytes)
/// ```
/// @category Link statistics
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct LinkStats {
    /// if_stats_msg.family (AF_UNSPEC).
    pub family: u8,
    /// if_stats_msg.ifindex: the link.
    pub ifindex: u32,
    /// if_stats_msg.filter_mask: the IFLA_STATS_FILTER_BIT()s of the groups asked for.
    pub filter_mask: u32,
    /// IFLA_STATS_LINK_64: the link's rtnl_link_stats64 counters (as `stats64` of a link).
    #[ts(as = "Option<crate::link::LinkStats64>")]
    pub link64: Option<Counters>,
    /// IFLA_STATS_LINK_XSTATS: extended statistics of the link's own type.
    pub xstats: Option<Xstats>,
    /// IFLA_STATS_LINK_XSTATS_SLAVE: extended statistics of the link as a port of its master.
    pub xstats_slave: Option<Xstats>,
    /// IFLA_STATS_LINK_OFFLOAD_XSTATS: offload (hardware) statistics.
    pub offload_xstats: Option<OffloadXstats>,
    /// IFLA_STATS_AF_SPEC: per address family statistics.
    pub af_spec: Option<AfStats>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// The u64 at index `i` of a packed array of u64s.
fn u64s(d: &[u8]) -> impl Fn(usize) -> u64 + '_ {
    move |i| wire::u64_at(d, i * 8).unwrap_or(0)
}

fn rxtx(at: &impl Fn(usize) -> u64, i: usize) -> RxTx {
    RxTx {
        rx: at(i),
        tx: at(i + 1),
    }
}

fn mcast(d: &[u8]) -> BridgeMcastStats {
    let at = u64s(d);
    BridgeMcastStats {
        igmp_v1queries: rxtx(&at, 0),
        igmp_v2queries: rxtx(&at, 2),
        igmp_v3queries: rxtx(&at, 4),
        igmp_leaves: rxtx(&at, 6),
        igmp_v1reports: rxtx(&at, 8),
        igmp_v2reports: rxtx(&at, 10),
        igmp_v3reports: rxtx(&at, 12),
        igmp_parse_errors: at(14),
        mld_v1queries: rxtx(&at, 15),
        mld_v2queries: rxtx(&at, 17),
        mld_leaves: rxtx(&at, 19),
        mld_v1reports: rxtx(&at, 21),
        mld_v2reports: rxtx(&at, 23),
        mld_parse_errors: at(25),
        mcast_bytes: rxtx(&at, 26),
        mcast_packets: rxtx(&at, 28),
    }
}
const MCAST_LEN: usize = 30 * 8;

fn decode_bridge(data: &[u8]) -> Result<BridgeXstats, DecodeError> {
    let mut b = BridgeXstats::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            BRIDGE_XSTATS_PAD | PAD if v.is_empty() => {}
            BRIDGE_XSTATS_VLAN if v.len() >= 36 => {
                let at = u64s(v);
                b.vlans.push(BridgeVlanStats {
                    rx_bytes: at(0),
                    rx_packets: at(1),
                    tx_bytes: at(2),
                    tx_packets: at(3),
                    vid: wire::u16_at(v, 32).unwrap_or(0),
                    flags: wire::u16_at(v, 34).unwrap_or(0),
                })
            }
            BRIDGE_XSTATS_MCAST if v.len() >= MCAST_LEN => b.mcast = Some(mcast(v)),
            BRIDGE_XSTATS_STP if v.len() >= 48 => {
                let at = u64s(v);
                b.stp = Some(BridgeStpStats {
                    transition_blk: at(0),
                    transition_fwd: at(1),
                    rx_bpdu: at(2),
                    tx_bpdu: at(3),
                    rx_tcn: at(4),
                    tx_tcn: at(5),
                })
            }
            _ => b.unknown.push(UnknownAttr::new(kind, v)),
        }
    }
    check(&walk, "LINK_XSTATS_TYPE_BRIDGE")?;
    Ok(b)
}

fn decode_bond(data: &[u8]) -> Result<BondXstats, DecodeError> {
    let mut b = BondXstats::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        if kind != BOND_XSTATS_3AD {
            b.unknown.push(UnknownAttr::new(kind, v));
            continue;
        }
        let mut lacp = Counters::new();
        let mut inner = attrs(v);
        for (k, x) in inner.by_ref() {
            let name = BOND_3AD_FIELDS.get((k as usize).wrapping_sub(1));
            match (name, wire::u64_at(x, 0)) {
                _ if (k == BOND_3AD_STAT_PAD || k == PAD) && x.is_empty() => {}
                (Some(name), Some(n)) if x.len() == 8 => {
                    lacp.insert((*name).to_string(), n.into());
                }
                // Not a known u64: kept as hex under its attribute type.
                _ => {
                    lacp.insert(format!("type{k}"), wire::hex(x).into());
                }
            }
        }
        check(&inner, "BOND_XSTATS_3AD")?;
        b.lacp = Some(lacp);
    }
    check(&walk, "LINK_XSTATS_TYPE_BOND")?;
    Ok(b)
}

fn decode_xstats(data: &[u8], what: &str) -> Result<Xstats, DecodeError> {
    let mut x = Xstats::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            LINK_XSTATS_TYPE_BRIDGE => x.bridge = Some(decode_bridge(v)?),
            LINK_XSTATS_TYPE_BOND => x.bond = Some(decode_bond(v)?),
            _ => x.unknown.push(UnknownAttr::new(kind, v)),
        }
    }
    check(&walk, what)?;
    Ok(x)
}

fn decode_hw_s_info(data: &[u8]) -> Result<HwStatsInfoSet, DecodeError> {
    let mut set = HwStatsInfoSet::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        if kind != IFLA_OFFLOAD_XSTATS_L3_STATS {
            set.unknown.push(UnknownAttr::new(kind, v));
            continue;
        }
        let mut one = HwStatsInfo::default();
        let mut inner = attrs(v);
        for (k, x) in inner.by_ref() {
            match (k, wire::u8_of(x)) {
                (IFLA_OFFLOAD_XSTATS_HW_S_INFO_REQUEST, Some(b)) => one.request = Some(b),
                (IFLA_OFFLOAD_XSTATS_HW_S_INFO_USED, Some(b)) => one.used = Some(b),
                _ => one.unknown.push(UnknownAttr::new(k, x)),
            }
        }
        check(&inner, "IFLA_OFFLOAD_XSTATS_HW_S_INFO suite")?;
        set.l3_stats = Some(one);
    }
    check(&walk, "IFLA_OFFLOAD_XSTATS_HW_S_INFO")?;
    Ok(set)
}

fn decode_offload(data: &[u8]) -> Result<OffloadXstats, DecodeError> {
    let mut o = OffloadXstats::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            PAD if v.is_empty() => {}
            IFLA_OFFLOAD_XSTATS_CPU_HIT => o.cpu_hit = Some(decode_stats64(v)),
            IFLA_OFFLOAD_XSTATS_HW_S_INFO => o.hw_stats_info = Some(decode_hw_s_info(v)?),
            IFLA_OFFLOAD_XSTATS_L3_STATS if v.len() >= 72 => {
                let at = u64s(v);
                o.l3_stats = Some(HwStats64 {
                    rx_packets: at(0),
                    tx_packets: at(1),
                    rx_bytes: at(2),
                    tx_bytes: at(3),
                    rx_errors: at(4),
                    tx_errors: at(5),
                    rx_dropped: at(6),
                    tx_dropped: at(7),
                    multicast: at(8),
                })
            }
            _ => o.unknown.push(UnknownAttr::new(kind, v)),
        }
    }
    check(&walk, "IFLA_STATS_LINK_OFFLOAD_XSTATS")?;
    Ok(o)
}

fn decode_af(data: &[u8]) -> Result<AfStats, DecodeError> {
    let mut af = AfStats::default();
    let mut walk = attrs(data);
    for (family, v) in walk.by_ref() {
        if family != AF_MPLS {
            af.unknown.push(UnknownAttr::new(family, v));
            continue;
        }
        let mut m = MplsStats::default();
        let mut inner = attrs(v);
        for (k, x) in inner.by_ref() {
            match k {
                PAD if x.is_empty() => {}
                MPLS_STATS_LINK if x.len() >= 72 => {
                    let at = u64s(x);
                    m.link = Some(MplsLinkStats {
                        rx_packets: at(0),
                        tx_packets: at(1),
                        rx_bytes: at(2),
                        tx_bytes: at(3),
                        rx_errors: at(4),
                        tx_errors: at(5),
                        rx_dropped: at(6),
                        tx_dropped: at(7),
                        rx_noroute: at(8),
                    })
                }
                _ => m.unknown.push(UnknownAttr::new(k, x)),
            }
        }
        check(&inner, "IFLA_STATS_AF_SPEC mpls")?;
        af.mpls = Some(m);
    }
    check(&walk, "IFLA_STATS_AF_SPEC")?;
    Ok(af)
}

/// Decodes the body of an RTM_NEWSTATS message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<LinkStats, DecodeError> {
    need(payload, HEADER_LEN, "if_stats_msg")?;
    let mut s = LinkStats {
        family: payload[0],
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        filter_mask: wire::u32_at(payload, 8).unwrap_or(0),
        ..LinkStats::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            PAD if data.is_empty() => {}
            IFLA_STATS_LINK_64 => s.link64 = Some(decode_stats64(data)),
            IFLA_STATS_LINK_XSTATS => {
                s.xstats = Some(decode_xstats(data, "IFLA_STATS_LINK_XSTATS")?)
            }
            IFLA_STATS_LINK_XSTATS_SLAVE => {
                s.xstats_slave = Some(decode_xstats(data, "IFLA_STATS_LINK_XSTATS_SLAVE")?)
            }
            IFLA_STATS_LINK_OFFLOAD_XSTATS => s.offload_xstats = Some(decode_offload(data)?),
            IFLA_STATS_AF_SPEC => s.af_spec = Some(decode_af(data)?),
            _ => s.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "stats attributes")?;
    Ok(s)
}
