/**
 * The text of traffic control objects: what `tc monitor` (and `tc qdisc /
 * class / filter / chain show`) print for qdiscs, classes, filters and
 * chains, with tc's units (rates in bit/s with K/M/G, sizes in b/Kb/Mb,
 * times in us/ms/s) and the options of the kinds the core decodes (htb,
 * tbf, prio and pfifo_fast, the fifos, fq_codel; u32, matchall, bpf).
 * Part of the printer (src/format.ts), which supplies link names.
 */
import { readFileSync } from 'node:fs'
import { escapeText } from './escape'
import type { ControlAction, TcAction } from './tc-action'
import type {
  BpfOptions,
  FifoOptions,
  FqCodelOptions,
  HtbOptions,
  MatchallOptions,
  PrioOptions,
  Qdisc,
  TbfOptions,
  TcChain,
  TcClass,
  TcFilter,
  TcObject,
  U32Options,
} from './tc'

/** ifindex -> the name the printer knows for it (`ifN` when it does not). */
export type DevName = (ifindex: number) => string

const TC_H_ROOT = 0xffffffff
const TC_H_CLSACT_INGRESS = 0xfffffff2
const TC_H_CLSACT_EGRESS = 0xfffffff3
const TC_U32_TERMINAL = 0x1
const TC_U32_OFFSET = 0x2
const TC_U32_VAROFFSET = 0x4
const TC_U32_EAT = 0x8
const TC_LINKLAYER_ETHERNET = 1
const NLM_F_EXCL = 0x200
const NLM_F_CREATE = 0x400

/** C's %.Ng: N significant digits, trailing zeros dropped, exponent form outside 1e-4 .. 1e(N). */
export function cG(x: number, precision = 6): string {
  if (x === 0) return '0'
  if (!Number.isFinite(x)) return String(x)
  const [mant, e] = x.toExponential(precision - 1).split('e')
  const exp = Number(e)
  if (exp < -4 || exp >= precision) {
    const m = mant.includes('.') ? mant.replace(/\.?0+$/, '') : mant
    return `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`
  }
  const fixed = x.toFixed(Math.max(0, precision - 1 - exp))
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** tc's rate: bytes/s as bit/s, scaled by 1000 while it divides evenly (or is 1000x past the unit). */
export function tcRate(bytesPerSec: number): string {
  const units = ['', 'K', 'M', 'G', 'T']
  let rate = bytesPerSec * 8
  let i = 0
  for (; i < units.length - 1; i++) {
    if (rate < 1000) break
    if (rate % 1000 !== 0 && rate < 1000 * 1000) break
    rate = Math.floor(rate / 1000)
  }
  return `${rate}${units[i]}bit`
}

/** tc's size: Mb or Kb when close to a whole number of them, else bytes. */
export function tcSize(bytes: number): string {
  const sz = bytes >>> 0
  const mb = Math.round(sz / (1024 * 1024))
  if (sz >= 1024 * 1024 && Math.abs(1024 * 1024 * mb - sz) < 1024) return `${cG(mb)}Mb`
  const kb = Math.round(sz / 1024)
  if (sz >= 1024 && Math.abs(1024 * kb - sz) < 16) return `${cG(kb)}Kb`
  return `${sz}b`
}

/** tc's time, from microseconds: 3 significant digits of s or ms, else whole us. */
export function tcTime(us: number): string {
  if (us >= 1e6) return `${cG(us / 1e6, 3)}s`
  if (us >= 1e3) return `${cG(us / 1e3, 3)}ms`
  return `${Math.trunc(us)}us`
}

/** psched ticks per microsecond, from /proc/net/psched as tc reads it (15.625 on current kernels). */
let tickInUsec: number | undefined
function ticksPerUsec(): number {
  if (tickInUsec === undefined) {
    tickInUsec = 15.625
    try {
      const [t2us, us2t, clockRes] = readFileSync('/proc/net/psched', 'utf8').trim().split(/\s+/).map((x) => parseInt(x, 16))
      const factor = clockRes === 1000000000 ? 1 : clockRes / 1e6
      if (t2us > 0 && us2t > 0 && factor > 0) tickInUsec = (t2us / us2t) * factor
    } catch {
      // not Linux's /proc: keep the usual value
    }
  }
  return tickInUsec
}

/** Microseconds in psched ticks, truncated as tc's tc_core_tick2time does. */
const tick2time = (ticks: number) => Math.trunc(ticks / ticksPerUsec())
/** Bytes sent at `rate` bytes/s in `ticks`, truncated as tc's tc_calc_xmitsize does. */
const xmitsize = (rate: number, ticks: number) => Math.trunc((rate * tick2time(ticks)) / 1e6)
const hex = (n: number) => (n >>> 0).toString(16)
const hexPad = (n: number, width: number) => hex(n).padStart(width, '0')
/** C's %#x. */
const cHex = (n: number) => (n ? `0x${hex(n)}` : '0')
const onOff = (v: number | boolean | undefined) => (v ? 'on' : 'off')

/** The kernel's TCA_CLS_FLAGS_* words, as every classifier prints them. */
function clsFlags(names: string[] | undefined): string[] {
  if (!names) return []
  const out: string[] = names.filter((n) => n === 'skip_hw' || n === 'skip_sw')
  if (names.includes('in_hw')) out.push('in_hw')
  else if (names.includes('not_in_hw')) out.push('not_in_hw')
  return out
}

/** The word tc puts before a tc object: deleted, added (create+exclusive), replaced (create), or new. */
export function tcVerb(op: string, nlmsgFlags: number | undefined): string {
  if (op.startsWith('del_')) return 'deleted'
  // tc prints added/replaced for filters and chains only
  if ((op === 'new_filter' || op === 'new_chain') && nlmsgFlags !== undefined && nlmsgFlags & NLM_F_CREATE) {
    return nlmsgFlags & NLM_F_EXCL ? 'added' : 'replaced'
  }
  return 'new'
}

// ---- qdisc and class options ------------------------------------------------------------------

function htbText(o: HtbOptions): string[] {
  const parts: string[] = []
  if (o.parms) {
    const h = o.parms
    const rate = o.rate64 ?? h.rate.rate
    const ceil = o.ceil64 ?? h.ceil.rate
    parts.push(`prio ${h.prio}`, `rate ${tcRate(rate)}`)
    if (h.rate.overhead) parts.push(`overhead ${h.rate.overhead}`)
    parts.push(`ceil ${tcRate(ceil)}`)
    if (h.rate.linklayer > TC_LINKLAYER_ETHERNET) parts.push(`linklayer ${h.rate.linklayerName}`)
    parts.push(`burst ${tcSize(xmitsize(rate, h.buffer))}`, `cburst ${tcSize(xmitsize(ceil, h.cbuffer))}`)
  }
  if (o.init) {
    parts.push(`r2q ${o.init.rate2quantum}`, `default ${cHex(o.init.defcls)}`, `direct_packets_stat ${o.init.directPkts}`)
  }
  if (o.directQlen !== undefined) parts.push(`direct_qlen ${o.directQlen}`)
  if (o.offload) parts.push('offload')
  return parts
}

function tbfText(o: TbfOptions): string[] {
  const q = o.parms
  if (!q) return []
  const rate = o.rate64 ?? q.rate.rate
  const parts = [`rate ${tcRate(rate)}`, `burst ${tcSize(xmitsize(rate, q.buffer))}`]
  const prate = o.prate64 ?? q.peakrate.rate
  if (prate) {
    parts.push(`peakrate ${tcRate(prate)}`)
    if (q.mtu || q.peakrate.mpu) parts.push(`minburst ${tcSize(xmitsize(prate, q.mtu))}`)
  }
  let latency = 1e6 * (q.limit / rate) - tick2time(q.buffer)
  if (prate) latency = Math.max(latency, 1e6 * (q.limit / prate) - tick2time(q.mtu))
  if (latency >= 0) parts.push(`lat ${tcTime(latency)}`)
  else parts.push(`limit ${tcSize(q.limit)}`)
  if (q.rate.overhead) parts.push(`overhead ${q.rate.overhead}`)
  if (q.rate.linklayer > TC_LINKLAYER_ETHERNET) parts.push(`linklayer ${q.rate.linklayerName}`)
  return parts
}

function prioText(o: PrioOptions): string[] {
  const parts = [`bands ${o.bands}`, `priomap ${o.priomap.join(' ')}`]
  if (o.multiqueue !== undefined) parts.push(`multiqueue: ${onOff(o.multiqueue)}`)
  return parts
}

function fqCodelText(o: FqCodelOptions): string[] {
  const parts: string[] = []
  if (o.limit !== undefined) parts.push(`limit ${o.limit}p`)
  if (o.flows !== undefined) parts.push(`flows ${o.flows}`)
  if (o.quantum !== undefined) parts.push(`quantum ${o.quantum}`)
  if (o.target !== undefined) parts.push(`target ${tcTime(o.target)}`)
  if (o.ceThreshold !== undefined) parts.push(`ce_threshold ${tcTime(o.ceThreshold)}`)
  if (o.ceThresholdSelector !== undefined && o.ceThresholdMask !== undefined) {
    parts.push(`ce_threshold_selector ${cHex(o.ceThresholdSelector)}/${cHex(o.ceThresholdMask)}`)
  }
  if (o.interval !== undefined) parts.push(`interval ${tcTime(o.interval)}`)
  if (o.memoryLimit !== undefined) parts.push(`memory_limit ${tcSize(o.memoryLimit)}`)
  if (o.ecn) parts.push('ecn')
  if (o.dropBatchSize !== undefined) parts.push(`drop_batch ${o.dropBatchSize}`)
  return parts
}

/** A qdisc's or class's TCA_OPTIONS as tc prints them for its kind; nothing for kinds not decoded. */
function qdiscOptions(kind: string | undefined, options: TcObject['options']): string[] {
  if (!options) return []
  switch (kind) {
    case 'htb':
      return htbText(options as HtbOptions)
    case 'tbf':
      return tbfText(options as TbfOptions)
    case 'prio':
    case 'pfifo_fast':
      return 'bands' in options ? prioText(options as PrioOptions) : []
    case 'pfifo':
    case 'pfifo_head_drop':
      return 'limit' in options ? [`limit ${(options as FifoOptions).limit}p`] : []
    case 'bfifo':
      return 'limit' in options ? [`limit ${tcSize((options as FifoOptions).limit)}`] : []
    case 'fq_codel':
      return fqCodelText(options as FqCodelOptions)
    default:
      return []
  }
}

export function qdiscText(q: Qdisc, dev: DevName): string {
  const parts = ['qdisc']
  if (q.kind !== undefined) parts.push(escapeText(q.kind))
  parts.push(q.handleName ?? `${hex(q.handle >>> 16)}:`, `dev ${dev(q.ifindex)}`)
  if (q.parent >>> 0 === TC_H_ROOT) parts.push('root')
  else if (q.parent) parts.push(`parent ${q.parentName}`)
  if (q.refcnt !== 1) parts.push(`refcnt ${q.refcnt}`)
  if (q.hwOffload === 1) parts.push('offloaded')
  if (q.ingressBlock !== undefined) parts.push(`ingress_block ${q.ingressBlock}`)
  if (q.egressBlock !== undefined) parts.push(`egress_block ${q.egressBlock}`)
  parts.push(...qdiscOptions(q.kind, q.options))
  return parts.join(' ')
}

export function classText(c: TcClass, dev: DevName): string {
  const parts = ['class']
  if (c.kind !== undefined) parts.push(escapeText(c.kind))
  if (c.handleName !== undefined) parts.push(c.handleName)
  parts.push(`dev ${dev(c.ifindex)}`)
  parts.push(c.parent >>> 0 === TC_H_ROOT ? 'root' : `parent ${c.parentName}`)
  if (c.leafName !== undefined) parts.push(`leaf ${c.leafName}`)
  parts.push(...qdiscOptions(c.kind, c.options))
  return parts.join(' ')
}

// ---- filter and chain ---------------------------------------------------------------------------

function u32Text(o: U32Options): string[] {
  const parts: string[] = []
  if (o.fh !== undefined) parts.push(`fh ${o.fh}`)
  if (o.order !== undefined) parts.push(`order ${o.order}`)
  if (o.divisor !== undefined) parts.push(`ht divisor ${o.divisor}`)
  else if (o.hash !== undefined) parts.push(`key ht ${hex(o.keyHt ?? 0)}`, `bkt ${hex(o.bkt ?? 0)}`)
  const terminal = o.sel !== undefined && (o.sel.flags & TC_U32_TERMINAL) !== 0
  // tc marks the flowid of a terminal node with a `*` of its own, glued to the word
  if (o.classidName !== undefined) parts.push(`${terminal ? '*' : ''}flowid ${o.classidName}`)
  else if (terminal) parts.push('terminal flowid')
  if (o.linkName !== undefined) parts.push(`link ${o.linkName}`)
  parts.push(...clsFlags(o.flagNames))
  if (o.mark) parts.push(`mark 0x${hexPad(o.mark.val, 4)} 0x${hexPad(o.mark.mask, 4)} (success ${o.mark.success})`)
  const sel = o.sel
  if (sel) {
    for (const k of sel.keys) parts.push(`match ${hexPad(k.val, 8)}/${hexPad(k.mask, 8)} at ${k.offmask ? 'nexthdr+' : ''}${k.off | 0}`)
    if (sel.flags & (TC_U32_VAROFFSET | TC_U32_OFFSET)) {
      parts.push('offset')
      if (sel.flags & TC_U32_VAROFFSET) parts.push(`${hexPad(sel.offmask, 4)}>>${sel.offshift} at ${sel.offoff}`)
      if (sel.off) parts.push(`plus ${sel.off}`)
    }
    if (sel.flags & TC_U32_EAT) parts.push('eat')
    if (sel.hmask) parts.push(`hash mask ${hexPad(sel.hmask, 8)} at ${sel.hoff}`)
  }
  if (o.indev !== undefined) parts.push(`input dev ${escapeText(o.indev)}`)
  return parts
}

function matchallText(o: MatchallOptions, handleName: string | undefined): string[] {
  const parts: string[] = []
  if (handleName !== undefined) parts.push(`handle ${handleName}`)
  if (o.classidName !== undefined) parts.push(`flowid ${o.classidName}`)
  parts.push(...clsFlags(o.flagNames))
  return parts
}

function bpfText(o: BpfOptions, handleName: string | undefined): string[] {
  const parts: string[] = []
  if (handleName !== undefined) parts.push(`handle ${handleName}`)
  if (o.classidName !== undefined) parts.push(`flowid ${o.classidName}`)
  if (o.name !== undefined) parts.push(escapeText(o.name))
  if (o.flags !== undefined && o.flags & 1) parts.push('direct-action')
  parts.push(...clsFlags(o.flagsGenNames))
  if (o.ops !== undefined) parts.push(`bytecode '${o.ops.length},${o.ops.map((i) => `${i.code} ${i.jt} ${i.jf} ${i.k >>> 0}`).join(',')}'`)
  if (o.id !== undefined) parts.push(`id ${o.id}`)
  if (o.tag !== undefined) parts.push(`tag ${o.tag}`)
  return parts
}

function filterOptions(f: TcFilter | TcChain): string[] {
  const handleName = f.handleName
  if (!f.options) return f.kind !== 'u32' && handleName !== undefined ? [`handle ${handleName}`] : []
  switch (f.kind) {
    case 'u32':
      return u32Text(f.options as U32Options)
    case 'matchall':
      return matchallText(f.options as MatchallOptions, handleName)
    case 'bpf':
      return bpfText(f.options as BpfOptions, handleName)
    default:
      // most classifiers start with their handle in hex
      return handleName !== undefined ? [`handle ${handleName}`] : []
  }
}

/** A filter or a chain: `filter dev v1 parent 1: protocol ip pref 1 u32 chain 0 fh 800::800 ...` */
export function filterText(f: TcFilter | TcChain, dev: DevName): string {
  const parts: string[] = [f.object]
  if (f.ifindex === -1 || f.ifindex >>> 0 === 0xffffffff) parts.push(`block ${f.parent >>> 0}`)
  else {
    parts.push(`dev ${dev(f.ifindex)}`)
    const parent = f.parent >>> 0
    if (parent === TC_H_ROOT) parts.push('root')
    else if (parent === TC_H_CLSACT_INGRESS) parts.push('ingress')
    else if (parent === TC_H_CLSACT_EGRESS) parts.push('egress')
    else parts.push(`parent ${f.parentName}`)
  }
  if (f.object === 'filter' && f.info) {
    if (f.protocol) parts.push(`protocol ${escapeText(f.protocolName)}`)
    if (f.prio) parts.push(`pref ${f.prio}`)
  }
  if (f.kind !== undefined) parts.push(escapeText(f.kind))
  if (f.chain !== undefined) parts.push(`chain ${f.chain}`)
  parts.push(...filterOptions(f))
  return parts.join(' ')
}

/** A TC_ACT_* verdict as tc prints it: `drop`, `goto chain 5`, `jump 2`. */
function verdict(c: ControlAction | undefined): string | undefined {
  if (!c) return undefined
  if (c.chain !== undefined) return `${c.type} chain ${c.chain}`
  if (c.jump !== undefined) return `${c.type} ${c.jump}`
  return c.type
}

/** A tc action, as `tc actions ls` prints it on one line: `action order 0: mirred (Egress Redirect to device b0) stolen index 8 ref 1 bind 0`. */
export function actionText(a: TcAction, dev: DevName): string {
  const parts: string[] = [`action order ${a.order}:`, escapeText(a.kind ?? '?')]
  if (a.mirred) {
    const dir = a.mirred.direction ? a.mirred.direction[0].toUpperCase() + a.mirred.direction.slice(1) : ''
    const act = a.mirred.action ? a.mirred.action[0].toUpperCase() + a.mirred.action.slice(1) : ''
    parts.push(`(${dir} ${act} to device ${dev(a.mirred.ifindex)})`)
  }
  if (a.police) {
    const rate = a.police.rate64 ?? a.police.rate?.rate
    if (rate !== undefined) parts.push(`rate ${tcRate(rate)}`)
    parts.push(`burst ${a.police.burst}`, `mtu ${tcSize(a.police.mtu)}`)
  }
  const v = verdict(a.controlAction)
  if (v !== undefined) parts.push(a.police?.result ? `action ${v}/${verdict(a.police.result)}` : a.gact ? `action ${v}` : v)
  if (a.gact?.prob && a.gact.prob.ptype !== 0) parts.push(`random type ${a.gact.prob.randomType} ${verdict(a.gact.prob.controlAction)} val ${a.gact.prob.val}`)
  if (a.index !== undefined) parts.push(`index ${a.index}`)
  if (a.refcnt !== undefined) parts.push(`ref ${a.refcnt}`)
  if (a.bindcnt !== undefined) parts.push(`bind ${a.bindcnt}`)
  if (a.cookie !== undefined) parts.push(`cookie ${a.cookie}`)
  return parts.join(' ')
}
