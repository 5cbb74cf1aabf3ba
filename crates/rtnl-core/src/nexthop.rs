//! Nexthop objects (`ip nexthop`): RTM_NEWNEXTHOP / RTM_DELNEXTHOP, struct
//! nhmsg + NHA_*. A route that says `nhid N` goes where nexthop N says.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWNEXTHOP: u16 = 104;
pub const RTM_DELNEXTHOP: u16 = 105;
pub const RTM_GETNEXTHOP: u16 = 106;
/// sizeof(struct nhmsg)
pub const NHA_ID: u16 = 1;
pub const HEADER_LEN: usize = 8;
pub const NHA_OIF: u16 = 5;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Nexthop {
    pub family: u8,
    pub scope: u8,
    pub protocol: u8,
    pub flags: u32,
    /// NHA_OIF: the device.
    pub oif: Option<u32>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWNEXTHOP/RTM_DELNEXTHOP message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Nexthop, DecodeError> {
    need(payload, HEADER_LEN, "nhmsg")?;
    let mut n = Nexthop {
        family: payload[0],
        scope: payload[1],
        protocol: payload[2],
        flags: wire::u32_at(payload, 4).unwrap_or(0),
        ..Nexthop::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            NHA_OIF => n.oif = wire::u32_of(data),
            _ => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "nexthop attributes")?;
    Ok(n)
}
