/** Per-interface IP configuration, as `ip netconf` shows it (RTM_NEWNETCONF). Mirrors crates/rtnl-core/src/netconf.rs. */
import { getObject, iterateKind, listKind } from './list'
import { describe, positiveInteger } from './options'
import { invalidValue } from './errors'
import type { UnknownAttribute } from './unknown'
import type { FamilyListOptions, NetconfListOptions } from './options'
import type { Netconf } from './generated/netconf'
export type { Netconf } from './generated/netconf'

const FILTERS = ['family', 'ifindex'] as const

/**
 * Per-interface IP configuration (`ip netconf`: forwarding, rp_filter, proxy
 * neighbour, ...): list it, or get one link's. Each is a {@link Netconf};
 * its events are {@link NetconfEvent}s (groups IPV4_NETCONF, IPV6_NETCONF,
 * not default ones: join `KIND_GROUPS.netconf`).
 *
 * @namespace
 * @category Netconf
 * @example
 * ```ts
 * import { netconf } from 'rtnl'
 *
 * const all = await netconf.get('all')
 * console.log('IPv4 forwarding is', all?.forwarding ? 'on' : 'off')
 * ```
 */
export const netconf = {
  /**
   * The configuration of every interface and family, with 'all' and 'default' (RTM_GETNETCONF dump).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { netconf } from 'rtnl'
   *
   * const forwarding = (await netconf.list({ family: 6 })).filter((c) => c.forwarding === 1)
   * console.log(forwarding.map((c) => c.interface ?? c.ifindex))
   * ```
   */
  list(opts?: NetconfListOptions): Promise<Netconf[]> {
    return listKind<Netconf>('netconf', opts, FILTERS)
  },
  /**
   * The same dump as `list()`, as batches.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { netconf } from 'rtnl'
   *
   * for await (const batch of netconf.iterate({ family: 4 })) for (const c of batch) console.log(c.ifindex, c.rpFilterName)
   * ```
   */
  iterate(opts?: NetconfListOptions): AsyncGenerator<Netconf[], void, undefined> {
    return iterateKind<Netconf>('netconf', opts, FILTERS)
  },
  /**
   * The configuration of one link (its ifindex), or of 'all' or 'default'
   * (`ip netconf show dev X`), for `family` (default 4); null when there is
   * no such link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_VALUE` when `link` is neither an ifindex nor 'all' /
   * 'default', `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for a bad option, RangeError
   * `ERR_OUT_OF_RANGE` for an ifindex out of range; the `AbortError` (`ABORT_ERR`) when `signal`
   * aborts.
   * @example
   * ```ts
   * import { netconf } from 'rtnl'
   *
   * const eth0v6 = await netconf.get(2, { family: 6 })
   * console.log(eth0v6?.forwarding, eth0v6?.proxyNeigh)
   * ```
   */
  async get(link: number | 'all' | 'default', opts?: FamilyListOptions): Promise<Netconf | null> {
    const ifindex =
      link === 'all' ? -1 : link === 'default' ? -2 : typeof link === 'number' ? positiveInteger(link, 'netconf.get: link', 0x7fffffff) : NaN
    if (Number.isNaN(ifindex)) throw invalidValue(`netconf.get: link must be an ifindex, 'all' or 'default', got ${describe(link)}`)
    return getObject<Netconf>('netconf', { ifindex }, { family: 4, ...opts } as FamilyListOptions)
  },
}
