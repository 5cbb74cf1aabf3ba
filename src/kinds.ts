/** The object kinds, once: as `list()` names them (one module per kind, mirroring Rust's `Kind`). */
export const KINDS = ['links', 'addresses', 'routes', 'rules', 'neighbours'] as const

/** One of KINDS. */
export type KindName = (typeof KINDS)[number]
