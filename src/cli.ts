#!/usr/bin/env node
/**
 * The `rtnl` command: `ip monitor` with JSON output, and `list` of each kind.
 *
 *   rtnl monitor [link|addr|route|rule|neigh ...] [--netns NAME | --netns-path P | --netns-pid N] [--json] [--timestamp]
 *   rtnl list links|addresses|routes|rules|neighbours [--netns ...] [--json]
 *
 * Exit codes: 0 success (and Ctrl-C), 1 a system or kernel error, 2 bad arguments.
 */
import { subscribe, Monitor } from './monitor'
import { links, Link } from './link'
import { addresses, Address } from './address'
import { routes, Route } from './route'
import { rules, Rule } from './rule'
import { neighbours, Neighbour } from './neighbour'
import { RTNLGRP } from './groups'
import type { Netns } from './options'
import type { MonitorMessage } from './events'

const USAGE = {
  main: `usage: rtnl <command> [options]

commands:
  monitor [OBJECT ...]   print rtnetlink events as they happen (like ip monitor)
  list KIND              print every object of a kind (links, addresses, routes, rules, neighbours)

rtnl <command> --help shows a command's options.
exit codes: 0 success (Ctrl-C included), 1 system or kernel error, 2 bad arguments`,
  monitor: `usage: rtnl monitor [link|addr|route|rule|neigh ...] [options]

Prints one line per event. Without objects, all five are watched.

options:
  --netns NAME       watch the 'ip netns' namespace NAME
  --netns-path PATH  watch the namespace behind a file (e.g. /proc/PID/ns/net)
  --netns-pid PID    watch the namespace of process PID
  --json             print each event as one JSON line
  --timestamp        prefix each line with the time it was received
  --help             show this help

Events may be lost when the kernel's buffer overflows; a line [RESYNC] (or
{"type":"resync_needed"}) says so: re-list what you track.`,
  list: `usage: rtnl list links|addresses|routes|rules|neighbours [options]

options:
  --netns NAME | --netns-path PATH | --netns-pid PID   the namespace (default: this one)
  --json             print a JSON array
  --help             show this help`,
}

/** Bad arguments: exit code 2 with the usage of the command. */
class UsageError extends Error {
  constructor(message: string, readonly command: keyof typeof USAGE) {
    super(message)
  }
}

const OBJECTS: Record<string, number[]> = {
  link: [RTNLGRP.LINK],
  addr: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  address: [RTNLGRP.IPV4_IFADDR, RTNLGRP.IPV6_IFADDR],
  route: [RTNLGRP.IPV4_ROUTE, RTNLGRP.IPV6_ROUTE],
  rule: [RTNLGRP.IPV4_RULE, RTNLGRP.IPV6_RULE],
  neigh: [RTNLGRP.NEIGH],
  neighbour: [RTNLGRP.NEIGH],
}
const KINDS = { links, addresses, routes, rules, neighbours } as const

interface Parsed {
  positional: string[]
  netns: Netns
  json: boolean
  timestamp: boolean
  help: boolean
}

function parse(args: string[], command: keyof typeof USAGE): Parsed {
  const out: Parsed = { positional: [], netns: 'host', json: false, timestamp: false, help: false }
  let netnsGiven: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    const value = () => {
      const v = args[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${a} needs a value`, command)
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
    } else if (a.startsWith('-')) throw new UsageError(`unknown option '${a}'`, command)
    else out.positional.push(a)
  }
  return out
}

// ---- the ip-monitor-like text format -------------------------------------------------------

class Names {
  private byIndex = new Map<number, string>()
  constructor(private netns: Netns) {}
  async load(): Promise<void> {
    for (const l of await links.list({ netns: this.netns })) if (l.name) this.byIndex.set(l.index, l.name)
  }
  learn(l: Link, deleted: boolean): void {
    if (l.name && !deleted) this.byIndex.set(l.index, l.name)
  }
  dev(index: number | undefined): string {
    if (index === undefined) return ''
    return this.byIndex.get(index) ?? `if${index}`
  }
}

const prefix = (dst: string | undefined, len: number, family: number) =>
  dst === undefined ? 'default' : len === (family === 2 ? 32 : 128) ? dst : `${dst}/${len}`

function routeText(r: Route, names: Names): string {
  const parts = [r.typeName === 'unicast' ? '' : `${r.typeName} `, prefix(r.dst, r.dstLen, r.family)]
  if (r.gateway) parts.push(` via ${r.gateway}`)
  if (r.oif !== undefined) parts.push(` dev ${names.dev(r.oif)}`)
  for (const hop of r.multipath ?? []) parts.push(` nexthop via ${hop.gateway ?? '?'} dev ${names.dev(hop.oif)} weight ${hop.weight}`)
  parts.push(` table ${r.tableName} proto ${r.protocolName}`)
  if (r.priority !== undefined) parts.push(` metric ${r.priority}`)
  if (r.prefsrc) parts.push(` src ${r.prefsrc}`)
  return parts.join('')
}

function addressText(a: Address, names: Names): string {
  const peer = a.local && a.address && a.local !== a.address ? ` peer ${a.address}` : ''
  const label = a.label ? ` label ${a.label}` : ''
  return `${a.local ?? a.address}/${a.prefixlen}${peer} dev ${names.dev(a.index)} scope ${a.scopeName}${label}`
}

function linkText(l: Link): string {
  const kind = l.kind ? ` ${l.kind}` : ''
  return `${l.index}: ${l.name ?? '?'}${kind} <${l.flagNames.join(',')}> mtu ${l.mtu ?? '?'} state ${l.operstate ?? '?'}${l.address ? ` link ${l.address}` : ''}`
}

function neighText(n: Neighbour, names: Names): string {
  const what = n.family === 7 ? `fdb ${n.lladdr ?? ''}` : `${n.dst ?? ''}${n.lladdr ? ` lladdr ${n.lladdr}` : ''}`
  return `${what} dev ${names.dev(n.ifindex)}${n.master !== undefined ? ` master ${names.dev(n.master)}` : ''} ${n.stateNames.join(',') || 'none'}`
}

function ruleText(r: Rule): string {
  const from = r.src ? `${r.src}/${r.srcLen}` : 'all'
  const parts = [`${r.priority ?? 0}: from ${from}`]
  if (r.dst) parts.push(` to ${r.dst}/${r.dstLen}`)
  if (r.fwmark !== undefined) parts.push(` fwmark 0x${r.fwmark.toString(16)}`)
  if (r.iifname) parts.push(` iif ${r.iifname}`)
  if (r.oifname) parts.push(` oif ${r.oifname}`)
  parts.push(r.action === 1 ? ` lookup ${r.tableName}` : ` ${r.actionName}`)
  return parts.join('')
}

/** One event as one line of text, in the spirit of `ip monitor`. */
export function formatMessage(msg: MonitorMessage, names: Names): string {
  if (msg.type === 'resync_needed') return `[RESYNC] ${msg.reason}: events may have been lost; re-list`
  const verb = msg.op.startsWith('del_') ? 'del' : 'new'
  switch (msg.op) {
    case 'new_link':
    case 'del_link':
      names.learn(msg.resource, msg.op === 'del_link')
      return `[LINK] ${verb} ${linkText(msg.resource)}`
    case 'new_addr':
    case 'del_addr':
      return `[ADDR] ${verb} ${addressText(msg.resource, names)}`
    case 'new_route':
    case 'del_route':
      return `[ROUTE] ${verb} ${routeText(msg.resource, names)}`
    case 'new_neigh':
    case 'del_neigh':
      return `[NEIGH] ${verb} ${neighText(msg.resource, names)}`
    case 'new_rule':
    case 'del_rule':
      return `[RULE] ${verb} ${ruleText(msg.resource)}`
    default:
      return `[UNKNOWN] nlmsg_type ${msg.rtmType}${msg.error ? `: ${msg.error}` : ''}`
  }
}

/** An ISO 8601 time with microseconds from CLOCK_REALTIME nanoseconds. */
function isoMicros(ns: bigint): string {
  const ms = Number(ns / 1000000n)
  const micros = String(Number((ns / 1000n) % 1000n)).padStart(3, '0')
  return new Date(ms).toISOString().replace('Z', `${micros}Z`)
}

async function monitorCommand(args: string[]): Promise<number> {
  const p = parse(args, 'monitor')
  if (p.help) {
    console.log(USAGE.monitor)
    return 0
  }
  const groups = new Set<number>()
  for (const o of p.positional) {
    const g = OBJECTS[o]
    if (!g) throw new UsageError(`unknown object '${o}'; expected link, addr, route, rule or neigh`, 'monitor')
    g.forEach((x) => groups.add(x))
  }
  const monitor: Monitor = await subscribe({ netns: p.netns, ...(groups.size ? { groups: [...groups] } : {}) })
  const names = new Names(p.netns)
  if (!p.json) await names.load()
  const stop = () => void monitor.stop()
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
  for await (const msg of monitor) {
    // --timestamp: when the reader thread received it (receivedAt), to the microsecond.
    const at = p.timestamp ? isoMicros(msg.type === 'event' ? BigInt(msg.receivedAtNs) : BigInt(Date.now()) * 1000000n) : undefined
    if (p.json) process.stdout.write(JSON.stringify(at ? { time: at, ...msg } : msg) + '\n')
    else process.stdout.write(`${at ? `${at} ` : ''}${formatMessage(msg, names)}\n`)
  }
  return 0
}

async function listCommand(args: string[]): Promise<number> {
  const p = parse(args, 'list')
  if (p.help) {
    console.log(USAGE.list)
    return 0
  }
  if (p.positional.length !== 1) throw new UsageError('list takes exactly one kind', 'list')
  const kind = p.positional[0] as keyof typeof KINDS
  if (!(kind in KINDS)) throw new UsageError(`unknown kind '${p.positional[0]}'; expected links, addresses, routes, rules or neighbours`, 'list')
  const items: unknown[] = await KINDS[kind].list({ netns: p.netns })
  if (p.json) {
    process.stdout.write(JSON.stringify(items) + '\n')
    return 0
  }
  const names = new Names(p.netns)
  await names.load()
  for (const item of items) {
    const line = {
      links: () => linkText(item as Link),
      addresses: () => addressText(item as Address, names),
      routes: () => routeText(item as Route, names),
      rules: () => ruleText(item as Rule),
      neighbours: () => neighText(item as Neighbour, names),
    }[kind]()
    process.stdout.write(line + '\n')
  }
  return 0
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(USAGE.main)
      return command === undefined ? 2 : 0
    }
    if (command === 'monitor') return await monitorCommand(rest)
    if (command === 'list') return await listCommand(rest)
    throw new UsageError(`unknown command '${command}'; expected monitor or list`, 'main')
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
  })
}
