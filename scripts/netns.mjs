// Throwaway network namespaces for the tests, benches and smoke runs, named
// `<prefix>-<pid>-...`. Each is deleted when its user is done with it, and
// whatever is left is deleted at process exit (ava runs exit hooks even when
// it stops a worker on a timeout, where test teardowns do not run), on
// SIGINT/SIGTERM for scripts that ask for it, and, for leftovers of a process
// killed outright, at the next creation once their pid is gone.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const created = new Set()
let swept = false

function del(name) {
  try {
    execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' })
  } catch {}
  created.delete(name)
}

/** Deletes `rtnl*` namespaces whose creating process (the first number in the name) no longer runs. */
function sweep() {
  swept = true
  // The directory, not `ip netns list`: that opens every entry, and a test
  // may have put a FIFO there on purpose (a hostile namespace path).
  let names = []
  try {
    names = readdirSync('/run/netns')
  } catch {}
  for (const name of names) {
    const pid = name.startsWith('rtnl') ? Number(name.split('-').find((part) => /^\d+$/.test(part))) : NaN
    if (!pid || pid === process.pid) continue
    try {
      process.kill(pid, 0)
    } catch (e) {
      if (e.code === 'ESRCH') del(name)
    }
  }
}

process.on('exit', () => {
  for (const name of created) del(name)
})

/** Creates the namespace `name`, which must carry this process's pid (`rtnl-...-<pid>-...`); returns it. */
export function addNetns(name) {
  if (!swept) sweep()
  execFileSync('ip', ['netns', 'add', name])
  created.add(name)
  return name
}

/** addNetns for many names at once, through one `ip -batch`. */
export function addNetnsMany(names) {
  if (!swept) sweep()
  execFileSync('ip', ['-batch', '-'], { input: names.map((n) => `netns add ${n}`).join('\n') + '\n' })
  for (const n of names) created.add(n)
  return names
}

/** delNetns for many names at once. */
export function delNetnsMany(names) {
  try {
    execFileSync('ip', ['-force', '-batch', '-'], { input: names.map((n) => `netns del ${n}`).join('\n') + '\n', stdio: ['pipe', 'ignore', 'ignore'] })
  } catch {}
  for (const n of names) created.delete(n)
}

/** Deletes a namespace made by addNetns (idempotent). */
export function delNetns(name) {
  del(name)
}

/** For scripts: Ctrl-C or a kill also deletes what is left, then exits as the signal would. */
export function cleanUpOnSignals() {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.once(signal, () => process.exit(code))
}
