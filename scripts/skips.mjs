// Tests skipped for a kernel feature (__test__/_features.mjs records each in
// the run's skips.jsonl), checked against __test__/expected-skips.json: a
// skip the list does not expect of this kernel fails the run. Used by
// `npm test` (scripts/ava-sentinel.mjs) and the kernel matrix
// (scripts/kernels/run.mjs, for each guest kernel).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

/** The records of one kind a run wrote to `dir` (RTNL_SENTINEL): `skips` or `uses`, one JSON a line. */
export function readRecords(dir, kind) {
  const file = join(dir, `${kind}.jsonl`)
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []
}

/** The skips a run recorded in `dir`: [{ test, features, kernel }]. */
export const readSkips = (dir) => readRecords(dir, 'skips')

/** The expected-skip list: { kernels: { release: [feature...] } }. */
export function expectedSkips() {
  return JSON.parse(readFileSync(new URL('../__test__/expected-skips.json', import.meta.url), 'utf8'))
}

/**
 * Skipped tests by feature, and what is wrong with them on kernel `kernel`:
 * a feature skipped that the list does not expect, or a kernel the list
 * does not know that skipped anything.
 */
export function checkSkips(skips, kernel) {
  const allowed = expectedSkips().kernels[kernel]
  const byFeature = new Map()
  for (const s of skips) for (const f of s.features) byFeature.set(f, [...(byFeature.get(f) ?? []), s.test])
  const problems = []
  if (byFeature.size > 0 && !allowed) {
    problems.push(`kernel ${kernel} has no entry in __test__/expected-skips.json; it lacks ${[...byFeature.keys()].join(', ')}: add an entry naming the features this kernel is known to lack`)
  } else {
    for (const f of byFeature.keys()) {
      if (!allowed.includes(f)) problems.push(`a test was skipped for lack of '${f}', which __test__/expected-skips.json does not expect of kernel ${kernel}`)
    }
  }
  const summary =
    `skipped for lack of a kernel feature on ${kernel}: ` +
    (byFeature.size === 0 ? 'nothing' : [...byFeature].map(([f, tests]) => `${f} (${tests.length}: ${tests.join('; ')})`).join(', '))
  return { byFeature, problems, summary }
}
