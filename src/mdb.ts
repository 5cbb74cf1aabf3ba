/**
 * Bridge multicast database entries, as `bridge mdb show` lists them
 * (RTM_NEWMDB / RTM_DELMDB). One object per group membership or router
 * port, told apart by `entryType`. Mirrors crates/rtnl-core/src/mdb.rs.
 */
import { getMdbGroup, iterateKind, listKind } from './list'
import { links } from './link'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions, ListOptions } from './options'
import { checkKeys, describe, positiveInteger } from './options'
import { invalidType, invalidValue, outOfRange, RtnlError } from './errors'

/**
 * One MDBA_MDB_SRCLIST_ENTRY.
 *
 * @category Bridge
 * @example
 * ```ts
 * import { mdb } from 'rtnl'
 *
 * for (const e of await mdb.list()) {
 *   for (const src of e.srcList ?? []) console.log(`${e.grp} source ${src.address} timer ${(src.timer ?? 0) / 100} s`)
 * }
 * ```
 */
export interface MdbSource {
  /** MDBA_MDB_SRCATTR_ADDRESS. */
  address?: string
  /** MDBA_MDB_SRCATTR_TIMER: centiseconds. */
  timer?: number
  /** MDBA_MDB_SRCATTR_* not decoded, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * One entry of a bridge's multicast database: a group membership on a port
 * (`entryType` 'group') or a multicast router port ('router'), as
 * `mdb.list()` returns it and an MDB event carries it (MDBA_* attributes).
 *
 * @example
 * ```ts
 * import { mdb } from 'rtnl'
 *
 * for (const e of await mdb.list()) {
 *   if (e.entryType === 'group') console.log(`dev ${e.ifindex} port ${e.port} grp ${e.grp} ${e.stateName}${e.vid ? ` vid ${e.vid}` : ''}`)
 *   else console.log(`router port ${e.port} (${e.routerTypeName})`)
 * }
 * ```
 * @category Bridge
 */
export interface MdbEntry {
  /** 'group' (a membership) or 'router' (a multicast router port). */
  entryType: 'group' | 'router'
  /** bpm_family: AF_BRIDGE, 7 (the kernel's dumps leave it 0; read as 7, so that list() and the events agree). */
  family: number
  /** The bridge (bpm_ifindex; bridge's `index`). */
  ifindex: number
  /**
   * The port: br_mdb_entry.ifindex for a group (the bridge itself for a
   * host-joined group), MDBA_ROUTER_PORT's ifindex for a router port.
   */
  port: number
  /** br_mdb_entry.state: MDB_TEMPORARY 0, MDB_PERMANENT 1 (groups). */
  state?: number
  /** `state` as bridge prints it: 'temp' or 'permanent'. */
  stateName?: string
  /** br_mdb_entry.flags: MDB_FLAGS_* (groups). */
  flags?: number
  /** `flags` by name, as bridge prints them: offload, fast_leave, added_by_star_ex, blocked, offload_failed. */
  flagNames?: string[]
  /**
   * The VLAN: br_mdb_entry.vid (groups; bridge prints it when not 0) or
   * MDBA_ROUTER_PATTR_VID (router ports of a VLAN).
   */
  vid?: number
  /** br_mdb_entry.addr: the group, an IPv4/IPv6 address or a MAC (bridge's `grp`). */
  grp?: string
  /** br_mdb_entry.addr.proto (host order): ETH_P_IP 0x0800, ETH_P_IPV6 0x86dd, 0 for a MAC group. */
  proto?: number
  /** `proto` named: 'ipv4', 'ipv6' or 'l2' (or the number). */
  protoName?: string
  /** MDBA_MDB_EATTR_TIMER / MDBA_ROUTER_PATTR_TIMER: time left, centiseconds (bridge -s prints it as seconds, "%4i.%.2i"). */
  timer?: number
  /** MDBA_MDB_EATTR_SRC_LIST: the sources of a (*,G) entry (bridge -d's `source_list`). */
  srcList?: MdbSource[]
  /** MDBA_MDB_EATTR_GROUP_MODE: MCAST_EXCLUDE 0, MCAST_INCLUDE 1. */
  groupMode?: number
  /** `groupMode` as bridge -d prints it (`filter_mode`): 'exclude' or 'include'. */
  groupModeName?: string
  /** MDBA_MDB_EATTR_SOURCE: the source of an (S,G) entry (bridge's `src`). */
  source?: string
  /** MDBA_MDB_EATTR_RTPROT: who installed the entry (RTPROT_*). */
  rtprot?: number
  /** `rtprot` named as bridge -d prints it (`protocol`: 'kernel', 'static', ...). */
  rtprotName?: string
  /** MDBA_MDB_EATTR_DST: the remote VTEP (vxlan MDB). */
  dst?: string
  /** MDBA_MDB_EATTR_DST_PORT: the remote UDP port (vxlan MDB). */
  dstPort?: number
  /** MDBA_MDB_EATTR_VNI: the remote VNI (vxlan MDB). */
  vni?: number
  /** MDBA_MDB_EATTR_IFINDEX: the outgoing interface to the remote (vxlan MDB; bridge's `via`). */
  dstIfindex?: number
  /** MDBA_MDB_EATTR_SRC_VNI: the source VNI (vxlan MDB). */
  srcVni?: number
  /** MDBA_ROUTER_PATTR_TYPE: MDB_RTR_TYPE_* (router ports). */
  routerType?: number
  /** `routerType` as bridge prints it (`type`): 'disabled', 'temp_query', 'permanent', 'temp'. */
  routerTypeName?: string
  /** MDBA_ROUTER_PATTR_INET_TIMER: IPv4 router timer, centiseconds. */
  inetTimer?: number
  /** MDBA_ROUTER_PATTR_INET6_TIMER: IPv6 router timer, centiseconds. */
  inet6Timer?: number
  /** Attributes not decoded (of this entry, or of the message when it has no entry), as hex. */
  unknown?: UnknownAttribute[]
}

const FILTERS = ['ifindex'] as const

/**
 * Which group {@link mdb}.get asks for (`bridge mdb get dev BR grp G [src S] [vid V]`).
 *
 * @category Bridge
 * @example
 * ```ts
 * import { mdb, type MdbGroupQuery } from 'rtnl'
 *
 * const q: MdbGroupQuery = { ifindex: 3, grp: '239.1.1.1', vid: 10 }
 * console.log((await mdb.get(q)).map((e) => e.port))
 * ```
 */
export interface MdbGroupQuery {
  /** The bridge (or vxlan device). */
  ifindex: number
  /** The group: an IPv4 or IPv6 address, or a MAC ('01:00:5e:01:01:01'). */
  grp: string
  /** The VLAN, 0 (the default) for none. */
  vid?: number
  /** The source of an (S,G) entry, of the group's family. */
  source?: string
}

function validateGroupQuery(q: unknown): MdbGroupQuery {
  if (typeof q !== 'object' || q === null || Array.isArray(q)) {
    throw invalidType(`mdb.get takes { ifindex, grp, vid?, source? }, got ${describe(q)}`)
  }
  checkKeys(q, ['ifindex', 'grp', 'vid', 'source'], 'mdb.get query')
  const w = q as Record<string, unknown>
  const out: MdbGroupQuery = { ifindex: positiveInteger(w.ifindex, 'mdb.get: ifindex', 0x7fffffff), grp: '' }
  if (typeof w.grp !== 'string') throw invalidType(`mdb.get: grp must be a group address or MAC as a string ('239.1.1.1'), got ${describe(w.grp)}`)
  if (w.grp === '') throw invalidValue(`mdb.get: grp must be a group address or MAC as a string ('239.1.1.1'), got ''`)
  out.grp = w.grp
  if (w.vid !== undefined) {
    if (typeof w.vid !== 'number') throw invalidType(`mdb.get: vid must be an integer from 0 to 4094, got ${describe(w.vid)}`)
    if (!Number.isInteger(w.vid) || w.vid < 0 || w.vid > 4094) throw outOfRange(`mdb.get: vid must be an integer from 0 to 4094, got ${w.vid}`)
    out.vid = w.vid
  }
  if (w.source !== undefined) {
    if (typeof w.source !== 'string') throw invalidType(`mdb.get: source must be an address as a string, got ${describe(w.source)}`)
    out.source = w.source
  }
  return out
}

/**
 * Bridge multicast database entries (`bridge mdb show`): list them. Each is
 * an {@link MdbEntry}; their events are {@link MdbEvent}s (group MDB, not a
 * default one).
 *
 * @namespace
 * @category Bridge
 * @example
 * ```ts
 * import { mdb } from 'rtnl'
 *
 * const groups = new Set((await mdb.list()).filter((e) => e.entryType === 'group').map((e) => e.grp))
 * console.log([...groups])
 * ```
 */
export const mdb = {
  /**
   * One multicast group of a bridge (`bridge mdb get`): its entry on every
   * port, as `list()` has them (the kernel answers for a group, not a port);
   * empty when the bridge has no such group. Kernels older than 6.7 have no
   * such request: there the bridge's MDB is listed and the group picked out
   * of it (the same entries, one dump instead of one reply).
   *
   * @throws {@link RtnlError} `ENODEV` when there is no link `ifindex`; `EOPNOTSUPP` when it is not a
   * bridge (or vxlan device) (before 6.7: `EOPNOTSUPP` without the kernel's text for a link that is
   * not a bridge, or is not there); `ENOENT`, `EINVAL`
   * or `EPERM` when `netns` cannot be entered. The kernel's extended-ack text is in the message.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for a query that is not
   * `{ ifindex, grp, vid?, source? }`, a group that is not an address or a MAC, or a source not of the
   * group's family; RangeError `ERR_OUT_OF_RANGE` for an ifindex or vid out of range; the `AbortError`
   * (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { mdb } from 'rtnl'
   *
   * const ports = (await mdb.get({ ifindex: 3, grp: '239.1.1.1' })).map((e) => e.port)
   * console.log(ports.length ? `239.1.1.1 on ports ${ports.join(', ')}` : 'no such group')
   * ```
   */
  async get(query: MdbGroupQuery, opts?: ListOptions): Promise<MdbEntry[]> {
    const q = validateGroupQuery(query)
    try {
      return await getMdbGroup<MdbEntry>(q, opts)
    } catch (err) {
      // Before 6.7 the kernel has no RTM_GETMDB request: it answers
      // EOPNOTSUPP with no text of its own (6.7 and later name the reason).
      if (!(err instanceof RtnlError) || err.code !== 'EOPNOTSUPP' || err.extAck !== undefined) throw err
      const kind = (await links.get({ index: q.ifindex }, opts))?.linkinfo?.kind
      if (kind !== 'bridge' && kind !== 'vxlan') throw err
      const entries = await listKind<MdbEntry>('mdb', { ...opts, ifindex: q.ifindex } as IfindexListOptions, FILTERS)
      const same = (a: string | undefined, b: string | undefined) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase()
      return entries.filter((e) => e.entryType === 'group' && same(e.grp, q.grp) && (e.vid ?? 0) === (q.vid ?? 0) && same(e.source, q.source))
    }
  },
  /**
   * Every MDB entry and router port of every bridge (or of the bridge `ifindex`).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { mdb } from 'rtnl'
   *
   * for (const e of await mdb.list({ ifindex: 3 })) console.log(e.entryType, e.port, e.grp ?? '')
   * ```
   */
  list(opts?: IfindexListOptions): Promise<MdbEntry[]> {
    return listKind<MdbEntry>('mdb', opts, FILTERS)
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
   * import { mdb } from 'rtnl'
   *
   * for await (const batch of mdb.iterate()) console.log(batch.length)
   * ```
   */
  iterate(opts?: IfindexListOptions): AsyncGenerator<MdbEntry[], void, undefined> {
    return iterateKind<MdbEntry>('mdb', opts, FILTERS)
  },
}
