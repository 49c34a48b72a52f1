import { NS_PER_SEC } from '../kernel/scheduler.ts'
import { tcpdumpLine } from '../wire/tcpdump.ts'
import type { Command, Ctx } from './context.ts'
import { compileFilter, FilterError, type FrameFilter } from './pcap-filter.ts'

/** How long a tcpdump without -c listens before the lab stops it (a real one waits for Ctrl-C). */
export const TCPDUMP_DEFAULT_NS = 10 * NS_PER_SEC

interface Options {
  dev: string
  count: number
  link: boolean
  verbose: boolean
  quiet: boolean
  filter: FrameFilter
  /** -p: do not put the device in promiscuous mode. */
  noPromisc?: boolean
}

function parse(ctx: Ctx, argv: string[]): Options | number {
  const o: Partial<Options> = { count: 0, link: false, verbose: false, quiet: false }
  const rest: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '-i' || a === '--interface') o.dev = argv[++i]
    else if (a.startsWith('-i') && a.length > 2) o.dev = a.slice(2)
    else if (a === '-c') {
      const v = argv[++i]
      if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) {
        ctx.eprintln(`tcpdump: invalid packet count ${v ?? ''}`)
        return 1
      }
      o.count = Number(v)
    } else if (/^-[nNeqvlpSKtU]+$/.test(a)) {
      if (a.includes('e')) o.link = true
      if (a.includes('v')) o.verbose = true
      if (a.includes('q')) o.quiet = true
      if (a.includes('p')) o.noPromisc = true
    } else if (a.startsWith('-')) {
      ctx.eprintln(`tcpdump: option ${a} is not simulated`)
      return 1
    } else rest.push(a)
  }
  if (!o.dev) {
    ctx.eprintln('podnet: tcpdump needs -i DEV (the lab has no default interface)')
    return 1
  }
  if (!ctx.netns.dev(o.dev)) {
    ctx.eprintln(`tcpdump: ${o.dev}: No such device exists`)
    ctx.eprintln('(No such device exists)')
    return 1
  }
  try {
    o.filter = compileFilter(rest)
  } catch (e) {
    if (e instanceof FilterError) {
      ctx.eprintln(`tcpdump: ${e.message}`)
      return 1
    }
    throw e
  }
  return o as Options
}

function clock(ns: number): string {
  const us = Math.floor(ns / 1000)
  const s = Math.floor(us / 1e6)
  const hh = String(Math.floor(s / 3600) % 24).padStart(2, '0')
  const mm = String(Math.floor(s / 60) % 60).padStart(2, '0')
  const ss = String(s % 60).padStart(2, '0')
  return `${hh}:${mm}:${ss}.${String(us % 1e6).padStart(6, '0')}`
}

/** A running capture: what tcpdump prints, and how to end it. */
export interface Capture {
  done: () => boolean
  stop: () => void
}

/**
 * Starts capturing on a device of the current namespace: every frame the device sends or
 * receives (as the kernel's packet tap sees it), filtered, printed as tcpdump -n prints it.
 */
export function startCapture(ctx: Ctx, o: Options): Capture {
  const ns = ctx.netns
  const dev = o.dev
  let seen = 0
  let stopped = false
  if (!o.verbose) ctx.eprintln('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode')
  ctx.eprintln(`${o.verbose ? 'tcpdump: ' : ''}listening on ${dev}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`)
  const tap = (ev: { kind: 'xmit' | 'recv'; netns: string; device: string; timeNs: number; frame: Uint8Array }): void => {
    if (stopped || ev.netns !== ns.name || ev.device !== dev || ctx.world.netns(ns.name) !== ns) return
    if (!o.filter(ev.frame)) return
    seen++
    ctx.println(`${clock(ev.timeNs)} ${tcpdumpLine(ev.frame, { linkHeader: o.link })}`)
    if (o.count && seen >= o.count) stop()
  }
  // Capturing puts the device in promiscuous mode (no -p), which a bridge notices.
  const device = o.noPromisc ? undefined : ns.dev(dev)
  if (device) device.promisc++
  const stop = (): void => {
    if (stopped) return
    stopped = true
    if (device) device.promisc--
    ctx.world.trace.taps.delete(tap)
    ctx.eprintln(`${seen} packet${seen === 1 ? '' : 's'} captured`)
    ctx.eprintln(`${seen} packet${seen === 1 ? '' : 's'} received by filter`)
    ctx.eprintln('0 packets dropped by kernel')
  }
  ctx.world.trace.taps.add(tap)
  return { done: () => stopped, stop }
}

/**
 * `tcpdump -i DEV [-n] [-e] [-c N] [FILTER]`. In the foreground it lets simulated time run until
 * -c packets were seen (or 10 s passed); run it in the background (`tcpdump ... &`) to watch what
 * the rest of the line sends, as `tcpdump -c 2 & ping -c 1 IP; wait`.
 */
export const tcpdump: Command = (ctx, argv) => {
  if (!ctx.observe()) return 0
  const o = parse(ctx, argv)
  if (typeof o === 'number') return o
  const cap = startCapture(ctx, o)
  ctx.world.sched.runUntil(cap.done, ctx.world.sched.now + TCPDUMP_DEFAULT_NS)
  if (!cap.done()) cap.stop()
  return 0
}

/** The background form, started by the shell for `tcpdump ... &`. */
export function tcpdumpJob(ctx: Ctx, argv: string[]): Capture | number {
  if (!ctx.observe()) return 0
  const o = parse(ctx, argv)
  if (typeof o === 'number') return o
  return startCapture(ctx, o)
}
