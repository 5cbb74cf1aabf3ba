/** Namespace ids, as `ip netns list-id` shows them (RTM_NEWNSID / RTM_DELNSID). Mirrors the Nsid of crates/rtnl-core/src/nsid.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { ListOptions } from './options'

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
