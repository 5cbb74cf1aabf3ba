/** rtnetlink multicast groups (enum rtnetlink_groups in linux/rtnetlink.h). */
export const RTNLGRP = Object.freeze({
  LINK: 1,
  NOTIFY: 2,
  NEIGH: 3,
  TC: 4,
  IPV4_IFADDR: 5,
  IPV4_MROUTE: 6,
  IPV4_ROUTE: 7,
  IPV4_RULE: 8,
  IPV6_IFADDR: 9,
  IPV6_MROUTE: 10,
  IPV6_ROUTE: 11,
  IPV6_IFINFO: 12,
  DECnet_IFADDR: 13,
  DECnet_ROUTE: 15,
  DECnet_RULE: 16,
  IPV6_PREFIX: 18,
  IPV6_RULE: 19,
  ND_USEROPT: 20,
  PHONET_IFADDR: 21,
  PHONET_ROUTE: 22,
  DCB: 23,
  IPV4_NETCONF: 24,
  IPV6_NETCONF: 25,
  MDB: 26,
  MPLS_ROUTE: 27,
  NSID: 28,
  MPLS_NETCONF: 29,
  IPV4_MROUTE_R: 30,
  IPV6_MROUTE_R: 31,
  NEXTHOP: 32,
  BRVLAN: 33,
  MCTP_IFADDR: 34,
  TUNNEL: 35,
  STATS: 36,
  IPV4_MCADDR: 37,
  IPV6_MCADDR: 38,
  IPV6_ACADDR: 39,
} as const)

/** The groups a monitor joins by default: links, neighbours, v4/v6 addresses, routes and rules. */
export const DEFAULT_GROUPS: readonly number[] = Object.freeze([
  RTNLGRP.LINK,
  RTNLGRP.NEIGH,
  RTNLGRP.IPV4_IFADDR,
  RTNLGRP.IPV4_ROUTE,
  RTNLGRP.IPV4_RULE,
  RTNLGRP.IPV6_IFADDR,
  RTNLGRP.IPV6_ROUTE,
  RTNLGRP.IPV6_RULE,
])

/**
 * The groups `ip monitor all` joins (iproute2 6.x, ip/ipmonitor.c): links,
 * addresses, routes (and multicast and MPLS routes), IPv6 prefixes,
 * neighbours, netconf (IPv4, IPv6, MPLS), rules, namespace ids, nexthops and
 * link statistics. A group the kernel does not have is refused when the
 * monitor starts (MPLS without the mpls module): pass the rest.
 */
export const IP_MONITOR_ALL_GROUPS: readonly number[] = Object.freeze([
  RTNLGRP.LINK,
  RTNLGRP.IPV4_IFADDR,
  RTNLGRP.IPV6_IFADDR,
  RTNLGRP.IPV4_ROUTE,
  RTNLGRP.IPV6_ROUTE,
  RTNLGRP.MPLS_ROUTE,
  RTNLGRP.IPV4_MROUTE,
  RTNLGRP.IPV6_MROUTE,
  RTNLGRP.IPV6_PREFIX,
  RTNLGRP.NEIGH,
  RTNLGRP.IPV4_NETCONF,
  RTNLGRP.IPV6_NETCONF,
  RTNLGRP.MPLS_NETCONF,
  RTNLGRP.IPV4_RULE,
  RTNLGRP.IPV6_RULE,
  RTNLGRP.NSID,
  RTNLGRP.NEXTHOP,
  RTNLGRP.STATS,
])

/**
 * Every rtnetlink group, 1 to 39: `ip monitor all` plus what `tc monitor`
 * (TC) and `bridge monitor` (MDB, BRVLAN) join, ND user options, multicast
 * and anycast addresses, multicast route cache reports and tunnels.
 */
export const ALL_GROUPS: readonly number[] = Object.freeze(
  Object.values(RTNLGRP)
    .filter((g) => g !== RTNLGRP.NOTIFY)
    .sort((a, b) => a - b),
)

/** The groups that carry each kind's events (what a monitor joins to see them). */
export const KIND_GROUPS = Object.freeze({
  links: [RTNLGRP.LINK],
  addresses: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  routes: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
  rules: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  neighbours: [RTNLGRP.NEIGH],
  nexthops: [RTNLGRP.NEXTHOP],
  nexthopBuckets: [RTNLGRP.NEXTHOP],
  netconf: [RTNLGRP.IPV4_NETCONF, RTNLGRP.IPV6_NETCONF],
  nsids: [RTNLGRP.NSID],
  qdiscs: [RTNLGRP.TC],
  tcClasses: [RTNLGRP.TC],
  tcFilters: [RTNLGRP.TC],
  tcChains: [RTNLGRP.TC],
  bridgeVlans: [RTNLGRP.BRVLAN],
  mdb: [RTNLGRP.MDB],
  linkStats: [RTNLGRP.STATS],
  prefixes: [RTNLGRP.IPV6_PREFIX],
  ndUserOptions: [RTNLGRP.ND_USEROPT],
} as const satisfies Record<string, readonly number[]>)
