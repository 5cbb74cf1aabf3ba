// Shared by the parity suites (parity, parity-tc-bridge): every key iproute2
// prints for an object is looked up in a mapping table and compared with
// ours, so a field iproute2 shows and the table does not cover fails.
import { execFileSync } from 'node:child_process'

/** The value at a dotted path of an object (undefined along a missing link). */
export function get(obj, path) {
  return path.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj)
}

/** `TOOL -n NS ARGS` (ip, tc, bridge with -j among ARGS) parsed; an empty output is an empty list. */
export function toolJson(tool, ns, ...args) {
  const out = execFileSync(tool, ['-n', ns, ...args], { encoding: 'utf8' })
  return out.trim() ? JSON.parse(out) : []
}

/**
 * Compares every key `tool` printed for one object (`theirs`) with ours
 * through `table`: a row is a function of (ours, ctx), a [function,
 * normalise-theirs] pair, or a string saying why that key is not compared.
 * Nested objects not in the table are walked. `within` gives a tolerance per
 * path (a timer that moved between the two reads); `proven` counts each
 * path compared, by the first word of `what`.
 */
export function compareObject(t, what, table, theirs, ours, ctx, { tool = 'ip', within = {}, proven, prefix = '' } = {}) {
  for (const [key, value] of Object.entries(theirs)) {
    const path = prefix + key
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && !(path in table)) {
      compareObject(t, what, table, value, ours, ctx, { tool, within, proven, prefix: `${path}.` })
      continue
    }
    const row = table[path]
    t.not(row, undefined, `${what}: ${tool} prints '${path}', which the mapping table does not cover`)
    if (row === undefined || typeof row === 'string') continue
    const [mine, norm] = typeof row === 'function' ? [row, (v) => v] : row
    const expected = norm(value)
    const actual = mine(ours, ctx)
    if (path in within) t.true(Math.abs(actual - expected) <= within[path], `${what} ${path}: ${actual} vs ${tool} ${expected}`)
    else t.deepEqual(actual, expected, `${what} ${path}`)
    if (proven) {
      const at = `${what.split(' ')[0]}.${path}`
      proven.set(at, (proven.get(at) ?? 0) + 1)
    }
  }
}
