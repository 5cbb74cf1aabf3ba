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
