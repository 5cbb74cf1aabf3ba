//! nexthops.add/replace/del against the real kernel, each test in a
//! namespace of its own (tests/mutns), checked with `ip -j nexthop` and the
//! crate's own dump; and every field the encoder refuses, with its message.

mod mutns;

use mutns::{assert_kernel, contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

const NH: Kind = Kind::Nexthop;

fn listed(ns: &Ns, id: u32) -> Value {
    ns.list(NH)
        .into_iter()
        .find(|n| n["id"] == id)
        .unwrap_or_else(|| panic!("nexthop {id} listed"))
}

#[test]
fn gateway_blackhole_fdb_and_groups_round_trip() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    let shapes = [
        json!({"id": 1, "gateway": "10.0.0.2", "oif": v0, "protocol": 4}),
        json!({"id": 2, "family": 10, "gateway": "2001:db8::2", "oif": v0}),
        json!({"id": 3, "family": 2, "oif": v0}),
        json!({"id": 4, "gateway": "10.0.0.3", "oif": v0, "flags": 4}),
        json!({"id": 5, "blackhole": true}),
        json!({"id": 6, "gateway": "10.0.0.4", "fdb": true}),
        json!({"id": 7, "group": [{"id": 1}, {"id": 4, "weight": 300}]}),
        json!({"id": 8, "group": [{"id": 1, "weight": 255}, {"id": 4, "weight": 2}],
               "groupType": 1,
               "resilient": {"buckets": 8, "idleTimer": 300, "unbalancedTimer": 500}}),
        json!({"id": 9, "group": [{"id": 6}], "fdb": true}),
    ];
    for s in &shapes {
        ns.ok(NH, Verb::Add, s);
    }
    for s in &shapes {
        let got = listed(&ns, s["id"].as_u64().unwrap() as u32);
        assert!(contains(&got, s), "{got} contains {s}");
    }
    // What ip says about the same objects.
    let ip = ns.ip_json(&["nexthop", "show"]);
    let by_id = |id: u64| ip.iter().find(|n| n["id"] == id).unwrap().clone();
    assert_eq!(by_id(1)["gateway"], "10.0.0.2");
    assert_eq!(by_id(1)["dev"], "v0");
    assert_eq!(by_id(1)["protocol"], "static");
    assert_eq!(by_id(2)["gateway"], "2001:db8::2");
    assert_eq!(by_id(4)["flags"], json!(["onlink"]));
    assert!(by_id(5).get("blackhole").is_some());
    assert!(by_id(6).get("fdb").is_some());
    // ip 6.1 reads the weight byte alone (weight_high came later): 299 & 0xff + 1.
    assert_eq!(
        by_id(7)["group"],
        json!([{"id": 1}, {"id": 4, "weight": 44}])
    );
    assert_eq!(by_id(8)["type"], "resilient");
    assert_eq!(
        by_id(8)["group"],
        json!([{"id": 1, "weight": 255}, {"id": 4, "weight": 2}])
    );
    assert_eq!(
        by_id(8)["resilient_args"],
        json!({"buckets": 8, "idle_timer": 3, "unbalanced_timer": 5, "unbalanced_time": 0})
    );

    // Replace with what was listed changes nothing.
    let before = ns.ip_json(&["nexthop", "show"]);
    let listed_all = ns.list(NH);
    for n in &listed_all {
        ns.ok(NH, Verb::Replace, n);
    }
    assert_eq!(ns.ip_json(&["nexthop", "show"]), before);

    // Add of a listed one: it exists.
    let one = listed(&ns, 1);
    assert_kernel(
        ns.apply(NH, Verb::Add, &one),
        "EEXIST",
        None,
        "adding nexthop 1",
    );

    // Replace changes a gateway and a group's weights.
    ns.ok(
        NH,
        Verb::Replace,
        &json!({"id": 1, "gateway": "10.0.0.9", "oif": v0}),
    );
    assert_eq!(listed(&ns, 1)["gateway"], "10.0.0.9");
    ns.ok(
        NH,
        Verb::Replace,
        &json!({"id": 7, "group": [{"id": 1, "weight": 5}, {"id": 4}]}),
    );
    assert_eq!(
        listed(&ns, 7)["group"],
        json!([{"id": 1, "weight": 5}, {"id": 4, "weight": 1}])
    );

    // Every listed object given back to del removes it (groups first).
    let mut all = ns.list(NH);
    all.sort_by_key(|n| n.get("group").is_none());
    for n in &all {
        ns.ok(NH, Verb::Del, n);
    }
    assert!(ns.list(NH).is_empty());
    assert!(ns.ip_json(&["nexthop", "show"]).is_empty());
}

#[test]
fn add_without_id_lets_the_kernel_pick() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    ns.ok(NH, Verb::Add, &json!({"gateway": "10.0.0.2", "oif": v0}));
    let all = ns.list(NH);
    assert_eq!(all.len(), 1);
    assert!(all[0]["id"].as_u64().unwrap() > 0);
    assert_eq!(all[0]["gateway"], "10.0.0.2");
}

#[test]
fn kernel_errors() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    // A gateway outside every connected subnet.
    assert_kernel(
        ns.apply(
            NH,
            Verb::Add,
            json!({"id": 1, "gateway": "10.9.0.2", "oif": v0}),
        ),
        "ENETUNREACH",
        Some("Nexthop has invalid gateway"),
        "adding nexthop 1",
    );
    // A group with a member that does not exist.
    assert_kernel(
        ns.apply(NH, Verb::Add, json!({"id": 2, "group": [{"id": 99}]})),
        "EINVAL",
        Some("Invalid nexthop id"),
        "adding nexthop 2",
    );
    // Delete of an id that does not exist.
    assert_kernel(
        ns.apply(NH, Verb::Del, json!({"id": 77})),
        "ENOENT",
        None,
        "deleting nexthop 77",
    );
    // fdb with an oif.
    assert_kernel(
        ns.apply(
            NH,
            Verb::Add,
            json!({"id": 3, "gateway": "10.0.0.2", "oif": v0, "fdb": true}),
        ),
        "EINVAL",
        Some("Fdb attribute can not be used with encap, oif or blackhole"),
        "adding nexthop 3",
    );
    // A blackhole needs lo up.
    ns.ip(&["link", "set", "lo", "down"]);
    assert_kernel(
        ns.apply(NH, Verb::Add, json!({"id": 4, "blackhole": true})),
        "ENETDOWN",
        Some("Device for nexthop is not up"),
        "adding nexthop 4",
    );
    // In one batch, one failure does not stop the others.
    let reqs = vec![
        rtnl_core::mutate::encode(
            NH,
            Verb::Add,
            &mutns::obj(json!({"id": 5, "gateway": "10.0.0.2", "oif": v0})),
        ),
        rtnl_core::mutate::encode(
            NH,
            Verb::Add,
            &mutns::obj(json!({"id": 5, "gateway": "10.0.0.3", "oif": v0})),
        ),
        rtnl_core::mutate::encode(NH, Verb::Add, &mutns::obj(json!({"id": 6, "family": 7}))),
        rtnl_core::mutate::encode(NH, Verb::Del, &mutns::obj(json!({"id": 5}))),
    ];
    let out = ns.apply_all(reqs);
    assert!(out[0].is_ok(), "{:?}", out[0]);
    assert_eq!(out[1].as_ref().unwrap_err().code, "EEXIST");
    assert_eq!(out[2].as_ref().unwrap_err().code, "ERR_INVALID_ARG_VALUE");
    assert!(out[3].is_ok(), "{:?}", out[3]);
}

#[test]
fn refused_fields() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Append, json!({"id": 1}),
         "nexthops.append: nexthops cannot be changed with append; they take add, replace, del"),
        (Verb::Del, json!({"gateway": "10.0.0.1"}),
         "nexthops.del: id is required (the nexthop to delete)"),
        (Verb::Add, json!({"id": 0, "blackhole": true}),
         "nexthops.add: id must be an integer from 1 to 4294967295 (0 lets the kernel pick: leave it out), got 0"),
        (Verb::Add, json!({"id": "1"}),
         "nexthops.add: id must be an integer from 0 to 4294967295, got '1'"),
        (Verb::Add, json!({"id": 1, "family": 7, "oif": 2}),
         "nexthops.add: family must be 0 (groups, blackholes), 2 (IPv4) or 10 (IPv6), got 7"),
        (Verb::Add, json!({"id": 1, "family": 2, "gateway": "2001:db8::1"}),
         "nexthops.add: gateway '2001:db8::1' is not of the object's family (IPv4, family 2)"),
        (Verb::Add, json!({"id": 1, "family": 10, "gateway": "10.0.0.1"}),
         "nexthops.add: gateway '10.0.0.1' is not of the object's family (IPv6, family 10)"),
        (Verb::Add, json!({"id": 1, "family": 0, "gateway": "10.0.0.1"}),
         "nexthops.add: a gateway needs family 2 (IPv4) or 10 (IPv6), got family 0"),
        (Verb::Add, json!({"id": 1, "gateway": "10.0.0.300"}),
         "nexthops.add: gateway must be an IPv4 or IPv6 address, got '10.0.0.300'"),
        (Verb::Add, json!({"id": 1, "blackhole": 1}),
         "nexthops.add: blackhole must be a boolean, got 1"),
        (Verb::Add, json!({"id": 1, "gateway": "10.0.0.1", "flags": 2}),
         "nexthops.add: flags may set only 0x4 (onlink; the kernel's own bits 0x1, 0x8, 0x10, 0x20, 0x40 are dropped), got 0x2"),
        (Verb::Add, json!({"id": 1, "group": []}),
         "nexthops.add: group must have at least one member"),
        (Verb::Add, json!({"id": 1, "group": [3]}),
         "nexthops.add: group[0] must be an object { id, weight }"),
        (Verb::Add, json!({"id": 1, "group": [{"weight": 2}]}),
         "nexthops.add: group[0]: id is required (the member nexthop's id)"),
        (Verb::Add, json!({"id": 1, "group": [{"id": 2}, {"id": 3, "weight": 65537}]}),
         "nexthops.add: group[1]: weight must be an integer from 1 to 65536, got 65537"),
        (Verb::Add, json!({"id": 1, "group": [{"id": 2, "wieght": 2}]}),
         "nexthops.add: group[0]: unknown field 'wieght'; expected one of id, weight"),
        (Verb::Add, json!({"id": 1, "group": [{"id": 2}], "resilient": {"buckets": 0}}),
         "nexthops.add: resilient: buckets must be an integer from 1 to 65535, got 0"),
        (Verb::Add, json!({"id": 1, "groupType": 1, "oif": 2, "family": 2}),
         "nexthops.add: groupType applies to groups only (give group)"),
        (Verb::Add, json!({"id": 1, "resilient": {"buckets": 8}, "blackhole": true}),
         "nexthops.add: resilient applies to groups only (give group)"),
        (Verb::Add, json!({"id": 1, "gateway": "10.0.0.1", "encap": "0800"}),
         "nexthops.add: encap must be absent (nexthops with an encapsulation are not supported), got '0800'"),
        (Verb::Add, json!({"id": 1, "gateway": "10.0.0.1", "encapType": 1}),
         "nexthops.add: encapType must be absent (nexthops with an encapsulation are not supported), got 1"),
        (Verb::Add, json!({"id": 1, "master": 3}),
         "nexthops.add: master must be absent (a dump filter, not a nexthop field), got 3"),
        (Verb::Add, json!({"id": 1, "blackhole": true, "gatway": "10.0.0.1"}),
         "nexthops.add: unknown field 'gatway'; expected one of blackhole, bucket, encap, encapType, encapTypeName, family, fdb, flagNames, flags, gateway, group, groupStats, groupType, groupTypeName, groups, hwStatsEnable, hwStatsUsed, id, master, oif, opFlags, protocol, protocolName, resilient, scope, scopeName, unknown"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(NH, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
        assert!(e.code.starts_with("ERR_"), "{e:?}");
        assert!(e.errno.is_none());
    }
}

#[test]
fn encodes_the_group_weights_and_drops_kernel_flags() {
    // weight 300: 299 = 0x012b -> weight 0x2b, weight_high 0x01.
    let r = rtnl_core::mutate::encode(
        NH,
        Verb::Replace,
        &mutns::obj(json!({"id": 7, "flags": 0x15, "scope": 253, "group": [{"id": 1, "weight": 300}], "groupTypeName": "mpath"})),
    )
    .unwrap();
    assert_eq!(r.msg_type, 104);
    assert_eq!(r.flags, 0x400 | 0x100);
    assert_eq!(r.what, "replacing nexthop 7");
    // nhmsg: family 0, scope 0 (the kernel's), protocol 0, flags onlink only.
    assert_eq!(&r.body[..8], &[0, 0, 0, 0, 4, 0, 0, 0]);
    let group: Vec<u8> = [1u32.to_ne_bytes().to_vec(), vec![0x2b, 0x01, 0, 0]].concat();
    assert!(r.body.windows(group.len()).any(|w| w == group.as_slice()));
    // del reads id alone, accepts every other field of a listed nexthop and
    // refuses a key that is none of them.
    let listed = json!({
        "id": 7, "family": 0, "scope": 0, "scopeName": "global", "protocol": 3, "protocolName": "boot",
        "flags": 0, "flagNames": [], "group": [{"id": 1, "weight": 1}], "groupType": 0, "groupTypeName": "mpath",
        "blackhole": false, "oif": 2, "gateway": "10.0.0.1", "encapType": 1, "encapTypeName": "mpls", "encap": "00",
        "groups": true, "master": 3, "fdb": false, "resilient": {"buckets": 8}, "bucket": {"index": 1},
        "opFlags": 0, "groupStats": [], "hwStatsEnable": 0, "hwStatsUsed": 0, "unknown": []
    });
    let d = rtnl_core::mutate::encode(NH, Verb::Del, &mutns::obj(listed.clone()));
    assert_eq!(d.unwrap().body.len(), 16);
    let mut extra = listed;
    extra["anything"] = json!(true);
    let e = mutns::refused(NH, Verb::Del, extra);
    assert_eq!(e.code, "ERR_INVALID_ARG_VALUE");
    assert!(
        e.message
            .starts_with("nexthops.del: unknown field 'anything'"),
        "{}",
        e.message
    );
}
