//! IFLA_AF_SPEC's per-family link details: the IPv4 and IPv6 devconf arrays
//! (the link's net.ipv4.conf.* and net.ipv6.conf.* sysctls), the IPv6
//! per-link IP and ICMPv6 statistics, and their field names.
//!
//! The name tables follow the order of the uapi enums (linux/ipv6.h
//! DEVCONF_*, linux/ip.h IPV4_DEVCONF_*, linux/snmp.h IPSTATS_MIB_* and
//! ICMP6_MIB_*), generated from the 6.1 headers. A newer kernel's longer
//! array decodes this prefix and keeps the rest as hex in `extra`.

use serde_json::{Map, Value};

use crate::wire;

/// DEVCONF_*: IFLA_INET6_CONF, one s32 each, from index 0.
pub const INET6_CONF: [&str; 59] = [
    "forwarding",
    "hoplimit",
    "mtu6",
    "acceptRa",
    "acceptRedirects",
    "autoconf",
    "dadTransmits",
    "rtrSolicits",
    "rtrSolicitInterval",
    "rtrSolicitDelay",
    "useTempaddr",
    "tempValidLft",
    "tempPreferedLft",
    "regenMaxRetry",
    "maxDesyncFactor",
    "maxAddresses",
    "forceMldVersion",
    "acceptRaDefrtr",
    "acceptRaPinfo",
    "acceptRaRtrPref",
    "rtrProbeInterval",
    "acceptRaRtInfoMaxPlen",
    "proxyNdp",
    "optimisticDad",
    "acceptSourceRoute",
    "mcForwarding",
    "disableIpv6",
    "acceptDad",
    "forceTllao",
    "ndiscNotify",
    "mldv1UnsolicitedReportInterval",
    "mldv2UnsolicitedReportInterval",
    "suppressFragNdisc",
    "acceptRaFromLocal",
    "useOptimistic",
    "acceptRaMtu",
    "stableSecret",
    "useOifAddrsOnly",
    "acceptRaMinHopLimit",
    "ignoreRoutesWithLinkdown",
    "dropUnicastInL2Multicast",
    "dropUnsolicitedNa",
    "keepAddrOnDown",
    "rtrSolicitMaxInterval",
    "seg6Enabled",
    "seg6RequireHmac",
    "enhancedDad",
    "addrGenMode",
    "disablePolicy",
    "acceptRaRtInfoMinPlen",
    "ndiscTclass",
    "rplSegEnabled",
    "raDefrtrMetric",
    "ioam6Enabled",
    "ioam6Id",
    "ioam6IdWide",
    "ndiscEvictNocarrier",
    "acceptUntrackedNa",
    "acceptRaMinLft",
];

/// IPV4_DEVCONF_*: IFLA_INET_CONF, one u32 each; the enum starts at 1, the array at 0.
pub const INET_CONF: [&str; 33] = [
    "forwarding",
    "mcForwarding",
    "proxyArp",
    "acceptRedirects",
    "secureRedirects",
    "sendRedirects",
    "sharedMedia",
    "rpFilter",
    "acceptSourceRoute",
    "bootpRelay",
    "logMartians",
    "tag",
    "arpfilter",
    "mediumId",
    "noxfrm",
    "nopolicy",
    "forceIgmpVersion",
    "arpAnnounce",
    "arpIgnore",
    "promoteSecondaries",
    "arpAccept",
    "arpNotify",
    "acceptLocal",
    "srcVmark",
    "proxyArpPvlan",
    "routeLocalnet",
    "igmpv2UnsolicitedReportInterval",
    "igmpv3UnsolicitedReportInterval",
    "ignoreRoutesWithLinkdown",
    "dropUnicastInL2Multicast",
    "dropGratuitousArp",
    "bcForwarding",
    "arpEvictNocarrier",
];

/// IPSTATS_MIB_*: IFLA_INET6_STATS, one u64 each; index 0 (`num`) is the count.
pub const INET6_STATS: [&str; 37] = [
    "num",
    "inpkts",
    "inoctets",
    "indelivers",
    "outforwdatagrams",
    "outpkts",
    "outoctets",
    "inhdrerrors",
    "intoobigerrors",
    "innoroutes",
    "inaddrerrors",
    "inunknownprotos",
    "intruncatedpkts",
    "indiscards",
    "outdiscards",
    "outnoroutes",
    "reasmtimeout",
    "reasmreqds",
    "reasmoks",
    "reasmfails",
    "fragoks",
    "fragfails",
    "fragcreates",
    "inmcastpkts",
    "outmcastpkts",
    "inbcastpkts",
    "outbcastpkts",
    "inmcastoctets",
    "outmcastoctets",
    "inbcastoctets",
    "outbcastoctets",
    "csumerrors",
    "noectpkts",
    "ect1pkts",
    "ect0pkts",
    "cepkts",
    "reasmOverlaps",
];

/// ICMP6_MIB_*: IFLA_INET6_ICMP6STATS, one u64 each; index 0 (`num`) is the count.
pub const ICMP6_STATS: [&str; 7] = [
    "num",
    "inmsgs",
    "inerrors",
    "outmsgs",
    "outerrors",
    "csumerrors",
    "ratelimithost",
];

/// Which integer each element of an array attribute is.
#[derive(Clone, Copy)]
pub enum Element {
    I32,
    U32,
    U64,
}

/// A kernel array of numbers as an object keyed by `names`; elements past
/// the table go to `extra` as hex.
pub fn named_array(data: &[u8], names: &[&str], element: Element) -> Map<String, Value> {
    let size = match element {
        Element::I32 | Element::U32 => 4,
        Element::U64 => 8,
    };
    let mut map = Map::new();
    for (i, name) in names.iter().enumerate() {
        let at = i * size;
        let v: Option<Value> = match element {
            Element::I32 => wire::i32_at(data, at).map(Value::from),
            Element::U32 => wire::u32_at(data, at).map(Value::from),
            Element::U64 => wire::u64_at(data, at).map(Value::from),
        };
        match v {
            Some(v) => {
                map.insert((*name).to_string(), v);
            }
            None => break,
        }
    }
    let known = names.len() * size;
    if data.len() > known {
        map.insert("extra".to_string(), wire::hex(&data[known..]).into());
    }
    map
}
