/**
 * The kernel's numbers by the names `ip` gives them: route types, tables,
 * protocols and scopes (the built-in names of crates/rtnl-core/src/names.rs;
 * names configured in /etc/iproute2/rt_tables, rt_protos and rt_scopes are
 * taken by changes too, as strings), rule actions and address families. A
 * change takes either form: `type: ROUTE_TYPES.blackhole` and `type:
 * 'blackhole'` are the same.
 */

/**
 * Route types (RTN_*), as `ip route` names them.
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes, ROUTE_TYPES } from 'rtnl'
 *
 * const held = (await routes.list()).filter((r) => r.type === ROUTE_TYPES.blackhole)
 * console.log(held.length)
 * ```
 */
export const ROUTE_TYPES = Object.freeze({
  /** RTN_UNSPEC: 0. */
  unspec: 0,
  /** RTN_UNICAST: 1. */
  unicast: 1,
  /** RTN_LOCAL: 2. */
  local: 2,
  /** RTN_BROADCAST: 3. */
  broadcast: 3,
  /** RTN_ANYCAST: 4. */
  anycast: 4,
  /** RTN_MULTICAST: 5. */
  multicast: 5,
  /** RTN_BLACKHOLE: 6. */
  blackhole: 6,
  /** RTN_UNREACHABLE: 7. */
  unreachable: 7,
  /** RTN_PROHIBIT: 8. */
  prohibit: 8,
  /** RTN_THROW: 9. */
  throw: 9,
  /** RTN_NAT: 10. */
  nat: 10,
  /** RTN_XRESOLVE: 11. */
  xresolve: 11,
} as const)

/**
 * Routing tables (RT_TABLE_*) with a built-in name.
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes, ROUTE_TABLES } from 'rtnl'
 *
 * console.log((await routes.list({ table: ROUTE_TABLES.main })).length)
 * ```
 */
export const ROUTE_TABLES = Object.freeze({
  /** RT_TABLE_UNSPEC: 0. */
  unspec: 0,
  /** RT_TABLE_COMPAT: 252. */
  compat: 252,
  /** RT_TABLE_DEFAULT: 253. */
  default: 253,
  /** RT_TABLE_MAIN: 254. */
  main: 254,
  /** RT_TABLE_LOCAL: 255. */
  local: 255,
} as const)

/**
 * Route protocols (RTPROT_*): who made a route, as rt_protos names them.
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes, ROUTE_PROTOCOLS } from 'rtnl'
 *
 * const mine = (await routes.list()).filter((r) => r.protocol === ROUTE_PROTOCOLS.static)
 * console.log(mine.length)
 * ```
 */
export const ROUTE_PROTOCOLS = Object.freeze({
  /** RTPROT_UNSPEC: 0. */
  unspec: 0,
  /** RTPROT_REDIRECT: 1. */
  redirect: 1,
  /** RTPROT_KERNEL: 2. */
  kernel: 2,
  /** RTPROT_BOOT: 3. */
  boot: 3,
  /** RTPROT_STATIC: 4. */
  static: 4,
  /** RTPROT_GATED: 8. */
  gated: 8,
  /** RTPROT_RA: 9. */
  ra: 9,
  /** RTPROT_MRT: 10. */
  mrt: 10,
  /** RTPROT_ZEBRA: 11. */
  zebra: 11,
  /** RTPROT_BIRD: 12. */
  bird: 12,
  /** RTPROT_DNROUTED: 13. */
  dnrouted: 13,
  /** RTPROT_XORP: 14. */
  xorp: 14,
  /** RTPROT_NTK: 15. */
  ntk: 15,
  /** RTPROT_DHCP: 16. */
  dhcp: 16,
  /** RTPROT_MROUTED: 17. */
  mrouted: 17,
  /** RTPROT_KEEPALIVED: 18. */
  keepalived: 18,
  /** RTPROT_BABEL: 42. */
  babel: 42,
  /** RTPROT_OPENR: 99. */
  openr: 99,
  /** RTPROT_BGP: 186. */
  bgp: 186,
  /** RTPROT_ISIS: 187. */
  isis: 187,
  /** RTPROT_OSPF: 188. */
  ospf: 188,
  /** RTPROT_RIP: 189. */
  rip: 189,
  /** RTPROT_EIGRP: 192. */
  eigrp: 192,
} as const)

/**
 * Route and address scopes (RT_SCOPE_*).
 *
 * @category Changes
 * @example
 * ```ts
 * import { addresses, ROUTE_SCOPES } from 'rtnl'
 *
 * const global = (await addresses.list()).filter((a) => a.scope === ROUTE_SCOPES.global)
 * console.log(global.map((a) => a.local ?? a.address))
 * ```
 */
export const ROUTE_SCOPES = Object.freeze({
  /** RT_SCOPE_UNIVERSE: 0. */
  global: 0,
  /** RT_SCOPE_SITE: 200. */
  site: 200,
  /** RT_SCOPE_LINK: 253. */
  link: 253,
  /** RT_SCOPE_HOST: 254. */
  host: 254,
  /** RT_SCOPE_NOWHERE: 255. */
  nowhere: 255,
} as const)

/**
 * Rule actions (FR_ACT_*), as `ip rule` names them.
 *
 * @category Changes
 * @example
 * ```ts
 * import { rules, RULE_ACTIONS } from 'rtnl'
 *
 * const lookups = (await rules.list()).filter((r) => r.action === RULE_ACTIONS.lookup)
 * console.log(lookups.length)
 * ```
 */
export const RULE_ACTIONS = Object.freeze({
  /** FR_ACT_UNSPEC: 0. */
  unspec: 0,
  /** FR_ACT_TO_TBL: 1. */
  lookup: 1,
  /** FR_ACT_GOTO: 2. */
  goto: 2,
  /** FR_ACT_NOP: 3. */
  nop: 3,
  /** FR_ACT_BLACKHOLE: 6. */
  blackhole: 6,
  /** FR_ACT_UNREACHABLE: 7. */
  unreachable: 7,
  /** FR_ACT_PROHIBIT: 8. */
  prohibit: 8,
} as const)

/**
 * Address families as the kernel numbers them (AF_*): what a listed
 * object's `family` holds. The `family` option of `list()` also takes 4 and
 * 6, the IP versions.
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes, FAMILIES } from 'rtnl'
 *
 * const six = (await routes.list()).filter((r) => r.family === FAMILIES.inet6)
 * console.log(six.length)
 * ```
 */
export const FAMILIES = Object.freeze({
  /** AF_UNSPEC: 0. */
  unspec: 0,
  /** AF_INET: 2. */
  inet: 2,
  /** AF_BRIDGE: 7. */
  bridge: 7,
  /** AF_INET6: 10. */
  inet6: 10,
  /** AF_MPLS: 28. */
  mpls: 28,
} as const)
