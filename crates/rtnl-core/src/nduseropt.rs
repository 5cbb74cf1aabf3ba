//! Neighbour discovery options the kernel passes to user space (RDNSS,
//! DNSSL, ...): RTM_NEWNDUSEROPT, struct nduseroptmsg, the options' bytes,
//! then NDUSEROPT_* attributes. Events only: there is no dump.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWNDUSEROPT: u16 = 68;
/// sizeof(struct nduseroptmsg)
pub const HEADER_LEN: usize = 16;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NdUserOption {
    pub family: u8,
    pub ifindex: i32,
    pub icmp_type: u8,
    pub icmp_code: u8,
    /// The options' bytes as they came, in hex.
    pub options_hex: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWNDUSEROPT message.
pub fn decode(payload: &[u8]) -> Result<NdUserOption, DecodeError> {
    need(payload, HEADER_LEN, "nduseroptmsg")?;
    let opts_len = wire::u16_at(payload, 2).unwrap_or(0) as usize;
    let opts = payload
        .get(HEADER_LEN..HEADER_LEN + opts_len)
        .ok_or_else(|| {
            DecodeError(format!(
                "nduseroptmsg says {opts_len} option bytes, {} left",
                payload.len() - HEADER_LEN
            ))
        })?;
    let mut n = NdUserOption {
        family: payload[0],
        ifindex: wire::i32_at(payload, 4).unwrap_or(0),
        icmp_type: payload[8],
        icmp_code: payload[9],
        options_hex: wire::hex(opts),
        ..NdUserOption::default()
    };
    let mut walk = attrs(
        payload
            .get(wire::align4(HEADER_LEN + opts_len)..)
            .unwrap_or(&[]),
    );
    for (kind, data) in walk.by_ref() {
        n.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "nduseropt attributes")?;
    Ok(n)
}
