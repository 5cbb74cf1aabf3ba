//! Link changes against the real kernel: add (veth, bridge, macvlan, vxlan,
//! ifb), set and del in a namespace of the test's own, checked with
//! `ip -j -d link` and the crate's own dump, listed links fed back, the
//! kernel's errors and every refused field.

mod mutns;

use mutns::{contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

fn link(ns: &Ns, name: &str) -> Value {
    ns.list(Kind::Link)
        .into_iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("no link {name}"))
}

fn ip_link(ns: &Ns, name: &str) -> Value {
    ns.ip_json(&["-d", "link", "show", "dev", name])[0].clone()
}

#[test]
fn veth_add_set_rename_and_del() {
    let Some(ns) = Ns::new() else { return };
    ns.apply(
        Kind::Link,
        Verb::Add,
        json!({ "name": "va", "kind": "veth", "mtu": 1400,
                "linkinfo": { "kind": "veth", "data": { "peer": { "name": "vb", "mtu": 1300 } } } }),
    )
    .unwrap();
    let ip = ip_link(&ns, "va");
    assert_eq!(ip["mtu"], 1400);
    assert_eq!(ip["linkinfo"]["info_kind"], "veth");
    assert_eq!(ip_link(&ns, "vb")["mtu"], 1300);
    let a = ns.ifindex("va");

    // Up, mtu, address, alias, txqlen, group, by index.
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "index": a, "flagNames": ["UP"], "mtu": 1450, "address": "02:00:00:00:00:0a",
                "ifalias": "the a end", "txqlen": 500, "group": 7 }),
    )
    .unwrap();
    let ip = ip_link(&ns, "va");
    assert!(
        ip["flags"].as_array().unwrap().contains(&json!("UP")),
        "{ip}"
    );
    assert_eq!(ip["mtu"], 1450);
    assert_eq!(ip["address"], "02:00:00:00:00:0a");
    assert_eq!(ip["ifalias"], "the a end");
    assert_eq!(ip["txqlen"], 500);
    assert_eq!(ip["group"], "7");
    let listed = link(&ns, "va");
    assert!(contains(
        &listed,
        &json!({ "index": a, "mtu": 1450, "address": "02:00:00:00:00:0a", "ifalias": "the a end",
                 "txqlen": 500, "group": 7, "kind": "veth" })
    ));
    assert_eq!(listed["flags"].as_u64().unwrap() & 1, 1);

    // Down with setFlags (flags only turn flags on), rename by index; by name alone.
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "index": a, "setFlags": { "UP": false }, "name": "vx" }),
    )
    .unwrap();
    let ip = ip_link(&ns, "vx");
    assert!(!ip["flags"].as_array().unwrap().contains(&json!("UP")));
    assert_eq!(ip["ifindex"], a);
    ns.apply(Kind::Link, Verb::Set, json!({ "name": "vx", "mtu": 1280 }))
        .unwrap();
    assert_eq!(ip_link(&ns, "vx")["mtu"], 1280);

    // The listed link, fed back to set, changes nothing and succeeds.
    let listed = link(&ns, "vx");
    ns.apply(Kind::Link, Verb::Set, listed.clone()).unwrap();
    assert_eq!(ip_link(&ns, "vx")["mtu"], 1280);

    // The kernel's answer for a link that is not there.
    let e = ns
        .apply(
            Kind::Link,
            Verb::Set,
            json!({ "name": "nope", "mtu": 1300 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENODEV");
    assert!(
        e.message
            .starts_with("setting link nope: the kernel answered ENODEV"),
        "{}",
        e.message
    );

    // The listed link deletes (and its peer with it).
    ns.apply(Kind::Link, Verb::Del, listed).unwrap();
    assert!(ns
        .list(Kind::Link)
        .iter()
        .all(|l| l["name"] != "vx" && l["name"] != "vb"));
    let e = ns
        .apply(Kind::Link, Verb::Del, json!({ "name": "vx" }))
        .unwrap_err();
    assert_eq!(e.code, "ENODEV");
}

#[test]
fn bridge_options_master_and_nomaster() {
    let Some(ns) = Ns::new() else { return };
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.apply(
        Kind::Link,
        Verb::Add,
        json!({ "name": "br0", "linkinfo": { "kind": "bridge", "data": {
            "stpState": 1, "forwardDelay": 500, "helloTime": 300, "maxAge": 2500,
            "ageingTime": 12000, "priority": 4096, "groupFwdMask": 8 } } }),
    )
    .unwrap();
    let ip = ip_link(&ns, "br0");
    let d = &ip["linkinfo"]["info_data"];
    assert_eq!(d["stp_state"], 1);
    assert_eq!(d["forward_delay"], 500);
    assert_eq!(d["priority"], 4096);
    assert_eq!(d["group_fwd_mask"], "0x8");
    let br = link(&ns, "br0");
    assert!(contains(
        &br["linkinfo"]["data"],
        &json!({ "stpState": 1, "forwardDelay": 500, "helloTime": 300, "maxAge": 2500,
                 "ageingTime": 12000, "priority": 4096, "groupFwdMask": 8 })
    ));
    let bri = br["index"].as_u64().unwrap();

    // Change an option with set; the listed bridge fed back succeeds.
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "name": "br0", "linkinfo": { "kind": "bridge", "data": { "stpState": 0 } } }),
    )
    .unwrap();
    assert_eq!(ip_link(&ns, "br0")["linkinfo"]["info_data"]["stp_state"], 0);
    // The listed bridge fed back: to set, without vlanFiltering and
    // multiBoolopt (this kernel has no VLAN filtering and refuses both, even
    // as 0);
    // to add after a delete, whole.
    let br = link(&ns, "br0");
    let mut no_vlan = br.clone();
    let d = no_vlan["linkinfo"]["data"].as_object_mut().unwrap();
    d.remove("vlanFiltering");
    d.remove("multiBoolopt");
    ns.apply(Kind::Link, Verb::Set, no_vlan).unwrap();
    let e = ns.apply(Kind::Link, Verb::Set, br.clone()).unwrap_err();
    assert_eq!(e.code, "EOPNOTSUPP");
    ns.apply(Kind::Link, Verb::Del, br.clone()).unwrap();
    ns.apply(Kind::Link, Verb::Add, br.clone()).unwrap();
    let again = link(&ns, "br0");
    assert_eq!(
        again["linkinfo"]["data"]["forwardDelay"],
        br["linkinfo"]["data"]["forwardDelay"]
    );
    assert_eq!(again["index"], br["index"]);

    // Enslave, set a port option, then nomaster (a port's state is only
    // set on a running link).
    ns.ip(&["link", "set", "va", "up"]);
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "name": "va", "master": bri }),
    )
    .unwrap();
    assert_eq!(ip_link(&ns, "va")["master"], "br0");
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "name": "va", "linkinfo": { "slaveKind": "bridge", "slaveData": { "cost": 42, "priority": 7 } } }),
    )
    .unwrap();
    let port = link(&ns, "va");
    assert_eq!(port["linkinfo"]["slaveData"]["cost"], 42);
    assert_eq!(port["linkinfo"]["slaveData"]["priority"], 7);
    ns.apply(Kind::Link, Verb::Set, port.clone()).unwrap();
    ns.apply(Kind::Link, Verb::Set, json!({ "name": "va", "master": 0 }))
        .unwrap();
    assert!(ip_link(&ns, "va")["master"].is_null());
    // Delete by index.
    ns.apply(Kind::Link, Verb::Del, json!({ "index": bri }))
        .unwrap();
    assert!(ns.ip_json(&["link", "show", "type", "bridge"]).is_empty());
}

#[test]
fn macvlan_vxlan_ifb_and_unknown_device_types() {
    let Some(ns) = Ns::new() else { return };
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.ip(&["addr", "add", "10.0.0.1/24", "dev", "va"]);
    let a = ns.ifindex("va");
    ns.apply(
        Kind::Link,
        Verb::Add,
        json!({ "name": "mv0", "link": a, "linkinfo": { "kind": "macvlan", "data": { "mode": "bridge" } } }),
    )
    .unwrap();
    let ip = ip_link(&ns, "mv0");
    assert_eq!(ip["linkinfo"]["info_data"]["mode"], "bridge");
    assert_eq!(ip["link"], "va");
    let mv = link(&ns, "mv0");
    assert_eq!(mv["linkinfo"]["data"]["mode"], "bridge");
    // modeRaw wins over mode.
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "name": "mv0", "linkinfo": { "kind": "macvlan", "data": { "mode": "bridge", "modeRaw": 2 } } }),
    )
    .unwrap();
    assert_eq!(ip_link(&ns, "mv0")["linkinfo"]["info_data"]["mode"], "vepa");

    ns.apply(
        Kind::Link,
        Verb::Add,
        json!({ "name": "vx0", "linkinfo": { "kind": "vxlan", "data": {
            "id": 42, "group": "10.0.0.2", "local": "10.0.0.1", "port": 4789, "link": a,
            "ttl": 16, "learning": false, "ageing": 120 } } }),
    )
    .unwrap();
    let d = &ip_link(&ns, "vx0")["linkinfo"]["info_data"];
    assert_eq!(d["id"], 42);
    assert_eq!(d["remote"], "10.0.0.2");
    assert_eq!(d["local"], "10.0.0.1");
    assert_eq!(d["port"], 4789);
    assert_eq!(d["ttl"], 16);
    assert_eq!(d["learning"], false);
    let vx = link(&ns, "vx0");
    assert!(contains(
        &vx["linkinfo"]["data"],
        &json!({ "id": 42, "group": "10.0.0.2", "local": "10.0.0.1", "port": 4789, "link": a,
                 "ttl": 16, "learning": false, "ageing": 120 })
    ));
    // The listed vxlan deletes; fed back to add, it comes back the same.
    ns.apply(Kind::Link, Verb::Del, vx.clone()).unwrap();
    let mut again = vx.clone();
    again.as_object_mut().unwrap().remove("index");
    ns.apply(Kind::Link, Verb::Add, again).unwrap();
    assert_eq!(link(&ns, "vx0")["linkinfo"]["data"], vx["linkinfo"]["data"]);

    ns.apply(
        Kind::Link,
        Verb::Add,
        json!({ "name": "ifb0", "kind": "ifb" }),
    )
    .unwrap();
    assert_eq!(ip_link(&ns, "ifb0")["linkinfo"]["info_kind"], "ifb");

    let e = ns
        .apply(
            Kind::Link,
            Verb::Add,
            json!({ "name": "d0", "kind": "dummy" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EOPNOTSUPP");
    assert_eq!(e.ext_ack.as_deref(), Some("Unknown device type"));
    assert!(e
        .message
        .starts_with("adding link d0 (dummy): the kernel answered EOPNOTSUPP"));
    let e = ns
        .apply(
            Kind::Link,
            Verb::Add,
            json!({ "name": "ifb0", "kind": "ifb" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EEXIST");
}

#[test]
fn netns_moves_a_link() {
    let Some(ns) = Ns::new() else { return };
    let Some(other) = Ns::new() else { return };
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.apply(
        Kind::Link,
        Verb::Set,
        json!({ "name": "vb", "netns": { "name": other.name } }),
    )
    .unwrap();
    assert!(ns.list(Kind::Link).iter().all(|l| l["name"] != "vb"));
    assert_eq!(link(&other, "vb")["kind"], "veth");
    let e = ns
        .apply(
            Kind::Link,
            Verb::Set,
            json!({ "name": "va", "netns": { "name": "no-such-ns-x" } }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert!(e.message.starts_with("setting link va: "), "{}", e.message);
}

#[test]
fn invalid_fields_are_refused_before_sending() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Set, json!({ "mtu": 1400 }), "links.set: index is required (the link's ifindex, or its name)"),
        (Verb::Del, json!({}), "links.del: index is required (the link's ifindex, or its name)"),
        (Verb::Add, json!({ "name": "x" }), "links.add: kind is required (the link kind: veth, bridge, macvlan, vxlan, ifb, ...)"),
        (Verb::Add, json!({ "name": "x", "kind": "turbo" }), "links.add: kind must be a link kind (veth, bridge, macvlan, macvtap, vxlan, ifb, dummy, vlan, bond, vrf, ipvlan, ipvtap, wireguard, gre, gretap, erspan, ip6gre, ip6gretap, ip6erspan, ipip, sit, ip6tnl, vti, vti6, geneve, bareudp, nlmon, team, macsec, netdevsim, xfrm, hsr, vcan, vxcan, tun), got 'turbo'"),
        (Verb::Add, json!({ "name": "x", "kind": "veth", "linkinfo": { "kind": "bridge" } }), "links.add: kind 'veth' and linkinfo.kind 'bridge' disagree"),
        (Verb::Add, json!({ "name": "abcdefghijklmnop", "kind": "ifb" }), "links.add: name must be an interface name of 1 to 15 bytes without '/', ':', NUL or white space, got \"abcdefghijklmnop\""),
        (Verb::Del, json!({ "name": "okbr\u{0}zzz" }), "links.del: name must not contain NUL (the kernel would cut it there), got \"okbr\\0zzz\""),
        (Verb::Set, json!({ "name": "br%d", "mtu": 1400 }), "links.set: name 'br%d' is a name template (%d), which names no link; give the link's own name"),
        (Verb::Del, json!({ "name": "br%d" }), "links.del: name 'br%d' is a name template (%d), which names no link; give the link's own name"),
        (Verb::Set, json!({ "index": 1, "address": "zz" }), "links.set: address must be a link-layer address as colon hex ('02:00:00:00:00:01'), got 'zz'"),
        (Verb::Set, json!({ "index": 1, "flagNames": ["FAST"] }), "links.set: flagNames must hold names from UP, BROADCAST, DEBUG, LOOPBACK, POINTOPOINT, NOTRAILERS, RUNNING, NOARP, PROMISC, ALLMULTI, MASTER, SLAVE, MULTICAST, PORTSEL, AUTOMEDIA, DYNAMIC, LOWER_UP, DORMANT, ECHO, got 'FAST'"),
        (Verb::Set, json!({ "index": 1, "mtu": -5 }), "links.set: mtu must be an integer from 0 to 4294967295, got -5"),
        (Verb::Set, json!({ "index": 1, "netns": "elsewhere" }), "links.set: netns must be 'host', { name }, { path } or { pid }, got \"elsewhere\""),
        (Verb::Set, json!({ "index": 1, "netns": { "name": "a", "pid": 1 } }), "links.set: netns must be 'host', { name }, { path } or { pid }, got {\"name\":\"a\",\"pid\":1}"),
        (Verb::Set, json!({ "index": 1, "mtux": 1 }), "links.set: unknown field 'mtux'; expected one of address, afSpec, allmulti, altNames, broadcast, carrier, carrierChanges, carrierDownCount, carrierUpCount, change, devlinkPort, dpllPin, event, family, flagNames, flags, groIpv4MaxSize, groMaxSize, group, gsoIpv4MaxSize, gsoMaxSegs, gsoMaxSize, headroom, ifalias, index, kind, link, linkNetnsid, linkinfo, linkmode, map, master, maxMtu, maxPacingOffloadHorizon, minMtu, mtu, name, nameHex, netns, netnsImmutable, numRxQueues, numTxQueues, operstate, parentBus, parentDev, permAddress, promiscuity, protoDown, qdisc, setFlags, stats64, tailroom, tsoMaxSegs, tsoMaxSize, txqlen, type, unknown, xdp"),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "bridge", "data": { "stp": 1 } } }), "links.add: linkinfo.data: unknown field 'stp' for kind 'bridge'; expected one of ageingTime, bridgeId, fdbFlush, fdbMaxLearned, fdbNLearned, forwardDelay, gcTimer, groupAddr, groupFwdMask, helloTime, helloTimer, maxAge, mcastHashElasticity, mcastHashMax, mcastIgmpVersion, mcastLastMemberCnt, mcastLastMemberIntvl, mcastMembershipIntvl, mcastMldVersion, mcastQuerier, mcastQuerierIntvl, mcastQuerierState, mcastQueryIntvl, mcastQueryResponseIntvl, mcastQueryUseIfaddr, mcastRouter, mcastSnooping, mcastStartupQueryCnt, mcastStartupQueryIntvl, mcastStatsEnabled, multiBoolopt, nfCallArptables, nfCallIp6tables, nfCallIptables, priority, rootId, rootPathCost, rootPort, stpState, tcnTimer, topologyChange, topologyChangeDetected, topologyChangeTimer, vlanDefaultPvid, vlanFiltering, vlanProtocol, vlanStatsEnabled, vlanStatsPerPort"),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "bridge", "data": { "priority": 70000 } } }), "links.add: linkinfo.data: priority must be an integer from 0 to 65535, got 70000"),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "macvlan", "data": { "mode": "fast" } } }), "links.add: linkinfo.data: mode must be one of private, vepa, bridge, passthru, source, got \"fast\""),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "vxlan", "data": { "learning": "yes" } } }), "links.add: linkinfo.data: learning must be a boolean, got \"yes\""),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "ifb", "data": { "a": 1 } } }), "links.add: linkinfo.data: no options of kind 'ifb' can be encoded, got a"),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "veth", "data": { "peer": "00" } } }), "links.add: linkinfo.data.peer must be an object { name, netns? }, got \"00\""),
        (Verb::Add, json!({ "name": "x", "linkinfo": { "kind": "veth", "data": { "peer": { "name": "y", "netns": { "name": "n" } } } } }), "links.add: linkinfo.data.peer: netns can only be { pid } for a veth peer (create the pair, then move the peer with links.set { netns })"),
        (Verb::Set, json!({ "index": 1, "linkinfo": { "slaveData": { "cost": 1 } } }), "links.set: linkinfo.slaveData needs linkinfo.slaveKind (the master's kind)"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(Kind::Link, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
    }
    let e = refused(Kind::Link, Verb::Replace, json!({}));
    assert_eq!(
        e.message,
        "links.replace: links cannot be changed with replace; they take add, set, del"
    );
}
