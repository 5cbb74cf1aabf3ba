import { KIND_TABLE } from './generated/kinds'
import type { AnyKindName, EventOnlyKindName, ListableKindName } from './generated/kinds'
export type { AnyKindName, EventOnlyKindName, ListableKindName } from './generated/kinds'

/** The kinds whose declaration says the kernel dumps them (or does not), in the registry's order. */
function kindsWhere<L extends boolean>(listable: L): L extends true ? KindName[] : EventOnlyKindName[] {
  return (Object.keys(KIND_TABLE) as AnyKindName[]).filter((k) => KIND_TABLE[k].listable === listable) as L extends true ? KindName[] : EventOnlyKindName[]
}

/**
 * The object kinds, once: as `list()` names them (one module per kind, mirroring Rust's `Kind`).
 *
 * @category Common
 * @example
 * ```ts
 * import * as rtnl from 'rtnl'
 *
 * for (const kind of rtnl.KINDS) console.log(kind, (await rtnl[kind].list()).length)
 * ```
 */
export const KINDS: readonly KindName[] = kindsWhere(true)

/**
 * One of KINDS: a kind `list()` can dump.
 *
 * @category Common
 * @example
 * ```ts
 * import { KINDS, type KindName } from 'rtnl'
 *
 * const isKind = (s: string): s is KindName => (KINDS as readonly string[]).includes(s)
 * console.log(isKind('routes'), isKind('prefixes')) // true false
 * ```
 */
export type KindName = ListableKindName

/**
 * The kinds the kernel only multicasts (no dump): IPv6 prefixes and ND user options from router advertisements.
 *
 * @category Common
 * @example
 * ```ts
 * import { subscribe, EVENT_ONLY_KINDS, KIND_GROUPS } from 'rtnl'
 *
 * const groups = EVENT_ONLY_KINDS.flatMap((k) => KIND_GROUPS[k])
 * const monitor = await subscribe({ groups }) // router advertisements: prefixes, RDNSS, DNSSL, ...
 * ```
 */
export const EVENT_ONLY_KINDS: readonly EventOnlyKindName[] = kindsWhere(false)

/** An object with one entry per kind of `kinds`, each `value(kind)`: a table of the kinds' declarations, typed by kind. */
export function perKind<K extends string, V>(kinds: readonly K[], value: (kind: K) => V): Record<K, V> {
  return Object.fromEntries(kinds.map((k) => [k, value(k)])) as Record<K, V>
}
