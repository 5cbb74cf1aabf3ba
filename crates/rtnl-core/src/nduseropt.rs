//! Neighbour discovery options the kernel passes to user space from router
//! advertisements (prefix information, RDNSS, DNSSL, captive portal, PREF64):
//! RTM_NEWNDUSEROPT, struct nduseroptmsg, the options' bytes, then
//! NDUSEROPT_* attributes. Events only (RTNLGRP_ND_USEROPT): there is no
//! dump. The kernel sends one message per option.

use std::net::Ipv6Addr;

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use crate::kind::{Dump, Key, KindDecl, KindDef, Op};
use crate::wire::{self, attrs, check, ip, need, DecodeError, UnknownAttr};

pub const RTM_NEWNDUSEROPT: u16 = 68;
/// sizeof(struct nduseroptmsg)
pub const HEADER_LEN: usize = 16;

/// ND user options from router advertisements: events only.
pub const ND_USER_OPTIONS: KindDef<NdUserOption> = KindDef {
    decl: KindDecl {
        name: "ndUserOptions",
        ops: &[Op {
            nlmsg_type: RTM_NEWNDUSEROPT,
            name: "new_nduseropt",
            removes: false,
            listed: false,
        }],
        get_type: None,
        header_len: HEADER_LEN,
        groups: &["ND_USEROPT"],
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

const NDUSEROPT_SRCADDR: u16 = 1;

const ND_OPT_PREFIX_INFO: u8 = 3;
const ND_OPT_RDNSS: u8 = 25;
const ND_OPT_DNSSL: u8 = 31;
const ND_OPT_CAPTIVE_PORTAL: u8 = 37;
const ND_OPT_PREF64: u8 = 38;

/// One ND option (RFC 4861 type-length-value). The fields present depend on
/// `type`; an option whose body does not parse as its type says, or of a type
/// not decoded here, has only `data`.
///
/// @category Router advertisements
/// @example
/// ```ts
/// import { subscribe, KIND_GROUPS } from 'rtnl'
///
/// for await (const msg of await subscribe({ groups: [...KIND_GROUPS.ndUserOptions] })) {
///   if (msg.type !== 'event' || msg.op !== 'new_nduseropt') continue
///   for (const o of msg.resource.options) {
///     if (o.typeName === 'rdnss') console.log('DNS servers', o.servers, 'for', o.lifetime, 's')
///     if (o.typeName === 'dnssl') console.log('search', o.domains)
///   }
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NdOption {
    /// The option type: 3 prefix information, 25 RDNSS, 31 DNSSL, 37 captive portal, 38 PREF64, ...
    #[serde(rename = "type")]
    pub kind: u8,
    /// `type` by name: 'prefix', 'rdnss', 'dnssl', 'captive-portal', 'pref64'; absent for other types.
    #[ts(
        type = "'prefix' | 'rdnss' | 'dnssl' | 'captive-portal' | 'pref64'",
        optional
    )]
    pub type_name: Option<&'static str>,
    /// RDNSS, DNSSL, PREF64: how long the servers / domains / prefix may be used, in seconds (0xffffffff: infinite).
    pub lifetime: Option<u32>,
    /// RDNSS: the recursive DNS servers' addresses.
    pub servers: Option<Vec<String>>,
    /// DNSSL: the DNS search list, as dotted names.
    pub domains: Option<Vec<String>>,
    /// Prefix information, PREF64: the prefix.
    pub prefix: Option<String>,
    /// Prefix information, PREF64: the prefix length.
    pub prefix_len: Option<u8>,
    /// Prefix information: the flag byte (L 0x80 on-link, A 0x40 autonomous, R 0x20, P 0x10).
    pub flags: Option<u8>,
    /// Prefix information: the valid lifetime, in seconds.
    pub valid_lifetime: Option<u32>,
    /// Prefix information: the preferred lifetime, in seconds.
    pub preferred_lifetime: Option<u32>,
    /// Captive portal: the portal's URI.
    pub uri: Option<String>,
    /// The option's body after type and length, in hex, when not decoded into the fields above.
    pub data: Option<String>,
}

/// The ND options of a router advertisement the kernel passes to user space
/// (RTM_NEWNDUSEROPT: RDNSS, DNSSL, captive portal, PREF64, ...). Events
/// only: join `KIND_GROUPS.ndUserOptions` (ND_USEROPT).
///
/// @example
/// ```ts
/// import { subscribe, RTNLGRP } from 'rtnl'
///
/// for await (const msg of await subscribe({ groups: [RTNLGRP.ND_USEROPT] })) {
///   if (msg.type === 'event' && msg.op === 'new_nduseropt') console.log(`from ${msg.resource.srcaddr} on ${msg.resource.ifindex}`, msg.resource.options)
/// }
/// ```
/// @category Router advertisements
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct NdUserOption {
    /// nduseropt_family: 10 (AF_INET6).
    pub family: u8,
    /// nduseropt_ifindex: the interface the advertisement came in on.
    pub ifindex: i32,
    /// nduseropt_icmp_type: the ICMPv6 message the options came in (134, router advertisement).
    pub icmp_type: u8,
    /// nduseropt_icmp_code.
    pub icmp_code: u8,
    /// The options' bytes as they came, in hex.
    pub options_hex: String,
    /// The options, decoded.
    pub options: Vec<NdOption>,
    /// NDUSEROPT_SRCADDR: the advertising router's (link-local) address.
    pub srcaddr: Option<String>,
    /// Attributes not decoded.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// DNS names in label encoding (RFC 1035 3.1, no compression), as RFC 8106
/// puts them in a DNSSL option; the zero padding after the last is skipped.
fn domains(mut b: &[u8]) -> Option<Vec<String>> {
    let mut out = Vec::new();
    while b.first().is_some_and(|&c| c != 0) {
        let mut labels = Vec::new();
        loop {
            let (&len, rest) = b.split_first()?;
            if len == 0 {
                b = rest;
                break;
            }
            if len > 63 {
                return None;
            }
            let label = rest.get(..len as usize)?;
            labels.push(String::from_utf8_lossy(label).into_owned());
            b = &rest[len as usize..];
        }
        out.push(labels.join("."));
    }
    // Only padding may follow the last name.
    b.iter().all(|&c| c == 0).then_some(out)
}

fn v6(b: &[u8]) -> String {
    let mut a = [0u8; 16];
    a[..b.len().min(16)].copy_from_slice(&b[..b.len().min(16)]);
    Ipv6Addr::from(a).to_string()
}

/// The typed fields of one option's body (the bytes after type and length),
/// or None when it does not parse as its type.
fn decode_body(kind: u8, body: &[u8]) -> Option<NdOption> {
    let mut o = NdOption {
        kind,
        ..NdOption::default()
    };
    match kind {
        ND_OPT_PREFIX_INFO => {
            // prefix len, flags, valid, preferred, reserved2, prefix
            let prefix = body.get(14..30)?;
            o.type_name = Some("prefix");
            o.prefix_len = Some(body[0]);
            o.flags = Some(body[1]);
            o.valid_lifetime = Some(u32::from_be_bytes(body[2..6].try_into().ok()?));
            o.preferred_lifetime = Some(u32::from_be_bytes(body[6..10].try_into().ok()?));
            o.prefix = Some(ip(prefix));
        }
        ND_OPT_RDNSS => {
            // reserved (2), lifetime, addresses
            let addrs = body.get(6..)?;
            if addrs.is_empty() || !addrs.len().is_multiple_of(16) {
                return None;
            }
            o.type_name = Some("rdnss");
            o.lifetime = Some(u32::from_be_bytes(body[2..6].try_into().ok()?));
            o.servers = Some(addrs.chunks_exact(16).map(ip).collect());
        }
        ND_OPT_DNSSL => {
            o.lifetime = Some(u32::from_be_bytes(body.get(2..6)?.try_into().ok()?));
            o.domains = Some(domains(&body[6..])?);
            o.type_name = Some("dnssl");
        }
        ND_OPT_CAPTIVE_PORTAL => {
            let end = body.iter().position(|&c| c == 0).unwrap_or(body.len());
            o.uri = Some(std::str::from_utf8(&body[..end]).ok()?.to_string());
            if !body[end..].iter().all(|&c| c == 0) {
                return None;
            }
            o.type_name = Some("captive-portal");
        }
        ND_OPT_PREF64 => {
            // scaled lifetime (13 bits, units of 8 s) | PLC (3 bits), 96 bits of prefix
            let word = u16::from_be_bytes(body.get(0..2)?.try_into().ok()?);
            let prefix = body.get(2..14)?;
            o.prefix_len = Some(match word & 7 {
                0 => 96,
                1 => 64,
                2 => 56,
                3 => 48,
                4 => 40,
                5 => 32,
                _ => return None,
            });
            o.lifetime = Some((word >> 3) as u32 * 8);
            o.prefix = Some(v6(prefix));
            o.type_name = Some("pref64");
        }
        _ => return None,
    }
    Some(o)
}

fn decode_options(mut b: &[u8]) -> Result<Vec<NdOption>, DecodeError> {
    let mut out = Vec::new();
    while !b.is_empty() {
        let len = b.get(1).map_or(0, |&l| l as usize * 8);
        if len == 0 || len > b.len() {
            return Err(DecodeError(format!(
                "ND option length {len} is invalid: {} option bytes left",
                b.len()
            )));
        }
        let (kind, body) = (b[0], &b[2..len]);
        out.push(decode_body(kind, body).unwrap_or_else(|| NdOption {
            kind,
            data: Some(wire::hex(body)),
            ..NdOption::default()
        }));
        b = &b[len..];
    }
    Ok(out)
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
        options: decode_options(opts)?,
        ..NdUserOption::default()
    };
    let mut walk = attrs(
        payload
            .get(wire::align4(HEADER_LEN + opts_len)..)
            .unwrap_or(&[]),
    );
    for (kind, data) in walk.by_ref() {
        match kind {
            NDUSEROPT_SRCADDR => n.srcaddr = Some(ip(data)),
            _ => n.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "nduseropt attributes")?;
    Ok(n)
}
