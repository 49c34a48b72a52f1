import type { Cluster } from '../k8s/cluster.ts'
import type { World } from '../engine/kernel/world.ts'
import { formatMessage } from '../../shared/messages/index.ts'
import type { CompareHopView, CompareSideView, CompareView } from '../../shared/api.ts'
import { throwIfCancelled, type WorkOptions } from '../engine/kernel/work.ts'
import { arrived, stepParams, traceInLab, traceVerdict, type ReportStep, type TraceRequest } from './trace-report.ts'

/**
 * The same pod-to-pod probe in two labs (or two modes of one lab), side by side: the walk of the
 * request aligned hop by hop, the devices it crosses, the bytes on the wire at each hop, the
 * tables that decided, and the largest packet the path lets through with Don't Fragment (found
 * by bisection on the lab given, which must be a replay: the probes fill its caches).
 */

export type Lang = 'en' | 'ja'

/** One lab to compare: its name in the comparison, and a running copy of it. */
export interface CompareInput {
  label: string
  world: World
  cluster: Cluster | null
}

/** The comparison's shapes are the API's (plain data the app shows as it is). */
export type CompareHop = CompareHopView
export type CompareSide = CompareSideView
export type Comparison = CompareView

/** Payload bytes a DF probe may carry at most (an IPv4 packet of 65535 bytes). */
const MAX_PAYLOAD = 65507
/** IPv4 + ICMP echo (or UDP) headers in front of the payload. */
const HEADERS = 28

/** Probes the MTU search sends at most: one of 0 bytes, then one per halving of 0 ... MAX_PAYLOAD. */
export const MTU_PROBES = 1 + Math.ceil(Math.log2(MAX_PAYLOAD + 1))
/** Steps of one side: making its replay, its walk, then the MTU search's probes. */
export const SIDE_STEPS = 2 + MTU_PROBES
/** Steps of a whole comparison, as its progress counts them. */
export const COMPARE_STEPS = 2 * SIDE_STEPS
/**
 * How much more a side's replay weighs in the bar than a walk or a probe: rebuilding a lab of many
 * nodes takes most of a comparison's time, so the two replays fill about 40% of the bar.
 */
export const REPLAY_WEIGHT = 12
/** The comparison's length in units of the bar: the two replays (steps 1 and 2), then one unit per other step. */
const COMPARE_UNITS = 2 * REPLAY_WEIGHT + COMPARE_STEPS - 2

/**
 * How far a comparison has got, in steps of COMPARE_STEPS, told to the host; and where the host
 * may stop it (between steps, and within a probe or a replay every so many events).
 */
export class CompareWork {
  private done = 0

  constructor(private readonly opts: WorkOptions = {}) {}

  get signal(): WorkOptions['signal'] {
    return this.opts.signal
  }

  /** One more step done (or up to `to`, when a side ends early); throws if the host stopped the work. */
  step(to = this.done + 1): void {
    this.done = Math.min(COMPARE_STEPS, Math.max(this.done, to))
    throwIfCancelled(this.opts.signal)
    this.opts.progress?.({ phase: 'compare', done: this.done, total: COMPARE_STEPS, fraction: this.units(0) / COMPARE_UNITS })
  }

  /** Units of the bar done: the steps done, and `within` (0 to 1) of the step under way. */
  private units(within: number): number {
    const replays = Math.min(this.done, 2)
    const replayUnits = replays * REPLAY_WEIGHT + (this.done < 2 ? within * REPLAY_WEIGHT : 0)
    return replayUnits + Math.max(0, this.done - 2) + (this.done >= 2 && this.done < COMPARE_STEPS ? within : 0)
  }

  /**
   * The work of making the next side's replay (step 1 or 2): its build and its replay are told as
   * the step's `sub`, and the bar moves through the step (the build its first half, the history's
   * replay the second). Cancelling stops it as the rest of the comparison.
   */
  replayWork(): WorkOptions {
    return {
      ...(this.opts.signal && { signal: this.opts.signal }),
      progress: (p) => {
        if (p.phase === 'compare' || p.total <= 0) return
        const part = Math.min(1, p.done / p.total)
        const within = p.phase === 'build' ? part / 2 : 0.5 + part / 2
        this.opts.progress?.({ phase: 'compare', done: this.done, total: COMPARE_STEPS, sub: { phase: p.phase, done: p.done, total: p.total }, fraction: this.units(within) / COMPARE_UNITS })
      },
    }
  }

  /** The side `i` (0 or 1) is done: the count goes to its end, whatever the search took. */
  sideDone(i: number): void {
    this.step((i + 1) * SIDE_STEPS)
  }
}

/** Runs `f` with the world's scheduler watching the host's signal (a fork is dropped afterwards anyway). */
function watched<T>(input: CompareInput, work: CompareWork | undefined, f: () => T): T {
  const s = input.world.sched
  const outer = s.signal
  s.signal = work?.signal ?? outer
  try {
    return f()
  } finally {
    s.signal = outer
  }
}

const bytesOf = (hex: string | undefined): number | undefined => (hex === undefined ? undefined : hex.length / 2)

/** Whether a step belongs to the request's own walk (not ARP, not the reply, not a copy that went nowhere). */
function onTheWay(s: ReportStep): boolean {
  if (s.probe !== 1 || (s.role !== 'request' && s.role !== 'tunnel')) return false
  return !/^(arp\.|drop\.not_for_us|drop\.forward_not_host)/.test(s.msg)
}

/** The largest payload that arrives with DF, by bisection (probes sent in `input`'s world); each probe is a step of `work`. */
export function largestPayload(input: CompareInput, req: TraceRequest, work?: CompareWork): number | null {
  const passes = (size: number): boolean => {
    const ok = watched(input, work, () => arrived(traceInLab(input.world, input.cluster, { ...req, size, df: true, count: 1, warm: false }).outcome))
    work?.step()
    return ok
  }
  if (!passes(0)) return null
  let lo = 0
  let hi = MAX_PAYLOAD + 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (passes(mid)) lo = mid
    else hi = mid
  }
  return lo
}

/** One side: the walk of a warm probe (no ARP in the way), then the MTU its path allows. */
export function compareSide(input: CompareInput, req: TraceRequest, lang: Lang, work?: CompareWork): CompareSide {
  const rep = watched(input, work, () => traceInLab(input.world, input.cluster, { ...req, count: 1, warm: true }, lang))
  work?.step()
  const events = new Map(rep.events.map((e) => [e.seq, e]))
  // The request's walk ends where it is delivered or dropped (the reply's tunnel comes after).
  const walk = rep.steps.filter(onTheWay)
  const end = walk.findIndex((s) => s.kind === 'deliver' || s.kind === 'drop')
  const hops: CompareHop[] = (end < 0 ? walk : walk.slice(0, end + 1)).map((s) => {
    const ev = s.frameEvent === undefined ? undefined : events.get(s.frameEvent)
    const h: CompareHop = { netns: s.netns, kind: s.msg === 'step.veth' ? 'veth' : s.kind, msg: s.msg, params: stepParams(s), text: s.text }
    if (s.device !== undefined) h.device = s.device
    if (s.entry !== undefined) h.entry = s.entry
    const bytes = bytesOf(ev?.frame)
    if (bytes !== undefined) {
      h.bytes = bytes
      h.layer = ev?.layer ?? 'ethernet'
    }
    return h
  })
  const devices: string[] = []
  for (const h of hops) {
    const d = h.device ? `${h.netns || 'host'} ${h.device}` : ''
    if (d && devices[devices.length - 1] !== d && !devices.includes(d)) devices.push(d)
  }
  const tables = hops.filter((h) => h.entry).map((h) => `${h.netns || 'host'}: ${h.entry}`)
  const wireBytes = Math.max(0, ...hops.filter((h) => h.layer === 'ethernet' && h.bytes !== undefined).map((h) => h.bytes!))
  const payload = largestPayload(input, req, work)
  const pathMtu = payload === null ? null : payload + HEADERS
  const setBy = pathMtu === null ? undefined : mtuSetBy(input.world, hops, pathMtu)
  return {
    label: input.label,
    mode: input.cluster?.mode ?? null,
    delivered: arrived(rep.outcome),
    verdict: rep.verdict,
    verdicts: { en: traceVerdict(rep.probes, rep.from.name, rep.to.name ?? rep.to.ip, 'en'), ja: traceVerdict(rep.probes, rep.from.name, rep.to.name ?? rep.to.ip, 'ja') },
    hops,
    devices,
    tables,
    wireBytes,
    pathMtu,
    ...(setBy ? { mtuSetBy: setBy } : {}),
  }
}

/**
 * What sets the path MTU: the first device on the request's way whose MTU it is. A pod keeps the
 * MTU its CNI plugin gave it, so a lab made for the VXLAN overlay and moved to routes stays at
 * 1450 at the pod's own eth0: this says so instead of leaving two equal numbers unexplained.
 */
function mtuSetBy(world: World, hops: readonly CompareHop[], pathMtu: number): { device: string; mtu: number } | undefined {
  for (const h of hops) {
    if (h.device === undefined) continue
    const mtu = world.netns(h.netns)?.dev(h.device)?.mtu
    if (mtu === pathMtu) return { device: `${h.netns || 'host'} ${h.device}`, mtu }
  }
  return undefined
}

/** Aligns two walks on their common hops (same namespace and kind), longest common subsequence first. */
export function alignHops(a: readonly CompareHop[], b: readonly CompareHop[]): [number | null, number | null][] {
  const key = (h: CompareHop): string => `${h.netns}|${h.kind}`
  const n = a.length
  const m = b.length
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i][j] = key(a[i]) === key(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1])
  const rows: [number | null, number | null][] = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && key(a[i]) === key(b[j])) rows.push([i++, j++])
    else if (j >= m || (i < n && lcs[i + 1][j] >= lcs[i][j + 1])) rows.push([i++, null])
    else rows.push([null, j++])
  }
  return rows
}

/**
 * Runs the probe in both labs and lines the walks up. With `work`, whose count the making of both
 * replays has already moved on (one step each), the host hears each probe and may stop between.
 */
export function compareLabs(a: CompareInput, b: CompareInput, req: TraceRequest, lang: Lang = 'en', work?: CompareWork): Comparison {
  const sa = compareSide(a, req, lang, work)
  work?.sideDone(0)
  const sb = compareSide(b, req, lang, work)
  work?.sideDone(1)
  return { from: req.from, to: req.to, proto: req.proto ?? 'icmp', sides: [sa, sb], rows: alignHops(sa.hops, sb.hops) }
}

const W = 46

/** Columns a character takes in a terminal: two for CJK and full-width forms. */
function charWidth(c: string): number {
  const p = c.codePointAt(0) ?? 0
  return (p >= 0x1100 && p <= 0x115f) || (p >= 0x2e80 && p <= 0xa4cf) || (p >= 0xac00 && p <= 0xd7a3) || (p >= 0xf900 && p <= 0xfaff) || (p >= 0xfe30 && p <= 0xfe4f) || (p >= 0xff00 && p <= 0xff60) || (p >= 0xffe0 && p <= 0xffe6) ? 2 : 1
}

/** `s` cut or padded to `w` terminal columns. */
function cell(s: string, w = W): string {
  let out = ''
  let used = 0
  for (const c of s) {
    const cw = charWidth(c)
    if (used + cw > w - 1 && used + cw + (s.length > out.length + c.length ? 1 : 0) > w) return out + '…' + ' '.repeat(Math.max(0, w - used - 1))
    out += c
    used += cw
  }
  return out + ' '.repeat(Math.max(0, w - used))
}

function hopCell(h: CompareHop | undefined): string {
  if (!h) return ''
  const where = `${h.netns || 'host'}${h.device ? ' ' + h.device : ''}`
  return `${where} ${h.kind}${h.bytes !== undefined ? ` ${h.bytes} B` : ''}`
}

/** The comparison as text: a summary of both sides, then the aligned hops, in two columns. */
export function formatComparison(c: Comparison, lang: Lang = 'en'): string {
  const w = (key: Parameters<typeof formatMessage>[0], params: Record<string, string | number> = {}): string => formatMessage(key, params, lang)
  const [a, b] = c.sides
  const label = 26
  const line = (name: string, x: string, y: string): string => `${cell(name, label)}${cell(x)}${y}`.trimEnd() + '\n'
  const diff = b.wireBytes - a.wireBytes
  let out = w('compare.title', { from: c.from, to: c.to, proto: c.proto === 'udp' ? 'UDP' : 'ICMP echo' }) + '\n'
  out += line('', a.label + (a.mode && a.mode !== a.label ? ` (${a.mode})` : ''), b.label + (b.mode && b.mode !== b.label ? ` (${b.mode})` : ''))
  out += line(w('compare.result'), a.verdict.replace(/^[^:：]*[:：]\s*/, ''), b.verdict.replace(/^[^:：]*[:：]\s*/, ''))
  out += line(w('compare.mtu'), a.pathMtu === null ? '-' : String(a.pathMtu), b.pathMtu === null ? '-' : String(b.pathMtu))
  out += line(w('compare.mtu_set_by'), a.mtuSetBy?.device ?? '-', b.mtuSetBy?.device ?? '-')
  out += line(w('compare.wire'), w('compare.bytes', { n: a.wireBytes }), w('compare.bytes', { n: b.wireBytes }) + (diff ? ` (${diff > 0 ? '+' : ''}${diff})` : ''))
  out += line(w('compare.devices'), String(a.devices.length), String(b.devices.length))
  out += line(w('compare.tables'), String(a.tables.length), String(b.tables.length))
  out += '\n' + w('compare.hops') + '\n'
  c.rows.forEach(([i, j], k) => {
    out += `${String(k + 1).padStart(3)}  ${cell(hopCell(i === null ? undefined : a.hops[i]))}${hopCell(j === null ? undefined : b.hops[j])}`.trimEnd() + '\n'
  })
  return out
}
