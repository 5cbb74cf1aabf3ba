// Kernel features the suite cannot assume: the kernel build differs from
// machine to machine (seen: no IPv4 multicast routing on one, no seg6
// lwtunnel on another), and users run kernels from 5.10 up.
//
// A test that needs a feature is declared through `needs(feature)`: the
// feature is probed once per run (in a scratch namespace; the answer is kept
// in the run's directory, so each ava worker does not probe again), and when
// the kernel lacks it the test is declared skipped with the feature's name in
// its title and recorded in the run's skip list. scripts/ava-sentinel.mjs
// prints that list at the end of `npm test` and fails the run on a skip that
// __test__/expected-skips.json does not list for this kernel.
//
// A probe tells "absent" only from the kernel's own answer that it lacks the
// feature (EOPNOTSUPP, "not supported", an unknown kind); any other failure
// (EPERM, a missing tool) throws, so the test file fails instead of skipping.
import test from 'ava'
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { release } from 'node:os'
import { join } from 'node:path'
import { addNetns, delNetns } from '../scripts/netns.mjs'

/** Each feature: what it is (named in skips), and the `ip` commands that need it, run in a fresh namespace. */
export const FEATURES = {
  seg6: {
    what: 'seg6 lwtunnel encapsulation (CONFIG_IPV6_SEG6_LWTUNNEL)',
    probe: ['link add pv0 type veth peer name pv1', 'nexthop add id 1 encap seg6 mode encap segs fc00::1 dev pv0'],
  },
  bridge: {
    what: 'the Ethernet bridge (CONFIG_BRIDGE)',
    probe: ['link add pb0 type bridge'],
  },
  ipv4_mroute: {
    what: 'IPv4 multicast routing (CONFIG_IP_MROUTE)',
    probe: ['-4 mrule show'],
  },
}

// What the kernel says when it lacks a feature, as iproute2 prints it.
const ABSENT = /not supported|Address family not supported|Unknown device type|unknown qdisc|Unknown filter|Specified qdisc kind is unknown|Error: Unknown/i

const cache = new Map()

function cacheFile() {
  const dir = process.env.RTNL_SENTINEL
  return dir ? join(dir, 'features.cache') : undefined
}

function probe(feature) {
  const spec = FEATURES[feature]
  if (!spec) throw new Error(`unknown kernel feature '${feature}'; expected one of ${Object.keys(FEATURES).join(', ')}`)
  const ns = addNetns(`rtnl-probe-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    for (const line of spec.probe) {
      try {
        execFileSync('ip', ['-n', ns, ...line.split(' ')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      } catch (e) {
        const said = String(e.stderr ?? '') + String(e.message ?? '')
        if (e.code !== 'ENOENT' && ABSENT.test(said)) return false
        throw new Error(`probing the kernel for ${spec.what} failed (not an answer that it is absent): ip ${line}: ${said.trim()}`)
      }
    }
    return true
  } finally {
    delNetns(ns)
  }
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
  if (missing.length === 0) return test
  return (title, fn) => {
    const file = cacheFile()
    if (file) {
      const line = { test: title, features: missing, kernel: release() }
      appendFileSync(join(process.env.RTNL_SENTINEL, 'skips.jsonl'), JSON.stringify(line) + '\n')
    }
    test.skip(`${title} [skipped: this kernel has no ${missing.map((f) => FEATURES[f].what).join(', no ')}]`, fn)
  }
}
