/** Nexthop objects, as `ip nexthop` shows them (RTM_NEWNEXTHOP / RTM_DELNEXTHOP). Mirrors crates/rtnl-core/src/nexthop.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, NexthopListOptions } from './options'

/**
 * One member of a nexthop group (struct nexthop_grp).
 *
 * @example
 * ```ts
 * import { nexthops } from 'rtnl'
 *
 * for (const g of (await nexthops.list()).filter((n) => n.group)) {
 *   console.log(`group ${g.id}:`, g.group!.map((m) => `${m.id}x${m.weight}`).join(' '))
 * }
 * ```
 * @category Nexthops
 */
export interface NexthopGroupMember {
  /** The member nexthop's id. */
  id: number
  /** The weight as `ip` takes and prints it (1 to 65536): the struct's weight byte, with weight_high as the upper byte, plus one. `ip` omits it when 1. */
  weight: number
}

/**
 * NHA_RES_GROUP: the parameters of a resilient group. Times are in clock ticks (1/100 s); `ip` prints them in seconds.
 *
 * @example
 * ```ts
 * import { nexthops } from 'rtnl'
 *
 * const g = await nexthops.get(10)
 * if (g?.resilient) console.log(`${g.resilient.buckets} buckets, idle timer ${(g.resilient.idleTimer ?? 0) / 100} s`)
 * ```
 * @category Nexthops
 */
export interface NexthopResilientGroup {
  /** NHA_RES_GROUP_BUCKETS: the number of hash buckets. */
  buckets?: number
  /** NHA_RES_GROUP_IDLE_TIMER: how long a bucket must be idle to be migrated, in 1/100 s. */
  idleTimer?: number
  /** NHA_RES_GROUP_UNBALANCED_TIMER: how long the group may stay unbalanced, in 1/100 s (0: forever). */
  unbalancedTimer?: number
  /** NHA_RES_GROUP_UNBALANCED_TIME: how long the group has been unbalanced, in 1/100 s. */
  unbalancedTime?: number
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * NHA_RES_BUCKET: one bucket of a resilient group (RTM_NEWNEXTHOPBUCKET).
 *
 * @example
 * ```ts
 * import { nexthopBuckets } from 'rtnl'
 *
 * for (const b of await nexthopBuckets.list()) console.log(`group ${b.id} bucket ${b.bucket?.index} -> nexthop ${b.bucket?.nhId}`)
 * ```
 * @category Nexthops
 */
export interface NexthopResilientBucket {
  /** NHA_RES_BUCKET_INDEX: the bucket's index in the group. */
  index?: number
  /** NHA_RES_BUCKET_IDLE_TIME: how long the bucket has been idle, in 1/100 s. */
  idleTime?: number
  /** NHA_RES_BUCKET_NH_ID: the nexthop the bucket sends to. */
  nhId?: number
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * NHA_GROUP_STATS_ENTRY: the packet counters of one group member.
 *
 * @example
 * ```ts
 * import { nexthops } from 'rtnl'
 *
 * for (const n of await nexthops.list()) {
 *   for (const e of n.groupStats ?? []) console.log(`group ${n.id} member ${e.id}: ${e.packets} packets`)
 * }
 * ```
 * @category Nexthops
 */
export interface NexthopGroupStatsEntry {
  /** NHA_GROUP_STATS_ENTRY_ID: the member nexthop's id. */
  id?: number
  /** NHA_GROUP_STATS_ENTRY_PACKETS: packets forwarded through this member. */
  packets?: number
  /** NHA_GROUP_STATS_ENTRY_PACKETS_HW: of those, the ones forwarded in hardware. */
  packetsHw?: number
  /** Nested attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * A nexthop object (a gateway, a blackhole, or a group of them), as
 * `nexthops.list()` returns it and a nexthop event carries it (struct nhmsg
 * and its NHA_* attributes); also each bucket of a resilient group, with
 * `bucket` set. Routes refer to one by `nhid`.
 *
 * @example
 * ```ts
 * import { nexthops } from 'rtnl'
 *
 * for (const n of await nexthops.list()) {
 *   if (n.group) console.log(`id ${n.id} group ${n.groupTypeName}`, n.group.map((m) => m.id))
 *   else console.log(`id ${n.id}`, n.blackhole ? 'blackhole' : `via ${n.gateway} dev ${n.oif}`)
 * }
 * ```
 * @category Nexthops
 */
export interface NexthopObject {
  /** nh_family: 2 (AF_INET), 10 (AF_INET6), 0 for groups and blackholes. */
  family: number
  /** nh_scope, an RT_SCOPE_* number. */
  scope: number
  /** `scope` as `ip` names it ('global', 'link', 'host', ...) or in decimal. */
  scopeName: string
  /** nh_protocol, an RTPROT_* number: who installed the nexthop. */
  protocol: number
  /** `protocol` as `ip` names it ('unspec', 'static', 'zebra', ...) or in decimal. */
  protocolName: string
  /** nh_flags, RTNH_F_* bits. */
  flags: number
  /** The RTNH_F_* bits of `flags` as `ip` names them ('onlink', 'dead', 'linkdown', ...). */
  flagNames: string[]
  /** NHA_ID: the nexthop's id. */
  id?: number
  /** NHA_GROUP: the members of a group. */
  group?: NexthopGroupMember[]
  /** NHA_GROUP_TYPE: NEXTHOP_GRP_TYPE_* (0 multipath, 1 resilient). */
  groupType?: number
  /** `groupType` as `ip` names it: 'mpath' or 'resilient', or in decimal. */
  groupTypeName?: string
  /** NHA_BLACKHOLE: the nexthop drops packets (true when present). */
  blackhole?: boolean
  /** NHA_OIF: the output interface's index. */
  oif?: number
  /** NHA_GATEWAY: the gateway address. */
  gateway?: string
  /** NHA_ENCAP_TYPE: LWTUNNEL_ENCAP_* (1 mpls, 5 seg6, ...). */
  encapType?: number
  /** `encapType` as `ip` names it: 'mpls', 'ip', 'ila', 'ip6', 'seg6', 'bpf', 'seg6local', 'rpl', 'ioam6', 'xfrm', or in decimal. */
  encapTypeName?: string
  /** NHA_ENCAP: the encapsulation's attributes for `encapType`, undecoded, as hex. */
  encap?: string
  /** NHA_GROUPS: a dump-request filter (only groups); not sent by the kernel. */
  groups?: boolean
  /** NHA_MASTER: a dump-request filter (nexthops of this VRF/master); not sent by the kernel. */
  master?: number
  /** NHA_FDB: a nexthop (or group) for the bridge FDB / VXLAN (true when present). */
  fdb?: boolean
  /** NHA_RES_GROUP: the parameters of a resilient group. */
  resilient?: NexthopResilientGroup
  /** NHA_RES_BUCKET: one bucket of a resilient group (bucket messages only). */
  bucket?: NexthopResilientBucket
  /** NHA_OP_FLAGS: NHA_OP_FLAG_* bits (requests; and NHA_OP_FLAG_RESP_GRP_RESVD_0 in replies). */
  opFlags?: number
  /** NHA_GROUP_STATS: per-member packet counters (a dump asked for them with NHA_OP_FLAGS). */
  groupStats?: NexthopGroupStatsEntry[]
  /** NHA_HW_STATS_ENABLE: whether hardware counters are enabled for the group (0/1). */
  hwStatsEnable?: number
  /** NHA_HW_STATS_USED: whether a driver actually counts in hardware (0/1). */
  hwStatsUsed?: number
  /** Attributes not decoded. */
  unknown?: UnknownAttribute[]
}

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
