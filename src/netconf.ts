/** Per-interface IP configuration, as `ip netconf` shows it (RTM_NEWNETCONF). Mirrors crates/rtnl-core/src/netconf.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { NetconfListOptions } from './options'

export interface Netconf {
  family: number
  unknown?: UnknownAttribute[]
}

const FILTERS = ['family', 'ifindex'] as const

export const netconf = {
  /** The configuration of every interface and family, with 'all' and 'default' (RTM_GETNETCONF dump). */
  list(opts?: NetconfListOptions): Promise<Netconf[]> {
    return listKind<Netconf>('netconf', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: NetconfListOptions): AsyncGenerator<Netconf[], void, undefined> {
    return iterateKind<Netconf>('netconf', opts, FILTERS)
  },
}
