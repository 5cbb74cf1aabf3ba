/** Routes, as `ip route` shows them (RTM_NEWROUTE / RTM_DELROUTE). Mirrors crates/rtnl-core/src/route.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { checkKeys, describe, positiveInteger, validateIp, validateNetns } from './options'
import { invalidType } from './errors'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, RouteListOptions } from './options'

/**
 * One next hop of a multipath route (struct rtnexthop in RTA_MULTIPATH).
 *
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * for (const r of await routes.list()) {
 *   for (const hop of r.multipath ?? []) console.log(r.dst, 'via', hop.gateway, 'dev', hop.oif, 'weight', hop.weight)
 * }
 * ```
 * @category Routes
 */
export interface Nexthop {
  /** RTNH_F_* bits. */
  flags: number
  /** The weight `ip` prints (rtnh_hops + 1). */
  weight: number
  /** ifindex. */
  oif: number
  /** RTA_GATEWAY: this hop's gateway, of the route's family. */
  gateway?: string
  /** RTA_VIA: a gateway of another family (an IPv4 route via an IPv6 address; MPLS). */
  via?: string
  /** RTA_NEWDST (MPLS): the labels this hop pushes, "100/200". */
  newdst?: string
  /** Attributes of this hop this version does not decode, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * A route, as `routes.list()` returns it and a route event carries it
 * (struct rtmsg and its RTA_* attributes), with the names `ip route` prints
 * beside the numbers. Changes take the same struct, partial.
 *
 * @example
 * ```ts
 * import { routes, type Route } from 'rtnl'
 *
 * const defaults: Route[] = (await routes.list({ table: 254 })).filter((r) => r.dstLen === 0)
 * for (const r of defaults) {
 *   console.log(r.family === 2 ? 'IPv4' : 'IPv6', 'via', r.gateway ?? r.multipath?.map((h) => h.gateway), 'metric', r.priority ?? 0)
 * }
 * ```
 * @category Routes
 */
export interface Route {
  /** 2 (AF_INET), 10 (AF_INET6), 128/129 (IPv4/IPv6 multicast routing). */
  family: number
  /** rtm_dst_len: the destination prefix length (0 for a default route). */
  dstLen: number
  /** rtm_src_len: the source prefix length (IPv6 source-specific routes; else 0). */
  srcLen: number
  /** rtm_tos: the TOS the route matches (0: any). */
  tos: number
  /** The effective table: RTA_TABLE when present, else rtm_table (254 main, 255 local). */
  table: number
  /** RTPROT_*: 2 kernel, 3 boot, 4 static, ... */
  protocol: number
  /** 0 universe, 253 link, 254 host. */
  scope: number
  /** RTN_*: 1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit, ... */
  type: number
  /** RTM_F_* bits. */
  flags: number
  /** `table` as `ip` names it: 'main', 'local', 'default', or decimal. */
  tableName: string
  /** `protocol` as `ip` names it: 'kernel', 'boot', 'static', 'dhcp', ... or decimal. */
  protocolName: string
  /** `scope` as `ip` names it: 'global', 'link', 'host', ... */
  scopeName: string
  /** `type` as `ip` names it: 'unicast', 'local', 'blackhole', 'unreachable', 'prohibit', ... */
  typeName: string
  /** The destination prefix; for an MPLS route (family 28) the label, "100". */
  dst?: string
  /** RTA_SRC: the source prefix of a source-specific route (`ip route ... from`), with `srcLen`. */
  src?: string
  /** RTA_GATEWAY: the next hop's address (`via`). */
  gateway?: string
  /** RTA_VIA: a next hop of another family (an IPv4 route via an IPv6 address; MPLS). */
  via?: string
  /** RTA_NEWDST (MPLS): the labels the route swaps to or pushes, "200/300". */
  newdst?: string
  /** Output ifindex. */
  oif?: number
  /** RTA_IIF: the input ifindex (what `routes.get` was asked with `iif`; multicast routes). */
  iif?: number
  /** The metric. */
  priority?: number
  /** RTA_PREFSRC: the preferred source address (`ip route ... src`). */
  prefsrc?: string
  /** RTAX_* metrics by `ip`'s names (mtu, advmss, hoplimit, ...). */
  metrics?: Record<string, number | string>
  /** RTA_MULTIPATH: the next hops of a multipath (ECMP) route. */
  multipath?: Nexthop[]
  /** RTA_FLOW: realms, `to` in the low 16 bits, `from` in the high 16. */
  realms?: number
  /** RTA_MARK: the firewall mark a `routes.get` lookup was made with. */
  mark?: number
  /** RTA_PREF: the IPv6 router preference (0 medium, 1 high, 3 low). */
  pref?: number
  /** RTA_ENCAP_TYPE: LWTUNNEL_ENCAP_* (1 mpls, 5 seg6, ...); the encapsulation itself stays in `unknown`. */
  encapType?: number
  /** RTA_EXPIRES: the lifetime of an IPv6 route in seconds (`ip route add ... expires`). */
  expires?: number
  /** RTA_UID: the uid a `routes.get` lookup was made for. */
  uid?: number
  /** RTA_NH_ID: the nexthop object the route goes through (see {@link nexthops}). */
  nhid?: number
  /** RTA_CACHEINFO: usage and expiry. */
  cacheinfo?: RouteCacheInfo
  /** Attributes this version does not decode, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct rta_cacheinfo; `lastuse` and `expires` in clock ticks (1/100 s).
 * It moves by itself: {@link diff} and {@link watch} ignore it.
 *
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * for (const r of await routes.list({ family: 6 })) {
 *   if (r.cacheinfo?.expires) console.log(`${r.dst}/${r.dstLen} expires in ${r.cacheinfo.expires / 100} s`)
 * }
 * ```
 * @category Routes
 */
export interface RouteCacheInfo {
  /** rta_clntref: references held on the route's cache entry. */
  clntref: number
  /** rta_lastuse: ticks since the route was last used. */
  lastuse: number
  /** rta_expires: ticks until the route expires (0: it does not). */
  expires: number
  /** rta_error: the error an unreachable route gives. */
  error: number
  /** rta_used: how often the route was used. */
  used: number
  /** rta_id (IPv4; not sent by current kernels). */
  id?: number
  /** rta_ts (IPv4; not sent by current kernels). */
  ts?: number
  /** rta_tsage (IPv4; not sent by current kernels). */
  tsage?: number
}

/**
 * What `routes.get` asks: the destination, and optionally what `ip route get` takes besides.
 *
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * const r = await routes.get('8.8.8.8', { src: '192.168.1.10', mark: 0x10 })
 * console.log(r.gateway, r.oif, r.prefsrc)
 * ```
 * @category Routes
 */
export interface RouteGetOptions extends ListOptions {
  /** The source address of the packet to route (`ip route get ... from`). */
  src?: string
  /** The ifindex the packet arrives on (`iif`): how a forwarded packet is routed. */
  iif?: number
  /** The ifindex the packet must leave by (`oif`). */
  oif?: number
  /** The packet's firewall mark (`mark`): policy rules may select on it. */
  mark?: number
}

async function getRoute(dst: string, opts: RouteGetOptions | undefined): Promise<Route> {
  validateIp(dst, 'routes.get: dst')
  const o = (opts ?? {}) as Record<string, unknown>
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw invalidType(`routes.get options must be an object, got ${describe(opts)}`)
  }
  checkKeys(o, ['netns', 'src', 'iif', 'oif', 'mark', 'signal'], 'routes.get options')
  const query: Record<string, unknown> = { dst, netns: validateNetns(o.netns) }
  if (o.src !== undefined) query.src = validateIp(o.src, 'routes.get: src')
  for (const key of ['iif', 'oif'] as const) {
    if (o[key] !== undefined) query[key] = positiveInteger(o[key], `routes.get: ${key}`, 0xffffffff)
  }
  if (o.mark !== undefined) query.mark = positiveInteger(o.mark, 'routes.get: mark', 0xffffffff)
  const binding = native()
  return callJson<Route>((reply) => binding.getRoute(JSON.stringify(query), reply), signalOf(o, 'routes.get'))
}

/**
 * Routes (`ip route`): list them, ask which route the kernel would use,
 * and change them. Each is a {@link Route}; their events are
 * {@link RouteEvent}s (groups IPV4_ROUTE, IPV6_ROUTE, the default ones).
 *
 * A change takes the struct `list()` returns, partial: read-only fields
 * (counters, `cacheinfo`, the `*Name` forms of numbers) are ignored, names
 * are taken for numbers (`tableName: 'main'`), and an unknown field is an
 * error, so a misspelling is never dropped silently. When `family` is not
 * given, `dst`, `src`, `gateway` or `prefsrc` tell it.
 *
 * @namespace
 * @category Routes
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * await routes.add({ dst: '10.1.0.0', dstLen: 16, gateway: '10.0.0.2', table: 100 }, { netns: { name: 'blue' } })
 * const [r] = await routes.list({ netns: { name: 'blue' }, table: 100 })
 * await routes.del(r, { netns: { name: 'blue' } }) // a listed object deletes exactly itself
 * ```
 */
export const routes = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   * Defaults as `ip route add`: table main, protocol boot, type unicast, the
   * scope from the type and the gateway.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENETUNREACH` for an unreachable gateway, `ENODEV`; `EPERM` without CAP_NET_ADMIN),
   * with `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be
   * entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * await routes.add({ dst: '10.1.0.0', dstLen: 16, gateway: '10.0.0.2' })
   * await routes.add({ dst: '2001:db8::', dstLen: 32, typeName: 'blackhole', table: 100 })
   * await routes.add({ dst: '192.0.2.0', dstLen: 24, multipath: [
   *   { gateway: '10.0.0.2', oif: 2, weight: 1, flags: 0 },
   *   { gateway: '10.0.0.3', oif: 2, weight: 2, flags: 0 },
   * ] })
   * ```
   */
  add(object: Input<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENETUNREACH`
   * for an unreachable gateway, `ENODEV`, `EINVAL`; `EPERM` without CAP_NET_ADMIN), with `errno`
   * and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * // the default route, whether or not there is one
   * await routes.replace({ gateway: '192.168.1.254' })
   * ```
   */
  replace(object: Input<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'replace', object, opts)
  },
  /**
   * Adds it beside routes with the same key (NLM_F_APPEND, `ip route append`).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when
   * the same route is there, `ENETUNREACH`, `ENODEV`; `EPERM` without CAP_NET_ADMIN), with `errno`
   * and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * // two IPv6 routes to one prefix and metric, through two routers
   * await routes.append({ dst: 'fd00:1::', dstLen: 64, gateway: 'fe80::1', oif: 2 })
   * await routes.append({ dst: 'fd00:1::', dstLen: 64, gateway: 'fe80::2', oif: 2 })
   * ```
   */
  append(object: Input<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'append', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ESRCH` when no
   * route matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`;
   * `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * for (const r of await routes.list({ table: 100 })) await routes.del(r)
   * ```
   */
  del(object: Input<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'del', object, opts)
  },
  /**
   * Every route of every table and family in the namespace (RTM_GETROUTE dump),
   * or of one table, family or output link (filtered by the kernel).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * const all = await routes.list()
   * const main4 = await routes.list({ family: 4, table: 254 })
   * console.log(all.length, main4.map((r) => `${r.dst ?? 'default'}/${r.dstLen} ${r.protocolName}`))
   * ```
   */
  list(opts?: RouteListOptions): Promise<Route[]> {
    return listKind<Route>('routes', opts, ['family', 'table', 'oif'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of routes.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * let n = 0
   * for await (const batch of routes.iterate({ family: 4 })) n += batch.length // a million routes, never all in memory
   * console.log(n)
   * ```
   */
  iterate(opts?: RouteListOptions): AsyncGenerator<Route[], void, undefined> {
    return iterateKind<Route>('routes', opts, ['family', 'table', 'oif'])
  },
  /**
   * The route the kernel would use for `dst` (`ip route get`). Rejects with e.g. ENETUNREACH.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered:
   * `ENETUNREACH` (or the kernel's errno, with `extAck`) when there is no route; `EPROTO` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { routes } from 'rtnl'
   *
   * const r = await routes.get('1.1.1.1')
   * console.log(`via ${r.gateway ?? 'direct'} dev ${r.oif} src ${r.prefsrc}`)
   * ```
   */
  get(dst: string, opts?: RouteGetOptions): Promise<Route> {
    return getRoute(dst, opts)
  },
}
