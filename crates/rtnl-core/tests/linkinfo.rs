//! linkinfo decoders against real RTM_NEWLINK bytes captured from this
//! kernel (tests/data/README.md says how), checked against what
//! `ip -d -j link show` printed at capture time.

use rtnl_core::linkinfo::{decode_data, decode_slave_data};
use rtnl_core::wire::{self, attrs, messages};
use serde_json::{json, Map, Value};

const RTM_NEWLINK: u16 = 16;
const IFINFOMSG_LEN: usize = 16;
const IFLA_ADDRESS: u16 = 1;
const IFLA_IFNAME: u16 = 3;
const IFLA_MASTER: u16 = 10;
const IFLA_LINKINFO: u16 = 18;
const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_INFO_SLAVE_KIND: u16 = 4;
const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// What one captured RTM_NEWLINK says, with IFLA_LINKINFO taken apart.
#[derive(Debug, Default)]
struct Captured {
    index: i32,
    name: String,
    address: String,
    master: Option<u32>,
    kind: Option<String>,
    data: Option<Vec<u8>>,
    slave_kind: Option<String>,
    slave_data: Option<Vec<u8>>,
}

fn datagram(text: &str) -> Vec<u8> {
    let line = text.lines().find(|l| !l.trim().is_empty()).expect("a line");
    let (kind, hex) = line.split_once(' ').expect("type and hex");
    assert_eq!(kind, "16", "an RTM_NEWLINK datagram");
    let hex = hex.trim();
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn captured(text: &str) -> Captured {
    let d = datagram(text);
    let mut found = None;
    for m in messages(&d) {
        let m = m.expect("captured datagrams frame cleanly");
        assert_eq!(m.kind, RTM_NEWLINK);
        assert!(found.is_none(), "one message per fixture");
        let p = m.payload;
        assert!(p.len() >= IFINFOMSG_LEN);
        assert_eq!(p[0], 0, "AF_UNSPEC link message");
        let mut c = Captured {
            index: wire::i32_at(p, 4).expect("ifi_index"),
            ..Captured::default()
        };
        let mut walk = attrs(&p[IFINFOMSG_LEN..]);
        for (kind, data) in walk.by_ref() {
            match kind {
                IFLA_ADDRESS => c.address = wire::mac(data),
                IFLA_IFNAME => c.name = wire::string_of(data),
                IFLA_MASTER => c.master = wire::u32_of(data),
                IFLA_LINKINFO => {
                    let mut info = attrs(data);
                    for (k, v) in info.by_ref() {
                        match k {
                            IFLA_INFO_KIND => c.kind = Some(wire::string_of(v)),
                            IFLA_INFO_DATA => c.data = Some(v.to_vec()),
                            IFLA_INFO_SLAVE_KIND => c.slave_kind = Some(wire::string_of(v)),
                            IFLA_INFO_SLAVE_DATA => c.slave_data = Some(v.to_vec()),
                            _ => {}
                        }
                    }
                    assert!(info.error().is_none());
                }
                _ => {}
            }
        }
        assert!(walk.error().is_none());
        found = Some(c);
    }
    found.expect("a message")
}

fn bridge() -> Captured {
    captured(include_str!("data/linkinfo-bridge.hex"))
}
fn bridge_port() -> Captured {
    captured(include_str!("data/linkinfo-bridge-slave.hex"))
}
fn veth() -> Captured {
    captured(include_str!("data/linkinfo-veth.hex"))
}
fn tun() -> Captured {
    captured(include_str!("data/linkinfo-tun.hex"))
}
fn macvlan() -> Captured {
    captured(include_str!("data/linkinfo-macvlan.hex"))
}
fn vxlan() -> Captured {
    captured(include_str!("data/linkinfo-vxlan.hex"))
}

/// Every expected key has its value, and nothing went to `unknown` or
/// `error`: this kernel sends no attribute the tables lack.
fn check(m: &Map<String, Value>, expected: Value) {
    for (k, v) in expected.as_object().expect("object") {
        assert_eq!(m.get(k), Some(v), "{k} in {m:#?}");
    }
    assert!(!m.contains_key("unknown"), "undecoded attributes: {m:#?}");
    assert!(!m.contains_key("error"), "{m:#?}");
}

#[test]
fn bridge_data() {
    let c = bridge();
    assert_eq!(c.name, "br0");
    assert_eq!(c.kind.as_deref(), Some("bridge"));
    let m = decode_data("bridge", c.data.as_deref().expect("IFLA_INFO_DATA"));
    // As `ip -d -j link show br0` printed them (timers and intervals in
    // hundredths of a second, as the kernel sends them).
    check(
        &m,
        json!({
            "forwardDelay": 1500,
            "helloTime": 200,
            "maxAge": 2000,
            "ageingTime": 30000,
            "stpState": 0,
            "priority": 32768,
            "vlanFiltering": 0,
            "rootPort": 0,
            "rootPathCost": 0,
            "topologyChange": 0,
            "topologyChangeDetected": 0,
            "helloTimer": 0,
            "tcnTimer": 0,
            "topologyChangeTimer": 0,
            "groupFwdMask": 0,
            "groupAddr": "01:80:c2:00:00:00",
            "mcastSnooping": 1,
            "mcastRouter": 1,
            "mcastQueryUseIfaddr": 0,
            "mcastQuerier": 0,
            "mcastHashElasticity": 16,
            "mcastHashMax": 4096,
            "mcastLastMemberCnt": 2,
            "mcastStartupQueryCnt": 2,
            "mcastLastMemberIntvl": 100,
            "mcastMembershipIntvl": 26000,
            "mcastQuerierIntvl": 25500,
            "mcastQueryIntvl": 12500,
            "mcastQueryResponseIntvl": 1000,
            "mcastStartupQueryIntvl": 3124,
            "mcastStatsEnabled": 0,
            "mcastIgmpVersion": 2,
            "mcastMldVersion": 1,
            "nfCallIptables": 0,
            "nfCallIp6tables": 0,
            "nfCallArptables": 0,
        }),
    );
    // gc_timer runs; ip printed 0.00 seconds at its own moment.
    assert!(m["gcTimer"].is_u64());
    // The bridge id is the priority and the bridge's own address; with no
    // STP it is its own root.
    let id = format!("8000.{}", c.address);
    assert_eq!(m["bridgeId"], id);
    assert_eq!(m["rootId"], id);
    // This kernel is built without CONFIG_BRIDGE_VLAN_FILTERING: the VLAN
    // attributes are not sent at all (and ip printed none).
    for absent in ["vlanProtocol", "vlanDefaultPvid", "vlanStatsEnabled"] {
        assert!(!m.contains_key(absent), "{absent} in {m:?}");
    }
    // no_linklocal_learn, mcast_vlan_snooping, ... are bits of this.
    assert!(m["multiBoolopt"]["optval"].is_u64());
    assert!(m["multiBoolopt"]["optmask"].is_u64());
}

#[test]
fn bridge_slave_data() {
    let br = bridge();
    let c = bridge_port();
    assert_eq!(c.name, "b0");
    assert_eq!(c.kind.as_deref(), Some("veth"));
    assert_eq!(c.slave_kind.as_deref(), Some("bridge"));
    assert_eq!(c.master, Some(br.index as u32));
    let m = decode_slave_data(
        "bridge",
        c.slave_data.as_deref().expect("IFLA_INFO_SLAVE_DATA"),
    );
    // As `ip -d -j link show b0` printed them; ip names the state
    // ("disabled" is 0) and prints id/no as hex strings.
    check(
        &m,
        json!({
            "state": 0,
            "priority": 32,
            "cost": 2,
            "hairpin": false,
            "guard": false,
            "rootBlock": false,
            "fastleave": false,
            "learning": true,
            "flood": true,
            "id": 0x8001,
            "no": 1,
            "designatedPort": 32769,
            "designatedCost": 0,
            "holdTimer": 0,
            "messageAgeTimer": 0,
            "forwardDelayTimer": 0,
            "topologyChangeAck": 0,
            "configPending": 0,
            "proxyArp": false,
            "proxyArpWifi": false,
            "multicastRouter": 1,
            "mcastFlood": true,
            "bcastFlood": true,
            "mcastToUnicast": false,
            "neighSuppress": false,
            "groupFwdMask": 0,
            "vlanTunnel": false,
            "isolated": false,
            "locked": false,
        }),
    );
    let id = format!("8000.{}", br.address);
    assert_eq!(m["bridgeId"], id);
    assert_eq!(m["rootId"], id);
}

#[test]
fn tun_data() {
    let c = tun();
    assert_eq!(c.name, "tun0");
    assert_eq!(c.kind.as_deref(), Some("tun"));
    let m = decode_data("tun", c.data.as_deref().expect("IFLA_INFO_DATA"));
    check(
        &m,
        json!({
            "type": "tun",
            "typeRaw": 1,
            "pi": false,
            "vnetHdr": false,
            "multiQueue": false,
            "persist": true,
        }),
    );
    // `ip tuntap add` without user/group: neither is sent, and the queue
    // counts only come with multi_queue.
    for absent in ["owner", "group", "numqueues", "numdisabled"] {
        assert!(!m.contains_key(absent), "{absent} in {m:?}");
    }
}

#[test]
fn veth_has_no_data() {
    // A dump sends no IFLA_INFO_DATA for veth (the peer is only in requests).
    let c = veth();
    assert_eq!(c.kind.as_deref(), Some("veth"));
    assert!(c.data.is_none());
    assert!(decode_data("veth", c.data.as_deref().unwrap_or(&[])).is_empty());
}

#[test]
fn macvlan_data() {
    let c = macvlan();
    assert_eq!(c.kind.as_deref(), Some("macvlan"));
    let m = decode_data("macvlan", c.data.as_deref().expect("IFLA_INFO_DATA"));
    check(
        &m,
        json!({
            "mode": "bridge",
            "modeRaw": 4,
            "bcqueuelen": 1000,
            "usedbcqueuelen": 1000,
        }),
    );
}

#[test]
fn vxlan_data() {
    let c = vxlan();
    assert_eq!(c.kind.as_deref(), Some("vxlan"));
    let m = decode_data("vxlan", c.data.as_deref().expect("IFLA_INFO_DATA"));
    check(
        &m,
        json!({
            "id": 4242,
            "group": "10.2.3.4",
            "local": "10.2.3.5",
            "portRange": {"low": 1000, "high": 2000},
            "port": 4789,
            "learning": true,
            "ttl": 10,
            // Sent as a u8: ip printed "ttl 10", not "inherit".
            "ttlInherit": false,
            // ip names these: "unset" is 0.
            "df": 0,
            "ageing": 300,
            "udpCsum": true,
            "udpZeroCsum6Tx": false,
            "udpZeroCsum6Rx": false,
        }),
    );
    // ip printed the lower device's name, a0; the kernel sends its index.
    let a0 = veth();
    assert_eq!(a0.name, "a0");
    assert_eq!(m["link"], json!(a0.index));
}

#[test]
fn captured_bytes_truncated_anywhere_never_panic() {
    let cases: [(Captured, bool, &str); 5] = [
        (bridge(), false, "bridge"),
        (bridge_port(), true, "bridge"),
        (tun(), false, "tun"),
        (macvlan(), false, "macvlan"),
        (vxlan(), false, "vxlan"),
    ];
    for (c, slave, kind) in cases {
        let data = if slave { c.slave_data } else { c.data }.expect("data");
        let whole = if slave {
            decode_slave_data(kind, &data)
        } else {
            decode_data(kind, &data)
        };
        for cut in 0..data.len() {
            let m = if slave {
                decode_slave_data(kind, &data[..cut])
            } else {
                decode_data(kind, &data[..cut])
            };
            // A cut never invents a value: what decodes agrees with the
            // whole message, and the attribute cut short is only kept raw.
            let agreeing = m.iter().filter(|(k, v)| whole.get(*k) == Some(*v)).count();
            let extra = ["unknown", "error", "errorData"]
                .iter()
                .filter(|k| m.contains_key(**k))
                .count();
            assert_eq!(m.len(), agreeing + extra, "{kind} cut at {cut}: {m:?}");
        }
        // Decoding under another kind keeps everything as unknown.
        let other = decode_data("not-a-kind", &data);
        assert_eq!(other.len(), 1);
        assert!(!other["unknown"].as_array().expect("array").is_empty());
    }
}
