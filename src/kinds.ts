/** The object kinds, once: as `list()` names them (one module per kind, mirroring Rust's `Kind`). */
export const KINDS = [
  'links',
  'addresses',
  'routes',
  'rules',
  'neighbours',
  'nexthops',
  'nexthopBuckets',
  'netconf',
  'nsids',
  'qdiscs',
  'tcClasses',
  'tcFilters',
  'tcChains',
  'bridgeVlans',
  'mdb',
  'linkStats',
] as const

/** One of KINDS: a kind `list()` can dump. */
export type KindName = (typeof KINDS)[number]

/** The kinds the kernel only multicasts (no dump): IPv6 prefixes and ND user options from router advertisements. */
export const EVENT_ONLY_KINDS = ['prefixes', 'ndUserOptions'] as const
