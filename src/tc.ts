/**
 * Traffic control objects, as `tc qdisc/class/filter/chain show` lists them
 * (RTM_NEWQDISC / RTM_NEWTCLASS / RTM_NEWTFILTER / RTM_NEWCHAIN and their
 * DEL types). Mirrors crates/rtnl-core/src/tc.rs: one Rust struct serves the
 * four objects; here TcObject is the base and Qdisc / TcClass / TcFilter /
 * TcChain narrow it by `object`.
 */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { getObject, iterateKind, listKind } from './list'
import { checkKeys, describe } from './options'
import { invalidType, invalidValue, outOfRange } from './errors'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'

/**
 * struct nla_bitfield32.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.dumpFlags) console.log('terse dump:', (q.dumpFlags.value & q.dumpFlags.selector & 1) !== 0)
 * }
 * ```
 */
export interface Bitfield32 {
  /** The bits. */
  value: number
  /** Which bits `value` sets. */
  selector: number
}

/**
 * struct tc_estimator.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * // a rate estimator sampling every second (interval 0: 2^0 s), EWMA time constant 2^3
 * await qdiscs.add({ ifindex: 2, parent: 0xffffffff, handle: 0x10000, kind: 'fq_codel', rate: { interval: 0, ewmaLog: 3 } })
 * ```
 */
export interface TcEstimator {
  /** Sampling interval: 2^interval seconds (-2 = 1/4 s, 0 = 1 s, ... 3 = 8 s). */
  interval: number
  /** The EWMA time constant, log2. */
  ewmaLog: number
}

/**
 * struct tc_stats (TCA_STATS).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.stats) console.log(q.kind, `${q.stats.bytes} bytes, ${q.stats.drops} dropped`)
 * }
 * ```
 */
export interface TcStats {
  /** Bytes sent. */
  bytes: number
  /** Packets sent. */
  packets: number
  /** Packets dropped. */
  drops: number
  /** Times the flow went over its limits. */
  overlimits: number
  /** Rate estimate, bytes per second. */
  bps: number
  /** Rate estimate, packets per second. */
  pps: number
  /** Queue length, packets. */
  qlen: number
  /** Queue length, bytes. */
  backlog: number
}

/**
 * struct gnet_stats_basic.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list({ ifindex: 2 })) {
 *   const basic = q.stats2?.basic
 *   if (basic) console.log(q.kind, `${basic.bytes} bytes, ${q.stats2?.pkt64 ?? basic.packets} packets`)
 * }
 * ```
 */
export interface StatsBasic {
  /** Bytes. */
  bytes: number
  /** Packets (32 bits; TCA_STATS_PKT64 has the full count). */
  packets: number
}

/**
 * struct gnet_stats_rate_est / _est64.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses } from 'rtnl'
 *
 * for (const c of await tcClasses.list({ ifindex: 2 })) {
 *   const est = c.stats2?.rateEst64 ?? c.stats2?.rateEst
 *   if (est) console.log(c.handleName, `${(est.bps * 8) / 1e6} Mbit/s, ${est.pps} pps`)
 * }
 * ```
 */
export interface RateEst {
  /** Bytes per second. */
  bps: number
  /** Packets per second. */
  pps: number
}

/**
 * struct gnet_stats_queue.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   const queue = q.stats2?.queue
 *   if (queue && queue.drops > 0) console.log(`${q.kind} on ${q.ifindex}: ${queue.drops} drops, backlog ${queue.backlog} bytes`)
 * }
 * ```
 */
export interface StatsQueue {
  /** Queue length, packets. */
  qlen: number
  /** Queue length, bytes. */
  backlog: number
  /** Packets dropped. */
  drops: number
  /** Packets requeued. */
  requeues: number
  /** Times over the limits. */
  overlimits: number
}

/**
 * TCA_STATS2: the nested TCA_STATS_* statistics.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * const [root] = (await qdiscs.list({ ifindex: 2 })).filter((q) => q.parentName === 'root')
 * console.log(root?.stats2?.basic, root?.stats2?.queue, root?.stats2?.rateEst)
 * ```
 */
export interface TcStats2 {
  /** TCA_STATS_BASIC: struct gnet_stats_basic. */
  basic?: StatsBasic
  /** TCA_STATS_RATE_EST: struct gnet_stats_rate_est (present with an estimator). */
  rateEst?: RateEst
  /** TCA_STATS_RATE_EST64: struct gnet_stats_rate_est64. */
  rateEst64?: RateEst
  /** TCA_STATS_QUEUE: struct gnet_stats_queue. */
  queue?: StatsQueue
  /** TCA_STATS_APP: the kind-specific statistics, only when they differ from TCA_XSTATS (the kernel sends the same bytes in both: kept once, as `xstats`). */
  app?: TcXstats
  /** TCA_STATS_BASIC_HW: the hardware part of `basic`. */
  basicHw?: StatsBasic
  /** TCA_STATS_PKT64: the 64-bit packet count (when `basic.packets` wrapped). */
  pkt64?: number
  /** TCA_STATS_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_sizespec.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   const base = q.stab?.base
 *   if (base) console.log(q.kind, `overhead ${base.overhead}, linklayer ${base.linklayer}, mpu ${base.mpu}`)
 * }
 * ```
 */
export interface SizeSpec {
  /** cell_log. */
  cellLog: number
  /** size_log. */
  sizeLog: number
  /** cell_align. */
  cellAlign: number
  /** overhead, bytes. */
  overhead: number
  /** TC_LINKLAYER_* (0 unaware, 1 ethernet, 2 atm). */
  linklayer: number
  /** mpu, bytes. */
  mpu: number
  /** mtu, bytes. */
  mtu: number
  /** tsize: entries in the table. */
  tsize: number
}

/**
 * TCA_STAB: TCA_STAB_BASE (struct tc_sizespec) and TCA_STAB_DATA.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * const withStab = (await qdiscs.list()).filter((q) => q.stab)
 * console.log(withStab.map((q) => [q.kind, q.stab?.base?.tsize, q.stab?.data?.length]))
 * ```
 */
export interface TcStab {
  /** TCA_STAB_BASE: struct tc_sizespec. */
  base?: SizeSpec
  /** TCA_STAB_DATA: the u16 size table. */
  data?: number[]
  /** TCA_STAB_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_ratespec.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses, type HtbOptions } from 'rtnl'
 *
 * for (const c of await tcClasses.list({ ifindex: 2 })) {
 *   if (c.kind !== 'htb') continue
 *   const parms = (c.options as HtbOptions).parms
 *   if (parms) console.log(c.handleName, `rate ${(parms.rate.rate * 8) / 1e6} Mbit/s ceil ${(parms.ceil.rate * 8) / 1e6} Mbit/s`)
 * }
 * ```
 */
export interface RateSpec {
  /** cell_log. */
  cellLog: number
  /** TC_LINKLAYER_* (0 unaware, 1 ethernet, 2 atm). */
  linklayer: number
  /** `linklayer` as tc prints it ("unspec", "ethernet", "atm", or the number). */
  linklayerName: string
  /** overhead, bytes. */
  overhead: number
  /** cell_align. */
  cellAlign: number
  /** mpu, bytes. */
  mpu: number
  /** The rate, bytes per second (saturates at 2^32-1; see the *64 attributes). */
  rate: number
}

/**
 * Options of a kind without a decoder (and of ingress/clsact, which have none: `{}`).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type OtherOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.kind === 'cake') console.log('cake options, undecoded:', (q.options as OtherOptions).unknown)
 * }
 * ```
 */
export interface OtherOptions {
  /** The whole TCA_OPTIONS payload as hex, when it is not a valid attribute list. */
  raw?: string
  /** The attributes, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_htb_glob.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type HtbOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   const init = q.kind === 'htb' ? (q.options as HtbOptions).init : undefined
 *   if (init) console.log(`htb ${q.handleName} default ${init.defcls.toString(16)} r2q ${init.rate2quantum}`)
 * }
 * ```
 */
export interface HtbGlob {
  /** HTB version (tc prints it as "3.17": major in the high 16 bits). */
  version: number
  /** rate2quantum (tc's `r2q`). */
  rate2quantum: number
  /** The default class's minor id (tc's `default`, printed in hex). */
  defcls: number
  /** debug. */
  debug: number
  /** Packets sent through the direct queue (tc's `direct_packets_stat`). */
  directPkts: number
}

/**
 * struct tc_htb_opt. `buffer`/`cbuffer` are in psched ticks: tc's
 * `burst`/`cburst` (bytes) are rate * ticks / (ticks per second from /proc/net/psched).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses, type HtbOptions } from 'rtnl'
 *
 * for (const c of await tcClasses.list()) {
 *   const parms = c.kind === 'htb' ? (c.options as HtbOptions).parms : undefined
 *   if (parms) console.log(c.handleName, 'prio', parms.prio, 'quantum', parms.quantum, parms.level === 0 ? 'leaf' : 'inner')
 * }
 * ```
 */
export interface HtbOpt {
  /** The assured rate. */
  rate: RateSpec
  /** The ceiling rate. */
  ceil: RateSpec
  /** Token bucket size, psched ticks. */
  buffer: number
  /** Ceiling bucket size, psched ticks. */
  cbuffer: number
  /** DRR quantum, bytes. */
  quantum: number
  /** Level in the class tree (0 = leaf). */
  level: number
  /** Priority. */
  prio: number
}

/**
 * kind "htb": the qdisc's TCA_HTB_INIT/DIRECT_QLEN/OFFLOAD and the class's TCA_HTB_PARMS/RATE64/CEIL64.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, tcClasses, type HtbOptions } from 'rtnl'
 *
 * const htb = (await qdiscs.list({ ifindex: 2 })).find((q) => q.kind === 'htb')
 * const classes = (await tcClasses.list({ ifindex: 2 })).filter((c) => c.kind === 'htb')
 * console.log((htb?.options as HtbOptions | undefined)?.init, classes.map((c) => (c.options as HtbOptions).rate64 ?? (c.options as HtbOptions).parms?.rate.rate))
 * ```
 */
export interface HtbOptions {
  /** TCA_HTB_INIT: struct tc_htb_glob (qdisc). */
  init?: HtbGlob
  /** TCA_HTB_DIRECT_QLEN: the direct queue's length, packets (qdisc). */
  directQlen?: number
  /** TCA_HTB_OFFLOAD (flag): the qdisc is offloaded. */
  offload?: boolean
  /** TCA_HTB_PARMS: struct tc_htb_opt (class). */
  parms?: HtbOpt
  /** TCA_HTB_RATE64: the rate when over 2^32-1 bytes/s. */
  rate64?: number
  /** TCA_HTB_CEIL64: the ceiling when over 2^32-1 bytes/s. */
  ceil64?: number
  /** TCA_HTB_RTAB: the rate table (requests only; hex). */
  rtab?: string
  /** TCA_HTB_CTAB: the ceiling table (requests only; hex). */
  ctab?: string
  /** TCA_HTB_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_tbf_qopt. `buffer`/`mtu` are psched ticks (tc's `burst` is rate * buffer ticks in seconds; `lat` = limit/rate - buffer time).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type TbfOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   const parms = q.kind === 'tbf' ? (q.options as TbfOptions).parms : undefined
 *   if (parms) console.log(`tbf rate ${parms.rate.rate} B/s, limit ${parms.limit} bytes`)
 * }
 * ```
 */
export interface TbfQopt {
  /** The rate. */
  rate: RateSpec
  /** The peak rate (rate 0 = none). */
  peakrate: RateSpec
  /** Queue limit, bytes. */
  limit: number
  /** Bucket size, psched ticks. */
  buffer: number
  /** Peak bucket size, psched ticks. */
  mtu: number
}

/**
 * kind "tbf".
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type TbfOptions } from 'rtnl'
 *
 * const tbf = (await qdiscs.list()).filter((q) => q.kind === 'tbf').map((q) => q.options as TbfOptions)
 * console.log(tbf.map((o) => o.rate64 ?? o.parms?.rate.rate))
 * ```
 */
export interface TbfOptions {
  /** TCA_TBF_PARMS: struct tc_tbf_qopt. */
  parms?: TbfQopt
  /** TCA_TBF_RATE64: the rate when over 2^32-1 bytes/s. */
  rate64?: number
  /** TCA_TBF_PRATE64: the peak rate when over 2^32-1 bytes/s. */
  prate64?: number
  /** TCA_TBF_BURST: bucket size, bytes (requests only in practice). */
  burst?: number
  /** TCA_TBF_PBURST: peak bucket size, bytes (requests only in practice). */
  pburst?: number
  /** TCA_TBF_RTAB: rate table (requests only; hex). */
  rtab?: string
  /** TCA_TBF_PTAB: peak rate table (requests only; hex). */
  ptab?: string
  /** TCA_TBF_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_prio_qopt (+ TCA_PRIO_MQ after it, for prio).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type PrioOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.kind === 'prio' || q.kind === 'pfifo_fast') {
 *     const o = q.options as PrioOptions
 *     console.log(`${o.bands} bands, priomap ${o.priomap.join(' ')}`)
 *   }
 * }
 * ```
 */
export interface PrioOptions {
  /** Number of bands. */
  bands: number
  /** Band of each of the 16 priorities (TC_PRIO_MAX+1). */
  priomap: number[]
  /** TCA_PRIO_MQ: the bands map to hardware queues (tc prints false when absent). */
  multiqueue?: boolean
  /** Attributes after the struct not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_fifo_qopt.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type FifoOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.kind === 'pfifo' || q.kind === 'bfifo') console.log(q.kind, 'limit', (q.options as FifoOptions).limit)
 * }
 * ```
 */
export interface FifoOptions {
  /** Queue limit: packets (pfifo, pfifo_head_drop) or bytes (bfifo). */
  limit: number
}

/**
 * kind "fq_codel": TCA_FQ_CODEL_*.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type FqCodelOptions } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.kind !== 'fq_codel') continue
 *   const o = q.options as FqCodelOptions
 *   console.log(`target ${(o.target ?? 0) / 1000} ms, interval ${(o.interval ?? 0) / 1000} ms, ${o.flows} flows`)
 * }
 * ```
 */
export interface FqCodelOptions {
  /** TCA_FQ_CODEL_TARGET: target delay, microseconds. */
  target?: number
  /** TCA_FQ_CODEL_LIMIT: queue limit, packets. */
  limit?: number
  /** TCA_FQ_CODEL_INTERVAL: interval, microseconds. */
  interval?: number
  /** TCA_FQ_CODEL_ECN: 1 when ECN marking is on. */
  ecn?: number
  /** TCA_FQ_CODEL_FLOWS: number of flows. */
  flows?: number
  /** TCA_FQ_CODEL_QUANTUM: DRR quantum, bytes. */
  quantum?: number
  /** TCA_FQ_CODEL_CE_THRESHOLD: CE marking threshold, microseconds. */
  ceThreshold?: number
  /** TCA_FQ_CODEL_DROP_BATCH_SIZE: packets dropped at once. */
  dropBatchSize?: number
  /** TCA_FQ_CODEL_MEMORY_LIMIT: bytes. */
  memoryLimit?: number
  /** TCA_FQ_CODEL_CE_THRESHOLD_SELECTOR: u8. */
  ceThresholdSelector?: number
  /** TCA_FQ_CODEL_CE_THRESHOLD_MASK: u8. */
  ceThresholdMask?: number
  /** TCA_FQ_CODEL_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct tc_u32_key. tc prints `match` {value: val in hex, mask in hex, offmask: "nexthdr+" when offmask is not 0, off}.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type U32Options } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   if (f.kind !== 'u32') continue
 *   for (const k of (f.options as U32Options).sel?.keys ?? []) {
 *     console.log(`match ${k.val.toString(16).padStart(8, '0')}/${k.mask.toString(16).padStart(8, '0')} at ${k.off}`)
 *   }
 * }
 * ```
 */
export interface U32Key {
  /** mask (host order of the __be32). */
  mask: number
  /** val (host order of the __be32). */
  val: number
  /** off: offset of the 32-bit word. */
  off: number
  /** offmask: non-zero when the offset is relative to the next header. */
  offmask: number
}

/**
 * struct tc_u32_sel.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type U32Options } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   const sel = f.kind === 'u32' ? (f.options as U32Options).sel : undefined
 *   if (sel) console.log(f.handleName, sel.flagNames, `${sel.keys.length} keys`)
 * }
 * ```
 */
export interface U32Sel {
  /** TC_U32_TERMINAL 1, TC_U32_OFFSET 2, TC_U32_VAROFFSET 4, TC_U32_EAT 8. */
  flags: number
  /** `flags` by name: terminal, offset, varoffset, eat. */
  flagNames: string[]
  /** offshift. */
  offshift: number
  /** nkeys: the number of keys the struct announces. */
  nkeys: number
  /** offmask (host order of the __be16). */
  offmask: number
  /** off. */
  off: number
  /** offoff. */
  offoff: number
  /** hoff. */
  hoff: number
  /** hmask (host order of the __be32). */
  hmask: number
  /** The keys (struct tc_u32_key). */
  keys: U32Key[]
}

/**
 * struct tc_u32_mark.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type U32Options } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   const mark = f.kind === 'u32' ? (f.options as U32Options).mark : undefined
 *   if (mark) console.log(`mark 0x${mark.val.toString(16)}/0x${mark.mask.toString(16)}: ${mark.success} hits`)
 * }
 * ```
 */
export interface U32Mark {
  /** val. */
  val: number
  /** mask. */
  mask: number
  /** success: packets that matched. */
  success: number
}

/**
 * struct tc_u32_pcnt.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type U32Options } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   const pcnt = f.kind === 'u32' ? (f.options as U32Options).pcnt : undefined
 *   if (pcnt) console.log(`${pcnt.rhit} of ${pcnt.rcnt} packets hit; per key ${pcnt.kcnts.join(' ')}`)
 * }
 * ```
 */
export interface U32Pcnt {
  /** Packets looked at. */
  rcnt: number
  /** Packets that hit. */
  rhit: number
  /** Hits per key. */
  kcnts: number[]
}

/**
 * classifier "u32": TCA_U32_*, plus the handle parts tc prints.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type U32Options } from 'rtnl'
 *
 * for (const f of await tcFilters.list({ ifindex: 2 })) {
 *   if (f.kind === 'u32') {
 *     const o = f.options as U32Options
 *     console.log(`fh ${o.fh} flowid ${o.classidName ?? '-'} link ${o.linkName ?? '-'}`)
 *   }
 * }
 * ```
 */
export interface U32Options {
  /** The filter handle as tc prints it (`fh`: "800:", "800::800"). */
  fh?: string
  /** The node id of the handle (tc's `order`), when not 0. */
  order?: number
  /** TCA_U32_CLASSID: the target class (tc's `flowid`/`classid`). */
  classid?: number
  /** `classid` as tc prints it ("1:10"). */
  classidName?: string
  /** TCA_U32_HASH: the hash table and bucket the node sits in. */
  hash?: number
  /** The hash table of `hash` (tc's `key_ht`, printed in hex). */
  keyHt?: number
  /** The bucket of `hash` (tc's `bkt`, printed in hex). */
  bkt?: number
  /** TCA_U32_LINK: the hash table this node links to. */
  link?: number
  /** `link` in the u32 handle form ("1:"). */
  linkName?: string
  /** TCA_U32_DIVISOR: a hash table's bucket count (tc's `ht_divisor`). */
  divisor?: number
  /** TCA_U32_SEL: struct tc_u32_sel with its keys. */
  sel?: U32Sel
  /** TCA_U32_MARK: struct tc_u32_mark. */
  mark?: U32Mark
  /** TCA_U32_FLAGS: TCA_CLS_FLAGS_*. */
  flags?: number
  /** `flags` by name: skip_hw, skip_sw, in_hw, not_in_hw, verbose. */
  flagNames?: string[]
  /** TCA_U32_PCNT: struct tc_u32_pcnt (CONFIG_CLS_U32_PERF). */
  pcnt?: U32Pcnt
  /** TCA_U32_INDEV: the input device name. */
  indev?: string
  /** TCA_U32_ACT: the actions, nested (hex; not decoded). */
  act?: string
  /** TCA_U32_POLICE: the policer, nested (hex; not decoded). */
  police?: string
  /** TCA_U32_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * classifier "matchall": TCA_MATCHALL_*.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type MatchallOptions } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   if (f.kind === 'matchall') console.log('matchall to', (f.options as MatchallOptions).classidName, 'hits', (f.options as MatchallOptions).rhit)
 * }
 * ```
 */
export interface MatchallOptions {
  /** TCA_MATCHALL_CLASSID: the target class. */
  classid?: number
  /** `classid` as tc prints it ("1:10"). */
  classidName?: string
  /** TCA_MATCHALL_FLAGS: TCA_CLS_FLAGS_*. */
  flags?: number
  /** `flags` by name. */
  flagNames?: string[]
  /** TCA_MATCHALL_PCNT: struct tc_matchall_pcnt's rhit. */
  rhit?: number
  /** TCA_MATCHALL_ACT: the actions, nested (hex; not decoded). */
  act?: string
  /** TCA_MATCHALL_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct sock_filter.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type BpfOptions } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   const ops = f.kind === 'bpf' ? (f.options as BpfOptions).ops : undefined
 *   if (ops) console.log(ops.map((i) => `${i.code},${i.jt} ${i.jf} ${i.k}`).join(','))
 * }
 * ```
 */
export interface BpfInsn {
  /** code. */
  code: number
  /** jt. */
  jt: number
  /** jf. */
  jf: number
  /** k. */
  k: number
}

/**
 * classifier "bpf": TCA_BPF_*.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters, type BpfOptions } from 'rtnl'
 *
 * for (const f of await tcFilters.list()) {
 *   if (f.kind !== 'bpf') continue
 *   const o = f.options as BpfOptions
 *   console.log(o.name ? `eBPF ${o.name} id ${o.id} tag ${o.tag}` : `classic BPF, ${o.opsLen} instructions`)
 * }
 * ```
 */
export interface BpfOptions {
  /** TCA_BPF_CLASSID: the target class. */
  classid?: number
  /** `classid` as tc prints it (tc's `flowid`). */
  classidName?: string
  /** TCA_BPF_OPS_LEN: number of classic BPF instructions. */
  opsLen?: number
  /** TCA_BPF_OPS: the classic BPF program (struct sock_filter each). */
  ops?: BpfInsn[]
  /** TCA_BPF_FD: program fd (requests only). */
  fd?: number
  /** TCA_BPF_NAME: the eBPF program's name. */
  name?: string
  /** TCA_BPF_FLAGS: TCA_BPF_FLAG_ACT_DIRECT (1). */
  flags?: number
  /** TCA_BPF_FLAGS_GEN: TCA_CLS_FLAGS_*. */
  flagsGen?: number
  /** `flagsGen` by name. */
  flagsGenNames?: string[]
  /** TCA_BPF_TAG: the eBPF program tag (hex). */
  tag?: string
  /** TCA_BPF_ID: the eBPF program id. */
  id?: number
  /** TCA_BPF_ACT: the actions, nested (hex; not decoded). */
  act?: string
  /** TCA_BPF_POLICE: the policer, nested (hex; not decoded). */
  police?: string
  /** TCA_BPF_* not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * TCA_OPTIONS, decoded per TCA_KIND: a plain object whose shape follows
 * from `kind` (htb, tbf, prio/pfifo_fast, pfifo/bfifo/pfifo_head_drop,
 * fq_codel, u32, matchall, bpf; anything else OtherOptions).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type FqCodelOptions, type HtbOptions, type TcOptions } from 'rtnl'
 *
 * function describe(kind: string | undefined, options: TcOptions | undefined): string {
 *   switch (kind) {
 *     case 'htb':
 *       return `htb default ${(options as HtbOptions).init?.defcls.toString(16)}`
 *     case 'fq_codel':
 *       return `fq_codel limit ${(options as FqCodelOptions).limit}p`
 *     default:
 *       return kind ?? '?'
 *   }
 * }
 * for (const q of await qdiscs.list()) console.log(describe(q.kind, q.options))
 * ```
 */
export type TcOptions =
  | HtbOptions
  | TbfOptions
  | PrioOptions
  | FifoOptions
  | FqCodelOptions
  | U32Options
  | MatchallOptions
  | BpfOptions
  | OtherOptions

/**
 * struct tc_htb_xstats.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses, type HtbXstats } from 'rtnl'
 *
 * for (const c of await tcClasses.list()) {
 *   if (c.kind === 'htb' && c.xstats) {
 *     const x = c.xstats as HtbXstats
 *     console.log(c.handleName, `lended ${x.lends} borrowed ${x.borrows} tokens ${x.tokens}`)
 *   }
 * }
 * ```
 */
export interface HtbXstats {
  /** Packets sent within the class's own rate (tc's `lended`). */
  lends: number
  /** Packets sent on tokens borrowed from the parent. */
  borrows: number
  /** Packets larger than the MTU. */
  giants: number
  /** Tokens left, psched ticks. */
  tokens: number
  /** Ceiling tokens left, psched ticks. */
  ctokens: number
}

/**
 * struct tc_fq_codel_qd_stats. The last three fields came with later kernels and are absent when the struct is shorter.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type FqCodelXstats } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   const st = q.kind === 'fq_codel' ? (q.xstats as FqCodelXstats | undefined)?.qdisc : undefined
 *   if (st) console.log(`maxpacket ${st.maxpacket}, ${st.ecnMark} ECN marks, ${st.newFlowCount} new flows`)
 * }
 * ```
 */
export interface FqCodelQdStats {
  /** Largest packet seen. */
  maxpacket: number
  /** Packets dropped over the limit. */
  dropOverlimit: number
  /** Packets ECN-marked. */
  ecnMark: number
  /** New flows seen. */
  newFlowCount: number
  /** Length of the new-flows list. */
  newFlowsLen: number
  /** Length of the old-flows list. */
  oldFlowsLen: number
  /** Packets CE-marked over ce_threshold. */
  ceMark?: number
  /** Memory in use, bytes. */
  memoryUsage?: number
  /** Packets dropped over memory_limit. */
  dropOvermemory?: number
}

/**
 * struct tc_fq_codel_cl_stats.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses, type FqCodelXstats } from 'rtnl'
 *
 * for (const c of await tcClasses.list()) {
 *   const st = (c.xstats as FqCodelXstats | undefined)?.class
 *   if (c.kind === 'fq_codel' && st) console.log(c.handleName, `delay ${st.ldelay} us, deficit ${st.deficit}`)
 * }
 * ```
 */
export interface FqCodelClStats {
  /** deficit. */
  deficit: number
  /** ldelay: the last packet's sojourn time, microseconds. */
  ldelay: number
  /** count. */
  count: number
  /** lastcount. */
  lastcount: number
  /** dropping: 1 while in dropping state. */
  dropping: number
  /** drop_next: time to the next drop, microseconds (signed). */
  dropNext: number
}

/**
 * struct tc_fq_codel_xstats: `type` 0 carries qdisc statistics, 1 class statistics.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type FqCodelXstats } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.kind !== 'fq_codel' || !q.xstats) continue
 *   const x = q.xstats as FqCodelXstats
 *   console.log(x.type === 0 ? x.qdisc : x.class)
 * }
 * ```
 */
export interface FqCodelXstats {
  /** TCA_FQ_CODEL_XSTATS_QDISC (0) or TCA_FQ_CODEL_XSTATS_CLASS (1). */
  type: number
  /** struct tc_fq_codel_qd_stats (type 0). */
  qdisc?: FqCodelQdStats
  /** struct tc_fq_codel_cl_stats (type 1). */
  class?: FqCodelClStats
}

/**
 * Statistics of a kind without a decoder.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, type RawXstats } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) {
 *   if (q.xstats && 'raw' in q.xstats) console.log(q.kind, 'statistics, undecoded:', (q.xstats as RawXstats).raw)
 * }
 * ```
 */
export interface RawXstats {
  /** The payload, hex. */
  raw: string
}

/**
 * Kind-specific statistics (TCA_XSTATS, TCA_STATS_APP): a plain object whose shape follows from `kind`.
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses, type TcXstats } from 'rtnl'
 *
 * const byClass = new Map<string, TcXstats>()
 * for (const c of await tcClasses.list()) if (c.xstats && c.handleName) byClass.set(c.handleName, c.xstats)
 * ```
 */
export type TcXstats = HtbXstats | FqCodelXstats | RawXstats

/**
 * What every tc object carries (struct tcmsg + TCA_*).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs, tcClasses, tcFilters, type TcObject } from 'rtnl'
 *
 * const tree: TcObject[] = [...(await qdiscs.list({ ifindex: 2 })), ...(await tcClasses.list({ ifindex: 2 })), ...(await tcFilters.list({ ifindex: 2 }))]
 * for (const o of tree) console.log(o.object, o.kind, o.handleName ?? '', 'parent', o.parentName)
 * ```
 */
export interface TcObject {
  /** Which object this is ('qdisc', 'class', 'filter', 'chain'), from the message type (always set on what list() and events give). */
  object?: 'qdisc' | 'class' | 'filter' | 'chain'
  /** tcm_family (AF_UNSPEC in practice). */
  family: number
  /** tcm_ifindex: the link (TCM_IFINDEX_MAGIC_BLOCK, 0xffffffff, for a shared block). */
  ifindex: number
  /** tcm_handle: qdisc handle (major:0), class id, or filter handle. */
  handle: number
  /**
   * `handle` as tc prints it: "1:" for a qdisc, "1:10" for a class, the
   * u32 form ("800::800", tc's `fh`) or hex ("0x1") for a filter; absent
   * for a chain and for a filter's handle 0 (the message announcing a
   * priority/protocol, which tc prints without a handle).
   */
  handleName?: string
  /** tcm_parent: the parent class or qdisc (tcm_block_index for a shared block). */
  parent: number
  /**
   * `parent` as tc prints it: "root" (TC_H_ROOT), "none" (0), "1:",
   * "1:10", "ffff:fff1" (ingress/clsact), "ffff:fff2"/"ffff:fff3" (clsact ingress/egress).
   */
  parentName: string
  /** tcm_info: qdisc refcount; class leaf qdisc handle; filter priority (high 16 bits) and protocol (low 16, network byte order). */
  info: number
  /** Qdiscs: the reference count (tcm_info); tc prints it when not 1. */
  refcnt?: number
  /** Classes: the leaf qdisc handle (tcm_info), when it has one. */
  leaf?: number
  /** Classes: `leaf` as tc prints it ("10:"). */
  leafName?: string
  /** Filters: the priority (tcm_info >> 16), tc's `pref`. */
  prio?: number
  /** Filters: the protocol (ntohs(tcm_info & 0xffff)), an ETH_P_* value. */
  protocol?: number
  /** Filters: `protocol` as tc names it ("ip", "ipv6", "all", "802.1Q", "arp", ... or "[N]"). */
  protocolName?: string
  /** TCA_KIND: the qdisc, class or classifier kind ("htb", "u32", ...). */
  kind?: string
  /** TCA_OPTIONS decoded per kind (see TcOptions). */
  options?: TcOptions
  /** TCA_STATS: the legacy struct tc_stats, only from a kernel that sends no TCA_STATS2 (the same counters: a message with both keeps stats2 alone). */
  stats?: TcStats
  /** TCA_STATS2: the generic statistics (gnet_stats_*). */
  stats2?: TcStats2
  /** TCA_XSTATS: kind-specific statistics. */
  xstats?: TcXstats
  /** TCA_RATE: struct tc_estimator (requests only in practice). */
  rate?: TcEstimator
  /** TCA_FCNT: filter count (old kernels). */
  fcnt?: number
  /** TCA_STAB: the size table. */
  stab?: TcStab
  /** TCA_DUMP_INVISIBLE (flag; requests only in practice). */
  dumpInvisible?: boolean
  /** TCA_CHAIN: the filter chain index. */
  chain?: number
  /** TCA_HW_OFFLOAD: 1 when the qdisc is offloaded (tc prints `offloaded`). */
  hwOffload?: number
  /** TCA_INGRESS_BLOCK: the shared ingress block index. */
  ingressBlock?: number
  /** TCA_EGRESS_BLOCK: the shared egress block index. */
  egressBlock?: number
  /** TCA_DUMP_FLAGS: struct nla_bitfield32 (TCA_DUMP_FLAGS_TERSE = 1). */
  dumpFlags?: Bitfield32
  /** TCA_EXT_WARN_MSG: a warning the kernel attached (e.g. about offload). */
  extWarnMsg?: string
  /** Attributes not decoded, kept as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * A queueing discipline (`tc qdisc`).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * for (const q of await qdiscs.list()) console.log(`qdisc ${q.kind} ${q.handleName} dev ${q.ifindex} ${q.parentName}`)
 * ```
 */
export interface Qdisc extends TcObject {
  object: 'qdisc'
  /** A qdisc's reference count (tcm_info); tc prints it when not 1. */
  refcnt: number
}

/**
 * A class (`tc class`).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses } from 'rtnl'
 *
 * for (const c of await tcClasses.list({ ifindex: 2 })) console.log(`class ${c.kind} ${c.handleName} parent ${c.parentName} leaf ${c.leafName ?? '-'}`)
 * ```
 */
export interface TcClass extends TcObject {
  object: 'class'
  /** A class's leaf qdisc handle (tcm_info), when it has one. */
  leaf?: number
  /** `leaf` as tc prints it ("10:"). */
  leafName?: string
}

/**
 * A filter (`tc filter`).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters } from 'rtnl'
 *
 * for (const f of await tcFilters.list({ ifindex: 2 })) console.log(`filter parent ${f.parentName} protocol ${f.protocolName} pref ${f.prio} ${f.kind ?? ''} chain ${f.chain ?? 0}`)
 * ```
 */
export interface TcFilter extends TcObject {
  object: 'filter'
  /** A filter's priority (tcm_info >> 16), tc's `pref`. */
  prio: number
  /** A filter's protocol (ntohs(tcm_info & 0xffff)), an ETH_P_* value. */
  protocol: number
  /** `protocol` as tc names it ("ip", "ipv6", "all", "802.1Q", "arp", ... or "[N]"). */
  protocolName: string
}

/**
 * A filter chain (`tc chain`).
 *
 * @category Traffic control
 * @example
 * ```ts
 * import { tcChains } from 'rtnl'
 *
 * for (const c of await tcChains.list({ ifindex: 2 })) console.log(`chain ${c.chain} parent ${c.parentName}`)
 * ```
 */
export interface TcChain extends TcObject {
  object: 'chain'
}

const FILTERS = ['ifindex'] as const

/**
 * Queueing disciplines (`tc qdisc`): list them and change them. Each is a {@link Qdisc};
 * their events are {@link QdiscEvent}s (group TC, not a default one: join
 * `KIND_GROUPS.qdiscs`). Numbers are handles as the kernel has them:
 * `0x10010` is tc's `1:10`, `0xffffffff` is `root`.
 *
 * @namespace
 * @category Traffic control
 * @example
 * ```ts
 * import { qdiscs } from 'rtnl'
 *
 * const root = (await qdiscs.list({ ifindex: 2 })).find((q) => q.parentName === 'root')
 * console.log(root?.kind) // 'fq_codel', 'noqueue', ...
 * ```
 */
export const qdiscs = {
  /**
   * One qdisc of a link by its handle (`tc qdisc show dev X handle H`; the
   * root qdisc: handle 0 and parent root, 0xffffffff), or null when there is none.
   *
   * @example
   * ```ts
   * const q = await qdiscs.get({ ifindex: 2, handle: 0x10000 }, { netns: { name: 'blue' } })
   * ```
   */
  async get(which: { ifindex: number; handle: number; parent?: number }, opts?: ListOptions): Promise<Qdisc | null> {
    const w = tcSelector('qdiscs.get', which, ['ifindex', 'handle', 'parent'])
    return getObject<Qdisc>('qdiscs', w, opts)
  },
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV`, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```js
   * import { qdiscs } from 'rtnl'
   *
   * // tc qdisc add dev <2> root handle 1: htb default 10 r2q 10
   * await qdiscs.add({ ifindex: 2, parent: 0xffffffff, handle: 0x10000, kind: 'htb', options: { init: { rate2quantum: 10, defcls: 0x10 } } })
   * ```
   */
  add(object: Input<Qdisc>, opts?: BatchOptions): Promise<void> {
    return change('qdiscs', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` for a
   * missing parent, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { qdiscs } from 'rtnl'
   *
   * // tc qdisc replace dev <2> root fq_codel
   * await qdiscs.replace({ ifindex: 2, parent: 0xffffffff, kind: 'fq_codel' })
   * ```
   */
  replace(object: Input<Qdisc>, opts?: BatchOptions): Promise<void> {
    return change('qdiscs', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when
   * none matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { qdiscs } from 'rtnl'
   *
   * const htb = (await qdiscs.list({ ifindex: 2 })).find((q) => q.kind === 'htb')
   * if (htb) await qdiscs.del(htb) // its classes and filters go with it
   * ```
   */
  del(object: Input<Qdisc>, opts?: BatchOptions): Promise<void> {
    return change('qdiscs', 'del', object, opts)
  },
  /**
   * Every qdisc of every link (or of `ifindex`), ingress and clsact included.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { qdiscs } from 'rtnl'
   *
   * for (const q of await qdiscs.list()) console.log(q.ifindex, q.kind, q.handleName, q.parentName)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<Qdisc[]> {
    return listKind<Qdisc>('qdiscs', opts, FILTERS)
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
   * import { qdiscs } from 'rtnl'
   *
   * for await (const batch of qdiscs.iterate({ ifindex: 2 })) for (const x of batch) console.log(x.kind, x.handleName)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<Qdisc[], void, undefined> {
    return iterateKind<Qdisc>('qdiscs', opts, FILTERS)
  },
}

/**
 * Traffic control classes (`tc class`): list them and change them. Each is a {@link TcClass};
 * their events are {@link TcClassEvent}s (group TC, not a default one: join
 * `KIND_GROUPS.tcClasses`). Numbers are handles as the kernel has them:
 * `0x10010` is tc's `1:10`, `0xffffffff` is `root`.
 *
 * @namespace
 * @category Traffic control
 * @example
 * ```ts
 * import { tcClasses } from 'rtnl'
 *
 * console.log((await tcClasses.list({ ifindex: 2 })).map((c) => `${c.kind} ${c.handleName}`))
 * ```
 */
export const tcClasses = {
  /**
   * One class by its classid (`tc class get dev X classid 1:10`), or null when there is none.
   *
   * @example
   * ```ts
   * const c = await tcClasses.get({ ifindex: 2, handle: 0x10010 }, { netns: { name: 'blue' } })
   * ```
   */
  async get(which: { ifindex: number; handle: number }, opts?: ListOptions): Promise<TcClass | null> {
    return getObject<TcClass>('tcClasses', tcSelector('tcClasses.get', which, ['ifindex', 'handle']), opts)
  },
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV`, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```js
   * import { tcClasses } from 'rtnl'
   *
   * // tc class add dev <2> parent 1: classid 1:10 htb rate 1mbit
   * await tcClasses.add({ ifindex: 2, parent: 0x10000, handle: 0x10010, kind: 'htb', options: { parms: { rate: { rate: 125000 } } } })
   * ```
   */
  add(object: Input<TcClass>, opts?: BatchOptions): Promise<void> {
    return change('tcClasses', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` for a
   * missing parent, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```js
   * import { tcClasses } from 'rtnl'
   *
   * // tc class replace dev <2> parent 1: classid 1:10 htb rate 2mbit
   * await tcClasses.replace({ ifindex: 2, parent: 0x10000, handle: 0x10010, kind: 'htb', options: { parms: { rate: { rate: 250000 } } } })
   * ```
   */
  replace(object: Input<TcClass>, opts?: BatchOptions): Promise<void> {
    return change('tcClasses', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when
   * none matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { tcClasses } from 'rtnl'
   *
   * const cls = (await tcClasses.list({ ifindex: 2 })).find((c) => c.handle === 0x10010)
   * if (cls) await tcClasses.del(cls)
   * ```
   */
  del(object: Input<TcClass>, opts?: BatchOptions): Promise<void> {
    return change('tcClasses', 'del', object, opts)
  },
  /**
   * Every class of every qdisc (one dump per link that has a qdisc).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { tcClasses } from 'rtnl'
   *
   * for (const c of await tcClasses.list()) console.log(c.ifindex, c.kind, c.handleName, 'parent', c.parentName)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<TcClass[]> {
    return listKind<TcClass>('tcClasses', opts, FILTERS)
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
   * import { tcClasses } from 'rtnl'
   *
   * for await (const batch of tcClasses.iterate({ ifindex: 2 })) for (const x of batch) console.log(x.kind, x.handleName)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcClass[], void, undefined> {
    return iterateKind<TcClass>('tcClasses', opts, FILTERS)
  },
}

/**
 * Traffic control filters (`tc filter`): list them and change them. Each is a {@link TcFilter};
 * their events are {@link TcFilterEvent}s (group TC, not a default one: join
 * `KIND_GROUPS.tcFilters`). Numbers are handles as the kernel has them:
 * `0x10010` is tc's `1:10`, `0xffffffff` is `root`.
 *
 * @namespace
 * @category Traffic control
 * @example
 * ```ts
 * import { tcFilters } from 'rtnl'
 *
 * console.log((await tcFilters.list({ ifindex: 2 })).map((f) => `${f.kind} pref ${f.prio} ${f.protocolName}`))
 * ```
 */
export const tcFilters = {
  /**
   * One filter (`tc filter get dev X parent P prio N protocol T handle H KIND`),
   * or null when there is none: the kernel needs all of these.
   *
   * @example
   * ```ts
   * const f = await tcFilters.get({ ifindex: 2, parent: 0x10000, prio: 1, protocol: 0x800, handle: 0x80000800, kind: 'u32' })
   * ```
   */
  async get(which: { ifindex: number; parent: number; prio: number; protocol: number; handle: number; kind: string; chain?: number }, opts?: ListOptions): Promise<TcFilter | null> {
    const w = tcSelector('tcFilters.get', which, ['ifindex', 'parent', 'prio', 'protocol', 'handle', 'chain'], ['kind'])
    if (!(w.prio > 0 && w.prio <= 0xffff && w.protocol >= 0 && w.protocol <= 0xffff)) {
      throw outOfRange(`tcFilters.get: prio must be 1 to 65535 and protocol 0 to 65535, got ${w.prio} and ${w.protocol}`)
    }
    // tcm_info: the priority in the high 16 bits, the protocol in network byte order in the low.
    const info = ((w.prio << 16) | (((w.protocol & 0xff) << 8) | (w.protocol >> 8))) >>> 0
    return getObject<TcFilter>('tcFilters', { ifindex: w.ifindex, parent: w.parent, info, handle: w.handle, kind: w.kind as unknown as string, chain: w.chain }, opts)
  },
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV`, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```js
   * import { tcFilters } from 'rtnl'
   *
   * // tc filter add dev <2> parent 1: protocol ip pref 1 u32 match ip dst 10.0.0.2/32 flowid 1:10
   * await tcFilters.add({
   *   ifindex: 2, parent: 0x10000, prio: 1, protocol: 0x800, kind: 'u32',
   *   options: { classid: 0x10010, sel: { flags: 1, keys: [{ mask: 0xffffffff, val: 0x0a000002, off: 16, offmask: 0 }] } },
   * })
   * ```
   */
  add(object: Input<TcFilter>, opts?: BatchOptions): Promise<void> {
    return change('tcFilters', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` for a
   * missing parent, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { tcFilters } from 'rtnl'
   *
   * const [f] = (await tcFilters.list({ ifindex: 2 })).filter((x) => x.kind === 'matchall' && x.handle)
   * if (f) await tcFilters.replace({ ...f, options: { classid: 0x10020 } }) // send what it matches to 1:20
   * ```
   */
  replace(object: Input<TcFilter>, opts?: BatchOptions): Promise<void> {
    return change('tcFilters', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when
   * none matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { tcFilters } from 'rtnl'
   *
   * // the message that announces a priority has handle 0: deleting it deletes the whole priority
   * for (const f of (await tcFilters.list({ ifindex: 2 })).filter((x) => !x.handle)) await tcFilters.del(f)
   * ```
   */
  del(object: Input<TcFilter>, opts?: BatchOptions): Promise<void> {
    return change('tcFilters', 'del', object, opts)
  },
  /**
   * Every filter of every qdisc and class, ingress and clsact blocks
   * included (one dump per parent: the kernel keeps filters per block).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { tcFilters } from 'rtnl'
   *
   * for (const f of await tcFilters.list()) console.log(f.ifindex, f.parentName, f.kind, f.handleName ?? '', 'pref', f.prio)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<TcFilter[]> {
    return listKind<TcFilter>('tcFilters', opts, FILTERS)
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
   * import { tcFilters } from 'rtnl'
   *
   * for await (const batch of tcFilters.iterate({ ifindex: 2 })) for (const x of batch) console.log(x.kind, x.handleName)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcFilter[], void, undefined> {
    return iterateKind<TcFilter>('tcFilters', opts, FILTERS)
  },
}

/**
 * Filter chains (`tc chain`): list them and change them. Each is a {@link TcChain};
 * their events are {@link TcChainEvent}s (group TC, not a default one: join
 * `KIND_GROUPS.tcChains`). Numbers are handles as the kernel has them:
 * `0x10010` is tc's `1:10`, `0xffffffff` is `root`.
 *
 * @namespace
 * @category Traffic control
 * @example
 * ```ts
 * import { tcChains } from 'rtnl'
 *
 * console.log((await tcChains.list({ ifindex: 2 })).map((c) => c.chain))
 * ```
 */
export const tcChains = {
  /**
   * One filter chain (`tc chain get dev X parent P chain N`), or null when there is none.
   *
   * @example
   * ```ts
   * const ch = await tcChains.get({ ifindex: 2, parent: 0x10000, chain: 7 })
   * ```
   */
  async get(which: { ifindex: number; parent: number; chain: number }, opts?: ListOptions): Promise<TcChain | null> {
    return getObject<TcChain>('tcChains', tcSelector('tcChains.get', which, ['ifindex', 'parent', 'chain']), opts)
  },
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV`, `EINVAL` with `extAck`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { tcChains } from 'rtnl'
   *
   * // tc chain add dev <2> parent 1: chain 1
   * await tcChains.add({ ifindex: 2, parent: 0x10000, chain: 1 })
   * ```
   */
  add(object: Input<TcChain>, opts?: BatchOptions): Promise<void> {
    return change('tcChains', 'add', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when
   * none matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { tcChains } from 'rtnl'
   *
   * for (const c of await tcChains.list({ ifindex: 2 })) if (c.chain !== 0) await tcChains.del(c)
   * ```
   */
  del(object: Input<TcChain>, opts?: BatchOptions): Promise<void> {
    return change('tcChains', 'del', object, opts)
  },
  /**
   * Every filter chain of every qdisc and class (one dump per parent).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { tcChains } from 'rtnl'
   *
   * for (const c of await tcChains.list()) console.log(c.ifindex, c.parentName, 'chain', c.chain)
   * ```
   */
  list(opts?: IfindexListOptions): Promise<TcChain[]> {
    return listKind<TcChain>('tcChains', opts, FILTERS)
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
   * import { tcChains } from 'rtnl'
   *
   * for await (const batch of tcChains.iterate({ ifindex: 2 })) for (const x of batch) console.log(x.kind, x.handleName)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcChain[], void, undefined> {
    return iterateKind<TcChain>('tcChains', opts, FILTERS)
  },
}

/** The numbers (and for filters the kind) that select one tc object, checked. */
function tcSelector(what: string, which: unknown, numbers: readonly string[], strings: readonly string[] = []): Record<string, number> {
  if (typeof which !== 'object' || which === null || Array.isArray(which)) {
    throw invalidType(`${what} takes { ${[...numbers, ...strings].join(', ')} }, got ${describe(which)}`)
  }
  checkKeys(which, [...numbers, ...strings], `${what} selector`)
  const w = which as Record<string, unknown>
  const out: Record<string, number> = {}
  for (const k of numbers) {
    if (w[k] === undefined) continue
    if (typeof w[k] !== 'number' || !Number.isInteger(w[k]) || (w[k] as number) < (k === 'ifindex' ? 1 : 0) || (w[k] as number) > 0xffffffff) {
      throw invalidValue(`${what}: ${k} must be an integer from ${k === 'ifindex' ? 1 : 0} to 4294967295, got ${describe(w[k])}`)
    }
    out[k] = w[k] as number
  }
  if (out.ifindex === undefined) throw invalidValue(`${what}: ifindex is required`)
  for (const k of strings) {
    if (typeof w[k] !== 'string' || w[k] === '') throw invalidValue(`${what}: ${k} must be the classifier's name ('u32', ...), got ${describe(w[k])}`)
    ;(out as Record<string, unknown>)[k] = w[k]
  }
  return out
}
