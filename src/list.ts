/**
 * The requests behind every kind's `list()` and `get()`, and the namespace
 * id lookups: the binding runs each on a namespace thread and answers
 * through one reply callback (`D`/`R`/`F`/`E`, crates/rtnl-node/src/lib.rs),
 * encoded by the same encoder as events, so a listed object and an event's
 * resource for the same kernel object are deep-equal. Kind modules import
 * this one, never the reverse.
 */
import { readdirSync } from 'node:fs'
import { decodeBatch } from './batch'
import { abortError, fromErrorJson, fromNative, invalidType } from './errors'
import { native } from './native'
import { describe, ListFilterKey, ListOptions, validateListOptions, validateNetns } from './options'
import type { Netns } from './options'

import type { KindName } from './kinds'

export type { UnknownAttribute } from './unknown'

/** The validated `signal` of an options object (list, get), if any. */
export function signalOf(opts: unknown, what: string): AbortSignal | undefined {
  const s = (opts as { signal?: unknown } | undefined)?.signal
  if (s === undefined) return undefined
  if (!(s instanceof AbortSignal)) throw invalidType(`${what}: signal must be an AbortSignal, got ${describe(s)}`)
  return s
}

/**
 * Settles with `work`, or rejects with the AbortError as soon as `signal`
 * aborts (`cancel` then tells the native side to stop).
 */
function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined, cancel?: () => void): Promise<T> {
  if (!signal) return work
  if (signal.aborted) {
    cancel?.()
    work.catch(() => {})
    return Promise.reject(abortError(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      cancel?.()
      work.catch(() => {})
      reject(abortError(signal))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    )
  })
}

/**
 * A native request answered once through a reply callback (`F<json>` or
 * `E<error json>`, see crates/rtnl-node/src/lib.rs), as a promise.
 */
export function callJson<T>(call: (onReply: (reply: string) => void) => void, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) return Promise.reject(abortError(signal))
  const work = new Promise<T>((resolve, reject) => {
    try {
      call((reply) => (reply[0] === 'F' ? resolve(JSON.parse(reply.slice(1)) as T) : reject(fromErrorJson(reply.slice(1)))))
    } catch (err) {
      reject(fromNative(err))
    }
  })
  return abortable(work, signal)
}

/** How long decoding a dump may hold the event loop at a time. */
const DECODE_SLICE_MS = 4

/**
 * A dump, streamed: the request thread hands over chunks of 500 objects as
 * it reads them and this thread decodes them while the next are read, so
 * decoding overlaps the dump instead of following it. Chunks are decoded in
 * slices of DECODE_SLICE_MS between turns of the event loop, not all in the
 * callback that brings them: a million routes arrive faster than they
 * decode, and the loop must not stall for the whole table.
 */
export async function listKind<T>(kind: KindName, opts: ListOptions | undefined, filters: readonly ListFilterKey[]): Promise<T[]> {
  const nativeOpts = validateListOptions(opts, `${kind}.list`, filters)
  const signal = signalOf(opts, `${kind}.list`)
  const binding = native()
  if (signal?.aborted) throw abortError(signal)
  let handle: { cancel(): void } | undefined
  const work = new Promise<T[]>((resolve, reject) => {
    let out: T[] = []
    // Chunks received and not yet decoded (their text, compact), oldest first.
    let queued: string[] = []
    let next = 0
    let draining = false
    let finished = false
    let failed = false
    const drain = () => {
      if (failed) return
      const until = performance.now() + DECODE_SLICE_MS
      while (next < queued.length && performance.now() < until) {
        for (const item of decodeBatch<T>(queued[next])) out.push(item)
        queued[next++] = ''
      }
      if (next < queued.length) {
        setImmediate(drain)
        return
      }
      queued = []
      next = 0
      draining = false
      if (finished) resolve(out)
    }
    const onChunk = (chunk: string) => {
      switch (chunk[0]) {
        case 'D':
          queued.push(chunk.slice(1))
          if (!draining) {
            draining = true
            setImmediate(drain)
          }
          break
        case 'R':
          out = []
          queued = []
          next = 0
          break
        case 'F':
          finished = true
          if (!draining) resolve(out)
          break
        default:
          failed = true
          reject(fromErrorJson(chunk.slice(1)))
      }
    }
    try {
      handle = binding.listStream(kind, JSON.stringify(nativeOpts), onChunk)
    } catch (err) {
      reject(fromNative(err))
    }
  })
  return abortable(work, signal, () => handle?.cancel())
}

/** Chunks a streamed dump may hold before the namespace thread waits for the consumer. */
const STREAM_WINDOW = 2

/**
 * A dump as a stream of batches (up to 500 objects each), for tables too big
 * to hold: at most STREAM_WINDOW batches wait for the consumer, so memory
 * stays bounded whatever the table's size, and leaving the loop early (or
 * the signal aborting) stops the dump. An interrupted dump cannot start over
 * once batches were handed out: it throws EDUMPINTR (iterate again).
 */
export async function* iterateKind<T>(kind: KindName, opts: ListOptions | undefined, filters: readonly ListFilterKey[]): AsyncGenerator<T[], void, undefined> {
  const nativeOpts = validateListOptions(opts, `${kind}.iterate`, filters)
  const signal = signalOf(opts, `${kind}.iterate`)
  const binding = native()
  if (signal?.aborted) throw abortError(signal)
  const batches: T[][] = []
  let finished = false
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const onReply = (reply: string) => {
    if (reply[0] === 'D') batches.push(decodeBatch<T>(reply.slice(1)))
    else if (reply[0] === 'R') return // the start of the (only) attempt: nothing handed out yet
    else if (reply[0] === 'F') finished = true
    else failure = fromErrorJson(reply.slice(1))
    wake?.()
  }
  const onAbort = () => {
    failure = abortError(signal as AbortSignal)
    handle?.cancel()
    wake?.()
  }
  let handle: { cancel(): void; ack(): void } | undefined
  try {
    handle = binding.listStream(kind, JSON.stringify({ ...nativeOpts, window: STREAM_WINDOW }), onReply)
  } catch (err) {
    throw fromNative(err)
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      if (failure) throw failure
      const batch = batches.shift()
      if (batch) {
        handle.ack()
        yield batch
        continue
      }
      if (finished) return
      await new Promise<void>((resolve) => (wake = resolve))
      wake = undefined
    }
  } finally {
    signal?.removeEventListener('abort', onAbort)
    if (!finished) handle.cancel()
  }
}

/**
 * The id the namespace `opts.netns` (default: this process's) gives the
 * namespace `target`, as `ip netns list-id` shows it; null when it has none.
 * Events of a monitor with `allNsid` carry these ids.
 *
 * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `target` or `opts.netns` cannot be opened or entered.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for a bad `target` or option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
 *
 * @category Namespaces
 * @example
 * ```ts
 * import { nsidOf, subscribe } from 'rtnl'
 *
 * const blue = await nsidOf({ name: 'blue' }) // the id this namespace gives 'blue', or null
 * for await (const msg of await subscribe({ allNsid: true })) {
 *   if (msg.type === 'event' && msg.nsid === blue) console.log('in blue:', msg.op)
 * }
 * ```
 */
export async function nsidOf(target: Netns, opts?: ListOptions): Promise<number | null> {
  const t = validateNetns(target, 'target')
  const viewer = validateListOptions(opts, 'nsidOf', []).netns
  const path = t === 'host' ? '/proc/self/ns/net' : 'name' in t ? `/run/netns/${t.name}` : 'path' in t ? t.path : `/proc/${t.pid}/ns/net`
  const binding = native()
  return callJson<number | null>((reply) => binding.nsidOf(JSON.stringify({ netns: viewer, target: path }), reply), signalOf(opts, 'nsidOf'))
}

/**
 * The `ip netns` name (an entry of /run/netns) of the namespace that
 * `opts.netns` numbers `nsid`, or null when no named namespace has that id.
 *
 * @throws TypeError `ERR_INVALID_ARG_TYPE` when `nsid` is not a non-negative integer; a namespace under /run/netns that cannot be opened is skipped, not thrown.
 *
 * @category Namespaces
 * @example
 * ```ts
 * import { netnsNameOf, subscribe } from 'rtnl'
 *
 * for await (const msg of await subscribe({ allNsid: true })) {
 *   if (msg.type === 'event' && typeof msg.nsid === 'number') console.log(await netnsNameOf(msg.nsid), msg.op)
 * }
 * ```
 */
export async function netnsNameOf(nsid: number, opts?: ListOptions): Promise<string | null> {
  if (!Number.isInteger(nsid) || nsid < 0) throw invalidType(`nsid must be a non-negative integer, got ${describe(nsid)}`)
  let names: string[]
  try {
    names = readdirSync('/run/netns')
  } catch {
    return null
  }
  for (const name of names) {
    try {
      if ((await nsidOf({ name }, opts)) === nsid) return name
    } catch {
      // an entry that is not a namespace (or vanished): not this one
    }
  }
  return null
}

/**
 * One object of a kind the kernel answers single requests for (the kinds
 * whose Rust module declares a `get`: nexthops, netconf, linkStats, tc
 * objects and actions): `query` identifies it; null when there is none.
 */
export function getObject<T>(
  kind: KindName,
  query: { id?: number; ifindex?: number; family?: number; handle?: number; parent?: number; info?: number; kind?: string; chain?: number; index?: number },
  opts: ListOptions | undefined,
): Promise<T | null> {
  const { netns } = validateListOptions(opts, `${kind}.get`, kind === 'netconf' ? ['family'] : [])
  const family = (opts as { family?: unknown } | undefined)?.family
  const full = { netns, ...query, ...(family !== undefined ? { family: validateListOptions({ family }, `${kind}.get`, ['family']).family } : {}) }
  const binding = native()
  return callJson<T | null>((reply) => binding.getObject(kind, JSON.stringify(full), reply), signalOf(opts, `${kind}.get`))
}

/**
 * One multicast group of a bridge (mdb.get): its entry on every port,
 * empty when the bridge has no such group.
 */
export function getMdbGroup<T>(query: { ifindex: number; grp: string; vid?: number; source?: string }, opts: ListOptions | undefined): Promise<T[]> {
  const { netns } = validateListOptions(opts, 'mdb.get', [])
  const binding = native()
  return callJson<T[]>((reply) => binding.getMdb(JSON.stringify({ netns, ...query }), reply), signalOf(opts, 'mdb.get'))
}
