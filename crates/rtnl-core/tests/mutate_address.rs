//! Address changes against the real kernel: add, replace and del in a
//! namespace of the test's own, checked with `ip -j address` and the crate's
//! own dump, listed addresses fed back, the kernel's errors and every
//! refused field.

mod mutns;

use mutns::{contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

fn setup() -> Option<(Ns, u32)> {
    let ns = Ns::new()?;
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.ip(&["link", "set", "va", "up"]);
    let a = ns.ifindex("va");
    Some((ns, a))
}

fn addrs(ns: &Ns, index: u32) -> Vec<Value> {
    ns.list(Kind::Address)
        .into_iter()
        .filter(|a| a["index"] == index && a["multicast"].is_null() && a["anycast"].is_null())
        .collect()
}

#[test]
fn ipv4_with_label_broadcast_lifetimes_metric_and_proto() {
    let Some((ns, a)) = setup() else { return };
    let given = json!({
        "index": a, "local": "10.0.0.1", "address": "10.0.0.1", "prefixlen": 24,
        "broadcast": "10.0.0.255", "label": "va:one", "flagNames": ["noprefixroute"],
        "cacheinfo": { "preferred": 100, "valid": 200 }, "rtPriority": 77, "proto": 4
    });
    ns.apply(Kind::Address, Verb::Add, given).unwrap();
    let ip = ns.ip_json(&["addr", "show", "dev", "va"]);
    let info = &ip[0]["addr_info"].as_array().unwrap()[0];
    assert_eq!(info["local"], "10.0.0.1");
    assert_eq!(info["prefixlen"], 24);
    assert_eq!(info["broadcast"], "10.0.0.255");
    assert_eq!(info["label"], "va:one");
    assert_eq!(info["noprefixroute"], true);
    assert_eq!(info["metric"], 77);
    assert!(info["valid_life_time"].as_u64().unwrap() <= 200);
    assert!(info["preferred_life_time"].as_u64().unwrap() <= 100);
    let listed = addrs(&ns, a);
    assert_eq!(listed.len(), 1);
    assert!(
        contains(
            &listed[0],
            &json!({ "family": 2, "prefixlen": 24, "local": "10.0.0.1", "label": "va:one",
                     "broadcast": "10.0.0.255", "rtPriority": 77, "proto": 4, "flags": 0x200 })
        ),
        "{listed:?}"
    );

    // Adding it again: EEXIST, named by the request.
    let e = ns
        .apply(Kind::Address, Verb::Add, listed[0].clone())
        .unwrap_err();
    assert_eq!(e.code, "EEXIST");
    assert!(
        e.message.starts_with(&format!(
            "adding address 10.0.0.1/24 on ifindex {a}: the kernel answered EEXIST"
        )),
        "{}",
        e.message
    );
    // Replace the listed address: lifetimes forever, another metric.
    let mut changed = listed[0].clone();
    changed["cacheinfo"]["valid"] = json!("forever");
    changed["cacheinfo"]["preferred"] = json!("forever");
    changed["rtPriority"] = json!(88);
    ns.apply(Kind::Address, Verb::Replace, changed).unwrap();
    let after = addrs(&ns, a);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["cacheinfo"]["valid"], "forever");
    assert_eq!(after[0]["rtPriority"], 88);
    // The listed address deletes it.
    ns.apply(Kind::Address, Verb::Del, after[0].clone())
        .unwrap();
    assert!(addrs(&ns, a).is_empty());
    let e = ns
        .apply(Kind::Address, Verb::Del, after[0].clone())
        .unwrap_err();
    assert_eq!(e.code, "EADDRNOTAVAIL", "{}", e.message);
    assert_eq!(e.ext_ack.as_deref(), Some("ipv4: Address not found"));
}

#[test]
fn ipv6_nodad_peer_and_every_listed_address_round_trips() {
    let Some((ns, a)) = setup() else { return };
    ns.apply(
        Kind::Address,
        Verb::Add,
        json!({ "index": a, "address": "2001:db8::1", "prefixlen": 64, "flagNames": ["nodad", "mngtmpaddr"] }),
    )
    .unwrap();
    ns.apply(
        Kind::Address,
        Verb::Add,
        json!({ "index": a, "local": "10.1.0.1", "address": "10.1.0.2", "prefixlen": 32 }),
    )
    .unwrap();
    let ip = ns.ip_json(&["addr", "show", "dev", "va"]);
    let infos = ip[0]["addr_info"].as_array().unwrap();
    let v6 = infos.iter().find(|i| i["local"] == "2001:db8::1").unwrap();
    assert_eq!(v6["prefixlen"], 64);
    assert_eq!(v6["mngtmpaddr"], true);
    assert!(v6["tentative"].is_null(), "nodad: {v6}");
    let ptp = infos.iter().find(|i| i["local"] == "10.1.0.1").unwrap();
    assert_eq!(ptp["address"], "10.1.0.2");

    let before = addrs(&ns, a);
    assert!(before.len() >= 2, "{before:?}");
    for x in &before {
        ns.apply(Kind::Address, Verb::Del, x.clone())
            .unwrap_or_else(|e| panic!("del {x}: {e}"));
    }
    assert!(addrs(&ns, a).is_empty());
    for x in &before {
        ns.apply(Kind::Address, Verb::Add, x.clone())
            .unwrap_or_else(|e| panic!("add {x}: {e}"));
    }
    let key = |v: &Value| format!("{}/{}", v["local"], v["address"]);
    let mut got: Vec<String> = addrs(&ns, a).iter().map(key).collect();
    let mut want: Vec<String> = before.iter().map(key).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn the_kernels_errors_come_back() {
    let Some((ns, _)) = setup() else { return };
    let e = ns
        .apply(
            Kind::Address,
            Verb::Add,
            json!({ "index": 999, "local": "10.2.0.1" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENODEV");
    assert!(e
        .message
        .starts_with("adding address 10.2.0.1/32 on ifindex 999: the kernel answered ENODEV"));
}

#[test]
fn invalid_fields_are_refused_before_sending() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Add, json!({ "local": "10.0.0.1" }), "addresses.add: index is required (the ifindex of the link the address is on)"),
        (Verb::Add, json!({ "index": 1 }), "addresses.add: address is required (an IPv4 or IPv6 address)"),
        (Verb::Add, json!({ "index": 1, "family": 2 }), "addresses.add: address is required (an IPv4 or IPv6 address)"),
        (Verb::Add, json!({ "index": 1, "family": 2, "local": "2001:db8::1" }), "addresses.add: local '2001:db8::1' is not of the object's family (IPv4, family 2)"),
        (Verb::Add, json!({ "index": 1, "local": "10.0.0.1", "prefixlen": 33 }), "addresses.add: prefixlen must be an integer from 0 to 32, got 33"),
        (Verb::Add, json!({ "index": 1, "address": "2001:db8::1", "label": "x" }), "addresses.add: label is for IPv4 addresses only (family 2), this address is IPv6"),
        (Verb::Add, json!({ "index": 1, "local": "10.0.0.1", "flagNames": ["fast"] }), "addresses.add: flagNames must hold names from secondary, nodad, optimistic, dadfailed, home, deprecated, tentative, permanent, managetempaddr, mngtmpaddr, noprefixroute, mcautojoin, stable-privacy, got 'fast'"),
        (Verb::Add, json!({ "index": 1, "local": "10.0.0.1", "cacheinfo": { "valid": "never" } }), "addresses.add: cacheinfo.valid must be seconds (0 to 4294967295) or 'forever', got \"never\""),
        (Verb::Add, json!({ "index": 1, "local": "10.0.0.1", "cacheinfo": { "ttl": 1 } }), "addresses.add: unknown field 'cacheinfo.ttl'; expected one of created, preferred, updated, valid"),
        (Verb::Add, json!({ "index": 1, "multicast": "ff02::1", "family": 10, "address": "ff02::1" }), "addresses.add: multicast must be absent (joined multicast and anycast groups are the kernel's, not addresses to add), got 'ff02::1'"),
        (Verb::Del, json!({ "index": 1, "local": "10.0.0.1", "peer": "x" }), "addresses.del: unknown field 'peer'; expected one of address, anycast, broadcast, cacheinfo, family, flagNames, flags, index, label, local, multicast, prefixlen, proto, rtPriority, scope, scopeName, unknown"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(Kind::Address, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
    }
    let e = refused(Kind::Address, Verb::Append, json!({}));
    assert_eq!(
        e.message,
        "addresses.append: addresses cannot be changed with append; they take add, replace, del"
    );
}
