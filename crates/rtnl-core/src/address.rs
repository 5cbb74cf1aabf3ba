//! Addresses (`ip address`): RTM_NEWADDR / RTM_DELADDR, struct ifaddrmsg + IFA_*.

use serde::Serialize;
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::fields;
use crate::kind::{zeroed_header, Dump, Filter, Key, KindDecl, KindDef, Op};
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};

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

/// Addresses (`ip address`). Multicast and anycast addresses come as
/// address events but are not in the address dump, so not in `list()`.
pub const ADDRESSES: KindDef<Address> = KindDef {
    decl: KindDecl {
        name: "addresses",
        ops: &[
            Op { nlmsg_type: RTM_NEWADDR, name: "new_addr", removes: false, listed: true },
            Op { nlmsg_type: RTM_DELADDR, name: "del_addr", removes: true, listed: true },
            Op { nlmsg_type: RTM_NEWMULTICAST, name: "new_maddr", removes: false, listed: false },
            Op { nlmsg_type: RTM_DELMULTICAST, name: "del_maddr", removes: true, listed: false },
            Op { nlmsg_type: RTM_NEWANYCAST, name: "new_acaddr", removes: false, listed: false },
            Op { nlmsg_type: RTM_DELANYCAST, name: "del_acaddr", removes: true, listed: false },
        ],
        get_type: Some(RTM_GETADDR),
        header_len: HEADER_LEN,
        groups: &["IPV4_IFADDR", "IPV6_IFADDR"],
        dump: Dump::Bodies { bodies: dump_bodies, empty_when: None },
        get: None,
        encode: Some(encode),
        list_filters: &["family", "ifindex"],
        moving: &["cacheinfo"],
        scope_keys: &["family", "index", "label", "proto", "scope"],
        watch_key: Key::of(
            &["family", "index", "local", "address", "prefixlen"],
            "the kernel keys an address by family, link, local and peer address and prefix length: another prefix length is another address",
        ),
        desired_key: Some(Key::of(
            &["family", "index", "local", "prefixlen"],
            "a desired address may give `local` alone where the kernel lists an IPv6 address as `address`; its flags and lifetimes change in place",
        )),
    },
    decode: |p, _, each| { each(decode(p)?); Ok(()) },
    keeps: |a, f| f.family_is(a.family) && f.ifindex_is(a.index as i64),
};

/// The address dump, with the link the kernel filters on itself (ifa_index).
fn dump_bodies(f: &Filter) -> Vec<Vec<u8>> {
    let mut body = zeroed_header(HEADER_LEN, f.family.unwrap_or(0));
    if let Some(ifindex) = f.ifindex {
        body[4..8].copy_from_slice(&ifindex.to_ne_bytes());
    }
    vec![body]
}

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

crate::ts::name_union!(
    /// The IFA_F_* bits of an address by the names `ip` prints.
    ///
    /// @example
    /// ```ts
    /// import { addresses, type AddressFlagName } from 'rtnl'
    ///
    /// const unusable: AddressFlagName[] = ['tentative', 'dadfailed', 'deprecated']
    /// const usable = (await addresses.list({ family: 6 })).filter((a) => !a.flagNames.some((f) => unusable.includes(f)))
    /// ```
    /// @category Addresses
    AddressFlagName,
    FLAG_NAMES
);

/// Seconds, or 'forever'.
///
/// @example
/// ```ts
/// import { addresses, type Lifetime } from 'rtnl'
///
/// const seconds = (l: Lifetime) => (l === 'forever' ? Infinity : l)
/// for (const a of await addresses.list({ family: 6 })) {
///   if (a.cacheinfo && seconds(a.cacheinfo.valid) < 3600) console.log(a.address, 'expires within the hour')
/// }
/// ```
/// @category Addresses
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(untagged)]
pub enum Lifetime {
    Seconds(u32),
    Forever(#[ts(type = "'forever'")] &'static str),
}

fn lifetime(v: u32) -> Lifetime {
    if v == FOREVER {
        Lifetime::Forever("forever")
    } else {
        Lifetime::Seconds(v)
    }
}

/// IFA_CACHEINFO (struct ifa_cacheinfo): an address's lifetimes and
/// timestamps. The lifetimes count down by themselves: {@link diff} and
/// {@link watch} ignore this. A change takes `preferred` and `valid` (the
/// rest is read-only).
///
/// @example
/// ```ts
/// import { addresses } from 'rtnl'
///
/// for (const a of await addresses.list()) {
///   const ci = a.cacheinfo
///   if (ci && ci.valid !== 'forever') console.log(`${a.address}: valid ${ci.valid} s, preferred ${ci.preferred}`)
/// }
/// ```
/// @category Addresses
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddressCacheInfo {
    /// Seconds of preferred lifetime left when the kernel built the message.
    pub preferred: Lifetime,
    /// Seconds of valid lifetime left when the kernel built the message.
    pub valid: Lifetime,
    /// Creation time, hundredths of a second since boot.
    pub created: u32,
    /// Last update, hundredths of a second since boot.
    pub updated: u32,
}

/// An IPv4 or IPv6 address, as `addresses.list()` returns it and an address
/// event carries it (struct ifaddrmsg and its IFA_* attributes). Changes take
/// the same struct, partial.
///
/// @example
/// ```ts
/// import { addresses, links } from 'rtnl'
///
/// const eth0 = await links.get({ name: 'eth0' })
/// if (eth0) {
///   for (const a of await addresses.list({ ifindex: eth0.index })) console.log(`${a.local ?? a.address}/${a.prefixlen} scope ${a.scopeName}`)
/// }
/// ```
/// @category Addresses
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Address {
    /// 2 (AF_INET) or 10 (AF_INET6).
    pub family: u8,
    /// ifa_prefixlen: the prefix length.
    pub prefixlen: u8,
    /// IFA_FLAGS (32 bits) when sent, else ifa_flags.
    pub flags: u32,
    /// The IFA_F_* bits of `flags` by name.
    #[ts(as = "Vec<AddressFlagName>")]
    pub flag_names: Vec<&'static str>,
    /// 0 global, 253 link, 254 host.
    pub scope: u8,
    /// `scope` as `ip` names it: 'global', 'link', 'host', ... or decimal.
    pub scope_name: crate::names::Name,
    /// ifindex of the link.
    pub index: u32,
    /// IFA_ADDRESS: the peer address on point-to-point links, else the same as local.
    pub address: Option<String>,
    /// IFA_LOCAL (IPv4).
    pub local: Option<String>,
    /// IFA_LABEL (IPv4), e.g. 'eth0:1'.
    pub label: Option<KernelName>,
    /// IFA_BROADCAST (IPv4): the broadcast address (`ip address add ... brd`).
    pub broadcast: Option<String>,
    /// IFA_ANYCAST: the address of an IPv6 anycast address event (`new_acaddr`).
    pub anycast: Option<String>,
    /// IFA_MULTICAST: the group of a multicast address event (`new_maddr`).
    pub multicast: Option<String>,
    /// IFA_CACHEINFO: lifetimes and timestamps (the kernel sends it with every address, multicast and anycast ones included).
    #[ts(as = "AddressCacheInfo")]
    pub cacheinfo: Option<AddressCacheInfo>,
    /// IFA_RT_PRIORITY: the metric of the prefix route the address adds (`ip address add ... metric`).
    pub rt_priority: Option<u32>,
    /// IFA_PROTO: who added the address: IFAPROT_* (1 kernel loopback, 2 kernel from an RA, 3 kernel link-local) or a number a program chose.
    pub proto: Option<u8>,
    /// Attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
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

/// The IFA_F_* bits a request may set (the kernel computes secondary,
/// tentative, dadfailed, deprecated, permanent and stable-privacy itself).
const SETTABLE: u32 = 0x02 | 0x04 | 0x10 | 0x100 | 0x200 | 0x400;

/// FLAG_NAMES with `ip`'s spelling of managetempaddr beside it, derived so
/// the names are written once.
const FLAG_INPUT: [(u32, &str); 13] = with_alias(FLAG_NAMES, (0x100, "mngtmpaddr"));

/// `names` with `alias` inserted after the name of the same bit.
const fn with_alias(
    names: [(u32, &'static str); 12],
    alias: (u32, &'static str),
) -> [(u32, &'static str); 13] {
    let mut out = [(0u32, ""); 13];
    let (mut i, mut o) = (0, 0);
    while i < names.len() {
        out[o] = names[i];
        o += 1;
        if names[i].0 == alias.0 {
            out[o] = alias;
            o += 1;
        }
        i += 1;
    }
    assert!(o == out.len(), "the alias's bit has exactly one name");
    out
}

const VERBS: [Verb; 3] = [Verb::Add, Verb::Replace, Verb::Del];

fn lifetime_in(what: &str, field: &str, v: Option<&Value>) -> Result<Option<u32>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s == "forever" => Ok(Some(FOREVER)),
        Some(v) => match v.as_u64().filter(|&n| n <= FOREVER as u64) {
            Some(n) => Ok(Some(n as u32)),
            None => Err(invalid(format!(
                "{what}: cacheinfo.{field} must be seconds (0 to 4294967295) or 'forever', got {v}"
            ))),
        },
    }
}

/// Encodes an address change (add, replace, del) from the struct `list()`
/// returns, or part of it: `index` (the link's ifindex) and `address` or
/// `local` are required; the family follows from them, `prefixlen`
/// defaults to the whole address.
///
/// `flags` (or `flagNames`, where `ip`'s 'mngtmpaddr' is also accepted)
/// keeps the bits a request sets: nodad, optimistic, home, managetempaddr,
/// noprefixroute, mcautojoin; the others are the kernel's. `cacheinfo`'s
/// `preferred` and `valid` (seconds left, or 'forever') become the
/// lifetimes on add and replace; `created` and `updated` are read-only.
/// `rtPriority` is the metric of the prefix route, `proto` IFA_PROTO.
/// `anycast` and `multicast` (the kernel's joined groups, not addresses one
/// adds) are refused; `broadcast` and `label` are IPv4 only.
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("addresses", verb, &VERBS));
    }
    let del = verb == Verb::Del;
    let op = format!("addresses.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let family = fields::family(
        &mut spec,
        obj,
        &[(2, "IPv4"), (10, "IPv6")],
        &["local", "address"],
    )?;
    let index = spec
        .u32("index")?
        .ok_or_else(|| spec.missing("index", "the ifindex of the link the address is on"))?;
    let family = family.ok_or_else(|| spec.missing("address", "an IPv4 or IPv6 address"))?;
    let max = if family == 2 { 32 } else { 128 };
    let address = spec.ip("address", Some(family))?;
    let local = spec.ip("local", Some(family))?;
    if address.is_none() && local.is_none() {
        return Err(spec.missing("address", "an IPv4 or IPv6 address"));
    }
    let prefixlen = spec.int("prefixlen", 0, max)?.unwrap_or(max) as u8;
    let flags = fields::bits_or_names(&mut spec, "flags", "flagNames", u32::MAX, &FLAG_INPUT)?
        .unwrap_or(0)
        & SETTABLE;
    let scope = fields::number_or_name(&mut spec, "scope", "scopeName", 255, |v| {
        crate::names::scope(v as u8)
    })?
    .unwrap_or(0) as u8;
    let broadcast = spec.ip("broadcast", Some(family))?;
    let label = spec.str("label")?;
    for (field, given) in [
        ("broadcast", broadcast.is_some()),
        ("label", label.is_some()),
    ] {
        if given && family == 10 {
            return Err(invalid(format!(
                "{op}: {field} is for IPv4 addresses only (family 2), this address is IPv6"
            )));
        }
    }
    for field in ["anycast", "multicast"] {
        if let Some(v) = spec.value(field) {
            return Err(spec.error(
                field,
                "absent (joined multicast and anycast groups are the kernel's, not addresses to add)",
                v,
            ));
        }
    }
    let cacheinfo = spec.object("cacheinfo")?;
    let (mut preferred, mut valid) = (None, None);
    if let Some(ci) = cacheinfo {
        preferred = lifetime_in(&op, "preferred", ci.get("preferred"))?;
        valid = lifetime_in(&op, "valid", ci.get("valid"))?;
        if let Some(k) = ci
            .keys()
            .find(|k| !["preferred", "valid", "created", "updated"].contains(&k.as_str()))
        {
            return Err(invalid(format!(
                "{op}: unknown field 'cacheinfo.{k}'; expected one of created, preferred, updated, valid"
            )));
        }
    }
    let rt_priority = spec.u32("rtPriority")?;
    let proto = spec.u8("proto")?;
    spec.ignore(&["unknown"]);
    spec.finish()?;

    let mut body = vec![family, prefixlen, (flags & 0xff) as u8, scope];
    body.extend_from_slice(&index.to_ne_bytes());
    if let Some(a) = local {
        push_attr(&mut body, IFA_LOCAL, &fields::ip_bytes(a));
    }
    if let Some(a) = address {
        push_attr(&mut body, IFA_ADDRESS, &fields::ip_bytes(a));
    }
    if let Some(b) = broadcast {
        push_attr(&mut body, IFA_BROADCAST, &fields::ip_bytes(b));
    }
    if let Some(l) = label {
        push_attr(&mut body, IFA_LABEL, &fields::cstr(l));
    }
    push_attr(&mut body, IFA_FLAGS, &flags.to_ne_bytes());
    if !del && (preferred.is_some() || valid.is_some()) {
        let valid = valid.unwrap_or(FOREVER);
        let preferred = preferred.unwrap_or(valid);
        let mut ci = preferred.to_ne_bytes().to_vec();
        ci.extend_from_slice(&valid.to_ne_bytes());
        ci.extend_from_slice(&[0; 8]);
        push_attr(&mut body, IFA_CACHEINFO, &ci);
    }
    if let Some(p) = rt_priority {
        push_attr(&mut body, IFA_RT_PRIORITY, &p.to_ne_bytes());
    }
    if let Some(p) = proto {
        push_attr(&mut body, IFA_PROTO, &[p]);
    }
    let what = format!(
        "{} address {}/{prefixlen} on ifindex {index}",
        verb.ing(),
        local.or(address).map(|a| a.to_string()).unwrap_or_default()
    );
    Ok(Request::new(
        if del { RTM_DELADDR } else { RTM_NEWADDR },
        if del { 0 } else { verb.new_flags() },
        body,
        what,
    ))
}
