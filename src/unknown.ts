/**
 * A kernel attribute this version does not decode, kept as hex. Every
 * struct keeps these in `unknown`, so nothing a newer kernel sends is lost.
 *
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   for (const a of l.unknown ?? []) console.log(`${l.name}: IFLA attribute ${a.type}, ${a.data.length / 2} bytes: ${a.data}`)
 * }
 * ```
 * @category Common
 */
export interface UnknownAttribute {
  /** The attribute's type number (nla_type, without the nested/byte-order flags). */
  type: number
  /** Its payload, lower-case hex. */
  data: string
}
