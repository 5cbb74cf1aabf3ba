//! stats::decode against a real RTM_GETSTATS dump (filter_mask 0x1f, as
//! `ip stats show` asks) of lo, a veth pair and a bridge with multicast
//! statistics whose port is one of the veths (tests/data/README.md),
//! checked against `ip -j stats show`; and hand-built groups this kernel
//! cannot produce (bridge VLAN, bond 802.3ad, MPLS, hardware L3 stats).

mod common;

use common::{attr, ifindex, ip_json, messages, robust};
use rtnl_core::stats::{
    self, decode, BridgeStpStats, HwStatsInfo, HwStatsInfoSet, LinkStats, OffloadXstats, RxTx,
};
use serde_json::Value;

const LINKS: &str = "stats-links.ip.json";

fn dump() -> Vec<LinkStats> {
    messages("stats-dump.hex")
        .iter()
        .map(|(kind, p)| {
            assert_eq!(*kind, stats::RTM_NEWSTATS);
            decode(p).unwrap()
        })
        .collect()
}

/// `ip -j stats show`'s record of one link and group/subgroup/suite.
fn record<'a>(ip: &'a Value, ifindex: u32, sel: &[&str]) -> &'a Value {
    ip.as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["ifindex"] == ifindex
                && ["group", "subgroup", "suite"]
                    .iter()
                    .enumerate()
                    .all(|(i, k)| r.get(*k).and_then(Value::as_str) == sel.get(i).copied())
        })
        .unwrap_or_else(|| panic!("ip record {ifindex} {sel:?}"))
}

#[test]
fn link_counters_match_ip() {
    let ip = ip_json("stats-dump.ip.json");
    let ours = dump();
    assert_eq!(ours.len(), 4);
    // ip listed them just after this dump: a counter is at most what ip printed.
    for s in &ours {
        assert_eq!(s.filter_mask, stats::DUMP_FILTER_MASK);
        let link = s.link64.as_ref().unwrap();
        let ip64 = &record(&ip, s.ifindex, &["link"])["stats64"];
        for (path, key) in [
            ("rx.bytes", "rxBytes"),
            ("rx.packets", "rxPackets"),
            ("rx.errors", "rxErrors"),
            ("rx.dropped", "rxDropped"),
            ("rx.over_errors", "rxOverErrors"),
            ("rx.multicast", "multicast"),
            ("tx.bytes", "txBytes"),
            ("tx.packets", "txPackets"),
            ("tx.errors", "txErrors"),
            ("tx.dropped", "txDropped"),
            ("tx.carrier_errors", "txCarrierErrors"),
            ("tx.collisions", "collisions"),
        ] {
            let (dir, name) = path.split_once('.').unwrap();
            let theirs = ip64[dir][name].as_u64().unwrap();
            assert!(
                link[key].as_u64().unwrap() <= theirs,
                "{} {path}",
                s.ifindex
            );
        }
        // Every link: hardware L3 statistics neither requested nor used.
        assert_eq!(
            s.offload_xstats,
            Some(OffloadXstats {
                hw_stats_info: Some(HwStatsInfoSet {
                    l3_stats: Some(HwStatsInfo {
                        request: Some(0),
                        used: Some(0),
                        unknown: vec![]
                    }),
                    unknown: vec![],
                }),
                ..OffloadXstats::default()
            })
        );
        let info = &record(&ip, s.ifindex, &["offload", "hw_stats_info"])["info"]["l3_stats"];
        assert_eq!(
            (info["request"].as_bool(), info["used"].as_bool()),
            (Some(false), Some(false))
        );
        // An empty IFLA_STATS_AF_SPEC (no MPLS): ip prints the afstats/mpls record bare.
        assert_eq!(
            s.af_spec
                .as_ref()
                .map(|a| a.mpls.is_none() && a.unknown.is_empty()),
            Some(true)
        );
        assert!(record(&ip, s.ifindex, &["afstats", "mpls"])
            .get("mpls_stats")
            .is_none());
        assert!(s.unknown.is_empty());
    }
    let lo = &ours[0];
    assert_eq!(
        (lo.ifindex, lo.xstats.is_none(), lo.xstats_slave.is_none()),
        (1, true, true)
    );
}

/// ip's "multicast" object of an xstats record, against our br_mcast_stats.
fn mcast_within(ours: &stats::BridgeMcastStats, ip: &Value) {
    let pairs: [(&str, &str, &RxTx); 12] = [
        ("igmp_queries", "v1", &ours.igmp_v1queries),
        ("igmp_queries", "v2", &ours.igmp_v2queries),
        ("igmp_queries", "v3", &ours.igmp_v3queries),
        ("igmp_reports", "v1", &ours.igmp_v1reports),
        ("igmp_reports", "v2", &ours.igmp_v2reports),
        ("igmp_reports", "v3", &ours.igmp_v3reports),
        ("igmp_leaves", "", &ours.igmp_leaves),
        ("mld_queries", "v1", &ours.mld_v1queries),
        ("mld_queries", "v2", &ours.mld_v2queries),
        ("mld_reports", "v1", &ours.mld_v1reports),
        ("mld_reports", "v2", &ours.mld_v2reports),
        ("mld_leaves", "", &ours.mld_leaves),
    ];
    for (obj, v, ours) in pairs {
        let key = |dir: &str| {
            if v.is_empty() {
                dir.to_string()
            } else {
                format!("{dir}_{v}")
            }
        };
        assert!(
            ours.rx <= ip[obj][key("rx")].as_u64().unwrap(),
            "{obj} rx {v}"
        );
        assert!(
            ours.tx <= ip[obj][key("tx")].as_u64().unwrap(),
            "{obj} tx {v}"
        );
    }
    assert_eq!(
        Some(ours.igmp_parse_errors),
        ip["igmp_parse_errors"].as_u64()
    );
    assert_eq!(Some(ours.mld_parse_errors), ip["mld_parse_errors"].as_u64());
}

#[test]
fn bridge_and_port_xstats_match_ip() {
    let ip = ip_json("stats-dump.ip.json");
    let ours = dump();
    let (br0, v2) = (ifindex(LINKS, "br0"), ifindex(LINKS, "v2"));
    let bridge = ours.iter().find(|s| s.ifindex == br0).unwrap();
    let b = bridge.xstats.as_ref().unwrap().bridge.as_ref().unwrap();
    mcast_within(
        b.mcast.as_ref().unwrap(),
        &record(&ip, br0, &["xstats", "bridge", "mcast"])["multicast"],
    );
    assert!(b.vlans.is_empty() && b.unknown.is_empty());
    let port = ours.iter().find(|s| s.ifindex == v2).unwrap();
    let p = port.xstats_slave.as_ref().unwrap().bridge.as_ref().unwrap();
    mcast_within(
        p.mcast.as_ref().unwrap(),
        &record(&ip, v2, &["xstats_slave", "bridge", "mcast"])["multicast"],
    );
    assert_eq!(p.stp, Some(BridgeStpStats::default()));
    let stp = &record(&ip, v2, &["xstats_slave", "bridge", "stp"])["stp"];
    for key in [
        "rx_bpdu",
        "tx_bpdu",
        "rx_tcn",
        "tx_tcn",
        "transition_blk",
        "transition_fwd",
    ] {
        assert_eq!(stp[key].as_u64(), Some(0));
    }
    // The veth pair is neither a bridge nor a bond: ip prints those records bare.
    let v1 = ours
        .iter()
        .find(|s| s.ifindex == ifindex(LINKS, "v1"))
        .unwrap();
    assert_eq!((v1.xstats.as_ref(), v1.xstats_slave.as_ref()), (None, None));
}

fn u64s(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_ne_bytes()).collect()
}

#[test]
fn hand_built_groups() {
    // From include/uapi/linux/if_link.h, if_bridge.h, if_bonding.h, mpls.h.
    let mut vlan = u64s(&[100, 2, 300, 4]);
    vlan.extend(10u16.to_ne_bytes());
    vlan.extend(6u16.to_ne_bytes()); // BRIDGE_VLAN_INFO_PVID | UNTAGGED
    vlan.extend([0; 4]);
    let bridge = [attr(3, &[]), attr(1, &vlan), attr(9, &[7])].concat();
    let lacp: Vec<u8> = (1..=9u16)
        .flat_map(|k| attr(k, &(k as u64 * 10).to_ne_bytes()))
        .chain(attr(10, &[]))
        .collect();
    let bond = attr(1, &lacp);
    let xstats = [attr(1, &bridge), attr(2, &bond), attr(5, &[1])].concat();
    let l3: Vec<u64> = (1..=9).collect();
    let offload = [attr(1, &u64s(&[7; 25])), attr(3, &u64s(&l3))].concat();
    let mpls = attr(
        28,
        &[attr(0, &[]), attr(1, &u64s(&[1, 2, 3, 4, 5, 6, 7, 8, 9]))].concat(),
    );
    let mut p = vec![0, 0, 0, 0];
    p.extend(5u32.to_ne_bytes());
    p.extend(0x1fu32.to_ne_bytes());
    p.extend(
        [
            attr(2, &xstats),
            attr(4, &offload),
            attr(5, &[mpls, attr(2, &[1, 2])].concat()),
        ]
        .concat(),
    );
    let s = decode(&p).unwrap();
    let x = s.xstats.unwrap();
    let b = x.bridge.unwrap();
    assert_eq!(
        (b.vlans[0].vid, b.vlans[0].flags, b.vlans[0].tx_bytes),
        (10, 6, 300)
    );
    assert_eq!(b.unknown, vec![rtnl_core::wire::UnknownAttr::new(9, &[7])]);
    let lacp = x.bond.unwrap().lacp.unwrap();
    assert_eq!(
        (
            lacp["lacpduRx"].as_u64(),
            lacp["markerUnknownRx"].as_u64(),
            lacp.len()
        ),
        (Some(10), Some(90), 9)
    );
    assert_eq!(x.unknown.len(), 1);
    let o = s.offload_xstats.unwrap();
    assert_eq!(o.cpu_hit.unwrap()["rxPackets"].as_u64(), Some(7));
    let l3 = o.l3_stats.unwrap();
    assert_eq!((l3.rx_packets, l3.multicast), (1, 9));
    let af = s.af_spec.unwrap();
    let link = af.mpls.unwrap().link.unwrap();
    assert_eq!((link.rx_packets, link.rx_noroute), (1, 9));
    assert_eq!(
        af.unknown,
        vec![rtnl_core::wire::UnknownAttr::new(2, &[1, 2])]
    );
    robust(&p, decode, |s| &s.unknown);
}

#[test]
fn truncated_corrupted_extended() {
    for (_, p) in messages("stats-dump.hex") {
        robust(&p, decode, |s| &s.unknown);
    }
    assert!(decode(&[0; 11]).is_err());
}
