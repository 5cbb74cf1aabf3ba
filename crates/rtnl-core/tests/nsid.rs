//! nsid::decode against real RTM_NEWNSID / RTM_DELNSID messages (events and
//! dumps, tests/data/README.md), checked against `ip -j netns list-id`.

mod common;

use common::{attr, ip_json, messages, robust};
use rtnl_core::nsid::{self, decode, Nsid};

fn decoded(file: &str) -> Vec<(u16, Nsid)> {
    messages(file)
        .iter()
        .map(|(k, p)| (*k, decode(p).unwrap()))
        .collect()
}

#[test]
fn dump_matches_ip() {
    let ours = decoded("nsid-dump.hex");
    let ip = ip_json("nsid-dump.ip.json");
    let ip = ip.as_array().unwrap();
    assert_eq!(ours.len(), ip.len());
    for ((kind, n), j) in ours.iter().zip(ip) {
        assert_eq!(*kind, nsid::RTM_NEWNSID);
        assert_eq!(n.nsid.map(i64::from), j["nsid"].as_i64());
        assert_eq!(n.current_nsid, None);
    }
    assert_eq!(
        ours[0].1,
        Nsid {
            nsid: Some(5),
            ..Nsid::default()
        }
    );
}

#[test]
fn target_dump_matches_ip() {
    // `ip netns list-id target-nsid 5`: the ids namespace 5 gives, and the
    // id the asking namespace gives each of those (-1: none; ip omits it).
    let ours = decoded("nsid-dump-target.hex");
    let ip = ip_json("nsid-dump-target.ip.json");
    let ip = ip.as_array().unwrap();
    assert_eq!(ours.len(), ip.len());
    for ((_, n), j) in ours.iter().zip(ip) {
        assert_eq!(n.nsid.map(i64::from), j["nsid"].as_i64());
        let current = n.current_nsid.filter(|c| *c >= 0).map(i64::from);
        assert_eq!(current, j["current-nsid"].as_i64());
    }
    assert_eq!(
        ours[1].1,
        Nsid {
            nsid: Some(9),
            current_nsid: Some(-1),
            ..Nsid::default()
        }
    );
}

#[test]
fn events() {
    let ours = decoded("nsid-events.hex");
    let new = |id| {
        (
            nsid::RTM_NEWNSID,
            Nsid {
                nsid: Some(id),
                ..Nsid::default()
            },
        )
    };
    // `ip netns set B 5`, `ip netns set C 6`, then C is deleted.
    assert_eq!(
        ours,
        vec![
            new(5),
            new(6),
            (
                nsid::RTM_DELNSID,
                Nsid {
                    nsid: Some(6),
                    ..Nsid::default()
                }
            )
        ]
    );
}

#[test]
fn request_attributes() {
    // A request as `ip netns set` / `list-id` builds them (include/uapi/linux/net_namespace.h).
    let mut p = vec![0u8; 4];
    p.extend(attr(1, &(-1i32).to_ne_bytes()));
    p.extend(attr(2, &1234u32.to_ne_bytes()));
    p.extend(attr(3, &7u32.to_ne_bytes()));
    p.extend(attr(4, &5i32.to_ne_bytes()));
    assert_eq!(
        decode(&p).unwrap(),
        Nsid {
            nsid: Some(-1),
            pid: Some(1234),
            fd: Some(7),
            target_nsid: Some(5),
            ..Nsid::default()
        }
    );
}

#[test]
fn truncated_corrupted_extended() {
    for file in ["nsid-dump.hex", "nsid-dump-target.hex", "nsid-events.hex"] {
        for (_, p) in messages(file) {
            robust(&p, decode, |n| &n.unknown);
        }
    }
    assert!(decode(&[]).is_err());
}
