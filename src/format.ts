/**
 * The text form of events and listed objects: what `rtnl monitor`, `rtnl
 * list` and examples/monitor.mjs print.
 *
 * Each event becomes one line that carries every token `ip monitor` prints
 * for the same message (for bridge fdb entries, every token `bridge monitor
 * fdb` prints), in `ip`'s order, after a banner and a verb:
 *
 *   [LINK] new 3: a0@b0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master br0 state DOWN group default link/ether 76:65:c4:c4:1c:78 brd ff:ff:ff:ff:ff:ff
 *   [ADDR] new 2: b0 inet 10.9.0.2/24 scope global secondary label b0 valid_lft forever preferred_lft forever
 *   [ROUTE] Deleted 10.14.0.0/16 nhid 7 via 10.9.0.3 dev b0 table main proto boot
 *   [RULE] new inet6 100: from 2001:db8::/32 lookup 100
 *   [NEIGH] new fdb 02:00:00:00:00:11 dev a0 master br0 static
 *
 * Where `ip` prints several lines for one message (a link's `link/ether`
 * line, an address's lifetimes, a route's nexthops), they are joined into
 * one. `rtnl` adds a few tokens `ip` leaves out so that different objects
 * never print the same: `table` and `proto` of every route, the family of
 * every rule (`ip rule` prints IPv4 and IPv6 rules alike).
 *
 * Like `ip`, a printer keeps a cache of link names (and flags, for `ip`'s
 * M-DOWN): filled by `load()` from a links.list() dump, updated by every link
 * event it formats, and on a miss filled by `lookup()` from links.get(), so
 * an fdb event that arrives before its link's event still names the link.
 * As in `ip`, a link's `@peer` and `M-DOWN` come from the cache alone.
 *
 * Names are escaped for a terminal: control characters and the bytes of a
 * name that are not valid UTF-8 print as `\xNN`, a backslash as `\\`.
 *
 * Threads: all of this runs on the JS thread; lookups are links.get() calls,
 * which the binding runs off the JS thread.
 */
import { links } from './link'
import type { Link } from './link'
import type { Address } from './address'
import type { Nexthop, Route } from './route'
import type { Rule } from './rule'
import type { Neighbour } from './neighbour'
import type { MonitorMessage } from './events'
import type { Netns } from './options'

/** What `text()` formats: the kinds `list()` returns. */
export type PrintableKind = 'link' | 'address' | 'route' | 'rule' | 'neighbour'

export interface PrinterOptions {
  /** The namespace the events come from: where `load()` and `lookup()` ask for link names. Default 'host'. */
  netns?: Netns
}

export interface Printer {
  /** Fills the link-name cache from a links.list() dump (what `ip` does when it starts). */
  load(): Promise<void>
  /**
   * Asks the kernel (links.get) for the links `msg` refers to that the cache
   * does not know, as `ip` does before printing a name. Resolves at once when
   * every name is known; a link that no longer exists stays unknown.
   */
  lookup(msg: MonitorMessage): Promise<void>
  /**
   * One message as one line, without a trailing newline. Synchronous: names
   * come from the cache, an unknown ifindex N prints as `ifN` (as `ip`
   * prints it). A link event updates the cache first, as in `ip`.
   */
  format(msg: MonitorMessage): string
  /** `await lookup(msg)`, then `format(msg)`. */
  line(msg: MonitorMessage): Promise<string>
  /** One listed object (what `<kind>.list()` returns) as one line, without banner or verb. */
  text(kind: PrintableKind, item: Link | Address | Route | Rule | Neighbour): string
}

/** A printer of the text format, with its own link-name cache. */
export function createPrinter(opts: PrinterOptions = {}): Printer {
  return new TextPrinter(opts.netns ?? 'host')
}

// ---- escaping -----------------------------------------------------------------------------

const PLAIN = /^[\x20-\x5b\x5d-\x7e]*$/
/** Code points that reorder or break a terminal line: bidi controls and line/paragraph separators. */
const UNSAFE = /[\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const hexByte = (b: number) => `\\x${b.toString(16).padStart(2, '0')}`

/**
 * A kernel-supplied string made safe for a terminal: C0 and C1 control
 * characters, DEL, bidi controls and line separators print as the `\xNN` of
 * their UTF-8 bytes; a lone surrogate U+DC80..U+DCFF (how a name byte that is
 * not valid UTF-8 reaches JS) prints as `\xNN` of that byte; a backslash
 * prints as `\\`, so the output reads back unambiguously.
 */
export function escapeText(s: string): string {
  if (PLAIN.test(s)) return s
  let out = ''
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number
    if (cp >= 0xdc80 && cp <= 0xdcff) out += hexByte(cp - 0xdc00)
    else if (cp >= 0xd800 && cp <= 0xdfff) out += `\\u${cp.toString(16)}`
    else if (cp === 0x5c) out += '\\\\'
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || UNSAFE.test(ch)) {
      for (const b of Buffer.from(ch, 'utf8')) out += hexByte(b)
    } else out += ch
  }
  return out
}

// ---- numbers `ip` prints as words ------------------------------------------------------------

const IFF_UP = 0x1
const IFF_RUNNING = 0x40
/** IFF_* flags in the order `ip` prints them (RUNNING is folded into NO-CARRIER). */
const LINK_FLAGS: [number, string][] = [
  [0x8, 'LOOPBACK'], [0x2, 'BROADCAST'], [0x10, 'POINTOPOINT'], [0x1000, 'MULTICAST'], [0x80, 'NOARP'],
  [0x200, 'ALLMULTI'], [0x100, 'PROMISC'], [0x400, 'MASTER'], [0x800, 'SLAVE'], [0x4, 'DEBUG'],
  [0x8000, 'DYNAMIC'], [0x4000, 'AUTOMEDIA'], [0x2000, 'PORTSEL'], [0x20, 'NOTRAILERS'], [0x1, 'UP'],
  [0x10000, 'LOWER_UP'], [0x20000, 'DORMANT'], [0x40000, 'ECHO'],
]

/** ARPHRD_* as `ip` names link types (`link/ether`). */
const LINK_TYPES: Record<number, string> = {
  0: 'netrom', 1: 'ether', 2: 'eether', 3: 'ax25', 4: 'pronet', 5: 'chaos', 6: 'ieee802', 7: 'arcnet',
  8: 'appletlk', 15: 'dlci', 19: 'atm', 23: 'metricom', 24: 'ieee1394', 27: 'eui64', 32: 'infiniband',
  256: 'slip', 257: 'cslip', 258: 'slip6', 259: 'cslip6', 260: 'rsrvd', 264: 'adapt', 270: 'rose', 271: 'x25',
  272: 'hwx25', 280: 'can', 512: 'ppp', 513: 'hdlc', 516: 'lapb', 517: 'ddcmp', 518: 'rawhdlc', 519: 'rawip',
  768: 'ipip', 769: 'tunnel6', 770: 'frad', 771: 'skip', 772: 'loopback', 773: 'ltalk', 774: 'fddi',
  775: 'bif', 776: 'sit', 777: 'ip/ddp', 778: 'gre', 779: 'pimreg', 780: 'hippi', 781: 'ash', 782: 'econet',
  783: 'irda', 784: 'fcpp', 785: 'fcal', 786: 'fcpl', 787: 'fcfb', 800: 'tr', 801: 'tr+', 802: 'ieee802.11/prism',
  803: 'ieee802.11', 804: 'ieee802.11/prism', 805: 'ieee802.11/radiotap', 806: 'ieee802.15.4',
  807: 'ieee802.15.4/monitor', 820: 'phonet', 821: 'phonet_pipe', 822: 'caif', 823: 'gre6', 824: 'netlink',
  825: '6lowpan', 65534: 'none', 65535: 'void',
}

/** IFLA_EVENT_* as `ip` prints them. */
const LINK_EVENTS = ['NONE', 'REBOOT', 'FEATURE CHANGE', 'BONDING FAILOVER', 'NOTIFY PEERS', 'RESEND IGMP', 'BONDING OPTION']

/** IFA_F_* in the order `ip` prints them; PERMANENT is printed as `dynamic` when absent. */
const IFA_F_SECONDARY = 0x01
const IFA_F_DEPRECATED = 0x20
const IFA_F_PERMANENT = 0x80
const ADDRESS_FLAGS: [number, string][] = [
  [0x01, 'secondary'], [0x02, 'nodad'], [0x04, 'optimistic'], [0x08, 'dadfailed'], [0x10, 'home'],
  [0x20, 'deprecated'], [0x40, 'tentative'], [0x80, 'permanent'], [0x100, 'mngtmpaddr'],
  [0x200, 'noprefixroute'], [0x400, 'autojoin'], [0x800, 'stable-privacy'],
]
/** IFAPROT_*: who added an address. */
const ADDRESS_PROTOCOLS: Record<number, string> = { 0: 'unspec', 1: 'kernel_lo', 2: 'kernel_ra', 3: 'kernel_ll' }

/** RTNH_F_* and RTM_F_* flags of routes and nexthops, in `ip`'s order. */
const ROUTE_FLAGS: [number, string][] = [
  [0x1, 'dead'], [0x4, 'onlink'], [0x2, 'pervasive'], [0x8, 'offload'], [0x40, 'trap'], [0x100, 'notify'],
  [0x10, 'linkdown'], [0x20, 'unresolved'], [0x4000, 'rt_offload'], [0x8000, 'rt_trap'],
  [0x20000000, 'rt_offload_failed'],
]
/** RTAX_* metrics by index, as in the struct's `metrics` keys and `ip`'s output. */
const METRICS = ['unspec', 'lock', 'mtu', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'advmss', 'reordering',
  'hoplimit', 'initcwnd', 'features', 'rto_min', 'initrwnd', 'quickack', 'congctl', 'fastopen_no_cookie']
const ROUTER_PREF: Record<number, string> = { 0: 'medium', 1: 'high', 3: 'low' }
const ENCAP_TYPES: Record<number, string> = {
  1: 'mpls', 2: 'ip', 3: 'ila', 4: 'ip6', 5: 'seg6', 6: 'bpf', 7: 'seg6local', 8: 'rpl', 9: 'ioam6', 10: 'xfrm',
}

/**
 * RTPROT_* names for neighbour entries, whose struct carries only the
 * number (routes and rules carry the name): the same table as the core's.
 */
const PROTOCOLS: Record<number, string> = {
  0: 'unspec', 1: 'redirect', 2: 'kernel', 3: 'boot', 4: 'static', 8: 'gated', 9: 'ra', 10: 'mrt', 11: 'zebra',
  12: 'bird', 13: 'dnrouted', 14: 'xorp', 15: 'ntk', 16: 'dhcp', 17: 'mrouted', 18: 'keepalived', 42: 'babel',
  99: 'openr', 186: 'bgp', 187: 'isis', 188: 'ospf', 189: 'rip', 192: 'eigrp',
}
/** NUD_* states, upper case for `ip neigh`. */
const NUD: [number, string][] = [
  [0x01, 'INCOMPLETE'], [0x02, 'REACHABLE'], [0x04, 'STALE'], [0x08, 'DELAY'], [0x10, 'PROBE'],
  [0x20, 'FAILED'], [0x40, 'NOARP'], [0x80, 'PERMANENT'],
]
const NUD_REACHABLE = 0x02
const NUD_STALE = 0x04
const NUD_NOARP = 0x40
const NUD_PERMANENT = 0x80
const NTF_SELF = 0x02
const NTF_MASTER = 0x04
const NTF_PROXY = 0x08
const NTF_EXT_LEARNED = 0x10
const NTF_OFFLOADED = 0x20
const NTF_STICKY = 0x40
const NTF_ROUTER = 0x80
const NTF_EXT_MANAGED = 0x1

const FIB_RULE_INVERT = 0x2
const FIB_RULE_UNRESOLVED = 0x4
const FIB_RULE_IIF_DETACHED = 0x8
const FIB_RULE_OIF_DETACHED = 0x10
const IP_PROTOCOLS: Record<number, string> = {
  0: 'ip', 1: 'icmp', 2: 'igmp', 4: 'ipencap', 6: 'tcp', 17: 'udp', 41: 'ipv6', 47: 'gre', 50: 'esp', 51: 'ah',
  58: 'ipv6-icmp', 89: 'ospf', 103: 'pim', 112: 'vrrp', 132: 'sctp', 136: 'udplite',
}

const AF_INET = 2
const AF_INET6 = 10
const AF_BRIDGE = 7
const familyName = (f: number) => (f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : f === AF_BRIDGE ? 'bridge' : `family ${f}`)
const hostLen = (f: number) => (f === AF_INET ? 32 : f === AF_INET6 ? 128 : -1)
const hex = (n: number) => `0x${(n >>> 0).toString(16)}`
/** C's %#x: `0` for zero, else 0x-prefixed. */
const cHex = (n: number) => (n ? hex(n) : '0')
const groupName = (g: number) => (g === 0 ? 'default' : String(g))
const realmsText = (r: number) => (r >>> 16 ? `realms ${r >>> 16}/${r & 0xffff}` : `realm ${r & 0xffff}`)

function flagWords(flags: number, table: [number, string][]): string[] {
  return table.filter(([bit]) => (flags & bit) !== 0).map(([, name]) => name)
}

/** `ip`'s prefix: `default`, a bare address at full length, else address/len. */
function prefix(addr: string | undefined, len: number, family: number): string {
  if (addr === undefined) return len ? `0/${len}` : 'default'
  return len === hostLen(family) ? addr : `${addr}/${len}`
}

// ---- the printer --------------------------------------------------------------------------

interface KnownLink {
  name: string
  flags: number
}

/** How long a link the kernel did not know stays unknown without asking again (a flood of events about a deleted link asks once). */
const MISS_TTL_MS = 1000

class TextPrinter implements Printer {
  /** ifindex -> name and flags: `ip`'s ll_map. */
  readonly #links = new Map<number, KnownLink>()
  /** ifindex -> when links.get last found no such link. */
  readonly #misses = new Map<number, number>()

  constructor(readonly netns: Netns) {}

  async load(): Promise<void> {
    for (const l of await links.list({ netns: this.netns })) this.#remember(l)
  }

  #remember(l: Link): void {
    if (l.name !== undefined) this.#links.set(l.index, { name: l.name, flags: l.flags })
    this.#misses.delete(l.index)
  }

  /** Link events update the cache before they print, as `ip monitor` does (a delete forgets the link). */
  #learn(msg: MonitorMessage): void {
    if (msg.type !== 'event') return
    if (msg.op === 'new_link') this.#remember(msg.resource)
    else if (msg.op === 'del_link') this.#links.delete(msg.resource.index)
  }

  async lookup(msg: MonitorMessage): Promise<void> {
    this.#learn(msg)
    const now = Date.now()
    const missing = referencedLinks(msg).filter((i) => i > 0 && !this.#links.has(i) && !(now - (this.#misses.get(i) ?? -Infinity) < MISS_TTL_MS))
    for (const index of new Set(missing)) {
      let l: Link | null = null
      try {
        l = await links.get({ index }, { netns: this.netns })
      } catch {
        // the namespace went away: as for a link that is gone, the name prints as ifN, as in `ip`
      }
      if (l) this.#remember(l)
      else this.#misses.set(index, Date.now())
    }
  }

  async line(msg: MonitorMessage): Promise<string> {
    await this.lookup(msg)
    return this.format(msg)
  }

  /** `ip`'s ll_index_to_name: 0 is `*`, an unknown index `ifN`. */
  dev(index: number): string {
    if (index === 0) return '*'
    const known = this.#links.get(index)
    return known ? escapeText(known.name) : `if${index}`
  }

  known(index: number): KnownLink | undefined {
    return this.#links.get(index)
  }

  format(msg: MonitorMessage): string {
    if (msg.type === 'resync_needed') return `[RESYNC] ${msg.reason}: events may have been lost; re-list`
    this.#learn(msg)
    const verb = msg.op.startsWith('del_') ? 'Deleted' : 'new'
    switch (msg.op) {
      case 'new_link':
      case 'del_link':
        return `[LINK] ${verb} ${linkText(msg.resource, this)}`
      case 'new_addr':
      case 'del_addr':
        return `[ADDR] ${verb} ${addressText(msg.resource, this)}`
      case 'new_route':
      case 'del_route':
        return `[ROUTE] ${verb} ${routeText(msg.resource, this)}`
      case 'new_neigh':
      case 'del_neigh':
        return `[NEIGH] ${verb} ${neighbourText(msg.resource, this)}`
      case 'new_rule':
      case 'del_rule':
        return `[RULE] ${verb} ${ruleText(msg.resource)}`
      case 'unknown':
        return `[UNKNOWN] ${msg.typeName} (nlmsg_type ${msg.rtmType})${msg.error ? `: ${escapeText(msg.error)}` : ''} payload ${msg.payload}`
      default:
        return `[${msg.op.slice(4).toUpperCase()}] ${verb} ${JSON.stringify(msg.resource)}`
    }
  }

  text(kind: PrintableKind, item: Link | Address | Route | Rule | Neighbour): string {
    switch (kind) {
      case 'link':
        return linkText(item as Link, this)
      case 'address':
        return addressText(item as Address, this)
      case 'route':
        return routeText(item as Route, this)
      case 'rule':
        return ruleText(item as Rule)
      case 'neighbour':
        return neighbourText(item as Neighbour, this)
      default:
        throw new TypeError(`text(): unknown kind '${String(kind)}'`)
    }
  }
}

/** The ifindexes whose names the line for `msg` prints through ll_index_to_name (not a link's @peer). */
function referencedLinks(msg: MonitorMessage): number[] {
  if (msg.type !== 'event' || msg.resource === null) return []
  switch (msg.op) {
    case 'new_link':
    case 'del_link':
      return msg.resource.master !== undefined ? [msg.resource.master] : []
    case 'new_addr':
    case 'del_addr':
      return [msg.resource.index]
    case 'new_route':
    case 'del_route': {
      const r = msg.resource
      return [r.oif, r.iif, ...(r.multipath ?? []).map((h) => h.oif)].filter((i): i is number => i !== undefined)
    }
    case 'new_neigh':
    case 'del_neigh': {
      const n = msg.resource
      return [n.ifindex, n.master, n.linkNetnsid === undefined ? n.linkIfindex : undefined].filter((i): i is number => i !== undefined)
    }
    default:
      return []
  }
}

// ---- one kind each --------------------------------------------------------------------------

/** `ip link`'s <FLAGS>: NO-CARRIER, the flags in ip's order, leftover bits in hex, M-DOWN. */
function linkFlags(flags: number, mdown: boolean): string {
  let rest = flags >>> 0
  let out = ''
  if (rest & IFF_UP && !(rest & IFF_RUNNING)) out += rest ? 'NO-CARRIER,' : 'NO-CARRIER'
  rest &= ~IFF_RUNNING
  for (const [bit, name] of LINK_FLAGS) {
    if (rest & bit) {
      rest &= ~bit
      out += rest ? `${name},` : name
    }
  }
  if (rest) out += (rest >>> 0).toString(16)
  if (mdown) out += ',M-DOWN'
  return `<${out}>`
}

function linkText(l: Link, p: TextPrinter): string {
  let head = `${l.index}: ${l.name === undefined ? '<nil>' : escapeText(l.name)}`
  let mdown = false
  if (l.link !== undefined) {
    if (l.link === 0) head += '@NONE'
    else if (l.linkNetnsid !== undefined) head += `@if${l.link}`
    else {
      // ip's ll_idx_n2a and ll_index_to_flags: the cache only, never the kernel
      const peer = p.known(l.link)
      head += `@${peer ? escapeText(peer.name) : `if${l.link}`}`
      mdown = !peer || !(peer.flags & IFF_UP)
    }
  }
  const parts = [`${head}:`, linkFlags(l.flags, mdown)]
  if (l.mtu !== undefined) parts.push(`mtu ${l.mtu}`)
  if (l.xdp && l.xdp.attached !== 'none') {
    const mode = { drv: 'xdp', generic: 'xdpgeneric', hw: 'xdpoffload', multi: 'xdpmulti' }[l.xdp.attached] ?? 'xdp'
    parts.push(l.xdp.progId !== undefined ? `${mode}/id:${l.xdp.progId}` : mode)
  }
  if (l.qdisc !== undefined) parts.push(`qdisc ${escapeText(l.qdisc)}`)
  if (l.master !== undefined) parts.push(`master ${p.dev(l.master)}`)
  if (l.operstate !== undefined) parts.push(`state ${l.operstate}`)
  if (l.group !== undefined) parts.push(`group ${groupName(l.group)}`)
  if (l.event) parts.push(`event ${LINK_EVENTS[l.event] ?? l.event}`)
  let ll = `link/${LINK_TYPES[l.type] ?? `[${l.type}]`}`
  if (l.address !== undefined) ll += ` ${l.address}`
  if (l.broadcast !== undefined) ll += ` ${l.flags & 0x10 ? 'peer' : 'brd'} ${l.broadcast}`
  parts.push(ll)
  if (l.linkNetnsid !== undefined) parts.push(`link-netnsid ${l.linkNetnsid}`)
  if (l.protoDown) parts.push('protodown on')
  for (const alt of l.altNames ?? []) parts.push(`altname ${escapeText(alt)}`)
  if (l.kind !== undefined) parts.push(`kind ${escapeText(l.kind)}`)
  return parts.join(' ')
}

function lifetime(v: number | 'forever', signed: boolean): string {
  if (v === 'forever') return 'forever'
  return `${signed ? v | 0 : v}sec`
}

function addressText(a: Address, p: TextPrinter): string {
  const parts = [`${a.index}: ${p.dev(a.index)}`, familyName(a.family)]
  const local = a.local ?? a.address
  if (local !== undefined) {
    const peer = a.address !== undefined && a.address !== local ? ` peer ${a.address}` : ''
    parts.push(`${local}${peer}/${a.prefixlen}`)
  }
  if (a.broadcast !== undefined) parts.push(`brd ${a.broadcast}`)
  if (a.anycast !== undefined) parts.push(`any ${a.anycast}`)
  parts.push(`scope ${a.scopeName}`)
  let rest = a.flags >>> 0
  for (const [bit, name] of ADDRESS_FLAGS) {
    if (bit === IFA_F_PERMANENT) {
      if (!(rest & bit)) parts.push('dynamic')
    } else if (rest & bit) {
      parts.push(bit === IFA_F_SECONDARY && a.family === AF_INET6 ? 'temporary' : name)
    }
    rest &= ~bit
  }
  if (rest) parts.push(`flags ${rest.toString(16).padStart(2, '0')}`)
  if (a.label !== undefined) parts.push(`label ${escapeText(a.label)}`)
  if (a.rtPriority !== undefined) parts.push(`metric ${a.rtPriority}`)
  if (a.proto !== undefined) parts.push(`proto ${ADDRESS_PROTOCOLS[a.proto] ?? a.proto}`)
  if (a.cacheinfo) {
    parts.push(`valid_lft ${lifetime(a.cacheinfo.valid, false)}`)
    parts.push(`preferred_lft ${lifetime(a.cacheinfo.preferred, (a.flags & IFA_F_DEPRECATED) !== 0)}`)
  }
  return parts.join(' ')
}

/** RTA_VIA: `via inet6 ADDR` (the family is the address's own). */
const viaText = (via: string) => `via ${via.includes(':') ? 'inet6' : 'inet'} ${via}`

/** rtt, rttvar and rto_min in ms, or seconds from 1000 ms up, as `ip` prints them. */
function timeMetric(ms: number): string {
  return ms >= 1000 ? `${Number((ms / 1e3).toPrecision(6))}s` : `${ms}ms`
}

function metricsText(metrics: Record<string, number | string>): string[] {
  const lock = typeof metrics.lock === 'number' ? metrics.lock : 0
  const out: string[] = []
  const indexed = METRICS.map((name, i) => [i, name] as const).slice(2)
  const unknown = Object.keys(metrics)
    .map((k) => /^metric(\d+)$/.exec(k))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => [Number(m[1]), m[0]] as const)
  for (const [i, key] of [...indexed, ...unknown]) {
    const v = metrics[key]
    const locked = (i < 32 && (lock >>> i) & 1) === 1
    if (v === undefined && !locked) continue
    const n = typeof v === 'number' ? v : 0
    if (key === 'hoplimit' && n === 0xffffffff) continue
    const words = [i < METRICS.length ? key : `metric ${i}`]
    if (locked) words.push('lock')
    if (key === 'rtt') words.push(timeMetric(Math.floor(n / 8)))
    else if (key === 'rttvar') words.push(timeMetric(Math.floor(n / 4)))
    else if (key === 'rto_min') words.push(timeMetric(n))
    else if (key === 'features') {
      if (n & 1) words.push('ecn')
      if (n & ~1) words.push(hex(n))
    } else if (key === 'congctl') words.push(escapeText(String(v ?? '')))
    else words.push(typeof v === 'string' ? escapeText(v) : String(n))
    out.push(words.join(' '))
  }
  return out
}

function nexthopText(h: Nexthop, family: number, p: TextPrinter): string {
  const parts = ['nexthop']
  if (h.gateway !== undefined) parts.push(`via ${h.gateway}`)
  if (h.via !== undefined) parts.push(viaText(h.via))
  parts.push(`dev ${p.dev(h.oif)}`)
  if (family !== 28) parts.push(`weight ${h.weight}`)
  parts.push(...flagWords(h.flags, ROUTE_FLAGS))
  return parts.join(' ')
}

function routeText(r: Route, p: TextPrinter): string {
  const parts: string[] = []
  if (r.typeName !== 'unicast') parts.push(r.typeName)
  parts.push(prefix(r.dst, r.dstLen, r.family))
  if (r.src !== undefined || r.srcLen) parts.push(`from ${prefix(r.src, r.srcLen, r.family)}`)
  if (r.nhid !== undefined) parts.push(`nhid ${r.nhid}`)
  if (r.encapType !== undefined) parts.push(`encap ${ENCAP_TYPES[r.encapType] ?? r.encapType}`)
  if (r.tos) parts.push(`tos 0x${r.tos.toString(16).padStart(2, '0')}`)
  if (r.gateway !== undefined) parts.push(`via ${r.gateway}`)
  if (r.via !== undefined) parts.push(viaText(r.via))
  if (r.oif !== undefined) parts.push(`dev ${p.dev(r.oif)}`)
  parts.push(`table ${r.tableName}`, `proto ${r.protocolName}`)
  if (r.scope !== 0) parts.push(`scope ${r.scopeName}`)
  if (r.prefsrc !== undefined) parts.push(`src ${r.prefsrc}`)
  if (r.priority !== undefined) parts.push(`metric ${r.priority}`)
  parts.push(...flagWords(r.flags, ROUTE_FLAGS))
  if (r.mark) parts.push(`mark ${r.mark >= 16 ? hex(r.mark) : r.mark}`)
  if (r.realms !== undefined) parts.push(realmsText(r.realms))
  if (r.uid !== undefined) parts.push(`uid ${r.uid}`)
  if (r.flags & 0x200) parts.push('cache')
  const ci = r.cacheinfo
  if (ci && (r.family === AF_INET || r.family === AF_INET6)) {
    // rta_expires is in USER_HZ ticks (100 a second) and signed, as ip divides it
    if (ci.expires) parts.push(`expires ${Math.trunc((ci.expires | 0) / 100)}sec`)
    if (ci.error) parts.push(`error ${ci.error >>> 0}`)
    if (ci.id) parts.push(`ipid 0x${ci.id.toString(16).padStart(4, '0')}`)
    if (ci.ts || ci.tsage) parts.push(`ts ${hex(ci.ts ?? 0)}`, `tsage ${ci.tsage ?? 0}sec`)
  }
  if (r.metrics) parts.push(...metricsText(r.metrics))
  if (r.iif !== undefined) parts.push(`iif ${p.dev(r.iif)}`)
  if (r.pref !== undefined) parts.push(`pref ${ROUTER_PREF[r.pref] ?? r.pref}`)
  for (const hop of r.multipath ?? []) parts.push(nexthopText(hop, r.family, p))
  return parts.join(' ')
}

function neighbourText(n: Neighbour, p: TextPrinter): string {
  if (n.family === AF_BRIDGE) return fdbText(n, p)
  const parts: string[] = []
  if (n.dst !== undefined) parts.push(n.dst)
  if (n.ifindex) parts.push(`dev ${p.dev(n.ifindex)}`)
  if (n.lladdr !== undefined) parts.push(`lladdr ${n.lladdr}`)
  if (n.flags & NTF_ROUTER) parts.push('router')
  if (n.flags & NTF_PROXY) parts.push('proxy')
  if (n.flags & NTF_EXT_LEARNED) parts.push('extern_learn')
  if (n.flags & NTF_OFFLOADED) parts.push('offload')
  if ((n.flagsExt ?? 0) & NTF_EXT_MANAGED) parts.push('managed')
  if (n.state) parts.push(...flagWords(n.state, NUD))
  if (n.protocol !== undefined) parts.push(`proto ${PROTOCOLS[n.protocol] ?? n.protocol}`)
  return parts.join(' ')
}

/** A bridge fdb entry with the tokens of `bridge monitor fdb`, after the word `fdb`. */
function fdbText(n: Neighbour, p: TextPrinter): string {
  const parts = ['fdb']
  if (n.lladdr !== undefined) parts.push(n.lladdr)
  if (n.ifindex) parts.push(`dev ${p.dev(n.ifindex)}`)
  if (n.dst !== undefined) parts.push(`dst ${n.dst}`)
  if (n.vlan) parts.push(`vlan ${n.vlan}`)
  if (n.port !== undefined) parts.push(`port ${n.port}`)
  if (n.vni !== undefined) parts.push(`vni ${n.vni}`)
  if (n.linkIfindex) parts.push(n.linkNetnsid === undefined ? `via ${p.dev(n.linkIfindex)}` : `via ifindex ${n.linkIfindex}`)
  if (n.linkNetnsid !== undefined) parts.push(`link-netnsid ${n.linkNetnsid}`)
  if (n.nhid !== undefined) parts.push(`nhid ${n.nhid}`)
  if (n.flags & NTF_SELF) parts.push('self')
  if (n.flags & NTF_ROUTER) parts.push('router')
  if (n.flags & NTF_EXT_LEARNED) parts.push('extern_learn')
  if (n.flags & NTF_OFFLOADED) parts.push('offload')
  if (n.master !== undefined) parts.push(`master ${p.dev(n.master)}`)
  else if (n.flags & NTF_MASTER) parts.push('master')
  if (n.flags & NTF_STICKY) parts.push('sticky')
  const s = n.state
  if (s & NUD_PERMANENT) parts.push('permanent')
  else if (s & NUD_NOARP) parts.push('static')
  else if (s & NUD_STALE) parts.push('stale')
  else if (!(s & NUD_REACHABLE)) parts.push(`state=${hex(s)}`)
  if (n.protocol !== undefined) parts.push(`proto ${PROTOCOLS[n.protocol] ?? n.protocol}`)
  return parts.join(' ')
}

function ruleText(r: Rule): string {
  const parts = [familyName(r.family), `${r.priority ?? 0}:`]
  if (r.flags & FIB_RULE_INVERT) parts.push('not')
  parts.push(`from ${r.src !== undefined ? prefix(r.src, r.srcLen, r.family) : r.srcLen ? `0/${r.srcLen}` : 'all'}`)
  if (r.dst !== undefined || r.dstLen) parts.push(`to ${prefix(r.dst, r.dstLen, r.family)}`)
  if (r.tos) parts.push(`tos 0x${r.tos.toString(16).padStart(2, '0')}`)
  if (r.fwmark !== undefined || r.fwmask !== undefined) {
    const mask = r.fwmask !== undefined && r.fwmask >>> 0 !== 0xffffffff ? `/${cHex(r.fwmask)}` : ''
    parts.push(`fwmark ${cHex(r.fwmark ?? 0)}${mask}`)
  }
  if (r.iifname !== undefined) parts.push(`iif ${escapeText(r.iifname)}${r.flags & FIB_RULE_IIF_DETACHED ? ' [detached]' : ''}`)
  if (r.oifname !== undefined) parts.push(`oif ${escapeText(r.oifname)}${r.flags & FIB_RULE_OIF_DETACHED ? ' [detached]' : ''}`)
  if (r.l3mdev) parts.push('lookup [l3mdev-table]')
  if (r.uidRange) parts.push(`uidrange ${r.uidRange.start}-${r.uidRange.end}`)
  if (r.ipProto !== undefined) parts.push(`ipproto ${IP_PROTOCOLS[r.ipProto] ?? r.ipProto}`)
  const range = (name: string, x: { start: number; end: number }) => `${name} ${x.start === x.end ? x.start : `${x.start}-${x.end}`}`
  if (r.sportRange) parts.push(range('sport', r.sportRange))
  if (r.dportRange) parts.push(range('dport', r.dportRange))
  if (r.tunId !== undefined) parts.push(`tun_id ${r.tunId}`)
  if (r.table) {
    parts.push(`lookup ${r.tableName}`)
    if (r.suppressPrefixlen !== undefined && r.suppressPrefixlen >>> 0 !== 0xffffffff) parts.push(`suppress_prefixlength ${r.suppressPrefixlen | 0}`)
    if (r.suppressIfgroup !== undefined && r.suppressIfgroup >>> 0 !== 0xffffffff) parts.push(`suppress_ifgroup ${groupName(r.suppressIfgroup)}`)
  }
  // rules say `realms` even for one realm (routes say `realm`)
  if (r.realms !== undefined) parts.push(`realms ${r.realms >>> 16 ? `${r.realms >>> 16}/` : ''}${r.realms & 0xffff}`)
  if (r.action === 2) {
    parts.push(`goto ${r.goto ?? 'none'}`)
    if (r.flags & FIB_RULE_UNRESOLVED) parts.push('[unresolved]')
  } else if (r.action === 3) parts.push('nop')
  else if (r.action !== 1) parts.push(r.actionName)
  if (r.protocol && r.protocol !== 2) parts.push(`proto ${r.protocolName ?? r.protocol}`)
  return parts.join(' ')
}
