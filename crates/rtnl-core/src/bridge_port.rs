//! Bridge ports (`bridge link`): the bridge family's (AF_BRIDGE) view of a
//! link, RTM_NEWLINK / RTM_DELLINK with ifi_family 7. The kernel sends one
//! when a port joins (new), changes STP state or options (new) or leaves
//! (del), and for a bridge's own VLANs (an entry whose `master` is its own
//! `index`). It is not the link: it carries the port's state, priority,
//! cost and flags (IFLA_PROTINFO) and its VLANs (IFLA_AF_SPEC), and a
//! `del` means "no longer a port", not "the link is gone".
//!
//! Dumps ask with IFLA_EXT_MASK = RTEXT_FILTER_BRVLAN_COMPRESSED, the mask
//! the kernel's own notifications are built with (br_ifinfo_notify), so a
//! listed entry and an event's are the same struct: both carry the VLANs,
//! and both include each bridge's own entry.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::kind::{new_del, Dump, Key, KindDecl, KindDef};
use crate::link::{self, FLAG_NAMES};
use crate::linkinfo;
use crate::protocol::push_attr;
use crate::vlan;
use crate::wire::{
    self, attrs, check, mac, name_of, need, u32_of, u8_of, DecodeError, KernelName, UnknownAttr,
};

/// sizeof(struct ifinfomsg)
pub const HEADER_LEN: usize = link::HEADER_LEN;

/// Bridge ports (`bridge link`): RTM_NEWLINK/DELLINK of family AF_BRIDGE,
/// told from links by `message::classify_message`.
pub const BRIDGE_PORTS: KindDef<BridgePort> = KindDef {
    decl: KindDecl {
        name: "bridgePorts",
        ops: &new_del(
            (link::RTM_NEWLINK, "new_bridge_port"),
            (link::RTM_DELLINK, "del_bridge_port"),
        ),
        get_type: Some(link::RTM_GETLINK),
        header_len: HEADER_LEN,
        groups: &["LINK"],
        dump: Dump::Bodies {
            bodies: |_| vec![dump_body()],
            empty_when: None,
        },
        get: None,
        encode: None,
        list_filters: &["ifindex"],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(
            &["index"],
            "a port is its link (the bridge has an entry of its own)",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps: |p, f| f.ifindex_is(p.index as i64),
};

const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINK: u16 = 5;
const IFLA_MASTER: u16 = 10;
const IFLA_PROTINFO: u16 = 12;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_AF_SPEC: u16 = 26;
const IFLA_EXT_MASK: u16 = 29;

/// RTEXT_FILTER_BRVLAN_COMPRESSED: VLANs as ranges, as notifications carry them.
const RTEXT_FILTER_BRVLAN_COMPRESSED: u32 = 1 << 2;

const IFLA_BRIDGE_FLAGS: u16 = 0;
const IFLA_BRIDGE_MODE: u16 = 1;
const IFLA_BRIDGE_VLAN_INFO: u16 = 2;
const BRIDGE_VLAN_INFO_RANGE_BEGIN: u16 = 8;
const BRIDGE_VLAN_INFO_RANGE_END: u16 = 16;

/// One VLAN (or range) of a bridge port or a bridge (IFLA_BRIDGE_VLAN_INFO);
/// a RANGE_BEGIN/RANGE_END pair is one entry with `vidEnd`.
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgePorts } from 'rtnl'
///
/// for (const p of await bridgePorts.list()) {
///   for (const v of p.vlans ?? []) console.log(p.name, v.vidEnd ? `${v.vid}-${v.vidEnd}` : v.vid, v.flagNames.join(' '))
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BridgePortVlan {
    /// The VLAN id (the first of a range).
    pub vid: u16,
    /// The last VLAN of a range.
    pub vid_end: Option<u16>,
    /// BRIDGE_VLAN_INFO_* bits (the range bits are folded into `vidEnd`).
    pub flags: u16,
    /// `flags` by name: master, pvid, untagged, brentry, only_opts.
    pub flag_names: Vec<&'static str>,
}

/// A bridge port as `bridgePorts.list()` returns it and a bridge port event
/// carries it: what `bridge -d -j link show` prints (state, priority, cost,
/// learning, flood, ...), with the VLANs the kernel's notifications carry.
///
/// @category Bridge
/// @example
/// ```ts
/// import { bridgePorts } from 'rtnl'
///
/// for (const p of await bridgePorts.list()) {
///   if (p.index === p.master) continue // a bridge's own entry
///   console.log(p.name, p.stateName, p.protinfo?.cost, p.protinfo?.learning ? 'learning' : '')
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct BridgePort {
    /// ifi_family: AF_BRIDGE (7).
    pub family: u8,
    /// ifi_type, an ARPHRD_* number.
    #[serde(rename = "type")]
    pub link_type: u16,
    /// The port's ifindex (the bridge's, in a bridge's own entry).
    pub index: i32,
    /// ifi_flags, IFF_* bits of the link.
    pub flags: u32,
    /// `flags` by name, as a link's.
    pub flag_names: Vec<&'static str>,
    /// The link's name (as a link's `name`).
    pub name: Option<KernelName>,
    /// The bridge's ifindex (the bridge's own, in its own entry).
    pub master: Option<u32>,
    /// The link's MTU.
    pub mtu: Option<u32>,
    /// The link's operational state, as a link's (UP, DOWN, LOWERLAYERDOWN, ...).
    pub operstate: Option<String>,
    /// The link's MAC address.
    pub address: Option<String>,
    /// IFLA_LINK: the link's lower device (a veth's peer), when it has one.
    pub link: Option<u32>,
    /// The STP state by name (disabled, listening, learning, forwarding, blocking), from `protinfo.state`; absent in a bridge's own entry.
    pub state_name: Option<String>,
    /// IFLA_PROTINFO: the port's IFLA_BRPORT_* attributes, by the names a link's bridge `slaveData` uses.
    #[ts(type = "BridgePortData", optional)]
    pub protinfo: Option<Map<String, Value>>,
    /// IFLA_AF_SPEC's VLANs of the port (or bridge).
    pub vlans: Option<Vec<BridgePortVlan>>,
    /// IFLA_AF_SPEC's IFLA_BRIDGE_FLAGS (BRIDGE_FLAGS_MASTER 1, _SELF 2).
    pub bridge_flags: Option<u16>,
    /// IFLA_AF_SPEC's IFLA_BRIDGE_MODE (BRIDGE_MODE_VEB 0, _VEPA 1, _HAIRPIN 2).
    pub bridge_mode: Option<u16>,
    /// Attributes not decoded (a whole IFLA_AF_SPEC when one of its members is not), as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// Whether an RTM_NEWLINK/RTM_DELLINK body is the bridge family's view of a
/// link (a bridge port message) rather than the link itself.
pub fn is_bridge_port_message(payload: &[u8]) -> bool {
    payload.first() == Some(&wire::AF_BRIDGE)
}

/// The body of a dump of bridge ports: the bridge family and the
/// notifications' VLAN mask.
pub fn dump_body() -> Vec<u8> {
    let mut body = vec![0u8; HEADER_LEN];
    body[0] = wire::AF_BRIDGE;
    push_attr(
        &mut body,
        IFLA_EXT_MASK,
        &RTEXT_FILTER_BRVLAN_COMPRESSED.to_ne_bytes(),
    );
    body
}

/// Decodes the body of an AF_BRIDGE RTM_NEWLINK/RTM_DELLINK (after
/// nlmsghdr). The same function serves events and dumps.
pub fn decode(payload: &[u8]) -> Result<BridgePort, DecodeError> {
    need(payload, HEADER_LEN, "ifinfomsg")?;
    let flags = wire::u32_at(payload, 8).unwrap_or(0);
    let mut port = BridgePort {
        family: payload[0],
        link_type: wire::u16_at(payload, 2).unwrap_or(0),
        index: wire::i32_at(payload, 4).unwrap_or(0),
        flags,
        flag_names: wire::bit_names(flags, &FLAG_NAMES),
        ..BridgePort::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            IFLA_ADDRESS => port.address = Some(mac(data)),
            IFLA_IFNAME => port.name = Some(name_of(data)),
            IFLA_MTU => port.mtu = u32_of(data),
            IFLA_LINK => port.link = u32_of(data),
            IFLA_MASTER => port.master = u32_of(data),
            IFLA_OPERSTATE => port.operstate = u8_of(data).map(link::operstate_name),
            IFLA_PROTINFO => {
                let info = linkinfo::decode_slave_data("bridge", data);
                port.state_name = info
                    .get("state")
                    .and_then(Value::as_u64)
                    .map(|s| vlan::stp_state_name(s as u8));
                port.protinfo = Some(info);
            }
            IFLA_AF_SPEC => decode_af_spec(&mut port, data)?,
            _ => port.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "bridge port attributes")?;
    Ok(port)
}

fn decode_af_spec(port: &mut BridgePort, data: &[u8]) -> Result<(), DecodeError> {
    let mut vlans: Vec<BridgePortVlan> = Vec::new();
    let mut range_open = false;
    let mut undecoded = false;
    let mut walk = attrs(data);
    for (kind, v) in walk.by_ref() {
        match kind {
            IFLA_BRIDGE_FLAGS => port.bridge_flags = wire::u16_at(v, 0),
            IFLA_BRIDGE_MODE => port.bridge_mode = wire::u16_at(v, 0),
            IFLA_BRIDGE_VLAN_INFO if v.len() >= 4 => {
                let raw = wire::u16_at(v, 0).unwrap_or(0);
                let vid = wire::u16_at(v, 2).unwrap_or(0);
                let flags = raw & !(BRIDGE_VLAN_INFO_RANGE_BEGIN | BRIDGE_VLAN_INFO_RANGE_END);
                match vlans.last_mut() {
                    Some(last) if range_open && raw & BRIDGE_VLAN_INFO_RANGE_END != 0 => {
                        last.vid_end = Some(vid);
                        range_open = false;
                    }
                    _ => {
                        range_open = raw & BRIDGE_VLAN_INFO_RANGE_BEGIN != 0;
                        vlans.push(BridgePortVlan {
                            vid,
                            vid_end: None,
                            flags,
                            flag_names: wire::bit_names(flags, vlan::FLAGS),
                        });
                    }
                }
            }
            _ => undecoded = true,
        }
    }
    check(&walk, "IFLA_AF_SPEC")?;
    // A member not decoded (MRP, CFM, tunnel info): the whole attribute is
    // kept, so nothing is lost and its members keep their own numbers.
    if undecoded {
        port.unknown.push(UnknownAttr::new(IFLA_AF_SPEC, data));
    }
    if !vlans.is_empty() {
        port.vlans = Some(vlans);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        push_attr(&mut out, kind, data);
        out
    }

    #[test]
    fn a_vlan_range_is_one_entry() {
        let mut body = vec![7u8, 0, 1, 0, 3, 0, 0, 0, 0x43, 0x10, 0, 0, 0, 0, 0, 0];
        let mut af = attr(IFLA_BRIDGE_VLAN_INFO, &[6, 0, 1, 0]); // pvid untagged 1
        af.extend(attr(IFLA_BRIDGE_VLAN_INFO, &[8, 0, 10, 0]));
        af.extend(attr(IFLA_BRIDGE_VLAN_INFO, &[16, 0, 20, 0]));
        body.extend(attr(IFLA_AF_SPEC, &af));
        body.extend(attr(IFLA_PROTINFO, &attr(1, &[3])));
        let p = decode(&body).unwrap();
        assert_eq!(p.index, 3);
        assert_eq!(p.state_name.as_deref(), Some("forwarding"));
        let vlans = p.vlans.unwrap();
        assert_eq!(vlans.len(), 2);
        assert_eq!(vlans[0].flag_names, vec!["pvid", "untagged"]);
        assert_eq!(
            (vlans[1].vid, vlans[1].vid_end, vlans[1].flags),
            (10, Some(20), 0)
        );
    }

    #[test]
    fn a_short_header_is_an_error_not_a_panic() {
        assert!(decode(&[7, 0, 1]).is_err());
    }
}
