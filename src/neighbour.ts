/**
 * Neighbours, as `ip neigh` shows them, and bridge fdb entries (family 7,
 * AF_BRIDGE) as `bridge fdb` shows them (RTM_NEWNEIGH / RTM_DELNEIGH).
 * Mirrors crates/rtnl-core/src/neighbour.rs.
 */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { NeighbourListOptions } from './options'
import type { NeighbourCacheInfo, Neighbour } from './generated/neighbour'
import type { NeighbourState, NeighbourFlag } from './generated/neighbour'
export type { NeighbourState, NeighbourFlag } from './generated/neighbour'
export type { NeighbourCacheInfo, Neighbour } from './generated/neighbour'

/**
 * Neighbours (`ip neigh`: the ARP and NDP tables) and bridge fdb entries
 * (`bridge fdb`, family 7): list them and change them. Each is a
 * {@link Neighbour}; their events are {@link NeighbourEvent}s (group NEIGH,
 * a default one).
 *
 * A change takes the struct `list()` returns, partial: `ifindex` always;
 * `dst` for an IP neighbour (the family follows from it), `lladdr` for an
 * fdb entry (family 7, where `dst` is a VXLAN remote). The state defaults
 * as `ip neigh add` (permanent) and `bridge fdb add` (static) do.
 *
 * @namespace
 * @category Neighbours
 * @example
 * ```ts
 * import { neighbours } from 'rtnl'
 *
 * const gw = (await neighbours.list({ family: 4 })).find((n) => n.dst === '192.168.1.254')
 * console.log(gw?.lladdr, gw?.stateNames)
 * ```
 */
export const neighbours = {
  /**
   * Bridge fdb entries (family 7) only: adds another entry beside those with
   * the same MAC (NLM_F_APPEND: a vxlan entry with several remotes).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when
   * that remote is there, `EOPNOTSUPP` on a device without remotes; `EPERM` without CAP_NET_ADMIN),
   * with `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be
   * entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * // bridge fdb append 00:00:00:00:00:00 dev vx0 dst 192.0.2.2 (and .3): flood to two VTEPs
   * for (const dst of ['192.0.2.2', '192.0.2.3']) {
   *   await neighbours.append({ family: 7, ifindex: 5, lladdr: '00:00:00:00:00:00', dst, flagNames: ['self'] })
   * }
   * ```
   */
  append(object: Input<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'append', object, opts)
  },
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV`; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`;
   * `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * await neighbours.add({ ifindex: 2, dst: '192.168.1.50', lladdr: '02:00:00:00:00:50' }) // permanent, as ip neigh add
   * await neighbours.add({ family: 7, ifindex: 3, lladdr: '02:00:00:00:00:51', vlan: 10, flagNames: ['master'] }) // bridge fdb add ... master static
   * ```
   */
  add(object: Input<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV`,
   * `EINVAL`; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * await neighbours.replace({ ifindex: 2, dst: 'fd00::50', lladdr: '02:00:00:00:00:50', stateNames: ['reachable'] })
   * ```
   */
  replace(object: Input<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when no
   * entry matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`;
   * `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * for (const n of await neighbours.list({ family: 4 })) if (n.stateNames.includes('failed')) await neighbours.del(n)
   * ```
   */
  del(object: Input<Neighbour>, opts?: BatchOptions): Promise<void> {
    return change('neighbours', 'del', object, opts)
  },
  /**
   * Every neighbour (ARP and NDP tables) and bridge fdb entry in the namespace,
   * or of one family or link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * const ndp = await neighbours.list({ family: 6, ifindex: 2 })
   * console.log(ndp.filter((n) => n.flagNames.includes('router')).map((n) => n.dst))
   * ```
   */
  list(opts?: NeighbourListOptions): Promise<Neighbour[]> {
    return listKind<Neighbour>('neighbours', opts, ['family', 'ifindex'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of neighbours.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { neighbours } from 'rtnl'
   *
   * let macs = 0
   * for await (const batch of neighbours.iterate({ family: 'bridge' })) macs += batch.length
   * console.log(`${macs} fdb entries`)
   * ```
   */
  iterate(opts?: NeighbourListOptions): AsyncGenerator<Neighbour[], void, undefined> {
    return iterateKind<Neighbour>('neighbours', opts, ['family', 'ifindex'])
  },
}

declare module './mutate' {
  interface MutableTypes {
    /** What `neighbours.add`, `replace`, `append`, `del` and a batch's neighbour changes take. */
    neighbours: Neighbour
  }
}
