/**
 * rtnl: `ip monitor` for Node. Subscribe to rtnetlink groups in any network
 * namespace, receive every change as a typed event in a `for await` loop, and
 * re-read full state with `list()` dumps decoded by the same code.
 *
 * Events are wake-ups, not deltas: on each event, and on each
 * `resync_needed`, re-list what you track and diff.
 *
 * Where to start:
 * - {@link subscribe}: a {@link Monitor} of events ({@link MonitorMessage}).
 * - {@link links}, {@link addresses}, {@link routes}, {@link rules},
 *   {@link neighbours}, {@link nexthops}, {@link qdiscs} and the other kind
 *   objects: `list()`, `iterate()`, `get()`, and `add()` / `replace()` /
 *   `del()` where the kind can be changed; {@link batch} and
 *   {@link reconcile} for many changes at once.
 * - {@link watch}: the state of some kinds, kept current for you.
 * - {@link createPrinter}: the text `ip monitor` prints.
 * - {@link RtnlError}: every error code a call can reject with.
 *
 * Every call takes `{ netns }` ({@link Netns}): 'host', an `ip netns` name,
 * a namespace file or a process.
 *
 * @example
 * ```ts
 * import { subscribe, routes } from 'rtnl'
 *
 * const monitor = await subscribe({ netns: { name: 'blue' } })
 * console.log(`${(await routes.list({ netns: { name: 'blue' } })).length} routes`)
 * for await (const msg of monitor) {
 *   if (msg.type === 'resync_needed') continue // events were lost: re-list what you track
 *   if (msg.op === 'new_route' || msg.op === 'del_route') console.log(msg.op, msg.resource.dst ?? 'default', 'via', msg.resource.gateway)
 * }
 * ```
 * @packageDocumentation
 */
export { subscribe, unsubscribe, Monitor, MonitorBranch } from './monitor'
export { links } from './link'
export { addresses } from './address'
export { routes } from './route'
export { rules } from './rule'
export { neighbours } from './neighbour'
export { nexthops, nexthopBuckets } from './nexthop'
export { netconf } from './netconf'
export { nsids } from './nsid'
export { qdiscs, tcClasses, tcFilters, tcChains } from './tc'
export { bridgeVlans } from './vlan'
export { bridgePorts } from './bridge-port'
export { mdb } from './mdb'
export { linkStats } from './stats'
export { tcActions } from './tc-action'
export type { TcAction, TcActionListOptions, TcActionEvent, ControlAction, ActionTimes, GactOptions, GactProb, MirredOptions, PoliceOptions } from './tc-action'
export { KINDS, EVENT_ONLY_KINDS, type KindName, type AnyKindName, type EventOnlyKindName, type ListableKindName } from './kinds'
export { RTNLGRP, DEFAULT_GROUPS, IP_MONITOR_ALL_GROUPS, ALL_GROUPS, KIND_GROUPS } from './groups'
export { RtnlError } from './errors'
export { nsidOf, netnsNameOf } from './list'
export { watch, diff, keyOf } from './watch'
export { batch, VERBS, MAX_BATCH } from './mutate'
export { ROUTE_TYPES, ROUTE_TABLES, ROUTE_PROTOCOLS, ROUTE_SCOPES, RULE_ACTIONS, FAMILIES } from './constants'
export { reconcile, RECONCILE_KINDS, SCOPE_KEYS } from './reconcile'
export type { Desired, ReconcileKind, ReconcileOptions, ReconcilePlan, ReconcileResult, ReconcileScope } from './reconcile'
export type { ScopeKeysByKind } from './generated/kinds'
export type { Verb, MutableKind, BatchOp, BatchOpOf, MutableTypes, BatchOptions, BatchResult, Input, NamedField, LinkReference } from './mutate'
export { createPrinter, escapeText, type Printer, type PrinterOptions, type PrintableKind, type PrintableTypes } from './format'
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
  IfindexListOptions,
  NexthopListOptions,
  NetconfListOptions,
} from './options'
export type { Link, LinkInput, SettableLinkFlag, LinkInfo, LinkStats64, LinkSelector, LinkListOptions, AfSpec, AfNumbers, InetSpec, Inet6Spec, Inet6CacheInfo, Xdp, IfMap } from './link'
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
} from './generated/linkinfo'
export type { Address, AddressCacheInfo, AddressFlagName, Lifetime } from './address'
export type { Route, Nexthop, RouteCacheInfo, RouteGetOptions } from './route'
export type { Rule, Range } from './rule'
export type { Neighbour, NeighbourCacheInfo, NeighbourState, NeighbourFlag } from './neighbour'
export type { UnknownAttribute } from './list'
export type { NexthopObject, NexthopGroupMember, NexthopResilientGroup, NexthopResilientBucket, NexthopGroupStatsEntry } from './nexthop'
export type { Netconf } from './netconf'
export type { Nsid } from './nsid'
export type {
  TcObject,
  Qdisc,
  TcClass,
  TcFilter,
  TcChain,
  TcOptions,
  TcXstats,
  Bitfield32,
  TcEstimator,
  TcStats,
  TcStats2,
  StatsBasic,
  RateEst,
  StatsQueue,
  TcStab,
  SizeSpec,
  OtherOptions,
  RateSpec,
  HtbOptions,
  HtbGlob,
  HtbOpt,
  TbfOptions,
  TbfQopt,
  PrioOptions,
  FifoOptions,
  FqCodelOptions,
  U32Options,
  U32Sel,
  U32Key,
  U32Mark,
  U32Pcnt,
  MatchallOptions,
  BpfOptions,
  BpfInsn,
  RawXstats,
  HtbXstats,
  FqCodelXstats,
  FqCodelQdStats,
  FqCodelClStats,
} from './tc'
export type { BridgeVlan, VlanTunnelInfo, VlanStats, VlanGlobalOptions } from './vlan'
export type { BridgePort, BridgePortVlan } from './bridge-port'
export type { MdbEntry, MdbGroupQuery, MdbSource } from './mdb'
export type { Prefix, PrefixCacheInfo } from './prefix'
export type { NdUserOption, NdOption } from './nduseropt'
export type {
  LinkStats,
  RxTx,
  BridgeMcastStats,
  BridgeStpStats,
  BridgeVlanStats,
  BridgeXstats,
  BondXstats,
  Xstats,
  HwStatsInfo,
  HwStatsInfoSet,
  HwStats64,
  OffloadXstats,
  MplsLinkStats,
  MplsStats,
  AfStats,
} from './stats'
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
  NexthopEvent,
  NexthopBucketEvent,
  NetconfEvent,
  NsidEvent,
  QdiscEvent,
  TcClassEvent,
  TcFilterEvent,
  TcChainEvent,
  BridgeVlanEvent,
  BridgePortEvent,
  MdbEvent,
  PrefixEvent,
  NdUserOptionEvent,
  LinkStatsEvent,
  KindEvents,
  UnknownEvent,
  ResyncNeeded,
  EventMeta,
} from './events'
