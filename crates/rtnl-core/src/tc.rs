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
use serde_with::skip_serializing_none;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TcObject {
    Qdisc,
    Class,
    Filter,
    Chain,
}

impl TcObject {
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

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tc {
    /// Which object this is ('qdisc', 'class', 'filter', 'chain'), from the message type.
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
    /// tcm_info: qdisc refcount; class leaf qdisc handle; filter
    /// priority (high 16 bits) and protocol (low 16, network byte order).
    pub info: u32,
    /// A qdisc's reference count (tcm_info); tc prints it when not 1.
    pub refcnt: Option<u32>,
    /// A class's leaf qdisc handle (tcm_info), when it has one.
    pub leaf: Option<u32>,
    /// `leaf` as tc prints it ("10:").
    pub leaf_name: Option<String>,
    /// A filter's priority (tcm_info >> 16), tc's `pref`.
    pub prio: Option<u16>,
    /// A filter's protocol (ntohs(tcm_info & 0xffff)), an ETH_P_* value.
    pub protocol: Option<u16>,
    /// `protocol` as tc names it ("ip", "ipv6", "all", "802.1Q", "arp", ... or "[N]").
    pub protocol_name: Option<String>,
    /// TCA_KIND: the qdisc, class or classifier kind ("htb", "u32", ...).
    pub kind: Option<String>,
    /// TCA_OPTIONS decoded per kind (see TcOptions).
    pub options: Option<TcOptions>,
    /// TCA_STATS: the legacy struct tc_stats, only from a kernel that sends no
    /// TCA_STATS2 (which carries the same counters: the kernel fills both
    /// from one copy, so a message with both keeps stats2 alone).
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
    pub unknown: Vec<UnknownAttr>,
}

/// struct nla_bitfield32.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Bitfield32 {
    /// The bits.
    pub value: u32,
    /// Which bits `value` sets.
    pub selector: u32,
}

/// struct tc_estimator.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcEstimator {
    /// Sampling interval, log2 of 250 ms units (-2 = 1/4 s ... 3 = 8 s).
    pub interval: i8,
    /// The EWMA time constant, log2.
    pub ewma_log: u8,
}

/// struct tc_stats (TCA_STATS).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcStats2 {
    /// TCA_STATS_BASIC: struct gnet_stats_basic.
    pub basic: Option<StatsBasic>,
    /// TCA_STATS_RATE_EST: struct gnet_stats_rate_est (present with an estimator).
    pub rate_est: Option<RateEst>,
    /// TCA_STATS_RATE_EST64: struct gnet_stats_rate_est64.
    pub rate_est64: Option<RateEst>,
    /// TCA_STATS_QUEUE: struct gnet_stats_queue.
    pub queue: Option<StatsQueue>,
    /// TCA_STATS_APP: the kind-specific statistics, only when they differ
    /// from TCA_XSTATS (the kernel sends the same bytes in both: kept once,
    /// as `xstats`).
    pub app: Option<TcXstats>,
    /// TCA_STATS_BASIC_HW: the hardware part of `basic`.
    pub basic_hw: Option<StatsBasic>,
    /// TCA_STATS_PKT64: the 64-bit packet count (when `basic.packets` wrapped).
    pub pkt64: Option<u64>,
    /// TCA_STATS_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// struct gnet_stats_basic.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct StatsBasic {
    /// Bytes.
    pub bytes: u64,
    /// Packets (32 bits; TCA_STATS_PKT64 has the full count).
    pub packets: u32,
}

/// struct gnet_stats_rate_est / _est64.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RateEst {
    /// Bytes per second.
    pub bps: u64,
    /// Packets per second.
    pub pps: u64,
}

/// struct gnet_stats_queue.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TcStab {
    /// TCA_STAB_BASE: struct tc_sizespec.
    pub base: Option<SizeSpec>,
    /// TCA_STAB_DATA: the u16 size table.
    pub data: Option<Vec<u16>>,
    /// TCA_STAB_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_sizespec.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

/// TCA_OPTIONS, decoded per TCA_KIND. Serialised as a plain object; which
/// shape it has follows from `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// Options of a kind without a decoder.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OtherOptions {
    /// The whole TCA_OPTIONS payload as hex, when it is not a valid attribute list.
    pub raw: Option<String>,
    /// The attributes, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_ratespec.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

/// kind "htb": the qdisc's TCA_HTB_INIT/DIRECT_QLEN/OFFLOAD and the class's
/// TCA_HTB_PARMS/RATE64/CEIL64.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_htb_glob.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_tbf_qopt. `buffer`/`mtu` are psched ticks (tc's `burst` is
/// rate * buffer ticks in seconds; `lat` = limit/rate - buffer time).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PrioOptions {
    /// Number of bands.
    pub bands: i32,
    /// Band of each of the 16 priorities (TC_PRIO_MAX+1).
    pub priomap: Vec<u8>,
    /// TCA_PRIO_MQ: the bands map to hardware queues (tc prints false when absent).
    pub multiqueue: Option<bool>,
    /// Attributes after the struct not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_fifo_qopt.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FifoOptions {
    /// Queue limit: packets (pfifo, pfifo_head_drop) or bytes (bfifo).
    pub limit: u32,
}

/// kind "fq_codel": TCA_FQ_CODEL_*.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// classifier "u32": TCA_U32_*, plus the handle parts tc prints.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// struct tc_u32_sel.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

/// struct tc_u32_key. tc prints `match` {value: val in hex, mask in hex,
/// offmask: "nexthdr+" when offmask is not 0, off}.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct U32Mark {
    /// val.
    pub val: u32,
    /// mask.
    pub mask: u32,
    /// success: packets that matched.
    pub success: u32,
}

/// struct tc_u32_pcnt.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// classifier "bpf": TCA_BPF_*.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
    pub unknown: Vec<UnknownAttr>,
}

/// struct sock_filter.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

/// Kind-specific statistics (TCA_XSTATS, TCA_STATS_APP). Plain object; its
/// shape follows from `kind`.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RawXstats {
    /// The payload, hex.
    pub raw: String,
}

/// struct tc_htb_xstats.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FqCodelXstats {
    /// TCA_FQ_CODEL_XSTATS_QDISC (0) or TCA_FQ_CODEL_XSTATS_CLASS (1).
    #[serde(rename = "type")]
    pub kind: u32,
    /// struct tc_fq_codel_qd_stats (type 0).
    pub qdisc: Option<FqCodelQdStats>,
    /// struct tc_fq_codel_cl_stats (type 1).
    pub class: Option<FqCodelClStats>,
}

/// struct tc_fq_codel_qd_stats. The last three fields came with later
/// kernels and are absent when the struct is shorter.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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

fn ratespec(d: &[u8], off: usize) -> Option<RateSpec> {
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

fn decode_stats2(d: &[u8], kind: &str) -> Result<TcStats2, DecodeError> {
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
            TCA_DUMP_FLAGS if data.len() >= 8 => {
                t.dump_flags = Some(Bitfield32 {
                    value: wire::u32_at(data, 0).unwrap_or(0),
                    selector: wire::u32_at(data, 4).unwrap_or(0),
                })
            }
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
