/**
 * rtnl: `ip monitor` for Node. Subscribe to rtnetlink groups in any network
 * namespace, receive every change as a typed event in a `for await` loop, and
 * re-read full state with `list()` dumps decoded by the same code.
 *
 * Events are wake-ups, not deltas: on each event, and on each
 * `resync_needed`, re-list what you track and diff.
 */
export { subscribe, unsubscribe, Monitor, MonitorBranch } from './monitor'
export { links } from './link'
export { addresses } from './address'
export { routes } from './route'
export { rules } from './rule'
export { neighbours } from './neighbour'
export { RTNLGRP, DEFAULT_GROUPS } from './groups'
export { RtnlError } from './errors'
export { nsidOf, netnsNameOf } from './list'
export { watch, diff, keyOf } from './watch'
export { createPrinter, escapeText, type Printer, type PrinterOptions, type PrintableKind } from './format'
export type { WatchKind, WatchOptions, Snapshot, Change, KindChange, KindTypes } from './watch'

export type {
  Netns,
  MonitorOptions,
  EventFilter,
  ListOptions,
  Family,
  FamilyListOptions,
  RouteListOptions,
  AddressListOptions,
  NeighbourListOptions,
} from './options'
export type { Link, LinkInfo, LinkStats64, LinkSelector, LinkListOptions, AfSpec, AfNumbers, InetSpec, Inet6Spec, Inet6CacheInfo, Xdp, IfMap } from './link'
export type {
  LinkInfoDataCommon,
  VethData,
  BridgeData,
  BridgePortData,
  TunData,
  VlanData,
  MacvlanData,
  IpvlanData,
  VxlanData,
  BondData,
  BondSlaveData,
  VrfData,
  VrfPortData,
  WireguardData,
  GreData,
  LinkInfoDataByKind,
  LinkSlaveDataByKind,
  LinkInfoData,
  LinkSlaveData,
  LinkInfoDataOf,
  LinkSlaveDataOf,
} from './linkinfo'
export type { Address, AddressCacheInfo, AddressFlagName, Lifetime } from './address'
export type { Route, Nexthop, RouteCacheInfo, RouteGetOptions } from './route'
export type { Rule, Range } from './rule'
export type { Neighbour, NeighbourCacheInfo, NeighbourState, NeighbourFlag } from './neighbour'
export type { UnknownAttribute } from './list'
export type {
  MonitorMessage,
  MonitorEvent,
  MonitorStats,
  EventOp,
  LinkEvent,
  AddressEvent,
  RouteEvent,
  NeighbourEvent,
  RuleEvent,
  UnknownEvent,
  ResyncNeeded,
  EventMeta,
} from './events'
