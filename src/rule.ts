/** Policy rules, as `ip rule` shows them (RTM_NEWRULE / RTM_DELRULE). Mirrors crates/rtnl-core/src/rule.rs. */
import { change } from './mutate'
import type { BatchOptions } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { FamilyListOptions } from './options'

export interface Range {
  start: number
  end: number
}

export interface Rule {
  /** 2 (AF_INET), 10 (AF_INET6). */
  family: number
  dstLen: number
  srcLen: number
  tos: number
  /** The effective table: FRA_TABLE when present, else the header's. */
  table: number
  /** FR_ACT_*: 1 lookup table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit. */
  action: number
  /** `action` as `ip` names it: 'lookup', 'goto', 'nop', 'blackhole', 'unreachable', 'prohibit'. */
  actionName: string
  /** `table` as `ip` names it: 'main', 'local', 'default', or decimal. */
  tableName: string
  flags: number
  dst?: string
  src?: string
  /** The rule's preference. */
  priority?: number
  fwmark?: number
  fwmask?: number
  iifname?: string
  oifname?: string
  goto?: number
  /** FRA_FLOW: realms, `to` in the low 16 bits, `from` in the high 16. */
  realms?: number
  tunId?: number
  suppressIfgroup?: number
  suppressPrefixlen?: number
  l3mdev?: number
  uidRange?: Range
  protocol?: number
  protocolName?: string
  ipProto?: number
  sportRange?: Range
  dportRange?: Range
  unknown?: UnknownAttribute[]
}

export const rules = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  add(object: Partial<Rule>, opts?: BatchOptions): Promise<void> {
    return change('rules', 'add', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters, names of numbers) are ignored, an unknown field is an error.
   */
  del(object: Partial<Rule>, opts?: BatchOptions): Promise<void> {
    return change('rules', 'del', object, opts)
  },
  /** Every policy rule of every family in the namespace (RTM_GETRULE dump). */
  list(opts?: FamilyListOptions): Promise<Rule[]> {
    return listKind<Rule>('rules', opts, ['family'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of rules.iterate()) for (const x of batch) ...`
   */
  iterate(opts?: FamilyListOptions): AsyncGenerator<Rule[], void, undefined> {
    return iterateKind<Rule>('rules', opts, ['family'])
  },
}
