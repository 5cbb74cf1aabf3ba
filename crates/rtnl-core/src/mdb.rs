//! Bridge multicast database (`bridge mdb`): RTM_NEWMDB / RTM_DELMDB,
//! struct br_port_msg + MDBA_*. A dump message carries every entry of one
//! bridge, an event one entry; each entry is one object.
//!
//! Two sorts of entry share the struct, told apart by `entryType`:
//! 'group' (MDBA_MDB → MDBA_MDB_ENTRY → MDBA_MDB_ENTRY_INFO: struct
//! br_mdb_entry then MDBA_MDB_EATTR_*) and 'router' (MDBA_ROUTER →
//! MDBA_ROUTER_PORT: a u32 ifindex, then MDBA_ROUTER_PATTR_* in dumps).

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::kind::{new_del, zeroed_header, Dump, Key, KindDecl, KindDef};
use crate::names;
use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWMDB: u16 = 84;
pub const RTM_DELMDB: u16 = 85;
pub const RTM_GETMDB: u16 = 86;
/// sizeof(struct br_port_msg)
pub const HEADER_LEN: usize = 8;

/// Bridge multicast database entries (`bridge mdb`).
pub const MDB: KindDef<MdbEntry> = KindDef {
    decl: KindDecl {
        name: "mdb",
        ops: &new_del((RTM_NEWMDB, "new_mdb"), (RTM_DELMDB, "del_mdb")),
        get_type: Some(RTM_GETMDB),
        header_len: HEADER_LEN,
        groups: &["MDB"],
        dump: Dump::Bodies {
            bodies: |_| vec![zeroed_header(HEADER_LEN, wire::AF_BRIDGE)],
            empty_when: None,
        },
        get: None,
        encode: None,
        list_filters: &["ifindex"],
        moving: &["timer", "srcList"],
        scope_keys: &[],
        watch_key: Key::of(
            &["entryType", "ifindex", "port", "grp", "vid", "source"],
            "an entry is a group (and source) on a port of a bridge in a VLAN, or a router port",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        for o in decode(p)? {
            each(o)
        }
        Ok(())
    },
    keeps: |m, f| f.ifindex_is(m.ifindex as i64),
};
/// sizeof(struct br_mdb_entry): ifindex, state, flags, vid, addr.u (16), addr.proto, padding.
pub const ENTRY_LEN: usize = 28;

const MDBA_MDB: u16 = 1;
const MDBA_ROUTER: u16 = 2;
const MDBA_MDB_ENTRY: u16 = 1;
const MDBA_MDB_ENTRY_INFO: u16 = 1;
const MDBA_ROUTER_PORT: u16 = 1;

const MDBA_MDB_EATTR_TIMER: u16 = 1;
const MDBA_MDB_EATTR_SRC_LIST: u16 = 2;
const MDBA_MDB_EATTR_GROUP_MODE: u16 = 3;
const MDBA_MDB_EATTR_SOURCE: u16 = 4;
const MDBA_MDB_EATTR_RTPROT: u16 = 5;
const MDBA_MDB_EATTR_DST: u16 = 6;
const MDBA_MDB_EATTR_DST_PORT: u16 = 7;
const MDBA_MDB_EATTR_VNI: u16 = 8;
const MDBA_MDB_EATTR_IFINDEX: u16 = 9;
const MDBA_MDB_EATTR_SRC_VNI: u16 = 10;

const MDBA_MDB_SRCLIST_ENTRY: u16 = 1;
const MDBA_MDB_SRCATTR_ADDRESS: u16 = 1;
const MDBA_MDB_SRCATTR_TIMER: u16 = 2;

const MDBA_ROUTER_PATTR_TIMER: u16 = 1;
const MDBA_ROUTER_PATTR_TYPE: u16 = 2;
const MDBA_ROUTER_PATTR_INET_TIMER: u16 = 3;
const MDBA_ROUTER_PATTR_INET6_TIMER: u16 = 4;
const MDBA_ROUTER_PATTR_VID: u16 = 5;

const ETH_P_IP: u16 = 0x0800;
const ETH_P_IPV6: u16 = 0x86dd;

/// Which part of the database an entry comes from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum MdbEntryType {
    /// A group membership (MDBA_MDB_ENTRY_INFO).
    #[default]
    Group,
    /// A multicast router port (MDBA_ROUTER_PORT).
    Router,
}

/// One entry of a bridge's multicast database: a group membership on a port
/// (`entryType` 'group') or a multicast router port ('router'), as
/// `mdb.list()` returns it and an MDB event carries it (MDBA_* attributes).
///
/// @example
/// ```ts
/// import { mdb } from 'rtnl'
///
/// for (const e of await mdb.list()) {
///   if (e.entryType === 'group') console.log(`dev ${e.ifindex} port ${e.port} grp ${e.grp} ${e.stateName}${e.vid ? ` vid ${e.vid}` : ''}`)
///   else console.log(`router port ${e.port} (${e.routerTypeName})`)
/// }
/// ```
/// @category Bridge
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MdbEntry {
    /// 'group' (a membership) or 'router' (a multicast router port).
    #[ts(inline)]
    pub entry_type: MdbEntryType,
    /// bpm_family: AF_BRIDGE, 7 (the kernel's dumps leave it 0; read as 7, so that list() and the events agree).
    pub family: u8,
    /// The bridge (bpm_ifindex; bridge's `index`).
    pub ifindex: u32,
    /// The port: br_mdb_entry.ifindex for a group (the bridge itself for a
    /// host-joined group), MDBA_ROUTER_PORT's ifindex for a router port.
    pub port: u32,
    /// br_mdb_entry.state: MDB_TEMPORARY 0, MDB_PERMANENT 1 (groups).
    pub state: Option<u8>,
    /// `state` as bridge prints it: 'temp' or 'permanent'.
    pub state_name: Option<String>,
    /// br_mdb_entry.flags: MDB_FLAGS_* (groups).
    pub flags: Option<u8>,
    /// `flags` by name, as bridge prints them: offload, fast_leave, added_by_star_ex, blocked, offload_failed.
    pub flag_names: Option<Vec<&'static str>>,
    /// The VLAN: br_mdb_entry.vid (groups; bridge prints it when not 0) or
    /// MDBA_ROUTER_PATTR_VID (router ports of a VLAN).
    pub vid: Option<u16>,
    /// br_mdb_entry.addr: the group, an IPv4/IPv6 address or a MAC (bridge's `grp`).
    pub grp: Option<String>,
    /// br_mdb_entry.addr.proto (host order): ETH_P_IP 0x0800, ETH_P_IPV6 0x86dd, 0 for a MAC group.
    pub proto: Option<u16>,
    /// `proto` named: 'ipv4', 'ipv6' or 'l2' (or the number).
    pub proto_name: Option<String>,
    /// MDBA_MDB_EATTR_TIMER / MDBA_ROUTER_PATTR_TIMER: time left, centiseconds (bridge -s prints it as seconds, "%4i.%.2i").
    pub timer: Option<u32>,
    /// MDBA_MDB_EATTR_SRC_LIST: the sources of a (*,G) entry (bridge -d's `source_list`).
    pub src_list: Option<Vec<MdbSource>>,
    /// MDBA_MDB_EATTR_GROUP_MODE: MCAST_EXCLUDE 0, MCAST_INCLUDE 1.
    pub group_mode: Option<u8>,
    /// `groupMode` as bridge -d prints it (`filter_mode`): 'exclude' or 'include'.
    pub group_mode_name: Option<String>,
    /// MDBA_MDB_EATTR_SOURCE: the source of an (S,G) entry (bridge's `src`).
    pub source: Option<String>,
    /// MDBA_MDB_EATTR_RTPROT: who installed the entry (RTPROT_*).
    pub rtprot: Option<u8>,
    /// `rtprot` named as bridge -d prints it (`protocol`: 'kernel', 'static', ...).
    pub rtprot_name: Option<String>,
    /// MDBA_MDB_EATTR_DST: the remote VTEP (vxlan MDB).
    pub dst: Option<String>,
    /// MDBA_MDB_EATTR_DST_PORT: the remote UDP port (vxlan MDB).
    pub dst_port: Option<u16>,
    /// MDBA_MDB_EATTR_VNI: the remote VNI (vxlan MDB).
    pub vni: Option<u32>,
    /// MDBA_MDB_EATTR_IFINDEX: the outgoing interface to the remote (vxlan MDB; bridge's `via`).
    pub dst_ifindex: Option<u32>,
    /// MDBA_MDB_EATTR_SRC_VNI: the source VNI (vxlan MDB).
    pub src_vni: Option<u32>,
    /// MDBA_ROUTER_PATTR_TYPE: MDB_RTR_TYPE_* (router ports).
    pub router_type: Option<u8>,
    /// `routerType` as bridge prints it (`type`): 'disabled', 'temp_query', 'permanent', 'temp'.
    pub router_type_name: Option<String>,
    /// MDBA_ROUTER_PATTR_INET_TIMER: IPv4 router timer, centiseconds.
    pub inet_timer: Option<u32>,
    /// MDBA_ROUTER_PATTR_INET6_TIMER: IPv6 router timer, centiseconds.
    pub inet6_timer: Option<u32>,
    /// Attributes not decoded (of this entry, or of the message when it has no entry), as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// One MDBA_MDB_SRCLIST_ENTRY.
///
/// @category Bridge
/// @example
/// ```ts
/// import { mdb } from 'rtnl'
///
/// for (const e of await mdb.list()) {
///   for (const src of e.srcList ?? []) console.log(`${e.grp} source ${src.address} timer ${(src.timer ?? 0) / 100} s`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MdbSource {
    /// MDBA_MDB_SRCATTR_ADDRESS.
    pub address: Option<String>,
    /// MDBA_MDB_SRCATTR_TIMER: centiseconds.
    pub timer: Option<u32>,
    /// MDBA_MDB_SRCATTR_* not decoded, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

const FLAGS: &[(u8, &str)] = &[
    (1, "offload"),
    (2, "fast_leave"),
    (4, "added_by_star_ex"),
    (8, "blocked"),
    (16, "offload_failed"),
];

/// A group or source address by its protocol: IPv4, IPv6 or a MAC.
fn group_addr(u: &[u8], proto: u16) -> String {
    match proto {
        ETH_P_IP => wire::ip(&u[..4]),
        ETH_P_IPV6 => wire::ip(&u[..16]),
        _ => wire::mac(&u[..6]),
    }
}

fn u16_be_of(d: &[u8]) -> Option<u16> {
    wire::be16_at(d, 0)
}

fn decode_src_list(d: &[u8]) -> Result<Vec<MdbSource>, DecodeError> {
    let mut out = Vec::new();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        let mut s = MdbSource::default();
        if kind != MDBA_MDB_SRCLIST_ENTRY {
            s.unknown.push(UnknownAttr::new(kind, data));
            out.push(s);
            continue;
        }
        let mut inner = attrs(data);
        for (k, v) in inner.by_ref() {
            match k {
                MDBA_MDB_SRCATTR_ADDRESS if v.len() == 4 || v.len() == 16 => {
                    s.address = Some(wire::ip(v))
                }
                MDBA_MDB_SRCATTR_TIMER if v.len() >= 4 => s.timer = wire::u32_of(v),
                _ => s.unknown.push(UnknownAttr::new(k, v)),
            }
        }
        check(&inner, "mdb source list entry")?;
        out.push(s);
    }
    check(&walk, "mdb source list")?;
    Ok(out)
}

/// One MDBA_MDB_ENTRY_INFO: struct br_mdb_entry, then MDBA_MDB_EATTR_*.
fn decode_entry_info(base: &MdbEntry, d: &[u8]) -> Result<MdbEntry, DecodeError> {
    need(d, ENTRY_LEN - 2, "br_mdb_entry")?;
    let proto = wire::be16_at(d, 24).unwrap_or(0);
    let state = d[4];
    let flags = d[5];
    let vid = wire::u16_at(d, 6).unwrap_or(0);
    let mut e = MdbEntry {
        entry_type: MdbEntryType::Group,
        port: wire::u32_at(d, 0).unwrap_or(0),
        state: Some(state),
        state_name: Some(match state {
            0 => "temp".into(),
            1 => "permanent".into(),
            n => n.to_string(),
        }),
        flags: Some(flags),
        flag_names: Some(wire::bit_names(flags, FLAGS)),
        vid: Some(vid),
        grp: Some(group_addr(&d[8..24], proto)),
        proto: Some(proto),
        proto_name: Some(match proto {
            ETH_P_IP => "ipv4".into(),
            ETH_P_IPV6 => "ipv6".into(),
            0 => "l2".into(),
            n => format!("0x{n:04x}"),
        }),
        ..base.clone()
    };
    let mut walk = attrs(d.get(ENTRY_LEN..).unwrap_or(&[]));
    for (kind, data) in walk.by_ref() {
        match kind {
            MDBA_MDB_EATTR_TIMER if data.len() >= 4 => e.timer = wire::u32_of(data),
            MDBA_MDB_EATTR_SRC_LIST => e.src_list = Some(decode_src_list(data)?),
            MDBA_MDB_EATTR_GROUP_MODE if !data.is_empty() => {
                e.group_mode = Some(data[0]);
                e.group_mode_name = Some(match data[0] {
                    0 => "exclude".into(),
                    1 => "include".into(),
                    n => n.to_string(),
                });
            }
            MDBA_MDB_EATTR_SOURCE if data.len() == 4 || data.len() == 16 => {
                e.source = Some(wire::ip(data))
            }
            MDBA_MDB_EATTR_RTPROT if !data.is_empty() => {
                e.rtprot = Some(data[0]);
                e.rtprot_name = Some(names::protocol(data[0]).into_owned());
            }
            MDBA_MDB_EATTR_DST if data.len() == 4 || data.len() == 16 => {
                e.dst = Some(wire::ip(data))
            }
            MDBA_MDB_EATTR_DST_PORT if data.len() >= 2 => e.dst_port = u16_be_of(data),
            MDBA_MDB_EATTR_VNI if data.len() >= 4 => e.vni = wire::u32_of(data),
            MDBA_MDB_EATTR_IFINDEX if data.len() >= 4 => e.dst_ifindex = wire::u32_of(data),
            MDBA_MDB_EATTR_SRC_VNI if data.len() >= 4 => e.src_vni = wire::u32_of(data),
            _ => e.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "mdb entry attributes")?;
    Ok(e)
}

/// One MDBA_ROUTER_PORT: a u32 ifindex, then (in dumps) MDBA_ROUTER_PATTR_*.
fn decode_router_port(base: &MdbEntry, d: &[u8]) -> Result<MdbEntry, DecodeError> {
    need(d, 4, "mdb router port")?;
    let mut e = MdbEntry {
        entry_type: MdbEntryType::Router,
        port: wire::u32_at(d, 0).unwrap_or(0),
        ..base.clone()
    };
    let mut walk = attrs(&d[4..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            MDBA_ROUTER_PATTR_TIMER if data.len() >= 4 => e.timer = wire::u32_of(data),
            MDBA_ROUTER_PATTR_TYPE if !data.is_empty() => {
                e.router_type = Some(data[0]);
                e.router_type_name = Some(match data[0] {
                    0 => "disabled".into(),
                    1 => "temp_query".into(),
                    2 => "permanent".into(),
                    3 => "temp".into(),
                    n => n.to_string(),
                });
            }
            MDBA_ROUTER_PATTR_INET_TIMER if data.len() >= 4 => e.inet_timer = wire::u32_of(data),
            MDBA_ROUTER_PATTR_INET6_TIMER if data.len() >= 4 => e.inet6_timer = wire::u32_of(data),
            MDBA_ROUTER_PATTR_VID if data.len() >= 2 => e.vid = wire::u16_at(data, 0),
            _ => e.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "mdb router port attributes")?;
    Ok(e)
}

/// Decodes the body of an RTM_NEWMDB/RTM_DELMDB message into its entries, for events and dumps alike.
///
/// Attributes that belong to no entry (unknown top-level or nesting
/// attributes) are kept in the `unknown` of the message's first entry; a
/// message with such attributes and no entry yields one group entry
/// carrying only the header and them, so nothing is dropped.
pub fn decode(payload: &[u8]) -> Result<Vec<MdbEntry>, DecodeError> {
    need(payload, HEADER_LEN, "br_port_msg")?;
    let base = MdbEntry {
        family: match payload[0] {
            0 => wire::AF_BRIDGE,
            f => f,
        },
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        ..MdbEntry::default()
    };
    let mut out = Vec::new();
    let mut stray = Vec::new();
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            MDBA_MDB => {
                let mut entries = attrs(data);
                for (k, entry) in entries.by_ref() {
                    if k != MDBA_MDB_ENTRY {
                        stray.push(UnknownAttr::new(k, entry));
                        continue;
                    }
                    let mut infos = attrs(entry);
                    for (k, info) in infos.by_ref() {
                        if k == MDBA_MDB_ENTRY_INFO {
                            out.push(decode_entry_info(&base, info)?);
                        } else {
                            stray.push(UnknownAttr::new(k, info));
                        }
                    }
                    check(&infos, "mdb entry")?;
                }
                check(&entries, "mdb entries")?;
            }
            MDBA_ROUTER => {
                let mut ports = attrs(data);
                for (k, port) in ports.by_ref() {
                    if k == MDBA_ROUTER_PORT {
                        out.push(decode_router_port(&base, port)?);
                    } else {
                        stray.push(UnknownAttr::new(k, port));
                    }
                }
                check(&ports, "mdb router ports")?;
            }
            _ => stray.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "mdb attributes")?;
    if !stray.is_empty() {
        match out.first_mut() {
            Some(first) => first.unknown.extend(stray),
            None => out.push(MdbEntry {
                unknown: stray,
                ..base
            }),
        }
    }
    Ok(out)
}

const MDBA_GET_ENTRY: u16 = 1;
const MDBA_GET_ENTRY_ATTRS: u16 = 2;
const MDBE_ATTR_SOURCE: u16 = 1;

/// What `mdb.get` asks for (`bridge mdb get dev BR grp G [src S] [vid V]`):
/// one group of one bridge; the kernel answers with its entry on every port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MdbQuery {
    /// The bridge (or vxlan device).
    pub ifindex: u32,
    /// The group: an IPv4 or IPv6 address, or a MAC ('01:00:5e:01:01:01').
    pub grp: String,
    pub vid: u16,
    /// The source of an (S,G) entry.
    pub source: Option<String>,
}

/// The RTM_GETMDB request body for `q`: struct br_port_msg, then
/// MDBA_GET_ENTRY (a struct br_mdb_entry holding only the group and VLAN:
/// the kernel refuses a port, state or flags there) and the source.
pub fn get_request(q: &MdbQuery) -> Result<Vec<u8>, crate::Error> {
    use crate::spec::invalid;
    use std::net::IpAddr;
    let eth_proto = |ip: &IpAddr| if ip.is_ipv4() { ETH_P_IP } else { ETH_P_IPV6 };
    if q.ifindex == 0 || q.ifindex > i32::MAX as u32 {
        return Err(invalid(format!(
            "mdb.get: ifindex must be the index of a bridge, from 1 to {}, got {}",
            i32::MAX,
            q.ifindex
        )));
    }
    if q.vid >= 4095 {
        return Err(invalid(format!(
            "mdb.get: vid must be from 0 to 4094, got {}",
            q.vid
        )));
    }
    let (addr, proto): (Vec<u8>, u16) = match q.grp.parse::<IpAddr>() {
        Ok(ip) => (crate::fields::ip_bytes(ip), eth_proto(&ip)),
        Err(_) => match crate::spec::mac_bytes("mdb.get", "grp", &q.grp) {
            Ok(mac) if mac.len() == 6 => (mac, 0),
            _ => {
                return Err(invalid(format!(
                    "mdb.get: grp must be an IPv4 or IPv6 group address or a MAC ('01:00:5e:01:01:01'), got '{}'",
                    q.grp
                )))
            }
        },
    };
    let source = match &q.source {
        None => None,
        Some(s) => match s.parse::<IpAddr>() {
            Ok(ip) if eth_proto(&ip) == proto => Some(crate::fields::ip_bytes(ip)),
            _ => {
                return Err(invalid(format!(
                    "mdb.get: source must be an address of the group's family ({}), got '{s}'",
                    match proto {
                        ETH_P_IP => "IPv4",
                        ETH_P_IPV6 => "IPv6",
                        _ => "none: a MAC group has no source",
                    }
                )))
            }
        },
    };
    let mut body = vec![0u8; HEADER_LEN];
    body[0] = wire::AF_BRIDGE;
    body[4..8].copy_from_slice(&q.ifindex.to_ne_bytes());
    let mut entry = [0u8; ENTRY_LEN];
    entry[6..8].copy_from_slice(&q.vid.to_ne_bytes());
    entry[8..8 + addr.len()].copy_from_slice(&addr);
    entry[24..26].copy_from_slice(&proto.to_be_bytes());
    crate::protocol::push_attr(&mut body, MDBA_GET_ENTRY, &entry);
    if let Some(src) = source {
        let mut nested = Vec::new();
        crate::protocol::push_attr(&mut nested, MDBE_ATTR_SOURCE, &src);
        crate::protocol::push_attr(
            &mut body,
            MDBA_GET_ENTRY_ATTRS | wire::NLA_F_NESTED,
            &nested,
        );
    }
    Ok(body)
}
