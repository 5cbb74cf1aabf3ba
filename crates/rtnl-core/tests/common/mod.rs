//! Shared by the per-kind decoder tests: reading the captured `.hex` files
//! and `ip -j` outputs of tests/data, and the robustness checks every
//! decoder must pass (tests/data/README.md says how the bytes were captured).
#![allow(dead_code)]

use rtnl_core::wire::{self, DecodeError, UnknownAttr};
use serde::Serialize;

/// Every message of a capture file as (nlmsg_type, payload after the nlmsghdr).
pub fn messages(file: &str) -> Vec<(u16, Vec<u8>)> {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (_, hex) = line.split_once(' ').expect("'<type> <hex>' lines");
        let datagram = unhex(hex.trim());
        for m in wire::messages(&datagram) {
            let m = m.expect("captured datagrams frame cleanly");
            out.push((m.kind, m.payload.to_vec()));
        }
    }
    assert!(!out.is_empty(), "{file} holds messages");
    out
}

/// The rtnetlink messages of a capture file: [`messages`] without the
/// netlink control messages (NLMSG_DONE, NLMSG_ERROR) that end a dump.
pub fn rtm_messages(file: &str) -> Vec<(u16, Vec<u8>)> {
    messages(file)
        .into_iter()
        .filter(|(kind, _)| *kind >= 16)
        .collect()
}

pub fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

/// An `ip -j` output saved beside the captures.
pub fn ip_json(file: &str) -> serde_json::Value {
    let path = format!("{}/tests/data/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(file)).expect("ip -j output")
}

/// The index of a link by the name `ip` printed for it (from a saved `ip -j link show`).
pub fn ifindex(links_file: &str, name: &str) -> u32 {
    ip_json(links_file)
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["ifname"] == name)
        .and_then(|l| l["ifindex"].as_u64())
        .unwrap_or_else(|| panic!("{name} in {links_file}")) as u32
}

/// One attribute: header + value + padding.
pub fn attr(kind: u16, value: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&((4 + value.len()) as u16).to_ne_bytes());
    b.extend_from_slice(&kind.to_ne_bytes());
    b.extend_from_slice(value);
    b.resize(wire::align4(b.len()), 0);
    b
}

/// Attributes one after another, each as [`attr`] lays it out.
pub fn nla(attrs: &[(u16, Vec<u8>)]) -> Vec<u8> {
    attrs
        .iter()
        .flat_map(|(kind, value)| attr(*kind, value))
        .collect()
}

/// The checks every decoder must pass on every captured payload: each
/// prefix and each single-byte corruption decodes or fails, never panics,
/// and whatever decodes also encodes as JSON; an attribute of an unknown
/// type appended to the message is kept in `unknown`.
pub fn robust<T: Serialize>(
    payload: &[u8],
    decode: fn(&[u8]) -> Result<T, DecodeError>,
    unknown: fn(&T) -> &Vec<UnknownAttr>,
) {
    for len in 0..payload.len() {
        if let Ok(v) = decode(&payload[..len]) {
            serde_json::to_string(&v).expect("JSON");
        }
    }
    for i in 0..payload.len() {
        for flip in [0xff, 0x80, 0x01] {
            let mut bad = payload.to_vec();
            bad[i] ^= flip;
            if let Ok(v) = decode(&bad) {
                serde_json::to_string(&v).expect("JSON");
            }
        }
    }
    let mut more = payload.to_vec();
    more.resize(wire::align4(more.len()), 0);
    more.extend(attr(0x3ff0, &[0xde, 0xad, 0xbe, 0xef, 0x01]));
    let v = decode(&more).expect("an unknown attribute does not fail the message");
    assert_eq!(
        unknown(&v).last(),
        Some(&UnknownAttr::new(0x3ff0, &[0xde, 0xad, 0xbe, 0xef, 0x01])),
        "the appended attribute is kept"
    );
}
