/** Namespace ids, as `ip netns list-id` shows them (RTM_NEWNSID / RTM_DELNSID). Mirrors the Nsid of crates/rtnl-core/src/nsid.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { ListOptions } from './options'

/**
 * A namespace id: the number this namespace gives another one (`ip netns
 * list-id`), as `nsids.list()` returns it and an nsid event carries it
 * (struct rtgenmsg and its NETNSA_* attributes). Events of a monitor with
 * `allNsid` carry these numbers in `nsid`.
 *
 * @example
 * ```ts
 * import { nsids, netnsNameOf } from 'rtnl'
 *
 * for (const { nsid } of await nsids.list()) {
 *   if (nsid !== undefined && nsid >= 0) console.log(nsid, await netnsNameOf(nsid))
 * }
 * ```
 * @category Namespaces
 */
export interface Nsid {
  /** rtgen_family (AF_UNSPEC in practice). */
  family: number
  /** NETNSA_NSID: the id this namespace gives the other one; -1 (NETNSA_NSID_NOT_ASSIGNED) when it gives none. */
  nsid?: number
  /** NETNSA_PID: a process in the other namespace (requests only). */
  pid?: number
  /** NETNSA_FD: a file descriptor of the other namespace (requests only). */
  fd?: number
  /** NETNSA_TARGET_NSID: the namespace whose ids a request asks for (`ip netns list-id target-nsid N`). */
  targetNsid?: number
  /** NETNSA_CURRENT_NSID: in a reply to a request with a target, the id the asking namespace gives the listed one (-1 if none). */
  currentNsid?: number
  /** Attributes not decoded. */
  unknown?: UnknownAttribute[]
}

/**
 * Namespace ids (`ip netns list-id`): list them. Each is an {@link Nsid};
 * their events are {@link NsidEvent}s (group NSID, not a default one). See
 * also {@link nsidOf} and {@link netnsNameOf}.
 *
 * @namespace
 * @category Namespaces
 * @example
 * ```ts
 * import { nsids } from 'rtnl'
 *
 * const ids = (await nsids.list({ netns: { name: 'blue' } })).map((n) => n.nsid)
 * console.log(`blue numbers ${ids.length} other namespaces`)
 * ```
 */
export const nsids = {
  /**
   * Every id the namespace has given another (RTM_GETNSID dump).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { nsids } from 'rtnl'
   *
   * console.log((await nsids.list()).map((n) => n.nsid))
   * ```
   */
  list(opts?: ListOptions): Promise<Nsid[]> {
    return listKind<Nsid>('nsids', opts, [])
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
   * import { nsids } from 'rtnl'
   *
   * for await (const batch of nsids.iterate()) console.log(batch.length)
   * ```
   */
  iterate(opts?: ListOptions): AsyncGenerator<Nsid[], void, undefined> {
    return iterateKind<Nsid>('nsids', opts, [])
  },
}
