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
import { linkNameOnWire, send } from './mutate'
import type { AnyBatchOp, BatchOp, BatchResult, Input, MutableKind, Verb } from './mutate'
import { release } from 'node:os'
import { ROUTE_TYPES, RULE_ACTIONS } from './constants'
import { invalidType, invalidValue, RtnlError } from './errors'
import { checkKeys, describe, familyExpected, familyNumber, validateNetns } from './options'
import type { Netns } from './options'
import { routes, Route } from './route'
import { addresses, Address } from './address'
import { neighbours, Neighbour } from './neighbour'
import { rules, Rule } from './rule'
import { nexthops, NexthopObject } from './nexthop'
import { qdiscs, tcClasses, Qdisc, TcClass } from './tc'
import { links, Link, LinkInput } from './link'
import { KIND_TABLE } from './generated/kinds'
import type { ScopeKeysByKind } from './generated/kinds'
import { perKind } from './kinds'

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
export const SCOPE_KEYS: Record<ReconcileKind, readonly string[]> = perKind(RECONCILE_KINDS, (k) => KIND_TABLE[k].scopeKeys)

/**
 * A reconcile() scope of kind `K`: any of the kind's scope keys ({@link ScopeKeysByKind}),
 * each a value of that field (a number, or a name where the field has names).
 *
 * @category Changes
 * @example
 * ```ts
 * import type { ReconcileScope } from 'rtnl'
 *
 * const mine: ReconcileScope<'routes'> = { table: 100, protocol: 'static' }
 * console.log(mine)
 * ```
 */
export type ReconcileScope<K extends ReconcileKind = ReconcileKind> = { [P in ScopeKeysByKind[K]]?: unknown }

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
export interface ReconcileOptions<K extends ReconcileKind = ReconcileKind> {
  /** The namespace. Default 'host'. */
  netns?: 'host' | Netns
  /**
   * Required: what the caller owns, as fields the objects must have
   * (`{ table: 100 }`, `{ protocol: 'static', table: 'main' }`, `{ index: 3 }`), of the
   * kind's scope keys ({@link SCOPE_KEYS}): another key does not compile.
   * Objects outside it are never changed; every desired object must be inside it.
   */
  scope: ReconcileScope<K>
  /** Return the plan without making any change. */
  dryRun?: boolean
  /**
   * Let a delete take what the kernel deletes or changes with it outside the
   * scope (a veth's peer, links on top of a link, a bridge's ports, the
   * secondary addresses of a primary, the routes of a link's last IPv4
   * address, the groups and routes of a nexthop). Without it such a delete
   * is refused (`ERR_RTNL_OUTSIDE_SCOPE`) before anything is sent; with it
   * the plan lists them in `cascade`. Default false.
   */
  allowCascade?: boolean
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
  /** Objects outside the scope the kernel deletes or changes along with a delete (only with `allowCascade`; else the call is refused). */
  cascade: object[]
  /**
   * Replaced objects the kernel cannot change in place, deleted and added
   * again (an IPv4 address's label, scope, broadcast or flags): missing for a
   * moment in between. Also in `replace`.
   */
  breaks: Desired<K>[]
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
  ops: (BatchOp & {
    /** The kind reconciled. */
    kind: K
    /** The desired object (add, replace, set) or the listed one (del). */
    object: Desired<K> | Types[K]
  })[]
  /** One result per op; empty with dryRun. */
  results: BatchResult[]
}

/** rt_scope_t by iproute2's names (routes and addresses). */
const SCOPES: Record<string, number> = { global: 0, universe: 0, site: 200, link: 253, host: 254, nowhere: 255 }
/** Names of numbers, per scope key, as iproute2 spells them (its built-in tables). */
const NAMES: Record<string, Record<string, number>> = {
  protocol: {
    unspec: 0, redirect: 1, kernel: 2, boot: 3, static: 4, gated: 8, ra: 9, mrt: 10, zebra: 11, bird: 12, dnrouted: 13, xorp: 14, ntk: 15, dhcp: 16,
    keepalived: 18, babel: 42, openr: 99, bgp: 186, isis: 187, ospf: 188, rip: 189, eigrp: 192,
  },
  table: { unspec: 0, default: 253, main: 254, local: 255 },
  type: ROUTE_TYPES,
  scope: SCOPES,
  // IFA_PROTO: who made an address.
  proto: { unspec: 0, kernel_lo: 1, kernel_ra: 2, kernel_ll: 3 },
  parent: { root: 0xffffffff, ingress: 0xfffffff1 },
  action: RULE_ACTIONS,
}
/** The fields of a desired object that take a name of a number, per kind: compared as that number. */
const NAMED_FIELDS: Partial<Record<ReconcileKind, readonly string[]>> = {
  routes: ['table', 'protocol', 'type', 'scope'],
  rules: ['table', 'protocol', 'action'],
  addresses: ['scope'],
  nexthops: ['protocol', 'scope'],
}
/** Scope keys that name a link: a name resolves to its index in the namespace reconciled. */
const LINK_REFS: ReadonlySet<string> = new Set(['oif', 'index', 'ifindex', 'master'])
/** Scope keys whose values are text. */
const TEXT_KEYS: ReadonlySet<string> = new Set(['kind', 'label'])

/**
 * One value of a scope key as a number (text keys as text): a name of a
 * number by iproute2's names, a link name by its index in `netns`
 * (`resolveLink`). `where` names the value in errors ('scope.table',
 * 'desired[2].oif'). Names are looked up as own properties only, so
 * 'constructor' is no protocol.
 */
async function scopeValue(kind: ReconcileKind, k: string, v: unknown, where: string, resolveLink: (name: string) => Promise<number | undefined>): Promise<unknown> {
  if (k === 'family') {
    // Neighbours also have the bridge forwarding database, family 7 (AF_BRIDGE).
    const n = familyNumber(v, kind === 'neighbours')
    if (n === undefined) throw invalidValue(`reconcile: ${where} must be ${familyExpected(kind === 'neighbours')}, got ${describe(v)}`)
    return n
  }
  if (TEXT_KEYS.has(k)) {
    if (typeof v !== 'string' || v === '') throw invalidType(`reconcile: ${where} must be a non-empty string, got ${describe(v)}`)
    return v
  }
  if (typeof v === 'string') {
    if (LINK_REFS.has(k)) {
      const index = await resolveLink(v)
      if (index === undefined) throw invalidValue(`reconcile: ${where} '${v}' names no link in the namespace reconciled; expected a link name or an index`)
      return index
    }
    const names = NAMES[k]
    if (names === undefined || !Object.hasOwn(names, v)) {
      throw invalidValue(
        names === undefined
          ? `reconcile: ${where} must be a number, got '${v}'`
          : `reconcile: ${where} '${v}' is not a name this library knows (${Object.keys(names).join(', ')}); give the number`,
      )
    }
    return names[v]
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw invalidType(`reconcile: ${where} of ${kind} must be an integer from 0 to 4294967295 or a name, got ${describe(v)}`)
  }
  return v
}

const PROTECTED_PROTOCOL = 2 // RTPROT_KERNEL
const LOCAL_TABLE = 255
const TC_H_ROOT = 0xffffffff
/** The fallback devices tunnel modules make in every namespace, by name, with their kind. */
const FALLBACK_TUNNELS: Record<string, string> = {
  gre0: 'gre', gretap0: 'gretap', erspan0: 'erspan', tunl0: 'ipip', sit0: 'sit',
  ip6tnl0: 'ip6tnl', ip6gre0: 'ip6gre', ip_vti0: 'vti', ip6_vti0: 'vti6',
}

/** The rules every namespace starts with (priority and table), per family: the kernel's, for a kernel that does not say so (FRA_PROTOCOL is 4.17+). */
const DEFAULT_RULES: Record<number, [number, number][]> = {
  2: [[0, 255], [32766, 254], [32767, 253]],
  10: [[0, 255], [32766, 254]],
}
const IFA_F_PERMANENT = 0x80
const NUD_NOARP = 0x40
const NUD_PERMANENT = 0x80
const NTF_SELF = 0x02
const NTF_EXT_LEARNED = 0x10

/** Whether the running kernel is at least major.minor (namespaces share it). */
function kernelAtLeast(major: number, minor: number): boolean {
  const [a, b] = release().split('.').map((x) => parseInt(x, 10))
  return a > major || (a === major && b >= minor)
}
/** From 5.18 the kernel marks the IPv6 addresses it makes (IFA_PROTO kernel_lo, kernel_ra, kernel_ll). */
let kernelMarksAddresses: boolean | undefined

/**
 * Whether an address is one the kernel made: IPv6's carry IFA_PROTO 1-3 from 5.18 (below
 * that, what only the kernel makes); IPv4's loopback (127.0.0.1/8 scope host on lo) carries
 * no IFA_PROTO on any kernel, and is known by its shape.
 */
function kernelAddress(o: Record<string, unknown>): boolean {
  const local = String(o.local ?? o.address ?? '')
  if (o.family !== 10) return local.startsWith('127.') && o.scope === 254
  // Asked on first use, not at import: Deno asks --allow-sys=osRelease for it.
  if ((kernelMarksAddresses ??= kernelAtLeast(5, 18))) return typeof o.proto === 'number' && o.proto >= 1 && o.proto <= 3
  return local === '::1' || (local.startsWith('fe80:') && o.prefixlen === 64) || ((o.flags as number) & IFA_F_PERMANENT) === 0
}

/**
 * Objects no scope owns unless it names them: what the kernel made.
 * Routes of the kernel (proto kernel) or of the local table; rules of the
 * kernel (protocol kernel; the default rules where the kernel does not say
 * who made a rule); addresses the kernel made (loopback, link-local,
 * autoconfigured: IFA_PROTO, or their shape before 5.18); neighbours the
 * kernel learned (not permanent: reachable, stale, noarp, ...) and FDB
 * entries of the device itself or learned by a driver (self,
 * extern_learn); the qdiscs a link starts with (handle 0: noqueue,
 * pfifo_fast, mq and its children), which cannot be deleted, and their
 * classes (mq's per-queue classes, major 0); links that no rtnetlink
 * request made (no kind: loopback, hardware; the tunnels a module makes in
 * every namespace, which the kernel does not delete).
 */
function guarded(kind: ReconcileKind, scope: Record<string, unknown>, o: Record<string, unknown>): boolean {
  switch (kind) {
    case 'routes':
      return (o.protocol === PROTECTED_PROTOCOL && scope.protocol === undefined) || (o.table === LOCAL_TABLE && scope.table === undefined)
    case 'rules':
      if (scope.protocol !== undefined) return false
      if (o.protocol !== undefined) return o.protocol === PROTECTED_PROTOCOL
      return (
        (DEFAULT_RULES[o.family as number] ?? []).some(([priority, table]) => (o.priority ?? 0) === priority && o.table === table) &&
        !o.src && !o.dst && !o.iifname && !o.oifname && !o.fwmark
      )
    case 'addresses':
      return scope.proto === undefined && kernelAddress(o)
    case 'neighbours':
      if (o.family === 7) return ((o.flags as number) & (NTF_SELF | NTF_EXT_LEARNED)) !== 0 || ((o.state as number) & (NUD_PERMANENT | NUD_NOARP)) === 0
      return ((o.state as number) & NUD_PERMANENT) === 0
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
  if (k === 'parent' && kind === 'tcClasses') return classParentIs(obj, want)
  // The kernel lists an IPv4 route of metric 0 without RTA_PRIORITY.
  if (k === 'priority' && kind === 'routes') return (obj.priority ?? (obj.family === 2 ? 0 : undefined)) === want
  return obj[k] === want
}

/** Whether a listed object is inside a scope (normalised: numbers, families as 2/10/7). */
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
    // Flags: the kernel adds its own (permanent, tentative, ...); those a request sets are compared.
    case 'addresses':
      return {
        primary: (o) => o.local ?? o.address,
        same: (d, c) => (familyOf(d) ?? c.family) === c.family && (d.index ?? scope.index) === c.index && d.prefixlen === c.prefixlen,
        compared: ADDRESS_COMPARED,
        // An IPv6 address is listed as `address` alone (IFA_ADDRESS); a desired one may say `local`.
        inPlace: (d, c) =>
          covers(c.local === undefined && d.local === c.address ? { ...d, local: undefined } : d, c, ADDRESS_COMPARED) &&
          (d.flags === undefined || fixedPart('flags', d.flags) === fixedPart('flags', c.flags)),
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
const LINK_COMPARED: ReadonlySet<string> = new Set(['index', 'name', 'kind', 'flags', 'flagNames', 'setFlags', 'master', 'linkinfo', 'netns'])
/** The flags `flags` / `flagNames` turn on (links.set changes no other), and those `setFlags` turns on or off. */
const TURNED_ON_FLAGS: readonly [string, number][] = [['UP', 0x1], ['NOARP', 0x80], ['MULTICAST', 0x1000], ['DYNAMIC', 0x8000]]
const SET_FLAG_BITS: Readonly<Record<string, number>> = { UP: 0x1, NOARP: 0x80, MULTICAST: 0x1000, PROMISC: 0x100, ALLMULTI: 0x200, DYNAMIC: 0x8000 }
/** Whether listed link `c` has the flags desired link `d` turns on, and those it sets on or off. */
function sameLinkFlags(d: Record<string, unknown>, c: Record<string, unknown>): boolean {
  const has = c.flags as number
  const on = typeof d.flags === 'number' ? d.flags : Array.isArray(d.flagNames) ? TURNED_ON_FLAGS.filter(([n]) => (d.flagNames as string[]).some((x) => typeof x === 'string' && x.toUpperCase() === n)).reduce((a, [, bit]) => a | bit, 0) : 0
  if (TURNED_ON_FLAGS.some(([, bit]) => (on & bit) !== 0 && (has & bit) === 0)) return false
  const set = d.setFlags as Record<string, unknown> | undefined
  if (set === undefined || set === null || typeof set !== 'object') return true
  return Object.entries(set).every(([n, v]) => SET_FLAG_BITS[n] === undefined || ((has & SET_FLAG_BITS[n]) !== 0) === v)
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
 * The links to delete, and what deleting them takes past the scope. A
 * veth's peer goes with it (in this namespace or another), so no delete is
 * sent for the peer; so do the links stacked on it (macvlan, vlan, ...),
 * and its ports are released from it. A veth whose peer is desired is
 * refused outright: the peer would be gone. `listed` has every link listed,
 * by index; `desiredNames`, the names desired.
 */
function linkRemovals(remove: Obj[], listed: Map<unknown, Obj>, desiredNames: ReadonlySet<unknown>): { removals: Obj[]; reached: Reach[] } {
  const removed = new Set(remove.map((c) => c.index))
  // Every link that goes: those removed and, with them, their veth peers here.
  const going = new Map<unknown, Obj>()
  const reached: Reach[] = []
  const removals = remove.filter((c) => {
    if (going.has(c.index)) return false
    going.set(c.index, c)
    const what = `link '${c.name}'`
    if (c.kind === 'veth' && c.link !== undefined) {
      if (c.linkNetnsid !== undefined) {
        reached.push({ what, effect: `delete its veth peer (ifindex ${c.link}) in the namespace of nsid ${c.linkNetnsid}`, object: { index: c.link, linkNetnsid: c.linkNetnsid } })
      } else {
        const peer = listed.get(c.link)
        if (peer !== undefined && desiredNames.has(peer.name)) {
          throw invalidValue(`reconcile: link '${c.name}' is not desired, but deleting it would delete its veth peer '${peer.name}', which is desired: desire both or neither`)
        }
        if (!removed.has(c.link)) reached.push({ what, effect: `delete its veth peer '${peer?.name ?? `index ${c.link}`}'`, object: peer ?? { index: c.link } })
        going.set(c.link, peer ?? { index: c.link, name: `index ${c.link}` })
      }
    }
    return true
  })
  // What stands on a link that goes: links stacked on it go too, its ports are released.
  for (const c of going.values()) {
    for (const l of listed.values()) {
      if (going.has(l.index)) continue
      if (l.link === c.index && l.linkNetnsid === undefined) reached.push({ what: `link '${c.name}'`, effect: `delete link '${l.name}' (${l.kind ?? 'a link'} on top of it)`, object: l })
      else if (l.master === c.index) reached.push({ what: `link '${c.name}'`, effect: `release its port '${l.name}'`, object: l })
    }
  }
  return { removals, reached }
}
/** Kinds whose MTU the kernel lowers to their lower link's when that one's goes below it. */
const MTU_FOLLOWERS = new Set(['vlan', 'macvlan', 'macvtap', 'ipvlan', 'ipvtap', 'macsec'])
/**
 * What a set of links reaches past the scope: a lower MTU lowers the MTU
 * of the links stacked on it (vlan, macvlan, ...) that are above it.
 * `counterpart` maps each desired link to the one listed; `owned`, whether
 * a listed link is in the scope.
 */
function linkSetReach(sets: Obj[], counterpart: Map<Obj, Obj>, listed: Map<unknown, Obj>, owned: (o: Obj) => boolean): Reach[] {
  const reached: Reach[] = []
  for (const d of sets) {
    const c = counterpart.get(d)
    if (c === undefined || typeof d.mtu !== 'number' || d.mtu >= (c.mtu as number)) continue
    for (const l of listed.values()) {
      if (l.link !== c.index || l.linkNetnsid !== undefined || !MTU_FOLLOWERS.has(l.kind as string) || (l.mtu as number) <= d.mtu || owned(l)) continue
      reached.push({ verb: 'changing', what: `the MTU of link '${c.name}' (${c.mtu} to ${d.mtu})`, effect: `lower the MTU of link '${l.name}' (${l.kind} on top of it) to ${d.mtu}`, object: l })
    }
  }
  return reached
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

/** A route as the kernel lists it, from a desired one: its defaults filled in (main table, metric 0 for IPv4 and 1024 for IPv6, ...). */
function asListedRoute(d: Obj, scope: Obj): Obj {
  const family = familyOf(d) ?? scope.family
  return {
    ...d,
    family,
    table: d.table ?? scope.table ?? 254,
    dstLen: d.dstLen ?? 0,
    srcLen: d.srcLen ?? 0,
    tos: d.tos ?? 0,
    priority: d.priority ?? scope.priority ?? (family === 10 ? 1024 : 0),
  }
}

/**
 * Whether two listed routes are one to the kernel's replace (and to an
 * exclusive add): IPv4 takes the first route of the same table, dst, tos
 * and metric; IPv6 one of the same table, dst, src and metric.
 */
function sameKernelRoute(a: Obj, b: Obj): boolean {
  const metric = (o: Obj) => o.priority ?? (o.family === 10 ? 1024 : 0)
  return (
    a.family === b.family &&
    (a.table ?? 254) === (b.table ?? 254) &&
    (a.dst ?? '') === (b.dst ?? '') &&
    (a.dstLen ?? 0) === (b.dstLen ?? 0) &&
    metric(a) === metric(b) &&
    (a.family === 2 ? (a.tos ?? 0) === (b.tos ?? 0) : (a.src ?? '') === (b.src ?? '') && (a.srcLen ?? 0) === (b.srcLen ?? 0))
  )
}

/**
 * Whether the kernel's delete of listed route `c` (sent with all its
 * fields) could match route `x`: IPv4 takes a protocol or metric of 0 as
 * any; IPv6 a protocol of 0, and matches no other field it is not given.
 */
function routeDeleteMatches(c: Obj, x: Obj): boolean {
  if (x.family !== c.family || (x.table ?? 254) !== (c.table ?? 254) || (x.dst ?? '') !== (c.dst ?? '') || x.dstLen !== c.dstLen) return false
  const metric = (o: Obj) => o.priority ?? (o.family === 10 ? 1024 : 0)
  if (metric(c) !== 0 && metric(c) !== metric(x)) return false
  if (c.protocol && c.protocol !== x.protocol) return false
  if (c.family === 2 && ((c.tos ?? 0) !== (x.tos ?? 0) || c.type !== x.type || c.scope !== x.scope)) return false
  if (c.family === 10 && ((c.src ?? '') !== (x.src ?? '') || (c.srcLen ?? 0) !== (x.srcLen ?? 0))) return false
  if (c.gateway !== undefined && c.gateway !== x.gateway) return false
  if (c.oif !== undefined && c.oif !== x.oif) return false
  if (c.multipath !== undefined || x.multipath !== undefined) return JSON.stringify(c.multipath) === JSON.stringify(x.multipath)
  return true
}

/** Whether the kernel's delete of listed rule `c` could match rule `x`: a protocol of 0 in a delete is any protocol. */
function ruleDeleteMatches(c: Obj, x: Obj): boolean {
  if (c.protocol) return false
  const { protocol: _p, protocolName: _pn, ...rest } = c
  return x.family === c.family && covers(rest, x) && covers({ ...x, protocol: undefined, protocolName: undefined }, rest)
}

/** A rule as `ip rule` would name it in a message. */
function ruleWords(r: Obj): string {
  const from = r.src === undefined ? 'all' : `${r.src}/${r.srcLen}`
  return `rule ${r.priority ?? 0}: from ${from} table ${r.table} protocol ${r.protocol ?? 0}`
}

/** A route as `ip route` would name it in a message. */
function routeWords(r: Obj): string {
  const dst = r.dst === undefined ? 'default' : `${r.dst}/${r.dstLen}`
  const via = r.gateway !== undefined ? ` via ${r.gateway}` : ''
  const dev = r.oif !== undefined ? ` oif ${r.oif}` : ''
  const proto = r.protocol !== undefined ? ` proto ${r.protocol}` : ''
  return `${dst}${via}${dev} table ${r.table ?? 254} metric ${r.priority ?? (r.family === 10 ? 1024 : 0)}${proto}`
}

/** The error of a change refused because it would reach an object outside the scope; nothing was sent. */
function outsideScope(message: string): RtnlError {
  return new RtnlError('ERR_RTNL_OUTSIDE_SCOPE', message)
}

/** What one desired object is called in messages. */
const SINGULAR: Record<ReconcileKind, string> = {
  routes: 'route', addresses: 'address', neighbours: 'neighbour', rules: 'rule', nexthops: 'nexthop', qdiscs: 'qdisc', tcClasses: 'tc class', links: 'link',
}
/** The identity the kernel gives each kind, in words, for the duplicate error. */
const IDENTITY_WORDS: Record<ReconcileKind, string> = {
  routes: 'family, table, destination, source, tos and metric',
  addresses: 'link, address and prefix length',
  neighbours: 'family, link and address',
  rules: 'every selector and action',
  nexthops: 'id',
  qdiscs: 'link and parent',
  tcClasses: 'link and handle',
  links: 'name',
}

/** Whether two desired objects are the same object to the kernel (one of them could exist). */
function sameDesired(kind: ReconcileKind, scope: Obj, a: Obj, b: Obj): boolean {
  switch (kind) {
    case 'routes': {
      const [x, y] = [asListedRoute(a, scope), asListedRoute(b, scope)]
      return sameKernelRoute(x, y) && (x.src ?? '') === (y.src ?? '') && (x.srcLen ?? 0) === (y.srcLen ?? 0)
    }
    case 'addresses': {
      const family = familyOf(a)
      if (family !== familyOf(b) || (a.index ?? scope.index) !== (b.index ?? scope.index)) return false
      // IPv6 holds an address once per link, whatever its prefix length.
      return family === 10 || a.prefixlen === b.prefixlen
    }
    case 'neighbours':
      return (a.family ?? familyOf(a)) === (b.family ?? familyOf(b)) && (a.ifindex ?? scope.ifindex) === (b.ifindex ?? scope.ifindex) && (a.vlan ?? 0) === (b.vlan ?? 0) && (a.lladdr === b.lladdr || a.family !== 7)
    case 'qdiscs':
      return (a.ifindex ?? scope.ifindex) === (b.ifindex ?? scope.ifindex) && (a.parent ?? scope.parent ?? TC_H_ROOT) === (b.parent ?? scope.parent ?? TC_H_ROOT)
    case 'tcClasses':
      return (a.ifindex ?? scope.ifindex) === (b.ifindex ?? scope.ifindex)
    case 'rules':
      return covers(a, b) && covers(b, a)
    default:
      // nexthops (id) and links (name): the primary key is the identity.
      return true
  }
}

/** IPv4 address fields a replace leaves as they are, and the part of each compared (flags: those a request sets). */
const ADDRESS_FIXED = ['label', 'scope', 'broadcast', 'flags'] as const
const ADDRESS_COMPARED: ReadonlySet<string> = new Set(['flags'])
const IFA_SETTABLE_FLAGS = 0x02 | 0x10 | 0x100 | 0x200 | 0x400 // nodad, homeaddress, mngtmpaddr, noprefixroute, autojoin
function fixedPart(field: string, v: unknown): unknown {
  return field === 'flags' ? ((v as number) ?? 0) & IFA_SETTABLE_FLAGS : v
}

/** Whether the change of listed IPv4 address `c` into `d` deletes it and adds it again: a field replace leaves as it was. */
function readdedAddress(d: Obj, c: Obj): boolean {
  return c.family === 2 && ADDRESS_FIXED.some((f) => d[f] !== undefined && fixedPart(f, d[f]) !== fixedPart(f, c[f]))
}

/** Something a delete takes with it that lies outside the scope. */
interface Reach {
  /** What the change does: deleting (the default) or changing. */
  verb?: 'changing'
  /** The object deleted or changed, in words. */
  what: string
  /** What else goes or changes, in words. */
  effect: string
  /** The object outside the scope. */
  object: object
}

const IFA_F_SECONDARY = 0x01
/** Whether IPv4 address `a` (its prefix) contains `local`. */
function sameSubnet(a: Obj, local: unknown): boolean {
  const bits = (s: unknown) => String(s).split('.').reduce((n, p) => ((n << 8) | Number(p)) >>> 0, 0)
  const len = a.prefixlen as number
  const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0
  return ((bits(a.local ?? a.address) & mask) >>> 0) === ((bits(local) & mask) >>> 0)
}

/**
 * What deleting `gone` makes the kernel delete or change beyond them,
 * outside the scope: an IPv4 primary address takes its secondaries (with
 * promote_secondaries off, the default); the last IPv4 address of a link
 * takes the link's routes; a nexthop takes the groups and routes that use
 * it. Links are checked by linkRemovals. `foreign` holds what the listing
 * found outside the scope; `listed`, all it found (addresses).
 */
async function cascadeOf(kind: ReconcileKind, gone: Obj[], foreign: Obj[], listed: Obj[], netns: Netns): Promise<Reach[]> {
  const out: Reach[] = []
  if (gone.length === 0) return out
  if (kind === 'addresses') {
    const v4 = gone.filter((a) => a.family === 2)
    for (const a of v4) {
      if (((a.flags as number) & IFA_F_SECONDARY) !== 0) continue
      for (const f of foreign) {
        if (f.family === 2 && f.index === a.index && ((f.flags as number) & IFA_F_SECONDARY) !== 0 && sameSubnet(a, f.local)) {
          out.push({ what: `address ${a.local}/${a.prefixlen}`, effect: `delete its secondary address ${f.local}/${f.prefixlen} (label ${f.label})`, object: f })
        }
      }
    }
    // A link left without an IPv4 address loses its routes (the kernel
    // flushes them): one whose every listed IPv4 address goes, those in
    // scope that stay (in place or replaced) and those outside alike.
    const going = new Set(gone)
    const emptied = [...new Set(v4.map((a) => a.index))].filter((index) => !listed.some((f) => f.family === 2 && f.index === index && !going.has(f)))
    for (const index of emptied) {
      const flushed = (await routes.list({ netns, family: 4, oif: index as number })).filter((r) => r.table !== LOCAL_TABLE && r.protocol !== PROTECTED_PROTOCOL)
      const last = v4.find((a) => a.index === index) as Obj
      for (const r of flushed) out.push({ what: `address ${last.local}/${last.prefixlen}, the last IPv4 address of link ${index},`, effect: `flush route ${routeWords(r as unknown as Obj)}`, object: r })
    }
  }
  if (kind === 'nexthops') {
    const ids = new Set(gone.map((n) => n.id))
    const groups = foreign.filter((g) => Array.isArray(g.group) && (g.group as Obj[]).some((m) => ids.has(m.id)))
    for (const g of groups) out.push({ what: `nexthop ${(g.group as Obj[]).find((m) => ids.has(m.id))?.id}`, effect: `change group ${g.id}`, object: g })
    // Routes through a deleted nexthop (or a group that loses its last member) go with it.
    const through = new Set([...ids])
    for (const g of groups) if ((g.group as Obj[]).every((m) => ids.has(m.id))) through.add(g.id)
    for (const r of await routes.list({ netns })) {
      if (r.nhid !== undefined && through.has(r.nhid)) out.push({ what: `nexthop ${r.nhid}`, effect: `delete route ${routeWords(r as unknown as Obj)}`, object: r })
    }
  }
  return out
}

const LIST = { routes, addresses, neighbours, rules, nexthops, qdiscs, tcClasses, links } as const

/** The list filters the kernel applies that a scope implies (fewer objects to read). */
function listFilter(kind: ReconcileKind, scope: Record<string, unknown>): Record<string, unknown> {
  const f: Record<string, unknown> = {}
  if (scope.family !== undefined && kind !== 'nexthops') f.family = scope.family
  if (kind === 'nexthops' && scope.family !== undefined) f.family = scope.family
  if (kind === 'routes' && typeof scope.table === 'number') f.table = scope.table
  // Not routes by oif: a route of another device can share a replace's identity in the kernel.
  if (kind === 'addresses' && typeof scope.index === 'number') f.ifindex = scope.index
  if (kind === 'neighbours' && typeof scope.ifindex === 'number') f.ifindex = scope.ifindex
  // Not nexthops by oif: the groups that use a nexthop have no oif, and a delete reaches them.
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
 * @throws {@link RtnlError} `ERR_RTNL_OUTSIDE_SCOPE` for a change that would reach an object outside the scope
 * (see {@link ReconcileOptions.allowCascade}); nothing is sent.
 * @throws TypeError `ERR_INVALID_ARG_VALUE` for an unknown kind, a desired object that does not encode
 * ("nothing was sent: change N ... is invalid"), two desired objects of one identity, a scope key the kind does not take
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
export async function reconcile<K extends ReconcileKind>(kind: K, desired: readonly Desired<K>[], opts: ReconcileOptions<K>): Promise<ReconcileResult<K>> {
  if (!(RECONCILE_KINDS as readonly string[]).includes(kind)) {
    throw invalidValue(`reconcile: kind must be one of ${RECONCILE_KINDS.join(', ')}, got ${describe(kind)}`)
  }
  if (!Array.isArray(desired)) throw invalidType(`reconcile: desired must be an array of ${kind} objects, got ${describe(desired)}`)
  if (typeof opts !== 'object' || opts === null) throw invalidType(`reconcile: options must be an object with a scope, got ${describe(opts)}`)
  checkKeys(opts, ['netns', 'scope', 'dryRun', 'allowCascade', 'signal'], 'reconcile options')
  for (const b of ['dryRun', 'allowCascade'] as const) {
    if (opts[b] !== undefined && typeof opts[b] !== 'boolean') throw invalidType(`reconcile: ${b} must be true or false, got ${describe(opts[b])}`)
  }
  if (typeof opts.scope !== 'object' || opts.scope === null || Array.isArray(opts.scope) || Object.keys(opts.scope).length === 0) {
    throw invalidValue(
      `reconcile: scope is required: the fields of what this caller owns, e.g. { table: 100 } or { protocol: 'static' } (one of ${SCOPE_KEYS[kind].join(', ')}), got ${describe(opts.scope)}`,
    )
  }
  checkKeys(opts.scope, SCOPE_KEYS[kind], `reconcile: scope of ${kind}`)
  // Checked above; read as plain fields from here on.
  const scopeGiven = opts.scope as Record<string, unknown>
  const netns = validateNetns(opts.netns)
  const allowCascade = opts.allowCascade === true
  // Link names in a scope or a desired object, each asked of the kernel once.
  const linkIndex = new Map<string, Promise<number | undefined>>()
  const resolveLink = (name: string) => {
    let index = linkIndex.get(name)
    if (index === undefined) {
      index = links.get({ name }, { netns }).then((l) => l?.index)
      linkIndex.set(name, index)
    }
    return index
  }
  const scope: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(scopeGiven)) scope[k] = await scopeValue(kind, k, v, `scope.${k}`, resolveLink)
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
  const refuse = async (err: Error): Promise<never> => {
    await stream.return(undefined)
    throw err
  }

  // Every desired object inside the scope: what a scope key fixes, the
  // object says too (names resolved: `table: 'main'` is 254) or leaves to
  // the scope, which then fills it in (a route desired in { table: 100 } is
  // in table 100; an object without a family takes the scope's, one whose
  // addresses imply another family is outside). Copied only where filled.
  const scopeKeys = Object.keys(scope)
  const prepared: Record<string, unknown>[] = new Array(desired.length)
  const names = new Map<unknown, number>()
  for (let i = 0; i < desired.length; i++) {
    const d = desired[i] as Record<string, unknown>
    if (typeof d !== 'object' || d === null || Array.isArray(d)) return refuse(invalidType(`reconcile: desired[${i}] must be a ${kind} object, got ${describe(d)}`))
    if (kind === 'links') {
      const problem =
        typeof d.name !== 'string' || d.name === ''
          ? `name is required: a reconciled link is its name, got ${describe(d.name)}`
          : d.name.includes('%')
            ? `name '${d.name}' is a name template (%d): the kernel picks the name, so a reconciled link could never be found again; give the name itself`
            : d.netns !== undefined
              ? 'netns cannot be given: a reconciled link stays in the namespace reconciled'
              : names.has(d.name)
                ? `name '${d.name}' is given twice (also desired[${names.get(d.name)}])`
                : undefined
      if (problem !== undefined) return refuse(invalidValue(`reconcile: desired[${i}].${problem}`))
      names.set(d.name, i)
    }
    let o = d
    const set = (k: string, v: unknown) => {
      if (o === d) o = { ...d }
      o[k] = v
    }
    // Names of numbers and of links, as the numbers they stand for: `type: 'blackhole'` is the listed 6.
    for (const k of [...(NAMED_FIELDS[kind] ?? []), ...LINK_REFS]) {
      if (typeof d[k] !== 'string' || scope[k] !== undefined) continue // a scope key is resolved below
      if (kind === 'links' && k !== 'master') continue // a link's own index is not a reference
      try {
        set(k, await scopeValue(kind, k, d[k], `desired[${i}].${k}`, resolveLink))
      } catch (err) {
        return refuse(err as Error)
      }
    }
    for (const k of scopeKeys) {
      if (k === 'family') {
        const given = d.family === undefined ? undefined : familyNumber(d.family, kind === 'neighbours')
        const implied = given ?? familyOf(d)
        if (implied === undefined) set('family', scope.family)
        else if (implied !== scope.family) {
          const why = d.family === undefined ? ` (its addresses are of family ${implied})` : ''
          return refuse(invalidValue(`reconcile: desired[${i}] is of family ${implied}${why}, outside the scope (family: ${plain(scopeGiven.family)})`))
        }
        continue
      }
      const v = kind === 'links' && k === 'kind' ? linkKind(d) : d[k]
      if (v === undefined) {
        set(k, scope[k])
        continue
      }
      let value: unknown
      try {
        value = typeof v === 'string' && !TEXT_KEYS.has(k) ? await scopeValue(kind, k, v, `desired[${i}].${k}`, resolveLink) : v
      } catch (err) {
        return refuse(err as Error)
      }
      const inside = k === 'parent' && kind === 'tcClasses' ? classParentIs({ ...d, parent: value }, scope.parent) : value === scope[k]
      if (!inside) return refuse(invalidValue(`reconcile: desired[${i}].${k} is ${plain(v)}, outside the scope (${k}: ${plain(scopeGiven[k])})`))
      if (value !== v) set(k, value)
    }
    prepared[i] = o
  }

  const plan: ReconcilePlan<K> = { add: [], replace: [], remove: [], unchanged: 0, cascade: [], breaks: [] }
  // The desired objects not yet matched, by the primary part of their
  // identity (rules: all under one key, matched by content): a lone one as
  // itself (most), several in an array. Each listed object owned takes the
  // first desired object of its identity: equal in every field the desired
  // one gives (unchanged) or not (replaced); one with none is removed. What
  // is left of the desired ones is added. Two desired objects of one
  // identity are refused: the kernel holds one of them.
  const id: Identity = identityOf(kind, scope) ?? { primary: () => 0, same: (d, c) => covers(d, c) }
  const inPlace = id.inPlace ?? ((d: Record<string, unknown>, c: Record<string, unknown>) => covers(d, c, id.compared))
  const want = new Map<unknown, Record<string, unknown> | Record<string, unknown>[]>()
  for (let i = 0; i < prepared.length; i++) {
    const d = prepared[i]
    const key = id.primary(d)
    const had = want.get(key)
    if (had === undefined) {
      want.set(key, d)
      continue
    }
    const others = Array.isArray(had) ? had : [had]
    const dup = others.find((other) => sameDesired(kind, scope, d, other))
    if (dup !== undefined) {
      const j = prepared.indexOf(dup)
      return refuse(invalidValue(`reconcile: desired[${j}] and desired[${i}] are the same ${SINGULAR[kind]} to the kernel (${IDENTITY_WORDS[kind]}); give each once`))
    }
    if (Array.isArray(had)) had.push(d)
    else want.set(key, [had, d])
  }
  // Links: the peers of desired veths are made with them, not removed; a
  // desired link that exists outside the scope is changed into it (set), not added.
  const peers = kind === 'links' ? vethPeers(prepared) : undefined
  const elsewhere = new Map<unknown, Record<string, unknown>>()
  const byIndex = new Map<unknown, Record<string, unknown>>()
  // Everything listed that is not ours, where a change of ours can reach it
  // (a route of the same kernel identity, a secondary address, a group).
  const foreign: Record<string, unknown>[] = []
  // The listed object each replace changes.
  const counterpart = new Map<Record<string, unknown>, Record<string, unknown>>()
  // Qdiscs in place, kept to be added again if a qdisc above them goes.
  const kept: Record<string, unknown>[] = []
  // Addresses in place, with the listed address each one is (a primary's delete can take them).
  const keptAddresses = new Map<Record<string, unknown>, Record<string, unknown>>()
  const keep = (d: Record<string, unknown>, c?: Record<string, unknown>) => {
    plan.unchanged++
    if (kind === 'qdiscs') kept.push(d)
    if (kind === 'addresses' && c !== undefined) keptAddresses.set(d, c)
  }
  const replace = (d: Record<string, unknown>, c: Record<string, unknown>) => {
    plan.replace.push(d as Desired<K>)
    counterpart.set(d, c)
  }
  const take = (c: Record<string, unknown>) => {
    const key = id.primary(c)
    const here = want.get(key)
    if (here === undefined) return peers?.has(key) ? undefined : plan.remove.push(c as unknown as Types[K])
    if (!Array.isArray(here)) {
      if (!id.same(here, c)) return plan.remove.push(c as unknown as Types[K])
      want.delete(key)
      if (inPlace(here, c)) keep(here, c)
      else replace(here, c)
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
    if (inPlace(d, c)) keep(d, c)
    else replace(d, c)
    here.splice(at, 1)
    if (here.length === 0) want.delete(key)
    else if (here.length === 1) want.set(key, here[0])
  }
  const keepsForeign = kind === 'routes' || kind === 'addresses' || kind === 'nexthops' || kind === 'rules'
  // Everything listed, in the kernel's order: what a route or rule delete
  // could match instead of the object it names; which links keep an IPv4 address.
  const listed: Obj[] = []
  const keepsAll = kind === 'routes' || kind === 'rules' || kind === 'addresses'
  for (let r = await first; !r.done; r = await stream.next()) {
    for (const c of r.value) {
      if (keepsAll) listed.push(c)
      if (owned(c)) take(c)
      else {
        if (kind === 'links') elsewhere.set(c.name, c)
        if (keepsForeign) foreign.push(c)
      }
      if (kind === 'links') byIndex.set(c.index, c)
    }
  }
  for (const [key, left] of want) {
    for (const d of Array.isArray(left) ? left : [left]) {
      // Links: one of that name exists but is not owned. In the scope but
      // not ours to delete (loopback, hardware) and of the desired kind, it
      // is changed as desired. Outside the scope (or of another kind) it is
      // not ours to change, and an add of its name would fail.
      const there = elsewhere.get(key)
      if (there === undefined) plan.add.push(d as Desired<K>)
      else if (!inScope(there, scope, kind)) {
        return refuse(outsideScope(
          `reconcile: link ${plain(key)} exists outside the scope (kind ${there.kind ?? 'none'}, group ${there.group ?? 0}); reconcile changes only links in its scope: set it into the scope first (links.set) or give another name`,
        ))
      } else if (!id.same(d, there)) {
        return refuse(outsideScope(`reconcile: link ${plain(key)} exists as a link of kind ${there.kind ?? 'none'} that no request made (loopback, hardware, a module's own); give another name`))
      } else if (inPlace(d, there)) keep(d)
      else replace(d, there)
    }
  }

  const k = kind as MutableKind
  // Links go by name (by index to delete: the listing's own index, which is
  // exact), and a name that is not UTF-8 as its bytes.
  const op = (verb: Verb, object: Record<string, unknown>): AnyBatchOp => ({
    kind: k,
    verb,
    object: kind !== 'links' ? object : linkNameOnWire(verb === 'del' ? { index: object.index, name: object.name } : object),
  })
  const linksGone = kind === 'links' ? linkRemovals(plan.remove as unknown as Obj[], byIndex, new Set(names.keys())) : undefined
  const removals = linksGone?.removals ?? tcOrder(kind, plan as ReconcilePlan<ReconcileKind>, kept)
  // Changes the kernel cannot make in place without reaching past the scope, made another way.
  const replaceOps: AnyBatchOp[] = []
  // Listed objects a change deletes and adds again (their field cannot be replaced).
  const readded: Obj[] = []
  // Deletes sent before all others, and adds after all others (addresses a primary's delete would take).
  const firstDeletes: AnyBatchOp[] = []
  const lastAdds: AnyBatchOp[] = []
  // A delete names its object by the fields the kernel matches, and a field
  // of 0 matches anything (protocol 0 is any protocol): where another
  // object matches the delete too, the kernel may take that one instead.
  if ((kind === 'routes' || kind === 'rules') && removals.length > 0) {
    // Only the objects of the deletes' destinations can match them (rules: any rule).
    const at = (o: Obj) => (kind === 'routes' ? (o.dst ?? '') : 0)
    const dsts = new Set((removals as Obj[]).map(at))
    const peers = new Map<unknown, Obj[]>()
    for (const x of listed) {
      const key = at(x)
      if (!dsts.has(key)) continue
      const same = peers.get(key)
      if (same === undefined) peers.set(key, [x])
      else same.push(x)
    }
    for (const c of removals as Obj[]) {
      // IPv6 also deletes a route's ECMP siblings with it, whatever their protocol: any foreign route of its kernel identity.
      const other = (peers.get(at(c)) ?? []).find(
        (x) => x !== c && (kind === 'routes' ? routeDeleteMatches(c, x) || (c.family === 10 && !owned(x) && sameKernelRoute(c, x)) : ruleDeleteMatches(c, x)),
      )
      if (other !== undefined) {
        const words = kind === 'routes' ? (o: Obj) => `route ${routeWords(o)}` : ruleWords
        return refuse(outsideScope(`reconcile: deleting ${words(c)} could delete ${words(other)} instead: the kernel takes a field of 0 in a delete (here the protocol or metric) as any value; give the objects distinct fields`))
      }
    }
  }
  if (kind === 'routes') {
    // Foreign routes by destination: each change looks only at its peers.
    const foreignByDst = new Map<unknown, Obj[]>()
    for (const x of foreign) {
      const same = foreignByDst.get(x.dst ?? '')
      if (same === undefined) foreignByDst.set(x.dst ?? '', [x])
      else same.push(x)
    }
    const sharing = (o: Obj) => (foreignByDst.get(o.dst ?? '') ?? []).find((x) => sameKernelRoute(x, o))
    for (const d of plan.replace as Obj[]) {
      const c = counterpart.get(d) as Obj
      const f = sharing(c)
      if (f === undefined) replaceOps.push(op('replace', d))
      else if (c.family === 2) {
        // IPv4 replaces the first route of the same table, dst, tos and
        // metric, whoever made it: add ours beside it, then delete the old
        // one by all its fields. Never less than before.
        replaceOps.push(op('append', d), op('del', c))
      } else {
        return refuse(outsideScope(`reconcile: replacing route ${routeWords(c)} would replace route ${routeWords(f)}, which is outside the scope: IPv6 replaces a route of the same table, destination and metric whoever made it; give the route another metric or table`))
      }
    }
    for (const d of plan.add as Obj[]) {
      const listed = asListedRoute(d, scope)
      const f = sharing(listed)
      if (f !== undefined) {
        return refuse(outsideScope(
          `reconcile: route ${routeWords(listed)} is the same route to the kernel (table, destination, ${f.family === 2 ? 'tos' : 'source'} and metric) as route ${routeWords(f)}, which is outside the scope: the add would fail or join it; give it another metric or table`,
        ))
      }
    }
  } else if (kind === 'nexthops') {
    // A nexthop is its id: one of that id outside the scope is not ours to change, and an add of it would fail.
    for (const d of plan.add as Obj[]) {
      const f = foreign.find((x) => x.id === d.id)
      if (f !== undefined) return refuse(outsideScope(`reconcile: nexthop ${d.id} exists outside the scope (protocol ${f.protocol}); give another id`))
    }
    for (const d of plan.replace as Obj[]) replaceOps.push(op('replace', d))
  } else if (kind === 'addresses') {
    // An IPv4 primary deleted (or deleted to be added again) takes the
    // secondaries of its subnet with it (promote_secondaries is off by
    // default). Those of ours that stay are deleted before it and added
    // again after (missing in between: the plan lists them in `breaks`).
    const primary = (a: Obj) => a.family === 2 && ((a.flags as number) & IFA_F_SECONDARY) === 0
    const primariesGone = [
      ...(removals as Obj[]).filter(primary),
      ...(plan.replace as Obj[]).flatMap((d) => {
        const c = counterpart.get(d) as Obj
        return readdedAddress(d, c) && primary(c) ? [c] : []
      }),
    ]
    const orphaned = (c: Obj) => c.family === 2 && !primary(c) && primariesGone.some((a) => a !== c && a.index === c.index && sameSubnet(a, c.local))
    const orphans: [Obj, Obj][] = []
    for (const [d, c] of keptAddresses) {
      if (!orphaned(c)) continue
      plan.unchanged--
      plan.replace.push(d as Desired<K>)
      orphans.push([d, c])
    }
    // Replaced ones (those kept, just added, have no counterpart).
    for (const d of plan.replace as Obj[]) {
      const c = counterpart.get(d)
      if (c === undefined || !orphaned(c)) continue
      counterpart.delete(d) // not replaced in place below
      orphans.push([d, c])
    }
    for (const [d, c] of orphans) {
      plan.breaks.push(d as Desired<K>)
      readded.push(c)
      firstDeletes.push(op('del', c))
      lastAdds.push(op('add', d))
    }
    // Secondaries first: deleting a primary first would take them with it,
    // and their own delete would then fail.
    ;(removals as Obj[]).sort((a, b) => ((b.flags as number) & IFA_F_SECONDARY) - ((a.flags as number) & IFA_F_SECONDARY))
    for (const d of plan.add as Obj[]) {
      const local = d.local ?? d.address
      const f = foreign.find((x) => (x.local ?? x.address) === local && x.index === (d.index ?? scope.index) && (x.family === 10 || x.prefixlen === d.prefixlen))
      if (f !== undefined) return refuse(outsideScope(`reconcile: address ${local}/${d.prefixlen} exists on link ${f.index} outside the scope (label ${f.label ?? 'none'}, protocol ${f.proto ?? 0}); the kernel holds it once`))
    }
    // IPv4 replace changes only the metric, protocol and lifetimes: another
    // label, scope, broadcast or flags needs the address deleted and added
    // again (it is missing in between: the plan lists it in `breaks`).
    for (const d of plan.replace as Obj[]) {
      const c = counterpart.get(d)
      if (c === undefined) continue
      if (readdedAddress(d, c)) {
        plan.breaks.push(d as Desired<K>)
        readded.push(c)
        replaceOps.push(op('del', c), op('add', d))
      } else replaceOps.push(op('replace', d))
    }
  } else {
    for (const d of plan.replace as Obj[]) replaceOps.push(kind === 'links' ? op('set', linkOp(d, 'set')) : op('replace', d))
  }
  // What the changes reach past the scope: refused unless allowCascade, then listed in the plan.
  const reached = [
    ...(linksGone?.reached ?? []),
    ...(kind === 'links' ? linkSetReach(plan.replace as Obj[], counterpart, byIndex, owned) : []),
    ...(await cascadeOf(kind, [...(removals as Obj[]), ...readded], foreign, listed, netns)),
  ]
  if (reached.length > 0) {
    if (!allowCascade) {
      const [one] = reached
      return refuse(outsideScope(
        `reconcile: ${one.verb ?? 'deleting'} ${one.what} would also ${one.effect}, outside the scope${reached.length > 1 ? ` (and ${reached.length - 1} more)` : ''}; pass allowCascade: true to let the kernel do so (the plan lists what goes in cascade)`,
      ))
    }
    for (const r of reached) plan.cascade.push(r.object)
  }
  const ops: AnyBatchOp[] = [
    ...firstDeletes,
    ...(removals as Obj[]).map((object) => op('del', object)),
    ...replaceOps,
    ...(plan.add as Obj[]).map((object) => op('add', kind === 'links' ? linkOp(object, 'add') : object)),
    ...lastAdds,
  ]
  const typed = ops as ReconcileResult<K>['ops']
  if (ops.length === 0) return { ...plan, ops: typed, results: [] }
  // Every change is encoded before the first is sent: one invalid change
  // means none is sent ("nothing was sent: change N ... is invalid"). A dry
  // run makes the same checks.
  try {
    const results = await send(ops, netns, opts.signal, opts.dryRun ? 'validate' : 'all-or-nothing')
    return { ...plan, ops: typed, results: opts.dryRun ? [] : results }
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('nothing was sent')) err.message = `reconcile: ${err.message}`
    // An abort's per-op results answer these ops.
    if (err instanceof Error && err.name === 'AbortError' && 'results' in err) Object.assign(err, { ops })
    throw err
  }
}
