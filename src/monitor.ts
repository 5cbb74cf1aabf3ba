/**
 * The monitor as JS sees it: a thin object over the native reader thread.
 *
 * Threads: the native reader thread decodes and batches; each batch reaches
 * `onBatch` here on the JS thread through a ThreadsafeFunction, lands in a
 * queue of batches, and `next()` hands items out one by one. The consumer
 * acknowledges taken items back to native code, which bounds what is queued.
 * With `tee()`, every batch is copied into each branch's own bounded queue
 * and acknowledged at once: each branch then bounds itself.
 */
import { decodeBatch } from './batch'
import { abortError, fromErrorJson, fromNative, invalidType, monitorStopped, RtnlError } from './errors'
import type { MonitorMessage, MonitorStats } from './events'
import { native, NativeMonitor } from './native'
import { describe, MonitorOptions, validateMonitorOptions } from './options'
import { RTNLGRP } from './groups'

/** Acknowledge consumed items to the reader at least this often. */
const ACK_EVERY = 1024

/** The smallest bound of a tee() branch's queue. */
const MIN_BRANCH_QUEUE = 4096

/** Only subscribe() constructs a Monitor. */
const CONSTRUCT = Symbol('rtnl.Monitor')

/** What the reader sends as its last item when the namespace file is gone. */
interface NetnsGone {
  type: 'netns_gone'
  path: string
}

/** A queue of messages with one waiting consumer: the monitor's own, or a branch's. */
class Queue {
  #items: MonitorMessage[] = []
  #head = 0
  #waiting: { resolve: (r: IteratorResult<MonitorMessage>) => void; reject: (e: Error) => void } | null = null
  /** An error to throw once the queued items are taken (netns gone), or at once (abort). */
  #error: Error | null = null
  #ended = false

  get length(): number {
    return this.#items.length - this.#head
  }

  push(item: MonitorMessage): void {
    if (this.#ended) return
    const w = this.#waiting
    if (w) {
      this.#waiting = null
      w.resolve({ value: item, done: false })
    } else this.#items.push(item)
  }

  /** No more items: a waiting consumer gets `error` (or done), later ones after the queue drains. */
  end(error: Error | null, discard: boolean): void {
    if (this.#ended) return
    this.#ended = true
    this.#error = error
    if (discard) this.#clear()
    const w = this.#waiting
    this.#waiting = null
    if (w) this.#settleEnd(w)
  }

  #clear(): void {
    this.#items = []
    this.#head = 0
  }

  #settleEnd(w: { resolve: (r: IteratorResult<MonitorMessage>) => void; reject: (e: Error) => void }): void {
    const err = this.#error
    this.#error = null
    if (err) w.reject(err)
    else w.resolve({ value: undefined, done: true })
  }

  take(): MonitorMessage | undefined {
    if (this.#head >= this.#items.length) return undefined
    const item = this.#items[this.#head++]
    if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    return item
  }

  next(onTaken: () => void): Promise<IteratorResult<MonitorMessage>> {
    const item = this.take()
    if (item !== undefined) {
      onTaken()
      return Promise.resolve({ value: item, done: false })
    }
    if (this.#ended) {
      return new Promise((resolve, reject) => this.#settleEnd({ resolve, reject }))
    }
    if (this.#waiting) {
      return Promise.reject(
        new RtnlError(
          'ERR_RTNL_CONCURRENT_NEXT',
          'next() was called again before the previous call settled: a monitor (or a branch) has one consumer; use monitor.tee() to give each consumer its own',
        ),
      )
    }
    return new Promise((resolve, reject) => {
      this.#waiting = {
        resolve: (r) => {
          if (!r.done) onTaken()
          resolve(r)
        },
        reject,
      }
    })
  }
}

/**
 * One consumer of a monitor made by `monitor.tee()`: every message the
 * monitor receives after the branch was made, in its own queue, bounded by
 * the monitor's `maxQueued` (at least 4,096). A branch that falls that far
 * behind drops messages, and yields one `resync_needed` (reason 'overflow')
 * where they were dropped, like the monitor itself. Ending a branch
 * (`break`, `return()`) detaches it; the monitor and the other branches go
 * on. Stopping the monitor ends every branch.
 *
 * `new MonitorBranch()` throws a TypeError with code `ERR_ILLEGAL_CONSTRUCTOR`
 * (see {@link RtnlError}): use {@link Monitor.tee}.
 *
 * @example
 * ```ts
 * import { subscribe } from 'rtnl'
 *
 * const monitor = await subscribe()
 * const audit = monitor.tee()
 * const ui = monitor.tee()
 * void (async () => {
 *   for await (const msg of audit) console.log('audit', msg.type)
 * })()
 * for await (const msg of ui) {
 *   if (msg.type === 'event') console.log('ui', msg.op)
 * }
 * ```
 * @category Monitor
 */
export class MonitorBranch implements AsyncIterableIterator<MonitorMessage> {
  #queue = new Queue()
  #max: number
  #overflow = false
  #detach: (b: MonitorBranch) => void

  /** Use `monitor.tee()`. */
  private constructor(token: symbol, max: number, detach: (b: MonitorBranch) => void) {
    if (token !== CONSTRUCT) throw illegalConstructor('MonitorBranch', 'monitor.tee()')
    this.#max = max
    this.#detach = detach
  }

  /** @internal */
  static _create(max: number, detach: (b: MonitorBranch) => void): MonitorBranch {
    return new MonitorBranch(CONSTRUCT, max, detach)
  }

  /** @internal */
  _push(items: readonly MonitorMessage[]): void {
    for (const item of items) {
      if (this.#queue.length >= this.#max) {
        // The notice goes in at the point of loss (one past the bound), so
        // that a consumer that catches up reads it even if nothing follows.
        if (!this.#overflow) this.#queue.push({ type: 'resync_needed', reason: 'overflow' })
        this.#overflow = true
        continue
      }
      this.#overflow = false
      this.#queue.push(item)
    }
  }

  /** @internal */
  _end(error: Error | null, discard: boolean): void {
    this.#queue.end(error, discard)
  }

  /**
   * The next message of this branch; `done` once the branch is detached or
   * the monitor stopped. What `for await` calls.
   *
   * @throws {@link RtnlError} `ERR_RTNL_CONCURRENT_NEXT` when called again
   * before the previous call settled; `ERR_RTNL_NETNS_GONE` (after the
   * messages before it) when the namespace is deleted; the `AbortError`
   * (`ABORT_ERR`) when the monitor's signal aborts.
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const branch = (await subscribe()).tee()
   * const { value, done } = await branch.next()
   * if (!done && value.type === 'event') console.log(value.op)
   * ```
   */
  next(): Promise<IteratorResult<MonitorMessage>> {
    return this.#queue.next(() => {})
  }

  /**
   * Detaches this branch and drops what it holds; the monitor and its other
   * branches keep running. What `break` in a `for await` loop calls.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * const branch = monitor.tee()
   * await branch.return() // or: break out of `for await (const msg of branch)`
   * await monitor.stop()
   * ```
   */
  async return(): Promise<IteratorResult<MonitorMessage>> {
    this.#detach(this)
    this.#queue.end(null, true)
    return { value: undefined, done: true }
  }

  /**
   * The branch itself: a branch is its own async iterator, so `for await`
   * takes it.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const branch = (await subscribe()).tee()
   * for await (const msg of branch) console.log(msg.type)
   * ```
   */
  [Symbol.asyncIterator](): this {
    return this
  }
}

/**
 * A subscription to rtnetlink groups in one namespace, made by
 * {@link subscribe}: an async iterator of {@link MonitorMessage}s (events
 * and `resync_needed` notices). A native reader thread receives and decodes;
 * this object hands the messages out in order, bounded by `maxQueued`.
 * Leaving a `for await` loop stops the monitor.
 *
 * `new Monitor()` throws a TypeError with code `ERR_ILLEGAL_CONSTRUCTOR`
 * (see {@link RtnlError}): use {@link subscribe}.
 *
 * @example
 * ```ts
 * import { subscribe, routes } from 'rtnl'
 *
 * const monitor = await subscribe() // links, addresses, routes, neighbours, rules
 * for await (const msg of monitor) {
 *   if (msg.type === 'resync_needed') {
 *     console.log('events were lost: re-list', (await routes.list()).length, 'routes')
 *   } else if (msg.op === 'new_route' || msg.op === 'del_route') {
 *     console.log(msg.op, msg.resource.dst ?? 'default', msg.resource.tableName)
 *   }
 * }
 * ```
 * @category Monitor
 */
export class Monitor implements AsyncIterableIterator<MonitorMessage>, AsyncDisposable {
  #native: NativeMonitor | null = null
  #queue = new Queue()
  #unacked = 0
  #consumed = 0
  #stopped = false
  #lastStats: MonitorStats | null = null
  #signal: AbortSignal | undefined
  #onAbort: (() => void) | undefined
  #maxQueued: number
  /** null until tee() is first called; from then on the monitor feeds branches only. */
  #branches: Set<MonitorBranch> | null = null
  #iterated = false

  /** Use `subscribe()`. */
  private constructor(token?: symbol, maxQueued = 0) {
    if (token !== CONSTRUCT) throw illegalConstructor('Monitor', 'subscribe()')
    this.#maxQueued = maxQueued
  }

  /** @internal */
  static _create(maxQueued: number): Monitor {
    return new Monitor(CONSTRUCT, maxQueued)
  }

  /** @internal Called once by subscribe() after the native monitor started. */
  _attach(nativeMonitor: NativeMonitor, signal: AbortSignal | undefined): void {
    this.#native = nativeMonitor
    if (signal) {
      this.#signal = signal
      this.#onAbort = () => this.#end(abortError(signal), true)
      // Aborted while set-up finished: end at once, as a later abort would.
      if (signal.aborted) this.#onAbort()
      else signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  /** @internal Runs on the JS thread for every batch the reader hands over. */
  _onBatch(json: string): void {
    if (this.#stopped) return
    const items = decodeBatch<MonitorMessage | NetnsGone>(json)
    let gone: NetnsGone | undefined
    const messages: MonitorMessage[] = []
    for (const item of items) {
      if (item.type === 'netns_gone') {
        gone = item
        continue
      }
      if (item.type === 'event') {
        // The reader sends receivedAt as decimal nanoseconds: kept exact as
        // receivedAtNs, and as Date.now()-style milliseconds (a bigint would
        // make JSON.stringify(msg) throw).
        const ns = item.receivedAt as unknown as string
        item.receivedAtNs = ns
        item.receivedAt = Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6
      }
      messages.push(item)
    }
    if (this.#branches) {
      for (const b of this.#branches) b._push(messages)
      this.#native?.ack(items.length)
    } else {
      for (const m of messages) this.#queue.push(m)
    }
    if (gone) {
      const where = gone.path
      this.#end(
        new RtnlError(
          'ERR_RTNL_NETNS_GONE',
          `the network namespace ${where} is gone (deleted, or the file no longer refers to it): the monitor has stopped`,
          { path: where },
        ),
        false,
      )
    }
  }

  #ack(): void {
    if (this.#unacked > 0 && this.#native) {
      this.#native.ack(this.#unacked)
      this.#unacked = 0
    }
  }

  #taken = (): void => {
    this.#consumed++
    if (++this.#unacked >= ACK_EVERY || this.#queue.length === 0) this.#ack()
  }

  /**
   * The next event or resync notice; `done` once the monitor is stopped.
   * Rejects with the AbortError once the signal aborts, and with
   * ERR_RTNL_NETNS_GONE (after the messages before it) when the namespace
   * is deleted. What `for await` calls.
   *
   * @throws {@link RtnlError} `ERR_RTNL_NETNS_GONE` when the monitored
   * namespace was deleted; `ERR_RTNL_CONCURRENT_NEXT` when called again
   * before the previous call settled, or on a monitor that feeds `tee()`
   * branches; the `AbortError` (`ABORT_ERR`) when the signal aborts.
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * const { value, done } = await monitor.next()
   * if (!done) console.log(value.type === 'event' ? value.op : value.reason)
   * await monitor.stop()
   * ```
   */
  next(): Promise<IteratorResult<MonitorMessage>> {
    if (this.#branches) {
      return Promise.reject(
        new RtnlError('ERR_RTNL_CONCURRENT_NEXT', 'this monitor feeds tee() branches: iterate the branches, not the monitor'),
      )
    }
    this.#iterated = true
    return this.#queue.next(this.#taken)
  }

  /**
   * Ends the iteration: called by `break` in a for-await loop. Stops the monitor.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * for await (const msg of monitor) {
   *   if (msg.type === 'event' && msg.op === 'del_link') break // calls return(): the monitor stops
   * }
   * console.log(monitor.stopped) // true
   * ```
   */
  async return(): Promise<IteratorResult<MonitorMessage>> {
    await this.stop()
    return { value: undefined, done: true }
  }

  /**
   * The monitor itself: a monitor is its own async iterator, so `for await`
   * takes it.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * for await (const msg of await subscribe()) console.log(msg.type)
   * ```
   */
  [Symbol.asyncIterator](): this {
    return this
  }

  /**
   * `await using monitor = await subscribe()`: stops the monitor when the scope ends.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * async function firstEvent() {
   *   await using monitor = await subscribe()
   *   const { value } = await monitor.next()
   *   return value
   * } // the monitor is stopped here, however the function ends
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop()
  }

  /**
   * A new consumer of this monitor with its own bounded queue (see
   * MonitorBranch): for fanning one monitor out to many clients, e.g. one
   * branch per server-sent-events connection. Once a monitor has been
   * tee()d it feeds branches only; iterate the branches, not the monitor.
   *
   * @throws {@link RtnlError} `ERR_RTNL_STOPPED` on a stopped monitor;
   * `ERR_RTNL_CONCURRENT_NEXT` when the monitor was already iterated directly.
   * @example
   * ```ts
   * import { subscribe, type MonitorBranch } from 'rtnl'
   *
   * const monitor = await subscribe()
   * const clients = new Set<MonitorBranch>()
   * function connect(send: (line: string) => void) {
   *   const branch = monitor.tee()
   *   clients.add(branch)
   *   void (async () => {
   *     for await (const msg of branch) send(JSON.stringify(msg))
   *     clients.delete(branch)
   *   })()
   *   return () => branch.return() // the client went away: detach its branch
   * }
   * connect(console.log)
   * ```
   */
  tee(): MonitorBranch {
    if (this.#stopped) throw monitorStopped('tee()')
    if (this.#iterated) {
      throw new RtnlError('ERR_RTNL_CONCURRENT_NEXT', 'tee() after the monitor was iterated directly: call tee() for every consumer instead')
    }
    if (!this.#branches) {
      this.#branches = new Set()
      // Whatever arrived before the first branch was made is nobody's.
      let n = 0
      while (this.#queue.take() !== undefined) n++
      if (n) this.#native?.ack(n)
    }
    // At least two of the reader's batches (2,048 messages each): a batch
    // lands in every branch at once, before any consumer can run.
    const branch = MonitorBranch._create(Math.max(this.#maxQueued, MIN_BRANCH_QUEUE), (b) => this.#branches?.delete(b))
    this.#branches.add(branch)
    return branch
  }

  /**
   * The netlink port id of this monitor's socket. Only the kernel (port id 0)
   * is believed: a datagram another socket sends to this port id is dropped
   * and counted in `stats().foreign`.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * console.log(`listening on netlink port ${monitor.portId}`)
   * ```
   */
  get portId(): number {
    return this.#portId
  }
  #portId = 0
  /** @internal */
  _setPortId(id: number): void {
    this.#portId = id
  }

  /**
   * Whether stop() was called, the signal aborted or the namespace went away.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * await monitor.stop()
   * console.log(monitor.stopped) // true
   * ```
   */
  get stopped(): boolean {
    return this.#stopped
  }

  /** Stops, then lets the consumer see `error` (after the queued messages unless `discard`). */
  #end(error: Error | null, discard: boolean): void {
    if (this.#stopped) return
    this.#stopNative()
    this.#queue.end(error, discard)
    for (const b of this.#branches ?? []) b._end(error, discard)
  }

  #stopNative(): void {
    this.#stopped = true
    if (this.#signal && this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort)
    const nativeMonitor = this.#native
    if (nativeMonitor) {
      this.#lastStats = this.#readStats(nativeMonitor)
      nativeMonitor.stop()
    }
  }

  /**
   * Closes the socket, ends the reader thread and the iteration (and every
   * branch), and lets the event loop exit. Idempotent; resolves once the
   * thread has exited.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * setTimeout(() => void monitor.stop(), 10_000) // the loop below ends then
   * for await (const msg of monitor) console.log(msg.type)
   * ```
   */
  async stop(): Promise<void> {
    this.#end(null, true)
  }

  #readStats(nativeMonitor: NativeMonitor): MonitorStats {
    const raw = nativeMonitor.stats()
    const base = raw ? (JSON.parse(raw) as Omit<MonitorStats, 'consumed'>) : this.#lastStats
    return { ...(base as MonitorStats), consumed: this.#consumed }
  }

  /**
   * Counters of this monitor; after stop(), the values at the time it stopped.
   *
   * @throws {@link RtnlError} `ERR_RTNL_STOPPED` on a monitor stopped before it ran.
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = await subscribe()
   * setInterval(() => {
   *   const { delivered, dropped, enobufs, queued } = monitor.stats()
   *   console.log({ delivered, dropped, enobufs, queued })
   * }, 5000).unref()
   * ```
   */
  stats(): MonitorStats {
    if (this.#stopped || !this.#native) {
      if (this.#lastStats) return this.#lastStats
      throw monitorStopped('stats()')
    }
    return this.#readStats(this.#native)
  }

  /**
   * Let the Node event loop exit even though this monitor is running.
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = (await subscribe()).unref() // a background watcher that does not keep the process up
   * void (async () => {
   *   for await (const msg of monitor) console.log(msg.type)
   * })()
   * ```
   */
  unref(): this {
    if (!this.#stopped && this.#native) this.#native.setRef(false)
    return this
  }

  /**
   * Keep the Node event loop alive while this monitor runs (the default).
   *
   * @example
   * ```ts
   * import { subscribe } from 'rtnl'
   *
   * const monitor = (await subscribe()).unref()
   * // ... later, while a request is waiting for an event:
   * monitor.ref()
   * ```
   */
  ref(): this {
    if (!this.#stopped && this.#native) this.#native.setRef(true)
    return this
  }
}

/**
 * Opens a monitor: a dedicated thread enters the namespace, opens a
 * NETLINK_ROUTE socket and joins every group. Resolves once all of that
 * succeeded; rejects with the system error otherwise, leaving nothing open.
 * The JS thread never waits on the namespace file: a path that blocks (a
 * FIFO, a hung mount) cannot freeze the event loop.
 *
 * Events are wake-ups, not deltas: on each event, and on each
 * `resync_needed`, re-list what you track (or let {@link watch} do it).
 *
 * @param opts - The namespace, the groups ({@link DEFAULT_GROUPS} when not
 * given), buffer sizes, a kernel-side `filter`, `allNsid`, `signal`.
 * @throws {@link RtnlError} `ENOENT` (no such namespace), `EINVAL` (a file
 * that is not a network namespace, or a group the kernel does not have),
 * `EPERM` (no permission to enter the namespace).
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or
 * RangeError `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError`
 * (`ABORT_ERR`) when `signal` aborts during set-up.
 * @example
 * ```ts
 * import { subscribe, RTNLGRP } from 'rtnl'
 *
 * const monitor = await subscribe({
 *   netns: { name: 'blue' }, // an `ip netns` name; default: this process's namespace
 *   groups: [RTNLGRP.LINK, RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
 *   signal: AbortSignal.timeout(60_000),
 * })
 * try {
 *   for await (const msg of monitor) {
 *     if (msg.type === 'event' && msg.op === 'new_link') console.log(msg.resource.name, msg.resource.operstate)
 *   }
 * } catch (err) {
 *   if ((err as Error).name !== 'AbortError') throw err
 * }
 * ```
 * @category Monitor
 */
export async function subscribe(opts?: MonitorOptions): Promise<Monitor> {
  const { native: nativeOpts, signal } = validateMonitorOptions(opts)
  const binding = native()
  if (signal?.aborted) throw abortError(signal)
  const monitor = Monitor._create(nativeOpts.maxQueued)
  let nativeMonitor: NativeMonitor
  try {
    nativeMonitor = binding.openMonitor(JSON.stringify(nativeOpts), (json: string) => monitor._onBatch(json), (reply: string) => settle(reply))
  } catch (err) {
    throw fromNative(err)
  }
  // The reply may come before this line only in theory (it is queued for this thread): keep it.
  let settle!: (reply: string) => void
  const ready = new Promise<string>((resolve) => (settle = resolve))
  let onAbort: (() => void) | undefined
  const aborted = signal ? new Promise<'aborted'>((resolve) => signal.addEventListener('abort', (onAbort = () => resolve('aborted')), { once: true })) : null
  const outcome = await (aborted ? Promise.race([ready, aborted]) : ready)
  if (onAbort) signal!.removeEventListener('abort', onAbort)
  if (outcome === 'aborted' || outcome[0] === 'E') {
    nativeMonitor!.stop()
    throw outcome === 'aborted' ? abortError(signal!) : fromErrorJson(outcome.slice(1))
  }
  monitor._setPortId(JSON.parse(outcome.slice(1)) as number)
  monitor._attach(nativeMonitor!, signal)
  const refused = monitor.stats().groupsRefused
  if (refused.length > 0) warnGroupsMissing(refused)
  return monitor
}

const warnedGroups = new Set<string>()

/**
 * The notice of groups left out under missingGroups 'skip': one process
 * warning per distinct set (a service that opens many monitors on one
 * kernel hears it once); `stats().groupsRefused` has it for each monitor.
 */
function warnGroupsMissing(groups: number[]): void {
  const key = groups.join(',')
  if (warnedGroups.has(key)) return
  warnedGroups.add(key)
  const names = groups.map((g) => `${GROUP_NAMES.get(g) ?? 'group'} (${g})`).join(', ')
  process.emitWarning(`this kernel has no ${names}: not joined; the events of ${groups.length === 1 ? 'that group' : 'those groups'} will not arrive`, {
    type: 'RtnlWarning',
    code: 'RTNL_GROUPS_MISSING',
  })
}

const GROUP_NAMES = new Map(Object.entries(RTNLGRP).map(([name, n]) => [n as number, name]))

/**
 * Same as `monitor.stop()`.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `monitor` is not a Monitor.
 * @example
 * ```ts
 * import { subscribe, unsubscribe } from 'rtnl'
 *
 * const monitor = await subscribe()
 * await unsubscribe(monitor)
 * ```
 * @category Monitor
 */
export async function unsubscribe(monitor: Monitor): Promise<void> {
  if (!(monitor instanceof Monitor)) throw invalidType(`unsubscribe takes a Monitor, got ${describe(monitor)}`)
  return monitor.stop()
}

function illegalConstructor(what: string, use: string): TypeError {
  return Object.assign(new TypeError(`${what} is not constructible: use ${use}`), { code: 'ERR_ILLEGAL_CONSTRUCTOR' })
}
