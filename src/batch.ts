// Decodes the batches the native addon hands over (events, resync notices,
// listed objects): JSON text in which every struct is a row of its values,
// its field names written once per batch (crates/rtnl-node/src/shaped.rs
// describes the format). Each shape gets one object-building function,
// compiled once per process and kept: V8 builds objects from rows through it
// faster than JSON.parse builds them with their keys. The objects are those
// the plain JSON would give, with the same keys in the same order.
// Runs on the JS thread that receives the batch.

type Build = (row: unknown[], dec: (v: unknown) => unknown) => unknown

const SEQ = -1
const MAP = -2

/** Builders by shape text, for the life of the process (a few dozen shapes at most). */
const builders = new Map<string, Build>()

/** Whether code may be generated from strings (not under --disallow-code-generation-from-strings). */
let generate = true

function builderOf(shape: readonly string[]): Build {
  const text = shape.join(',')
  let build = builders.get(text)
  if (build) return build
  const fields = shape.map((f) => (f.startsWith('*') ? { name: f.slice(1), nested: true } : { name: f, nested: false }))
  if (generate) {
    try {
      // An object literal with the keys in order: one hidden class per shape.
      const props = fields.map(({ name, nested }, i) => {
        // A literal `__proto__: x` would set the prototype; a computed key makes it a property.
        const key = name === '__proto__' ? '["__proto__"]' : JSON.stringify(name)
        return `${key}: ${nested ? `dec(row[${i}])` : `row[${i}]`}`
      })
      build = new Function('row', 'dec', `return { ${props.join(', ')} }`) as Build
    } catch {
      generate = false
    }
  }
  build ??= (row, dec) => {
    const o: Record<string, unknown> = {}
    fields.forEach(({ name, nested }, i) => define(o, name, nested ? dec(row[i]) : row[i]))
    return o
  }
  builders.set(text, build)
  return build
}

function define(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true })
  else o[key] = value
}

/** The items of one batch, as the plain JSON of the same items would parse. */
export function decodeBatch<T>(text: string): T[] {
  const [rows, shapes] = JSON.parse(text) as [unknown[], string[][]]
  const build = shapes.map(builderOf)
  const dec = (v: unknown): unknown => {
    if (!Array.isArray(v)) return v
    const last = v.length - 1
    const tag = v[last] as number
    if (tag >= 0) return build[tag](v, dec)
    if (tag === SEQ) {
      const out = new Array<unknown>(last)
      for (let i = 0; i < last; i++) out[i] = dec(v[i])
      return out
    }
    if (tag === MAP) {
      const o: Record<string, unknown> = {}
      for (let i = 0; i + 1 < last; i += 2) define(o, String(v[i]), dec(v[i + 1]))
      return o
    }
    throw new Error(`rtnl: a batch from the native addon has a value tagged ${String(tag)}`)
  }
  const out = new Array<T>(rows.length)
  for (let i = 0; i < rows.length; i++) out[i] = dec(rows[i]) as T
  return out
}
