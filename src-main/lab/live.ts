import { COMMAND_OVERHEAD_NS } from '../engine/commands/index.ts'
import { boundMessage, MAX_CLOCK_NS, MAX_COMMAND_EVENTS, MAX_COMMAND_NS, type BoundHit } from '../engine/kernel/budget.ts'
import type { ShellRequest } from '../engine/commands/context.ts'
import { startLine, type LineRun } from '../engine/commands/shell.ts'
import { COMMANDS } from '../engine/commands/table.ts'
import type { Ipv4 } from '../engine/addr/ipv4.ts'
import { launchProbe, type ProbeFlight, type ProbeOptions } from '../engine/trace/probe.ts'
import { LAB_EPOCH_SEC } from './capture.ts'
import { writePcap } from './pcap.ts'
import type { LabSession } from './session.ts'
import { MAX_HISTORY_COMMANDS } from '../k8s/limits.ts'

/**
 * Terminal lines that run while simulated time passes, in the open lab. A line starts at once
 * (what takes no time ends in the call); a line that waits for a command (ping, tcpdump, sleep)
 * stays here, and the host advances the lab's clock in slices paced to wall time (ipc/live-host.ts),
 * streaming what each line prints. Lines of several terminals share the clock, so a capture in one
 * sees the ping of another. Each line runs as in a batch (engine/commands/shell.ts startLine): the
 * same events at the same simulated times, whatever the slices, so the output is the same.
 *
 * History: every change a line makes is recorded as soon as it is made, with its time (the lab's
 * history is a list of changes); reads and observations are not recorded.
 */

/** How a line ended, for the terminal. */
export interface LiveEnd {
  exitCode: number
  shell?: ShellRequest
}

/** Where running lines report: their output, files they wrote, their end. */
export interface LiveSink {
  output(term: number, data: string): void
  file(term: number, name: string, bytes: Uint8Array): void
  done(term: number, end: LiveEnd): void
}

interface Live {
  run: LineRun
  netns: string
  /** When the line started: one line may let at most MAX_COMMAND_NS pass (budget.ts). */
  startNs: number
  recorded: number
  filesSent: number
}

export class LiveShell {
  private readonly lines = new Map<number, Live>()
  /** Packets sent for the panel's traces while captures run (see sendProbe). */
  private flights: ProbeFlight[] = []

  constructor(private readonly session: LabSession) {}

  /** Whether any line (or a panel's probe) is waiting for simulated time to pass. */
  get running(): boolean {
    return this.lines.size > 0 || this.flights.length > 0
  }

  isRunning(term: number): boolean {
    return this.lines.has(term)
  }

  /** Whether a running line captures (tcpdump): what a panel trace is then also sent for. */
  get capturing(): boolean {
    return this.lines.size > 0 && this.session.world.trace.taps.size > 0
  }

  /**
   * The panel's trace runs in a replay of the lab (so it changes nothing), which a capture running
   * here cannot see: while one runs, the same probe is also sent here, now, for it to see (and,
   * like a ping, it may leave ARP entries). Its answer matters to no one: it is not waited for.
   */
  sendProbe(from: string, dst: Ipv4, opts: Pick<ProbeOptions, 'proto' | 'port' | 'sport' | 'size' | 'df'>): void {
    const ns = this.session.world.netns(from)
    if (!ns) return
    const f = launchProbe(this.session.world, ns, dst, { ...opts, record: false })
    if (f.done()) f.finish()
    else this.flights.push(f)
  }

  /**
   * Starts a line in a terminal's namespace ('' the host's). Returns what it printed so far and,
   * when it has already ended, how; otherwise the line goes on in advance().
   */
  start(term: number, line: string, netns: string, sink: LiveSink): { output: string; end: LiveEnd | null } {
    if (this.lines.has(term)) throw new Error(`a line is already running in terminal ${term}`)
    const session = this.session
    if (/^\s*podnet(\s|$)/.test(line)) {
      // Lab commands (kubectl's part) change the cluster at once; the session records them.
      const r = session.exec(line)
      return { output: r.stdout + r.stderr, end: { exitCode: r.exitCode } }
    }
    const ns = session.world.netns(netns)
    if (!ns) return { output: `Cannot open network namespace "${netns}": No such file or directory\n`, end: { exitCode: 1 } }
    const run = startLine(session.world, COMMANDS, line, { ns, settle: true })
    const live: Live = { run, netns, startNs: session.world.sched.now, recorded: 0, filesSent: 0 }
    this.lines.set(term, live)
    const end = this.step(term, live, sink, false)
    return { output: run.ctx.drain(), end }
  }

  /**
   * Runs the lab's clock on to `untilNs`, ending the commands that exit on the way (and going on
   * with their lines at that very instant). Output goes to the sink.
   */
  advance(untilNs: number, sink: LiveSink): void {
    const world = this.session.world
    const anyDone = (): boolean => {
      for (const l of this.lines.values()) if (l.run.waiting?.done()) return true
      return this.flights.some((f) => f.done())
    }
    const sched = world.sched
    for (let guard = 0; this.running && guard < 100_000; guard++) {
      let end = Math.min(untilNs, MAX_CLOCK_NS)
      for (const l of this.lines.values()) end = Math.min(end, l.run.waiting!.deadlineNs, l.startNs + MAX_COMMAND_NS)
      for (const f of this.flights) end = Math.min(end, f.deadlineNs)
      // The lab's bounds hold here as in a batch (budget.ts): events per slice, time per line.
      const outer = sched.limit
      sched.limit = { events: sched.eventCount + MAX_COMMAND_EVENTS, eventsHit: 'events', untilNs: MAX_CLOCK_NS, untilHit: 'clock' }
      sched.hit = null
      try {
        sched.runUntil(anyDone, Math.max(end, sched.now))
      } finally {
        sched.limit = outer
      }
      const hit = sched.hit as BoundHit | null
      for (const term of [...this.lines.keys()].sort((a, b) => a - b)) {
        const l = this.lines.get(term)!
        const over: BoundHit | null = hit ?? (sched.now >= l.startNs + MAX_COMMAND_NS ? 'time' : null)
        if (over === null || l.run.waiting?.done()) continue
        l.run.bound(boundMessage(over))
        this.flush(term, l, sink)
        this.step(term, l, sink)
      }
      if (hit) {
        for (const f of this.flights) f.finish()
        this.flights = []
        break
      }
      let acted = false
      const landed = this.flights.filter((f) => f.done() || f.deadlineNs <= world.sched.now)
      if (landed.length) {
        this.flights = this.flights.filter((f) => !landed.includes(f))
        for (const f of landed) f.finish()
        acted = true
      }
      // In terminal order, so that lines ending at the same instant always go on in one order.
      for (const term of [...this.lines.keys()].sort((a, b) => a - b)) {
        const l = this.lines.get(term)!
        const job = l.run.waiting!
        if (!job.done() && job.deadlineNs <= world.sched.now) {
          job.onDeadline()
          acted = true
          // A deadline that neither ended the job nor moved on would come back for ever.
          if (!job.done() && job.deadlineNs <= world.sched.now) job.stop('limit')
        }
        if (job.done()) {
          l.run.resume()
          acted = true
        }
        this.flush(term, l, sink)
        if (acted) this.step(term, l, sink)
      }
      if (!acted && world.sched.now >= untilNs) break
    }
  }

  /**
   * Ctrl+C in a terminal: SIGINT to the command its line waits for. `echo` is what the terminal
   * shows for the key (`^C`): it goes out after what the line printed before the signal and
   * before what the command prints on it, in one stream, as a tty echoes into the output.
   */
  interrupt(term: number, sink: LiveSink, echo = ''): boolean {
    const l = this.lines.get(term)
    if (!l) return false
    this.flush(term, l, sink)
    if (echo) sink.output(term, echo)
    l.run.interrupt()
    this.flush(term, l, sink)
    this.step(term, l, sink)
    return true
  }

  /**
   * Stops every line at once, running nothing more of them: the lab they run in is about to be
   * rebuilt (undo, redo) or replaced (new, open).
   */
  abandon(sink: LiveSink, why: string): void {
    for (const f of this.flights) f.finish()
    this.flights = []
    for (const [term, l] of [...this.lines]) {
      l.run.kill()
      sink.output(term, l.run.ctx.drain() + `\npodnet: ${why}: the command was stopped\n`)
      this.step(term, l, sink)
    }
  }

  /** After a line moved: records its new changes, offers its files, and reports its end. */
  private step(term: number, l: Live, sink: LiveSink, report = true): LiveEnd | null {
    const run = l.run
    if (run.changes.length > l.recorded) {
      const kept = this.session.record(run.changes.slice(l.recorded), l.netns)
      l.recorded = run.changes.length
      if (!kept) {
        // The lab could not keep the change: every line stops, and the lab goes back to its history.
        for (const other of this.lines.values()) other.recorded = other.run.changes.length
        this.abandon(sink, `not kept: the lab's history is full (${MAX_HISTORY_COMMANDS} changes); save it and start a new lab from it to go on`)
        this.session.rollback()
        return l.run.result ? { exitCode: l.run.result.exitCode } : { exitCode: 1 }
      }
    }
    const files = run.ctx.files
    for (; l.filesSent < files.length; l.filesSent++) {
      const f = files[l.filesSent]
      sink.file(term, f.name, writePcap(f.records, { epochSec: LAB_EPOCH_SEC }))
    }
    const r = run.result
    if (!r) return null
    this.lines.delete(term)
    // A shell takes a moment to start each program (reads take none, so looking changes nothing).
    if (r.effect !== 'read') this.session.world.advance(COMMAND_OVERHEAD_NS)
    const end: LiveEnd = r.shell ? { exitCode: r.exitCode, shell: r.shell } : { exitCode: r.exitCode }
    if (report) sink.done(term, end)
    return end
  }

  private flush(term: number, l: Live, sink: LiveSink): void {
    const out = l.run.ctx.drain()
    if (out) sink.output(term, out)
  }
}
