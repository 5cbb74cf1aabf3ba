/**
 * Traffic control objects, as `tc qdisc/class/filter/chain show` shows
 * them (RTM_NEWQDISC, RTM_NEWTCLASS, RTM_NEWTFILTER, RTM_NEWCHAIN). One
 * struct in Rust (crates/rtnl-core/src/tc.rs), four names here.
 */
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { IfindexListOptions } from './options'

export interface TcObject {
  family: number
  ifindex: number
  handle: number
  parent: number
  info: number
  kind?: string
  unknown?: UnknownAttribute[]
}
export interface Qdisc extends TcObject {}
export interface TcClass extends TcObject {}
export interface TcFilter extends TcObject {}
export interface TcChain extends TcObject {}

const FILTERS = ['ifindex'] as const

export const qdiscs = {
  /** Every qdisc of every link (or of `ifindex`), ingress and clsact included. */
  list(opts?: IfindexListOptions): Promise<Qdisc[]> {
    return listKind<Qdisc>('qdiscs', opts, FILTERS)
  },
  /** The same dump as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<Qdisc[], void, undefined> {
    return iterateKind<Qdisc>('qdiscs', opts, FILTERS)
  },
}

export const tcClasses = {
  /** Every class of every qdisc (one dump per link that has a qdisc). */
  list(opts?: IfindexListOptions): Promise<TcClass[]> {
    return listKind<TcClass>('tcClasses', opts, FILTERS)
  },
  /** The same dumps as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcClass[], void, undefined> {
    return iterateKind<TcClass>('tcClasses', opts, FILTERS)
  },
}

export const tcFilters = {
  /**
   * Every filter of every qdisc and class, ingress and clsact blocks
   * included (one dump per parent: the kernel keeps filters per block).
   */
  list(opts?: IfindexListOptions): Promise<TcFilter[]> {
    return listKind<TcFilter>('tcFilters', opts, FILTERS)
  },
  /** The same dumps as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcFilter[], void, undefined> {
    return iterateKind<TcFilter>('tcFilters', opts, FILTERS)
  },
}

export const tcChains = {
  /** Every filter chain of every qdisc and class (one dump per parent). */
  list(opts?: IfindexListOptions): Promise<TcChain[]> {
    return listKind<TcChain>('tcChains', opts, FILTERS)
  },
  /** The same dumps as `list()`, as batches. */
  iterate(opts?: IfindexListOptions): AsyncGenerator<TcChain[], void, undefined> {
    return iterateKind<TcChain>('tcChains', opts, FILTERS)
  },
}
