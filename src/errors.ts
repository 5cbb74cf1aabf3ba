/**
 * Errors thrown by rtnl. System failures carry Node-style `code`, `errno`
 * and `syscall`, and `path` for namespace files; invalid arguments are
 * TypeError or RangeError with Node's ERR_INVALID_ARG_* codes.
 */

/**
 * A failure of a system call or of the kernel, or of this library. Every
 * error a call rejects with has a `code` to branch on; invalid arguments are
 * a `TypeError` or `RangeError` with Node's codes, an abort is Node's
 * `AbortError`, everything else is an RtnlError.
 *
 * ## Error codes
 *
 * | `code` | class | when | also |
 * |---|---|---|---|
 * | `ERR_INVALID_ARG_TYPE` | TypeError | an option or argument of the wrong type (also `unsubscribe(null)`, a hole in `groups`, a change's field of the wrong type) | the message names the option and what was expected |
 * | `ERR_INVALID_ARG_VALUE` | TypeError | a wrong value: an unknown option key (a typo is always an error), a bad netns name, an interface name with NUL, '/', ':' or white space or over 15 bytes, a family other than 4/6/2/10, a field a kind does not have | |
 * | `ERR_OUT_OF_RANGE` | RangeError | a number out of range (group 0, negative `rcvbuf`, empty `groups`, `maxDatagram` under 8192, a prefix length over 32) | |
 * | `ERR_ILLEGAL_CONSTRUCTOR` | TypeError | `new Monitor()` / `new MonitorBranch()` | use {@link subscribe} / {@link Monitor.tee} |
 * | `ABORT_ERR` | Error, `name: 'AbortError'` | the `signal` given to a call aborted | `cause`: the signal's reason; from {@link batch} and {@link reconcile} once changes were handed over, `results` (each change's state) and, from reconcile, `ops` |
 * | `ERR_RTNL_NOT_SENT` | RtnlError | in a change's result: an abort stopped the batch before this change was sent | |
 * | `ENOENT` | RtnlError | a namespace that does not exist (also listing a deleted one); a change the kernel refuses because its object does not exist | `errno`, `syscall: 'open'`, `path` (e.g. `/run/netns/NAME`) |
 * | `EINVAL` | RtnlError | a file that is not a network namespace (`syscall: 'setns'`); a group the kernel does not have (`syscall: 'setsockopt'`); a change the kernel refuses | `path`; `extAck` |
 * | `EPERM` | RtnlError | no permission to enter a namespace (the message names CAP_SYS_ADMIN) or to make a change (CAP_NET_ADMIN) | `syscall` |
 * | `EEXIST`, `ENODEV`, `ENETUNREACH`, `EOPNOTSUPP`, ... | RtnlError | the kernel refused a request: the errno's name; `routes.get()` with no route is `ENETUNREACH` | `errno`, `extAck`: the kernel's extended-ack text, also appended to `message` |
 * | `EDUMPINTR` | RtnlError | a dump interrupted by changes 5 times in a row (or once, for `iterate()` after batches were handed out); never from `watch()`, which lists again | |
 * | `EPROTO`, `EMSGSIZE` | RtnlError | a reply the kernel sent that could not be read or decoded; `EMSGSIZE` also in a change's result when the request is larger than a netlink socket sends at once | |
 * | `ERR_RTNL_NETNS_GONE` | RtnlError | the monitored namespace was deleted: thrown by the `for await` loop after the events before it | `path` |
 * | `ERR_RTNL_CONCURRENT_NEXT` | RtnlError | `next()` while another `next()` is pending, or iterating a monitor that feeds `tee()` branches | give each consumer its own `monitor.tee()` |
 * | `ERR_RTNL_STOPPED` | RtnlError | `stats()` / `tee()` on a stopped monitor that never ran | |
 * | `ERR_RTNL_OUTSIDE_SCOPE` | RtnlError | {@link reconcile} refused a change that would reach an object outside its scope (a shared kernel identity, a delete's cascade, a delete the kernel could match to another object); nothing was sent | the message names the object outside the scope; `allowCascade` lets deletes cascade |
 * | `ERR_RTNL_UNSUPPORTED` | RtnlError | a change this version does not make (a verb a kind does not take, checked again by the native side) | |
 * | `ERR_RTNL_UNSUPPORTED_PLATFORM` | RtnlError | any call on a platform other than Linux, or on an arch with no prebuilt addon | importing works everywhere; the message lists the prebuilt targets |
 * | `ERR_RTNL_NATIVE_MISSING` | RtnlError | the prebuilt addon is not installed, or found but not loadable | the message names the package to install, or the loader's error |
 * | `ERR_RTNL_INTERNAL` | RtnlError | a bug in rtnl (a panic caught at the boundary) | please report it |
 *
 * The last three can come from any call that reaches the native addon; the
 * documentation of each call lists the others it can reject with. A failed
 * `subscribe()` leaves nothing open: no fd, no thread.
 *
 * @example
 * ```ts
 * import { routes, RtnlError } from 'rtnl'
 *
 * try {
 *   await routes.add({ dst: '10.1.0.0', dstLen: 16, gateway: '10.0.0.2' })
 * } catch (err) {
 *   if (err instanceof RtnlError && err.code === 'EEXIST') console.log('already there')
 *   else if (err instanceof RtnlError) console.error(err.code, err.errno, err.extAck)
 *   else throw err
 * }
 * ```
 * @category Errors
 */
export class RtnlError extends Error {
  /** 'ENOENT', 'EPERM', 'EINVAL', 'EDUMPINTR', 'ERR_RTNL_UNSUPPORTED_PLATFORM', ...: see the table above. */
  readonly code: string
  /** The positive errno, for system failures. */
  readonly errno?: number
  /** The system call that failed: 'open', 'setns', 'socket', 'bind', 'setsockopt', ... */
  readonly syscall?: string
  /** The namespace file involved, when there is one. */
  readonly path?: string
  /** The kernel's extended-ack message, when it sent one (also appended to `message`). */
  readonly extAck?: string

  /**
   * Made by this library; a caller would make one only to stand in for it
   * (in a test, say).
   *
   * @param code - The `code` to branch on.
   * @param message - The message, as `Error` takes it.
   * @param extra - `errno`, `syscall`, `path` and `extAck`, each set only when given.
   * @example
   * ```ts
   * import { RtnlError } from 'rtnl'
   *
   * const err = new RtnlError('ENOENT', 'no such namespace', { errno: 2, syscall: 'open', path: '/run/netns/blue' })
   * console.log(err.name, err.code, err.path) // RtnlError ENOENT /run/netns/blue
   * ```
   */
  constructor(
    code: string,
    message: string,
    extra: { errno?: number; syscall?: string; path?: string; extAck?: string } = {},
  ) {
    super(message)
    this.name = 'RtnlError'
    this.code = code
    if (extra.errno !== undefined) this.errno = extra.errno
    if (extra.syscall !== undefined) this.syscall = extra.syscall
    if (extra.path !== undefined) this.path = extra.path
    if (extra.extAck !== undefined) this.extAck = extra.extAck
  }
}

const NATIVE_PREFIX = 'RTNL_ERROR:'

/** Turns an error thrown by the native binding into an RtnlError (or TypeError for bad arguments). */
export function fromNative(err: unknown): Error {
  if (!(err instanceof Error) || !err.message.startsWith(NATIVE_PREFIX)) {
    return err instanceof Error ? err : new Error(String(err))
  }
  return fromErrorJson(err.message.slice(NATIVE_PREFIX.length))
}

/** An RtnlError (or TypeError for a bad argument) from a core error's JSON. */
export function fromErrorJson(json: string): Error {
  const data = JSON.parse(json) as {
    code: string
    message: string
    errno?: number
    syscall?: string
    path?: string
    extAck?: string
  }
  if (data.code === 'ERR_INVALID_ARG_VALUE') return invalidValue(data.message)
  if (data.code === 'ERR_INVALID_ARG_TYPE') return invalidType(data.message)
  if (data.code === 'ERR_OUT_OF_RANGE') return outOfRange(data.message)
  return new RtnlError(data.code, data.message, data)
}

/** A TypeError with Node's code for an argument of the wrong type. */
export function invalidType(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' })
}

/** A TypeError with Node's code for an argument of the right type but a wrong value. */
export function invalidValue(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_VALUE' })
}

/** A RangeError with Node's code for a number out of range. */
export function outOfRange(message: string): RangeError {
  return Object.assign(new RangeError(message), { code: 'ERR_OUT_OF_RANGE' })
}

/** The error every call gives on a platform without rtnetlink. */
export function unsupportedPlatform(): RtnlError {
  return new RtnlError(
    'ERR_RTNL_UNSUPPORTED_PLATFORM',
    `rtnl needs Linux (rtnetlink); this is ${process.platform}/${process.arch}`,
  )
}

/** An operation on a monitor that has been stopped. */
export function monitorStopped(what: string): RtnlError {
  return new RtnlError('ERR_RTNL_STOPPED', `${what}: the monitor is stopped`)
}

/** Node's own shape for an aborted operation: name 'AbortError', code 'ABORT_ERR', the reason as cause. */
export function abortError(signal: AbortSignal): Error {
  const err = new Error('The operation was aborted', { cause: signal.reason })
  return Object.assign(err, { name: 'AbortError', code: 'ABORT_ERR' })
}
