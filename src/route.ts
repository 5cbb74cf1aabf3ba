/** Routes, as `ip route` shows them (RTM_NEWROUTE / RTM_DELROUTE). Mirrors crates/rtnl-core/src/route.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { checkKeys, describe, positiveInteger, validateIp, validateNetns } from './options'
import { invalidType } from './errors'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, RouteListOptions } from './options'
import type { Nexthop, Route, RouteCacheInfo } from './generated/route'
export type { Nexthop, Route, RouteCacheInfo } from './generated/route'

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

declare module './mutate' {
  interface MutableTypes {
    /** What `routes.add`, `replace`, `append`, `del` and a batch's route changes take. */
    routes: Route
  }
}
