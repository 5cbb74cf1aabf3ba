//! qdiscs, tcClasses, tcFilters and tcChains add/replace/del against the
//! real kernel, each test in a namespace of its own (tests/mutns), checked
//! with `tc -j` and the crate's own dump; and every field the encoder
//! refuses, with its message.

mod mutns;

use mutns::{assert_kernel, contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

const Q: Kind = Kind::Qdisc;
const C: Kind = Kind::TcClass;
const F: Kind = Kind::TcFilter;
const CH: Kind = Kind::TcChain;

fn on(ns: &Ns, kind: Kind, ifindex: u32) -> Vec<Value> {
    ns.list(kind)
        .into_iter()
        .filter(|t| t["ifindex"] == ifindex)
        .collect()
}

fn find(list: &[Value], part: &Value) -> Value {
    list.iter()
        .find(|t| contains(t, part))
        .unwrap_or_else(|| panic!("{part} in {}", Value::Array(list.to_vec())))
        .clone()
}

/// `tc -j -s` of every object kind on a device, for before/after comparisons
/// (the counters of an idle veth stay 0).
fn tc_state(ns: &Ns, dev: &str) -> Vec<Value> {
    ["qdisc", "filter", "chain"]
        .iter()
        .map(|what| Value::Array(ns.tc_json(&[what, "show", "dev", dev])))
        .chain(std::iter::once(Value::String(
            ns.tc(&["class", "show", "dev", dev]),
        )))
        .collect()
}

/// An htb tree on v0: 1: (default 0x10, r2q 5), classes 1:10 (10 and 20
/// Mbit/s, prio 2, quantum 1500) and 1:20 (50 Gbit/s: 64-bit rates), a
/// pfifo under 1:10 and a bfifo under 1:20.
fn htb_tree(ns: &Ns, v0: u32) {
    ns.ok(
        Q,
        Verb::Add,
        &json!({"ifindex": v0, "handle": 0x10000, "kind": "htb",
        "options": {"init": {"rate2quantum": 5, "defcls": 0x10}}}),
    );
    ns.ok(
        C,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10000, "handle": 0x10010, "kind": "htb",
        "options": {"parms": {"rate": {"rate": 1_250_000}, "ceil": {"rate": 2_500_000},
                              "prio": 2, "quantum": 1500}}}),
    );
    ns.ok(
        C,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10000, "handle": 0x10020, "kind": "htb",
        "options": {"rate64": 6_250_000_000u64, "parms": {"quantum": 60000}}}),
    );
    ns.ok(
        Q,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10010, "handle": 0x100000, "kind": "pfifo",
        "options": {"limit": 50}}),
    );
    ns.ok(
        Q,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10020, "handle": 0x200000, "kind": "bfifo",
        "options": {"limit": 10000}}),
    );
}

#[test]
fn htb_tree_with_fifos() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    htb_tree(&ns, v0);

    let q = ns.tc_json(&["qdisc", "show", "dev", "v0"]);
    let htb = q.iter().find(|q| q["kind"] == "htb").unwrap();
    assert_eq!(htb["handle"], "1:");
    assert_eq!(htb["root"], true);
    assert_eq!(htb["options"]["r2q"], 5);
    assert_eq!(htb["options"]["default"], "0x10");
    let pfifo = q.iter().find(|q| q["kind"] == "pfifo").unwrap();
    assert_eq!(
        (pfifo["handle"].clone(), pfifo["parent"].clone()),
        (json!("10:"), json!("1:10"))
    );
    assert_eq!(pfifo["options"]["limit"], 50);
    let bfifo = q.iter().find(|q| q["kind"] == "bfifo").unwrap();
    assert_eq!(bfifo["options"]["limit"], 10000);
    // tc 6.1 prints htb classes as text.
    let classes = ns.tc(&["class", "show", "dev", "v0"]);
    assert!(
        classes.contains(
            "class htb 1:10 root leaf 10: prio 2 rate 10Mbit ceil 20Mbit burst 1600b cburst 1600b"
        ),
        "{classes}"
    );
    assert!(
        classes.contains("class htb 1:20 root leaf 20: prio 0 rate 50Gbit ceil 50Gbit"),
        "{classes}"
    );

    // The crate's dump shows what was given.
    let qd = on(&ns, Q, v0);
    find(
        &qd,
        &json!({"object": "qdisc", "kind": "htb", "handle": 0x10000, "parent": 0xffffffffu32,
        "options": {"init": {"rate2quantum": 5, "defcls": 0x10, "version": 0x30011}}}),
    );
    find(
        &qd,
        &json!({"kind": "pfifo", "handle": 0x100000, "parent": 0x10010, "options": {"limit": 50}}),
    );
    let cl = on(&ns, C, v0);
    find(
        &cl,
        &json!({"object": "class", "kind": "htb", "handle": 0x10010, "leaf": 0x100000,
        "options": {"parms": {"rate": {"rate": 1_250_000, "linklayer": 1}, "ceil": {"rate": 2_500_000},
                              "prio": 2, "quantum": 1500, "buffer": 20000, "cbuffer": 10000}}}),
    );
    find(
        &cl,
        &json!({"handle": 0x10020, "options": {"rate64": 6_250_000_000u64, "ceil64": 6_250_000_000u64,
        "parms": {"rate": {"rate": 0xffffffffu32}, "quantum": 60000}}}),
    );

    // Replace with every listed class and leaf qdisc changes nothing; the
    // htb qdisc itself has no change operation.
    let before = tc_state(&ns, "v0");
    for c in &cl {
        ns.ok(C, Verb::Replace, c);
    }
    for q in qd.iter().filter(|q| q["kind"] != "htb") {
        ns.ok(Q, Verb::Replace, q);
    }
    assert_eq!(tc_state(&ns, "v0"), before);
    let htb = find(&qd, &json!({"kind": "htb"}));
    assert_kernel(
        ns.apply(Q, Verb::Replace, &htb),
        "EINVAL",
        Some("Change operation not supported by specified qdisc"),
        &format!("replacing qdisc htb 1: parent root on link {v0}"),
    );
    assert_kernel(
        ns.apply(Q, Verb::Add, &htb),
        "EEXIST",
        Some("Exclusivity flag on, cannot modify"),
        &format!("adding qdisc htb 1: parent root on link {v0}"),
    );

    // Replace changes a class.
    ns.ok(
        C,
        Verb::Replace,
        &json!({"ifindex": v0, "handle": 0x10010, "kind": "htb",
        "options": {"parms": {"rate": {"rate": 250_000}, "prio": 1}}}),
    );
    let c = find(&on(&ns, C, v0), &json!({"handle": 0x10010}));
    assert_eq!(c["options"]["parms"]["rate"]["rate"], 250_000);
    assert_eq!(c["options"]["parms"]["ceil"]["rate"], 250_000);
    assert_eq!(c["options"]["parms"]["prio"], 1);

    // Each listed object given back to del removes it: leaves, classes, root.
    for q in on(&ns, Q, v0).iter().filter(|q| q["kind"] != "htb") {
        ns.ok(Q, Verb::Del, q);
    }
    for c in on(&ns, C, v0) {
        ns.ok(C, Verb::Del, &c);
    }
    assert!(on(&ns, C, v0).is_empty());
    assert_eq!(ns.tc(&["class", "show", "dev", "v0"]), "");
    ns.ok(Q, Verb::Del, &htb);
    assert!(on(&ns, Q, v0).iter().all(|q| q["kind"] != "htb"));
    assert_kernel(
        ns.apply(Q, Verb::Del, &htb),
        "EINVAL",
        Some("Invalid handle"),
        &format!("deleting qdisc htb 1: parent root on link {v0}"),
    );
}

#[test]
fn tbf_prio_clsact_ingress() {
    let Some(ns) = Ns::with_veth() else { return };
    let v1 = ns.ifindex("v1");
    let v0 = ns.ifindex("v0");
    // tbf: 1 Mbit/s, a 10 KiB bucket (in bytes: the kernel lists ticks), 50 ms worth of limit.
    ns.ok(
        Q,
        Verb::Add,
        &json!({"ifindex": v1, "handle": 0x20000, "kind": "tbf",
        "options": {"burst": 10240, "parms": {"rate": {"rate": 125_000}, "limit": 16490}}}),
    );
    let tbf = ns.tc_json(&["qdisc", "show", "dev", "v1"]);
    assert_eq!(tbf[0]["kind"], "tbf");
    assert_eq!(tbf[0]["options"]["rate"], 125_000);
    assert_eq!(tbf[0]["options"]["burst"], 10240);
    assert_eq!(tbf[0]["options"]["lat"], 50_000);
    let listed = find(&on(&ns, Q, v1), &json!({"kind": "tbf"}));
    assert!(
        contains(
            &listed,
            &json!({"options": {"parms": {"limit": 16490, "buffer": 1_280_000,
        "rate": {"rate": 125_000}}}})
        ),
        "{listed}"
    );
    let before = tc_state(&ns, "v1");
    ns.ok(Q, Verb::Replace, &listed);
    assert_eq!(tc_state(&ns, "v1"), before);
    ns.ok(Q, Verb::Del, &listed);

    // No prio qdisc in this kernel; pfifo_fast (listed with its fixed
    // bands and priomap) given back to replace and del.
    assert_kernel(
        ns.apply(
            Q,
            Verb::Add,
            json!({"ifindex": v1, "handle": 0x30000, "kind": "prio",
            "options": {"bands": 4, "priomap": [3,2,2,2,1,2,0,0,1,1,1,1,1,1,1,1]}}),
        ),
        "ENOENT",
        Some("Specified qdisc kind is unknown"),
        &format!("adding qdisc prio 3: parent root on link {v1}"),
    );
    ns.ok(
        Q,
        Verb::Add,
        &json!({"ifindex": v1, "handle": 0x30000, "kind": "pfifo_fast"}),
    );
    let listed = find(&on(&ns, Q, v1), &json!({"kind": "pfifo_fast"}));
    assert!(
        contains(
            &listed,
            &json!({"handle": 0x30000, "options": {"bands": 3}})
        ),
        "{listed}"
    );
    let before = tc_state(&ns, "v1");
    ns.ok(Q, Verb::Replace, &listed);
    assert_eq!(tc_state(&ns, "v1"), before);
    ns.ok(Q, Verb::Del, &listed);

    // clsact with its defaults (parent ffff:fff1, handle ffff:), ingress on the other link.
    ns.ok(Q, Verb::Add, &json!({"ifindex": v1, "kind": "clsact"}));
    ns.ok(Q, Verb::Add, &json!({"ifindex": v0, "kind": "ingress"}));
    assert_eq!(
        Value::Array(ns.tc_json(&["qdisc", "show", "dev", "v1", "clsact"])),
        json!([{"kind": "clsact", "handle": "ffff:", "parent": "ffff:fff1", "options": {}}])
    );
    let clsact = find(&on(&ns, Q, v1), &json!({"kind": "clsact"}));
    let ingress = find(&on(&ns, Q, v0), &json!({"kind": "ingress"}));
    assert!(contains(
        &ingress,
        &json!({"handle": 0xffff0000u32, "parent": 0xfffffff1u32})
    ));
    ns.ok(Q, Verb::Replace, &clsact);
    assert_kernel(
        ns.apply(Q, Verb::Add, &clsact),
        "EEXIST",
        Some("Exclusivity flag on, cannot modify"),
        &format!("adding qdisc clsact ffff: parent ffff:fff1 on link {v1}"),
    );
    // A filter on clsact's ingress, listed and given back.
    ns.ok(F, Verb::Add, &json!({"ifindex": v1, "parent": 0xfffffff2u32, "prio": 1, "protocol": 0x86dd,
        "kind": "u32", "options": {"sel": {"flags": 1, "keys": [{"mask": 0xff00, "val": 0x3a00, "off": 4}]}}}));
    let f = on(&ns, F, v1);
    let node = find(
        &f,
        &json!({"prio": 1, "protocol": 0x86dd, "options": {"sel": {"keys": [{"val": 0x3a00}]}}}),
    );
    ns.ok(F, Verb::Del, &node);
    ns.ok(Q, Verb::Del, &clsact);
    ns.ok(Q, Verb::Del, &ingress);
    assert!(on(&ns, Q, v1).iter().all(|q| q["kind"] != "clsact"));
    assert!(on(&ns, Q, v0).iter().all(|q| q["kind"] != "ingress"));
}

#[test]
fn u32_filters_and_chains() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    htb_tree(&ns, v0);
    // match ip dst 10.1.0.0/16 flowid 1:10, pref 5 protocol ip.
    let dst = json!({"ifindex": v0, "parent": 0x10000, "prio": 5, "protocol": 0x0800, "kind": "u32",
        "options": {"classid": 0x10010, "sel": {"flags": 1,
            "keys": [{"mask": 0xffff0000u32, "val": 0x0a010000, "off": 16, "offmask": 0}]}}});
    ns.ok(F, Verb::Add, &dst);
    // A filter in chain 3 (created with it) to 1:20, skip_hw.
    ns.ok(
        F,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10000, "prio": 6, "protocol": 0x0800, "kind": "u32",
        "chain": 3, "options": {"classid": 0x10020, "flags": 1,
            "sel": {"keys": [{"mask": 0xff, "val": 6, "off": 8}]}}}),
    );
    // An empty chain 7.
    ns.ok(
        CH,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10000, "chain": 7}),
    );

    let tcf = ns.tc_json(&["filter", "show", "dev", "v0"]);
    let node = tcf
        .iter()
        .find(|f| f["options"]["fh"] == "800::800")
        .unwrap();
    assert_eq!(node["pref"], 5);
    assert_eq!(node["protocol"], "ip");
    assert_eq!(node["options"]["flowid"], "1:10");
    assert_eq!(
        node["options"]["match"],
        json!({"value": "a010000", "mask": "ffff0000", "offmask": "", "off": 16})
    );
    let chain3 = ns.tc_json(&["filter", "show", "dev", "v0", "chain", "3"]);
    let n3 = chain3
        .iter()
        .find(|f| {
            f["options"]["fh"]
                .as_str()
                .is_some_and(|h| h.contains("::"))
        })
        .unwrap();
    assert_eq!(n3["options"]["flowid"], "1:20");
    assert_eq!(n3["options"]["skip_hw"], true);
    assert_eq!(
        Value::Array(ns.tc_json(&["chain", "show", "dev", "v0"])),
        json!([{"parent": "1:", "chain": 0}, {"parent": "1:", "chain": 3}, {"parent": "1:", "chain": 7}])
    );

    let f = on(&ns, F, v0);
    let listed_node = find(&f, &json!({"prio": 5, "handle": 0x80000800u32}));
    assert!(contains(&listed_node, &dst), "{listed_node} contains {dst}");
    let chains = on(&ns, CH, v0);
    assert_eq!(chains.len(), 3);
    find(
        &chains,
        &json!({"object": "chain", "chain": 7, "parent": 0x10000}),
    );

    // Replace with every listed key node changes nothing; the listed hash
    // table (800:) and the priority entry (handle 0) are the kernel's own.
    let before = tc_state(&ns, "v0");
    for node in f
        .iter()
        .filter(|f| f["handle"].as_u64().unwrap() & 0xfff != 0)
    {
        ns.ok(F, Verb::Replace, node);
    }
    assert_eq!(tc_state(&ns, "v0"), before);
    let ht = find(&f, &json!({"prio": 5, "handle": 0x80000000u32}));
    assert_kernel(
        ns.apply(F, Verb::Replace, &ht),
        "EINVAL",
        Some("cls_u32: Key node id cannot be zero"),
        &format!("replacing filter u32 800: pref 5 protocol ip chain 0 parent 1: on link {v0}"),
    );
    assert_kernel(
        ns.apply(F, Verb::Del, &ht),
        "EINVAL",
        Some("cls_u32: Not allowed to delete root node"),
        &format!("deleting filter u32 800: pref 5 protocol ip chain 0 parent 1: on link {v0}"),
    );
    assert_kernel(
        ns.apply(F, Verb::Add, &listed_node),
        "EEXIST",
        Some("Filter already exists"),
        &format!("adding filter u32 800::800 pref 5 protocol ip chain 0 parent 1: on link {v0}"),
    );
    // Replace changes a node's class.
    let mut moved = listed_node.clone();
    moved["options"]["classid"] = json!(0x10020);
    ns.ok(F, Verb::Replace, &moved);
    assert_eq!(
        find(
            &on(&ns, F, v0),
            &json!({"handle": 0x80000800u32, "prio": 5})
        )["options"]["classid"],
        0x10020
    );

    // The chain exists: add fails; del of the listed chains removes them
    // (chain 3 with its filter).
    let c7 = find(&chains, &json!({"chain": 7}));
    assert_kernel(
        ns.apply(CH, Verb::Add, &c7),
        "EEXIST",
        Some("Filter chain already exists"),
        &format!("adding chain 7 parent 1: on link {v0}"),
    );
    ns.ok(CH, Verb::Del, &c7);
    ns.ok(CH, Verb::Del, &find(&chains, &json!({"chain": 3})));
    assert_eq!(
        Value::Array(ns.tc_json(&["chain", "show", "dev", "v0"])),
        json!([{"parent": "1:", "chain": 0}])
    );
    assert!(on(&ns, F, v0).iter().all(|f| f["chain"] == 0));
    assert_kernel(
        ns.apply(CH, Verb::Del, &c7),
        "EINVAL",
        Some("Cannot find specified filter chain"),
        &format!("deleting chain 7 parent 1: on link {v0}"),
    );

    // The listed key node given back to del removes it; the listed
    // priority entry (handle 0) removes the rest of pref 5 (the kernel
    // removes the entry with its last node: a second node keeps it).
    ns.ok(
        F,
        Verb::Add,
        &json!({"ifindex": v0, "parent": 0x10000, "prio": 5, "protocol": 0x0800,
        "kind": "u32", "options": {"classid": 0x10020,
            "sel": {"keys": [{"mask": 0xffff0000u32, "val": 0x0a020000, "off": 16}]}}}),
    );
    ns.ok(F, Verb::Del, &listed_node);
    assert!(on(&ns, F, v0).iter().all(|f| f["handle"] != 0x80000800u32));
    let entry = find(&on(&ns, F, v0), &json!({"prio": 5, "handle": 0}));
    ns.ok(F, Verb::Del, &entry);
    assert!(on(&ns, F, v0).is_empty());
    assert!(ns.tc_json(&["filter", "show", "dev", "v0"]).is_empty());
}

#[test]
fn kernel_errors() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    let v1 = ns.ifindex("v1");
    htb_tree(&ns, v0);
    // No matchall classifier in this kernel.
    let e = ns.apply(
        F,
        Verb::Add,
        json!({"ifindex": v0, "parent": 0x10000, "prio": 9, "kind": "matchall",
        "options": {"classid": 0x10010}}),
    );
    assert_kernel(
        e,
        "ENOENT",
        Some("TC classifier not found"),
        &format!("adding filter matchall pref 9 protocol all parent 1: on link {v0}"),
    );
    // A class under a qdisc that does not exist.
    assert_kernel(
        ns.apply(
            C,
            Verb::Add,
            json!({"ifindex": v0, "parent": 0x50000, "handle": 0x50001, "kind": "htb",
            "options": {"parms": {"rate": {"rate": 1000}}}}),
        ),
        "ENOENT",
        None,
        &format!("adding class htb 5:1 parent 5: on link {v0}"),
    );
    // Deletes of what does not exist.
    assert_kernel(
        ns.apply(C, Verb::Del, json!({"ifindex": v0, "handle": 0x10077})),
        "ENOENT",
        None,
        &format!("deleting class 1:77 on link {v0}"),
    );
    assert_kernel(
        ns.apply(
            F,
            Verb::Del,
            json!({"ifindex": v0, "parent": 0x10000, "prio": 44}),
        ),
        "ENOENT",
        // No filter at all on 1:, so not even chain 0.
        Some("Cannot find specified filter chain"),
        &format!("deleting filter pref 44 parent 1: on link {v0}"),
    );
    assert_kernel(
        ns.apply(
            Q,
            Verb::Del,
            json!({"ifindex": v0, "parent": 0x10030, "kind": "pfifo"}),
        ),
        "ENOENT",
        Some("Specified class not found"),
        &format!("deleting qdisc pfifo parent 1:30 on link {v0}"),
    );
    // An unknown qdisc kind.
    assert_kernel(
        ns.apply(
            Q,
            Verb::Add,
            json!({"ifindex": ns.ifindex("v1"), "kind": "fq_codel"}),
        ),
        "ENOENT",
        Some("Specified qdisc kind is unknown"),
        &format!("adding qdisc fq_codel parent root on link {v1}"),
    );
    // A kernel the htb version does not match is impossible from here: the
    // encoder always sends 3. An offloaded htb needs a driver.
    assert_kernel(
        ns.apply(
            Q,
            Verb::Add,
            json!({"ifindex": ns.ifindex("v1"), "handle": 0x90000, "kind": "htb",
            "options": {"offload": true}}),
        ),
        "EOPNOTSUPP",
        Some("hw-tc-offload ethtool feature flag must be on"),
        &format!("adding qdisc htb 9: parent root on link {v1}"),
    );
}

#[test]
fn refused_fields() {
    let cases: Vec<(Kind, Verb, Value, &str)> = vec![
        (CH, Verb::Replace, json!({"ifindex": 2, "chain": 1}),
         "tcChains.replace: tcChains cannot be changed with replace; they take add, del"),
        (Q, Verb::Append, json!({"ifindex": 2}),
         "qdiscs.append: qdiscs cannot be changed with append; they take add, replace, del"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "object": "class"}),
         "qdiscs.add: object must be 'qdisc' (or absent), got 'class'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "object": "qdisc"}),
         "tcFilters.add: object must be 'filter' (or absent), got 'qdisc'"),
        (Q, Verb::Add, json!({"kind": "htb"}),
         "qdiscs.add: ifindex is required (the link's index)"),
        (F, Verb::Add, json!({"kind": "u32"}),
         "tcFilters.add: ifindex is required (the link's index, or -1 for a shared block)"),
        (Q, Verb::Add, json!({"ifindex": -1, "kind": "htb"}),
         "qdiscs.add: ifindex must be an integer from 1 to 2147483647, got -1"),
        (F, Verb::Add, json!({"ifindex": 0, "kind": "u32"}),
         "tcFilters.add: ifindex must be a link's index (1 or more), got 0"),
        (Q, Verb::Add, json!({"ifindex": 2}),
         "qdiscs.add: kind is required (the qdisc kind: 'htb', 'tbf', 'prio', 'pfifo', 'clsact', ...)"),
        (Q, Verb::Del, json!({"ifindex": 2, "handle": 0x10000}),
         "qdiscs.del: parent is required (the qdisc's parent: 4294967295 (root), a class id, or 4294967281 (ffff:fff1) for clsact/ingress)"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "handle": 0x10010}),
         "qdiscs.add: handle must be a qdisc handle (major:0, the low 16 bits 0), got 65552"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "chain": 1}),
         "qdiscs.add: unknown field 'chain'; expected one of dumpFlags, dumpInvisible, egressBlock, extWarnMsg, family, fcnt, handle, handleName, hwOffload, ifindex, info, ingressBlock, kind, leaf, leafName, object, options, parent, parentName, protocolName, rate, refcnt, stab, stats, stats2, unknown, xstats"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "options": {"init": {"version": 2}}}),
         "qdiscs.add: options.init: version must be 3 (or 196625, 0x30011, as listed), got 2"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "options": {"parms": {}}}),
         "qdiscs.add: options: parms must be absent on an htb qdisc (a class field: give it to tcClasses), got an object"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "htb", "options": {"init": {"rate2quantum": -1}}}),
         "qdiscs.add: options.init: rate2quantum must be an integer from 0 to 4294967295, got -1"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "pfifo", "options": {"limit": "50"}}),
         "qdiscs.add: options: limit must be an integer from 0 to 4294967295, got '50'"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "pfifo", "options": {"limt": 50}}),
         "qdiscs.add: options: unknown field 'limt'; expected one of limit"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "prio", "options": {"bands": 1}}),
         "qdiscs.add: options: bands must be an integer from 2 to 16, got 1"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "prio", "options": {"bands": 2, "priomap": [0, 2]}}),
         "qdiscs.add: options: priomap must be 16 bands, each from 0 to 1 (bands - 1), got [0,2]"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "prio", "options": {"multiqueue": true}}),
         "qdiscs.add: options: multiqueue must be false or absent (prio's multiqueue mode is not supported), got true"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "tbf", "options": {"burst": 1000}}),
         "qdiscs.add: options: a rate is required (parms.rate.rate in bytes/s, or rate64)"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "tbf", "options": {"parms": {"rate": {"rate": 1000}}}}),
         "qdiscs.add: options: a bucket size is required (parms.buffer in psched ticks, or burst in bytes)"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "clsact", "options": {"raw": "00"}}),
         "qdiscs.add: options: must be empty: the options of a clsact qdisc are not encoded (clsact and ingress have none; htb, tbf, prio, pfifo, bfifo and pfifo_head_drop are), got 'raw'"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "fq_codel", "options": {"limit": 5}}),
         "qdiscs.add: options: must be empty: the options of a fq_codel qdisc are not encoded (clsact and ingress have none; htb, tbf, prio, pfifo, bfifo and pfifo_head_drop are), got 'limit'"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "pfifo", "rate": {"interval": 4}}),
         "qdiscs.add: rate: interval must be an integer from -2 to 3, got 4"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "pfifo", "stab": {"data": [1, 2]}}),
         "qdiscs.add: stab: base is required (struct tc_sizespec)"),
        (Q, Verb::Add, json!({"ifindex": 2, "kind": "pfifo", "stab": {"base": {"tsize": 3}, "data": [1, 2]}}),
         "qdiscs.add: stab: base.tsize (3) must be the number of entries in data (2)"),
        (C, Verb::Add, json!({"ifindex": 2, "kind": "htb"}),
         "tcClasses.add: handle is required (the class id, major << 16 | minor)"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010}),
         "tcClasses.add: kind is required (the class kind: 'htb')"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb"}),
         "tcClasses.add: options: parms is required (struct tc_htb_opt: at least rate.rate in bytes/s)"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"parms": {"prio": 1}}}),
         "tcClasses.add: options: a rate is required (parms.rate.rate in bytes/s, or rate64), got none"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"parms": {"rate": {"rate": 1}, "prio": 8}}}),
         "tcClasses.add: options.parms: prio must be an integer from 0 to 7, got 8"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"parms": {"rate": {"rate": 1}, "ceil": {"rate": 0}}}}),
         "tcClasses.add: options: parms.ceil.rate must be more than 0 (or absent: the rate)"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"parms": {"rate": {"rate": 1, "rat": 2}}}}),
         "tcClasses.add: options.parms.rate: unknown field 'rat'; expected one of cellAlign, cellLog, linklayer, linklayerName, mpu, overhead, rate"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"rate64": -5, "parms": {}}}),
         "tcClasses.add: options: rate64 must be an integer from 0 to 18446744073709551615, got -5"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "htb", "options": {"init": {}}}),
         "tcClasses.add: options: init must be absent on an htb class (a qdisc field: give it to qdiscs), got an object"),
        (C, Verb::Add, json!({"ifindex": 2, "handle": 0x10010, "kind": "hfsc", "options": {"x": 1}}),
         "tcClasses.add: options must be absent for a hfsc class (only htb classes' options are encoded), got an object"),
        (F, Verb::Add, json!({"ifindex": 2, "prio": 1}),
         "tcFilters.add: kind is required (the classifier: 'u32' or 'matchall')"),
        (F, Verb::Del, json!({"ifindex": 2, "kind": "u32"}),
         "tcFilters.del: prio is required (the filter's priority; 0 deletes every filter of the parent)"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "prio": 65536}),
         "tcFilters.add: prio must be an integer from 0 to 65535, got 65536"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"act": "1c000100"}}),
         "tcFilters.add: options: act must be absent (filters with tc actions or policers are not supported), got '1c000100'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"police": "00"}}),
         "tcFilters.add: options: police must be absent (filters with tc actions or policers are not supported), got '00'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "matchall", "options": {"act": "00"}}),
         "tcFilters.add: options: act must be absent (filters with tc actions or policers are not supported), got '00'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "bpf", "options": {"ops": []}}),
         "tcFilters.add: options: must be absent for a bpf filter (only u32 and matchall options are encoded), got 'ops'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"divisor": 257}}),
         "tcFilters.add: options: divisor must be an integer from 1 to 256, got 257"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"sel": {"nkeys": 2, "keys": [{}]}}}),
         "tcFilters.add: options.sel: nkeys (2) must be the number of keys (1), or absent"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"sel": {"keys": [{"mask": 1, "value": 1}]}}}),
         "tcFilters.add: options.sel.keys[0]: unknown field 'value'; expected one of mask, off, offmask, val"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"sel": {"keys": [5]}}}),
         "tcFilters.add: options.sel.keys[0] must be an object { mask, val, off, offmask }"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "options": {"indev": "a-name-too-long-for-a-link"}}),
         "tcFilters.add: options: indev must be a link name of 1 to 15 bytes, got 'a-name-too-long-for-a-link'"),
        (F, Verb::Add, json!({"ifindex": 2, "kind": "u32", "stab": {}}),
         "tcFilters.add: unknown field 'stab'; expected one of chain, dumpFlags, dumpInvisible, extWarnMsg, family, fcnt, handle, handleName, hwOffload, ifindex, info, kind, leaf, leafName, object, options, parent, parentName, prio, protocol, protocolName, refcnt, stats, stats2, unknown, xstats"),
        (CH, Verb::Add, json!({"ifindex": 2}),
         "tcChains.add: chain is required (the chain index)"),
        (CH, Verb::Add, json!({"ifindex": 2, "chain": 1, "kind": "flower", "options": {}}),
         "tcChains.add: options must be absent (chain template options are not supported), got an object"),
    ];
    for (kind, verb, obj, msg) in cases {
        let e = refused(kind, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
        assert!(e.code.starts_with("ERR_"), "{e:?}");
    }
}

#[test]
fn encodes_tcmsg_and_info() {
    let r = rtnl_core::mutate::encode(F, Verb::Add, &mutns::obj(json!({"ifindex": 2, "parent": 0x10000,
        "prio": 5, "protocol": 0x0800, "info": 1, "protocolName": "ip", "kind": "u32", "chain": 0})))
    .unwrap();
    assert_eq!(r.msg_type, 44);
    assert_eq!(r.flags, 0x400 | 0x200);
    // tcm_info: prio << 16 | htons(protocol), whatever `info` was given.
    assert_eq!(
        &r.body[16..20],
        &(5u32 << 16 | 0x0800u16.to_be() as u32).to_ne_bytes()
    );
    assert_eq!(
        r.what,
        "adding filter u32 pref 5 protocol ip chain 0 parent 1: on link 2"
    );
    // u32 flags: in_hw/not_in_hw are the kernel's and are not sent.
    let r = rtnl_core::mutate::encode(
        F,
        Verb::Replace,
        &mutns::obj(json!({"ifindex": 2, "kind": "u32",
        "options": {"flags": 8 | 1}})),
    )
    .unwrap();
    let flags_attr = [8u8, 0, 11, 0, 1, 0, 0, 0];
    assert!(r.body.windows(8).any(|w| w == flags_attr), "{:?}", r.body);
}

#[test]
fn u32_hash_tables_stab_and_estimator() {
    let Some(ns) = Ns::with_veth() else { return };
    let v0 = ns.ifindex("v0");
    htb_tree(&ns, v0);
    let f = |extra: Value| {
        let mut o =
            json!({"ifindex": v0, "parent": 0x10000, "prio": 7, "protocol": 0x0800, "kind": "u32"});
        o.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        o
    };
    // Hash table 1: with 16 buckets; a node in its bucket 0; a root node
    // linking to it, hashing on the last byte of the destination.
    ns.ok(
        F,
        Verb::Add,
        &f(json!({"handle": 0x100000, "options": {"divisor": 16}})),
    );
    ns.ok(
        F,
        Verb::Add,
        &f(json!({"options": {"hash": 0x100000, "classid": 0x10010,
        "sel": {"flags": 1, "keys": [{"mask": 0xff, "val": 1, "off": 16}]}}})),
    );
    ns.ok(
        F,
        Verb::Add,
        &f(json!({"options": {"link": 0x100000, "hash": 0x80000000u32,
        "sel": {"hmask": 0x0f, "hoff": 16, "keys": [{"mask": 0, "val": 0, "off": 0}]}}})),
    );
    let tcf = ns.tc_json(&["filter", "show", "dev", "v0"]);
    assert!(
        tcf.iter()
            .any(|x| x["options"]["fh"] == "1:" && x["options"]["ht_divisor"] == 16),
        "{tcf:?}"
    );
    assert!(
        tcf.iter()
            .any(|x| x["options"]["fh"] == "1::800" && x["options"]["flowid"] == "1:10"),
        "{tcf:?}"
    );
    assert!(tcf.iter().any(|x| x["options"]["link"] == "1:"), "{tcf:?}");
    let listed = on(&ns, F, v0);
    let link = find(&listed, &json!({"options": {"link": 0x100000}}));
    assert!(
        contains(
            &link,
            &json!({"options": {"sel": {"hmask": 0x0f, "hoff": 16}}})
        ),
        "{link}"
    );
    let before = tc_state(&ns, "v0");
    for n in listed
        .iter()
        .filter(|n| n["handle"].as_u64().unwrap() & 0xfff != 0)
    {
        ns.ok(F, Verb::Replace, n);
    }
    assert_eq!(tc_state(&ns, "v0"), before);
    // The link first, then the node in the table: with its last key node
    // the kernel drops the whole priority, table 1: included.
    ns.ok(F, Verb::Del, &link);
    ns.ok(F, Verb::Del, &find(&listed, &json!({"handle": 0x100800})));
    assert!(on(&ns, F, v0).is_empty());

    // A size table and a rate estimator on a leaf qdisc.
    ns.ok(
        Q,
        Verb::Replace,
        &json!({"ifindex": v0, "parent": 0x10010, "handle": 0x100000, "kind": "pfifo",
        "options": {"limit": 30}, "rate": {"interval": 0, "ewmaLog": 2},
        "stab": {"base": {"linklayer": 1, "overhead": 14, "mtu": 2048}}}),
    );
    let q = ns.tc(&["-d", "qdisc", "show", "dev", "v0", "parent", "1:10"]);
    assert!(q.contains("pfifo 10:") && q.contains("limit 30p"), "{q}");
    assert!(q.contains("linklayer ethernet overhead 14"), "{q}");
    let listed = find(&on(&ns, Q, v0), &json!({"kind": "pfifo"}));
    assert!(
        contains(
            &listed,
            &json!({"stab": {"base": {"overhead": 14, "linklayer": 1}}})
        ),
        "{listed}"
    );
    let before = tc_state(&ns, "v0");
    ns.ok(Q, Verb::Replace, &listed);
    assert_eq!(tc_state(&ns, "v0"), before);
}
