import { KIND_TABLE } from './generated/kinds'
import { perKind, type AnyKindName } from './kinds'
/**
 * rtnetlink multicast groups (enum rtnetlink_groups in linux/rtnetlink.h):
 * the numbers `MonitorOptions.groups` takes. Each name says which events
 * the group carries. Groups 1 to 33 are in every kernel rtnl supports (5.10
 * and newer); the later ones say which version added them (from the history
 * of include/uapi/linux/rtnetlink.h; the kernel matrix, `npm run
 * test:kernels`, confirms it on Debian's 5.10, 6.1, 6.12 and 7.2). A kernel
 * refuses a group it does not have: see `MonitorOptions.missingGroups`.
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe, RTNLGRP } from 'rtnl'
 *
 * const monitor = await subscribe({ groups: [RTNLGRP.LINK, RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR] })
 * ```
 */
export const RTNLGRP = Object.freeze({
  /** Links: new_link, del_link; bridge ports: new_bridge_port, del_bridge_port. */
  LINK: 1,
  /** Reserved for user space (RTNLGRP_NOTIFY); not in ALL_GROUPS. */
  NOTIFY: 2,
  /** Neighbours and bridge fdb entries: new_neigh, del_neigh. */
  NEIGH: 3,
  /** Traffic control: qdiscs, classes, filters, chains and standalone actions. */
  TC: 4,
  /** IPv4 addresses: new_addr, del_addr. */
  IPV4_IFADDR: 5,
  /** IPv4 multicast routes (family 128). */
  IPV4_MROUTE: 6,
  /** IPv4 routes: new_route, del_route. */
  IPV4_ROUTE: 7,
  /** IPv4 policy rules: new_rule, del_rule. */
  IPV4_RULE: 8,
  /** IPv6 addresses: new_addr, del_addr. */
  IPV6_IFADDR: 9,
  /** IPv6 multicast routes (family 129). */
  IPV6_MROUTE: 10,
  /** IPv6 routes: new_route, del_route. */
  IPV6_ROUTE: 11,
  /** IPv6 per-link information (RA flags and the like): new_link with family 10 (AF_INET6). */
  IPV6_IFINFO: 12,
  /** DECnet addresses (gone from Linux). */
  DECnet_IFADDR: 13,
  /** DECnet routes (gone from Linux). */
  DECnet_ROUTE: 15,
  /** DECnet rules (gone from Linux). */
  DECnet_RULE: 16,
  /** IPv6 prefixes from router advertisements: new_prefix. */
  IPV6_PREFIX: 18,
  /** IPv6 policy rules: new_rule, del_rule. */
  IPV6_RULE: 19,
  /** ND options from router advertisements (RDNSS, DNSSL, ...): new_nduseropt. */
  ND_USEROPT: 20,
  /** Phonet addresses. */
  PHONET_IFADDR: 21,
  /** Phonet routes. */
  PHONET_ROUTE: 22,
  /** Data center bridging (as `unknown`). */
  DCB: 23,
  /** IPv4 per-interface configuration: new_netconf, del_netconf. */
  IPV4_NETCONF: 24,
  /** IPv6 per-interface configuration: new_netconf, del_netconf. */
  IPV6_NETCONF: 25,
  /** Bridge multicast database: new_mdb, del_mdb. */
  MDB: 26,
  /** MPLS routes (family 28): new_route, del_route. */
  MPLS_ROUTE: 27,
  /** Namespace ids: new_nsid, del_nsid. */
  NSID: 28,
  /** MPLS per-interface configuration: new_netconf, del_netconf. */
  MPLS_NETCONF: 29,
  /** IPv4 multicast route cache reports (as `unknown`). */
  IPV4_MROUTE_R: 30,
  /** IPv6 multicast route cache reports (as `unknown`). */
  IPV6_MROUTE_R: 31,
  /** Nexthop objects and buckets: new_nexthop, del_nexthop, new_nexthop_bucket, del_nexthop_bucket. */
  NEXTHOP: 32,
  /** Bridge VLANs: new_vlan, del_vlan. */
  BRVLAN: 33,
  /** MCTP addresses. Since Linux 5.15. */
  MCTP_IFADDR: 34,
  /** Tunnel objects (VXLAN VNI filters; as `unknown`). Since Linux 5.18. */
  TUNNEL: 35,
  /** Link statistics: new_stats. Since Linux 5.18. */
  STATS: 36,
  /** IPv4 multicast groups joined and left: new_maddr, del_maddr. Since Linux 6.14. */
  IPV4_MCADDR: 37,
  /** IPv6 multicast groups joined and left: new_maddr, del_maddr. Since Linux 6.14. */
  IPV6_MCADDR: 38,
  /** IPv6 anycast addresses: new_acaddr, del_acaddr. Since Linux 6.14. */
  IPV6_ACADDR: 39,
} as const)

/**
 * The groups a monitor joins by default: links, neighbours, v4/v6 addresses, routes and rules.
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe, DEFAULT_GROUPS, RTNLGRP } from 'rtnl'
 *
 * const monitor = await subscribe({ groups: [...DEFAULT_GROUPS, RTNLGRP.NEXTHOP] }) // the defaults, and nexthops
 * ```
 */
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
 * link statistics. As `ip monitor all` does, a monitor given this list joins
 * the groups the kernel has (STATS came in Linux 5.18) and reports the
 * others in `stats().groupsRefused` and one process warning.
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe, IP_MONITOR_ALL_GROUPS } from 'rtnl'
 *
 * const monitor = await subscribe({ groups: [...IP_MONITOR_ALL_GROUPS] })
 * const { groupsRefused } = monitor.stats() // [36] on Linux 5.10
 * ```
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
 * and anycast addresses, multicast route cache reports and tunnels. A
 * monitor given this list joins the groups the kernel has and reports the
 * others (34 to 39 came after Linux 5.10; see {@link RTNLGRP}); an explicit
 * list of groups fails on a group the kernel lacks, unless `missingGroups` is
 * 'skip'.
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe, ALL_GROUPS, RTNLGRP, RtnlError } from 'rtnl'
 *
 * const everything = await subscribe({ groups: [...ALL_GROUPS] }) // joins what the kernel has
 * console.log(everything.stats().groupsRefused) // [37, 38, 39] on Linux 6.12
 * try {
 *   await subscribe({ groups: [RTNLGRP.LINK, RTNLGRP.IPV4_MCADDR] }) // strict: fails before Linux 6.14
 * } catch (err) {
 *   if (err instanceof RtnlError && err.code === 'EINVAL') console.log(err.message)
 * }
 * ```
 */
export const ALL_GROUPS: readonly number[] = Object.freeze(
  Object.values(RTNLGRP)
    .filter((g) => g !== RTNLGRP.NOTIFY)
    .sort((a, b) => a - b),
)

/**
 * The groups that carry each kind's events (what a monitor joins to see them), as each kind's
 * Rust module declares them (`KindDecl::groups`).
 *
 * @category Monitor
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * const monitor = await subscribe({ groups: [...KIND_GROUPS.qdiscs, ...KIND_GROUPS.nexthops, ...KIND_GROUPS.links] })
 * ```
 */
export const KIND_GROUPS: { readonly [K in AnyKindName]: readonly number[] } = Object.freeze(
  perKind(Object.keys(KIND_TABLE) as AnyKindName[], (k) => Object.freeze(KIND_TABLE[k].groups.map((g) => RTNLGRP[g]))),
)
