//! Link statistics (`ip stats`): RTM_NEWSTATS, struct if_stats_msg +
//! IFLA_STATS_*. Dumped with RTM_GETSTATS; the kernel multicasts them on
//! RTNLGRP_STATS only for offload changes.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWSTATS: u16 = 92;
pub const RTM_GETSTATS: u16 = 94;
/// sizeof(struct if_stats_msg)
pub const HEADER_LEN: usize = 12;
/// The IFLA_STATS_* groups a dump asks for: link64, xstats, slave xstats,
/// offload xstats and per-family stats.
pub const DUMP_FILTER_MASK: u32 = 0x1f;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkStats {
    pub family: u8,
    pub ifindex: u32,
    pub filter_mask: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWSTATS message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<LinkStats, DecodeError> {
    need(payload, HEADER_LEN, "if_stats_msg")?;
    let mut s = LinkStats {
        family: payload[0],
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        filter_mask: wire::u32_at(payload, 8).unwrap_or(0),
        ..LinkStats::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        s.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "stats attributes")?;
    Ok(s)
}
