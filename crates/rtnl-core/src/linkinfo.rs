//! Per-kind decoding of IFLA_LINKINFO's nested IFLA_INFO_DATA and
//! IFLA_INFO_SLAVE_DATA into JSON maps, one table per link kind.
//!
//! Each table row is (attribute type, camelCase name, format). Attribute
//! numbers come from the kernel uapi headers (include/uapi/linux/if_link.h,
//! if_tunnel.h and veth.h), counting each enum from its UNSPEC = 0. The name
//! is the camelCase form of the key `ip -d -j link show` prints for the
//! attribute, or of the kernel's attribute name where `ip` prints none.
//!
//! Values are what the kernel sent, not what `ip` prints:
//! - bridge times (forwardDelay, helloTime, maxAge, ageingTime, the *Timer
//!   and mcast*Intvl values, and the bridge port timers) stay in the
//!   kernel's clock_t unit, hundredths of a second (`ip` prints forward_delay
//!   raw too, but the timers as seconds);
//! - bond updelay/downdelay/peerNotifyDelay/miimon are milliseconds, vxlan
//!   ageing is seconds;
//! - numbers `ip` prints as names stay numbers (bridge port `state`,
//!   `vlanProtocol`, bond `xmitHashPolicy`, ...), except the few `Named`
//!   fields (bond `mode`, macvlan `mode`, ipvlan `mode`, tun `type`), which
//!   carry the name `ip` uses plus the number under `<name>Raw`; a number
//!   with no name prints as its decimal string;
//! - u8 attributes `ip` prints as true/false are booleans (`Bool8`), the
//!   others (bridge `vlanFiltering`, `mcastSnooping`, ...) stay numbers;
//! - ifindexes (`link`, `activeSlave`, `primary`, `backupPort`) stay
//!   numbers, where `ip` prints the device name;
//! - a bridge id (struct ifla_bridge_id) prints as the kernel/brctl text
//!   form "pppp.xx:xx:xx:xx:xx:xx": the priority as 4 hex digits, a dot,
//!   the MAC;
//! - nested attributes (vlan QoS maps, bond ARP targets, ...) stay hex.
//!
//! Nothing is lost: an attribute missing from the table, shorter than its
//! format needs, or repeated lands in `unknown` as {"type", "data"}; a
//! malformed attribute walk keeps what was decoded, and puts the message in
//! `error` and the undecodable rest, as hex, in `errorData`.

use serde_json::{Map, Value};

use crate::wire::{self, align4, attrs, NLA_HDRLEN};

/// How one attribute's payload decodes.
#[derive(Debug, Clone, Copy)]
pub enum Fmt {
    U8,
    U16,
    U32,
    U64,
    I32,
    /// Network byte order (ports, ethertypes, GRE flags).
    Be16,
    /// Network byte order, printed as a host number (GRE keys, labels).
    Be32,
    /// Present means true (an empty NLA_FLAG). Some kernels send a u8 for
    /// an attribute userspace sets as a flag (IFLA_VXLAN_TTL_INHERIT on
    /// 6.18 is a u8 0), so a payload's first byte decides instead.
    Flag,
    /// A u8 printed as true/false.
    Bool8,
    /// NUL-terminated string.
    Str,
    /// Link-layer address, colon hex.
    Mac,
    /// IPv4 or IPv6 address (4 or 16 bytes).
    Ip,
    /// Raw bytes as hex.
    Hex,
    /// Nested attributes, kept as hex.
    Nested,
    /// struct ifla_bridge_id: "pppp.xx:xx:xx:xx:xx:xx".
    BridgeId,
    /// Two native u32 as an object with these keys (struct ifla_vlan_flags,
    /// struct br_boolopt_multi).
    U32Pair(&'static str, &'static str),
    /// Two big-endian u16 as an object with these keys
    /// (struct ifla_vxlan_port_range).
    Be16Pair(&'static str, &'static str),
    /// A number with names: the name under the row's key, the number under
    /// `<key>Raw`.
    Named(Width, &'static [(u32, &'static str)]),
    /// Alignment padding for 64-bit attributes (IFLA_*_PAD): dropped when
    /// empty, kept in `unknown` otherwise.
    Pad,
}

/// Width of a `Named` number, in native byte order.
#[derive(Debug, Clone, Copy)]
pub enum Width {
    W8,
    W16,
    W32,
}

/// (attribute type, camelCase name, format, what it is: the kernel's
/// attribute name and any note, carried into the generated TS docs)
pub type Row = (u16, &'static str, Fmt, &'static str);

/// A table with the TS interface its keys make (`<name>Data`) and the
/// interface's docs: crates/rtnl-typegen writes src/generated/linkinfo.ts
/// from TABLES, DATA_KINDS and SLAVE_KINDS.
pub struct Table {
    pub name: &'static str,
    pub doc: &'static str,
    pub rows: &'static [Row],
}

/// The key beside a `Named` field that carries its number: `mode` and `modeRaw`.
pub const RAW_SUFFIX: &str = "Raw";

use Fmt::*;

const VETH: &[Row] = &[(1, "peer", Nested, "")];

const BRIDGE: &[Row] = &[
    (1, "forwardDelay", U32, "IFLA_BR_FORWARD_DELAY"),
    (2, "helloTime", U32, "IFLA_BR_HELLO_TIME"),
    (3, "maxAge", U32, "IFLA_BR_MAX_AGE"),
    (4, "ageingTime", U32, "IFLA_BR_AGEING_TIME"),
    (5, "stpState", U32, "IFLA_BR_STP_STATE"),
    (6, "priority", U16, "IFLA_BR_PRIORITY"),
    (7, "vlanFiltering", U8, "IFLA_BR_VLAN_FILTERING"),
    (8, "vlanProtocol", Be16, "IFLA_BR_VLAN_PROTOCOL"),
    (9, "groupFwdMask", U16, "IFLA_BR_GROUP_FWD_MASK"),
    (10, "rootId", BridgeId, "IFLA_BR_ROOT_ID"),
    (11, "bridgeId", BridgeId, "IFLA_BR_BRIDGE_ID"),
    (12, "rootPort", U16, "IFLA_BR_ROOT_PORT"),
    (13, "rootPathCost", U32, "IFLA_BR_ROOT_PATH_COST"),
    (14, "topologyChange", U8, "IFLA_BR_TOPOLOGY_CHANGE"),
    (
        15,
        "topologyChangeDetected",
        U8,
        "IFLA_BR_TOPOLOGY_CHANGE_DETECTED",
    ),
    (16, "helloTimer", U64, "IFLA_BR_HELLO_TIMER"),
    (17, "tcnTimer", U64, "IFLA_BR_TCN_TIMER"),
    (
        18,
        "topologyChangeTimer",
        U64,
        "IFLA_BR_TOPOLOGY_CHANGE_TIMER",
    ),
    (19, "gcTimer", U64, "IFLA_BR_GC_TIMER"),
    (20, "groupAddr", Mac, "IFLA_BR_GROUP_ADDR"),
    (21, "fdbFlush", Flag, "IFLA_BR_FDB_FLUSH"),
    (22, "mcastRouter", U8, "IFLA_BR_MCAST_ROUTER"),
    (23, "mcastSnooping", U8, "IFLA_BR_MCAST_SNOOPING"),
    (
        24,
        "mcastQueryUseIfaddr",
        U8,
        "IFLA_BR_MCAST_QUERY_USE_IFADDR",
    ),
    (25, "mcastQuerier", U8, "IFLA_BR_MCAST_QUERIER"),
    (
        26,
        "mcastHashElasticity",
        U32,
        "IFLA_BR_MCAST_HASH_ELASTICITY",
    ),
    (27, "mcastHashMax", U32, "IFLA_BR_MCAST_HASH_MAX"),
    (
        28,
        "mcastLastMemberCnt",
        U32,
        "IFLA_BR_MCAST_LAST_MEMBER_CNT",
    ),
    (
        29,
        "mcastStartupQueryCnt",
        U32,
        "IFLA_BR_MCAST_STARTUP_QUERY_CNT",
    ),
    (
        30,
        "mcastLastMemberIntvl",
        U64,
        "IFLA_BR_MCAST_LAST_MEMBER_INTVL",
    ),
    (
        31,
        "mcastMembershipIntvl",
        U64,
        "IFLA_BR_MCAST_MEMBERSHIP_INTVL",
    ),
    (32, "mcastQuerierIntvl", U64, "IFLA_BR_MCAST_QUERIER_INTVL"),
    (33, "mcastQueryIntvl", U64, "IFLA_BR_MCAST_QUERY_INTVL"),
    (
        34,
        "mcastQueryResponseIntvl",
        U64,
        "IFLA_BR_MCAST_QUERY_RESPONSE_INTVL",
    ),
    (
        35,
        "mcastStartupQueryIntvl",
        U64,
        "IFLA_BR_MCAST_STARTUP_QUERY_INTVL",
    ),
    (36, "nfCallIptables", U8, "IFLA_BR_NF_CALL_IPTABLES"),
    (37, "nfCallIp6tables", U8, "IFLA_BR_NF_CALL_IP6TABLES"),
    (38, "nfCallArptables", U8, "IFLA_BR_NF_CALL_ARPTABLES"),
    (39, "vlanDefaultPvid", U16, "IFLA_BR_VLAN_DEFAULT_PVID"),
    (40, "pad", Pad, "IFLA_BR_PAD"),
    (41, "vlanStatsEnabled", U8, "IFLA_BR_VLAN_STATS_ENABLED"),
    (42, "mcastStatsEnabled", U8, "IFLA_BR_MCAST_STATS_ENABLED"),
    (43, "mcastIgmpVersion", U8, "IFLA_BR_MCAST_IGMP_VERSION"),
    (44, "mcastMldVersion", U8, "IFLA_BR_MCAST_MLD_VERSION"),
    (45, "vlanStatsPerPort", U8, "IFLA_BR_VLAN_STATS_PER_PORT"),
    (
        46,
        "multiBoolopt",
        U32Pair("optval", "optmask"),
        "IFLA_BR_MULTI_BOOLOPT",
    ),
    (
        47,
        "mcastQuerierState",
        Nested,
        "IFLA_BR_MCAST_QUERIER_STATE",
    ),
    (48, "fdbNLearned", U32, "IFLA_BR_FDB_N_LEARNED"),
    (49, "fdbMaxLearned", U32, "IFLA_BR_FDB_MAX_LEARNED"),
];

const BRIDGE_PORT: &[Row] = &[
    (1, "state", U8, "IFLA_BRPORT_STATE"),
    (2, "priority", U16, "IFLA_BRPORT_PRIORITY"),
    (3, "cost", U32, "IFLA_BRPORT_COST"),
    (4, "hairpin", Bool8, "IFLA_BRPORT_MODE"),
    (5, "guard", Bool8, "IFLA_BRPORT_GUARD"),
    (6, "rootBlock", Bool8, "IFLA_BRPORT_PROTECT"),
    (7, "fastleave", Bool8, "IFLA_BRPORT_FAST_LEAVE"),
    (8, "learning", Bool8, "IFLA_BRPORT_LEARNING"),
    (9, "flood", Bool8, "IFLA_BRPORT_UNICAST_FLOOD"),
    (10, "proxyArp", Bool8, "IFLA_BRPORT_PROXYARP"),
    (11, "learningSync", Bool8, "IFLA_BRPORT_LEARNING_SYNC"),
    (12, "proxyArpWifi", Bool8, "IFLA_BRPORT_PROXYARP_WIFI"),
    (13, "rootId", BridgeId, "IFLA_BRPORT_ROOT_ID"),
    (14, "bridgeId", BridgeId, "IFLA_BRPORT_BRIDGE_ID"),
    (15, "designatedPort", U16, "IFLA_BRPORT_DESIGNATED_PORT"),
    (16, "designatedCost", U16, "IFLA_BRPORT_DESIGNATED_COST"),
    (17, "id", U16, "IFLA_BRPORT_ID"),
    (18, "no", U16, "IFLA_BRPORT_NO"),
    (
        19,
        "topologyChangeAck",
        U8,
        "IFLA_BRPORT_TOPOLOGY_CHANGE_ACK",
    ),
    (20, "configPending", U8, "IFLA_BRPORT_CONFIG_PENDING"),
    (21, "messageAgeTimer", U64, "IFLA_BRPORT_MESSAGE_AGE_TIMER"),
    (
        22,
        "forwardDelayTimer",
        U64,
        "IFLA_BRPORT_FORWARD_DELAY_TIMER",
    ),
    (23, "holdTimer", U64, "IFLA_BRPORT_HOLD_TIMER"),
    (24, "flush", Flag, "IFLA_BRPORT_FLUSH"),
    (25, "multicastRouter", U8, "IFLA_BRPORT_MULTICAST_ROUTER"),
    (26, "pad", Pad, "IFLA_BRPORT_PAD"),
    (27, "mcastFlood", Bool8, "IFLA_BRPORT_MCAST_FLOOD"),
    (28, "mcastToUnicast", Bool8, "IFLA_BRPORT_MCAST_TO_UCAST"),
    (29, "vlanTunnel", Bool8, "IFLA_BRPORT_VLAN_TUNNEL"),
    (30, "bcastFlood", Bool8, "IFLA_BRPORT_BCAST_FLOOD"),
    (31, "groupFwdMask", U16, "IFLA_BRPORT_GROUP_FWD_MASK"),
    (32, "neighSuppress", Bool8, "IFLA_BRPORT_NEIGH_SUPPRESS"),
    (33, "isolated", Bool8, "IFLA_BRPORT_ISOLATED"),
    (34, "backupPort", U32, "IFLA_BRPORT_BACKUP_PORT"),
    (35, "mrpRingOpen", Bool8, "IFLA_BRPORT_MRP_RING_OPEN"),
    (36, "mrpInOpen", Bool8, "IFLA_BRPORT_MRP_IN_OPEN"),
    (
        37,
        "mcastEhtHostsLimit",
        U32,
        "IFLA_BRPORT_MCAST_EHT_HOSTS_LIMIT",
    ),
    (
        38,
        "mcastEhtHostsCnt",
        U32,
        "IFLA_BRPORT_MCAST_EHT_HOSTS_CNT",
    ),
    (39, "locked", Bool8, "IFLA_BRPORT_LOCKED"),
    (40, "mab", Bool8, "IFLA_BRPORT_MAB"),
    (41, "mcastNGroups", U32, "IFLA_BRPORT_MCAST_N_GROUPS"),
    (42, "mcastMaxGroups", U32, "IFLA_BRPORT_MCAST_MAX_GROUPS"),
    (
        43,
        "neighVlanSuppress",
        Bool8,
        "IFLA_BRPORT_NEIGH_VLAN_SUPPRESS",
    ),
    (44, "backupNhid", U32, "IFLA_BRPORT_BACKUP_NHID"),
];

/// IFF_TUN / IFF_TAP (linux/if_tun.h).
const TUN_TYPES: &[(u32, &str)] = &[(1, "tun"), (2, "tap")];

const TUN: &[Row] = &[
    (1, "owner", U32, "IFLA_TUN_OWNER"),
    (2, "group", U32, "IFLA_TUN_GROUP"),
    (3, "type", Named(Width::W8, TUN_TYPES), "IFLA_TUN_TYPE"),
    (4, "pi", Bool8, "IFLA_TUN_PI"),
    (5, "vnetHdr", Bool8, "IFLA_TUN_VNET_HDR"),
    (6, "persist", Bool8, "IFLA_TUN_PERSIST"),
    (7, "multiQueue", Bool8, "IFLA_TUN_MULTI_QUEUE"),
    (8, "numqueues", U32, "IFLA_TUN_NUM_QUEUES"),
    (9, "numdisabled", U32, "IFLA_TUN_NUM_DISABLED_QUEUES"),
];

const VLAN: &[Row] = &[
    (1, "id", U16, "IFLA_VLAN_ID"),
    (2, "flags", U32Pair("flags", "mask"), "IFLA_VLAN_FLAGS"),
    (3, "egressQos", Nested, "IFLA_VLAN_EGRESS_QOS"),
    (4, "ingressQos", Nested, "IFLA_VLAN_INGRESS_QOS"),
    (5, "protocol", Be16, "IFLA_VLAN_PROTOCOL"),
];

/// enum macvlan_mode (if_link.h): single bits.
const MACVLAN_MODES: &[(u32, &str)] = &[
    (1, "private"),
    (2, "vepa"),
    (4, "bridge"),
    (8, "passthru"),
    (16, "source"),
];

const MACVLAN: &[Row] = &[
    (
        1,
        "mode",
        Named(Width::W32, MACVLAN_MODES),
        "IFLA_MACVLAN_MODE",
    ),
    (2, "flags", U16, "IFLA_MACVLAN_FLAGS"),
    (3, "macaddrMode", U32, "IFLA_MACVLAN_MACADDR_MODE"),
    (4, "macaddr", Mac, "IFLA_MACVLAN_MACADDR"),
    (5, "macaddrData", Nested, "IFLA_MACVLAN_MACADDR_DATA"),
    (6, "macaddrCount", U32, "IFLA_MACVLAN_MACADDR_COUNT"),
    (7, "bcqueuelen", U32, "IFLA_MACVLAN_BC_QUEUE_LEN"),
    (8, "usedbcqueuelen", U32, "IFLA_MACVLAN_BC_QUEUE_LEN_USED"),
    (9, "bclim", I32, "IFLA_MACVLAN_BC_CUTOFF"),
];

/// enum ipvlan_mode (if_link.h).
const IPVLAN_MODES: &[(u32, &str)] = &[(0, "l2"), (1, "l3"), (2, "l3s")];

const IPVLAN: &[Row] = &[
    (
        1,
        "mode",
        Named(Width::W16, IPVLAN_MODES),
        "IFLA_IPVLAN_MODE",
    ),
    (2, "flags", U16, "IFLA_IPVLAN_FLAGS"),
];

const VXLAN: &[Row] = &[
    (1, "id", U32, "IFLA_VXLAN_ID"),
    (2, "group", Ip, "IFLA_VXLAN_GROUP (group or remote)"),
    (3, "link", U32, "IFLA_VXLAN_LINK"),
    (4, "local", Ip, "IFLA_VXLAN_LOCAL"),
    (5, "ttl", U8, "IFLA_VXLAN_TTL"),
    (6, "tos", U8, "IFLA_VXLAN_TOS"),
    (7, "learning", Bool8, "IFLA_VXLAN_LEARNING"),
    (8, "ageing", U32, "IFLA_VXLAN_AGEING"),
    (9, "limit", U32, "IFLA_VXLAN_LIMIT"),
    (
        10,
        "portRange",
        Be16Pair("low", "high"),
        "IFLA_VXLAN_PORT_RANGE",
    ),
    (11, "proxy", Bool8, "IFLA_VXLAN_PROXY"),
    (12, "rsc", Bool8, "IFLA_VXLAN_RSC"),
    (13, "l2miss", Bool8, "IFLA_VXLAN_L2MISS"),
    (14, "l3miss", Bool8, "IFLA_VXLAN_L3MISS"),
    (15, "port", Be16, "IFLA_VXLAN_PORT"),
    (16, "group6", Ip, "IFLA_VXLAN_GROUP6"),
    (17, "local6", Ip, "IFLA_VXLAN_LOCAL6"),
    (18, "udpCsum", Bool8, "IFLA_VXLAN_UDP_CSUM"),
    (19, "udpZeroCsum6Tx", Bool8, "IFLA_VXLAN_UDP_ZERO_CSUM6_TX"),
    (20, "udpZeroCsum6Rx", Bool8, "IFLA_VXLAN_UDP_ZERO_CSUM6_RX"),
    (21, "remcsumTx", Bool8, "IFLA_VXLAN_REMCSUM_TX"),
    (22, "remcsumRx", Bool8, "IFLA_VXLAN_REMCSUM_RX"),
    (23, "gbp", Flag, "IFLA_VXLAN_GBP"),
    (24, "remcsumNopartial", Flag, "IFLA_VXLAN_REMCSUM_NOPARTIAL"),
    (25, "external", Bool8, "IFLA_VXLAN_COLLECT_METADATA"),
    (26, "label", Be32, "IFLA_VXLAN_LABEL"),
    (27, "gpe", Flag, "IFLA_VXLAN_GPE"),
    (28, "ttlInherit", Bool8, "IFLA_VXLAN_TTL_INHERIT"),
    (29, "df", U8, "IFLA_VXLAN_DF"),
    (30, "vnifilter", Bool8, "IFLA_VXLAN_VNIFILTER"),
    (31, "localbypass", Bool8, "IFLA_VXLAN_LOCALBYPASS"),
    (32, "labelPolicy", U32, "IFLA_VXLAN_LABEL_POLICY"),
    (33, "reservedBits", Hex, "IFLA_VXLAN_RESERVED_BITS"),
    (34, "mcRoute", Bool8, "IFLA_VXLAN_MC_ROUTE"),
];

/// BOND_MODE_* (linux/if_bonding.h) as `ip` names them.
const BOND_MODES: &[(u32, &str)] = &[
    (0, "balance-rr"),
    (1, "active-backup"),
    (2, "balance-xor"),
    (3, "broadcast"),
    (4, "802.3ad"),
    (5, "balance-tlb"),
    (6, "balance-alb"),
];

const BOND: &[Row] = &[
    (1, "mode", Named(Width::W8, BOND_MODES), "IFLA_BOND_MODE"),
    (2, "activeSlave", U32, "IFLA_BOND_ACTIVE_SLAVE (ifindex)"),
    (3, "miimon", U32, "IFLA_BOND_MIIMON"),
    (4, "updelay", U32, "IFLA_BOND_UPDELAY"),
    (5, "downdelay", U32, "IFLA_BOND_DOWNDELAY"),
    (6, "useCarrier", U8, "IFLA_BOND_USE_CARRIER"),
    (7, "arpInterval", U32, "IFLA_BOND_ARP_INTERVAL"),
    (8, "arpIpTarget", Nested, "IFLA_BOND_ARP_IP_TARGET"),
    (9, "arpValidate", U32, "IFLA_BOND_ARP_VALIDATE"),
    (10, "arpAllTargets", U32, "IFLA_BOND_ARP_ALL_TARGETS"),
    (11, "primary", U32, "IFLA_BOND_PRIMARY (ifindex)"),
    (12, "primaryReselect", U8, "IFLA_BOND_PRIMARY_RESELECT"),
    (13, "failOverMac", U8, "IFLA_BOND_FAIL_OVER_MAC"),
    (14, "xmitHashPolicy", U8, "IFLA_BOND_XMIT_HASH_POLICY"),
    (15, "resendIgmp", U32, "IFLA_BOND_RESEND_IGMP"),
    (16, "numPeerNotif", U8, "IFLA_BOND_NUM_PEER_NOTIF"),
    (17, "allSlavesActive", U8, "IFLA_BOND_ALL_SLAVES_ACTIVE"),
    (18, "minLinks", U32, "IFLA_BOND_MIN_LINKS"),
    (19, "lpInterval", U32, "IFLA_BOND_LP_INTERVAL"),
    (20, "packetsPerSlave", U32, "IFLA_BOND_PACKETS_PER_SLAVE"),
    (21, "adLacpRate", U8, "IFLA_BOND_AD_LACP_RATE"),
    (22, "adSelect", U8, "IFLA_BOND_AD_SELECT"),
    (23, "adInfo", Nested, "IFLA_BOND_AD_INFO"),
    (24, "adActorSysPrio", U16, "IFLA_BOND_AD_ACTOR_SYS_PRIO"),
    (25, "adUserPortKey", U16, "IFLA_BOND_AD_USER_PORT_KEY"),
    (26, "adActorSystem", Mac, "IFLA_BOND_AD_ACTOR_SYSTEM"),
    (27, "tlbDynamicLb", U8, "IFLA_BOND_TLB_DYNAMIC_LB"),
    (28, "peerNotifyDelay", U32, "IFLA_BOND_PEER_NOTIF_DELAY"),
    (29, "adLacpActive", U8, "IFLA_BOND_AD_LACP_ACTIVE"),
    (30, "arpMissedMax", U8, "IFLA_BOND_MISSED_MAX"),
    (31, "nsIp6Target", Nested, "IFLA_BOND_NS_IP6_TARGET"),
    (32, "coupledControl", U8, "IFLA_BOND_COUPLED_CONTROL"),
    (33, "broadcastNeighbor", U8, "IFLA_BOND_BROADCAST_NEIGH"),
];

const BOND_SLAVE: &[Row] = &[
    (1, "state", U8, "IFLA_BOND_SLAVE_STATE"),
    (2, "miiStatus", U8, "IFLA_BOND_SLAVE_MII_STATUS"),
    (
        3,
        "linkFailureCount",
        U32,
        "IFLA_BOND_SLAVE_LINK_FAILURE_COUNT",
    ),
    (4, "permHwaddr", Mac, "IFLA_BOND_SLAVE_PERM_HWADDR"),
    (5, "queueId", U16, "IFLA_BOND_SLAVE_QUEUE_ID"),
    (6, "adAggregatorId", U16, "IFLA_BOND_SLAVE_AD_AGGREGATOR_ID"),
    (
        7,
        "adActorOperPortState",
        U8,
        "IFLA_BOND_SLAVE_AD_ACTOR_OPER_PORT_STATE",
    ),
    (
        8,
        "adPartnerOperPortState",
        U16,
        "IFLA_BOND_SLAVE_AD_PARTNER_OPER_PORT_STATE",
    ),
    (9, "prio", I32, "IFLA_BOND_SLAVE_PRIO"),
    (10, "actorPortPrio", U16, "IFLA_BOND_SLAVE_ACTOR_PORT_PRIO"),
    (
        11,
        "adChurnActorState",
        U8,
        "IFLA_BOND_SLAVE_AD_CHURN_ACTOR_STATE",
    ),
    (
        12,
        "adChurnPartnerState",
        U8,
        "IFLA_BOND_SLAVE_AD_CHURN_PARTNER_STATE",
    ),
];

const VRF: &[Row] = &[(1, "table", U32, "IFLA_VRF_TABLE")];

const VRF_PORT: &[Row] = &[(1, "table", U32, "IFLA_VRF_PORT_TABLE")];

const WIREGUARD: &[Row] = &[];

const GRE: &[Row] = &[
    (1, "link", U32, "IFLA_GRE_LINK"),
    (2, "iflags", Be16, "IFLA_GRE_IFLAGS"),
    (3, "oflags", Be16, "IFLA_GRE_OFLAGS"),
    (4, "ikey", Be32, "IFLA_GRE_IKEY"),
    (5, "okey", Be32, "IFLA_GRE_OKEY"),
    (6, "local", Ip, "IFLA_GRE_LOCAL"),
    (7, "remote", Ip, "IFLA_GRE_REMOTE"),
    (8, "ttl", U8, "IFLA_GRE_TTL"),
    (9, "tos", U8, "IFLA_GRE_TOS"),
    (10, "pmtudisc", Bool8, "IFLA_GRE_PMTUDISC"),
    (11, "encapLimit", U8, "IFLA_GRE_ENCAP_LIMIT"),
    (12, "flowinfo", Be32, "IFLA_GRE_FLOWINFO"),
    (13, "flags", U32, "IFLA_GRE_FLAGS"),
    (14, "encapType", U16, "IFLA_GRE_ENCAP_TYPE"),
    (15, "encapFlags", U16, "IFLA_GRE_ENCAP_FLAGS"),
    (16, "encapSport", Be16, "IFLA_GRE_ENCAP_SPORT"),
    (17, "encapDport", Be16, "IFLA_GRE_ENCAP_DPORT"),
    (18, "external", Flag, "IFLA_GRE_COLLECT_METADATA"),
    (19, "ignoreDf", Bool8, "IFLA_GRE_IGNORE_DF"),
    (20, "fwmark", U32, "IFLA_GRE_FWMARK"),
    (21, "erspanIndex", U32, "IFLA_GRE_ERSPAN_INDEX"),
    (22, "erspanVer", U8, "IFLA_GRE_ERSPAN_VER"),
    (23, "erspanDir", U8, "IFLA_GRE_ERSPAN_DIR"),
    (24, "erspanHwid", U16, "IFLA_GRE_ERSPAN_HWID"),
];

/// Every table, each with its docs (the kernel headers it follows).
pub const TABLES: &[Table] = &[
    Table {
        name: "Veth",
        doc: "IFLA_VETH_PEER (VETH_INFO_PEER, linux/veth.h): a struct ifinfomsg plus link attributes, only ever sent by userspace when creating the pair.",
        rows: VETH,
    },
    Table {
        name: "Bridge",
        doc: "IFLA_BR_* (if_link.h).",
        rows: BRIDGE,
    },
    Table {
        name: "BridgePort",
        doc: "IFLA_BRPORT_* (if_link.h), the slave data of a bridge port.",
        rows: BRIDGE_PORT,
    },
    Table {
        name: "Tun",
        doc: "IFLA_TUN_* (if_link.h).",
        rows: TUN,
    },
    Table {
        name: "Vlan",
        doc: "IFLA_VLAN_* (if_link.h).",
        rows: VLAN,
    },
    Table {
        name: "Macvlan",
        doc: "IFLA_MACVLAN_* (if_link.h), for macvlan and macvtap.",
        rows: MACVLAN,
    },
    Table {
        name: "Ipvlan",
        doc: "IFLA_IPVLAN_* (if_link.h), for ipvlan and ipvtap.",
        rows: IPVLAN,
    },
    Table {
        name: "Vxlan",
        doc: "IFLA_VXLAN_* (if_link.h).",
        rows: VXLAN,
    },
    Table {
        name: "Bond",
        doc: "IFLA_BOND_* (if_link.h).",
        rows: BOND,
    },
    Table {
        name: "BondSlave",
        doc: "IFLA_BOND_SLAVE_* (if_link.h), the slave data of a bond port.",
        rows: BOND_SLAVE,
    },
    Table {
        name: "Vrf",
        doc: "IFLA_VRF_* (if_link.h).",
        rows: VRF,
    },
    Table {
        name: "VrfPort",
        doc: "IFLA_VRF_PORT_* (if_link.h), the slave data of a VRF port.",
        rows: VRF_PORT,
    },
    Table {
        name: "Wireguard",
        doc: "WireGuard is configured over generic netlink and sends no IFLA_INFO_DATA attributes: anything that does arrive is kept in `unknown`.",
        rows: WIREGUARD,
    },
    Table {
        name: "Gre",
        doc: "IFLA_GRE_* (if_tunnel.h), shared by gre, gretap, erspan (IPv4 addresses) and ip6gre, ip6gretap, ip6erspan (IPv6 addresses; TTL is the hop limit, and ENCAP_LIMIT, FLOWINFO and FLAGS are only sent by these).",
        rows: GRE,
    },
];

/// The IFLA_INFO_DATA table for a link kind (IFLA_INFO_KIND), if there is
/// one.
pub fn data_table(kind: &str) -> Option<&'static [Row]> {
    Some(match kind {
        "veth" => VETH,
        "bridge" => BRIDGE,
        "tun" => TUN,
        "vlan" => VLAN,
        "macvlan" | "macvtap" => MACVLAN,
        "ipvlan" | "ipvtap" => IPVLAN,
        "vxlan" => VXLAN,
        "bond" => BOND,
        "vrf" => VRF,
        "wireguard" => WIREGUARD,
        "gre" | "gretap" | "erspan" | "ip6gre" | "ip6gretap" | "ip6erspan" => GRE,
        _ => return None,
    })
}

/// The IFLA_INFO_SLAVE_DATA table for a master's kind (IFLA_INFO_SLAVE_KIND),
/// if there is one.
pub fn slave_data_table(slave_kind: &str) -> Option<&'static [Row]> {
    Some(match slave_kind {
        "bridge" => BRIDGE_PORT,
        "bond" => BOND_SLAVE,
        "vrf" => VRF_PORT,
        _ => return None,
    })
}

/// Every kind with a table, for tests and callers that enumerate them.
pub const DATA_KINDS: &[&str] = &[
    "veth",
    "bridge",
    "tun",
    "vlan",
    "macvlan",
    "macvtap",
    "ipvlan",
    "ipvtap",
    "vxlan",
    "bond",
    "vrf",
    "wireguard",
    "gre",
    "gretap",
    "erspan",
    "ip6gre",
    "ip6gretap",
    "ip6erspan",
];

/// Every slave kind with a table.
pub const SLAVE_KINDS: &[&str] = &["bridge", "bond", "vrf"];

/// Decodes IFLA_INFO_DATA for a link of this kind. An unknown kind keeps
/// every attribute in `unknown`.
pub fn decode_data(kind: &str, data: &[u8]) -> Map<String, Value> {
    decode_with(data_table(kind).unwrap_or(&[]), data)
}

/// Decodes IFLA_INFO_SLAVE_DATA for a port whose master is of this kind.
pub fn decode_slave_data(slave_kind: &str, data: &[u8]) -> Map<String, Value> {
    decode_with(slave_data_table(slave_kind).unwrap_or(&[]), data)
}

fn be32_at(b: &[u8], off: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(off..off + 4)?.try_into().ok()?))
}

fn named(names: &[(u32, &str)], v: u32) -> String {
    match names.iter().find(|(n, _)| *n == v) {
        Some((_, name)) => (*name).to_string(),
        None => v.to_string(),
    }
}

/// One payload as JSON, or None when it is too short for the format.
fn value(fmt: Fmt, b: &[u8]) -> Option<Value> {
    Some(match fmt {
        U8 => wire::u8_at(b, 0)?.into(),
        U16 => wire::u16_at(b, 0)?.into(),
        U32 => wire::u32_at(b, 0)?.into(),
        U64 => wire::u64_at(b, 0)?.into(),
        I32 => wire::i32_at(b, 0)?.into(),
        Be16 => wire::be16_at(b, 0)?.into(),
        Be32 => be32_at(b, 0)?.into(),
        Flag => b.first().is_none_or(|&v| v != 0).into(),
        Bool8 => (wire::u8_at(b, 0)? != 0).into(),
        Str => wire::string_of(b).into(),
        Mac if b.is_empty() => return None,
        Mac => wire::mac(b).into(),
        Ip if b.len() == 4 || b.len() == 16 => wire::ip(b).into(),
        Ip => return None,
        Hex | Nested => wire::hex(b).into(),
        BridgeId => {
            let prio = wire::be16_at(b, 0)?;
            let addr = b.get(2..8)?;
            format!("{prio:04x}.{}", wire::mac(addr)).into()
        }
        U32Pair(a, c) => {
            let mut m = Map::new();
            m.insert(a.to_string(), wire::u32_at(b, 0)?.into());
            m.insert(c.to_string(), wire::u32_at(b, 4)?.into());
            m.into()
        }
        Be16Pair(a, c) => {
            let mut m = Map::new();
            m.insert(a.to_string(), wire::be16_at(b, 0)?.into());
            m.insert(c.to_string(), wire::be16_at(b, 2)?.into());
            m.into()
        }
        // The raw number goes in by the caller, which knows the key.
        Named(..) | Pad => return None,
    })
}

fn named_raw(width: Width, b: &[u8]) -> Option<u32> {
    match width {
        Width::W8 => wire::u8_at(b, 0).map(u32::from),
        Width::W16 => wire::u16_at(b, 0).map(u32::from),
        Width::W32 => wire::u32_at(b, 0),
    }
}

fn unknown_entry(kind: u16, data: &[u8]) -> Value {
    let mut m = Map::new();
    m.insert("type".to_string(), kind.into());
    m.insert("data".to_string(), wire::hex(data).into());
    m.into()
}

/// Decodes one attribute into `map`; false when it belongs in `unknown`.
fn decode_one(map: &mut Map<String, Value>, row: &Row, data: &[u8]) -> bool {
    let (_, name, fmt, _) = *row;
    match fmt {
        Pad => data.is_empty(),
        Named(width, names) => {
            let raw_key = format!("{name}{RAW_SUFFIX}");
            if map.contains_key(name) || map.contains_key(&raw_key) {
                return false;
            }
            let Some(raw) = named_raw(width, data) else {
                return false;
            };
            map.insert(name.to_string(), named(names, raw).into());
            map.insert(raw_key, raw.into());
            true
        }
        _ => {
            if map.contains_key(name) {
                return false;
            }
            match value(fmt, data) {
                Some(v) => {
                    map.insert(name.to_string(), v);
                    true
                }
                None => false,
            }
        }
    }
}

fn decode_with(table: &[Row], data: &[u8]) -> Map<String, Value> {
    let mut map = Map::new();
    let mut unknown = Vec::new();
    // Bytes the walk has moved past, mirroring wire::Attrs' framing, so a
    // malformed tail can be kept.
    let mut consumed = 0usize;
    let mut walk = attrs(data);
    for (kind, payload) in walk.by_ref() {
        consumed = consumed.saturating_add(align4(NLA_HDRLEN + payload.len()));
        let decoded = match table.iter().find(|r| r.0 == kind) {
            Some(row) => decode_one(&mut map, row, payload),
            None => false,
        };
        if !decoded {
            unknown.push(unknown_entry(kind, payload));
        }
    }
    if let Some(e) = walk.error() {
        map.insert("error".to_string(), e.0.clone().into());
        let rest = data.get(consumed..).unwrap_or(&[]);
        map.insert("errorData".to_string(), wire::hex(rest).into());
    }
    if !unknown.is_empty() {
        map.insert("unknown".to_string(), Value::Array(unknown));
    }
    map
}

/// Fields of IFLA_INFO_DATA the kernel reports but does not take: state,
/// timers, counters, ids it computes.
const DATA_READ_ONLY: &[(&str, &[&str])] = &[
    (
        "bridge",
        &[
            "rootId",
            "bridgeId",
            "rootPort",
            "rootPathCost",
            "topologyChange",
            "topologyChangeDetected",
            "helloTimer",
            "tcnTimer",
            "topologyChangeTimer",
            "gcTimer",
            "mcastQuerierState",
            "fdbNLearned",
        ],
    ),
    (
        "macvlan",
        &["macaddrCount", "usedbcqueuelen", "macaddrData"],
    ),
    (
        "macvtap",
        &["macaddrCount", "usedbcqueuelen", "macaddrData"],
    ),
];

/// The same for IFLA_INFO_SLAVE_DATA.
const SLAVE_READ_ONLY: &[(&str, &[&str])] = &[(
    "bridge",
    &[
        "rootId",
        "bridgeId",
        "designatedPort",
        "designatedCost",
        "id",
        "no",
        "topologyChangeAck",
        "configPending",
        "messageAgeTimer",
        "forwardDelayTimer",
        "holdTimer",
        "mcastEhtHostsCnt",
        "mcastNGroups",
    ],
)];

/// What the decoder adds beside the attributes, never encoded.
pub const DECODER_KEYS: &[&str] = &["unknown", "error", "errorData", "pad"];

fn json_default(n: u64) -> Value {
    Value::from(n)
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Encodes one table-driven attribute; Ok(None) leaves it out (a false flag).
fn encode_one(
    what: &str,
    name: &str,
    fmt: Fmt,
    v: &Value,
) -> Result<Option<Vec<u8>>, crate::error::Error> {
    use crate::spec::invalid;
    let num = |max: u64| -> Result<u64, crate::error::Error> {
        v.as_u64().filter(|&n| n <= max).ok_or_else(|| {
            invalid(format!(
                "{what}: {name} must be an integer from 0 to {max}, got {v}"
            ))
        })
    };
    let boolean = || -> Result<bool, crate::error::Error> {
        match v {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) if n.as_u64() == Some(0) || n.as_u64() == Some(1) => {
                Ok(n.as_u64() == Some(1))
            }
            _ => Err(invalid(format!(
                "{what}: {name} must be a boolean, got {v}"
            ))),
        }
    };
    let text = || -> Result<&str, crate::error::Error> {
        match v.as_str() {
            Some(s) if s.contains('\0') => Err(invalid(format!(
                "{what}: {name} must not contain NUL (the kernel would cut it there), got {s:?}"
            ))),
            Some(s) => Ok(s),
            None => Err(invalid(format!("{what}: {name} must be a string, got {v}"))),
        }
    };
    let pair = |a: &str, b: &str, max: u64| -> Result<(u64, u64), crate::error::Error> {
        let o = v.as_object();
        let get = |k: &str| {
            o.and_then(|o| o.get(k))
                .and_then(Value::as_u64)
                .filter(|&n| n <= max)
        };
        match (get(a), get(b), o.map(|o| o.len())) {
            (Some(x), Some(y), Some(2)) => Ok((x, y)),
            _ => Err(invalid(format!(
                "{what}: {name} must be an object {{ {a}, {b} }} of integers from 0 to {max}, got {v}"
            ))),
        }
    };
    Ok(Some(match fmt {
        U8 => vec![num(u8::MAX as u64)? as u8],
        U16 => (num(u16::MAX as u64)? as u16).to_ne_bytes().to_vec(),
        U32 => (num(u32::MAX as u64)? as u32).to_ne_bytes().to_vec(),
        U64 => num(u64::MAX)?.to_ne_bytes().to_vec(),
        I32 => match v.as_i64().and_then(|n| i32::try_from(n).ok()) {
            Some(n) => n.to_ne_bytes().to_vec(),
            None => {
                return Err(invalid(format!(
                    "{what}: {name} must be an integer from -2147483648 to 2147483647, got {v}"
                )))
            }
        },
        Be16 => (num(u16::MAX as u64)? as u16).to_be_bytes().to_vec(),
        Be32 => (num(u32::MAX as u64)? as u32).to_be_bytes().to_vec(),
        Flag => {
            if !boolean()? {
                return Ok(None);
            }
            Vec::new()
        }
        Bool8 => vec![boolean()? as u8],
        Str => crate::fields::cstr(text()?),
        Mac => crate::spec::mac_bytes(what, name, text()?)?,
        Ip => {
            let t = text()?;
            let ip: std::net::IpAddr = t.parse().map_err(|_| {
                invalid(format!(
                    "{what}: {name} must be an IPv4 or IPv6 address, got '{t}'"
                ))
            })?;
            crate::fields::ip_bytes(ip)
        }
        Hex | Nested => {
            let t = text()?;
            unhex(t)
                .ok_or_else(|| invalid(format!("{what}: {name} must be hex bytes, got '{t}'")))?
        }
        U32Pair(a, b) => {
            let (x, y) = pair(a, b, u32::MAX as u64)?;
            let mut out = (x as u32).to_ne_bytes().to_vec();
            out.extend_from_slice(&(y as u32).to_ne_bytes());
            out
        }
        Be16Pair(a, b) => {
            let (x, y) = pair(a, b, u16::MAX as u64)?;
            let mut out = (x as u16).to_be_bytes().to_vec();
            out.extend_from_slice(&(y as u16).to_be_bytes());
            out
        }
        BridgeId | Pad | Named(..) => return Ok(None),
    }))
}

/// Encodes IFLA_INFO_DATA (or, with `slave`, IFLA_INFO_SLAVE_DATA) for a
/// link of `kind` from the map the decoder gives: the inverse of
/// `decode_data`, by the same table. Read-only fields are accepted and left
/// out; a `Named` field is its `<key>Raw` number when given, else its name;
/// hex fields go back as their bytes; false flags are left out. `what`
/// names the operation ("links.add: linkinfo.data").
pub fn encode_data(
    kind: &str,
    slave: bool,
    adding: bool,
    map: &Map<String, Value>,
    what: &str,
) -> Result<Vec<u8>, crate::error::Error> {
    use crate::spec::{invalid, Spec};
    let table = if slave {
        slave_data_table(kind)
    } else {
        data_table(kind)
    };
    let Some(table) = table else {
        if map.is_empty() {
            return Ok(Vec::new());
        }
        return Err(invalid(format!(
            "{what}: no options of kind '{kind}' can be encoded, got {}",
            map.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    };
    let read_only = if slave {
        SLAVE_READ_ONLY
    } else {
        DATA_READ_ONLY
    };
    let read_only: &[&str] = read_only
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, f)| *f)
        .unwrap_or(&[]);
    let mut spec = Spec::new(map, what.to_string());
    spec.ignore(DECODER_KEYS);
    spec.ignore(read_only);
    let mut out = Vec::new();
    for &(kind_nr, name, fmt, _) in table {
        if read_only.contains(&name) || matches!(fmt, BridgeId | Pad) {
            spec.ignore(&[name]);
            continue;
        }
        // Attributes the decoder reads as a u8 but the kernel's policy
        // takes as NLA_FLAG (IFLA_VXLAN_TTL_INHERIT, which 6.18 reports as
        // a u8 and refuses as one).
        let fmt = match (kind, name) {
            ("vxlan", "ttlInherit") => Flag,
            _ => fmt,
        };
        // At add, values a new link has anyway are left out where the
        // kernel refuses them as given back: a bridge's vlan_filtering 0
        // (refused even as 0 without CONFIG_BRIDGE_VLAN_FILTERING) and
        // vxlan's default reserved bits and remcsumRx false (the kernel
        // counts remote checksum bits as used when the attribute is there,
        // even as false, and then refuses the default reserved bits). A bridge's multiBoolopt at add changes
        // only the options it turns on (optmask = optval): the listed mask
        // holds options this kernel may refuse to touch.
        if !slave && adding {
            let default = match (kind, name) {
                ("bridge", "vlanFiltering") => Some(json_default(0)),
                ("vxlan", "reservedBits") => Some(Value::from("f7ffffff000000ff")),
                ("vxlan", "remcsumRx") => Some(Value::from(false)),
                _ => None,
            };
            if default.is_some() && map.get(name) == default.as_ref() {
                spec.ignore(&[name]);
                continue;
            }
            if (kind, name) == ("bridge", "multiBoolopt") {
                if let Some(val) = map.get(name).and_then(|v| v.get("optval")) {
                    let v = serde_json::json!({ "optval": val, "optmask": val });
                    spec.ignore(&[name]);
                    if let Some(p) = encode_one(what, name, fmt, &v)? {
                        crate::protocol::push_attr(&mut out, kind_nr, &p);
                    }
                    continue;
                }
            }
        }
        let payload = if let Named(width, names) = fmt {
            let raw_key = format!("{name}{RAW_SUFFIX}");
            let raw = map.get(&raw_key).filter(|v| !v.is_null());
            spec.ignore(&[name]);
            let value = match (raw, spec.value(name)) {
                (Some(r), _) => r
                    .as_u64()
                    .filter(|&n| n <= u32::MAX as u64)
                    .ok_or_else(|| {
                        invalid(format!(
                            "{what}: {raw_key} must be an integer from 0 to 4294967295, got {r}"
                        ))
                    })? as u32,
                (None, None) => continue,
                (None, Some(v)) => {
                    let found = v.as_str().and_then(|s| {
                        names
                            .iter()
                            .find(|(_, n)| *n == s)
                            .map(|(n, _)| *n)
                            .or_else(|| s.parse().ok())
                    });
                    found.ok_or_else(|| {
                        let known: Vec<&str> = names.iter().map(|(_, n)| *n).collect();
                        invalid(format!(
                            "{what}: {name} must be one of {}, got {v}",
                            known.join(", ")
                        ))
                    })?
                }
            };
            match width {
                Width::W8 => vec![value as u8],
                Width::W16 => (value as u16).to_ne_bytes().to_vec(),
                Width::W32 => value.to_ne_bytes().to_vec(),
            }
        } else {
            let Some(v) = spec.value(name) else { continue };
            match encode_one(what, name, fmt, v)? {
                Some(p) => p,
                None => continue,
            }
        };
        // An IPv6 address under an IPv4 attribute's key (vxlan group,
        // local) goes in its IPv6 twin.
        let kind_nr = match (kind, kind_nr, payload.len()) {
            ("vxlan", 2, 16) => 16,
            ("vxlan", 4, 16) => 17,
            _ => kind_nr,
        };
        crate::protocol::push_attr(&mut out, kind_nr, &payload);
    }
    // The Raw twins of Named fields.
    let raws: Vec<String> = table
        .iter()
        .filter(|r| matches!(r.2, Named(..)))
        .map(|r| format!("{}Raw", r.1))
        .collect();
    let mut unknown: Vec<&String> = map
        .keys()
        .filter(|k| {
            !raws.contains(k)
                && !DECODER_KEYS.contains(&k.as_str())
                && !table.iter().any(|r| r.1 == k.as_str())
        })
        .collect();
    unknown.sort();
    if let Some(k) = unknown.first() {
        let mut known: Vec<&str> = table.iter().map(|r| r.1).filter(|n| *n != "pad").collect();
        known.sort_unstable();
        return Err(invalid(format!(
            "{what}: unknown field '{k}' for kind '{kind}'; expected one of {}",
            known.join(", ")
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// One attribute: header, payload, padding to 4 bytes.
    fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
        let len = (NLA_HDRLEN + payload.len()) as u16;
        let mut v = Vec::new();
        v.extend_from_slice(&len.to_ne_bytes());
        v.extend_from_slice(&kind.to_ne_bytes());
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
        parts.concat()
    }

    fn u16n(v: u16) -> Vec<u8> {
        v.to_ne_bytes().to_vec()
    }
    fn u32n(v: u32) -> Vec<u8> {
        v.to_ne_bytes().to_vec()
    }
    fn u64n(v: u64) -> Vec<u8> {
        v.to_ne_bytes().to_vec()
    }

    #[test]
    fn tables_are_sorted_unique_and_within_u14() {
        let all: Vec<&[Row]> = DATA_KINDS
            .iter()
            .filter_map(|k| data_table(k))
            .chain(SLAVE_KINDS.iter().filter_map(|k| slave_data_table(k)))
            .collect();
        for t in all {
            for w in t.windows(2) {
                assert!(w[0].0 < w[1].0, "{} then {}", w[0].1, w[1].1);
            }
            let mut names: Vec<&str> = t.iter().map(|r| r.1).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), t.len());
            assert!(t.iter().all(|r| r.0 > 0 && r.0 <= wire::NLA_TYPE_MASK));
            assert!(t
                .iter()
                .all(|r| !["unknown", "error", "errorData"].contains(&r.1)));
        }
    }

    #[test]
    fn vlan() {
        let data = cat(&[
            attr(1, &u16n(42)),
            attr(2, &cat(&[u32n(0x3), u32n(0xffff_ffff)])),
            attr(3, &attr(1, &cat(&[u32n(1), u32n(2)]))),
            attr(5, &0x88a8u16.to_be_bytes()),
        ]);
        let m = decode_data("vlan", &data);
        assert_eq!(m["id"], 42);
        assert_eq!(m["flags"], json!({"flags": 3, "mask": 0xffff_ffffu32}));
        assert_eq!(m["egressQos"], "0c0001000100000002000000");
        assert_eq!(m["protocol"], 0x88a8);
        assert!(!m.contains_key("unknown"));
    }

    #[test]
    fn vxlan() {
        let data = cat(&[
            attr(1, &u32n(4242)),
            attr(2, &[10, 2, 3, 4]),
            attr(3, &u32n(7)),
            attr(4, &[10, 2, 3, 5]),
            attr(5, &[10]),
            attr(7, &[1]),
            attr(8, &u32n(300)),
            attr(10, &[0x03, 0xe8, 0x07, 0xd0]),
            attr(11, &[0]),
            attr(15, &4789u16.to_be_bytes()),
            attr(
                16,
                &"ff05::1".parse::<std::net::Ipv6Addr>().unwrap().octets(),
            ),
            attr(18, &[1]),
            attr(23, &[]),
            attr(29, &[2]),
        ]);
        let m = decode_data("vxlan", &data);
        assert_eq!(m["id"], 4242);
        assert_eq!(m["group"], "10.2.3.4");
        assert_eq!(m["link"], 7);
        assert_eq!(m["local"], "10.2.3.5");
        assert_eq!(m["ttl"], 10);
        assert_eq!(m["learning"], true);
        assert_eq!(m["ageing"], 300);
        assert_eq!(m["portRange"], json!({"low": 1000, "high": 2000}));
        assert_eq!(m["proxy"], false);
        assert_eq!(m["port"], 4789);
        assert_eq!(m["group6"], "ff05::1");
        assert_eq!(m["udpCsum"], true);
        assert_eq!(m["gbp"], true);
        assert_eq!(m["df"], 2);
        assert!(!m.contains_key("unknown"));
    }

    #[test]
    fn bond() {
        let data = cat(&[
            attr(1, &[4]),
            attr(3, &u32n(100)),
            attr(4, &u32n(200)),
            attr(5, &u32n(300)),
            attr(6, &[1]),
            attr(8, &attr(0, &[10, 0, 0, 1])),
            attr(14, &[1]),
            attr(26, &[2, 0, 0, 0, 0, 9]),
            attr(32, &[1]),
            attr(33, &[0]),
        ]);
        let m = decode_data("bond", &data);
        assert_eq!(m["mode"], "802.3ad");
        assert_eq!(m["modeRaw"], 4);
        assert_eq!(m["miimon"], 100);
        assert_eq!(m["updelay"], 200);
        assert_eq!(m["downdelay"], 300);
        assert_eq!(m["useCarrier"], 1);
        assert_eq!(m["arpIpTarget"], "080000000a000001");
        assert_eq!(m["xmitHashPolicy"], 1);
        assert_eq!(m["adActorSystem"], "02:00:00:00:00:09");
        // Newer than iproute2 6.1 (which does not print them): numbered as
        // in include/uapi/linux/if_link.h, sent by Debian's 7.2.
        assert_eq!(m["coupledControl"], 1);
        assert_eq!(m["broadcastNeighbor"], 0);

        for (raw, name) in [
            (0u8, "balance-rr"),
            (1, "active-backup"),
            (6, "balance-alb"),
            (9, "9"),
        ] {
            let m = decode_data("bond", &attr(1, &[raw]));
            assert_eq!(m["mode"], name);
            assert_eq!(m["modeRaw"], raw);
        }

        let slave = cat(&[
            attr(1, &[1]),
            attr(2, &[0]),
            attr(3, &u32n(3)),
            attr(4, &[2, 0, 0, 0, 0, 1]),
            attr(5, &u16n(2)),
            attr(9, &(-5i32).to_ne_bytes()),
        ]);
        let s = decode_slave_data("bond", &slave);
        assert_eq!(s["state"], 1);
        assert_eq!(s["miiStatus"], 0);
        assert_eq!(s["linkFailureCount"], 3);
        assert_eq!(s["permHwaddr"], "02:00:00:00:00:01");
        assert_eq!(s["queueId"], 2);
        assert_eq!(s["prio"], -5);
    }

    #[test]
    fn macvlan_and_macvtap() {
        let data = cat(&[
            attr(1, &u32n(4)),
            attr(2, &u16n(1)),
            attr(7, &u32n(1000)),
            attr(8, &u32n(1000)),
            attr(9, &(-1i32).to_ne_bytes()),
        ]);
        for kind in ["macvlan", "macvtap"] {
            let m = decode_data(kind, &data);
            assert_eq!(m["mode"], "bridge");
            assert_eq!(m["modeRaw"], 4);
            assert_eq!(m["flags"], 1);
            assert_eq!(m["bcqueuelen"], 1000);
            assert_eq!(m["usedbcqueuelen"], 1000);
            assert_eq!(m["bclim"], -1);
        }
        for (raw, name) in [
            (1u32, "private"),
            (2, "vepa"),
            (8, "passthru"),
            (16, "source"),
        ] {
            assert_eq!(decode_data("macvlan", &attr(1, &u32n(raw)))["mode"], name);
        }
        let m = decode_data("ipvlan", &cat(&[attr(1, &u16n(2)), attr(2, &u16n(1))]));
        assert_eq!(m["mode"], "l3s");
        assert_eq!(m["modeRaw"], 2);
        assert_eq!(m["flags"], 1);
    }

    #[test]
    fn gre() {
        let data = cat(&[
            attr(1, &u32n(0)),
            attr(2, &0x2000u16.to_be_bytes()),
            attr(3, &0xa000u16.to_be_bytes()),
            attr(4, &77u32.to_be_bytes()),
            attr(5, &78u32.to_be_bytes()),
            attr(6, &[10, 9, 9, 8]),
            attr(7, &[10, 9, 9, 9]),
            attr(8, &[64]),
            attr(9, &[0]),
            attr(10, &[1]),
            attr(16, &5555u16.to_be_bytes()),
            attr(19, &[0]),
            attr(20, &u32n(0x10)),
        ]);
        for kind in ["gre", "gretap"] {
            let m = decode_data(kind, &data);
            assert_eq!(m["link"], 0);
            assert_eq!(m["iflags"], 0x2000);
            assert_eq!(m["oflags"], 0xa000);
            assert_eq!(m["ikey"], 77);
            assert_eq!(m["okey"], 78);
            assert_eq!(m["local"], "10.9.9.8");
            assert_eq!(m["remote"], "10.9.9.9");
            assert_eq!(m["ttl"], 64);
            assert_eq!(m["tos"], 0);
            assert_eq!(m["pmtudisc"], true);
            assert_eq!(m["encapSport"], 5555);
            assert_eq!(m["ignoreDf"], false);
            assert_eq!(m["fwmark"], 16);
            assert!(!m.contains_key("unknown"));
        }
        let v6 = cat(&[
            attr(
                6,
                &"fd00::8".parse::<std::net::Ipv6Addr>().unwrap().octets(),
            ),
            attr(
                7,
                &"fd00::9".parse::<std::net::Ipv6Addr>().unwrap().octets(),
            ),
            attr(8, &[33]),
            attr(11, &[4]),
            attr(12, &0x0001_2345u32.to_be_bytes()),
            attr(13, &u32n(2)),
            attr(18, &[]),
        ]);
        for kind in ["ip6gre", "ip6gretap"] {
            let m = decode_data(kind, &v6);
            assert_eq!(m["local"], "fd00::8");
            assert_eq!(m["remote"], "fd00::9");
            assert_eq!(m["ttl"], 33);
            assert_eq!(m["encapLimit"], 4);
            assert_eq!(m["flowinfo"], 0x0001_2345);
            assert_eq!(m["flags"], 2);
            assert_eq!(m["external"], true);
        }
        // An address that is neither 4 nor 16 bytes is kept raw.
        let m = decode_data("gre", &attr(6, &[1, 2, 3]));
        assert_eq!(m["unknown"], json!([{"type": 6, "data": "010203"}]));
    }

    #[test]
    fn vrf() {
        let m = decode_data("vrf", &attr(1, &u32n(1001)));
        assert_eq!(m["table"], 1001);
        assert_eq!(m.len(), 1);
        assert_eq!(
            decode_slave_data("vrf", &attr(1, &u32n(1001)))["table"],
            1001
        );
    }

    #[test]
    fn tun() {
        let data = cat(&[
            attr(1, &u32n(1000)),
            attr(3, &[1]),
            attr(4, &[0]),
            attr(5, &[0]),
            attr(6, &[1]),
            attr(7, &[0]),
        ]);
        let m = decode_data("tun", &data);
        assert_eq!(m["owner"], 1000);
        assert_eq!(m["type"], "tun");
        assert_eq!(m["typeRaw"], 1);
        assert_eq!(m["pi"], false);
        assert_eq!(m["vnetHdr"], false);
        assert_eq!(m["persist"], true);
        assert_eq!(m["multiQueue"], false);
        assert!(!m.contains_key("group"));

        let tap = cat(&[
            attr(2, &u32n(27)),
            attr(3, &[2]),
            attr(5, &[1]),
            attr(7, &[1]),
            attr(8, &u32n(4)),
            attr(9, &u32n(1)),
        ]);
        let m = decode_data("tun", &tap);
        assert_eq!(m["type"], "tap");
        assert_eq!(m["group"], 27);
        assert_eq!(m["vnetHdr"], true);
        assert_eq!(m["multiQueue"], true);
        assert_eq!(m["numqueues"], 4);
        assert_eq!(m["numdisabled"], 1);
    }

    #[test]
    fn bridge_and_port() {
        let id = [0x80, 0x00, 0x6e, 0x70, 0x84, 0x8c, 0xe2, 0x37];
        let data = cat(&[
            attr(1, &u32n(1500)),
            attr(2, &u32n(200)),
            attr(3, &u32n(2000)),
            attr(4, &u32n(30000)),
            attr(5, &u32n(0)),
            attr(6, &u16n(32768)),
            attr(7, &[1]),
            attr(8, &0x8100u16.to_be_bytes()),
            attr(11, &id),
            attr(16, &u64n(123)),
            attr(20, &[0x01, 0x80, 0xc2, 0, 0, 0]),
            attr(31, &u64n(26000)),
            attr(40, &[]),
            attr(46, &cat(&[u32n(0), u32n(7)])),
            attr(49, &u32n(0)),
        ]);
        let m = decode_data("bridge", &data);
        assert_eq!(m["forwardDelay"], 1500);
        assert_eq!(m["helloTime"], 200);
        assert_eq!(m["maxAge"], 2000);
        assert_eq!(m["ageingTime"], 30000);
        assert_eq!(m["stpState"], 0);
        assert_eq!(m["priority"], 32768);
        assert_eq!(m["vlanFiltering"], 1);
        assert_eq!(m["vlanProtocol"], 0x8100);
        assert_eq!(m["bridgeId"], "8000.6e:70:84:8c:e2:37");
        assert_eq!(m["helloTimer"], 123);
        assert_eq!(m["groupAddr"], "01:80:c2:00:00:00");
        assert_eq!(m["mcastMembershipIntvl"], 26000);
        assert_eq!(m["multiBoolopt"], json!({"optval": 0, "optmask": 7}));
        assert_eq!(m["fdbMaxLearned"], 0);
        assert!(!m.contains_key("pad"));
        assert!(!m.contains_key("unknown"));

        let port = cat(&[
            attr(1, &[3]),
            attr(2, &u16n(32)),
            attr(3, &u32n(2)),
            attr(4, &[0]),
            attr(8, &[1]),
            attr(9, &[1]),
            attr(13, &id),
            attr(17, &u16n(0x8001)),
            attr(23, &u64n(0)),
            attr(39, &[0]),
        ]);
        let p = decode_slave_data("bridge", &port);
        assert_eq!(p["state"], 3);
        assert_eq!(p["priority"], 32);
        assert_eq!(p["cost"], 2);
        assert_eq!(p["hairpin"], false);
        assert_eq!(p["learning"], true);
        assert_eq!(p["flood"], true);
        assert_eq!(p["rootId"], "8000.6e:70:84:8c:e2:37");
        assert_eq!(p["id"], 0x8001);
        assert_eq!(p["holdTimer"], 0);
        assert_eq!(p["locked"], false);
    }

    #[test]
    fn veth_and_wireguard_keep_bytes() {
        let peer = attr(1, &[0; 16]);
        assert_eq!(decode_data("veth", &peer)["peer"], "0".repeat(32));
        assert!(decode_data("wireguard", &[]).is_empty());
        let m = decode_data("wireguard", &attr(3, &[1, 2]));
        assert_eq!(m.len(), 1);
        assert_eq!(m["unknown"], json!([{"type": 3, "data": "0102"}]));
    }

    #[test]
    fn unknown_kinds_short_payloads_and_repeats_go_to_unknown() {
        let data = cat(&[attr(1, &u32n(5)), attr(200, &[9])]);
        let m = decode_data("no-such-kind", &data);
        assert_eq!(m.len(), 1);
        assert_eq!(
            m["unknown"],
            json!([{"type": 1, "data": "05000000"}, {"type": 200, "data": "09"}])
        );
        assert_eq!(decode_slave_data("team", &data).len(), 1);

        // u32 with two bytes, an unlisted type, and a repeated id.
        let data = cat(&[
            attr(1, &[1, 0]),
            attr(99, &[7]),
            attr(1, &u32n(8)),
            attr(1, &u32n(9)),
        ]);
        let m = decode_data("vxlan", &data);
        assert_eq!(m["id"], 8);
        assert_eq!(
            m["unknown"],
            json!([
                {"type": 1, "data": "0100"},
                {"type": 99, "data": "07"},
                {"type": 1, "data": "09000000"}
            ])
        );

        // A non-empty pad is kept.
        let m = decode_data("bridge", &attr(40, &[1, 2, 3, 4]));
        assert_eq!(m["unknown"], json!([{"type": 40, "data": "01020304"}]));

        // Named values that are too short.
        let m = decode_data("macvlan", &attr(1, &[4, 0]));
        assert!(!m.contains_key("mode"));
        assert_eq!(m["unknown"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    fn flags_with_a_payload_use_its_first_byte() {
        assert_eq!(decode_data("vxlan", &attr(23, &[]))["gbp"], true);
        assert_eq!(decode_data("vxlan", &attr(23, &[0]))["gbp"], false);
        assert_eq!(decode_data("vxlan", &attr(23, &[1]))["gbp"], true);
        assert_eq!(decode_data("gre", &attr(18, &[]))["external"], true);
        // IFLA_VXLAN_TTL_INHERIT arrives as a u8.
        assert_eq!(decode_data("vxlan", &attr(28, &[0]))["ttlInherit"], false);
        assert_eq!(decode_data("vxlan", &attr(28, &[1]))["ttlInherit"], true);
    }

    #[test]
    fn nested_flag_bit_is_masked() {
        // NLA_F_NESTED (0x8000) on IFLA_VLAN_EGRESS_QOS.
        let m = decode_data("vlan", &attr(0x8000 | 3, &[]));
        assert_eq!(m["egressQos"], "");
    }

    #[test]
    fn malformed_walk_keeps_what_decoded() {
        let mut data = cat(&[attr(1, &u32n(42))]);
        // An attribute that claims 64 bytes with 8 left.
        data.extend_from_slice(&64u16.to_ne_bytes());
        data.extend_from_slice(&5u16.to_ne_bytes());
        data.extend_from_slice(&[1, 2, 3, 4]);
        let m = decode_data("vrf", &data);
        assert_eq!(m["table"], 42);
        assert!(
            m["error"].as_str().is_some_and(|e| e.contains("length 64")),
            "{m:?}"
        );
        assert_eq!(m["errorData"], "4000050001020304");

        // Nonzero trailing bytes too short for a header.
        let mut data = attr(1, &u32n(1));
        data.extend_from_slice(&[7, 7]);
        let m = decode_data("vrf", &data);
        assert_eq!(m["table"], 1);
        assert_eq!(m["errorData"], "0707");

        // Zero trailing bytes are padding, not an error.
        let mut data = attr(1, &u32n(1));
        data.extend_from_slice(&[0, 0]);
        assert!(!decode_data("vrf", &data).contains_key("error"));
    }

    /// xorshift64*, so the test needs no dependency and is repeatable.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
    }

    /// A plausible attribute stream: real types of the kind, sizes around
    /// what the formats need, sometimes a lying length.
    fn plausible(rng: &mut Rng, table: &[Row]) -> Vec<u8> {
        let mut out = Vec::new();
        for _ in 0..(rng.next() % 12) {
            let kind = if !table.is_empty() && !rng.next().is_multiple_of(4) {
                table[(rng.next() as usize) % table.len()].0
            } else {
                (rng.next() % 64) as u16
            };
            let len = (rng.next() % 20) as usize;
            let payload: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let mut a = attr(kind, &payload);
            if rng.next().is_multiple_of(10) {
                let bogus = (rng.next() % 80) as u16;
                a[0..2].copy_from_slice(&bogus.to_ne_bytes());
            }
            out.extend_from_slice(&a);
        }
        out
    }

    #[test]
    fn truncated_and_random_bytes_never_panic() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut kinds: Vec<(&str, bool)> = DATA_KINDS.iter().map(|k| (*k, false)).collect();
        kinds.extend(SLAVE_KINDS.iter().map(|k| (*k, true)));
        kinds.push(("unknown-kind", false));
        kinds.push(("unknown-kind", true));
        for (kind, slave) in kinds {
            let decode = |b: &[u8]| {
                if slave {
                    decode_slave_data(kind, b)
                } else {
                    decode_data(kind, b)
                }
            };
            let table = if slave {
                slave_data_table(kind)
            } else {
                data_table(kind)
            };
            let table = table.unwrap_or(&[]);
            for _ in 0..300 {
                let data = plausible(&mut rng, table);
                let full = decode(&data);
                // Every prefix, as a truncated message would give.
                for cut in 0..data.len() {
                    let _ = decode(&data[..cut]);
                }
                // Flipped bytes.
                let mut bad = data.clone();
                for _ in 0..4 {
                    if !bad.is_empty() {
                        let i = (rng.next() as usize) % bad.len();
                        bad[i] ^= rng.next() as u8;
                    }
                }
                let _ = decode(&bad);
                // Pure noise.
                let n = (rng.next() % 64) as usize;
                let noise: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                let _ = decode(&noise);
                // The whole stream decodes to something unless it was only
                // empty padding.
                assert!(data.is_empty() || !full.is_empty() || kind == "bridge");
            }
        }
    }
}
