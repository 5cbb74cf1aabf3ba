//! Routes (`ip route`): RTM_NEWROUTE / RTM_DELROUTE, struct rtmsg + RTA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use std::net::IpAddr;

use serde_json::{Map, Value};

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::fields;
use crate::kind::{new_del, zeroed_header, Dump, Filter, Key, KindDecl, KindDef};
use crate::names;
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};
use crate::wire::{self, attrs, check, ip, need, u32_of, DecodeError, UnknownAttr};

pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
/// sizeof(struct rtmsg)
pub const HEADER_LEN: usize = 12;

/// Routes (`ip route`).
pub const ROUTES: KindDef<Route> = KindDef {
    decl: KindDecl {
        name: "routes",
        ops: &new_del((RTM_NEWROUTE, "new_route"), (RTM_DELROUTE, "del_route")),
        get_type: Some(RTM_GETROUTE),
        header_len: HEADER_LEN,
        groups: &["IPV4_ROUTE", "IPV6_ROUTE", "MPLS_ROUTE"],
        dump: Dump::Bodies { bodies: dump_bodies, empty_when: Some(|f, errno| f.table.is_some() && errno == libc::ENOENT) },
        get: None,
        encode: Some(encode),
        list_filters: &["family", "table", "oif"],
        moving: &["cacheinfo", "expires"],
        scope_keys: &["family", "table", "protocol", "oif", "type", "priority", "scope"],
        watch_key: Key::of(
            &["family", "table", "dst/dstLen", "src/srcLen", "tos", "priority", "type", "oif", "gateway"],
            "the kernel keeps routes of one prefix and metric apart by type and, for IPv6 (or IPv4 with `ip route append`), by next hop: each is an object of its own",
        ),
        desired_key: Some(Key::of(
            &["family", "table", "dst/dstLen", "src/srcLen", "tos", "priority"],
            "NLM_F_REPLACE replaces the route of that table, prefix, tos and metric: a desired route with another next hop or type replaces the listed one rather than adding a second",
        )),
    },
    decode: |p, _, each| { each(decode(p)?); Ok(()) },
    keeps,
};

/// A route `list()` keeps: its family, its table, and for `oif` a next hop
/// through that link (RTA_OIF, or one hop of a multipath route), as the
/// kernel checks it.
fn keeps(r: &Route, f: &Filter) -> bool {
    f.family_is(r.family)
        && f.table.is_none_or(|t| t == r.table)
        && f.oif.is_none_or(|o| {
            r.oif == Some(o)
                || r.multipath
                    .iter()
                    .flatten()
                    .any(|h| h.oif as i64 == o as i64)
        })
}

/// The route dump, with the table and oif the kernel filters on itself.
fn dump_bodies(f: &Filter) -> Vec<Vec<u8>> {
    let mut body = zeroed_header(HEADER_LEN, f.family.unwrap_or(0));
    if let Some(table) = f.table {
        // rtm_table holds tables below 256; RTA_TABLE any.
        body[4] = if table < 256 { table as u8 } else { 0 };
        push_attr(&mut body, RTA_TABLE, &table.to_ne_bytes());
    }
    if let Some(oif) = f.oif {
        push_attr(&mut body, RTA_OIF, &oif.to_ne_bytes());
    }
    vec![body]
}

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

/// One next hop of a multipath route (struct rtnexthop in RTA_MULTIPATH).
///
/// @example
/// ```ts
/// import { routes } from 'rtnl'
///
/// for (const r of await routes.list()) {
///   for (const hop of r.multipath ?? []) console.log(r.dst, 'via', hop.gateway, 'dev', hop.oif, 'weight', hop.weight)
/// }
/// ```
/// @category Routes
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Nexthop {
    /// RTNH_F_* bits.
    pub flags: u8,
    /// The weight `ip` prints (rtnh_hops + 1).
    pub weight: u16,
    /// ifindex.
    pub oif: i32,
    /// RTA_GATEWAY: this hop's gateway, of the route's family.
    pub gateway: Option<String>,
    /// RTA_VIA: a gateway of another family (an IPv4 route via an IPv6 address; MPLS).
    pub via: Option<String>,
    /// RTA_NEWDST (MPLS): the labels this hop pushes, "100/200".
    pub newdst: Option<String>,
    /// Attributes of this hop this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct rta_cacheinfo; `lastuse` and `expires` in clock ticks (1/100 s).
/// It moves by itself: {@link diff} and {@link watch} ignore it.
///
/// @example
/// ```ts
/// import { routes } from 'rtnl'
///
/// for (const r of await routes.list({ family: 6 })) {
///   if (r.cacheinfo?.expires) console.log(`${r.dst}/${r.dstLen} expires in ${r.cacheinfo.expires / 100} s`)
/// }
/// ```
/// @category Routes
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct RouteCacheInfo {
    /// rta_clntref: references held on the route's cache entry.
    pub clntref: u32,
    /// rta_lastuse: ticks since the route was last used.
    pub lastuse: u32,
    /// rta_expires: ticks until the route expires (0: it does not).
    pub expires: i32,
    /// rta_error: the error an unreachable route gives.
    pub error: u32,
    /// rta_used: how often the route was used.
    pub used: u32,
    /// rta_id (IPv4; not sent by current kernels).
    pub id: Option<u32>,
    /// rta_ts (IPv4; not sent by current kernels).
    pub ts: Option<u32>,
    /// rta_tsage (IPv4; not sent by current kernels).
    pub tsage: Option<u32>,
}

/// A route, as `routes.list()` returns it and a route event carries it
/// (struct rtmsg and its RTA_* attributes), with the names `ip route` prints
/// beside the numbers. Changes take the same struct, partial.
///
/// @example
/// ```ts
/// import { routes, type Route } from 'rtnl'
///
/// const defaults: Route[] = (await routes.list({ table: 254 })).filter((r) => r.dstLen === 0)
/// for (const r of defaults) {
///   console.log(r.family === 2 ? 'IPv4' : 'IPv6', 'via', r.gateway ?? r.multipath?.map((h) => h.gateway), 'metric', r.priority ?? 0)
/// }
/// ```
/// @category Routes
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Route {
    /// 2 (AF_INET), 10 (AF_INET6), 128/129 (IPv4/IPv6 multicast routing).
    pub family: u8,
    /// rtm_dst_len: the destination prefix length (0 for a default route).
    pub dst_len: u8,
    /// rtm_src_len: the source prefix length (IPv6 source-specific routes; else 0).
    pub src_len: u8,
    /// rtm_tos: the TOS the route matches (0: any).
    pub tos: u8,
    /// The effective table: RTA_TABLE when present, else rtm_table (254 main, 255 local).
    pub table: u32,
    /// RTPROT_*: 2 kernel, 3 boot, 4 static, ...
    pub protocol: u8,
    /// 0 universe, 253 link, 254 host.
    pub scope: u8,
    /// RTN_*: 1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit, ...
    #[serde(rename = "type")]
    pub route_type: u8,
    /// RTM_F_* bits.
    pub flags: u32,
    /// `table` as `ip` names it: 'main', 'local', 'default', or decimal.
    pub table_name: crate::names::Name,
    /// `protocol` as `ip` names it: 'kernel', 'boot', 'static', 'dhcp', ... or decimal.
    pub protocol_name: crate::names::Name,
    /// `scope` as `ip` names it: 'global', 'link', 'host', ...
    pub scope_name: crate::names::Name,
    /// `type` as `ip` names it: 'unicast', 'local', 'blackhole', 'unreachable', 'prohibit', ...
    pub type_name: crate::names::Name,
    /// The destination prefix; for an MPLS route (family 28) the label, "100".
    pub dst: Option<String>,
    /// RTA_SRC: the source prefix of a source-specific route (`ip route ... from`), with `srcLen`.
    pub src: Option<String>,
    /// RTA_GATEWAY: the next hop's address (`via`).
    pub gateway: Option<String>,
    /// RTA_VIA: a next hop of another family (an IPv4 route via an IPv6 address; MPLS).
    pub via: Option<String>,
    /// RTA_NEWDST (MPLS): the labels the route swaps to or pushes, "200/300".
    pub newdst: Option<String>,
    /// Output ifindex.
    pub oif: Option<u32>,
    /// RTA_IIF: the input ifindex (what `routes.get` was asked with `iif`; multicast routes).
    pub iif: Option<u32>,
    /// The metric.
    pub priority: Option<u32>,
    /// RTA_PREFSRC: the preferred source address (`ip route ... src`).
    pub prefsrc: Option<String>,
    /// RTAX_* metrics by `ip`'s names (mtu, advmss, hoplimit, ...).
    #[ts(type = "Record<string, number | string>", optional)]
    pub metrics: Option<serde_json::Map<String, serde_json::Value>>,
    /// RTA_MULTIPATH: the next hops of a multipath (ECMP) route.
    pub multipath: Option<Vec<Nexthop>>,
    /// RTA_FLOW: realms, `to` in the low 16 bits, `from` in the high 16.
    pub realms: Option<u32>,
    /// RTA_MARK: the firewall mark a `routes.get` lookup was made with.
    pub mark: Option<u32>,
    /// RTA_PREF: the IPv6 router preference (0 medium, 1 high, 3 low).
    pub pref: Option<u8>,
    /// RTA_ENCAP_TYPE: LWTUNNEL_ENCAP_* (1 mpls, 5 seg6, ...); the encapsulation itself stays in `unknown`.
    pub encap_type: Option<u16>,
    /// RTA_EXPIRES: the lifetime of an IPv6 route in seconds (`ip route add ... expires`).
    pub expires: Option<u32>,
    /// RTA_UID: the uid a `routes.get` lookup was made for.
    pub uid: Option<u32>,
    /// RTA_NH_ID: the nexthop object the route goes through (see {@link nexthops}).
    pub nhid: Option<u32>,
    /// RTA_CACHEINFO: usage and expiry.
    pub cacheinfo: Option<RouteCacheInfo>,
    /// Attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
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

const RTNH_F_ONLINK: u32 = 4;
const RT_TABLE_MAIN: u32 = 254;
const RT_TABLE_LOCAL: u32 = 255;
const RT_SCOPE_LINK: u8 = 253;
const RT_SCOPE_HOST: u8 = 254;
const RT_SCOPE_NOWHERE: u8 = 255;
const RTPROT_BOOT: u8 = 3;

const VERBS: [Verb; 4] = [Verb::Add, Verb::Replace, Verb::Append, Verb::Del];

/// RTA_VIA's struct rtvia: the family, then the address.
fn rtvia(ip: IpAddr) -> Vec<u8> {
    let family: u16 = if ip.is_ipv4() { 2 } else { 10 };
    let mut b = family.to_ne_bytes().to_vec();
    b.extend_from_slice(&fields::ip_bytes(ip));
    b
}

fn encode_metrics(what: &str, metrics: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for (name, v) in metrics {
        let kind = METRIC_NAMES
            .iter()
            .position(|n| n == name)
            .or_else(|| name.strip_prefix("metric")?.parse().ok())
            .filter(|&k| k > 0 && k < 0x4000);
        let Some(kind) = kind else {
            return Err(invalid(format!(
                "{what}: metrics.{name} is not a route metric; expected one of {}",
                METRIC_NAMES[1..].join(", ")
            )));
        };
        let kind = kind as u16;
        if kind == RTAX_CC_ALGO {
            match v.as_str() {
                Some(s) if !s.contains('\0') => push_attr(&mut out, kind, &fields::cstr(s)),
                _ => {
                    return Err(invalid(format!(
                    "{what}: metrics.congctl must be a congestion control name ('cubic'), got {v}"
                )))
                }
            }
            continue;
        }
        match v.as_u64().filter(|&n| n <= u32::MAX as u64) {
            Some(n) => push_attr(&mut out, kind, &(n as u32).to_ne_bytes()),
            None => {
                return Err(invalid(format!(
                    "{what}: metrics.{name} must be an integer from 0 to 4294967295, got {v}"
                )))
            }
        }
    }
    Ok(out)
}

fn encode_multipath(what: &str, family: u8, hops: &[Value]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    for (i, hop) in hops.iter().enumerate() {
        let label = format!("{what}: multipath[{i}]");
        let Some(hop) = hop.as_object() else {
            return Err(invalid(format!("{label} must be an object")));
        };
        let mut spec = Spec::new(hop, label);
        let flags = spec.u32("flags")?.unwrap_or(0) & RTNH_F_ONLINK;
        let weight = spec.int("weight", 1, 256)?.unwrap_or(1);
        let oif = spec.u32("oif")?.unwrap_or(0);
        let gateway = spec.ip("gateway", Some(family))?;
        let via = spec.ip("via", None)?;
        if let Some(v) = spec.value("newdst") {
            return Err(spec.error("newdst", "absent (MPLS is not supported)", v));
        }
        spec.ignore(&["unknown"]);
        spec.finish()?;
        let mut attrs = Vec::new();
        if let Some(g) = gateway {
            push_attr(&mut attrs, RTA_GATEWAY, &fields::ip_bytes(g));
        }
        if let Some(v) = via {
            push_attr(&mut attrs, RTA_VIA, &rtvia(v));
        }
        let len = 8 + attrs.len();
        out.extend_from_slice(&(len as u16).to_ne_bytes());
        out.push(flags as u8);
        out.push((weight - 1) as u8);
        out.extend_from_slice(&oif.to_ne_bytes());
        out.extend_from_slice(&attrs);
    }
    Ok(out)
}

/// Encodes a route change (add, replace, append, del) from the struct
/// `list()` returns, or part of it.
///
/// Defaults as `ip route` has them: table main (local for local, broadcast,
/// anycast and nat routes); for add/replace/append protocol boot, type
/// unicast, scope host for local/nat, link for broadcast/anycast/multicast
/// and for unicast without gateway, via, multipath or nhid, else global.
/// For del nothing the caller left out is matched: protocol 0, type 0 and
/// scope nowhere are wildcards to the kernel, so a listed route fed back
/// deletes exactly it, and `{ dst, dstLen }` deletes the first match.
///
/// `flags` keeps only RTNH_F_ONLINK (also in multipath hops): the others
/// (dead, linkdown, offload, trap, cloned, prefix) are the kernel's, and it
/// refuses dead and linkdown in a request. Refused: `mark` and `uid` (keys
/// of a route lookup, not route attributes), `newdst` and family 28 (MPLS),
/// a non-zero `encapType` (the decoder keeps no encapsulation data to give
/// back), `pref` and `expires` on IPv4 routes. `expires` is not sent on del.
/// Read-only: the `*Name` forms, `cacheinfo`, `unknown`.
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("routes", verb, &VERBS));
    }
    let del = verb == Verb::Del;
    let op = format!("routes.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    if obj.get("family").and_then(Value::as_u64) == Some(AF_MPLS as u64) {
        return Err(invalid(format!(
            "{op}: family 28 (MPLS) routes are not supported"
        )));
    }
    let family = fields::family(
        &mut spec,
        obj,
        &[(2, "IPv4"), (10, "IPv6")],
        &["dst", "src", "gateway", "prefsrc"],
    )?
    .ok_or_else(|| {
        spec.missing(
            "family",
            "2 for IPv4 or 10 for IPv6, or a dst, src, gateway or prefsrc to tell it",
        )
    })?;
    let max = if family == 2 { 32 } else { 128 };
    let dst_text = spec.str("dst").ok().flatten();
    let dst = spec.ip("dst", Some(family))?;
    let dst_len = spec.int("dstLen", 0, max)?.map(|n| n as u8);
    let src = spec.ip("src", Some(family))?;
    let src_len = spec.int("srcLen", 0, max)?.map(|n| n as u8);
    for (field, addr, len) in [("dstLen", dst, dst_len), ("srcLen", src, src_len)] {
        if addr.is_none() && len.is_some_and(|l| l > 0) {
            return Err(invalid(format!(
                "{op}: {field} {} needs {} (a prefix without an address)",
                len.unwrap_or(0),
                &field[..3]
            )));
        }
    }
    let dst_len = dst_len.unwrap_or(if dst.is_some() { max as u8 } else { 0 });
    let src_len = src_len.unwrap_or(if src.is_some() { max as u8 } else { 0 });
    let tos = spec.u8("tos")?.unwrap_or(0);
    let rtype = fields::number_or_name(&mut spec, "type", "typeName", 255, |v| {
        names::route_type(v as u8)
    })?
    .map(|n| n as u8)
    .unwrap_or(if del { 0 } else { 1 });
    let table = fields::number_or_name(&mut spec, "table", "tableName", u32::MAX, names::table)?
        .unwrap_or(match rtype {
            2..=4 | 10 => RT_TABLE_LOCAL,
            _ => RT_TABLE_MAIN,
        });
    let protocol = fields::number_or_name(&mut spec, "protocol", "protocolName", 255, |v| {
        names::protocol(v as u8)
    })?
    .map(|n| n as u8)
    .unwrap_or(if del { 0 } else { RTPROT_BOOT });
    let scope = fields::number_or_name(&mut spec, "scope", "scopeName", 255, |v| {
        names::scope(v as u8)
    })?
    .map(|n| n as u8);
    let flags = spec.u32("flags")?.unwrap_or(0) & RTNH_F_ONLINK;
    let nhid = spec.u32("nhid")?;
    // A route through a nexthop object is listed with that nexthop's gateway
    // and device beside `nhid`; the kernel takes `nhid` alone ("Nexthop
    // specification and nexthop id are mutually exclusive"), so given with
    // it they are what the kernel resolved: read-only.
    let (gateway, via, oif, multipath) = if nhid.is_some() {
        spec.ignore(&["gateway", "via", "oif", "multipath"]);
        (None, None, None, None)
    } else {
        (
            spec.ip("gateway", Some(family))?,
            spec.ip("via", None)?,
            spec.u32("oif")?,
            spec.array("multipath")?,
        )
    };
    let iif = spec.u32("iif")?;
    let priority = spec.u32("priority")?;
    let prefsrc = spec.ip("prefsrc", Some(family))?;
    let metrics = spec.object("metrics")?;
    let realms = spec.u32("realms")?;
    for field in ["mark", "uid"] {
        if let Some(v) = spec.value(field) {
            return Err(spec.error(
                field,
                "absent (a key of a route lookup, `ip route get`, not an attribute of a route)",
                v,
            ));
        }
    }
    if let Some(v) = spec.value("newdst") {
        return Err(spec.error("newdst", "absent (MPLS is not supported)", v));
    }
    if let Some(t) = spec.u16("encapType")? {
        if t != 0 {
            return Err(invalid(format!(
                "{op}: encapType {t}: lightweight tunnel encapsulation cannot be encoded (the listed route carries only its type, not its data)"
            )));
        }
    }
    let pref = spec.u8("pref")?;
    let expires = spec.u32("expires")?;
    if family == 2 {
        for (field, given) in [("pref", pref.is_some()), ("expires", expires.is_some())] {
            if given {
                return Err(invalid(format!(
                    "{op}: {field} is for IPv6 routes only (family 10), this route is IPv4"
                )));
            }
        }
    }
    if let Some(p) = pref {
        if ![0, 1, 3].contains(&p) {
            return Err(invalid(format!(
                "{op}: pref must be 0 (medium), 1 (high) or 3 (low), got {p}"
            )));
        }
    }
    spec.ignore(&["cacheinfo", "unknown"]);
    spec.finish()?;

    let scope = scope.unwrap_or(if del {
        RT_SCOPE_NOWHERE
    } else {
        match rtype {
            _ if family == 10 => 0,
            2 | 10 => RT_SCOPE_HOST,
            3..=5 => RT_SCOPE_LINK,
            0 | 1
                if gateway.is_none() && via.is_none() && multipath.is_none() && nhid.is_none() =>
            {
                RT_SCOPE_LINK
            }
            _ => 0,
        }
    });

    // Sized for a route with a few attributes: a hundred thousand of them
    // in a batch should not each grow their buffer three times.
    let mut body = Vec::with_capacity(96);
    body.extend_from_slice(&[
        family,
        dst_len,
        src_len,
        tos,
        if table < 256 { table as u8 } else { 0 },
        protocol,
        scope,
        rtype,
    ]);
    body.extend_from_slice(&flags.to_ne_bytes());
    push_attr(&mut body, RTA_TABLE, &table.to_ne_bytes());
    if let Some(d) = dst {
        push_attr(&mut body, RTA_DST, &fields::ip_bytes(d));
    }
    if let Some(s) = src {
        push_attr(&mut body, RTA_SRC, &fields::ip_bytes(s));
    }
    if let Some(g) = gateway {
        push_attr(&mut body, RTA_GATEWAY, &fields::ip_bytes(g));
    }
    if let Some(v) = via {
        push_attr(&mut body, RTA_VIA, &rtvia(v));
    }
    for (kind, v) in [
        (RTA_OIF, oif),
        (RTA_IIF, iif),
        (RTA_PRIORITY, priority),
        (RTA_FLOW, realms),
        (RTA_NH_ID, nhid),
    ] {
        if let Some(v) = v {
            push_attr(&mut body, kind, &v.to_ne_bytes());
        }
    }
    if let Some(p) = prefsrc {
        push_attr(&mut body, RTA_PREFSRC, &fields::ip_bytes(p));
    }
    if let Some(m) = metrics {
        let nest = encode_metrics(&op, m)?;
        push_attr(&mut body, RTA_METRICS | wire::NLA_F_NESTED, &nest);
    }
    if let Some(hops) = multipath {
        if hops.is_empty() {
            return Err(invalid(format!(
                "{op}: multipath must hold at least one nexthop, got an empty array"
            )));
        }
        push_attr(
            &mut body,
            RTA_MULTIPATH,
            &encode_multipath(&op, family, hops)?,
        );
    }
    if let Some(p) = pref {
        push_attr(&mut body, RTA_PREF, &[p]);
    }
    if let (Some(e), false) = (expires, del) {
        push_attr(&mut body, RTA_EXPIRES, &e.to_ne_bytes());
    }
    let flags = if del { 0 } else { verb.new_flags() };
    let msg_type = if del { RTM_DELROUTE } else { RTM_NEWROUTE };
    // Built by hand: it is made for every route of a batch (and read only
    // for those that fail), and the formatting machinery cost a tenth of
    // the encoding.
    let mut what = String::with_capacity(48);
    what.push_str(verb.ing());
    what.push_str(" route ");
    match (dst, dst_text) {
        (Some(_), Some(text)) => {
            what.push_str(text);
            what.push('/');
            what.push_str(itoa(dst_len as u32).as_str());
        }
        _ => what.push_str(&fields::prefix(dst, dst_len)),
    }
    what.push_str(" table ");
    what.push_str(itoa(table).as_str());
    Ok(Request::new(msg_type, flags, body, what))
}

/// A decimal without the formatting machinery.
fn itoa(mut n: u32) -> ItoaBuf {
    let mut buf = ItoaBuf {
        bytes: [0; 10],
        start: 10,
    };
    loop {
        buf.start -= 1;
        buf.bytes[buf.start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return buf;
        }
    }
}

struct ItoaBuf {
    bytes: [u8; 10],
    start: usize,
}

impl ItoaBuf {
    fn as_str(&self) -> &str {
        // Only ASCII digits were written.
        std::str::from_utf8(&self.bytes[self.start..]).unwrap_or("?")
    }
}
