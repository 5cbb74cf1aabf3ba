//! Addresses (`ip address`): RTM_NEWADDR / RTM_DELADDR, struct ifaddrmsg + IFA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;

use crate::wire::{
    self, attrs, check, ip, name_of, need, u32_of, DecodeError, KernelName, UnknownAttr,
};

pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
/// Multicast and anycast addresses a link joined or left (groups
/// IPV4_MCADDR, IPV6_MCADDR, IPV6_ACADDR): an ifaddrmsg as well, with the
/// group in IFA_MULTICAST / IFA_ANYCAST.
pub const RTM_NEWMULTICAST: u16 = 56;
pub const RTM_DELMULTICAST: u16 = 57;
pub const RTM_NEWANYCAST: u16 = 60;
pub const RTM_DELANYCAST: u16 = 61;
/// sizeof(struct ifaddrmsg)
pub const HEADER_LEN: usize = 8;

const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_LABEL: u16 = 3;
const IFA_BROADCAST: u16 = 4;
const IFA_ANYCAST: u16 = 5;
const IFA_CACHEINFO: u16 = 6;
const IFA_MULTICAST: u16 = 7;
const IFA_FLAGS: u16 = 8;
const IFA_RT_PRIORITY: u16 = 9;
const IFA_PROTO: u16 = 11;

/// INFINITY_LIFE_TIME: printed by `ip` as "forever".
const FOREVER: u32 = 0xffff_ffff;

/// IFA_F_* bit names, as `ip -j` prints them.
const FLAG_NAMES: [(u32, &str); 12] = [
    (0x01, "secondary"),
    (0x02, "nodad"),
    (0x04, "optimistic"),
    (0x08, "dadfailed"),
    (0x10, "home"),
    (0x20, "deprecated"),
    (0x40, "tentative"),
    (0x80, "permanent"),
    (0x100, "managetempaddr"),
    (0x200, "noprefixroute"),
    (0x400, "mcautojoin"),
    (0x800, "stable-privacy"),
];

/// A lifetime in seconds, or "forever".
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Lifetime {
    Seconds(u32),
    Forever(&'static str),
}

fn lifetime(v: u32) -> Lifetime {
    if v == FOREVER {
        Lifetime::Forever("forever")
    } else {
        Lifetime::Seconds(v)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddressCacheInfo {
    /// Seconds left, counted down by the kernel at the time of the message.
    pub preferred: Lifetime,
    pub valid: Lifetime,
    /// Creation and last-update time, hundredths of a second since boot.
    pub created: u32,
    pub updated: u32,
}

#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    pub family: u8,
    pub prefixlen: u8,
    /// IFA_FLAGS when the kernel sent it (32 bits), else ifa_flags (8 bits).
    pub flags: u32,
    pub flag_names: Vec<&'static str>,
    pub scope: u8,
    /// `scope` as `ip` names it: 'global', 'link', 'host', 'site', 'nowhere', or decimal.
    pub scope_name: crate::names::Name,
    pub index: u32,
    pub address: Option<String>,
    pub local: Option<String>,
    pub label: Option<KernelName>,
    pub broadcast: Option<String>,
    pub anycast: Option<String>,
    pub multicast: Option<String>,
    pub cacheinfo: Option<AddressCacheInfo>,
    pub rt_priority: Option<u32>,
    pub proto: Option<u8>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unknown: Vec<UnknownAttr>,
}

pub fn flag_names(flags: u32) -> Vec<&'static str> {
    wire::bit_names(flags, &FLAG_NAMES)
}

/// Decodes the body of an RTM_NEWADDR/RTM_DELADDR message, for events and dumps alike.
pub fn decode(payload: &[u8]) -> Result<Address, DecodeError> {
    need(payload, HEADER_LEN, "ifaddrmsg")?;
    let mut a = Address {
        family: payload[0],
        prefixlen: payload[1],
        flags: payload[2] as u32,
        scope: payload[3],
        index: wire::u32_at(payload, 4).unwrap_or(0),
        ..Address::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            IFA_ADDRESS => a.address = Some(ip(data)),
            IFA_LOCAL => a.local = Some(ip(data)),
            IFA_LABEL => a.label = Some(name_of(data)),
            IFA_BROADCAST => a.broadcast = Some(ip(data)),
            IFA_ANYCAST => a.anycast = Some(ip(data)),
            IFA_MULTICAST => a.multicast = Some(ip(data)),
            IFA_FLAGS => {
                if let Some(f) = u32_of(data) {
                    a.flags = f;
                }
            }
            IFA_CACHEINFO if data.len() >= 16 => {
                a.cacheinfo = Some(AddressCacheInfo {
                    preferred: lifetime(wire::u32_at(data, 0).unwrap_or(0)),
                    valid: lifetime(wire::u32_at(data, 4).unwrap_or(0)),
                    created: wire::u32_at(data, 8).unwrap_or(0),
                    updated: wire::u32_at(data, 12).unwrap_or(0),
                })
            }
            IFA_RT_PRIORITY => a.rt_priority = u32_of(data),
            IFA_PROTO => a.proto = wire::u8_of(data),
            _ => a.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "address attributes")?;
    a.flag_names = flag_names(a.flags);
    a.scope_name = crate::names::scope(a.scope);
    Ok(a)
}

/// Encodes a change; see the kind's verbs.
pub fn encode(
    verb: crate::mutate::Verb,
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<crate::mutate::Request, crate::error::Error> {
    let _ = obj;
    Err(crate::mutate::unsupported("addresses", verb, &[]))
}
