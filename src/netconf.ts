/** Per-interface IP configuration, as `ip netconf` shows it (RTM_NEWNETCONF). Mirrors crates/rtnl-core/src/netconf.rs. */
import { getObject, iterateKind, listKind } from './list'
import { describe, positiveInteger } from './options'
import { invalidValue } from './errors'
import type { UnknownAttribute } from './unknown'
import type { FamilyListOptions, NetconfListOptions } from './options'

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
  /**
   * The configuration of one link (its ifindex), or of 'all' or 'default'
   * (`ip netconf show dev X`), for `family` (default 4); null when there is
   * no such link.
   */
  async get(link: number | 'all' | 'default', opts?: FamilyListOptions): Promise<Netconf | null> {
    const ifindex =
      link === 'all' ? -1 : link === 'default' ? -2 : typeof link === 'number' ? positiveInteger(link, 'netconf.get: link', 0x7fffffff) : NaN
    if (Number.isNaN(ifindex)) throw invalidValue(`netconf.get: link must be an ifindex, 'all' or 'default', got ${describe(link)}`)
    return getObject<Netconf>('netconf', { ifindex }, { family: 4, ...opts } as FamilyListOptions)
  },
}
