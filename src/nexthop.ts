/** Nexthop objects, as `ip nexthop` shows them (RTM_NEWNEXTHOP / RTM_DELNEXTHOP). Mirrors crates/rtnl-core/src/nexthop.rs. */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { getObject, iterateKind, listKind } from './list'
import { positiveInteger } from './options'
import type { UnknownAttribute } from './unknown'
import type { ListOptions, NexthopListOptions } from './options'

/** One member of a nexthop group (struct nexthop_grp). */
export interface NexthopGroupMember {
  /** The member nexthop's id. */
  id: number
  /** The weight as `ip` takes and prints it (1 to 65536): the struct's weight byte, with weight_high as the upper byte, plus one. `ip` omits it when 1. */
  weight: number
}

/** NHA_RES_GROUP: the parameters of a resilient group. Times are in clock ticks (1/100 s); `ip` prints them in seconds. */
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

/** NHA_RES_BUCKET: one bucket of a resilient group (RTM_NEWNEXTHOPBUCKET). */
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

/** NHA_GROUP_STATS_ENTRY: the packet counters of one group member. */
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

export const nexthops = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  replace(object: Partial<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<NexthopObject>, opts?: BatchOptions): Promise<void> {
    return change('nexthops', 'del', object, opts)
  },
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

export const nexthopBuckets = {
  /**
   * The buckets of every resilient nexthop group (`ip nexthop bucket show`,
   * RTM_GETNEXTHOPBUCKET dump): each a NexthopObject with `id` (the group)
   * and `bucket` set.
   */
  list(opts?: NexthopListOptions): Promise<NexthopObject[]> {
    return listKind<NexthopObject>('nexthopBuckets', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: NexthopListOptions): AsyncGenerator<NexthopObject[], void, undefined> {
    return iterateKind<NexthopObject>('nexthopBuckets', opts, FILTERS)
  },
}
