#!/usr/bin/env node
/**
 * The `rtnl` command: `ip monitor` with JSON output, and `list` of each kind.
 *
 *   rtnl monitor [link|addr|route|rule|neigh ...] [--netns NAME | --netns-path P | --netns-pid N] [--json] [--timestamp]
 *   rtnl list links|addresses|routes|rules|neighbours [--netns ...] [-4|-6] [--table T] [--json]
 *
 * The text format is src/format.ts, shared with examples/monitor.mjs.
 *
 * Exit codes: 0 success (and Ctrl-C, and a reader of stdout that went away,
 * as with `rtnl monitor | head`), 1 a system or kernel error, 2 bad arguments.
 */
import { subscribe, Monitor } from './monitor'
import { links } from './link'
import { addresses } from './address'
import { routes } from './route'
import { rules } from './rule'
import { neighbours } from './neighbour'
import { nexthops, nexthopBuckets } from './nexthop'
import { netconf } from './netconf'
import { nsids } from './nsid'
import { qdiscs, tcClasses, tcFilters, tcChains } from './tc'
import { bridgeVlans } from './vlan'
import { mdb } from './mdb'
import { linkStats } from './stats'
import { RTNLGRP } from './groups'
import { createPrinter, PrintableKind } from './format'
import type { Netns } from './options'

/**
 * The most events the monitor keeps waiting while stdout is blocked (a slow
 * or stalled reader): past it the monitor drops events and says so with one
 * resync_needed 'overflow', instead of the process growing without bound.
 */
const MAX_QUEUED = 10_000

const USAGE = {
  main: `usage: rtnl <command> [options]

commands:
  monitor [OBJECT ...]   print rtnetlink events as they happen (like ip monitor)
  list KIND              print every object of a kind (links, addresses, routes, rules, neighbours)

rtnl <command> --help shows a command's options.
exit codes: 0 success (Ctrl-C included), 1 system or kernel error, 2 bad arguments`,
  monitor: `usage: rtnl monitor [link|addr|route|rule|neigh ...] [options]

Prints one line per event, with the words ip monitor prints for it (bridge
fdb entries as bridge monitor fdb prints them). Without objects, all five
are watched.

options:
  -n, --netns NAME       watch the 'ip netns' namespace NAME
  --netns-path PATH      watch the namespace behind a file (e.g. /proc/PID/ns/net)
  --netns-pid PID        watch the namespace of process PID
  -j, --json             print each event as one JSON line
  --timestamp            prefix each line with the time it was received
  -h, --help             show this help
Options that take a value also take it as --option=VALUE.

Events may be lost when the kernel's buffer overflows, or when the reader of
stdout falls more than ${MAX_QUEUED.toLocaleString('en-US')} events behind; a line [RESYNC] (or
{"type":"resync_needed"}) says so: re-list what you track.`,
  list: `usage: rtnl list links|addresses|routes|rules|neighbours [options]

options:
  -n, --netns NAME | --netns-path PATH | --netns-pid PID   the namespace (default: this one)
  -4, -6                 only IPv4 or IPv6 (addresses, routes, rules, neighbours)
  --table TABLE          only routes of this table: main, local, default or a number
  -j, --json             print a JSON array
  -h, --help             show this help
Options that take a value also take it as --option=VALUE.`,
}

/** Bad arguments: exit code 2 with the usage of the command. */
class UsageError extends Error {
  constructor(message: string, readonly command: keyof typeof USAGE) {
    super(message)
  }
}

const own = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key)

const OBJECTS: Record<string, number[]> = {
  link: [RTNLGRP.LINK],
  addr: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  address: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  route: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
  rule: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  neigh: [RTNLGRP.NEIGH],
  neighbour: [RTNLGRP.NEIGH],
}

import type { KindName } from './kinds'
const KINDS: Record<KindName, { printable?: PrintableKind; filters: ('family' | 'table')[] }> = {
  links: { printable: 'link', filters: [] },
  addresses: { printable: 'address', filters: ['family'] },
  routes: { printable: 'route', filters: ['family', 'table'] },
  rules: { printable: 'rule', filters: ['family'] },
  neighbours: { printable: 'neighbour', filters: ['family'] },
  nexthops: { filters: ['family'] },
  nexthopBuckets: { filters: [] },
  netconf: { filters: ['family'] },
  nsids: { filters: [] },
  qdiscs: { filters: [] },
  tcClasses: { filters: [] },
  tcFilters: { filters: [] },
  tcChains: { filters: [] },
  bridgeVlans: { filters: [] },
  mdb: { filters: [] },
  linkStats: { filters: [] },
}
const LISTS = { links, addresses, routes, rules, neighbours, nexthops, nexthopBuckets, netconf, nsids, qdiscs, tcClasses, tcFilters, tcChains, bridgeVlans, mdb, linkStats }

/** Table names `ip route` takes without /etc/iproute2/rt_tables. */
const TABLES: Record<string, number> = { default: 253, main: 254, local: 255 }

interface Parsed {
  positional: string[]
  netns: Netns
  json: boolean
  timestamp: boolean
  help: boolean
  family?: 4 | 6
  table?: number
}

function parse(args: string[], command: 'monitor' | 'list'): Parsed {
  const out: Parsed = { positional: [], netns: 'host', json: false, timestamp: false, help: false }
  let netnsGiven: string | undefined
  let familyGiven: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    // --option=VALUE is the same as --option VALUE
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1
    const a = eq > 0 ? arg.slice(0, eq) : arg
    let inline: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined
    const value = () => {
      if (inline !== undefined) {
        const v = inline
        inline = undefined
        if (v === '') throw new UsageError(`${a} needs a value`, command)
        return v
      }
      const v = args[++i]
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${a} needs a value`, command)
      return v
    }
    const setNetns = (ns: Netns) => {
      if (netnsGiven) throw new UsageError(`${a} and ${netnsGiven} cannot be combined: give one namespace`, command)
      netnsGiven = a
      out.netns = ns
    }
    if (a === '--help' || a === '-h') out.help = true
    else if (a === '--json' || a === '-j') out.json = true
    else if (a === '--timestamp' && command === 'monitor') out.timestamp = true
    else if (a === '--netns' || a === '-n') setNetns({ name: value() })
    else if (a === '--netns-path') setNetns({ path: value() })
    else if (a === '--netns-pid') {
      const v = value()
      if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--netns-pid takes a process id, got '${v}'`, command)
      setNetns({ pid: Number(v) })
    } else if ((a === '-4' || a === '-6') && command === 'list') {
      if (familyGiven && familyGiven !== a) throw new UsageError(`${familyGiven} and ${a} cannot be combined`, command)
      familyGiven = a
      out.family = a === '-4' ? 4 : 6
    } else if (a === '--table' && command === 'list') {
      const v = value()
      const n = own(TABLES, v) ? TABLES[v] : /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 0xffffffff ? Number(v) : undefined
      if (n === undefined) throw new UsageError(`--table takes main, local, default or a number from 1 to 4294967295, got '${v}'`, command)
      out.table = n
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${arg}'`, command)
    else out.positional.push(a)
    if (inline !== undefined) throw new UsageError(`${a} takes no value`, command)
  }
  return out
}

/**
 * Writes to stdout with backpressure. A reader that went away (EPIPE, as
 * with `| head`) ends the command quietly; other write errors are reported.
 */
class Output {
  #closed = false
  #error: Error | null = null
  #wake: (() => void) | null = null
  #onClose: (() => void) | null = null

  constructor() {
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.#closed && err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') this.#error = err
      this.#close()
    })
  }

  #close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#wake?.()
    this.#onClose?.()
  }

  /** Calls `fn` once stdout can no longer be written (a monitor stops then instead of at its next event). */
  onClose(fn: () => void): void {
    this.#onClose = fn
  }

  /** Whether stdout can no longer be written: the reader went away or writing failed. */
  get closed(): boolean {
    return this.#closed
  }

  /** A write error other than the reader going away: the command exits 1 with it. */
  get error(): Error | null {
    return this.#error
  }

  /** Writes `text`; when stdout's buffer is full, waits until it drains (or is closed, or `abort()`). */
  async write(text: string): Promise<void> {
    if (this.#closed) return
    let ok: boolean
    try {
      ok = process.stdout.write(text)
    } catch (err) {
      // a file on a full disk, say: stdout as a file writes synchronously and throws
      this.#error = err as Error
      this.#close()
      return
    }
    if (ok) return
    await new Promise<void>((resolve) => {
      const done = () => {
        process.stdout.off('drain', done)
        this.#wake = null
        resolve()
      }
      this.#wake = done
      process.stdout.on('drain', done)
    })
  }

  /** Ends a wait for 'drain' (Ctrl-C while the reader is stalled). */
  abort(): void {
    this.#wake?.()
  }
}

/** An ISO 8601 time with microseconds from CLOCK_REALTIME nanoseconds. */
function isoMicros(ns: bigint): string {
  const ms = Number(ns / 1000000n)
  const micros = String(Number((ns / 1000n) % 1000n)).padStart(3, '0')
  return new Date(ms).toISOString().replace('Z', `${micros}Z`)
}

async function monitorCommand(args: string[], out: Output): Promise<number> {
  const p = parse(args, 'monitor')
  if (p.help) {
    await out.write(USAGE.monitor + '\n')
    return 0
  }
  const groups = new Set<number>()
  for (const o of p.positional) {
    if (!own(OBJECTS, o)) throw new UsageError(`unknown object '${o}'; expected link, addr, route, rule or neigh`, 'monitor')
    OBJECTS[o].forEach((x) => groups.add(x))
  }
  const monitor: Monitor = await subscribe({
    netns: p.netns,
    maxQueued: MAX_QUEUED,
    ...(groups.size ? { groups: [...groups] } : {}),
  })
  const stop = () => {
    void monitor.stop()
    out.abort()
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  out.onClose(stop)
  try {
    // Subscribed first, then the names: a link created in between is in the dump or in an event.
    const printer = p.json ? null : createPrinter({ netns: p.netns })
    if (printer) await printer.load()
    for await (const msg of monitor) {
      // --timestamp: when the reader thread received it (receivedAt), to the microsecond.
      const at = p.timestamp ? isoMicros(msg.type === 'event' ? BigInt(msg.receivedAtNs) : BigInt(Date.now()) * 1000000n) : undefined
      const text = printer ? `${at ? `${at} ` : ''}${await printer.line(msg)}` : JSON.stringify(at ? { time: at, ...msg } : msg)
      // Waiting here for a full stdout to drain leaves events in the monitor's bounded queue.
      await out.write(text + '\n')
      if (out.closed) break
    }
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
    await monitor.stop()
  }
  return 0
}

async function listCommand(args: string[], out: Output): Promise<number> {
  const p = parse(args, 'list')
  if (p.help) {
    await out.write(USAGE.list + '\n')
    return 0
  }
  if (p.positional.length !== 1) throw new UsageError('list takes exactly one kind', 'list')
  const name = p.positional[0]
  if (!own(KINDS, name)) {
    throw new UsageError(`unknown kind '${name}'; expected links, addresses, routes, rules or neighbours`, 'list')
  }
  const kind = name as KindName
  const { printable, filters } = KINDS[kind]
  if (p.family !== undefined && !filters.includes('family')) throw new UsageError(`-${p.family} does not apply to ${kind}`, 'list')
  if (p.table !== undefined && !filters.includes('table')) throw new UsageError(`--table applies to routes only, not ${kind}`, 'list')
  const opts = {
    netns: p.netns,
    ...(p.family !== undefined ? { family: p.family } : {}),
    ...(p.table !== undefined ? { table: p.table } : {}),
  }
  const items: unknown[] = await (LISTS[kind].list as (o: typeof opts) => Promise<unknown[]>)(opts)
  if (p.json || printable === undefined) {
    await out.write(JSON.stringify(items) + '\n')
    return 0
  }
  // The names after the dump: every link the items name existed when the names were read.
  const printer = createPrinter({ netns: p.netns })
  await printer.load()
  const CHUNK = 1000
  for (let i = 0; i < items.length && !out.closed; i += CHUNK) {
    const lines = items.slice(i, i + CHUNK).map((item) => printer.text(printable, item as never) + '\n')
    await out.write(lines.join(''))
  }
  return 0
}

export async function main(argv: string[], out = new Output()): Promise<number> {
  const [command, ...rest] = argv
  try {
    let code: number
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      await out.write(USAGE.main + '\n')
      code = command === undefined ? 2 : 0
    } else if (command === 'monitor') code = await monitorCommand(rest, out)
    else if (command === 'list') code = await listCommand(rest, out)
    else throw new UsageError(`unknown command '${command}'; expected monitor or list`, 'main')
    if (out.error) {
      console.error(`rtnl: writing to stdout failed: ${out.error.message}`)
      return 1
    }
    return code
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`rtnl: ${err.message}\n\n${USAGE[err.command]}`)
      return 2
    }
    const e = err as Error & { code?: string }
    console.error(`rtnl: ${e.message}${e.code ? ` [${e.code}]` : ''}`)
    return e instanceof TypeError || e instanceof RangeError ? 2 : 1
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code
    // Output a stalled reader never takes would keep the process alive: after Ctrl-C, give it a moment, then go.
    if (process.stdout.writableLength > 0) setTimeout(() => process.exit(code), 1000).unref()
  })
}
