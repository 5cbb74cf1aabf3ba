//! mdb decoder against real RTM_NEWMDB/RTM_DELMDB bytes captured from this
//! kernel (a dump and multicast events; tests/data/README.md says how),
//! checked against `bridge -d -s -j mdb show` for the same bridge, plus
//! hand-built vxlan/source-list attributes and malformed variants.

mod common;

use common::{nla, rtm_messages};
use rtnl_core::mdb::{self, MdbEntry, MdbEntryType};

const DUMP: &str = "mdb-dump.hex";
const EVENTS: &str = "mdb-events.hex";

fn dump() -> Vec<MdbEntry> {
    let m = rtm_messages(DUMP);
    assert_eq!(m.len(), 1, "one message per bridge");
    mdb::decode(&m[0].1).expect("decodes")
}

fn group<'a>(es: &'a [MdbEntry], grp: &str) -> &'a MdbEntry {
    es.iter()
        .find(|e| e.grp.as_deref() == Some(grp))
        .unwrap_or_else(|| panic!("no {grp}"))
}

#[test]
fn mdb_dump_matches_bridge() {
    let es = dump();
    // bridge -d -s -j mdb show: 11 groups and one router port.
    assert_eq!(
        es.iter()
            .filter(|e| e.entry_type == MdbEntryType::Group)
            .count(),
        11
    );
    // The dump's bpm_family is 0 (the kernel leaves it so in dumps); read as AF_BRIDGE.
    for e in &es {
        assert!(
            e.ifindex == 2 && e.family == 7 && e.unknown.is_empty(),
            "{e:?}"
        );
    }

    let e = group(&es, "239.1.1.1");
    assert_eq!(
        (e.port, e.state_name.as_deref(), e.vid),
        (4, Some("permanent"), Some(0))
    );
    assert_eq!(e.flag_names.as_deref(), Some(&[][..]));
    assert_eq!(e.proto_name.as_deref(), Some("ipv4"));
    assert_eq!(e.group_mode_name.as_deref(), Some("exclude"));
    assert_eq!(e.rtprot_name.as_deref(), Some("static"));
    assert_eq!(e.timer, Some(0));

    let e = group(&es, "239.1.1.2");
    assert_eq!((e.port, e.state_name.as_deref()), (6, Some("temp")));
    assert!(e.timer.unwrap() > 0);

    let e = group(&es, "239.1.1.3");
    assert_eq!(e.source.as_deref(), Some("10.0.0.5"));
    assert_eq!(e.group_mode_name.as_deref(), Some("include"));

    let e = group(&es, "239.1.1.9");
    assert_eq!(e.vid, Some(5));

    let e = group(&es, "01:00:5e:00:00:05");
    assert_eq!((e.proto, e.proto_name.as_deref()), (Some(0), Some("l2")));
    assert_eq!(e.group_mode, None);

    let e = group(&es, "239.1.1.8");
    assert_eq!(e.port, 2, "host-joined: the bridge itself");
    assert_eq!(e.rtprot, None);

    let e = group(&es, "ff02::1:ff2a:35ef");
    assert_eq!(e.proto_name.as_deref(), Some("ipv6"));
    assert_eq!(e.rtprot_name.as_deref(), Some("kernel"));

    let r: Vec<&MdbEntry> = es
        .iter()
        .filter(|e| e.entry_type == MdbEntryType::Router)
        .collect();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].port, 6);
    assert_eq!(r[0].router_type_name.as_deref(), Some("permanent"));
    assert_eq!(
        (r[0].timer, r[0].inet_timer, r[0].inet6_timer),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(r[0].state, None);
    let j = serde_json::to_value(r[0]).unwrap();
    assert_eq!(j["entryType"], "router");
}

#[test]
fn mdb_events_carry_one_entry_each() {
    let ev = rtm_messages(EVENTS);
    assert!(ev.len() >= 10);
    let mut routers = 0;
    for (t, p) in &ev {
        let es = mdb::decode(p).expect("decodes");
        assert_eq!(es.len(), 1, "one entry per event");
        assert!(es[0].unknown.is_empty());
        if es[0].entry_type == MdbEntryType::Router {
            routers += 1;
            assert_eq!(es[0].port, 6);
        }
        if *t == mdb::RTM_DELMDB {
            assert_eq!(es[0].grp.as_deref(), Some("ff0e::1"));
        }
    }
    assert!(routers >= 1, "the mcast_router 2 event");
    assert!(ev.iter().any(|(t, _)| *t == mdb::RTM_DELMDB));
    let added: Vec<MdbEntry> = ev
        .iter()
        .flat_map(|(_, p)| mdb::decode(p).unwrap())
        .collect();
    assert_eq!(
        group(&added, "ff0e::1").state_name.as_deref(),
        Some("permanent")
    );
}

/// An entry with a source list and the vxlan MDB attributes, hand-built from
/// include/uapi/linux/if_bridge.h (this kernel has no vxlan MDB, and IGMPv3
/// source lists need a querier exchange).
#[test]
fn mdb_hand_built_src_list_and_vxlan() {
    let mut e = 7u32.to_ne_bytes().to_vec();
    e.extend_from_slice(&[1, 0x06]);
    e.extend_from_slice(&10u16.to_ne_bytes());
    let mut u = [0u8; 16];
    u[..4].copy_from_slice(&[239, 2, 2, 2]);
    e.extend_from_slice(&u);
    e.extend_from_slice(&0x0800u16.to_be_bytes());
    e.extend_from_slice(&[0, 0]);
    let src = nla(&[(
        1,
        nla(&[(1, vec![10, 0, 0, 6]), (2, 500u32.to_ne_bytes().to_vec())]),
    )]);
    e.extend(nla(&[
        (2, src),
        (3, vec![1]),
        (6, vec![192, 0, 2, 1]),
        (7, 4789u16.to_be_bytes().to_vec()),
        (8, 100u32.to_ne_bytes().to_vec()),
        (9, 3u32.to_ne_bytes().to_vec()),
        (10, 200u32.to_ne_bytes().to_vec()),
        (77, vec![1]),
    ]));
    let mut p = vec![7, 0, 0, 0];
    p.extend_from_slice(&9u32.to_ne_bytes());
    p.extend(nla(&[(1, nla(&[(1, nla(&[(1, e)]))]))]));
    let es = mdb::decode(&p).unwrap();
    assert_eq!(es.len(), 1);
    let x = &es[0];
    assert_eq!(x.grp.as_deref(), Some("239.2.2.2"));
    assert_eq!(x.vid, Some(10));
    assert_eq!(
        x.flag_names.as_deref(),
        Some(&["fast_leave", "added_by_star_ex"][..])
    );
    let s = &x.src_list.as_ref().unwrap()[0];
    assert_eq!(
        (s.address.as_deref(), s.timer),
        (Some("10.0.0.6"), Some(500))
    );
    assert_eq!(x.dst.as_deref(), Some("192.0.2.1"));
    assert_eq!(
        (x.dst_port, x.vni, x.dst_ifindex, x.src_vni),
        (Some(4789), Some(100), Some(3), Some(200))
    );
    assert_eq!(x.unknown[0].kind, 77);
    // A router port as events carry it: a bare u32.
    let mut p = vec![7, 0, 0, 0];
    p.extend_from_slice(&9u32.to_ne_bytes());
    p.extend(nla(&[(2, nla(&[(1, 4u32.to_ne_bytes().to_vec())]))]));
    let es = mdb::decode(&p).unwrap();
    assert_eq!(
        (es[0].entry_type, es[0].port, es[0].router_type),
        (MdbEntryType::Router, 4, None)
    );
    // Only unknown attributes: one entry carries them.
    let mut p = vec![7, 0, 0, 0, 9, 0, 0, 0];
    p.extend(nla(&[(9, vec![1, 2, 3, 4])]));
    let es = mdb::decode(&p).unwrap();
    assert_eq!(es.len(), 1);
    assert_eq!(es[0].unknown[0].data, "01020304");
}

#[test]
fn mdb_every_prefix_and_corruption_is_handled() {
    let mut all = rtm_messages(DUMP);
    all.extend(rtm_messages(EVENTS));
    for (_, p) in all {
        for n in 0..p.len() {
            let _ = mdb::decode(&p[..n]);
        }
        for i in 0..p.len() {
            let mut q = p.clone();
            q[i] ^= 0xff;
            if let Ok(v) = mdb::decode(&q) {
                serde_json::to_string(&v).expect("json");
            }
        }
        let mut bad = p.clone();
        bad.extend_from_slice(&[0x40, 0, 1, 0]);
        assert!(mdb::decode(&bad).is_err());
        let mut ext = p.clone();
        ext.extend_from_slice(&[8, 0, 0x63, 0, 1, 2, 3, 4]);
        let v = mdb::decode(&ext).expect("decodes");
        assert!(v[0].unknown.iter().any(|u| u.kind == 99));
    }
    assert!(mdb::decode(&[7, 0, 0]).is_err());
    assert_eq!(mdb::decode(&[7, 0, 0, 0, 2, 0, 0, 0]).unwrap(), vec![]);
}

#[test]
fn get_request_holds_the_group_vlan_and_source() {
    use rtnl_core::mdb::{get_request, MdbQuery};
    let q = MdbQuery {
        ifindex: 12,
        grp: "239.1.1.3".into(),
        vid: 5,
        source: Some("10.0.0.5".into()),
    };
    let body = get_request(&q).unwrap();
    let mut want = vec![7, 0, 0, 0, 12, 0, 0, 0];
    // MDBA_GET_ENTRY: struct br_mdb_entry, only vid, address and proto (ETH_P_IP, big-endian) set.
    want.extend_from_slice(&[32, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5, 0, 239, 1, 1, 3]);
    want.extend_from_slice(&[0; 12]);
    want.extend_from_slice(&[0x08, 0x00, 0, 0]);
    // MDBA_GET_ENTRY_ATTRS (nested) holding MDBE_ATTR_SOURCE.
    want.extend_from_slice(&[12, 0, 2, 0x80, 8, 0, 1, 0, 10, 0, 0, 5]);
    assert_eq!(body, want);

    let mac = MdbQuery {
        ifindex: 12,
        grp: "01:00:5e:00:00:05".into(),
        vid: 0,
        source: None,
    };
    let body = get_request(&mac).unwrap();
    assert_eq!(&body[20..26], &[1, 0, 0x5e, 0, 0, 5]);
    assert_eq!(&body[36..38], &[0, 0], "a MAC group has proto 0");

    let sourced = MdbQuery {
        source: Some("10.0.0.5".into()),
        ..mac.clone()
    };
    let e = get_request(&sourced).unwrap_err();
    assert_eq!(
        e.message,
        "mdb.get: source must be an address of the group's family (none: a MAC group has no source), got '10.0.0.5'"
    );

    let bad = MdbQuery {
        vid: 4095,
        ..mac.clone()
    };
    let e = get_request(&bad).unwrap_err();
    assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
    assert_eq!(e.message, "mdb.get: vid must be from 0 to 4094, got 4095");
}
