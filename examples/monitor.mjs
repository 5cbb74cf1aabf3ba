// An `ip monitor`-style program: prints each event as one line.
//   node examples/monitor.mjs            # the host namespace
//   node examples/monitor.mjs NAME       # the `ip netns` namespace NAME
import { subscribe } from 'rtnl'

const name = process.argv[2]
const monitor = await subscribe({ netns: name ? { name } : 'host' })
process.on('SIGINT', () => monitor.stop())
console.error(`watching ${name ? `netns ${name}` : 'the host namespace'}; Ctrl-C to stop`)

for await (const msg of monitor) {
  if (msg.type === 'resync_needed') {
    console.log(`[RESYNC] ${msg.reason}: events were lost, re-list`)
    continue
  }
  const r = msg.resource
  switch (msg.op) {
    case 'new_link':
    case 'del_link':
      console.log(`[LINK] ${msg.op} ${r.index}: ${r.name} ${r.kind ?? ''} mtu ${r.mtu} state ${r.operstate} ${r.address ?? ''}`)
      break
    case 'new_addr':
    case 'del_addr':
      console.log(`[ADDR] ${msg.op} ${r.address ?? r.local}/${r.prefixlen} dev ${r.index}${r.label ? ` label ${r.label}` : ''}`)
      break
    case 'new_route':
    case 'del_route':
      console.log(`[ROUTE] ${msg.op} ${r.dst ?? 'default'}/${r.dstLen}${r.gateway ? ` via ${r.gateway}` : ''}${r.oif ? ` dev ${r.oif}` : ''} table ${r.table}`)
      break
    case 'new_neigh':
    case 'del_neigh':
      console.log(`[NEIGH] ${msg.op} ${r.dst ?? ''} dev ${r.ifindex} lladdr ${r.lladdr ?? ''} ${r.stateNames.join(',')}`)
      break
    case 'new_rule':
    case 'del_rule':
      console.log(`[RULE] ${msg.op} pref ${r.priority ?? 0}${r.src ? ` from ${r.src}/${r.srcLen}` : ''}${r.fwmark !== undefined ? ` fwmark ${r.fwmark}` : ''} table ${r.table}`)
      break
    default:
      console.log(`[UNKNOWN] rtm_type ${msg.rtmType}${msg.error ? `: ${msg.error}` : ''}`)
  }
}
