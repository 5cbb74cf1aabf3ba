//! nexthop::decode against real RTM_NEWNEXTHOP / RTM_DELNEXTHOP /
//! RTM_NEWNEXTHOPBUCKET messages (events and dumps, tests/data/README.md),
//! checked against what `ip -j -d nexthop show` printed for the same objects.

mod common;

use common::{attr, ifindex, ip_json, messages, robust};
use rtnl_core::nexthop::{
    self, decode, NexthopGroupMember, NexthopGroupStatsEntry, NexthopObject,
    NexthopResilientBucket, NexthopResilientGroup,
};
use rtnl_core::wire::UnknownAttr;

const LINKS: &str = "stats-links.ip.json";

fn dump() -> Vec<NexthopObject> {
    messages("nexthop-dump.hex")
        .iter()
        .map(|(kind, p)| {
            assert_eq!(*kind, nexthop::RTM_NEWNEXTHOP);
            decode(p).expect("decodes")
        })
        .collect()
}

fn by_id(list: &[NexthopObject], id: u32) -> &NexthopObject {
    list.iter().find(|n| n.id == Some(id)).expect("nexthop id")
}

#[test]
fn dump_matches_ip_key_by_key() {
    let ours = dump();
    let ip = ip_json("nexthop-dump.ip.json");
    let ip = ip.as_array().unwrap();
    assert_eq!(ours.len(), ip.len());
    let v1 = ifindex(LINKS, "v1");
    for (n, j) in ours.iter().zip(ip) {
        // `ip` prints the encap's own "id" after the nexthop's for encap ip.
        if j["encap"] != "ip" {
            assert_eq!(n.id, j["id"].as_u64().map(|v| v as u32));
        }
        assert_eq!(n.scope_name, j["scope"].as_str().unwrap());
        assert_eq!(n.protocol_name, j["protocol"].as_str().unwrap());
        let flags: Vec<&str> = j["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap())
            .collect();
        assert_eq!(n.flag_names, flags);
        assert_eq!(n.gateway.as_deref(), j["gateway"].as_str());
        assert_eq!(
            n.oif,
            j.get("dev").map(|d| ifindex(LINKS, d.as_str().unwrap()))
        );
        assert_eq!(n.blackhole, j.get("blackhole").map(|_| true));
        assert_eq!(n.fdb, j.get("fdb").map(|_| true));
        assert_eq!(n.encap_type_name.as_deref(), j["encap"].as_str());
        match j.get("group") {
            None => assert_eq!(n.group, None),
            Some(g) => {
                let members: Vec<NexthopGroupMember> = g
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| NexthopGroupMember {
                        id: m["id"].as_u64().unwrap() as u32,
                        weight: m["weight"].as_u64().unwrap_or(1) as u32,
                    })
                    .collect();
                assert_eq!(n.group.as_ref(), Some(&members));
                let t = j["type"].as_str().unwrap_or("mpath");
                assert_eq!(n.group_type_name.as_deref(), Some(t));
            }
        }
        if let Some(r) = j.get("resilient_args") {
            let ours = n.resilient.as_ref().unwrap();
            assert_eq!(ours.buckets.map(u64::from), r["buckets"].as_u64());
            // ip prints seconds, the kernel sends 1/100 s.
            assert_eq!(
                ours.idle_timer.map(|t| t as u64 / 100),
                r["idle_timer"].as_u64()
            );
            assert_eq!(
                ours.unbalanced_timer.map(|t| t as u64 / 100),
                r["unbalanced_timer"].as_u64()
            );
            assert_eq!(
                ours.unbalanced_time.map(|t| t / 100),
                r["unbalanced_time"].as_u64()
            );
        }
        assert!(n.unknown.is_empty(), "{n:?}");
        if n.oif.is_some() {
            assert_eq!(n.oif, Some(v1));
        }
    }
}

#[test]
fn dump_entries_whole() {
    let ours = dump();
    assert_eq!(
        by_id(&ours, 4),
        &NexthopObject {
            scope_name: "global".into(),
            protocol_name: "unspec".into(),
            id: Some(4),
            group: Some(vec![
                NexthopGroupMember { id: 1, weight: 1 },
                NexthopGroupMember { id: 2, weight: 3 }
            ]),
            group_type: Some(0),
            group_type_name: Some("mpath".into()),
            // NHA_OP_FLAG_RESP_GRP_RESVD_0: the reserved group fields are zero.
            op_flags: Some(0x8000_0000),
            ..NexthopObject::default()
        }
    );
    assert_eq!(
        by_id(&ours, 10).resilient,
        Some(NexthopResilientGroup {
            buckets: Some(8),
            idle_timer: Some(12000),
            unbalanced_timer: Some(0),
            unbalanced_time: Some(0),
            unknown: vec![],
        })
    );
    assert_eq!(
        by_id(&ours, 10).group_type_name.as_deref(),
        Some("resilient")
    );
    assert_eq!(
        by_id(&ours, 5),
        &NexthopObject {
            family: 10,
            scope: 253,
            scope_name: "link".into(),
            protocol_name: "unspec".into(),
            id: Some(5),
            oif: Some(3),
            gateway: Some("fd00::2".into()),
            ..NexthopObject::default()
        }
    );
    let blackhole = by_id(&ours, 3);
    assert_eq!((blackhole.family, blackhole.blackhole), (2, Some(true)));
    let fdb = by_id(&ours, 6);
    assert_eq!(
        (fdb.fdb, fdb.oif, fdb.gateway.as_deref()),
        (Some(true), None, Some("10.0.0.4"))
    );
    let onlink = by_id(&ours, 11);
    assert_eq!(
        (onlink.flags, onlink.flag_names.clone()),
        (4, vec!["onlink"])
    );
    let stat = by_id(&ours, 8);
    assert_eq!(
        (stat.protocol, &*stat.protocol_name, &*stat.scope_name),
        (4, "static", "host")
    );
    let seg6 = by_id(&ours, 20);
    assert_eq!(seg6.encap_type, Some(5));
    // struct seg6_iptunnel_encap { mode 1 (encap); ipv6_sr_hdr with one segment fc00::1 }
    assert_eq!(
        seg6.encap.as_deref(),
        Some("20000100010000000002040000000000fc000000000000000000000000000001")
    );
}

#[test]
fn events_are_the_dumped_objects() {
    let ours = dump();
    let events = messages("nexthop-events.hex");
    let (dels, news): (Vec<_>, Vec<_>) = events
        .iter()
        .partition(|(kind, _)| *kind == nexthop::RTM_DELNEXTHOP);
    for (_, p) in &news {
        let n = decode(p).unwrap();
        if n.id != Some(12) {
            assert_eq!(&n, by_id(&ours, n.id.unwrap()));
        }
    }
    // `ip nexthop add id 12 group 1,2` (nexthop 1 with weight 2), then `del id 12`
    assert_eq!(dels.len(), 1);
    let del = decode(&dels[0].1).unwrap();
    assert_eq!(del.id, Some(12));
    assert_eq!(
        del.group,
        Some(vec![NexthopGroupMember { id: 1, weight: 2 }])
    );
}

#[test]
fn group_stats_when_asked() {
    let list: Vec<NexthopObject> = messages("nexthop-dump-stats.hex")
        .iter()
        .map(|(_, p)| decode(p).unwrap())
        .collect();
    let g = by_id(&list, 4);
    assert_eq!(
        g.group_stats,
        Some(vec![
            NexthopGroupStatsEntry {
                id: Some(1),
                packets: Some(0),
                packets_hw: Some(0),
                unknown: vec![]
            },
            NexthopGroupStatsEntry {
                id: Some(2),
                packets: Some(0),
                packets_hw: Some(0),
                unknown: vec![]
            },
        ])
    );
    assert_eq!(g.hw_stats_enable, Some(0));
    assert_eq!(by_id(&list, 1).group_stats, None);
}

#[test]
fn buckets_match_ip() {
    let ip = ip_json("nexthop-bucket-dump.ip.json");
    let ours: Vec<NexthopObject> = messages("nexthop-bucket-dump.hex")
        .iter()
        .map(|(kind, p)| {
            assert_eq!(*kind, nexthop::RTM_NEWNEXTHOPBUCKET);
            decode(p).unwrap()
        })
        .collect();
    assert_eq!(ours.len(), 8);
    for (n, j) in ours.iter().zip(ip.as_array().unwrap()) {
        assert_eq!(n.id, Some(10));
        let b = n.bucket.as_ref().unwrap();
        assert_eq!(b.index.map(u64::from), j["bucket"]["index"].as_u64());
        assert_eq!(b.nh_id.map(u64::from), j["bucket"]["nhid"].as_u64());
        // idle_time counts up: ip listed them a moment after this dump.
        assert!(b.idle_time.unwrap() as f64 / 100.0 <= j["bucket"]["idle_time"].as_f64().unwrap());
    }
}

/// nhmsg of a group, hand-built from include/uapi/linux/nexthop.h.
fn group_msg(rest: &[u8]) -> Vec<u8> {
    let mut p = vec![0, 0, 0, 0, 0, 0, 0, 0];
    p.extend(attr(1, &7u32.to_ne_bytes()));
    p.extend_from_slice(rest);
    p
}

#[test]
fn weight_high_and_bad_groups() {
    // nexthop_grp { id 9, weight 0xff, weight_high 0x01 }: weight 0x1ff + 1
    let mut grp = 9u32.to_ne_bytes().to_vec();
    grp.extend([0xff, 0x01, 0, 0]);
    let n = decode(&group_msg(&attr(2, &grp))).unwrap();
    assert_eq!(
        n.group,
        Some(vec![NexthopGroupMember { id: 9, weight: 512 }])
    );
    assert!(
        decode(&group_msg(&attr(2, &grp[..6]))).is_err(),
        "a partial nexthop_grp"
    );
    // NHA_GROUP_STATS with an entry and a nested type other than ENTRY.
    let entry = [attr(1, &9u32.to_ne_bytes()), attr(2, &5u64.to_ne_bytes())].concat();
    let stats = [attr(1, &entry), attr(7, &[1, 2, 3, 4])].concat();
    let n = decode(&group_msg(&attr(15, &stats))).unwrap();
    assert_eq!(n.group_stats.as_ref().unwrap()[0].packets, Some(5));
    assert_eq!(n.unknown, vec![UnknownAttr::new(15, &stats)]);
    // NHA_RES_BUCKET as RTM_NEWNEXTHOPBUCKET carries it.
    let bucket = [
        attr(1, &3u16.to_ne_bytes()),
        attr(2, &250u64.to_ne_bytes()),
        attr(3, &2u32.to_ne_bytes()),
    ]
    .concat();
    let n = decode(&group_msg(&attr(13, &bucket))).unwrap();
    assert_eq!(
        n.bucket,
        Some(NexthopResilientBucket {
            index: Some(3),
            idle_time: Some(250),
            nh_id: Some(2),
            unknown: vec![]
        })
    );
}

#[test]
fn truncated_corrupted_extended() {
    for file in [
        "nexthop-dump.hex",
        "nexthop-dump-stats.hex",
        "nexthop-bucket-dump.hex",
        "nexthop-events.hex",
    ] {
        for (_, p) in messages(file) {
            robust(&p, decode, |n| &n.unknown);
        }
    }
    assert!(decode(&[0; 7]).is_err());
}
