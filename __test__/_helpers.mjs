// Shared by the ava suites: throwaway namespaces, `ip` in them, and an event
// collector that waits for a matching event with a deadline (never a bare sleep).
import { execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { addNetns, delNetns } from '../scripts/netns.mjs'

export function requireRoot() {
  if (process.getuid && process.getuid() !== 0) {
    throw new Error('these tests need root: they create network namespaces (run `sudo npm test`)')
  }
}

/**
 * Creates a uniquely named namespace deleted in the test's teardown, pass or
 * fail, and at the worker's exit if the test never got to its teardown (a
 * timeout); see scripts/netns.mjs.
 */
export function makeNetns(t, prefix = 'rtnl', { sentinel = true } = {}) {
  requireRoot()
  const name = addNetns(`${prefix}-${process.pid}-${randomBytes(4).toString('hex')}`)
  t.teardown(() => delNetns(name))
  // The kernel matrix's guests (scripts/kernels/guest.mjs) set
  // RTNL_SENTINEL_MONITORS=0: a node process per namespace costs seconds
  // under emulation; they check for undecoded events in a test of their own.
  if (sentinel && process.env.RTNL_SENTINEL && process.env.RTNL_SENTINEL_MONITORS !== '0') startSentinel(name, process.env.RTNL_SENTINEL)
  return name
}

/**
 * Under `npm run test:ava` (scripts/ava-sentinel.mjs sets RTNL_SENTINEL to a
 * directory), every test namespace gets a monitor of every group in a
 * process of its own (fixtures/sentinel.mjs), and the run fails if any
 * event of the whole suite arrived as `unknown`. Waits (blocking, at most
 * 5 s) until it has subscribed, so it sees everything the test does.
 */
function startSentinel(name, dir) {
  const child = spawn(process.execPath, [new URL('./fixtures/sentinel.mjs', import.meta.url).pathname, name, dir], { stdio: 'ignore' })
  child.unref()
  const until = Date.now() + 5000
  const nap = new Int32Array(new SharedArrayBuffer(4))
  while (!existsSync(`${dir}/${name}.ready`) && !existsSync(`${dir}/${name}.json`) && Date.now() < until) Atomics.wait(nap, 0, 0, 5)
}

/** Runs `ip -n NS ...args` and returns stdout. */
export function ip(ns, ...args) {
  return execFileSync('ip', ['-n', ns, ...args], { encoding: 'utf8' })
}

/** Runs `ip -n NS -j ...args` and returns the parsed JSON. */
export function ipJson(ns, ...args) {
  const out = execFileSync('ip', ['-n', ns, '-j', ...args], { encoding: 'utf8' })
  return out.trim() ? JSON.parse(out) : []
}

/** Runs `ip -n NS -batch -` with the given lines on stdin. */
export function ipBatch(ns, lines) {
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: lines.join('\n') + '\n' })
}

/**
 * Consumes a monitor in the background and lets a test wait for the first
 * message matching a predicate, with a deadline.
 */
export function collect(monitor) {
  const seen = []
  const waiters = []
  let ended = false
  const done = (async () => {
    for await (const msg of monitor) {
      seen.push(msg)
      for (const w of [...waiters]) {
        if (w.pred(msg)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(msg)
        }
      }
    }
    ended = true
    for (const w of waiters.splice(0)) w.reject(new Error('the monitor ended before a matching message arrived'))
  })()
  return {
    seen,
    done,
    get ended() {
      return ended
    },
    /** Resolves with the first message (already seen or later) matching pred. */
    waitFor(pred, base = 5000, what = 'a matching message') {
      const ms = base * TIME_SCALE
      const hit = seen.find(pred)
      if (hit) return Promise.resolve(hit)
      return new Promise((resolve, reject) => {
        const w = {
          pred,
          resolve: (m) => {
            clearTimeout(timer)
            resolve(m)
          },
          reject,
        }
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(w), 1)
          reject(new Error(`timed out after ${ms} ms waiting for ${what}; saw ${seen.length} messages`))
        }, ms)
        waiters.push(w)
      })
    },
    /** Waits for a message after index `from` in `seen`. */
    waitAfter(from, pred, ms, what) {
      const slice = () => seen.slice(from)
      const hit = slice().find(pred)
      if (hit) return Promise.resolve(hit)
      return this.waitFor((m) => pred(m) && seen.indexOf(m) >= from, ms, what)
    },
  }
}

export const isOp = (op, test = () => true) => (m) => m.type === 'event' && m.op === op && test(m.resource)

/**
 * This process's sockets and namespace fds: what rtnl opens. A count of
 * these, unlike of all fds, is not moved by an fd Node opens lazily.
 */
export function socketAndNetnsFds() {
  return [...fdTargets().values()].filter((target) => target.startsWith('socket:') || target.startsWith('net:')).length
}

/** This process's fds and what each points at ("socket:[123]", "net:[4026…]", a path). */
export function fdTargets() {
  const targets = new Map()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      targets.set(fd, readlinkSync(`/proc/self/fd/${fd}`))
    } catch {
      // closed between readdir and readlink
    }
  }
  return targets
}

/**
 * The fds opened while `during` was taken (not in `before`) that are still
 * open now with the same target: what was not closed. Other fds Node or V8
 * open meanwhile (lazily, on their own schedule) are not counted.
 */
export function stillOpen(before, during, now = fdTargets()) {
  return [...during].filter(([fd, target]) => before.get(fd) !== target && now.get(fd) === target).map(([fd, target]) => `${fd} -> ${target}`)
}

/** The names of this process's threads that rtnl started (rtnl-reactor, rtnl-netns, rtnl-stream), once the short-lived ones have exited. */
export function rtnlThreads(deadlineMs = 2000) {
  threadCount(deadlineMs)
  return readdirSync('/proc/self/task')
    .map((t) => {
      try {
        return readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()
      } catch {
        return ''
      }
    })
    .filter((n) => n.startsWith('rtnl-'))
    .sort()
}

/**
 * Threads of this process once the short-lived threads rtnl starts (a
 * namespace thread for a socket or a dump, a stream thread for an
 * iterate()) have exited: the steady count, without sleeping blindly.
 */
export function threadCount(deadlineMs = 2000) {
  const until = Date.now() + deadlineMs
  for (;;) {
    const tasks = readdirSync('/proc/self/task')
    const transient = tasks.some((t) => {
      try {
        const name = readFileSync(`/proc/self/task/${t}/comm`, 'utf8').trim()
        return name === 'rtnl-netns' || name === 'rtnl-stream'
      } catch {
        // Listed, then gone before its name was read: a thread exiting right
        // now, counted in `tasks` all the same. Look again.
        return true
      }
    })
    if (!transient || Date.now() > until) return tasks.length
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
  }
}

/**
 * How much slower than this machine the tests run: the kernel matrix's
 * guests (scripts/kernels/guest.mjs) emulate the CPU and set it to 10, where
 * a node child takes about 5 s to start.
 */
export const TIME_SCALE = Number(process.env.RTNL_TIME_SCALE ?? 1)

/** Runs node with a script body in a child; resolves with {code, stdout, stderr, signal}. */
export function runNode(args, { timeout: base = 20000, env, input } = {}) {
  const timeout = base * TIME_SCALE
  return new Promise((resolve, reject) => {
    const child = spawn(args[0] === 'ip' ? 'ip' : process.execPath, args[0] === 'ip' ? args.slice(1) : args, {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`child did not exit within ${timeout} ms; stdout: ${stdout} stderr: ${stderr}`))
    }, timeout)
    // 'close', not 'exit': exit can come before the last of stdout has been read.
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    if (input !== undefined) child.stdin.end(input)
    else child.stdin.end()
  })
}

/**
 * Resolves once the namespace has been quiet (no rtnetlink event on the
 * default groups) for `quietMs`: links coming up, DAD and bridge ports
 * settle asynchronously after `ip` returns. Rejects after `maxMs`.
 */
export async function waitQuiet(ns, quietMs = 1500, maxMs = 15000) {
  const { subscribe } = await import('rtnl')
  const monitor = await subscribe({ netns: { name: ns } })
  const deadline = Date.now() + maxMs
  try {
    for (;;) {
      if (Date.now() > deadline) throw new Error(`namespace ${ns} did not settle within ${maxMs} ms`)
      let timer
      const quiet = new Promise((resolve) => (timer = setTimeout(() => resolve('quiet'), quietMs)))
      const next = monitor.next()
      const winner = await Promise.race([quiet, next])
      clearTimeout(timer)
      if (winner === 'quiet') return
    }
  } finally {
    await monitor.stop()
  }
}

/** A namespace with lo up and v0 (10.254.0.1/16, up) of a veth pair; v0's index with it. */
export async function vethHost(t, prefix = 'rtnl') {
  const { links } = await import('rtnl')
  const ns = makeNetns(t, prefix)
  ip(ns, 'link', 'set', 'lo', 'up')
  ip(ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1')
  ip(ns, 'link', 'set', 'v0', 'up')
  ip(ns, 'link', 'set', 'v1', 'up')
  ip(ns, 'addr', 'add', '10.254.0.1/16', 'dev', 'v0')
  const v0 = (await links.get({ name: 'v0' }, { netns: { name: ns } })).index
  return { ns, netns: { name: ns }, v0 }
}
