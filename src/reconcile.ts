/**
 * reconcile(kind, desired, { scope }): make the objects of a kind that the
 * caller owns (its `scope`) be exactly `desired`, with the fewest changes:
 * list, compare by identity, then one batch of deletes, replaces and adds.
 * Nothing outside the scope is listed as removable, and some objects are
 * outside every scope (see `guarded`): routes of the kernel (protocol
 * kernel) or of the local table unless the scope names them, a link's
 * default qdiscs and their classes, links no request made. `dryRun`
 * returns the plan and the changes without sending them.
 *
 * Runs on the JS thread; the listing and the batch run on namespace threads.
 */
import { batch } from './mutate'
import type { BatchOp, BatchResult, Input, MutableKind } from './mutate'
import { invalidType, invalidValue } from './errors'
import { checkKeys, describe, validateNetns } from './options'
import type { Netns } from './options'
import { routes, Route } from './route'
import { addresses, Address } from './address'
import { neighbours, Neighbour } from './neighbour'
import { rules, Rule } from './rule'
import { nexthops, NexthopObject } from './nexthop'
import { qdiscs, tcClasses, Qdisc, TcClass } from './tc'
import { links, Link, LinkInput } from './link'

/**
 * The kinds reconcile() manages.
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile, RECONCILE_KINDS, type ReconcileKind } from 'rtnl'
 *
 * const isReconcilable = (k: string): k is ReconcileKind => (RECONCILE_KINDS as readonly string[]).includes(k)
 * if (isReconcilable(process.argv[2])) console.log(await reconcile(process.argv[2], [], { scope: { table: 100 }, dryRun: true }))
 * ```
 */
export const RECONCILE_KINDS = ['routes', 'addresses', 'neighbours', 'rules', 'nexthops', 'qdiscs', 'tcClasses', 'links'] as const
/**
 * A kind {@link reconcile} manages: 'routes', 'addresses', 'neighbours', 'rules', 'nexthops',
 * 'qdiscs', 'tcClasses' or 'links'.
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile, type ReconcileKind } from 'rtnl'
 *
 * const kind: ReconcileKind = 'nexthops'
 * const plan = await reconcile(kind, [{ id: 1, gateway: '10.70.0.2', oif: 2 }], { scope: { protocol: 4 }, dryRun: true })
 * ```
 */
export type ReconcileKind = (typeof RECONCILE_KINDS)[number]

/**
 * What {@link reconcile} takes as a desired object of a kind: the struct `list()` returns, any part
 * of it ({@link Input}; a link also takes a new veth's peer, as `links.add()` does).
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile, type Desired } from 'rtnl'
 *
 * const pair: Desired<'links'> = { name: 'va', linkinfo: { kind: 'veth', data: { peer: { name: 'vb' } } } }
 * await reconcile('links', [pair], { scope: { kind: 'veth' }, dryRun: true })
 * ```
 */
export type Desired<K extends ReconcileKind> = K extends 'links' ? Input<LinkInput> : Input<Types[K]>

interface Types {
  routes: Route
  addresses: Address
  neighbours: Neighbour
  rules: Rule
  nexthops: NexthopObject
  qdiscs: Qdisc
  tcClasses: TcClass
  links: Link
}

/**
 * The fields a scope may name, per kind (a number field also takes its name: `protocol: 'static'`, `table: 'main'`, `parent: 'root'`).
 *
 * @category Changes
 * @example
 * ```ts
 * import { SCOPE_KEYS } from 'rtnl'
 *
 * console.log(SCOPE_KEYS.routes) // ['family', 'table', 'protocol', 'oif', 'type', 'priority', 'scope']
 * ```
 */
export const SCOPE_KEYS: Record<ReconcileKind, readonly string[]> = {
  routes: ['family', 'table', 'protocol', 'oif', 'type', 'priority', 'scope'],
  addresses: ['family', 'index', 'label', 'proto', 'scope'],
  neighbours: ['family', 'ifindex', 'master'],
  rules: ['family', 'table', 'protocol', 'priority'],
  nexthops: ['family', 'protocol', 'oif'],
  qdiscs: ['ifindex', 'parent', 'kind'],
  tcClasses: ['ifindex', 'parent', 'kind'],
  links: ['kind', 'group'],
}

/**
 * What {@link reconcile} takes: the scope the caller owns is required.
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile, type ReconcileOptions } from 'rtnl'
 *
 * const opts: ReconcileOptions = { netns: { name: 'blue' }, scope: { protocol: 'static', table: 'main' }, dryRun: true }
 * const plan = await reconcile('routes', [{ dst: '10.9.0.0', dstLen: 16, gateway: '10.0.0.2', protocol: 4 }], opts)
 * ```
 */
export interface ReconcileOptions {
  /** The namespace. Default 'host'. */
  netns?: 'host' | Netns
  /**
   * Required: what the caller owns, as fields the objects must have
   * (`{ table: 100 }`, `{ protocol: 'static', table: 'main' }`, `{ index: 3 }`).
   * Objects outside it are never changed; every desired object must be inside it.
   */
  scope: Record<string, unknown>
  /** Return the plan without making any change. */
  dryRun?: boolean
  /** Aborting it rejects the call; changes already sent stay made (netlink has no transactions). */
  signal?: AbortSignal
}

/**
 * What reconcile() does (or, with dryRun, would do).
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile } from 'rtnl'
 *
 * const { add, replace, remove, unchanged } = await reconcile('addresses', [{ index: 2, local: '10.70.0.1', prefixlen: 24 }], { scope: { index: 2, family: 4 }, dryRun: true })
 * console.log(`${add.length} to add, ${replace.length} to replace, ${remove.length} to remove, ${unchanged} in place`)
 * ```
 */
export interface ReconcilePlan<K extends ReconcileKind> {
  /** Desired objects that have no counterpart: added. */
  add: Desired<K>[]
  /** Desired objects whose counterpart differs in a field they give: replaced (links: set, also a link outside the scope that is to be in it). */
  replace: Desired<K>[]
  /** Listed objects in scope that nothing desired matches: deleted (as listed; a qdisc under a removed one, or a veth's peer, goes with it, without a delete of its own). */
  remove: Types[K][]
  /** Desired objects already in place. */
  unchanged: number
}

/**
 * What {@link reconcile} resolves with: the plan, the changes it sent, and
 * one result per change (a change the kernel refused is a result, not a
 * rejection).
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile } from 'rtnl'
 *
 * const r = await reconcile('routes', [{ dst: '10.9.0.0', dstLen: 16, gateway: '10.0.0.2', table: 100 }], { scope: { table: 100 } })
 * r.results.forEach((res, i) => { if (!res.ok) console.error(r.ops[i].verb, res.error.code, res.error.extAck) })
 * ```
 */
export interface ReconcileResult<K extends ReconcileKind> extends ReconcilePlan<K> {
  /**
   * The changes sent, in order (deletes, then replaces, then adds); with dryRun, the changes that would be sent.
   * tc objects in the order tc needs: classes added parents first and deleted children first,
   * and no delete for a qdisc under a removed one (it goes with it).
   */
  ops: BatchOp[]
  /** One result per op; empty with dryRun. */
  results: BatchResult[]
}

const AF: Record<string, number> = { '4': 2, '6': 10, '2': 2, '10': 10 }
/** iproute2's built-in names of route protocols and tables, for scopes given by name. */
const NAMES: Record<string, Record<string, number>> = {
  protocol: {
    redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16,
    keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
  },
  table: { default: 253, main: 254, local: 255 },
  parent: { root: 0xffffffff, ingress: 0xfffffff1 },
}

/** The scope with names of numbers turned into the numbers (`protocol: 'static'` is 4). */
function numericScope(kind: string, scope: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(scope)) {
    if (typeof v === 'string' && NAMES[k]) {
      const n = NAMES[k][v]
      if (n === undefined) {
        throw invalidValue(`reconcile: scope.${k} '${v}' is not a name this library knows (${Object.keys(NAMES[k]).join(', ')}); give the number`)
      }
      out[k] = n
    } else if (k === 'family') {
      if (AF[String(v)] === undefined) throw invalidValue(`reconcile: scope.family must be 4 or 6, got ${describe(v)}`)
      out[k] = v
    } else if (typeof v !== 'number' && typeof v !== 'string') {
      throw invalidType(`reconcile: scope.${k} of ${kind} must be a number or a name, got ${describe(v)}`)
    } else out[k] = v
  }
  return out
}
const PROTECTED_PROTOCOL = 2 // RTPROT_KERNEL
const LOCAL_TABLE = 255
const TC_H_ROOT = 0xffffffff
/** The fallback devices tunnel modules make in every namespace, by name, with their kind. */
const FALLBACK_TUNNELS: Record<string, string> = {
  gre0: 'gre', gretap0: 'gretap', erspan0: 'erspan', tunl0: 'ipip', sit0: 'sit',
  ip6tnl0: 'ip6tnl', ip6gre0: 'ip6gre', ip_vti0: 'vti', ip6_vti0: 'vti6',
}

/**
 * Objects no scope owns: routes of the kernel (proto kernel) or of the
 * local table unless the scope names them; the qdiscs a link starts with
 * (handle 0: noqueue, pfifo_fast, mq and its children), which cannot be
 * deleted, and their classes (mq's per-queue classes, major 0); links
 * that no rtnetlink request made (no kind: loopback, hardware; the tunnels
 * a module makes in every namespace, which the kernel does not delete).
 */
function guarded(kind: ReconcileKind, scope: Record<string, unknown>, o: Record<string, unknown>): boolean {
  switch (kind) {
    case 'routes':
      return (o.protocol === PROTECTED_PROTOCOL && scope.protocol === undefined) || (o.table === LOCAL_TABLE && scope.table === undefined)
    case 'qdiscs':
      return o.handle === 0
    case 'tcClasses':
      return (o.handle as number) >>> 16 === 0
    case 'links':
      return o.kind === undefined || FALLBACK_TUNNELS[o.name as string] === o.kind
    default:
      return false
  }
}

/**
 * A class's parent as a request names it. The kernel lists a class at the
 * top of its qdisc with parent root, where a request names the qdisc: 1:1's
 * parent root is 1:.
 */
function classParent(parent: unknown, handle: unknown): number | undefined {
  return parent === TC_H_ROOT ? ((handle as number) & 0xffff0000) >>> 0 : (parent as number | undefined)
}

/** Whether a class's parent is `want`; `want` root means a top class of any qdisc. */
function classParentIs(o: Record<string, unknown>, want: unknown): boolean {
  if (o.parent === want) return true
  const p = classParent(o.parent, o.handle)
  if (want === TC_H_ROOT) return p !== undefined && (p & 0xffff) === 0
  return p === want
}

/** The qdisc a tc object hangs under, as "ifindex:major", or undefined at a link's root or ingress. */
function hangsUnder(o: Record<string, unknown>): string | undefined {
  const p = (o.parent as number | undefined) ?? TC_H_ROOT
  return p === 0 || p >>> 0 >= 0xfffffff0 ? undefined : `${o.ifindex}:${p >>> 16}`
}

/**
 * The order tc needs, in place: a class after its parent class when added,
 * before it when deleted (htb refuses to delete a class with children);
 * qdiscs at a link's root or ingress added first. Returns the removals to
 * send: a qdisc under a removed qdisc goes with it, so no delete is sent for it.
 */
function tcOrder(kind: ReconcileKind, plan: ReconcilePlan<ReconcileKind>, kept: Record<string, unknown>[]): Record<string, unknown>[] {
  const remove = plan.remove as unknown as Record<string, unknown>[]
  const add = plan.add as Record<string, unknown>[]
  if (kind === 'qdiscs') {
    const gone = new Set(remove.map((q) => `${q.ifindex}:${(q.handle as number) >>> 16}`))
    // A desired qdisc in place under a removed one goes with it: it is added again.
    const under = (d: Record<string, unknown>) => {
      const at = hangsUnder(d)
      return at !== undefined && gone.has(at)
    }
    for (const d of kept) {
      if (!under(d)) continue
      plan.unchanged--
      add.push(d)
    }
    const replaced = plan.replace as Record<string, unknown>[]
    for (let i = replaced.length - 1; i >= 0; i--) if (under(replaced[i])) add.push(...replaced.splice(i, 1))
    const rootFirst = (o: Record<string, unknown>) => (hangsUnder(o) === undefined ? 0 : 1)
    add.sort((a, b) => rootFirst(a) - rootFirst(b))
    return remove.filter((q) => {
      const under = hangsUnder(q)
      return under === undefined || !gone.has(under)
    })
  }
  if (kind !== 'tcClasses') return remove
  const depthIn = (objs: Record<string, unknown>[]) => {
    const byId = new Map(objs.map((o) => [`${o.ifindex}:${o.handle}`, o]))
    const depth = new Map<Record<string, unknown>, number>()
    const of = (o: Record<string, unknown>, seen: number): number => {
      const known = depth.get(o)
      if (known !== undefined) return known
      const up = byId.get(`${o.ifindex}:${o.parent}`)
      const d = up && up !== o && seen < objs.length ? of(up, seen + 1) + 1 : 0
      depth.set(o, d)
      return d
    }
    return (o: Record<string, unknown>) => of(o, 0)
  }
  const addDepth = depthIn(add)
  add.sort((a, b) => addDepth(a) - addDepth(b))
  const removeDepth = depthIn(remove)
  return remove.sort((a, b) => removeDepth(b) - removeDepth(a))
}

/** A value as a message shows it: strings quoted, numbers as themselves. */
const plain = (v: unknown) => (typeof v === 'string' ? `'${v}'` : typeof v === 'number' ? String(v) : describe(v))

/** Whether `obj` has `want` in field `k` (or in its `*Name` form). */
function fieldIs(obj: Record<string, unknown>, k: string, want: unknown, kind?: ReconcileKind): boolean {
  if (k === 'family') return obj.family === AF[String(want)]
  if (k === 'parent' && kind === 'tcClasses') return classParentIs(obj, want)
  if (obj[k] === want) return true
  return typeof want === 'string' && obj[`${k}Name`] === want
}

function inScope(obj: Record<string, unknown>, scope: Record<string, unknown>, kind: ReconcileKind): boolean {
  for (const k in scope) if (!fieldIs(obj, k, scope[k], kind)) return false
  return true
}

/** The family of a desired object: given, or from its first address. */
function familyOf(o: Record<string, unknown>): number | undefined {
  if (typeof o.family === 'number') return o.family
  for (const k of ['dst', 'gateway', 'local', 'address', 'src', 'prefsrc']) {
    const v = o[k]
    if (typeof v === 'string') return v.includes(':') ? 10 : 2
  }
  return undefined
}

/**
 * The identity of an object, the same for a desired (partial) object and
 * the listed one it stands for: the kernel's defaults fill what the desired
 * object leaves out (main table, metric 0 for IPv4 and 1024 for IPv6, ...).
 * Split in two so that no key string is built per object (a hundred
 * thousand of them cost more than the diff): `primary`, a field value used
 * as a Map key as it is (a route's dst, an address's local), and `same`,
 * which compares the rest. Rules have none (every selector is the
 * identity): they are matched by content.
 */
interface Identity {
  primary(o: Record<string, unknown>): unknown
  same(d: Record<string, unknown>, c: Record<string, unknown>): boolean
  /** Fields `same` compares in a form of its own, left out of the field-by-field comparison. */
  compared?: ReadonlySet<string>
  /** Whether `c` already is what `d` asks for, where a field-by-field comparison cannot tell. */
  inPlace?(d: Record<string, unknown>, c: Record<string, unknown>): boolean
}

function identityOf(kind: ReconcileKind, scope: Record<string, unknown>): Identity | undefined {
  switch (kind) {
    case 'routes': {
      const metric = (o: Record<string, unknown>, family: number | undefined) => o.priority ?? scope.priority ?? (family === 10 ? 1024 : 0)
      return {
        primary: (o) => o.dst ?? '',
        same: (d, c) => {
          const family = (familyOf(d) ?? c.family) as number | undefined
          return (
            family === c.family &&
            (d.table ?? scope.table ?? 254) === c.table &&
            (d.dstLen ?? 0) === c.dstLen &&
            (d.src ?? undefined) === c.src &&
            (d.srcLen ?? 0) === c.srcLen &&
            (d.tos ?? 0) === c.tos &&
            metric(d, family) === metric(c, c.family as number)
          )
        },
      }
    }
    case 'addresses':
      return {
        primary: (o) => o.local ?? o.address,
        same: (d, c) => (familyOf(d) ?? c.family) === c.family && (d.index ?? scope.index) === c.index && d.prefixlen === c.prefixlen,
      }
    case 'neighbours':
      return {
        primary: (o) => o.dst ?? o.lladdr,
        same: (d, c) =>
          (d.family ?? familyOf(d)) === c.family &&
          (d.ifindex ?? scope.ifindex) === c.ifindex &&
          (c.family !== 7 || (d.lladdr === c.lladdr && (d.vlan ?? undefined) === c.vlan)),
      }
    case 'nexthops':
      return { primary: (o) => o.id, same: () => true }
    // A link holds one qdisc per parent (root, ingress, a class). Another
    // kind or handle there is another qdisc: the kernel changes a qdisc in
    // place only as what it is, so that one is deleted and the new one added.
    case 'qdiscs':
      return {
        primary: (o) => o.ifindex ?? scope.ifindex,
        same: (d, c) =>
          (d.parent ?? scope.parent ?? TC_H_ROOT) === c.parent && (d.handle === undefined || d.handle === c.handle) && (d.kind ?? scope.kind) === c.kind,
      }
    // A class is its id on its link; it cannot move to another parent. The
    // kernel lists a class at the top of its qdisc with parent root: that
    // is the qdisc (1:1's parent root is 1:).
    case 'tcClasses':
      return {
        primary: (o) => o.handle,
        compared: new Set(['parent']),
        same: (d, c) => {
          const parent = d.parent ?? scope.parent
          return (
            (d.ifindex ?? scope.ifindex) === c.ifindex &&
            (parent === undefined || classParent(parent, d.handle) === classParent(c.parent, c.handle)) &&
            (d.kind ?? scope.kind ?? c.kind) === c.kind
          )
        },
      }
    // A link is its name. Another kind under that name is another link.
    case 'links':
      return {
        primary: (o) => o.name,
        same: (d, c) => {
          const k = linkKind(d) ?? scope.kind
          return k === undefined || k === c.kind
        },
        inPlace: (d, c) => covers(d, c, LINK_COMPARED) && sameLinkFlags(d, c) && (d.master === undefined || (d.master || undefined) === c.master) && sameLinkInfo(d, c),
      }
    case 'rules':
      return undefined
  }
}

type Obj = Record<string, unknown>
const linkInfo = (o: Obj) => o.linkinfo as Obj | undefined
const linkKind = (o: Obj) => (o.kind ?? linkInfo(o)?.kind) as string | undefined
/** What a desired veth says of its peer (linkinfo.data.peer), which a listing never gives back. */
const vethPeer = (o: Obj) => (linkInfo(o)?.data as Obj | undefined)?.peer as Obj | undefined
/** Link fields compared by the functions below, or not at all: identity (name, index), inputs (netns). */
const LINK_COMPARED: ReadonlySet<string> = new Set(['index', 'name', 'kind', 'flags', 'flagNames', 'master', 'linkinfo', 'netns'])
/** The flags a request sets (UP, NOARP, MULTICAST): given, they are all of them, as links.set takes them. */
const SETTABLE_FLAGS: readonly [string, number][] = [['UP', 0x1], ['NOARP', 0x80], ['MULTICAST', 0x1000]]
function sameLinkFlags(d: Record<string, unknown>, c: Record<string, unknown>): boolean {
  const has = c.flags as number
  if (Array.isArray(d.flagNames)) return SETTABLE_FLAGS.every(([n, bit]) => (d.flagNames as string[]).includes(n) === ((has & bit) !== 0))
  if (typeof d.flags === 'number') return SETTABLE_FLAGS.every(([, bit]) => ((d.flags as number) & bit) === (has & bit))
  return true
}
/** linkinfo.data and slaveData as far as given; a veth's peer is not listed back, so not compared. */
function sameLinkInfo(d: Obj, c: Obj): boolean {
  const want = withoutPeer(d).linkinfo as Obj | undefined
  if (want === undefined) return true
  const have = linkInfo(c) ?? {}
  return covers(want.data ?? {}, have.data ?? {}) && covers(want.slaveData ?? {}, have.slaveData ?? {})
}
/** A desired link without its veth peer: what a listing can be compared with, and what links.set takes (only an add takes a peer). */
function withoutPeer(d: Obj): Obj {
  if (vethPeer(d) === undefined) return d
  const info = linkInfo(d) as Obj
  const { peer: _peer, ...data } = info.data as Obj
  return { ...d, linkinfo: { ...info, data } }
}
/** The peers the desired veths name: made with them, so not removed when listed. */
function vethPeers(desired: readonly Obj[]): Set<unknown> {
  const peers = new Set<unknown>()
  for (const d of desired) {
    const name = vethPeer(d)?.name
    if (name !== undefined) peers.add(name)
  }
  for (const d of desired) peers.delete(d.name)
  return peers
}
/**
 * The links to delete: a veth's peer (in this namespace) goes with it, so
 * no delete is sent for the peer. A veth whose peer is not removed too (it
 * is desired, or outside the scope) is refused: deleting it would delete
 * the peer. `listed` has every link listed, by index.
 */
function linkRemovals(remove: Record<string, unknown>[], listed: Map<unknown, Record<string, unknown>>): Record<string, unknown>[] {
  const removed = new Set(remove.map((c) => c.index))
  const gone = new Set<unknown>()
  return remove.filter((c) => {
    if (gone.has(c.index)) return false
    gone.add(c.index)
    if (c.kind === 'veth' && c.link !== undefined && c.linkNetnsid === undefined) {
      if (!removed.has(c.link)) {
        const peer = listed.get(c.link)?.name ?? `index ${c.link}`
        throw invalidValue(
          `reconcile: link '${c.name}' is not desired, but deleting it would delete its veth peer '${peer}', which is desired or outside the scope: desire both or neither`,
        )
      }
      gone.add(c.link)
    }
    return true
  })
}
/** A desired link as a request takes it: by name (an `index` from another namespace would name another link here); a set without the veth peer. */
function linkOp(o: Record<string, unknown>, verb: 'add' | 'set'): Record<string, unknown> {
  const { index: _index, ...rest } = o
  return verb === 'set' ? withoutPeer(rest) : rest
}

/** Fields that describe rather than configure: never compared. */
const DESCRIPTIVE = new Set([
  'cacheinfo', 'unknown', 'expires', 'stats64', 'groupStats', 'hwStatsUsed', 'flagNames', 'stateNames',
  // tc: counters, and what the kernel assigns (a qdisc's refcnt in info, a class's leaf qdisc).
  'stats', 'stats2', 'xstats', 'info', 'refcnt', 'leaf', 'directPkts',
])

/** Whether every field `want` gives has that value in `have` (nested objects and arrays alike). */
function covers(want: unknown, have: unknown, compared?: ReadonlySet<string>): boolean {
  if (want === have) return true
  if (typeof want !== 'object' || want === null || typeof have !== 'object' || have === null) return false
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || want.length !== have.length) return false
    for (let i = 0; i < want.length; i++) if (!covers(want[i], have[i])) return false
    return true
  }
  const h = have as Record<string, unknown>
  for (const k in want as Record<string, unknown>) {
    const w = (want as Record<string, unknown>)[k]
    // Equal or absent first: most fields, and no name test for them.
    if (w === h[k] || w === undefined) continue
    if (DESCRIPTIVE.has(k) || k.endsWith('Name') || compared?.has(k)) continue
    if (!covers(w, h[k])) return false
  }
  return true
}

const LIST = { routes, addresses, neighbours, rules, nexthops, qdiscs, tcClasses, links } as const

/** The list filters the kernel applies that a scope implies (fewer objects to read). */
function listFilter(kind: ReconcileKind, scope: Record<string, unknown>): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (scope.family !== undefined && kind !== 'nexthops') f.family = scope.family
  if (kind === 'nexthops' && scope.family !== undefined) f.family = scope.family
  if (kind === 'routes' && typeof scope.table === 'number') f.table = scope.table
  if (kind === 'routes' && typeof scope.oif === 'number') f.oif = scope.oif
  if (kind === 'addresses' && typeof scope.index === 'number') f.ifindex = scope.index
  if (kind === 'neighbours' && typeof scope.ifindex === 'number') f.ifindex = scope.ifindex
  if (kind === 'nexthops' && typeof scope.oif === 'number') f.oif = scope.oif
  if ((kind === 'qdiscs' || kind === 'tcClasses') && typeof scope.ifindex === 'number') f.ifindex = scope.ifindex
  return f
}

/**
 * Makes the objects of `kind` inside `opts.scope` equal to `desired` with
 * the fewest changes, as one batch; resolves with the plan and each
 * change's result (a change the kernel refused is in `results`, not thrown).
 *
 * @throws {@link RtnlError} what the listing rejects with (`ENOENT`, `EINVAL` or `EPERM` for the namespace,
 * `EDUMPINTR`, ...) and what {@link batch} rejects with; each change's own failure is in `results`.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an unknown kind, a scope key the kind does not take
 * (see {@link SCOPE_KEYS}) or a desired object outside the scope; for links, a desired link without
 * a name, a name given twice, a `netns`, or a veth to delete whose peer is desired or outside the scope; `ERR_INVALID_ARG_TYPE` for `desired`
 * that is not an array of objects or options without a scope; the `AbortError` (`ABORT_ERR`) when
 * `signal` aborts.
 *
 * @category Changes
 * @example
 * ```ts
 * import { reconcile } from 'rtnl'
 *
 * // table 100 holds exactly these two routes, whatever it held before
 * const desired = [
 *   { dst: '10.1.0.0', dstLen: 16, gateway: '192.168.1.1', table: 100 },
 *   { dst: '10.2.0.0', dstLen: 16, gateway: '192.168.1.2', table: 100 },
 * ]
 * const { add, replace, remove, results } = await reconcile('routes', desired, { scope: { table: 100 } })
 * console.log(`+${add.length} ~${replace.length} -${remove.length}`, results.every((r) => r.ok) ? 'done' : 'some refused')
 * ```
 */
export async function reconcile<K extends ReconcileKind>(kind: K, desired: readonly Desired<K>[], opts: ReconcileOptions): Promise<ReconcileResult<K>> {
  if (!(RECONCILE_KINDS as readonly string[]).includes(kind)) {
    throw invalidValue(`reconcile: kind must be one of ${RECONCILE_KINDS.join(', ')}, got ${describe(kind)}`)
  }
  if (!Array.isArray(desired)) throw invalidType(`reconcile: desired must be an array of ${kind} objects, got ${describe(desired)}`)
  if (typeof opts !== 'object' || opts === null) throw invalidType(`reconcile: options must be an object with a scope, got ${describe(opts)}`)
  checkKeys(opts, ['netns', 'scope', 'dryRun', 'signal'], 'reconcile options')
  if (typeof opts.scope !== 'object' || opts.scope === null || Array.isArray(opts.scope) || Object.keys(opts.scope).length === 0) {
    throw invalidValue(
      `reconcile: scope is required: the fields of what this caller owns, e.g. { table: 100 } or { protocol: 'static' } (one of ${SCOPE_KEYS[kind].join(', ')}), got ${describe(opts.scope)}`,
    )
  }
  checkKeys(opts.scope, SCOPE_KEYS[kind], `reconcile: scope of ${kind}`)
  const scope = numericScope(kind, opts.scope)
  const netns = validateNetns(opts.netns)
  const owned = (o: Record<string, unknown>) => inScope(o, scope, kind) && !guarded(kind, scope, o)
  // The dump starts first: the kernel and the native side read it while
  // this thread checks and indexes the desired objects.
  const stream = (LIST[kind].iterate as (o: object) => AsyncGenerator<Record<string, unknown>[]>)({
    netns,
    ...listFilter(kind, scope),
    ...(opts.signal ? { signal: opts.signal } : {}),
  })
  const first = stream.next()
  first.catch(() => {}) // awaited below; a failure before that must not be unhandled

  // What a scope field says, a desired object must say too, or leave to the
  // scope: it then takes the scope's value (a route desired in { table: 100 }
  // is in table 100). Only the objects that get sent are copied to fill it.
  const scopeKeys = Object.keys(scope)
  const fills = scopeKeys.filter((k) => (typeof scope[k] === 'number' && k !== 'family') || k === 'kind')
  const names = new Map<unknown, number>()
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i] as Record<string, unknown>
    if (typeof d !== 'object' || d === null || Array.isArray(d)) {
      await stream.return(undefined)
      throw invalidType(`reconcile: desired[${i}] must be a ${kind} object, got ${describe(d)}`)
    }
    if (kind === 'links') {
      const problem =
        typeof d.name !== 'string' || d.name === ''
          ? `name is required: a reconciled link is its name, got ${describe(d.name)}`
          : d.netns !== undefined
            ? 'netns cannot be given: a reconciled link stays in the namespace reconciled'
            : names.has(d.name)
              ? `name '${d.name}' is given twice (also desired[${names.get(d.name)}])`
              : undefined
      if (problem !== undefined) {
        await stream.return(undefined)
        throw invalidValue(`reconcile: desired[${i}].${problem}`)
      }
      names.set(d.name, i)
    }
    for (const k of scopeKeys) {
      const v = kind === 'links' && k === 'kind' ? linkKind(d) : d[k]
      if (v !== undefined && !fieldIs(k === 'parent' ? d : { [k]: v }, k, scope[k], kind)) {
        await stream.return(undefined)
        throw invalidValue(`reconcile: desired[${i}].${k} is ${plain(v)}, outside the scope (${k}: ${plain(opts.scope[k])})`)
      }
    }
  }
  const filled = (d: Record<string, unknown>): Record<string, unknown> => {
    if (fills.every((k) => d[k] !== undefined)) return d
    const o = { ...d }
    for (const k of fills) if (o[k] === undefined) o[k] = scope[k]
    return o
  }

  const plan: ReconcilePlan<K> = { add: [], replace: [], remove: [], unchanged: 0 }
  // The desired objects not yet matched, by the primary part of their
  // identity (rules: all under one key, matched by content): a lone one as
  // itself (most), several in an array. Each listed object owned takes the
  // first desired object of its identity: equal in every field the desired
  // one gives (unchanged) or not (replaced); one with none is removed. What
  // is left of the desired ones is added.
  const id: Identity = identityOf(kind, scope) ?? { primary: () => 0, same: (d, c) => covers(d, c) }
  const inPlace = id.inPlace ?? ((d: Record<string, unknown>, c: Record<string, unknown>) => covers(d, c, id.compared))
  const want = new Map<unknown, Record<string, unknown> | Record<string, unknown>[]>()
  for (const raw of desired) {
    const d = raw as Record<string, unknown>
    const key = id.primary(d)
    const had = want.get(key)
    if (had === undefined) want.set(key, d)
    else if (Array.isArray(had)) had.push(d)
    else want.set(key, [had, d])
  }
  // Links: the peers of desired veths are made with them, not removed; a
  // desired link that exists outside the scope is changed into it (set), not added.
  const peers = kind === 'links' ? vethPeers(desired as Record<string, unknown>[]) : undefined
  const elsewhere = new Map<unknown, Record<string, unknown>>()
  const byIndex = new Map<unknown, Record<string, unknown>>()
  // Qdiscs in place, kept to be added again if a qdisc above them goes.
  const kept: Record<string, unknown>[] = []
  const keep = (d: Record<string, unknown>) => {
    plan.unchanged++
    if (kind === 'qdiscs') kept.push(filled(d))
  }
  const take = (c: Record<string, unknown>) => {
    const key = id.primary(c)
    const here = want.get(key)
    if (here === undefined) return peers?.has(key) ? undefined : plan.remove.push(c as unknown as Types[K])
    if (!Array.isArray(here)) {
      if (!id.same(here, c)) return plan.remove.push(c as unknown as Types[K])
      want.delete(key)
      if (inPlace(here, c)) keep(here)
      else plan.replace.push(filled(here) as Desired<K>)
      return
    }
    // Several desired objects share the key: an exact one first.
    let at = -1
    for (let i = 0; i < here.length; i++) {
      if (!id.same(here[i], c)) continue
      if (inPlace(here[i], c)) {
        at = i
        break
      }
      if (at < 0) at = i
    }
    if (at < 0) return plan.remove.push(c as unknown as Types[K])
    const d = here[at]
    if (inPlace(d, c)) keep(d)
    else plan.replace.push(filled(d) as Desired<K>)
    here.splice(at, 1)
    if (here.length === 0) want.delete(key)
    else if (here.length === 1) want.set(key, here[0])
  }
  for (let r = await first; !r.done; r = await stream.next()) {
    for (const c of r.value) {
      if (owned(c)) take(c)
      else if (kind === 'links') elsewhere.set(c.name, c)
      if (kind === 'links') byIndex.set(c.index, c)
    }
  }
  for (const [key, left] of want) {
    for (const d of Array.isArray(left) ? left : [left]) {
      // Links: one of that name exists but is not owned. Of the desired
      // kind, it is changed: into the scope (its group), or, in it but not
      // ours to delete (loopback, hardware), as desired. Of another kind,
      // the add is made and the kernel's EEXIST says why it failed.
      const there = elsewhere.get(key)
      if (there === undefined || !id.same(d, there)) plan.add.push(filled(d) as Desired<K>)
      else if (inScope(there, scope, kind) && inPlace(d, there)) keep(d)
      else plan.replace.push(filled(d) as Desired<K>)
    }
  }

  const k = kind as MutableKind
  const removals = kind === 'links' ? linkRemovals(plan.remove as unknown as Record<string, unknown>[], byIndex) : tcOrder(kind, plan as ReconcilePlan<ReconcileKind>, kept)
  const ops: BatchOp[] = [
    ...removals.map((object) => ({ kind: k, verb: 'del' as const, object: object as object })),
    ...plan.replace.map((object) =>
      kind === 'links' ? { kind: k, verb: 'set' as const, object: linkOp(object as Record<string, unknown>, 'set') } : { kind: k, verb: 'replace' as const, object: object as object },
    ),
    ...plan.add.map((object) => ({ kind: k, verb: 'add' as const, object: kind === 'links' ? linkOp(object as Record<string, unknown>, 'add') : (object as object) })),
  ]
  if (opts.dryRun || ops.length === 0) return { ...plan, ops, results: [] }
  const results = await batch(ops, { netns, signal: opts.signal })
  return { ...plan, ops, results }
}
