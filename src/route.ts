/** Routes, as `ip route` shows them (RTM_NEWROUTE / RTM_DELROUTE). Mirrors crates/rtnl-core/src/route.rs. */
import { listKind, UnknownAttribute } from './list'
import type { ListOptions } from './options'

export interface Nexthop {
  /** RTNH_F_* bits. */
  flags: number
  /** The weight `ip` prints (rtnh_hops + 1). */
  weight: number
  /** ifindex. */
  oif: number
  gateway?: string
  via?: string
  unknown?: UnknownAttribute[]
}

export interface Route {
  /** 2 (AF_INET), 10 (AF_INET6), 128/129 (IPv4/IPv6 multicast routing). */
  family: number
  dstLen: number
  srcLen: number
  tos: number
  /** The effective table: RTA_TABLE when present, else rtm_table (254 main, 255 local). */
  table: number
  /** RTPROT_*: 2 kernel, 3 boot, 4 static, ... */
  protocol: number
  /** 0 universe, 253 link, 254 host. */
  scope: number
  /** RTN_*: 1 unicast, 2 local, 3 broadcast, 6 blackhole, 7 unreachable, 8 prohibit, ... */
  type: number
  /** RTM_F_* bits. */
  flags: number
  dst?: string
  src?: string
  gateway?: string
  via?: string
  /** Output ifindex. */
  oif?: number
  iif?: number
  /** The metric. */
  priority?: number
  prefsrc?: string
  /** RTAX_* metrics by `ip`'s names (mtu, advmss, hoplimit, ...). */
  metrics?: Record<string, number | string>
  multipath?: Nexthop[]
  flow?: number
  mark?: number
  pref?: number
  encapType?: number
  expires?: number
  uid?: number
  nhid?: number
  unknown?: UnknownAttribute[]
}

export const routes = {
  /** Every route of every table and family in the namespace (RTM_GETROUTE dump). */
  list(opts?: ListOptions): Promise<Route[]> {
    return listKind<Route>('routes', opts)
  },
}
