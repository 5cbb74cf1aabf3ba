/**
 * The text form of events and listed objects: what `rtnl monitor`, `rtnl
 * list` and examples/monitor.mjs print.
 *
 * Each event becomes one line that carries every token the iproute2 tool
 * prints for the same message, in the tool's order, after a banner and a
 * verb: `ip monitor all` for links, addresses, routes, rules, neighbours,
 * nexthops, netconf, namespace ids, IPv6 prefixes and link statistics;
 * `bridge monitor` for fdb entries and the multicast database (and VLANs);
 * `tc monitor` for qdiscs, classes, filters and chains:
 *
 *   [LINK] new 3: a0@b0: <BROADCAST,MULTICAST,M-DOWN> mtu 1500 qdisc noop master br0 state DOWN group default link/ether 76:65:c4:c4:1c:78 brd ff:ff:ff:ff:ff:ff
 *   [ADDR] new 2: b0 inet 10.9.0.2/24 scope global secondary label b0 valid_lft forever preferred_lft forever
 *   [ROUTE] Deleted 10.14.0.0/16 nhid 7 via 10.9.0.3 dev b0 table main proto boot
 *   [RULE] new inet6 100: from 2001:db8::/32 lookup 100
 *   [NEIGH] new fdb 02:00:00:00:00:11 dev a0 master br0 static
 *   [NEXTHOP] new id 3 group 1/2,3
 *   [NETCONF] new inet v1 forwarding on
 *   [NSID] Deleted nsid 7 (iproute2 netns name: blue)
 *   [MDB] new dev br0 port v1 grp 239.1.1.1 permanent
 *   [FILTER] added filter dev v1 parent 1: protocol ip pref 1 u32 chain 0 fh 800::800 order 2048 key ht 800 bkt 0 *flowid 1:10 not_in_hw match 0a000000/ffffff00 at 16
 *
 * The verb is `new` or `Deleted` (the word ip and bridge print), and for tc
 * objects tc's own word: `deleted`, `added` or `replaced` (filters and
 * chains created with or without exclusivity), else `new`. Events only this
 * library joins (ND user options, multicast and anycast addresses) print
 * their decoded fields in the same style; a message this library does not
 * decode prints as [UNKNOWN] with its type's name and bytes.
 *
 * Where a tool prints several lines for one message (a link's `link/ether`
 * line, an address's lifetimes, a route's nexthops, a u32 filter's keys),
 * they are joined into one. `rtnl` adds a few tokens `ip` leaves out so that
 * different objects never print the same: `table` and `proto` of every
 * route, the family of every rule (`ip rule` prints IPv4 and IPv6 rules
 * alike).
 *
 * Like `ip`, a printer keeps a cache of link names (and flags, for `ip`'s
 * M-DOWN): filled by `load()` from a links.list() dump, updated by every link
 * event it formats, and on a miss filled by `lookup()` from links.get(), so
 * an fdb event that arrives before its link's event still names the link.
 * As in `ip`, a link's `@peer` and `M-DOWN` come from the cache alone. It
 * keeps the `ip netns` names of namespace ids the same way: read by `load()`
 * (when the namespace has ids), asked for on a new id, forgotten with it.
 *
 * Names are escaped for a terminal (src/escape.ts): control, format and
 * other invisible characters and the bytes of a name that are not valid
 * UTF-8 print as `\xNN`, a backslash as `\\`.
 *
 * Threads: all of this runs on the JS thread; lookups are links.get() and
 * nsidOf() calls, which the binding runs off the JS thread.
 */
import { readdirSync } from 'node:fs'
import { links } from './link'
import { nsids } from './nsid'
import { netnsNameOf, nsidOf } from './list'
import { escapeText } from './escape'
import { actionText, classText, filterText, qdiscText, tcVerb, cG } from './format-tc'
import type { Link } from './link'
import type { Address } from './address'
import type { Nexthop, Route } from './route'
import type { Rule } from './rule'
import type { Neighbour } from './neighbour'
import type { NexthopObject } from './nexthop'
import type { Netconf } from './netconf'
import type { Nsid } from './nsid'
import type { Prefix } from './prefix'
import type { NdOption, NdUserOption } from './nduseropt'
import type { LinkStats } from './stats'
import type { Qdisc, TcChain, TcClass, TcFilter } from './tc'
import type { TcAction } from './tc-action'
import type { BridgeVlan } from './vlan'
import type { BridgePort } from './bridge-port'
import type { MdbEntry } from './mdb'
import type { MonitorMessage } from './events'
import type { Netns } from './options'

export { escapeText }

/**
 * What `text()` formats, by name: the objects `list()` returns for each kind
 * (links, ..., linkStats), and the event-only prefixes and ND user options.
 *
 * @category Printer
 * @example
 * ```ts
 * import { createPrinter, routes, type PrintableTypes } from 'rtnl'
 *
 * const printer = createPrinter()
 * const show = (r: PrintableTypes['route']) => printer.text('route', r)
 * for (const r of await routes.list()) console.log(show(r))
 * ```
 */
export interface PrintableTypes {
  /** What `links.list()` returns one of. */
  link: Link
  /** What `addresses.list()` returns one of. */
  address: Address
  /** What `routes.list()` returns one of. */
  route: Route
  /** What `rules.list()` returns one of. */
  rule: Rule
  /** What `neighbours.list()` returns one of. */
  neighbour: Neighbour
  /** What `nexthops.list()` returns one of. */
  nexthop: NexthopObject
  /** What `nexthopBuckets.list()` returns one of. */
  nexthopBucket: NexthopObject
  /** What `netconf.list()` returns one of. */
  netconf: Netconf
  /** What `nsids.list()` returns one of. */
  nsid: Nsid
  /** What `qdiscs.list()` returns one of. */
  qdisc: Qdisc
  /** What `tcClasses.list()` returns one of. */
  tcClass: TcClass
  /** What `tcFilters.list()` returns one of. */
  tcFilter: TcFilter
  /** What `tcChains.list()` returns one of. */
  tcChain: TcChain
  /** What `bridgeVlans.list()` returns one of. */
  bridgeVlan: BridgeVlan
  /** What `bridgePorts.list()` returns one of. */
  bridgePort: BridgePort
  /** What `mdb.list()` returns one of. */
  mdb: MdbEntry
  /** What `linkStats.list()` returns one of. */
  linkStats: LinkStats
  /** What `tcActions.list()` returns one of. */
  tcAction: TcAction
  /** A `new_prefix` event's resource. */
  prefix: Prefix
  /** A `new_nduseropt` event's resource. */
  ndUserOption: NdUserOption
}

/**
 * A kind `text()` formats: 'link', 'address', 'route', 'rule', 'neighbour', 'nexthop', 'qdisc', ...
 *
 * @category Printer
 * @example
 * ```ts
 * import { createPrinter, links, type PrintableKind } from 'rtnl'
 *
 * const printer = createPrinter()
 * await printer.load()
 * const kind: PrintableKind = 'link'
 * for (const l of await links.list()) console.log(printer.text(kind, l))
 * ```
 */
export type PrintableKind = keyof PrintableTypes

/**
 * What {@link createPrinter} takes.
 *
 * @category Printer
 * @example
 * ```ts
 * import { createPrinter, subscribe } from 'rtnl'
 *
 * const netns = { name: 'blue' }
 * const printer = createPrinter({ netns }) // names links as the namespace the events come from has them
 * for await (const msg of await subscribe({ netns })) console.log(await printer.line(msg))
 * ```
 */
export interface PrinterOptions {
  /** The namespace the events come from: where `load()` and `lookup()` ask for link names. Default 'host'. */
  netns?: Netns
}

/**
 * A printer of the text format `rtnl monitor` prints: one line per message,
 * every token the iproute2 tool prints for it, in its order. Made by
 * {@link createPrinter}, with its own cache of link names.
 *
 * @category Printer
 * @example
 * ```ts
 * import { createPrinter, subscribe } from 'rtnl'
 *
 * const printer = createPrinter()
 * await printer.load() // the link names, as `ip monitor` reads them when it starts
 * for await (const msg of await subscribe()) console.log(printer.format(msg)) // [ROUTE] new 10.1.0.0/16 via 10.0.0.2 dev eth0 table main proto boot ...
 * ```
 */
export interface Printer {
  /**
   * Fills the link-name cache from a links.list() dump (what `ip` does when
   * it starts), and, when the namespace has namespace ids, the `ip netns`
   * names they stand for.
   */
  load(): Promise<void>
  /**
   * Asks the kernel (links.get) for the links `msg` refers to that the cache
   * does not know, as `ip` does before printing a name, and for the `ip
   * netns` name of a new namespace id. Resolves at once when every name is
   * known; a link that no longer exists stays unknown.
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
  text<K extends PrintableKind>(kind: K, item: PrintableTypes[K]): string
}

/**
 * A printer of the text format, with its own link-name cache.
 *
 * @category Printer
 * @example
 * ```ts
 * import { createPrinter, subscribe, ALL_GROUPS } from 'rtnl'
 *
 * const printer = createPrinter()
 * await printer.load()
 * for await (const msg of await subscribe({ groups: [...ALL_GROUPS] })) console.log(await printer.line(msg)) // lookup(), then format()
 * ```
 */
export function createPrinter(opts: PrinterOptions = {}): Printer {
  return new TextPrinter(opts.netns ?? 'host')
}

// ---- numbers `ip` prints as words ------------------------------------------------------------

const IFF_UP = 0x1
const IFF_RUNNING = 0x40
/** IFF_* flags in the order `ip` prints them (RUNNING is folded into NO-CARRIER). */
export const LINK_FLAGS: [number, string][] = [
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
export const ADDRESS_FLAGS: [number, string][] = [
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
export const PROTOCOLS: Record<number, string> = {
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
const AF_MPLS = 28
const familyName = (f: number) =>
  f === AF_INET ? 'inet' : f === AF_INET6 ? 'inet6' : f === AF_BRIDGE ? 'bridge' : f === AF_MPLS ? 'mpls' : `family ${f}`
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
  /** namespace id -> its `ip netns` name: `ip`'s netns map. */
  readonly #nsNames = new Map<number, string>()
  /** namespace id -> when no `ip netns` name was found for it. */
  readonly #nsMisses = new Map<number, number>()

  constructor(readonly netns: Netns) {}

  async load(): Promise<void> {
    for (const l of await links.list({ netns: this.netns })) this.#remember(l)
    await this.#loadNsNames()
  }

  /** The names of the ids the namespace has given (only when it has given any: most have none, and this asks once per `ip netns` name). */
  async #loadNsNames(): Promise<void> {
    const ids = new Set((await nsids.list({ netns: this.netns })).map((n) => n.nsid).filter((n): n is number => n !== undefined && n >= 0))
    if (ids.size === 0) return
    let names: string[]
    try {
      names = readdirSync('/run/netns')
    } catch {
      return
    }
    for (const name of names) {
      if ([...ids].every((id) => this.#nsNames.has(id))) break
      try {
        const id = await nsidOf({ name }, { netns: this.netns })
        if (id !== null && ids.has(id)) this.#nsNames.set(id, name)
      } catch {
        // not a namespace (or gone): not one of these
      }
    }
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
    // A new id, or a link's peer in another namespace: the `ip netns` name whose namespace has the id now
    // (a deleted id's namespace is gone: the cache alone names it).
    const id = msg.type !== 'event' ? undefined : msg.op === 'new_nsid' ? msg.resource.nsid : msg.op === 'new_link' ? msg.resource.linkNetnsid : undefined
    if (id !== undefined && id >= 0 && !this.#nsNames.has(id) && !(now - (this.#nsMisses.get(id) ?? -Infinity) < MISS_TTL_MS)) {
      let name: string | null = null
      try {
        name = await netnsNameOf(id, { netns: this.netns })
      } catch {
        // the namespace went away
      }
      if (name !== null) this.#nsNames.set(id, name)
      else this.#nsMisses.set(id, Date.now())
    }
  }

  async line(msg: MonitorMessage): Promise<string> {
    await this.lookup(msg)
    return this.format(msg)
  }

  /** `ip`'s ll_index_to_name: 0 is `*`, an unknown index `ifN`; a name (a change may give one) as it is. */
  dev(index: number | string): string {
    if (typeof index === 'string') return escapeText(index)
    if (index === 0) return '*'
    const known = this.#links.get(index)
    return known ? escapeText(known.name) : `if${index}`
  }

  known(index: number): KnownLink | undefined {
    return this.#links.get(index)
  }

  /** The `ip netns` name of a namespace id, when known. */
  nsName(id: number): string | undefined {
    return this.#nsNames.get(id)
  }

  format(msg: MonitorMessage): string {
    if (msg.type === 'resync_needed') return `[RESYNC] ${msg.reason}: events may have been lost; re-list`
    this.#learn(msg)
    const verb = msg.op.startsWith('del_') ? 'Deleted' : 'new'
    const dev = (i: number) => this.dev(i)
    switch (msg.op) {
      case 'new_link':
      case 'del_link':
        return `[LINK] ${verb} ${linkText(msg.resource, this)}`
      case 'new_addr':
      case 'del_addr':
        return `[ADDR] ${verb} ${addressText(msg.resource, this)}`
      case 'new_maddr':
      case 'del_maddr':
        return `[MADDR] ${verb} ${groupAddressText(msg.resource, this)}`
      case 'new_acaddr':
      case 'del_acaddr':
        return `[ACADDR] ${verb} ${groupAddressText(msg.resource, this)}`
      case 'new_route':
      case 'del_route':
        return `[ROUTE] ${verb} ${routeText(msg.resource, this)}`
      case 'new_neigh':
      case 'del_neigh':
        return `[NEIGH] ${verb} ${neighbourText(msg.resource, this)}`
      case 'new_rule':
      case 'del_rule':
        return `[RULE] ${verb} ${ruleText(msg.resource)}`
      case 'new_nexthop':
      case 'del_nexthop':
        return `[NEXTHOP] ${verb} ${nexthopObjectText(msg.resource, this)}`
      case 'new_nexthop_bucket':
      case 'del_nexthop_bucket':
        return `[NEXTHOPBUCKET] ${verb} ${nexthopBucketText(msg.resource)}`
      case 'new_netconf':
      case 'del_netconf':
        return `[NETCONF] ${verb} ${netconfText(msg.resource, this)}`
      case 'new_nsid':
      case 'del_nsid': {
        const line = `[NSID] ${verb} ${nsidText(msg.resource, this)}`
        // as ip: a deleted id's name is forgotten with it
        if (msg.op === 'del_nsid' && msg.resource.nsid !== undefined) this.#nsNames.delete(msg.resource.nsid)
        return line
      }
      case 'new_prefix':
        return `[PREFIX] ${verb} ${prefixText(msg.resource, this)}`
      case 'new_nduseropt':
        return `[NDUSEROPT] ${verb} ${ndUserOptionText(msg.resource, this)}`
      case 'new_stats':
        return `[STATS] ${verb} ${linkStatsText(msg.resource, this)}`
      case 'new_qdisc':
      case 'del_qdisc':
        return `[QDISC] ${tcVerb(msg.op, msg.nlmsgFlags)} ${qdiscText(msg.resource, dev)}`
      case 'new_class':
      case 'del_class':
        return `[CLASS] ${tcVerb(msg.op, msg.nlmsgFlags)} ${classText(msg.resource, dev)}`
      case 'new_filter':
      case 'del_filter':
        return `[FILTER] ${tcVerb(msg.op, msg.nlmsgFlags)} ${filterText(msg.resource, dev)}`
      case 'new_chain':
      case 'del_chain':
        return `[CHAIN] ${tcVerb(msg.op, msg.nlmsgFlags)} ${filterText(msg.resource, dev)}`
      case 'new_action':
      case 'del_action':
        return `[ACTION] ${tcVerb(msg.op, msg.nlmsgFlags)} ${actionText(msg.resource, dev)}`
      case 'new_mdb':
      case 'del_mdb':
        return `[MDB] ${verb} ${mdbText(msg.resource, this)}`
      case 'new_vlan':
      case 'del_vlan':
        return `[VLAN] ${verb} ${vlanText(msg.resource, this)}`
      // as ip monitor labels the bridge family's link messages
      case 'new_bridge_port':
      case 'del_bridge_port':
        return `[LINK] ${verb} ${bridgePortText(msg.resource, this)}`
      case 'unknown':
        return `[UNKNOWN] ${msg.typeName} (nlmsg_type ${msg.rtmType})${msg.error ? `: ${escapeText(msg.error)}` : ''} payload ${msg.payload}`
      default: {
        // an op newer than this printer: its fields, as JSON
        const m = msg as { op: string; resource: unknown }
        return `[${m.op.replace(/^(new|del)_/, '').toUpperCase()}] ${m.op.startsWith('del_') ? 'Deleted' : 'new'} ${JSON.stringify(m.resource)}`
      }
    }
  }

  text<K extends PrintableKind>(kind: K, item: PrintableTypes[K]): string {
    const dev = (i: number) => this.dev(i)
    const it = item as never
    switch (kind as PrintableKind) {
      case 'link':
        return linkText(it, this)
      case 'address':
        return addressText(it, this)
      case 'route':
        return routeText(it, this)
      case 'rule':
        return ruleText(it)
      case 'neighbour':
        return neighbourText(it, this)
      case 'nexthop':
        return nexthopObjectText(it, this)
      case 'nexthopBucket':
        return nexthopBucketText(it)
      case 'netconf':
        return netconfText(it, this)
      case 'nsid':
        return nsidText(it, this)
      case 'qdisc':
        return qdiscText(it, dev)
      case 'tcClass':
        return classText(it, dev)
      case 'tcFilter':
      case 'tcChain':
        return filterText(it, dev)
      case 'bridgeVlan':
        return vlanText(it, this)
      case 'bridgePort':
        return bridgePortText(it, this)
      case 'mdb':
        return mdbText(it, this)
      case 'linkStats':
        return linkStatsText(it, this)
      case 'tcAction':
        return actionText(it, dev)
      case 'prefix':
        return prefixText(it, this)
      case 'ndUserOption':
        return ndUserOptionText(it, this)
      default:
        throw new TypeError(`text(): unknown kind '${String(kind)}'`)
    }
  }
}

/** The ifindexes whose names the line for `msg` prints through ll_index_to_name (not a link's @peer). */
function referencedLinks(msg: MonitorMessage): number[] {
  if (msg.type !== 'event' || msg.resource === null) return []
  const some = (...xs: (number | undefined)[]) => xs.filter((i): i is number => i !== undefined)
  switch (msg.op) {
    case 'new_link':
    case 'del_link':
      return msg.resource.master !== undefined ? [msg.resource.master] : []
    case 'new_addr':
    case 'del_addr':
    case 'new_maddr':
    case 'del_maddr':
    case 'new_acaddr':
    case 'del_acaddr':
      return [msg.resource.index]
    case 'new_route':
    case 'del_route': {
      const r = msg.resource
      return some(r.oif, r.iif, ...(r.multipath ?? []).map((h) => h.oif))
    }
    case 'new_neigh':
    case 'del_neigh': {
      const n = msg.resource
      return some(n.ifindex, n.master, n.linkNetnsid === undefined ? n.linkIfindex : undefined)
    }
    case 'new_nexthop':
    case 'del_nexthop':
      return some(msg.resource.oif)
    case 'new_netconf':
    case 'del_netconf':
      return some(msg.resource.interface === undefined ? msg.resource.ifindex : undefined)
    case 'new_prefix':
    case 'new_nduseropt':
    case 'new_stats':
    case 'new_vlan':
    case 'del_vlan':
      return [msg.resource.ifindex]
    case 'new_bridge_port':
    case 'del_bridge_port':
      return some(msg.resource.master, msg.resource.link)
    case 'new_qdisc':
    case 'del_qdisc':
    case 'new_class':
    case 'del_class':
    case 'new_filter':
    case 'del_filter':
    case 'new_chain':
    case 'del_chain':
      return [msg.resource.ifindex]
    case 'new_mdb':
    case 'del_mdb':
      return some(msg.resource.ifindex, msg.resource.port, msg.resource.dstIfindex)
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
  const name = l.name === undefined ? '<nil>' : escapeText(l.name)
  // a change's partial object (rtnl apply) may have no index: a link to add
  let head = l.index === undefined ? name : `${l.index}: ${name}`
  let mdown = false
  if (l.link !== undefined) {
    if (l.link === 0) head += '@NONE'
    else if (l.linkNetnsid !== undefined) head += `@if${l.link}`
    else if (typeof l.link !== 'number') head += `@${p.dev(l.link)}`
    else {
      // ip's ll_idx_n2a and ll_index_to_flags: the cache only, never the kernel
      const peer = p.known(l.link)
      head += `@${peer ? escapeText(peer.name) : `if${l.link}`}`
      mdown = !peer || !(peer.flags & IFF_UP)
    }
  }
  const parts = [`${head}:`]
  if (l.flags !== undefined) parts.push(linkFlags(l.flags, mdown))
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
  if (l.type !== undefined) {
    let ll = `link/${LINK_TYPES[l.type] ?? `[${l.type}]`}`
    if (l.address !== undefined) ll += ` ${l.address}`
    if (l.broadcast !== undefined) ll += ` ${l.flags & 0x10 ? 'peer' : 'brd'} ${l.broadcast}`
    parts.push(ll)
  } else {
    // a change that sets the addresses alone (`ip link set ... address`)
    if (l.address !== undefined) parts.push(`address ${l.address}`)
    if (l.broadcast !== undefined) parts.push(`broadcast ${l.broadcast}`)
  }
  if (l.linkNetnsid !== undefined) {
    parts.push(`link-netnsid ${l.linkNetnsid}`)
    // what ip prints instead once it knows the id's `ip netns` name
    const name = l.linkNetnsid >= 0 ? p.nsName(l.linkNetnsid) : undefined
    if (name !== undefined) parts.push(`link-netns ${escapeText(name)}`)
  }
  if (l.protoDown) parts.push('protodown on')
  // ip's own line for it, `    alias TEXT`, before the altnames
  if (l.ifalias !== undefined) parts.push(`alias ${escapeText(l.ifalias)}`)
  for (const alt of l.altNames ?? []) parts.push(`altname ${escapeText(alt)}`)
  if (l.kind !== undefined) parts.push(`kind ${escapeText(l.kind)}`)
  return parts.join(' ')
}

/** IFLA_BRPORT_* flags `bridge -d link show` prints, by its names. */
const BRIDGE_PORT_FLAGS: [string, string][] = [
  ['hairpin', 'hairpin'], ['guard', 'guard'], ['rootBlock', 'root_block'], ['fastleave', 'fastleave'],
  ['learning', 'learning'], ['flood', 'flood'], ['mcastFlood', 'mcast_flood'], ['bcastFlood', 'bcast_flood'],
  ['mcastToUnicast', 'mcast_to_unicast'], ['neighSuppress', 'neigh_suppress'], ['vlanTunnel', 'vlan_tunnel'],
  ['isolated', 'isolated'], ['locked', 'locked'], ['mab', 'mab'],
]

/**
 * A bridge port: ip's words for the bridge family's link message (`3: v1@v0: <...> mtu 1500 master br0
 * state UP link/ether ...`), then bridge's (`state forwarding priority 32 cost 2 learning on ...`).
 */
function bridgePortText(b: BridgePort, p: TextPrinter): string {
  let head = `${b.index}: ${b.name === undefined ? '<nil>' : escapeText(b.name)}`
  let mdown = false
  if (b.link === 0) head += '@NONE'
  else if (b.link !== undefined) {
    // as a link's: the peer's name and state from the cache only
    const peer = p.known(b.link)
    head += `@${peer ? escapeText(peer.name) : `if${b.link}`}`
    mdown = !peer || !(peer.flags & IFF_UP)
  }
  const parts = [`${head}:`, linkFlags(b.flags, mdown)]
  if (b.mtu !== undefined) parts.push(`mtu ${b.mtu}`)
  if (b.master !== undefined) parts.push(`master ${p.dev(b.master)}`)
  if (b.operstate !== undefined) parts.push(`state ${b.operstate}`)
  parts.push(`link/${LINK_TYPES[b.type] ?? `[${b.type}]`}${b.address !== undefined ? ` ${b.address}` : ''}`)
  const info = b.protinfo
  if (b.stateName !== undefined) parts.push(`state ${b.stateName}`)
  if (info?.priority !== undefined) parts.push(`priority ${info.priority}`)
  if (info?.cost !== undefined) parts.push(`cost ${info.cost}`)
  for (const [key, name] of BRIDGE_PORT_FLAGS) {
    const v = info?.[key as keyof typeof info]
    if (typeof v === 'boolean') parts.push(`${name} ${v ? 'on' : 'off'}`)
  }
  if (info?.multicastRouter !== undefined) parts.push(`mcast_router ${info.multicastRouter}`)
  for (const v of b.vlans ?? []) {
    const flags = [v.flagNames.includes('pvid') ? 'PVID' : '', v.flagNames.includes('untagged') ? 'Egress Untagged' : ''].filter(Boolean)
    parts.push(`vlan ${v.vidEnd !== undefined ? `${v.vid}-${v.vidEnd}` : v.vid}${flags.length ? ` ${flags.join(' ')}` : ''}`)
  }
  return parts.join(' ')
}

function lifetime(v: number | 'forever', signed: boolean): string {
  if (v === 'forever') return 'forever'
  return `${signed ? v | 0 : v}sec`
}

function addressText(a: Address, p: TextPrinter): string {
  // a change's partial object (rtnl apply) may name its link
  const parts = [typeof a.index === 'number' ? `${a.index}: ${p.dev(a.index)}` : p.dev(a.index), familyName(a.family)]
  const local = a.local ?? a.address
  if (local !== undefined) {
    const peer = a.address !== undefined && a.address !== local ? ` peer ${a.address}` : ''
    parts.push(`${local}${peer}/${a.prefixlen}`)
  }
  if (a.broadcast !== undefined) parts.push(`brd ${a.broadcast}`)
  if (a.anycast !== undefined) parts.push(`any ${a.anycast}`)
  if (a.scopeName !== undefined) parts.push(`scope ${a.scopeName}`)
  // a change without flags leaves them to the kernel: no words for them
  let rest = a.flags >>> 0
  for (const [bit, name] of a.flags === undefined ? [] : ADDRESS_FLAGS) {
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
  // a change's partial object (rtnl apply) leaves out what it does not match on
  if (r.typeName !== undefined && r.typeName !== 'unicast') parts.push(r.typeName)
  parts.push(prefix(r.dst, r.dstLen, r.family))
  if (r.src !== undefined || r.srcLen) parts.push(`from ${prefix(r.src, r.srcLen, r.family)}`)
  if (r.nhid !== undefined) parts.push(`nhid ${r.nhid}`)
  if (r.encapType !== undefined) parts.push(`encap ${ENCAP_TYPES[r.encapType] ?? r.encapType}`)
  if (r.tos) parts.push(`tos 0x${r.tos.toString(16).padStart(2, '0')}`)
  if (r.gateway !== undefined) parts.push(`via ${r.gateway}`)
  if (r.via !== undefined) parts.push(viaText(r.via))
  if (r.oif !== undefined) parts.push(`dev ${p.dev(r.oif)}`)
  if (r.tableName !== undefined) parts.push(`table ${r.tableName}`)
  if (r.protocolName !== undefined) parts.push(`proto ${r.protocolName}`)
  if (r.scope !== undefined && r.scope !== 0) parts.push(`scope ${r.scopeName}`)
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
  // a change without a state leaves it to the kernel: no word for it
  if (s !== undefined) {
    if (s & NUD_PERMANENT) parts.push('permanent')
    else if (s & NUD_NOARP) parts.push('static')
    else if (s & NUD_STALE) parts.push('stale')
    else if (!(s & NUD_REACHABLE)) parts.push(`state=${hex(s)}`)
  }
  if (n.protocol !== undefined) parts.push(`proto ${PROTOCOLS[n.protocol] ?? n.protocol}`)
  return parts.join(' ')
}

function ruleText(r: Rule): string {
  const parts: string[] = []
  // a change's partial object (rtnl apply) may leave the family and the priority to the kernel (a listed rule has both)
  if (r.family !== undefined) parts.push(familyName(r.family))
  if (r.priority !== undefined) parts.push(`${r.priority}:`)
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
  else if (r.action !== undefined && r.action !== 1) parts.push(r.actionName ?? String(r.action))
  if (r.protocol && r.protocol !== 2) parts.push(`proto ${r.protocolName ?? r.protocol}`)
  return parts.join(' ')
}

/** A multicast group a link joined, or an IPv6 anycast address: `3: v0 inet6 ff02::1` (ip has no monitor line for them). */
function groupAddressText(a: Address, p: TextPrinter): string {
  return `${a.index}: ${p.dev(a.index)} ${familyName(a.family)} ${a.multicast ?? a.anycast ?? a.address ?? a.local ?? ''}`.trimEnd()
}

/** Clock ticks (1/100 s) as `ip` prints them: seconds, %g. */
const ticksAsSeconds = (t: number | undefined) => cG((t ?? 0) / 100)

/** `ip nexthop`'s line: `id 1 via 10.0.0.2 dev v0 scope link`, `id 3 group 1/2,3`, `id 4 blackhole`. */
function nexthopObjectText(n: NexthopObject, p: TextPrinter): string {
  const parts = [`id ${n.id ?? 0}`]
  if (n.group) parts.push(`group ${n.group.map((m) => (m.weight !== undefined && m.weight !== 1 ? `${m.id},${m.weight}` : `${m.id}`)).join('/')}`)
  // ip leaves out the default type (mpath)
  if (n.groupType) parts.push(`type ${n.groupTypeName ?? n.groupType}`)
  if (n.resilient) {
    const r = n.resilient
    parts.push(`buckets ${r.buckets ?? 0}`, `idle_timer ${ticksAsSeconds(r.idleTimer)}`)
    parts.push(`unbalanced_timer ${ticksAsSeconds(r.unbalancedTimer)}`, `unbalanced_time ${ticksAsSeconds(r.unbalancedTime)}`)
  }
  if (n.encapType !== undefined) parts.push(`encap ${n.encapTypeName ?? n.encapType}`)
  if (n.gateway !== undefined) parts.push(`via ${n.gateway}`)
  if (n.oif) parts.push(`dev ${p.dev(n.oif)}`)
  // a change's partial object (rtnl apply) leaves out what the kernel fills in
  if (n.scope !== undefined && n.scope !== 0) parts.push(`scope ${n.scopeName}`)
  if (n.blackhole) parts.push('blackhole')
  if (n.protocol !== undefined && n.protocol !== 0) parts.push(`proto ${n.protocolName ?? n.protocol}`)
  parts.push(...(n.flagNames ?? []))
  if (n.fdb) parts.push('fdb')
  return parts.join(' ')
}

/** `ip nexthop bucket`'s line: `id 10 index 0 idle_time 0 nhid 1`. */
function nexthopBucketText(n: NexthopObject): string {
  const parts = [`id ${n.id ?? 0}`]
  const b = n.bucket
  if (b?.index !== undefined) parts.push(`index ${b.index}`)
  if (b?.idleTime !== undefined) parts.push(`idle_time ${ticksAsSeconds(b.idleTime)}`)
  if (b?.nhId !== undefined) parts.push(`nhid ${b.nhId}`)
  parts.push(...n.flagNames)
  return parts.join(' ')
}

const onOff = (v: number | undefined) => (v ? 'on' : 'off')

/** `ip netconf`'s line: `inet v1 forwarding on rp_filter loose ...`; an event names only what changed. */
function netconfText(c: Netconf, p: TextPrinter): string {
  const parts = [familyName(c.family)]
  if (c.ifindex !== undefined) parts.push(c.interface ?? p.dev(c.ifindex))
  const flag = (name: string, v: number | undefined) => v !== undefined && parts.push(`${name} ${onOff(v)}`)
  flag('forwarding', c.forwarding)
  if (c.rpFilter !== undefined) parts.push(`rp_filter ${c.rpFilterName ?? c.rpFilter}`)
  flag('mc_forwarding', c.mcForwarding)
  flag('proxy_neigh', c.proxyNeigh)
  flag('ignore_routes_with_linkdown', c.ignoreRoutesWithLinkdown)
  flag('input', c.input)
  // not printed by ip 6.1
  flag('bc_forwarding', c.bcForwarding)
  return parts.join(' ')
}

/** `ip netns list-id`'s line: `nsid 7 (iproute2 netns name: blue)`. */
function nsidText(n: Nsid, p: TextPrinter): string {
  const parts: string[] = []
  if (n.nsid !== undefined) parts.push(n.nsid >= 0 ? `nsid ${n.nsid}` : 'nsid unassigned')
  if (n.currentNsid !== undefined) parts.push(n.currentNsid >= 0 ? `current-nsid ${n.currentNsid}` : 'current-nsid unassigned')
  const name = n.nsid !== undefined && n.nsid >= 0 ? p.nsName(n.nsid) : undefined
  if (name !== undefined) parts.push(`(iproute2 netns name: ${escapeText(name)})`)
  return parts.join(' ')
}

/**
 * `ip monitor prefix`'s line: `prefix 2001:db8::/64 dev v0 onlink autoconf
 * valid 2592000 preferred 604800`. The flags are named whichever encoding
 * the kernel used (ip 6.1 knows only the one before Linux 6.7).
 */
function prefixText(x: Prefix, p: TextPrinter): string {
  const parts = [`prefix ${x.address ?? ''}/${x.prefixLen}`, `dev ${p.dev(x.ifindex)}`, ...x.flagNames]
  if (x.prefixType !== 3) parts.push(`type ${x.prefixType}`)
  if (x.cacheinfo) parts.push(`valid ${x.cacheinfo.validTime}`, `preferred ${x.cacheinfo.preferredTime}`)
  return parts.join(' ')
}

/** The prefix information option's flag byte (RFC 4861, RFC 8425, RFC 9762). */
const PIO_FLAGS: [number, string][] = [[0x80, 'onlink'], [0x40, 'autoconf'], [0x20, 'router-address'], [0x10, 'pd-preferred']]

function ndOptionText(o: NdOption): string {
  if (o.typeName === 'prefix' && o.prefix !== undefined) {
    return [`prefix ${o.prefix}/${o.prefixLen}`, ...flagWords(o.flags ?? 0, PIO_FLAGS), `valid ${o.validLifetime}`, `preferred ${o.preferredLifetime}`].join(' ')
  }
  if (o.typeName === 'rdnss' && o.servers) return `rdnss ${o.servers.join(' ')} lifetime ${o.lifetime}`
  if (o.typeName === 'dnssl' && o.domains) return `dnssl ${o.domains.map(escapeText).join(' ')} lifetime ${o.lifetime}`
  if (o.typeName === 'captive-portal' && o.uri !== undefined) return `captive-portal ${escapeText(o.uri)}`
  if (o.typeName === 'pref64' && o.prefix !== undefined) return `pref64 ${o.prefix}/${o.prefixLen} lifetime ${o.lifetime}`
  return `option ${o.type}${o.data ? ` data ${o.data}` : ''}`
}

/**
 * ND options from a router advertisement (ip prints none of these):
 * `dev v1 from fe80::1 rdnss 2001:db8::53 lifetime 600`.
 */
function ndUserOptionText(u: NdUserOption, p: TextPrinter): string {
  const parts = [`dev ${p.dev(u.ifindex)}`]
  if (u.srcaddr !== undefined) parts.push(`from ${u.srcaddr}`)
  if (u.icmpType !== 134 || u.icmpCode !== 0) parts.push(`icmp_type ${u.icmpType} code ${u.icmpCode}`)
  parts.push(...u.options.map(ndOptionText))
  return parts.join(' ')
}

type CounterKey = 'rxBytes' | 'rxPackets' | 'rxErrors' | 'rxDropped' | 'multicast' | 'txBytes' | 'txPackets' | 'txErrors' | 'txDropped'
/** The counters `ip stats show` prints of a rtnl_link_stats64 or rtnl_hw_stats64. */
const counters = (c: Partial<Record<CounterKey, number | string>>) => {
  const n = (k: CounterKey) => c[k] ?? 0
  return (
    `RX: bytes ${n('rxBytes')} packets ${n('rxPackets')} errors ${n('rxErrors')} dropped ${n('rxDropped')} mcast ${n('multicast')} ` +
    `TX: bytes ${n('txBytes')} packets ${n('txPackets')} errors ${n('txErrors')} dropped ${n('txDropped')}`
  )
}

/**
 * `ip monitor stats`' line: `3: v0: l3_stats on used off` (the hardware
 * statistics state, all an event carries); then, as `ip stats show` has
 * them, the link's counters, the L3 hardware and CPU-hit counters.
 */
function linkStatsText(s: LinkStats, p: TextPrinter): string {
  const parts = [`${s.ifindex}:`, `${p.dev(s.ifindex)}:`]
  const info = s.offloadXstats?.hwStatsInfo?.l3Stats
  const l3 = s.offloadXstats?.l3Stats
  if (info || l3) {
    parts.push('l3_stats')
    if (info?.request !== undefined) parts.push(onOff(info.request))
    if (info?.used !== undefined) parts.push('used', onOff(info.used))
    if (l3) parts.push(counters(l3))
  }
  if (s.link64) parts.push('link', counters(s.link64))
  if (s.offloadXstats?.cpuHit) parts.push('cpu_hit', counters(s.offloadXstats.cpuHit))
  return parts.join(' ')
}

/** `bridge monitor mdb`'s line: `dev br0 port v1 grp 239.1.1.1 permanent vid 1`, `router port dev v1 master br0`. */
function mdbText(m: MdbEntry, p: TextPrinter): string {
  if (m.entryType === 'router') {
    const parts = ['router port', `dev ${p.dev(m.port)}`, `master ${p.dev(m.ifindex)}`]
    if (m.vid) parts.push(`vid ${m.vid}`)
    if (m.routerTypeName !== undefined) parts.push(`type ${m.routerTypeName}`)
    return parts.join(' ')
  }
  const parts = [`dev ${p.dev(m.ifindex)}`, `port ${p.dev(m.port)}`]
  if (m.grp !== undefined) parts.push(`grp ${m.grp}`)
  if (m.source !== undefined) parts.push(`src ${m.source}`)
  if (m.stateName !== undefined) parts.push(m.stateName)
  parts.push(...(m.flagNames ?? []))
  if (m.groupModeName !== undefined) parts.push(`filter_mode ${m.groupModeName}`)
  if (m.srcList?.length) parts.push(`source_list ${m.srcList.map((x) => x.address ?? '?').join(',')}`)
  if (m.rtprotName !== undefined) parts.push(`proto ${m.rtprotName}`)
  if (m.dst !== undefined) parts.push(`dst ${m.dst}`)
  if (m.dstPort !== undefined) parts.push(`dst_port ${m.dstPort}`)
  if (m.vni !== undefined) parts.push(`vni ${m.vni}`)
  if (m.srcVni !== undefined) parts.push(`src_vni ${m.srcVni}`)
  if (m.dstIfindex !== undefined) parts.push(`via ${p.dev(m.dstIfindex)}`)
  if (m.vid) parts.push(`vid ${m.vid}`)
  return parts.join(' ')
}

/** BRIDGE_VLANDB_GOPTS_* as `bridge vlan global` prints them. */
const VLAN_GLOBAL_OPTIONS: [keyof NonNullable<BridgeVlan['global']>, string][] = [
  ['mcastSnooping', 'mcast_snooping'], ['mcastQuerier', 'mcast_querier'], ['mcastIgmpVersion', 'mcast_igmp_version'],
  ['mcastMldVersion', 'mcast_mld_version'], ['mcastLastMemberCnt', 'mcast_last_member_count'],
  ['mcastLastMemberIntvl', 'mcast_last_member_interval'], ['mcastStartupQueryCnt', 'mcast_startup_query_count'],
  ['mcastStartupQueryIntvl', 'mcast_startup_query_interval'], ['mcastMembershipIntvl', 'mcast_membership_interval'],
  ['mcastQuerierIntvl', 'mcast_querier_interval'], ['mcastQueryIntvl', 'mcast_query_interval'],
  ['mcastQueryResponseIntvl', 'mcast_query_response_interval'], ['msti', 'msti'],
]

/** `bridge vlan`'s words for one entry: `v1 100 PVID Egress Untagged state forwarding`, or a VLAN's global options. */
function vlanText(v: BridgeVlan, p: TextPrinter): string {
  const parts = [p.dev(v.ifindex)]
  if (v.vid !== undefined) parts.push(v.vidEnd !== undefined && v.vidEnd !== v.vid ? `${v.vid}-${v.vidEnd}` : `${v.vid}`)
  if (v.entryType === 'global') {
    parts.push('global')
    for (const [key, name] of VLAN_GLOBAL_OPTIONS) {
      const x = v.global?.[key]
      if (typeof x === 'number') parts.push(`${name} ${x}`)
    }
    return parts.join(' ')
  }
  const flags = v.flagNames ?? []
  if (flags.includes('pvid')) parts.push('PVID')
  if (flags.includes('untagged')) parts.push('Egress Untagged')
  if (v.stateName !== undefined) parts.push(`state ${v.stateName}`)
  if (v.mcastRouter !== undefined) parts.push(`mcast_router ${v.mcastRouter}`)
  if (v.mcastNGroups !== undefined) parts.push(`mcast_n_groups ${v.mcastNGroups}`)
  if (v.mcastMaxGroups !== undefined) parts.push(`mcast_max_groups ${v.mcastMaxGroups}`)
  if (v.neighSuppress !== undefined) parts.push(`neigh_suppress ${onOff(v.neighSuppress)}`)
  if (v.tunnelInfo?.id !== undefined) parts.push(`tunnel_id ${v.tunnelInfo.id}`)
  return parts.join(' ')
}
