// Kernel features the suite cannot assume: the kernel build differs from
// machine to machine (seen: no IPv4 multicast routing on one, no seg6
// lwtunnel on another), users run kernels from 5.10 up, and the kinds a
// distribution kernel has as modules (dummy, vlan, bond, MPLS, netem, ...)
// are absent from some builds altogether.
//
// Each feature is probed by the commands that need it, in a fresh scratch
// namespace. A probe tells "absent" only from the kernel's own answer that
// it lacks the feature (an unknown link kind or qdisc, "not supported", a
// sysctl the kernel does not have); any other failure (EPERM, a missing
// tool) throws. Used by the tests (__test__/_features.mjs, `needs()`) and by
// the kernel matrix's guest (scripts/kernels/guest.mjs), which records every
// feature of each kernel in the kernel table.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { addNetns, delNetns } from './netns.mjs'

const VETH = 'link add pv0 type veth peer name pv1'

/**
 * Each feature: what it is (named in skips and in the kernel table), and the
 * commands that need it, run in a fresh namespace: `ip` lines, `tc ...` and
 * `bridge ...` lines, `sysctl ...` lines (run inside the namespace), or
 * `node FILE` for a probe of ours in scripts/kernel-probes/ (run inside it too).
 */
export const FEATURES = {
  seg6: {
    what: 'seg6 lwtunnel encapsulation (CONFIG_IPV6_SEG6_LWTUNNEL)',
    probe: [VETH, 'link set pv0 up', 'link set pv1 up', 'nexthop add id 1 encap seg6 mode encap segs fc00::1 dev pv0'],
  },
  bridge: {
    what: 'Ethernet bridge (CONFIG_BRIDGE)',
    probe: ['link add pb0 type bridge'],
  },
  ipv4_mroute: {
    what: 'IPv4 multicast routing (CONFIG_IP_MROUTE)',
    probe: ['-4 mrule show'],
  },
  mpls: {
    what: 'MPLS routing (CONFIG_MPLS_ROUTING, mpls_router)',
    probe: ['sysctl -qw net.mpls.platform_labels=16'],
  },
  mpls_encap: {
    what: 'MPLS route encapsulation (CONFIG_MPLS_IPTUNNEL, mpls_iptunnel)',
    probe: [VETH, 'link set pv0 up', 'route add 10.99.0.0/16 encap mpls 100 dev pv0'],
  },
  dummy: {
    what: 'dummy links (CONFIG_DUMMY)',
    probe: ['link add pd0 type dummy'],
  },
  vlan: {
    what: '802.1Q VLAN links (CONFIG_VLAN_8021Q)',
    probe: [VETH, 'link add link pv0 name pv0.5 type vlan id 5'],
  },
  act_gact: {
    what: 'gact tc actions (CONFIG_NET_ACT_GACT, act_gact)',
    probe: ['tc actions add action gact drop index 1'],
  },
  act_police: {
    what: 'police tc actions (CONFIG_NET_ACT_POLICE, act_police)',
    probe: ['tc actions add action police rate 1mbit burst 10k index 1'],
  },
  act_mirred: {
    what: 'mirred tc actions (CONFIG_NET_ACT_MIRRED, act_mirred)',
    probe: ['tc actions add action mirred egress redirect dev lo index 1'],
  },
  bond: {
    what: 'bonding (CONFIG_BONDING)',
    probe: ['link add pb0 type bond'],
  },
  vrf: {
    what: 'VRF links (CONFIG_NET_VRF)',
    probe: ['link add pr0 type vrf table 10'],
  },
  wireguard: {
    what: 'WireGuard links (CONFIG_WIREGUARD)',
    probe: ['link add pw0 type wireguard'],
  },
  gre: {
    what: 'GRE, gretap and ERSPAN links (CONFIG_NET_IPGRE)',
    probe: ['link add pg0 type gre remote 10.0.0.1 local 10.0.0.2'],
  },
  ip6gre: {
    what: 'IPv6 GRE links (CONFIG_IPV6_GRE)',
    probe: ['link add pg0 type ip6gre remote fd00::1 local fd00::2'],
  },
  ipvlan: {
    what: 'IPVLAN links (CONFIG_IPVLAN)',
    probe: [VETH, 'link add link pv0 name pi0 type ipvlan'],
  },
  fq_codel: {
    what: 'fq_codel qdisc (CONFIG_NET_SCH_FQ_CODEL)',
    probe: [VETH, 'tc qdisc add dev pv0 root fq_codel'],
  },
  netem: {
    what: 'netem qdisc (CONFIG_NET_SCH_NETEM)',
    probe: [VETH, 'tc qdisc add dev pv0 root netem delay 1ms'],
  },
  fq: {
    what: 'fq qdisc (CONFIG_NET_SCH_FQ)',
    probe: [VETH, 'tc qdisc add dev pv0 root fq'],
  },
  cake: {
    what: 'cake qdisc (CONFIG_NET_SCH_CAKE)',
    probe: [VETH, 'tc qdisc add dev pv0 root cake'],
  },
  nexthop_resilient: {
    what: 'resilient nexthop groups (Linux 5.13)',
    probe: [VETH, 'link set pv0 up', 'link set pv1 up', 'nexthop add id 1 dev pv0', 'nexthop add id 2 group 1 type resilient buckets 8'],
  },
  rule_dscp: {
    what: 'DSCP selectors in routing rules (FRA_DSCP, Linux 6.12)',
    probe: ['node rule-dscp.mjs'],
  },
  mdb_l2: {
    what: 'MAC (L2) multicast database entries (Linux 5.11)',
    probe: ['link add pb0 type bridge', VETH, 'link set pv0 master pb0', 'link set pb0 up', 'link set pv0 up', 'link set pv1 up', 'bridge mdb add dev pb0 port pv0 grp 01:00:5e:00:00:05 permanent'],
  },
}

// What the kernel says when it lacks a feature, as iproute2 and sysctl print it.
const ABSENT =
  /not supported|Address family not supported|Unknown device type|unknown qdisc|Unknown filter|Specified qdisc kind is unknown|Error: Unknown|Unknown entry protocol|cannot stat \/proc\/sys|Failed to load TC action module|TC action kind not found/i

/** The command a probe line runs in namespace `ns`. */
function command(ns, line) {
  const words = line.split(' ')
  if (words[0] === 'tc' || words[0] === 'bridge') return [words[0], ['-n', ns, ...words.slice(1)]]
  if (words[0] === 'sysctl') return ['ip', ['netns', 'exec', ns, ...words]]
  // A probe of ours (scripts/kernel-probes/), where iproute2 cannot set what is probed.
  if (words[0] === 'node') return ['ip', ['netns', 'exec', ns, process.execPath, fileURLToPath(new URL(`./kernel-probes/${words[1]}`, import.meta.url))]]
  return ['ip', ['-n', ns, ...words]]
}

/** Probes the running kernel for `feature`: true or false, or throws when the probe itself failed. */
export function probe(feature) {
  const spec = FEATURES[feature]
  if (!spec) throw new Error(`unknown kernel feature '${feature}'; expected one of ${Object.keys(FEATURES).join(', ')}`)
  const ns = addNetns(`rtnl-probe-${process.pid}-${randomBytes(4).toString('hex')}`)
  try {
    for (const line of spec.probe) {
      const [tool, args] = command(ns, line)
      try {
        execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      } catch (e) {
        const said = String(e.stderr ?? '') + String(e.message ?? '')
        if (e.code !== 'ENOENT' && ABSENT.test(said)) return false
        throw new Error(`probing the kernel for ${spec.what} failed (not an answer that it is absent): ${line}: ${said.trim()}`)
      }
    }
    return true
  } finally {
    delNetns(ns)
  }
}
