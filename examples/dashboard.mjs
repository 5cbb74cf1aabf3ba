// A live interface dashboard: watch() keeps the links and their addresses,
// and the table (what `ip -br address` shows) is drawn again after every
// change: on a terminal in place, in a pipe one table after another.
//   node examples/dashboard.mjs [NETNS]
import { watch, escapeText } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
// Ctrl-C aborts the watch even while it waits for the next change.
const stop = new AbortController()
process.on('SIGINT', () => stop.abort())
try {
  for await (const { state, changes } of watch(['links', 'addresses'], { netns, signal: stop.signal })) {
    const rows = [...state.links.values()]
      .sort((a, b) => a.index - b.index)
      .map((link) => {
        const addrs = [...state.addresses.values()].filter((a) => a.index === link.index).map((a) => `${a.local ?? a.address}/${a.prefixlen}`)
        // Names are the kernel's bytes: escapeText makes any of them safe to print.
        return `${escapeText(link.name).padEnd(16)} ${link.operstate.padEnd(8)} ${String(link.mtu).padStart(5)}  ${addrs.join(' ')}`.trimEnd()
      })
    if (process.stdout.isTTY) process.stdout.write('\x1b[H\x1b[2J')
    console.log(`--- ${state.links.size} links, ${changes.length} changes`)
    console.log(rows.join('\n'))
  }
} catch (err) {
  if (!stop.signal.aborted) throw err // an AbortError after Ctrl-C; anything else is a failure
}
