/** Terminal escaping of kernel-supplied strings, shared by the printer's modules (src/format.ts re-exports it). */
const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/
/**
 * Code points that print nothing, or nothing a reader can tell apart:
 * controls (Cc), format characters (Cf: bidi controls, zero width space and
 * joiners, the BOM, soft hyphen), line and paragraph separators (Zl, Zp),
 * spaces other than U+0020 (Zs: a no-break space reads as a token boundary),
 * private use (Co), unassigned code points (Cn) and the other default
 * ignorable code points (variation selectors, Hangul fillers, tags).
 */
const NON_PRINTING = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Zs}\p{Co}\p{Cn}\p{Default_Ignorable_Code_Point}]/u

const hexByte = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`

/**
 * A kernel-supplied string made safe for a terminal: every character that
 * prints nothing or could be mistaken for another (C0 and C1 controls, DEL,
 * format characters such as bidi controls and U+200B, line and paragraph
 * separators, spaces other than U+0020, private-use and unassigned code
 * points, default-ignorable ones) prints as the `\xNN` of its UTF-8 bytes; a
 * lone surrogate U+DC80..U+DCFF (how a name byte that is not valid UTF-8
 * reaches JS) prints as `\xNN` of that byte, another lone surrogate as
 * `\uNNNN`; a backslash prints as `\\`, so the output reads back
 * unambiguously.
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
    else if (cp !== 0x20 && NON_PRINTING.test(ch)) {
      for (const b of Buffer.from(ch, 'utf8')) out += hexByte(b)
    } else out += ch
  }
  return out
}
