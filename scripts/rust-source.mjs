// A small reader of Rust source, enough for the two scripts that need the
// crate's declarations without compiling it: scripts/check-types.mjs (the
// serialised structs) and scripts/gen-linkinfo-types.mjs (linkinfo.rs's
// tables). It tokenizes and walks top-level items; it does not try to parse
// expressions. Anything it does not expect where it matters is an error with
// the file and line, never skipped.

/** An error naming the file and line of the token it is about. */
export class RustSourceError extends Error {
  constructor(file, line, message) {
    super(`${file}:${line}: ${message}`)
    this.name = 'RustSourceError'
  }
}

const PUNCT2 = new Set(['::', '=>', '->', '..'])

/**
 * Tokens of a Rust source: { kind, text, line } with kind one of 'ident',
 * 'lifetime', 'string' (text is the unescaped value), 'char', 'number',
 * 'punct', 'comment' (text without the slashes; doc comments too, with
 * doc: true).
 */
export function tokenize(src, file = '<rust>') {
  const out = []
  let i = 0
  let line = 1
  const n = src.length
  const fail = (msg) => {
    throw new RustSourceError(file, line, msg)
  }
  while (i < n) {
    const c = src[i]
    if (c === '\n') {
      line++
      i++
      continue
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++
      continue
    }
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i)
      const stop = end === -1 ? n : end
      const raw = src.slice(i, stop)
      const doc = (raw.startsWith('///') && !raw.startsWith('////')) || raw.startsWith('//!')
      out.push({ kind: 'comment', text: raw.replace(/^\/\/[/!]?\s?/, ''), doc, line })
      i = stop
      continue
    }
    if (c === '/' && src[i + 1] === '*') {
      const start = line
      let depth = 0
      let j = i
      while (j < n) {
        if (src[j] === '/' && src[j + 1] === '*') {
          depth++
          j += 2
        } else if (src[j] === '*' && src[j + 1] === '/') {
          depth--
          j += 2
          if (depth === 0) break
        } else {
          if (src[j] === '\n') line++
          j++
        }
      }
      if (depth !== 0) fail('unterminated block comment')
      out.push({ kind: 'comment', text: src.slice(i + 2, j - 2), doc: false, line: start })
      i = j
      continue
    }
    // Raw strings: r"..", r#".."#, br#".."#
    const raw = /^b?r(#*)"/.exec(src.slice(i, i + 40))
    if (raw) {
      const hashes = raw[1]
      const close = '"' + hashes
      const from = i + raw[0].length
      const end = src.indexOf(close, from)
      if (end === -1) fail('unterminated raw string')
      const text = src.slice(from, end)
      out.push({ kind: 'string', text, line })
      line += text.split('\n').length - 1
      i = end + close.length
      continue
    }
    if (c === '"' || (c === 'b' && src[i + 1] === '"')) {
      const start = line
      let j = c === 'b' ? i + 2 : i + 1
      let text = ''
      for (;;) {
        if (j >= n) fail('unterminated string')
        const d = src[j]
        if (d === '"') break
        if (d === '\n') line++
        if (d === '\\') {
          const e = src[j + 1]
          const simple = { n: '\n', t: '\t', r: '\r', 0: '\0', '\\': '\\', '"': '"', "'": "'" }
          if (e in simple) {
            text += simple[e]
            j += 2
          } else if (e === '\n') {
            // Line continuation: the newline and the next line's indentation are dropped.
            line++
            j += 2
            while (j < n && /\s/.test(src[j])) {
              if (src[j] === '\n') line++
              j++
            }
          } else if (e === 'x') {
            text += String.fromCharCode(parseInt(src.slice(j + 2, j + 4), 16))
            j += 4
          } else if (e === 'u') {
            const close = src.indexOf('}', j)
            text += String.fromCodePoint(parseInt(src.slice(j + 3, close), 16))
            j = close + 1
          } else {
            fail(`unknown escape \\${e} in a string`)
          }
          continue
        }
        text += d
        j++
      }
      out.push({ kind: 'string', text, line: start })
      i = j + 1
      continue
    }
    if (c === "'" || (c === 'b' && src[i + 1] === "'")) {
      const q = c === 'b' ? i + 1 : i
      // A char literal ('x', '\n', '\u{..}') or a lifetime ('a, 'static).
      if (src[q + 1] === '\\') {
        const end = src.indexOf("'", q + 3)
        out.push({ kind: 'char', text: src.slice(q + 1, end), line })
        i = end + 1
        continue
      }
      const cp = src.codePointAt(q + 1)
      const width = cp > 0xffff ? 2 : 1
      if (src[q + 1 + width] === "'") {
        out.push({ kind: 'char', text: src.slice(q + 1, q + 1 + width), line })
        i = q + 2 + width
        continue
      }
      if (c === 'b') {
        // b followed by a lifetime cannot happen; treat `b` as an identifier.
      } else {
        const m = /^'[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 64))
        if (!m) fail("a quote that is neither a char literal nor a lifetime")
        out.push({ kind: 'lifetime', text: m[0], line })
        i += m[0].length
        continue
      }
    }
    const id = /^(?:r#)?[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i, i + 128))
    if (id) {
      out.push({ kind: 'ident', text: id[0].replace(/^r#/, ''), line })
      i += id[0].length
      continue
    }
    const num = /^[0-9][0-9A-Za-z_]*(?:\.[0-9][0-9A-Za-z_]*)?/.exec(src.slice(i, i + 64))
    if (num) {
      out.push({ kind: 'number', text: num[0], line })
      i += num[0].length
      continue
    }
    const two = src.slice(i, i + 2)
    if (PUNCT2.has(two)) {
      out.push({ kind: 'punct', text: two, line })
      i += 2
      continue
    }
    out.push({ kind: 'punct', text: c, line })
    i++
  }
  return out
}

/** The numeric value of a Rust integer literal (decimal, hex, octal, binary, underscores, suffix). */
export function intValue(text) {
  const t = text.replace(/_/g, '').replace(/(?:u|i)(?:8|16|32|64|128|size)$/, '')
  const v = Number(t.startsWith('0o') ? parseInt(t.slice(2), 8) : t)
  if (!Number.isInteger(v)) throw new Error(`not an integer literal: ${text}`)
  return v
}

const OPEN = { '(': ')', '[': ']', '{': '}' }

/**
 * A cursor over the tokens without comments (they are kept aside by line,
 * for callers that want a row's trailing comment or an item's doc).
 */
export class Cursor {
  constructor(src, file) {
    this.file = file
    const all = tokenize(src, file)
    this.toks = all.filter((t) => t.kind !== 'comment')
    this.comments = all.filter((t) => t.kind === 'comment')
    this.i = 0
  }
  get done() {
    return this.i >= this.toks.length
  }
  peek(k = 0) {
    return this.toks[this.i + k]
  }
  next() {
    const t = this.toks[this.i++]
    if (!t) this.fail('unexpected end of file')
    return t
  }
  is(text, k = 0) {
    const t = this.peek(k)
    return t !== undefined && t.kind !== 'string' && t.text === text
  }
  line() {
    return (this.peek() ?? this.toks[this.toks.length - 1] ?? { line: 0 }).line
  }
  fail(msg, line = this.line()) {
    throw new RustSourceError(this.file, line, msg)
  }
  expect(text) {
    const t = this.next()
    if (t.kind === 'string' || t.text !== text) this.fail(`expected \`${text}\`, found \`${t.text}\``, t.line)
    return t
  }
  ident() {
    const t = this.next()
    if (t.kind !== 'ident') this.fail(`expected an identifier, found \`${t.text}\``, t.line)
    return t.text
  }
  string() {
    const t = this.next()
    if (t.kind !== 'string') this.fail(`expected a string literal, found \`${t.text}\``, t.line)
    return t.text
  }
  /** Skips one balanced group starting at an opening bracket; returns its inner tokens. */
  group() {
    const open = this.next()
    const close = OPEN[open.text]
    if (!close || open.kind !== 'punct') this.fail(`expected a bracket, found \`${open.text}\``, open.line)
    const start = this.i
    const stack = [close]
    while (stack.length) {
      const t = this.next()
      if (t.kind !== 'punct') continue
      if (OPEN[t.text]) stack.push(OPEN[t.text])
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        if (t.text !== stack.pop()) this.fail(`unbalanced \`${t.text}\``, t.line)
      }
    }
    return this.toks.slice(start, this.i - 1)
  }
  /** The doc comment lines (///) just above a line, in order. */
  docAbove(line) {
    const lines = []
    let want = line - 1
    for (let k = this.comments.length - 1; k >= 0; k--) {
      const c = this.comments[k]
      if (c.line > want) continue
      if (c.line < want || !c.doc) break
      lines.unshift(c.text)
      want--
    }
    return lines
  }
  /** A plain // comment on the given line, if any. */
  commentOn(line) {
    return this.comments.find((c) => c.line === line && !c.doc)?.text
  }
}

/** Splits tokens on top-level commas (outside brackets and angle brackets). */
export function splitTopLevel(tokens, sep = ',') {
  const parts = [[]]
  let depth = 0
  let angle = 0
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (OPEN[t.text]) depth++
      else if (t.text === ')' || t.text === ']' || t.text === '}') depth--
      else if (t.text === '<') angle++
      else if (t.text === '>' && angle > 0) angle--
      else if (t.text === sep && depth === 0 && angle === 0) {
        parts.push([])
        continue
      }
    }
    parts[parts.length - 1].push(t)
  }
  return parts.filter((p) => p.length)
}

/**
 * A Rust type as a tree: { path: ['serde_json', 'Map'], args: [types] },
 * { ref: type }, { slice: type }, { array: type }, { tuple: [types] }.
 * Lifetimes in generic arguments are dropped. `text` is the source text.
 */
export function parseType(tokens, where) {
  let i = 0
  const text = tokens.map((t) => t.text).join(' ').replace(/ ?(::|<|>|,|&) ?/g, '$1').replace(/,/g, ', ')
  const fail = (msg) => {
    throw new RustSourceError(where.file, tokens[Math.min(i, tokens.length - 1)]?.line ?? where.line, `${msg} in type \`${text}\``)
  }
  const peek = () => tokens[i]
  const take = (s) => {
    const t = tokens[i]
    if (!t || t.text !== s) fail(`expected \`${s}\``)
    i++
  }
  function one() {
    const t = peek()
    if (!t) fail('a type ended early')
    if (t.text === '&') {
      i++
      if (peek()?.kind === 'lifetime') i++
      if (peek()?.text === 'mut') i++
      return { ref: one() }
    }
    if (t.text === '[') {
      i++
      const inner = one()
      if (peek()?.text === ';') {
        i++
        while (peek() && peek().text !== ']') i++
        take(']')
        return { array: inner }
      }
      take(']')
      return { slice: inner }
    }
    if (t.text === '(') {
      i++
      const items = []
      while (peek() && peek().text !== ')') {
        items.push(one())
        if (peek()?.text === ',') i++
      }
      take(')')
      return { tuple: items }
    }
    if (t.kind !== 'ident') fail(`unexpected \`${t.text}\``)
    const path = []
    if (peek().text === 'dyn' || peek().text === 'impl') fail('trait objects are not supported')
    for (;;) {
      const p = peek()
      if (!p || p.kind !== 'ident') fail('expected a path segment')
      path.push(p.text)
      i++
      if (peek()?.text === '::') {
        i++
        continue
      }
      break
    }
    const args = []
    if (peek()?.text === '<') {
      i++
      while (peek() && peek().text !== '>') {
        if (peek().kind === 'lifetime') i++
        else args.push(one())
        if (peek()?.text === ',') i++
      }
      take('>')
    }
    return { path, args }
  }
  const ty = one()
  if (i !== tokens.length) fail(`unexpected \`${tokens[i].text}\` after the type`)
  ty.text = text
  return ty
}

/**
 * Parses an attribute's inner tokens `name(args)` or `name = value` into
 * { name, args: [{ key, value?, line }] } for list-style attributes.
 */
export function parseAttr(tokens, where) {
  const name = tokens[0]?.text
  const line = tokens[0]?.line ?? where.line
  if (tokens.length === 1) return { name, args: [], line }
  if (tokens[1]?.text !== '(' || tokens[tokens.length - 1]?.text !== ')') return { name, args: null, tokens, line }
  const inner = tokens.slice(2, -1)
  const args = splitTopLevel(inner).map((part) => {
    const key = part.map((t) => t.text).join('')
    if (part.length >= 3 && part[part.length - 2].text === '=' && part[part.length - 1].kind === 'string') {
      return { key: part.slice(0, -2).map((t) => t.text).join(''), value: part[part.length - 1].text, line: part[0].line }
    }
    return { key, line: part[0].line }
  })
  return { name, args, line }
}

/**
 * The top-level items of a file that the scripts need: structs and enums
 * (with their attributes and fields or variants), type aliases, consts
 * (their value tokens), functions (their body tokens), and the types with a
 * hand-written `impl Serialize`. Other items are skipped whole.
 */
export function readItems(src, file) {
  const c = new Cursor(src, file)
  const items = { file, structs: [], enums: [], aliases: new Map(), consts: new Map(), fns: new Map(), customSerialize: new Map(), cursor: c }
  let attrs = []
  while (!c.done) {
    const t = c.peek()
    if (t.text === '#' && c.is('!', 1)) {
      c.next()
      c.next()
      c.group()
      continue
    }
    if (t.text === '#' && c.is('[', 1)) {
      c.next()
      attrs.push(c.group())
      continue
    }
    const startLine = t.line
    if (t.text === 'pub') {
      c.next()
      if (c.is('(')) c.group()
      continue
    }
    if (t.text === 'struct' || t.text === 'enum') {
      c.next()
      const name = c.ident()
      const item = { name, line: startLine, attrs: attrs.map((a) => parseAttr(a, { file, line: startLine })), doc: c.docAbove(firstLine(attrs, startLine)) }
      if (c.is('<')) {
        item.generics = true
        let depth = 0
        do {
          const g = c.next()
          if (g.text === '<') depth++
          else if (g.text === '>') depth--
        } while (depth > 0)
      }
      if (c.is('where')) c.fail(`${name}: where clauses are not supported`)
      if (t.text === 'struct') {
        if (c.is(';')) {
          c.next()
          item.unit = true
        } else if (c.is('(')) {
          item.tuple = c.group()
          if (c.is(';')) c.next()
        } else {
          item.body = c.group()
        }
        items.structs.push(item)
      } else {
        item.body = c.group()
        items.enums.push(item)
      }
      attrs = []
      continue
    }
    if (t.text === 'type') {
      c.next()
      const name = c.ident()
      c.expect('=')
      const toks = []
      while (!c.is(';')) toks.push(c.next())
      c.next()
      items.aliases.set(name, { name, line: startLine, type: parseType(toks, { file, line: startLine }) })
      attrs = []
      continue
    }
    if ((t.text === 'const' || t.text === 'static') && !c.is('fn', 1)) {
      c.next()
      if (c.is('mut')) c.next()
      const name = c.ident()
      c.expect(':')
      const typeToks = []
      while (!c.is('=')) typeToks.push(c.next())
      c.next()
      const value = []
      let depth = 0
      for (;;) {
        const v = c.next()
        if (v.kind === 'punct' && OPEN[v.text]) depth++
        else if (v.kind === 'punct' && [')', ']', '}'].includes(v.text)) depth--
        else if (v.kind === 'punct' && v.text === ';' && depth === 0) break
        value.push(v)
      }
      items.consts.set(name, { name, line: startLine, typeTokens: typeToks, value, doc: c.docAbove(firstLine(attrs, startLine)), endLine: value[value.length - 1]?.line ?? startLine })
      attrs = []
      continue
    }
    if (t.text === 'impl') {
      c.next()
      const head = []
      while (!c.is('{')) head.push(c.next())
      const body = c.group()
      const forAt = head.findIndex((h) => h.text === 'for')
      if (forAt > 0 && head[forAt - 1].text === 'Serialize') {
        const target = head.slice(forAt + 1).filter((h) => h.kind === 'ident')
        items.customSerialize.set(target[0].text, { line: startLine })
      }
      void body
      attrs = []
      continue
    }
    if (t.text === 'fn') {
      c.next()
      const name = c.ident()
      while (!c.is('{') && !c.is(';')) {
        if (c.is('(') || c.is('[')) c.group()
        else c.next()
      }
      const body = c.is('{') ? c.group() : (c.next(), [])
      items.fns.set(name, { name, line: startLine, body })
      attrs = []
      continue
    }
    if (t.text === 'use' || t.text === 'extern') {
      while (!c.is(';')) {
        if (c.is('{')) c.group()
        else c.next()
      }
      c.next()
      attrs = []
      continue
    }
    // mod, trait, macro invocations, unsafe/async qualifiers, stray `;`:
    // skip to the end of the item (a `;` or a closing brace at depth 0).
    if (t.text === ';') {
      c.next()
      attrs = []
      continue
    }
    if (['unsafe', 'async', 'default', 'const'].includes(t.text)) {
      c.next()
      continue
    }
    for (;;) {
      if (c.is(';')) {
        c.next()
        break
      }
      if (c.is('{')) {
        c.group()
        break
      }
      if (c.is('(') || c.is('[')) c.group()
      else c.next()
    }
    attrs = []
  }
  return items
}

function firstLine(attrs, fallback) {
  const lines = attrs.map((a) => a[0]?.line).filter((l) => l !== undefined)
  // The attribute tokens start after `#[`; the `#` is on the same line.
  return lines.length ? Math.min(...lines) : fallback
}
