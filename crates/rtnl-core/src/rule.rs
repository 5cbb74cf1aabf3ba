//! Policy rules (`ip rule`): RTM_NEWRULE / RTM_DELRULE, struct fib_rule_hdr
//! + FRA_*. neli has no fib_rule_hdr, so this module decodes it by hand.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::fields;
use crate::kind::{new_del, zeroed_header, Dump, Key, KindDecl, KindDef};
use crate::names;
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};
use crate::wire::{
    self, attrs, check, ip, name_of, need, u32_of, DecodeError, KernelName, UnknownAttr,
};

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;
/// sizeof(struct fib_rule_hdr)
pub const HEADER_LEN: usize = 12;

/// Routing rules (`ip rule`).
pub const RULES: KindDef<Rule> = KindDef {
    decl: KindDecl {
        name: "rules",
        ops: &new_del((RTM_NEWRULE, "new_rule"), (RTM_DELRULE, "del_rule")),
        get_type: Some(RTM_GETRULE),
        header_len: HEADER_LEN,
        groups: &["IPV4_RULE", "IPV6_RULE"],
        dump: Dump::Bodies { bodies: |f| vec![zeroed_header(HEADER_LEN, f.family.unwrap_or(0))], empty_when: None },
        get: None,
        encode: Some(encode),
        list_filters: &["family"],
        moving: &[],
        scope_keys: &["family", "table", "protocol", "priority"],
        watch_key: Key::of(
            &["*"],
            "a rule cannot change in place: the kernel adds and deletes it whole, and deletes the first rule matching every selector given",
        ),
        desired_key: None,
    },
    decode: |p, _, each| { each(decode(p)?); Ok(()) },
    keeps: |r, f| f.family_is(r.family),
};

const FRA_DST: u16 = 1;
const FRA_SRC: u16 = 2;
const FRA_IIFNAME: u16 = 3;
const FRA_GOTO: u16 = 4;
const FRA_PRIORITY: u16 = 6;
const FRA_FWMARK: u16 = 10;
const FRA_FLOW: u16 = 11;
const FRA_TUN_ID: u16 = 12;
const FRA_SUPPRESS_IFGROUP: u16 = 13;
const FRA_SUPPRESS_PREFIXLEN: u16 = 14;
const FRA_TABLE: u16 = 15;
const FRA_FWMASK: u16 = 16;
const FRA_OIFNAME: u16 = 17;
const FRA_L3MDEV: u16 = 19;
const FRA_UID_RANGE: u16 = 20;
const FRA_PROTOCOL: u16 = 21;
const FRA_IP_PROTO: u16 = 22;
const FRA_SPORT_RANGE: u16 = 23;
const FRA_DPORT_RANGE: u16 = 24;
const FRA_DSCP: u16 = 25;
const FRA_DSCP_MASK: u16 = 30;

/// An inclusive range of a rule's selector (FRA_UID_RANGE, FRA_SPORT_RANGE,
/// FRA_DPORT_RANGE).
///
/// @example
/// ```ts
/// import { rules } from 'rtnl'
///
/// for (const r of await rules.list()) {
///   if (r.uidRange) console.log(`uids ${r.uidRange.start}-${r.uidRange.end} lookup ${r.tableName}`)
/// }
/// ```
/// @category Rules
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Range {
    /// The first value.
    pub start: u32,
    /// The last value (the same as `start` for a single one).
    pub end: u32,
}

/// A policy routing rule, as `rules.list()` returns it and a rule event
/// carries it (struct fib_rule_hdr and its FRA_* attributes).
///
/// @example
/// ```ts
/// import { rules } from 'rtnl'
///
/// for (const r of await rules.list({ family: 4 })) {
///   console.log(`${r.priority ?? 0}: from ${r.src ?? 'all'} ${r.fwmark !== undefined ? `fwmark ${r.fwmark} ` : ''}${r.actionName} ${r.tableName}`)
/// }
/// ```
/// @category Rules
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Rule {
    /// 2 (AF_INET), 10 (AF_INET6).
    pub family: u8,
    /// The destination prefix length (`to`; 0: any).
    pub dst_len: u8,
    /// The source prefix length (`from`; 0: any).
    pub src_len: u8,
    /// The TOS the rule matches (`tos`; 0: any).
    pub tos: u8,
    /// The effective table: FRA_TABLE when present, else the header's.
    pub table: u32,
    /// FR_ACT_*: 1 lookup table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit.
    pub action: u8,
    /// `action` as `ip` names it: 'lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'.
    pub action_name: crate::names::Name,
    /// `table` as `ip` names it: 'main', 'local', 'default', or decimal.
    pub table_name: crate::names::Name,
    /// FIB_RULE_* bits (0x2 `not`: the selector is inverted; 0x8/0x10 the input/output interface is gone).
    pub flags: u32,
    /// FRA_DST: the destination prefix (`to`), with `dstLen`.
    pub dst: Option<String>,
    /// FRA_SRC: the source prefix (`from`), with `srcLen`.
    pub src: Option<String>,
    /// The rule's preference.
    pub priority: Option<u32>,
    /// FRA_FWMARK: the firewall mark the rule matches (`fwmark`).
    pub fwmark: Option<u32>,
    /// FRA_FWMASK: the bits of the mark compared (`fwmark M/MASK`).
    pub fwmask: Option<u32>,
    /// FRA_IIFNAME: the input interface the rule matches (`iif`).
    pub iifname: Option<KernelName>,
    /// FRA_OIFNAME: the output interface the rule matches (`oif`).
    pub oifname: Option<KernelName>,
    /// FRA_GOTO: the preference of the rule a `goto` rule jumps to.
    pub goto: Option<u32>,
    /// FRA_FLOW: realms, `to` in the low 16 bits, `from` in the high 16.
    pub realms: Option<u32>,
    /// FRA_TUN_ID: the tunnel id the rule matches (`tun_id`).
    pub tun_id: Option<u64>,
    /// FRA_SUPPRESS_IFGROUP: reject the lookup's result when its device is in this group (`suppress_ifgroup`).
    pub suppress_ifgroup: Option<u32>,
    /// FRA_SUPPRESS_PREFIXLEN: reject a lookup's result with a prefix this long or shorter (`suppress_prefixlength`).
    pub suppress_prefixlen: Option<u32>,
    /// FRA_L3MDEV: 1 when the table comes from the packet's L3 master device (VRF).
    pub l3mdev: Option<u8>,
    /// FRA_UID_RANGE: the uids the rule matches (`uidrange`).
    pub uid_range: Option<Range>,
    /// FRA_PROTOCOL: who installed the rule (RTPROT_*).
    pub protocol: Option<u8>,
    /// `protocol` as `ip` names it: 'kernel', 'boot', 'static', ... or decimal.
    pub protocol_name: Option<crate::names::Name>,
    /// FRA_IP_PROTO: the IP protocol the rule matches (`ipproto`: 6 tcp, 17 udp, ...).
    pub ip_proto: Option<u8>,
    /// FRA_SPORT_RANGE: the source ports the rule matches (`sport`).
    pub sport_range: Option<Range>,
    /// FRA_DPORT_RANGE: the destination ports the rule matches (`dport`).
    pub dport_range: Option<Range>,
    /// FRA_DSCP: the DSCP the rule matches (`dscp`, 0 to 63; Linux 6.12), in place of `tos`.
    pub dscp: Option<u8>,
    /// FRA_DSCP_MASK: the bits of `dscp` the rule compares (Linux 6.15; sent with `dscp`, 63 for all of them).
    pub dscp_mask: Option<u8>,
    /// Attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

fn u32_range(d: &[u8]) -> Option<Range> {
    Some(Range {
        start: wire::u32_at(d, 0)?,
        end: wire::u32_at(d, 4)?,
    })
}

fn u16_range(d: &[u8]) -> Option<Range> {
    Some(Range {
        start: wire::u16_at(d, 0)? as u32,
        end: wire::u16_at(d, 2)? as u32,
    })
}

/// Decodes the body of an RTM_NEWRULE/RTM_DELRULE message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Rule, DecodeError> {
    need(payload, HEADER_LEN, "fib_rule_hdr")?;
    let mut r = Rule {
        family: payload[0],
        dst_len: payload[1],
        src_len: payload[2],
        tos: payload[3],
        table: payload[4] as u32,
        action: payload[7],
        flags: wire::u32_at(payload, 8).unwrap_or(0),
        // The kernel leaves FRA_PRIORITY out for priority 0 (the local
        // rule): listed as 0, as `ip` prints it, so that it can be given
        // back (a rule added without a priority gets one the kernel picks).
        priority: Some(0),
        ..Rule::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            FRA_DST => r.dst = Some(ip(data)),
            FRA_SRC => r.src = Some(ip(data)),
            FRA_PRIORITY => r.priority = u32_of(data),
            FRA_FWMARK => r.fwmark = u32_of(data),
            FRA_FWMASK => r.fwmask = u32_of(data),
            FRA_IIFNAME => r.iifname = Some(name_of(data)),
            FRA_OIFNAME => r.oifname = Some(name_of(data)),
            FRA_GOTO => r.goto = u32_of(data),
            FRA_FLOW => r.realms = u32_of(data),
            FRA_TUN_ID => {
                r.tun_id = data
                    .get(..8)
                    .and_then(|b| Some(u64::from_be_bytes(b.try_into().ok()?)))
            }
            FRA_SUPPRESS_IFGROUP => r.suppress_ifgroup = u32_of(data),
            FRA_SUPPRESS_PREFIXLEN => r.suppress_prefixlen = u32_of(data),
            FRA_TABLE => {
                if let Some(t) = u32_of(data) {
                    r.table = t;
                }
            }
            FRA_L3MDEV => r.l3mdev = wire::u8_of(data),
            FRA_UID_RANGE => r.uid_range = u32_range(data),
            FRA_PROTOCOL => r.protocol = wire::u8_of(data),
            FRA_IP_PROTO => r.ip_proto = wire::u8_of(data),
            FRA_SPORT_RANGE => r.sport_range = u16_range(data),
            FRA_DPORT_RANGE => r.dport_range = u16_range(data),
            FRA_DSCP => r.dscp = wire::u8_of(data),
            FRA_DSCP_MASK => r.dscp_mask = wire::u8_of(data),
            _ => r.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "rule attributes")?;
    r.action_name = names::rule_action(r.action);
    r.table_name = names::table(r.table);
    r.protocol_name = r.protocol.map(names::protocol);
    Ok(r)
}

const VERBS: [Verb; 2] = [Verb::Add, Verb::Del];

/// FR_ACT_TO_TBL ('lookup') and FR_ACT_GOTO.
const FR_ACT_TO_TBL: u8 = 1;
const FR_ACT_GOTO: u8 = 2;
/// The actions the kernel runs (3 and 4 are reserved, 0 is none).
const ACTIONS: [u8; 6] = [1, 2, 3, 6, 7, 8];
const RT_TABLE_MAIN: u32 = 254;
/// The rules of the multicast routing tables (`ip mrule`), listed beside the others.
const RTNL_FAMILY_IPMR: u8 = 128;
const RTNL_FAMILY_IP6MR: u8 = 129;
/// FIB_RULE_INVERT: `ip rule add not ...`, the one bit a request sets.
const FIB_RULE_INVERT: u32 = 0x2;
/// FIB_RULE_PERMANENT, FIB_RULE_UNRESOLVED, FIB_RULE_IIF_DETACHED,
/// FIB_RULE_OIF_DETACHED: the kernel's own, listed and dropped on input.
const KERNEL_FLAGS: u32 = 0x1 | 0x4 | 0x8 | 0x10;
/// IFNAMSIZ less the NUL.
const IFNAME_MAX: usize = 15;

/// A `{ start, end }` range field, each within `0..=max`, start <= end.
fn range_in<'a>(spec: &mut Spec<'a>, field: &'a str, max: u32) -> Result<Option<Vec<u8>>, Error> {
    let Some(r) = spec.object(field)? else {
        return Ok(None);
    };
    let what = spec.what().to_string();
    let mut ends = [0u32; 2];
    for (i, k) in ["start", "end"].into_iter().enumerate() {
        match r.get(k).and_then(Value::as_u64) {
            Some(n) if n <= max as u64 => ends[i] = n as u32,
            _ => {
                return Err(invalid(format!(
                    "{what}: {field}.{k} must be an integer from 0 to {max}, got {}",
                    r.get(k).map(|v| v.to_string()).unwrap_or("nothing".into())
                )))
            }
        }
    }
    if let Some(k) = r.keys().find(|k| !["start", "end"].contains(&k.as_str())) {
        return Err(invalid(format!(
            "{what}: unknown field '{field}.{k}'; expected one of end, start"
        )));
    }
    if ends[0] > ends[1] {
        return Err(invalid(format!(
            "{what}: {field} must not end before it starts, got {} to {}",
            ends[0], ends[1]
        )));
    }
    Ok(Some(if max == u16::MAX as u32 {
        [
            (ends[0] as u16).to_ne_bytes(),
            (ends[1] as u16).to_ne_bytes(),
        ]
        .concat()
    } else {
        [ends[0].to_ne_bytes(), ends[1].to_ne_bytes()].concat()
    }))
}

/// An interface name field: 1 to 15 bytes.
fn ifname<'a>(spec: &mut Spec<'a>, field: &'a str) -> Result<Option<&'a str>, Error> {
    let Some(name) = spec.str(field)? else {
        return Ok(None);
    };
    if name.is_empty() || name.len() > IFNAME_MAX || name.contains(['\0', '/']) {
        return Err(invalid(format!(
            "{}: {field} must be an interface name of 1 to {IFNAME_MAX} bytes without '/' or NUL, got '{name}'",
            spec.what()
        )));
    }
    Ok(Some(name))
}

/// Encodes a rule change (add, del) from the struct `list()` returns, or
/// part of it. The family (2 or 10, or 128 and 129 for the multicast
/// routing rules `list()` shows beside them) is `family` or follows from
/// `src` or `dst`; a prefix length defaults to the whole address.
///
/// `action` (or `actionName`: 'lookup', 'goto', 'nop', 'blackhole',
/// 'unreachable', 'prohibit') defaults on add to 'goto' when `goto` is
/// given, else 'lookup'; 'lookup' defaults to table main, as `ip rule add`
/// does. `table` (or `tableName`) goes in FRA_TABLE, and in the header when
/// below 256. `flags` keeps FIB_RULE_INVERT (2, `ip rule add not`); the
/// kernel's own bits (permanent, unresolved, iif/oif detached) are dropped.
/// `realms` is IPv4 only; `tunId` (be64) may be a decimal string, as JS
/// numbers stop at 2^53. Read-only: `actionName`/`tableName`/
/// `protocolName` beside their numbers, `unknown`.
///
/// The kernel deletes the first rule that matches every selector given;
/// a selector left out (or 0) matches any value. A listed rule carries all
/// of its selectors and deletes itself, unless an earlier rule has the same
/// ones and more (`{ priority }` alone deletes the first rule of that
/// priority).
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("rules", verb, &VERBS));
    }
    let del = verb == Verb::Del;
    let op = format!("rules.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let family = fields::family(
        &mut spec,
        obj,
        &[
            (2, "IPv4"),
            (10, "IPv6"),
            (RTNL_FAMILY_IPMR, "IPv4 multicast routing"),
            (RTNL_FAMILY_IP6MR, "IPv6 multicast routing"),
        ],
        &["src", "dst"],
    )?
    .ok_or_else(|| {
        spec.missing(
            "family",
            "2 for IPv4 or 10 for IPv6, or a src or dst to tell it",
        )
    })?;
    // The family of the addresses: multicast routing rules take IPv4 or IPv6 ones.
    let af = match family {
        2 | RTNL_FAMILY_IPMR => 2,
        _ => 10,
    };
    let max = if af == 2 { 32 } else { 128 };
    let src = spec.ip("src", Some(af))?;
    let src_len = spec.int("srcLen", 0, max)?.map(|n| n as u8);
    let dst = spec.ip("dst", Some(af))?;
    let dst_len = spec.int("dstLen", 0, max)?.map(|n| n as u8);
    for (field, addr, len) in [("srcLen", src, src_len), ("dstLen", dst, dst_len)] {
        if addr.is_none() && len.is_some_and(|l| l > 0) {
            return Err(invalid(format!(
                "{op}: {field} {} needs {} (a prefix without an address)",
                len.unwrap_or(0),
                &field[..3]
            )));
        }
    }
    let src_len = src_len.unwrap_or(if src.is_some() { max as u8 } else { 0 });
    let dst_len = dst_len.unwrap_or(if dst.is_some() { max as u8 } else { 0 });
    let tos = spec.u8("tos")?.unwrap_or(0);
    let goto = spec.u32("goto")?;
    let action = fields::number_or_name(&mut spec, "action", "actionName", 255, |v| {
        names::rule_action(v as u8)
    })?
    .map(|n| n as u8);
    if let Some(a) = action {
        if !(ACTIONS.contains(&a) || del && a == 0) {
            return Err(invalid(format!(
                "{op}: action must be 1 (lookup), 2 (goto), 3 (nop), 6 (blackhole), 7 (unreachable) or 8 (prohibit), got {a}"
            )));
        }
    }
    let action = match action {
        Some(a) => a,
        None if del => 0,
        None if goto.is_some() => FR_ACT_GOTO,
        None => FR_ACT_TO_TBL,
    };
    if goto.is_some() && action != FR_ACT_GOTO {
        return Err(invalid(format!(
            "{op}: goto needs action 2 (goto), the action is {action} ({})",
            names::rule_action(action)
        )));
    }
    if goto.is_none() && action == FR_ACT_GOTO && !del {
        return Err(spec.missing("goto", "the priority of the rule to go to, for action goto"));
    }
    let l3mdev = spec.u8("l3mdev")?;
    if let Some(l) = l3mdev {
        if l > 1 {
            return Err(invalid(format!(
                "{op}: l3mdev must be 0 or 1 (look up the table of the packet's L3 master device), got {l}"
            )));
        }
    }
    let l3mdev = l3mdev.filter(|&l| l == 1);
    let table = fields::number_or_name(&mut spec, "table", "tableName", u32::MAX, names::table)?;
    let table = match table {
        Some(t) => t,
        None if !del && action == FR_ACT_TO_TBL && l3mdev.is_none() => RT_TABLE_MAIN,
        None => 0,
    };
    let flags = spec.u32("flags")?.unwrap_or(0);
    if flags & !(FIB_RULE_INVERT | KERNEL_FLAGS) != 0 {
        return Err(invalid(format!(
            "{op}: flags may hold 2 (FIB_RULE_INVERT, `not`) and the kernel's own bits 0x1d, got {flags:#x}"
        )));
    }
    let flags = flags & FIB_RULE_INVERT;
    let priority = spec.u32("priority")?;
    let fwmark = spec.u32("fwmark")?;
    let fwmask = spec.u32("fwmask")?;
    let iifname = ifname(&mut spec, "iifname")?;
    let oifname = ifname(&mut spec, "oifname")?;
    let realms = spec.u32("realms")?;
    if realms.is_some() && af == 10 {
        return Err(invalid(format!(
            "{op}: realms is for IPv4 rules only (family 2), this rule is IPv6"
        )));
    }
    let tun_id = match spec.value("tunId") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                .ok_or_else(|| {
                    spec.error(
                        "tunId",
                        "an integer from 0 to 18446744073709551615 (or it in decimal)",
                        v,
                    )
                })?,
        ),
    };
    let suppress_ifgroup = spec.u32("suppressIfgroup")?;
    let suppress_prefixlen = spec.u32("suppressPrefixlen")?;
    let uid_range = range_in(&mut spec, "uidRange", u32::MAX)?;
    let protocol = fields::number_or_name(&mut spec, "protocol", "protocolName", 255, |v| {
        names::protocol(v as u8)
    })?
    .map(|n| n as u8);
    let ip_proto = spec.u8("ipProto")?;
    let sport_range = range_in(&mut spec, "sportRange", u16::MAX as u32)?;
    let dport_range = range_in(&mut spec, "dportRange", u16::MAX as u32)?;
    let dscp = spec.int("dscp", 0, 63)?.map(|n| n as u8);
    let dscp_mask = spec.int("dscpMask", 0, 63)?.map(|n| n as u8);
    if dscp.is_some() && tos != 0 {
        return Err(invalid(format!(
            "{op}: dscp and tos select the same bits: give one, got dscp {} and tos {tos}",
            dscp.unwrap_or(0)
        )));
    }
    if dscp_mask.is_some() && dscp.is_none() {
        return Err(spec.missing("dscp", "the DSCP that dscpMask masks"));
    }
    spec.ignore(&["unknown"]);
    spec.finish()?;

    let mut body = vec![
        family,
        dst_len,
        src_len,
        tos,
        if table < 256 { table as u8 } else { 0 },
        0,
        0,
        action,
    ];
    body.extend_from_slice(&flags.to_ne_bytes());
    if table != 0 {
        push_attr(&mut body, FRA_TABLE, &table.to_ne_bytes());
    }
    if let Some(s) = src {
        push_attr(&mut body, FRA_SRC, &fields::ip_bytes(s));
    }
    if let Some(d) = dst {
        push_attr(&mut body, FRA_DST, &fields::ip_bytes(d));
    }
    for (kind, name) in [(FRA_IIFNAME, iifname), (FRA_OIFNAME, oifname)] {
        if let Some(n) = name {
            push_attr(&mut body, kind, &fields::cstr(n));
        }
    }
    for (kind, v) in [
        (FRA_PRIORITY, priority),
        (FRA_FWMARK, fwmark),
        (FRA_FWMASK, fwmask),
        (FRA_GOTO, goto),
        (FRA_FLOW, realms),
        (FRA_SUPPRESS_IFGROUP, suppress_ifgroup),
        (FRA_SUPPRESS_PREFIXLEN, suppress_prefixlen),
    ] {
        if let Some(v) = v {
            push_attr(&mut body, kind, &v.to_ne_bytes());
        }
    }
    if let Some(t) = tun_id {
        push_attr(&mut body, FRA_TUN_ID, &t.to_be_bytes());
    }
    for (kind, v) in [
        (FRA_L3MDEV, l3mdev),
        (FRA_PROTOCOL, protocol),
        (FRA_IP_PROTO, ip_proto),
        (FRA_DSCP, dscp),
        (FRA_DSCP_MASK, dscp_mask),
    ] {
        if let Some(v) = v {
            push_attr(&mut body, kind, &[v]);
        }
    }
    for (kind, v) in [
        (FRA_UID_RANGE, uid_range),
        (FRA_SPORT_RANGE, sport_range),
        (FRA_DPORT_RANGE, dport_range),
    ] {
        if let Some(v) = v {
            push_attr(&mut body, kind, &v);
        }
    }

    let mut what = format!(
        "{} {} rule",
        verb.ing(),
        match family {
            2 => "IPv4",
            10 => "IPv6",
            RTNL_FAMILY_IPMR => "IPv4 multicast routing",
            _ => "IPv6 multicast routing",
        }
    );
    if let Some(p) = priority {
        what += &format!(" priority {p}");
    }
    if flags & FIB_RULE_INVERT != 0 {
        what += " not";
    }
    if let Some(s) = src {
        what += &format!(" from {s}/{src_len}");
    }
    if let Some(d) = dst {
        what += &format!(" to {d}/{dst_len}");
    }
    match (action, goto) {
        (FR_ACT_TO_TBL, _) if table != 0 => what += &format!(" table {table}"),
        (_, Some(g)) => what += &format!(" goto {g}"),
        (0, _) if table != 0 => what += &format!(" table {table}"),
        (0, _) => {}
        (a, _) => what += &format!(" {}", names::rule_action(a)),
    }
    Ok(Request::new(
        if del { RTM_DELRULE } else { RTM_NEWRULE },
        if del { 0 } else { verb.new_flags() },
        body,
        what,
    ))
}
