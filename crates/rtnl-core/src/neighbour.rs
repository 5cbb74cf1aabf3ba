//! Neighbours (`ip neigh`, and `bridge fdb` for family AF_BRIDGE):
//! RTM_NEWNEIGH / RTM_DELNEIGH, struct ndmsg + NDA_*.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::fields;
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};

use crate::kind::{new_del, zeroed_header, Dump, Filter, Key, KindDecl, KindDef};
use crate::wire::{self, attrs, check, ip, mac, need, u32_of, DecodeError, UnknownAttr};

pub const RTM_NEWNEIGH: u16 = 28;
pub const RTM_DELNEIGH: u16 = 29;
pub const RTM_GETNEIGH: u16 = 30;
/// sizeof(struct ndmsg)
pub const HEADER_LEN: usize = 12;

/// Neighbours and bridge fdb entries (`ip neigh`, `bridge fdb`).
pub const NEIGHBOURS: KindDef<Neighbour> = KindDef {
    decl: KindDecl {
        name: "neighbours",
        ops: &new_del((RTM_NEWNEIGH, "new_neigh"), (RTM_DELNEIGH, "del_neigh")),
        get_type: Some(RTM_GETNEIGH),
        header_len: HEADER_LEN,
        groups: &["NEIGH"],
        dump: Dump::Bodies { bodies: dump_bodies, empty_when: None },
        get: None,
        encode: Some(encode),
        list_filters: &["family", "ifindex"],
        moving: &["cacheinfo", "probes"],
        scope_keys: &["family", "ifindex", "master"],
        watch_key: Key {
            parts: &["family", "ifindex", "dst"],
            when: Some(("family", 7, &["lladdr", "vlan", "master", "flagNames:self"])),
            why: "an IP neighbour is its address on a link; a bridge fdb entry (family 7) is its MAC and VLAN on a port, the bridge's entry apart from the port's own (self)",
        },
        desired_key: Some(Key {
            parts: &["family", "ifindex", "dst"],
            when: Some(("family", 7, &["lladdr", "vlan"])),
            why: "a desired fdb entry names no master or self flag: the entry of that MAC and VLAN on the port is the one",
        }),
    },
    decode: |p, _, each| { each(decode(p)?); Ok(()) },
    keeps: |n, f| f.family_is(n.family) && f.ifindex_is(n.ifindex as i64),
};

/// The neighbour dumps: without a family, the neighbour tables (AF_UNSPEC)
/// and the bridge forwarding database (AF_BRIDGE), since both arrive as
/// RTM_NEWNEIGH on one group; the link as NDA_IFINDEX, which the kernel
/// filters on (the fdb dump refuses it: filtered here).
fn dump_bodies(f: &Filter) -> Vec<Vec<u8>> {
    let families = match f.family {
        Some(family) => vec![family],
        None => vec![0, wire::AF_BRIDGE],
    };
    families
        .into_iter()
        .map(|family| {
            let mut body = zeroed_header(HEADER_LEN, family);
            if let (Some(ifindex), false) = (f.ifindex, family == wire::AF_BRIDGE) {
                push_attr(&mut body, NDA_IFINDEX, &ifindex.to_ne_bytes());
            }
            body
        })
        .collect()
}

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

crate::ts::name_union!(
    /// The NUD_* bits of a neighbour's state by the names `ip neigh` prints.
    ///
    /// @example
    /// ```ts
    /// import { neighbours, type NeighbourState } from 'rtnl'
    ///
    /// const bad: NeighbourState[] = ['failed', 'incomplete']
    /// const unreachable = (await neighbours.list()).filter((n) => n.stateNames.some((s) => bad.includes(s)))
    /// ```
    /// @category Neighbours
    NeighbourState,
    STATE_NAMES
);

crate::ts::name_union!(
    /// The NTF_* bits of a neighbour's flags by the names `ip neigh` / `bridge fdb` print.
    ///
    /// @example
    /// ```ts
    /// import { neighbours, type NeighbourFlag } from 'rtnl'
    ///
    /// const learnedElsewhere: NeighbourFlag = 'extern_learn'
    /// const fdb = (await neighbours.list({ family: 'bridge' })).filter((n) => n.flagNames.includes(learnedElsewhere))
    /// ```
    /// @category Neighbours
    NeighbourFlag,
    FLAG_NAMES
);

/// Ages in clock ticks (1/100 s) as of when the kernel built the message: two
/// messages about the same neighbour differ here and nowhere else
/// (NDA_CACHEINFO, struct nda_cacheinfo). {@link diff} and {@link watch}
/// ignore it.
///
/// @example
/// ```ts
/// import { neighbours } from 'rtnl'
///
/// for (const n of await neighbours.list({ family: 4 })) {
///   if (n.cacheinfo) console.log(n.dst, `confirmed ${n.cacheinfo.confirmed / 100} s ago`)
/// }
/// ```
/// @category Neighbours
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NeighbourCacheInfo {
    /// ndm_confirmed: ticks since the entry was last confirmed reachable.
    pub confirmed: u32,
    /// ndm_used: ticks since the entry was last used.
    pub used: u32,
    /// ndm_updated: ticks since the entry last changed.
    pub updated: u32,
    /// ndm_refcnt: references held on the entry.
    pub refcnt: u32,
}

/// A neighbour (an ARP or NDP entry), or a bridge fdb entry (family 7), as
/// `neighbours.list()` returns it and a neighbour event carries it (struct
/// ndmsg and its NDA_* attributes).
///
/// @example
/// ```ts
/// import { neighbours } from 'rtnl'
///
/// for (const n of await neighbours.list({ family: 4 })) console.log(n.dst, n.lladdr ?? '-', n.stateNames.join(','))
/// for (const f of await neighbours.list({ family: 'bridge' })) console.log(f.lladdr, 'vlan', f.vlan ?? '-', 'master', f.master)
/// ```
/// @category Neighbours
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Neighbour {
    /// 2 (AF_INET), 10 (AF_INET6), 7 (AF_BRIDGE: fdb entry).
    pub family: u8,
    /// ndm_ifindex: the link the entry is on (for fdb entries, the bridge port).
    pub ifindex: i32,
    /// ndm_state, NUD_* bits.
    pub state: u16,
    /// The NUD_* bits of `state` by name: 'reachable', 'stale', 'permanent', ...
    #[ts(as = "Vec<NeighbourState>")]
    pub state_names: Vec<&'static str>,
    /// ndm_flags, NTF_* bits.
    pub flags: u8,
    /// The NTF_* bits of `flags` by name: 'self', 'master', 'extern_learn', 'router', ...
    #[ts(as = "Vec<NeighbourFlag>")]
    pub flag_names: Vec<&'static str>,
    /// ndm_type (an RTN_* value, 1 = unicast).
    #[serde(rename = "type")]
    pub neigh_type: u8,
    /// NDA_DST: the neighbour's IP address (for a VXLAN fdb entry, the remote VTEP).
    pub dst: Option<String>,
    /// Link-layer address, lower-case colon hex.
    pub lladdr: Option<String>,
    /// NDA_CACHEINFO: ages of the entry.
    pub cacheinfo: Option<NeighbourCacheInfo>,
    /// NDA_PROBES: probes sent without an answer.
    pub probes: Option<u32>,
    /// NDA_VLAN: the VLAN of a bridge fdb entry.
    pub vlan: Option<u16>,
    /// NDA_PORT: the remote UDP port of a VXLAN fdb entry.
    pub port: Option<u16>,
    /// NDA_VNI: the VNI of a VXLAN fdb entry.
    pub vni: Option<u32>,
    /// NDA_IFINDEX: the outgoing link of a VXLAN fdb entry's remote.
    pub link_ifindex: Option<u32>,
    /// Bridge fdb: the bridge's ifindex.
    pub master: Option<u32>,
    /// NDA_LINK_NETNSID: the namespace (by id) of the VXLAN device's link.
    pub link_netnsid: Option<i32>,
    /// NDA_PROTOCOL: who installed the entry (RTPROT_*).
    pub protocol: Option<u8>,
    /// NDA_NH_ID: the nexthop (group) of an fdb entry (see {@link nexthops}).
    pub nhid: Option<u32>,
    /// NDA_FLAGS_EXT: NTF_EXT_* bits (managed, locked, ...).
    pub flags_ext: Option<u32>,
    /// Attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
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

const VERBS: [Verb; 4] = [Verb::Add, Verb::Replace, Verb::Append, Verb::Del];

/// AF_BRIDGE: a forwarding database entry (`bridge fdb`).
const AF_BRIDGE: u8 = 7;
const NUD_NOARP: u32 = 0x40;
const NUD_PERMANENT: u32 = 0x80;
const NTF_SELF: u32 = 0x02;
const NTF_MASTER: u32 = 0x04;
const NTF_PROXY: u32 = 0x08;

/// STATE_NAMES and FLAG_NAMES as bits_or_names reads them (u32 bits),
/// derived so the names are written once.
const STATE_INPUT: [(u32, &str); 8] = widen_state(STATE_NAMES);
const FLAG_INPUT: [(u32, &str); 8] = widen_flags(FLAG_NAMES);

const fn widen_state(t: [(u16, &'static str); 8]) -> [(u32, &'static str); 8] {
    let mut out = [(0u32, ""); 8];
    let mut i = 0;
    while i < 8 {
        out[i] = (t[i].0 as u32, t[i].1);
        i += 1;
    }
    out
}

const fn widen_flags(t: [(u8, &'static str); 8]) -> [(u32, &'static str); 8] {
    let mut out = [(0u32, ""); 8];
    let mut i = 0;
    while i < 8 {
        out[i] = (t[i].0 as u32, t[i].1);
        i += 1;
    }
    out
}

/// Encodes a neighbour change (add, replace, del; append for bridge fdb
/// entries) from the struct `list()` returns, or part of it.
///
/// `ifindex` is required. Family 2 and 10 (`ip neigh`) need `dst` (the
/// family follows from it); `lladdr` is the link-layer address. Family 7
/// (`bridge fdb`) needs `lladdr`; `dst` is then a VXLAN remote (either
/// family), with `port`, `vni`, `linkIfindex` (NDA_IFINDEX: the remote's
/// outgoing link, `via`) and `nhid`; `vlan` is the entry's VLAN. Append
/// adds a remote beside others of the same entry (a VXLAN default entry
/// with several remotes); it is for family 7 only.
///
/// `state` (or `stateNames`) defaults on add and replace to permanent for
/// IP neighbours (as `ip neigh add`), and for fdb entries to noarp
/// ('static', as `bridge fdb add`), or permanent when only 'self' is
/// flagged (a device's own database refuses anything else: vxlan takes
/// permanent or reachable, others permanent). `flags` (or `flagNames`) go as given:
/// 'proxy' makes a proxy entry, 'router' an IPv6 router; for fdb entries
/// 'master' is the bridge's database and 'self' the device's own (neither:
/// the kernel takes the bridge's when the link is a bridge port).
/// `flagsExt` (NDA_FLAGS_EXT, 1 = managed) and `protocol` are sent on add
/// and replace.
///
/// Given back: a listed entry deletes itself (the kernel matches del on the
/// link, address, and for fdb the vlan and the remote). Two kernel limits:
/// the 'self' entries `list()` shows on a bridge device itself are its
/// multicast address list, which the bridge's fdb calls do not reach
/// (del: ENOENT; add makes a bridge entry instead); and vxlan refuses
/// replace (EOPNOTSUPP) for its all-zero default entry, which takes add
/// and append. Read-only: `type`, `cacheinfo`, `probes`, `master` (the
/// bridge of an fdb entry), `linkNetnsid`, `unknown`, and the names
/// beside their numbers.
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("neighbours", verb, &VERBS));
    }
    let del = verb == Verb::Del;
    let op = format!("neighbours.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let family = fields::family(
        &mut spec,
        obj,
        &[(2, "IPv4"), (10, "IPv6"), (AF_BRIDGE, "bridge fdb")],
        &["dst"],
    )?
    .ok_or_else(|| {
        spec.missing(
            "family",
            "2 for IPv4 or 10 for IPv6 (or a dst to tell it), 7 for a bridge fdb entry",
        )
    })?;
    let fdb = family == AF_BRIDGE;
    if verb == Verb::Append && !fdb {
        return Err(invalid(format!(
            "{op}: append is for bridge fdb entries (family 7), to add a remote beside others; this neighbour is family {family}"
        )));
    }
    let ifindex = spec
        .int("ifindex", 1, i32::MAX as i64)?
        .ok_or_else(|| spec.missing("ifindex", "the ifindex of the link the neighbour is on"))?
        as u32;
    let dst = spec.ip("dst", if fdb { None } else { Some(family) })?;
    let lladdr = spec.mac("lladdr")?;
    if !fdb && dst.is_none() {
        return Err(spec.missing("dst", "the neighbour's IP address"));
    }
    if fdb && lladdr.is_none() {
        return Err(spec.missing("lladdr", "the MAC address of the fdb entry"));
    }
    let state = fields::bits_or_names(&mut spec, "state", "stateNames", 0xffff, &STATE_INPUT)?;
    let flags =
        fields::bits_or_names(&mut spec, "flags", "flagNames", 0xff, &FLAG_INPUT)?.unwrap_or(0);
    let protocol = spec.u8("protocol")?;
    let flags_ext = spec.u32("flagsExt")?;
    let vlan = spec.int("vlan", 1, 4094)?.map(|v| v as u16);
    let port = spec.u16("port")?;
    let vni = spec.int("vni", 0, 0xff_ffff)?.map(|v| v as u32);
    let link_ifindex = spec.u32("linkIfindex")?;
    let nhid = spec.u32("nhid")?;
    if !fdb {
        for (field, given) in [
            ("vlan", vlan.is_some()),
            ("port", port.is_some()),
            ("vni", vni.is_some()),
            ("linkIfindex", link_ifindex.is_some()),
            ("nhid", nhid.is_some()),
        ] {
            if given {
                return Err(invalid(format!(
                    "{op}: {field} is for bridge fdb entries only (family 7), this neighbour is family {family}"
                )));
            }
        }
    }
    spec.ignore(&[
        "type",
        "cacheinfo",
        "probes",
        "master",
        "linkNetnsid",
        "unknown",
    ]);
    spec.finish()?;

    let state = match state {
        Some(s) => s,
        None if del => 0,
        // A device's own database (veth, vxlan) takes permanent entries
        // (vxlan also reachable ones); the bridge's, static ones.
        None if fdb && flags & (NTF_SELF | NTF_MASTER) == NTF_SELF => NUD_PERMANENT,
        None if fdb => NUD_NOARP,
        None => NUD_PERMANENT,
    };
    let mut body = vec![family, 0, 0, 0];
    body.extend_from_slice(&ifindex.to_ne_bytes());
    body.extend_from_slice(&(state as u16).to_ne_bytes());
    body.push(flags as u8);
    body.push(0);
    if let Some(d) = dst {
        push_attr(&mut body, NDA_DST, &fields::ip_bytes(d));
    }
    if let Some(l) = &lladdr {
        push_attr(&mut body, NDA_LLADDR, l);
    }
    if let Some(v) = vlan {
        push_attr(&mut body, NDA_VLAN, &v.to_ne_bytes());
    }
    if let Some(p) = port {
        push_attr(&mut body, NDA_PORT, &p.to_be_bytes());
    }
    for (kind, v) in [
        (NDA_VNI, vni),
        (NDA_IFINDEX, link_ifindex),
        (NDA_NH_ID, nhid),
    ] {
        if let Some(v) = v {
            push_attr(&mut body, kind, &v.to_ne_bytes());
        }
    }
    if !del {
        if let Some(p) = protocol {
            push_attr(&mut body, NDA_PROTOCOL, &[p]);
        }
        if let Some(f) = flags_ext {
            push_attr(&mut body, NDA_FLAGS_EXT, &f.to_ne_bytes());
        }
    }

    let mac = |l: &Vec<u8>| {
        l.iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    };
    let mut what = match (fdb, dst) {
        (true, _) => format!(
            "{} fdb entry {}",
            verb.ing(),
            lladdr.as_ref().map(mac).unwrap_or_default()
        ),
        (false, Some(d)) if flags & NTF_PROXY != 0 => format!("{} proxy neighbour {d}", verb.ing()),
        (false, d) => format!(
            "{} neighbour {}",
            verb.ing(),
            d.map(|d| d.to_string()).unwrap_or_default()
        ),
    };
    what += &format!(" on ifindex {ifindex}");
    if let Some(v) = vlan {
        what += &format!(" vlan {v}");
    }
    if let (true, Some(d)) = (fdb, dst) {
        what += &format!(" dst {d}");
    }
    Ok(Request::new(
        if del { RTM_DELNEIGH } else { RTM_NEWNEIGH },
        if del { 0 } else { verb.new_flags() },
        body,
        what,
    ))
}
