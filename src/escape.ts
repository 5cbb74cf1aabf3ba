/** Terminal escaping of kernel-supplied strings, shared by the printer's modules (src/format.ts re-exports it). */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/
/** Code points that reorder or break a terminal line: bidi controls and line/paragraph separators. */
const UNSAFE = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const hexByte = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`

/**
 * A kernel-supplied string made safe for a terminal: C0 and C1 control
 * characters, DEL, bidi controls and line separators print as the `\xNN` of
 * their UTF-8 bytes; a lone surrogate U+DC80..U+DCFF (how a name byte that is
 * not valid UTF-8 reaches JS) prints as `\xNN` of that byte; a backslash
 * prints as `\\`, so the output reads back unambiguously.
 *
 * @category Printer
 * @example
 * ```ts
 * import { escapeText, links } from 'rtnl'
 *
 * for (const l of await links.list()) console.log(escapeText(l.name ?? '')) // a name with a newline or invalid UTF-8 prints as \x0a, \xff
 * ```
 */
export function escapeText(s: string): string {
  if (PLAIN.test(s)) return s
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (cp >= 0xdc80 && cp <= 0xdcff) out += hexByte(cp - 0xdc00)
    else if (cp >= 0xd800 && cp <= 0xdfff) out += `\\u${cp.toString(16)}`
    else if (cp === 0x5c) out += '\\\\'
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || UNSAFE.test(ch)) {
      for (const b of Buffer.from(ch, 'utf8')) out += hexByte(b)
    } else out += ch
  }
  return out
}
