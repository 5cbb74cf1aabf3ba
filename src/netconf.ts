/** Per-interface IP configuration, as `ip netconf` shows it (RTM_NEWNETCONF). Mirrors crates/rtnl-core/src/netconf.rs. */
import { getObject, iterateKind, listKind } from './list'
import { describe, positiveInteger } from './options'
import { invalidValue } from './errors'
import type { UnknownAttribute } from './unknown'
import type { FamilyListOptions, NetconfListOptions } from './options'

export interface Netconf {
  /** ncm_family: 2 (AF_INET), 10 (AF_INET6), 28 (AF_MPLS). */
  family: number
  /** NETCONFA_IFINDEX: the interface, or -1 (`all`) or -2 (`default`). */
  ifindex?: number
  /** 'all' or 'default' for those two pseudo-interfaces, as `ip` prints them; absent for a real interface. */
  interface?: 'all' | 'default'
  /** NETCONFA_FORWARDING: the forwarding sysctl (0 off, 1 on). */
  forwarding?: number
  /** NETCONFA_RP_FILTER: reverse path filtering (0 off, 1 strict, 2 loose); IPv4 only. */
  rpFilter?: number
  /** `rpFilter` as `ip` names it: 'off', 'strict', 'loose', or in decimal. */
  rpFilterName?: string
  /** NETCONFA_MC_FORWARDING: multicast forwarding (set by a multicast routing daemon). */
  mcForwarding?: number
  /** NETCONFA_BC_FORWARDING: broadcast forwarding (IPv4). */
  bcForwarding?: number
  /** NETCONFA_PROXY_NEIGH: proxy ARP (IPv4) or proxy NDP (IPv6). */
  proxyNeigh?: number
  /** NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN: routes over a link without carrier are ignored. */
  ignoreRoutesWithLinkdown?: number
  /** NETCONFA_INPUT: MPLS input enabled on the interface (AF_MPLS). */
  input?: number
  /** Attributes not decoded. */
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
