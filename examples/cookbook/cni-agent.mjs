// A CNI-style node agent: learns of pod namespaces as they are given an id
// in the node's namespace (`ip netns set POD ID`, as a CNI plugin or
// container runtime does), and sees link events inside every pod from one
// socket (allNsid), without entering any of them.
//   node examples/cookbook/cni-agent.mjs [NETNS]
import { subscribe, nsids, netnsNameOf, KIND_GROUPS } from 'rtnl'

const netns = process.argv[2] ? { name: process.argv[2] } : 'host'
// allNsid: events of every namespace with an id here arrive too, each with `nsid` set.
const monitor = await subscribe({ netns, allNsid: true, groups: [...KIND_GROUPS.nsids, ...KIND_GROUPS.links] })
process.on('SIGINT', () => monitor.stop())

// Pods by nsid. Names are looked up when a pod appears: once its namespace is gone, it has none.
const pods = new Map()
// Every id this namespace has given: at the start, and again if events were lost.
async function relist() {
  pods.clear()
  for (const { nsid } of await nsids.list({ netns })) {
    if (nsid !== undefined && nsid >= 0) pods.set(nsid, (await netnsNameOf(nsid, { netns })) ?? `nsid ${nsid}`)
  }
  console.log(`pods: ${[...pods.values()].join(', ') || 'none'}`)
}
await relist()

for await (const msg of monitor) {
  if (msg.type === 'resync_needed') await relist()
  if (msg.type !== 'event') continue
  // Ids given in this namespace (msg.nsid null); a pod numbering others says nothing about pods.
  const id = (msg.op === 'new_nsid' || msg.op === 'del_nsid') && msg.nsid == null ? msg.resource.nsid : undefined
  if (msg.op === 'new_nsid' && id !== undefined) {
    pods.set(id, (await netnsNameOf(id, { netns })) ?? `nsid ${id}`)
    console.log(`pod up: ${pods.get(id)} (nsid ${id})`)
  } else if (msg.op === 'del_nsid' && id !== undefined) {
    console.log(`pod gone: ${pods.get(id) ?? `nsid ${id}`}`)
    pods.delete(id)
  } else if ((msg.op === 'new_link' || msg.op === 'del_link') && msg.nsid != null) {
    // A link event inside a pod: msg.nsid says which one.
    console.log(`${pods.get(msg.nsid) ?? `nsid ${msg.nsid}`}: ${msg.op === 'new_link' ? 'link' : 'link removed'} ${msg.resource.name} ${msg.resource.operstate}`)
  }
}
