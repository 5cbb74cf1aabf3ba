/**
 * Errors thrown by rtnl. System failures carry Node-style `code`, `errno`
 * and `syscall`, and `path` for namespace files; invalid arguments are
 * TypeError or RangeError with Node's ERR_INVALID_ARG_* codes.
 */

/** A failure of a system call or of the kernel, or of this library. */
export class RtnlError extends Error {
  /** 'ENOENT', 'EPERM', 'EINVAL', 'EDUMPINTR', 'ERR_RTNL_UNSUPPORTED_PLATFORM', ... */
  readonly code: string
  /** The positive errno, for system failures. */
  readonly errno?: number
  /** The system call that failed: 'open', 'setns', 'socket', 'bind', 'setsockopt', ... */
  readonly syscall?: string
  /** The namespace file involved, when there is one. */
  readonly path?: string
  /** The kernel's extended-ack message, when it sent one (also appended to `message`). */
  readonly extAck?: string

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
