/** Links, as `ip link` shows them (RTM_NEWLINK / RTM_DELLINK). Mirrors crates/rtnl-core/src/link.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { describe, positiveInteger, validateListOptions } from './options'
import { invalidType, invalidValue } from './errors'
import { interfaceName } from './name'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { LinkInfoData, LinkSlaveData } from './generated/linkinfo'
import type { ListOptions, Netns } from './options'
import type { LinkInfo, Xdp, IfMap, Inet6CacheInfo, Inet6Spec, InetSpec, AfSpec, Link } from './generated/link'
import type { AfNumbers, LinkStats64 } from './generated/link'
export type { AfNumbers, LinkStats64 } from './generated/link'
export type { LinkInfo, Xdp, IfMap, Inet6CacheInfo, Inet6Spec, InetSpec, AfSpec, Link } from './generated/link'

/**
 * Which link `links.get` returns: by ifindex or by name.
 *
 * @category Links
 * @example
 * ```ts
 * import { links, type LinkSelector } from 'rtnl'
 *
 * const which: LinkSelector = process.argv[2] ? { name: process.argv[2] } : { index: 1 }
 * console.log(await links.get(which))
 * ```
 */
export type LinkSelector =
  | {
      /** The ifindex. */
      index: number
    }
  | {
      /** The interface name. */
      name: string
    }

/**
 * What `links.list()`, `links.iterate()` and `links.get()` take.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * const withSysctls = await links.list({ afDetails: true, netns: { name: 'blue' } })
 * ```
 */
export interface LinkListOptions extends ListOptions {
  /**
   * Also decode the bulky per-family details: `afSpec.inet.conf`,
   * `afSpec.inet6.conf` (the link's IPv4/IPv6 sysctls) and the per-link IPv6
   * and ICMPv6 statistics, about 3.5 kB of JSON per link. Default false:
   * they are left out (`ip -d` does not show them either). Give a monitor
   * the same option so that its link events and this list match.
   */
  afDetails?: boolean
}

async function getLink(which: LinkSelector, opts: ListOptions | undefined): Promise<Link | null> {
  if (typeof which !== 'object' || which === null || Array.isArray(which)) {
    throw invalidType(`links.get takes { index } or { name }, got ${describe(which)}`)
  }
  const keys = Object.keys(which)
  if (keys.length !== 1 || !['index', 'name'].includes(keys[0])) {
    throw invalidType(`links.get takes { index } or { name }, got ${describe(which)}`)
  }
  const { netns, afDetails } = validateListOptions(opts, 'links.get', ['afDetails'])
  const w = which as { index?: unknown; name?: unknown }
  const query: { netns: unknown; index?: number; nameHex?: string; afDetails?: boolean } = { netns, afDetails }
  if ('index' in w) query.index = positiveInteger(w.index, 'links.get: index', 0x7fffffff)
  else query.nameHex = interfaceName(w.name, 'links.get: name').toString('hex')
  const binding = native()
  return callJson<Link | null>((reply) => binding.getLink(JSON.stringify(query), reply), signalOf(opts, 'links.get'))
}

/**
 * A link as `links.add()`, `set()` and `del()` take it: the struct `list()`
 * returns (partial), identified by `index` or `name` (both: a rename), plus
 * what a listing cannot give back: a new veth's peer and the namespace to
 * move a link to. `linkinfo.data` and `slaveData` take the keys the listing
 * shows (`stpState`, `forwardDelay`, ...).
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * await links.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } })
 * await links.add({ name: 'br0', linkinfo: { kind: 'bridge', data: { stpState: 1 } } })
 * await links.set({ name: 'v1', master: (await links.get({ name: 'br0' }))!.index, flagNames: ['UP'] })
 * await links.set({ name: 'v0', netns: { name: 'blue' } }) // move it
 * ```
 */
export interface LinkInput extends Omit<Link, 'linkinfo'> {
  /** The kind and its settings, by the names `list()` gives them. */
  linkinfo: {
    /** The kind: 'veth', 'bridge', 'macvlan', 'vxlan', 'ifb', ... (`ip link add ... type KIND`). */
    kind: string
    /** The kind's settings, by the keys `list()` shows (`stpState`, `forwardDelay`, ...: see {@link LinkInfoDataByKind}). */
    data?: Record<string, unknown> & {
      /** veth only, at add: the peer's name, and optionally its address, mtu and namespace (by pid). */
      peer?: {
        /** The peer's name. */
        name?: string
        /** The peer's link-layer address. */
        address?: string
        /** The peer's MTU. */
        mtu?: number
        /** The namespace to make the peer in, by a process in it. */
        netns?: {
          /** A process whose namespace the peer goes to. */
          pid: number
        }
      }
    }
    /** The master's kind, for a port's settings at its master ('bridge'). */
    slaveKind?: string
    /** The port's settings at its master, by the keys `list()` shows (see {@link LinkSlaveDataByKind}). */
    slaveData?: Record<string, unknown>
  }
  /** `links.set()`: move the link to this namespace ('host' is this process's). */
  netns: Netns
  /**
   * Flags to turn on (`true`) or off (`false`), as `ip link set` does: `{ UP: false }` is
   * `ip link set DEV down`, `{ PROMISC: true }` `promisc on`. The others are left as they are.
   * (`flags` / `flagNames` only turn on the UP, NOARP, MULTICAST and DYNAMIC they name; a state
   * flag they name, LOWER_UP or a PROMISC another user holds, must be one the link has.)
   */
  setFlags: Partial<Record<SettableLinkFlag, boolean>>
}

/**
 * A flag `links.set({ setFlags })` turns on or off.
 *
 * @category Links
 * @example
 * ```ts
 * import { links, type SettableLinkFlag } from 'rtnl'
 *
 * const flag: SettableLinkFlag = 'PROMISC'
 * await links.set({ name: 'v0', setFlags: { [flag]: true } }) // ip link set v0 promisc on
 * ```
 */
export type SettableLinkFlag = 'UP' | 'NOARP' | 'MULTICAST' | 'PROMISC' | 'ALLMULTI' | 'DYNAMIC'

/**
 * Links (`ip link`): list them, get one by index or name, and change them.
 * Each is a {@link Link}; their events are {@link LinkEvent}s (group LINK, a
 * default one).
 *
 * @namespace
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * await links.add({ name: 'br0', linkinfo: { kind: 'bridge' } })
 * await links.set({ name: 'br0', flagNames: ['UP'], mtu: 9000 })
 * console.log((await links.get({ name: 'br0' }))?.operstate)
 * await links.del({ name: 'br0' })
 * ```
 */
export const links = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   * The kind is `linkinfo.kind`, its settings `linkinfo.data` (a veth takes
   * `data.peer`). Resolves with the name of the link made: a name with `%d`
   * is a template (`br%d`), resolved here as the kernel would (the lowest
   * number free in the namespace; retried if another process takes it
   * first); without `name` the template is the kind's (`bridge%d`).
   *
   * @returns the name of the link made.
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a template with another `%` than one `%d`, or
   * one whose first free name is longer than 15 bytes.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when
   * the name is taken, `EOPNOTSUPP` for a kind this kernel cannot create; `EPERM` without
   * CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when
   * `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1', mtu: 1400 } } } })
   * await links.add({ name: 'vx0', linkinfo: { kind: 'vxlan', data: { id: 42, port: 4789, learning: false } } })
   * ```
   */
  async add(object: Input<LinkInput>, opts?: BatchOptions): Promise<string> {
    const o = object as Record<string, unknown>
    // Not an object: the change refuses it (its class, code and message).
    if (typeof o !== 'object' || o === null) return change('links', 'add', object, opts).then(() => '')
    const kind = typeof o.linkinfo === 'object' && o.linkinfo !== null ? (o.linkinfo as Record<string, unknown>).kind : undefined
    const template = typeof o.name === 'string' ? (o.name.includes('%') ? o.name : undefined) : o.name === undefined && typeof kind === 'string' ? `${kind}%d` : undefined
    if (template === undefined) {
      await change('links', 'add', object, opts)
      return o.name as string
    }
    // The kernel takes one %d and no other % (dev_alloc_name).
    const at = template.indexOf('%')
    if (template[at + 1] !== 'd' || template.includes('%', at + 2)) {
      throw invalidValue(`links.add: name ${describe(template)} is a template with one %d and no other %: got another %`)
    }
    const netns = typeof opts === 'object' && opts !== null ? opts.netns : undefined
    const signal = typeof opts === 'object' && opts !== null ? opts.signal : undefined
    let lastErr: unknown
    // Another process may take the free name between the listing and the add: then the next one.
    for (let attempt = 0; attempt < 5; attempt++) {
      const taken = new Set((await links.list({ ...(netns ? { netns } : {}), ...(signal ? { signal } : {}) })).map((l) => l.name))
      let n = 0
      while (taken.has(template.replace('%d', String(n)))) n++
      const name = template.replace('%d', String(n))
      if (Buffer.byteLength(name) > 15) throw invalidValue(`links.add: name template ${describe(template)} gives '${name}', longer than 15 bytes`)
      try {
        await change('links', 'add', { ...o, name }, opts)
        return name
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err
        lastErr = err
      }
    }
    throw lastErr
  },
  /**
   * Changes an existing link in place: identify it by `index` or `name`
   * (with both, `name` renames it). `setFlags` turns flags on or off
   * (`{ UP: false }`, `{ PROMISC: true }`); `flags` / `flagNames` turn on the
   * UP, NOARP, MULTICAST and DYNAMIC they name and change no other flag;
   * `master: 0` leaves the master; `netns` moves the link.
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV` for no
   * such link, `EINVAL` with `extAck`, `EBUSY`; `EPERM` without CAP_NET_ADMIN), with `errno` and
   * the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.set({ name: 'v0', flagNames: ['UP'], mtu: 1400 }) // ip link set v0 up mtu 1400
   * await links.set({ name: 'v0', setFlags: { UP: false, PROMISC: true } }) // ip link set v0 down promisc on
   * await links.set({ index: 7, name: 'uplink' }) // rename
   * await links.set({ name: 'v1', master: 0 }) // ip link set v1 nomaster
   * ```
   */
  set(object: Input<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'set', object, opts)
  },
  /**
   * Deletes it, by `index` or `name` (every other field is ignored, so a listed object deletes exactly itself).
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV` for no
   * such link, `EOPNOTSUPP` for a link that cannot be deleted; `EPERM` without CAP_NET_ADMIN), with
   * `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be
   * entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.del({ name: 'v0' }) // a veth's peer goes with it
   * ```
   */
  del(object: Input<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'del', object, opts)
  },
  /**
   * Every link in the namespace (RTM_GETLINK dump).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * const up = (await links.list()).filter((l) => l.flagNames.includes('UP')).map((l) => l.name)
   * console.log(up)
   * ```
   */
  list(opts?: LinkListOptions): Promise<Link[]> {
    return listKind<Link>('links', opts, ['afDetails'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of links.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * for await (const batch of links.iterate()) for (const l of batch) if (l.kind === 'veth') console.log(l.name)
   * ```
   */
  iterate(opts?: LinkListOptions): AsyncGenerator<Link[], void, undefined> {
    return iterateKind<Link>('links', opts, ['afDetails'])
  },
  /**
   * One link by index or name (`ip link show dev NAME`); null when there is no such link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * const eth0 = await links.get({ name: 'eth0' })
   * const lo = await links.get({ index: 1 }, { afDetails: true })
   * console.log(eth0?.address, lo?.afSpec?.inet?.conf)
   * ```
   */
  get(which: LinkSelector, opts?: LinkListOptions): Promise<Link | null> {
    return getLink(which, opts)
  },
}

declare module './mutate' {
  interface MutableTypes {
    /** What `links.add`, `set`, `del` and a batch's link changes take. */
    links: LinkInput
  }
}
