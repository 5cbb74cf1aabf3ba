//! Bridge VLANs (`bridge vlan`, the per-VLAN database): RTM_NEWVLAN /
//! RTM_DELVLAN, struct br_vlan_msg + BRIDGE_VLANDB_*. One message carries
//! the entries of one port; each entry (a VLAN or a range) is one object.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{self, attrs, check, need, DecodeError, UnknownAttr};

pub const RTM_NEWVLAN: u16 = 112;
pub const RTM_DELVLAN: u16 = 113;
pub const RTM_GETVLAN: u16 = 114;
/// sizeof(struct br_vlan_msg)
pub const HEADER_LEN: usize = 8;

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BridgeVlan {
    pub family: u8,
    /// The port (or the bridge itself).
    pub ifindex: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

/// Decodes the body of an RTM_NEWVLAN/RTM_DELVLAN message into its entries, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Vec<BridgeVlan>, DecodeError> {
    need(payload, HEADER_LEN, "br_vlan_msg")?;
    let mut v = BridgeVlan {
        family: payload[0],
        ifindex: wire::u32_at(payload, 4).unwrap_or(0),
        ..BridgeVlan::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        v.unknown.push(UnknownAttr::new(kind, data));
    }
    check(&walk, "vlan attributes")?;
    Ok(vec![v])
}
