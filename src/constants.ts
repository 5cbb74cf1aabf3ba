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
  unspec: 0,
  unicast: 1,
  local: 2,
  broadcast: 3,
  anycast: 4,
  multicast: 5,
  blackhole: 6,
  unreachable: 7,
  prohibit: 8,
  throw: 9,
  nat: 10,
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
  unspec: 0,
  compat: 252,
  default: 253,
  main: 254,
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
  unspec: 0,
  redirect: 1,
  kernel: 2,
  boot: 3,
  static: 4,
  gated: 8,
  ra: 9,
  mrt: 10,
  zebra: 11,
  bird: 12,
  dnrouted: 13,
  xorp: 14,
  ntk: 15,
  dhcp: 16,
  mrouted: 17,
  keepalived: 18,
  babel: 42,
  openr: 99,
  bgp: 186,
  isis: 187,
  ospf: 188,
  rip: 189,
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
  global: 0,
  site: 200,
  link: 253,
  host: 254,
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
  unspec: 0,
  lookup: 1,
  goto: 2,
  nop: 3,
  blackhole: 6,
  unreachable: 7,
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
  unspec: 0,
  inet: 2,
  bridge: 7,
  inet6: 10,
  mpls: 28,
} as const)
