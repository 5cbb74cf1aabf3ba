//! Per-interface IP configuration (`ip netconf`): RTM_NEWNETCONF /
//! RTM_DELNETCONF, struct netconfmsg + NETCONFA_*. The values are the
//! net.ipv4.conf / net.ipv6.conf sysctls of one interface, or of `all` and
//! `default` (NETCONFA_IFINDEX -1 and -2).

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::error::Error;
use crate::kind::{new_del, zeroed_header, Dump, GetRequest, Key, KindDecl, KindDef};
use crate::protocol::push_attr;
use crate::spec::Spec;
use crate::wire::{attrs, check, i32_at, need, DecodeError, UnknownAttr};

pub const RTM_NEWNETCONF: u16 = 80;
pub const RTM_DELNETCONF: u16 = 81;
pub const RTM_GETNETCONF: u16 = 82;
/// sizeof(struct netconfmsg), 1 byte, padded to the attribute alignment.
pub const HEADER_LEN: usize = 4;

/// Per-interface IP configuration (`ip netconf`).
pub const NETCONF: KindDef<Netconf> = KindDef {
    decl: KindDecl {
        name: "netconf",
        ops: &new_del(
            (RTM_NEWNETCONF, "new_netconf"),
            (RTM_DELNETCONF, "del_netconf"),
        ),
        get_type: Some(RTM_GETNETCONF),
        header_len: HEADER_LEN,
        groups: &["IPV4_NETCONF", "IPV6_NETCONF", "MPLS_NETCONF"],
        dump: Dump::Bodies {
            bodies: |f| vec![zeroed_header(HEADER_LEN, f.family.unwrap_or(0))],
            empty_when: None,
        },
        get: Some(get_request),
        encode: None,
        list_filters: &["family", "ifindex"],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(
            &["family", "ifindex"],
            "one configuration per family and link (ifindex -1 'all', -2 'default')",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps: |n, f| f.family_is(n.family) && f.ifindex_is(n.ifindex.unwrap_or(0) as i64),
};

/// `ip netconf show dev X` (ifindex -1 'all', -2 'default'), IPv4 unless
/// `family` says otherwise.
fn get_request(q: &mut Spec) -> Result<GetRequest, Error> {
    let ifindex = q
        .i32("ifindex")?
        .ok_or_else(|| q.missing("ifindex", "the link's ifindex"))?;
    let family = q.u8("family")?.unwrap_or(crate::wire::AF_INET);
    let mut body = zeroed_header(HEADER_LEN, family);
    push_attr(&mut body, NETCONFA_IFINDEX, &ifindex.to_ne_bytes());
    Ok(GetRequest {
        body,
        what: format!("getting the netconf of link {ifindex}"),
        flags: 0,
        none: &[libc::ENODEV],
    })
}

pub const NETCONFA_IFINDEX: u16 = 1;
const NETCONFA_FORWARDING: u16 = 2;
const NETCONFA_RP_FILTER: u16 = 3;
const NETCONFA_MC_FORWARDING: u16 = 4;
const NETCONFA_PROXY_NEIGH: u16 = 5;
const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: u16 = 6;
const NETCONFA_INPUT: u16 = 7;
const NETCONFA_BC_FORWARDING: u16 = 8;

/// NETCONFA_IFINDEX_ALL: the `all` settings.
pub const IFINDEX_ALL: i32 = -1;
/// NETCONFA_IFINDEX_DEFAULT: the `default` settings (for interfaces to come).
pub const IFINDEX_DEFAULT: i32 = -2;

/// The IP configuration of one interface and family (or of 'all' /
/// 'default'), as `netconf.list()` returns it and a netconf event carries it
/// (struct netconfmsg and its NETCONFA_* attributes). An event carries only
/// the attribute that changed.
///
/// @example
/// ```ts
/// import { netconf } from 'rtnl'
///
/// for (const c of await netconf.list({ family: 4 })) {
///   console.log(c.interface ?? c.ifindex, 'forwarding', c.forwarding, 'rp_filter', c.rpFilterName)
/// }
/// ```
/// @category Netconf
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Netconf {
    /// ncm_family: 2 (AF_INET), 10 (AF_INET6), 28 (AF_MPLS).
    pub family: u8,
    /// NETCONFA_IFINDEX: the interface, or -1 (`all`) or -2 (`default`).
    pub ifindex: Option<i32>,
    /// 'all' or 'default' for those two pseudo-interfaces, as `ip` prints them; absent for a real interface.
    #[ts(type = "'all' | 'default'", optional)]
    pub interface: Option<&'static str>,
    /// NETCONFA_FORWARDING: the forwarding sysctl (0 off, 1 on).
    pub forwarding: Option<i32>,
    /// NETCONFA_RP_FILTER: reverse path filtering (0 off, 1 strict, 2 loose); IPv4 only.
    pub rp_filter: Option<i32>,
    /// `rpFilter` as `ip` names it: 'off', 'strict', 'loose', or in decimal.
    pub rp_filter_name: Option<String>,
    /// NETCONFA_MC_FORWARDING: multicast forwarding (set by a multicast routing daemon).
    pub mc_forwarding: Option<i32>,
    /// NETCONFA_BC_FORWARDING: broadcast forwarding (IPv4).
    pub bc_forwarding: Option<i32>,
    /// NETCONFA_PROXY_NEIGH: proxy ARP (IPv4) or proxy NDP (IPv6).
    pub proxy_neigh: Option<i32>,
    /// NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: routes over a link without carrier are ignored.
    pub ignore_routes_with_linkdown: Option<i32>,
    /// NETCONFA_INPUT: MPLS input enabled on the interface (AF_MPLS).
    pub input: Option<i32>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

fn rp_filter_name(v: i32) -> String {
    match v {
        0 => "off".into(),
        1 => "strict".into(),
        2 => "loose".into(),
        other => other.to_string(),
    }
}

/// Decodes the body of an RTM_NEWNETCONF/RTM_DELNETCONF message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Netconf, DecodeError> {
    need(payload, 1, "netconfmsg")?;
    let mut n = Netconf {
        family: payload[0],
        ..Netconf::default()
    };
    let mut walk = attrs(payload.get(HEADER_LEN..).unwrap_or(&[]));
    for (kind, data) in walk.by_ref() {
        let value = i32_at(data, 0);
        let slot = match kind {
            NETCONFA_IFINDEX => &mut n.ifindex,
            NETCONFA_FORWARDING => &mut n.forwarding,
            NETCONFA_RP_FILTER => &mut n.rp_filter,
            NETCONFA_MC_FORWARDING => &mut n.mc_forwarding,
            NETCONFA_PROXY_NEIGH => &mut n.proxy_neigh,
            NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN => &mut n.ignore_routes_with_linkdown,
            NETCONFA_INPUT => &mut n.input,
            NETCONFA_BC_FORWARDING => &mut n.bc_forwarding,
            _ => {
                n.unknown.push(UnknownAttr::new(kind, data));
                continue;
            }
        };
        match value {
            Some(v) => *slot = Some(v),
            // Shorter than the s32 every NETCONFA_* is: kept as it came.
            None => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "netconf attributes")?;
    n.interface = match n.ifindex {
        Some(IFINDEX_ALL) => Some("all"),
        Some(IFINDEX_DEFAULT) => Some("default"),
        _ => None,
    };
    n.rp_filter_name = n.rp_filter.map(rp_filter_name);
    Ok(n)
}
