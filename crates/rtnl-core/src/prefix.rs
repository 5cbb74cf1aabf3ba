//! IPv6 prefixes learnt from router advertisements: RTM_NEWPREFIX, struct
//! prefixmsg + PREFIX_*. Events only (RTNLGRP_IPV6_PREFIX): the kernel has
//! no dump for them.

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::kind::{Dump, Key, KindDecl, KindDef, Op};
use crate::wire::{self, attrs, check, ip, need, DecodeError, UnknownAttr};

pub const RTM_NEWPREFIX: u16 = 52;
/// sizeof(struct prefixmsg)
pub const HEADER_LEN: usize = 12;

/// IPv6 prefixes from router advertisements: events only.
pub const PREFIXES: KindDef<Prefix> = KindDef {
    decl: KindDecl {
        name: "prefixes",
        ops: &[Op {
            nlmsg_type: RTM_NEWPREFIX,
            name: "new_prefix",
            removes: false,
            listed: false,
        }],
        get_type: None,
        header_len: HEADER_LEN,
        groups: &["IPV6_PREFIX"],
        dump: Dump::None,
        get: None,
        encode: None,
        list_filters: &[],
        moving: &[],
        scope_keys: &[],
        watch_key: Key::of(
            &[],
            "not followed by watch(): the kernel only multicasts them",
        ),
        desired_key: None,
    },
    decode: |p, _, each| {
        each(decode(p)?);
        Ok(())
    },
    keeps: |_, _| true,
};

const PREFIX_ADDRESS: u16 = 1;
const PREFIX_CACHEINFO: u16 = 2;

/// prefix_flags, both encodings. Up to Linux 6.6 the kernel sent
/// IF_PREFIX_ONLINK (0x01) and IF_PREFIX_AUTOCONF (0x02); since 6.7 it sends
/// the prefix information option's own flag byte (L 0x80, A 0x40, R 0x20,
/// P 0x10; 6.18 sends 0xc0 for L|A). The two sets do not overlap, though
/// on a new kernel a router setting the option's reserved low bits would
/// show here as the old names.
const FLAG_NAMES: [(u8, &str); 6] = [
    (0x01, "onlink"),
    (0x80, "onlink"),
    (0x02, "autoconf"),
    (0x40, "autoconf"),
    (0x20, "router-address"),
    (0x10, "pd-preferred"),
];

/// struct prefix_cacheinfo (PREFIX_CACHEINFO): the lifetimes the advertisement gave, in seconds (0xffffffff: infinite).
///
/// @example
/// ```ts
/// import { subscribe, RTNLGRP } from 'rtnl'
///
/// for await (const msg of await subscribe({ groups: [RTNLGRP.IPV6_PREFIX] })) {
///   const ci = msg.type === 'event' && msg.op === 'new_prefix' ? msg.resource.cacheinfo : undefined
///   if (ci) console.log(`valid ${ci.validTime} s, preferred ${ci.preferredTime} s`)
/// }
/// ```
/// @category Router advertisements
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PrefixCacheInfo {
    /// The preferred lifetime, seconds.
    pub preferred_time: u32,
    /// The valid lifetime, seconds.
    pub valid_time: u32,
}

/// An IPv6 prefix a router advertised (RTM_NEWPREFIX, struct prefixmsg and its
/// PREFIX_* attributes). Events only: the kernel has no dump of them; join
/// `KIND_GROUPS.prefixes` (IPV6_PREFIX).
///
/// @example
/// ```ts
/// import { subscribe, KIND_GROUPS } from 'rtnl'
///
/// for await (const msg of await subscribe({ groups: [...KIND_GROUPS.prefixes] })) {
///   if (msg.type === 'event' && msg.op === 'new_prefix') {
///     const p = msg.resource
///     console.log(`${p.address}/${p.prefixLen} on ${p.ifindex}`, p.flagNames)
///   }
/// }
/// ```
/// @category Router advertisements
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Prefix {
    /// prefix_family: 10 (AF_INET6).
    pub family: u8,
    /// prefix_ifindex: the interface the advertisement came in on.
    pub ifindex: i32,
    /// prefix_type: the ND option type (3, prefix information).
    pub prefix_type: u8,
    /// prefix_len: the prefix length.
    pub prefix_len: u8,
    /// prefix_flags: IF_PREFIX_* bits (kernels up to 6.6) or the option's L/A/R/P flag byte (6.7 and later).
    pub flags: u8,
    /// The bits of `flags` by name: 'onlink', 'autoconf', 'router-address', 'pd-preferred'.
    pub flag_names: Vec<&'static str>,
    /// PREFIX_ADDRESS: the prefix.
    pub address: Option<String>,
    /// PREFIX_CACHEINFO: the preferred and valid lifetimes.
    pub cacheinfo: Option<PrefixCacheInfo>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
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
        match kind {
            PREFIX_ADDRESS => p.address = Some(ip(data)),
            PREFIX_CACHEINFO if data.len() >= 8 => {
                p.cacheinfo = Some(PrefixCacheInfo {
                    preferred_time: wire::u32_at(data, 0).unwrap_or(0),
                    valid_time: wire::u32_at(data, 4).unwrap_or(0),
                })
            }
            _ => p.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "prefix attributes")?;
    let mut names = wire::bit_names(p.flags, &FLAG_NAMES);
    names.dedup();
    p.flag_names = names;
    Ok(p)
}
