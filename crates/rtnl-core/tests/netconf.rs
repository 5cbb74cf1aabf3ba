//! netconf::decode against real RTM_NEWNETCONF messages (a dump and the
//! events of sysctl writes, tests/data/README.md), checked against what
//! `ip -j netconf show` printed.

mod common;

use common::{ifindex, ip_json, messages, robust};
use rtnl_core::netconf::{self, decode, Netconf};

const LINKS: &str = "stats-links.ip.json";

#[test]
fn dump_matches_ip_key_by_key() {
    let ours: Vec<Netconf> = messages("netconf-dump.hex")
        .iter()
        .map(|(kind, p)| {
            assert_eq!(*kind, netconf::RTM_NEWNETCONF);
            decode(p).unwrap()
        })
        .collect();
    let ip = ip_json("netconf-dump.ip.json");
    let ip = ip.as_array().unwrap();
    assert_eq!(ours.len(), ip.len());
    let flag = |v: Option<i32>| v.map(|v| v != 0);
    for (n, j) in ours.iter().zip(ip) {
        let family = match n.family {
            2 => "inet",
            10 => "inet6",
            _ => "?",
        };
        assert_eq!(family, j["family"]);
        let name = j["interface"].as_str().unwrap();
        match n.interface {
            Some(pseudo) => assert_eq!(pseudo, name),
            None => assert_eq!(n.ifindex, Some(ifindex(LINKS, name) as i32)),
        }
        assert_eq!(flag(n.forwarding), j["forwarding"].as_bool());
        assert_eq!(n.rp_filter_name.as_deref(), j["rp_filter"].as_str());
        assert_eq!(flag(n.mc_forwarding), j["mc_forwarding"].as_bool());
        assert_eq!(flag(n.proxy_neigh), j["proxy_neigh"].as_bool());
        assert_eq!(
            flag(n.ignore_routes_with_linkdown),
            j["ignore_routes_with_linkdown"].as_bool()
        );
        assert!(n.unknown.is_empty());
    }
    // ip does not print bc_forwarding; the kernel sends it for IPv4.
    assert!(ours
        .iter()
        .filter(|n| n.family == 2)
        .all(|n| n.bc_forwarding == Some(0)));
    assert_eq!(
        ours.iter().find(|n| n.family == 2 && n.ifindex == Some(-1)),
        Some(&Netconf {
            family: 2,
            ifindex: Some(-1),
            interface: Some("all"),
            forwarding: Some(0),
            rp_filter: Some(1),
            rp_filter_name: Some("strict".into()),
            mc_forwarding: Some(0),
            bc_forwarding: Some(0),
            proxy_neigh: Some(0),
            ignore_routes_with_linkdown: Some(0),
            ..Netconf::default()
        })
    );
}

#[test]
fn sysctl_events_carry_only_the_change() {
    let events: Vec<Netconf> = messages("netconf-events.hex")
        .iter()
        .map(|(_, p)| decode(p).unwrap())
        .collect();
    let v1 = ifindex(LINKS, "v1") as i32;
    let only = |family, ifindex| Netconf {
        family,
        ifindex: Some(ifindex),
        ..Netconf::default()
    };
    // sysctl -w net.ipv4.conf.v1.forwarding=1
    assert!(events.contains(&Netconf {
        forwarding: Some(1),
        ..only(2, v1)
    }));
    // net.ipv4.conf.v1.rp_filter=2
    assert!(events.contains(&Netconf {
        rp_filter: Some(2),
        rp_filter_name: Some("loose".into()),
        ..only(2, v1)
    }));
    // net.ipv6.conf.v1.forwarding=1
    assert!(events.contains(&Netconf {
        forwarding: Some(1),
        ..only(10, v1)
    }));
    // net.ipv4.conf.all.rp_filter=1
    assert!(events.contains(&Netconf {
        interface: Some("all"),
        rp_filter: Some(1),
        rp_filter_name: Some("strict".into()),
        ..only(2, -1)
    }));
    // net.ipv4.conf.default.proxy_arp=1, net.ipv6.conf.default.proxy_ndp=1
    for family in [2, 10] {
        assert!(events.contains(&Netconf {
            interface: Some("default"),
            proxy_neigh: Some(1),
            ..only(family, -2)
        }));
    }
}

#[test]
fn truncated_corrupted_extended() {
    for file in ["netconf-dump.hex", "netconf-events.hex"] {
        for (_, p) in messages(file) {
            robust(&p, decode, |n| &n.unknown);
        }
    }
    assert!(decode(&[]).is_err());
    // A 2-byte NETCONFA_FORWARDING is kept as it came, not half-read.
    let n = decode(&[2, 0, 0, 0, 6, 0, 2, 0, 1, 0, 0, 0]).unwrap();
    assert_eq!((n.forwarding, n.unknown.len()), (None, 1));
}
