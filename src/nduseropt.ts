/** ND options from router advertisements passed to user space (RTM_NEWNDUSEROPT): events only. Mirrors crates/rtnl-core/src/nduseropt.rs. */
import type { UnknownAttribute } from './unknown'

export interface NdUserOption {
  family: number
  ifindex: number
  icmpType: number
  icmpCode: number
  optionsHex: string
  unknown?: UnknownAttribute[]
}
