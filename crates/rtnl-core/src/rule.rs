//! Policy rules (`ip rule`): RTM_NEWRULE / RTM_DELRULE, struct fib_rule_hdr
//! + FRA_*. neli has no fib_rule_hdr, so this module decodes it by hand.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::names;
use crate::wire::{
    self, attrs, check, ip, name_of, need, u32_of, DecodeError, KernelName, UnknownAttr,
};

pub const RTM_NEWRULE: u16 = 32;
pub const RTM_DELRULE: u16 = 33;
pub const RTM_GETRULE: u16 = 34;
/// sizeof(struct fib_rule_hdr)
pub const HEADER_LEN: usize = 12;

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

/// A start/end pair (uid range, port range).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Range {
    pub start: u32,
    pub end: u32,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    /// The effective table: FRA_TABLE when present, else the header's table.
    pub table: u32,
    /// FR_ACT_* (1 to_tbl, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit).
    pub action: u8,
    /// `action` as `ip` names it: 'lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'.
    pub action_name: crate::names::Name,
    /// `table` as `ip` names it ("main", "local", "default") or in decimal.
    pub table_name: crate::names::Name,
    pub flags: u32,
    pub dst: Option<String>,
    pub src: Option<String>,
    pub priority: Option<u32>,
    pub fwmark: Option<u32>,
    pub fwmask: Option<u32>,
    pub iifname: Option<KernelName>,
    pub oifname: Option<KernelName>,
    pub goto: Option<u32>,
    /// FRA_FLOW: realms, `to` in the low 16 bits and `from` in the high.
    pub realms: Option<u32>,
    pub tun_id: Option<u64>,
    pub suppress_ifgroup: Option<u32>,
    pub suppress_prefixlen: Option<u32>,
    pub l3mdev: Option<u8>,
    pub uid_range: Option<Range>,
    pub protocol: Option<u8>,
    pub protocol_name: Option<crate::names::Name>,
    pub ip_proto: Option<u8>,
    pub sport_range: Option<Range>,
    pub dport_range: Option<Range>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
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
            _ => r.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "rule attributes")?;
    r.action_name = names::rule_action(r.action);
    r.table_name = names::table(r.table);
    r.protocol_name = r.protocol.map(names::protocol);
    Ok(r)
}

/// Encoding rules is not written yet: every verb is refused as unsupported.
pub fn encode(
    verb: crate::mutate::Verb,
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<crate::mutate::Request, crate::error::Error> {
    let _ = obj;
    Err(crate::error::Error::other(
        "ERR_RTNL_UNSUPPORTED",
        format!("rules.{}: changing rules is not supported yet", verb.name()),
    ))
}
