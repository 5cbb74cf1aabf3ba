/** The bridge multicast database, as `bridge mdb` shows it (RTM_NEWMDB / RTM_DELMDB). Mirrors crates/rtnl-core/src/mdb.rs. */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

export interface MdbEntry {
  family: number
  ifindex: number
  unknown?: UnknownAttribute[]
}

const FILTERS = ['ifindex'] as const

export const mdb = {
  /** Every MDB entry and router port of every bridge (or of the bridge `ifindex`). */
  list(opts?: IfindexListOptions): Promise<MdbEntry[]> {
    return listKind<MdbEntry>('mdb', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<MdbEntry[], void, undefined> {
    return iterateKind<MdbEntry>('mdb', opts, FILTERS)
  },
}
