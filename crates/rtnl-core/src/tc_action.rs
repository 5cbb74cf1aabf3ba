//! Standalone tc actions (`tc actions`): RTM_NEWACTION / RTM_DELACTION,
//! struct tcamsg + TCA_ROOT_*, each action a nest of TCA_ACT_* in
//! TCA_ROOT_TAB. One message carries many actions (a dump up to 32 a
//! message, an event those one command changed), so `decode` yields each.
//!
//! The kernel dumps actions per action kind (`tc actions ls action gact`):
//! `list()` asks for each kind it decodes, or the one the filter names. A
//! kind whose module is not loaded dumps nothing (no module is loaded by
//! a dump), which is what there is of it.
//!
//! Pure decoding and request building, on any thread.

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::error::Error;
use crate::fields;
use crate::kind::{zeroed_header, Dump, Filter, GetRequest, Key, KindDecl, KindDef, Op};
use crate::protocol::push_attr;
use crate::spec::Spec;
use crate::tc::{bitfield32, decode_stats2, ratespec, Bitfield32, RateSpec, TcStats2};
use crate::wire::{self, attrs, check, need, u32_of, DecodeError, UnknownAttr, NLA_F_NESTED};

pub const RTM_NEWACTION: u16 = 48;
pub const RTM_DELACTION: u16 = 49;
pub const RTM_GETACTION: u16 = 50;
/// sizeof(struct tcamsg): family and two pad fields, 4 bytes.
pub const HEADER_LEN: usize = 4;

/// Standalone tc actions (`tc actions`).
pub const TC_ACTIONS: KindDef<TcAction> = KindDef {
    decl: KindDecl {
        name: "tcActions",
        ops: &[
            Op {
                nlmsg_type: RTM_NEWACTION,
                name: "new_action",
                removes: false,
                listed: true,
            },
            Op {
                nlmsg_type: RTM_DELACTION,
                name: "del_action",
                removes: true,
                listed: true,
            },
        ],
        get_type: Some(RTM_GETACTION),
        header_len: HEADER_LEN,
        groups: &["TC"],
        dump: Dump::Bodies {
            bodies: dump_bodies,
            empty_when: None,
        },
        get: Some(get_request),
        encode: None,
        list_filters: &["kind"],
        // Counters and times; usedHwStats comes once the kernel has read the
        // statistics, so an action's first event lacks it.
        moving: &["stats", "tm", "usedHwStats"],
        scope_keys: &[],
        watch_key: Key::of(
            &["kind", "index"],
            "the kernel keeps actions per kind, each kind numbering its own by index (tc actions get action KIND index N)",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        for a in decode(p)? {
            each(a)
        }
        Ok(())
    },
    keeps: |a, f| {
        f.action_kind
            .as_deref()
            .is_none_or(|k| a.kind.as_deref() == Some(k))
    },
};

/// The action kinds `list()` dumps when the filter names none: those this
/// module decodes, and the others `tc` knows, whose options stay `unknown`.
pub const LISTED_KINDS: &[&str] = &[
    "gact",
    "mirred",
    "police",
    "skbedit",
    "vlan",
    "pedit",
    "csum",
    "tunnel_key",
    "ct",
    "ctinfo",
    "nat",
    "connmark",
    "sample",
    "bpf",
    "simple",
    "skbmod",
    "ife",
    "mpls",
    "gate",
];

/// One dump request per action kind.
fn dump_bodies(f: &Filter) -> Vec<Vec<u8>> {
    let one = |kind: &str| action_request(kind, None);
    match f.action_kind.as_deref() {
        Some(kind) => vec![one(kind)],
        None => LISTED_KINDS.iter().map(|k| one(k)).collect(),
    }
}

/// tcamsg + TCA_ROOT_TAB { 1: { TCA_ACT_KIND, [TCA_ACT_INDEX] } }: what a
/// dump (by kind) and a get (by kind and index) send.
fn action_request(kind: &str, index: Option<u32>) -> Vec<u8> {
    let mut action = Vec::new();
    push_attr(&mut action, TCA_ACT_KIND, &fields::cstr(kind));
    if let Some(i) = index {
        push_attr(&mut action, TCA_ACT_INDEX, &i.to_ne_bytes());
    }
    let mut tab = Vec::new();
    push_attr(&mut tab, NLA_F_NESTED | 1, &action);
    let mut body = zeroed_header(HEADER_LEN, 0);
    push_attr(&mut body, NLA_F_NESTED | TCA_ROOT_TAB, &tab);
    body
}

/// `tc actions get action KIND index N`: the kernel answers ENOENT for an
/// index it does not hold, EINVAL (with an ext-ack) for a kind it does not know.
fn get_request(q: &mut Spec) -> Result<GetRequest, Error> {
    let kind = q
        .str("kind")?
        .ok_or_else(|| q.missing("kind", "the action kind, such as 'gact'"))?
        .to_string();
    let index = q
        .u32("index")?
        .ok_or_else(|| q.missing("index", "the action's index"))?;
    Ok(GetRequest {
        body: action_request(&kind, Some(index)),
        what: format!("getting {kind} action {index}"),
        flags: 0,
        none: &[libc::ENOENT],
    })
}

const TCA_ROOT_TAB: u16 = 1;
const TCA_ROOT_FLAGS: u16 = 2;
const TCA_ROOT_COUNT: u16 = 3;
const TCA_ROOT_TIME_DELTA: u16 = 4;
const TCA_ROOT_EXT_WARN_MSG: u16 = 5;

const TCA_ACT_KIND: u16 = 1;
const TCA_ACT_OPTIONS: u16 = 2;
const TCA_ACT_INDEX: u16 = 3;
const TCA_ACT_STATS: u16 = 4;
const TCA_ACT_PAD: u16 = 5;
const TCA_ACT_COOKIE: u16 = 6;
const TCA_ACT_FLAGS: u16 = 7;
const TCA_ACT_HW_STATS: u16 = 8;
const TCA_ACT_USED_HW_STATS: u16 = 9;
const TCA_ACT_IN_HW_COUNT: u16 = 10;

/// A tc action, standalone (`tc actions ls action KIND`), as
/// `tcActions.list()` returns it and `new_action`/`del_action` events carry
/// it: TCA_ACT_* and the kind's options, with the names `tc -j` prints.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// for (const a of await tcActions.list({ kind: 'mirred' })) {
///   console.log(a.index, a.controlAction?.type, a.mirred?.action, a.mirred?.direction, a.mirred?.ifindex)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct TcAction {
    /// TCA_ACT_KIND: "gact", "mirred", "police", ...
    pub kind: Option<String>,
    /// Its place in the message it came in (the nest's type: a dump
    /// numbers its actions from 0, an event from 1, as tc prints `order`).
    pub order: u16,
    /// TCA_ACT_INDEX: the action's number among its kind's.
    pub index: Option<u32>,
    /// What happens to the packet after it (the kind's `action`): tc's `control_action`.
    pub control_action: Option<ControlAction>,
    /// References: tc's `ref`.
    pub refcnt: Option<i32>,
    /// Filters bound to it: tc's `bind`.
    pub bindcnt: Option<i32>,
    /// The kind's `capab` field.
    pub capab: Option<u32>,
    /// The kind's TM attribute: when it was installed and used.
    pub tm: Option<ActionTimes>,
    /// gact (generic action: pass, drop, ... with an optional random choice).
    pub gact: Option<GactOptions>,
    /// mirred (mirror or redirect to a link).
    pub mirred: Option<MirredOptions>,
    /// police (a token-bucket rate limit).
    pub police: Option<PoliceOptions>,
    /// TCA_ACT_STATS: the generic statistics (as tc's `stats`).
    pub stats: Option<TcStats2>,
    /// TCA_ACT_COOKIE: the user's opaque cookie, as hex.
    pub cookie: Option<String>,
    /// TCA_ACT_FLAGS (TCA_ACT_FLAGS_NO_PERCPU_STATS 1, SKIP_HW 2, SKIP_SW 4).
    pub flags: Option<Bitfield32>,
    /// TCA_ACT_HW_STATS: the hardware statistics types asked for.
    pub hw_stats: Option<Bitfield32>,
    /// TCA_ACT_USED_HW_STATS: the types in use.
    pub used_hw_stats: Option<Bitfield32>,
    /// TCA_ACT_IN_HW_COUNT: the devices holding it in hardware.
    pub in_hw_count: Option<u32>,
    /// The kind's options this module does not decode (another kind, or a
    /// newer attribute), kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub options_unknown: Vec<UnknownAttr>,
    /// TCA_ACT_* not decoded, kept as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
    /// TCA_ROOT_* of the message it came in that are not decoded (a newer
    /// kernel's), kept as hex on each of its actions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub root_unknown: Vec<UnknownAttr>,
}

/// A TC_ACT_* verdict, as tc prints `control_action`.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// const drops = (await tcActions.list({ kind: 'gact' })).filter((a) => a.controlAction?.type === 'drop')
/// console.log(drops.map((a) => a.index))
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct ControlAction {
    /// The number the kernel sent.
    pub value: i32,
    /// "continue", "pass", "reclassify", "drop", "pipe", "stolen", "queued",
    /// "repeat", "redirect", "trap", "jump", "goto", or the number.
    #[serde(rename = "type")]
    pub kind: String,
    /// For "goto": the chain.
    pub chain: Option<u32>,
    /// For "jump": how many actions to skip.
    pub jump: Option<u32>,
}

/// struct tcf_t, in the clock ticks the kernel sends (USER_HZ, 100 a
/// second): tc prints each divided by it, in seconds.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// for (const a of await tcActions.list()) console.log(a.kind, a.index, 'installed', (a.tm?.install ?? 0) / 100, 's ago')
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ActionTimes {
    /// Ticks since it was installed.
    pub install: u64,
    /// Ticks since it was last used.
    pub lastuse: u64,
    /// Ticks until it expires (0: never).
    pub expires: u64,
    /// Ticks since it was first used (0: never).
    pub firstuse: u64,
}

/// gact's options (TCA_GACT_*): the verdict is `controlAction`.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// for (const a of await tcActions.list({ kind: 'gact' })) console.log(a.index, a.controlAction?.type, a.gact?.prob?.randomType)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct GactOptions {
    /// TCA_GACT_PROB: struct tc_gact_p, another verdict taken at random or every Nth packet.
    pub prob: Option<GactProb>,
}

/// struct tc_gact_p.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// const a = await tcActions.get({ kind: 'gact', index: 1 })
/// if (a?.gact?.prob) console.log(a.gact.prob.randomType, a.gact.prob.val, a.gact.prob.controlAction.type)
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GactProb {
    /// PGACT_NONE 0, PGACT_NETRAND 1, PGACT_DETERM 2.
    pub ptype: u16,
    /// `ptype` as tc prints it: "none", "netrand", "determ".
    pub random_type: String,
    /// The probability (netrand: out of 10000) or the period (determ).
    pub val: u16,
    /// The verdict taken then.
    pub control_action: ControlAction,
}

/// mirred's options (TCA_MIRRED_PARMS, struct tc_mirred).
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// for (const a of await tcActions.list({ kind: 'mirred' })) console.log(`${a.mirred?.direction} ${a.mirred?.action} to ${a.mirred?.ifindex}`)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct MirredOptions {
    /// TCA_EGRESS_REDIR 1, TCA_EGRESS_MIRROR 2, TCA_INGRESS_REDIR 3, TCA_INGRESS_MIRROR 4.
    pub eaction: i32,
    /// "redirect" or "mirror" (tc's `mirred_action`).
    pub action: String,
    /// "egress" or "ingress" (tc's `direction`).
    pub direction: String,
    /// The link it sends to (tc prints its name, `to_dev`).
    pub ifindex: u32,
    /// TCA_MIRRED_BLOCKID: a filter block it sends to instead (kernel 6.10+).
    pub block_id: Option<u32>,
}

/// police's options (TCA_POLICE_*): `controlAction` is what happens over
/// the rate (tc's `conform-exceed` first half), `result` under it.
///
/// @category Traffic control
/// @example
/// ```ts
/// import { tcActions } from 'rtnl'
///
/// for (const a of await tcActions.list({ kind: 'police' })) {
///   console.log(a.index, `${(Number(a.police?.rate64 ?? a.police?.rate?.rate ?? 0) * 8) / 1e6} Mbit/s`, 'burst', a.police?.burst)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct PoliceOptions {
    /// struct tc_police `limit`.
    pub limit: u32,
    /// The bucket, in the kernel's time units (psched ticks) at `rate`.
    pub burst: u32,
    /// The largest packet, bytes.
    pub mtu: u32,
    /// The rate (`rate.rate` saturates at 2^32-1 bytes/s: see `rate64`).
    pub rate: Option<RateSpec>,
    /// The peak rate.
    pub peakrate: Option<RateSpec>,
    /// TCA_POLICE_RATE64: the rate, bytes per second, when over 2^32-1.
    pub rate64: Option<u64>,
    /// TCA_POLICE_PEAKRATE64.
    pub peakrate64: Option<u64>,
    /// TCA_POLICE_AVRATE: the average rate, bytes per second.
    pub avrate: Option<u32>,
    /// TCA_POLICE_RESULT: the verdict under the rate (tc's `notexceed`).
    pub result: Option<ControlAction>,
    /// TCA_POLICE_PKTRATE64: packets per second (packet-rate policing).
    pub pktrate64: Option<u64>,
    /// TCA_POLICE_PKTBURST64: the packet bucket, in time units.
    pub pktburst64: Option<u64>,
}

/// A TC_ACT_* verdict and its name.
pub fn control_action(value: i32) -> ControlAction {
    const EXT_SHIFT: u32 = 28;
    const EXT_VAL_MASK: u32 = (1 << EXT_SHIFT) - 1;
    let v = value as u32;
    let (kind, chain, jump) = match v >> EXT_SHIFT {
        1 => ("jump".to_string(), None, Some(v & EXT_VAL_MASK)),
        2 => ("goto".to_string(), Some(v & EXT_VAL_MASK), None),
        _ => (
            match value {
                -1 => "continue".to_string(),
                0 => "pass".into(),
                1 => "reclassify".into(),
                2 => "drop".into(),
                3 => "pipe".into(),
                4 => "stolen".into(),
                5 => "queued".into(),
                6 => "repeat".into(),
                7 => "redirect".into(),
                8 => "trap".into(),
                n => n.to_string(),
            },
            None,
            None,
        ),
    };
    ControlAction {
        value,
        kind,
        chain,
        jump,
    }
}

/// Decodes one RTM_NEWACTION / RTM_DELACTION / RTM_GETACTION message into
/// its actions, in order.
pub fn decode(payload: &[u8]) -> Result<Vec<TcAction>, DecodeError> {
    need(payload, HEADER_LEN, "tcamsg")?;
    let mut out = Vec::new();
    let mut root_unknown = Vec::new();
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (t, data) in walk.by_ref() {
        match t {
            TCA_ROOT_TAB => {
                let mut tab = attrs(data);
                for (order, action) in tab.by_ref() {
                    out.push(decode_action(order, action)?);
                }
                check(&tab, "TCA_ROOT_TAB")?;
            }
            // The dump's count, flags and time filter, and a warning for
            // the log: about the message, not an action.
            TCA_ROOT_FLAGS | TCA_ROOT_COUNT | TCA_ROOT_TIME_DELTA | TCA_ROOT_EXT_WARN_MSG => {}
            _ => root_unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "tcamsg attributes")?;
    if !root_unknown.is_empty() {
        for a in &mut out {
            a.root_unknown = root_unknown.clone();
        }
    }
    Ok(out)
}

fn decode_action(order: u16, d: &[u8]) -> Result<TcAction, DecodeError> {
    let mut a = TcAction {
        order,
        ..TcAction::default()
    };
    let mut options = None;
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        match t {
            TCA_ACT_KIND => a.kind = Some(wire::string_of(data)),
            TCA_ACT_OPTIONS => options = Some(data),
            TCA_ACT_INDEX if data.len() >= 4 => a.index = u32_of(data),
            TCA_ACT_STATS => a.stats = Some(decode_stats2(data, "")?),
            TCA_ACT_PAD => {}
            TCA_ACT_COOKIE => a.cookie = Some(wire::hex(data)),
            TCA_ACT_FLAGS if data.len() >= 8 => a.flags = bitfield32(data),
            TCA_ACT_HW_STATS if data.len() >= 8 => a.hw_stats = bitfield32(data),
            TCA_ACT_USED_HW_STATS if data.len() >= 8 => a.used_hw_stats = bitfield32(data),
            TCA_ACT_IN_HW_COUNT if data.len() >= 4 => a.in_hw_count = u32_of(data),
            _ => a.unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "tc action")?;
    if let Some(data) = options {
        match a.kind.as_deref() {
            Some("gact") => decode_gact(&mut a, data)?,
            Some("mirred") => decode_mirred(&mut a, data)?,
            Some("police") => decode_police(&mut a, data)?,
            _ => {
                let mut walk = attrs(data);
                for (t, v) in walk.by_ref() {
                    a.options_unknown.push(UnknownAttr::new(t, v));
                }
                check(&walk, "tc action options")?;
            }
        }
    }
    Ok(a)
}

/// struct tcf_t: four u64 tick counts.
fn times(d: &[u8]) -> Option<ActionTimes> {
    Some(ActionTimes {
        install: wire::u64_at(d, 0)?,
        lastuse: wire::u64_at(d, 8)?,
        expires: wire::u64_at(d, 16)?,
        firstuse: wire::u64_at(d, 24)?,
    })
}

/// tc_gen, the head of most kinds' parms: index, capab, action, refcnt, bindcnt.
fn tc_gen(a: &mut TcAction, d: &[u8]) {
    let u = |i: usize| wire::u32_at(d, 4 * i).unwrap_or(0);
    a.index = Some(u(0));
    a.capab = Some(u(1));
    a.control_action = Some(control_action(u(2) as i32));
    a.refcnt = Some(u(3) as i32);
    a.bindcnt = Some(u(4) as i32);
}

/// sizeof(tc_gen).
const TC_GEN_LEN: usize = 20;

const TCA_GACT_TM: u16 = 1;
const TCA_GACT_PARMS: u16 = 2;
const TCA_GACT_PROB: u16 = 3;
const TCA_GACT_PAD: u16 = 4;

fn decode_gact(a: &mut TcAction, d: &[u8]) -> Result<(), DecodeError> {
    let mut g = GactOptions::default();
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        match t {
            TCA_GACT_TM if data.len() >= 32 => a.tm = times(data),
            TCA_GACT_PARMS if data.len() >= TC_GEN_LEN => tc_gen(a, data),
            TCA_GACT_PROB if data.len() >= 8 => {
                let ptype = wire::u16_at(data, 0).unwrap_or(0);
                g.prob = Some(GactProb {
                    ptype,
                    random_type: match ptype {
                        0 => "none".into(),
                        1 => "netrand".into(),
                        2 => "determ".into(),
                        n => n.to_string(),
                    },
                    val: wire::u16_at(data, 2).unwrap_or(0),
                    control_action: control_action(wire::i32_at(data, 4).unwrap_or(0)),
                })
            }
            TCA_GACT_PAD => {}
            _ => a.options_unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "gact options")?;
    a.gact = Some(g);
    Ok(())
}

const TCA_MIRRED_TM: u16 = 1;
const TCA_MIRRED_PARMS: u16 = 2;
const TCA_MIRRED_PAD: u16 = 3;
const TCA_MIRRED_BLOCKID: u16 = 4;

fn decode_mirred(a: &mut TcAction, d: &[u8]) -> Result<(), DecodeError> {
    let mut m = None;
    let mut block_id = None;
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        match t {
            TCA_MIRRED_TM if data.len() >= 32 => a.tm = times(data),
            TCA_MIRRED_PARMS if data.len() >= TC_GEN_LEN + 8 => {
                tc_gen(a, data);
                let eaction = wire::i32_at(data, TC_GEN_LEN).unwrap_or(0);
                let (action, direction) = match eaction {
                    1 => ("redirect", "egress"),
                    2 => ("mirror", "egress"),
                    3 => ("redirect", "ingress"),
                    4 => ("mirror", "ingress"),
                    _ => ("", ""),
                };
                m = Some(MirredOptions {
                    eaction,
                    action: action.into(),
                    direction: direction.into(),
                    ifindex: wire::u32_at(data, TC_GEN_LEN + 4).unwrap_or(0),
                    block_id: None,
                });
            }
            TCA_MIRRED_BLOCKID if data.len() >= 4 => block_id = u32_of(data),
            TCA_MIRRED_PAD => {}
            _ => a.options_unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "mirred options")?;
    a.mirred = m.map(|m| MirredOptions { block_id, ..m });
    Ok(())
}

const TCA_POLICE_TBF: u16 = 1;
const TCA_POLICE_AVRATE: u16 = 4;
const TCA_POLICE_RESULT: u16 = 5;
const TCA_POLICE_TM: u16 = 6;
const TCA_POLICE_PAD: u16 = 7;
const TCA_POLICE_RATE64: u16 = 8;
const TCA_POLICE_PEAKRATE64: u16 = 9;
const TCA_POLICE_PKTRATE64: u16 = 10;
const TCA_POLICE_PKTBURST64: u16 = 11;
/// sizeof(struct tc_police).
const TC_POLICE_LEN: usize = 56;

fn decode_police(a: &mut TcAction, d: &[u8]) -> Result<(), DecodeError> {
    let mut p = PoliceOptions::default();
    let mut walk = attrs(d);
    for (t, data) in walk.by_ref() {
        let u64v = || wire::u64_at(data, 0);
        match t {
            TCA_POLICE_TBF if data.len() >= TC_POLICE_LEN => {
                let u = |off: usize| wire::u32_at(data, off).unwrap_or(0);
                a.index = Some(u(0));
                a.control_action = Some(control_action(u(4) as i32));
                p.limit = u(8);
                p.burst = u(12);
                p.mtu = u(16);
                p.rate = ratespec(data, 20).filter(|r| r.rate != 0);
                p.peakrate = ratespec(data, 32).filter(|r| r.rate != 0);
                a.refcnt = Some(u(44) as i32);
                a.bindcnt = Some(u(48) as i32);
                a.capab = Some(u(52));
            }
            TCA_POLICE_AVRATE if data.len() >= 4 => p.avrate = u32_of(data),
            TCA_POLICE_RESULT if data.len() >= 4 => {
                p.result = Some(control_action(wire::i32_at(data, 0).unwrap_or(0)))
            }
            TCA_POLICE_TM if data.len() >= 32 => a.tm = times(data),
            TCA_POLICE_RATE64 if data.len() >= 8 => p.rate64 = u64v(),
            TCA_POLICE_PEAKRATE64 if data.len() >= 8 => p.peakrate64 = u64v(),
            TCA_POLICE_PKTRATE64 if data.len() >= 8 => p.pktrate64 = u64v(),
            TCA_POLICE_PKTBURST64 if data.len() >= 8 => p.pktburst64 = u64v(),
            TCA_POLICE_PAD => {}
            _ => a.options_unknown.push(UnknownAttr::new(t, data)),
        }
    }
    check(&walk, "police options")?;
    a.police = Some(p);
    Ok(())
}
