//! Traffic control objects (`tc qdisc/class/filter/chain`): RTM_NEWQDISC,
//! RTM_NEWTCLASS, RTM_NEWTFILTER, RTM_NEWCHAIN and their DEL types, all a
//! struct tcmsg + TCA_*. One struct serves the four kinds: which one a
//! message is comes from its type.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

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
const TCA_KIND: u16 = 1;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tc {
    pub family: u8,
    pub ifindex: i32,
    pub handle: u32,
    pub parent: u32,
    /// tcm_info: for filters, the priority (high 16 bits) and protocol
    /// (low 16, network byte order); for qdiscs the refcount.
    pub info: u32,
    /// TCA_KIND: the qdisc, class or filter kind ("htb", "u32").
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of any tc message (qdisc, class, filter, chain), for events and dumps alike.
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
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            TCA_KIND => t.kind = Some(wire::string_of(data)),
            _ => t.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "tc attributes")?;
    Ok(t)
}
