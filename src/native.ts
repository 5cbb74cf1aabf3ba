/**
 * Loads the native binding on first use, so that importing rtnl works on
 * every platform and only calls fail where rtnetlink does not exist.
 * The binding's generated types (native/binding.d.ts) stay internal.
 *
 * Which addon: the one built for this process's arch and for the libc this
 * process runs on. The libc is asked of the running Node (its diagnostic
 * report names a glibc only when Node runs on glibc), not of the filesystem:
 * a musl Node on a glibc host (or the reverse, under gcompat) must load the
 * addon that matches the Node, whatever /usr/bin/ldd is.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type * as Binding from '../native/binding'
import { RtnlError, unsupportedPlatform } from './errors'

export type NativeBinding = typeof Binding
export type NativeMonitor = Binding.NativeMonitor

/** The five prebuilt targets, by `${process.arch}-${libc}`: the npm platform package suffix. */
export const NATIVE_TARGETS: Readonly<Record<string, string>> = {
  'x64-gnu': 'linux-x64-gnu',
  'x64-musl': 'linux-x64-musl',
  'arm64-gnu': 'linux-arm64-gnu',
  'arm64-musl': 'linux-arm64-musl',
  'arm-gnu': 'linux-arm-gnueabihf',
}

let binding: NativeBinding | undefined

/** 'gnu' when this Node runs on glibc, 'musl' otherwise (Linux only). */
export function runningLibc(): 'gnu' | 'musl' {
  // excludeNetwork exists since Node 20.x but @types/node 20 lacks it.
  const report = process.report as NodeJS.ProcessReport & { excludeNetwork?: boolean }
  if (!report || typeof report.getReport !== 'function') return 'gnu'
  // The report resolves the host names of open sockets unless told not to.
  const excluded = report.excludeNetwork
  report.excludeNetwork = true
  try {
    const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    return header && header.glibcVersionRuntime ? 'gnu' : 'musl'
  } finally {
    report.excludeNetwork = excluded
  }
}

/** The platform package suffix for this process, e.g. 'linux-arm64-musl'; throws where none is built. */
export function nativeTarget(): string {
  if (process.platform !== 'linux') throw unsupportedPlatform()
  const libc = runningLibc()
  const hardFloat = process.arch !== 'arm' || (process.config.variables as { arm_float_abi?: string }).arm_float_abi === 'hard'
  const target = hardFloat ? NATIVE_TARGETS[`${process.arch}-${libc}`] : undefined
  if (!target) {
    throw new RtnlError(
      'ERR_RTNL_UNSUPPORTED_PLATFORM',
      `rtnl has no prebuilt addon for linux-${process.arch}-${libc}${hardFloat ? '' : ' (soft-float)'}; ` +
        `prebuilt: ${Object.values(NATIVE_TARGETS).join(', ')}`,
    )
  }
  return target
}

export function native(): NativeBinding {
  if (binding) return binding
  const target = nativeTarget()
  const pkg = `rtnl-${target}`
  // A build in this checkout (npm run build) wins over an installed package.
  const local = join(__dirname, '..', 'native', `rtnl.${target}.node`)
  const tried: string[] = []
  let found: { where: string; cause: Error } | undefined
  for (const [where, load] of [
    [local, () => (existsSync(local) ? require(local) : undefined)],
    [pkg, () => require(pkg)],
  ] as const) {
    try {
      const loaded = load() as NativeBinding | undefined
      if (loaded) return (binding = loaded)
      tried.push(`${where} (no such file)`)
    } catch (cause) {
      const e = cause as Error & { code?: string }
      if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${pkg}'`)) {
        tried.push(`${pkg} (not installed)`)
      } else {
        found = { where, cause: e }
        tried.push(`${where} (${e.message.split('\n')[0]})`)
      }
    }
  }
  const message = found
    ? `the rtnl native addon for ${target} was found at ${found.where} but could not be loaded: ` +
      `${found.cause.message.split('\n')[0]} (gnu addons need glibc 2.17 or later; tried: ${tried.join('; ')})`
    : `the rtnl native addon for ${target} is not installed: tried ${tried.join('; ')}. ` +
      `Install it with \`npm install ${pkg}\` (npm leaves optional dependencies out with --omit=optional, ` +
      `and a lockfile made on another platform may lack it)`
  const err = new RtnlError('ERR_RTNL_NATIVE_MISSING', message)
  if (found) (err as Error).cause = found.cause
  throw err
}
