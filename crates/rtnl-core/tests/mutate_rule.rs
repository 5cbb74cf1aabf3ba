//! Rule changes against the real kernel: add and del in a namespace of the
//! test's own, checked with `ip -j rule` and the crate's own dump, listed
//! rules fed back, the kernel's errors and every refused field.

mod mutns;

use mutns::{contains, refused, Ns};
use rtnl_core::mutate::Verb;
use rtnl_core::Kind;
use serde_json::{json, Value};

fn setup() -> Option<Ns> {
    let ns = Ns::new()?;
    ns.ip(&[
        "link", "add", "name", "va", "type", "veth", "peer", "name", "vb",
    ]);
    Some(ns)
}

/// The crate's listed rules of one family, in the kernel's order.
fn rules(ns: &Ns, family: u8) -> Vec<Value> {
    ns.list(Kind::Rule)
        .into_iter()
        .filter(|r| r["family"] == family)
        .collect()
}

fn at(ns: &Ns, family: u8, priority: u32) -> Vec<Value> {
    rules(ns, family)
        .into_iter()
        .filter(|r| r["priority"] == priority)
        .collect()
}

fn strip_unknown(v: &[Value]) -> Vec<Value> {
    v.iter()
        .map(|r| {
            let mut r = r.clone();
            r.as_object_mut().unwrap().remove("unknown");
            r
        })
        .collect()
}

#[test]
fn add_with_every_selector_and_delete_the_listed_rule() {
    let Some(ns) = setup() else { return };
    let given = json!({
        "family": 2, "priority": 1000, "src": "10.1.0.0", "srcLen": 16,
        "dst": "10.2.0.0", "dstLen": 16, "tos": 16, "iifname": "va", "oifname": "vb",
        "fwmark": 5, "fwmask": 255, "table": 100, "realms": 0x0002_0001u32, "tunId": 7,
        "protocolName": "static", "ipProto": 6, "sportRange": { "start": 1000, "end": 2000 },
        "dportRange": { "start": 80, "end": 80 }, "uidRange": { "start": 1000, "end": 2000 },
        "suppressPrefixlen": 0, "suppressIfgroup": 3, "flags": 2
    });
    ns.apply(Kind::Rule, Verb::Add, given.clone()).unwrap();
    let ip = ns.ip_json(&["-d", "rule", "show", "pref", "1000"]);
    assert_eq!(ip.len(), 1, "{ip:?}");
    let expect_ip = json!({
        "priority": 1000, "not": null, "src": "10.1.0.0", "srclen": 16, "dst": "10.2.0.0",
        "dstlen": 16, "tos": "0x10", "fwmark": "0x5", "fwmask": "0xff", "iif": "va", "oif": "vb",
        "uid_start": 1000, "uid_end": 2000, "ipproto": "tcp", "sport_start": 1000,
        "sport_end": 2000, "dport": 80, "tun_id": 7, "table": "100", "suppress_prefixlen": 0,
        "suppress_ifgroup": "3", "flow_from": "2", "flow_to": "1", "protocol": "static"
    });
    assert!(contains(&ip[0], &expect_ip), "{ip:?}");
    let listed = at(&ns, 2, 1000);
    assert_eq!(listed.len(), 1);
    let mut expect = given.clone();
    expect.as_object_mut().unwrap().remove("protocolName");
    expect["protocol"] = json!(4);
    expect["action"] = json!(1);
    assert!(contains(&listed[0], &expect), "{listed:?}");

    // Add again: the kernel's EEXIST, named by the request.
    let e = ns.apply(Kind::Rule, Verb::Add, given.clone()).unwrap_err();
    assert_eq!(e.code, "EEXIST");
    assert_eq!(
        e.message,
        "adding IPv4 rule priority 1000 not from 10.1.0.0/16 to 10.2.0.0/16 table 100: the kernel answered EEXIST (File exists)"
    );

    // The listed rule, fed back whole, deletes it; again is ENOENT.
    ns.apply(Kind::Rule, Verb::Del, listed[0].clone()).unwrap();
    assert!(at(&ns, 2, 1000).is_empty());
    assert!(ns.ip_json(&["rule", "show", "pref", "1000"]).is_empty());
    let e = ns
        .apply(Kind::Rule, Verb::Del, listed[0].clone())
        .unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert!(
        e.message.starts_with("deleting IPv4 rule priority 1000 not from 10.1.0.0/16 to 10.2.0.0/16 table 100: the kernel answered ENOENT"),
        "{}",
        e.message
    );
}

#[test]
fn actions_by_name_goto_l3mdev_big_tables_and_ipv6() {
    let Some(ns) = setup() else { return };
    let changes = vec![
        json!({ "src": "2001:db8::", "srcLen": 32, "priority": 900, "tableName": "1000" }),
        json!({ "family": 10, "priority": 901, "actionName": "nop" }),
        json!({ "family": 10, "priority": 902, "actionName": "blackhole" }),
        json!({ "family": 10, "priority": 903, "action": 7 }),
        json!({ "dst": "2001:db8:1::", "priority": 904, "actionName": "prohibit", "tunId": "18446744073709551615" }),
        json!({ "family": 2, "priority": 500, "goto": 600 }),
        json!({ "family": 2, "priority": 600, "tableName": "main", "fwmark": 1 }),
        json!({ "family": 2, "priority": 800, "l3mdev": 1 }),
        json!({ "family": 2, "priority": 801, "actionName": "lookup", "fwmark": 2 }),
    ];
    for c in &changes {
        ns.apply(Kind::Rule, Verb::Add, c.clone())
            .unwrap_or_else(|e| panic!("{c}: {e}"));
    }
    let ip6 = ns.ip_json(&["-6", "-d", "rule", "show"]);
    let by = |p: u64| ip6.iter().find(|r| r["priority"] == p).unwrap().clone();
    assert!(contains(
        &by(900),
        &json!({ "src": "2001:db8::", "srclen": 32, "table": "1000" })
    ));
    assert_eq!(by(901)["nop"], Value::Null);
    assert_eq!(by(902)["action"], "blackhole");
    assert_eq!(by(903)["action"], "unreachable");
    assert!(
        contains(
            &by(904),
            &json!({ "dst": "2001:db8:1::", "action": "prohibit" })
        ),
        "{}",
        by(904)
    );
    let ip4 = ns.ip_json(&["-d", "rule", "show"]);
    let by4 = |p: u64| ip4.iter().find(|r| r["priority"] == p).unwrap().clone();
    assert_eq!(by4(500)["goto"], 600);
    assert_eq!(by4(600)["table"], "main");
    assert_eq!(by4(800)["l3mdev"], Value::Null);
    assert_eq!(by4(801)["table"], "main", "lookup defaults to main");

    let listed6 = rules(&ns, 10);
    let l = |p: u64| listed6.iter().find(|r| r["priority"] == p).unwrap().clone();
    assert!(contains(
        &l(900),
        &json!({ "table": 1000, "tableName": "1000", "action": 1 })
    ));
    assert!(contains(
        &l(901),
        &json!({ "action": 3, "actionName": "nop", "table": 0 })
    ));
    assert!(contains(
        &l(904),
        &json!({ "action": 8, "tunId": u64::MAX })
    ));
    let listed4 = rules(&ns, 2);
    let l4 = |p: u64| listed4.iter().find(|r| r["priority"] == p).unwrap().clone();
    assert!(contains(&l4(500), &json!({ "action": 2, "goto": 600 })));
    assert!(contains(&l4(800), &json!({ "l3mdev": 1, "table": 0 })));

    // Each listed rule fed back deletes itself, and only itself.
    for r in listed4.iter().chain(&listed6) {
        let p = r["priority"].as_u64().unwrap();
        if !(500..=904).contains(&p) {
            continue;
        }
        let count = ns.list(Kind::Rule).len();
        ns.apply(Kind::Rule, Verb::Del, r.clone())
            .unwrap_or_else(|e| panic!("del {r}: {e}"));
        let after = ns.list(Kind::Rule);
        assert_eq!(after.len(), count - 1);
        assert!(!strip_unknown(&after).contains(&strip_unknown(std::slice::from_ref(r))[0]));
    }
    assert_eq!(rules(&ns, 2).len(), 3);
    assert_eq!(rules(&ns, 10).len(), 2);
}

#[test]
fn every_listed_rule_of_a_fresh_namespace_deletes_and_comes_back() {
    let Some(ns) = setup() else { return };
    let before = ns.list(Kind::Rule);
    // IPv4 (3), IPv6 (2), and the multicast routing rules (128, 129) where
    // the kernel has multicast routing tables (`ip mrule` answers; it fails
    // with EAFNOSUPPORT on a kernel built without CONFIG_IP_MROUTE).
    let mut families = vec![2, 10];
    for (flag, family) in [("-4", 128), ("-6", 129)] {
        let answers = std::process::Command::new("ip")
            .args(["-n", &ns.name, flag, "mrule", "show"])
            .output()
            .is_ok_and(|o| o.status.success());
        if answers {
            families.push(family);
        }
    }
    // The kernel dumps family by family in the order they registered, which
    // need not be numeric (IPv4 multicast registers with IPv4): compare sets.
    let mut listed: Vec<u64> = before
        .iter()
        .map(|r| r["family"].as_u64().unwrap())
        .collect();
    listed.sort_unstable();
    listed.dedup();
    assert_eq!(listed, families, "{before:?}");
    for r in &before {
        ns.apply(Kind::Rule, Verb::Del, r.clone())
            .unwrap_or_else(|e| panic!("del {r}: {e}"));
    }
    assert!(ns.list(Kind::Rule).is_empty());
    assert!(ns.ip_json(&["rule", "show"]).is_empty());
    for r in &before {
        ns.apply(Kind::Rule, Verb::Add, r.clone())
            .unwrap_or_else(|e| panic!("add {r}: {e}"));
    }
    assert_eq!(ns.list(Kind::Rule), before);
    let ip = ns.ip_json(&["rule", "show"]);
    let prios: Vec<u64> = ip.iter().map(|r| r["priority"].as_u64().unwrap()).collect();
    assert_eq!(prios, [0, 32766, 32767]);
}

#[test]
fn deleting_matches_the_given_selectors_and_treats_the_others_as_wildcards() {
    let Some(ns) = setup() else { return };
    // Two rules of one priority that differ in a selector each has: each
    // listed rule deletes itself.
    ns.apply(
        Kind::Rule,
        Verb::Add,
        json!({ "src": "10.1.0.0", "srcLen": 16, "priority": 200, "table": 100 }),
    )
    .unwrap();
    ns.apply(
        Kind::Rule,
        Verb::Add,
        json!({ "family": 2, "fwmark": 5, "priority": 200, "table": 100 }),
    )
    .unwrap();
    let listed = at(&ns, 2, 200);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["src"], "10.1.0.0");
    ns.apply(Kind::Rule, Verb::Del, listed[1].clone()).unwrap();
    assert_eq!(at(&ns, 2, 200), vec![listed[0].clone()]);
    ns.apply(Kind::Rule, Verb::Add, listed[1].clone()).unwrap();
    ns.apply(Kind::Rule, Verb::Del, listed[0].clone()).unwrap();
    assert_eq!(at(&ns, 2, 200), vec![listed[1].clone()]);

    // The kernel's limit: a selector left out (or 0) matches anything, so a
    // listed rule with fewer selectors than an earlier one of the same
    // priority deletes that earlier one.
    ns.apply(
        Kind::Rule,
        Verb::Add,
        json!({ "family": 2, "priority": 200, "table": 100 }),
    )
    .unwrap();
    let listed = at(&ns, 2, 200);
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0]["fwmark"], 5);
    ns.apply(Kind::Rule, Verb::Del, listed[1].clone()).unwrap();
    assert_eq!(
        at(&ns, 2, 200),
        vec![listed[1].clone()],
        "the fwmark rule went"
    );

    // Priority alone deletes the first rule of that priority.
    ns.apply(
        Kind::Rule,
        Verb::Add,
        json!({ "family": 2, "priority": 200, "table": 101 }),
    )
    .unwrap();
    ns.apply(
        Kind::Rule,
        Verb::Del,
        json!({ "family": 2, "priority": 200 }),
    )
    .unwrap();
    let left = at(&ns, 2, 200);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["table"], 101);
    // A table alone deletes the first rule looking it up (here: main).
    ns.apply(
        Kind::Rule,
        Verb::Del,
        json!({ "family": 2, "tableName": "main" }),
    )
    .unwrap();
    assert!(at(&ns, 2, 32766).is_empty());
    assert_eq!(at(&ns, 2, 200).len(), 1);
}

#[test]
fn the_kernels_errors_come_back_with_their_text() {
    let Some(ns) = setup() else { return };
    let e = ns
        .apply(
            Kind::Rule,
            Verb::Add,
            json!({ "family": 2, "priority": 700, "goto": 600 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EINVAL");
    assert_eq!(e.ext_ack.as_deref(), Some("Backward goto not supported"));
    assert_eq!(
        e.message,
        "adding IPv4 rule priority 700 goto 600: the kernel answered EINVAL (Invalid argument): Backward goto not supported"
    );
    let e = ns
        .apply(
            Kind::Rule,
            Verb::Add,
            json!({ "family": 2, "priority": 700, "l3mdev": 1, "table": 100 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "EINVAL");
    assert!(e.ext_ack.is_some(), "{e:?}");
    let e = ns
        .apply(
            Kind::Rule,
            Verb::Del,
            json!({ "family": 10, "priority": 4242 }),
        )
        .unwrap_err();
    assert_eq!(e.code, "ENOENT");
    assert_eq!(
        e.message,
        "deleting IPv6 rule priority 4242: the kernel answered ENOENT (No such file or directory)"
    );
}

/// FRA_DSCP (Linux 6.12), a field added through the generated types: the
/// struct's field and its decode and encode lines are all it took.
#[test]
fn a_dscp_selector_is_listed_as_given_and_the_listed_rule_deletes() {
    let Some(ns) = setup() else { return };
    let given = json!({ "family": 2, "priority": 1300, "dscp": 46, "table": 46 });
    if let Err(e) = ns.apply(Kind::Rule, Verb::Add, given) {
        // A kernel before 6.12 refuses the attribute by its number.
        assert!(
            e.message.contains("Unknown attribute") || e.message.contains("EINVAL"),
            "{}",
            e.message
        );
        eprintln!("skipped: this kernel has no FRA_DSCP ({})", e.message);
        return;
    }
    let listed = at(&ns, 2, 1300);
    assert_eq!(listed.len(), 1, "{listed:?}");
    if listed[0].get("dscp").is_none()
        && listed[0]["tos"] == 0
        && listed[0].get("unknown").is_none()
    {
        // A kernel before 6.12 may take the rule and ignore the attribute it does not know.
        eprintln!("skipped: this kernel has no FRA_DSCP (the rule came back without it)");
        return;
    }
    assert_eq!(listed[0]["dscp"], 46, "{}", listed[0]);
    assert_eq!(listed[0]["tos"], 0, "{}", listed[0]);
    assert!(
        listed[0].get("unknown").is_none(),
        "FRA_DSCP and FRA_DSCP_MASK decode: {}",
        listed[0]
    );
    if let Some(mask) = listed[0].get("dscpMask") {
        assert_eq!(mask, 63, "a full mask when none was given: {}", listed[0]);
    }
    ns.ok(Kind::Rule, Verb::Del, &listed[0]);
    assert!(at(&ns, 2, 1300).is_empty());
}

#[test]
fn invalid_fields_are_refused_before_sending() {
    let cases: Vec<(Verb, Value, &str)> = vec![
        (Verb::Add, json!({ "priority": 5 }), "rules.add: family is required (2 for IPv4 or 10 for IPv6, or a src or dst to tell it)"),
        (Verb::Add, json!({ "family": 7 }), "rules.add: family must be 2 (IPv4) or 10 (IPv6) or 128 (IPv4 multicast routing) or 129 (IPv6 multicast routing), got 7"),
        (Verb::Add, json!({ "src": "10.0.0.0", "srcLen": 33 }), "rules.add: srcLen must be an integer from 0 to 32, got 33"),
        (Verb::Add, json!({ "family": 129, "dst": "10.0.0.0" }), "rules.add: dst '10.0.0.0' is not of the object's family (IPv6, family 10)"),
        (Verb::Add, json!({ "family": 2, "dstLen": 8 }), "rules.add: dstLen 8 needs dst (a prefix without an address)"),
        (Verb::Add, json!({ "src": "10.0.0.300" }), "rules.add: src must be an IPv4 or IPv6 address, got '10.0.0.300'"),
        (Verb::Add, json!({ "family": 2, "actionName": "jump" }), "rules.add: actionName must be one of unspec, lookup, goto, nop, blackhole, unreachable, prohibit or a number from 0 to 255, got 'jump'"),
        (Verb::Add, json!({ "family": 2, "action": 4 }), "rules.add: action must be 1 (lookup), 2 (goto), 3 (nop), 6 (blackhole), 7 (unreachable) or 8 (prohibit), got 4"),
        (Verb::Add, json!({ "family": 2, "action": 0 }), "rules.add: action must be 1 (lookup), 2 (goto), 3 (nop), 6 (blackhole), 7 (unreachable) or 8 (prohibit), got 0"),
        (Verb::Add, json!({ "family": 2, "actionName": "nop", "goto": 9 }), "rules.add: goto needs action 2 (goto), the action is 3 (nop)"),
        (Verb::Add, json!({ "family": 2, "action": 2 }), "rules.add: goto is required (the priority of the rule to go to, for action goto)"),
        (Verb::Add, json!({ "family": 2, "tableName": "nosuch" }), "rules.add: tableName must be one of unspec, compat, default, main, local or a number from 0 to 4294967295, got 'nosuch'"),
        (Verb::Add, json!({ "family": 2, "l3mdev": 2 }), "rules.add: l3mdev must be 0 or 1 (look up the table of the packet's L3 master device), got 2"),
        (Verb::Add, json!({ "family": 2, "flags": 0x20 }), "rules.add: flags may hold 2 (FIB_RULE_INVERT, `not`) and the kernel's own bits 0x1d, got 0x20"),
        (Verb::Add, json!({ "family": 2, "iifname": "a-name-too-long-x" }), "rules.add: iifname must be an interface name of 1 to 15 bytes without '/' or NUL, got 'a-name-too-long-x'"),
        (Verb::Add, json!({ "family": 2, "oifname": "" }), "rules.add: oifname must be an interface name of 1 to 15 bytes without '/' or NUL, got ''"),
        (Verb::Add, json!({ "family": 10, "realms": 1 }), "rules.add: realms is for IPv4 rules only (family 2), this rule is IPv6"),
        (Verb::Add, json!({ "family": 2, "tunId": -1 }), "rules.add: tunId must be an integer from 0 to 18446744073709551615 (or it in decimal), got -1"),
        (Verb::Add, json!({ "family": 2, "sportRange": { "start": 10, "end": 70000 } }), "rules.add: sportRange.end must be an integer from 0 to 65535, got 70000"),
        (Verb::Add, json!({ "family": 2, "dportRange": { "start": 10 } }), "rules.add: dportRange.end must be an integer from 0 to 65535, got nothing"),
        (Verb::Add, json!({ "family": 2, "uidRange": { "start": 10, "end": 5 } }), "rules.add: uidRange must not end before it starts, got 10 to 5"),
        (Verb::Add, json!({ "family": 2, "uidRange": { "start": 1, "end": 5, "step": 1 } }), "rules.add: unknown field 'uidRange.step'; expected one of end, start"),
        (Verb::Add, json!({ "family": 2, "tos": 256 }), "rules.add: tos must be an integer from 0 to 255, got 256"),
        (Verb::Add, json!({ "family": 2, "dscp": 64 }), "rules.add: dscp must be an integer from 0 to 63, got 64"),
        (Verb::Add, json!({ "family": 2, "dscp": 10, "tos": 16 }), "rules.add: dscp and tos select the same bits: give one, got dscp 10 and tos 16"),
        (Verb::Add, json!({ "family": 2, "dscpMask": 63 }), "rules.add: dscp is required (the DSCP that dscpMask masks)"),
        (Verb::Del, json!({ "family": 2, "pref": 5 }), "rules.del: unknown field 'pref'; expected one of action, actionName, dportRange, dscp, dscpMask, dst, dstLen, family, flags, fwmark, fwmask, goto, iifname, ipProto, l3mdev, oifname, priority, protocol, protocolName, realms, sportRange, src, srcLen, suppressIfgroup, suppressPrefixlen, table, tableName, tos, tunId, uidRange, unknown"),
    ];
    for (verb, obj, msg) in cases {
        let e = refused(Kind::Rule, verb, obj.clone());
        assert_eq!(e.message, msg, "{obj}");
        assert!(e.code.starts_with("ERR_"), "{}", e.code);
    }
    let e = refused(Kind::Rule, Verb::Add, json!({ "family": "2" }));
    assert_eq!(e.code, "ERR_INVALID_ARG_TYPE");
    let e = refused(Kind::Rule, Verb::Replace, json!({}));
    assert_eq!(e.code, "ERR_RTNL_UNSUPPORTED");
    assert_eq!(
        e.message,
        "rules.replace: rules cannot be changed with replace; they take add, del"
    );
}
