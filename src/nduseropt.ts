/** ND options from router advertisements passed to user space (RTM_NEWNDUSEROPT): events only. Mirrors crates/rtnl-core/src/nduseropt.rs. */
import type { UnknownAttribute } from './unknown'

/**
 * One ND option (RFC 4861 type-length-value). The fields present depend on
 * `type`; an option whose body does not parse as its type says, or of a type
 * not decoded here, has only `data`.
 *
 * @category Router advertisements
 * @example
 * ```ts
 * import { subscribe, KIND_GROUPS } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [...KIND_GROUPS.ndUserOptions] })) {
 *   if (msg.type !== 'event' || msg.op !== 'new_nduseropt') continue
 *   for (const o of msg.resource.options) {
 *     if (o.typeName === 'rdnss') console.log('DNS servers', o.servers, 'for', o.lifetime, 's')
 *     if (o.typeName === 'dnssl') console.log('search', o.domains)
 *   }
 * }
 * ```
 */
export interface NdOption {
  /** The option type: 3 prefix information, 25 RDNSS, 31 DNSSL, 37 captive portal, 38 PREF64, ... */
  type: number
  /** `type` by name: 'prefix', 'rdnss', 'dnssl', 'captive-portal', 'pref64'; absent for other types. */
  typeName?: 'prefix' | 'rdnss' | 'dnssl' | 'captive-portal' | 'pref64'
  /** RDNSS, DNSSL, PREF64: how long the servers / domains / prefix may be used, in seconds (0xffffffff: infinite). */
  lifetime?: number
  /** RDNSS: the recursive DNS servers' addresses. */
  servers?: string[]
  /** DNSSL: the DNS search list, as dotted names. */
  domains?: string[]
  /** Prefix information, PREF64: the prefix. */
  prefix?: string
  /** Prefix information, PREF64: the prefix length. */
  prefixLen?: number
  /** Prefix information: the flag byte (L 0x80 on-link, A 0x40 autonomous, R 0x20, P 0x10). */
  flags?: number
  /** Prefix information: the valid lifetime, in seconds. */
  validLifetime?: number
  /** Prefix information: the preferred lifetime, in seconds. */
  preferredLifetime?: number
  /** Captive portal: the portal's URI. */
  uri?: string
  /** The option's body after type and length, in hex, when not decoded into the fields above. */
  data?: string
}

/**
 * The ND options of a router advertisement the kernel passes to user space
 * (RTM_NEWNDUSEROPT: RDNSS, DNSSL, captive portal, PREF64, ...). Events
 * only: join `KIND_GROUPS.ndUserOptions` (ND_USEROPT).
 *
 * @example
 * ```ts
 * import { subscribe, RTNLGRP } from 'rtnl'
 *
 * for await (const msg of await subscribe({ groups: [RTNLGRP.ND_USEROPT] })) {
 *   if (msg.type === 'event' && msg.op === 'new_nduseropt') console.log(`from ${msg.resource.srcaddr} on ${msg.resource.ifindex}`, msg.resource.options)
 * }
 * ```
 * @category Router advertisements
 */
export interface NdUserOption {
  /** nduseropt_family: 10 (AF_INET6). */
  family: number
  /** nduseropt_ifindex: the interface the advertisement came in on. */
  ifindex: number
  /** nduseropt_icmp_type: the ICMPv6 message the options came in (134, router advertisement). */
  icmpType: number
  /** nduseropt_icmp_code. */
  icmpCode: number
  /** The options' bytes as they came, in hex. */
  optionsHex: string
  /** The options, decoded. */
  options: NdOption[]
  /** NDUSEROPT_SRCADDR: the advertising router's (link-local) address. */
  srcaddr?: string
  /** Attributes not decoded. */
  unknown?: UnknownAttribute[]
}
