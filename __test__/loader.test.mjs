// The addon loader: which prebuilt addon it picks (by arch and by the libc the
// running Node uses), and the errors when none fits or none is installed.
// Each case loads a copy of dist/ from a temporary folder, so that the addon
// can be hidden or replaced without touching the checkout.
import test from 'ava'
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runNode } from './_helpers.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const fixture = fileURLToPath(new URL('./fixtures/load-addon.cjs', import.meta.url))

/** A copy of the package in a temporary folder: dist/, and native/ with the given addon files. */
function copyOfPackage(t, nativeFiles = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rtnl-loader-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  cpSync(join(root, 'dist'), join(dir, 'dist'), { recursive: true })
  cpSync(join(root, 'package.json'), join(dir, 'package.json'))
  mkdirSync(join(dir, 'native'))
  for (const [name, from] of Object.entries(nativeFiles)) {
    if (typeof from === 'string') cpSync(from, join(dir, 'native', name))
    else writeFileSync(join(dir, 'native', name), from)
  }
  return dir
}

async function load(dir, pretend = '') {
  const r = await runNode([fixture, dir, pretend])
  return JSON.parse(r.stdout)
}

const gnuAddon = join(root, 'native/rtnl.linux-x64-gnu.node')

test('on glibc x64 the loader picks the linux-x64-gnu addon', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  t.deepEqual((await load(dir)).loaded, 'linux-x64-gnu')
})

test('a Node that runs on musl asks for the musl addon, even with a gnu one beside it', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  t.deepEqual(await load(dir, 'libc=musl'), {
    name: 'RtnlError',
    code: 'ERR_RTNL_NATIVE_MISSING',
    message:
      `the rtnl native addon for linux-x64-musl is not installed: tried ${join(dir, 'native/rtnl.linux-x64-musl.node')} (no such file); ` +
      'rtnl-linux-x64-musl (not installed). Install it with `npm install rtnl-linux-x64-musl` (npm leaves optional ' +
      'dependencies out with --omit=optional, and a lockfile made on another platform may lack it)',
  })
})

test('a hidden addon gives ERR_RTNL_NATIVE_MISSING naming the file and the package to install', async (t) => {
  const dir = copyOfPackage(t)
  const r = await load(dir)
  t.is(r.name, 'RtnlError')
  t.is(r.code, 'ERR_RTNL_NATIVE_MISSING')
  t.is(
    r.message,
    `the rtnl native addon for linux-x64-gnu is not installed: tried ${join(dir, 'native/rtnl.linux-x64-gnu.node')} (no such file); ` +
      'rtnl-linux-x64-gnu (not installed). Install it with `npm install rtnl-linux-x64-gnu` (npm leaves optional ' +
      'dependencies out with --omit=optional, and a lockfile made on another platform may lack it)',
  )
})

test('an addon that is there but cannot load says so, with the dlopen error', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': Buffer.from('not an ELF file') })
  const r = await load(dir)
  t.is(r.name, 'RtnlError')
  t.is(r.code, 'ERR_RTNL_NATIVE_MISSING')
  t.regex(r.message, /^the rtnl native addon for linux-x64-gnu was found at \S+native\/rtnl\.linux-x64-gnu\.node but could not be loaded: .*(invalid ELF header|file too short).* \(gnu addons need glibc 2\.17 or later; tried: /)
})

test('an architecture with no prebuilt addon gives ERR_RTNL_UNSUPPORTED_PLATFORM listing the prebuilt ones', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  t.deepEqual(await load(dir, 'arch=riscv64'), {
    name: 'RtnlError',
    code: 'ERR_RTNL_UNSUPPORTED_PLATFORM',
    message:
      'rtnl has no prebuilt addon for linux-riscv64-gnu; prebuilt: linux-x64-gnu, linux-x64-musl, linux-arm64-gnu, linux-arm64-musl, linux-arm-gnueabihf',
  })
})

test('under Deno the libc comes from Deno.build.env, never from the report that needs --allow-sys', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  t.is((await load(dir, 'deno=gnu')).loaded, 'linux-x64-gnu')
  const musl = await load(dir, 'deno=musl')
  t.is(musl.code, 'ERR_RTNL_NATIVE_MISSING')
  t.regex(musl.message, /^the rtnl native addon for linux-x64-musl is not installed: /)
})

test('a runtime whose report throws: the libc is read from the mapped libraries', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  t.is((await load(dir, 'report=throws')).loaded, 'linux-x64-gnu')
})

test('an addon Deno refuses to load (no --allow-ffi) gives ERR_RTNL_NATIVE_MISSING naming the flag', async (t) => {
  const dir = copyOfPackage(t, { 'rtnl.linux-x64-gnu.node': gnuAddon })
  const file = join(dir, 'native/rtnl.linux-x64-gnu.node')
  t.deepEqual(await load(dir, 'deno=gnu,ffi=denied'), {
    name: 'RtnlError',
    code: 'ERR_RTNL_NATIVE_MISSING',
    message:
      `the rtnl native addon for linux-x64-gnu was found at ${file} but Deno refused to load it: ` +
      `Requires ffi access to "${file}", run again with the --allow-ffi flag. rtnl needs Deno's --allow-ffi ` +
      '(it may be scoped to the addon\'s path: --allow-ffi=<path>); no other permission for list(), subscribe(), watch() and writes ' +
      '(reconcile() of addresses also needs --allow-sys=osRelease, netnsNameOf() --allow-read=/run/netns)',
  })
})
