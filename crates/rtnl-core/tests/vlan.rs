//! vlan decoder against hand-built RTM_NEWVLAN bytes. This kernel has no
//! CONFIG_BRIDGE_VLAN_FILTERING (an RTM_GETVLAN dump answers EOPNOTSUPP and
//! `bridge vlan show` lists nothing), so the messages are built here from
//! include/uapi/linux/if_bridge.h (struct br_vlan_msg, BRIDGE_VLANDB_*,
//! struct bridge_vlan_info), laid out as net/bridge/br_vlan.c's
//! br_vlan_fill_vids / br_vlan_global_opts_fill put them.

mod common;

use common::nla;
use rtnl_core::vlan::{self, VlanEntryType};
use rtnl_core::wire;

fn info(flags: u16, vid: u16) -> Vec<u8> {
    [flags.to_ne_bytes(), vid.to_ne_bytes()].concat()
}

fn header(ifindex: u32) -> Vec<u8> {
    let mut p = vec![7, 0, 0, 0];
    p.extend_from_slice(&ifindex.to_ne_bytes());
    p
}

const NESTED: u16 = 0x8000;

/// A port's dump message: VLAN 1 (pvid, untagged) with state, stats and
/// multicast options; VLANs 10-20 as a range with a tunnel id.
fn port_message() -> Vec<u8> {
    let stats = nla(&[
        (1, 1000u64.to_ne_bytes().to_vec()),
        (2, 10u64.to_ne_bytes().to_vec()),
        (3, 2000u64.to_ne_bytes().to_vec()),
        (4, 20u64.to_ne_bytes().to_vec()),
    ]);
    let e1 = nla(&[
        (1, info(2 | 4, 1)),
        (3, vec![3]),
        (5 | NESTED, stats),
        (6, vec![1]),
        (7, 3u32.to_ne_bytes().to_vec()),
        (8, 0u32.to_ne_bytes().to_vec()),
        (9, vec![0]),
    ]);
    let e2 = nla(&[
        (1, info(0, 10)),
        (2, 20u16.to_ne_bytes().to_vec()),
        (3, vec![4]),
        (4 | NESTED, nla(&[(1, 5010u32.to_ne_bytes().to_vec())])),
    ]);
    let mut p = header(4);
    p.extend(nla(&[(1 | NESTED, e1), (1 | NESTED, e2)]));
    p
}

/// The bridge's global options for VLAN 1 (BRIDGE_VLANDB_DUMPF_GLOBAL).
fn global_message() -> Vec<u8> {
    let g = nla(&[
        (1, 1u16.to_ne_bytes().to_vec()),
        (3, vec![1]),
        (4, vec![3]),
        (5, vec![2]),
        (6, 2u32.to_ne_bytes().to_vec()),
        (7, 2u32.to_ne_bytes().to_vec()),
        (8, 100u64.to_ne_bytes().to_vec()),
        (10, 26000u64.to_ne_bytes().to_vec()),
        (11, 25500u64.to_ne_bytes().to_vec()),
        (12, 12500u64.to_ne_bytes().to_vec()),
        (13, 1000u64.to_ne_bytes().to_vec()),
        (14, 3125u64.to_ne_bytes().to_vec()),
        (15, vec![0]),
        (16 | NESTED, nla(&[(1, 4u32.to_ne_bytes().to_vec())])),
        (18, 0u16.to_ne_bytes().to_vec()),
    ]);
    let mut p = header(2);
    p.extend(nla(&[(2 | NESTED, g)]));
    p
}

#[test]
fn vlan_entries_one_object_each() {
    let vs = vlan::decode(&port_message()).unwrap();
    assert_eq!(vs.len(), 2);
    let v = &vs[0];
    assert_eq!(
        (v.entry_type, v.family, v.ifindex),
        (VlanEntryType::Vlan, 7, 4)
    );
    assert_eq!((v.vid, v.vid_end), (Some(1), None));
    assert_eq!(v.flag_names.as_deref(), Some(&["pvid", "untagged"][..]));
    assert_eq!(v.state_name.as_deref(), Some("forwarding"));
    let s = v.stats.as_ref().unwrap();
    assert_eq!(
        (s.rx_bytes, s.rx_packets, s.tx_bytes, s.tx_packets),
        (Some(1000), Some(10), Some(2000), Some(20))
    );
    assert_eq!(
        (
            v.mcast_router,
            v.mcast_n_groups,
            v.mcast_max_groups,
            v.neigh_suppress
        ),
        (Some(1), Some(3), Some(0), Some(0))
    );
    assert!(v.unknown.is_empty());
    let r = &vs[1];
    assert_eq!((r.vid, r.vid_end), (Some(10), Some(20)));
    assert_eq!(r.state_name.as_deref(), Some("blocking"));
    assert_eq!(r.tunnel_info.as_ref().and_then(|t| t.id), Some(5010));
    let j = serde_json::to_value(r).unwrap();
    assert_eq!(j["entryType"], "vlan");
    assert_eq!(j["vidEnd"], 20);
}

#[test]
fn vlan_global_options() {
    let vs = vlan::decode(&global_message()).unwrap();
    assert_eq!(vs.len(), 1);
    let v = &vs[0];
    assert_eq!(
        (v.entry_type, v.ifindex, v.vid),
        (VlanEntryType::Global, 2, Some(1))
    );
    let g = v.global.as_ref().unwrap();
    assert_eq!(
        (g.mcast_snooping, g.mcast_igmp_version, g.mcast_mld_version),
        (Some(1), Some(3), Some(2))
    );
    assert_eq!(
        (g.mcast_membership_intvl, g.mcast_startup_query_intvl),
        (Some(26000), Some(3125))
    );
    assert_eq!(g.mcast_router_ports.as_deref(), Some("0800010004000000"));
    assert_eq!(g.msti, Some(0));
    assert!(g.unknown.is_empty());
}

#[test]
fn vlan_every_prefix_and_corruption_is_handled() {
    for p in [port_message(), global_message()] {
        for n in 0..p.len() {
            let _ = vlan::decode(&p[..n]);
        }
        for i in 0..p.len() {
            let mut q = p.clone();
            q[i] ^= 0xff;
            if let Ok(v) = vlan::decode(&q) {
                serde_json::to_string(&v).expect("json");
            }
        }
        let mut bad = p.clone();
        bad.extend_from_slice(&[0x40, 0, 1, 0]);
        assert!(vlan::decode(&bad).is_err());
        let mut ext = p.clone();
        ext.extend_from_slice(&[8, 0, 0x63, 0, 1, 2, 3, 4]);
        let v = vlan::decode(&ext).unwrap();
        assert_eq!(v[0].unknown.last().map(|u| u.kind), Some(99));
    }
    // Only an unknown attribute: one header-only entry carries it.
    let mut p = header(3);
    p.extend(nla(&[(9, vec![1, 2, 3, 4])]));
    let v = vlan::decode(&p).unwrap();
    assert_eq!((v.len(), v[0].unknown[0].data.as_str()), (1, "01020304"));
    assert_eq!(vlan::decode(&header(3)).unwrap(), vec![]);
    assert!(vlan::decode(&[7, 0, 0]).is_err());
}

/// Writes the hand-built messages as `<type> <hex>` lines (for the fuzz seeds):
/// `cargo test -p rtnl-core --test vlan -- --ignored --nocapture`.
#[test]
#[ignore]
fn vlan_print_hand_built() {
    for p in [port_message(), global_message()] {
        let mut m = ((16 + p.len()) as u32).to_ne_bytes().to_vec();
        m.extend_from_slice(&vlan::RTM_NEWVLAN.to_ne_bytes());
        m.extend_from_slice(&[0; 10]);
        m.extend(p);
        println!("112 {}", wire::hex(&m));
    }
}
