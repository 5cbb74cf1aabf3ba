//! Neighbour and bridge fdb changes against the real kernel: every verb in
//! a namespace of the test's own, checked with `ip -j neigh`, `bridge -j
//! fdb` and the crate's own dump, listed entries fed back, the kernel's
//! errors and every refused field.

mod mutns;

use mutns::{contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

/// A namespace with veth va (10.0.0.1/24, 2001:db8::1/64) up, its peer vb
/// a port of bridge br0, and vxlan vx0 (vni 42, local 10.0.0.1, dstport 4789).
fn setup() -> Option<Ns> {
    let ns = Ns::new()?;
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    ns.ip(&["addr", "add", "10.0.0.1/24", "dev", "va"]);
    ns.ip(&["addr", "add", "2001:db8::1/64", "dev", "va", "nodad"]);
    ns.ip(&["link", "add", "br0", "type", "bridge"]);
    ns.ip(&["link", "set", "vb", "master", "br0"]);
    ns.ip(&[
        "link", "add", "vx0", "type", "vxlan", "id", "42", "local", "10.0.0.1", "dstport", "4789",
    ]);
    for l in ["va", "vb", "br0", "vx0"] {
        ns.ip(&["link", "set", l, "up"]);
    }
    Some(ns)
}

fn neigh(ns: &Ns, dst: &str) -> Vec<Value> {
    ns.list(Kind::Neighbour)
        .into_iter()
        .filter(|n| n["dst"] == dst && n["family"] != 7)
        .collect()
}

fn fdb(ns: &Ns, ifindex: u32) -> Vec<Value> {
    ns.list(Kind::Neighbour)
        .into_iter()
        .filter(|n| n["family"] == 7 && n["ifindex"] == ifindex)
        .collect()
}

/// Without what changes between two dumps of the same entry.
fn stable(v: &Value) -> Value {
    let mut v = v.clone();
    for k in ["cacheinfo", "probes"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn ip_neighbours_add_replace_and_delete_the_listed_one() {
    let Some(ns) = setup() else { return };
    let va = ns.ifindex("va");
    let given =
        json!({ "ifindex": va, "dst": "10.0.0.2", "lladdr": "02:00:00:00:00:02", "protocol": 4 });
    ns.apply(Kind::Neighbour, Verb::Add, given.clone()).unwrap();
    let ip = ns.ip_json(&["neigh", "show", "10.0.0.2"]);
    assert!(
        contains(
            &ip[0],
            &json!({ "dst": "10.0.0.2", "dev": "va", "lladdr": "02:00:00:00:00:02", "state": ["PERMANENT"], "protocol": "static" })
        ),
        "{ip:?}"
    );
    let listed = neigh(&ns, "10.0.0.2");
    let mut expect = given.clone();
    expect["family"] = json!(2);
    expect["state"] = json!(128);
    assert!(contains(&listed[0], &expect), "{listed:?}");

    let e = ns
        .apply(Kind::Neighbour, Verb::Add, given.clone())
        .unwrap_err();
    assert_eq!(e.code, "EEXIST");
    assert_eq!(
        e.message,
        "adding neighbour 10.0.0.2 on ifindex 3: the kernel answered EEXIST (File exists)"
            .replace("ifindex 3", &format!("ifindex {va}"))
    );

    // Replace the listed one: another address, state by name.
    let mut changed = listed[0].clone();
    changed["lladdr"] = json!("02:00:00:00:00:22");
    changed["stateNames"] = json!(["stale"]);
    changed.as_object_mut().unwrap().remove("state");
    ns.apply(Kind::Neighbour, Verb::Replace, changed).unwrap();
    let ip = ns.ip_json(&["neigh", "show", "10.0.0.2"]);
    assert_eq!(ip[0]["lladdr"], "02:00:00:00:00:22");
    assert_eq!(ip[0]["state"], json!(["STALE"]));
    let after = neigh(&ns, "10.0.0.2");
    assert_eq!(after[0]["state"], 4);

    // IPv6, a router, by flag name.
    let v6 = json!({ "ifindex": va, "dst": "2001:db8::2", "lladdr": "02:00:00:00:00:03", "flagNames": ["router"], "stateNames": ["reachable"] });
    ns.apply(Kind::Neighbour, Verb::Add, v6).unwrap();
    let ip = ns.ip_json(&["-6", "neigh", "show", "2001:db8::2"]);
    assert!(
        contains(
            &ip[0],
            &json!({ "router": null, "lladdr": "02:00:00:00:00:03" })
        ),
        "{ip:?}"
    );
    let listed6 = neigh(&ns, "2001:db8::2");
    assert!(contains(
        &listed6[0],
        &json!({ "family": 10, "flags": 0x80, "flagNames": ["router"] })
    ));

    // The listed ones, fed back whole, delete them; again is ENOENT.
    for n in [&after[0], &listed6[0]] {
        ns.apply(Kind::Neighbour, Verb::Del, n.clone()).unwrap();
    }
    assert!(neigh(&ns, "10.0.0.2").is_empty() && neigh(&ns, "2001:db8::2").is_empty());
    assert!(ns.ip_json(&["neigh", "show", "dev", "va"]).is_empty());
    let e = ns
        .apply(Kind::Neighbour, Verb::Del, after[0].clone())
        .unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert_eq!(
        e.message,
        format!("deleting neighbour 10.0.0.2 on ifindex {va}: the kernel answered ENOENT (No such file or directory)")
    );
}

#[test]
fn proxy_entries_and_managed_neighbours() {
    let Some(ns) = setup() else { return };
    let va = ns.ifindex("va");
    let proxy = json!({ "ifindex": va, "dst": "10.0.0.5", "flagNames": ["proxy"] });
    ns.apply(Kind::Neighbour, Verb::Add, proxy.clone()).unwrap();
    let ip = ns.ip_json(&["neigh", "show", "proxy"]);
    assert!(
        contains(
            &ip[0],
            &json!({ "dst": "10.0.0.5", "dev": "va", "proxy": null })
        ),
        "{ip:?}"
    );
    ns.apply(Kind::Neighbour, Verb::Del, proxy.clone()).unwrap();
    assert!(ns.ip_json(&["neigh", "show", "proxy"]).is_empty());
    let e = ns.apply(Kind::Neighbour, Verb::Del, proxy).unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert!(e.message.starts_with(&format!(
        "deleting proxy neighbour 10.0.0.5 on ifindex {va}: "
    )));

    // NTF_EXT_MANAGED through flagsExt: the kernel resolves it itself.
    ns.apply(
        Kind::Neighbour,
        Verb::Add,
        json!({ "ifindex": va, "dst": "2001:db8::7", "flagsExt": 1, "stateNames": ["noarp"] }),
    )
    .unwrap();
    let ip = ns.ip_json(&["-6", "neigh", "show", "2001:db8::7"]);
    assert!(contains(&ip[0], &json!({ "managed": null })), "{ip:?}");
    let listed = neigh(&ns, "2001:db8::7");
    assert_eq!(listed[0]["flagsExt"], 1);
    ns.apply(Kind::Neighbour, Verb::Del, listed[0].clone())
        .unwrap();
    assert!(neigh(&ns, "2001:db8::7").is_empty());
}

#[test]
fn bridge_fdb_master_self_and_vxlan_remotes() {
    let Some(ns) = setup() else { return };
    let (va, vb, vx) = (ns.ifindex("va"), ns.ifindex("vb"), ns.ifindex("vx0"));
    let br = ns.ifindex("br0");
    // The bridge's database, on a port: no flags (the kernel's default
    // there), noarp ('static') by default.
    ns.apply(
        Kind::Neighbour,
        Verb::Add,
        json!({ "family": 7, "ifindex": vb, "lladdr": "02:00:00:00:00:04" }),
    )
    .unwrap();
    let b = ns.bridge_json(&["fdb", "show", "dev", "vb"]);
    let e = b.iter().find(|e| e["mac"] == "02:00:00:00:00:04").unwrap();
    assert!(
        contains(
            e,
            &json!({ "master": "br0", "state": "static", "flags": [] })
        ),
        "{e}"
    );
    let listed: Vec<Value> = fdb(&ns, vb)
        .into_iter()
        .filter(|e| e["lladdr"] == "02:00:00:00:00:04")
        .collect();
    assert!(
        contains(
            &listed[0],
            &json!({ "family": 7, "state": 64, "master": br, "flags": 0 })
        ),
        "{listed:?}"
    );
    // Replace it as permanent (a local entry of the bridge), by flag name.
    ns.apply(
        Kind::Neighbour,
        Verb::Replace,
        json!({ "family": 7, "ifindex": vb, "lladdr": "02:00:00:00:00:04", "flagNames": ["master"], "stateNames": ["permanent"] }),
    )
    .unwrap();
    let b = ns.bridge_json(&["fdb", "show", "dev", "vb"]);
    let e = b.iter().find(|e| e["mac"] == "02:00:00:00:00:04").unwrap();
    assert_eq!(e["state"], "permanent");

    // A device's own database: a multicast address on a veth (permanent by default).
    ns.apply(
        Kind::Neighbour,
        Verb::Add,
        json!({ "family": 7, "ifindex": va, "lladdr": "01:00:5e:00:00:07", "flagNames": ["self"] }),
    )
    .unwrap();
    let b = ns.bridge_json(&["fdb", "show", "dev", "va"]);
    assert!(
        b.iter()
            .any(|e| e["mac"] == "01:00:5e:00:00:07" && e["flags"] == json!(["self"])),
        "{b:?}"
    );

    // VXLAN remotes: the default entry with two, the second appended.
    let first = json!({ "family": 7, "ifindex": vx, "lladdr": "00:00:00:00:00:00", "flagNames": ["self"],
        "dst": "10.0.0.8", "port": 4790, "vni": 43, "linkIfindex": va });
    ns.apply(Kind::Neighbour, Verb::Add, first.clone()).unwrap();
    // An IPv6 remote on an IPv4 vxlan: the kernel's EAFNOSUPPORT.
    let e = ns
        .apply(
            Kind::Neighbour,
            Verb::Append,
            json!({ "family": 7, "ifindex": vx, "lladdr": "00:00:00:00:00:00", "flags": 2, "dst": "2001:db8::9" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EAFNOSUPPORT");
    let second = json!({ "family": 7, "ifindex": vx, "lladdr": "00:00:00:00:00:00", "flags": 2, "dst": "10.0.0.9" });
    let e = ns
        .apply(Kind::Neighbour, Verb::Add, second.clone())
        .unwrap_err();
    assert_eq!(e.code, "EEXIST");
    assert!(e.message.starts_with(&format!(
        "adding fdb entry 00:00:00:00:00:00 on ifindex {vx} dst 10.0.0.9: the kernel answered EEXIST"
    )));
    ns.apply(Kind::Neighbour, Verb::Append, second.clone())
        .unwrap();
    let b = ns.bridge_json(&["fdb", "show", "dev", "vx0"]);
    assert_eq!(b.len(), 2, "{b:?}");
    assert!(
        contains(
            &b[0],
            &json!({ "mac": "00:00:00:00:00:00", "dst": "10.0.0.8", "port": 4790, "vni": 43, "viaIf": "va", "flags": ["self"], "state": "permanent" })
        ),
        "{b:?}"
    );
    assert!(contains(&b[1], &json!({ "dst": "10.0.0.9" })), "{b:?}");
    let listed = fdb(&ns, vx);
    assert_eq!(listed.len(), 2);
    let mut expect = first.clone();
    expect.as_object_mut().unwrap().remove("flagNames");
    expect["flags"] = json!(2);
    assert!(contains(&listed[0], &expect), "{listed:?}");
    // Each listed remote deletes itself only.
    ns.apply(Kind::Neighbour, Verb::Del, listed[1].clone())
        .unwrap();
    assert_eq!(
        fdb(&ns, vx).iter().map(stable).collect::<Vec<_>>(),
        vec![stable(&listed[0])]
    );
    ns.apply(Kind::Neighbour, Verb::Del, listed[0].clone())
        .unwrap();
    assert!(fdb(&ns, vx).is_empty());
    assert!(ns.bridge_json(&["fdb", "show", "dev", "vx0"]).is_empty());
}

#[test]
fn every_listed_neighbour_deletes_and_comes_back() {
    let Some(ns) = setup() else { return };
    let (va, vb) = (ns.ifindex("va"), ns.ifindex("vb"));
    let br = ns.ifindex("br0");
    ns.ip(&[
        "neigh",
        "add",
        "10.0.0.2",
        "lladdr",
        "02:00:00:00:00:02",
        "dev",
        "va",
    ]);
    ns.ip(&[
        "neigh",
        "add",
        "2001:db8::2",
        "lladdr",
        "02:00:00:00:00:03",
        "dev",
        "va",
        "router",
        "nud",
        "stale",
    ]);
    ns.run(
        "bridge",
        &[
            "fdb",
            "add",
            "02:00:00:00:00:04",
            "dev",
            "vb",
            "master",
            "static",
        ],
    );
    ns.run(
        "bridge",
        &[
            "fdb",
            "add",
            "00:00:00:00:00:00",
            "dev",
            "vx0",
            "dst",
            "10.0.0.8",
            "vni",
            "44",
            "self",
            "permanent",
        ],
    );
    let _ = va;
    // The bridge lists its own multicast addresses as 'self' entries of
    // br0, but its fdb calls act on the bridge's database: those cannot be
    // deleted (ENOENT) and are left out.
    let own = |n: &Value| n["family"] == 7 && n["ifindex"] == br && n["flags"] == 2;
    let before: Vec<Value> = ns
        .list(Kind::Neighbour)
        .into_iter()
        .filter(|n| !own(n))
        .collect();
    assert!(before
        .iter()
        .any(|n| n["family"] == 7 && n["ifindex"] == vb && n["master"] == br));
    for n in &before {
        ns.apply(Kind::Neighbour, Verb::Del, n.clone())
            .unwrap_or_else(|e| panic!("del {n}: {e}"));
    }
    // Only what the kernel makes again by itself is back: multicast
    // neighbours, entries it is resolving (incomplete, failed: the vxlan's
    // remote is looked up as traffic goes out), and NOARP entries of the
    // loopback, which local traffic makes (seen: 0.0.0.0 on lo, type
    // broadcast, back between the delete and the listing).
    let transient =
        |n: &Value| n["state"] == 1 || n["state"] == 32 || (n["state"] == 64 && n["ifindex"] == 1);
    for n in ns.list(Kind::Neighbour).iter().filter(|n| !own(n)) {
        assert!(n["type"] == 5 || transient(n), "left: {n}");
    }
    // Replace: create, or overwrite what the kernel made again meanwhile;
    // fdb entries with append (vxlan refuses replace for its all-zero
    // default entry, which holds the remotes).
    for n in &before {
        let verb = if n["family"] == 7 {
            Verb::Append
        } else {
            Verb::Replace
        };
        ns.apply(Kind::Neighbour, verb, n.clone())
            .unwrap_or_else(|e| panic!("replace {n}: {e}"));
    }
    let after: Vec<Value> = ns
        .list(Kind::Neighbour)
        .iter()
        .filter(|n| !own(n))
        .map(stable)
        .collect();
    // Multicast neighbours (type 5) are the kernel's own: it makes them again
    // as links join groups (MLD, IGMP), at its own pace, so more may be there
    // than before. Every one that was is back; everything else is equal.
    let multicast = |n: &&Value| n["type"] == 5;
    for n in before.iter().map(stable).filter(|n| n["type"] == 5) {
        assert!(after.contains(&n), "multicast neighbour not back: {n}");
    }
    let mut a: Vec<Value> = after
        .iter()
        .filter(|n| !multicast(n) && !transient(n))
        .cloned()
        .collect();
    let mut b: Vec<Value> = before
        .iter()
        .map(stable)
        .filter(|n| n["type"] != 5 && !transient(n))
        .collect();
    a.sort_by_key(|v| v.to_string());
    b.sort_by_key(|v| v.to_string());
    assert_eq!(a, b);
}

#[test]
fn the_kernels_errors_come_back_with_their_text() {
    let Some(ns) = setup() else { return };
    let (va, vb) = (ns.ifindex("va"), ns.ifindex("vb"));
    // The bridge's database on a link that is no bridge port.
    let e = ns
        .apply(
            Kind::Neighbour,
            Verb::Add,
            json!({ "family": 7, "ifindex": va, "lladdr": "02:00:00:00:00:06", "flagNames": ["master"] }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EOPNOTSUPP");
    assert_eq!(
        e.message,
        format!("adding fdb entry 02:00:00:00:00:06 on ifindex {va}: the kernel answered EOPNOTSUPP (Operation not supported)")
    );
    // A VLAN on a bridge without VLAN filtering.
    let e = ns
        .apply(
            Kind::Neighbour,
            Verb::Add,
            json!({ "family": 7, "ifindex": vb, "lladdr": "02:00:00:00:00:05", "vlan": 5 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EINVAL");
    assert!(e.message.starts_with(&format!(
        "adding fdb entry 02:00:00:00:00:05 on ifindex {vb} vlan 5: "
    )));
    // A link-layer address shorter than the link's.
    let e = ns
        .apply(
            Kind::Neighbour,
            Verb::Add,
            json!({ "ifindex": va, "dst": "10.0.0.3", "lladdr": "02:00" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EINVAL");
    assert_eq!(e.ext_ack.as_deref(), Some("Invalid link address"));
    // A neighbour that is not there.
    let e = ns
        .apply(
            Kind::Neighbour,
            Verb::Del,
            json!({ "ifindex": va, "dst": "2001:db8::77" }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert_eq!(
        e.message,
        format!("deleting neighbour 2001:db8::77 on ifindex {va}: the kernel answered ENOENT (No such file or directory)")
    );
}

#[test]
fn invalid_fields_are_refused_before_sending() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Add, json!({ "ifindex": 2 }), "neighbours.add: family is required (2 for IPv4 or 10 for IPv6 (or a dst to tell it), 7 for a bridge fdb entry)"),
        (Verb::Add, json!({ "family": 3, "ifindex": 2 }), "neighbours.add: family must be 2 (IPv4) or 10 (IPv6) or 7 (bridge fdb), got 3"),
        (Verb::Add, json!({ "dst": "10.0.0.2" }), "neighbours.add: ifindex is required (the ifindex of the link the neighbour is on)"),
        (Verb::Add, json!({ "dst": "10.0.0.2", "ifindex": 0 }), "neighbours.add: ifindex must be an integer from 1 to 2147483647, got 0"),
        (Verb::Add, json!({ "family": 2, "ifindex": 2 }), "neighbours.add: dst is required (the neighbour's IP address)"),
        (Verb::Add, json!({ "family": 10, "ifindex": 2, "dst": "10.0.0.2" }), "neighbours.add: dst '10.0.0.2' is not of the object's family (IPv6, family 10)"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "lladdr": "02-00-00-00-00-01" }), "neighbours.add: lladdr must be a link-layer address as colon hex ('02:00:00:00:00:01'), got '02-00-00-00-00-01'"),
        (Verb::Add, json!({ "family": 7, "ifindex": 2 }), "neighbours.add: lladdr is required (the MAC address of the fdb entry)"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "stateNames": ["static"] }), "neighbours.add: stateNames must hold names from incomplete, reachable, stale, delay, probe, failed, noarp, permanent, got 'static'"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "state": 65536 }), "neighbours.add: state must be an integer from 0 to 65535, got 65536"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "flagNames": ["proxied"] }), "neighbours.add: flagNames must hold names from use, self, master, proxy, extern_learn, offload, sticky, router, got 'proxied'"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "flags": 256 }), "neighbours.add: flags must be an integer from 0 to 255, got 256"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "10.0.0.2", "vlan": 5 }), "neighbours.add: vlan is for bridge fdb entries only (family 7), this neighbour is family 2"),
        (Verb::Add, json!({ "ifindex": 2, "dst": "2001:db8::2", "vni": 5 }), "neighbours.add: vni is for bridge fdb entries only (family 7), this neighbour is family 10"),
        (Verb::Add, json!({ "family": 7, "ifindex": 2, "lladdr": "02:00:00:00:00:01", "vlan": 4095 }), "neighbours.add: vlan must be an integer from 1 to 4094, got 4095"),
        (Verb::Add, json!({ "family": 7, "ifindex": 2, "lladdr": "02:00:00:00:00:01", "vni": 16777216 }), "neighbours.add: vni must be an integer from 0 to 16777215, got 16777216"),
        (Verb::Add, json!({ "family": 7, "ifindex": 2, "lladdr": "02:00:00:00:00:01", "port": 65536 }), "neighbours.add: port must be an integer from 0 to 65535, got 65536"),
        (Verb::Add, json!({ "family": 7, "ifindex": 2, "lladdr": "02:00:00:00:00:01", "dst": "10.0.0.300" }), "neighbours.add: dst must be an IPv4 or IPv6 address, got '10.0.0.300'"),
        (Verb::Append, json!({ "ifindex": 2, "dst": "10.0.0.2" }), "neighbours.append: append is for bridge fdb entries (family 7), to add a remote beside others; this neighbour is family 2"),
        (Verb::Del, json!({ "ifindex": 2, "dst": "10.0.0.2", "mac": "x" }), "neighbours.del: unknown field 'mac'; expected one of cacheinfo, dst, family, flagNames, flags, flagsExt, ifindex, linkIfindex, linkNetnsid, lladdr, master, nhid, port, probes, protocol, state, stateNames, type, unknown, vlan, vni"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(Kind::Neighbour, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
        assert!(e.code.starts_with("ERR_"), "{}", e.code);
    }
    let e = refused(
        Kind::Neighbour,
        Verb::Add,
        json!({ "ifindex": "va", "dst": "10.0.0.2" }),
    );
    assert_eq!(e.code, "ERR_INVALID_ARG_TYPE");
    let e = refused(Kind::Neighbour, Verb::Set, json!({}));
    assert_eq!(e.code, "ERR_RTNL_UNSUPPORTED");
    assert_eq!(
        e.message,
        "neighbours.set: neighbours cannot be changed with set; they take add, replace, append, del"
    );
}
