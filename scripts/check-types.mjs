#!/usr/bin/env node
// Checks of the published types (dist/index.d.ts, after `npm run build:ts`)
// that the types alone cannot make: the guide's per-kind field lists name
// the same fields, real values (what list() and a monitor return) type-check
// against them, and nothing internal is exposed. Read with the TypeScript
// compiler API; no Rust source is read here: the types of what the core
// serialises are written by running Rust (crates/rtnl-typegen ->
// src/generated/), which `cargo test` keeps current.
//
//   node scripts/check-types.mjs
//
// __test__/types.test.mjs runs all of it. Exits 1 with one line per
// difference.
import { readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

const fmtAlts = (alts) => [...new Set(alts)].sort().join(' | ')

// ---- TypeScript --------------------------------------------------------------------------------

const COMPILER_OPTIONS = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10,
  lib: ['lib.es2022.d.ts'],
  types: ['node'],
  skipLibCheck: true,
}

const PARSED = new Map()

/**
 * A program over the published types, with files replaced or added in
 * memory (overrides: absolute path -> text).
 */
export function makeProgram(rootNames, overrides = {}) {
  const options = { ...COMPILER_OPTIONS, typeRoots: [join(ROOT, 'node_modules/@types')] }
  const host = ts.createCompilerHost(options, true)
  const over = new Map(Object.entries(overrides).map(([k, v]) => [resolve(k), v]))
  const { getSourceFile, fileExists, readFile } = host
  host.getCurrentDirectory = () => ROOT
  host.getSourceFile = (name, lang, onError, create) => {
    if (over.has(resolve(name))) return ts.createSourceFile(name, over.get(resolve(name)), lang, true)
    // Files on disk are parsed once per process (lib and @types/node are most of the time).
    const key = `${lang}:${resolve(name)}`
    if (!PARSED.has(key)) PARSED.set(key, getSourceFile.call(host, name, lang, onError, create))
    return PARSED.get(key)
  }
  host.fileExists = (name) => over.has(resolve(name)) || fileExists.call(host, name)
  host.readFile = (name) => (over.has(resolve(name)) ? over.get(resolve(name)) : readFile.call(host, name))
  return ts.createProgram(rootNames, options, host)
}

const DIST_INDEX = join(ROOT, 'dist/index.d.ts')

function where(decl) {
  const sf = decl.getSourceFile()
  const { line } = sf.getLineAndCharacterOfPosition(decl.getStart())
  return `${relative(ROOT, sf.fileName)}:${line + 1}`
}

/** The exports of dist/index.d.ts, aliases resolved: name -> symbol. */
function exportsOf(program, index = DIST_INDEX) {
  const checker = program.getTypeChecker()
  const sf = program.getSourceFile(index)
  if (!sf) throw new Error(`${relative(ROOT, index)} is missing: run \`npm run build:ts\` first`)
  const mod = checker.getSymbolAtLocation(sf)
  const out = new Map()
  for (const s of checker.getExportsOfModule(mod)) {
    out.set(s.name, s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s)
  }
  return out
}

/** The coarse types of a TS type, in the same vocabulary as the Rust side. */
function tsCoarse(type, checker, interfaceNames) {
  if (type.isUnion()) return type.types.flatMap((t) => tsCoarse(t, checker, interfaceNames))
  const f = type.flags
  if (f & (ts.TypeFlags.NumberLike & ~ts.TypeFlags.EnumLike)) return ['number']
  if (f & ts.TypeFlags.StringLike) return ['string']
  if (f & ts.TypeFlags.BooleanLike) return ['boolean']
  if (f & ts.TypeFlags.Null) return ['null']
  if (f & ts.TypeFlags.Undefined) return ['undefined']
  if (f & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return ['unknown']
  if (checker.isArrayType(type)) return [`array<${fmtAlts(tsCoarse(checker.getTypeArguments(type)[0], checker, interfaceNames))}>`]
  if (checker.isTupleType(type)) return ['tuple']
  if (f & ts.TypeFlags.Object || type.isIntersection()) {
    const name = type.aliasSymbol?.name ?? type.getSymbol()?.name
    if (name && interfaceNames.has(name)) return [`struct:${name}`]
    return ['object']
  }
  return [checker.typeToString(type)]
}

/**
 * The properties of the named TS interfaces, from the published
 * types: name -> { file, props: Map(name -> { optional, alts, where, text }) }.
 * `overrides` replaces files in memory (absolute path -> text).
 */
export function readTs({ index = DIST_INDEX, overrides = {}, names = README_KINDS } = {}) {
  const program = makeProgram([index], overrides)
  const checker = program.getTypeChecker()
  const exported = exportsOf(program, index)
  const wanted = new Set(names)
  const out = new Map()
  for (const name of wanted) {
    const sym = exported.get(name)
    if (!sym) {
      out.set(name, null)
      continue
    }
    const type = checker.getDeclaredTypeOfSymbol(sym)
    const props = new Map()
    for (const p of checker.getPropertiesOfType(type)) {
      const decl = p.declarations?.[0]
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0
      let alts = tsCoarse(checker.getTypeOfSymbol(p), checker, wanted)
      if (optional) alts = alts.filter((a) => a !== 'undefined')
      props.set(p.name, { optional, alts, where: decl ? where(decl) : relative(ROOT, index), text: decl ? decl.getText().replace(/\s+/g, ' ') : p.name })
    }
    const decl = sym.declarations?.[0]
    out.set(name, { file: decl ? where(decl) : '?', props })
  }
  return out
}

// ---- the README's field lists ---------------------------------------------------------------------

/** The guide (docs/guide.md) lists each kind's fields on a `- Kind: a, b, c { ... }` line; nested groups are examples, not compared. */
export const README_KINDS = ['Link', 'Address', 'Route', 'Neighbour', 'Rule', 'NexthopObject', 'Netconf', 'Nsid', 'TcObject', 'BridgeVlan', 'MdbEntry', 'LinkStats', 'Prefix', 'NdUserOption']

/** Compares the top-level fields the README lists with the TS interfaces; one message per difference. */
export function checkReadme(text = readFileSync(join(ROOT, 'docs', 'guide.md'), 'utf8'), tsTypes = readTs({ names: README_KINDS })) {
  const problems = []
  const lines = text.split('\n')
  for (const kind of README_KINDS) {
    const at = lines.findIndex((l) => l.startsWith(`- ${kind}: `))
    if (at < 0) {
      problems.push(`docs/guide.md has no \`- ${kind}: ...\` field list`)
      continue
    }
    let depth = 0
    let top = ''
    for (const ch of lines[at].slice(kind.length + 4)) {
      if ('{[('.includes(ch)) depth++
      else if ('}])'.includes(ch)) depth--
      else if (depth === 0) top += ch
    }
    const listed = top.split(',').map((k) => k.trim()).filter(Boolean)
    const props = [...tsTypes.get(kind).props.keys()]
    for (const k of listed) if (!props.includes(k)) problems.push(`${kind}.${k}: listed in docs/guide.md:${at + 1} but not a field of TS interface ${kind}`)
    for (const k of props) if (!listed.includes(k)) problems.push(`${kind}.${k}: a field of TS interface ${kind} that docs/guide.md:${at + 1} does not list`)
  }
  return problems
}

// ---- real values --------------------------------------------------------------------------------

/**
 * Type-checks values against published types: each entry { label, type,
 * value } becomes `const v: R.<type> = <value as a literal>` in an in-memory
 * file importing dist/index.d.ts as R, so TypeScript's excess property
 * checks catch keys the type lacks. Returns one message per diagnostic,
 * naming the entry and the offending line of its literal.
 */
export function typecheckValues(entries) {
  const file = join(ROOT, '__rtnl_typecheck__.ts')
  const lines = ["import type * as R from './dist/index'"]
  const spans = []
  entries.forEach((e, i) => {
    const start = lines.length
    const literal = JSON.stringify(e.value, null, 2).split('\n')
    lines.push(`const v${i}: R.${e.type} = ${literal[0]}`, ...literal.slice(1))
    spans.push({ start, end: lines.length, entry: e })
  })
  lines.push('')
  const program = makeProgram([file], { [file]: lines.join('\n') })
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]
  return diags.map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ')
    if (!d.file || resolve(d.file.fileName) !== file) return `${d.file ? relative(ROOT, d.file.fileName) : ''}: ${msg}`
    const line = d.file.getLineAndCharacterOfPosition(d.start).line
    const span = spans.find((s) => line >= s.start && line < s.end)
    const text = lines[line].trim()
    return span ? `${span.entry.label} as ${span.entry.type}: ${msg} (at \`${text.slice(0, 120)}\`)` : msg
  })
}

/** Diagnostics of a TS source (importing the published types as `R` from './dist/index'), checked in memory. */
export function typecheckSource(text) {
  const file = join(ROOT, '__rtnl_typecheck__.ts')
  const program = makeProgram([file], { [file]: text })
  return [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()].map((d) => {
    const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0
    return `line ${line}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`
  })
}

// ---- internals in the published types -------------------------------------------------------------

/** Exported classes that are meant to be constructed by users. */
export const PUBLIC_CONSTRUCTORS = new Set(['RtnlError'])

/**
 * What the published types (everything reachable from dist/index.d.ts's
 * exports) expose that is internal: members named `_x`, types named
 * Native*, and constructors of classes users cannot construct (an
 * @internal constructor stripped from a class leaves an implicit public
 * `new X()` behind). One message each.
 */
export function publicLeaks({ index = DIST_INDEX, overrides = {} } = {}) {
  const program = makeProgram([index], overrides)
  const checker = program.getTypeChecker()
  const leaks = new Set()
  const visited = new Set()
  const inDist = (decl) => resolve(decl.getSourceFile().fileName).startsWith(join(ROOT, 'dist'))

  function visitType(type, path) {
    if (!type || visited.has(type)) return
    visited.add(type)
    const sym = type.aliasSymbol ?? type.getSymbol()
    const decls = sym?.declarations ?? []
    if (decls.length && !decls.some(inDist)) return
    if (sym && /^Native/.test(sym.name)) leaks.add(`${path}: exposes type ${sym.name} (${where(decls[0])})`)
    if (type.isUnionOrIntersection()) type.types.forEach((t) => visitType(t, path))
    for (const t of type.aliasTypeArguments ?? []) visitType(t, path)
    if (type.flags & ts.TypeFlags.Object) {
      for (const t of checker.getTypeArguments?.(type) ?? []) visitType(t, path)
      for (const p of checker.getPropertiesOfType(type)) {
        const pdecl = p.declarations?.[0]
        if (pdecl && !inDist(pdecl)) continue
        if (p.name.startsWith('_') && !p.name.startsWith('__@')) leaks.add(`${path}.${p.name}: internal member in the published types (${where(pdecl)})`)
        if (pdecl) visitType(checker.getTypeOfSymbolAtLocation(p, pdecl), `${path}.${p.name}`)
      }
      for (const kind of [ts.SignatureKind.Call, ts.SignatureKind.Construct]) {
        for (const sig of checker.getSignaturesOfType(type, kind)) {
          for (const param of sig.parameters) {
            const pd = param.declarations?.[0]
            if (pd) visitType(checker.getTypeOfSymbolAtLocation(param, pd), `${path}(${param.name})`)
          }
          visitType(sig.getReturnType(), `${path}()`)
        }
      }
    }
  }

  for (const [name, sym] of exportsOf(program, index)) {
    const decl = sym.declarations?.[0]
    if (!decl) continue
    if (sym.flags & ts.SymbolFlags.Class) {
      const ctors = decl.members?.filter((m) => ts.isConstructorDeclaration(m)) ?? []
      const visible = ctors.filter((m) => !(ts.getCombinedModifierFlags(m) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)))
      if (!PUBLIC_CONSTRUCTORS.has(name)) {
        if (!ctors.length) leaks.add(`${name}: \`new ${name}()\` type-checks: the class declares no constructor in ${where(decl)} (an @internal constructor was stripped, leaving an implicit public one)`)
        for (const c of visible) leaks.add(`${name}: public constructor \`${c.getText().replace(/\s+/g, ' ')}\` (${where(c)})`)
      }
      for (const c of ctors) {
        for (const p of c.parameters) {
          if (/token/i.test(p.name.getText()) || p.type?.getText() === 'symbol') leaks.add(`${name}: constructor takes an internal token \`${p.getText()}\` (${where(p)})`)
        }
      }
      visitType(checker.getTypeOfSymbol(sym), name)
      visitType(checker.getDeclaredTypeOfSymbol(sym), name)
    } else if (sym.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
      visitType(checker.getDeclaredTypeOfSymbol(sym), name)
    } else {
      visitType(checker.getTypeOfSymbol(sym), name)
    }
  }
  return [...leaks].sort()
}

// ---- command line ---------------------------------------------------------------------------------

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkReadme()
  const leaks = publicLeaks()
  for (const p of problems) console.error(p)
  if (leaks.length) console.error(`internals in the published types (informational):\n  ${leaks.join('\n  ')}`)
  if (problems.length) {
    console.error(`check-types: ${problems.length} difference(s) between the published types and the guide`)
    process.exit(1)
  }
  console.log(`check-types: the guide lists the fields of ${README_KINDS.length} kinds as the published types have them`)
}
