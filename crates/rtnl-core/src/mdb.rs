//! Bridge multicast database (`bridge mdb`): RTM_NEWMDB / RTM_DELMDB,
//! struct br_port_msg + MDBA_*. A dump message carries every entry of one
//! bridge, an event one entry; each entry is one object.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWMDB: u16 = 84;
pub const RTM_DELMDB: u16 = 85;
pub const RTM_GETMDB: u16 = 86;
/// sizeof(struct br_port_msg)
pub const HEADER_LEN: usize = 8;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MdbEntry {
    pub family: u8,
    /// The bridge.
    pub ifindex: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWMDB/RTM_DELMDB message into its entries, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Vec<MdbEntry>, DecodeError> {
    need(payload, HEADER_LEN, "br_port_msg")?;
    let mut m = MdbEntry {
        family: payload[0],
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        ..MdbEntry::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        m.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "mdb attributes")?;
    Ok(vec![m])
}
