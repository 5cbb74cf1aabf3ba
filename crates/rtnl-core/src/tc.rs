//! Traffic control objects (`tc qdisc/class/filter/chain`): RTM_NEWQDISC,
//! RTM_NEWTCLASS, RTM_NEWTFILTER, RTM_NEWCHAIN and their DEL types, all a
//! struct tcmsg + TCA_*. One struct serves the four kinds: which one a
//! message is comes from its type, so `decode_as` (object + payload) or
//! `decode_typed` (message type + payload) is the decoder to call; `decode`
//! (payload only) fills everything that does not depend on the type and
//! leaves `object`, `handleName`, `refcnt`, `leaf`, `prio` and `protocol` unset.
//!
//! TCA_OPTIONS and the kind-specific statistics (TCA_XSTATS,
//! TCA_STATS2/TCA_STATS_APP) are decoded per TCA_KIND: htb, u32, bpf,
//! matchall, prio/pfifo_fast, pfifo/bfifo/pfifo_head_drop, tbf and fq_codel.
//! Any other kind keeps its options as unknown attributes (or, when they are
//! not an attribute list, as raw hex), never dropped.
//!
//! RTM_NEWACTION (48/49, `tc actions`) is a struct tcamsg + TCA_ROOT_* and is
//! not decoded here.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::kind::{new_del, zeroed_header, Dump, Filter, GetRequest, Key, KindDecl, KindDef};
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};
use crate::wire::{self, attrs, check, need, DecodeError, KernelName, UnknownAttr};

pub const RTM_NEWQDISC: u16 = 36;
pub const RTM_DELQDISC: u16 = 37;
pub const RTM_GETQDISC: u16 = 38;
pub const RTM_NEWTCLASS: u16 = 40;
pub const RTM_DELTCLASS: u16 = 41;
pub const RTM_GETTCLASS: u16 = 42;
pub const RTM_NEWTFILTER: u16 = 44;
pub const RTM_DELTFILTER: u16 = 45;
pub const RTM_GETTFILTER: u16 = 46;
pub const RTM_NEWACTION: u16 = 48;
pub const RTM_DELACTION: u16 = 49;
pub const RTM_GETACTION: u16 = 50;
pub const RTM_NEWCHAIN: u16 = 100;
pub const RTM_DELCHAIN: u16 = 101;
pub const RTM_GETCHAIN: u16 = 102;
/// sizeof(struct tcmsg)
pub const HEADER_LEN: usize = 20;

/// qdiscs (`tc qdisc`).
pub const QDISCS: KindDef<Tc> = KindDef {
    decl: KindDecl {
        name: "qdiscs",
        ops: &new_del((RTM_NEWQDISC, "new_qdisc"), (RTM_DELQDISC, "del_qdisc")),
        get_type: Some(RTM_GETQDISC),
        header_len: HEADER_LEN,
        groups: &["TC"],
        dump: Dump::Bodies { bodies: |f| vec![tcmsg_for_link(f)], empty_when: None },
        get: Some(get_qdisc),
        encode: Some(encode_qdisc),
        list_filters: &["ifindex"],
        moving: &["stats", "stats2", "xstats", "rate", "refcnt", "info"],
        scope_keys: &["ifindex", "parent", "kind"],
        watch_key: Key::of(&["ifindex", "parent", "handle"], "a link holds one qdisc per parent, named by its handle"),
        desired_key: Some(Key::of(
            &["ifindex", "parent", "kind"],
            "a desired qdisc may leave its handle to the kernel; the kernel changes a qdisc in place only as what it is, so another kind at that parent is another qdisc",
        )),
    },
    decode: |p, _, each| { each(decode_as(TcObject::Qdisc, p)?); Ok(()) },
    keeps: |t, f| f.ifindex_is(t.ifindex as i64),
};

/// tc classes (`tc class`).
pub const TC_CLASSES: KindDef<Tc> = KindDef {
    decl: KindDecl {
        name: "tcClasses",
        ops: &new_del((RTM_NEWTCLASS, "new_class"), (RTM_DELTCLASS, "del_class")),
        get_type: Some(RTM_GETTCLASS),
        header_len: HEADER_LEN,
        groups: &["TC"],
        dump: Dump::PerTcParent,
        get: Some(get_class),
        encode: Some(encode_class),
        list_filters: &["ifindex"],
        moving: &["stats", "stats2", "xstats", "rate", "refcnt", "info"],
        scope_keys: &["ifindex", "parent", "kind"],
        watch_key: Key::of(&["ifindex", "handle"], "a class is its id (handle) on its link"),
        desired_key: Some(Key::of(
            &["ifindex", "handle", "parent", "kind"],
            "a class cannot move to another parent or change kind: a desired class with another is another class",
        )),
    },
    decode: |p, _, each| { each(decode_as(TcObject::Class, p)?); Ok(()) },
    keeps: |t, f| f.ifindex_is(t.ifindex as i64),
};

/// tc filters (`tc filter`).
pub const TC_FILTERS: KindDef<Tc> = KindDef {
    decl: KindDecl {
        name: "tcFilters",
        ops: &new_del((RTM_NEWTFILTER, "new_filter"), (RTM_DELTFILTER, "del_filter")),
        get_type: Some(RTM_GETTFILTER),
        header_len: HEADER_LEN,
        groups: &["TC"],
        dump: Dump::PerTcParent,
        get: Some(get_filter),
        encode: Some(encode_filter),
        list_filters: &["ifindex"],
        moving: &["stats", "stats2", "xstats", "rate", "refcnt", "info"],
        scope_keys: &[],
        watch_key: Key::of(
            &["ifindex", "parent", "chain=0", "prio", "protocol", "kind", "handle"],
            "the kernel keeps filters apart by link, parent, chain, priority, protocol, kind and handle",
        ),
        desired_key: None,
    },
    decode: |p, _, each| { each(decode_as(TcObject::Filter, p)?); Ok(()) },
    keeps: |t, f| f.ifindex_is(t.ifindex as i64),
};

/// tc chains (`tc chain`).
pub const TC_CHAINS: KindDef<Tc> = KindDef {
    decl: KindDecl {
        name: "tcChains",
        ops: &new_del((RTM_NEWCHAIN, "new_chain"), (RTM_DELCHAIN, "del_chain")),
        get_type: Some(RTM_GETCHAIN),
        header_len: HEADER_LEN,
        groups: &["TC"],
        dump: Dump::PerTcParent,
        get: Some(get_chain),
        encode: Some(encode_chain),
        list_filters: &["ifindex"],
        moving: &["stats", "stats2", "xstats", "rate", "refcnt", "info"],
        scope_keys: &[],
        watch_key: Key::of(
            &["ifindex", "parent", "chain=0"],
            "a chain is its number under a parent on a link",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode_as(TcObject::Chain, p)?);
        Ok(())
    },
    keeps: |t, f| f.ifindex_is(t.ifindex as i64),
};

/// A tcmsg for a dump of one link's objects (all links without a filter).
pub fn tcmsg_for_link(f: &Filter) -> Vec<u8> {
    let mut body = zeroed_header(HEADER_LEN, 0);
    if let Some(ifindex) = f.ifindex {
        body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    }
    body
}

/// A tcmsg for a get: the object's link, handle, parent and tcm_info.
fn tcmsg(q: &mut Spec, handle: u32, parent: u32, info: u32) -> Result<(Vec<u8>, i32), Error> {
    let ifindex = q
        .i32("ifindex")?
        .ok_or_else(|| q.missing("ifindex", "the link's ifindex"))?;
    let mut body = zeroed_header(HEADER_LEN, 0);
    body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    body[8..12].copy_from_slice(&handle.to_ne_bytes());
    body[12..16].copy_from_slice(&parent.to_ne_bytes());
    body[16..20].copy_from_slice(&info.to_ne_bytes());
    Ok((body, ifindex))
}

/// NLM_F_ECHO: the kernel answers a qdisc, class or chain get as a
/// notification, to the TC group, and to the asker only with this flag (as
/// `tc ... get` asks); monitors of the group see it as a new_* event too.
const NLM_F_ECHO: u16 = 0x8;
/// A link that does not exist, or no such qdisc, class or chain.
const TC_NONE: &[i32] = &[libc::ENOENT, libc::ENODEV, libc::EINVAL];

/// `tc qdisc show dev X handle H` (the root qdisc: handle 0, parent root).
fn get_qdisc(q: &mut Spec) -> Result<GetRequest, Error> {
    let handle = q.u32("handle")?.unwrap_or(0);
    let parent = q.u32("parent")?.unwrap_or(0);
    let (body, ifindex) = tcmsg(q, handle, parent, 0)?;
    Ok(GetRequest {
        body,
        what: format!("getting qdisc {:x}: of link {ifindex}", handle >> 16),
        flags: NLM_F_ECHO,
        none: TC_NONE,
    })
}

/// `tc class get dev X classid C`.
fn get_class(q: &mut Spec) -> Result<GetRequest, Error> {
    let handle = q.u32("handle")?.unwrap_or(0);
    let (body, ifindex) = tcmsg(q, handle, 0, 0)?;
    Ok(GetRequest {
        body,
        what: format!(
            "getting class {:x}:{:x} of link {ifindex}",
            handle >> 16,
            handle & 0xffff
        ),
        flags: NLM_F_ECHO,
        none: TC_NONE,
    })
}

/// `tc filter get dev X parent P prio N protocol T handle H KIND`: the
/// kernel answers a handle it does not hold with EINVAL and an ext-ack,
/// which stays an error.
fn get_filter(q: &mut Spec) -> Result<GetRequest, Error> {
    let handle = q.u32("handle")?.unwrap_or(0);
    let parent = q.u32("parent")?.unwrap_or(0);
    let info = q.u32("info")?.unwrap_or(0);
    let kind = q.str("kind")?.unwrap_or_default().to_string();
    let chain = q.u32("chain")?;
    let (mut body, ifindex) = tcmsg(q, handle, parent, info)?;
    push_attr(&mut body, TCA_KIND, &crate::fields::cstr(&kind));
    if let Some(c) = chain {
        push_attr(&mut body, TCA_CHAIN, &c.to_ne_bytes());
    }
    Ok(GetRequest {
        body,
        what: format!("getting {kind} filter {handle:#x} of link {ifindex}"),
        flags: 0,
        none: &[libc::ENOENT],
    })
}

/// `tc chain get dev X parent P chain N`.
fn get_chain(q: &mut Spec) -> Result<GetRequest, Error> {
    let parent = q.u32("parent")?.unwrap_or(0);
    let chain = q.u32("chain")?.unwrap_or(0);
    let (mut body, ifindex) = tcmsg(q, 0, parent, 0)?;
    push_attr(&mut body, TCA_CHAIN, &chain.to_ne_bytes());
    Ok(GetRequest {
        body,
        what: format!("getting chain {chain} of link {ifindex}"),
        flags: NLM_F_ECHO,
        none: TC_NONE,
    })
}

/// TC_H_ROOT: the parent of a root qdisc.
pub const TC_H_ROOT: u32 = 0xffff_ffff;
/// TC_H_INGRESS (== TC_H_CLSACT): the parent of an ingress/clsact qdisc.
pub const TC_H_INGRESS: u32 = 0xffff_fff1;
/// TC_H_MIN_INGRESS / TC_H_MIN_EGRESS with the clsact major: the parents of
/// clsact's ingress and egress filters (`tc filter ... ingress|egress`).
pub const TC_H_CLSACT_INGRESS: u32 = 0xffff_fff2;
pub const TC_H_CLSACT_EGRESS: u32 = 0xffff_fff3;

const TCA_KIND: u16 = 1;
const TCA_OPTIONS: u16 = 2;
const TCA_STATS: u16 = 3;
const TCA_XSTATS: u16 = 4;
const TCA_RATE: u16 = 5;
const TCA_FCNT: u16 = 6;
const TCA_STATS2: u16 = 7;
const TCA_STAB: u16 = 8;
const TCA_PAD: u16 = 9;
const TCA_DUMP_INVISIBLE: u16 = 10;
const TCA_CHAIN: u16 = 11;
const TCA_HW_OFFLOAD: u16 = 12;
const TCA_INGRESS_BLOCK: u16 = 13;
const TCA_EGRESS_BLOCK: u16 = 14;
const TCA_DUMP_FLAGS: u16 = 15;
const TCA_EXT_WARN_MSG: u16 = 16;

const TCA_STATS_BASIC: u16 = 1;
const TCA_STATS_RATE_EST: u16 = 2;
const TCA_STATS_QUEUE: u16 = 3;
const TCA_STATS_APP: u16 = 4;
const TCA_STATS_RATE_EST64: u16 = 5;
const TCA_STATS_PAD: u16 = 6;
const TCA_STATS_BASIC_HW: u16 = 7;
const TCA_STATS_PKT64: u16 = 8;

/// Which of the four tc objects a message describes (from its nlmsg_type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum TcObject {
    Qdisc,
    Class,
    Filter,
    Chain,
}

impl TcObject {
    /// The name `list()` has for this object's kind ("qdiscs", "tcClasses", ...).
    pub fn list_name(self) -> &'static str {
        match self {
            TcObject::Qdisc => "qdiscs",
            TcObject::Class => "tcClasses",
            TcObject::Filter => "tcFilters",
            TcObject::Chain => "tcChains",
        }
    }

    /// The object a message type carries (NEW, DEL and GET of each).
    pub fn of_type(msg_type: u16) -> Option<TcObject> {
        match msg_type {
            36..=39 => Some(TcObject::Qdisc),
            40..=43 => Some(TcObject::Class),
            44..=47 => Some(TcObject::Filter),
            100..=103 => Some(TcObject::Chain),
            _ => None,
        }
    }
}

/// What every tc object carries (struct tcmsg + TCA_*).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, tcClasses, tcFilters, type TcObject } from 'rtnl'
///
/// const tree: TcObject[] = [...(await qdiscs.list({ ifindex: 2 })), ...(await tcClasses.list({ ifindex: 2 })), ...(await tcFilters.list({ ifindex: 2 }))]
/// for (const o of tree) console.log(o.object, o.kind, o.handleName ?? '', 'parent', o.parentName)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(rename = "TcObject", optional_fields)]
pub struct Tc {
    /// Which object this is ('qdisc', 'class', 'filter', 'chain'), from the message type (always set on what list() and events give).
    #[ts(inline)]
    pub object: Option<TcObject>,
    /// tcm_family (AF_UNSPEC in practice).
    pub family: u8,
    /// tcm_ifindex: the link (TCM_IFINDEX_MAGIC_BLOCK, 0xffffffff, for a shared block).
    pub ifindex: i32,
    /// tcm_handle: qdisc handle (major:0), class id, or filter handle.
    pub handle: u32,
    /// `handle` as tc prints it: "1:" for a qdisc, "1:10" for a class, the
    /// u32 form ("800::800", tc's `fh`) or hex ("0x1") for a filter; absent
    /// for a chain and for a filter's handle 0 (the message announcing a
    /// priority/protocol, which tc prints without a handle).
    pub handle_name: Option<String>,
    /// tcm_parent: the parent class or qdisc (tcm_block_index for a shared block).
    pub parent: u32,
    /// `parent` as tc prints it: "root" (TC_H_ROOT), "none" (0), "1:",
    /// "1:10", "ffff:fff1" (ingress/clsact), "ffff:fff2"/"ffff:fff3" (clsact ingress/egress).
    pub parent_name: String,
    /// tcm_info: qdisc refcount; class leaf qdisc handle; filter priority (high 16 bits) and protocol (low 16, network byte order).
    pub info: u32,
    /// Qdiscs: the reference count (tcm_info); tc prints it when not 1.
    pub refcnt: Option<u32>,
    /// Classes: the leaf qdisc handle (tcm_info), when it has one.
    pub leaf: Option<u32>,
    /// Classes: `leaf` as tc prints it ("10:").
    pub leaf_name: Option<String>,
    /// Filters: the priority (tcm_info >> 16), tc's `pref`.
    pub prio: Option<u16>,
    /// Filters: the protocol (ntohs(tcm_info & 0xffff)), an ETH_P_* value.
    pub protocol: Option<u16>,
    /// Filters: `protocol` as tc names it ("ip", "ipv6", "all", "802.1Q", "arp", ... or "[N]").
    pub protocol_name: Option<String>,
    /// TCA_KIND: the qdisc, class or classifier kind ("htb", "u32", ...).
    pub kind: Option<String>,
    /// TCA_OPTIONS decoded per kind (see TcOptions).
    pub options: Option<TcOptions>,
    /// TCA_STATS: the legacy struct tc_stats, only from a kernel that sends no TCA_STATS2 (the same counters: a message with both keeps stats2 alone).
    pub stats: Option<TcStats>,
    /// TCA_STATS2: the generic statistics (gnet_stats_*).
    pub stats2: Option<TcStats2>,
    /// TCA_XSTATS: kind-specific statistics.
    pub xstats: Option<TcXstats>,
    /// TCA_RATE: struct tc_estimator (requests only in practice).
    pub rate: Option<TcEstimator>,
    /// TCA_FCNT: filter count (old kernels).
    pub fcnt: Option<u32>,
    /// TCA_STAB: the size table.
    pub stab: Option<TcStab>,
    /// TCA_DUMP_INVISIBLE (flag; requests only in practice).
    pub dump_invisible: Option<bool>,
    /// TCA_CHAIN: the filter chain index.
    pub chain: Option<u32>,
    /// TCA_HW_OFFLOAD: 1 when the qdisc is offloaded (tc prints `offloaded`).
    pub hw_offload: Option<u8>,
    /// TCA_INGRESS_BLOCK: the shared ingress block index.
    pub ingress_block: Option<u32>,
    /// TCA_EGRESS_BLOCK: the shared egress block index.
    pub egress_block: Option<u32>,
    /// TCA_DUMP_FLAGS: struct nla_bitfield32 (TCA_DUMP_FLAGS_TERSE = 1).
    pub dump_flags: Option<Bitfield32>,
    /// TCA_EXT_WARN_MSG: a warning the kernel attached (e.g. about offload).
    pub ext_warn_msg: Option<String>,
    /// Attributes not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct nla_bitfield32.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.dumpFlags) console.log('terse dump:', (q.dumpFlags.value & q.dumpFlags.selector & 1) !== 0)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct Bitfield32 {
    /// The bits.
    pub value: u32,
    /// Which bits `value` sets.
    pub selector: u32,
}

/// struct tc_estimator.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// // a rate estimator sampling every second (interval 0: 2^0 s), EWMA time constant 2^3
/// await qdiscs.add({ ifindex: 2, parent: 0xffffffff, handle: 0x10000, kind: 'fq_codel', rate: { interval: 0, ewmaLog: 3 } })
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TcEstimator {
    /// Sampling interval: 2^interval seconds (-2 = 1/4 s, 0 = 1 s, ... 3 = 8 s).
    pub interval: i8,
    /// The EWMA time constant, log2.
    pub ewma_log: u8,
}

/// struct tc_stats (TCA_STATS).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.stats) console.log(q.kind, `${q.stats.bytes} bytes, ${q.stats.drops} dropped`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TcStats {
    /// Bytes sent.
    pub bytes: u64,
    /// Packets sent.
    pub packets: u32,
    /// Packets dropped.
    pub drops: u32,
    /// Times the flow went over its limits.
    pub overlimits: u32,
    /// Rate estimate, bytes per second.
    pub bps: u32,
    /// Rate estimate, packets per second.
    pub pps: u32,
    /// Queue length, packets.
    pub qlen: u32,
    /// Queue length, bytes.
    pub backlog: u32,
}

/// TCA_STATS2: the nested TCA_STATS_* statistics.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// const [root] = (await qdiscs.list({ ifindex: 2 })).filter((q) => q.parentName === 'root')
/// console.log(root?.stats2?.basic, root?.stats2?.queue, root?.stats2?.rateEst)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TcStats2 {
    /// TCA_STATS_BASIC: struct gnet_stats_basic.
    pub basic: Option<StatsBasic>,
    /// TCA_STATS_RATE_EST: struct gnet_stats_rate_est (present with an estimator).
    pub rate_est: Option<RateEst>,
    /// TCA_STATS_RATE_EST64: struct gnet_stats_rate_est64.
    pub rate_est64: Option<RateEst>,
    /// TCA_STATS_QUEUE: struct gnet_stats_queue.
    pub queue: Option<StatsQueue>,
    /// TCA_STATS_APP: the kind-specific statistics, only when they differ from TCA_XSTATS (the kernel sends the same bytes in both: kept once, as `xstats`).
    pub app: Option<TcXstats>,
    /// TCA_STATS_BASIC_HW: the hardware part of `basic`.
    pub basic_hw: Option<StatsBasic>,
    /// TCA_STATS_PKT64: the 64-bit packet count (when `basic.packets` wrapped).
    pub pkt64: Option<u64>,
    /// TCA_STATS_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct gnet_stats_basic.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// for (const q of await qdiscs.list({ ifindex: 2 })) {
///   const basic = q.stats2?.basic
///   if (basic) console.log(q.kind, `${basic.bytes} bytes, ${q.stats2?.pkt64 ?? basic.packets} packets`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct StatsBasic {
    /// Bytes.
    pub bytes: u64,
    /// Packets (32 bits; TCA_STATS_PKT64 has the full count).
    pub packets: u32,
}

/// struct gnet_stats_rate_est / _est64.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses } from 'rtnl'
///
/// for (const c of await tcClasses.list({ ifindex: 2 })) {
///   const est = c.stats2?.rateEst64 ?? c.stats2?.rateEst
///   if (est) console.log(c.handleName, `${(est.bps * 8) / 1e6} Mbit/s, ${est.pps} pps`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct RateEst {
    /// Bytes per second.
    pub bps: u64,
    /// Packets per second.
    pub pps: u64,
}

/// struct gnet_stats_queue.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   const queue = q.stats2?.queue
///   if (queue && queue.drops > 0) console.log(`${q.kind} on ${q.ifindex}: ${queue.drops} drops, backlog ${queue.backlog} bytes`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct StatsQueue {
    /// Queue length, packets.
    pub qlen: u32,
    /// Queue length, bytes.
    pub backlog: u32,
    /// Packets dropped.
    pub drops: u32,
    /// Packets requeued.
    pub requeues: u32,
    /// Times over the limits.
    pub overlimits: u32,
}

/// TCA_STAB: TCA_STAB_BASE (struct tc_sizespec) and TCA_STAB_DATA.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// const withStab = (await qdiscs.list()).filter((q) => q.stab)
/// console.log(withStab.map((q) => [q.kind, q.stab?.base?.tsize, q.stab?.data?.length]))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TcStab {
    /// TCA_STAB_BASE: struct tc_sizespec.
    pub base: Option<SizeSpec>,
    /// TCA_STAB_DATA: the u16 size table.
    pub data: Option<Vec<u16>>,
    /// TCA_STAB_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_sizespec.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   const base = q.stab?.base
///   if (base) console.log(q.kind, `overhead ${base.overhead}, linklayer ${base.linklayer}, mpu ${base.mpu}`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SizeSpec {
    /// cell_log.
    pub cell_log: u8,
    /// size_log.
    pub size_log: u8,
    /// cell_align.
    pub cell_align: i16,
    /// overhead, bytes.
    pub overhead: i32,
    /// TC_LINKLAYER_* (0 unaware, 1 ethernet, 2 atm).
    pub linklayer: u32,
    /// mpu, bytes.
    pub mpu: u32,
    /// mtu, bytes.
    pub mtu: u32,
    /// tsize: entries in the table.
    pub tsize: u32,
}

/// TCA_OPTIONS, decoded per TCA_KIND: a plain object whose shape follows
/// from `kind` (htb, tbf, prio/pfifo_fast, pfifo/bfifo/pfifo_head_drop,
/// fq_codel, u32, matchall, bpf; anything else OtherOptions).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type FqCodelOptions, type HtbOptions, type TcOptions } from 'rtnl'
///
/// function describe(kind: string | undefined, options: TcOptions | undefined): string {
///   switch (kind) {
///     case 'htb':
///       return `htb default ${(options as HtbOptions).init?.defcls.toString(16)}`
///     case 'fq_codel':
///       return `fq_codel limit ${(options as FqCodelOptions).limit}p`
///     default:
///       return kind ?? '?'
///   }
/// }
/// for (const q of await qdiscs.list()) console.log(describe(q.kind, q.options))
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum TcOptions {
    /// kind "htb" (qdisc and class).
    Htb(HtbOptions),
    /// kind "tbf".
    Tbf(TbfOptions),
    /// kinds "prio" and "pfifo_fast": struct tc_prio_qopt.
    Prio(PrioOptions),
    /// kinds "pfifo", "bfifo", "pfifo_head_drop": struct tc_fifo_qopt.
    Fifo(FifoOptions),
    /// kind "fq_codel".
    FqCodel(FqCodelOptions),
    /// classifier "u32".
    U32(U32Options),
    /// classifier "matchall".
    Matchall(MatchallOptions),
    /// classifier "bpf".
    Bpf(BpfOptions),
    /// Any other kind (and ingress/clsact, which have none): the
    /// attributes as hex, or the raw bytes when they are not attributes.
    Other(OtherOptions),
}

/// Options of a kind without a decoder (and of ingress/clsact, which have none: `{}`).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type OtherOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.kind === 'cake') console.log('cake options, undecoded:', (q.options as OtherOptions).unknown)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct OtherOptions {
    /// The whole TCA_OPTIONS payload as hex, when it is not a valid attribute list.
    pub raw: Option<String>,
    /// The attributes, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_ratespec.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses, type HtbOptions } from 'rtnl'
///
/// for (const c of await tcClasses.list({ ifindex: 2 })) {
///   if (c.kind !== 'htb') continue
///   const parms = (c.options as HtbOptions).parms
///   if (parms) console.log(c.handleName, `rate ${(parms.rate.rate * 8) / 1e6} Mbit/s ceil ${(parms.ceil.rate * 8) / 1e6} Mbit/s`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RateSpec {
    /// cell_log.
    pub cell_log: u8,
    /// TC_LINKLAYER_* (0 unaware, 1 ethernet, 2 atm).
    pub linklayer: u8,
    /// `linklayer` as tc prints it ("unspec", "ethernet", "atm", or the number).
    pub linklayer_name: String,
    /// overhead, bytes.
    pub overhead: u16,
    /// cell_align.
    pub cell_align: i16,
    /// mpu, bytes.
    pub mpu: u16,
    /// The rate, bytes per second (saturates at 2^32-1; see the *64 attributes).
    pub rate: u32,
}

/// kind "htb": the qdisc's TCA_HTB_INIT/DIRECT_QLEN/OFFLOAD and the class's TCA_HTB_PARMS/RATE64/CEIL64.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, tcClasses, type HtbOptions } from 'rtnl'
///
/// const htb = (await qdiscs.list({ ifindex: 2 })).find((q) => q.kind === 'htb')
/// const classes = (await tcClasses.list({ ifindex: 2 })).filter((c) => c.kind === 'htb')
/// console.log((htb?.options as HtbOptions | undefined)?.init, classes.map((c) => (c.options as HtbOptions).rate64 ?? (c.options as HtbOptions).parms?.rate.rate))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct HtbOptions {
    /// TCA_HTB_INIT: struct tc_htb_glob (qdisc).
    pub init: Option<HtbGlob>,
    /// TCA_HTB_DIRECT_QLEN: the direct queue's length, packets (qdisc).
    pub direct_qlen: Option<u32>,
    /// TCA_HTB_OFFLOAD (flag): the qdisc is offloaded.
    pub offload: Option<bool>,
    /// TCA_HTB_PARMS: struct tc_htb_opt (class).
    pub parms: Option<HtbOpt>,
    /// TCA_HTB_RATE64: the rate when over 2^32-1 bytes/s.
    pub rate64: Option<u64>,
    /// TCA_HTB_CEIL64: the ceiling when over 2^32-1 bytes/s.
    pub ceil64: Option<u64>,
    /// TCA_HTB_RTAB: the rate table (requests only; hex).
    pub rtab: Option<String>,
    /// TCA_HTB_CTAB: the ceiling table (requests only; hex).
    pub ctab: Option<String>,
    /// TCA_HTB_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_htb_glob.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type HtbOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   const init = q.kind === 'htb' ? (q.options as HtbOptions).init : undefined
///   if (init) console.log(`htb ${q.handleName} default ${init.defcls.toString(16)} r2q ${init.rate2quantum}`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HtbGlob {
    /// HTB version (tc prints it as "3.17": major in the high 16 bits).
    pub version: u32,
    /// rate2quantum (tc's `r2q`).
    pub rate2quantum: u32,
    /// The default class's minor id (tc's `default`, printed in hex).
    pub defcls: u32,
    /// debug.
    pub debug: u32,
    /// Packets sent through the direct queue (tc's `direct_packets_stat`).
    pub direct_pkts: u32,
}

/// struct tc_htb_opt. `buffer`/`cbuffer` are in psched ticks: tc's
/// `burst`/`cburst` (bytes) are rate * ticks / (ticks per second from /proc/net/psched).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses, type HtbOptions } from 'rtnl'
///
/// for (const c of await tcClasses.list()) {
///   const parms = c.kind === 'htb' ? (c.options as HtbOptions).parms : undefined
///   if (parms) console.log(c.handleName, 'prio', parms.prio, 'quantum', parms.quantum, parms.level === 0 ? 'leaf' : 'inner')
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct HtbOpt {
    /// The assured rate.
    pub rate: RateSpec,
    /// The ceiling rate.
    pub ceil: RateSpec,
    /// Token bucket size, psched ticks.
    pub buffer: u32,
    /// Ceiling bucket size, psched ticks.
    pub cbuffer: u32,
    /// DRR quantum, bytes.
    pub quantum: u32,
    /// Level in the class tree (0 = leaf).
    pub level: u32,
    /// Priority.
    pub prio: u32,
}

/// kind "tbf".
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type TbfOptions } from 'rtnl'
///
/// const tbf = (await qdiscs.list()).filter((q) => q.kind === 'tbf').map((q) => q.options as TbfOptions)
/// console.log(tbf.map((o) => o.rate64 ?? o.parms?.rate.rate))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TbfOptions {
    /// TCA_TBF_PARMS: struct tc_tbf_qopt.
    pub parms: Option<TbfQopt>,
    /// TCA_TBF_RATE64: the rate when over 2^32-1 bytes/s.
    pub rate64: Option<u64>,
    /// TCA_TBF_PRATE64: the peak rate when over 2^32-1 bytes/s.
    pub prate64: Option<u64>,
    /// TCA_TBF_BURST: bucket size, bytes (requests only in practice).
    pub burst: Option<u32>,
    /// TCA_TBF_PBURST: peak bucket size, bytes (requests only in practice).
    pub pburst: Option<u32>,
    /// TCA_TBF_RTAB: rate table (requests only; hex).
    pub rtab: Option<String>,
    /// TCA_TBF_PTAB: peak rate table (requests only; hex).
    pub ptab: Option<String>,
    /// TCA_TBF_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_tbf_qopt. `buffer`/`mtu` are psched ticks (tc's `burst` is rate * buffer ticks in seconds; `lat` = limit/rate - buffer time).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type TbfOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   const parms = q.kind === 'tbf' ? (q.options as TbfOptions).parms : undefined
///   if (parms) console.log(`tbf rate ${parms.rate.rate} B/s, limit ${parms.limit} bytes`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TbfQopt {
    /// The rate.
    pub rate: RateSpec,
    /// The peak rate (rate 0 = none).
    pub peakrate: RateSpec,
    /// Queue limit, bytes.
    pub limit: u32,
    /// Bucket size, psched ticks.
    pub buffer: u32,
    /// Peak bucket size, psched ticks.
    pub mtu: u32,
}

/// struct tc_prio_qopt (+ TCA_PRIO_MQ after it, for prio).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type PrioOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.kind === 'prio' || q.kind === 'pfifo_fast') {
///     const o = q.options as PrioOptions
///     console.log(`${o.bands} bands, priomap ${o.priomap.join(' ')}`)
///   }
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct PrioOptions {
    /// Number of bands.
    pub bands: i32,
    /// Band of each of the 16 priorities (TC_PRIO_MAX+1).
    pub priomap: Vec<u8>,
    /// TCA_PRIO_MQ: the bands map to hardware queues (tc prints false when absent).
    pub multiqueue: Option<bool>,
    /// Attributes after the struct not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_fifo_qopt.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type FifoOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.kind === 'pfifo' || q.kind === 'bfifo') console.log(q.kind, 'limit', (q.options as FifoOptions).limit)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct FifoOptions {
    /// Queue limit: packets (pfifo, pfifo_head_drop) or bytes (bfifo).
    pub limit: u32,
}

/// kind "fq_codel": TCA_FQ_CODEL_*.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type FqCodelOptions } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.kind !== 'fq_codel') continue
///   const o = q.options as FqCodelOptions
///   console.log(`target ${(o.target ?? 0) / 1000} ms, interval ${(o.interval ?? 0) / 1000} ms, ${o.flows} flows`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FqCodelOptions {
    /// TCA_FQ_CODEL_TARGET: target delay, microseconds.
    pub target: Option<u32>,
    /// TCA_FQ_CODEL_LIMIT: queue limit, packets.
    pub limit: Option<u32>,
    /// TCA_FQ_CODEL_INTERVAL: interval, microseconds.
    pub interval: Option<u32>,
    /// TCA_FQ_CODEL_ECN: 1 when ECN marking is on.
    pub ecn: Option<u32>,
    /// TCA_FQ_CODEL_FLOWS: number of flows.
    pub flows: Option<u32>,
    /// TCA_FQ_CODEL_QUANTUM: DRR quantum, bytes.
    pub quantum: Option<u32>,
    /// TCA_FQ_CODEL_CE_THRESHOLD: CE marking threshold, microseconds.
    pub ce_threshold: Option<u32>,
    /// TCA_FQ_CODEL_DROP_BATCH_SIZE: packets dropped at once.
    pub drop_batch_size: Option<u32>,
    /// TCA_FQ_CODEL_MEMORY_LIMIT: bytes.
    pub memory_limit: Option<u32>,
    /// TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR: u8.
    pub ce_threshold_selector: Option<u8>,
    /// TCA_FQ_CODEL_CE_THRESHOLD_MASK: u8.
    pub ce_threshold_mask: Option<u8>,
    /// TCA_FQ_CODEL_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// classifier "u32": TCA_U32_*, plus the handle parts tc prints.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type U32Options } from 'rtnl'
///
/// for (const f of await tcFilters.list({ ifindex: 2 })) {
///   if (f.kind === 'u32') {
///     const o = f.options as U32Options
///     console.log(`fh ${o.fh} flowid ${o.classidName ?? '-'} link ${o.linkName ?? '-'}`)
///   }
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct U32Options {
    /// The filter handle as tc prints it (`fh`: "800:", "800::800").
    pub fh: Option<String>,
    /// The node id of the handle (tc's `order`), when not 0.
    pub order: Option<u32>,
    /// TCA_U32_CLASSID: the target class (tc's `flowid`/`classid`).
    pub classid: Option<u32>,
    /// `classid` as tc prints it ("1:10").
    pub classid_name: Option<String>,
    /// TCA_U32_HASH: the hash table and bucket the node sits in.
    pub hash: Option<u32>,
    /// The hash table of `hash` (tc's `key_ht`, printed in hex).
    pub key_ht: Option<u32>,
    /// The bucket of `hash` (tc's `bkt`, printed in hex).
    pub bkt: Option<u32>,
    /// TCA_U32_LINK: the hash table this node links to.
    pub link: Option<u32>,
    /// `link` in the u32 handle form ("1:").
    pub link_name: Option<String>,
    /// TCA_U32_DIVISOR: a hash table's bucket count (tc's `ht_divisor`).
    pub divisor: Option<u32>,
    /// TCA_U32_SEL: struct tc_u32_sel with its keys.
    pub sel: Option<U32Sel>,
    /// TCA_U32_MARK: struct tc_u32_mark.
    pub mark: Option<U32Mark>,
    /// TCA_U32_FLAGS: TCA_CLS_FLAGS_*.
    pub flags: Option<u32>,
    /// `flags` by name: skip_hw, skip_sw, in_hw, not_in_hw, verbose.
    pub flag_names: Option<Vec<&'static str>>,
    /// TCA_U32_PCNT: struct tc_u32_pcnt (CONFIG_CLS_U32_PERF).
    pub pcnt: Option<U32Pcnt>,
    /// TCA_U32_INDEV: the input device name.
    pub indev: Option<KernelName>,
    /// TCA_U32_ACT: the actions, nested (hex; not decoded).
    pub act: Option<String>,
    /// TCA_U32_POLICE: the policer, nested (hex; not decoded).
    pub police: Option<String>,
    /// TCA_U32_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_u32_sel.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type U32Options } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   const sel = f.kind === 'u32' ? (f.options as U32Options).sel : undefined
///   if (sel) console.log(f.handleName, sel.flagNames, `${sel.keys.length} keys`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct U32Sel {
    /// TC_U32_TERMINAL 1, TC_U32_OFFSET 2, TC_U32_VAROFFSET 4, TC_U32_EAT 8.
    pub flags: u8,
    /// `flags` by name: terminal, offset, varoffset, eat.
    pub flag_names: Vec<&'static str>,
    /// offshift.
    pub offshift: u8,
    /// nkeys: the number of keys the struct announces.
    pub nkeys: u8,
    /// offmask (host order of the __be16).
    pub offmask: u16,
    /// off.
    pub off: u16,
    /// offoff.
    pub offoff: i16,
    /// hoff.
    pub hoff: i16,
    /// hmask (host order of the __be32).
    pub hmask: u32,
    /// The keys (struct tc_u32_key).
    pub keys: Vec<U32Key>,
}

/// struct tc_u32_key. tc prints `match` {value: val in hex, mask in hex, offmask: "nexthdr+" when offmask is not 0, off}.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type U32Options } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   if (f.kind !== 'u32') continue
///   for (const k of (f.options as U32Options).sel?.keys ?? []) {
///     console.log(`match ${k.val.toString(16).padStart(8, '0')}/${k.mask.toString(16).padStart(8, '0')} at ${k.off}`)
///   }
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct U32Key {
    /// mask (host order of the __be32).
    pub mask: u32,
    /// val (host order of the __be32).
    pub val: u32,
    /// off: offset of the 32-bit word.
    pub off: i32,
    /// offmask: non-zero when the offset is relative to the next header.
    pub offmask: i32,
}

/// struct tc_u32_mark.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type U32Options } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   const mark = f.kind === 'u32' ? (f.options as U32Options).mark : undefined
///   if (mark) console.log(`mark 0x${mark.val.toString(16)}/0x${mark.mask.toString(16)}: ${mark.success} hits`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct U32Mark {
    /// val.
    pub val: u32,
    /// mask.
    pub mask: u32,
    /// success: packets that matched.
    pub success: u32,
}

/// struct tc_u32_pcnt.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type U32Options } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   const pcnt = f.kind === 'u32' ? (f.options as U32Options).pcnt : undefined
///   if (pcnt) console.log(`${pcnt.rhit} of ${pcnt.rcnt} packets hit; per key ${pcnt.kcnts.join(' ')}`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct U32Pcnt {
    /// Packets looked at.
    pub rcnt: u64,
    /// Packets that hit.
    pub rhit: u64,
    /// Hits per key.
    pub kcnts: Vec<u64>,
}

/// classifier "matchall": TCA_MATCHALL_*.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type MatchallOptions } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   if (f.kind === 'matchall') console.log('matchall to', (f.options as MatchallOptions).classidName, 'hits', (f.options as MatchallOptions).rhit)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MatchallOptions {
    /// TCA_MATCHALL_CLASSID: the target class.
    pub classid: Option<u32>,
    /// `classid` as tc prints it ("1:10").
    pub classid_name: Option<String>,
    /// TCA_MATCHALL_FLAGS: TCA_CLS_FLAGS_*.
    pub flags: Option<u32>,
    /// `flags` by name.
    pub flag_names: Option<Vec<&'static str>>,
    /// TCA_MATCHALL_PCNT: struct tc_matchall_pcnt's rhit.
    pub rhit: Option<u64>,
    /// TCA_MATCHALL_ACT: the actions, nested (hex; not decoded).
    pub act: Option<String>,
    /// TCA_MATCHALL_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// classifier "bpf": TCA_BPF_*.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type BpfOptions } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   if (f.kind !== 'bpf') continue
///   const o = f.options as BpfOptions
///   console.log(o.name ? `eBPF ${o.name} id ${o.id} tag ${o.tag}` : `classic BPF, ${o.opsLen} instructions`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BpfOptions {
    /// TCA_BPF_CLASSID: the target class.
    pub classid: Option<u32>,
    /// `classid` as tc prints it (tc's `flowid`).
    pub classid_name: Option<String>,
    /// TCA_BPF_OPS_LEN: number of classic BPF instructions.
    pub ops_len: Option<u16>,
    /// TCA_BPF_OPS: the classic BPF program (struct sock_filter each).
    pub ops: Option<Vec<BpfInsn>>,
    /// TCA_BPF_FD: program fd (requests only).
    pub fd: Option<u32>,
    /// TCA_BPF_NAME: the eBPF program's name.
    pub name: Option<String>,
    /// TCA_BPF_FLAGS: TCA_BPF_FLAG_ACT_DIRECT (1).
    pub flags: Option<u32>,
    /// TCA_BPF_FLAGS_GEN: TCA_CLS_FLAGS_*.
    pub flags_gen: Option<u32>,
    /// `flagsGen` by name.
    pub flags_gen_names: Option<Vec<&'static str>>,
    /// TCA_BPF_TAG: the eBPF program tag (hex).
    pub tag: Option<String>,
    /// TCA_BPF_ID: the eBPF program id.
    pub id: Option<u32>,
    /// TCA_BPF_ACT: the actions, nested (hex; not decoded).
    pub act: Option<String>,
    /// TCA_BPF_POLICE: the policer, nested (hex; not decoded).
    pub police: Option<String>,
    /// TCA_BPF_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct sock_filter.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcFilters, type BpfOptions } from 'rtnl'
///
/// for (const f of await tcFilters.list()) {
///   const ops = f.kind === 'bpf' ? (f.options as BpfOptions).ops : undefined
///   if (ops) console.log(ops.map((i) => `${i.code},${i.jt} ${i.jf} ${i.k}`).join(','))
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct BpfInsn {
    /// code.
    pub code: u16,
    /// jt.
    pub jt: u8,
    /// jf.
    pub jf: u8,
    /// k.
    pub k: u32,
}

/// Kind-specific statistics (TCA_XSTATS, TCA_STATS_APP): a plain object whose shape follows from `kind`.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses, type TcXstats } from 'rtnl'
///
/// const byClass = new Map<string, TcXstats>()
/// for (const c of await tcClasses.list()) if (c.xstats && c.handleName) byClass.set(c.handleName, c.xstats)
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum TcXstats {
    /// htb classes: struct tc_htb_xstats.
    Htb(HtbXstats),
    /// fq_codel: struct tc_fq_codel_xstats.
    FqCodel(FqCodelXstats),
    /// Any other kind: the bytes as hex.
    Other(RawXstats),
}

/// Statistics of a kind without a decoder.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type RawXstats } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.xstats && 'raw' in q.xstats) console.log(q.kind, 'statistics, undecoded:', (q.xstats as RawXstats).raw)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct RawXstats {
    /// The payload, hex.
    pub raw: String,
}

/// struct tc_htb_xstats.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses, type HtbXstats } from 'rtnl'
///
/// for (const c of await tcClasses.list()) {
///   if (c.kind === 'htb' && c.xstats) {
///     const x = c.xstats as HtbXstats
///     console.log(c.handleName, `lended ${x.lends} borrowed ${x.borrows} tokens ${x.tokens}`)
///   }
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
pub struct HtbXstats {
    /// Packets sent within the class's own rate (tc's `lended`).
    pub lends: u32,
    /// Packets sent on tokens borrowed from the parent.
    pub borrows: u32,
    /// Packets larger than the MTU.
    pub giants: u32,
    /// Tokens left, psched ticks.
    pub tokens: i32,
    /// Ceiling tokens left, psched ticks.
    pub ctokens: i32,
}

/// struct tc_fq_codel_xstats: `type` 0 carries qdisc statistics, 1 class statistics.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type FqCodelXstats } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   if (q.kind !== 'fq_codel' || !q.xstats) continue
///   const x = q.xstats as FqCodelXstats
///   console.log(x.type === 0 ? x.qdisc : x.class)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FqCodelXstats {
    /// TCA_FQ_CODEL_XSTATS_QDISC (0) or TCA_FQ_CODEL_XSTATS_CLASS (1).
    #[serde(rename = "type")]
    pub kind: u32,
    /// struct tc_fq_codel_qd_stats (type 0).
    pub qdisc: Option<FqCodelQdStats>,
    /// struct tc_fq_codel_cl_stats (type 1).
    pub class: Option<FqCodelClStats>,
}

/// struct tc_fq_codel_qd_stats. The last three fields came with later kernels and are absent when the struct is shorter.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { qdiscs, type FqCodelXstats } from 'rtnl'
///
/// for (const q of await qdiscs.list()) {
///   const st = q.kind === 'fq_codel' ? (q.xstats as FqCodelXstats | undefined)?.qdisc : undefined
///   if (st) console.log(`maxpacket ${st.maxpacket}, ${st.ecnMark} ECN marks, ${st.newFlowCount} new flows`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct FqCodelQdStats {
    /// Largest packet seen.
    pub maxpacket: u32,
    /// Packets dropped over the limit.
    pub drop_overlimit: u32,
    /// Packets ECN-marked.
    pub ecn_mark: u32,
    /// New flows seen.
    pub new_flow_count: u32,
    /// Length of the new-flows list.
    pub new_flows_len: u32,
    /// Length of the old-flows list.
    pub old_flows_len: u32,
    /// Packets CE-marked over ce_threshold.
    pub ce_mark: Option<u32>,
    /// Memory in use, bytes.
    pub memory_usage: Option<u32>,
    /// Packets dropped over memory_limit.
    pub drop_overmemory: Option<u32>,
}

/// struct tc_fq_codel_cl_stats.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcClasses, type FqCodelXstats } from 'rtnl'
///
/// for (const c of await tcClasses.list()) {
///   const st = (c.xstats as FqCodelXstats | undefined)?.class
///   if (c.kind === 'fq_codel' && st) console.log(c.handleName, `delay ${st.ldelay} us, deficit ${st.deficit}`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FqCodelClStats {
    /// deficit.
    pub deficit: i32,
    /// ldelay: the last packet's sojourn time, microseconds.
    pub ldelay: u32,
    /// count.
    pub count: u32,
    /// lastcount.
    pub lastcount: u32,
    /// dropping: 1 while in dropping state.
    pub dropping: u32,
    /// drop_next: time to the next drop, microseconds (signed).
    pub drop_next: i32,
}

/// A tc handle or class id as tc's print_tc_classid prints it.
pub fn classid_name(h: u32) -> String {
    let (maj, min) = (h >> 16, h & 0xffff);
    if h == TC_H_ROOT {
        "root".into()
    } else if h == 0 {
        "none".into()
    } else if maj == 0 {
        format!(":{min:x}")
    } else if min == 0 {
        format!("{maj:x}:")
    } else {
        format!("{maj:x}:{min:x}")
    }
}

/// A u32 filter handle as tc prints it (sprint_u32_handle): "800:", "800::800", "1:2:3".
pub fn u32_handle_name(h: u32) -> String {
    if h == 0 {
        return "none".into();
    }
    let (htid, hash, node) = (h >> 20, (h >> 12) & 0xff, h & 0xfff);
    let mut s = String::new();
    if htid != 0 {
        s.push_str(&format!("{htid:x}:"));
    }
    if hash != 0 {
        s.push_str(&format!("{hash:x}"));
    }
    if node != 0 {
        s.push_str(&format!(":{node:x}"));
    }
    s
}

/// An ETH_P_* protocol as tc names it (iproute2 lib/ll_proto.c); "[N]" when unnamed.
pub fn protocol_name(p: u16) -> String {
    const NAMES: &[(u16, &str)] = &[
        (0x0060, "loop"),
        (0x0200, "pup"),
        (0x0201, "pupat"),
        (0x0800, "ip"),
        (0x0805, "x25"),
        (0x0806, "arp"),
        (0x08ff, "bpq"),
        (0x0a00, "ieeepup"),
        (0x0a01, "ieeepupat"),
        (0x6000, "dec"),
        (0x6001, "dna_dl"),
        (0x6002, "dna_rc"),
        (0x6003, "dna_rt"),
        (0x6004, "lat"),
        (0x6005, "diag"),
        (0x6006, "cust"),
        (0x6007, "sca"),
        (0x8035, "rarp"),
        (0x809b, "atalk"),
        (0x80f3, "aarp"),
        (0x8137, "ipx"),
        (0x86dd, "ipv6"),
        (0x8863, "ppp_disc"),
        (0x8864, "ppp_ses"),
        (0x884c, "atmmpoa"),
        (0x8884, "atmfate"),
        (0x0001, "802_3"),
        (0x0002, "ax25"),
        (0x0003, "all"),
        (0x0004, "802_2"),
        (0x0005, "snap"),
        (0x0006, "ddcmp"),
        (0x0007, "wan_ppp"),
        (0x0008, "ppp_mp"),
        (0x0009, "localtalk"),
        (0x000c, "can"),
        (0x0010, "ppptalk"),
        (0x0011, "tr_802_2"),
        (0x0015, "mobitex"),
        (0x0016, "control"),
        (0x0017, "irda"),
        (0x0018, "econet"),
        (0x88ca, "tipc"),
        (0x8892, "profinet"),
        (0x88a2, "aoe"),
        (0x88a4, "ethercat"),
        (0x8100, "802.1Q"),
        (0x88a8, "802.1ad"),
        (0x8847, "mpls_uc"),
        (0x8848, "mpls_mc"),
        (0x6558, "teb"),
        (0x8902, "cfm"),
        (0x88cc, "LLDP"),
    ];
    match NAMES.iter().find(|(n, _)| *n == p) {
        Some((_, s)) => (*s).to_string(),
        None => format!("[{p}]"),
    }
}

fn linklayer_name(l: u8) -> String {
    match l {
        0 => "unspec".into(),
        1 => "ethernet".into(),
        2 => "atm".into(),
        n => n.to_string(),
    }
}

const CLS_FLAGS: &[(u32, &str)] = &[
    (1, "skip_hw"),
    (2, "skip_sw"),
    (4, "in_hw"),
    (8, "not_in_hw"),
    (16, "verbose"),
];

const U32_SEL_FLAGS: &[(u8, &str)] =
    &[(1, "terminal"), (2, "offset"), (4, "varoffset"), (8, "eat")];

fn u64_of(d: &[u8]) -> Option<u64> {
    wire::u64_at(d, 0)
}

/// struct nla_bitfield32: value, then selector (None when shorter than 8 bytes).
pub(crate) fn bitfield32(data: &[u8]) -> Option<Bitfield32> {
    Some(Bitfield32 {
        value: wire::u32_at(data, 0)?,
        selector: wire::u32_at(data, 4)?,
    })
}

pub(crate) fn ratespec(d: &[u8], off: usize) -> Option<RateSpec> {
    let linklayer = wire::u8_at(d, off + 1)?;
    Some(RateSpec {
        cell_log: wire::u8_at(d, off)?,
        linklayer,
        linklayer_name: linklayer_name(linklayer),
        overhead: wire::u16_at(d, off + 2)?,
        cell_align: wire::u16_at(d, off + 4)? as i16,
        mpu: wire::u16_at(d, off + 6)?,
        rate: wire::u32_at(d, off + 8)?,
    })
}

/// A struct attribute too short for its struct: kept in `unknown` rather than dropped.
fn short(unknown: &mut Vec<UnknownAttr>, kind: u16, data: &[u8]) {
    unknown.push(UnknownAttr::new(kind, data));
}

fn decode_htb(d: &[u8]) -> Result<HtbOptions, DecodeError> {
    let mut o = HtbOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            1 => match (|| {
                Some(HtbOpt {
                    rate: ratespec(data, 0)?,
                    ceil: ratespec(data, 12)?,
                    buffer: wire::u32_at(data, 24)?,
                    cbuffer: wire::u32_at(data, 28)?,
                    quantum: wire::u32_at(data, 32)?,
                    level: wire::u32_at(data, 36)?,
                    prio: wire::u32_at(data, 40)?,
                })
            })() {
                Some(p) => o.parms = Some(p),
                None => short(&mut o.unknown, kind, data),
            },
            2 => match (|| {
                Some(HtbGlob {
                    version: wire::u32_at(data, 0)?,
                    rate2quantum: wire::u32_at(data, 4)?,
                    defcls: wire::u32_at(data, 8)?,
                    debug: wire::u32_at(data, 12)?,
                    direct_pkts: wire::u32_at(data, 16)?,
                })
            })() {
                Some(g) => o.init = Some(g),
                None => short(&mut o.unknown, kind, data),
            },
            3 => o.ctab = Some(wire::hex(data)),
            4 => o.rtab = Some(wire::hex(data)),
            5 => o.direct_qlen = wire::u32_of(data),
            6 => o.rate64 = u64_of(data),
            7 => o.ceil64 = u64_of(data),
            8 => {} // TCA_HTB_PAD: alignment only
            9 => o.offload = Some(true),
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "htb options")?;
    Ok(o)
}

fn decode_tbf(d: &[u8]) -> Result<TbfOptions, DecodeError> {
    let mut o = TbfOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            1 => match (|| {
                Some(TbfQopt {
                    rate: ratespec(data, 0)?,
                    peakrate: ratespec(data, 12)?,
                    limit: wire::u32_at(data, 24)?,
                    buffer: wire::u32_at(data, 28)?,
                    mtu: wire::u32_at(data, 32)?,
                })
            })() {
                Some(p) => o.parms = Some(p),
                None => short(&mut o.unknown, kind, data),
            },
            2 => o.rtab = Some(wire::hex(data)),
            3 => o.ptab = Some(wire::hex(data)),
            4 => o.rate64 = u64_of(data),
            5 => o.prate64 = u64_of(data),
            6 => o.burst = wire::u32_of(data),
            7 => o.pburst = wire::u32_of(data),
            8 => {} // TCA_TBF_PAD
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "tbf options")?;
    Ok(o)
}

/// sizeof(struct tc_prio_qopt): int bands + __u8 priomap[16].
const PRIO_QOPT_LEN: usize = 20;

fn decode_prio(d: &[u8]) -> Result<PrioOptions, DecodeError> {
    need(d, PRIO_QOPT_LEN, "tc_prio_qopt")?;
    let mut o = PrioOptions {
        bands: wire::i32_at(d, 0).unwrap_or(0),
        priomap: d[4..20].to_vec(),
        ..PrioOptions::default()
    };
    // nla_nest_compat: attributes follow the struct, 4-byte aligned.
    let mut walk = attrs(d.get(wire::align4(PRIO_QOPT_LEN)..).unwrap_or(&[]));
    for (kind, data) in walk.by_ref() {
        match kind {
            1 => o.multiqueue = wire::u8_of(data).map(|v| v != 0),
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "prio options")?;
    Ok(o)
}

fn decode_fq_codel(d: &[u8]) -> Result<FqCodelOptions, DecodeError> {
    let mut o = FqCodelOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        let v = wire::u32_of(data);
        match kind {
            1 if v.is_some() => o.target = v,
            2 if v.is_some() => o.limit = v,
            3 if v.is_some() => o.interval = v,
            4 if v.is_some() => o.ecn = v,
            5 if v.is_some() => o.flows = v,
            6 if v.is_some() => o.quantum = v,
            7 if v.is_some() => o.ce_threshold = v,
            8 if v.is_some() => o.drop_batch_size = v,
            9 if v.is_some() => o.memory_limit = v,
            10 if !data.is_empty() => o.ce_threshold_selector = wire::u8_of(data),
            11 if !data.is_empty() => o.ce_threshold_mask = wire::u8_of(data),
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "fq_codel options")?;
    Ok(o)
}

fn decode_u32(d: &[u8], handle: u32) -> Result<U32Options, DecodeError> {
    let mut o = U32Options {
        fh: (handle != 0).then(|| u32_handle_name(handle)),
        order: Some(handle & 0xfff).filter(|n| *n != 0),
        ..U32Options::default()
    };
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            1 if data.len() >= 4 => o.classid = wire::u32_of(data),
            2 if data.len() >= 4 => o.hash = wire::u32_of(data),
            3 if data.len() >= 4 => o.link = wire::u32_of(data),
            4 if data.len() >= 4 => o.divisor = wire::u32_of(data),
            5 if data.len() >= 16 => {
                let nkeys = data[2];
                let keys = data[16..]
                    .chunks_exact(16)
                    .take(nkeys as usize)
                    .map(|k| U32Key {
                        mask: u32::from_be_bytes([k[0], k[1], k[2], k[3]]),
                        val: u32::from_be_bytes([k[4], k[5], k[6], k[7]]),
                        off: wire::i32_at(k, 8).unwrap_or(0),
                        offmask: wire::i32_at(k, 12).unwrap_or(0),
                    })
                    .collect();
                o.sel = Some(U32Sel {
                    flags: data[0],
                    flag_names: wire::bit_names(data[0], U32_SEL_FLAGS),
                    offshift: data[1],
                    nkeys,
                    offmask: wire::be16_at(data, 4).unwrap_or(0),
                    off: wire::u16_at(data, 6).unwrap_or(0),
                    offoff: wire::u16_at(data, 8).unwrap_or(0) as i16,
                    hoff: wire::u16_at(data, 10).unwrap_or(0) as i16,
                    hmask: u32::from_be_bytes([data[12], data[13], data[14], data[15]]),
                    keys,
                });
            }
            6 => o.police = Some(wire::hex(data)),
            7 => o.act = Some(wire::hex(data)),
            8 => o.indev = Some(wire::name_of(data)),
            9 if data.len() >= 16 => {
                o.pcnt = Some(U32Pcnt {
                    rcnt: wire::u64_at(data, 0).unwrap_or(0),
                    rhit: wire::u64_at(data, 8).unwrap_or(0),
                    kcnts: data[16..]
                        .chunks_exact(8)
                        .filter_map(|c| wire::u64_at(c, 0))
                        .collect(),
                })
            }
            10 if data.len() >= 12 => {
                o.mark = Some(U32Mark {
                    val: wire::u32_at(data, 0).unwrap_or(0),
                    mask: wire::u32_at(data, 4).unwrap_or(0),
                    success: wire::u32_at(data, 8).unwrap_or(0),
                })
            }
            11 if data.len() >= 4 => o.flags = wire::u32_of(data),
            12 => {} // TCA_U32_PAD
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "u32 options")?;
    o.classid_name = o.classid.map(classid_name);
    o.key_ht = o.hash.map(|h| (h >> 20) & 0xfff);
    o.bkt = o.hash.map(|h| (h >> 12) & 0xff);
    o.link_name = o.link.map(u32_handle_name);
    o.flag_names = o.flags.map(|f| wire::bit_names(f, CLS_FLAGS));
    Ok(o)
}

fn decode_matchall(d: &[u8]) -> Result<MatchallOptions, DecodeError> {
    let mut o = MatchallOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            1 if data.len() >= 4 => o.classid = wire::u32_of(data),
            2 => o.act = Some(wire::hex(data)),
            3 if data.len() >= 4 => o.flags = wire::u32_of(data),
            4 if data.len() >= 8 => o.rhit = u64_of(data),
            5 => {} // TCA_MATCHALL_PAD
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "matchall options")?;
    o.classid_name = o.classid.map(classid_name);
    o.flag_names = o.flags.map(|f| wire::bit_names(f, CLS_FLAGS));
    Ok(o)
}

fn decode_bpf(d: &[u8]) -> Result<BpfOptions, DecodeError> {
    let mut o = BpfOptions::default();
    let mut walk = attrs(d);
    for (kind, data) in walk.by_ref() {
        match kind {
            1 => o.act = Some(wire::hex(data)),
            2 => o.police = Some(wire::hex(data)),
            3 if data.len() >= 4 => o.classid = wire::u32_of(data),
            4 if data.len() >= 2 => o.ops_len = wire::u16_at(data, 0),
            5 => {
                o.ops = Some(
                    data.chunks_exact(8)
                        .map(|c| BpfInsn {
                            code: wire::u16_at(c, 0).unwrap_or(0),
                            jt: c[2],
                            jf: c[3],
                            k: wire::u32_at(c, 4).unwrap_or(0),
                        })
                        .collect(),
                );
                if data.len() % 8 != 0 {
                    o.unknown.push(UnknownAttr::new(kind, data));
                }
            }
            6 if data.len() >= 4 => o.fd = wire::u32_of(data),
            7 => o.name = Some(wire::string_of(data)),
            8 if data.len() >= 4 => o.flags = wire::u32_of(data),
            9 if data.len() >= 4 => o.flags_gen = wire::u32_of(data),
            10 => o.tag = Some(wire::hex(data)),
            11 if data.len() >= 4 => o.id = wire::u32_of(data),
            _ => o.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "bpf options")?;
    o.classid_name = o.classid.map(classid_name);
    o.flags_gen_names = o.flags_gen.map(|f| wire::bit_names(f, CLS_FLAGS));
    Ok(o)
}

/// Options of a kind without a decoder: attributes when they walk cleanly,
/// else the raw bytes (some kinds, netem for one, put a struct first).
fn other_options(d: &[u8]) -> OtherOptions {
    let mut walk = attrs(d);
    let unknown: Vec<UnknownAttr> = walk.by_ref().map(|(k, v)| UnknownAttr::new(k, v)).collect();
    if walk.error().is_some() {
        OtherOptions {
            raw: Some(wire::hex(d)),
            unknown: Vec::new(),
        }
    } else {
        OtherOptions { raw: None, unknown }
    }
}

/// TCA_OPTIONS of `kind`. A kind's decoder that fails (a malformed
/// attribute walk, a short struct) fails the message, as a malformed
/// top-level walk does.
pub fn decode_options(kind: &str, d: &[u8], handle: u32) -> Result<TcOptions, DecodeError> {
    Ok(match kind {
        "htb" => TcOptions::Htb(decode_htb(d)?),
        "tbf" => TcOptions::Tbf(decode_tbf(d)?),
        "prio" | "pfifo_fast" => TcOptions::Prio(decode_prio(d)?),
        "pfifo" | "bfifo" | "pfifo_head_drop" => {
            need(d, 4, "tc_fifo_qopt")?;
            TcOptions::Fifo(FifoOptions {
                limit: wire::u32_at(d, 0).unwrap_or(0),
            })
        }
        "fq_codel" => TcOptions::FqCodel(decode_fq_codel(d)?),
        "u32" => TcOptions::U32(decode_u32(d, handle)?),
        "matchall" => TcOptions::Matchall(decode_matchall(d)?),
        "bpf" => TcOptions::Bpf(decode_bpf(d)?),
        _ => TcOptions::Other(other_options(d)),
    })
}

/// TCA_XSTATS / TCA_STATS_APP of `kind`; a payload of an unexpected size is kept raw.
pub fn decode_xstats(kind: &str, d: &[u8]) -> TcXstats {
    let raw = || TcXstats::Other(RawXstats { raw: wire::hex(d) });
    match kind {
        "htb" if d.len() >= 20 => TcXstats::Htb(HtbXstats {
            lends: wire::u32_at(d, 0).unwrap_or(0),
            borrows: wire::u32_at(d, 4).unwrap_or(0),
            giants: wire::u32_at(d, 8).unwrap_or(0),
            tokens: wire::i32_at(d, 12).unwrap_or(0),
            ctokens: wire::i32_at(d, 16).unwrap_or(0),
        }),
        "fq_codel" if d.len() >= 4 => {
            let kind = wire::u32_at(d, 0).unwrap_or(0);
            let u = |i: usize| wire::u32_at(d, 4 + 4 * i);
            match kind {
                0 if d.len() >= 28 => TcXstats::FqCodel(FqCodelXstats {
                    kind,
                    qdisc: Some(FqCodelQdStats {
                        maxpacket: u(0).unwrap_or(0),
                        drop_overlimit: u(1).unwrap_or(0),
                        ecn_mark: u(2).unwrap_or(0),
                        new_flow_count: u(3).unwrap_or(0),
                        new_flows_len: u(4).unwrap_or(0),
                        old_flows_len: u(5).unwrap_or(0),
                        ce_mark: u(6),
                        memory_usage: u(7),
                        drop_overmemory: u(8),
                    }),
                    class: None,
                }),
                1 if d.len() >= 28 => TcXstats::FqCodel(FqCodelXstats {
                    kind,
                    qdisc: None,
                    class: Some(FqCodelClStats {
                        deficit: u(0).unwrap_or(0) as i32,
                        ldelay: u(1).unwrap_or(0),
                        count: u(2).unwrap_or(0),
                        lastcount: u(3).unwrap_or(0),
                        dropping: u(4).unwrap_or(0),
                        drop_next: u(5).unwrap_or(0) as i32,
                    }),
                }),
                _ => raw(),
            }
        }
        _ => raw(),
    }
}

pub(crate) fn decode_stats2(d: &[u8], kind: &str) -> Result<TcStats2, DecodeError> {
    let mut s = TcStats2::default();
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        match t {
            TCA_STATS_BASIC | TCA_STATS_BASIC_HW if data.len() >= 12 => {
                let b = StatsBasic {
                    bytes: wire::u64_at(data, 0).unwrap_or(0),
                    packets: wire::u32_at(data, 8).unwrap_or(0),
                };
                if t == TCA_STATS_BASIC {
                    s.basic = Some(b);
                } else {
                    s.basic_hw = Some(b);
                }
            }
            TCA_STATS_RATE_EST if data.len() >= 8 => {
                s.rate_est = Some(RateEst {
                    bps: wire::u32_at(data, 0).unwrap_or(0) as u64,
                    pps: wire::u32_at(data, 4).unwrap_or(0) as u64,
                })
            }
            TCA_STATS_RATE_EST64 if data.len() >= 16 => {
                s.rate_est64 = Some(RateEst {
                    bps: wire::u64_at(data, 0).unwrap_or(0),
                    pps: wire::u64_at(data, 8).unwrap_or(0),
                })
            }
            TCA_STATS_QUEUE if data.len() >= 20 => {
                let u = |i: usize| wire::u32_at(data, 4 * i).unwrap_or(0);
                s.queue = Some(StatsQueue {
                    qlen: u(0),
                    backlog: u(1),
                    drops: u(2),
                    requeues: u(3),
                    overlimits: u(4),
                })
            }
            TCA_STATS_APP => s.app = Some(decode_xstats(kind, data)),
            TCA_STATS_PKT64 if data.len() >= 8 => s.pkt64 = u64_of(data),
            TCA_STATS_PAD => {}
            _ => s.unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "tc stats2")?;
    Ok(s)
}

fn decode_stab(d: &[u8]) -> Result<TcStab, DecodeError> {
    let mut s = TcStab::default();
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        match t {
            1 if data.len() >= 24 => {
                s.base = Some(SizeSpec {
                    cell_log: data[0],
                    size_log: data[1],
                    cell_align: wire::u16_at(data, 2).unwrap_or(0) as i16,
                    overhead: wire::i32_at(data, 4).unwrap_or(0),
                    linklayer: wire::u32_at(data, 8).unwrap_or(0),
                    mpu: wire::u32_at(data, 12).unwrap_or(0),
                    mtu: wire::u32_at(data, 16).unwrap_or(0),
                    tsize: wire::u32_at(data, 20).unwrap_or(0),
                })
            }
            2 => {
                s.data = Some(
                    data.chunks_exact(2)
                        .map(|c| u16::from_ne_bytes([c[0], c[1]]))
                        .collect(),
                )
            }
            _ => s.unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "tc stab")?;
    Ok(s)
}

/// Decodes the body of any tc message (qdisc, class, filter, chain), for
/// events and dumps alike, without the fields that depend on the message
/// type (see `decode_typed`).
pub fn decode(payload: &[u8]) -> Result<Tc, DecodeError> {
    need(payload, HEADER_LEN, "tcmsg")?;
    let mut t = Tc {
        family: payload[0],
        ifindex: wire::i32_at(payload, 4).unwrap_or(0),
        handle: wire::u32_at(payload, 8).unwrap_or(0),
        parent: wire::u32_at(payload, 12).unwrap_or(0),
        info: wire::u32_at(payload, 16).unwrap_or(0),
        ..Tc::default()
    };
    t.parent_name = classid_name(t.parent);
    let (mut options, mut xstats, mut stats2) = (None, None, None);
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            TCA_KIND => t.kind = Some(wire::string_of(data)),
            TCA_OPTIONS => options = Some(data),
            TCA_STATS if data.len() >= 36 => {
                let u = |i: usize| wire::u32_at(data, 8 + 4 * i).unwrap_or(0);
                t.stats = Some(TcStats {
                    bytes: wire::u64_at(data, 0).unwrap_or(0),
                    packets: u(0),
                    drops: u(1),
                    overlimits: u(2),
                    bps: u(3),
                    pps: u(4),
                    qlen: u(5),
                    backlog: u(6),
                });
            }
            TCA_XSTATS => xstats = Some(data),
            TCA_RATE if data.len() >= 2 => {
                t.rate = Some(TcEstimator {
                    interval: data[0] as i8,
                    ewma_log: data[1],
                })
            }
            TCA_FCNT if data.len() >= 4 => t.fcnt = wire::u32_of(data),
            TCA_STATS2 => stats2 = Some(data),
            TCA_STAB => t.stab = Some(decode_stab(data)?),
            TCA_PAD => {}
            TCA_DUMP_INVISIBLE => t.dump_invisible = Some(true),
            TCA_CHAIN if data.len() >= 4 => t.chain = wire::u32_of(data),
            TCA_HW_OFFLOAD if !data.is_empty() => t.hw_offload = wire::u8_of(data),
            TCA_INGRESS_BLOCK if data.len() >= 4 => t.ingress_block = wire::u32_of(data),
            TCA_EGRESS_BLOCK if data.len() >= 4 => t.egress_block = wire::u32_of(data),
            TCA_DUMP_FLAGS if data.len() >= 8 => t.dump_flags = bitfield32(data),
            TCA_EXT_WARN_MSG => t.ext_warn_msg = Some(wire::string_of(data)),
            _ => t.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "tc attributes")?;
    // The kind decides how the options and statistics read; the kernel puts
    // TCA_KIND first, but nothing here relies on it.
    let kind = t.kind.clone().unwrap_or_default();
    if let Some(d) = options {
        t.options = Some(decode_options(&kind, d, t.handle)?);
    }
    if let Some(d) = stats2 {
        t.stats2 = Some(decode_stats2(d, &kind)?);
    }
    t.xstats = xstats.map(|d| decode_xstats(&kind, d));
    // The kernel repeats itself (gnet_stats_finish_copy): TCA_STATS holds the
    // counters of TCA_STATS2, TCA_STATS_APP the bytes of TCA_XSTATS. One
    // copy each is kept, which also halves the objects a tc event costs JS.
    if let Some(s2) = &mut t.stats2 {
        t.stats = None;
        if s2.app.is_some() && s2.app == t.xstats {
            s2.app = None;
        }
    }
    Ok(t)
}

/// Decodes a tc message of type `msg_type` (RTM_NEWQDISC ... RTM_DELCHAIN):
/// `decode_as` with the object the type names (`decode` when the type is
/// not a tc one). Events and dumps both come through here.
pub fn decode_typed(msg_type: u16, payload: &[u8]) -> Result<Tc, DecodeError> {
    match TcObject::of_type(msg_type) {
        Some(object) => decode_as(object, payload),
        None => decode(payload),
    }
}

/// `decode` plus what the object decides: `object`, `handleName`, and the
/// reading of tcm_info (qdisc `refcnt`, class `leaf`, filter `prio` and
/// `protocol`).
pub fn decode_as(object: TcObject, payload: &[u8]) -> Result<Tc, DecodeError> {
    let mut t = decode(payload)?;
    t.object = Some(object);
    match object {
        TcObject::Qdisc => {
            t.handle_name = Some(format!("{:x}:", t.handle >> 16));
            t.refcnt = Some(t.info);
        }
        TcObject::Class => {
            t.handle_name = Some(classid_name(t.handle));
            if t.info != 0 {
                t.leaf = Some(t.info);
                t.leaf_name = Some(format!("{:x}:", t.info >> 16));
            }
        }
        TcObject::Filter => {
            if t.handle != 0 {
                t.handle_name = Some(match t.kind.as_deref() {
                    Some("u32") => u32_handle_name(t.handle),
                    _ => format!("0x{:x}", t.handle),
                });
            }
            let proto = u16::from_be((t.info & 0xffff) as u16);
            t.prio = Some((t.info >> 16) as u16);
            t.protocol = Some(proto);
            t.protocol_name = Some(protocol_name(proto));
        }
        TcObject::Chain => {}
    }
    Ok(t)
}

// ---------------------------------------------------------------------------
// Encoding changes: qdiscs, classes, filters and chains from the same struct.

/// The verbs of qdiscs, classes and filters; chains have add and del.
const VERBS: [Verb; 3] = [Verb::Add, Verb::Replace, Verb::Del];
const CHAIN_VERBS: [Verb; 2] = [Verb::Add, Verb::Del];

/// Fields of a listed object the kernel fills in: accepted, never sent.
const READ_ONLY: [&str; 17] = [
    "handleName",
    "parentName",
    "info",
    "refcnt",
    "leaf",
    "leafName",
    "protocolName",
    "stats",
    "stats2",
    "xstats",
    "fcnt",
    "hwOffload",
    "dumpFlags",
    "dumpInvisible",
    "extWarnMsg",
    "unknown",
    "object",
];

/// TC_LINKLAYER_ETHERNET: what tc puts in a rate it sends; with it the
/// kernel needs no rate table.
const LINKLAYER_ETHERNET: u8 = 1;
/// psched ticks per second: the kernel's tick is 64 ns (PSCHED_SHIFT 6).
const TICKS_PER_SEC: f64 = 15_625_000.0;
/// HTB_VER >> 16: the version an htb qdisc request must carry (the kernel
/// lists HTB_VER, 0x30011; both are accepted).
const HTB_VERSION: u32 = 3;
const HTB_VER_LISTED: u32 = 0x30011;
/// TCA_CLS_FLAGS_SKIP_HW | SKIP_SW | VERBOSE: the classifier flags a request
/// may set; IN_HW and NOT_IN_HW are the kernel's.
const CLS_FLAGS_SETTABLE: u32 = 1 | 2 | 16;
const ETH_P_ALL: u16 = 3;

/// tc's default priomap (prio and pfifo_fast).
const PRIOMAP: [u8; 16] = [1, 2, 2, 2, 1, 2, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];

/// Encodes a change of a qdisc, class, filter or chain from the struct
/// `list()` returns (one `Tc` for all four), or part of it.
///
/// Every object needs `ifindex` (filters and chains of a shared block: -1,
/// with the block index as `parent`). `object`, when given, must name the
/// kind's object ('qdisc' for qdiscs, ...).
///
/// qdiscs: `parent` (default root, or ffff:fff1 for clsact/ingress; del
/// needs it), `handle` (default 0: the kernel picks; ffff: for
/// clsact/ingress), `kind` (add/replace), `options` for htb (`init`:
/// version 3 or as listed, rate2quantum, defcls, debug; `directQlen`,
/// `offload`), tbf (`parms` rate/peakrate/limit/buffer/mtu, `rate64`,
/// `prate64`, `burst`, `pburst`), prio (`bands`, `priomap`), pfifo, bfifo,
/// pfifo_head_drop (`limit`), clsact and ingress (none), pfifo_fast (its
/// listed bands and priomap are fixed: accepted, not sent); any other kind
/// without options; `stab`, `rate` (the estimator), `ingressBlock`,
/// `egressBlock`. A listed htb qdisc given to replace fails in the kernel
/// (htb has no change operation: EINVAL).
///
/// tcClasses: `handle` (the class id), `parent` (default 0: the kernel
/// takes the handle's qdisc), `kind` htb with `options.parms` (`rate` and
/// `ceil` as struct tc_ratespec, `ceil` defaulting to `rate`; `buffer` and
/// `cbuffer` in psched ticks, defaulting as tc does to 1600 bytes' time;
/// `quantum`, `prio` 0..7) and `rate64`/`ceil64` (a rate over 2^32-1
/// bytes/s: the struct's 32-bit rate is then sent saturated, as listed);
/// no rate tables are sent (the kernel computes without them when the
/// linklayer is set, ethernet by default).
///
/// tcFilters: `parent`, `handle` (0: the kernel picks), `prio` (del needs
/// it: a del with prio 0 flushes every filter of the parent), `protocol` (an
/// ETH_P_* number, host order; add/replace default 3, all), `chain`, `kind`
/// (add/replace) with `options` for u32 (`classid`, `sel` with its `keys`,
/// `hash`, `link`, `divisor`, `mark`, `flags`, `indev`) and matchall
/// (`classid`, `flags`). Refused: actions and policers (`act`, `police`: no
/// tc actions here, and the decoder keeps them as hex), other classifiers.
///
/// tcChains: `chain` (required), `parent`, `kind` (a chain template; its
/// options are refused).
///
/// For del only the identity is sent (and `kind`, which the kernel checks
/// for qdiscs and filters); the rest of a listed object is accepted.
/// Read-only: `handleName`, `parentName`, `info` (derived from `prio` and
/// `protocol`, or the kernel's), `refcnt`, `leaf`, `leafName`,
/// `protocolName`, the statistics, `fcnt`, `hwOffload`, `dumpFlags`,
/// `dumpInvisible`, `extWarnMsg`, `unknown`, and in options the `*Name`
/// forms, counters and rate tables.
// `encode` for qdiscs, classes, filters and chains: the kinds' `KindDecl::encode`.
fn encode_qdisc(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    encode(TcObject::Qdisc, verb, obj)
}
fn encode_class(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    encode(TcObject::Class, verb, obj)
}
fn encode_filter(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    encode(TcObject::Filter, verb, obj)
}
fn encode_chain(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    encode(TcObject::Chain, verb, obj)
}

pub fn encode(object: TcObject, verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    let verbs: &[Verb] = if object == TcObject::Chain {
        &CHAIN_VERBS
    } else {
        &VERBS
    };
    let name = object.list_name();
    if !verbs.contains(&verb) {
        return Err(change::unsupported(name, verb, verbs));
    }
    let op = format!("{name}.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let word = object_word(object);
    if let Some(v) = spec.value("object") {
        if v.as_str() != Some(word) {
            return Err(spec.error("object", &format!("'{word}' (or absent)"), v));
        }
    }
    spec.ignore(&READ_ONLY);
    let shared_block = matches!(object, TcObject::Filter | TcObject::Chain);
    let ifindex = spec.int(
        "ifindex",
        if shared_block { -1 } else { 1 },
        i32::MAX as i64,
    )?;
    let Some(ifindex) = ifindex else {
        return Err(spec.missing(
            "ifindex",
            if shared_block {
                "the link's index, or -1 for a shared block"
            } else {
                "the link's index"
            },
        ));
    };
    if ifindex == 0 {
        return Err(spec.error("ifindex", "a link's index (1 or more)", &Value::from(0)));
    }
    let family = spec.u8("family")?.unwrap_or(0);
    let tc_kind = spec.str("kind")?;
    let del = verb == Verb::Del;
    let mut t = Encoded {
        family,
        ifindex: ifindex as i32,
        ..Encoded::default()
    };
    match object {
        TcObject::Qdisc => qdisc(&mut spec, verb, tc_kind, &mut t)?,
        TcObject::Class => class(&mut spec, verb, tc_kind, &mut t)?,
        TcObject::Filter => filter(&mut spec, verb, tc_kind, &mut t)?,
        TcObject::Chain => chain(&mut spec, tc_kind, &mut t)?,
    }
    spec.finish()?;

    let mut body = Vec::with_capacity(HEADER_LEN + 64);
    body.push(t.family);
    body.extend_from_slice(&[0, 0, 0]);
    body.extend_from_slice(&t.ifindex.to_ne_bytes());
    body.extend_from_slice(&t.handle.to_ne_bytes());
    body.extend_from_slice(&t.parent.to_ne_bytes());
    body.extend_from_slice(&t.info.to_ne_bytes());
    if let Some(k) = t.kind.as_deref() {
        let mut s = k.as_bytes().to_vec();
        s.push(0);
        push_attr(&mut body, TCA_KIND, &s);
    }
    if let Some(o) = &t.options {
        push_attr(&mut body, TCA_OPTIONS, o);
    }
    if let Some(r) = &t.rate {
        push_attr(&mut body, TCA_RATE, r);
    }
    if let Some(s) = &t.stab {
        push_attr(&mut body, TCA_STAB, s);
    }
    if let Some(c) = t.chain {
        push_attr(&mut body, TCA_CHAIN, &c.to_ne_bytes());
    }
    if let Some(b) = t.ingress_block {
        push_attr(&mut body, TCA_INGRESS_BLOCK, &b.to_ne_bytes());
    }
    if let Some(b) = t.egress_block {
        push_attr(&mut body, TCA_EGRESS_BLOCK, &b.to_ne_bytes());
    }
    let msg_type = match (object, del) {
        (TcObject::Qdisc, false) => RTM_NEWQDISC,
        (TcObject::Qdisc, true) => RTM_DELQDISC,
        (TcObject::Class, false) => RTM_NEWTCLASS,
        (TcObject::Class, true) => RTM_DELTCLASS,
        (TcObject::Filter, false) => RTM_NEWTFILTER,
        (TcObject::Filter, true) => RTM_DELTFILTER,
        (TcObject::Chain, false) => RTM_NEWCHAIN,
        (TcObject::Chain, true) => RTM_DELCHAIN,
    };
    let flags = if del { 0 } else { verb.new_flags() };
    let what = format!("{} {word}{}", verb.ing(), t.what);
    Ok(Request::new(msg_type, flags, body, what))
}

fn object_word(o: TcObject) -> &'static str {
    match o {
        TcObject::Qdisc => "qdisc",
        TcObject::Class => "class",
        TcObject::Filter => "filter",
        TcObject::Chain => "chain",
    }
}

/// What an object's encoder fills in: the tcmsg and the attributes.
#[derive(Default)]
struct Encoded {
    family: u8,
    ifindex: i32,
    handle: u32,
    parent: u32,
    info: u32,
    kind: Option<String>,
    options: Option<Vec<u8>>,
    rate: Option<Vec<u8>>,
    stab: Option<Vec<u8>>,
    chain: Option<u32>,
    ingress_block: Option<u32>,
    egress_block: Option<u32>,
    /// The identity in the `what`: " htb 1: parent root on link 3".
    what: String,
}

fn link_words(ifindex: i32) -> String {
    if ifindex == -1 {
        "a shared block".into()
    } else {
        format!("link {ifindex}")
    }
}

fn qdisc<'a>(
    spec: &mut Spec<'a>,
    verb: Verb,
    kind: Option<&'a str>,
    t: &mut Encoded,
) -> Result<(), Error> {
    let ingress = matches!(kind, Some("clsact" | "ingress"));
    let del = verb == Verb::Del;
    t.parent = match spec.u32("parent")? {
        Some(p) => p,
        None if ingress => TC_H_INGRESS,
        None if !del => TC_H_ROOT,
        None => {
            return Err(spec.missing(
                "parent",
                "the qdisc's parent: 4294967295 (root), a class id, or 4294967281 (ffff:fff1) for clsact/ingress",
            ))
        }
    };
    t.handle = spec
        .u32("handle")?
        .unwrap_or(if ingress { 0xffff_0000 } else { 0 });
    if t.handle & 0xffff != 0 {
        return Err(spec.error(
            "handle",
            "a qdisc handle (major:0, the low 16 bits 0)",
            &Value::from(t.handle),
        ));
    }
    t.what = format!(
        "{}{} parent {} on {}",
        kind.map(|k| format!(" {k}")).unwrap_or_default(),
        if t.handle != 0 {
            format!(" {:x}:", t.handle >> 16)
        } else {
            String::new()
        },
        classid_name(t.parent),
        link_words(t.ifindex)
    );
    t.kind = kind.map(str::to_string);
    if del {
        spec.ignore(&["options", "stab", "rate", "ingressBlock", "egressBlock"]);
        return Ok(());
    }
    let Some(kind) = kind else {
        return Err(spec.missing(
            "kind",
            "the qdisc kind: 'htb', 'tbf', 'prio', 'pfifo', 'clsact', ...",
        ));
    };
    let op = spec.what().to_string();
    let options = spec.object("options")?;
    t.options = qdisc_options(&op, kind, options)?;
    t.rate = estimator(spec)?;
    if let Some(s) = spec.object("stab")? {
        t.stab = Some(encode_stab(&op, s)?);
    }
    t.ingress_block = spec.u32("ingressBlock")?;
    t.egress_block = spec.u32("egressBlock")?;
    Ok(())
}

/// TCA_RATE: struct tc_estimator { signed char interval; unsigned char ewma_log; }.
fn estimator<'a>(spec: &mut Spec<'a>) -> Result<Option<Vec<u8>>, Error> {
    let Some(r) = spec.object("rate")? else {
        return Ok(None);
    };
    let mut s = Spec::new(r, format!("{}: rate", spec.what()));
    let interval = s.int("interval", -2, 3)?.unwrap_or(0);
    let ewma = s.u8("ewmaLog")?.unwrap_or(0);
    s.finish()?;
    Ok(Some(vec![interval as i8 as u8, ewma]))
}

fn encode_stab(op: &str, stab: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let label = format!("{op}: stab");
    let mut s = Spec::new(stab, label.clone());
    let data: Vec<u16> = match s.array("data")? {
        None => Vec::new(),
        Some(a) => a
            .iter()
            .map(|v| {
                v.as_u64()
                    .filter(|n| *n <= u16::MAX as u64)
                    .map(|n| n as u16)
            })
            .collect::<Option<Vec<u16>>>()
            .ok_or_else(|| {
                invalid(format!(
                    "{label}: data must be an array of integers from 0 to 65535"
                ))
            })?,
    };
    let base = s.object("base")?;
    s.ignore(&["unknown"]);
    s.finish()?;
    let Some(base) = base else {
        return Err(invalid(format!(
            "{label}: base is required (struct tc_sizespec)"
        )));
    };
    let mut b = Spec::new(base, format!("{label}.base"));
    let cell_log = b.u8("cellLog")?.unwrap_or(0);
    let size_log = b.u8("sizeLog")?.unwrap_or(0);
    let cell_align = b
        .int("cellAlign", i16::MIN as i64, i16::MAX as i64)?
        .unwrap_or(0) as i16;
    let overhead = b.i32("overhead")?.unwrap_or(0);
    let linklayer = b.u32("linklayer")?.unwrap_or(LINKLAYER_ETHERNET as u32);
    let mpu = b.u32("mpu")?.unwrap_or(0);
    let mtu = b.u32("mtu")?.unwrap_or(0);
    let tsize = b.u32("tsize")?.unwrap_or(data.len() as u32);
    b.finish()?;
    if tsize as usize != data.len() {
        return Err(invalid(format!(
            "{label}: base.tsize ({tsize}) must be the number of entries in data ({})",
            data.len()
        )));
    }
    let mut sizespec = vec![cell_log, size_log];
    sizespec.extend_from_slice(&cell_align.to_ne_bytes());
    for v in [overhead as u32, linklayer, mpu, mtu, tsize] {
        sizespec.extend_from_slice(&v.to_ne_bytes());
    }
    let mut out = Vec::new();
    push_attr(&mut out, 1, &sizespec);
    if !data.is_empty() {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_ne_bytes()).collect();
        push_attr(&mut out, 2, &bytes);
    }
    Ok(out)
}

/// Refuses every key of an options object but `allowed` (names in the label).
fn no_other_options(label: &str, o: &Map<String, Value>, what: &str) -> Result<(), Error> {
    match o.keys().find(|k| !matches!(k.as_str(), "unknown")) {
        None => Ok(()),
        Some(k) => Err(invalid(format!("{label}: {what}, got '{k}'"))),
    }
}

fn qdisc_options(
    op: &str,
    kind: &str,
    options: Option<&Map<String, Value>>,
) -> Result<Option<Vec<u8>>, Error> {
    let label = format!("{op}: options");
    let empty = Map::new();
    let o = options.unwrap_or(&empty);
    match kind {
        "htb" => {
            let mut s = Spec::new(o, label.clone());
            let init = s.object("init")?;
            let direct_qlen = s.u32("directQlen")?;
            let offload = s.bool("offload")?.unwrap_or(false);
            s.ignore(&["unknown", "rtab", "ctab"]);
            for class_only in ["parms", "rate64", "ceil64"] {
                if let Some(v) = s.value(class_only) {
                    return Err(s.error(
                        class_only,
                        "absent on an htb qdisc (a class field: give it to tcClasses)",
                        v,
                    ));
                }
            }
            s.finish()?;
            let (mut r2q, mut defcls, mut debug) = (10u32, 0u32, 0u32);
            if let Some(init) = init {
                let mut g = Spec::new(init, format!("{label}.init"));
                if let Some(v) = g.value("version") {
                    if !matches!(v.as_u64(), Some(n) if n == HTB_VERSION as u64 || n == HTB_VER_LISTED as u64)
                    {
                        return Err(g.error("version", "3 (or 196625, 0x30011, as listed)", v));
                    }
                }
                r2q = g.u32("rate2quantum")?.unwrap_or(10);
                defcls = g.u32("defcls")?.unwrap_or(0);
                debug = g.u32("debug")?.unwrap_or(0);
                g.ignore(&["directPkts"]);
                g.finish()?;
            }
            let mut glob = Vec::with_capacity(20);
            for v in [HTB_VERSION, r2q, defcls, debug, 0] {
                glob.extend_from_slice(&v.to_ne_bytes());
            }
            let mut out = Vec::new();
            push_attr(&mut out, 2, &glob);
            if let Some(q) = direct_qlen {
                push_attr(&mut out, 5, &q.to_ne_bytes());
            }
            if offload {
                push_attr(&mut out, 9, &[]);
            }
            Ok(Some(out))
        }
        "tbf" => Ok(Some(tbf_options(&label, o)?)),
        "prio" => {
            let mut s = Spec::new(o, label.clone());
            let bands = s.int("bands", 2, 16)?.unwrap_or(3) as i32;
            let priomap = match s.array("priomap")? {
                None => PRIOMAP.to_vec(),
                Some(a) => {
                    let map: Option<Vec<u8>> = a
                        .iter()
                        .map(|v| v.as_u64().filter(|n| *n < bands as u64).map(|n| n as u8))
                        .collect();
                    match map {
                        Some(m) if m.len() == 16 => m,
                        _ => {
                            return Err(invalid(format!(
                                "{label}: priomap must be 16 bands, each from 0 to {} (bands - 1), got {}",
                                bands - 1,
                                Value::Array(a.clone())
                            )))
                        }
                    }
                }
            };
            if let Some(v) = s.value("multiqueue") {
                if v.as_bool() != Some(false) {
                    return Err(s.error(
                        "multiqueue",
                        "false or absent (prio's multiqueue mode is not supported)",
                        v,
                    ));
                }
            }
            s.ignore(&["unknown"]);
            s.finish()?;
            let mut out = bands.to_ne_bytes().to_vec();
            out.extend_from_slice(&priomap);
            Ok(Some(out))
        }
        "pfifo_fast" => {
            // Its bands and priomap are fixed: listed, never taken.
            let mut s = Spec::new(o, label);
            s.ignore(&["bands", "priomap", "multiqueue", "unknown"]);
            s.finish()?;
            Ok(None)
        }
        "pfifo" | "bfifo" | "pfifo_head_drop" => {
            let mut s = Spec::new(o, label);
            let limit = s.u32("limit")?;
            s.finish()?;
            Ok(limit.map(|l| l.to_ne_bytes().to_vec()))
        }
        _ => {
            // clsact and ingress have no options (listed as {}); other kinds
            // are created with the kernel's defaults.
            no_other_options(
                &label,
                o,
                &format!("must be empty: the options of a {kind} qdisc are not encoded (clsact and ingress have none; htb, tbf, prio, pfifo, bfifo and pfifo_head_drop are)"),
            )?;
            Ok(None)
        }
    }
}

/// struct tc_ratespec from its JSON form; the rate itself comes from the
/// caller (`rate`, saturated when a 64-bit rate goes with it).
fn ratespec_bytes(label: &str, r: &Map<String, Value>) -> Result<(Vec<u8>, u32), Error> {
    let mut s = Spec::new(r, label.to_string());
    let cell_log = s.u8("cellLog")?.unwrap_or(0);
    let linklayer = s.u8("linklayer")?.unwrap_or(LINKLAYER_ETHERNET);
    let overhead = s.u16("overhead")?.unwrap_or(0);
    let cell_align = s
        .int("cellAlign", i16::MIN as i64, i16::MAX as i64)?
        .unwrap_or(0) as i16;
    let mpu = s.u16("mpu")?.unwrap_or(0);
    let rate = s.u32("rate")?.unwrap_or(0);
    s.ignore(&["linklayerName"]);
    s.finish()?;
    let mut b = vec![cell_log, linklayer];
    b.extend_from_slice(&overhead.to_ne_bytes());
    b.extend_from_slice(&cell_align.to_ne_bytes());
    b.extend_from_slice(&mpu.to_ne_bytes());
    b.extend_from_slice(&rate.to_ne_bytes());
    Ok((b, rate))
}

/// A rate for a request: the struct's 32-bit field and the 64-bit
/// attribute, from a ratespec and/or a `*64` field; (bytes, effective rate).
fn rate_pair(
    label: &str,
    spec: Option<&Map<String, Value>>,
    rate64: Option<u64>,
) -> Result<(Vec<u8>, u64), Error> {
    let empty = Map::new();
    let (mut bytes, r32) = ratespec_bytes(label, spec.unwrap_or(&empty))?;
    let effective = (r32 as u64).max(rate64.unwrap_or(0));
    // The struct's rate saturates when the 64-bit attribute carries it.
    let field = effective.min(u32::MAX as u64) as u32;
    bytes[8..12].copy_from_slice(&field.to_ne_bytes());
    Ok((bytes, effective))
}

/// psched ticks to send `bytes` at `rate` bytes/s (tc's tc_calc_xmittime).
fn xmit_ticks(rate: u64, bytes: u64) -> u32 {
    if rate == 0 {
        return 0;
    }
    (bytes as f64 / rate as f64 * TICKS_PER_SEC).min(u32::MAX as f64) as u32
}

/// tc's default bucket: the time of one 1600-byte packet (rate/HZ + mtu,
/// HZ 10^9 from /proc/net/psched on a high-resolution kernel).
fn default_buffer(rate: u64) -> u32 {
    xmit_ticks(rate, rate / 1_000_000_000 + 1600)
}

fn u64_field<'a>(s: &mut Spec<'a>, field: &'a str) -> Result<Option<u64>, Error> {
    let Some(v) = s.value(field) else {
        return Ok(None);
    };
    v.as_u64()
        .map(Some)
        .ok_or_else(|| s.error(field, "an integer from 0 to 18446744073709551615", v))
}

fn tbf_options(label: &str, o: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut s = Spec::new(o, label.to_string());
    let parms = s.object("parms")?;
    let rate64 = u64_field(&mut s, "rate64")?;
    let prate64 = u64_field(&mut s, "prate64")?;
    let burst = s.u32("burst")?;
    let pburst = s.u32("pburst")?;
    s.ignore(&["unknown", "rtab", "ptab"]);
    s.finish()?;
    let empty = Map::new();
    let mut p = Spec::new(parms.unwrap_or(&empty), format!("{label}.parms"));
    let rate = p.object("rate")?;
    let peak = p.object("peakrate")?;
    let limit = p.u32("limit")?.unwrap_or(0);
    let buffer = p.u32("buffer")?;
    let mtu = p.u32("mtu")?.unwrap_or(0);
    p.finish()?;
    let (rate_b, effective) = rate_pair(&format!("{label}.parms.rate"), rate, rate64)?;
    if effective == 0 {
        return Err(invalid(format!(
            "{label}: a rate is required (parms.rate.rate in bytes/s, or rate64)"
        )));
    }
    let (peak_b, peak_eff) = rate_pair(&format!("{label}.parms.peakrate"), peak, prate64)?;
    let buffer = match (buffer, burst) {
        (Some(b), _) => b,
        (None, Some(bytes)) => xmit_ticks(effective, bytes as u64),
        (None, None) => {
            return Err(invalid(format!(
            "{label}: a bucket size is required (parms.buffer in psched ticks, or burst in bytes)"
        )))
        }
    };
    let mut qopt = rate_b;
    qopt.extend_from_slice(&peak_b);
    for v in [limit, buffer, mtu] {
        qopt.extend_from_slice(&v.to_ne_bytes());
    }
    let mut out = Vec::new();
    push_attr(&mut out, 1, &qopt);
    if effective > u32::MAX as u64 {
        push_attr(&mut out, 4, &effective.to_ne_bytes());
    }
    if peak_eff > u32::MAX as u64 {
        push_attr(&mut out, 5, &peak_eff.to_ne_bytes());
    }
    if let Some(b) = burst {
        push_attr(&mut out, 6, &b.to_ne_bytes());
    }
    if let Some(b) = pburst {
        push_attr(&mut out, 7, &b.to_ne_bytes());
    }
    Ok(out)
}

fn class<'a>(
    spec: &mut Spec<'a>,
    verb: Verb,
    kind: Option<&'a str>,
    t: &mut Encoded,
) -> Result<(), Error> {
    let Some(handle) = spec.u32("handle")? else {
        return Err(spec.missing("handle", "the class id, major << 16 | minor"));
    };
    t.handle = handle;
    t.parent = spec.u32("parent")?.unwrap_or(0);
    t.what = format!(
        "{} {}{} on {}",
        kind.map(|k| format!(" {k}")).unwrap_or_default(),
        classid_name(handle),
        if t.parent != 0 {
            format!(" parent {}", classid_name(t.parent))
        } else {
            String::new()
        },
        link_words(t.ifindex)
    );
    if verb == Verb::Del {
        spec.ignore(&["options", "rate"]);
        return Ok(());
    }
    let Some(kind) = kind else {
        return Err(spec.missing("kind", "the class kind: 'htb'"));
    };
    let op = spec.what().to_string();
    if kind != "htb" {
        if let Some(v) = spec.value("options") {
            return Err(spec.error(
                "options",
                &format!("absent for a {kind} class (only htb classes' options are encoded)"),
                v,
            ));
        }
    }
    t.kind = Some(kind.to_string());
    if kind == "htb" {
        let empty = Map::new();
        let o = spec.object("options")?.unwrap_or(&empty);
        t.options = Some(htb_class_options(&format!("{op}: options"), o)?);
    }
    t.rate = estimator(spec)?;
    Ok(())
}

fn htb_class_options(label: &str, o: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut s = Spec::new(o, label.to_string());
    let parms = s.object("parms")?;
    let rate64 = u64_field(&mut s, "rate64")?;
    let ceil64 = u64_field(&mut s, "ceil64")?;
    s.ignore(&["unknown", "rtab", "ctab"]);
    for qdisc_only in ["init", "directQlen", "offload"] {
        if let Some(v) = s.value(qdisc_only) {
            return Err(s.error(
                qdisc_only,
                "absent on an htb class (a qdisc field: give it to qdiscs)",
                v,
            ));
        }
    }
    s.finish()?;
    let Some(parms) = parms else {
        return Err(invalid(format!(
            "{label}: parms is required (struct tc_htb_opt: at least rate.rate in bytes/s)"
        )));
    };
    let mut p = Spec::new(parms, format!("{label}.parms"));
    let rate = p.object("rate")?;
    let ceil = p.object("ceil")?;
    let buffer = p.u32("buffer")?;
    let cbuffer = p.u32("cbuffer")?;
    let quantum = p.u32("quantum")?.unwrap_or(0);
    let prio = p.int("prio", 0, 7)?.unwrap_or(0) as u32;
    p.ignore(&["level"]);
    p.finish()?;
    let (rate_b, rate_eff) = rate_pair(&format!("{label}.parms.rate"), rate, rate64)?;
    if rate_eff == 0 {
        return Err(invalid(format!(
            "{label}: a rate is required (parms.rate.rate in bytes/s, or rate64), got none"
        )));
    }
    // ceil defaults to rate, as in tc.
    let (ceil_b, ceil_eff) = match (ceil, ceil64) {
        (None, None) => (rate_b.clone(), rate_eff),
        _ => rate_pair(&format!("{label}.parms.ceil"), ceil, ceil64)?,
    };
    if ceil_eff == 0 {
        return Err(invalid(format!(
            "{label}: parms.ceil.rate must be more than 0 (or absent: the rate)"
        )));
    }
    let mut opt = rate_b;
    opt.extend_from_slice(&ceil_b);
    for v in [
        buffer.unwrap_or_else(|| default_buffer(rate_eff)),
        cbuffer.unwrap_or_else(|| default_buffer(ceil_eff)),
        quantum,
        0, // level: the kernel's
        prio,
    ] {
        opt.extend_from_slice(&v.to_ne_bytes());
    }
    let mut out = Vec::new();
    push_attr(&mut out, 1, &opt);
    if rate_eff > u32::MAX as u64 {
        push_attr(&mut out, 6, &rate_eff.to_ne_bytes());
    }
    if ceil_eff > u32::MAX as u64 {
        push_attr(&mut out, 7, &ceil_eff.to_ne_bytes());
    }
    Ok(out)
}

fn filter<'a>(
    spec: &mut Spec<'a>,
    verb: Verb,
    kind: Option<&'a str>,
    t: &mut Encoded,
) -> Result<(), Error> {
    let del = verb == Verb::Del;
    t.parent = spec.u32("parent")?.unwrap_or(0);
    t.handle = spec.u32("handle")?.unwrap_or(0);
    let prio = spec.u16("prio")?;
    let prio = match (prio, del) {
        (Some(p), _) => p,
        (None, false) => 0,
        (None, true) => {
            return Err(spec.missing(
                "prio",
                "the filter's priority; 0 deletes every filter of the parent",
            ))
        }
    };
    let protocol = spec
        .u16("protocol")?
        .unwrap_or(if del { 0 } else { ETH_P_ALL });
    t.info = (prio as u32) << 16 | protocol.to_be() as u32;
    t.chain = spec.u32("chain")?;
    t.kind = kind.map(str::to_string);
    let mut what = String::new();
    if let Some(k) = kind {
        what.push_str(&format!(" {k}"));
    }
    if t.handle != 0 {
        what.push_str(&format!(
            " {}",
            if kind == Some("u32") {
                u32_handle_name(t.handle)
            } else {
                format!("0x{:x}", t.handle)
            }
        ));
    }
    if prio != 0 {
        what.push_str(&format!(" pref {prio}"));
    }
    if protocol != 0 {
        what.push_str(&format!(" protocol {}", protocol_name(protocol)));
    }
    if let Some(c) = t.chain {
        what.push_str(&format!(" chain {c}"));
    }
    what.push_str(&format!(
        " parent {} on {}",
        classid_name(t.parent),
        link_words(t.ifindex)
    ));
    t.what = what;
    if del {
        spec.ignore(&["options"]);
        return Ok(());
    }
    let Some(kind) = kind else {
        return Err(spec.missing("kind", "the classifier: 'u32' or 'matchall'"));
    };
    let label = format!("{}: options", spec.what());
    let options = spec.object("options")?;
    t.options = match (kind, options) {
        (_, None) => None,
        ("u32", Some(o)) => Some(u32_options(&label, o)?),
        ("matchall", Some(o)) => Some(matchall_options(&label, o)?),
        (k, Some(o)) => {
            no_other_options(
                &label,
                o,
                &format!(
                    "must be absent for a {k} filter (only u32 and matchall options are encoded)"
                ),
            )?;
            None
        }
    };
    Ok(())
}

/// A field of a classifier that holds actions: refused (no tc actions here,
/// and the decoder keeps them as hex).
fn refuse_actions<'a>(s: &mut Spec<'a>, fields: &[&'a str]) -> Result<(), Error> {
    for f in fields {
        if let Some(v) = s.value(f) {
            return Err(s.error(
                f,
                "absent (filters with tc actions or policers are not supported)",
                v,
            ));
        }
    }
    Ok(())
}

fn cls_flags<'a>(s: &mut Spec<'a>) -> Result<Option<u32>, Error> {
    Ok(s.u32("flags")?.map(|f| f & CLS_FLAGS_SETTABLE))
}

fn u32_options(label: &str, o: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut s = Spec::new(o, label.to_string());
    refuse_actions(&mut s, &["act", "police"])?;
    let classid = s.u32("classid")?;
    let hash = s.u32("hash")?;
    let link = s.u32("link")?;
    let divisor = s.int("divisor", 1, 256)?;
    let sel = s.object("sel")?;
    let mark = s.object("mark")?;
    let flags = cls_flags(&mut s)?;
    let indev = s.str("indev")?;
    s.ignore(&[
        "fh",
        "order",
        "classidName",
        "keyHt",
        "bkt",
        "linkName",
        "flagNames",
        "pcnt",
        "unknown",
    ]);
    s.finish()?;
    let mut out = Vec::new();
    if let Some(c) = classid {
        push_attr(&mut out, 1, &c.to_ne_bytes());
    }
    if let Some(h) = hash {
        push_attr(&mut out, 2, &h.to_ne_bytes());
    }
    if let Some(l) = link {
        push_attr(&mut out, 3, &l.to_ne_bytes());
    }
    if let Some(d) = divisor {
        push_attr(&mut out, 4, &(d as u32).to_ne_bytes());
    }
    if let Some(sel) = sel {
        push_attr(&mut out, 5, &u32_sel(&format!("{label}.sel"), sel)?);
    }
    if let Some(i) = indev {
        if i.is_empty() || i.len() >= 16 {
            return Err(invalid(format!(
                "{label}: indev must be a link name of 1 to 15 bytes, got '{i}'"
            )));
        }
        let mut b = i.as_bytes().to_vec();
        b.push(0);
        push_attr(&mut out, 8, &b);
    }
    if let Some(m) = mark {
        let mut ms = Spec::new(m, format!("{label}.mark"));
        let val = ms.u32("val")?.unwrap_or(0);
        let mask = ms.u32("mask")?.unwrap_or(0xffff_ffff);
        ms.ignore(&["success"]);
        ms.finish()?;
        let mut b = val.to_ne_bytes().to_vec();
        b.extend_from_slice(&mask.to_ne_bytes());
        b.extend_from_slice(&0u32.to_ne_bytes());
        push_attr(&mut out, 10, &b);
    }
    if let Some(f) = flags {
        push_attr(&mut out, 11, &f.to_ne_bytes());
    }
    Ok(out)
}

/// struct tc_u32_sel + its keys; `mask`, `val`, `offmask`, `hmask` are
/// host-order numbers of big-endian fields (as listed).
fn u32_sel(label: &str, sel: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut s = Spec::new(sel, label.to_string());
    let flags = s.u8("flags")?.unwrap_or(0);
    let offshift = s.u8("offshift")?.unwrap_or(0);
    let nkeys = s.u8("nkeys")?;
    let offmask = s.u16("offmask")?.unwrap_or(0);
    let off = s.u16("off")?.unwrap_or(0);
    let offoff = s
        .int("offoff", i16::MIN as i64, i16::MAX as i64)?
        .unwrap_or(0) as i16;
    let hoff = s
        .int("hoff", i16::MIN as i64, i16::MAX as i64)?
        .unwrap_or(0) as i16;
    let hmask = s.u32("hmask")?.unwrap_or(0);
    let keys = s.array("keys")?;
    s.ignore(&["flagNames"]);
    s.finish()?;
    let keys = keys.map(Vec::as_slice).unwrap_or(&[]);
    if keys.len() > 128 {
        return Err(invalid(format!(
            "{label}: keys must be at most 128, got {}",
            keys.len()
        )));
    }
    if let Some(n) = nkeys {
        if n as usize != keys.len() {
            return Err(invalid(format!(
                "{label}: nkeys ({n}) must be the number of keys ({}), or absent",
                keys.len()
            )));
        }
    }
    let mut out = vec![flags, offshift, keys.len() as u8, 0];
    out.extend_from_slice(&offmask.to_be_bytes());
    out.extend_from_slice(&off.to_ne_bytes());
    out.extend_from_slice(&offoff.to_ne_bytes());
    out.extend_from_slice(&hoff.to_ne_bytes());
    out.extend_from_slice(&hmask.to_be_bytes());
    for (i, k) in keys.iter().enumerate() {
        let kl = format!("{label}.keys[{i}]");
        let Some(k) = k.as_object() else {
            return Err(invalid(format!(
                "{kl} must be an object {{ mask, val, off, offmask }}"
            )));
        };
        let mut ks = Spec::new(k, kl);
        let mask = ks.u32("mask")?.unwrap_or(0);
        let val = ks.u32("val")?.unwrap_or(0);
        let off = ks.i32("off")?.unwrap_or(0);
        let offmask = ks.i32("offmask")?.unwrap_or(0);
        ks.finish()?;
        out.extend_from_slice(&mask.to_be_bytes());
        out.extend_from_slice(&(val & mask).to_be_bytes());
        out.extend_from_slice(&off.to_ne_bytes());
        out.extend_from_slice(&offmask.to_ne_bytes());
    }
    Ok(out)
}

fn matchall_options(label: &str, o: &Map<String, Value>) -> Result<Vec<u8>, Error> {
    let mut s = Spec::new(o, label.to_string());
    refuse_actions(&mut s, &["act"])?;
    let classid = s.u32("classid")?;
    let flags = cls_flags(&mut s)?;
    s.ignore(&["classidName", "flagNames", "rhit", "unknown"]);
    s.finish()?;
    let mut out = Vec::new();
    if let Some(c) = classid {
        push_attr(&mut out, 1, &c.to_ne_bytes());
    }
    if let Some(f) = flags {
        push_attr(&mut out, 3, &f.to_ne_bytes());
    }
    Ok(out)
}

fn chain<'a>(spec: &mut Spec<'a>, kind: Option<&'a str>, t: &mut Encoded) -> Result<(), Error> {
    let Some(chain) = spec.u32("chain")? else {
        return Err(spec.missing("chain", "the chain index"));
    };
    t.chain = Some(chain);
    t.parent = spec.u32("parent")?.unwrap_or(0);
    // A chain's tcm_handle is 0 (listed as such): accepted, not sent.
    spec.ignore(&["handle"]);
    if let Some(v) = spec.value("options") {
        return Err(spec.error(
            "options",
            "absent (chain template options are not supported)",
            v,
        ));
    }
    t.kind = kind.map(str::to_string);
    t.what = format!(
        " {chain} parent {} on {}",
        classid_name(t.parent),
        link_words(t.ifindex)
    );
    Ok(())
}
