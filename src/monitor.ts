/**
 * The monitor as JS sees it: a thin object over the native reader thread.
 *
 * Threads: the native reader thread decodes and batches; each batch reaches
 * `onBatch` here on the JS thread through a ThreadsafeFunction, lands in a
 * queue of batches, and `next()` hands items out one by one. The consumer
 * acknowledges taken items back to native code, which bounds what is queued.
 */
import { fromNative, monitorStopped } from './errors'
import type { MonitorMessage, MonitorStats } from './events'
import { native, NativeMonitor } from './native'
import { MonitorOptions, validateMonitorOptions } from './options'

/** Acknowledge consumed items to the reader at least this often. */
const ACK_EVERY = 1024

export class Monitor implements AsyncIterable<MonitorMessage>, AsyncIterator<MonitorMessage> {
  #native: NativeMonitor | null = null
  #portId = 0
  #batches: MonitorMessage[][] = []
  #batchIndex = 0
  #itemIndex = 0
  #waiting: ((result: IteratorResult<MonitorMessage>) => void) | null = null
  #unacked = 0
  #consumed = 0
  #stopped = false
  #lastStats: MonitorStats | null = null
  #signal: AbortSignal | undefined
  #onAbort: (() => void) | undefined

  /** @internal Use `subscribe()`. */
  constructor() {}

  /** @internal Called once by subscribe() after the native monitor started. */
  _attach(nativeMonitor: NativeMonitor, signal: AbortSignal | undefined): void {
    this.#native = nativeMonitor
    this.#portId = nativeMonitor.portId
    if (signal) {
      this.#signal = signal
      this.#onAbort = () => void this.stop()
      signal.addEventListener('abort', this.#onAbort, { once: true })
    }
  }

  /** @internal Runs on the JS thread for every batch the reader hands over. */
  _onBatch(json: string): void {
    if (this.#stopped) return
    const items = JSON.parse(json) as MonitorMessage[]
    if (items.length === 0) return
    // The reader sends receivedAt as decimal nanoseconds: kept exact as
    // receivedAtNs, and as Date.now()-style milliseconds (a bigint would make
    // JSON.stringify(msg) throw).
    for (const item of items) {
      if (item.type === 'event') {
        const ns = item.receivedAt as unknown as string
        item.receivedAtNs = ns
        item.receivedAt = Number(ns.slice(0, -6)) + Number(ns.slice(-6)) / 1e6
      }
    }
    const waiter = this.#waiting
    if (waiter) {
      this.#waiting = null
      this.#batches.push(items)
      waiter({ value: this.#take() as MonitorMessage, done: false })
    } else {
      this.#batches.push(items)
    }
  }

  #take(): MonitorMessage | undefined {
    while (this.#batchIndex < this.#batches.length) {
      const batch = this.#batches[this.#batchIndex]
      if (this.#itemIndex < batch.length) {
        const item = batch[this.#itemIndex++]
        this.#consumed++
        if (++this.#unacked >= ACK_EVERY) this.#ack()
        return item
      }
      this.#batchIndex++
      this.#itemIndex = 0
      if (this.#batchIndex > 64) {
        this.#batches.splice(0, this.#batchIndex)
        this.#batchIndex = 0
      }
    }
    this.#ack()
    return undefined
  }

  #ack(): void {
    if (this.#unacked > 0 && this.#native) {
      this.#native.ack(this.#unacked)
      this.#unacked = 0
    }
  }

  /** The next event or resync notice; `done` once the monitor is stopped. */
  next(): Promise<IteratorResult<MonitorMessage>> {
    if (this.#stopped) return Promise.resolve({ value: undefined, done: true })
    const item = this.#take()
    if (item !== undefined) return Promise.resolve({ value: item, done: false })
    if (this.#waiting) return Promise.reject(new Error('Monitor.next() called again before the previous call settled'))
    return new Promise((resolve) => {
      this.#waiting = resolve
    })
  }

  /** Ends the iteration: called by `break` in a for-await loop. Stops the monitor. */
  async return(): Promise<IteratorResult<MonitorMessage>> {
    await this.stop()
    return { value: undefined, done: true }
  }

  [Symbol.asyncIterator](): AsyncIterator<MonitorMessage> {
    return this
  }

  /**
   * The netlink port id of this monitor's socket. Only the kernel (port id 0)
   * is believed: a datagram another socket sends to this port id is dropped
   * and counted in `stats().foreign`.
   */
  get portId(): number {
    return this.#portId
  }

  /** Whether stop() was called (or the signal aborted). */
  get stopped(): boolean {
    return this.#stopped
  }

  /**
   * Closes the socket, ends the reader thread and the iteration, and lets
   * the event loop exit. Idempotent; resolves once the thread has exited.
   */
  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    if (this.#signal && this.#onAbort) this.#signal.removeEventListener('abort', this.#onAbort)
    const nativeMonitor = this.#native
    if (nativeMonitor) {
      this.#lastStats = this.#readStats(nativeMonitor)
      nativeMonitor.stop()
    }
    this.#batches = []
    this.#batchIndex = 0
    this.#itemIndex = 0
    const waiter = this.#waiting
    this.#waiting = null
    if (waiter) waiter({ value: undefined, done: true })
  }

  #readStats(nativeMonitor: NativeMonitor): MonitorStats {
    const raw = nativeMonitor.stats()
    const base = raw ? (JSON.parse(raw) as Omit<MonitorStats, 'consumed'>) : this.#lastStats
    return { ...(base as MonitorStats), consumed: this.#consumed }
  }

  /** Counters of this monitor; after stop(), the values at the time it stopped. */
  stats(): MonitorStats {
    if (this.#stopped || !this.#native) {
      if (this.#lastStats) return this.#lastStats
      throw monitorStopped('stats()')
    }
    return this.#readStats(this.#native)
  }

  /** Let the Node event loop exit even though this monitor is running. */
  unref(): this {
    if (!this.#stopped && this.#native) this.#native.setRef(false)
    return this
  }

  /** Keep the Node event loop alive while this monitor runs (the default). */
  ref(): this {
    if (!this.#stopped && this.#native) this.#native.setRef(true)
    return this
  }
}

/**
 * Opens a monitor: a dedicated thread enters the namespace, opens a
 * NETLINK_ROUTE socket and joins every group. Resolves once all of that
 * succeeded; rejects with the system error otherwise, leaving nothing open.
 */
export async function subscribe(opts?: MonitorOptions): Promise<Monitor> {
  const { native: nativeOpts, signal } = validateMonitorOptions(opts)
  const binding = native()
  if (signal?.aborted) throw abortError(signal)
  const monitor = new Monitor()
  let nativeMonitor: NativeMonitor
  try {
    nativeMonitor = binding.openMonitor(JSON.stringify(nativeOpts), (json: string) => monitor._onBatch(json))
  } catch (err) {
    throw fromNative(err)
  }
  monitor._attach(nativeMonitor, signal)
  return monitor
}

/** Same as `monitor.stop()`. */
export function unsubscribe(monitor: Monitor): Promise<void> {
  return monitor.stop()
}

/** Node's own shape for an aborted operation: name 'AbortError', code 'ABORT_ERR', the reason as cause. */
function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason })
  return Object.assign(err, { name: 'AbortError', code: 'ABORT_ERR' })
}
