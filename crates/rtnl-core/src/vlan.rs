//! Bridge VLANs (`bridge vlan`, the per-VLAN database): RTM_NEWVLAN /
//! RTM_DELVLAN, struct br_vlan_msg + BRIDGE_VLANDB_*. One message carries
//! the entries of one port; each entry (a VLAN or a range) is one object.
//!
//! Two sorts of entry share the struct, told apart by `entryType`: 'vlan'
//! (BRIDGE_VLANDB_ENTRY: a port's or the bridge's VLAN, with its options)
//! and 'global' (BRIDGE_VLANDB_GLOBAL_OPTIONS: a bridge VLAN's multicast
//! and MST options, dumped with BRIDGE_VLANDB_DUMPF_GLOBAL).

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::kind::{new_del, zeroed_header, Dump, Key, KindDecl, KindDef};
use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWVLAN: u16 = 112;
pub const RTM_DELVLAN: u16 = 113;
pub const RTM_GETVLAN: u16 = 114;
/// sizeof(struct br_vlan_msg)
pub const HEADER_LEN: usize = 8;

/// Bridge VLANs (`bridge vlan`).
pub const BRIDGE_VLANS: KindDef<BridgeVlan> = KindDef {
    decl: KindDecl {
        name: "bridgeVlans",
        ops: &new_del((RTM_NEWVLAN, "new_vlan"), (RTM_DELVLAN, "del_vlan")),
        get_type: Some(RTM_GETVLAN),
        header_len: HEADER_LEN,
        groups: &["BRVLAN"],
        dump: Dump::Bodies {
            bodies: |f| {
                let mut body = zeroed_header(HEADER_LEN, wire::AF_BRIDGE);
                if let Some(i) = f.ifindex {
                    body[4..8].copy_from_slice(&i.to_ne_bytes())
                }
                vec![body]
            },
            empty_when: Some(|_, errno| errno == libc::EOPNOTSUPP),
        },
        get: None,
        encode: None,
        list_filters: &["ifindex"],
        moving: &["stats"],
        scope_keys: &[],
        watch_key: Key::of(
            &["ifindex", "entryType", "vid", "vidEnd"],
            "an entry is a VLAN or range on a port, or a VLAN's global options on the bridge",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        for o in decode(p)? {
            each(o)
        }
        Ok(())
    },
    keeps: |v, f| f.ifindex_is(v.ifindex as i64),
};

const BRIDGE_VLANDB_ENTRY: u16 = 1;
const BRIDGE_VLANDB_GLOBAL_OPTIONS: u16 = 2;

const ENTRY_INFO: u16 = 1;
const ENTRY_RANGE: u16 = 2;
const ENTRY_STATE: u16 = 3;
const ENTRY_TUNNEL_INFO: u16 = 4;
const ENTRY_STATS: u16 = 5;
const ENTRY_MCAST_ROUTER: u16 = 6;
const ENTRY_MCAST_N_GROUPS: u16 = 7;
const ENTRY_MCAST_MAX_GROUPS: u16 = 8;
const ENTRY_NEIGH_SUPPRESS: u16 = 9;

/// Which part of the VLAN database an entry comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum VlanEntryType {
    /// BRIDGE_VLANDB_ENTRY: a VLAN (or range) on a port or on the bridge.
    #[default]
    Vlan,
    /// BRIDGE_VLANDB_GLOBAL_OPTIONS: a bridge VLAN's global options.
    Global,
}

/// One entry of a bridge's per-VLAN database: a VLAN (or range) on a port,
/// with its STP state and options, or a VLAN's global options (`entryType`
/// 'global'), as `bridgeVlans.list()` returns it and a VLAN event carries
/// it (struct br_vlan_msg and its BRIDGE_VLANDB_* attributes).
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgeVlans } from 'rtnl'
///
/// for (const v of await bridgeVlans.list()) {
///   if (v.entryType !== 'vlan') continue
///   const range = v.vidEnd ? `${v.vid}-${v.vidEnd}` : `${v.vid}`
///   console.log(`port ${v.ifindex} vlan ${range} ${v.flagNames?.join(' ') ?? ''} ${v.stateName ?? ''}`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BridgeVlan {
    /// 'vlan' (BRIDGE_VLANDB_ENTRY) or 'global' (BRIDGE_VLANDB_GLOBAL_OPTIONS).
    #[ts(inline)]
    pub entry_type: VlanEntryType,
    /// br_vlan_msg.family (AF_BRIDGE).
    pub family: u8,
    /// The port (or the bridge itself).
    pub ifindex: u32,
    /// The VLAN id: BRIDGE_VLANDB_ENTRY_INFO's vid, or BRIDGE_VLANDB_GOPTS_ID (bridge's `vlan`).
    pub vid: Option<u16>,
    /// The last VLAN of a range: BRIDGE_VLANDB_ENTRY_RANGE / GOPTS_RANGE (bridge's `vlanEnd`).
    pub vid_end: Option<u16>,
    /// bridge_vlan_info.flags: BRIDGE_VLAN_INFO_* (entries).
    pub flags: Option<u16>,
    /// `flags` by name: master, pvid, untagged, range_begin, range_end, brentry,
    /// only_opts (bridge prints pvid as "PVID" and untagged as "Egress Untagged").
    pub flag_names: Option<Vec<&'static str>>,
    /// BRIDGE_VLANDB_ENTRY_STATE: the VLAN's STP state (BR_STATE_*).
    pub state: Option<u8>,
    /// `state` as bridge prints it: disabled, listening, learning, forwarding, blocking.
    pub state_name: Option<String>,
    /// BRIDGE_VLANDB_ENTRY_TUNNEL_INFO: the VLAN-to-tunnel mapping.
    pub tunnel_info: Option<VlanTunnelInfo>,
    /// BRIDGE_VLANDB_ENTRY_STATS: per-VLAN counters.
    pub stats: Option<VlanStats>,
    /// BRIDGE_VLANDB_ENTRY_MCAST_ROUTER: the port's multicast router mode for this VLAN.
    pub mcast_router: Option<u8>,
    /// BRIDGE_VLANDB_ENTRY_MCAST_N_GROUPS: multicast groups joined on this port-VLAN.
    pub mcast_n_groups: Option<u32>,
    /// BRIDGE_VLANDB_ENTRY_MCAST_MAX_GROUPS: the limit on them (0 = none).
    pub mcast_max_groups: Option<u32>,
    /// BRIDGE_VLANDB_ENTRY_NEIGH_SUPPRESS: 1 when ARP/ND suppression is on.
    pub neigh_suppress: Option<u8>,
    /// BRIDGE_VLANDB_GLOBAL_OPTIONS: the global options ('global' entries).
    pub global: Option<VlanGlobalOptions>,
    /// Attributes not decoded (of this entry, or of the message when it has no entry), as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// BRIDGE_VLANDB_TINFO_*.
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgeVlans } from 'rtnl'
///
/// for (const v of await bridgeVlans.list()) {
///   if (v.tunnelInfo?.id !== undefined) console.log(`port ${v.ifindex} vlan ${v.vid} -> vni ${v.tunnelInfo.id}`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct VlanTunnelInfo {
    /// BRIDGE_VLANDB_TINFO_ID: the tunnel id (VNI).
    pub id: Option<u32>,
    /// BRIDGE_VLANDB_TINFO_CMD: RTM_SETLINK/RTM_DELLINK (requests).
    pub cmd: Option<u32>,
    /// BRIDGE_VLANDB_TINFO_* not decoded, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// BRIDGE_VLANDB_STATS_*.
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgeVlans } from 'rtnl'
///
/// for (const v of await bridgeVlans.list({ ifindex: 3 })) {
///   if (v.stats) console.log(`vlan ${v.vid}: rx ${v.stats.rxBytes} B, tx ${v.stats.txBytes} B`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct VlanStats {
    /// BRIDGE_VLANDB_STATS_RX_BYTES.
    pub rx_bytes: Option<u64>,
    /// BRIDGE_VLANDB_STATS_RX_PACKETS.
    pub rx_packets: Option<u64>,
    /// BRIDGE_VLANDB_STATS_TX_BYTES.
    pub tx_bytes: Option<u64>,
    /// BRIDGE_VLANDB_STATS_TX_PACKETS.
    pub tx_packets: Option<u64>,
    /// BRIDGE_VLANDB_STATS_* not decoded, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// BRIDGE_VLANDB_GOPTS_* (the id and range go to the entry's `vid`/`vidEnd`).
/// Intervals are in centiseconds (clock_t), as bridge prints them.
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgeVlans } from 'rtnl'
///
/// for (const v of await bridgeVlans.list()) {
///   if (v.entryType === 'global') console.log(`vlan ${v.vid}: snooping ${v.global?.mcastSnooping}, msti ${v.global?.msti}`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct VlanGlobalOptions {
    /// BRIDGE_VLANDB_GOPTS_MCAST_SNOOPING.
    pub mcast_snooping: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_IGMP_VERSION.
    pub mcast_igmp_version: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_MLD_VERSION.
    pub mcast_mld_version: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_CNT.
    pub mcast_last_member_cnt: Option<u32>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_CNT.
    pub mcast_startup_query_cnt: Option<u32>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_LAST_MEMBER_INTVL.
    pub mcast_last_member_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_MEMBERSHIP_INTVL.
    pub mcast_membership_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_INTVL.
    pub mcast_querier_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERY_INTVL.
    pub mcast_query_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERY_RESPONSE_INTVL.
    pub mcast_query_response_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_STARTUP_QUERY_INTVL.
    pub mcast_startup_query_intvl: Option<u64>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER.
    pub mcast_querier: Option<u8>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_ROUTER_PORTS: nested router ports (hex; not decoded).
    pub mcast_router_ports: Option<String>,
    /// BRIDGE_VLANDB_GOPTS_MCAST_QUERIER_STATE: nested querier state (hex; not decoded).
    pub mcast_querier_state: Option<String>,
    /// BRIDGE_VLANDB_GOPTS_MSTI: the MST instance of the VLAN.
    pub msti: Option<u16>,
    /// BRIDGE_VLANDB_GOPTS_* not decoded, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

pub(crate) const FLAGS: &[(u16, &str)] = &[
    (1, "master"),
    (2, "pvid"),
    (4, "untagged"),
    (8, "range_begin"),
    (16, "range_end"),
    (32, "brentry"),
    (64, "only_opts"),
];

/// BR_STATE_* as bridge prints them.
pub fn stp_state_name(s: u8) -> String {
    match s {
        0 => "disabled".into(),
        1 => "listening".into(),
        2 => "learning".into(),
        3 => "forwarding".into(),
        4 => "blocking".into(),
        n => n.to_string(),
    }
}

fn u64_of(d: &[u8]) -> Option<u64> {
    wire::u64_at(d, 0)
}

fn decode_entry(base: &BridgeVlan, d: &[u8]) -> Result<BridgeVlan, DecodeError> {
    let mut v = BridgeVlan {
        entry_type: VlanEntryType::Vlan,
        ..base.clone()
    };
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            ENTRY_INFO if data.len() >= 4 => {
                let flags = wire::u16_at(data, 0).unwrap_or(0);
                v.flags = Some(flags);
                v.flag_names = Some(wire::bit_names(flags, FLAGS));
                v.vid = wire::u16_at(data, 2);
            }
            ENTRY_RANGE if data.len() >= 2 => v.vid_end = wire::u16_at(data, 0),
            ENTRY_STATE if !data.is_empty() => {
                v.state = Some(data[0]);
                v.state_name = Some(stp_state_name(data[0]));
            }
            ENTRY_TUNNEL_INFO => {
                let mut t = VlanTunnelInfo::default();
                let mut inner = attrs(data);
                for (k, x) in inner.by_ref() {
                    match k {
                        1 if x.len() >= 4 => t.id = wire::u32_of(x),
                        2 if x.len() >= 4 => t.cmd = wire::u32_of(x),
                        _ => t.unknown.push(UnknownAttr::new(k, x)),
                    }
                }
                check(&inner, "vlan tunnel info")?;
                v.tunnel_info = Some(t);
            }
            ENTRY_STATS => {
                let mut s = VlanStats::default();
                let mut inner = attrs(data);
                for (k, x) in inner.by_ref() {
                    match k {
                        1 if x.len() >= 8 => s.rx_bytes = u64_of(x),
                        2 if x.len() >= 8 => s.rx_packets = u64_of(x),
                        3 if x.len() >= 8 => s.tx_bytes = u64_of(x),
                        4 if x.len() >= 8 => s.tx_packets = u64_of(x),
                        5 => {} // BRIDGE_VLANDB_STATS_PAD
                        _ => s.unknown.push(UnknownAttr::new(k, x)),
                    }
                }
                check(&inner, "vlan stats")?;
                v.stats = Some(s);
            }
            ENTRY_MCAST_ROUTER if !data.is_empty() => v.mcast_router = Some(data[0]),
            ENTRY_MCAST_N_GROUPS if data.len() >= 4 => v.mcast_n_groups = wire::u32_of(data),
            ENTRY_MCAST_MAX_GROUPS if data.len() >= 4 => v.mcast_max_groups = wire::u32_of(data),
            ENTRY_NEIGH_SUPPRESS if !data.is_empty() => v.neigh_suppress = Some(data[0]),
            _ => v.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "vlan entry")?;
    Ok(v)
}

fn decode_global(base: &BridgeVlan, d: &[u8]) -> Result<BridgeVlan, DecodeError> {
    let mut v = BridgeVlan {
        entry_type: VlanEntryType::Global,
        ..base.clone()
    };
    let mut g = VlanGlobalOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        let (b, w, q) = (wire::u8_of(data), wire::u32_of(data), u64_of(data));
        match kind {
            1 if data.len() >= 2 => v.vid = wire::u16_at(data, 0),
            2 if data.len() >= 2 => v.vid_end = wire::u16_at(data, 0),
            3 if b.is_some() => g.mcast_snooping = b,
            4 if b.is_some() => g.mcast_igmp_version = b,
            5 if b.is_some() => g.mcast_mld_version = b,
            6 if w.is_some() => g.mcast_last_member_cnt = w,
            7 if w.is_some() => g.mcast_startup_query_cnt = w,
            8 if q.is_some() => g.mcast_last_member_intvl = q,
            9 => {} // BRIDGE_VLANDB_GOPTS_PAD
            10 if q.is_some() => g.mcast_membership_intvl = q,
            11 if q.is_some() => g.mcast_querier_intvl = q,
            12 if q.is_some() => g.mcast_query_intvl = q,
            13 if q.is_some() => g.mcast_query_response_intvl = q,
            14 if q.is_some() => g.mcast_startup_query_intvl = q,
            15 if b.is_some() => g.mcast_querier = b,
            16 => g.mcast_router_ports = Some(wire::hex(data)),
            17 => g.mcast_querier_state = Some(wire::hex(data)),
            18 if data.len() >= 2 => g.msti = wire::u16_at(data, 0),
            _ => g.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "vlan global options")?;
    v.global = Some(g);
    Ok(v)
}

/// Decodes the body of an RTM_NEWVLAN/RTM_DELVLAN message into its entries, for events and dumps alike.
///
/// Top-level attributes that are neither an entry nor global options are
/// kept in the first entry's `unknown` (or in one header-only entry when the
/// message has none), so nothing is dropped.
pub fn decode(payload: &[u8]) -> Result<Vec<BridgeVlan>, DecodeError> {
    need(payload, HEADER_LEN, "br_vlan_msg")?;
    let base = BridgeVlan {
        family: payload[0],
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        ..BridgeVlan::default()
    };
    let mut out = Vec::new();
    let mut stray = Vec::new();
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            BRIDGE_VLANDB_ENTRY => out.push(decode_entry(&base, data)?),
            BRIDGE_VLANDB_GLOBAL_OPTIONS => out.push(decode_global(&base, data)?),
            _ => stray.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "vlan attributes")?;
    if !stray.is_empty() {
        match out.first_mut() {
            Some(first) => first.unknown.extend(stray),
            None => out.push(BridgeVlan {
                unknown: stray,
                ..base
            }),
        }
    }
    Ok(out)
}
