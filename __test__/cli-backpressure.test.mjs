// `rtnl monitor --json` writing into a pipe nobody reads: it stops taking
// events from the monitor while stdout is full, so the monitor's bounded queue
// (the CLI's maxQueued) holds the backlog and drops the rest, instead of the
// process buffering every event as pending output. Once the reader reads, a
// resync_needed 'overflow' says events were lost, and the CLI goes on.
import test from 'ava'
import { spawn, execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { makeNetns, ip, ipBatch } from './_helpers.mjs'

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url))
const BURST = 100_000
const LIMIT_MB = 120

const rssMb = (pid) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Number(m[1]) / 1024 : 0
}

test(`rtnl monitor --json into a stalled pipe stays under ${LIMIT_MB} MB through ${BURST} events, then reports the overflow and goes on`, async (t) => {
  const ns = makeNetns(t)
  const child = spawn(process.execPath, [cli, 'monitor', 'route', '--netns', ns, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => child.kill('SIGKILL'))
  let out = ''
  let err = ''
  child.stderr.on('data', (d) => (err += d))
  const onData = (d) => (out += d)
  child.stdout.on('data', onData)
  const waitFor = async (pred, ms, what) => {
    const deadline = Date.now() + ms
    while (!pred()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; stderr: ${err}`)
      await new Promise((r) => setTimeout(r, 20))
    }
  }

  // Subscribed once a marker shows.
  for (let i = 1; !out.includes('"dst":"10.255.255.0"'); i++) {
    if (i > 50) throw new Error(`the monitor never showed the marker; stderr: ${err}`)
    ip(ns, 'route', 'replace', 'blackhole', '10.255.255.0/24', 'metric', String(i))
    await new Promise((r) => setTimeout(r, 100))
  }

  // Stop reading: once Node's read buffer and the pipe are full, every write of the CLI waits.
  child.stdout.off('data', onData)
  child.stdout.pause()
  const before = rssMb(child.pid)
  let peak = before
  const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid))), 50)
  try {
    const lines = Array.from({ length: BURST }, (_, i) => `route add blackhole 10.${(i >> 16) + 1}.${(i >> 8) & 255}.${i & 255}/32`)
    await new Promise((resolve, reject) => {
      const burst = spawn('ip', ['-n', ns, '-batch', '-'], { stdio: ['pipe', 'ignore', 'pipe'] })
      burst.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`ip -batch exited ${code}`))))
      burst.stdin.end(lines.join('\n') + '\n')
    })
    // The reader thread is still decoding the tail of the burst: keep sampling a little longer.
    await new Promise((r) => setTimeout(r, 1500))
    const made = execFileSync('ip', ['-n', ns, 'route', 'show', 'proto', 'boot'], { encoding: 'utf8', maxBuffer: 64 << 20 })
    t.true(made.trim().split('\n').length > BURST, 'the burst made its routes')
  } finally {
    clearInterval(sampler)
  }
  t.log(`VmRSS ${before.toFixed(0)} MB before the burst, at most ${peak.toFixed(0)} MB during it`)
  t.true(peak < LIMIT_MB, `VmRSS reached ${peak.toFixed(0)} MB`)
  t.is(child.exitCode, null, 'still running')

  // Read again: the backlog, then the notice that events were dropped, then new events.
  child.stdout.on('data', onData)
  child.stdout.resume()
  await waitFor(() => out.includes('"type":"resync_needed"'), 20000, 'a resync_needed line')
  const resyncs = out
    .split('\n')
    .filter((l) => l.includes('"type":"resync_needed"'))
    .map((l) => JSON.parse(l).reason)
  t.true(resyncs.includes('overflow'), `resync reasons: ${resyncs}`)
  ip(ns, 'route', 'add', 'blackhole', '10.254.254.0/24')
  await waitFor(() => out.includes('"dst":"10.254.254.0"'), 20000, 'an event after the overflow')
  t.is(child.exitCode, null, 'still running')
  child.kill('SIGINT')
  const code = await new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.on('exit', resolve)))
  t.is(code, 0)
})
