//! Requests against the real kernel, in a namespace of the test's own. Needs
//! root (CAP_SYS_ADMIN for setns, CAP_NET_ADMIN to change things); skipped
//! with a message otherwise.

use std::process::Command;

use rtnl_core::dump::{self, Filter};
use rtnl_core::get::{self, LinkSelector, RouteQuery};
use rtnl_core::socket::{Recv, RouteSocket};
use rtnl_core::{nsthread, protocol};
use rtnl_core::{wire, Kind, Netns, Resource};

struct TestNetns(String);

impl TestNetns {
    fn new(tag: &str) -> Option<Self> {
        if unsafe { libc::geteuid() } != 0 {
            eprintln!("skipped: needs root to create network namespaces");
            return None;
        }
        let name = format!("rtnl-cargo-{tag}-{}", std::process::id());
        let ok = Command::new("ip")
            .args(["netns", "add", &name])
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(ok, "ip netns add {name}");
        Some(TestNetns(name))
    }

    fn ip(&self, args: &[&str]) {
        let status = Command::new("ip")
            .arg("-n")
            .arg(&self.0)
            .args(args)
            .status()
            .expect("ip");
        assert!(status.success(), "ip {args:?}");
    }

    fn netns(&self) -> Netns {
        Netns::Name(self.0.clone())
    }
}

impl Drop for TestNetns {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

#[test]
fn a_rejected_request_carries_the_kernels_extended_ack() {
    let Some(ns) = TestNetns::new("extack") else {
        return;
    };
    let err = nsthread::run_in(&ns.netns(), |_| {
        let sock = RouteSocket::open()?;
        sock.enable_dump_options();
        // A route dump whose header sets rtm_dst_len: strict checking rejects it.
        let mut req = vec![0u8; 28];
        req[..4].copy_from_slice(&28u32.to_ne_bytes());
        req[4..6].copy_from_slice(&26u16.to_ne_bytes()); // RTM_GETROUTE
        req[6..8].copy_from_slice(&0x301u16.to_ne_bytes()); // NLM_F_REQUEST | NLM_F_DUMP
        req[16] = 2; // AF_INET
        req[17] = 8; // rtm_dst_len
        sock.send(&req)?;
        let mut buf = vec![0u8; 65536];
        // A failed dump answers with NLMSG_DONE carrying the error (or NLMSG_ERROR).
        for _ in 0..10 {
            if let Recv::Datagram { len, .. } = sock.recv(&mut buf, false) {
                for m in wire::messages(&buf[..len]).flatten() {
                    if m.kind == wire::NLMSG_ERROR || m.kind == wire::NLMSG_DONE {
                        return Ok(protocol::kernel_error(&m, "dumping routes"));
                    }
                }
            }
        }
        panic!("no error reply")
    })
    .unwrap();
    assert_eq!(err.code, "EINVAL");
    let ext = err.ext_ack.clone().expect("an extended ack");
    assert!(
        ext.contains("Invalid values in header for FIB dump request"),
        "{ext}"
    );
    assert!(err.message.ends_with(&ext), "{}", err.message);
}

#[test]
fn filters_are_applied() {
    let Some(ns) = TestNetns::new("filter") else {
        return;
    };
    ns.ip(&["link", "set", "lo", "up"]);
    ns.ip(&["route", "add", "blackhole", "10.1.0.0/16", "table", "100"]);
    ns.ip(&["route", "add", "blackhole", "10.2.0.0/16", "table", "1000"]);
    ns.ip(&[
        "-6",
        "route",
        "add",
        "blackhole",
        "fd00::/16",
        "table",
        "100",
    ]);
    let only = |f: Filter| -> Vec<(u8, u32, Option<String>)> {
        dump::list(Kind::Route, &ns.netns(), f)
            .unwrap()
            .into_iter()
            .map(|r| match r {
                Resource::Route(r) => (r.family, r.table, r.dst),
                _ => unreachable!(),
            })
            .collect()
    };
    assert_eq!(
        only(Filter {
            table: Some(1000),
            ..Filter::default()
        }),
        vec![(2, 1000, Some("10.2.0.0".into()))]
    );
    let t100 = only(Filter {
        table: Some(100),
        ..Filter::default()
    });
    assert_eq!(t100.len(), 2);
    assert_eq!(
        only(Filter {
            table: Some(100),
            family: Some(10),
            ..Filter::default()
        }),
        vec![(10, 100, Some("fd00::".into()))]
    );
    let v4 = only(Filter {
        family: Some(2),
        ..Filter::default()
    });
    assert!(v4.iter().all(|(f, _, _)| *f == 2));
}

#[test]
fn get_link_and_get_route() {
    let Some(ns) = TestNetns::new("get") else {
        return;
    };
    ns.ip(&["link", "set", "lo", "up"]);
    let lo = nsthread::run_in(&ns.netns(), |_| {
        get::get_link_here(&LinkSelector::Name("lo".into()), Default::default())
    })
    .unwrap()
    .unwrap();
    assert_eq!((lo.index, lo.mtu), (1, Some(65536)));
    let none = nsthread::run_in(&ns.netns(), |_| {
        get::get_link_here(&LinkSelector::Index(4242), Default::default())
    })
    .unwrap();
    assert!(none.is_none());
    let q = RouteQuery {
        dst: "127.0.0.9".into(),
        ..Default::default()
    };
    let r = nsthread::run_in(&ns.netns(), move |_| get::get_route_here(&q)).unwrap();
    assert_eq!(
        (r.type_name.as_ref(), r.oif, r.dst.as_deref()),
        ("local", Some(1), Some("127.0.0.9"))
    );
}
