/** IPv6 prefixes from router advertisements (RTM_NEWPREFIX): events only. Mirrors crates/rtnl-core/src/prefix.rs. */
import type { UnknownAttribute } from './unknown'

/**
 * struct prefix_cacheinfo (PREFIX_CACHEINFO): the lifetimes the advertisement gave, in seconds (0xffffffff: infinite).
 *
 * @example
 * ```ts
 * import { subscribe, RTNLGRP } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [RTNLGRP.IPV6_PREFIX] })) {
 *   const ci = msg.type === 'event' && msg.op === 'new_prefix' ? msg.resource.cacheinfo : undefined
 *   if (ci) console.log(`valid ${ci.validTime} s, preferred ${ci.preferredTime} s`)
 * }
 * ```
 * @category Router advertisements
 */
export interface PrefixCacheInfo {
  /** The preferred lifetime, seconds. */
  preferredTime: number
  /** The valid lifetime, seconds. */
  validTime: number
}

/**
 * An IPv6 prefix a router advertised (RTM_NEWPREFIX, struct prefixmsg and its
 * PREFIX_* attributes). Events only: the kernel has no dump of them; join
 * `KIND_GROUPS.prefixes` (IPV6_PREFIX).
 *
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.prefixes] })) {
 *   if (msg.type === 'event' && msg.op === 'new_prefix') {
 *     const p = msg.resource
 *     console.log(`${p.address}/${p.prefixLen} on ${p.ifindex}`, p.flagNames)
 *   }
 * }
 * ```
 * @category Router advertisements
 */
export interface Prefix {
  /** prefix_family: 10 (AF_INET6). */
  family: number
  /** prefix_ifindex: the interface the advertisement came in on. */
  ifindex: number
  /** prefix_type: the ND option type (3, prefix information). */
  prefixType: number
  /** prefix_len: the prefix length. */
  prefixLen: number
  /** prefix_flags: IF_PREFIX_* bits (kernels up to 6.6) or the option's L/A/R/P flag byte (6.7 and later). */
  flags: number
  /** The bits of `flags` by name: 'onlink', 'autoconf', 'router-address', 'pd-preferred'. */
  flagNames: string[]
  /** PREFIX_ADDRESS: the prefix. */
  address?: string
  /** PREFIX_CACHEINFO: the preferred and valid lifetimes. */
  cacheinfo?: PrefixCacheInfo
  /** Attributes not decoded. */
  unknown?: UnknownAttribute[]
}
