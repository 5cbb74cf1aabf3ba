/** IPv6 prefixes from router advertisements (RTM_NEWPREFIX): events only. Mirrors crates/rtnl-core/src/prefix.rs. */
import type { UnknownAttribute } from './unknown'

export interface Prefix {
  family: number
  ifindex: number
  prefixType: number
  prefixLen: number
  flags: number
  unknown?: UnknownAttribute[]
}
