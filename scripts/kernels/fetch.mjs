// Fetches what the kernel matrix needs into a cache outside the clone
// (RTNL_KERNELS_CACHE, default /var/lib/rtnl-kernels; not /var/cache, which
// virtme-ng hides from the guest under a tmpfs), so a second run, or
// a fresh clone on the same machine, boots at once:
// - QEMU and busybox (virtme-ng's initramfs) from the host's Debian packages,
//   when they are missing;
// - virtme-ng, pinned, in a venv of its own;
// - each pinned kernel package, through a private apt state (its own
//   sources list, lists and archive cache; the host's sources stay as they
//   are), checked against its pinned SHA256, unpacked with dpkg-deb, with
//   depmod run over the unpacked root. Nothing goes to the host's /boot or
//   /lib/modules: the guest bind-mounts the cached modules over its own.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const PINS = JSON.parse(readFileSync(new URL('./kernels.json', import.meta.url), 'utf8'))
export const CACHE = process.env.RTNL_KERNELS_CACHE ?? '/var/lib/rtnl-kernels'

const SUITES = {
  'bullseye-security': 'http://deb.debian.org/debian-security bullseye-security',
  bookworm: 'http://deb.debian.org/debian bookworm',
  trixie: 'http://deb.debian.org/debian trixie',
  forky: 'http://deb.debian.org/debian forky',
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts })
const has = (cmd) => {
  try {
    run('sh', ['-c', `command -v ${cmd}`])
    return true
  } catch {
    return false
  }
}

/** QEMU and busybox from Debian's packages, virtme-ng from PyPI (pinned) in a venv: the path of `vng`. */
export function ensureTools(log) {
  if (!has('qemu-system-x86_64') || !existsSync('/bin/busybox') || !has('depmod')) {
    log('installing qemu-system-x86, busybox-static and kmod (Debian packages)')
    try {
      run('apt-get', ['install', '-y', '--no-install-recommends', 'qemu-system-x86', 'busybox-static', 'kmod'])
    } catch {
      run('apt-get', ['update'])
      run('apt-get', ['install', '-y', '--no-install-recommends', 'qemu-system-x86', 'busybox-static', 'kmod'])
    }
  }
  const venv = join(CACHE, `virtme-ng-${PINS.virtmeNg}`)
  const vng = join(venv, 'bin', 'vng')
  if (!existsSync(vng)) {
    log(`installing virtme-ng ${PINS.virtmeNg} (PyPI) into ${venv}`)
    mkdirSync(CACHE, { recursive: true })
    run('python3', ['-m', 'venv', venv])
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', `virtme-ng==${PINS.virtmeNg}`])
  }
  return { vng, bin: join(venv, 'bin') }
}

const APT = join(CACHE, 'apt')
const aptOptions = () => [
  '-o', `Dir::State=${join(APT, 'state')}`,
  '-o', `Dir::Cache=${join(APT, 'cache')}`,
  '-o', `Dir::Etc::SourceList=${join(APT, 'sources.list')}`,
  '-o', 'Dir::Etc::SourceParts=/dev/null',
  '-o', 'APT::Architecture=amd64',
]

let aptUpdated = false
function aptUpdate(log) {
  if (aptUpdated) return
  mkdirSync(join(APT, 'state', 'lists', 'partial'), { recursive: true })
  mkdirSync(join(APT, 'cache', 'archives', 'partial'), { recursive: true })
  const lines = Object.values(SUITES).map((s) => `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${s} main`)
  writeFileSync(join(APT, 'sources.list'), lines.join('\n') + '\n')
  log('apt-get update (private state: bullseye-security, bookworm, trixie, forky)')
  run('apt-get', [...aptOptions(), 'update'])
  aptUpdated = true
}

/** What the archive has now for a package (name=version lines), for the message when a pin has left it. */
function versionsNow(pkg) {
  const meta = pkg.name.startsWith('linux-image') ? 'linux-image-amd64' : pkg.name.replace(/-[0-9].*/, '-amd64')
  try {
    return run('apt-cache', [...aptOptions(), 'madison', meta]).trim()
  } catch {
    return '(apt-cache madison found none)'
  }
}

/** The file name apt-get download gives a package (an epoch's colon as %3a). */
const debName = (pkg) => `${pkg.name}_${pkg.version.replace(/:/g, '%3a')}_amd64.deb`

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

/**
 * The kernel `k` of kernels.json unpacked in the cache, as { id, release,
 * vmlinuz } (its modules beside it, depmod run).
 */
export function ensureKernel(k, log) {
  const dir = join(CACHE, 'kernels', `${k.release}`)
  const done = join(dir, 'ready.json')
  const ready = { id: k.id, release: k.release, vmlinuz: join(dir, 'boot', `vmlinuz-${k.release}`) }
  if (existsSync(done) && existsSync(ready.vmlinuz)) return ready
  const debs = join(CACHE, 'debs')
  mkdirSync(debs, { recursive: true })
  for (const pkg of k.packages) {
    const file = join(debs, debName(pkg))
    if (!existsSync(file) || sha256(file) !== pkg.sha256) {
      aptUpdate(log)
      log(`downloading ${pkg.name} ${pkg.version}`)
      try {
        run('apt-get', [...aptOptions(), 'download', `${pkg.name}=${pkg.version}`], { cwd: debs })
      } catch (e) {
        throw new Error(
          `${pkg.name} ${pkg.version} (kernel ${k.id}) could not be downloaded: ${String(e.stderr).trim()}\n` +
            `It has probably left the archive. Versions there now:\n${versionsNow(pkg)}\n` +
            `Pin one in scripts/kernels/kernels.json (name, version, and the SHA256 'apt-cache show' gives).`,
        )
      }
      const got = readdirSync(debs).find((f) => f.startsWith(`${pkg.name}_`) && f.endsWith('.deb'))
      if (got && join(debs, got) !== file) renameSync(join(debs, got), file)
    }
    const sum = sha256(file)
    if (sum !== pkg.sha256) {
      rmSync(file)
      throw new Error(`${pkg.name} ${pkg.version}: SHA256 ${sum}, pinned ${pkg.sha256}: refused (scripts/kernels/kernels.json)`)
    }
  }
  // The unpacked root keeps the shape virtme-ng looks for beside a kernel
  // image (ROOT/boot/vmlinuz-R, ROOT/lib/modules/R): it builds its initramfs
  // from those modules and links them into the guest's /lib/modules.
  rmSync(dir, { recursive: true, force: true })
  const staging = join(dir, 'unpacked')
  mkdirSync(staging, { recursive: true })
  for (const pkg of k.packages) {
    log(`unpacking ${pkg.name}`)
    run('dpkg-deb', ['-x', join(debs, debName(pkg)), staging])
  }
  // Debian 12 and older keep modules under lib/, 13 and newer under usr/lib/
  // (and 7.x keeps vmlinuz in the modules folder).
  const modDir = [join(staging, 'usr/lib/modules', k.release), join(staging, 'lib/modules', k.release)].find(existsSync)
  if (!modDir) throw new Error(`kernel ${k.id}: no modules folder for ${k.release} in the packages`)
  const image = [join(staging, 'boot', `vmlinuz-${k.release}`), join(modDir, 'vmlinuz')].find(existsSync)
  if (!image) throw new Error(`kernel ${k.id}: no vmlinuz for ${k.release} in the packages`)
  mkdirSync(join(dir, 'boot'))
  mkdirSync(join(dir, 'lib', 'modules'), { recursive: true })
  renameSync(image, ready.vmlinuz)
  renameSync(modDir, join(dir, 'lib', 'modules', k.release))
  rmSync(staging, { recursive: true, force: true })
  run('depmod', ['-b', dir, k.release])
  writeFileSync(done, JSON.stringify(ready))
  return ready
}
