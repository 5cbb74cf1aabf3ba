/** Policy rules, as `ip rule` shows them (RTM_NEWRULE / RTM_DELRULE). Mirrors crates/rtnl-core/src/rule.rs. */
import { change } from './mutate'
import type { BatchOptions, Input } from './mutate'
import { iterateKind, listKind } from './list'
import type { UnknownAttribute } from './unknown'
import type { FamilyListOptions } from './options'
import type { Range, Rule } from './generated/rule'
export type { Range, Rule } from './generated/rule'

/**
 * Policy routing rules (`ip rule`): list them and change them. Each is a
 * {@link Rule}; their events are {@link RuleEvent}s (groups IPV4_RULE,
 * IPV6_RULE, among the default ones).
 *
 * A change takes the struct `list()` returns, partial; the family is
 * `family` or follows from `src` / `dst`, and the action defaults to
 * 'lookup' in table main, as `ip rule add` does. The kernel deletes the
 * first rule that matches every selector given, so a listed rule deletes
 * itself.
 *
 * @namespace
 * @category Rules
 * @example
 * ```ts
 * import { rules } from 'rtnl'
 *
 * const lookups = (await rules.list()).filter((r) => r.actionName === 'lookup').map((r) => r.tableName)
 * console.log(new Set(lookups)) // main, local, default, and the tables of your own rules
 * ```
 */
export const rules = {
  /**
   * Creates it; rejects with EEXIST when it exists (NLM_F_CREATE | NLM_F_EXCL).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`EEXIST` when it
   * exists; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { rules } from 'rtnl'
   *
   * await rules.add({ family: 2, priority: 100, fwmark: 0x10, table: 100 }) // ip rule add pref 100 fwmark 0x10 lookup 100
   * await rules.add({ src: '10.8.0.0', srcLen: 16, actionName: 'unreachable', priority: 200 })
   * ```
   */
  add(object: Input<Rule>, opts?: BatchOptions): Promise<void> {
    return change('rules', 'add', object, opts)
  },
  /**
   * Deletes it: the kernel matches on the fields given (a listed object deletes exactly itself).
   * The object is the struct `list()` returns, partial: read-only fields
   * (counters) are ignored, names of numbers must agree with them (see
   * {@link NamedField}), an unknown field is an error.
   *
   * @throws {@link RtnlError} the errno's name when the kernel refuses the change (`ENOENT` when no
   * rule matches; `EPERM` without CAP_NET_ADMIN), with `errno` and the kernel's `extAck`; `ENOENT`,
   * `EINVAL` or `EPERM` when `netns` cannot be entered.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a field that is unknown, of the wrong type or out of range (nothing is
   * sent); the `AbortError` (`ABORT_ERR`) when `signal` aborts (a change already sent stays made).
   * @example
   * ```ts
   * import { rules } from 'rtnl'
   *
   * for (const r of await rules.list()) if (r.table === 100) await rules.del(r)
   * ```
   */
  del(object: Input<Rule>, opts?: BatchOptions): Promise<void> {
    return change('rules', 'del', object, opts)
  },
  /**
   * Every policy rule of every family in the namespace (RTM_GETRULE dump), or of one family.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { rules } from 'rtnl'
   *
   * const v6 = await rules.list({ family: 6 })
   * console.log(v6.map((r) => `${r.priority}: ${r.actionName} ${r.tableName}`))
   * ```
   */
  list(opts?: FamilyListOptions): Promise<Rule[]> {
    return listKind<Rule>('rules', opts, ['family'])
  },
  /**
   * The same dump as `list()`, as batches of up to 500 in bounded memory;
   * leaving the loop stops the dump:
   * `for await (const batch of rules.iterate()) for (const x of batch) ...`
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { rules } from 'rtnl'
   *
   * for await (const batch of rules.iterate()) for (const r of batch) if (r.uidRange) console.log(r)
   * ```
   */
  iterate(opts?: FamilyListOptions): AsyncGenerator<Rule[], void, undefined> {
    return iterateKind<Rule>('rules', opts, ['family'])
  },
}

declare module './mutate' {
  interface MutableTypes {
    /** What `rules.add`, `del` and a batch's rule changes take. */
    rules: Rule
  }
}
