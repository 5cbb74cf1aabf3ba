//! Neighbours (`ip neigh`, and `bridge fdb` for family AF_BRIDGE):
//! RTM_NEWNEIGH / RTM_DELNEIGH, struct ndmsg + NDA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, ip, mac, need, u32_of, DecodeError, UnknownAttr};

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;
/// sizeof(struct ndmsg)
pub const HEADER_LEN: usize = 12;

const NDA_DST: u16 = 1;
const NDA_LLADDR: u16 = 2;
const NDA_CACHEINFO: u16 = 3;
const NDA_PROBES: u16 = 4;
const NDA_VLAN: u16 = 5;
const NDA_PORT: u16 = 6;
const NDA_VNI: u16 = 7;
pub const NDA_IFINDEX: u16 = 8;
const NDA_MASTER: u16 = 9;
const NDA_LINK_NETNSID: u16 = 10;
const NDA_PROTOCOL: u16 = 12;
const NDA_NH_ID: u16 = 13;
const NDA_FLAGS_EXT: u16 = 15;

const STATE_NAMES: [(u16, &str); 8] = [
    (0x01, "incomplete"),
    (0x02, "reachable"),
    (0x04, "stale"),
    (0x08, "delay"),
    (0x10, "probe"),
    (0x20, "failed"),
    (0x40, "noarp"),
    (0x80, "permanent"),
];

const FLAG_NAMES: [(u8, &str); 8] = [
    (0x01, "use"),
    (0x02, "self"),
    (0x04, "master"),
    (0x08, "proxy"),
    (0x10, "extern_learn"),
    (0x20, "offload"),
    (0x40, "sticky"),
    (0x80, "router"),
];

/// struct nda_cacheinfo. The three ages are clock ticks (USER_HZ, 1/100 s)
/// since the event, computed when the kernel built the message, so they
/// differ between two messages about the same neighbour.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NeighbourCacheInfo {
    pub confirmed: u32,
    pub used: u32,
    pub updated: u32,
    pub refcnt: u32,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Neighbour {
    pub family: u8,
    pub ifindex: i32,
    /// ndm_state, NUD_* bits.
    pub state: u16,
    pub state_names: Vec<&'static str>,
    /// ndm_flags, NTF_* bits.
    pub flags: u8,
    pub flag_names: Vec<&'static str>,
    /// ndm_type (an RTN_* value, 1 = unicast).
    #[serde(rename = "type")]
    pub neigh_type: u8,
    pub dst: Option<String>,
    pub lladdr: Option<String>,
    pub cacheinfo: Option<NeighbourCacheInfo>,
    pub probes: Option<u32>,
    pub vlan: Option<u16>,
    pub port: Option<u16>,
    pub vni: Option<u32>,
    pub link_ifindex: Option<u32>,
    pub master: Option<u32>,
    pub link_netnsid: Option<i32>,
    pub protocol: Option<u8>,
    pub nhid: Option<u32>,
    pub flags_ext: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWNEIGH/RTM_DELNEIGH message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Neighbour, DecodeError> {
    need(payload, HEADER_LEN, "ndmsg")?;
    let state = wire::u16_at(payload, 8).unwrap_or(0);
    let flags = payload[10];
    let mut n = Neighbour {
        family: payload[0],
        ifindex: wire::i32_at(payload, 4).unwrap_or(0),
        state,
        state_names: wire::bit_names(state, &STATE_NAMES),
        flags,
        flag_names: wire::bit_names(flags, &FLAG_NAMES),
        neigh_type: payload[11],
        ..Neighbour::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            NDA_DST => n.dst = Some(ip(data)),
            NDA_LLADDR => n.lladdr = Some(mac(data)),
            NDA_CACHEINFO if data.len() >= 16 => {
                n.cacheinfo = Some(NeighbourCacheInfo {
                    confirmed: wire::u32_at(data, 0).unwrap_or(0),
                    used: wire::u32_at(data, 4).unwrap_or(0),
                    updated: wire::u32_at(data, 8).unwrap_or(0),
                    refcnt: wire::u32_at(data, 12).unwrap_or(0),
                })
            }
            NDA_PROBES => n.probes = u32_of(data),
            NDA_VLAN => n.vlan = wire::u16_at(data, 0),
            NDA_PORT => n.port = wire::be16_at(data, 0),
            NDA_VNI => n.vni = u32_of(data),
            NDA_IFINDEX => n.link_ifindex = u32_of(data),
            NDA_MASTER => n.master = u32_of(data),
            NDA_LINK_NETNSID => n.link_netnsid = wire::i32_at(data, 0),
            NDA_PROTOCOL => n.protocol = wire::u8_of(data),
            NDA_NH_ID => n.nhid = u32_of(data),
            NDA_FLAGS_EXT => n.flags_ext = u32_of(data),
            _ => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "neighbour attributes")?;
    Ok(n)
}

/// Encoding neighbours is not written yet: every verb is refused as unsupported.
pub fn encode(
    verb: crate::mutate::Verb,
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<crate::mutate::Request, crate::error::Error> {
    let _ = obj;
    Err(crate::error::Error::other(
        "ERR_RTNL_UNSUPPORTED",
        format!(
            "neighbours.{}: changing neighbours is not supported yet",
            verb.name()
        ),
    ))
}
