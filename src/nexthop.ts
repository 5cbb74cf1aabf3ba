/** Nexthop objects, as `ip nexthop` shows them (RTM_NEWNEXTHOP / RTM_DELNEXTHOP). Mirrors crates/rtnl-core/src/nexthop.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, NexthopListOptions } from './options'
import type { NexthopGroupMember, NexthopResilientGroup, NexthopResilientBucket, NexthopGroupStatsEntry, NexthopObject } from './generated/nexthop'
export type { NexthopGroupMember, NexthopResilientGroup, NexthopResilientBucket, NexthopGroupStatsEntry, NexthopObject } from './generated/nexthop'

const FILTERS = ['family', 'oif'] as const

/**
 * Nexthop objects (`ip nexthop`): list them, get one by id, and change
 * them. Each is a {@link NexthopObject}; their events are
 * {@link NexthopEvent}s (group NEXTHOP, not a default one: join
 * `KIND_GROUPS.nexthops`). A route uses one through `nhid`.
 *
 * @namespace
 * @category Nexthops
 * @example
 * ```ts
 * import { nexthops, routes } from 'rtnl'
 *
 * await nexthops.add({ id: 1, gateway: '10.70.0.2', oif: 2 })
 * await nexthops.add({ id: 2, gateway: '10.70.0.4', oif: 2 })
 * await nexthops.add({ id: 3, group: [{ id: 1, weight: 1 }, { id: 2, weight: 3 }] })
 * await routes.add({ dst: '10.9.0.0', dstLen: 16, nhid: 3 })
 * ```
 */
export const nexthops = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when
   * the id is taken, `EINVAL` with `extAck` 'Nexthop has invalid gateway'; `EPERM` without
   * CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when
   * `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * await nexthops.add({ id: 1, gateway: '10.70.0.2', oif: 2 })
   * await nexthops.add({ id: 4, blackhole: true })
   * ```
   */
  add(object: Input<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   * Routes through it follow it to its new gateway.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EINVAL` with
   * `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * await nexthops.replace({ id: 1, gateway: '10.70.0.3', oif: 2 }) // every route with nhid 1 now goes via .3
   * ```
   */
  replace(object: Input<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   * The routes through it go with it.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when
   * there is no such id; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`;
   * `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * await nexthops.del({ id: 3 })
   * ```
   */
  del(object: Input<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'del', object, opts)
  },
  /**
   * Every nexthop object in the namespace (RTM_GETNEXTHOP dump), or of one family or output link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * const groups = (await nexthops.list()).filter((n) => n.group)
   * console.log(groups.map((g) => g.id))
   * ```
   */
  list(opts?: NexthopListOptions): Promise<NexthopObject[]> {
    return listKind<NexthopObject>('nexthops', opts, FILTERS)
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * for await (const batch of nexthops.iterate({ oif: 2 })) console.log(batch.map((n) => n.id))
   * ```
   */
  iterate(opts?: NexthopListOptions): AsyncGenerator<NexthopObject[], void, undefined> {
    return iterateKind<NexthopObject>('nexthops', opts, FILTERS)
  },
  /**
   * One nexthop by id (`ip nexthop get id N`), or null when there is none.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { nexthops } from 'rtnl'
   *
   * const n = await nexthops.get(1)
   * console.log(n ? `via ${n.gateway}` : 'no nexthop 1')
   * ```
   */
  async get(id: number, opts?: ListOptions): Promise<NexthopObject | null> {
    return getObject<NexthopObject>('nexthops', { id: positiveInteger(id, 'nexthops.get: id', 0xffffffff) }, opts)
  },
}

/**
 * The buckets of resilient nexthop groups (`ip nexthop bucket`): list them.
 * Each is a {@link NexthopObject} whose `id` is the group and `bucket` the
 * bucket; their events are {@link NexthopBucketEvent}s (group NEXTHOP).
 *
 * @namespace
 * @category Nexthops
 * @example
 * ```ts
 * import { nexthopBuckets } from 'rtnl'
 *
 * const byMember = new Map<number, number>()
 * for (const b of await nexthopBuckets.list()) {
 *   const nh = b.bucket?.nhId
 *   if (nh !== undefined) byMember.set(nh, (byMember.get(nh) ?? 0) + 1)
 * }
 * console.log(byMember) // how many buckets each member holds
 * ```
 */
export const nexthopBuckets = {
  /**
   * The buckets of every resilient nexthop group (`ip nexthop bucket show`,
   * RTM_GETNEXTHOPBUCKET dump): each a NexthopObject with `id` (the group)
   * and `bucket` set.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { nexthopBuckets } from 'rtnl'
   *
   * for (const b of await nexthopBuckets.list()) console.log(b.id, b.bucket?.index, b.bucket?.nhId, b.bucket?.idleTime)
   * ```
   */
  list(opts?: NexthopListOptions): Promise<NexthopObject[]> {
    return listKind<NexthopObject>('nexthopBuckets', opts, FILTERS)
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
   * import { nexthopBuckets } from 'rtnl'
   *
   * let buckets = 0
   * for await (const batch of nexthopBuckets.iterate()) buckets += batch.length
   * console.log(buckets)
   * ```
   */
  iterate(opts?: NexthopListOptions): AsyncGenerator<NexthopObject[], void, undefined> {
    return iterateKind<NexthopObject>('nexthopBuckets', opts, FILTERS)
  },
}

declare module './mutate' {
  interface MutableTypes {
    /** What `nexthops.add`, `replace`, `del` and a batch's nexthop changes take. */
    nexthops: NexthopObject
  }
}
