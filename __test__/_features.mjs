// Kernel features the suite cannot assume (scripts/kernel-features.mjs has
// the list and the probes).
//
// A test that needs a feature is declared through `needs(feature)`: the
// feature is probed once per run (in a scratch namespace; the answer is kept
// in the run's directory, so each ava worker does not probe again), and when
// the kernel lacks it the test is declared skipped with the feature's name in
// its title and recorded in the run's skip list. scripts/ava-sentinel.mjs
// prints that list at the end of `npm test` and fails the run on a skip that
// __test__/expected-skips.json does not list for this kernel. When the
// feature is there, the test is recorded as using it (the kernel matrix's
// table, scripts/kernels/run.mjs, says which tests exercised each feature).
import test from 'ava'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { FEATURES, probe } from '../scripts/kernel-features.mjs'

export { FEATURES }

const cache = new Map()

function cacheFile() {
  const dir = process.env.RTNL_SENTINEL
  return dir ? join(dir, 'features.cache') : undefined
}

/** Whether the running kernel has `feature` (probed once per run). */
export function has(feature) {
  if (cache.has(feature)) return cache.get(feature)
  const file = cacheFile()
  const known = file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
  let present = known[feature]
  if (present === undefined) {
    present = probe(feature)
    if (file) {
      // Workers may probe at once; the answers agree, so the last write wins harmlessly.
      const now = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}
      writeFileSync(file, JSON.stringify({ ...now, [feature]: present }))
    }
  }
  cache.set(feature, present)
  return present
}

/**
 * ava's `test` when the kernel has every feature named, else a `test.skip`
 * whose title names what is missing and which records the skip for the
 * run's summary. Use: `needs('seg6')('title', async (t) => ...)`.
 */
export function needs(...features) {
  const missing = features.filter((f) => !has(f))
  if (missing.length === 0) {
    if (!cacheFile()) return test
    return (title, fn) => {
      appendFileSync(join(process.env.RTNL_SENTINEL, 'uses.jsonl'), JSON.stringify({ test: title, features }) + '\n')
      test(title, fn)
    }
  }
  return (title, fn) => {
    const file = cacheFile()
    if (file) {
      const line = { test: title, features: missing, kernel: release() }
      appendFileSync(join(process.env.RTNL_SENTINEL, 'skips.jsonl'), JSON.stringify(line) + '\n')
    }
    test.skip(`${title} [skipped: this kernel has no ${missing.map((f) => FEATURES[f].what).join(', no ')}]`, fn)
  }
}
