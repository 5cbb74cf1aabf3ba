#!/usr/bin/env node
/**
 * The `rtnl` command: `ip monitor` with JSON output, and `list` of each kind.
 *
 *   rtnl monitor [OBJECT ...] [--netns NAME | --netns-path P | --netns-pid N] [--json] [--timestamp]
 *   rtnl list KIND [--netns ...] [-4|-6|-M] [--table T] [--dev NAME] [--json]
 *   rtnl apply FILE.json|- [--netns ...] [--dry-run] [--json]
 *
 * OBJECT is one of OBJECTS below (link, addr, ..., tc, mdb, vlan, all,
 * everything), KIND one of src/kinds.ts (links, addresses, ..., linkStats).
 *
 * The text format is src/format.ts, shared with examples/monitor.mjs.
 *
 * Exit codes: 0 success (and Ctrl-C, and a reader of stdout that went away,
 * as with `rtnl monitor | head`), 1 a system or kernel error (apply: a change
 * that failed or was not sent), 2 bad arguments (apply: also a file refused
 * before anything was sent).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync } from 'node:fs'
import type { Stats } from 'node:fs'
import { subscribe, Monitor } from './monitor'
import { batch, send, validateOps } from './mutate'
import type { AnyBatchOp, BatchOp, BatchResult } from './mutate'
import { reconcile, RECONCILE_KINDS } from './reconcile'
import type { ReconcileKind } from './reconcile'
import { links } from './link'
import * as api from './index'
import { RTNLGRP, IP_MONITOR_ALL_GROUPS, ALL_GROUPS } from './groups'
import { KINDS as KIND_NAMES, EVENT_ONLY_KINDS, perKind } from './kinds'
import { KIND_TABLE } from './generated/kinds'
import { createPrinter, PrintableKind } from './format'
import { changeText } from './format-change'
import { RtnlError } from './errors'
import type { KindName } from './kinds'
import type { Netns } from './options'
import type { MonitorMessage } from './events'

/**
 * The most events the monitor keeps waiting while stdout is blocked (a slow
 * or stalled reader): past it the monitor drops events and says so with one
 * resync_needed 'overflow', instead of the process growing without bound.
 */
const MAX_QUEUED = 10_000

/** `a, b or c`. */
const orList = (xs: readonly string[]) => `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`
/** The option that asked for a family: -4, -6 or -M. */
const familyFlag = (f: 4 | 6 | 'mpls') => (f === 'mpls' ? '-M' : `-${f}`)

/**
 * What `rtnl monitor` watches, by name: the groups to join, and for the tc
 * objects the ops to print (they share one group). Aliases follow their
 * object and are left out of messages.
 */
interface MonitorObject {
  groups: readonly number[]
  /** Only these ops of the object's group (qdisc, class, filter and chain share the TC group). */
  ops?: readonly string[]
  /** Another name for an object listed before it. */
  alias?: true
  help: string
}
/** The op names of a kind's events, as it declares them. */
const opsOf = (kind: keyof typeof KIND_TABLE): string[] => KIND_TABLE[kind].ops.map((o) => o.op)

const OBJECTS: Record<string, MonitorObject> = {
  link: { groups: [RTNLGRP.LINK], help: 'links' },
  addr: { groups: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR], help: 'addresses' },
  address: { groups: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR], alias: true, help: '' },
  route: { groups: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE, RTNLGRP.MPLS_ROUTE], help: 'routes (IPv4, IPv6, MPLS)' },
  mroute: { groups: [RTNLGRP.IPV4_MROUTE, RTNLGRP.IPV6_MROUTE], help: 'multicast routes' },
  rule: { groups: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE], help: 'rules' },
  neigh: { groups: [RTNLGRP.NEIGH], help: 'neighbours and bridge fdb entries' },
  neighbour: { groups: [RTNLGRP.NEIGH], alias: true, help: '' },
  nexthop: { groups: [RTNLGRP.NEXTHOP], help: 'nexthop objects and buckets' },
  netconf: { groups: [RTNLGRP.IPV4_NETCONF, RTNLGRP.IPV6_NETCONF, RTNLGRP.MPLS_NETCONF], help: 'per-link IP configuration' },
  nsid: { groups: [RTNLGRP.NSID], help: 'namespace ids' },
  prefix: { groups: [RTNLGRP.IPV6_PREFIX], help: 'IPv6 prefixes from router advertisements' },
  nduseropt: { groups: [RTNLGRP.ND_USEROPT], help: 'ND options from router advertisements (RDNSS, DNSSL, ...)' },
  useropt: { groups: [RTNLGRP.ND_USEROPT], alias: true, help: '' },
  stats: { groups: [RTNLGRP.STATS], help: 'link statistics (hardware statistics state)' },
  maddr: { groups: [RTNLGRP.IPV4_MCADDR, RTNLGRP.IPV6_MCADDR], help: 'multicast groups links join and leave' },
  maddress: { groups: [RTNLGRP.IPV4_MCADDR, RTNLGRP.IPV6_MCADDR], alias: true, help: '' },
  acaddr: { groups: [RTNLGRP.IPV6_ACADDR], help: 'IPv6 anycast addresses' },
  acaddress: { groups: [RTNLGRP.IPV6_ACADDR], alias: true, help: '' },
  tc: { groups: [RTNLGRP.TC], help: 'qdiscs, classes, filters, chains and actions (like tc monitor)' },
  qdisc: { groups: [RTNLGRP.TC], ops: opsOf('qdiscs'), help: 'qdiscs only' },
  class: { groups: [RTNLGRP.TC], ops: opsOf('tcClasses'), help: 'tc classes only' },
  filter: { groups: [RTNLGRP.TC], ops: opsOf('tcFilters'), help: 'tc filters only' },
  action: { groups: [RTNLGRP.TC], ops: opsOf('tcActions'), help: 'standalone tc actions only' },
  chain: { groups: [RTNLGRP.TC], ops: opsOf('tcChains'), help: 'tc filter chains only' },
  mdb: { groups: [RTNLGRP.MDB], help: 'the bridge multicast database' },
  vlan: { groups: [RTNLGRP.BRVLAN], help: 'bridge VLANs' },
  all: { groups: IP_MONITOR_ALL_GROUPS, help: "what 'ip monitor all' watches" },
  everything: { groups: ALL_GROUPS, help: "every group: 'all', tc, mdb, vlan, nduseropt, maddr, acaddr, ..." },
}
const OBJECT_NAMES = Object.keys(OBJECTS).filter((o) => !OBJECTS[o].alias)
const TC_OPS = new Set((['qdiscs', 'tcClasses', 'tcFilters', 'tcChains', 'tcActions'] as const).flatMap(opsOf))

type ListFilter = 'family' | 'table' | 'dev'
/** Each kind's printer. */
const PRINTABLE: Record<KindName, PrintableKind> = {
  links: 'link',
  addresses: 'address',
  routes: 'route',
  rules: 'rule',
  neighbours: 'neighbour',
  nexthops: 'nexthop',
  nexthopBuckets: 'nexthopBucket',
  netconf: 'netconf',
  nsids: 'nsid',
  qdiscs: 'qdisc',
  tcClasses: 'tcClass',
  tcFilters: 'tcFilter',
  tcChains: 'tcChain',
  bridgeVlans: 'bridgeVlan',
  bridgePorts: 'bridgePort',
  mdb: 'mdb',
  linkStats: 'linkStats',
  tcActions: 'tcAction',
}
/**
 * Each kind's printer and the options `rtnl list` takes for it, from the kind's declared
 * list filters: `family`, `table`, and `dev` for its link option (ifindex or oif).
 */
const KINDS: Record<KindName, { printable: PrintableKind; filters: ListFilter[]; devKey?: 'ifindex' | 'oif' }> = perKind(KIND_NAMES, (k) => {
  const declared: readonly string[] = KIND_TABLE[k].listFilters
  const devKey = declared.includes('oif') ? 'oif' : declared.includes('ifindex') ? 'ifindex' : undefined
  const filters = (['family', 'table'] as const).filter((f) => declared.includes(f)) as ListFilter[]
  return { printable: PRINTABLE[k], filters: devKey ? [...filters, 'dev'] : filters, devKey }
})
/** Each kind's `list()`, as the package exports it under the kind's name. */
const LISTS = perKind(KIND_NAMES, (k) => api[k])
const withFilter = (f: ListFilter) => KIND_NAMES.filter((k) => KINDS[k].filters.includes(f))

const USAGE = {
  main: `usage: rtnl <command> [options]

commands:
  monitor [OBJECT ...]   print rtnetlink events as they happen (like ip monitor, tc monitor, bridge monitor)
  list KIND              print every object of a kind (links, addresses, routes, ..., qdiscs, mdb, linkStats)
  apply FILE.json|-      make the network match a desired state (reconcile), or apply a batch of changes

rtnl <command> --help shows a command's options.
exit codes: 0 success (Ctrl-C included), 1 system or kernel error (apply: a change failed), 2 bad arguments`,
  monitor: `usage: rtnl monitor [OBJECT ...] [options]

Prints one line per event, with the words the iproute2 tool prints for it:
ip monitor (links, addresses, routes, rules, neighbours, nexthops, netconf,
namespace ids, prefixes, statistics), bridge monitor (fdb entries, mdb,
vlan) and tc monitor (qdiscs, classes, filters, chains, actions). Without objects,
links, addresses, routes, rules and neighbours are watched.

objects:
${OBJECT_NAMES.map((o) => `  ${o.padEnd(12)} ${OBJECTS[o].help}`).join('\n')}
(also: address, neighbour, useropt, maddress, acaddress)

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
  list: `usage: rtnl list KIND [options]

kinds: ${KIND_NAMES.join(', ')}
Prints one object a line with the words ip, tc or bridge prints for it.
(IPv6 prefixes and ND user options are events only: rtnl monitor prefix nduseropt.)

options:
  -n, --netns NAME | --netns-path PATH | --netns-pid PID   the namespace (default: this one)
  -4, -6, -M             only IPv4, IPv6 or MPLS (${withFilter('family').join(', ')})
  --table TABLE          only routes of this table: main, local, default or a number
  --dev NAME             only objects of this link (${withFilter('dev').join(', ')})
  -j, --json             print a JSON array
  -h, --help             show this help
Options that take a value also take it as --option=VALUE.`,
}

Object.assign(USAGE, {
  apply: `usage: rtnl apply FILE.json [options]   (FILE - reads stdin)

The file holds a desired state, per kind, with the scope this file owns:
  { "routes":    { "scope": { "table": 100 }, "desired": [ { "dst": "10.1.0.0", "dstLen": 16, "gateway": "10.0.0.2" } ] },
    "addresses": { "scope": { "index": 2 },   "desired": [ ... ] } }
Each kind is reconciled, in the order of the file: what is in its scope and
not desired is deleted, what differs is replaced (links: set), what is missing
is added, as one batch; nothing outside the scope is touched (routes of the
kernel and of the local table only when the scope names them). Kinds:
${RECONCILE_KINDS.join(', ')}.
Or a list of changes, applied in order (one that fails does not stop the rest):
  { "ops": [ { "kind": "routes", "verb": "add", "object": { ... } }, ... ] }

Prints each change made (with --dry-run: that would be made) with the words
rtnl list prints the object with, then what was done: per kind, how many
were added, replaced, deleted, failed and not sent. The whole file is checked
before anything is sent; a dry run makes every check a real run makes before
sending (each change is encoded) and sends nothing. When a kind is refused,
the kinds after it are not applied. FILE must be a regular file (a FIFO or a
device is refused: pipe into - instead). Ctrl-C stops the sending and prints
what was made.

exit codes: 0 every change made (with --dry-run: every change valid);
  1 a change failed or was not sent, or a kind was refused after changes were made;
  2 bad arguments, or a file refused before anything was sent

options:
  -n, --netns NAME | --netns-path PATH | --netns-pid PID   the namespace (default: this one)
  --dry-run              print the plan, change nothing
  -j, --json             print the result as JSON
  -h, --help             show this help`,
})

/** Bad arguments: exit code 2 with the usage of the command. */
class UsageError extends Error {
  constructor(message: string, readonly command: keyof typeof USAGE | 'apply') {
    super(message)
  }
}

const own = (table: object, key: string) => Object.prototype.hasOwnProperty.call(table, key)

/** Table names `ip route` takes without /etc/iproute2/rt_tables. */
const TABLES: Record<string, number> = { default: 253, main: 254, local: 255 }

interface Parsed {
  positional: string[]
  netns: Netns
  json: boolean
  timestamp: boolean
  help: boolean
  family?: 4 | 6 | 'mpls'
  table?: number
  dev?: string
  dryRun?: boolean
}

function parse(args: string[], command: 'monitor' | 'list' | 'apply'): Parsed {
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
    else if (a === '--dry-run' && command === 'apply') out.dryRun = true
    else if (a === '--netns' || a === '-n') setNetns({ name: value() })
    else if (a === '--netns-path') setNetns({ path: value() })
    else if (a === '--netns-pid') {
      const v = value()
      if (!/^[1-9]\d*$/.test(v)) throw new UsageError(`--netns-pid takes a process id, got '${v}'`, command)
      setNetns({ pid: Number(v) })
    } else if ((a === '-4' || a === '-6' || a === '-M') && command === 'list') {
      if (familyGiven && familyGiven !== a) throw new UsageError(`${familyGiven} and ${a} cannot be combined`, command)
      familyGiven = a
      out.family = a === '-4' ? 4 : a === '-6' ? 6 : 'mpls'
    } else if (a === '--table' && command === 'list') {
      const v = value()
      const n = own(TABLES, v) ? TABLES[v] : /^[1-9]\d{0,9}$/.test(v) && Number(v) <= 0xffffffff ? Number(v) : undefined
      if (n === undefined) throw new UsageError(`--table takes main, local, default or a number from 1 to 4294967295, got '${v}'`, command)
      out.table = n
    } else if (a === '--dev' && command === 'list') {
      const v = value()
      if (out.dev !== undefined) throw new UsageError('--dev given twice', command)
      out.dev = v
    } else if (a === '-' && command === 'apply') out.positional.push(a) // stdin, as in ip -batch -
    else if (a.startsWith('-')) throw new UsageError(`unknown option '${arg}'`, command)
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
  // null: every tc op; else only these (qdisc, class, filter, chain without tc)
  let tcOps: Set<string> | null = null
  let allTc = false
  for (const o of p.positional) {
    if (!own(OBJECTS, o)) throw new UsageError(`unknown object '${o}'; expected ${orList(OBJECT_NAMES)}`, 'monitor')
    const obj = OBJECTS[o]
    obj.groups.forEach((x) => groups.add(x))
    if (obj.ops) obj.ops.forEach((op) => (tcOps ??= new Set()).add(op))
    else if (obj.groups.includes(RTNLGRP.TC)) allTc = true
  }
  const shown = allTc || tcOps === null ? () => true : (msg: MonitorMessage) => msg.type !== 'event' || !TC_OPS.has(msg.op) || (tcOps as Set<string>).has(msg.op)
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
      if (!shown(msg)) continue
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
  if ((EVENT_ONLY_KINDS as readonly string[]).includes(name)) {
    throw new UsageError(`${name} cannot be listed: the kernel only sends them as events (rtnl monitor ${name === 'prefixes' ? 'prefix' : 'nduseropt'})`, 'list')
  }
  if (!own(KINDS, name)) throw new UsageError(`unknown kind '${name}'; expected ${orList(KIND_NAMES)}`, 'list')
  const kind = name as KindName
  const { printable, filters, devKey } = KINDS[kind]
  if (p.family !== undefined && !filters.includes('family')) {
    throw new UsageError(`${familyFlag(p.family)} does not apply to ${kind}; it applies to ${orList(withFilter('family'))}`, 'list')
  }
  if (p.table !== undefined && !filters.includes('table')) throw new UsageError(`--table applies to routes only, not ${kind}`, 'list')
  if (p.dev !== undefined && !devKey) throw new UsageError(`--dev does not apply to ${kind}; it applies to ${orList(withFilter('dev'))}`, 'list')
  let ifindex: number | undefined
  if (p.dev !== undefined) {
    // as ip: a link that is not there is an error, not an empty list
    const link = await links.get({ name: p.dev }, { netns: p.netns })
    if (!link) throw new Error(`no link named '${p.dev}' in the namespace`)
    ifindex = link.index
  }
  const opts = {
    netns: p.netns,
    ...(p.family !== undefined ? { family: p.family } : {}),
    ...(p.table !== undefined ? { table: p.table } : {}),
    ...(ifindex !== undefined && devKey ? { [devKey]: ifindex } : {}),
  }
  let items: unknown[] = await (LISTS[kind].list as (o: typeof opts) => Promise<unknown[]>)(opts)
  // the kernel's netconf dump cannot be filtered by link
  if (kind === 'netconf' && ifindex !== undefined) items = items.filter((c) => (c as { ifindex?: number }).ifindex === ifindex)
  if (p.json) {
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

/** What a path that is not a regular file is, in words. */
function fileType(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO'
  if (st.isDirectory()) return 'a directory'
  if (st.isCharacterDevice()) return 'a character device'
  if (st.isBlockDevice()) return 'a block device'
  if (st.isSocket()) return 'a socket'
  return 'not a regular file'
}

/**
 * The text `rtnl apply` was given: `-` is stdin, read to its end; any other
 * path must be a regular file. A FIFO, a device, a socket or a directory is
 * refused (reading one could wait for ever): it is opened without waiting
 * for a writer (O_NONBLOCK) and refused by what fstat says it is.
 */
async function readInput(file: string): Promise<string> {
  if (file === '-') {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8')
  }
  const cannot = (err: unknown) => Object.assign(new Error(`cannot read ${file}: ${(err as Error).message}`), { code: (err as NodeJS.ErrnoException).code })
  let fd: number
  try {
    fd = openSync(file, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY)
  } catch (err) {
    throw cannot(err)
  }
  try {
    const st = fstatSync(fd)
    if (!st.isFile()) throw new UsageError(`${file} is ${fileType(st)}, not a regular file: give a file, or - to read stdin (... | rtnl apply -)`, 'apply')
    try {
      return readFileSync(fd, 'utf8')
    } catch (err) {
      throw cannot(err)
    }
  } finally {
    closeSync(fd)
  }
}

const changes = (n: number) => `${n} change${n === 1 ? '' : 's'}`

const notSent = (r: BatchResult | undefined) => r !== undefined && !r.ok && r.error.code === 'ERR_RTNL_NOT_SENT'

/** An error's message and, when the message does not say it, its code: `... [ERR_INVALID_ARG_VALUE]`. */
const errorText = (e: Error & { code?: string }) => `${e.message}${e.code && !e.message.includes(e.code) ? ` [${e.code}]` : ''}`

/** What a run did with its ops, by verb (a dry run: would do), and what failed or was not sent. */
interface Tally {
  add: number
  replace: number
  remove: number
  failed: number
  notSent: number
}

function tally(ops: readonly AnyBatchOp[], results: readonly BatchResult[]): Tally {
  const t: Tally = { add: 0, replace: 0, remove: 0, failed: 0, notSent: 0 }
  ops.forEach((op, i) => {
    const r = results[i]
    if (notSent(r)) t.notSent++
    else if (r !== undefined && !r.ok) t.failed++
    else if (op.verb === 'del') t.remove++
    else if (op.verb === 'replace' || op.verb === 'set') t.replace++
    else t.add++
  })
  return t
}

/**
 * A dry run of a list of ops: each op encoded as batch() would encode it
 * (mode 'validate': the same checks, nothing sent). batch() refuses an op
 * that does not encode alone and sends the rest; 'validate' stops at the
 * first ("nothing was sent: change N ..."), so the ops after it are checked
 * again, each failure getting the error batch() would give it.
 */
async function validateEach(checked: AnyBatchOp[], netns: Netns, signal: AbortSignal): Promise<BatchResult[]> {
  const results: BatchResult[] = []
  let start = 0
  while (start < checked.length) {
    try {
      await send(checked.slice(start), netns, signal, 'validate')
      for (let i = start; i < checked.length; i++) results.push({ ok: true })
      break
    } catch (err) {
      const m = err instanceof Error ? /^nothing was sent: change (\d+) \([^)]*\) is invalid: /.exec(err.message) : null
      if (m === null) throw err
      const bad = start + Number(m[1])
      for (let i = start; i < bad; i++) results.push({ ok: true })
      ;(err as Error).message = (err as Error).message.slice(m[0].length)
      results.push({ ok: false, error: err as Error })
      start = bad + 1
    }
  }
  return results
}

async function applyCommand(args: string[], out: Output): Promise<number> {
  const p = parse(args, 'apply')
  if (p.help) {
    await out.write((USAGE as Record<string, string>).apply + '\n')
    return 0
  }
  if (p.positional.length !== 1) throw new UsageError('apply takes exactly one file (- for stdin)', 'apply')
  const dry = !!p.dryRun
  const file = p.positional[0]
  const name = file === '-' ? 'stdin' : file
  const text = await readInput(file)
  let state: unknown
  try {
    state = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${name} is not JSON: ${(err as Error).message}`, 'apply')
  }
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new UsageError(`${name} must hold an object: { "<kind>": { "scope": {...}, "desired": [...] } } or { "ops": [...] }`, 'apply')
  }
  // The whole file is checked before anything is sent: a mistake in its last kind changes nothing.
  const entries = Object.entries(state as Record<string, unknown>)
  const isOps = own(state, 'ops')
  let checked: AnyBatchOp[] = []
  if (isOps) {
    if (entries.length !== 1) throw new UsageError(`${name}: "ops" cannot be combined with desired states; use two files`, 'apply')
    checked = validateOps((state as { ops: unknown }).ops)
  } else {
    for (const [kind, spec] of entries) {
      if (!(RECONCILE_KINDS as readonly string[]).includes(kind)) {
        throw new UsageError(`${name}: unknown kind '${kind}'; expected ${orList(RECONCILE_KINDS)}, or "ops"`, 'apply')
      }
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
        throw new UsageError(`${name}: ${kind} must be { "scope": {...}, "desired": [...] }`, 'apply')
      }
      const extra = Object.keys(spec).filter((k) => k !== 'scope' && k !== 'desired')
      if (extra.length > 0) throw new UsageError(`${name}: ${kind}: unknown key '${extra[0]}'; expected scope and desired`, 'apply')
    }
  }
  // Ctrl-C stops the sending: what was made and what was not sent are printed.
  const abort = new AbortController()
  const stop = () => abort.abort()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  try {
    // The names of links before the changes (a deleted link's name stays known), read again after links change.
    const printer = createPrinter({ netns: p.netns })
    await printer.load()
    const lines: string[] = []
    const report: Record<string, unknown> = { dryRun: dry }
    let failed = false
    const emit = async (more: string[]) => {
      for (const l of more) lines.push(l)
      if (!p.json) for (let i = 0; i < more.length && !out.closed; i += 1000) await out.write(more.slice(i, i + 1000).map((l) => l + '\n').join(''))
    }
    const lineOf = (op: AnyBatchOp, r: BatchResult | undefined) =>
      `${dry ? '(dry run) ' : ''}${changeText(printer, op)}${notSent(r) ? ': NOT SENT' : r !== undefined && !r.ok ? `: FAILED: ${errorText(r.error)}` : ''}`
    const resultOf = (r: BatchResult | undefined) => (notSent(r) ? 'not sent' : r === undefined || r.ok ? 'ok' : { error: r.error.message, code: r.error.code })
    if (isOps) {
      const ops = (state as { ops: AnyBatchOp[] }).ops
      let results: BatchResult[]
      if (dry) results = await validateEach(checked, p.netns, abort.signal)
      else {
        try {
          results = await batch(ops as readonly BatchOp[], { netns: p.netns, signal: abort.signal })
        } catch (err) {
          if ((err as Error).name !== 'AbortError') throw err
          // aborted before the first was sent: none was
          const none = new RtnlError('ERR_RTNL_NOT_SENT', 'not sent: the batch was aborted before this change')
          results = (err as { results?: BatchResult[] }).results ?? ops.map(() => ({ ok: false, error: none }))
        }
        if (ops.some((op) => op.kind === 'links')) await printer.load()
      }
      const t = tally(ops, results)
      const made = t.add + t.replace + t.remove
      failed = t.failed + t.notSent > 0
      await emit(ops.map((op, i) => lineOf(op, results[i])))
      await emit([
        dry
          ? `${changes(ops.length)}: ${made} valid, ${t.failed} refused (dry run: nothing changed)`
          : `${changes(ops.length)}: ${made} made, ${t.failed} failed${t.notSent ? `, ${t.notSent} not sent` : ''}`,
      ])
      report.ops = ops.map((op, i) => ({ ...op, result: resultOf(results[i]) }))
      report.changes = dry ? { valid: made, refused: t.failed } : { made, failed: t.failed, notSent: t.notSent }
    } else {
      // changes sent (a dry run: that would be) before a kind is refused: then the run failed part way, else the file is refused
      let sent = 0
      let stopped: string | undefined
      for (const [kind, spec] of entries) {
        if (stopped !== undefined) {
          await emit([`${kind}: not applied (${stopped})`])
          report[kind] = { notApplied: stopped }
          continue
        }
        const { scope, desired } = spec as Record<string, unknown>
        let r: { ops: AnyBatchOp[]; results: BatchResult[]; unchanged?: number }
        try {
          r = await reconcile(kind as ReconcileKind, desired as never[], { netns: p.netns, scope: scope as Record<string, unknown>, dryRun: dry, signal: abort.signal })
        } catch (err) {
          const e = err as Error & { code?: string; ops?: AnyBatchOp[]; results?: BatchResult[] }
          failed = true
          if (e.name === 'AbortError') {
            stopped = 'interrupted'
            if (e.ops === undefined || e.results === undefined) {
              await emit([`${kind}: not applied (interrupted)`])
              report[kind] = { notApplied: stopped }
              continue
            }
            r = { ops: e.ops, results: e.results }
          } else {
            if (sent === 0) {
              e.message = `${kind}: ${e.message}`
              throw e
            }
            stopped = `${kind} was refused`
            console.error(`rtnl: ${kind}: ${errorText(e)}`)
            await emit([`${kind}: refused${dry ? ' (dry run: nothing changed)' : ', nothing sent'}`])
            report[kind] = { refused: { error: e.message, code: e.code } }
            continue
          }
        }
        const t = tally(r.ops, r.results)
        sent += r.ops.length - t.notSent
        if (t.failed + t.notSent > 0) failed = true
        if (kind === 'links' && !dry) await printer.load()
        await emit(r.ops.map((op, i) => lineOf(op, r.results[i])))
        const unchanged = r.unchanged === undefined ? '' : `${r.unchanged} unchanged, `
        await emit([
          dry
            ? `${kind}: ${unchanged}${t.add} to add, ${t.replace} to replace, ${t.remove} to delete (dry run: nothing changed)`
            : `${kind}: ${stopped ? 'interrupted: ' : ''}${unchanged}${t.add} added, ${t.replace} replaced, ${t.remove} deleted, ${t.failed} failed${t.notSent ? `, ${t.notSent} not sent` : ''}`,
        ])
        report[kind] = { ...(r.unchanged === undefined ? {} : { unchanged: r.unchanged }), add: t.add, replace: t.replace, remove: t.remove, failed: t.failed, notSent: t.notSent }
      }
    }
    if (p.json) await out.write(JSON.stringify({ ...report, lines }) + '\n')
    return failed ? 1 : 0
  } finally {
    process.off('SIGINT', stop)
    process.off('SIGTERM', stop)
  }
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
    else if (command === 'apply') code = await applyCommand(rest, out)
    else throw new UsageError(`unknown command '${command}'; expected monitor, list or apply`, 'main')
    if (out.error) {
      console.error(`rtnl: writing to stdout failed: ${out.error.message}`)
      return 1
    }
    return code
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`rtnl: ${err.message}\n\n${(USAGE as Record<string, string>)[err.command]}`)
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
