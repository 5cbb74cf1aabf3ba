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
import type { MdbSource, MdbEntry } from './generated/mdb'
export type { MdbSource, MdbEntry } from './generated/mdb'

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
