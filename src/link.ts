/** Links, as `ip link` shows them (RTM_NEWLINK / RTM_DELLINK). Mirrors crates/rtnl-core/src/link.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { describe, positiveInteger, validateListOptions } from './options'
import { invalidType, invalidValue } from './errors'
import { interfaceName } from './name'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { LinkInfoData, LinkSlaveData } from './linkinfo'
import type { ListOptions, Netns } from './options'

/**
 * IFLA_LINKINFO: what kind of link it is (veth, bridge, vlan, ...) and its
 * kind's settings; for a port, its master's kind and the port's settings there.
 *
 * @category Links
 * @example
 * ```ts
 * import { links, type LinkInfoDataOf, type LinkSlaveDataOf } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   if (l.linkinfo?.kind === 'vlan') console.log(l.name, 'vlan id', (l.linkinfo.data as LinkInfoDataOf<'vlan'>).id)
 *   if (l.linkinfo?.slaveKind === 'bridge') console.log(l.name, 'port state', (l.linkinfo.slaveData as LinkSlaveDataOf<'bridge'>).state)
 * }
 * ```
 */
export interface LinkInfo {
  /** IFLA_INFO_KIND: 'veth', 'bridge', 'tun', ... */
  kind?: string
  /** IFLA_INFO_SLAVE_KIND, e.g. 'bridge' for a bridge port. */
  slaveKind?: string
  /**
   * IFLA_INFO_DATA decoded for `kind` (veth, bridge, tun, vlan, macvlan, ipvlan, vxlan, bond,
   * vrf, wireguard, gre family): camelCase keys after `ip -d -j`, raw kernel units; attributes
   * this version does not know are in `unknown`. Typed per kind in src/linkinfo.ts (generated
   * from linkinfo.rs): `LinkInfoDataOf<'bridge'>` is the data of a bridge.
   */
  data?: LinkInfoData
  /** IFLA_INFO_SLAVE_DATA decoded for `slaveKind` (bridge, bond, vrf ports): `LinkSlaveDataOf<'bridge'>` for a bridge port. */
  slaveData?: LinkSlaveData
}

/**
 * IFLA_XDP: the XDP program attached to a link.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   if (l.xdp && l.xdp.attached !== 'none') console.log(`${l.name}: XDP program ${l.xdp.progId} (${l.xdp.attached})`)
 * }
 * ```
 */
export interface Xdp {
  /** XDP_ATTACHED_*: 'none', 'drv', 'generic', 'hw' or 'multi'. */
  attached: string
  /** IFLA_XDP_PROG_ID: the attached program's id. */
  progId?: number
  /** IFLA_XDP_* attributes this version does not decode, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * struct rtnl_link_ifmap (IFLA_MAP): the I/O resources of old ISA-style
 * hardware (`ifconfig`'s map); zeros on almost every device.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) if (l.map?.irq) console.log(l.name, 'irq', l.map.irq, 'base', l.map.baseAddr.toString(16))
 * ```
 */
export interface IfMap {
  /** mem_start: the start of the shared memory. */
  memStart: number
  /** mem_end: its end. */
  memEnd: number
  /** base_addr: the I/O base address. */
  baseAddr: number
  /** irq: the interrupt line. */
  irq: number
  /** dma: the DMA channel. */
  dma: number
  /** port: the media port (if_port). */
  port: number
}

/**
 * struct ifla_cacheinfo (IFLA_INET6_CACHEINFO).
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   const ci = l.afSpec?.inet6?.cacheinfo
 *   if (ci) console.log(l.name, `reachable time ${ci.reachableTime} ms, retransmit ${ci.retransTime} ms`)
 * }
 * ```
 */
export interface Inet6CacheInfo {
  /** max_reasm_len: the largest datagram the link reassembles. */
  maxReasmLen: number
  /** When the link's IPv6 state was created, in hundredths of a second since boot. */
  tstamp: number
  /** The current (randomised) neighbour reachable time, in ms. */
  reachableTime: number
  /** The neighbour solicitation retransmit time, in ms. */
  retransTime: number
}

/**
 * Numbers by name, from a kernel array: devconf (`forwarding`, `acceptRa`,
 * `mtu6`, ... after DEVCONF_* / IPV4_DEVCONF_*) or statistics (`inpkts`,
 * `outoctets`, ... after IPSTATS_MIB_* / ICMP6_MIB_*; `num` is the count the
 * kernel sends first). `extra` is the hex of elements newer than this library.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list({ afDetails: true })) {
 *   const conf = l.afSpec?.inet6?.conf
 *   if (conf) console.log(l.name, 'accept_ra', conf.acceptRa, 'forwarding', conf.forwarding)
 * }
 * ```
 */
export type AfNumbers = Record<string, number | string>

/**
 * IFLA_AF_SPEC[AF_INET6]: a link's IPv6 settings.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   const v6 = l.afSpec?.inet6
 *   if (v6) console.log(l.name, 'addrgenmode', v6.addrGenMode, 'token', v6.token, 'RA MTU', v6.raMtu)
 * }
 * ```
 */
export interface Inet6Spec {
  /** IFLA_INET6_FLAGS: IF_* bits (IF_RS_SENT 0x10, IF_RA_RCVD 0x20, IF_RA_MANAGED 0x40, IF_RA_OTHERCONF 0x80, IF_READY 0x80000000). */
  flags?: number
  /** 'eui64', 'none', 'stable_secret' or 'random'. */
  addrGenMode?: string
  /** IFLA_INET6_TOKEN: the interface identifier token (`ip token`); '::' when none is set. */
  token?: string
  /** IFLA_INET6_RA_MTU: the MTU the last router advertisement gave. */
  raMtu?: number
  /** IFLA_INET6_CACHEINFO: reachable and retransmit times. */
  cacheinfo?: Inet6CacheInfo
  /** The link's net.ipv6.conf sysctls (with `afDetails`). */
  conf?: AfNumbers
  /** Per-link IPv6 statistics (with `afDetails`). */
  stats?: AfNumbers
  /** Per-link ICMPv6 statistics (with `afDetails`). */
  icmp6Stats?: AfNumbers
  /** IFLA_INET6_* attributes this version does not decode, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_AF_SPEC[AF_INET] (with `afDetails` only).
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list({ afDetails: true })) console.log(l.name, 'rp_filter', l.afSpec?.inet?.conf?.rpFilter)
 * ```
 */
export interface InetSpec {
  /** The link's net.ipv4.conf sysctls. */
  conf?: AfNumbers
  /** IFLA_INET_* attributes this version does not decode, as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_AF_SPEC: per-family settings. `inet` appears with `afDetails`; other
 * families (AF_BRIDGE, AF_MPLS, ...) are kept in `unknown` by family number.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * const lo = await links.get({ name: 'lo' }, { afDetails: true })
 * console.log(lo?.afSpec?.inet?.conf?.forwarding, lo?.afSpec?.inet6?.conf?.disableIpv6)
 * ```
 */
export interface AfSpec {
  /** AF_INET: the IPv4 sysctls (with `afDetails`). */
  inet?: InetSpec
  /** AF_INET6: IPv6 settings, and with `afDetails` its sysctls and statistics. */
  inet6?: Inet6Spec
  /** Other families, by family number (AF_BRIDGE 7, AF_MPLS 28, ...), as hex. */
  unknown?: UnknownAttribute[]
}

/**
 * rtnl_link_stats64 counters (numbers: exact up to 2^53). `extra` is the hex of counters newer than this library.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   const st = l.stats64
 *   if (st) console.log(l.name, `rx ${st.rxBytes} B, tx ${st.txBytes} B, ${st.rxDropped} dropped`)
 * }
 * ```
 */
export type LinkStats64 = Record<string, number | string>

/**
 * A network interface, as `links.list()` returns it and a link event
 * carries it (struct ifinfomsg and its IFLA_* attributes), with the names
 * `ip link` prints. Changes take {@link LinkInput}, the same struct plus
 * what a listing cannot give back.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * for (const l of await links.list()) {
 *   const up = l.flagNames.includes('UP')
 *   console.log(`${l.index}: ${l.name} ${l.kind ?? ''} mtu ${l.mtu} ${up ? 'UP' : 'DOWN'} ${l.operstate} ${l.address ?? ''}`)
 * }
 * ```
 */
export interface Link {
  /** ifi_family (0, AF_UNSPEC, for ordinary links). */
  family: number
  /** ifi_type, an ARPHRD_* number: 1 ether, 772 loopback, 65534 none (tun). */
  type: number
  /** ifindex. */
  index: number
  /** ifi_flags, IFF_* bits (IFF_UP = 1). */
  flags: number
  /** The IFF_* bits of `flags` by name: 'UP', 'BROADCAST', 'LOWER_UP', ... */
  flagNames: string[]
  /** ifi_change: the flags this message reports as changed (0 in dumps). */
  change: number
  /** IFLA_IFNAME: the interface name (the kernel sends it on every link message). Bytes that are not UTF-8 arrive as lone surrogates U+DC80..U+DCFF ({@link escapeText} prints them as `\xNN`). */
  name: string
  /** Link-layer address, lower-case colon hex. */
  address?: string
  /** IFLA_BROADCAST: the link-layer broadcast address. */
  broadcast?: string
  /** IFLA_PERM_ADDRESS: the hardware's permanent address. */
  permAddress?: string
  /** IFLA_MTU (sent on every link message). */
  mtu: number
  /** IFLA_MIN_MTU: the smallest MTU the device takes. */
  minMtu?: number
  /** IFLA_MAX_MTU: the largest MTU the device takes. */
  maxMtu?: number
  /** IFLA_LINK: the peer or lower device's ifindex (possibly in another namespace). */
  link?: number
  /** ifindex of the master (bridge, bond, vrf). */
  master?: number
  /** IFLA_INFO_KIND, e.g. 'veth', 'bridge', 'tun'. */
  kind?: string
  /** IFLA_OPERSTATE (sent on every link message): 'UP', 'DOWN', 'LOWERLAYERDOWN', 'UNKNOWN', ... as `ip` prints it. */
  operstate: string
  /** IFLA_LINKMODE: 0 default, 1 dormant (held dormant until a supplicant says otherwise). */
  linkmode?: number
  /** IFLA_QDISC: the root qdisc's kind ('noqueue', 'fq_codel', ...). */
  qdisc?: string
  /** IFLA_TXQLEN: the transmit queue length, packets. */
  txqlen?: number
  /** IFLA_GROUP: the device group (0, `default`). */
  group?: number
  /** IFLA_PROMISCUITY: how many users put the device in promiscuous mode. */
  promiscuity?: number
  /** IFLA_NUM_TX_QUEUES: transmit queues. */
  numTxQueues?: number
  /** IFLA_NUM_RX_QUEUES: receive queues. */
  numRxQueues?: number
  /** IFLA_GSO_MAX_SIZE: the largest GSO packet the device takes, bytes. */
  gsoMaxSize?: number
  /** IFLA_GSO_MAX_SEGS: the most segments of a GSO packet. */
  gsoMaxSegs?: number
  /** IFLA_GSO_IPV4_MAX_SIZE: the largest IPv4 GSO packet, bytes. */
  gsoIpv4MaxSize?: number
  /** IFLA_GRO_MAX_SIZE: the largest packet GRO builds, bytes. */
  groMaxSize?: number
  /** IFLA_GRO_IPV4_MAX_SIZE: the largest IPv4 packet GRO builds, bytes. */
  groIpv4MaxSize?: number
  /** IFLA_TSO_MAX_SIZE: the largest TSO packet the hardware takes, bytes. */
  tsoMaxSize?: number
  /** IFLA_TSO_MAX_SEGS: the most TSO segments the hardware takes. */
  tsoMaxSegs?: number
  /** IFLA_ALLMULTI: how many users asked for every multicast packet. */
  allmulti?: number
  /** IFLA_NETNS_IMMUTABLE: 1 when the link cannot move to another namespace. */
  netnsImmutable?: number
  /** IFLA_DEVLINK_PORT's attributes, as hex (often an empty list). */
  devlinkPort?: UnknownAttribute[]
  /** IFLA_DPLL_PIN's attributes, as hex (often an empty list). */
  dpllPin?: UnknownAttribute[]
  /** How far ahead (ns) the device may schedule paced packets. */
  maxPacingOffloadHorizon?: number
  /** Extra bytes the device needs before a packet. */
  headroom?: number
  /** Extra bytes the device needs after a packet. */
  tailroom?: number
  /** IFLA_IFALIAS: the alias (`ip link set ... alias`). */
  ifalias?: string
  /** IFLA_PROP_LIST: the alternative names (`ip link property add ... altname`). */
  altNames?: string[]
  /** IFLA_CARRIER: 1 when the link has carrier. */
  carrier?: number
  /** IFLA_CARRIER_CHANGES: how often the carrier went up or down. */
  carrierChanges?: number
  /** IFLA_CARRIER_UP_COUNT: how often the carrier came up. */
  carrierUpCount?: number
  /** IFLA_CARRIER_DOWN_COUNT: how often the carrier went down. */
  carrierDownCount?: number
  /** IFLA_PROTO_DOWN: 1 when a protocol (a VRRP daemon, say) holds the link down. */
  protoDown?: number
  /** IFLA_LINK_NETNSID: the namespace, by its id, where `link` (a veth's peer, a tunnel's lower device) is. */
  linkNetnsid?: number
  /** IFLA_PARENT_DEV_BUS_NAME: the bus of the parent device ('pci', ...). */
  parentBus?: string
  /** IFLA_PARENT_DEV_NAME: the parent device ('0000:00:1f.6', ...). */
  parentDev?: string
  /** IFLA_LINKINFO: the link's kind and its settings. */
  linkinfo?: LinkInfo
  /** IFLA_AF_SPEC: per-family settings (IPv6 token and address generation mode; with `afDetails`, the sysctls and statistics). */
  afSpec?: AfSpec
  /** IFLA_XDP: the XDP program attached. */
  xdp?: Xdp
  /** IFLA_MAP: I/O resources of old hardware. */
  map?: IfMap
  /** IFLA_EVENT: why the kernel sent this notification (events only). */
  event?: number
  /** IFLA_STATS64: the counters (`rxBytes`, `txPackets`, `rxDropped`, ...). */
  stats64?: LinkStats64
  /** Attributes this version does not decode. */
  unknown?: UnknownAttribute[]
}

/**
 * Which link `links.get` returns: by ifindex or by name.
 *
 * @category Links
 * @example
 * ```ts
 * import { links, type LinkSelector } from 'rtnl'
 *
 * const which: LinkSelector = process.argv[2] ? { name: process.argv[2] } : { index: 1 }
 * console.log(await links.get(which))
 * ```
 */
export type LinkSelector =
  | {
      /** The ifindex. */
      index: number
    }
  | {
      /** The interface name. */
      name: string
    }

/**
 * What `links.list()`, `links.iterate()` and `links.get()` take.
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * const withSysctls = await links.list({ afDetails: true, netns: { name: 'blue' } })
 * ```
 */
export interface LinkListOptions extends ListOptions {
  /**
   * Also decode the bulky per-family details: `afSpec.inet.conf`,
   * `afSpec.inet6.conf` (the link's IPv4/IPv6 sysctls) and the per-link IPv6
   * and ICMPv6 statistics, about 3.5 kB of JSON per link. Default false:
   * they are left out (`ip -d` does not show them either). Give a monitor
   * the same option so that its link events and this list match.
   */
  afDetails?: boolean
}

async function getLink(which: LinkSelector, opts: ListOptions | undefined): Promise<Link | null> {
  if (typeof which !== 'object' || which === null || Array.isArray(which)) {
    throw invalidType(`links.get takes { index } or { name }, got ${describe(which)}`)
  }
  const keys = Object.keys(which)
  if (keys.length !== 1 || !['index', 'name'].includes(keys[0])) {
    throw invalidType(`links.get takes { index } or { name }, got ${describe(which)}`)
  }
  const { netns, afDetails } = validateListOptions(opts, 'links.get', ['afDetails'])
  const w = which as { index?: unknown; name?: unknown }
  const query: { netns: unknown; index?: number; nameHex?: string; afDetails?: boolean } = { netns, afDetails }
  if ('index' in w) query.index = positiveInteger(w.index, 'links.get: index', 0x7fffffff)
  else query.nameHex = interfaceName(w.name, 'links.get: name').toString('hex')
  const binding = native()
  return callJson<Link | null>((reply) => binding.getLink(JSON.stringify(query), reply), signalOf(opts, 'links.get'))
}

/**
 * A link as `links.add()`, `set()` and `del()` take it: the struct `list()`
 * returns (partial), identified by `index` or `name` (both: a rename), plus
 * what a listing cannot give back: a new veth's peer and the namespace to
 * move a link to. `linkinfo.data` and `slaveData` take the keys the listing
 * shows (`stpState`, `forwardDelay`, ...).
 *
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * await links.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1' } } } })
 * await links.add({ name: 'br0', linkinfo: { kind: 'bridge', data: { stpState: 1 } } })
 * await links.set({ name: 'v1', master: (await links.get({ name: 'br0' }))!.index, flagNames: ['UP'] })
 * await links.set({ name: 'v0', netns: { name: 'blue' } }) // move it
 * ```
 */
export interface LinkInput extends Omit<Link, 'linkinfo'> {
  /** The kind and its settings, by the names `list()` gives them. */
  linkinfo: {
    /** The kind: 'veth', 'bridge', 'macvlan', 'vxlan', 'ifb', ... (`ip link add ... type KIND`). */
    kind: string
    /** The kind's settings, by the keys `list()` shows (`stpState`, `forwardDelay`, ...: see {@link LinkInfoDataByKind}). */
    data?: Record<string, unknown> & {
      /** veth only, at add: the peer's name, and optionally its address, mtu and namespace (by pid). */
      peer?: {
        /** The peer's name. */
        name?: string
        /** The peer's link-layer address. */
        address?: string
        /** The peer's MTU. */
        mtu?: number
        /** The namespace to make the peer in, by a process in it. */
        netns?: {
          /** A process whose namespace the peer goes to. */
          pid: number
        }
      }
    }
    /** The master's kind, for a port's settings at its master ('bridge'). */
    slaveKind?: string
    /** The port's settings at its master, by the keys `list()` shows (see {@link LinkSlaveDataByKind}). */
    slaveData?: Record<string, unknown>
  }
  /** `links.set()`: move the link to this namespace ('host' is this process's). */
  netns: Netns
  /**
   * Flags to turn on (`true`) or off (`false`), as `ip link set` does: `{ UP: false }` is
   * `ip link set DEV down`, `{ PROMISC: true }` `promisc on`. The others are left as they are.
   * (`flags` / `flagNames` only turn on the UP, NOARP, MULTICAST and DYNAMIC they name; a state
   * flag they name, LOWER_UP or a PROMISC another user holds, must be one the link has.)
   */
  setFlags: Partial<Record<SettableLinkFlag, boolean>>
}

/**
 * A flag `links.set({ setFlags })` turns on or off.
 *
 * @category Links
 * @example
 * ```ts
 * import { links, type SettableLinkFlag } from 'rtnl'
 *
 * const flag: SettableLinkFlag = 'PROMISC'
 * await links.set({ name: 'v0', setFlags: { [flag]: true } }) // ip link set v0 promisc on
 * ```
 */
export type SettableLinkFlag = 'UP' | 'NOARP' | 'MULTICAST' | 'PROMISC' | 'ALLMULTI' | 'DYNAMIC'

/**
 * Links (`ip link`): list them, get one by index or name, and change them.
 * Each is a {@link Link}; their events are {@link LinkEvent}s (group LINK, a
 * default one).
 *
 * @namespace
 * @category Links
 * @example
 * ```ts
 * import { links } from 'rtnl'
 *
 * await links.add({ name: 'br0', linkinfo: { kind: 'bridge' } })
 * await links.set({ name: 'br0', flagNames: ['UP'], mtu: 9000 })
 * console.log((await links.get({ name: 'br0' }))?.operstate)
 * await links.del({ name: 'br0' })
 * ```
 */
export const links = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   * The kind is `linkinfo.kind`, its settings `linkinfo.data` (a veth takes
   * `data.peer`). Resolves with the name of the link made: a name with `%d`
   * is a template (`br%d`), resolved here as the kernel would (the lowest
   * number free in the namespace; retried if another process takes it
   * first); without `name` the template is the kind's (`bridge%d`).
   *
   * @returns the name of the link made.
   * @throws TypeError `ERR_INVALID_ARG_VALUE` for a template with another `%` than one `%d`, or
   * one whose first free name is longer than 15 bytes.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when
   * the name is taken, `EOPNOTSUPP` for a kind this kernel cannot create; `EPERM` without
   * CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when
   * `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.add({ name: 'v0', linkinfo: { kind: 'veth', data: { peer: { name: 'v1', mtu: 1400 } } } })
   * await links.add({ name: 'vx0', linkinfo: { kind: 'vxlan', data: { id: 42, port: 4789, learning: false } } })
   * ```
   */
  async add(object: Input<LinkInput>, opts?: BatchOptions): Promise<string> {
    const o = object as Record<string, unknown>
    // Not an object: the change refuses it (its class, code and message).
    if (typeof o !== 'object' || o === null) return change('links', 'add', object, opts).then(() => '')
    const kind = typeof o.linkinfo === 'object' && o.linkinfo !== null ? (o.linkinfo as Record<string, unknown>).kind : undefined
    const template = typeof o.name === 'string' ? (o.name.includes('%') ? o.name : undefined) : o.name === undefined && typeof kind === 'string' ? `${kind}%d` : undefined
    if (template === undefined) {
      await change('links', 'add', object, opts)
      return o.name as string
    }
    // The kernel takes one %d and no other % (dev_alloc_name).
    const at = template.indexOf('%')
    if (template[at + 1] !== 'd' || template.includes('%', at + 2)) {
      throw invalidValue(`links.add: name ${describe(template)} is a template with one %d and no other %: got another %`)
    }
    const netns = typeof opts === 'object' && opts !== null ? opts.netns : undefined
    const signal = typeof opts === 'object' && opts !== null ? opts.signal : undefined
    let lastErr: unknown
    // Another process may take the free name between the listing and the add: then the next one.
    for (let attempt = 0; attempt < 5; attempt++) {
      const taken = new Set((await links.list({ ...(netns ? { netns } : {}), ...(signal ? { signal } : {}) })).map((l) => l.name))
      let n = 0
      while (taken.has(template.replace('%d', String(n)))) n++
      const name = template.replace('%d', String(n))
      if (Buffer.byteLength(name) > 15) throw invalidValue(`links.add: name template ${describe(template)} gives '${name}', longer than 15 bytes`)
      try {
        await change('links', 'add', { ...o, name }, opts)
        return name
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'EEXIST') throw err
        lastErr = err
      }
    }
    throw lastErr
  },
  /**
   * Changes an existing link in place: identify it by `index` or `name`
   * (with both, `name` renames it). `setFlags` turns flags on or off
   * (`{ UP: false }`, `{ PROMISC: true }`); `flags` / `flagNames` turn on the
   * UP, NOARP, MULTICAST and DYNAMIC they name and change no other flag;
   * `master: 0` leaves the master; `netns` moves the link.
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV` for no
   * such link, `EINVAL` with `extAck`, `EBUSY`; `EPERM` without CAP_NET_ADMIN), with `errno` and
   * the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.set({ name: 'v0', flagNames: ['UP'], mtu: 1400 }) // ip link set v0 up mtu 1400
   * await links.set({ name: 'v0', setFlags: { UP: false, PROMISC: true } }) // ip link set v0 down promisc on
   * await links.set({ index: 7, name: 'uplink' }) // rename
   * await links.set({ name: 'v1', master: 0 }) // ip link set v1 nomaster
   * ```
   */
  set(object: Input<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'set', object, opts)
  },
  /**
   * Deletes it, by `index` or `name` (every other field is ignored, so a listed object deletes exactly itself).
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENODEV` for no
   * such link, `EOPNOTSUPP` for a link that cannot be deleted; `EPERM` without CAP_NET_ADMIN), with
   * `errno` and the kernel's `extAck`; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be
   * entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * await links.del({ name: 'v0' }) // a veth's peer goes with it
   * ```
   */
  del(object: Input<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'del', object, opts)
  },
  /**
   * Every link in the namespace (RTM_GETLINK dump).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * const up = (await links.list()).filter((l) => l.flagNames.includes('UP')).map((l) => l.name)
   * console.log(up)
   * ```
   */
  list(opts?: LinkListOptions): Promise<Link[]> {
    return listKind<Link>('links', opts, ['afDetails'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of links.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * for await (const batch of links.iterate()) for (const l of batch) if (l.kind === 'veth') console.log(l.name)
   * ```
   */
  iterate(opts?: LinkListOptions): AsyncGenerator<Link[], void, undefined> {
    return iterateKind<Link>('links', opts, ['afDetails'])
  },
  /**
   * One link by index or name (`ip link show dev NAME`); null when there is no such link.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { links } from 'rtnl'
   *
   * const eth0 = await links.get({ name: 'eth0' })
   * const lo = await links.get({ index: 1 }, { afDetails: true })
   * console.log(eth0?.address, lo?.afSpec?.inet?.conf)
   * ```
   */
  get(which: LinkSelector, opts?: LinkListOptions): Promise<Link | null> {
    return getLink(which, opts)
  },
}
