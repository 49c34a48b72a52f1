// Builds a lab in real network namespaces (its iproute2 export, under a prefix) and sends ICMP
// probes in it, all at once, the way the engine's probes are sent: one echo request each, cold ARP
// caches. Used to check that what the engine delivers (or drops) is what Linux delivers.
import { exportParts } from '../../src-main/lab/export-iproute2.ts'
import type { LabDoc } from '../../src-main/lab/format.ts'
import { runOnKernel } from './harness.ts'

export interface KernelProbe {
  /** Namespace that sends (the lab's name, without the prefix). */
  from: string
  /** Destination address. */
  to: string
  /** Payload bytes (ping -s); default 56. */
  size?: number
  /** true: -M do, false: -M dont; absent: ping's default. */
  df?: boolean
}

/** After the build, before the probes: bridges and veths reach their forwarding state (linkwatch runs within a second). */
const SETTLE_S = 1.5
/** Long enough for an answer across two nodes, shorter than ARP's three-second give-up. */
const WAIT_S = 2

function pingLine(prefix: string, p: KernelProbe, i: number): string {
  const opts = [`-c 1`, `-W ${WAIT_S}`, ...(p.size !== undefined ? [`-s ${p.size}`] : []), ...(p.df === undefined ? [] : [`-M ${p.df ? 'do' : 'dont'}`])]
  return `(ip netns exec ${prefix}${p.from} ping ${opts.join(' ')} ${p.to} >/dev/null 2>&1; echo "probe${i} $?") &`
}

/** The lab's export as lines (the build, then what each command became), with a namespace prefix. */
export function exportLines(doc: LabDoc, prefix: string): string[] {
  const parts = exportParts(doc, { prefix })
  return [...parts.build, ...parts.commands.flatMap((c) => c.lines)]
}

/**
 * Whether each probe gets its echo reply in the lab built on this kernel, and the exit status of
 * every line of the build (a line the engine refuses, such as a host-gw route across a router,
 * must fail on the kernel too; the caller compares).
 */
export async function kernelDeliveries(doc: LabDoc, prefix: string, probes: readonly KernelProbe[]): Promise<{ delivered: boolean[]; exitCodes: number[]; lines: string[] }> {
  const build = exportLines(doc, prefix)
  // The build runs as one bash process (one start-up instead of hundreds), each line's exit status
  // written after it, so the lines still compare one by one with the engine's.
  const script = build.map((l, i) => `${l}; echo "${RC}${i} $?"`).join('\n')
  const lines = [script, `sleep ${SETTLE_S}`, `${probes.map((p, i) => pingLine(prefix, p, i)).join(' ')} wait`]
  const results = await runOnKernel(lines, { timeoutMs: 60_000, perLineTimeoutMs: 30_000 })
  const codes = new Map([...(results[0]?.stdout ?? '').matchAll(new RegExp(`^${RC}(\\d+) (\\d+)$`, 'gm'))].map((m) => [Number(m[1]), Number(m[2])]))
  const out = results.at(-1)?.stdout ?? ''
  const delivered = probes.map((_, i) => new RegExp(`^probe${i} 0$`, 'm').test(out))
  return { delivered, exitCodes: build.map((_, i) => codes.get(i) ?? -1), lines: build }
}

/** Marks each build line's exit status in the build's output. */
const RC = '@@rk-rc '

/** Runs async jobs with at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, job: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      await job(items[i], i)
    }
  }
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker))
}
