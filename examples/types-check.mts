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
