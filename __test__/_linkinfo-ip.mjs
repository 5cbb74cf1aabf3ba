// How iproute2 (6.1, the `ip` every guest and this machine run) prints the
// linkinfo data of each link kind, undone: for each kind, ip's key -> how to
// read the same value from our decoded data, how to read ip's value, and why
// they differ. A key no row names is compared as is, under camelCase.
// Shared by parity.test.mjs (the kinds this machine has) and
// kernel-kinds.test.mjs (the kinds distribution kernels have).
// From ip/link_gre.c, link_gre6.c, iplink_vlan.c, iplink_bond.c,
// iplink_bond_slave.c, iplink_ipvlan.c and tunnel.c of iproute2 v6.1.0.

/** camelCase of an `ip` snake_case key: our name for the same field. */
export const camel = (k) => k.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase())

const hex = (n) => `0x${n.toString(16)}`
const dotted = (n) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
const named = (table) => (v) => (v === undefined ? undefined : table[v] ?? String(v))
const same = (v) => v

// GRE flag bits as host numbers (the kernel sends them big-endian; we decode to host order).
const GRE_CSUM = 0x8000
const GRE_KEY = 0x2000
const GRE_SEQ = 0x1000
// IP6_TNL_F_* (include/uapi/linux/ip6_tunnel.h).
const IP6_TNL_F = {
  ip6_tnl_f_ign_encap_limit: 0x1, ip6_tnl_f_use_orig_tclass: 0x2, ip6_tnl_f_use_orig_flowlabel: 0x4,
  ip6_tnl_f_rcv_dscp_copy: 0x10, ip6_tnl_f_use_orig_fwmark: 0x20, ip6_tnl_f_allow_local_remote: 0x40,
}

const endpoint = [(v) => (v === undefined || v === '0.0.0.0' || v === '::' ? 'any' : v), same, 'ip prints "any" for an unset endpoint']
const GRE = {
  remote: endpoint,
  local: endpoint,
  link: [(v, _, ctx) => ctx.name(v), same, 'ip prints the underlying link by name'],
  ttl: [(v) => v ?? 0, same, 'ip prints ttl 0 (inherit) when the attribute is absent'],
  tos: [(v) => (v ? hex(v) : undefined), same, 'ip prints tos in hex'],
  fwmark: [(v) => (v ? hex(v) : undefined), same, 'ip prints the mark in hex'],
  erspan_hwid: [(v) => (v === undefined ? undefined : hex(v)), same, 'ip prints the hardware id in hex'],
  erspan_dir: [named(['ingress', 'egress']), same, 'ip names the direction'],
  ikey: [(v, d) => (d.iflags & GRE_KEY ? dotted(v) : undefined), same, 'ip prints keys as dotted quads, when GRE_KEY is set'],
  okey: [(v, d) => (d.oflags & GRE_KEY ? dotted(v) : undefined), same, 'same as ikey'],
  iseq: [(_, d) => (d.iflags & GRE_SEQ ? true : undefined), same, 'ip derives it from GRE_SEQ in iflags'],
  oseq: [(_, d) => (d.oflags & GRE_SEQ ? true : undefined), same, 'GRE_SEQ in oflags'],
  icsum: [(_, d) => (d.iflags & GRE_CSUM ? true : undefined), same, 'GRE_CSUM in iflags'],
  ocsum: [(_, d) => (d.oflags & GRE_CSUM ? true : undefined), same, 'GRE_CSUM in oflags'],
  encap: [(_, d) => (d.encapType ? { type: { 1: 'fou', 2: 'gue' }[d.encapType] ?? null, sport: d.encapSport, dport: d.encapDport, csum: !!(d.encapFlags & 1), csum6: !!(d.encapFlags & 2), remcsum: !!(d.encapFlags & 4) } : undefined), same,
    'ip gathers the IFLA_GRE_ENCAP_* attributes into one object'],
}
const GRE6 = {
  ...GRE,
  encap_limit: [(v, d) => (d.flags & IP6_TNL_F.ip6_tnl_f_ign_encap_limit ? undefined : v), same, 'ip prints no limit when IP6_TNL_F_IGN_ENCAP_LIMIT is set'],
  tclass: [(_, d) => (d.flags & IP6_TNL_F.ip6_tnl_f_use_orig_tclass ? undefined : `0x${((d.flowinfo >>> 20) & 0xff).toString(16).padStart(2, '0')}`), same,
    'ip derives the traffic class from bits 20-27 of flowinfo'],
  flowlabel: [(_, d) => (d.flags & IP6_TNL_F.ip6_tnl_f_use_orig_flowlabel ? undefined : `0x${(d.flowinfo & 0xfffff).toString(16).padStart(5, '0')}`), same,
    'ip derives the flow label from bits 0-19 of flowinfo'],
  ...Object.fromEntries(Object.entries(IP6_TNL_F).map(([k, bit]) => [k, [(_, d) => (d.flags & bit ? true : undefined), same, `ip derives it from bit ${hex(bit)} of flags`]])),
}

// In the order ip prints them.
const VLAN_FLAGS = [[1, 'REORDER_HDR'], [2, 'GVRP'], [8, 'MVRP'], [4, 'LOOSE_BINDING'], [16, 'BRIDGE_BINDING']]
const VLAN = {
  protocol: [named({ 0x8100: '802.1Q', 0x88a8: '802.1ad' }), same, 'ip names the VLAN protocol (ll_proto_n2a)'],
  flags: [(v) => v && VLAN_FLAGS.filter(([bit]) => v.flags & bit).map(([, n]) => n), same, 'ip names VLAN_FLAG_* bits'],
}

const BOND = {
  active_slave: [(v, _, ctx) => (v ? ctx.name(v) : undefined), same, 'ip prints the active port by name'],
  primary: [(v, _, ctx) => (v ? ctx.name(v) : undefined), same, 'ip prints the primary port by name'],
  arp_validate: [(v) => (v === 0 ? null : named(['none', 'active', 'backup', 'all', 'filter', 'filter_active', 'filter_backup'])(v)), same, 'ip names it, and prints null for none (0)'],
  arp_all_targets: [named(['any', 'all']), same, 'ip names it'],
  primary_reselect: [named(['always', 'better', 'failure']), same, 'ip names it'],
  fail_over_mac: [named(['none', 'active', 'follow']), same, 'ip names it'],
  xmit_hash_policy: [named(['layer2', 'layer3+4', 'layer2+3', 'encap2+3', 'encap3+4', 'vlan+srcmac']), same, 'ip names it'],
  ad_lacp_active: [named(['off', 'on']), same, 'ip names it'],
  ad_lacp_rate: [named(['slow', 'fast']), same, 'ip names it'],
  ad_select: [named(['stable', 'bandwidth', 'count']), same, 'ip names it'],
}
const BOND_SLAVE = {
  state: [named(['ACTIVE', 'BACKUP']), same, 'ip names the port state'],
  state_index: [(_, d) => d.state, same, 'ip prints the number under state_index'],
  mii_status: [named(['UP', 'GOING_DOWN', 'DOWN', 'GOING_BACK']), same, 'ip names the MII status'],
  mii_status_index: [(_, d) => d.miiStatus, same, 'ip prints the number under mii_status_index'],
}
const IPVLAN = {
  private: [(_, d) => (d.flags & 1 ? true : undefined), same, 'IPVLAN_F_PRIVATE'],
  vepa: [(_, d) => (d.flags & 2 ? true : undefined), same, 'IPVLAN_F_VEPA'],
  bridge: [(_, d) => (d.flags & 3 ? undefined : true), same, 'ip prints "bridge" when neither private nor vepa is set'],
}

/** Which of our fields ip derives a key from, where it is not the key's own camelCase. */
const GRE_READS = {
  ikey: ['ikey', 'iflags'], okey: ['okey', 'oflags'], iseq: ['iflags'], icsum: ['iflags'], oseq: ['oflags'], ocsum: ['oflags'],
  encap: ['encapType', 'encapFlags', 'encapSport', 'encapDport'],
}
const READS = {
  gre: GRE_READS, gretap: GRE_READS, erspan: GRE_READS,
  ...Object.fromEntries(['ip6gre', 'ip6gretap', 'ip6erspan'].map((k) => [k, {
    ...GRE_READS, encap_limit: ['encapLimit', 'flags'], tclass: ['flowinfo', 'flags'], flowlabel: ['flowinfo', 'flags'],
    ...Object.fromEntries(Object.keys(IP6_TNL_F).map((f) => [f, ['flags']])),
  }])),
  bond: { mode: ['mode', 'modeRaw'] },
  bond_slave: { state_index: ['state'], mii_status_index: ['miiStatus'] },
  ipvlan: { mode: ['mode', 'modeRaw'], private: ['flags'], vepa: ['flags'], bridge: ['flags'] },
  macvlan: { mode: ['mode', 'modeRaw'] },
}
READS.macvtap = READS.macvlan
READS.ipvtap = READS.ipvlan

/**
 * Fields of ours that ip does not print (when `when` holds), with the reason:
 * a field the kernel sends that iproute2 6.1 leaves out is not compared, and
 * says why here; any other field ip does not print fails the comparison.
 */
const zero = (v) => !v
const GRE_OMITS = {
  link: [zero, 'ip prints the underlying link only when one is set'],
  tos: [zero, 'ip prints tos only when it is not 0'],
  fwmark: [zero, 'ip prints the mark only when it is not 0'],
  iflags: [(v) => !(v & (GRE_KEY | GRE_SEQ | GRE_CSUM)), 'ip prints ikey/iseq/icsum from it, none when those bits are clear'],
  oflags: [(v) => !(v & (GRE_KEY | GRE_SEQ | GRE_CSUM)), 'same for okey/oseq/ocsum'],
  ikey: [(v, d) => !(d.iflags & GRE_KEY), 'ip prints the key only when GRE_KEY is set'],
  okey: [(v, d) => !(d.oflags & GRE_KEY), 'same'],
  encapType: [zero, 'ip prints the encap object only for a FOU or GUE encapsulation'],
  encapFlags: [(_, d) => !d.encapType, 'same'],
  encapSport: [(_, d) => !d.encapType, 'same'],
  encapDport: [(_, d) => !d.encapType, 'same'],
  ignoreDf: [zero, 'ip prints ignore_df only when set'],
  external: [zero, 'ip prints external only when set'],
}
const GRE6_OMITS = { ...GRE_OMITS, encapLimit: [(_, d) => d.flags & IP6_TNL_F.ip6_tnl_f_ign_encap_limit, 'ip prints no limit when IP6_TNL_F_IGN_ENCAP_LIMIT is set'] }
const OMITS = {
  gre: GRE_OMITS, gretap: GRE_OMITS, erspan: GRE_OMITS,
  ip6gre: GRE6_OMITS, ip6gretap: GRE6_OMITS, ip6erspan: GRE6_OMITS,
  bond: {
    activeSlave: [zero, 'ip prints the active port only when there is one'],
    primary: [zero, 'ip prints the primary port only when there is one'],
    // Attributes newer than iproute2 6.1, which does not print them; the
    // Rust decoder's tests check them against include/uapi/linux/if_link.h.
    coupledControl: [() => true, 'IFLA_BOND_COUPLED_CONTROL: newer than iproute2 6.1, which does not print it'],
    broadcastNeighbor: [() => true, 'IFLA_BOND_BROADCAST_NEIGH: newer than iproute2 6.1, which does not print it'],
  },
}

/** Our fields ip read for the keys it printed. */
export const fieldsRead = (kind, ipKeys) => new Set(ipKeys.flatMap((k) => READS[kind]?.[k] ?? [camel(k)]))

/** Why ip does not print our `field` (with `value`, in `data`), or undefined when it should have. */
export function notPrinted(kind, field, value, data) {
  const row = OMITS[kind]?.[field]
  return row && row[0](value, data) ? row[1] : undefined
}

/** Per kind (info_kind, or info_slave_kind for port data): ip's key -> [ours(value, data, ctx), ip(value), why]. */
export const LINKINFO_IP = {
  // (IFLA_BR_VLAN_PROTOCOL comes only from kernels with bridge VLAN filtering)
  bridge: { vlan_protocol: VLAN.protocol },
  gre: GRE, gretap: GRE, erspan: GRE,
  ip6gre: GRE6, ip6gretap: GRE6, ip6erspan: GRE6,
  vlan: VLAN,
  bond: BOND,
  bond_slave: BOND_SLAVE,
  ipvlan: IPVLAN, ipvtap: IPVLAN,
}

/** The row for ip's `key` of a `kind`'s data (undefined: compare as is). */
export const linkinfoRow = (kind, key) => LINKINFO_IP[kind]?.[key]
