/**
 * Watches the machine-wide ARP table (/proc/net/stat/arp_cache) while kernel labs run.
 *
 * The ARP table is shared by every namespace on the machine. The kernel's periodic neighbour GC
 * (neigh_periodic_work, every base_reachable_time/2 = 15 s) removes unreferenced FAILED entries,
 * but only while the table holds gc_thresh1 (128) entries or more; and above gc_thresh2 (512) a
 * new entry can trigger a forced GC that removes entries not updated for 5 s. Whether and when
 * that happens depends on everything else the machine runs, so the suite records it: a worker
 * thread samples the table every few milliseconds, and each lab replays the periodic GC passes
 * that ran while it was alive at the same instants in the engine (see differential.ts).
 */
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'

/** One periodic GC pass (or a forced one), located between two samples. */
export interface GcRun {
  /** Wall-clock interval (ns since the epoch) in which the pass ran. */
  fromNs: bigint
  toNs: bigint
  /** Table size at the samples around it. */
  entriesBefore: number
  entriesAfter: number
  forced: boolean
}

export const GC_THRESH1 = readNumber('/proc/sys/net/ipv4/neigh/default/gc_thresh1', 128)
export const GC_THRESH2 = readNumber('/proc/sys/net/ipv4/neigh/default/gc_thresh2', 512)

function readNumber(path: string, dflt: number): number {
  try {
    const n = Number(readFileSync(path, 'utf8').trim())
    return Number.isFinite(n) ? n : dflt
  } catch {
    return dflt
  }
}

const POLL_MS = 5

// The worker: reads the table every POLL_MS and reports each GC pass with the sizes around it,
// and the largest size it saw between reports.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const { readFileSync } = require('node:fs')
const sleep = new Int32Array(new SharedArrayBuffer(4))
function read() {
  const lines = readFileSync('/proc/net/stat/arp_cache', 'utf8').trim().split('\\n').slice(1)
  let entries = 0, periodic = 0, forced = 0
  for (const l of lines) {
    const f = l.trim().split(/\\s+/).map((x) => parseInt(x, 16))
    entries = f[0]
    periodic += f[9]
    forced += f[10]
  }
  return { t: BigInt(Date.now()) * 1000000n, entries, periodic, forced }
}
let prev = read()
let max = prev.entries
let reported = prev.t
for (;;) {
  Atomics.wait(sleep, 0, 0, workerData.pollMs)
  const cur = read()
  max = Math.max(max, cur.entries)
  if (cur.periodic !== prev.periodic || cur.forced !== prev.forced) {
    parentPort.postMessage({ fromNs: prev.t, toNs: cur.t, entriesBefore: prev.entries, entriesAfter: cur.entries, forced: cur.forced !== prev.forced, max })
    max = cur.entries
    reported = cur.t
  } else if (cur.t - reported > 1000000000n) {
    parentPort.postMessage({ max })
    max = cur.entries
    reported = cur.t
  }
  prev = cur
}
`

class ArpMonitor {
  readonly runs: GcRun[] = []
  maxEntries = 0
  private readonly worker: Worker

  constructor() {
    this.worker = new Worker(WORKER, { eval: true, workerData: { pollMs: POLL_MS } })
    this.worker.unref()
    this.worker.on('message', (m: Partial<GcRun> & { max: number }) => {
      this.maxEntries = Math.max(this.maxEntries, m.max)
      if (m.fromNs !== undefined) this.runs.push(m as GcRun)
    })
  }

  /** GC passes that ran within [fromNs, toNs] of wall-clock time. */
  runsBetween(fromNs: bigint, toNs: bigint): GcRun[] {
    return this.runs.filter((r) => r.toNs >= fromNs && r.fromNs <= toNs)
  }

  /** Lets the worker report what it saw up to now (messages are delivered between tasks). */
  async flush(): Promise<void> {
    await new Promise((r) => setTimeout(r, 3 * POLL_MS))
  }

  stop(): Promise<number> {
    return this.worker.terminate()
  }
}

let monitor: ArpMonitor | null = null

/** The one monitor of this process, started on first use. */
export function arpMonitor(): ArpMonitor {
  monitor ??= new ArpMonitor()
  return monitor
}

export type { ArpMonitor }
