/** Nexthop objects, as `ip nexthop` shows them (RTM_NEWNEXTHOP / RTM_DELNEXTHOP). Mirrors crates/rtnl-core/src/nexthop.rs. */
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, NexthopListOptions } from './options'

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
  /** One nexthop by id (`ip nexthop get id N`), or null when there is none. */
  async get(id: number, opts?: ListOptions): Promise<NexthopObject | null> {
    return getObject<NexthopObject>('nexthops', { id: positiveInteger(id, 'nexthops.get: id', 0xffffffff) }, opts)
  },
}
