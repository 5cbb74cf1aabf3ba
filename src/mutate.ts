/**
 * Changes: add, replace, append, set and delete, for every kind that can be
 * changed, from the same structs `list()` returns (partial where the kernel
 * allows). Every change goes through `batch()`: the binding encodes each on
 * a namespace thread (crates/rtnl-core/src/mutate.rs and each kind's
 * `encode`) and sends them all pipelined on one socket.
 *
 * Netlink has no transactions: a batch is a sequence. The kernel applies the
 * changes in order, each on its own; one that fails does not stop the ones
 * after it, and nothing is undone. Each change gets its own result, in
 * order. A change whose object is invalid (an unknown field, a prefix
 * length out of range, an address of the wrong family) is refused before
 * anything is sent, and only that change fails.
 */
import { abortError, fromErrorJson, invalidType, invalidValue, outOfRange, RtnlError } from './errors'
import { native } from './native'
import { nameBytes } from './name'
import { listKind } from './list'
import { describe, validateNetns } from './options'
import type { Netns } from './options'

/**
 * What a change does.
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, type Verb } from 'rtnl'
 *
 * const verb: Verb = process.argv.includes('--force') ? 'replace' : 'add'
 * await batch([{ kind: 'routes', verb, object: { dst: '10.1.0.0', dstLen: 16, gateway: '10.0.0.2' } }])
 * ```
 */
export type Verb = 'add' | 'replace' | 'append' | 'set' | 'del'

/**
 * The kinds that can be changed, and the verbs each takes.
 *
 * @category Changes
 * @example
 * ```ts
 * import { VERBS } from 'rtnl'
 *
 * console.log(VERBS.routes) // ['add', 'replace', 'append', 'del']
 * const canAppend = (Object.keys(VERBS) as (keyof typeof VERBS)[]).filter((k) => (VERBS[k] as readonly string[]).includes('append'))
 * ```
 */
export const VERBS = Object.freeze({
  /** `links.add`, `set`, `del`. */
  links: ['add', 'set', 'del'],
  /** `addresses.add`, `replace`, `del`. */
  addresses: ['add', 'replace', 'del'],
  /** `routes.add`, `replace`, `append`, `del`. */
  routes: ['add', 'replace', 'append', 'del'],
  /** `rules.add`, `del`. */
  rules: ['add', 'del'],
  /** `neighbours.add`, `replace`, `append` (fdb entries), `del`. */
  neighbours: ['add', 'replace', 'append', 'del'],
  /** `nexthops.add`, `replace`, `del`. */
  nexthops: ['add', 'replace', 'del'],
  /** `qdiscs.add`, `replace`, `del`. */
  qdiscs: ['add', 'replace', 'del'],
  /** `tcClasses.add`, `replace`, `del`. */
  tcClasses: ['add', 'replace', 'del'],
  /** `tcFilters.add`, `replace`, `del`. */
  tcFilters: ['add', 'replace', 'del'],
  /** `tcChains.add`, `del`. */
  tcChains: ['add', 'del'],
} as const satisfies Record<string, readonly Verb[]>)

/**
 * A kind that can be changed.
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, type BatchOpOf, type Input, type MutableKind, type MutableTypes } from 'rtnl'
 *
 * async function removeAll<K extends MutableKind>(kind: K, objects: Input<MutableTypes[K]>[]) {
 *   // One kind at a time: each op is that kind's, which a batch of any kinds takes.
 *   const ops = objects.map((object): BatchOpOf<K> => ({ kind, verb: 'del', object }))
 *   return batch(ops as Parameters<typeof batch>[0])
 * }
 * ```
 */
export type MutableKind = keyof typeof VERBS

/**
 * The struct the changes of each kind take, as `list()` returns it (partial, as {@link Input}).
 * Each kind's module adds its own entry, so a kind in {@link VERBS} without one does not compile.
 *
 * @category Changes
 * @example
 * ```ts
 * import type { Input, MutableTypes } from 'rtnl'
 *
 * const route: Input<MutableTypes['routes']> = { dst: '10.9.0.0', dstLen: 16, gateway: '10.70.0.2' }
 * console.log(route)
 * ```
 */
export interface MutableTypes {}

/**
 * One change of kind `K`: the verb is one that kind takes, the object that kind's struct.
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, type BatchOpOf } from 'rtnl'
 *
 * const op: BatchOpOf<'routes'> = { kind: 'routes', verb: 'append', object: { dst: '10.9.0.0', dstLen: 16, gateway: '10.70.0.3' } }
 * console.log(await batch([op]))
 * ```
 */
export interface BatchOpOf<K extends MutableKind> {
  /** The kind of object. */
  kind: K
  /** What to do with it: one of `VERBS[kind]`. */
  verb: (typeof VERBS)[K][number]
  /** The object, as `list()` gives it (partial: what identifies it and what to set). */
  object: Input<MutableTypes[K]>
}

/**
 * One change of a batch: a union over the kinds, told apart by `kind`, so that a verb the kind
 * does not take or a key its struct does not have is a compile error.
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, type BatchOp } from 'rtnl'
 *
 * const ops: BatchOp[] = [
 *   { kind: 'addresses', verb: 'add', object: { index: 2, local: '10.70.0.1', prefixlen: 24 } },
 *   { kind: 'routes', verb: 'add', object: { dst: '10.9.0.0', dstLen: 16, gateway: '10.70.0.2' } },
 * ]
 * console.log(await batch(ops))
 * ```
 */
export type BatchOp = { [K in MutableKind]: BatchOpOf<K> }[MutableKind]

/** A change as the code below handles it, before or after checking: any kind, any verb. */
export interface AnyBatchOp {
  kind: MutableKind
  verb: Verb
  object: object
}

/**
 * What a change takes for a listed struct `T`: any part of it, at every level (a nested option
 * such as htb's `init` need not be whole: what it leaves out takes the kernel's default or
 * stays as it is). Read-only fields are accepted and ignored; a key `T` does not have is refused.
 *
 * @category Changes
 * @example
 * ```ts
 * import { qdiscs, type Input, type Qdisc } from 'rtnl'
 *
 * const htb: Input<Qdisc> = { ifindex: 2, parent: 0xffffffff, handle: 0x10000, kind: 'htb', options: { init: { defcls: 0x10 } } }
 * await qdiscs.add(htb, { netns: { name: 'blue' } })
 * ```
 */
export type Input<T> = T extends readonly (infer U)[] ? Input<U>[] : T extends object ? { [K in keyof T]?: K extends NamedField ? Input<T[K]> | string : Input<T[K]> } : T

/**
 * The fields a change takes by name as `ip` does, beside their number: a table, protocol,
 * type, scope or rule action by its name (`table: 'main'`, `type: 'blackhole'`: the names of
 * the rt_tables, rt_protos and rt_scopes files the decoder reads, and ip's route types), and a
 * link (`index`, `oif`, `iif`, `master`, `link`, `ifindex`) by its name, looked up in the
 * change's namespace when it is made (a link an earlier change of the same batch makes or
 * renames included).
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * await routes.add({ dst: '10.1.0.0', dstLen: 16, type: 'unreachable', table: 'main', protocol: 'static' }, { netns: { name: 'blue' } })
 * await routes.add({ dst: '10.2.0.0', dstLen: 16, oif: 'v0', scope: 'link' }, { netns: { name: 'blue' } })
 * ```
 */
export type NamedField = 'table' | 'protocol' | 'type' | 'scope' | 'action' | LinkReference

/**
 * The fields that name a link by its ifindex, or by its name.
 *
 * @category Changes
 * @example
 * ```ts
 * import { addresses, type LinkReference } from 'rtnl'
 *
 * const field: LinkReference = 'index'
 * await addresses.add({ [field]: 'v0', local: '10.0.0.1', prefixlen: 24 }, { netns: { name: 'blue' } })
 * ```
 */
export type LinkReference = 'index' | 'oif' | 'iif' | 'master' | 'link' | 'ifindex'

/**
 * What every change (`<kind>.add()`, ..., {@link batch}) takes: the namespace and an abort signal.
 *
 * @category Changes
 * @example
 * ```ts
 * import { routes } from 'rtnl'
 *
 * await routes.add({ dst: '10.1.0.0', dstLen: 16, gateway: '10.0.0.2' }, { netns: { name: 'blue' }, signal: AbortSignal.timeout(2000) })
 * ```
 */
export interface BatchOptions {
  /** The namespace to change. Default 'host'. */
  netns?: Netns
  /** Aborting rejects the call; changes already sent stay made (netlink has no transactions). */
  signal?: AbortSignal
}

/**
 * The result of one change of a batch: `{ ok: true }`, or `{ ok: false, error }`
 * with the error the change alone would have rejected with (an
 * {@link RtnlError} from the kernel, or a TypeError / RangeError for a
 * field the encoder refused before anything was sent).
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, type BatchResult } from 'rtnl'
 *
 * const results: BatchResult[] = await batch([{ kind: 'links', verb: 'del', object: { name: 'nope0' } }])
 * for (const r of results) if (!r.ok) console.log(r.error.code, r.error.errno, r.error.extAck) // ENODEV 19 ...
 * ```
 */
export type BatchResult =
  | {
      /** The change was made. */
      ok: true
    }
  | {
      /** The change failed. */
      ok: false
      /** Why: `code` as {@link RtnlError} lists them, the kernel's `errno` and `extAck` when it sent them. */
      error: Error & {
        /** The error code ('EEXIST', 'ENODEV', 'ERR_INVALID_ARG_VALUE', ...). */
        code?: string
        /** The positive errno, when the kernel refused the change. */
        errno?: number
        /** The kernel's extended-ack text, when it sent one. */
        extAck?: string
      }
    }

/**
 * The most changes one batch() takes (a million routes fit; split larger sets).
 *
 * @category Changes
 * @example
 * ```ts
 * import { batch, MAX_BATCH, type BatchOp } from 'rtnl'
 *
 * async function applyAll(ops: BatchOp[]) {
 *   const results = []
 *   for (let i = 0; i < ops.length; i += MAX_BATCH) results.push(...(await batch(ops.slice(i, i + MAX_BATCH))))
 *   return results
 * }
 * ```
 */
export const MAX_BATCH = 1_000_000

/** `ops` as batch() checks them before sending (also `rtnl apply --dry-run`, which then sends them in mode 'validate'). */
export function validateOps(ops: unknown): AnyBatchOp[] {
  if (!Array.isArray(ops)) throw invalidType(`batch: ops must be an array of { kind, verb, object }, got ${describe(ops)}`)
  if (ops.length > MAX_BATCH) throw invalidValue(`batch: at most ${MAX_BATCH} changes at once, got ${ops.length}`)
  ops.forEach((op, i) => {
    if (typeof op !== 'object' || op === null || Array.isArray(op)) throw invalidType(`batch: ops[${i}] must be an object { kind, verb, object }, got ${describe(op)}`)
    const { kind, verb, object } = op as Record<string, unknown>
    for (const key of Object.keys(op)) {
      if (key !== 'kind' && key !== 'verb' && key !== 'object') {
        throw invalidValue(`batch: ops[${i}] has an unknown key '${key}'; an op is { kind, verb, object } (netns, signal and the like are options of the whole batch)`)
      }
    }
    if (typeof kind !== 'string' || !Object.hasOwn(VERBS, kind)) {
      throw invalidValue(`batch: ops[${i}].kind must be one of ${Object.keys(VERBS).join(', ')}, got ${describe(kind)}`)
    }
    const verbs = VERBS[kind as MutableKind] as readonly string[]
    if (typeof verb !== 'string' || !verbs.includes(verb)) {
      throw invalidValue(`batch: ops[${i}].verb must be one of ${verbs.join(', ')} for ${kind}, got ${describe(verb)}`)
    }
    if (typeof object !== 'object' || object === null || Array.isArray(object)) {
      throw invalidType(`batch: ops[${i}].object must be a ${kind} object as list() returns it, got ${describe(object)}`)
    }
  })
  return (ops as AnyBatchOp[]).map((op) => (op.kind === 'links' ? { ...op, object: linkNameOnWire(op.object as Record<string, unknown>) } : op))
}

/** A byte of a name that is not UTF-8, as src/name.ts hands it out: a lone surrogate U+DC80..U+DCFF. */
const ESCAPED_BYTE = /[\u{DC80}-\u{DCFF}]/u

/**
 * A link whose name is not UTF-8 goes to the binding with the name's bytes
 * in hex (`nameHex`): JSON cannot carry the lone surrogates that stand for
 * them, and the link must still be found to be set or deleted.
 */
export function linkNameOnWire(object: Record<string, unknown>): Record<string, unknown> {
  const name = object.name
  if (typeof name !== 'string' || !ESCAPED_BYTE.test(name)) return object
  const { name: _name, ...rest } = object
  return { ...rest, nameHex: nameBytes(name, 'links: name').toString('hex') }
}

/**
 * Applies `ops` in order in one namespace, pipelined on one socket, and
 * resolves with one result per change (never rejects for a change that
 * failed: look at each result). Rejects only when the batch itself cannot
 * run (bad arguments, the namespace cannot be entered).
 *
 * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered; `EPROTO` for
 * an answer that could not be read. Each change's own failure is in its result, not thrown.
 * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE` for `ops` that are not an array of
 * `{ kind, verb, object }` (an unknown kind, a verb the kind does not take) or more than MAX_BATCH of
 * them, or bad options; the `AbortError` (`ABORT_ERR`) when `signal` aborts (changes already sent stay
 * made).
 * @category Changes
 * @example
 * ```ts
 * import { batch } from 'rtnl'
 *
 * const results = await batch(
 *   [
 *     { kind: 'nexthops', verb: 'add', object: { id: 1, gateway: '10.70.0.2', oif: 2 } },
 *     { kind: 'nexthops', verb: 'add', object: { id: 2, gateway: '10.70.0.4', oif: 2 } },
 *     { kind: 'nexthops', verb: 'add', object: { id: 3, group: [{ id: 1, weight: 1 }, { id: 2, weight: 3 }] } },
 *     { kind: 'routes', verb: 'add', object: { dst: '10.9.0.0', dstLen: 16, nhid: 3 } },
 *   ],
 *   { netns: { name: 'blue' } },
 * )
 * results.forEach((r, i) => { if (!r.ok) console.error(`change ${i}: ${r.error.message}`) })
 * ```
 */
export function batch(ops: readonly BatchOp[], opts: BatchOptions = {}): Promise<BatchResult[]> {
  let checked: AnyBatchOp[]
  let netns: Netns
  try {
    checked = validateOps(ops)
    if (typeof opts !== 'object' || opts === null) throw invalidType(`batch: options must be an object, got ${describe(opts)}`)
    netns = validateNetns(opts.netns)
  } catch (err) {
    return Promise.reject(err)
  }
  return send(checked, netns, opts.signal, 'pipelined')
}

/**
 * The first value in a change's object that JSON would not carry as
 * written (NaN and ±Infinity become null, i.e. absent; a function or a
 * symbol vanishes; a BigInt throws without a code; a Date or a Map turns
 * into something else): the error that refuses the change, naming the
 * field, the value and what was expected. Undefined fields are absent, as
 * in JSON. Runs on the JS thread as the op is handed over.
 */
export function badValue(what: string, object: object): TypeError | RangeError | undefined {
  const found = firstBad(object)
  if (found === undefined) return undefined
  const [path, v] = found
  const field = path.join('.').replace(/\.\[/g, '[')
  switch (typeof v) {
    case 'number':
      return outOfRange(`${what}: ${field} must be a finite number, got ${v}`)
    case 'bigint':
      return invalidType(`${what}: ${field} must be a number, got the bigint ${v}n`)
    case 'undefined':
      return invalidType(`${what}: ${field} is undefined: an array holds values (JSON would make it null)`)
    case 'object':
      return invalidType(`${what}: ${field} must be a plain object or an array, got ${(v as object).constructor?.name ?? 'an object'} ${describe(v)}`)
    default:
      return invalidType(`${what}: ${field} must be a number, string, boolean, array or object, got a ${typeof v}`)
  }
}

function firstBad(v: unknown): [string[], unknown] | undefined {
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return undefined
    case 'number':
      return Number.isFinite(v) ? undefined : [[], v]
    case 'object': {
      if (v === null) return undefined
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) {
          const found = v[i] === undefined ? ([[], undefined] as [string[], unknown]) : firstBad(v[i])
          if (found !== undefined) {
            found[0].unshift(`[${i}]`)
            return found
          }
        }
        return undefined
      }
      const proto = Object.getPrototypeOf(v)
      if (proto !== Object.prototype && proto !== null) return [[], v]
      for (const k of Object.keys(v)) {
        const found = firstBad((v as Record<string, unknown>)[k])
        if (found !== undefined) {
          found[0].unshift(k)
          return found
        }
      }
      return undefined
    }
    default:
      return [[], v]
  }
}


/**
 * Sends checked ops. 'pipelined' (batch): encoding overlaps sending and an
 * op that does not encode fails alone. 'all-or-nothing' (reconcile): every
 * op is encoded before the first is sent, and when one does not encode
 * none is sent and the call rejects with its error ("nothing was sent:
 * change N ..."). 'validate' (a dry run): the same checks, nothing sent.
 *
 * An abort of `signal` stops the sending at once (the native side waits up
 * to a second for the answers of what it sent) and rejects with an
 * AbortError whose `results` say what happened to each op: made, refused,
 * or `ERR_RTNL_NOT_SENT`. Nothing is sent after the rejection.
 */
type Mode = 'pipelined' | 'all-or-nothing' | 'validate'

/**
 * What a change reads of a listed link (a `Link` has these): its name and index for link
 * names, its flags for the state flags a `set` may carry. Written here, not imported, so
 * that link.ts, whose calls are changes, and this module do not need each other.
 */
interface ListedLink {
  index: number
  name: string
  flags: number
  flagNames: string[]
}

/** The fields of each kind that name a link (rules name theirs by name: FRA_IIFNAME). */
const LINK_REFS: Partial<Record<MutableKind, readonly string[]>> = {
  links: ['index', 'master', 'link'],
  addresses: ['index'],
  routes: ['oif', 'iif'],
  neighbours: ['ifindex', 'master'],
  nexthops: ['oif'],
  qdiscs: ['ifindex'],
  tcClasses: ['ifindex'],
  tcFilters: ['ifindex'],
  tcChains: ['ifindex'],
}

const NO_NAMES: readonly [string, string][] = []

/**
 * The link names an op refers to in its link fields (a route's hops too), with where. Asked
 * of every op of a batch on the JS thread: most name none, and allocate nothing.
 */
function linkNamesIn(op: AnyBatchOp): readonly [string, string][] {
  const fields = LINK_REFS[op.kind]
  if (!fields) return NO_NAMES
  const o = op.object as Record<string, unknown>
  let out: [string, string][] | undefined
  for (const f of fields) if (typeof o[f] === 'string') (out ??= []).push([f, o[f] as string])
  if (op.kind === 'routes' && Array.isArray(o.multipath)) {
    o.multipath.forEach((h, i) => {
      if (h && typeof h === 'object' && typeof (h as Record<string, unknown>).oif === 'string') (out ??= []).push([`multipath[${i}].oif`, (h as Record<string, string>).oif])
    })
  }
  return out ?? NO_NAMES
}

/** The link names a links op may make, take or free (added, renamed, deleted): what a later reference must look up after it. */
function linkNamesTouched(op: AnyBatchOp): string[] {
  if (op.kind !== 'links') return []
  const o = op.object as Record<string, unknown>
  return [o.name, (o.linkinfo as { data?: { peer?: { name?: unknown } } } | undefined)?.data?.peer?.name].filter((n): n is string => typeof n === 'string')
}

/** `op` with its link names as ifindexes from `byName`; or the error naming what is unknown. */
function withIndexes(op: AnyBatchOp, byName: ReadonlyMap<string, number>): AnyBatchOp | Error {
  const refs = linkNamesIn(op)
  if (refs.length === 0) return op
  const o = { ...(op.object as Record<string, unknown>) }
  for (const [field, name] of refs) {
    const index = byName.get(name)
    if (index === undefined) {
      return invalidValue(`${op.kind}.${op.verb}: ${field} '${name}' names no link in the namespace (a name is looked up when the change is made, after the changes before it in the batch)`)
    }
    if (field.startsWith('multipath[')) {
      const at = Number(field.slice(10, field.indexOf(']')))
      const hops = (o.multipath = [...(o.multipath as object[])]) as Record<string, unknown>[]
      hops[at] = { ...hops[at], oif: index }
    } else o[field] = index
  }
  return { ...op, object: o }
}

/**
 * Sends `checked` with link names resolved in the namespace. A name is
 * looked up when its change is made: where a change refers to a link an
 * earlier change of the batch adds, renames or deletes, the batch goes in
 * parts, and the links are listed again before each part (its changes then
 * wait for those before it). Modes other than pipelined first encode the
 * whole batch, the later parts' names as placeholders, so that nothing is
 * sent unless every change is valid.
 */
export async function send(checked: readonly AnyBatchOp[], netns: Netns, signal: AbortSignal | undefined, mode: Mode): Promise<BatchResult[]> {
  if (!checked.some((op) => linkNamesIn(op).length > 0)) return sendPart(checked, netns, signal, mode)
  if (signal?.aborted) throw abortError(signal)
  // Where each part starts: at a change naming a link an earlier change of its part touches.
  const starts = [0]
  let touched = new Set<string>()
  checked.forEach((op, i) => {
    if (i > 0 && linkNamesIn(op).some(([, name]) => touched.has(name))) {
      starts.push(i)
      touched = new Set()
    }
    for (const name of linkNamesTouched(op)) touched.add(name)
  })
  const byName = async () => new Map((await listKind<ListedLink>('links', { netns }, [])).map((l) => [l.name, l.index]))
  if (mode !== 'pipelined' && starts.length > 1) {
    // Later parts' names exist only once the earlier parts are made: 1 (lo) stands in while encoding.
    const now = await byName()
    const later = new Set(checked.slice(starts[1]).flatMap((op) => linkNamesIn(op).map(([, n]) => n)))
    const probe = new Map(now)
    for (const n of later) if (!probe.has(n)) probe.set(n, 1)
    const encoded = checked.map((op, i) => {
      const r = withIndexes(op, probe)
      if (r instanceof Error) throw Object.assign(r, { message: `nothing was sent: change ${i} (${op.verb} of ${op.kind}) is invalid: ${r.message}` })
      return r
    })
    const validated = await sendPart(encoded, netns, signal, 'validate')
    if (mode === 'validate') return validated
  }
  const results: BatchResult[] = []
  for (let p = 0; p < starts.length; p++) {
    const part = checked.slice(starts[p], starts[p + 1] ?? checked.length)
    if (signal?.aborted) {
      const notSent = new RtnlError('ERR_RTNL_NOT_SENT', 'not sent: the batch was aborted before this change')
      for (let i = results.length; i < checked.length; i++) results.push({ ok: false, error: notSent })
      throw Object.assign(abortError(signal), { results })
    }
    const names = await byName()
    const refused: (Error | undefined)[] = []
    const ops = part.map((op, i) => {
      const r = withIndexes(op, names)
      if (!(r instanceof Error)) return r
      // The first part refuses as any invalid change does; a later one, once earlier changes are made, fails alone.
      if (mode !== 'pipelined' && p === 0) throw Object.assign(r, { message: `nothing was sent: change ${i} (${op.verb} of ${op.kind}) is invalid: ${r.message}` })
      refused[i] = r
      return op
    })
    try {
      results.push(...(await sendPart(ops, netns, signal, mode === 'validate' ? 'validate' : mode, refused)))
    } catch (err) {
      const partial = (err as { results?: BatchResult[] }).results
      if (partial === undefined) throw err
      const all = [...results, ...partial]
      const notSent = new RtnlError('ERR_RTNL_NOT_SENT', 'not sent: the batch was aborted before this change')
      for (let i = all.length; i < checked.length; i++) all.push({ ok: false, error: notSent })
      throw Object.assign(err as object, { results: all })
    }
  }
  return results
}

/** One part of a batch, its link fields numbers: encoded and sent by the native side. `preRefused` fail alone (pipelined). */
async function sendPart(checked: readonly AnyBatchOp[], netns: Netns, signal: AbortSignal | undefined, mode: Mode, preRefused: readonly (Error | undefined)[] = []): Promise<BatchResult[]> {
  if (signal?.aborted) throw abortError(signal)
  const binding = native()
  // Ops refused on the JS side: pipelined, each fails alone and is not
  // handed over; otherwise the first refuses them all and nothing is sent.
  const refused: (Error | undefined)[] = Array.from({ length: checked.length }, (_, i) => preRefused[i])
  const refuse = (i: number, bad: Error) => {
    if (mode === 'pipelined') return (refused[i] = bad)
    const op = checked[i]
    bad.message = `nothing was sent: change ${i} (${op.verb} of ${op.kind}) is invalid: ${bad.message}`
    throw bad
  }
  if (checked.some(namesLinkState)) {
    const listed = await listKind<ListedLink>('links', { netns }, [])
    const byIndex = new Map(listed.map((l) => [l.index, l]))
    const byName = new Map(listed.map((l) => [l.name, l]))
    checked.forEach((op, i) => {
      if (!namesLinkState(op)) return
      const o = op.object as Record<string, unknown>
      const link = (typeof o.index === 'number' ? byIndex.get(o.index) : undefined) ?? (typeof o.name === 'string' ? byName.get(o.name) : undefined)
      const wrong = link === undefined ? undefined : stateNotHeld(o, link)
      if (wrong !== undefined) {
        refuse(i, invalidValue(`links.set: ${wrong}, the link's state, which a request does not set, and ${link?.name} has it off; setFlags turns ${SET_FLAGS.join(', ')} on or off`))
      }
    })
  }
  return new Promise<BatchResult[]>((resolve, reject) => {
    let feed: ReturnType<typeof binding.apply> | undefined
    const onAbort = () => feed?.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    try {
      const chunks = Math.ceil(checked.length / APPLY_CHUNK)
      feed = binding.apply(JSON.stringify({ netns, mode, chunks }), (reply: string) => {
        signal?.removeEventListener('abort', onAbort)
        if (reply[0] !== 'F') return reject(fromErrorJson(reply.slice(1)))
        const answers = JSON.parse(reply.slice(1)) as (null | Record<string, unknown>)[]
        // One answer per op handed over and pulled; after an abort, fewer.
        const results: BatchResult[] = new Array(checked.length)
        let a = 0
        // One error for every op an abort left unsent: a hundred thousand
        // errors (an aborted batch) cost a third of a second to make.
        let notSent: RtnlError | undefined
        for (let i = 0; i < checked.length; i++) {
          const bad = refused[i]
          if (bad !== undefined) {
            results[i] = { ok: false, error: bad }
            continue
          }
          const answer = a < answers.length ? answers[a] : undefined
          a++
          results[i] =
            answer === null ? { ok: true } : answer === undefined ? { ok: false, error: (notSent ??= new RtnlError('ERR_RTNL_NOT_SENT', 'not sent: the batch was aborted before this change')) } : { ok: false, error: fromErrorJson(JSON.stringify(answer)) }
        }
        if (signal?.aborted) return reject(Object.assign(abortError(signal), { results }))
        resolve(results)
      })
      // The native side encodes and sends each chunk while this thread
      // checks and stringifies the next (all-or-nothing: it sends when it
      // has them all).
      for (let start = 0; start < checked.length; start += APPLY_CHUNK) {
        const chunk: AnyBatchOp[] = []
        for (let i = start; i < Math.min(start + APPLY_CHUNK, checked.length); i++) {
          const op = checked[i]
          if (refused[i] !== undefined) continue
          const bad = badValue(`${op.kind}.${op.verb}`, op.object)
          if (bad === undefined) chunk.push(op)
          else refuse(i, bad)
        }
        feed.push(JSON.stringify(chunk))
      }
    } catch (err) {
      signal?.removeEventListener('abort', onAbort)
      feed?.abort()
      reject(err)
    } finally {
      feed?.end()
    }
  })
}

/** The flags `flags` / `flagNames` turn on (crates/rtnl-core/src/link.rs FLAGS_TURNED_ON); the others are the link's state. */
const FLAGS_TURNED_ON = 0x1 | 0x80 | 0x1000 | 0x8000
const NAMES_TURNED_ON = ['UP', 'NOARP', 'MULTICAST', 'DYNAMIC']
/** The flags `setFlags` takes (link.rs SET_FLAGS). */
const SET_FLAGS = ['UP', 'NOARP', 'MULTICAST', 'PROMISC', 'ALLMULTI', 'DYNAMIC']

/**
 * Whether a change names a flag that is the link's state (LOWER_UP,
 * RUNNING, PROMISC as every user's count, ...): a `set` may carry it, as a
 * listed link does, only where the link has it too.
 */
function namesLinkState(op: AnyBatchOp): boolean {
  if (op.kind !== 'links' || op.verb !== 'set') return false
  const o = op.object as Record<string, unknown>
  if (typeof o.flags === 'number') return (o.flags & ~FLAGS_TURNED_ON) !== 0
  return Array.isArray(o.flagNames) && o.flagNames.some((n) => typeof n === 'string' && !NAMES_TURNED_ON.includes(n.toUpperCase()))
}

/** The state flags `o` names that `link` does not have, in words; undefined when it has them all. */
function stateNotHeld(o: Record<string, unknown>, link: ListedLink): string | undefined {
  if (typeof o.flags === 'number') {
    const missing = o.flags & ~FLAGS_TURNED_ON & ~link.flags
    return missing === 0 ? undefined : `flags has 0x${missing.toString(16)} set`
  }
  const missing = (o.flagNames as unknown[]).filter((n) => typeof n === 'string' && !NAMES_TURNED_ON.includes(n.toUpperCase()) && !link.flagNames.includes(n.toUpperCase()))
  return missing.length === 0 ? undefined : `flagNames names ${missing.join(', ')}`
}

/** Ops per chunk handed to the native side: the first is sent while the rest are stringified. */
const APPLY_CHUNK = 1024

/** One change: resolves when the kernel has made it, rejects with its error. */
export async function change(kind: MutableKind, verb: Verb, object: object, opts?: BatchOptions): Promise<void> {
  const [result] = await batch([{ kind, verb, object } as BatchOp], opts)
  if (!result.ok) throw result.error
}
