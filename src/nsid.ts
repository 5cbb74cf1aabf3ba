/** Namespace ids, as `ip netns list-id` shows them (RTM_NEWNSID / RTM_DELNSID). Mirrors the Nsid of crates/rtnl-core/src/nsid.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { ListOptions } from './options'

export interface Nsid {
  family: number
  unknown?: UnknownAttribute[]
}

export const nsids = {
  /** Every id the namespace has given another (RTM_GETNSID dump). */
  list(opts?: ListOptions): Promise<Nsid[]> {
    return listKind<Nsid>('nsids', opts, [])
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: ListOptions): AsyncGenerator<Nsid[], void, undefined> {
    return iterateKind<Nsid>('nsids', opts, [])
  },
}
