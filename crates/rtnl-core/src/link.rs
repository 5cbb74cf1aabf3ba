//! Links (`ip link`): RTM_NEWLINK / RTM_DELLINK, struct ifinfomsg + IFLA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, mac, need, string_of, u32_of, u8_of, DecodeError, UnknownAttr};

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
/// sizeof(struct ifinfomsg)
pub const HEADER_LEN: usize = 16;

const IFLA_ADDRESS: u16 = 1;
const IFLA_BROADCAST: u16 = 2;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINK: u16 = 5;
const IFLA_QDISC: u16 = 6;
const IFLA_STATS: u16 = 7;
const IFLA_MASTER: u16 = 10;
const IFLA_TXQLEN: u16 = 13;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_LINKMODE: u16 = 17;
const IFLA_LINKINFO: u16 = 18;
const IFLA_IFALIAS: u16 = 20;
const IFLA_STATS64: u16 = 23;
const IFLA_GROUP: u16 = 27;
const IFLA_PROMISCUITY: u16 = 30;
const IFLA_NUM_TX_QUEUES: u16 = 31;
const IFLA_NUM_RX_QUEUES: u16 = 32;
const IFLA_CARRIER: u16 = 33;
const IFLA_CARRIER_CHANGES: u16 = 35;
const IFLA_LINK_NETNSID: u16 = 37;
const IFLA_PROTO_DOWN: u16 = 39;
const IFLA_GSO_MAX_SEGS: u16 = 40;
const IFLA_GSO_MAX_SIZE: u16 = 41;
const IFLA_CARRIER_UP_COUNT: u16 = 47;
const IFLA_CARRIER_DOWN_COUNT: u16 = 48;
const IFLA_MIN_MTU: u16 = 50;
const IFLA_MAX_MTU: u16 = 51;
const IFLA_ALT_IFNAME: u16 = 53;
const IFLA_PROP_LIST: u16 = 52;
const IFLA_PERM_ADDRESS: u16 = 54;
const IFLA_PARENT_DEV_NAME: u16 = 56;
const IFLA_PARENT_DEV_BUS_NAME: u16 = 57;

const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_INFO_SLAVE_KIND: u16 = 4;
const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// Field names of struct rtnl_link_stats64, in kernel order. A longer struct
/// from a newer kernel decodes this prefix; its extra counters are kept in
/// `stats64Extra`.
const STATS64_FIELDS: [&str; 25] = [
    "rxPackets",
    "txPackets",
    "rxBytes",
    "txBytes",
    "rxErrors",
    "txErrors",
    "rxDropped",
    "txDropped",
    "multicast",
    "collisions",
    "rxLengthErrors",
    "rxOverErrors",
    "rxCrcErrors",
    "rxFrameErrors",
    "rxFifoErrors",
    "rxMissedErrors",
    "txAbortedErrors",
    "txCarrierErrors",
    "txFifoErrors",
    "txHeartbeatErrors",
    "txWindowErrors",
    "rxCompressed",
    "txCompressed",
    "rxNohandler",
    "rxOtherhostDropped",
];

/// IF_OPER_* as `ip` prints them.
fn operstate_name(v: u8) -> String {
    match v {
        0 => "UNKNOWN",
        1 => "NOTPRESENT",
        2 => "DOWN",
        3 => "LOWERLAYERDOWN",
        4 => "TESTING",
        5 => "DORMANT",
        6 => "UP",
        other => return format!("{other}"),
    }
    .to_string()
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkInfo {
    pub kind: Option<String>,
    pub slave_kind: Option<String>,
    /// IFLA_INFO_DATA, hex, until per-kind decoders exist.
    pub data: Option<String>,
    /// IFLA_INFO_SLAVE_DATA, hex.
    pub slave_data: Option<String>,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    pub family: u8,
    /// ifi_type, an ARPHRD_* number (1 = ether, 772 = loopback, 65534 = none).
    #[serde(rename = "type")]
    pub link_type: u16,
    pub index: i32,
    /// ifi_flags, IFF_* bits.
    pub flags: u32,
    pub change: u32,
    pub name: Option<String>,
    pub address: Option<String>,
    pub broadcast: Option<String>,
    pub perm_address: Option<String>,
    pub mtu: Option<u32>,
    pub min_mtu: Option<u32>,
    pub max_mtu: Option<u32>,
    pub link: Option<u32>,
    pub master: Option<u32>,
    pub kind: Option<String>,
    pub operstate: Option<String>,
    pub linkmode: Option<u8>,
    pub qdisc: Option<String>,
    pub txqlen: Option<u32>,
    pub group: Option<u32>,
    pub promiscuity: Option<u32>,
    pub num_tx_queues: Option<u32>,
    pub num_rx_queues: Option<u32>,
    pub gso_max_size: Option<u32>,
    pub gso_max_segs: Option<u32>,
    pub ifalias: Option<String>,
    pub alt_names: Option<Vec<String>>,
    pub carrier: Option<u8>,
    pub carrier_changes: Option<u32>,
    pub carrier_up_count: Option<u32>,
    pub carrier_down_count: Option<u32>,
    pub proto_down: Option<u8>,
    pub link_netnsid: Option<i32>,
    pub parent_bus: Option<String>,
    pub parent_dev: Option<String>,
    pub linkinfo: Option<LinkInfo>,
    /// rtnl_link_stats64 counters as JS numbers: exact up to 2^53, which a
    /// counter does not reach in practice, and cheaper than bigint.
    pub stats64: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

fn decode_linkinfo(payload: &[u8]) -> Result<LinkInfo, DecodeError> {
    let mut info = LinkInfo::default();
    let mut walk = attrs(payload);
    for (kind, data) in walk.by_ref() {
        match kind {
            IFLA_INFO_KIND => info.kind = Some(string_of(data)),
            IFLA_INFO_SLAVE_KIND => info.slave_kind = Some(string_of(data)),
            IFLA_INFO_DATA => info.data = Some(wire::hex(data)),
            IFLA_INFO_SLAVE_DATA => info.slave_data = Some(wire::hex(data)),
            _ => {}
        }
    }
    check(&walk, "IFLA_LINKINFO")?;
    Ok(info)
}

fn decode_stats64(data: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    for (i, name) in STATS64_FIELDS.iter().enumerate() {
        if let Some(v) = wire::u64_at(data, i * 8) {
            map.insert((*name).to_string(), v.into());
        }
    }
    let known = STATS64_FIELDS.len() * 8;
    if data.len() > known {
        map.insert("extra".to_string(), wire::hex(&data[known..]).into());
    }
    map
}

/// Decodes the body of an RTM_NEWLINK/RTM_DELLINK message (after nlmsghdr).
/// The same function serves events and dumps.
pub fn decode(payload: &[u8]) -> Result<Link, DecodeError> {
    need(payload, HEADER_LEN, "ifinfomsg")?;
    let mut link = Link {
        family: payload[0],
        link_type: wire::u16_at(payload, 2).unwrap_or(0),
        index: wire::i32_at(payload, 4).unwrap_or(0),
        flags: wire::u32_at(payload, 8).unwrap_or(0),
        change: wire::u32_at(payload, 12).unwrap_or(0),
        ..Link::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            IFLA_ADDRESS => link.address = Some(mac(data)),
            IFLA_BROADCAST => link.broadcast = Some(mac(data)),
            IFLA_PERM_ADDRESS => link.perm_address = Some(mac(data)),
            IFLA_IFNAME => link.name = Some(string_of(data)),
            IFLA_MTU => link.mtu = u32_of(data),
            IFLA_MIN_MTU => link.min_mtu = u32_of(data),
            IFLA_MAX_MTU => link.max_mtu = u32_of(data),
            IFLA_LINK => link.link = u32_of(data),
            IFLA_MASTER => link.master = u32_of(data),
            IFLA_QDISC => link.qdisc = Some(string_of(data)),
            IFLA_TXQLEN => link.txqlen = u32_of(data),
            IFLA_OPERSTATE => link.operstate = u8_of(data).map(operstate_name),
            IFLA_LINKMODE => link.linkmode = u8_of(data),
            IFLA_GROUP => link.group = u32_of(data),
            IFLA_PROMISCUITY => link.promiscuity = u32_of(data),
            IFLA_NUM_TX_QUEUES => link.num_tx_queues = u32_of(data),
            IFLA_NUM_RX_QUEUES => link.num_rx_queues = u32_of(data),
            IFLA_GSO_MAX_SIZE => link.gso_max_size = u32_of(data),
            IFLA_GSO_MAX_SEGS => link.gso_max_segs = u32_of(data),
            IFLA_IFALIAS => link.ifalias = Some(string_of(data)),
            IFLA_CARRIER => link.carrier = u8_of(data),
            IFLA_CARRIER_CHANGES => link.carrier_changes = u32_of(data),
            IFLA_CARRIER_UP_COUNT => link.carrier_up_count = u32_of(data),
            IFLA_CARRIER_DOWN_COUNT => link.carrier_down_count = u32_of(data),
            IFLA_PROTO_DOWN => link.proto_down = u8_of(data),
            IFLA_LINK_NETNSID => link.link_netnsid = wire::i32_at(data, 0),
            IFLA_PARENT_DEV_NAME => link.parent_dev = Some(string_of(data)),
            IFLA_PARENT_DEV_BUS_NAME => link.parent_bus = Some(string_of(data)),
            IFLA_PROP_LIST => {
                let mut names = Vec::new();
                let mut inner = attrs(data);
                for (k, v) in inner.by_ref() {
                    if k == IFLA_ALT_IFNAME {
                        names.push(string_of(v));
                    }
                }
                check(&inner, "IFLA_PROP_LIST")?;
                link.alt_names = Some(names);
            }
            IFLA_LINKINFO => {
                let info = decode_linkinfo(data)?;
                link.kind = info.kind.clone();
                link.linkinfo = Some(info);
            }
            IFLA_STATS64 => link.stats64 = Some(decode_stats64(data)),
            // The 32-bit copy of IFLA_STATS64, which is always sent beside it.
            IFLA_STATS => {}
            _ => link.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "link attributes")?;
    Ok(link)
}

/// A zeroed ifinfomsg for a dump request (strict checking wants every field 0).
pub fn dump_header(family: u8) -> Vec<u8> {
    let mut h = vec![0u8; HEADER_LEN];
    h[0] = family;
    h
}

