//! prefix::decode and nduseropt::decode against the RTM_NEWPREFIX and
//! RTM_NEWNDUSEROPT messages the kernel sent when a forged router
//! advertisement (__test__/fixtures/ra.py) reached an interface with
//! accept_ra=2 (tests/data/README.md), and hand-built options.

mod common;

use common::{attr, ifindex, ip_json, messages, robust, unhex};
use rtnl_core::nduseropt::{self, NdOption, NdUserOption};
use rtnl_core::prefix::{self, Prefix, PrefixCacheInfo};

/// The router's link-local address, as `ip -j -6 addr show dev v3` printed it.
fn router() -> String {
    let j = ip_json("ra-router.ip.json");
    j[0]["addr_info"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["scope"] == "link")
        .and_then(|a| a["local"].as_str())
        .unwrap()
        .to_string()
}

#[test]
fn prefix_from_the_advertisement() {
    let msgs = messages("ra-events.hex");
    let (_, p) = msgs
        .iter()
        .find(|(k, _)| *k == prefix::RTM_NEWPREFIX)
        .unwrap();
    assert_eq!(
        prefix::decode(p).unwrap(),
        Prefix {
            family: 10,
            ifindex: ifindex("ra-links.ip.json", "v4") as i32,
            prefix_type: 3,
            prefix_len: 64,
            // 6.18 passes the option's flag byte: L|A.
            flags: 0xc0,
            flag_names: vec!["onlink", "autoconf"],
            address: Some("2001:db8:1::".into()),
            cacheinfo: Some(PrefixCacheInfo {
                preferred_time: 14400,
                valid_time: 86400
            }),
            unknown: vec![],
        }
    );
}

#[test]
fn prefix_flags_of_older_kernels() {
    // prefixmsg as kernels up to 6.6 built it: IF_PREFIX_ONLINK | IF_PREFIX_AUTOCONF.
    let mut p = vec![10, 0, 0, 0, 2, 0, 0, 0, 3, 64, 0x03, 0];
    p.extend(attr(1, &unhex("20010db8000100000000000000000000")));
    let d = prefix::decode(&p).unwrap();
    assert_eq!(d.flag_names, vec!["onlink", "autoconf"]);
    assert_eq!(d.address.as_deref(), Some("2001:db8:1::"));
    p[10] = 0x20 | 0x10;
    assert_eq!(
        prefix::decode(&p).unwrap().flag_names,
        vec!["router-address", "pd-preferred"]
    );
}

fn useropts() -> Vec<NdUserOption> {
    messages("ra-events.hex")
        .iter()
        .filter(|(k, _)| *k == nduseropt::RTM_NEWNDUSEROPT)
        .map(|(_, p)| nduseropt::decode(p).unwrap())
        .collect()
}

#[test]
fn one_message_per_option() {
    let ours = useropts();
    assert_eq!(ours.len(), 3);
    let base = NdUserOption {
        family: 10,
        ifindex: ifindex("ra-links.ip.json", "v4") as i32,
        icmp_type: 134,
        srcaddr: Some(router()),
        ..NdUserOption::default()
    };
    // What ra.py sent: prefix 2001:db8:1::/64 (L|A, 86400/14400 s),
    // RDNSS 2001:db8::53 and DNSSL example.com, lan.example.org (600 s).
    assert_eq!(
        ours[0],
        NdUserOption {
            options_hex: "030440c000015180000038400000000020010db8000100000000000000000000".into(),
            options: vec![NdOption {
                kind: 3,
                type_name: Some("prefix"),
                prefix: Some("2001:db8:1::".into()),
                prefix_len: Some(64),
                flags: Some(0xc0),
                valid_lifetime: Some(86400),
                preferred_lifetime: Some(14400),
                ..NdOption::default()
            }],
            ..base.clone()
        }
    );
    assert_eq!(
        ours[1].options,
        vec![NdOption {
            kind: 25,
            type_name: Some("rdnss"),
            lifetime: Some(600),
            servers: Some(vec!["2001:db8::53".into()]),
            ..NdOption::default()
        }]
    );
    assert_eq!(
        ours[2].options,
        vec![NdOption {
            kind: 31,
            type_name: Some("dnssl"),
            lifetime: Some(600),
            domains: Some(vec!["example.com".into(), "lan.example.org".into()]),
            ..NdOption::default()
        }]
    );
    for o in &ours {
        assert_eq!(
            (o.srcaddr.as_ref(), o.unknown.len()),
            (base.srcaddr.as_ref(), 0)
        );
    }
}

/// An nduseroptmsg around hand-built options (RFC 4861 / 8106 / 8910 / 8781).
fn with_options(opts: &[u8]) -> Vec<u8> {
    let mut p = vec![10, 0];
    p.extend((opts.len() as u16).to_ne_bytes());
    p.extend(2i32.to_ne_bytes());
    p.extend([134, 0, 0, 0, 0, 0, 0, 0]);
    p.extend_from_slice(opts);
    p.extend(attr(1, &unhex("fe800000000000000000000000000001")));
    p
}

#[test]
fn other_options() {
    // Captive portal (37): "https://cp.example/" padded to 8-byte units.
    let mut cp = vec![37, 3];
    cp.extend(b"https://cp.example/");
    cp.resize(24, 0);
    // PREF64 (38): scaled lifetime 75 (600 s), PLC 1 (/64), 64:ff9b::
    let mut pref64 = vec![38, 2];
    pref64.extend(((75u16 << 3) | 1).to_be_bytes());
    pref64.extend(unhex("0064ff9b0000000000000000"));
    // An option type not decoded (MTU, 5), and an RDNSS too short for an address.
    let mtu = unhex("0501000000000578");
    let short = unhex("1901000000000258");
    let d = nduseropt::decode(&with_options(&[cp, pref64, mtu, short].concat())).unwrap();
    assert_eq!(d.options[0].uri.as_deref(), Some("https://cp.example/"));
    assert_eq!(d.options[0].type_name, Some("captive-portal"));
    assert_eq!(
        (
            d.options[1].prefix.as_deref(),
            d.options[1].prefix_len,
            d.options[1].lifetime
        ),
        (Some("64:ff9b::"), Some(64), Some(600))
    );
    assert_eq!(
        d.options[2],
        NdOption {
            kind: 5,
            data: Some("000000000578".into()),
            ..NdOption::default()
        }
    );
    assert_eq!(
        d.options[3],
        NdOption {
            kind: 25,
            data: Some("000000000258".into()),
            ..NdOption::default()
        }
    );
    assert_eq!(d.srcaddr.as_deref(), Some("fe80::1"));
    // A DNSSL whose label runs past the option: its bytes, not a guess.
    let bad = unhex("1f02000000000258" /* lifetime */)
        .into_iter()
        .chain(unhex("3f61626300000000"))
        .collect::<Vec<u8>>();
    let d = nduseropt::decode(&with_options(&bad)).unwrap();
    assert_eq!(d.options[0].domains, None);
    assert!(d.options[0].data.is_some());
    // Framing: a zero-length option, or one running past opts_len, fails the message.
    assert!(nduseropt::decode(&with_options(&unhex("1900000000000000"))).is_err());
    assert!(nduseropt::decode(&with_options(&unhex("1903000000000258"))).is_err());
}

#[test]
fn truncated_corrupted_extended() {
    for (kind, p) in messages("ra-events.hex") {
        if kind == prefix::RTM_NEWPREFIX {
            robust(&p, prefix::decode, |n| &n.unknown);
        } else {
            robust(&p, nduseropt::decode, |n| &n.unknown);
        }
    }
}
