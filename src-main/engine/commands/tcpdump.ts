import { NS_PER_SEC } from '../kernel/scheduler.ts'
import { tcpdumpLine } from '../wire/tcpdump.ts'
import type { Command, Ctx } from './context.ts'
import type { Job, StopReason } from './jobs.ts'
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
  /** -w FILE: write the frames to a pcap file instead of printing them. */
  write?: string
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
    } else if (a === '-w' || (a.startsWith('-w') && a.length > 2)) {
      const v = a === '-w' ? argv[++i] : a.slice(2)
      if (v === undefined) {
        ctx.eprintln("tcpdump: option requires an argument -- 'w'")
        return 1
      }
      if (v === '-') {
        ctx.eprintln('podnet: tcpdump -w - (pcap on stdout) is not simulated: give a file name to save')
        return 1
      }
      o.write = v
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
export interface Capture extends Job {
  /** Ends it as the lab's cut-off does (no newline first); a Job's stop with a reason otherwise. */
  stop(why?: StopReason): void
}

/**
 * Starts capturing on a device of the current namespace: every frame the device sends or
 * receives (as the kernel's packet tap sees it), filtered, printed as tcpdump -n prints it, or
 * kept for a pcap file with -w.
 */
export function startCapture(ctx: Ctx, o: Options): Capture {
  const ns = ctx.netns
  const dev = o.dev
  let seen = 0
  let stopped = false
  const records: { timeNs: number; frame: Uint8Array }[] = []
  if (o.write !== undefined) ctx.eprintln(`tcpdump: listening on ${dev}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`)
  else {
    if (!o.verbose) ctx.eprintln('tcpdump: verbose output suppressed, use -v[v]... for full protocol decode')
    ctx.eprintln(`${o.verbose ? 'tcpdump: ' : ''}listening on ${dev}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`)
  }
  const tap = (ev: { kind: 'xmit' | 'recv'; netns: string; device: string; timeNs: number; frame: Uint8Array }): void => {
    if (stopped || ev.netns !== ns.name || ev.device !== dev || ctx.world.netns(ns.name) !== ns) return
    if (!o.filter(ev.frame)) return
    seen++
    if (o.write !== undefined) records.push({ timeNs: ev.timeNs, frame: ev.frame.slice() })
    else ctx.println(`${clock(ev.timeNs)} ${tcpdumpLine(ev.frame, { linkHeader: o.link })}`)
    if (o.count && seen >= o.count) stop()
  }
  // Capturing puts the device in promiscuous mode (no -p), which a bridge notices.
  const device = o.noPromisc ? undefined : ns.dev(dev)
  if (device) device.promisc++
  const stop = (why?: StopReason): void => {
    if (stopped) return
    stopped = true
    if (device) device.promisc--
    ctx.world.trace.taps.delete(tap)
    // tcpdump's SIGINT/SIGTERM handler ends a line it may have been printing; a file has none.
    if ((why === 'interrupt' || why === 'terminate') && o.write === undefined) ctx.out('\n')
    if (o.write !== undefined) ctx.writeFile(o.write, records)
    ctx.eprintln(`${seen} packet${seen === 1 ? '' : 's'} captured`)
    ctx.eprintln(`${seen} packet${seen === 1 ? '' : 's'} received by filter`)
    ctx.eprintln('0 packets dropped by kernel')
  }
  ctx.world.trace.taps.add(tap)
  return {
    done: () => stopped,
    deadlineNs: Infinity,
    onDeadline: () => {},
    limitNs: ctx.world.sched.now + TCPDUMP_DEFAULT_NS,
    stop,
    finish: () => 0,
    diesOnInterrupt: false,
  }
}

/**
 * `tcpdump -i DEV [-n] [-e] [-c N] [-w FILE] [FILTER]`: a job that captures while simulated
 * time passes, until -c packets were seen or Ctrl+C (a batch run stops it after 10 s). Run it in
 * the background (`tcpdump ... &`) to watch what the rest of the line sends, as
 * `tcpdump -c 2 & ping -c 1 IP; wait`.
 */
export const tcpdump: Command = (ctx, argv) => tcpdumpJob(ctx, argv)

/** Parses the arguments and starts the capture (or returns the exit status of a usage error). */
export function tcpdumpJob(ctx: Ctx, argv: string[]): Capture | number {
  if (!ctx.observe()) return 0
  const o = parse(ctx, argv)
  if (typeof o === 'number') return o
  return startCapture(ctx, o)
}
