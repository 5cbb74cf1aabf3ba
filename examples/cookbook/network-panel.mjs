// A network panel, Electron or worker style: a worker thread keeps the view
// of links and their addresses with watch() and posts it, whole, to the main
// thread (the UI) after every change; the UI only draws (here: prints).
//   node examples/cookbook/network-panel.mjs [NETNS]
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

if (isMainThread) {
  // The UI side: start the worker (this same file) and draw what it posts.
  const worker = new Worker(new URL(import.meta.url), { workerData: process.argv[2] })
  worker.on('message', (view) => console.log(`--- ${view.length} links\n${view.join('\n')}`))
  worker.on('error', (err) => console.error(err))
  // Closing the panel: terminating the worker stops its monitor and closes its socket.
  process.on('SIGINT', () => worker.terminate())
} else {
  // The worker side: watch() yields the whole state first, then after every change.
  const { watch } = await import('rtnl')
  const netns = workerData ? { name: workerData } : 'host'
  for await (const { state } of watch(['links', 'addresses'], { netns })) {
    // One line per link: name, state, its addresses. Plain strings cross threads cheaply.
    const view = [...state.links.values()].map((link) => {
      const addrs = [...state.addresses.values()].filter((a) => a.index === link.index)
      return `${link.name} ${link.operstate} ${addrs.map((a) => `${a.local ?? a.address}/${a.prefixlen}`).join(' ')}`.trimEnd()
    })
    parentPort?.postMessage(view.sort())
  }
}
