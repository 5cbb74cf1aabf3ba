//! Links (`ip link`): RTM_NEWLINK / RTM_DELLINK, struct ifinfomsg + IFLA_*.

use serde::Serialize;
use serde_with::skip_serializing_none;
use ts_rs::TS;

use serde_json::{Map, Value};

use crate::change::{self, Request, Verb};
use crate::error::Error;
use crate::fields;
use crate::kind::{new_del, zeroed_header, Dump, Key, KindDecl, KindDef};
use crate::linkinfo;
use crate::netns::Netns;
use crate::protocol::push_attr;
use crate::spec::{invalid, Spec};
use crate::wire::{
    self, attrs, check, mac, name_of, need, string_of, u32_of, u8_of, DecodeError, KernelName,
    UnknownAttr,
};

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
/// sizeof(struct ifinfomsg)
pub const HEADER_LEN: usize = 16;

/// Links (`ip link`): keyed by ifindex in events, by name in a desired state.
pub const LINKS: KindDef<Link> = KindDef {
    decl: KindDecl {
        name: "links",
        ops: &new_del((RTM_NEWLINK, "new_link"), (RTM_DELLINK, "del_link")),
        get_type: Some(RTM_GETLINK),
        header_len: HEADER_LEN,
        groups: &["LINK"],
        dump: Dump::Bodies { bodies: |f| vec![zeroed_header(HEADER_LEN, f.family.unwrap_or(0))], empty_when: None },
        get: None,
        encode: Some(encode),
        list_filters: &[],
        moving: &["stats64", "change", "event"],
        scope_keys: &["kind", "group"],
        watch_key: Key::of(
            &["index"],
            "the kernel keys a link by its ifindex: a name can change (ip link set name) and be taken by a new link",
        ),
        desired_key: Some(Key::of(
            &["name"],
            "a desired link has no ifindex until it exists, so it is named; another kind under that name is another link",
        )),
    },
    decode: |p, o, each| { each(decode_with(p, o.link)?); Ok(()) },
    keeps: |l, f| f.family_is(l.family),
};

const IFLA_ADDRESS: u16 = 1;
const IFLA_BROADCAST: u16 = 2;
pub const IFLA_IFNAME: u16 = 3;
const IFLA_MTU: u16 = 4;
const IFLA_LINK: u16 = 5;
const IFLA_QDISC: u16 = 6;
const IFLA_STATS: u16 = 7;
const IFLA_MASTER: u16 = 10;
const IFLA_TXQLEN: u16 = 13;
const IFLA_OPERSTATE: u16 = 16;
const IFLA_LINKMODE: u16 = 17;
const IFLA_LINKINFO: u16 = 18;
const IFLA_IFALIAS: u16 = 20;
const IFLA_STATS64: u16 = 23;
const IFLA_GROUP: u16 = 27;
const IFLA_PROMISCUITY: u16 = 30;
const IFLA_NUM_TX_QUEUES: u16 = 31;
const IFLA_NUM_RX_QUEUES: u16 = 32;
const IFLA_CARRIER: u16 = 33;
const IFLA_CARRIER_CHANGES: u16 = 35;
const IFLA_LINK_NETNSID: u16 = 37;
const IFLA_PROTO_DOWN: u16 = 39;
const IFLA_GSO_MAX_SEGS: u16 = 40;
const IFLA_GSO_MAX_SIZE: u16 = 41;
const IFLA_CARRIER_UP_COUNT: u16 = 47;
const IFLA_CARRIER_DOWN_COUNT: u16 = 48;
const IFLA_MIN_MTU: u16 = 50;
const IFLA_MAX_MTU: u16 = 51;
const IFLA_ALT_IFNAME: u16 = 53;
const IFLA_PROP_LIST: u16 = 52;
const IFLA_PERM_ADDRESS: u16 = 54;
const IFLA_PARENT_DEV_NAME: u16 = 56;
const IFLA_PARENT_DEV_BUS_NAME: u16 = 57;
const IFLA_MAP: u16 = 14;
const IFLA_AF_SPEC: u16 = 26;
const IFLA_XDP: u16 = 43;
const IFLA_EVENT: u16 = 44;
const IFLA_GRO_MAX_SIZE: u16 = 58;
const IFLA_TSO_MAX_SIZE: u16 = 59;
const IFLA_TSO_MAX_SEGS: u16 = 60;
const IFLA_ALLMULTI: u16 = 61;
const IFLA_GSO_IPV4_MAX_SIZE: u16 = 63;
const IFLA_GRO_IPV4_MAX_SIZE: u16 = 64;
const IFLA_NETNS_IMMUTABLE: u16 = 67;

const IFLA_XDP_ATTACHED: u16 = 2;
const IFLA_XDP_PROG_ID: u16 = 4;

const IFLA_DEVLINK_PORT: u16 = 62;
const IFLA_DPLL_PIN: u16 = 65;
const IFLA_MAX_PACING_OFFLOAD_HORIZON: u16 = 66;
const IFLA_HEADROOM: u16 = 68;
const IFLA_TAILROOM: u16 = 69;

const IFLA_INET_CONF: u16 = 1;

const IFLA_INET6_FLAGS: u16 = 1;
const IFLA_INET6_CONF: u16 = 2;
const IFLA_INET6_STATS: u16 = 3;
const IFLA_INET6_CACHEINFO: u16 = 5;
const IFLA_INET6_ICMP6STATS: u16 = 6;
const IFLA_INET6_TOKEN: u16 = 7;
const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
const IFLA_INET6_RA_MTU: u16 = 9;

/// IFF_* bit names, as the kernel (and `ip`) name them.
pub(crate) const FLAG_NAMES: [(u32, &str); 19] = [
    (0x1, "UP"),
    (0x2, "BROADCAST"),
    (0x4, "DEBUG"),
    (0x8, "LOOPBACK"),
    (0x10, "POINTOPOINT"),
    (0x20, "NOTRAILERS"),
    (0x40, "RUNNING"),
    (0x80, "NOARP"),
    (0x100, "PROMISC"),
    (0x200, "ALLMULTI"),
    (0x400, "MASTER"),
    (0x800, "SLAVE"),
    (0x1000, "MULTICAST"),
    (0x2000, "PORTSEL"),
    (0x4000, "AUTOMEDIA"),
    (0x8000, "DYNAMIC"),
    (0x10000, "LOWER_UP"),
    (0x20000, "DORMANT"),
    (0x40000, "ECHO"),
];

const IFLA_INFO_KIND: u16 = 1;
const IFLA_INFO_DATA: u16 = 2;
const IFLA_INFO_SLAVE_KIND: u16 = 4;
const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// Field names of struct rtnl_link_stats64, in kernel order. A longer struct
/// from a newer kernel decodes this prefix; its extra counters are kept in
/// `stats64Extra`.
const STATS64_FIELDS: [&str; 25] = [
    "rxPackets",
    "txPackets",
    "rxBytes",
    "txBytes",
    "rxErrors",
    "txErrors",
    "rxDropped",
    "txDropped",
    "multicast",
    "collisions",
    "rxLengthErrors",
    "rxOverErrors",
    "rxCrcErrors",
    "rxFrameErrors",
    "rxFifoErrors",
    "rxMissedErrors",
    "txAbortedErrors",
    "txCarrierErrors",
    "txFifoErrors",
    "txHeartbeatErrors",
    "txWindowErrors",
    "rxCompressed",
    "txCompressed",
    "rxNohandler",
    "rxOtherhostDropped",
];

/// IF_OPER_* as `ip` prints them.
pub(crate) fn operstate_name(v: u8) -> String {
    match v {
        0 => "UNKNOWN",
        1 => "NOTPRESENT",
        2 => "DOWN",
        3 => "LOWERLAYERDOWN",
        4 => "TESTING",
        5 => "DORMANT",
        6 => "UP",
        other => return format!("{other}"),
    }
    .to_string()
}

/// IFLA_LINKINFO: what kind of link it is (veth, bridge, vlan, ...) and its
/// kind's settings; for a port, its master's kind and the port's settings there.
///
/// @category Links
/// @example
/// ```ts
/// import { links, type LinkInfoDataOf, type LinkSlaveDataOf } from 'rtnl'
///
/// for (const l of await links.list()) {
///   if (l.linkinfo?.kind === 'vlan') console.log(l.name, 'vlan id', (l.linkinfo.data as LinkInfoDataOf<'vlan'>).id)
///   if (l.linkinfo?.slaveKind === 'bridge') console.log(l.name, 'port state', (l.linkinfo.slaveData as LinkSlaveDataOf<'bridge'>).state)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct LinkInfo {
    /// IFLA_INFO_KIND: 'veth', 'bridge', 'tun', ...
    pub kind: Option<String>,
    /// IFLA_INFO_SLAVE_KIND, e.g. 'bridge' for a bridge port.
    pub slave_kind: Option<String>,
    /// IFLA_INFO_DATA decoded for `kind` (veth, bridge, tun, vlan, macvlan, ipvlan, vxlan, bond,
    /// vrf, wireguard, gre family): camelCase keys after `ip -d -j`, raw kernel units; attributes
    /// this version does not know are in `unknown`. Typed per kind in src/generated/linkinfo.ts
    /// (written from linkinfo.rs's tables): `LinkInfoDataOf<'bridge'>` is the data of a bridge.
    #[ts(type = "LinkInfoData", optional)]
    pub data: Option<serde_json::Map<String, serde_json::Value>>,
    /// IFLA_INFO_SLAVE_DATA decoded for `slaveKind` (bridge, bond, vrf ports): `LinkSlaveDataOf<'bridge'>` for a bridge port.
    #[ts(type = "LinkSlaveData", optional)]
    pub slave_data: Option<serde_json::Map<String, serde_json::Value>>,
}

/// IFLA_XDP: the XDP program attached to a link.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   if (l.xdp && l.xdp.attached !== 'none') console.log(`${l.name}: XDP program ${l.xdp.progId} (${l.xdp.attached})`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Xdp {
    /// XDP_ATTACHED_*: 'none', 'drv', 'generic', 'hw' or 'multi'.
    pub attached: String,
    /// IFLA_XDP_PROG_ID: the attached program's id.
    pub prog_id: Option<u32>,
    /// IFLA_XDP_* attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// struct rtnl_link_ifmap (IFLA_MAP): the I/O resources of old ISA-style
/// hardware (`ifconfig`'s map); zeros on almost every device.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) if (l.map?.irq) console.log(l.name, 'irq', l.map.irq, 'base', l.map.baseAddr.toString(16))
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IfMap {
    /// mem_start: the start of the shared memory.
    pub mem_start: u64,
    /// mem_end: its end.
    pub mem_end: u64,
    /// base_addr: the I/O base address.
    pub base_addr: u64,
    /// irq: the interrupt line.
    pub irq: u16,
    /// dma: the DMA channel.
    pub dma: u8,
    /// port: the media port (if_port).
    pub port: u8,
}

/// struct ifla_cacheinfo (IFLA_INET6_CACHEINFO).
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   const ci = l.afSpec?.inet6?.cacheinfo
///   if (ci) console.log(l.name, `reachable time ${ci.reachableTime} ms, retransmit ${ci.retransTime} ms`)
/// }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Inet6CacheInfo {
    /// max_reasm_len: the largest datagram the link reassembles.
    pub max_reasm_len: u32,
    /// When the link's IPv6 state was created, in hundredths of a second since boot.
    pub tstamp: u32,
    /// The current (randomised) neighbour reachable time, in ms.
    pub reachable_time: u32,
    /// The neighbour solicitation retransmit time, in ms.
    pub retrans_time: u32,
}

type Numbers = serde_json::Map<String, serde_json::Value>;

/// Numbers by name, from a kernel array: devconf (`forwarding`, `acceptRa`,
/// `mtu6`, ... after DEVCONF_* / IPV4_DEVCONF_*) or statistics (`inpkts`,
/// `outoctets`, ... after IPSTATS_MIB_* / ICMP6_MIB_*; `num` is the count the
/// kernel sends first). `extra` is the hex of elements newer than this library.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list({ afDetails: true })) {
///   const conf = l.afSpec?.inet6?.conf
///   if (conf) console.log(l.name, 'accept_ra', conf.acceptRa, 'forwarding', conf.forwarding)
/// }
/// ```
#[derive(TS)]
#[ts(type = "Record<string, number | string>")]
pub struct AfNumbers;

/// rtnl_link_stats64 counters (numbers: exact up to 2^53). `extra` is the hex of counters newer than this library.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   const st = l.stats64
///   if (st) console.log(l.name, `rx ${st.rxBytes} B, tx ${st.txBytes} B, ${st.rxDropped} dropped`)
/// }
/// ```
#[derive(TS)]
#[ts(type = "Record<string, number | string>")]
pub struct LinkStats64;

/// IFLA_AF_SPEC[AF_INET6]: a link's IPv6 settings.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   const v6 = l.afSpec?.inet6
///   if (v6) console.log(l.name, 'addrgenmode', v6.addrGenMode, 'token', v6.token, 'RA MTU', v6.raMtu)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Inet6Spec {
    /// IFLA_INET6_FLAGS: IF_* bits (IF_RS_SENT 0x10, IF_RA_RCVD 0x20, IF_RA_MANAGED 0x40, IF_RA_OTHERCONF 0x80, IF_READY 0x80000000).
    pub flags: Option<u32>,
    /// 'eui64', 'none', 'stable_secret' or 'random'.
    pub addr_gen_mode: Option<String>,
    /// IFLA_INET6_TOKEN: the interface identifier token (`ip token`); '::' when none is set.
    pub token: Option<String>,
    /// IFLA_INET6_RA_MTU: the MTU the last router advertisement gave.
    pub ra_mtu: Option<u32>,
    /// IFLA_INET6_CACHEINFO: reachable and retransmit times.
    pub cacheinfo: Option<Inet6CacheInfo>,
    /// The link's net.ipv6.conf sysctls (with `afDetails`).
    #[ts(as = "Option<AfNumbers>")]
    pub conf: Option<Numbers>,
    /// Per-link IPv6 statistics (with `afDetails`).
    #[ts(as = "Option<AfNumbers>")]
    pub stats: Option<Numbers>,
    /// Per-link ICMPv6 statistics (with `afDetails`).
    #[ts(as = "Option<AfNumbers>")]
    pub icmp6_stats: Option<Numbers>,
    /// IFLA_INET6_* attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_AF_SPEC[AF_INET] (with `afDetails` only).
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list({ afDetails: true })) console.log(l.name, 'rp_filter', l.afSpec?.inet?.conf?.rpFilter)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct InetSpec {
    /// The link's net.ipv4.conf sysctls.
    #[ts(as = "Option<AfNumbers>")]
    pub conf: Option<Numbers>,
    /// IFLA_INET_* attributes this version does not decode, as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

/// IFLA_AF_SPEC: per-family settings. `inet` appears with `afDetails`; other
/// families (AF_BRIDGE, AF_MPLS, ...) are kept in `unknown` by family number.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// const lo = await links.get({ name: 'lo' }, { afDetails: true })
/// console.log(lo?.afSpec?.inet?.conf?.forwarding, lo?.afSpec?.inet6?.conf?.disableIpv6)
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct AfSpec {
    /// AF_INET: the IPv4 sysctls (with `afDetails`).
    pub inet: Option<InetSpec>,
    /// AF_INET6: IPv6 settings, and with `afDetails` its sysctls and statistics.
    pub inet6: Option<Inet6Spec>,
    /// Other families, by family number (AF_BRIDGE 7, AF_MPLS 28, ...), as hex.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

pub use crate::kind::LinkDecode;

/// A network interface, as `links.list()` returns it and a link event
/// carries it (struct ifinfomsg and its IFLA_* attributes), with the names
/// `ip link` prints. Changes take {@link LinkInput}, the same struct plus
/// what a listing cannot give back.
///
/// @category Links
/// @example
/// ```ts
/// import { links } from 'rtnl'
///
/// for (const l of await links.list()) {
///   const up = l.flagNames.includes('UP')
///   console.log(`${l.index}: ${l.name} ${l.kind ?? ''} mtu ${l.mtu} ${up ? 'UP' : 'DOWN'} ${l.operstate} ${l.address ?? ''}`)
/// }
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(optional_fields)]
pub struct Link {
    /// ifi_family (0, AF_UNSPEC, for ordinary links).
    pub family: u8,
    /// ifi_type, an ARPHRD_* number: 1 ether, 772 loopback, 65534 none (tun).
    #[serde(rename = "type")]
    pub link_type: u16,
    /// ifindex.
    pub index: i32,
    /// ifi_flags, IFF_* bits (IFF_UP = 1).
    pub flags: u32,
    /// The IFF_* bits of `flags` by name: 'UP', 'BROADCAST', 'LOWER_UP', ...
    pub flag_names: Vec<&'static str>,
    /// ifi_change: the flags this message reports as changed (0 in dumps).
    pub change: u32,
    /// IFLA_IFNAME: the interface name (the kernel sends it on every link message). Bytes that are not UTF-8 arrive as lone surrogates U+DC80..U+DCFF ({@link escapeText} prints them as `\xNN`).
    #[ts(as = "KernelName")]
    pub name: Option<KernelName>,
    /// Link-layer address, lower-case colon hex.
    pub address: Option<String>,
    /// IFLA_BROADCAST: the link-layer broadcast address.
    pub broadcast: Option<String>,
    /// IFLA_PERM_ADDRESS: the hardware's permanent address.
    pub perm_address: Option<String>,
    /// IFLA_MTU (sent on every link message).
    #[ts(as = "u32")]
    pub mtu: Option<u32>,
    /// IFLA_MIN_MTU: the smallest MTU the device takes.
    pub min_mtu: Option<u32>,
    /// IFLA_MAX_MTU: the largest MTU the device takes.
    pub max_mtu: Option<u32>,
    /// IFLA_LINK: the peer or lower device's ifindex (possibly in another namespace).
    pub link: Option<u32>,
    /// ifindex of the master (bridge, bond, vrf).
    pub master: Option<u32>,
    /// IFLA_INFO_KIND, e.g. 'veth', 'bridge', 'tun'.
    pub kind: Option<String>,
    /// IFLA_OPERSTATE (sent on every link message): 'UP', 'DOWN', 'LOWERLAYERDOWN', 'UNKNOWN', ... as `ip` prints it.
    #[ts(as = "String")]
    pub operstate: Option<String>,
    /// IFLA_LINKMODE: 0 default, 1 dormant (held dormant until a supplicant says otherwise).
    pub linkmode: Option<u8>,
    /// IFLA_QDISC: the root qdisc's kind ('noqueue', 'fq_codel', ...).
    pub qdisc: Option<String>,
    /// IFLA_TXQLEN: the transmit queue length, packets.
    pub txqlen: Option<u32>,
    /// IFLA_GROUP: the device group (0, `default`).
    pub group: Option<u32>,
    /// IFLA_PROMISCUITY: how many users put the device in promiscuous mode.
    pub promiscuity: Option<u32>,
    /// IFLA_NUM_TX_QUEUES: transmit queues.
    pub num_tx_queues: Option<u32>,
    /// IFLA_NUM_RX_QUEUES: receive queues.
    pub num_rx_queues: Option<u32>,
    /// IFLA_GSO_MAX_SIZE: the largest GSO packet the device takes, bytes.
    pub gso_max_size: Option<u32>,
    /// IFLA_GSO_MAX_SEGS: the most segments of a GSO packet.
    pub gso_max_segs: Option<u32>,
    /// IFLA_GSO_IPV4_MAX_SIZE: the largest IPv4 GSO packet, bytes.
    pub gso_ipv4_max_size: Option<u32>,
    /// IFLA_GRO_MAX_SIZE: the largest packet GRO builds, bytes.
    pub gro_max_size: Option<u32>,
    /// IFLA_GRO_IPV4_MAX_SIZE: the largest IPv4 packet GRO builds, bytes.
    pub gro_ipv4_max_size: Option<u32>,
    /// IFLA_TSO_MAX_SIZE: the largest TSO packet the hardware takes, bytes.
    pub tso_max_size: Option<u32>,
    /// IFLA_TSO_MAX_SEGS: the most TSO segments the hardware takes.
    pub tso_max_segs: Option<u32>,
    /// IFLA_ALLMULTI: how many users asked for every multicast packet.
    pub allmulti: Option<u32>,
    /// IFLA_NETNS_IMMUTABLE: 1 when the link cannot move to another namespace.
    pub netns_immutable: Option<u8>,
    /// IFLA_DEVLINK_PORT's attributes, as hex (often an empty list).
    pub devlink_port: Option<Vec<UnknownAttr>>,
    /// IFLA_DPLL_PIN's attributes, as hex (often an empty list).
    pub dpll_pin: Option<Vec<UnknownAttr>>,
    /// How far ahead (ns) the device may schedule paced packets.
    pub max_pacing_offload_horizon: Option<u64>,
    /// Extra bytes the device needs before a packet.
    pub headroom: Option<u16>,
    /// Extra bytes the device needs after a packet.
    pub tailroom: Option<u16>,
    /// IFLA_IFALIAS: the alias (`ip link set ... alias`).
    pub ifalias: Option<KernelName>,
    /// IFLA_PROP_LIST: the alternative names (`ip link property add ... altname`).
    pub alt_names: Option<Vec<KernelName>>,
    /// IFLA_CARRIER: 1 when the link has carrier.
    pub carrier: Option<u8>,
    /// IFLA_CARRIER_CHANGES: how often the carrier went up or down.
    pub carrier_changes: Option<u32>,
    /// IFLA_CARRIER_UP_COUNT: how often the carrier came up.
    pub carrier_up_count: Option<u32>,
    /// IFLA_CARRIER_DOWN_COUNT: how often the carrier went down.
    pub carrier_down_count: Option<u32>,
    /// IFLA_PROTO_DOWN: 1 when a protocol (a VRRP daemon, say) holds the link down.
    pub proto_down: Option<u8>,
    /// IFLA_LINK_NETNSID: the namespace, by its id, where `link` (a veth's peer, a tunnel's lower device) is.
    pub link_netnsid: Option<i32>,
    /// IFLA_PARENT_DEV_BUS_NAME: the bus of the parent device ('pci', ...).
    pub parent_bus: Option<String>,
    /// IFLA_PARENT_DEV_NAME: the parent device ('0000:00:1f.6', ...).
    pub parent_dev: Option<String>,
    /// IFLA_LINKINFO: the link's kind and its settings.
    pub linkinfo: Option<LinkInfo>,
    /// IFLA_AF_SPEC: per-family settings (IPv6 token and address generation mode; with `afDetails`, the sysctls and statistics).
    pub af_spec: Option<AfSpec>,
    /// IFLA_XDP: the XDP program attached.
    pub xdp: Option<Xdp>,
    /// IFLA_MAP: I/O resources of old hardware.
    pub map: Option<IfMap>,
    /// IFLA_EVENT: why the kernel sent this notification (events only).
    pub event: Option<u32>,
    /// IFLA_STATS64: the counters (`rxBytes`, `txPackets`, `rxDropped`, ...).
    #[ts(as = "Option<LinkStats64>")]
    pub stats64: Option<serde_json::Map<String, serde_json::Value>>,
    /// Attributes this version does not decode.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<_>", optional)]
    pub unknown: Vec<UnknownAttr>,
}

fn decode_linkinfo(payload: &[u8]) -> Result<LinkInfo, DecodeError> {
    let mut info = LinkInfo::default();
    let (mut data, mut slave_data) = (None, None);
    let mut walk = attrs(payload);
    for (kind, value) in walk.by_ref() {
        match kind {
            IFLA_INFO_KIND => info.kind = Some(string_of(value)),
            IFLA_INFO_SLAVE_KIND => info.slave_kind = Some(string_of(value)),
            IFLA_INFO_DATA => data = Some(value),
            IFLA_INFO_SLAVE_DATA => slave_data = Some(value),
            _ => {}
        }
    }
    check(&walk, "IFLA_LINKINFO")?;
    // The kinds may follow their data: decode once all four are known.
    info.data = data.map(|d| linkinfo::decode_data(info.kind.as_deref().unwrap_or(""), d));
    info.slave_data = slave_data
        .map(|d| linkinfo::decode_slave_data(info.slave_kind.as_deref().unwrap_or(""), d));
    Ok(info)
}

fn decode_xdp(data: &[u8]) -> Result<Xdp, DecodeError> {
    let mut xdp = Xdp::default();
    let mut walk = attrs(data);
    for (kind, value) in walk.by_ref() {
        match kind {
            IFLA_XDP_ATTACHED => {
                xdp.attached = match u8_of(value) {
                    Some(0) => "none".into(),
                    Some(1) => "drv".into(),
                    Some(2) => "generic".into(),
                    Some(3) => "hw".into(),
                    Some(4) => "multi".into(),
                    other => format!("{}", other.unwrap_or(0)),
                }
            }
            IFLA_XDP_PROG_ID => xdp.prog_id = u32_of(value),
            _ => xdp.unknown.push(UnknownAttr::new(kind, value)),
        }
    }
    check(&walk, "IFLA_XDP")?;
    if xdp.attached.is_empty() {
        xdp.attached = "none".into();
    }
    Ok(xdp)
}

fn decode_af_spec(data: &[u8], how: LinkDecode) -> Result<AfSpec, DecodeError> {
    use crate::link_af::{named_array, Element, ICMP6_STATS, INET6_CONF, INET6_STATS, INET_CONF};
    let mut spec = AfSpec::default();
    let mut walk = attrs(data);
    for (family, value) in walk.by_ref() {
        if family == wire::AF_INET as u16 {
            if !how.af_details {
                continue;
            }
            let mut inet = InetSpec::default();
            let mut inner = attrs(value);
            for (kind, v) in inner.by_ref() {
                match kind {
                    IFLA_INET_CONF => inet.conf = Some(named_array(v, &INET_CONF, Element::U32)),
                    _ => inet.unknown.push(UnknownAttr::new(kind, v)),
                }
            }
            check(&inner, "IFLA_AF_SPEC inet")?;
            spec.inet = Some(inet);
            continue;
        }
        if family != wire::AF_INET6 as u16 {
            spec.unknown.push(UnknownAttr::new(family, value));
            continue;
        }
        let mut inet6 = Inet6Spec::default();
        let mut inner = attrs(value);
        for (kind, v) in inner.by_ref() {
            match kind {
                IFLA_INET6_FLAGS => inet6.flags = u32_of(v),
                IFLA_INET6_TOKEN => inet6.token = Some(wire::ip(v)),
                IFLA_INET6_RA_MTU => inet6.ra_mtu = u32_of(v),
                IFLA_INET6_ADDR_GEN_MODE => {
                    inet6.addr_gen_mode = u8_of(v).map(|m| match m {
                        0 => "eui64".to_string(),
                        1 => "none".to_string(),
                        2 => "stable_secret".to_string(),
                        3 => "random".to_string(),
                        other => format!("{other}"),
                    })
                }
                IFLA_INET6_CACHEINFO if v.len() >= 16 => {
                    inet6.cacheinfo = Some(Inet6CacheInfo {
                        max_reasm_len: u32_of(v).unwrap_or(0),
                        tstamp: wire::u32_at(v, 4).unwrap_or(0),
                        reachable_time: wire::u32_at(v, 8).unwrap_or(0),
                        retrans_time: wire::u32_at(v, 12).unwrap_or(0),
                    })
                }
                IFLA_INET6_CONF | IFLA_INET6_STATS | IFLA_INET6_ICMP6STATS if !how.af_details => {}
                IFLA_INET6_CONF => inet6.conf = Some(named_array(v, &INET6_CONF, Element::I32)),
                IFLA_INET6_STATS => inet6.stats = Some(named_array(v, &INET6_STATS, Element::U64)),
                IFLA_INET6_ICMP6STATS => {
                    inet6.icmp6_stats = Some(named_array(v, &ICMP6_STATS, Element::U64))
                }
                _ => inet6.unknown.push(UnknownAttr::new(kind, v)),
            }
        }
        check(&inner, "IFLA_AF_SPEC inet6")?;
        spec.inet6 = Some(inet6);
    }
    check(&walk, "IFLA_AF_SPEC")?;
    Ok(spec)
}

/// A nest kept attribute by attribute, as hex.
fn nested(data: &[u8]) -> Vec<UnknownAttr> {
    attrs(data).map(|(k, v)| UnknownAttr::new(k, v)).collect()
}

fn decode_map(d: &[u8]) -> Option<IfMap> {
    Some(IfMap {
        mem_start: wire::u64_at(d, 0)?,
        mem_end: wire::u64_at(d, 8)?,
        base_addr: wire::u64_at(d, 16)?,
        irq: wire::u16_at(d, 24)?,
        dma: wire::u8_at(d, 26)?,
        port: wire::u8_at(d, 27)?,
    })
}

/// struct rtnl_link_stats64 by field name (IFLA_STATS64; stats.rs reuses it).
pub(crate) fn decode_stats64(data: &[u8]) -> serde_json::Map<String, serde_json::Value> {
    let mut map = serde_json::Map::new();
    for (i, name) in STATS64_FIELDS.iter().enumerate() {
        if let Some(v) = wire::u64_at(data, i * 8) {
            map.insert((*name).to_string(), v.into());
        }
    }
    let known = STATS64_FIELDS.len() * 8;
    if data.len() > known {
        map.insert("extra".to_string(), wire::hex(&data[known..]).into());
    }
    map
}

/// Decodes the body of an RTM_NEWLINK/RTM_DELLINK message (after nlmsghdr),
/// without the per-family details. The same function serves events and dumps.
pub fn decode(payload: &[u8]) -> Result<Link, DecodeError> {
    decode_with(payload, LinkDecode::default())
}

/// `decode`, with the details `how` asks for.
pub fn decode_with(payload: &[u8], how: LinkDecode) -> Result<Link, DecodeError> {
    need(payload, HEADER_LEN, "ifinfomsg")?;
    let mut link = Link {
        family: payload[0],
        link_type: wire::u16_at(payload, 2).unwrap_or(0),
        index: wire::i32_at(payload, 4).unwrap_or(0),
        flags: wire::u32_at(payload, 8).unwrap_or(0),
        change: wire::u32_at(payload, 12).unwrap_or(0),
        ..Link::default()
    };
    let mut walk = attrs(&payload[HEADER_LEN..]);
    for (kind, data) in walk.by_ref() {
        match kind {
            IFLA_ADDRESS => link.address = Some(mac(data)),
            IFLA_BROADCAST => link.broadcast = Some(mac(data)),
            IFLA_PERM_ADDRESS => link.perm_address = Some(mac(data)),
            IFLA_IFNAME => link.name = Some(name_of(data)),
            IFLA_MTU => link.mtu = u32_of(data),
            IFLA_MIN_MTU => link.min_mtu = u32_of(data),
            IFLA_MAX_MTU => link.max_mtu = u32_of(data),
            IFLA_LINK => link.link = u32_of(data),
            IFLA_MASTER => link.master = u32_of(data),
            IFLA_QDISC => link.qdisc = Some(string_of(data)),
            IFLA_TXQLEN => link.txqlen = u32_of(data),
            IFLA_OPERSTATE => link.operstate = u8_of(data).map(operstate_name),
            IFLA_LINKMODE => link.linkmode = u8_of(data),
            IFLA_GROUP => link.group = u32_of(data),
            IFLA_PROMISCUITY => link.promiscuity = u32_of(data),
            IFLA_NUM_TX_QUEUES => link.num_tx_queues = u32_of(data),
            IFLA_NUM_RX_QUEUES => link.num_rx_queues = u32_of(data),
            IFLA_GSO_MAX_SIZE => link.gso_max_size = u32_of(data),
            IFLA_GSO_MAX_SEGS => link.gso_max_segs = u32_of(data),
            IFLA_IFALIAS => link.ifalias = Some(name_of(data)),
            IFLA_CARRIER => link.carrier = u8_of(data),
            IFLA_CARRIER_CHANGES => link.carrier_changes = u32_of(data),
            IFLA_CARRIER_UP_COUNT => link.carrier_up_count = u32_of(data),
            IFLA_CARRIER_DOWN_COUNT => link.carrier_down_count = u32_of(data),
            IFLA_PROTO_DOWN => link.proto_down = u8_of(data),
            IFLA_LINK_NETNSID => link.link_netnsid = wire::i32_at(data, 0),
            IFLA_PARENT_DEV_NAME => link.parent_dev = Some(string_of(data)),
            IFLA_PARENT_DEV_BUS_NAME => link.parent_bus = Some(string_of(data)),
            IFLA_PROP_LIST => {
                let mut names = Vec::new();
                let mut inner = attrs(data);
                for (k, v) in inner.by_ref() {
                    if k == IFLA_ALT_IFNAME {
                        names.push(name_of(v));
                    }
                }
                check(&inner, "IFLA_PROP_LIST")?;
                link.alt_names = Some(names);
            }
            IFLA_LINKINFO => {
                let info = decode_linkinfo(data)?;
                link.kind = info.kind.clone();
                link.linkinfo = Some(info);
            }
            IFLA_STATS64 => link.stats64 = Some(decode_stats64(data)),
            IFLA_GSO_IPV4_MAX_SIZE => link.gso_ipv4_max_size = u32_of(data),
            IFLA_GRO_MAX_SIZE => link.gro_max_size = u32_of(data),
            IFLA_GRO_IPV4_MAX_SIZE => link.gro_ipv4_max_size = u32_of(data),
            IFLA_TSO_MAX_SIZE => link.tso_max_size = u32_of(data),
            IFLA_TSO_MAX_SEGS => link.tso_max_segs = u32_of(data),
            IFLA_ALLMULTI => link.allmulti = u32_of(data),
            IFLA_NETNS_IMMUTABLE => link.netns_immutable = u8_of(data),
            IFLA_AF_SPEC => link.af_spec = Some(decode_af_spec(data, how)?),
            IFLA_DEVLINK_PORT => link.devlink_port = Some(nested(data)),
            IFLA_DPLL_PIN => link.dpll_pin = Some(nested(data)),
            IFLA_MAX_PACING_OFFLOAD_HORIZON => {
                link.max_pacing_offload_horizon =
                    wire::u64_at(data, 0).or(u32_of(data).map(u64::from))
            }
            IFLA_HEADROOM => link.headroom = wire::u16_at(data, 0),
            IFLA_TAILROOM => link.tailroom = wire::u16_at(data, 0),
            IFLA_XDP => link.xdp = Some(decode_xdp(data)?),
            IFLA_MAP if data.len() >= 28 => link.map = decode_map(data),
            IFLA_EVENT => link.event = u32_of(data),
            // The 32-bit copy of IFLA_STATS64, which is always sent beside it.
            IFLA_STATS => {}
            _ => link.unknown.push(UnknownAttr::new(kind, data)),
        }
    }
    check(&walk, "link attributes")?;
    link.flag_names = wire::bit_names(link.flags, &FLAG_NAMES);
    Ok(link)
}

const IFLA_NET_NS_PID: u16 = 19;
pub const IFLA_NET_NS_FD: u16 = 28;
const VETH_INFO_PEER: u16 = 1;
/// The ifi_flags that `flags` / `flagNames` turn on (and only those named,
/// ifi_change carrying them): the others are the kernel's state (RUNNING,
/// LOWER_UP, ...) or counts of every user (PROMISC, ALLMULTI), which a
/// listed object carries and a request must not take as a wish. The
/// binding's JS checks that those match the link (src/mutate.ts); here they
/// are left out.
const FLAGS_TURNED_ON: u32 = 0x1 | 0x80 | 0x1000 | 0x8000; // UP, NOARP, MULTICAST, DYNAMIC
/// The flags `setFlags` turns on or off, as `ip link set` does (`up`/`down`,
/// `arp`, `multicast`, `promisc`, `allmulticast`, `dynamic`).
pub const SET_FLAGS: [(u32, &str); 6] = [
    (0x1, "UP"),
    (0x80, "NOARP"),
    (0x1000, "MULTICAST"),
    (0x100, "PROMISC"),
    (0x200, "ALLMULTI"),
    (0x8000, "DYNAMIC"),
];
const IFNAMSIZ: usize = 16;

const VERBS: [Verb; 3] = [Verb::Add, Verb::Set, Verb::Del];

/// Link kinds this kernel family knows by name; others are refused before
/// sending. A known kind the running kernel lacks comes back as the
/// kernel's EOPNOTSUPP "Unknown device type".
const KINDS: &[&str] = &[
    "veth",
    "bridge",
    "macvlan",
    "macvtap",
    "vxlan",
    "ifb",
    "dummy",
    "vlan",
    "bond",
    "vrf",
    "ipvlan",
    "ipvtap",
    "wireguard",
    "gre",
    "gretap",
    "erspan",
    "ip6gre",
    "ip6gretap",
    "ip6erspan",
    "ipip",
    "sit",
    "ip6tnl",
    "vti",
    "vti6",
    "geneve",
    "bareudp",
    "nlmon",
    "team",
    "macsec",
    "netdevsim",
    "xfrm",
    "hsr",
    "vcan",
    "vxcan",
    "tun",
];

/// The Link fields an add or set can change. With READ_ONLY, every field of
/// the struct: what del ignores (it needs only the identity).
const SETTABLE: &[&str] = &[
    "flags",
    "flagNames",
    "address",
    "broadcast",
    "mtu",
    "link",
    "master",
    "kind",
    "linkmode",
    "txqlen",
    "group",
    "numTxQueues",
    "numRxQueues",
    "gsoMaxSize",
    "gsoMaxSegs",
    "gsoIpv4MaxSize",
    "groMaxSize",
    "groIpv4MaxSize",
    "ifalias",
    "protoDown",
    "linkinfo",
];

/// What a link decode reports and a request cannot change.
const READ_ONLY: &[&str] = &[
    "family",
    "type",
    "change",
    "permAddress",
    "minMtu",
    "maxMtu",
    "operstate",
    "qdisc",
    "promiscuity",
    "tsoMaxSize",
    "tsoMaxSegs",
    "allmulti",
    "netnsImmutable",
    "devlinkPort",
    "dpllPin",
    "maxPacingOffloadHorizon",
    "headroom",
    "tailroom",
    "altNames",
    "carrier",
    "carrierChanges",
    "carrierUpCount",
    "carrierDownCount",
    "linkNetnsid",
    "parentBus",
    "parentDev",
    "afSpec",
    "xdp",
    "map",
    "event",
    "stats64",
    "unknown",
];

fn ifname<'a>(spec: &mut Spec<'a>, field: &'a str) -> Result<Option<&'a str>, Error> {
    let Some(name) = spec.str(field)? else {
        return Ok(None);
    };
    check_ifname(
        spec,
        field,
        name.as_bytes(),
        &serde_json::Value::from(name).to_string(),
    )?;
    Ok(Some(name))
}

/// The kernel's rule for an interface name (dev_valid_name), and '/', ':'
/// and NUL, which a name cannot hold: `shown` is the name in the error.
fn check_ifname(spec: &Spec<'_>, field: &str, name: &[u8], shown: &str) -> Result<(), Error> {
    if name.is_empty()
        || name.len() >= IFNAMSIZ
        || name
            .iter()
            .any(|&b| matches!(b, b'/' | b':' | 0 | b' ' | b'\t'..=b'\r'))
    {
        return Err(invalid(format!(
            "{}: {field} must be an interface name of 1 to 15 bytes without '/', ':', NUL or white space, got {shown}",
            spec.what()
        )));
    }
    Ok(())
}

/// The link's name as bytes: `name` (text) or `nameHex` (its bytes in hex,
/// which src/name.ts sends for a name that is not UTF-8, so that a link
/// listed with such a name can be set and deleted).
fn link_name(spec: &mut Spec<'_>) -> Result<Option<KernelName>, Error> {
    if let Some(hex) = spec.str("nameHex")? {
        let name = KernelName::from_hex(hex).ok_or_else(|| {
            invalid(format!(
                "{}: nameHex must be the hex of the name's bytes, got '{hex}'",
                spec.what()
            ))
        })?;
        check_ifname(spec, "name", &name.0, &name.json_literal())?;
        return Ok(Some(name));
    }
    Ok(ifname(spec, "name")?.map(KernelName::from))
}

/// `netns`: where the link goes. 'host' (the namespace of the process), or
/// one of { name } (an `ip netns` name), { path } (a namespace file), { pid }.
fn netns_of(spec: &mut Spec<'_>, v: &Value) -> Result<Netns, Error> {
    let bad = || {
        invalid(format!(
            "{}: netns must be 'host', {{ name }}, {{ path }} or {{ pid }}, got {}",
            spec.what(),
            v
        ))
    };
    if v.as_str() == Some("host") {
        return Ok(Netns::Host);
    }
    let o = v.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
    let (k, val) = o.iter().next().ok_or_else(bad)?;
    match (k.as_str(), val) {
        ("name", Value::String(s)) if !s.is_empty() && !s.contains('/') => {
            Ok(Netns::Name(s.clone()))
        }
        ("path", Value::String(s)) if !s.is_empty() => Ok(Netns::Path(s.clone())),
        ("pid", p) => p
            .as_u64()
            .filter(|&n| n > 0 && n <= u32::MAX as u64)
            .map(|n| Netns::Pid(n as u32))
            .ok_or_else(bad),
        _ => Err(bad()),
    }
}

/// VETH_INFO_PEER: a struct ifinfomsg, then the peer's name (and its
/// namespace, by pid: the request's namespace fds are top-level attributes).
fn veth_peer(what: &str, peer: &Value) -> Result<Vec<u8>, Error> {
    let Some(p) = peer.as_object() else {
        return Err(invalid(format!(
            "{what}: linkinfo.data.peer must be an object {{ name, netns? }}, got {peer}"
        )));
    };
    let label = format!("{what}: linkinfo.data.peer");
    let mut spec = Spec::new(p, label.clone());
    let name = ifname(&mut spec, "name")?;
    let address = spec.mac("address")?;
    let mtu = spec.u32("mtu")?;
    let netns = match spec.value("netns") {
        None => None,
        Some(v) => Some(netns_of(&mut spec, v)?),
    };
    spec.finish()?;
    let mut out = vec![0u8; HEADER_LEN];
    if let Some(n) = name {
        push_attr(&mut out, IFLA_IFNAME, &fields::cstr(n));
    }
    if let Some(a) = address {
        push_attr(&mut out, IFLA_ADDRESS, &a);
    }
    if let Some(m) = mtu {
        push_attr(&mut out, IFLA_MTU, &m.to_ne_bytes());
    }
    match netns {
        None => {}
        Some(Netns::Pid(pid)) => push_attr(&mut out, IFLA_NET_NS_PID, &pid.to_ne_bytes()),
        Some(_) => {
            return Err(invalid(format!(
                "{label}: netns can only be {{ pid }} for a veth peer (create the pair, then move the peer with links.set {{ netns }})"
            )))
        }
    }
    Ok(out)
}

/// Encodes a link change from the struct `list()` returns, or part of it.
///
/// - add: `name` (or the kernel picks one) and the kind (`kind` or
///   `linkinfo.kind`) with its options in `linkinfo.data` under the names
///   the decoder gives them (linkinfo.rs: bridge forwardDelay, stpState,
///   vlanFiltering, ...; macvlan mode; vxlan id, group, local, port, link,
///   ttl, learning, ...). veth takes `linkinfo.data.peer: { name, address?,
///   mtu?, netns?: { pid } }`, an input `list()` never gives (the kernel does
///   not report a veth's peer in its data).
/// - set: the link is `index`, or `name` without an index; with both, `name`
///   renames it. `flags` / `flagNames` turn on the UP, NOARP, MULTICAST and
///   DYNAMIC they name and change nothing else (the rest are the kernel's
///   state or every user's counts); `setFlags: { UP: false, PROMISC: true }`
///   turns those it names on or off (SET_FLAGS); `master` 0 leaves
///   the master; `linkinfo.data` changes options where the kind allows it,
///   `linkinfo.slaveData` the port's options at its master (bridge ports).
/// - del: by `index` or `name`; every other field is ignored.
///
/// `netns` (an input, not a listed field) moves the link: 'host', { name },
/// { path } or { pid }, sent as IFLA_NET_NS_FD opened when the request is
/// sent. `numTxQueues` / `numRxQueues` only take effect at add (ignored by
/// set). `protoDown` is sent only when 1 (a listed link says 0, and most
/// devices refuse the attribute). Read-only and ignored: counters, operstate,
/// qdisc, carrier*, min/max mtu, afSpec (per-family settings are not encoded
/// yet), xdp, map, altNames, event, change and the like.
pub fn encode(verb: Verb, obj: &Map<String, Value>) -> Result<Request, Error> {
    if !VERBS.contains(&verb) {
        return Err(change::unsupported("links", verb, &VERBS));
    }
    let op = format!("links.{}", verb.name());
    let mut spec = Spec::new(obj, op.clone());
    let index = spec.int("index", 0, i32::MAX as i64)?.unwrap_or(0) as i32;
    let name = link_name(&mut spec)?;
    // The kernel takes a name with '%' as a template ("br%d") and picks the
    // name: no link is called that, so a change or delete by it is refused.
    if let Some(n) = name
        .as_ref()
        .filter(|n| verb != Verb::Add && index == 0 && n.0.contains(&b'%'))
    {
        return Err(invalid(format!(
            "{op}: name '{}' is a name template (%d), which names no link; give the link's own name",
            n.lossy()
        )));
    }
    let ident = match (name.as_ref().map(|n| n.lossy()), index) {
        (Some(n), 0) => n.to_string(),
        (Some(n), i) => format!("{n} (index {i})"),
        (None, 0) if verb == Verb::Add => String::new(),
        (None, 0) => {
            return Err(spec.missing("index", "the link's ifindex, or its name"));
        }
        (None, i) => format!("index {i}"),
    };
    let mut body = vec![0u8; HEADER_LEN];
    body[4..8].copy_from_slice(&index.to_ne_bytes());
    if verb == Verb::Del {
        spec.ignore(SETTABLE);
        spec.ignore(READ_ONLY);
        spec.finish()?;
        if let (Some(n), 0) = (&name, index) {
            push_attr(&mut body, IFLA_IFNAME, &n.cstr());
        }
        return Ok(Request::new(
            RTM_DELLINK,
            0,
            body,
            format!("deleting link {ident}"),
        ));
    }
    spec.ignore(READ_ONLY);
    let on = fields::bits_or_names(&mut spec, "flags", "flagNames", u32::MAX, &FLAG_NAMES)?
        .unwrap_or(0)
        & FLAGS_TURNED_ON;
    let (mut flags, mut change) = (on, on);
    if let Some(set) = spec.object("setFlags")? {
        for (name, v) in set {
            let Some((bit, _)) = SET_FLAGS.iter().find(|(_, n)| n == name) else {
                let known: Vec<&str> = SET_FLAGS.iter().map(|(_, n)| *n).collect();
                return Err(invalid(format!(
                    "{op}: setFlags.{name} is not a flag a request sets; expected one of {}",
                    known.join(", ")
                )));
            };
            let Some(want) = v.as_bool() else {
                return Err(crate::error::Error::other(
                    "ERR_INVALID_ARG_TYPE",
                    format!("{op}: setFlags.{name} must be true or false, got {v}"),
                ));
            };
            if !want && on & bit != 0 {
                return Err(invalid(format!(
                    "{op}: setFlags.{name} is false but flags/flagNames turn {name} on; give it once"
                )));
            }
            change |= bit;
            if want {
                flags |= bit;
            }
        }
    }
    body[8..12].copy_from_slice(&flags.to_ne_bytes());
    body[12..16].copy_from_slice(&change.to_ne_bytes());
    if let Some(n) = &name {
        push_attr(&mut body, IFLA_IFNAME, &n.cstr());
    }
    if let Some(a) = spec.mac("address")? {
        push_attr(&mut body, IFLA_ADDRESS, &a);
    }
    if let Some(a) = spec.mac("broadcast")? {
        push_attr(&mut body, IFLA_BROADCAST, &a);
    }
    for (field, kind) in [
        ("mtu", IFLA_MTU),
        ("link", IFLA_LINK),
        ("master", IFLA_MASTER),
        ("txqlen", IFLA_TXQLEN),
        ("group", IFLA_GROUP),
        ("gsoMaxSize", IFLA_GSO_MAX_SIZE),
        ("gsoMaxSegs", IFLA_GSO_MAX_SEGS),
        ("gsoIpv4MaxSize", IFLA_GSO_IPV4_MAX_SIZE),
        ("groMaxSize", IFLA_GRO_MAX_SIZE),
        ("groIpv4MaxSize", IFLA_GRO_IPV4_MAX_SIZE),
        ("numTxQueues", IFLA_NUM_TX_QUEUES),
        ("numRxQueues", IFLA_NUM_RX_QUEUES),
    ] {
        let v = spec.u32(field)?;
        if let Some(v) = v {
            let queues = kind == IFLA_NUM_TX_QUEUES || kind == IFLA_NUM_RX_QUEUES;
            if !(queues && verb == Verb::Set) {
                push_attr(&mut body, kind, &v.to_ne_bytes());
            }
        }
    }
    if let Some(m) = spec.u8("linkmode")? {
        push_attr(&mut body, IFLA_LINKMODE, &[m]);
    }
    if let Some(p) = spec.int("protoDown", 0, 1)? {
        if p == 1 {
            push_attr(&mut body, IFLA_PROTO_DOWN, &[1]);
        }
    }
    if let Some(a) = spec.str("ifalias")? {
        push_attr(&mut body, IFLA_IFALIAS, a.as_bytes());
    }
    let netns = match spec.value("netns") {
        None => None,
        Some(v) => Some(netns_of(&mut spec, v)?),
    };
    // The kind: `kind`, or linkinfo.kind; both must agree.
    let top_kind = spec.str("kind")?;
    let info = spec.object("linkinfo")?;
    let mut kind = top_kind;
    let mut info_attrs = Vec::new();
    if let Some(info) = info {
        let label = format!("{op}: linkinfo");
        let mut ispec = Spec::new(info, label.clone());
        let ikind = ispec.str("kind")?;
        if let (Some(a), Some(b)) = (top_kind, ikind) {
            if a != b {
                return Err(invalid(format!(
                    "{op}: kind '{a}' and linkinfo.kind '{b}' disagree"
                )));
            }
        }
        kind = kind.or(ikind);
        let slave_kind = ispec.str("slaveKind")?;
        let data = ispec.object("data")?;
        let slave_data = ispec.object("slaveData")?;
        ispec.finish()?;
        if let Some(k) = kind {
            push_attr(&mut info_attrs, IFLA_INFO_KIND, &fields::cstr(k));
        }
        if let Some(d) = data {
            let k = kind.unwrap_or("");
            let what = format!("{op}: linkinfo.data");
            let nest = if k == "veth" {
                let mut rest = d.clone();
                let peer = rest.remove("peer");
                if let Some(k) = rest.keys().next() {
                    return Err(invalid(format!(
                        "{what}: unknown field '{k}' for kind 'veth'; expected peer"
                    )));
                }
                let mut n = Vec::new();
                // A listed veth has no data; a decoded event's peer is hex.
                if let Some(p) = peer.filter(|p| !p.is_null()) {
                    if verb == Verb::Add {
                        push_attr(&mut n, VETH_INFO_PEER, &veth_peer(&op, &p)?);
                    }
                }
                n
            } else {
                linkinfo::encode_data(k, false, verb == Verb::Add, d, &what)?
            };
            if !nest.is_empty() || verb == Verb::Add {
                push_attr(&mut info_attrs, IFLA_INFO_DATA | wire::NLA_F_NESTED, &nest);
            }
        }
        if let Some(d) = slave_data {
            let Some(sk) = slave_kind else {
                return Err(invalid(format!(
                    "{op}: linkinfo.slaveData needs linkinfo.slaveKind (the master's kind)"
                )));
            };
            let what = format!("{op}: linkinfo.slaveData");
            let nest = linkinfo::encode_data(sk, true, verb == Verb::Add, d, &what)?;
            push_attr(&mut info_attrs, IFLA_INFO_SLAVE_KIND, &fields::cstr(sk));
            push_attr(
                &mut info_attrs,
                IFLA_INFO_SLAVE_DATA | wire::NLA_F_NESTED,
                &nest,
            );
        }
    }
    spec.finish()?;
    match (verb, kind) {
        (Verb::Add, None) => {
            return Err(invalid(format!(
                "{op}: kind is required (the link kind: veth, bridge, macvlan, vxlan, ifb, ...)"
            )))
        }
        (_, Some(k)) if !KINDS.contains(&k) => {
            return Err(invalid(format!(
                "{op}: kind must be a link kind ({}), got '{k}'",
                KINDS.join(", ")
            )))
        }
        _ => {}
    }
    if verb == Verb::Add && info.is_none() {
        push_attr(
            &mut info_attrs,
            IFLA_INFO_KIND,
            &fields::cstr(kind.unwrap_or("")),
        );
    }
    if !info_attrs.is_empty() {
        push_attr(&mut body, IFLA_LINKINFO | wire::NLA_F_NESTED, &info_attrs);
    }
    let what = match verb {
        Verb::Add if ident.is_empty() => format!("adding link ({})", kind.unwrap_or("?")),
        Verb::Add => format!("adding link {ident} ({})", kind.unwrap_or("?")),
        _ => format!("{} link {ident}", verb.ing()),
    };
    let mut req = Request::new(RTM_NEWLINK, verb.new_flags(), body, what);
    if let Some(ns) = netns {
        req.netns_fds.push((IFLA_NET_NS_FD, ns));
    }
    Ok(req)
}
