//! tc action decoding against real bytes: the events and per-kind dumps
//! `tests/data/capture-actions.sh` recorded on Debian's 7.2 kernel (gact,
//! mirred and police are modules there; this machine's kernel has mirred
//! only), checked against what `tc -s -j actions ls` printed for the same
//! actions; plus the robustness checks every decoder passes.

mod common;

use common::{ip_json, robust, rtm_messages};
use rtnl_core::message::{decode_each, DecodeOptions, Kind, Resource};
use rtnl_core::tc_action::{self, TcAction, RTM_DELACTION, RTM_NEWACTION};
use serde_json::Value;

fn actions(file: &str) -> Vec<TcAction> {
    rtm_messages(file)
        .iter()
        .flat_map(|(_, p)| tc_action::decode(p).expect("captured message decodes"))
        .collect()
}

/// Every key tc printed for one action, compared with ours. tc 6.1 prints
/// police's rate, burst and mtu only as text, and police's two verdicts as
/// two `control_action` keys, of which JSON keeps the last (the verdict
/// under the rate, TCA_POLICE_RESULT, when there is one).
fn same_as_tc(ours: &TcAction, tc: &Value) {
    let what = format!("{} {}", tc["kind"], tc["index"]);
    for (key, value) in tc.as_object().unwrap() {
        match key.as_str() {
            "order" => assert_eq!(value, ours.order, "{what} order"),
            "kind" => assert_eq!(value, ours.kind.as_deref().unwrap(), "{what}"),
            "index" => assert_eq!(value, ours.index.unwrap(), "{what}"),
            "ref" => assert_eq!(value, ours.refcnt.unwrap(), "{what} ref"),
            "bind" => assert_eq!(value, ours.bindcnt.unwrap(), "{what} bind"),
            "control_action" => {
                let c = ours
                    .police
                    .as_ref()
                    .and_then(|p| p.result.as_ref())
                    .or(ours.control_action.as_ref())
                    .unwrap();
                assert_eq!(value["type"], c.kind.as_str(), "{what} control_action");
            }
            // tc prints a zeroed one when the kernel sent no TCA_GACT_PROB.
            "prob" if ours.gact.as_ref().unwrap().prob.is_none() => {
                assert_eq!(
                    value,
                    &serde_json::json!({"random_type": "none", "control_action": {"type": "pass"}, "val": 0}),
                    "{what}"
                );
            }
            "prob" => {
                let p = ours.gact.as_ref().unwrap().prob.as_ref().unwrap();
                assert_eq!(value["random_type"], p.random_type.as_str(), "{what}");
                assert_eq!(value["val"], p.val, "{what}");
                assert_eq!(
                    value["control_action"]["type"],
                    p.control_action.kind.as_str()
                );
            }
            "mirred_action" => assert_eq!(value, ours.mirred.as_ref().unwrap().action.as_str()),
            "direction" => assert_eq!(value, ours.mirred.as_ref().unwrap().direction.as_str()),
            // A name: lo (ifindex 1) or the capture's veth b0 (2 or 3,
            // by which end the kernel numbered first).
            "to_dev" => {
                let ifindex = ours.mirred.as_ref().unwrap().ifindex;
                assert_eq!(value, if ifindex == 1 { "lo" } else { "b0" }, "{what}");
                assert!((1..=3).contains(&ifindex), "{what}: ifindex {ifindex}");
            }
            // Seconds, from ticks (USER_HZ 100). tc read them a moment
            // after the capture's dump: a second boundary may lie between.
            "installed" | "last_used" | "first_used" | "expires" => {
                let tm = ours.tm.as_ref().unwrap();
                let ticks = match key.as_str() {
                    "installed" => tm.install,
                    "last_used" => tm.lastuse,
                    "first_used" => tm.firstuse,
                    _ => tm.expires,
                };
                let theirs = value.as_u64().unwrap();
                assert!(
                    (ticks / 100..=ticks / 100 + 1).contains(&theirs),
                    "{what} {key}: {ticks} ticks, tc {theirs} s"
                );
            }
            "stats" => {
                let s = ours.stats.as_ref().unwrap();
                let basic = s.basic.as_ref().unwrap();
                let queue = s.queue.as_ref().unwrap();
                assert_eq!(value["bytes"], basic.bytes);
                assert_eq!(value["packets"], basic.packets);
                for (k, v) in [
                    ("drops", queue.drops),
                    ("overlimits", queue.overlimits),
                    ("requeues", queue.requeues),
                    ("backlog", queue.backlog),
                    ("qlen", queue.qlen),
                ] {
                    assert_eq!(value[k], v, "{what} stats.{k}");
                }
            }
            "cookie" => assert_eq!(value, ours.cookie.as_deref().unwrap()),
            "not_in_hw" => assert_eq!(ours.in_hw_count, Some(0), "{what}"),
            "used_hw_stats" => {
                let b = ours.used_hw_stats.as_ref().unwrap();
                // TCA_ACT_HW_STATS_*: none set is "disabled".
                assert_eq!(b.value & b.selector, 0, "{what}: {value}");
                assert_eq!(value, &serde_json::json!(["disabled"]));
            }
            "overhead" => assert_eq!(
                value,
                ours.police
                    .as_ref()
                    .unwrap()
                    .rate
                    .as_ref()
                    .map_or(0, |r| r.overhead)
            ),
            other => panic!("{what}: tc printed '{other}', which this test does not compare"),
        }
    }
}

#[test]
fn each_kinds_dump_matches_tc() {
    for kind in ["gact", "mirred", "police"] {
        let ours = actions(&format!("tc-action-dump-{kind}.hex"));
        let tc = ip_json(&format!("tc-action-dump-{kind}.tc.json"));
        let theirs = tc[1]["actions"].as_array().unwrap();
        assert_eq!(tc[0]["total acts"], ours.len(), "{kind}");
        assert_eq!(theirs.len(), ours.len(), "{kind}");
        for (a, t) in ours.iter().zip(theirs) {
            assert!(
                a.unknown.is_empty() && a.options_unknown.is_empty(),
                "{a:?}"
            );
            same_as_tc(a, t);
        }
    }
}

#[test]
fn police_rates_as_set() {
    let ours = actions("tc-action-dump-police.hex");
    let by_index = |i| ours.iter().find(|a| a.index == Some(i)).unwrap();
    // police rate 1mbit burst 10k conform-exceed drop/pipe index 4
    let p = by_index(4).police.as_ref().unwrap();
    assert_eq!(p.rate.as_ref().unwrap().rate, 125_000);
    assert_eq!(p.rate64, None);
    assert_eq!(by_index(4).control_action.as_ref().unwrap().kind, "drop");
    assert_eq!(p.result.as_ref().unwrap().kind, "pipe");
    // police rate 40gbit burst 1m mtu 9000 index 3: over 2^32-1 bytes/s, so RATE64
    let p = by_index(3).police.as_ref().unwrap();
    assert_eq!(p.rate64, Some(5_000_000_000));
    assert_eq!(p.mtu, 9000);
    assert_eq!(p.result, None);
}

#[test]
fn events_carry_each_change() {
    let all = rtm_messages("tc-action-events.hex");
    let news = all.iter().filter(|(t, _)| *t == RTM_NEWACTION).count();
    let dels: Vec<_> = all.iter().filter(|(t, _)| *t == RTM_DELACTION).collect();
    // seven adds (two mirred, three gact, two police), one delete (mirred 9)
    assert_eq!(news, 7);
    assert_eq!(dels.len(), 1);
    let deleted = tc_action::decode(&dels[0].1).unwrap();
    assert_eq!(deleted.len(), 1);
    assert_eq!(deleted[0].kind.as_deref(), Some("mirred"));
    assert_eq!(deleted[0].index, Some(9));
    let m = deleted[0].mirred.as_ref().unwrap();
    assert_eq!(
        (m.action.as_str(), m.direction.as_str(), m.ifindex),
        ("mirror", "ingress", 1)
    );
    // The registry's decoder, which events and dumps share, gives the same structs.
    for (t, p) in &all {
        let mut through_registry = Vec::new();
        decode_each(Kind::TcAction, p, DecodeOptions::default(), &mut |r| {
            through_registry.push(r)
        })
        .unwrap();
        let direct: Vec<Resource> = tc_action::decode(p)
            .unwrap()
            .into_iter()
            .map(|a| Resource::TcAction(Box::new(a)))
            .collect();
        assert_eq!(through_registry, direct, "type {t}");
        assert!(!direct.is_empty());
    }
    let cookie = actions("tc-action-events.hex")
        .into_iter()
        .find(|a| a.index == Some(8))
        .unwrap();
    assert_eq!(cookie.cookie.as_deref(), Some("0a0b"));
}

#[test]
fn control_actions_are_named_as_tc_names_them() {
    let name = |v: i32| tc_action::control_action(v).kind;
    assert_eq!(name(-1), "continue");
    assert_eq!(name(2), "drop");
    assert_eq!(name(8), "trap");
    assert_eq!(name(99), "99");
    let goto = tc_action::control_action((2 << 28) | 5);
    assert_eq!(
        (goto.kind.as_str(), goto.chain, goto.jump),
        ("goto", Some(5), None)
    );
    let jump = tc_action::control_action((1 << 28) | 2);
    assert_eq!(
        (jump.kind.as_str(), jump.chain, jump.jump),
        ("jump", None, Some(2))
    );
}

#[test]
fn every_captured_message_is_robust() {
    for file in [
        "tc-action-events.hex",
        "tc-action-dump-gact.hex",
        "tc-action-dump-mirred.hex",
        "tc-action-dump-police.hex",
    ] {
        for (_, p) in rtm_messages(file) {
            robust(&p, tc_action::decode, |v| &v[0].root_unknown);
        }
    }
}
