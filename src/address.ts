/** Addresses, as `ip address` shows them (RTM_NEWADDR / RTM_DELADDR). Mirrors crates/rtnl-core/src/address.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { AddressListOptions } from './options'
import type { Lifetime, AddressCacheInfo, Address } from './generated/address'
import type { AddressFlagName } from './generated/address'
export type { AddressFlagName } from './generated/address'
export type { Lifetime, AddressCacheInfo, Address } from './generated/address'

/**
 * Addresses (`ip address`): list them and change them. Each is an
 * {@link Address}; their events are {@link AddressEvent}s (groups
 * IPV4_IFADDR, IPV6_IFADDR, among the default ones).
 *
 * A change takes the struct `list()` returns, partial: `index` (the link)
 * and `local` or `address` are needed; `prefixlen` defaults to the full
 * length; lifetimes go in `cacheinfo.preferred` / `cacheinfo.valid`.
 *
 * @namespace
 * @category Addresses
 * @example
 * ```ts
 * import { addresses } from 'rtnl'
 *
 * await addresses.add({ index: 2, local: '10.70.0.1', prefixlen: 24 })
 * const mine = (await addresses.list({ ifindex: 2, family: 4 })).find((a) => a.local === '10.70.0.1')
 * if (mine) await addresses.del(mine)
 * ```
 */
export const addresses = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists, `ENODEV` for no such link; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { addresses } from 'rtnl'
   *
   * await addresses.add({ index: 2, local: '10.70.0.1', prefixlen: 24, label: 'eth0:web' })
   * await addresses.add({ index: 2, local: 'fd00::1', prefixlen: 64, flagNames: ['nodad'] })
   * ```
   */
  add(object: Input<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV` for no
   * such link, `EINVAL`; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`;
   * `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { addresses } from 'rtnl'
   *
   * // renew a lease: the same address with fresh lifetimes (created/updated are read-only)
   * const lease = { index: 2, local: '192.168.1.10', prefixlen: 24 }
   * await addresses.replace({ ...lease, cacheinfo: { preferred: 3600, valid: 7200, created: 0, updated: 0 } })
   * ```
   */
  replace(object: Input<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EADDRNOTAVAIL`
   * when no address matches, `ENODEV`; `EPERM` without CAP_NET_ADMIN), with `errno` and the
   * kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { addresses } from 'rtnl'
   *
   * await addresses.del({ index: 2, local: '10.70.0.1', prefixlen: 24 })
   * ```
   */
  del(object: Input<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'del', object, opts)
  },
  /**
   * Every IPv4 and IPv6 address in the namespace (RTM_GETADDR dump), or of one
   * family or link (filtered by the kernel).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { addresses } from 'rtnl'
   *
   * for (const a of await addresses.list({ family: 4 })) console.log(a.index, `${a.local}/${a.prefixlen}`, a.label)
   * ```
   */
  list(opts?: AddressListOptions): Promise<Address[]> {
    return listKind<Address>('addresses', opts, ['family', 'ifindex'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of addresses.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { addresses } from 'rtnl'
   *
   * for await (const batch of addresses.iterate({ family: 6 })) {
   *   for (const a of batch) if (a.flagNames.includes('dadfailed')) console.log('duplicate address', a.address)
   * }
   * ```
   */
  iterate(opts?: AddressListOptions): AsyncGenerator<Address[], void, undefined> {
    return iterateKind<Address>('addresses', opts, ['family', 'ifindex'])
  },
}

declare module './mutate' {
  interface MutableTypes {
    /** What `addresses.add`, `replace`, `del` and a batch's address changes take. */
    addresses: Address
  }
}
