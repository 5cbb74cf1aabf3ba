/** Links, as `ip link` shows them (RTM_NEWLINK / RTM_DELLINK). Mirrors crates/rtnl-core/src/link.rs. */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { callJson, iterateKind, listKind, signalOf } from './list'
import { describe, positiveInteger, validateListOptions } from './options'
import { invalidType } from './errors'
import { interfaceName } from './name'
import { native } from './native'
import type { UnknownAttribute } from './unknown'
import type { LinkInfoData, LinkSlaveData } from './linkinfo'
import type { ListOptions } from './options'

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

/** IFLA_XDP. */
export interface Xdp {
  /** XDP_ATTACHED_*: 'none', 'drv', 'generic', 'hw' or 'multi'. */
  attached: string
  progId?: number
  unknown?: UnknownAttribute[]
}

/** struct rtnl_link_ifmap (IFLA_MAP). */
export interface IfMap {
  memStart: number
  memEnd: number
  baseAddr: number
  irq: number
  dma: number
  port: number
}

/** struct ifla_cacheinfo (IFLA_INET6_CACHEINFO). */
export interface Inet6CacheInfo {
  maxReasmLen: number
  /** When the link's IPv6 state was created, in hundredths of a second since boot. */
  tstamp: number
  /** The current (randomised) neighbour reachable time, in ms. */
  reachableTime: number
  retransTime: number
}

/**
 * Numbers by name, from a kernel array: devconf (`forwarding`, `acceptRa`,
 * `mtu6`, ... after DEVCONF_* / IPV4_DEVCONF_*) or statistics (`inpkts`,
 * `outoctets`, ... after IPSTATS_MIB_* / ICMP6_MIB_*; `num` is the count the
 * kernel sends first). `extra` is the hex of elements newer than this library.
 */
export type AfNumbers = Record<string, number | string>

/** IFLA_AF_SPEC[AF_INET6]. */
export interface Inet6Spec {
  flags?: number
  /** 'eui64', 'none', 'stable_secret' or 'random'. */
  addrGenMode?: string
  token?: string
  raMtu?: number
  cacheinfo?: Inet6CacheInfo
  /** The link's net.ipv6.conf sysctls (with `afDetails`). */
  conf?: AfNumbers
  /** Per-link IPv6 statistics (with `afDetails`). */
  stats?: AfNumbers
  /** Per-link ICMPv6 statistics (with `afDetails`). */
  icmp6Stats?: AfNumbers
  unknown?: UnknownAttribute[]
}

/** IFLA_AF_SPEC[AF_INET] (with `afDetails` only). */
export interface InetSpec {
  /** The link's net.ipv4.conf sysctls. */
  conf?: AfNumbers
  unknown?: UnknownAttribute[]
}

/**
 * IFLA_AF_SPEC: per-family settings. `inet` appears with `afDetails`; other
 * families (AF_BRIDGE, AF_MPLS, ...) are kept in `unknown` by family number.
 */
export interface AfSpec {
  inet?: InetSpec
  inet6?: Inet6Spec
  unknown?: UnknownAttribute[]
}

/** rtnl_link_stats64 counters (numbers: exact up to 2^53). `extra` is the hex of counters newer than this library. */
export type LinkStats64 = Record<string, number | string>

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
  name?: string
  /** Link-layer address, lower-case colon hex. */
  address?: string
  broadcast?: string
  permAddress?: string
  mtu?: number
  minMtu?: number
  maxMtu?: number
  /** IFLA_LINK: the peer or lower device's ifindex (possibly in another namespace). */
  link?: number
  /** ifindex of the master (bridge, bond, vrf). */
  master?: number
  /** IFLA_INFO_KIND, e.g. 'veth', 'bridge', 'tun'. */
  kind?: string
  /** 'UP', 'DOWN', 'LOWERLAYERDOWN', 'UNKNOWN', ... as `ip` prints it. */
  operstate?: string
  linkmode?: number
  qdisc?: string
  txqlen?: number
  group?: number
  promiscuity?: number
  numTxQueues?: number
  numRxQueues?: number
  gsoMaxSize?: number
  gsoMaxSegs?: number
  gsoIpv4MaxSize?: number
  groMaxSize?: number
  groIpv4MaxSize?: number
  tsoMaxSize?: number
  tsoMaxSegs?: number
  allmulti?: number
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
  ifalias?: string
  altNames?: string[]
  carrier?: number
  carrierChanges?: number
  carrierUpCount?: number
  carrierDownCount?: number
  protoDown?: number
  linkNetnsid?: number
  parentBus?: string
  parentDev?: string
  linkinfo?: LinkInfo
  afSpec?: AfSpec
  xdp?: Xdp
  map?: IfMap
  /** IFLA_EVENT: why the kernel sent this notification (events only). */
  event?: number
  stats64?: LinkStats64
  /** Attributes this version does not decode. */
  unknown?: UnknownAttribute[]
}

/** Which link `links.get` returns. */
export type LinkSelector = { index: number } | { name: string }

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
 */
export interface LinkInput extends Omit<Link, 'linkinfo'> {
  linkinfo: {
    kind: string
    data?: Record<string, unknown> & {
      /** veth only, at add: the peer's name, and optionally its address, mtu and namespace (by pid). */
      peer?: { name?: string; address?: string; mtu?: number; netns?: { pid: number } }
    }
    slaveKind?: string
    slaveData?: Record<string, unknown>
  }
  /** `links.set()`: move the link to this namespace ('host' is this process's). */
  netns: 'host' | { name: string } | { path: string } | { pid: number }
}

export const links = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'add', object, opts)
  },
  /**
   * Changes an existing link in place: identify it by `index` or `name`.
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  set(object: Partial<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'set', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<LinkInput>, opts?: BatchOptions): Promise<void> {
    return change('links', 'del', object, opts)
  },
  /** Every link in the namespace (RTM_GETLINK dump). */
  list(opts?: LinkListOptions): Promise<Link[]> {
    return listKind<Link>('links', opts, ['afDetails'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of links.iterate()) for (const x of batch) ...`
   */
  iterate(opts?: LinkListOptions): AsyncGenerator<Link[], void, undefined> {
    return iterateKind<Link>('links', opts, ['afDetails'])
  },
  /** One link by index or name (`ip link show dev NAME`); null when there is no such link. */
  get(which: LinkSelector, opts?: LinkListOptions): Promise<Link | null> {
    return getLink(which, opts)
  },
}
