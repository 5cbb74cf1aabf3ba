/** Bridge VLANs, as `bridge vlan` shows them (RTM_NEWVLAN / RTM_DELVLAN). Mirrors crates/rtnl-core/src/vlan.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

export interface BridgeVlan {
  family: number
  ifindex: number
  unknown?: UnknownAttribute[]
}

const FILTERS = ['ifindex'] as const

export const bridgeVlans = {
  /** Every VLAN entry of every bridge port (RTM_GETVLAN dump): empty unless a bridge filters VLANs. */
  list(opts?: IfindexListOptions): Promise<BridgeVlan[]> {
    return listKind<BridgeVlan>('bridgeVlans', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<BridgeVlan[], void, undefined> {
    return iterateKind<BridgeVlan>('bridgeVlans', opts, FILTERS)
  },
}
