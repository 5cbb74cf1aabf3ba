//! Nexthop objects (`ip nexthop`): RTM_NEWNEXTHOP / RTM_DELNEXTHOP, struct
//! nhmsg + NHA_*. A route that says `nhid N` goes where nexthop N says.
//! The resilient groups' buckets (`ip nexthop bucket`, RTM_NEWNEXTHOPBUCKET)
//! are the same header with NHA_ID and NHA_RES_BUCKET, and decode here too.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::kind::{new_del, zeroed_header, Dump, Filter, GetRequest, Key, KindDecl, KindDef};
use crate::names;
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};
use crate::wire::{self, attrs, check, ip, need, u32_of, DecodeError, UnknownAttr};

pub const RTM_NEWNEXTHOP: u16 = 104;
pub const RTM_DELNEXTHOP: u16 = 105;
pub const RTM_GETNEXTHOP: u16 = 106;
pub const RTM_NEWNEXTHOPBUCKET: u16 = 116;
pub const RTM_DELNEXTHOPBUCKET: u16 = 117;
pub const RTM_GETNEXTHOPBUCKET: u16 = 118;
/// sizeof(struct nhmsg)
pub const HEADER_LEN: usize = 8;

/// Nexthop objects (`ip nexthop`).
pub const NEXTHOPS: KindDef<NexthopObject> = KindDef {
    decl: KindDecl {
        name: "nexthops",
        ops: &new_del(
            (RTM_NEWNEXTHOP, "new_nexthop"),
            (RTM_DELNEXTHOP, "del_nexthop"),
        ),
        get_type: Some(RTM_GETNEXTHOP),
        header_len: HEADER_LEN,
        groups: &["NEXTHOP"],
        dump: Dump::Bodies {
            bodies: dump_bodies,
            empty_when: None,
        },
        get: Some(get_request),
        encode: Some(encode),
        list_filters: &["family", "oif"],
        moving: &["groupStats", "hwStatsUsed"],
        scope_keys: &["family", "protocol", "oif"],
        watch_key: Key::of(&["id"], "the kernel keys a nexthop object by its id"),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps,
};

/// The buckets of resilient nexthop groups (`ip nexthop bucket`); watch()
/// re-lists a group's nexthop instead of following its buckets.
pub const NEXTHOP_BUCKETS: KindDef<NexthopObject> = KindDef {
    decl: KindDecl {
        name: "nexthopBuckets",
        ops: &new_del(
            (RTM_NEWNEXTHOPBUCKET, "new_nexthop_bucket"),
            (RTM_DELNEXTHOPBUCKET, "del_nexthop_bucket"),
        ),
        get_type: Some(RTM_GETNEXTHOPBUCKET),
        header_len: HEADER_LEN,
        groups: &["NEXTHOP"],
        dump: Dump::Bodies {
            bodies: |f| vec![zeroed_header(HEADER_LEN, f.family.unwrap_or(0))],
            empty_when: None,
        },
        get: None,
        encode: None,
        list_filters: &["family", "oif"],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(&[], "not followed by watch()"),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps,
};

/// `ip nexthop get id N`.
fn get_request(q: &mut Spec) -> Result<GetRequest, Error> {
    let id = q
        .u32("id")?
        .ok_or_else(|| q.missing("id", "the nexthop's id"))?;
    let mut body = zeroed_header(HEADER_LEN, 0);
    push_attr(&mut body, NHA_ID, &id.to_ne_bytes());
    Ok(GetRequest {
        body,
        what: format!("getting nexthop {id}"),
        flags: 0,
        none: &[libc::ENOENT],
    })
}

/// A nexthop (or bucket) `list()` keeps: its family and its link.
fn keeps(n: &NexthopObject, f: &Filter) -> bool {
    f.family_is(n.family) && f.oif.is_none_or(|o| n.oif == Some(o))
}

/// The nexthop dump, with the link the kernel filters on itself (NHA_OIF).
fn dump_bodies(f: &Filter) -> Vec<Vec<u8>> {
    let mut body = zeroed_header(HEADER_LEN, f.family.unwrap_or(0));
    if let Some(oif) = f.oif {
        push_attr(&mut body, NHA_OIF, &oif.to_ne_bytes());
    }
    vec![body]
}

pub const NHA_ID: u16 = 1;
const NHA_GROUP: u16 = 2;
const NHA_GROUP_TYPE: u16 = 3;
const NHA_BLACKHOLE: u16 = 4;
pub const NHA_OIF: u16 = 5;
const NHA_GATEWAY: u16 = 6;
const NHA_ENCAP_TYPE: u16 = 7;
const NHA_ENCAP: u16 = 8;
const NHA_GROUPS: u16 = 9;
const NHA_MASTER: u16 = 10;
const NHA_FDB: u16 = 11;
const NHA_RES_GROUP: u16 = 12;
const NHA_RES_BUCKET: u16 = 13;
/// NHA_OP_FLAGS: in a dump request, NHA_OP_FLAG_DUMP_STATS (1) asks for
/// NHA_GROUP_STATS and NHA_OP_FLAG_DUMP_HW_STATS (2) for the hardware counters.
pub const NHA_OP_FLAGS: u16 = 14;
const NHA_GROUP_STATS: u16 = 15;
const NHA_HW_STATS_ENABLE: u16 = 16;
const NHA_HW_STATS_USED: u16 = 17;

/// Pad attributes (type 0) of the nests carrying u64s: no data.
const PAD: u16 = 0;
const NHA_RES_GROUP_BUCKETS: u16 = 1;
const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;
const NHA_RES_BUCKET_INDEX: u16 = 1;
const NHA_RES_BUCKET_IDLE_TIME: u16 = 2;
const NHA_RES_BUCKET_NH_ID: u16 = 3;
const NHA_GROUP_STATS_ENTRY: u16 = 1;
const NHA_GROUP_STATS_ENTRY_ID: u16 = 1;
const NHA_GROUP_STATS_ENTRY_PACKETS: u16 = 2;
const NHA_GROUP_STATS_ENTRY_PACKETS_HW: u16 = 3;

/// RTNH_F_* as `ip` prints them.
const FLAG_NAMES: [(u32, &str); 7] = [
    (0x1, "dead"),
    (0x2, "pervasive"),
    (0x4, "onlink"),
    (0x8, "offload"),
    (0x10, "linkdown"),
    (0x20, "unresolved"),
    (0x40, "trap"),
];

/// One member of a nexthop group (struct nexthop_grp).
///
/// @example
/// ```ts
/// import { nexthops } from 'rtnl'
///
/// for (const g of (await nexthops.list()).filter((n) => n.group)) {
///   console.log(`group ${g.id}:`, g.group!.map((m) => `${m.id}x${m.weight}`).join(' '))
/// }
/// ```
/// @category Nexthops
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NexthopGroupMember {
    /// The member nexthop's id.
    pub id: u32,
    /// The weight as `ip` takes and prints it (1 to 65536): the struct's weight byte, with weight_high as the upper byte, plus one. `ip` omits it when 1.
    pub weight: u32,
}

/// NHA_RES_GROUP: the parameters of a resilient group. Times are in clock ticks (1/100 s); `ip` prints them in seconds.
///
/// @example
/// ```ts
/// import { nexthops } from 'rtnl'
///
/// const g = await nexthops.get(10)
/// if (g?.resilient) console.log(`${g.resilient.buckets} buckets, idle timer ${(g.resilient.idleTimer ?? 0) / 100} s`)
/// ```
/// @category Nexthops
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NexthopResilientGroup {
    /// NHA_RES_GROUP_BUCKETS: the number of hash buckets.
    pub buckets: Option<u16>,
    /// NHA_RES_GROUP_IDLE_TIMER: how long a bucket must be idle to be migrated, in 1/100 s.
    pub idle_timer: Option<u32>,
    /// NHA_RES_GROUP_UNBALANCED_TIMER: how long the group may stay unbalanced, in 1/100 s (0: forever).
    pub unbalanced_timer: Option<u32>,
    /// NHA_RES_GROUP_UNBALANCED_TIME: how long the group has been unbalanced, in 1/100 s.
    pub unbalanced_time: Option<u64>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// NHA_RES_BUCKET: one bucket of a resilient group (RTM_NEWNEXTHOPBUCKET).
///
/// @example
/// ```ts
/// import { nexthopBuckets } from 'rtnl'
///
/// for (const b of await nexthopBuckets.list()) console.log(`group ${b.id} bucket ${b.bucket?.index} -> nexthop ${b.bucket?.nhId}`)
/// ```
/// @category Nexthops
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NexthopResilientBucket {
    /// NHA_RES_BUCKET_INDEX: the bucket's index in the group.
    pub index: Option<u16>,
    /// NHA_RES_BUCKET_IDLE_TIME: how long the bucket has been idle, in 1/100 s.
    pub idle_time: Option<u64>,
    /// NHA_RES_BUCKET_NH_ID: the nexthop the bucket sends to.
    pub nh_id: Option<u32>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// NHA_GROUP_STATS_ENTRY: the packet counters of one group member.
///
/// @example
/// ```ts
/// import { nexthops } from 'rtnl'
///
/// for (const n of await nexthops.list()) {
///   for (const e of n.groupStats ?? []) console.log(`group ${n.id} member ${e.id}: ${e.packets} packets`)
/// }
/// ```
/// @category Nexthops
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NexthopGroupStatsEntry {
    /// NHA_GROUP_STATS_ENTRY_ID: the member nexthop's id.
    pub id: Option<u32>,
    /// NHA_GROUP_STATS_ENTRY_PACKETS: packets forwarded through this member.
    pub packets: Option<u64>,
    /// NHA_GROUP_STATS_ENTRY_PACKETS_HW: of those, the ones forwarded in hardware.
    pub packets_hw: Option<u64>,
    /// Nested attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// A nexthop object (a gateway, a blackhole, or a group of them), as
/// `nexthops.list()` returns it and a nexthop event carries it (struct nhmsg
/// and its NHA_* attributes); also each bucket of a resilient group, with
/// `bucket` set. Routes refer to one by `nhid`.
///
/// @example
/// ```ts
/// import { nexthops } from 'rtnl'
///
/// for (const n of await nexthops.list()) {
///   if (n.group) console.log(`id ${n.id} group ${n.groupTypeName}`, n.group.map((m) => m.id))
///   else console.log(`id ${n.id}`, n.blackhole ? 'blackhole' : `via ${n.gateway} dev ${n.oif}`)
/// }
/// ```
/// @category Nexthops
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NexthopObject {
    /// nh_family: 2 (AF_INET), 10 (AF_INET6), 0 for groups and blackholes.
    pub family: u8,
    /// nh_scope, an RT_SCOPE_* number.
    pub scope: u8,
    /// `scope` as `ip` names it ('global', 'link', 'host', ...) or in decimal.
    pub scope_name: names::Name,
    /// nh_protocol, an RTPROT_* number: who installed the nexthop.
    pub protocol: u8,
    /// `protocol` as `ip` names it ('unspec', 'static', 'zebra', ...) or in decimal.
    pub protocol_name: names::Name,
    /// nh_flags, RTNH_F_* bits.
    pub flags: u32,
    /// The RTNH_F_* bits of `flags` as `ip` names them ('onlink', 'dead', 'linkdown', ...).
    pub flag_names: Vec<&'static str>,
    /// NHA_ID: the nexthop's id.
    pub id: Option<u32>,
    /// NHA_GROUP: the members of a group.
    pub group: Option<Vec<NexthopGroupMember>>,
    /// NHA_GROUP_TYPE: NEXTHOP_GRP_TYPE_* (0 multipath, 1 resilient).
    pub group_type: Option<u16>,
    /// `groupType` as `ip` names it: 'mpath' or 'resilient', or in decimal.
    pub group_type_name: Option<names::Name>,
    /// NHA_BLACKHOLE: the nexthop drops packets (true when present).
    pub blackhole: Option<bool>,
    /// NHA_OIF: the output interface's index.
    pub oif: Option<u32>,
    /// NHA_GATEWAY: the gateway address.
    pub gateway: Option<String>,
    /// NHA_ENCAP_TYPE: LWTUNNEL_ENCAP_* (1 mpls, 5 seg6, ...).
    pub encap_type: Option<u16>,
    /// `encapType` as `ip` names it: 'mpls', 'ip', 'ila', 'ip6', 'seg6', 'bpf', 'seg6local', 'rpl', 'ioam6', 'xfrm', or in decimal.
    pub encap_type_name: Option<names::Name>,
    /// NHA_ENCAP: the encapsulation's attributes for `encapType`, undecoded, as hex.
    pub encap: Option<String>,
    /// NHA_GROUPS: a dump-request filter (only groups); not sent by the kernel.
    pub groups: Option<bool>,
    /// NHA_MASTER: a dump-request filter (nexthops of this VRF/master); not sent by the kernel.
    pub master: Option<u32>,
    /// NHA_FDB: a nexthop (or group) for the bridge FDB / VXLAN (true when present).
    pub fdb: Option<bool>,
    /// NHA_RES_GROUP: the parameters of a resilient group.
    pub resilient: Option<NexthopResilientGroup>,
    /// NHA_RES_BUCKET: one bucket of a resilient group (bucket messages only).
    pub bucket: Option<NexthopResilientBucket>,
    /// NHA_OP_FLAGS: NHA_OP_FLAG_* bits (requests; and NHA_OP_FLAG_RESP_GRP_RESVD_0 in replies).
    pub op_flags: Option<u32>,
    /// NHA_GROUP_STATS: per-member packet counters (a dump asked for them with NHA_OP_FLAGS).
    pub group_stats: Option<Vec<NexthopGroupStatsEntry>>,
    /// NHA_HW_STATS_ENABLE: whether hardware counters are enabled for the group (0/1).
    pub hw_stats_enable: Option<u32>,
    /// NHA_HW_STATS_USED: whether a driver actually counts in hardware (0/1).
    pub hw_stats_used: Option<u32>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

fn group_type_name(t: u16) -> names::Name {
    match t {
        0 => "mpath".into(),
        1 => "resilient".into(),
        other => other.to_string().into(),
    }
}

/// LWTUNNEL_ENCAP_* as `ip` names them.
fn encap_type_name(t: u16) -> names::Name {
    const NAMES: [&str; 11] = [
        "none",
        "mpls",
        "ip",
        "ila",
        "ip6",
        "seg6",
        "bpf",
        "seg6local",
        "rpl",
        "ioam6",
        "xfrm",
    ];
    match NAMES.get(t as usize) {
        Some(n) => (*n).into(),
        None => t.to_string().into(),
    }
}

fn decode_group(data: &[u8]) -> Result<Vec<NexthopGroupMember>, DecodeError> {
    // struct nexthop_grp { u32 id; u8 weight; u8 weight_high; u16 resvd2; }
    if !data.len().is_multiple_of(8) {
        return Err(DecodeError(format!(
            "NHA_GROUP is {} bytes, not a whole number of 8-byte nexthop_grp",
            data.len()
        )));
    }
    Ok(data
        .chunks_exact(8)
        .map(|g| NexthopGroupMember {
            id: wire::u32_at(g, 0).unwrap_or(0),
            weight: ((g[5] as u32) << 8 | g[4] as u32) + 1,
        })
        .collect())
}

/// A u64 the kernel sends as 4 or 8 bytes (nla_put_uint) or as a u64.
fn uint(data: &[u8]) -> Option<u64> {
    match data.len() {
        8 => wire::u64_at(data, 0),
        4 => u32_of(data).map(u64::from),
        _ => None,
    }
}

fn decode_res_group(data: &[u8]) -> Result<NexthopResilientGroup, DecodeError> {
    let mut g = NexthopResilientGroup::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            PAD if v.is_empty() => {}
            NHA_RES_GROUP_BUCKETS if v.len() >= 2 => g.buckets = wire::u16_at(v, 0),
            NHA_RES_GROUP_IDLE_TIMER if v.len() >= 4 => g.idle_timer = u32_of(v),
            NHA_RES_GROUP_UNBALANCED_TIMER if v.len() >= 4 => g.unbalanced_timer = u32_of(v),
            NHA_RES_GROUP_UNBALANCED_TIME if v.len() >= 8 => g.unbalanced_time = wire::u64_at(v, 0),
            _ => g.unknown.push(UnknownAttr::new(kind, v)),
        }
    }
    check(&walk, "NHA_RES_GROUP")?;
    Ok(g)
}

fn decode_res_bucket(data: &[u8]) -> Result<NexthopResilientBucket, DecodeError> {
    let mut b = NexthopResilientBucket::default();
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            PAD if v.is_empty() => {}
            NHA_RES_BUCKET_INDEX if v.len() >= 2 => b.index = wire::u16_at(v, 0),
            NHA_RES_BUCKET_IDLE_TIME if v.len() >= 8 => b.idle_time = wire::u64_at(v, 0),
            NHA_RES_BUCKET_NH_ID if v.len() >= 4 => b.nh_id = u32_of(v),
            _ => b.unknown.push(UnknownAttr::new(kind, v)),
        }
    }
    check(&walk, "NHA_RES_BUCKET")?;
    Ok(b)
}

/// The entries, and whether a nested type other than ENTRY was seen.
fn decode_group_stats(data: &[u8]) -> Result<(Vec<NexthopGroupStatsEntry>, bool), DecodeError> {
    let (mut entries, mut foreign) = (Vec::new(), false);
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        if kind != NHA_GROUP_STATS_ENTRY {
            foreign = true;
            continue;
        }
        let mut e = NexthopGroupStatsEntry::default();
        let mut inner = attrs(v);
        for (k, x) in inner.by_ref() {
            match (k, uint(x)) {
                (PAD, _) if x.is_empty() => {}
                (NHA_GROUP_STATS_ENTRY_ID, _) if x.len() == 4 => e.id = u32_of(x),
                (NHA_GROUP_STATS_ENTRY_PACKETS, Some(n)) => e.packets = Some(n),
                (NHA_GROUP_STATS_ENTRY_PACKETS_HW, Some(n)) => e.packets_hw = Some(n),
                _ => e.unknown.push(UnknownAttr::new(k, x)),
            }
        }
        check(&inner, "NHA_GROUP_STATS_ENTRY")?;
        entries.push(e);
    }
    check(&walk, "NHA_GROUP_STATS")?;
    Ok((entries, foreign))
}

/// Decodes the body of an RTM_NEWNEXTHOP/RTM_DELNEXTHOP (or
/// RTM_NEWNEXTHOPBUCKET) message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<NexthopObject, DecodeError> {
    need(payload, HEADER_LEN, "nhmsg")?;
    let mut n = NexthopObject {
        family: payload[0],
        scope: payload[1],
        protocol: payload[2],
        flags: wire::u32_at(payload, 4).unwrap_or(0),
        ..NexthopObject::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        let fixed = |len: usize| data.len() >= len;
        match kind {
            NHA_ID if fixed(4) => n.id = u32_of(data),
            NHA_GROUP => n.group = Some(decode_group(data)?),
            NHA_GROUP_TYPE if fixed(2) => n.group_type = wire::u16_at(data, 0),
            NHA_BLACKHOLE => n.blackhole = Some(true),
            NHA_OIF if fixed(4) => n.oif = u32_of(data),
            NHA_GATEWAY => n.gateway = Some(ip(data)),
            NHA_ENCAP_TYPE if fixed(2) => n.encap_type = wire::u16_at(data, 0),
            NHA_ENCAP => n.encap = Some(wire::hex(data)),
            NHA_GROUPS => n.groups = Some(true),
            NHA_MASTER if fixed(4) => n.master = u32_of(data),
            NHA_FDB => n.fdb = Some(true),
            NHA_RES_GROUP => n.resilient = Some(decode_res_group(data)?),
            NHA_RES_BUCKET => n.bucket = Some(decode_res_bucket(data)?),
            NHA_OP_FLAGS if fixed(4) => n.op_flags = u32_of(data),
            NHA_GROUP_STATS => {
                let (entries, foreign) = decode_group_stats(data)?;
                n.group_stats = Some(entries);
                // A nested type other than ENTRY: the whole attribute is kept as it came.
                if foreign {
                    n.unknown.push(UnknownAttr::new(kind, data));
                }
            }
            NHA_HW_STATS_ENABLE if fixed(4) => n.hw_stats_enable = u32_of(data),
            NHA_HW_STATS_USED if fixed(4) => n.hw_stats_used = u32_of(data),
            _ => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "nexthop attributes")?;
    n.scope_name = names::scope(n.scope);
    n.protocol_name = names::protocol(n.protocol);
    n.flag_names = wire::bit_names(n.flags, &FLAG_NAMES);
    n.group_type_name = n.group_type.map(group_type_name);
    n.encap_type_name = n.encap_type.map(encap_type_name);
    Ok(n)
}

/// RTNH_F_ONLINK: the one nh_flags bit a request may set.
const RTNH_F_ONLINK: u32 = 0x4;
/// The nh_flags bits the kernel sets (dead, offload, linkdown, unresolved,
/// trap): dropped from a listed nexthop given back.
const KERNEL_FLAGS: u32 = 0x1 | 0x8 | 0x10 | 0x20 | 0x40;

const VERBS: [Verb; 3] = [Verb::Add, Verb::Replace, Verb::Del];

/// Fields the kernel fills in (or that only a dump request carries): accepted, not sent.
const READ_ONLY: [&str; 12] = [
    "scope",
    "scopeName",
    "protocolName",
    "flagNames",
    "groupTypeName",
    "encapTypeName",
    "bucket",
    "opFlags",
    "groupStats",
    "hwStatsUsed",
    "unknown",
    "groups",
];

/// The fields of a listed nexthop that add and replace read (or refuse,
/// as `encap` and `master`): with `READ_ONLY`, every field of the struct,
/// which del accepts and does not read.
const WRITABLE: [&str; 15] = [
    "id",
    "family",
    "protocol",
    "flags",
    "group",
    "groupType",
    "blackhole",
    "oif",
    "gateway",
    "encapType",
    "encap",
    "master",
    "fdb",
    "resilient",
    "hwStatsEnable",
];

/// Encodes a nexthop change (add, replace, del) from the struct `list()`
/// returns, or part of it.
///
/// add/replace: `id` (without it the kernel picks one), `family` (when
/// absent: the gateway's, 0 for a group, else 2 as ip), `gateway`, `oif`, `blackhole`, `fdb`, `group`
/// ([{ id, weight 1..65536 }]), `groupType` (0 mpath, 1 resilient),
/// `resilient` ({ buckets, idleTimer, unbalancedTimer } in 1/100 s, as
/// listed), `hwStatsEnable` (groups), `protocol`, `flags` (RTNH_F_ONLINK;
/// the bits the kernel sets, dead/offload/linkdown/unresolved/trap, are
/// dropped). del: `id` alone is sent; the other fields of the struct are
/// accepted and not read, a key that is not one of them is refused.
/// Refused: `encap`/`encapType` (the decoder keeps no encapsulation to
/// give back), `master` (a dump filter), `pervasive` and unknown flag bits.
/// Read-only: `scope` (the kernel computes it), the `*Name` forms,
/// `bucket`, `groupStats`, `hwStatsUsed`, `opFlags`, `groups`, `unknown`.
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("nexthops", verb, &VERBS));
    }
    let op = format!("nexthops.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let id = spec.u32("id")?;
    if id == Some(0) {
        return Err(spec.error(
            "id",
            "an integer from 1 to 4294967295 (0 lets the kernel pick: leave it out)",
            &Value::from(0),
        ));
    }
    spec.ignore(&READ_ONLY);
    if verb == Verb::Del {
        let Some(id) = id else {
            return Err(spec.missing("id", "the nexthop to delete"));
        };
        spec.ignore(&WRITABLE);
        spec.finish()?;
        let mut body = vec![0u8; HEADER_LEN];
        push_attr(&mut body, NHA_ID, &id.to_ne_bytes());
        return Ok(Request::new(
            RTM_DELNEXTHOP,
            0,
            body,
            format!("deleting nexthop {id}"),
        ));
    }

    let family = match spec.value("family") {
        None => None,
        Some(v) => match v.as_u64() {
            Some(f @ (0 | 2 | 10)) => Some(f as u8),
            _ => {
                return Err(spec.error(
                    "family",
                    "0 (groups, blackholes), 2 (IPv4) or 10 (IPv6)",
                    v,
                ))
            }
        },
    };
    let gateway = spec.ip("gateway", family.filter(|f| *f != 0))?;
    if let (Some(0), Some(_)) = (family, gateway) {
        return Err(invalid(format!(
            "{op}: a gateway needs family 2 (IPv4) or 10 (IPv6), got family 0"
        )));
    }
    let oif = spec.u32("oif")?;
    let blackhole = spec.bool("blackhole")?.unwrap_or(false);
    let fdb = spec.bool("fdb")?.unwrap_or(false);
    let protocol = spec.u8("protocol")?.unwrap_or(0);
    let flags = spec.u32("flags")?.unwrap_or(0);
    let unknown_flags = flags & !(RTNH_F_ONLINK | KERNEL_FLAGS);
    if unknown_flags != 0 {
        return Err(invalid(format!(
            "{op}: flags may set only 0x4 (onlink; the kernel's own bits 0x1, 0x8, 0x10, 0x20, 0x40 are dropped), got {flags:#x}"
        )));
    }
    let group = match spec.array("group")? {
        None => None,
        Some(members) => Some(encode_group(&op, members)?),
    };
    let group_type = spec.u16("groupType")?;
    let hw_stats = spec.u32("hwStatsEnable")?;
    let resilient = match spec.object("resilient")? {
        None => None,
        Some(r) => Some(encode_resilient(&op, r)?),
    };
    for field in ["encap", "encapType"] {
        if let Some(v) = spec.value(field) {
            if !(field == "encapType" && v.as_u64() == Some(0)) {
                return Err(spec.error(
                    field,
                    "absent (nexthops with an encapsulation are not supported)",
                    v,
                ));
            }
        }
    }
    if let Some(v) = spec.value("master") {
        return Err(spec.error("master", "absent (a dump filter, not a nexthop field)", v));
    }
    spec.finish()?;
    // As ip: from the gateway; 0 for a group; else IPv4 (a blackhole or a
    // device-only nexthop needs a family, and these work for either).
    let family = family.unwrap_or(match (gateway, &group) {
        (Some(std::net::IpAddr::V6(_)), _) => 10,
        (None, Some(_)) => 0,
        _ => 2,
    });
    if group.is_none() {
        for (field, given) in [
            ("groupType", group_type.is_some()),
            ("resilient", resilient.is_some()),
            ("hwStatsEnable", hw_stats.is_some()),
        ] {
            if given {
                return Err(invalid(format!(
                    "{op}: {field} applies to groups only (give group)"
                )));
            }
        }
    }

    let mut body = vec![family, 0, protocol, 0];
    body.extend_from_slice(&(flags & RTNH_F_ONLINK).to_ne_bytes());
    if let Some(id) = id {
        push_attr(&mut body, NHA_ID, &id.to_ne_bytes());
    }
    if let Some(g) = &group {
        push_attr(&mut body, NHA_GROUP, g);
    }
    if let Some(t) = group_type {
        push_attr(&mut body, NHA_GROUP_TYPE, &t.to_ne_bytes());
    }
    if let Some(r) = &resilient {
        push_attr(&mut body, NHA_RES_GROUP | wire::NLA_F_NESTED, r);
    }
    if blackhole {
        push_attr(&mut body, NHA_BLACKHOLE, &[]);
    }
    if let Some(oif) = oif {
        push_attr(&mut body, NHA_OIF, &oif.to_ne_bytes());
    }
    if let Some(gw) = gateway {
        match gw {
            std::net::IpAddr::V4(a) => push_attr(&mut body, NHA_GATEWAY, &a.octets()),
            std::net::IpAddr::V6(a) => push_attr(&mut body, NHA_GATEWAY, &a.octets()),
        }
    }
    if fdb {
        push_attr(&mut body, NHA_FDB, &[]);
    }
    if let Some(h) = hw_stats {
        push_attr(&mut body, NHA_HW_STATS_ENABLE, &h.to_ne_bytes());
    }
    let what = match id {
        Some(id) => format!("{} nexthop {id}", verb.ing()),
        None => format!("{} nexthop", verb.ing()),
    };
    Ok(Request::new(RTM_NEWNEXTHOP, verb.new_flags(), body, what))
}

/// NHA_GROUP: struct nexthop_grp per member; `weight` (1..65536, default
/// 1) goes in as weight - 1, low byte in `weight`, high byte in `weight_high`.
fn encode_group(op: &str, members: &[Value]) -> Result<Vec<u8>, Error> {
    if members.is_empty() {
        return Err(invalid(format!(
            "{op}: group must have at least one member"
        )));
    }
    let mut out = Vec::with_capacity(members.len() * 8);
    for (i, m) in members.iter().enumerate() {
        let label = format!("{op}: group[{i}]");
        let Some(m) = m.as_object() else {
            return Err(invalid(format!(
                "{label} must be an object {{ id, weight }}"
            )));
        };
        let mut spec = Spec::new(m, label);
        let id = spec.int("id", 1, u32::MAX as i64)?;
        let weight = spec.int("weight", 1, 65536)?.unwrap_or(1) as u32;
        let Some(id) = id else {
            return Err(spec.missing("id", "the member nexthop's id"));
        };
        spec.finish()?;
        let w = weight - 1;
        out.extend_from_slice(&(id as u32).to_ne_bytes());
        out.push((w & 0xff) as u8);
        out.push((w >> 8) as u8);
        out.extend_from_slice(&[0, 0]);
    }
    Ok(out)
}

/// NHA_RES_GROUP's nested attributes; the timers in clock ticks (1/100 s)
/// as the decoder gives them. `unbalancedTime` is the kernel's, not sent.
fn encode_resilient(op: &str, r: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut spec = Spec::new(r, format!("{op}: resilient"));
    let buckets = spec.int("buckets", 1, u16::MAX as i64)?;
    let idle = spec.u32("idleTimer")?;
    let unbalanced = spec.u32("unbalancedTimer")?;
    spec.ignore(&["unbalancedTime", "unknown"]);
    spec.finish()?;
    let mut out = Vec::new();
    if let Some(b) = buckets {
        push_attr(&mut out, NHA_RES_GROUP_BUCKETS, &(b as u16).to_ne_bytes());
    }
    if let Some(t) = idle {
        push_attr(&mut out, NHA_RES_GROUP_IDLE_TIMER, &t.to_ne_bytes());
    }
    if let Some(t) = unbalanced {
        push_attr(&mut out, NHA_RES_GROUP_UNBALANCED_TIMER, &t.to_ne_bytes());
    }
    Ok(out)
}
