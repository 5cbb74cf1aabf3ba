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
import type { Bitfield32, TcEstimator, TcStats, StatsBasic, RateEst, StatsQueue, TcStats2, SizeSpec, TcStab, RateSpec, OtherOptions, HtbGlob, HtbOpt, HtbOptions, TbfQopt, TbfOptions, PrioOptions, FifoOptions, FqCodelOptions, U32Key, U32Sel, U32Mark, U32Pcnt, U32Options, MatchallOptions, BpfInsn, BpfOptions, TcOptions, HtbXstats, FqCodelQdStats, FqCodelClStats, FqCodelXstats, RawXstats, TcXstats, TcObject } from './generated/tc'
export type { Bitfield32, TcEstimator, TcStats, StatsBasic, RateEst, StatsQueue, TcStats2, SizeSpec, TcStab, RateSpec, OtherOptions, HtbGlob, HtbOpt, HtbOptions, TbfQopt, TbfOptions, PrioOptions, FifoOptions, FqCodelOptions, U32Key, U32Sel, U32Mark, U32Pcnt, U32Options, MatchallOptions, BpfInsn, BpfOptions, TcOptions, HtbXstats, FqCodelQdStats, FqCodelClStats, FqCodelXstats, RawXstats, TcXstats, TcObject } from './generated/tc'

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

declare module './mutate' {
  interface MutableTypes {
    /** What `qdiscs.add`, `replace`, `del` and a batch's qdisc changes take. */
    qdiscs: Qdisc
    /** What `tcClasses.add`, `replace`, `del` and a batch's class changes take. */
    tcClasses: TcClass
    /** What `tcFilters.add`, `replace`, `del` and a batch's filter changes take. */
    tcFilters: TcFilter
    /** What `tcChains.add`, `del` and a batch's chain changes take. */
    tcChains: TcChain
  }
}
