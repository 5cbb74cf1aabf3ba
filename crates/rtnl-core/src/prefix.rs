//! IPv6 prefixes learnt from router advertisements: RTM_NEWPREFIX, struct
//! prefixmsg + PREFIX_*. Events only: the kernel has no dump for them.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWPREFIX: u16 = 52;
/// sizeof(struct prefixmsg)
pub const HEADER_LEN: usize = 12;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prefix {
    pub family: u8,
    pub ifindex: i32,
    /// ND option type (3, prefix information).
    pub prefix_type: u8,
    pub prefix_len: u8,
    pub flags: u8,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWPREFIX message.
pub fn decode(payload: &[u8]) -> Result<Prefix, DecodeError> {
    need(payload, HEADER_LEN, "prefixmsg")?;
    let mut p = Prefix {
        family: payload[0],
        ifindex: wire::i32_at(payload, 4).unwrap_or(0),
        prefix_type: payload[8],
        prefix_len: payload[9],
        flags: payload[10],
        ..Prefix::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        p.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "prefix attributes")?;
    Ok(p)
}
