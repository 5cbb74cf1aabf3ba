/**
 * Loads the native binding on first use, so that importing rtnl works on
 * every platform and only calls fail where rtnetlink does not exist.
 * The binding's generated types (native/binding.d.ts) stay internal.
 */
import type * as Binding from '../native/binding'
import { RtnlError, unsupportedPlatform } from './errors'

export type NativeBinding = typeof Binding
export type NativeMonitor = Binding.NativeMonitor

let binding: NativeBinding | undefined

export function native(): NativeBinding {
  if (binding) return binding
  if (process.platform !== 'linux') throw unsupportedPlatform()
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    binding = require('../native/binding.js') as NativeBinding
  } catch (cause) {
    const err = new RtnlError(
      'ERR_RTNL_NATIVE_MISSING',
      `the rtnl native addon for ${process.platform}-${process.arch} could not be loaded: ${(cause as Error).message}`,
    )
    ;(err as Error).cause = cause
    throw err
  }
  return binding
}
