/** ND options from router advertisements passed to user space (RTM_NEWNDUSEROPT): events only. Mirrors crates/rtnl-core/src/nduseropt.rs. */
import type { UnknownAttribute } from './unknown'
import type { NdOption, NdUserOption } from './generated/nduseropt'
export type { NdOption, NdUserOption } from './generated/nduseropt'
