/** Namespace ids, as `ip netns list-id` shows them (RTM_NEWNSID / RTM_DELNSID). Mirrors the Nsid of crates/rtnl-core/src/nsid.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { ListOptions } from './options'
import type { Nsid } from './generated/nsid'
export type { Nsid } from './generated/nsid'

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
