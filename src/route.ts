/** Routes, as `ip route` shows them (RTM_NEWROUTE / RTM_DELROUTE). Mirrors crates/rtnl-core/src/route.rs. */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { checkKeys, describe, positiveInteger, validateIp, validateNetns } from './options'
import { invalidType } from './errors'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, RouteListOptions } from './options'

export interface Nexthop {
  /** RTNH_F_* bits. */
  flags: number
  /** The weight `ip` prints (rtnh_hops + 1). */
  weight: number
  /** ifindex. */
  oif: number
  gateway?: string
  via?: string
  /** RTA_NEWDST (MPLS): the labels this hop pushes, "100/200". */
  newdst?: string
  unknown?: UnknownAttribute[]
}

export interface Route {
  /** 2 (AF_INET), 10 (AF_INET6), 128/129 (IPv4/IPv6 multicast routing). */
  family: number
  dstLen: number
  srcLen: number
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
  src?: string
  gateway?: string
  via?: string
  /** RTA_NEWDST (MPLS): the labels the route swaps to or pushes, "200/300". */
  newdst?: string
  /** Output ifindex. */
  oif?: number
  iif?: number
  /** The metric. */
  priority?: number
  prefsrc?: string
  /** RTAX_* metrics by `ip`'s names (mtu, advmss, hoplimit, ...). */
  metrics?: Record<string, number | string>
  multipath?: Nexthop[]
  /** RTA_FLOW: realms, `to` in the low 16 bits, `from` in the high 16. */
  realms?: number
  mark?: number
  pref?: number
  encapType?: number
  expires?: number
  uid?: number
  nhid?: number
  cacheinfo?: RouteCacheInfo
  unknown?: UnknownAttribute[]
}

/** struct rta_cacheinfo; `lastuse` and `expires` in clock ticks (1/100 s). */
export interface RouteCacheInfo {
  clntref: number
  lastuse: number
  expires: number
  error: number
  used: number
  id?: number
  ts?: number
  tsage?: number
}

/** What `routes.get` asks: the destination, and optionally what `ip route get` takes besides. */
export interface RouteGetOptions extends ListOptions {
  src?: string
  iif?: number
  oif?: number
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

export const routes = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  replace(object: Partial<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'replace', object, opts)
  },
  /**
   * Adds it beside routes with the same key (NLM_F_APPEND, `ip route append`).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  append(object: Partial<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'append', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<Route>, opts?: BatchOptions): Promise<void> {
    return change('routes', 'del', object, opts)
  },
  /** Every route of every table and family in the namespace (RTM_GETROUTE dump). */
  list(opts?: RouteListOptions): Promise<Route[]> {
    return listKind<Route>('routes', opts, ['family', 'table', 'oif'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of routes.iterate()) for (const x of batch) ...`
   */
  iterate(opts?: RouteListOptions): AsyncGenerator<Route[], void, undefined> {
    return iterateKind<Route>('routes', opts, ['family', 'table', 'oif'])
  },
  /** The route the kernel would use for `dst` (`ip route get`). Rejects with e.g. ENETUNREACH. */
  get(dst: string, opts?: RouteGetOptions): Promise<Route> {
    return getRoute(dst, opts)
  },
}
