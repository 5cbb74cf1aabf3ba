/** Nexthop objects, as `ip nexthop` shows them (RTM_NEWNEXTHOP / RTM_DELNEXTHOP). Mirrors crates/rtnl-core/src/nexthop.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { NexthopListOptions } from './options'

export interface NexthopObject {
  family: number
  scope: number
  protocol: number
  flags: number
  oif?: number
  unknown?: UnknownAttribute[]
}

const FILTERS = ['family', 'oif'] as const

export const nexthops = {
  /** Every nexthop object in the namespace (RTM_GETNEXTHOP dump). */
  list(opts?: NexthopListOptions): Promise<NexthopObject[]> {
    return listKind<NexthopObject>('nexthops', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches of up to 500 in bounded memory. */
  iterate(opts?: NexthopListOptions): AsyncGenerator<NexthopObject[], void, undefined> {
    return iterateKind<NexthopObject>('nexthops', opts, FILTERS)
  },
}
