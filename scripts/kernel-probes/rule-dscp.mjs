// Probe, run inside a scratch namespace by scripts/kernel-features.mjs: does
// this kernel keep a routing rule's DSCP selector (FRA_DSCP, Linux 6.12)?
// iproute2 6.1 cannot set it, so rtnl writes it; an older kernel either
// refuses the attribute or ignores it, so the rule is read back.
import { rules } from 'rtnl'

try {
  await rules.add({ family: 2, priority: 7, dscp: 10, table: 5 })
} catch (e) {
  if (e.code !== 'EINVAL') throw e
  console.error(`FRA_DSCP not supported: ${e.message}`)
  process.exit(1)
}
const [rule] = (await rules.list({ family: 4 })).filter((r) => r.priority === 7)
if (rule?.dscp !== 10) {
  console.error('FRA_DSCP not supported: the kernel added the rule without it')
  process.exit(1)
}
