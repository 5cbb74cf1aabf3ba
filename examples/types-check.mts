// Type-checked by `npm run build` (tsc -p examples): proves that a message
// narrows on `type` and `op` to the right resource struct, through the
// package's public entry. Nothing here runs.
import { subscribe, links, routes, RTNLGRP, DEFAULT_GROUPS } from 'rtnl'
import type { Monitor, MonitorMessage, Link, Route, Rule, Netns } from 'rtnl'

export async function narrowing(): Promise<void> {
  const netns: Netns = { name: 'blue' }
  const monitor: Monitor = await subscribe({ netns, groups: [...DEFAULT_GROUPS, RTNLGRP.NSID] })
  for await (const msg of monitor) {
    if (msg.type === 'resync_needed') {
      const reason: 'enobufs' | 'overflow' | 'truncated' = msg.reason
      void reason
      // @ts-expect-error a resync carries no resource
      void msg.resource
      continue
    }
    switch (msg.op) {
      case 'new_route':
      case 'del_route': {
        const r: Route = msg.resource
        void r.dstLen
        break
      }
      case 'new_link': {
        const l: Link = msg.resource
        void l.operstate
        // @ts-expect-error a link is not a rule
        const wrong: Rule = msg.resource
        void wrong
        break
      }
      case 'unknown': {
        const t: number = msg.rtmType
        const nothing: null = msg.resource
        void t, nothing
        break
      }
    }
  }
  const all: Link[] = await links.list({ netns })
  const rs: Route[] = await routes.list()
  void all, rs
  const m: MonitorMessage | undefined = undefined
  void m
}

// watch(): a change narrows on kind, and state has exactly the kinds asked for.
import { watch } from 'rtnl'
import type { Address, Change, Snapshot } from 'rtnl'

export async function watchNarrowing(): Promise<void> {
  for await (const snap of watch(['routes', 'links'])) {
    const all: ReadonlyMap<string, Route> = snap.state.routes // not `| undefined`
    const ls: ReadonlyMap<string, Link> = snap.state.links
    void all, ls
    // @ts-expect-error addresses were not asked for
    void snap.state.addresses
    for (const change of snap.changes) {
      if (change.kind === 'routes') {
        const after: Route | undefined = change.after
        void after
        // @ts-expect-error a route change carries routes, not addresses
        const wrong: Address | undefined = change.after
        void wrong
      }
    }
    const any: Change = snap.changes[0]
    const s: Snapshot<'routes' | 'links'> = snap
    void any, s
  }
}

// Fan-out, disposal, JSON-safe timestamps.
export async function conventions(): Promise<void> {
  const monitor = await subscribe()
  const a = monitor.tee()
  const b = monitor.tee()
  for await (const msg of a) {
    if (msg.type === 'event') {
      const ms: number = msg.receivedAt
      const ns: string = msg.receivedAtNs
      void ms, ns, JSON.stringify(msg)
    }
    break
  }
  await b.return()
  await monitor[Symbol.asyncDispose]()
  await routes.list({ family: 2, signal: AbortSignal.timeout(1000) })
  await links.get({ name: 'lo' }, { signal: AbortSignal.timeout(1000) })
}

// A Monitor comes from subscribe(), a branch from tee(): not constructible.
import { Monitor as MonitorClass, MonitorBranch } from 'rtnl'
export function notConstructible(): void {
  // @ts-expect-error the constructor is private
  void new MonitorClass()
  // @ts-expect-error the constructor is private
  void new MonitorBranch()
}

// A change takes any part of a listed struct, nested options too; reconcile
// the same (Desired); a key the struct does not have is a type error.
import { qdiscs, tcClasses, nexthops, reconcile } from 'rtnl'
import type { Input, Qdisc, Desired } from 'rtnl'
export async function partialInputs(): Promise<void> {
  const htb: Input<Qdisc> = { ifindex: 2, parent: 0xffffffff, handle: 0x10000, kind: 'htb', options: { init: { defcls: 0x10 } } }
  await qdiscs.add(htb)
  await tcClasses.add({ ifindex: 2, parent: 0x10000, handle: 0x10010, kind: 'htb', options: { parms: { rate: { rate: 125000 } } } })
  await nexthops.add({ id: 1, resilient: { buckets: 32 }, group: [{ id: 2 }] })
  const leaf: Desired<'qdiscs'> = { parent: 0x10010, kind: 'pfifo', options: { limit: 50 } }
  const pair: Desired<'links'> = { name: 'va', linkinfo: { kind: 'veth', data: { peer: { name: 'vb' } } } }
  await reconcile('qdiscs', [htb, leaf], { scope: { ifindex: 2 } })
  await reconcile('links', [pair], { scope: { kind: 'veth' } })
  // @ts-expect-error a qdisc has no 'bogus'
  await qdiscs.add({ ifindex: 2, bogus: 1 })
  // @ts-expect-error the nested option is typed too
  await qdiscs.add({ ifindex: 2, options: { init: { defcls: 'sixteen' } } })
}

import type { BatchOp, BatchOpOf, ReconcileScope } from 'rtnl'

// Typed inputs: a batch op is told apart by its kind, which fixes its verbs and
// its object's keys; a reconcile() scope takes the kind's scope keys only.
export async function typedInputs(): Promise<void> {
  const ops: BatchOp[] = [
    { kind: 'routes', verb: 'append', object: { dst: '10.9.0.0', dstLen: 16, gateway: '10.0.0.2' } },
    { kind: 'rules', verb: 'add', object: { family: 2, priority: 100, table: 5, dscp: 46 } },
    { kind: 'links', verb: 'set', object: { name: 'eth0', mtu: 1400 } },
  ]
  void ops
  // @ts-expect-error rules take add and del, not replace
  const wrongVerb: BatchOp = { kind: 'rules', verb: 'replace', object: { priority: 100 } }
  // @ts-expect-error a route has no 'gatway'
  const misspelled: BatchOp = { kind: 'routes', verb: 'add', object: { dst: '10.9.0.0', gatway: '10.0.0.2' } }
  // @ts-expect-error a qdisc's object is not a route
  const wrongObject: BatchOpOf<'qdiscs'> = { kind: 'qdiscs', verb: 'add', object: { dst: '10.9.0.0' } }
  void wrongVerb, misspelled, wrongObject
  await reconcile('routes', [], { scope: { table: 100, protocol: 'static' }, dryRun: true })
  // @ts-expect-error 'tabel' is not a scope key of routes
  await reconcile('routes', [], { scope: { tabel: 100 }, dryRun: true })
  // @ts-expect-error 'index' is a scope key of addresses, not of routes
  await reconcile('routes', [], { scope: { index: 2 }, dryRun: true })
  const scope: ReconcileScope<'addresses'> = { index: 2, family: 4 }
  await reconcile('addresses', [], { scope, dryRun: true })
}
