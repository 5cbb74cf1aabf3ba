//! Routes (`ip route`): RTM_NEWROUTE / RTM_DELROUTE, struct rtmsg + RTA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::names;
use crate::wire::{self, attrs, check, ip, need, u32_of, DecodeError, UnknownAttr};

pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
/// sizeof(struct rtmsg)
pub const HEADER_LEN: usize = 12;

pub const RTA_DST: u16 = 1;
pub const RTA_SRC: u16 = 2;
pub const RTA_IIF: u16 = 3;
pub const RTA_OIF: u16 = 4;
const RTA_GATEWAY: u16 = 5;
const RTA_PRIORITY: u16 = 6;
const RTA_PREFSRC: u16 = 7;
const RTA_METRICS: u16 = 8;
const RTA_MULTIPATH: u16 = 9;
const RTA_FLOW: u16 = 11;
pub const RTA_TABLE: u16 = 15;
pub const RTA_MARK: u16 = 16;
const RTA_VIA: u16 = 18;
const RTA_NEWDST: u16 = 19;
/// AF_MPLS: an MPLS route's RTA_DST and RTA_NEWDST are label stacks.
const AF_MPLS: u8 = 28;
const RTA_PREF: u16 = 20;
const RTA_ENCAP_TYPE: u16 = 21;
const RTA_EXPIRES: u16 = 23;
const RTA_UID: u16 = 25;
const RTA_NH_ID: u16 = 30;
const RTA_CACHEINFO: u16 = 12;

/// RTAX_* names, indexed by attribute type, as `ip -j` prints metrics.
const METRIC_NAMES: [&str; 18] = [
    "unspec",
    "lock",
    "mtu",
    "window",
    "rtt",
    "rttvar",
    "ssthresh",
    "cwnd",
    "advmss",
    "reordering",
    "hoplimit",
    "initcwnd",
    "features",
    "rto_min",
    "initrwnd",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
];
const RTAX_CC_ALGO: u16 = 16;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Nexthop {
    pub flags: u8,
    /// rtnh_hops is the weight minus one; this is the weight `ip` prints.
    pub weight: u16,
    pub oif: i32,
    pub gateway: Option<String>,
    pub via: Option<String>,
    /// RTA_NEWDST (MPLS): the labels this hop pushes, "100/200".
    pub newdst: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// struct rta_cacheinfo. `lastuse` and `expires` are in clock ticks (1/100 s).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteCacheInfo {
    pub clntref: u32,
    pub lastuse: u32,
    pub expires: i32,
    pub error: u32,
    pub used: u32,
    pub id: Option<u32>,
    pub ts: Option<u32>,
    pub tsage: Option<u32>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Route {
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    /// The effective table: RTA_TABLE when present, else rtm_table.
    pub table: u32,
    pub protocol: u8,
    pub scope: u8,
    /// rtm_type (1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit, ...).
    #[serde(rename = "type")]
    pub route_type: u8,
    pub flags: u32,
    /// `table`, `protocol`, `scope` and `type` as `ip` names them ("main", "kernel", "link", "unicast"),
    /// or the number in decimal where it has no name.
    pub table_name: crate::names::Name,
    pub protocol_name: crate::names::Name,
    pub scope_name: crate::names::Name,
    pub type_name: crate::names::Name,
    /// The destination prefix; for an MPLS route (family 28) the label, "100".
    pub dst: Option<String>,
    pub src: Option<String>,
    pub gateway: Option<String>,
    pub via: Option<String>,
    /// RTA_NEWDST (MPLS): the labels the route swaps to or pushes, "200/300".
    pub newdst: Option<String>,
    pub oif: Option<u32>,
    pub iif: Option<u32>,
    pub priority: Option<u32>,
    pub prefsrc: Option<String>,
    pub metrics: Option<serde_json::Map<String, serde_json::Value>>,
    pub multipath: Option<Vec<Nexthop>>,
    /// RTA_FLOW: realms, `to` in the low 16 bits and `from` in the high.
    pub realms: Option<u32>,
    pub mark: Option<u32>,
    pub pref: Option<u8>,
    pub encap_type: Option<u16>,
    pub expires: Option<u32>,
    pub uid: Option<u32>,
    pub nhid: Option<u32>,
    pub cacheinfo: Option<RouteCacheInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// An MPLS label stack (RTA_DST and RTA_NEWDST of AF_MPLS routes): 32-bit
/// big-endian entries, the label in the top 20 bits, as `ip` prints it
/// ("100/200"). Bytes past the last whole entry follow as "/+" and hex.
pub fn mpls_labels(data: &[u8]) -> String {
    let mut out: Vec<String> = data
        .chunks_exact(4)
        .map(|e| (u32::from_be_bytes([e[0], e[1], e[2], e[3]]) >> 12).to_string())
        .collect();
    let rest = data.len() % 4;
    if rest != 0 {
        out.push(format!("+{}", wire::hex(&data[data.len() - rest..])));
    }
    out.join("/")
}

/// RTA_VIA carries struct rtvia: a u16 family, then the address.
fn via(data: &[u8]) -> Option<String> {
    Some(ip(data.get(2..)?))
}

fn decode_metrics(data: &[u8]) -> Result<serde_json::Map<String, serde_json::Value>, DecodeError> {
    let mut map = serde_json::Map::new();
    let mut walk = attrs(data);
    for (kind, value) in walk.by_ref() {
        let name = METRIC_NAMES
            .get(kind as usize)
            .map(|s| s.to_string())
            .unwrap_or_else(|| format!("metric{kind}"));
        if kind == RTAX_CC_ALGO {
            map.insert(name, wire::string_of(value).into());
        } else if let Some(v) = u32_of(value) {
            map.insert(name, v.into());
        } else {
            map.insert(name, wire::hex(value).into());
        }
    }
    check(&walk, "RTA_METRICS")?;
    Ok(map)
}

fn decode_multipath(mut data: &[u8]) -> Result<Vec<Nexthop>, DecodeError> {
    // struct rtnexthop { u16 len; u8 flags; u8 hops; i32 ifindex; } + attributes
    let mut hops = Vec::new();
    while !data.is_empty() {
        need(data, 8, "rtnexthop")?;
        let len = wire::u16_at(data, 0).unwrap_or(0) as usize;
        if len < 8 || len > data.len() {
            return Err(DecodeError(format!(
                "rtnexthop length {len} is invalid: {} bytes left in RTA_MULTIPATH",
                data.len()
            )));
        }
        let mut hop = Nexthop {
            flags: data[2],
            weight: data[3] as u16 + 1,
            oif: wire::i32_at(data, 4).unwrap_or(0),
            ..Nexthop::default()
        };
        let mut walk = attrs(&data[8..len]);
        for (kind, value) in walk.by_ref() {
            match kind {
                RTA_GATEWAY => hop.gateway = Some(ip(value)),
                RTA_VIA => hop.via = via(value),
                RTA_NEWDST => hop.newdst = Some(mpls_labels(value)),
                _ => hop.unknown.push(UnknownAttr::new(kind, value)),
            }
        }
        check(&walk, "rtnexthop attributes")?;
        hops.push(hop);
        data = data.get(wire::align4(len)..).unwrap_or(&[]);
    }
    Ok(hops)
}

/// Decodes the body of an RTM_NEWROUTE/RTM_DELROUTE message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Route, DecodeError> {
    need(payload, HEADER_LEN, "rtmsg")?;
    let mut r = Route {
        family: payload[0],
        dst_len: payload[1],
        src_len: payload[2],
        tos: payload[3],
        table: payload[4] as u32,
        protocol: payload[5],
        scope: payload[6],
        route_type: payload[7],
        flags: wire::u32_at(payload, 8).unwrap_or(0),
        ..Route::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            RTA_DST if r.family == AF_MPLS => r.dst = Some(mpls_labels(data)),
            RTA_DST => r.dst = Some(ip(data)),
            RTA_NEWDST => r.newdst = Some(mpls_labels(data)),
            RTA_SRC => r.src = Some(ip(data)),
            RTA_GATEWAY => r.gateway = Some(ip(data)),
            RTA_VIA => r.via = via(data),
            RTA_OIF => r.oif = u32_of(data),
            RTA_IIF => r.iif = u32_of(data),
            RTA_PRIORITY => r.priority = u32_of(data),
            RTA_PREFSRC => r.prefsrc = Some(ip(data)),
            RTA_TABLE => {
                if let Some(t) = u32_of(data) {
                    r.table = t;
                }
            }
            RTA_METRICS => r.metrics = Some(decode_metrics(data)?),
            RTA_MULTIPATH => r.multipath = Some(decode_multipath(data)?),
            RTA_FLOW => r.realms = u32_of(data),
            RTA_MARK => r.mark = u32_of(data),
            RTA_PREF => r.pref = wire::u8_of(data),
            RTA_ENCAP_TYPE => r.encap_type = wire::u16_at(data, 0),
            RTA_EXPIRES => r.expires = u32_of(data),
            RTA_UID => r.uid = u32_of(data),
            RTA_NH_ID => r.nhid = u32_of(data),
            RTA_CACHEINFO if data.len() >= 20 => {
                r.cacheinfo = Some(RouteCacheInfo {
                    clntref: wire::u32_at(data, 0).unwrap_or(0),
                    lastuse: wire::u32_at(data, 4).unwrap_or(0),
                    expires: wire::i32_at(data, 8).unwrap_or(0),
                    error: wire::u32_at(data, 12).unwrap_or(0),
                    used: wire::u32_at(data, 16).unwrap_or(0),
                    id: wire::u32_at(data, 20),
                    ts: wire::u32_at(data, 24),
                    tsage: wire::u32_at(data, 28),
                })
            }
            _ => r.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "route attributes")?;
    r.table_name = names::table(r.table);
    r.protocol_name = names::protocol(r.protocol);
    r.scope_name = names::scope(r.scope);
    r.type_name = names::route_type(r.route_type);
    Ok(r)
}
