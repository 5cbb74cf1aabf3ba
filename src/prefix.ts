/** IPv6 prefixes from router advertisements (RTM_NEWPREFIX): events only. Mirrors crates/rtnl-core/src/prefix.rs. */
import type { UnknownAttribute } from './unknown'

/** struct prefix_cacheinfo (PREFIX_CACHEINFO): the lifetimes the advertisement gave, in seconds (0xffffffff: infinite). */
export interface PrefixCacheInfo {
  preferredTime: number
  validTime: number
}

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
