/** IPv6 prefixes from router advertisements (RTM_NEWPREFIX): events only. Mirrors crates/rtnl-core/src/prefix.rs. */
import type { UnknownAttribute } from './unknown'
import type { PrefixCacheInfo, Prefix } from './generated/prefix'
export type { PrefixCacheInfo, Prefix } from './generated/prefix'
