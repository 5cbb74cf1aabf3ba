//! Decoders against real bytes captured from this kernel (tests/data/README.md
//! says how), and against truncated, corrupted and extended variants of them.

use rtnl_core::message::{decode_events, Event, Resource};

/// The one event of a message that holds one object.
fn decode_event(kind: u16, payload: &[u8]) -> Event {
    let mut events = decode_events(kind, payload);
    assert_eq!(events.len(), 1, "{events:?}");
    events.remove(0)
}
use rtnl_core::wire::{self, messages};

fn datagrams() -> Vec<(u16, Vec<u8>)> {
    include_str!("data/monitor-session.hex")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (kind, hex) = l.split_once(' ').expect("type and hex");
            let bytes = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
                .collect();
            (kind.parse().expect("type"), bytes)
        })
        .collect()
}

fn events() -> Vec<Event> {
    let mut out = Vec::new();
    for (_, d) in datagrams() {
        for m in messages(&d) {
            let m = m.expect("captured datagrams frame cleanly");
            out.push(decode_event(m.kind, m.payload));
        }
    }
    out
}

fn find<'a>(events: &'a [Event], op: &str, pred: impl Fn(&Resource) -> bool) -> &'a Resource {
    events
        .iter()
        .filter(|e| e.op == op)
        .filter_map(|e| e.resource.as_ref())
        .find(|r| pred(r))
        .unwrap_or_else(|| panic!("no {op} event matching"))
}

#[test]
fn every_captured_message_decodes_without_error() {
    let evs = events();
    assert!(evs.len() >= 70, "{} events", evs.len());
    for e in &evs {
        assert_ne!(e.op, "unknown", "undecoded message: {e:?}");
        assert!(e.error.is_none());
    }
    for op in [
        "new_link",
        "del_link",
        "new_addr",
        "del_addr",
        "new_route",
        "del_route",
        "new_neigh",
        "del_neigh",
        "new_rule",
        "del_rule",
    ] {
        assert!(evs.iter().any(|e| e.op == op), "no {op} in the capture");
    }
}

#[test]
fn link_fields() {
    let evs = events();
    let Resource::Link(l) = find(
        &evs,
        "new_link",
        |r| matches!(r, Resource::Link(l) if l.name.as_ref().is_some_and(|n| *n == "a0")),
    ) else {
        unreachable!()
    };
    assert_eq!(l.mtu, Some(1400));
    assert_eq!(l.kind.as_deref(), Some("veth"));
    assert_eq!(l.family, 0);
    assert_eq!(l.link_type, 1);
    assert_eq!(l.operstate.as_deref(), Some("DOWN"));
    assert_eq!(l.address.as_ref().map(|a| a.len()), Some(17));
    assert_eq!(l.broadcast.as_deref(), Some("ff:ff:ff:ff:ff:ff"));
    let stats = l.stats64.as_ref().expect("stats64");
    assert_eq!(stats["rxPackets"], 0);
    let Resource::Link(port) = find(
        &evs,
        "new_link",
        |r| matches!(r, Resource::Link(l) if l.name.as_ref().is_some_and(|n| *n == "b0") && l.master.is_some()),
    ) else {
        unreachable!()
    };
    let Resource::Link(br) = find(
        &evs,
        "new_link",
        |r| matches!(r, Resource::Link(l) if l.name.as_ref().is_some_and(|n| *n == "br0")),
    ) else {
        unreachable!()
    };
    assert_eq!(port.master, Some(br.index as u32));
    assert_eq!(
        port.linkinfo.as_ref().and_then(|i| i.slave_kind.as_deref()),
        Some("bridge")
    );
    assert_eq!(br.kind.as_deref(), Some("bridge"));
}

#[test]
fn address_fields() {
    let evs = events();
    let Resource::Address(a) = find(
        &evs,
        "new_addr",
        |r| matches!(r, Resource::Address(a) if a.local.as_deref() == Some("10.1.0.1")),
    ) else {
        unreachable!()
    };
    assert_eq!((a.family, a.prefixlen, a.scope), (2, 24, 0));
    assert!(a.label.as_ref().is_some_and(|l| *l == "a0:web"));
    assert_eq!(a.broadcast.as_deref(), Some("10.1.0.255"));
    assert!(a.flag_names.contains(&"permanent"));
    let Resource::Address(v6) = find(
        &evs,
        "new_addr",
        |r| matches!(r, Resource::Address(a) if a.address.as_deref() == Some("fd00::1")),
    ) else {
        unreachable!()
    };
    assert_eq!((v6.family, v6.prefixlen), (10, 64));
    assert!(v6.flag_names.contains(&"nodad"));
    find(
        &evs,
        "del_addr",
        |r| matches!(r, Resource::Address(a) if a.local.as_deref() == Some("10.1.0.1")),
    );
}

#[test]
fn route_fields() {
    let evs = events();
    let Resource::Route(r) = find(
        &evs,
        "new_route",
        |r| matches!(r, Resource::Route(r) if r.dst.as_deref() == Some("10.9.0.0")),
    ) else {
        unreachable!()
    };
    assert_eq!(
        (r.dst_len, r.table, r.priority, r.protocol, r.route_type),
        (16, 100, Some(50), 3, 1)
    );
    assert_eq!(r.gateway.as_deref(), Some("10.1.0.2"));
    let Resource::Route(mp) = find(
        &evs,
        "new_route",
        |r| matches!(r, Resource::Route(r) if r.dst.as_deref() == Some("10.10.0.0")),
    ) else {
        unreachable!()
    };
    let hops = mp.multipath.as_ref().expect("multipath");
    assert_eq!(hops.len(), 2);
    assert_eq!(
        (hops[0].gateway.as_deref(), hops[0].weight),
        (Some("10.1.0.2"), 1)
    );
    assert_eq!(
        (hops[1].gateway.as_deref(), hops[1].weight),
        (Some("10.1.0.3"), 3)
    );
    let Resource::Route(m) = find(
        &evs,
        "new_route",
        |r| matches!(r, Resource::Route(r) if r.dst.as_deref() == Some("10.11.0.0")),
    ) else {
        unreachable!()
    };
    let metrics = m.metrics.as_ref().expect("metrics");
    assert_eq!(metrics["mtu"], 1300);
    assert_eq!(metrics["advmss"], 1200);
    let Resource::Route(v6) = find(
        &evs,
        "new_route",
        |r| matches!(r, Resource::Route(r) if r.dst.as_deref() == Some("fd01::")),
    ) else {
        unreachable!()
    };
    assert_eq!((v6.family, v6.dst_len, v6.priority), (10, 48, Some(60)));
    assert_eq!(v6.gateway.as_deref(), Some("fd00::2"));
    find(
        &evs,
        "del_route",
        |r| matches!(r, Resource::Route(r) if r.dst.as_deref() == Some("10.9.0.0")),
    );
}

#[test]
fn rule_fields() {
    let evs = events();
    let Resource::Rule(r) = find(
        &evs,
        "new_rule",
        |r| matches!(r, Resource::Rule(r) if r.priority == Some(1000)),
    ) else {
        unreachable!()
    };
    assert_eq!(
        (
            r.family,
            r.src.as_deref(),
            r.src_len,
            r.fwmark,
            r.table,
            r.action
        ),
        (2, Some("10.5.0.0"), 16, Some(7), 100, 1)
    );
    let Resource::Rule(v6) = find(
        &evs,
        "new_rule",
        |r| matches!(r, Resource::Rule(r) if r.priority == Some(1001)),
    ) else {
        unreachable!()
    };
    assert_eq!(
        (v6.family, v6.dst.as_deref(), v6.dst_len, v6.table),
        (10, Some("fd00::"), 8, 1000)
    );
    let Resource::Rule(u) = find(
        &evs,
        "new_rule",
        |r| matches!(r, Resource::Rule(r) if r.priority == Some(1002)),
    ) else {
        unreachable!()
    };
    let uid = u.uid_range.as_ref().expect("uid range");
    let dport = u.dport_range.as_ref().expect("dport range");
    assert_eq!(
        (uid.start, uid.end, dport.start, dport.end, u.ip_proto),
        (100, 200, 80, 90, Some(6))
    );
    find(
        &evs,
        "del_rule",
        |r| matches!(r, Resource::Rule(r) if r.priority == Some(1000)),
    );
}

#[test]
fn neighbour_fields() {
    let evs = events();
    let Resource::Neighbour(n) = find(
        &evs,
        "new_neigh",
        |r| matches!(r, Resource::Neighbour(n) if n.dst.as_deref() == Some("10.1.0.7")),
    ) else {
        unreachable!()
    };
    assert_eq!(
        (n.family, n.state, n.lladdr.as_deref()),
        (2, 0x80, Some("02:00:00:00:ab:07"))
    );
    assert_eq!(n.state_names, vec!["permanent"]);
    find(
        &evs,
        "del_neigh",
        |r| matches!(r, Resource::Neighbour(n) if n.dst.as_deref() == Some("10.1.0.7")),
    );
}

/// Every prefix of every captured datagram: framing or decoding reports an
/// error, never a panic, and never a half-decoded resource.
#[test]
fn truncated_datagrams_are_errors_not_panics() {
    for (_, d) in datagrams() {
        for cut in 0..d.len() {
            let prefix = &d[..cut];
            for m in messages(prefix).flatten() {
                let _ = decode_event(m.kind, m.payload);
            }
        }
        // A single-message datagram cut inside its last attribute's declared
        // length, with the message length fixed up to match, is a decode error.
        let single = wire::u32_at(&d, 0) == Some(d.len() as u32);
        if single {
            let fixed = fixed_header_len(wire::u16_at(&d, 4).unwrap());
            let mut off = 16 + fixed;
            let mut last = None;
            while off + 4 <= d.len() {
                let len = wire::u16_at(&d, off).unwrap() as usize;
                if len < 4 {
                    break;
                }
                last = Some((off, len));
                off += wire::align4(len);
            }
            let (start, len) = last.expect("a message with attributes");
            let mut cut = d[..start + len - 1].to_vec();
            let total = cut.len() as u32;
            cut[..4].copy_from_slice(&total.to_ne_bytes());
            let m = messages(&cut).next().unwrap().unwrap();
            let e = decode_event(m.kind, m.payload);
            assert_eq!(
                e.op,
                "unknown",
                "cut message decoded: {e:?} from {}",
                wire::hex(&cut)
            );
            assert!(e.error.is_some());
        }
    }
}

fn fixed_header_len(kind: u16) -> usize {
    match kind {
        16 | 17 => 16,
        20 | 21 => 8,
        _ => 12,
    }
}

#[test]
fn corrupted_bytes_never_panic() {
    for (_, d) in datagrams().into_iter().take(30) {
        for i in 0..d.len() {
            for flip in [0xff_u8, 0x80, 0x01] {
                let mut c = d.clone();
                c[i] ^= flip;
                for m in messages(&c).flatten() {
                    let _ = decode_event(m.kind, m.payload);
                }
            }
        }
    }
}

#[test]
fn malformed_frames_first() {
    assert!(messages(&[]).next().is_none());
    let short = messages(&[1, 2, 3]).next().unwrap();
    assert!(short.unwrap_err().0.contains("truncated"));
    let mut bad_len = vec![0u8; 16];
    bad_len[..4].copy_from_slice(&200u32.to_ne_bytes());
    assert!(messages(&bad_len)
        .next()
        .unwrap()
        .unwrap_err()
        .0
        .contains("length 200"));
    let mut too_small = vec![0u8; 16];
    too_small[..4].copy_from_slice(&8u32.to_ne_bytes());
    assert!(messages(&too_small).next().unwrap().is_err());
    // A known type whose fixed header is short.
    let e = decode_event(16, &[0u8; 7]);
    assert_eq!(e.op, "unknown");
    assert_eq!(
        e.error.as_deref(),
        Some("ifinfomsg truncated: 7 bytes, expected at least 16")
    );
    // A type this library does not decode: its name and bytes are kept.
    let e = decode_event(64, &[0u8, 1, 2, 3]);
    assert_eq!(
        (e.op, e.rtm_type, e.error.is_none()),
        ("unknown", Some(64), true)
    );
    assert_eq!(e.type_name.as_deref(), Some("RTM_NEWNEIGHTBL"));
    assert_eq!(e.payload.as_deref(), Some("00010203"));
    // A tc action message with no action in it: its bytes, and why.
    let e = decode_event(48, &[0u8, 1, 2, 3]);
    assert_eq!((e.op, e.rtm_type), ("unknown", Some(48)));
    assert_eq!(e.type_name.as_deref(), Some("RTM_NEWACTION"));
    assert_eq!(
        e.error.as_deref(),
        Some("the tcActions message holds no entry")
    );
    let e = decode_event(999, &[]);
    assert_eq!(e.type_name.as_deref(), Some("RTM_999"));
}

/// Rebuilds a link message with its IFLA_STATS64 grown by 16 bytes (as a
/// newer kernel's longer rtnl_link_stats64 would be) and an attribute type
/// this code does not know appended.
#[test]
fn longer_stats64_and_unknown_attributes_are_kept() {
    let (_, d) = datagrams().into_iter().find(|(k, _)| *k == 16).unwrap();
    let m = messages(&d).next().unwrap().unwrap();
    let header = &m.payload[..16];
    let mut body = Vec::new();
    for (kind, data) in wire::attrs(&m.payload[16..]) {
        let mut data = data.to_vec();
        if kind == 23 {
            data.extend_from_slice(&[0xab; 16]);
        }
        push_attr(&mut body, kind, &data);
    }
    push_attr(&mut body, 999, &[1, 2, 3, 4]);
    let mut payload = header.to_vec();
    payload.extend_from_slice(&body);
    let e = decode_event(16, &payload);
    let Some(Resource::Link(l)) = e.resource else {
        panic!("{e:?}")
    };
    let stats = l.stats64.unwrap();
    assert_eq!(stats["rxPackets"], 0);
    assert_eq!(stats["extra"], "abababababababababababababababab");
    assert!(l
        .unknown
        .iter()
        .any(|u| u.kind == 999 && u.data == "01020304"));
}

fn push_attr(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&((4 + data.len()) as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(data);
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

/// The per-family details of a captured link: decoded by name with
/// `af_details`, left out (not kept as hex) without, cacheinfo either way.
#[test]
fn link_af_details_decode_by_name_from_captured_bytes() {
    use rtnl_core::link::{self, LinkDecode};
    let mut checked = 0;
    for (_, d) in datagrams() {
        for m in messages(&d).flatten() {
            if m.kind != 16 {
                continue;
            }
            let plain = link::decode(m.payload).expect("captured link decodes");
            let Some(inet6) = plain.af_spec.as_ref().and_then(|a| a.inet6.as_ref()) else {
                continue;
            };
            assert!(
                inet6.unknown.is_empty(),
                "known inet6 attributes stay out of unknown"
            );
            assert!(inet6.conf.is_none() && inet6.stats.is_none());
            assert!(plain.af_spec.as_ref().unwrap().inet.is_none());
            let cache = inet6.cacheinfo.as_ref().expect("inet6 cacheinfo");
            assert!(cache.retrans_time > 0);
            let full = link::decode_with(m.payload, LinkDecode { af_details: true }).unwrap();
            let spec = full.af_spec.as_ref().unwrap();
            let conf = spec
                .inet6
                .as_ref()
                .unwrap()
                .conf
                .as_ref()
                .expect("inet6 conf");
            // DEVCONF_MTU6 is the link's IPv6 MTU: the link MTU unless lowered.
            let mtu6 = conf["mtu6"].as_i64().unwrap();
            assert!(
                mtu6 >= 1280 && mtu6 <= full.mtu.unwrap() as i64,
                "mtu6 {mtu6}"
            );
            assert_eq!(conf["hoplimit"].as_i64(), Some(64));
            let stats = spec
                .inet6
                .as_ref()
                .unwrap()
                .stats
                .as_ref()
                .expect("inet6 stats");
            // The first element is the count of the elements that follow.
            assert!(
                stats["num"].as_u64().unwrap() as usize
                    >= rtnl_core::link_af::INET6_STATS.len() - 1
            );
            let inet = spec.inet.as_ref().expect("inet with af_details");
            assert!(inet.conf.as_ref().unwrap().contains_key("forwarding"));
            checked += 1;
        }
    }
    assert!(
        checked >= 2,
        "the capture has links with IPv6 state ({checked})"
    );
}

/// An MPLS route (`ip -f mpls route add 100 as 200/300 via inet 10.1.0.2 dev
/// a0`), hand-built from include/uapi/linux/rtnetlink.h and mpls.h: this
/// kernel has no MPLS. rtmsg family AF_MPLS (28), dst_len 20; RTA_DST the
/// label entry 100 (bottom of stack); RTA_NEWDST 200 then 300 (bottom);
/// RTA_VIA an rtvia of AF_INET 10.1.0.2; RTA_OIF 2.
#[test]
fn mpls_routes_carry_label_stacks() {
    let label = |l: u32, bos: bool| ((l << 12) | if bos { 0x100 } else { 0 }).to_be_bytes();
    let mut p = vec![28u8, 20, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0];
    push_attr(&mut p, 1, &label(100, true));
    let mut newdst = label(200, false).to_vec();
    newdst.extend_from_slice(&label(300, true));
    push_attr(&mut p, 19, &newdst);
    push_attr(&mut p, 18, &[2, 0, 10, 1, 0, 2]);
    push_attr(&mut p, 4, &2u32.to_ne_bytes());
    let e = decode_event(24, &p);
    let Some(Resource::Route(r)) = e.resource else {
        panic!("{e:?}")
    };
    assert_eq!(r.family, 28);
    assert_eq!(r.dst.as_deref(), Some("100"));
    assert_eq!(r.newdst.as_deref(), Some("200/300"));
    assert_eq!(r.via.as_deref(), Some("10.1.0.2"));
    assert_eq!(r.oif, Some(2));
    assert!(r.unknown.is_empty(), "{:?}", r.unknown);
    assert_eq!(
        rtnl_core::route::mpls_labels(&[0, 0x64, 0x01, 0x00, 0xab]),
        "1600/+ab"
    );
}
