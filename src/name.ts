/**
 * Kernel names (interface names, labels) are bytes, not text. rtnl hands
 * them out as strings that keep every byte: valid UTF-8 as itself, and each
 * byte of an invalid sequence as the lone surrogate U+DC80..U+DCFF (the
 * "surrogateescape" Python uses for OS names). A name read from the kernel
 * can therefore be given back (`links.get({ name })`) and finds the same
 * object; JSON.stringify and JSON.parse keep it too.
 */
import { invalidType, invalidValue } from './errors'

/** The bytes a kernel name string stands for; throws on a string no kernel name can be. */
export function nameBytes(name: string, what: string): Buffer {
  const out: number[] = []
  for (const ch of name) {
    const cp = ch.codePointAt(0) as number
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00)
    else if (cp >= 0xd800 && cp <= 0xdfff) {
      throw invalidValue(`${what} has the lone surrogate U+${cp.toString(16).toUpperCase()}, which stands for no byte`)
    } else for (const b of Buffer.from(ch, 'utf8')) out.push(b)
  }
  return Buffer.from(out)
}

/** Validates an interface name (1 to 15 bytes, no NUL, '/', ':' or white space, as the kernel requires). */
export function interfaceName(value: unknown, what: string): Buffer {
  if (typeof value !== 'string') throw invalidType(`${what} must be a string, got ${typeof value}`)
  const bytes = nameBytes(value, what)
  if (bytes.length < 1 || bytes.length > 15) {
    throw invalidValue(`${what} must be an interface name of 1 to 15 bytes, got ${bytes.length} bytes (${JSON.stringify(value)})`)
  }
  const bad = bytes.findIndex((b) => b === 0 || b === 0x2f || b === 0x3a || b === 0x20 || (b >= 0x09 && b <= 0x0d))
  if (bad >= 0) {
    throw invalidValue(`${what} must not contain NUL, '/', ':' or white space, got ${JSON.stringify(value)} (byte ${bad} is 0x${bytes[bad].toString(16).padStart(2, '0')})`)
  }
  return bytes
}
