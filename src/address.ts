/** Addresses, as `ip address` shows them (RTM_NEWADDR / RTM_DELADDR). Mirrors crates/rtnl-core/src/address.rs. */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { AddressListOptions } from './options'

/** Seconds, or 'forever'. */
export type Lifetime = number | 'forever'

export interface AddressCacheInfo {
  /** Seconds of preferred lifetime left when the kernel built the message. */
  preferred: Lifetime
  /** Seconds of valid lifetime left when the kernel built the message. */
  valid: Lifetime
  /** Creation time, hundredths of a second since boot. */
  created: number
  /** Last update, hundredths of a second since boot. */
  updated: number
}

export type AddressFlagName =
  | 'secondary' | 'nodad' | 'optimistic' | 'dadfailed' | 'home' | 'deprecated' | 'tentative'
  | 'permanent' | 'managetempaddr' | 'noprefixroute' | 'mcautojoin' | 'stable-privacy'

export interface Address {
  /** 2 (AF_INET) or 10 (AF_INET6). */
  family: number
  prefixlen: number
  /** IFA_FLAGS (32 bits) when sent, else ifa_flags. */
  flags: number
  /** The IFA_F_* bits of `flags` by name. */
  flagNames: AddressFlagName[]
  /** 0 global, 253 link, 254 host. */
  scope: number
  /** `scope` as `ip` names it: 'global', 'link', 'host', ... or decimal. */
  scopeName: string
  /** ifindex of the link. */
  index: number
  /** IFA_ADDRESS: the peer address on point-to-point links, else the same as local. */
  address?: string
  /** IFA_LOCAL (IPv4). */
  local?: string
  /** IFA_LABEL (IPv4), e.g. 'eth0:1'. */
  label?: string
  broadcast?: string
  anycast?: string
  multicast?: string
  cacheinfo?: AddressCacheInfo
  rtPriority?: number
  proto?: number
  unknown?: UnknownAttribute[]
}

export const addresses = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'add', object, opts)
  },
  /**
   * Creates it, or replaces the one with the same key (NLM_F_CREATE | NLM_F_REPLACE).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  replace(object: Partial<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'replace', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<Address>, opts?: BatchOptions): Promise<void> {
    return change('addresses', 'del', object, opts)
  },
  /** Every IPv4 and IPv6 address in the namespace (RTM_GETADDR dump). */
  list(opts?: AddressListOptions): Promise<Address[]> {
    return listKind<Address>('addresses', opts, ['family', 'ifindex'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of addresses.iterate()) for (const x of batch) ...`
   */
  iterate(opts?: AddressListOptions): AsyncGenerator<Address[], void, undefined> {
    return iterateKind<Address>('addresses', opts, ['family', 'ifindex'])
  },
}
