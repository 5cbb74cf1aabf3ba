/** Links, as `ip link` shows them (RTM_NEWLINK / RTM_DELLINK). Mirrors crates/rtnl-core/src/link.rs. */
import { listKind, UnknownAttribute } from './list'
import type { ListOptions } from './options'

export interface LinkInfo {
  /** IFLA_INFO_KIND: 'veth', 'bridge', 'tun', ... */
  kind?: string
  /** IFLA_INFO_SLAVE_KIND, e.g. 'bridge' for a bridge port. */
  slaveKind?: string
  /** IFLA_INFO_DATA, hex. */
  data?: string
  /** IFLA_INFO_SLAVE_DATA, hex. */
  slaveData?: string
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
  /** ifi_change. */
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
  stats64?: LinkStats64
  /** Attributes this version does not decode. */
  unknown?: UnknownAttribute[]
}

export const links = {
  /** Every link in the namespace (RTM_GETLINK dump). */
  list(opts?: ListOptions): Promise<Link[]> {
    return listKind<Link>('links', opts)
  },
}
