/** Standalone tc actions, as `tc actions` shows them (RTM_NEWACTION / RTM_DELACTION). Mirrors crates/rtnl-core/src/tc_action.rs. */
import { getObject, iterateKind, listKind } from './list'
import { actionKind, describe, positiveInteger } from './options'
import { invalidType } from './errors'
import type { EventMeta } from './events'
import type { ListOptions } from './options'
import type { TcAction } from './generated/tc-action'
export type { TcAction, ControlAction, ActionTimes, GactOptions, GactProb, MirredOptions, PoliceOptions } from './generated/tc-action'

const FILTERS = ['kind'] as const

/**
 * What `tcActions.list()` takes.
 *
 * @category Options
 * @example
 * ```ts
 * import { tcActions } from 'rtnl'
 *
 * const drops = await tcActions.list({ kind: 'gact', netns: { name: 'blue' } })
 * ```
 */
export interface TcActionListOptions extends ListOptions {
  /**
   * Only actions of this kind ('gact', 'mirred', 'police', ...): the kernel dumps actions per kind.
   * Without it, every kind rtnl knows is dumped, one request each (a kind whose module is not
   * loaded has none).
   */
  kind?: string
}

/**
 * Standalone tc actions (`tc actions`): the actions the kernel holds, each
 * numbered by `index` within its kind, whether made alone (`tc actions add`)
 * or by a filter (`bindcnt` > 0). Each is a {@link TcAction}; their events
 * are {@link TcActionEvent}s (group TC). The kernel sends no action event
 * for an action a filter makes or frees with itself: that comes as the
 * filter's event.
 *
 * @namespace
 * @category Traffic control
 * @example
 * ```ts
 * import { tcActions } from 'rtnl'
 *
 * for (const a of await tcActions.list()) console.log(a.kind, a.index, a.controlAction?.type, a.stats?.basic?.packets)
 * ```
 */
export const tcActions = {
  /**
   * Every action (or every action of `kind`) (RTM_GETACTION dumps, one per kind).
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump 5 times in a row; `EPROTO` or `EMSGSIZE` for a
   * reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { tcActions } from 'rtnl'
   *
   * for (const a of await tcActions.list({ kind: 'police' })) console.log(a.index, a.police?.rate?.rate, a.police?.burst)
   * ```
   */
  list(opts?: TcActionListOptions): Promise<TcAction[]> {
    return listKind<TcAction>('tcActions', opts, FILTERS)
  },
  /**
   * The same dumps as `list()`, as batches.
   *
   * @throws {@link RtnlError} `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EDUMPINTR` when changes interrupted the dump after batches were handed out (iterate again);
   * `EPROTO` or `EMSGSIZE` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad option; the `AbortError` (`ABORT_ERR`) when `signal` aborts.
   * @example
   * ```ts
   * import { tcActions } from 'rtnl'
   *
   * for await (const batch of tcActions.iterate({ kind: 'mirred' })) for (const a of batch) console.log(a.index, a.mirred?.ifindex)
   * ```
   */
  iterate(opts?: TcActionListOptions): AsyncGenerator<TcAction[], void, undefined> {
    return iterateKind<TcAction>('tcActions', opts, FILTERS)
  },
  /**
   * One action by kind and index (`tc actions get action KIND index N`), or null when the kind has
   * no action of that index.
   *
   * @throws {@link RtnlError} `EINVAL` (with `extAck` 'Specified TC action kind not found') for a
   * kind the kernel does not know; `ENOENT`, `EINVAL` or `EPERM` when `netns` cannot be entered;
   * `EPROTO` for a reply that could not be read.
   * @throws TypeError `ERR_INVALID_ARG_TYPE` / `ERR_INVALID_ARG_VALUE`, or RangeError
   * `ERR_OUT_OF_RANGE`, for a bad kind, index or option; the `AbortError` (`ABORT_ERR`) when
   * `signal` aborts.
   * @example
   * ```ts
   * import { tcActions } from 'rtnl'
   *
   * const a = await tcActions.get({ kind: 'gact', index: 1 })
   * console.log(a?.controlAction?.type ?? 'no such action')
   * ```
   */
  async get(which: { kind: string; index: number }, opts?: ListOptions): Promise<TcAction | null> {
    if (typeof which !== 'object' || which === null || Array.isArray(which)) throw invalidType(`tcActions.get: expected { kind, index }, got ${describe(which)}`)
    const kind = actionKind(which.kind, 'tcActions.get: kind')
    const index = positiveInteger(which.index, 'tcActions.get: index', 0xffffffff)
    return getObject<TcAction>('tcActions', { kind, index }, opts)
  },
}

/**
 * A monitor message: a standalone tc action added, changed or deleted (`tc actions add`,
 * `replace`, `del`). Group TC. One command on several actions gives one event each.
 *
 * @category Events
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.tcActions] })) {
 *   if (msg.type === 'event' && msg.op === 'new_action') console.log(msg.resource.kind, msg.resource.index)
 * }
 * ```
 */
export interface TcActionEvent extends EventMeta {
  /** Always 'event' (a {@link ResyncNeeded} has 'resync_needed'). */
  type: 'event'
  /** What happened: narrows `resource`. */
  op: 'new_action' | 'del_action'
  /** The object, decoded as `list()` decodes it: after the change (`new_*`), or as it was (`del_*`). */
  resource: TcAction
}

declare module './events' {
  interface KindEvents {
    /** tc actions' events. */
    tcActions: TcActionEvent
  }
}
