//! Per-interface IP configuration (`ip netconf`): RTM_NEWNETCONF /
//! RTM_DELNETCONF, struct netconfmsg + NETCONFA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWNETCONF: u16 = 80;
pub const RTM_DELNETCONF: u16 = 81;
pub const RTM_GETNETCONF: u16 = 82;
/// sizeof(struct netconfmsg), 1 byte, padded to the attribute alignment.
pub const NETCONFA_IFINDEX: u16 = 1;
pub const HEADER_LEN: usize = 4;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Netconf {
    pub family: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
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
        n.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "netconf attributes")?;
    Ok(n)
}
