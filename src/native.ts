/**
 * Loads the native binding on first use, so that importing rtnl works on
 * every platform and only calls fail where rtnetlink does not exist.
 * The binding's generated types (native/binding.d.ts) stay internal.
 *
 * Which addon: the one built for this process's arch and for the libc this
 * process runs on. The libc is asked of the running runtime (Node's and
 * Bun's diagnostic report names a glibc only when they run on glibc; Deno
 * says in Deno.build.env), not of the filesystem: a musl Node on a glibc
 * host (or the reverse, under gcompat) must load the addon that matches the
 * Node, whatever /usr/bin/ldd is.
 *
 * Under Deno nothing here needs a permission but loading the addon itself
 * (--allow-ffi): no report (it asks for sys access), no file checks (read).
 */
import { readFileSync } from 'node:fs'
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

/** 'gnu' when this process runs on glibc, 'musl' otherwise (Linux only). */
export function runningLibc(): 'gnu' | 'musl' {
  // Deno's report asks for --allow-sys (cpus, networkInterfaces); its build says the libc.
  const deno = (globalThis as { Deno?: { build?: { env?: string } } }).Deno
  if (deno && deno.build && typeof deno.build.env === 'string') return deno.build.env === 'musl' ? 'musl' : 'gnu'
  // excludeNetwork exists since Node 20.x but @types/node 20 lacks it.
  const report = process.report as NodeJS.ProcessReport & { excludeNetwork?: boolean }
  if (!report || typeof report.getReport !== 'function') return mappedLibc()
  // The report resolves the host names of open sockets unless told not to.
  const excluded = report.excludeNetwork
  try {
    report.excludeNetwork = true
    const header = (report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    return header && header.glibcVersionRuntime ? 'gnu' : 'musl'
  } catch {
    // A runtime whose report is refused or unfinished: ask the loaded libraries.
    return mappedLibc()
  } finally {
    report.excludeNetwork = excluded
  }
}

/** The libc mapped into this process: musl's loader is ld-musl-<arch>.so.1; glibc when that cannot be read. */
function mappedLibc(): 'gnu' | 'musl' {
  try {
    return /\/ld-musl-[^/\s]*\.so\.1$/m.test(readFileSync('/proc/self/maps', 'utf8')) ? 'musl' : 'gnu'
  } catch {
    return 'gnu'
  }
}

/** The platform package suffix for this process, e.g. 'linux-arm64-musl'; throws where none is built. */
export function nativeTarget(): string {
  if (process.platform !== 'linux') throw unsupportedPlatform()
  const libc = runningLibc()
  const hardFloat = process.arch !== 'arm' || (process.config?.variables as { arm_float_abi?: string } | undefined)?.arm_float_abi === 'hard'
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
  // require() alone, no existsSync: under Deno a file check needs --allow-read.
  for (const where of [local, pkg]) {
    try {
      return (binding = require(where) as NativeBinding)
    } catch (cause) {
      const e = cause as Error & { code?: string }
      if (e.code === 'MODULE_NOT_FOUND' && e.message.includes(`'${where}'`)) {
        tried.push(where === pkg ? `${pkg} (not installed)` : `${where} (no such file)`)
      } else {
        found = { where, cause: e }
        tried.push(`${where} (${e.message.split('\n')[0]})`)
      }
    }
  }
  // Deno refuses to load an addon without --allow-ffi (NotCapable; PermissionDenied before Deno 2).
  const denied = found && (found.cause.name === 'NotCapable' || found.cause.name === 'PermissionDenied')
  const message = denied
    ? `the rtnl native addon for ${target} was found at ${found!.where} but Deno refused to load it: ` +
      `${found!.cause.message.split('\n')[0]}. rtnl needs Deno's --allow-ffi (it may be scoped to the addon's path: ` +
      `--allow-ffi=<path>); no other permission for list(), subscribe(), watch() and writes ` +
      `(reconcile() of addresses also needs --allow-sys=osRelease, netnsNameOf() --allow-read=/run/netns)`
    : found
    ? `the rtnl native addon for ${target} was found at ${found.where} but could not be loaded: ` +
      `${found.cause.message.split('\n')[0]} (gnu addons need glibc 2.17 or later; tried: ${tried.join('; ')})`
    : `the rtnl native addon for ${target} is not installed: tried ${tried.join('; ')}. ` +
      `Install it with \`npm install ${pkg}\` (npm leaves optional dependencies out with --omit=optional, ` +
      `and a lockfile made on another platform may lack it)`
  const err = new RtnlError('ERR_RTNL_NATIVE_MISSING', message)
  if (found) (err as Error).cause = found.cause
  throw err
}
