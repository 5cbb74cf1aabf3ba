#!/usr/bin/env node
// The published API as a text report, one line per member, in the spirit of
// api-extractor's .api.md: what a user of `rtnl` can name and what type each
// member has, read from dist/index.d.ts by the TypeScript compiler (after
// `npm run build:ts`). Docs are left out: the report is for the shapes.
//
//   node scripts/api-report.mjs           writes docs/api-report.md
//   node scripts/api-report.mjs --check   exits 1 when it differs from dist
//
// A change to the public API shows as a diff of docs/api-report.md in the
// same commit; the CHANGELOG says why, with a migration note.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const REPORT = join(ROOT, 'docs/api-report.md')
const INDEX = join(ROOT, 'dist/index.d.ts')
const FLAGS = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrayAsGenericType | ts.TypeFormatFlags.UseAliasDefinedOutsideCurrentScope

/** The report's text for the published types at `index`. */
export function apiReport(index = INDEX) {
  const program = ts.createProgram([index], { strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [join(ROOT, 'node_modules/@types')] })
  const checker = program.getTypeChecker()
  const sf = program.getSourceFile(index)
  if (!sf) throw new Error(`${index} is missing: run \`npm run build:ts\` first`)
  const text = (t) => checker.typeToString(t, undefined, FLAGS)
  // A declaration as written in the published .d.ts (docs and extra space left out): stable
  // from one build to the next, where the checker's expansion of a mapped type is not.
  const written = (node) => node.getText().replace(/\s+/g, ' ').replace(/;$/, '')
  const lines = []
  const members = (type, indent) => {
    for (const p of checker.getPropertiesOfType(type).sort((a, b) => a.name.localeCompare(b.name))) {
      // Well-known symbols (Symbol.asyncIterator, ...) by their name, not the checker's numbered one.
      const name = p.name.replace(/^__@(\w+)@\d+$/, '[Symbol.$1]')
      const decls = p.declarations ?? []
      if (decls.length && decls.every((d) => ts.isMethodSignature(d) || ts.isMethodDeclaration(d) || ts.isPropertySignature(d) || ts.isPropertyDeclaration(d) || ts.isGetAccessor(d))) {
        for (const d of decls) lines.push(`${indent}${written(d)}`)
        continue
      }
      const optional = p.flags & ts.SymbolFlags.Optional ? '?' : ''
      let t = text(checker.getTypeOfSymbol(p))
      if (optional) t = t.replace(/ \| undefined$/, '')
      lines.push(`${indent}${name}${optional}: ${t}`)
    }
  }
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(sf)).sort((a, b) => a.name.localeCompare(b.name))
  for (const alias of exported) {
    const sym = alias.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(alias) : alias
    const f = sym.flags
    if (f & ts.SymbolFlags.Interface) {
      const type = checker.getDeclaredTypeOfSymbol(sym)
      const decl = sym.declarations.find((d) => ts.isInterfaceDeclaration(d))
      const params = decl?.typeParameters?.length ? `<${decl.typeParameters.map(written).join(', ')}>` : ''
      const heritage = decl?.heritageClauses?.length ? ` ${decl.heritageClauses.map(written).join(' ')}` : ''
      lines.push(`interface ${alias.name}${params}${heritage}`)
      members(type, '  ')
    }
    if (f & ts.SymbolFlags.TypeAlias) {
      const decl = sym.declarations.find((d) => ts.isTypeAliasDeclaration(d))
      lines.push(written(decl).replace(/^export (declare )?/, '').replace(/^type \w+/, `type ${alias.name}`))
    }
    if (f & ts.SymbolFlags.Class) {
      lines.push(`class ${alias.name}`)
      const ctor = checker.getTypeOfSymbol(sym)
      for (const s of ctor.getConstructSignatures()) lines.push(`  new${checker.signatureToString(s, undefined, FLAGS)}`)
      members(checker.getDeclaredTypeOfSymbol(sym), '  ')
    }
    if (f & ts.SymbolFlags.Function) {
      for (const d of sym.declarations.filter((d) => ts.isFunctionDeclaration(d))) lines.push(written(d).replace(/^export (declare )?/, '').replace(/^function \w+/, `function ${alias.name}`))
    }
    if (f & (ts.SymbolFlags.Variable | ts.SymbolFlags.ValueModule) && !(f & (ts.SymbolFlags.Class | ts.SymbolFlags.Function))) {
      const type = checker.getTypeOfSymbol(sym)
      if (checker.isArrayType(type) || checker.isTupleType(type)) lines.push(`const ${alias.name}: ${text(type)}`)
      else {
        lines.push(`${f & ts.SymbolFlags.ValueModule ? 'namespace' : 'const'} ${alias.name}`)
        members(type, '  ')
      }
    }
  }
  return `# The published API of rtnl\n\nWritten by \`node scripts/api-report.mjs\` from dist/index.d.ts; \`npm test\` fails when it is stale.\nA change here is a change to the contract: the CHANGELOG names it, with a migration note.\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n`
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = apiReport()
  if (process.argv.includes('--check')) {
    let old = ''
    try {
      old = readFileSync(REPORT, 'utf8')
    } catch {}
    if (old !== report) {
      console.error('docs/api-report.md is stale: the published API changed. Run `node scripts/api-report.mjs`, review the diff and say it in the CHANGELOG.')
      process.exit(1)
    }
  } else writeFileSync(REPORT, report)
}
