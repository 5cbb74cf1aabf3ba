//! Kernel names as bytes, and configured number names: what the JS side
//! relies on to round-trip names and print `ip`'s table names.

use rtnl_core::names::parse_name_file;
use rtnl_core::wire::{name_of, KernelName};

#[test]
fn a_utf8_name_serialises_as_itself() {
    let n = name_of(b"eth0\0\0\0");
    assert_eq!(n, KernelName(b"eth0".to_vec()));
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"eth0\"");
    assert_eq!(
        serde_json::to_string(&name_of("vé\"th".as_bytes())).unwrap(),
        "\"vé\\\"th\""
    );
}

#[test]
fn invalid_bytes_become_lone_surrogates_that_json_can_carry() {
    // 'n' 0xff 0xfe, as `ip link add $'n\xff\xfe' type ifb` makes it.
    let n = name_of(&[0x6e, 0xff, 0xfe, 0]);
    assert_eq!(serde_json::to_string(&n).unwrap(), "\"n\\udcff\\udcfe\"");
    // A valid multi-byte char next to an invalid byte stays whole.
    let mixed = KernelName(vec![0xc3, 0xa9, 0x80]);
    assert_eq!(serde_json::to_string(&mixed).unwrap(), "\"é\\udc80\"");
    // Inside a struct, through serde_json's raw value.
    #[derive(serde::Serialize)]
    struct Holder {
        name: KernelName,
    }
    let h = Holder { name: n.clone() };
    assert_eq!(
        serde_json::to_string(&h).unwrap(),
        "{\"name\":\"n\\udcff\\udcfe\"}"
    );
    assert_eq!(n.lossy(), "n\u{fffd}\u{fffd}");
}

#[test]
fn names_come_back_from_hex() {
    assert_eq!(
        KernelName::from_hex("6eff"),
        Some(KernelName(vec![0x6e, 0xff]))
    );
    assert_eq!(KernelName::from_hex("6ef"), None);
    assert_eq!(KernelName::from_hex("zz"), None);
}

#[test]
fn iproute2_name_files_parse_as_ip_reads_them() {
    let mut map = Vec::new();
    parse_name_file(
        "#\n# reserved values\n#\n255\tlocal\n254 main # the main table\n0x10 hex\n  77   vpn  \nbad line\n300\n254 main2\n",
        &mut map,
    );
    map.sort();
    assert_eq!(
        map,
        vec![
            (16, "hex".to_string()),
            (77, "vpn".to_string()),
            (254, "main2".to_string()),
            (255, "local".to_string()),
        ]
    );
}
