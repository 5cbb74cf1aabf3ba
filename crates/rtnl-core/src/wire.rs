//! Byte-level helpers shared by every object kind: netlink message and
//! attribute walking, fixed-size reads, and the textual forms `ip` prints
//! (dotted IPv4, RFC 5952 IPv6, lower-case colon MACs).
//!
//! Nothing here panics on short or malformed input: every read is bounds
//! checked and returns `None` or a `DecodeError`.

use std::fmt::Write as _;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;
use ts_rs::TS;

pub const NLMSG_HDRLEN: usize = 16;
pub const NLA_HDRLEN: usize = 4;
/// The top two bits of rta_type are NLA_F_NESTED and NLA_F_NET_BYTEORDER.
pub const NLA_TYPE_MASK: u16 = 0x3fff;
/// Marks an attribute as a nest: strict policies (nexthop groups, MDB gets) want it.
pub const NLA_F_NESTED: u16 = 0x8000;

pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;

pub const NLM_F_MULTI: u16 = 0x2;
pub const NLM_F_DUMP_INTR: u16 = 0x10;

pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;
pub const AF_BRIDGE: u8 = 7;
pub const AF_PACKET: u8 = 17;

/// Why a message could not be decoded. Carried to JS as the `error` of an
/// `unknown` event and counted in the monitor's decode failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(pub String);

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub const fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// One netlink message inside a datagram.
#[derive(Debug, Clone, Copy)]
pub struct NlMsg<'a> {
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    pub pid: u32,
    pub payload: &'a [u8],
}

/// Walks the netlink messages of one datagram. Yields an error and stops at
/// the first header whose length is impossible, since nothing after it can be
/// framed.
pub struct Messages<'a> {
    rest: &'a [u8],
}

pub fn messages(buf: &[u8]) -> Messages<'_> {
    Messages { rest: buf }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<NlMsg<'a>, DecodeError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let buf = self.rest;
        if buf.len() < NLMSG_HDRLEN {
            self.rest = &[];
            return Some(Err(DecodeError(format!(
                "netlink header truncated: {} bytes left, expected at least {NLMSG_HDRLEN}",
                buf.len()
            ))));
        }
        let len = u32_at(buf, 0).unwrap_or(0) as usize;
        if len < NLMSG_HDRLEN || len > buf.len() {
            self.rest = &[];
            return Some(Err(DecodeError(format!(
                "netlink message length {len} is invalid: {} bytes left in the datagram",
                buf.len()
            ))));
        }
        let msg = NlMsg {
            kind: u16_at(buf, 4).unwrap_or(0),
            flags: u16_at(buf, 6).unwrap_or(0),
            seq: u32_at(buf, 8).unwrap_or(0),
            pid: u32_at(buf, 12).unwrap_or(0),
            payload: &buf[NLMSG_HDRLEN..len],
        };
        self.rest = buf.get(align4(len)..).unwrap_or(&[]);
        Some(Ok(msg))
    }
}

/// Walks route attributes (struct rtattr). A malformed attribute ends the
/// walk and is reported through `error()`, keeping every attribute before it.
pub struct Attrs<'a> {
    rest: &'a [u8],
    error: Option<DecodeError>,
}

pub fn attrs(buf: &[u8]) -> Attrs<'_> {
    Attrs {
        rest: buf,
        error: None,
    }
}

impl<'a> Attrs<'a> {
    pub fn error(&self) -> Option<&DecodeError> {
        self.error.as_ref()
    }
}

impl<'a> Iterator for Attrs<'a> {
    /// (type with the nested/byte-order bits masked off, payload)
    type Item = (u16, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        let buf = self.rest;
        if buf.len() < NLA_HDRLEN {
            if !buf.is_empty() && buf.iter().any(|&b| b != 0) {
                self.error = Some(DecodeError(format!(
                    "{} trailing bytes after the last attribute",
                    buf.len()
                )));
            }
            self.rest = &[];
            return None;
        }
        let len = u16_at(buf, 0).unwrap_or(0) as usize;
        let kind = u16_at(buf, 2).unwrap_or(0) & NLA_TYPE_MASK;
        if len < NLA_HDRLEN || len > buf.len() {
            self.error = Some(DecodeError(format!(
                "attribute type {kind} has length {len}, but {} bytes are left",
                buf.len()
            )));
            self.rest = &[];
            return None;
        }
        self.rest = buf.get(align4(len)..).unwrap_or(&[]);
        Some((kind, &buf[NLA_HDRLEN..len]))
    }
}

/// A kernel attribute this version does not decode, kept as hex. Every
/// struct keeps these in `unknown`, so nothing a newer kernel sends is lost.
///
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   for (const a of l.unknown ?? []) console.log(`${l.name}: IFLA attribute ${a.type}, ${a.data.length / 2} bytes: ${a.data}`)
/// }
/// ```
/// @category Common
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "UnknownAttribute")]
pub struct UnknownAttr {
    /// The attribute's type number (nla_type, without the nested/byte-order flags).
    #[serde(rename = "type")]
    pub kind: u16,
    /// Its payload, lower-case hex.
    pub data: String,
}

impl UnknownAttr {
    pub fn new(kind: u16, data: &[u8]) -> Self {
        UnknownAttr {
            kind,
            data: hex(data),
        }
    }
}

pub fn u8_at(b: &[u8], off: usize) -> Option<u8> {
    b.get(off).copied()
}

pub fn u16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_ne_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

pub fn u32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

pub fn i32_at(b: &[u8], off: usize) -> Option<i32> {
    Some(i32::from_ne_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

pub fn u64_at(b: &[u8], off: usize) -> Option<u64> {
    Some(u64::from_ne_bytes(b.get(off..off + 8)?.try_into().ok()?))
}

pub fn be16_at(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

/// A u32 attribute payload; None when shorter than 4 bytes.
pub fn u32_of(b: &[u8]) -> Option<u32> {
    u32_at(b, 0)
}

pub fn u8_of(b: &[u8]) -> Option<u8> {
    u8_at(b, 0)
}

/// A name the kernel keeps as bytes (interface names, labels, aliases): UTF-8
/// in practice, but the kernel does not check. It serialises as a JSON string
/// that round-trips: valid UTF-8 as itself, and each byte of an invalid
/// sequence as the lone surrogate U+DC80..U+DCFF ("surrogateescape", as
/// Python names OS bytes), which JSON can carry and a JS string can hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct KernelName(pub Vec<u8>);

impl KernelName {
    /// The name as a C string, NUL-terminated, for a request.
    pub fn cstr(&self) -> Vec<u8> {
        let mut b = self.0.clone();
        b.push(0);
        b
    }

    /// The name for display: invalid bytes become U+FFFD.
    pub fn lossy(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.0)
    }

    /// The JSON string literal, with invalid bytes as `\udcXX` escapes.
    pub fn json_literal(&self) -> String {
        let mut out = String::with_capacity(self.0.len() + 2);
        out.push('"');
        for chunk in self.0.utf8_chunks() {
            let valid = serde_json::to_string(chunk.valid()).unwrap_or_default();
            out.push_str(&valid[1..valid.len() - 1]);
            for &b in chunk.invalid() {
                let _ = write!(out, "\\u{:04x}", 0xdc00 + b as u32);
            }
        }
        out.push('"');
        out
    }

    /// Parses the surrogate-escaped form back into bytes: the inverse of the
    /// serialisation, for names coming back from JS as hex of their bytes.
    pub fn from_hex(hex: &str) -> Option<KernelName> {
        if !hex.len().is_multiple_of(2) {
            return None;
        }
        (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
            .collect::<Option<Vec<u8>>>()
            .map(KernelName)
    }
}

impl From<&str> for KernelName {
    fn from(s: &str) -> Self {
        KernelName(s.as_bytes().to_vec())
    }
}

impl PartialEq<&str> for KernelName {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

/// In TypeScript a `string`, as it serialises.
impl ts_rs::TS for KernelName {
    type WithoutGenerics = Self;
    type OptionInnerType = Self;
    fn name(_: &ts_rs::Config) -> String {
        "string".into()
    }
    fn inline(cfg: &ts_rs::Config) -> String {
        Self::name(cfg)
    }
}

impl Serialize for KernelName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(&self.0) {
            Ok(text) => s.serialize_str(text),
            Err(_) => serde_json::value::RawValue::from_string(self.json_literal())
                .map_err(serde::ser::Error::custom)?
                .serialize(s),
        }
    }
}

/// A NUL-terminated name attribute (IFNAME, LABEL, ...), its bytes kept exactly.
pub fn name_of(b: &[u8]) -> KernelName {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    KernelName(b[..end].to_vec())
}

/// A NUL-terminated string attribute (kinds, ext-ack texts). Bytes that are
/// not UTF-8 are replaced rather than failing the message.
pub fn string_of(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// The names of the bits set in `bits`, in table order (IFF_*, IFA_F_*, ...).
pub fn bit_names<T: Copy + Into<u32>>(bits: T, table: &[(T, &'static str)]) -> Vec<&'static str> {
    let bits: u32 = bits.into();
    table
        .iter()
        .filter(|(bit, _)| bits & (*bit).into() != 0)
        .map(|(_, name)| *name)
        .collect()
}

pub fn hex(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 2);
    for byte in b {
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// Link-layer address as `ip` prints it: lower-case hex pairs joined by ':'.
pub fn mac(b: &[u8]) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, byte) in b.iter().enumerate() {
        if i > 0 {
            s.push(':');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// A network address attribute. 4 bytes print as IPv4, 16 as IPv6 (the
/// standard library's Display is RFC 5952, as `ip` prints); any other length
/// (a link-layer neighbour address, for instance) prints as colon hex.
pub fn ip(b: &[u8]) -> String {
    match b.len() {
        4 => Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let a: [u8; 16] = b.try_into().unwrap_or([0; 16]);
            Ipv6Addr::from(a).to_string()
        }
        _ => mac(b),
    }
}

/// Turns a malformed attribute walk into the message's decode error, so a
/// message is either decoded whole or reported as undecodable, never half.
pub fn check(walk: &Attrs<'_>, what: &str) -> Result<(), DecodeError> {
    match walk.error() {
        Some(e) => Err(DecodeError(format!("{what}: {e}"))),
        None => Ok(()),
    }
}

/// Fails with a message naming the struct when a fixed header is short.
pub fn need(payload: &[u8], len: usize, what: &str) -> Result<(), DecodeError> {
    if payload.len() < len {
        return Err(DecodeError(format!(
            "{what} truncated: {} bytes, expected at least {len}",
            payload.len()
        )));
    }
    Ok(())
}
