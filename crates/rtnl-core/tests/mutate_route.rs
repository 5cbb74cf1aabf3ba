//! Route changes against the real kernel: every verb in a namespace of the
//! test's own, checked with `ip -j route` and the crate's own dump, listed
//! routes fed back, the kernel's errors and every refused field.

mod mutns;

use mutns::{contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

/// A namespace with veth va (10.0.0.1/24, 2001:db8::1/64) up, its peer vb up.
fn setup() -> Option<Ns> {
    let ns = Ns::new()?;
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.ip(&["addr", "add", "10.0.0.1/24", "dev", "va"]);
    ns.ip(&["addr", "add", "2001:db8::1/64", "dev", "va", "nodad"]);
    ns.ip(&["link", "set", "va", "up"]);
    ns.ip(&["link", "set", "vb", "up"]);
    Some(ns)
}

fn routes(ns: &Ns, table: u32) -> Vec<Value> {
    ns.list(Kind::Route)
        .into_iter()
        .filter(|r| r["table"] == table)
        .collect()
}

#[test]
fn add_list_replace_and_delete_the_listed_route() {
    let Some(ns) = setup() else { return };
    let a = ns.ifindex("va");
    let given = json!({
        "family": 2, "dst": "10.1.0.0", "dstLen": 24, "table": 100,
        "gateway": "10.0.0.2", "oif": a, "priority": 50,
        "protocolName": "static", "metrics": { "mtu": 1400, "lock": 4, "advmss": 1300 },
        "realms": 0x0002_0001u32
    });
    ns.apply(Kind::Route, Verb::Add, given.clone()).unwrap();
    let ip = ns.ip_json(&["-d", "route", "show", "table", "100"]);
    assert_eq!(ip.len(), 1, "{ip:?}");
    assert_eq!(ip[0]["dst"], "10.1.0.0/24");
    assert_eq!(ip[0]["gateway"], "10.0.0.2");
    assert_eq!(ip[0]["dev"], "va");
    assert_eq!(ip[0]["metric"], 50);
    assert_eq!(ip[0]["protocol"], "static");
    let listed = routes(&ns, 100);
    assert_eq!(listed.len(), 1);
    let mut expect = given.clone();
    expect.as_object_mut().unwrap().remove("protocolName");
    expect["protocol"] = json!(4);
    assert!(contains(&listed[0], &expect), "{listed:?}");

    // Add again: the kernel's EEXIST, named by the request.
    let e = ns.apply(Kind::Route, Verb::Add, given.clone()).unwrap_err();
    assert_eq!(e.code, "EEXIST");
    assert_eq!(e.errno, Some(libc::EEXIST));
    assert!(
        e.message
            .starts_with("adding route 10.1.0.0/24 table 100: the kernel answered EEXIST"),
        "{}",
        e.message
    );

    // Replace the listed route with another gateway.
    let mut changed = listed[0].clone();
    changed["gateway"] = json!("10.0.0.3");
    ns.apply(Kind::Route, Verb::Replace, changed).unwrap();
    let after = routes(&ns, 100);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0]["gateway"], "10.0.0.3");

    // The listed route, fed back whole, deletes exactly it.
    ns.apply(Kind::Route, Verb::Del, after[0].clone()).unwrap();
    assert!(routes(&ns, 100).is_empty());
    assert!(ns.ip_json(&["route", "show", "table", "100"]).is_empty());
    // Gone: deleting it again is the kernel's ESRCH.
    let e = ns
        .apply(Kind::Route, Verb::Del, after[0].clone())
        .unwrap_err();
    assert_eq!(e.code, "ESRCH");
    assert!(e
        .message
        .starts_with("deleting route 10.1.0.0/24 table 100: "));
}

#[test]
fn every_listed_route_of_a_namespace_deletes_and_comes_back() {
    let Some(ns) = setup() else { return };
    ns.ip(&[
        "route",
        "add",
        "10.9.0.0/16",
        "via",
        "10.0.0.9",
        "metric",
        "7",
    ]);
    ns.ip(&[
        "route",
        "add",
        "2001:db8:9::/48",
        "via",
        "2001:db8::9",
        "dev",
        "va",
    ]);
    let before: Vec<Value> = routes(&ns, 254);
    assert!(before.len() >= 4, "{before:?}");
    for r in &before {
        ns.apply(Kind::Route, Verb::Del, r.clone())
            .unwrap_or_else(|e| panic!("del {r}: {e}"));
    }
    assert!(routes(&ns, 254).is_empty());
    // IPv6 refuses an exclusive add beside a route of the same prefix and
    // metric on another link (fe80::/64 on both ends): those go back with
    // append, as the kernel adds its own.
    for r in &before {
        let verb = if r["family"] == 10 {
            Verb::Append
        } else {
            Verb::Add
        };
        ns.apply(Kind::Route, verb, r.clone())
            .unwrap_or_else(|e| panic!("add {r}: {e}"));
    }
    let strip = |v: &Vec<Value>| {
        let mut v: Vec<Value> = v
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r.as_object_mut().unwrap().remove("cacheinfo");
                r
            })
            .collect();
        v.sort_by_key(|r| r.to_string());
        v
    };
    assert_eq!(strip(&routes(&ns, 254)), strip(&before));
}

#[test]
fn types_by_name_big_tables_and_defaults() {
    let Some(ns) = setup() else { return };
    for (t, dst) in [
        ("blackhole", "10.2.0.0"),
        ("unreachable", "10.3.0.0"),
        ("prohibit", "10.4.0.0"),
    ] {
        ns.apply(
            Kind::Route,
            Verb::Add,
            json!({ "dst": dst, "dstLen": 16, "typeName": t, "table": 1000 }),
        )
        .unwrap();
    }
    let ip = ns.ip_json(&["route", "show", "table", "1000"]);
    let types: Vec<&str> = ip.iter().map(|r| r["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["blackhole", "unreachable", "prohibit"]);
    let listed = routes(&ns, 1000);
    assert_eq!(listed.len(), 3);
    assert_eq!(listed[0]["type"], 6);
    assert_eq!(listed[0]["protocol"], 3, "boot, as ip route add");
    // A device route without a gateway: scope link, as `ip route add` makes it.
    ns.apply(
        Kind::Route,
        Verb::Add,
        json!({ "dst": "10.5.0.0", "dstLen": 16, "oif": ns.ifindex("va") }),
    )
    .unwrap();
    let ip = ns.ip_json(&["route", "show", "10.5.0.0/16"]);
    assert_eq!(ip[0]["scope"], "link");
    // Delete by prefix alone (the other keys are wildcards).
    ns.apply(
        Kind::Route,
        Verb::Del,
        json!({ "dst": "10.3.0.0", "dstLen": 16, "table": 1000 }),
    )
    .unwrap();
    assert_eq!(routes(&ns, 1000).len(), 2);
    // A default route, IPv4 with family only.
    ns.apply(
        Kind::Route,
        Verb::Add,
        json!({ "family": 2, "gateway": "10.0.0.254" }),
    )
    .unwrap();
    let ip = ns.ip_json(&["route", "show", "default"]);
    assert_eq!(ip[0]["gateway"], "10.0.0.254");
}

#[test]
fn multipath_ipv6_pref_expires_and_append() {
    let Some(ns) = setup() else { return };
    let a = ns.ifindex("va");
    ns.ip(&["addr", "add", "10.0.1.1/24", "dev", "vb"]);
    let b = ns.ifindex("vb");
    let given = json!({
        "dst": "10.7.0.0", "dstLen": 16,
        "multipath": [
            { "oif": a, "gateway": "10.0.0.2", "weight": 3 },
            { "oif": b, "gateway": "10.0.1.2", "weight": 1 }
        ]
    });
    ns.apply(Kind::Route, Verb::Add, given.clone()).unwrap();
    let ip = ns.ip_json(&["route", "show", "10.7.0.0/16"]);
    let hops = ip[0]["nexthops"].as_array().unwrap();
    assert_eq!(hops[0]["weight"], 3);
    assert_eq!(hops[1]["dev"], "vb");
    let listed: Vec<Value> = routes(&ns, 254)
        .into_iter()
        .filter(|r| r["dst"] == "10.7.0.0")
        .collect();
    assert!(contains(&listed[0], &given), "{listed:?}");
    ns.apply(Kind::Route, Verb::Del, listed[0].clone()).unwrap();
    assert!(ns.ip_json(&["route", "show", "10.7.0.0/16"]).is_empty());

    // IPv6: pref and expires; append adds a nexthop to the route.
    let v6 = json!({
        "dst": "2001:db8:5::", "dstLen": 48, "gateway": "2001:db8::5",
        "oif": a, "pref": 1, "expires": 300, "priority": 10
    });
    ns.apply(Kind::Route, Verb::Add, v6).unwrap();
    let ip = ns.ip_json(&["-6", "route", "show", "2001:db8:5::/48"]);
    assert_eq!(ip[0]["pref"], "high");
    let left = ip[0]["expires"].as_u64().unwrap_or(0);
    assert!((290..=300).contains(&left), "{ip:?}");
    ns.apply(
        Kind::Route,
        Verb::Append,
        json!({ "dst": "2001:db8:5::", "dstLen": 48, "gateway": "2001:db8::6", "oif": a, "priority": 10 }),
    )
    .unwrap();
    let ip = ns.ip_json(&["-6", "route", "show", "2001:db8:5::/48"]);
    assert_eq!(
        ip[0]["nexthops"].as_array().map(|h| h.len()),
        Some(2),
        "{ip:?}"
    );
    let listed: Vec<Value> = routes(&ns, 254)
        .into_iter()
        .filter(|r| r["dst"] == "2001:db8:5::")
        .collect();
    assert_eq!(listed.len(), 1, "{listed:?}");
    ns.apply(Kind::Route, Verb::Del, listed[0].clone()).unwrap();
    assert!(ns
        .ip_json(&["-6", "route", "show", "2001:db8:5::/48"])
        .is_empty());
}

#[test]
fn the_kernels_errors_come_back_with_their_text() {
    let Some(ns) = setup() else { return };
    let e = ns
        .apply(
            Kind::Route,
            Verb::Add,
            json!({ "dst": "10.8.0.0", "dstLen": 16, "gateway": "192.168.77.1" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENETUNREACH");
    assert_eq!(e.ext_ack.as_deref(), Some("Nexthop has invalid gateway"));
    assert_eq!(
        e.message,
        "adding route 10.8.0.0/16 table 254: the kernel answered ENETUNREACH (Network is unreachable): Nexthop has invalid gateway"
    );
    // Host bits set under the prefix length.
    let e = ns
        .apply(
            Kind::Route,
            Verb::Add,
            json!({ "dst": "10.8.0.1", "dstLen": 16, "oif": ns.ifindex("va") }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EINVAL");
    assert_eq!(
        e.ext_ack.as_deref(),
        Some("Invalid prefix for given prefix length")
    );
    // A batch: each request its own answer.
    let res = ns.batch(
        Kind::Route,
        vec![
            (
                Verb::Add,
                json!({ "dst": "10.6.0.0", "dstLen": 16, "typeName": "blackhole" }),
            ),
            (
                Verb::Add,
                json!({ "dst": "10.6.0.0", "dstLen": 16, "typeName": "blackhole" }),
            ),
            (Verb::Del, json!({ "dst": "10.6.0.0", "dstLen": 16 })),
        ],
    );
    assert!(res[0].is_ok() && res[2].is_ok(), "{res:?}");
    assert_eq!(res[1].as_ref().unwrap_err().code, "EEXIST");
}

#[test]
fn invalid_fields_are_refused_before_sending() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Add, json!({ "dstLen": 8 }), "routes.add: family is required (2 for IPv4 or 10 for IPv6, or a dst, src, gateway or prefsrc to tell it)"),
        (Verb::Add, json!({ "family": 7, "dst": "10.0.0.0" }), "routes.add: family must be 2 (IPv4) or 10 (IPv6), got 7"),
        (Verb::Add, json!({ "family": 28 }), "routes.add: family 28 (MPLS) routes are not supported"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "dstLen": 33 }), "routes.add: dstLen must be an integer from 0 to 32, got 33"),
        (Verb::Add, json!({ "dst": "2001:db8::", "dstLen": 129 }), "routes.add: dstLen must be an integer from 0 to 128, got 129"),
        (Verb::Add, json!({ "family": 2, "dstLen": 8 }), "routes.add: dstLen 8 needs dst (a prefix without an address)"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "gateway": "2001:db8::1" }), "routes.add: gateway '2001:db8::1' is not of the object's family (IPv4, family 2)"),
        (Verb::Add, json!({ "dst": "10.0.0.300" }), "routes.add: dst must be an IPv4 or IPv6 address, got '10.0.0.300'"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "typeName": "bogus" }), "routes.add: typeName must be one of none, unicast, local, broadcast, anycast, multicast, blackhole, unreachable, prohibit, throw, nat, xresolve or a number from 0 to 255, got 'bogus'"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "mark": 5 }), "routes.add: mark must be absent (a key of a route lookup, `ip route get`, not an attribute of a route), got 5"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "encapType": 1 }), "routes.add: encapType 1: lightweight tunnel encapsulation cannot be encoded (the listed route carries only its type, not its data)"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "pref": 1 }), "routes.add: pref is for IPv6 routes only (family 10), this route is IPv4"),
        (Verb::Add, json!({ "dst": "2001:db8::", "pref": 2 }), "routes.add: pref must be 0 (medium), 1 (high) or 3 (low), got 2"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "metrics": { "mtux": 1 } }), "routes.add: metrics.mtux is not a route metric; expected one of lock, mtu, window, rtt, rttvar, ssthresh, cwnd, advmss, reordering, hoplimit, initcwnd, features, rto_min, initrwnd, quickack, congctl, fastopen_no_cookie"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "metrics": { "mtu": -1 } }), "routes.add: metrics.mtu must be an integer from 0 to 4294967295, got -1"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "multipath": [] }), "routes.add: multipath must hold at least one nexthop, got an empty array"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "multipath": [{ "weight": 0 }] }), "routes.add: multipath[0]: weight must be an integer from 1 to 256, got 0"),
        (Verb::Add, json!({ "dst": "10.0.0.0", "multipath": [{ "gw": "10.0.0.1" }] }), "routes.add: multipath[0]: unknown field 'gw'; expected one of flags, gateway, newdst, oif, unknown, via, weight"),
        (Verb::Del, json!({ "dst": "10.0.0.0", "metric": 5 }), "routes.del: unknown field 'metric'; expected one of cacheinfo, dst, dstLen, encapType, expires, family, flags, gateway, iif, mark, metrics, multipath, newdst, nhid, oif, pref, prefsrc, priority, protocol, protocolName, realms, scope, scopeName, src, srcLen, table, tableName, tos, type, typeName, uid, unknown, via"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(Kind::Route, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
        assert!(e.code.starts_with("ERR_"), "{}", e.code);
    }
    let e = refused(
        Kind::Route,
        Verb::Add,
        json!({ "dst": "10.0.0.0", "dstLen": 33 }),
    );
    assert_eq!(e.code, "ERR_OUT_OF_RANGE");
    let e = refused(Kind::Route, Verb::Add, json!({ "dst": 10 }));
    assert_eq!(e.code, "ERR_INVALID_ARG_TYPE");
    let e = refused(Kind::Route, Verb::Set, json!({}));
    assert_eq!(e.code, "ERR_RTNL_UNSUPPORTED");
    assert_eq!(
        e.message,
        "routes.set: routes cannot be changed with set; they take add, replace, append, del"
    );
}
