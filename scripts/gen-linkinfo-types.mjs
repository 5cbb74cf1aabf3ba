#!/usr/bin/env node
// Writes src/linkinfo.ts, the TS types of `linkinfo.data` / `slaveData`, from
// the per-kind tables in crates/rtnl-core/src/linkinfo.rs:
//
//   node scripts/gen-linkinfo-types.mjs           writes src/linkinfo.ts
//   node scripts/gen-linkinfo-types.mjs --check   exits 1 when it is stale
//
// It reads the tables (`const X: &[Row]`), the names of `Named` formats,
// which kinds use which table (`data_table`, `slave_data_table`,
// DATA_KINDS, SLAVE_KINDS), the keys `decode_with` adds beside the rows,
// and the `<name>Raw` key of `decode_one`. A format, table shape or extra
// key it does not know is an error: teach FORMATS or EXTRA_KEYS below.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readItems, splitTopLevel, intValue, RustSourceError } from './rust-source.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const SOURCE = 'crates/rtnl-core/src/linkinfo.rs'
export const OUTPUT = 'src/linkinfo.ts'

/**
 * Every variant of `enum Fmt`, and what `value()` makes of it in JSON. Named
 * and Pad are handled apart (Named writes two keys, Pad none).
 */
const FORMATS = {
  U8: { ts: 'number', doc: 'u8' },
  U16: { ts: 'number', doc: 'u16' },
  U32: { ts: 'number', doc: 'u32' },
  U64: { ts: 'number', doc: 'u64' },
  I32: { ts: 'number', doc: 's32' },
  Be16: { ts: 'number', doc: 'be16, as a host number' },
  Be32: { ts: 'number', doc: 'be32, as a host number' },
  Flag: { ts: 'boolean', doc: 'flag: true when present (a payload\'s first byte decides when one is sent)' },
  Bool8: { ts: 'boolean', doc: 'u8 as a boolean' },
  Str: { ts: 'string', doc: 'string' },
  Mac: { ts: 'string', doc: 'link-layer address, colon hex' },
  Ip: { ts: 'string', doc: 'IPv4 or IPv6 address' },
  Hex: { ts: 'string', doc: 'raw bytes as hex' },
  Nested: { ts: 'string', doc: 'nested attributes, as hex' },
  BridgeId: { ts: 'string', doc: 'bridge id, "pppp.xx:xx:xx:xx:xx:xx"' },
  U32Pair: { pair: 'u32' },
  Be16Pair: { pair: 'be16' },
  Named: { named: true },
  Pad: { pad: true },
}

/** The keys `decode_with` adds beside the table's rows. */
const EXTRA_KEYS = {
  unknown: {
    ts: 'UnknownAttribute[]',
    doc: 'Attributes this version does not decode: not in the kind\'s table, shorter than their format, repeated, or a non-empty pad; kept as hex.',
  },
  error: { ts: 'string', doc: 'Why the attribute walk stopped early (a malformed attribute); what came before it is decoded.' },
  errorData: { ts: 'string', doc: 'The bytes from the malformed attribute on, as hex (with `error`).' },
}

const fail = (line, msg) => {
  throw new RustSourceError(SOURCE, line, msg)
}

const typeText = (tokens) => tokens.map((t) => t.text).join('')

/** The contents of `&[ ... ]`, split into elements. */
function sliceElements(c) {
  const v = c.value
  if (v[0]?.text !== '&' || v[1]?.text !== '[' || v[v.length - 1]?.text !== ']') fail(c.line, `${c.name}: expected \`&[ ... ]\``)
  return splitTopLevel(v.slice(2, -1))
}

/** Reads linkinfo.rs into the model the generator writes from. */
export function readLinkinfo(text) {
  const items = readItems(text, SOURCE)
  const cur = items.cursor

  // enum Fmt must hold exactly the formats this generator knows.
  const fmt = items.enums.find((e) => e.name === 'Fmt')
  if (!fmt) fail(1, 'no `enum Fmt`')
  const variants = splitTopLevel(fmt.body).map((v) => v[0].text)
  for (const v of variants) if (!FORMATS[v]) fail(fmt.line, `Fmt::${v} is new: add what value() makes of it to FORMATS in scripts/gen-linkinfo-types.mjs`)
  for (const k of Object.keys(FORMATS)) if (!variants.includes(k)) fail(fmt.line, `Fmt::${k} is gone: remove it from FORMATS in scripts/gen-linkinfo-types.mjs`)

  const names = new Map()
  const tables = new Map()
  for (const c of items.consts.values()) {
    const ty = typeText(c.typeTokens)
    if (ty === '&[(u32,&str)]') {
      names.set(
        c.name,
        sliceElements(c).map((el) => {
          const inner = splitTopLevel(el.slice(1, -1))
          if (el[0].text !== '(' || inner.length !== 2 || inner[1][0].kind !== 'string') fail(el[0].line, `${c.name}: expected (number, "name")`)
          return [intValue(inner[0][0].text), inner[1][0].text]
        }),
      )
    } else if (ty === '&[Row]') {
      const rows = sliceElements(c).map((el) => {
        const line = el[el.length - 1].line
        const inner = splitTopLevel(el.slice(1, -1))
        if (el[0].text !== '(' || el[el.length - 1].text !== ')' || inner.length !== 3) fail(el[0].line, `${c.name}: expected (type, "name", Fmt)`)
        const [num, name, f] = inner
        if (num.length !== 1 || num[0].kind !== 'number') fail(line, `${c.name}: the attribute type must be a number literal`)
        if (name.length !== 1 || name[0].kind !== 'string') fail(line, `${c.name}: the key must be a string literal`)
        const variant = f[0].text
        const spec = FORMATS[variant]
        if (!spec) fail(line, `${c.name}: unknown format ${variant}`)
        const args = f.length > 1 ? splitTopLevel(f.slice(2, -1)) : []
        const row = { type: intValue(num[0].text), name: name[0].text, fmt: variant, line, comment: cur.commentOn(line)?.trim() }
        if (spec.pair) {
          if (args.length !== 2 || args.some((a) => a.length !== 1 || a[0].kind !== 'string')) fail(line, `${c.name}: ${variant} takes two key strings`)
          row.keys = args.map((a) => a[0].text)
        } else if (spec.named) {
          if (args.length !== 2) fail(line, `${c.name}: Named takes (Width, NAMES)`)
          row.width = typeText(args[0]).replace('Width::', '')
          row.names = typeText(args[1])
        } else if (args.length) fail(line, `${c.name}: ${variant} takes no arguments`)
        return row
      })
      tables.set(c.name, { name: c.name, line: c.line, doc: c.doc, rows })
    }
  }
  for (const t of tables.values()) {
    for (const r of t.rows) {
      if (r.fmt !== 'Named') continue
      if (!names.has(r.names)) fail(r.line, `${t.name}: Named table ${r.names} is not a \`&[(u32, &str)]\` const`)
      r.names = names.get(r.names)
    }
  }

  /** `match kind { "a" | "b" => TABLE, ... _ => return None }` in a function. */
  function kindTable(fnName) {
    const f = items.fns.get(fnName)
    if (!f) fail(1, `no fn ${fnName}`)
    const at = f.body.findIndex((t) => t.text === 'match')
    const open = f.body.findIndex((t, i) => i > at && t.text === '{')
    if (at < 0 || open < 0) fail(f.line, `${fnName}: expected a match on the kind`)
    let depth = 0
    let close = open
    for (; close < f.body.length; close++) {
      if (f.body[close].text === '{') depth++
      else if (f.body[close].text === '}' && --depth === 0) break
    }
    const map = new Map()
    for (const arm of splitTopLevel(f.body.slice(open + 1, close))) {
      const arrow = arm.findIndex((t) => t.text === '=>')
      const pats = arm.slice(0, arrow)
      if (pats.length === 1 && pats[0].text === '_') continue
      const target = arm.slice(arrow + 1)
      if (target.length !== 1 || !tables.has(target[0].text)) fail(arm[0].line, `${fnName}: an arm must name one table, found \`${typeText(target)}\``)
      for (const p of pats) {
        if (p.text === '|') continue
        if (p.kind !== 'string') fail(p.line, `${fnName}: patterns must be string literals`)
        map.set(p.text, target[0].text)
      }
    }
    return map
  }
  const kindList = (name) => {
    const c = items.consts.get(name)
    if (!c) fail(1, `no const ${name}`)
    return sliceElements(c).map((el) => {
      if (el.length !== 1 || el[0].kind !== 'string') fail(c.line, `${name}: expected string literals`)
      return el[0].text
    })
  }
  const data = kindTable('data_table')
  const slave = kindTable('slave_data_table')
  const dataKinds = kindList('DATA_KINDS')
  const slaveKinds = kindList('SLAVE_KINDS')
  const same = (list, map, what) => {
    const a = [...list].sort().join()
    const b = [...map.keys()].sort().join()
    if (a !== b) fail(items.consts.get(what).line, `${what} (${a}) and the kinds its table function matches (${b}) differ`)
  }
  same(dataKinds, data, 'DATA_KINDS')
  same(slaveKinds, slave, 'SLAVE_KINDS')

  // The keys decode_with adds beside the rows, and decode_one's Raw key.
  const inserted = (fnName) => {
    const f = items.fns.get(fnName)
    if (!f) fail(1, `no fn ${fnName}`)
    const keys = []
    f.body.forEach((t, i) => {
      if (t.text === 'insert' && f.body[i + 1]?.text === '(' && f.body[i + 2]?.kind === 'string') keys.push(f.body[i + 2].text)
    })
    return { f, keys }
  }
  const dw = inserted('decode_with')
  for (const k of dw.keys) if (!EXTRA_KEYS[k]) fail(dw.f.line, `decode_with adds the key '${k}': add it to EXTRA_KEYS in scripts/gen-linkinfo-types.mjs`)
  for (const k of Object.keys(EXTRA_KEYS)) if (!dw.keys.includes(k)) fail(dw.f.line, `decode_with no longer adds '${k}': remove it from EXTRA_KEYS`)
  const ue = inserted('unknown_entry')
  if (ue.keys.sort().join() !== 'data,type') fail(ue.f.line, `unknown_entry writes ${ue.keys.join(', ')}, not UnknownAttribute's type and data`)
  const d1 = items.fns.get('decode_one')
  const rawKey = d1?.body.find((t) => t.kind === 'string' && /^\{name\}\w+$/.test(t.text))
  if (!rawKey) fail(d1?.line ?? 1, 'decode_one: no `format!("{name}...")` key for Named formats')
  const rawSuffix = rawKey.text.slice('{name}'.length)

  for (const t of tables.values()) {
    for (const r of t.rows) {
      const keys = r.fmt === 'Named' ? [r.name, r.name + rawSuffix] : [r.name]
      for (const k of keys) if (EXTRA_KEYS[k]) fail(r.line, `${t.name}: key '${k}' collides with a key decode_with adds`)
    }
  }
  return { tables, data, slave, dataKinds, slaveKinds, rawSuffix }
}

const pascal = (constName) => constName.toLowerCase().replace(/(^|_)([a-z0-9])/g, (_, __, ch) => ch.toUpperCase())
export const interfaceName = (constName) => `${pascal(constName)}Data`
const quote = (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
const key = (k) => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : quote(k))

/** An `@example` block of a doc comment, from the lines of its code. */
const example = (lines) => [' * @example', ' * ```ts', ...lines.map((l) => ` * ${l}`.trimEnd()), ' * ```']

/**
 * The example of a table's interface: the links of its first kind (or the
 * ports of its first master kind), and one of its keys.
 */
function tableExample(dk, sk, rows) {
  const slave = dk.length === 0
  const kind = slave ? sk[0] : dk[0]
  const name = interfaceName
  const row = rows[0]
  const k = row ? row.name : 'unknown'
  const get = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `.${k}` : `[${quote(k)}]`
  const field = slave ? 'slaveData' : 'data'
  const of = slave ? 'LinkSlaveDataOf' : 'LinkInfoDataOf'
  return [
    `import { links, type ${of} } from 'rtnl'`,
    '',
    'for (const l of await links.list()) {',
    `  if (l.linkinfo?.${slave ? 'slaveKind' : 'kind'} === ${quote(kind)}) {`,
    `    const ${field} = l.linkinfo.${field} as ${of}<${quote(kind)}>`,
    `    console.log(l.name, ${field}${get})`,
    '  }',
    '}',
  ]
}

/** src/linkinfo.ts, as text. */
export function generate(text) {
  const m = readLinkinfo(text)
  const out = []
  const push = (...lines) => out.push(...lines)
  const kindsOf = (map, table) => [...map].filter(([, t]) => t === table).map(([k]) => k)
  push(
    `// Generated by scripts/gen-linkinfo-types.mjs from ${SOURCE}: do not edit.`,
    '// Regenerate with `node scripts/gen-linkinfo-types.mjs`; __test__/types.test.mjs fails when it is stale.',
    '/**',
    " * `linkinfo.data` and `linkinfo.slaveData` per link kind: one interface per",
    ' * table of linkinfo.rs, with camelCase keys after `ip -d -j` and values in',
    " * the kernel's units (see the comment at the top of linkinfo.rs). Every key",
    ' * is optional: the kernel sends what it has. A kind without a table decodes',
    ' * to `LinkInfoDataCommon` (its attributes all in `unknown`).',
    ' */',
    "import type { UnknownAttribute } from './unknown'",
    '',
    '/**',
    " * What any decoded IFLA_INFO_DATA or IFLA_INFO_SLAVE_DATA may hold besides its kind's keys; all of it for a kind with no table.",
    ' *',
    ' * @category Link kinds',
    ...example([
      "import { links } from 'rtnl'",
      '',
      'for (const l of await links.list()) {',
      '  const data = l.linkinfo?.data',
      "  if (data?.error) console.warn(`${l.name}: ${l.linkinfo?.kind} data cut short: ${data.error}`)",
      "  if (data?.unknown?.length) console.log(`${l.name}: ${data.unknown.length} attributes this version does not decode`)",
      '}',
    ]),
    ' */',
    'export interface LinkInfoDataCommon {',
  )
  for (const [k, v] of Object.entries(EXTRA_KEYS)) push(`  /** ${v.doc} */`, `  ${key(k)}?: ${v.ts}`)
  push('}')
  const used = new Set([...m.data.values(), ...m.slave.values()])
  for (const t of m.tables.values()) {
    if (!used.has(t.name)) continue
    const dk = kindsOf(m.data, t.name)
    const sk = kindsOf(m.slave, t.name)
    const doc = [...t.doc]
    if (dk.length) doc.push(`\`data\` of kind ${dk.map((k) => `'${k}'`).join(', ')}.`)
    if (sk.length) doc.push(`\`slaveData\` of a port whose master is ${sk.map((k) => `'${k}'`).join(', ')}.`)
    const rows = t.rows.filter((r) => r.fmt !== 'Pad')
    push('', '/**', ...doc.map((l) => ` * ${l}`.trimEnd()), ' *', ' * @category Link kinds', ...example(tableExample(dk, sk, rows)), ' */')
    push(`export interface ${interfaceName(t.name)} extends LinkInfoDataCommon {${rows.length ? '' : '}'}`)
    for (const r of rows) {
      const what = r.comment ? `${r.comment}: ` : ''
      const doc = (text) => (what ? what + text : text[0].toUpperCase() + text.slice(1))
      const spec = FORMATS[r.fmt]
      if (spec.named) {
        const names = r.names.map(([, n]) => quote(n))
        push(
          `  /** ${doc(`the name \`ip\` prints, or the number in decimal when it has none; the number is \`${r.name}${m.rawSuffix}\`.`)} */`,
          `  ${key(r.name)}?: ${[...names, '`${number}`'].join(' | ')}`,
          `  /** ${doc(`${r.width.replace('W', 'u')}, named by \`${r.name}\` (${r.names.map(([v, n]) => `${v} ${n}`).join(', ')}).`)} */`,
          `  ${key(r.name + m.rawSuffix)}?: number`,
        )
      } else if (spec.pair) {
        const attr = r.comment ? `${r.comment}'s` : 'The attribute\'s'
        push(
          `  /** ${doc(`two ${spec.pair} values.`)} */`,
          `  ${key(r.name)}?: {`,
          ...r.keys.flatMap((k, i) => [`    /** ${attr} ${i === 0 ? 'first' : 'second'} ${spec.pair}. */`, `    ${key(k)}: number`]),
          '  }',
        )
      } else {
        push(`  /** ${doc(`${spec.doc}.`)} */`, `  ${key(r.name)}?: ${spec.ts}`)
      }
    }
    if (rows.length) push('}')
  }
  const byKind = (map, list, what) =>
    list.flatMap((k) => [`  /** The ${what} of a link whose \`linkinfo.${what === 'data' ? 'kind' : 'slaveKind'}\` is '${k}'. */`, `  ${key(k)}: ${interfaceName(map.get(k))}`])
  const alias = (lines, ex) => ['/**', ...lines.map((l) => ` * ${l}`.trimEnd()), ' *', ' * @category Link kinds', ...example(ex), ' */']
  push(
    '',
    ...alias(['`linkinfo.data` by `linkinfo.kind`, for the kinds this version decodes.'], [
      "import { links, type LinkInfoDataByKind } from 'rtnl'",
      '',
      "const bridges: [string | undefined, LinkInfoDataByKind['bridge']][] = []",
      "for (const l of await links.list()) if (l.linkinfo?.kind === 'bridge') bridges.push([l.name, l.linkinfo.data as LinkInfoDataByKind['bridge']])",
    ]),
    'export interface LinkInfoDataByKind {',
    ...byKind(m.data, m.dataKinds, 'data'),
    '}',
    '',
    ...alias(["`linkinfo.slaveData` by `linkinfo.slaveKind` (the master's kind), for the kinds this version decodes."], [
      "import { links, type LinkSlaveDataByKind } from 'rtnl'",
      '',
      'for (const l of await links.list()) {',
      "  if (l.linkinfo?.slaveKind === 'bond') console.log(l.name, (l.linkinfo.slaveData as LinkSlaveDataByKind['bond']).state)",
      '}',
    ]),
    'export interface LinkSlaveDataByKind {',
    ...byKind(m.slave, m.slaveKinds, 'slaveData'),
    '}',
    '',
    ...alias(['Any `linkinfo.data`: one of the kinds above, or the common keys only for another kind.'], [
      "import { links, type LinkInfoData } from 'rtnl'",
      '',
      'const data: (LinkInfoData | undefined)[] = (await links.list()).map((l) => l.linkinfo?.data)',
    ]),
    'export type LinkInfoData = LinkInfoDataByKind[keyof LinkInfoDataByKind] | LinkInfoDataCommon',
    '',
    ...alias(['Any `linkinfo.slaveData`.'], [
      "import { links, type LinkSlaveData } from 'rtnl'",
      '',
      'const ports: (LinkSlaveData | undefined)[] = (await links.list()).map((l) => l.linkinfo?.slaveData)',
    ]),
    'export type LinkSlaveData = LinkSlaveDataByKind[keyof LinkSlaveDataByKind] | LinkInfoDataCommon',
    '',
    ...alias([
      "The `data` of a link whose `linkinfo.kind` is K: `LinkInfoDataOf<'bridge'>`",
      'is BridgeData; a kind without a table gives LinkInfoDataCommon, and a',
      'plain `string` any of them.',
    ], [
      "import { links, type LinkInfoDataOf } from 'rtnl'",
      '',
      "const br0 = await links.get({ name: 'br0' })",
      "if (br0?.linkinfo?.kind === 'bridge') console.log('STP', (br0.linkinfo.data as LinkInfoDataOf<'bridge'>).stpState)",
    ]),
    'export type LinkInfoDataOf<K extends string | undefined> = string extends K',
    '  ? LinkInfoData',
    '  : K extends keyof LinkInfoDataByKind',
    '    ? LinkInfoDataByKind[K]',
    '    : LinkInfoDataCommon',
    '',
    ...alias(['The `slaveData` of a link whose `linkinfo.slaveKind` is K.'], [
      "import { links, type LinkSlaveDataOf } from 'rtnl'",
      '',
      "const port = await links.get({ name: 'v1' })",
      "if (port?.linkinfo?.slaveKind === 'bridge') console.log('port state', (port.linkinfo.slaveData as LinkSlaveDataOf<'bridge'>).state)",
    ]),
    'export type LinkSlaveDataOf<K extends string | undefined> = string extends K',
    '  ? LinkSlaveData',
    '  : K extends keyof LinkSlaveDataByKind',
    '    ? LinkSlaveDataByKind[K]',
    '    : LinkInfoDataCommon',
    '',
  )
  return out.join('\n')
}

/** The names src/index.ts must export for the generated types to be public. */
export function exportedNames(text) {
  const m = readLinkinfo(text)
  const used = new Set([...m.data.values(), ...m.slave.values()])
  return [
    'LinkInfoDataCommon',
    ...[...m.tables.keys()].filter((t) => used.has(t)).map(interfaceName),
    'LinkInfoDataByKind',
    'LinkSlaveDataByKind',
    'LinkInfoData',
    'LinkSlaveData',
    'LinkInfoDataOf',
    'LinkSlaveDataOf',
  ]
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const want = generate(readFileSync(join(ROOT, SOURCE), 'utf8'))
  const path = join(ROOT, OUTPUT)
  let have = ''
  try {
    have = readFileSync(path, 'utf8')
  } catch {}
  if (process.argv.includes('--check')) {
    if (have !== want) {
      console.error(`${OUTPUT} is stale: run \`node scripts/gen-linkinfo-types.mjs\``)
      process.exit(1)
    }
    console.log(`${OUTPUT} is up to date`)
  } else if (have === want) {
    console.log(`${OUTPUT} is up to date`)
  } else {
    writeFileSync(path, want)
    console.log(`wrote ${OUTPUT}`)
  }
}
