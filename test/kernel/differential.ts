/**
 * One lab, two worlds: builds a lab in real network namespaces (through its iproute2 export) and
 * in the engine, runs the same probes in both with the same pacing, and lists every difference.
 *
 * The kernel side is one generated bash script per lab (run through runOnKernel, so every
 * namespace it creates is torn down, also on failure or interruption). Each probe writes its exit
 * code, stdout and stderr to files; marks between phases, and the instant each matrix ping was
 * started, let the engine advance its simulated clock to the same offsets, so both worlds see the
 * same gaps between probes (which ICMP rate limits and neighbour timers depend on).
 *
 * Phases, in both worlds (docs/conformance.md explains every interval):
 *  1. build (the export's lines; in the engine: Cluster.build, and separately the export run as a
 *     command file, whose per-line results are compared with the kernel's), 3 s to settle
 *     (IPv6 DAD, bridge learning; meanwhile the kernel side measures its tick grid), then the
 *     lab's commands (faults), then 1.2 s for linkwatch if a fault needs it;
 *  2. one capture: tcpdump on every device of the namespaces on a sample ping's path, cold;
 *     round 0 of the matrix (every source to its own address) runs meanwhile;
 *  3. the ping matrix (every pod and node to every pod and node address) in rounds of 1.385 s:
 *     within a round each source sends one `ping -c 1 -W 1`, started at its slot (0, 25 or 50 ms
 *     into the round) by a process that waited for it inside the namespace;
 *  4. once no neighbour is being resolved any more, `ip route get` from every namespace to every
 *     pod and the table dumps and output-fidelity commands.
 * The machine's periodic neighbour GC passes that ran meanwhile (arp-monitor.ts) are replayed in
 * the engine at the same instants.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatIpv4 } from '../../src-main/engine/addr/ipv4.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { pingConcurrently } from '../../src-main/engine/commands/ping.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { NS_PER_MS } from '../../src-main/engine/kernel/scheduler.ts'
import { stateName } from '../../src-main/engine/kernel/neigh.ts'
import { tcpdumpJob } from '../../src-main/engine/commands/tcpdump.ts'
import { Ctx } from '../../src-main/engine/commands/context.ts'
import { exportParts } from '../../src-main/lab/export-iproute2.ts'
import { commandLine, type LabDoc } from '../../src-main/lab/format.ts'
import type { Netns } from '../../src-main/engine/kernel/netns.ts'
import { execLine, instantiate } from '../../src-main/lab/lab.ts'
import type { Cluster } from '../../src-main/k8s/cluster.ts'
import { runOnKernel } from './harness.ts'
import { normalize } from './compare.ts'
import { arpMonitor, GC_THRESH1, GC_THRESH2 } from './arp-monitor.ts'

export interface Diff {
  lab: string
  phase: string
  command: string
  field: 'exitCode' | 'stdout' | 'stderr' | 'capture'
  kernel: string
  engine: string
}

export interface CaseResult {
  lab: string
  diffs: Diff[]
  comparisons: number
  kernelMs: number
  /** Set when the kernel script did not finish (timeout). */
  error?: string
  /** Periodic neighbour GC passes (machine-wide table at gc_thresh1 or more) replayed in the engine. */
  gcPasses?: number
  /** Neighbour entries left out of the dumps: they failed within GC_WINDOW_MS of such a pass. */
  gcUncertain?: number
  /** A forced neighbour GC (table above gc_thresh2) ran while the lab was alive. */
  forcedGc?: boolean
  /** Whether the engine's ticks were lined up with the kernel's (the probe saw a retransmission). */
  ticksAligned?: boolean
  /** Matrix pings that started more than LATE_MS after their slot (a loaded machine), and the worst. */
  latePings?: number
  maxLateMs?: number
  /** Matched only with neighbour timers of one tick run in the other order (last armed first). */
  reordered?: boolean
}

interface Probe {
  id: string
  phase: string
  /** The command with the lab's own namespace names (the engine runs this one). */
  command: string
  /** The same command for the kernel (prefixed namespace names). */
  kernel: string
}

const DUMPS = (ns: string): string[] => [
  `ip -n ${ns} route show`,
  `ip -n ${ns} neigh show`,
  `bridge -n ${ns} fdb show`,
  `ip -n ${ns} -br addr`,
  `ip -n ${ns} addr show`,
  `ip -n ${ns} link show`,
  `ip netns exec ${ns} route -n`,
  `ip netns exec ${ns} arp -n`,
  `ip netns exec ${ns} brctl show`,
]

const CAPTURE_FILTER = 'icmp or arp or udp port 8472'
/** The namespace (after the lab's prefix) that measures the kernel's tick grid while the lab settles. */
const JIFFIES_PROBE_NS = 'jiffies-probe'
/** 8 jiffies (HZ=250): the granule of the timer wheel level that 1-s neighbour timers use. */
const WHEEL_GRANULE_NS = 32_000_000n
const SETTLE_AFTER_BUILD_S = 3
/**
 * After faults that took a device's carrier in a way linkwatch treats as not urgent (a bridge that
 * lost its last forwarding port; a veth whose peer has the same ifindex): the kernel applies it
 * (noop qdisc, operstate, NETDEV_CHANGE) when linkwatch next runs, up to one second later.
 */
const LINKWATCH_MS = 1200
/**
 * Round 1 starts this long after the capture ping when the capture ping left a neighbour being
 * resolved: it fails 3.05-3.08 s after the ping (neighbour timers run on the timer wheel), i.e.
 * 850-880 ms into round 1, long after that round's pings were sent (0-50 ms) and 120 ms before
 * the first of them gives up. Otherwise round 1 starts as soon as the captures are stopped (plus
 * LEAD_MS).
 */
const MATRIX_AFTER_SAMPLE_MS = 2200
/** Round 0 (everyone pings its own address, over lo: nothing on the wire) runs during the capture. */
const ROUND0_AFTER_SAMPLE_MS = 115
/**
 * Every round of the ping matrix lasts this long (pings wait 1 s). The length keeps every timed
 * decision of the kernel far from the round boundaries, with the pings of a round spread over
 * 0-50 ms (docs/conformance.md, "Pacing"):
 *  - the redirect backoff (ip_rt_redirect_load << n: 40 ms ... 5120 ms, silence 20480 ms): gaps of
 *    whole rounds are 1385±50, 2770±50, 4155±50, 5540±50 ... never within 45 ms of a threshold;
 *  - a neighbour that cannot be resolved fails 3.05-3.08 s after the packet that started resolving
 *    it: 280-310 ms into the round after next, inside its pings' 1-s windows;
 *  - ICMP token buckets (1000 ms per error, whole-second bursts): k whole rounds (k <= 12) are
 *    at least 25 ms away from a multiple of 1000 ms, whatever the slots.
 */
const ROUND_MS = 1385
/** Slot spacing within a round (slots 0, 1, 2). */
const SLOT_MS = 25
/** A round's pings are started this long before the round, to wait for their slot inside the namespace. */
const LEAD_MS = 300
/**
 * Tables are read when no neighbour is being resolved any more, at the latest this long after the
 * last round began (its unresolved neighbours fail 3.05-3.13 s after it began).
 */
const SETTLE_AFTER_LAST_ROUND_MS = 3500
/**
 * ...and this long after the kernel's last neighbour failed: the engine's fails within a
 * millisecond of it (its ticks are lined up with the kernel's), or within 32 ms if not.
 */
const TABLES_AFTER_MS = 100
/**
 * Where no interface sends an IPv6 router solicitation, in ms after it came up: DAD takes 1-2 s,
 * then solicitations follow at intervals of 4 s, doubling, each drawn within ±10% (RFC 7559), so
 * the second falls 4.6-6.4 s after the interface came up, the third 11.4-15.7 s, the fourth
 * 24.4-35 s (the engine's fall inside those). With margins; the tables are read inside one.
 */
const RS_QUIET_MS: [number, number][] = [[6_700, 11_100], [16_000, 24_000], [35_500, 48_500], [78_000, 98_000]]
/** From the recorded start (just before exec) to ping's first sendmsg. */
const PING_EXEC_NS = 1 * NS_PER_MS
/** A ping that starts this much after its slot counts as late (reported). */
const LATE_MS = 10
/**
 * A neighbour entry that failed this close to a periodic GC pass is not compared: the pass is
 * located to a few milliseconds, and the engine fails an entry within about a millisecond of the
 * kernel (up to 32 ms, the timer wheel's granule, when the tick grids could not be lined up).
 */
const GC_WINDOW_MS = 60

export interface CaseOptions {
  /** Namespace prefix on the kernel side; must start with "pk4-". */
  prefix: string
  /** Skip the ping matrix (for quick checks). */
  noMatrix?: boolean
  /** Budget for the kernel script. */
  timeoutMs?: number
}

function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Renames namespaces in a command line (ip -n NS, ip netns exec NS, bridge -n NS, ... netns NS). */
function prefixed(line: string, prefix: string, names: Set<string>): string {
  return line.replace(/(-n |netns exec |netns add |netns del |netns )(\S+)/g, (m, a: string, n: string) => (names.has(n) ? `${a}${prefix}${n}` : m))
}

function readOr(path: string, dflt = ''): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : dflt
}

/** A frame counts for the capture when `icmp or arp or udp port 8472` would take it. */
export function captureFilter(f: Uint8Array): boolean {
  if (f.length < 14) return false
  const et = (f[12] << 8) | f[13]
  if (et === 0x0806) return true
  if (et !== 0x0800 || f.length < 34) return false
  const proto = f[23]
  if (proto === 1) return true
  if (proto !== 17) return false
  const hl = (f[14] & 15) * 4
  const sp = (f[14 + hl] << 8) | f[15 + hl]
  const dp = (f[16 + hl] << 8) | f[17 + hl]
  return sp === 8472 || dp === 8472
}

/** tcpdump lines without what changes from run to run: ICMP echo ids and VXLAN source ports. */
export function normalizeCapture(text: string): string {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l
      .replace(/^\d\d:\d\d:\d\d\.\d+ /, '')
      .replace(/, id \d+, seq (\d+)/g, ', id <id>, seq $1')
      .replace(/(\d+\.\d+\.\d+\.\d+)\.\d+ > (\d+\.\d+\.\d+\.\d+)\.8472:/g, '$1.<sport> > $2.8472:'))
    .join('\n')
}

/**
 * The slot (0, 1 or 2) of each source in round r, where source i pings target (i + r) mod T.
 * A host's own ping and the ping that reaches it (from source i - r) are in different slots, so
 * everything the kernel decides about one host within a round (which packet gets the redirect,
 * which error gets the last rate-limit token) happens in an order that real time cannot swap.
 * The sources form cycles i -> i + r; each cycle alternates slots 0 and 1, an odd one ends on 2.
 */
export function roundSlots(count: number, r: number): number[] {
  const slot = new Array<number>(count).fill(-1)
  for (let s = 0; s < count; s++) {
    if (slot[s] >= 0) continue
    const cycle: number[] = []
    for (let i = s; slot[i] < 0; i = (i + r) % count) {
      slot[i] = 0
      cycle.push(i)
    }
    cycle.forEach((i, k) => (slot[i] = k % 2))
    if (cycle.length > 1 && cycle.length % 2 === 1) slot[cycle[cycle.length - 1]] = 2
  }
  return slot
}

/**
 * How many ARP entries a lab holds at most (all its namespaces), from a dry run of its ping
 * matrix in the engine: what it adds to the machine-wide table while it runs.
 */
export function arpEstimate(doc: LabDoc): number {
  const { world, cluster } = instantiate(doc)
  if (!cluster) return 0
  const pods = cluster.pods()
  const nodes = [...cluster.nodes.values()]
  const sources = [...pods.map((p) => p.name), ...nodes.map((n) => n.name)]
  const targets = [...pods.map((p) => formatIpv4(p.ip)), ...nodes.map((n) => formatIpv4(n.ip))]
  const count = (): number => [...world.namespaces.values()].reduce((a, ns) => a + ns.neigh.entries().length, 0)
  let max = count()
  for (let r = 0; r < targets.length; r++) {
    pingConcurrently(world, sources.map((s, i) => ({ ns: world.netns(s)!, argv: ['-c', '1', '-W', '1', targets[(i + r) % targets.length]] })))
    max = Math.max(max, count())
  }
  world.advance(4000 * NS_PER_MS)
  // Entries `ip neigh` does not show (NOARP): the address each source pings over lo in round 0,
  // and the IGMP report group of each node's bridge; and a few for errors a node sends itself.
  return Math.max(max, count()) + sources.length + nodes.length + 2
}

/**
 * Whether the lab's commands took the carrier from a device that is up in a way the kernel
 * applies late: linkwatch handles a loss of carrier at once only for a device whose link (a veth's
 * peer) has another ifindex than its own; a bridge's, or a veth's whose peer happens to have the
 * same ifindex in its namespace, waits for linkwatch's next run, up to a second later (the noop
 * qdisc, operstate, NETDEV_CHANGE: neighbour entries flushed). The probes then wait.
 */
function needsLinkwatch(doc: LabDoc, after: World): boolean {
  if (!doc.spec.commands.length) return false
  const before = instantiate({ ...doc, spec: { ...doc.spec, commands: [] } }).world
  for (const [name, ns] of after.namespaces) {
    for (const d of ns.deviceList()) {
      if (!d.adminUp || d.carrier) continue
      const b = before.netns(name)?.deviceList().find((x) => x.name === d.name)
      if (!b || !b.adminUp || !b.carrier) continue
      const link = d.link
      if (!link || link.ifindex === d.ifindex) return true
    }
  }
  return false
}

/** Drops neighbour lines of the given addresses that show a failed entry (and a header left alone). */
function withoutFailed(text: string, addrs: Set<string>): string {
  if (!addrs.size) return text
  const lines = text.split('\n').filter((l) => {
    const ip = l.split(/\s+/)[0]
    return !(addrs.has(ip) && /( FAILED ?$|\(incomplete\))/.test(l))
  })
  if (lines.length === 2 && lines[0].startsWith('Address ') && lines[1] === '') return ''
  return lines.join('\n')
}

export async function runCase(doc: LabDoc, opts: CaseOptions): Promise<CaseResult> {
  const lab = doc.metadata.name
  const { prefix } = opts
  if (!prefix.startsWith('pk4-')) throw new Error(`prefix must start with pk4-: ${prefix}`)
  const monitor = arpMonitor()
  const diffs: Diff[] = []
  let comparisons = 0
  const note = (phase: string, command: string, field: Diff['field'], kernel: string, engine: string): void => {
    comparisons++
    if (kernel !== engine) diffs.push({ lab, phase, command, field, kernel, engine })
  }

  // ---- The plan, from the lab as the engine builds it.
  const parts = exportParts(doc, { prefix })
  const plain = exportParts(doc, { prefix: '' })
  const w1 = instantiate(doc)
  const world = w1.world
  const cluster = w1.cluster!
  const nsNames = [...world.namespaces.keys()]
  const allNs = new Set<string>([...nsNames, ...cluster.roles.keys()])
  for (const l of plain.build) {
    const m = /^'ip' 'netns' 'add' '([^']+)'$/.exec(l)
    if (m) allNs.add(m[1])
  }
  const pods = cluster.pods()
  const nodes = [...cluster.nodes.values()]
  const sources = [...pods.map((p) => p.name), ...nodes.map((n) => n.name)]
  const targets = [...pods.map((p) => formatIpv4(p.ip)), ...nodes.map((n) => formatIpv4(n.ip))]
  const mk = (id: string, phase: string, command: string): Probe => ({ id, phase, command, kernel: prefixed(command, prefix, allNs) })

  // Sample capture: the first pod to a pod on another node (or the next pod), cold.
  let sample: { from: string; to: string; devices: { ns: string; dev: string }[] } | null = null
  if (pods.length >= 2) {
    const from = pods[0]
    const to = pods.find((p) => p.node !== from.node) ?? pods[1]
    const nsOnPath = [from.name, from.node, ...['underlay', 'router'].filter((n) => world.netns(n)), to.node, to.name]
    const devices: { ns: string; dev: string }[] = []
    for (const ns of [...new Set(nsOnPath)]) {
      for (const d of world.netns(ns)!.deviceList()) if (!d.isLoopback && d.adminUp) devices.push({ ns, dev: d.name })
    }
    sample = { from: from.name, to: formatIpv4(to.ip), devices }
  }

  const rounds: { probe: Probe; ns: string; target: string; slotMs: number }[][] = []
  if (!opts.noMatrix) {
    for (let r = 0; r < targets.length; r++) {
      const slots = roundSlots(sources.length, r)
      rounds.push(sources.map((s, i) => {
        const target = targets[(i + r) % targets.length]
        return { probe: mk(`p${r}_${i}`, 'ping matrix', `ip netns exec ${s} ping -c 1 -W 1 ${target}`), ns: s, target, slotMs: slots[i] * SLOT_MS }
      }))
    }
  }
  const routeGets = new Map<string, Probe[]>()
  const dumps = new Map<string, Probe[]>()
  let nGets = 0
  let nDumps = 0
  for (const ns of nsNames) {
    routeGets.set(ns, pods.map((p) => mk(`g${nGets++}`, 'route get', `ip -n ${ns} route get ${formatIpv4(p.ip)}`)))
    dumps.set(ns, DUMPS(ns).map((c) => mk(`d${nDumps++}`, 'dump', c)))
  }

  // ---- The kernel script. Times are microseconds since the epoch ($EPOCHREALTIME).
  const dir = mkdtempSync(join(tmpdir(), 'pk4-'))
  const D = dir
  const S: string[] = [
    '#!/bin/bash',
    `D=${D}`,
    // A mark: the phase and the time (ns); $T keeps the time in microseconds.
    'm() { T=${EPOCHREALTIME/./}; echo "$1 ${T}000" >> $D/marks; }',
    // Sleeps until an absolute time (microseconds).
    'at() { local r=$(( $1 - ${EPOCHREALTIME/./} )); if [ $r -gt 0 ]; then sleep $(printf %d.%06d $((r / 1000000)) $((r % 1000000))); fi; }',
    // Runs inside a namespace: waits (read -t on a FIFO nobody writes: no fork, microsecond
    // timer) until time $1, records the instant in file $2, then becomes the command.
    `W='t=$1; f=$2; exec 3<>"$3"; shift 3; r=$(( t - \${EPOCHREALTIME/./} )); if [ $r -gt 0 ]; then printf -v s %d.%06d $((r / 1000000)) $((r % 1000000)); read -t $s -u 3; fi; exec 3<&-; echo $EPOCHREALTIME >"$f"; exec "$@"'`,
    'mkfifo $D/fifo',
    // The waiting processes (and the pings they become) run SCHED_FIFO where allowed, so a busy
    // machine does not delay them: they start within a fraction of a millisecond of their slot.
    'RT=; chrt -f 1 true 2>/dev/null && RT="chrt -f 1"',
  ]
  const cap = (id: string, line: string): string => `{ ${line} ; } >$D/${id}.out 2>$D/${id}.err; echo $? >$D/${id}.rc`
  const buildIds: { id: string; line: string }[] = []
  parts.build.forEach((l, i) => buildIds.push({ id: `b${i}`, line: l }))
  S.push('m start', 'TSTART=$T', ...buildIds.map((b) => cap(b.id, b.line)), 'm built', 'TB=$T')
  // While the lab settles: where this machine's tick grid lies. A neighbour that cannot be
  // resolved is asked for again by a timer the timer wheel runs on a tick where jiffies is a
  // multiple of 8; the capture time of that request lines the engine's ticks up with the kernel's.
  const jp = `${prefix}${JIFFIES_PROBE_NS}`
  S.push(
    `ip netns add ${jp}`, `ip -n ${jp} link add jp0 type veth peer name jp1`, `ip -n ${jp} addr add 10.255.255.1/24 dev jp0`,
    `ip -n ${jp} link set jp0 up`, `ip -n ${jp} link set jp1 up`,
    `ip netns exec ${jp} tcpdump -tt --time-stamp-precision=nano -n -l -i jp0 arp >$D/jp.out 2>$D/jp.err & JP=$!`,
    `for i in $(seq 60); do grep -q '^listening on' $D/jp.err 2>/dev/null && break; sleep 0.05; done`,
    `ip netns exec ${jp} ping -c 1 -W 2.4 10.255.255.2 >/dev/null 2>&1 & JQ=$!`,
    `at $((TB + ${SETTLE_AFTER_BUILD_S * 1_000_000}))`,
    'kill $JP $JQ 2>/dev/null; wait $JP $JQ 2>/dev/null', `ip netns del ${jp}`,
  )
  const cmdIds: { id: string; line: string; command: string; podnet: boolean }[] = []
  parts.commands.forEach((c, i) => c.lines.forEach((l, j) => cmdIds.push({ id: `c${i}_${j}`, line: l, command: c.command, podnet: c.command.startsWith('podnet ') })))
  S.push(...cmdIds.map((c) => cap(c.id, c.line)), 'm faulted', 'TF=$T')
  if (needsLinkwatch(doc, world)) S.push(`at $((TF + ${LINKWATCH_MS * 1000}))`)
  // A matrix ping: waits inside its namespace until its instant, records it, becomes ping.
  const waiter = (id: string, ns: string, at: string, target: string): string =>
    `( ip netns exec ${prefix}${ns} $RT bash -c "$W" w ${at} $D/${id}.t $D/fifo ping -c 1 -W 1 ${target} >$D/${id}.out 2>$D/${id}.err; echo $? >$D/${id}.rc ) &`
  // Round 0 starts at M0, round r >= 1 at M1 + (r - 1) rounds.
  const spawnRound = (r: number): void => {
    const base = r === 0 ? 'M0' : 'M1'
    const off = r === 0 ? 0 : (r - 1) * ROUND_MS
    for (const { probe, ns, target, slotMs } of rounds[r]) S.push(waiter(probe.id, ns, `$((${base} + ${(off + slotMs) * 1000}))`, target))
  }
  // Whether a neighbour entry of the lab is still being resolved (it will fail or resolve).
  S.push(`NSS="${nsNames.map((n) => prefix + n).join(' ')}"`, 'inc() { local n; for n in $NSS; do ip -4 -n $n neigh show nud incomplete 2>/dev/null; done | grep -q .; }')
  if (sample) {
    S.push('m sample', 'TP=')
    sample.devices.forEach((d, i) => S.push(`ip netns exec ${prefix}${d.ns} tcpdump -n -e -l -i ${d.dev} ${q(CAPTURE_FILTER)} >$D/t${i}.out 2>$D/t${i}.err & TP="$TP $!"`))
    const n = sample.devices.length
    S.push(`for i in $(seq 100); do [ "$(cat $D/t*.err 2>/dev/null | grep -c '^listening on')" -ge ${n} ] && break; sleep 0.05; done`)
    // The capture ping starts 20 ms from now, through a waiter like the matrix pings.
    S.push('TS=$(( ${EPOCHREALTIME/./} + 20000 ))', 'echo "sampleping ${TS}000" >> $D/marks')
    S.push(waiter('s', sample.from, '$TS', sample.to) + ' SP=$!')
    // Round 0 (every source pings its own address: nothing on the wire) runs during the capture.
    S.push(`M0=$((TS + ${ROUND0_AFTER_SAMPLE_MS * 1000}))`)
    if (rounds.length) {
      S.push('echo "matrix ${M0}000" >> $D/marks')
      spawnRound(0)
    }
    // Round 1 starts once the captures are gone; if the capture ping left a neighbour to fail,
    // at a fixed distance from the capture ping (see MATRIX_AFTER_SAMPLE_MS).
    S.push('wait $SP', `if inc; then M1=$((TS + ${MATRIX_AFTER_SAMPLE_MS * 1000})); else M1=; fi`, 'sleep 0.3', 'm capkill', 'kill $TP 2>/dev/null; wait $TP')
    S.push(`[ -n "$M1" ] || M1=$(( \${EPOCHREALTIME/./} + ${LEAD_MS * 1000} ))`)
  } else {
    S.push(`M0=$(( \${EPOCHREALTIME/./} + ${LEAD_MS * 1000} ))`)
    if (rounds.length) {
      S.push('echo "matrix ${M0}000" >> $D/marks')
      spawnRound(0)
    }
    S.push(`M1=$((M0 + ${ROUND_MS * 1000}))`)
  }
  if (rounds.length) {
    S.push('echo "matrix1 ${M1}000" >> $D/marks')
    for (let r = 1; r < rounds.length; r++) {
      S.push(`at $((M1 + ${((r - 1) * ROUND_MS - LEAD_MS) * 1000}))`)
      spawnRound(r)
    }
    // The tables are read once every ping has ended and no neighbour is being resolved any more
    // (at the latest SETTLE_AFTER_LAST_ROUND_MS after the last round began), then TABLES_AFTER_MS.
    const last = `$((M1 + ${Math.max(0, rounds.length - 2) * ROUND_MS * 1000}))`
    S.push('wait', `LAST=${last}`, `while inc && [ \${EPOCHREALTIME/./} -lt $((LAST + ${SETTLE_AFTER_LAST_ROUND_MS * 1000})) ]; do sleep 0.1; done`, `sleep ${TABLES_AFTER_MS / 1000}`)
  } else if (sample) {
    S.push(`while inc && [ \${EPOCHREALTIME/./} -lt $((TS + ${SETTLE_AFTER_LAST_ROUND_MS * 1000})) ]; do sleep 0.1; done`, `sleep ${TABLES_AFTER_MS / 1000}`)
  }
  // A learned FDB entry that a fault deleted comes back with the next frame from that MAC. If its
  // device sends no IPv4 across the bridge, that is an IPv6 router solicitation, at moments the
  // kernel draws at random: the tables are then read only while no interface sends one.
  if (doc.spec.commands.some((c) => /^bridge .*\bfdb del .*\bmaster\b/.test(commandLine(c).trim()))) {
    const since = doc.spec.commands.some((c) => /^podnet |\bmtu\b/.test(commandLine(c).trim())) ? 'TF' : 'TB'
    S.push('for w in ' + RS_QUIET_MS.map(([a, b]) => `${a * 1000}:${b * 1000}`).join(' ') + `; do lo=$((${since} + \${w%:*})); hi=$((TSTART + \${w#*:})); t=\${EPOCHREALTIME/./}; [ $t -lt $lo ] && t=$lo; if [ $t -le $hi ]; then at $t; break; fi; done`)
  }
  // Route lookups and dumps: read-only, one job per namespace, all at once.
  S.push('m gets')
  for (const ns of nsNames) S.push(`( ${[...routeGets.get(ns)!, ...dumps.get(ns)!].map((p) => cap(p.id, p.kernel)).join('; ')} ) &`)
  S.push('wait', 'm end')
  const scriptPath = join(dir, 'lab.sh')
  writeFileSync(scriptPath, S.join('\n') + '\n')

  const t0 = Date.now()
  let error: string | undefined
  try {
    const res = await runOnKernel([`bash ${scriptPath}`], { timeoutMs: opts.timeoutMs ?? 240_000, perLineTimeoutMs: opts.timeoutMs ?? 240_000 })
    if (res[0]?.timedOut) error = 'the kernel script timed out'
    else if (res[0] && res[0].exitCode !== 0) error = `the kernel script exited ${res[0].exitCode}: ${res[0].stderr}`
  } catch (e) {
    error = String(e)
  }
  const kernelMs = Date.now() - t0
  await monitor.flush()
  try {
    const marks = new Map<string, bigint>()
    for (const l of readOr(join(D, 'marks')).split('\n')) {
      const [k, v] = l.split(' ')
      if (k && v) marks.set(k, BigInt(v))
    }
    if (error) return { lab, diffs, comparisons, kernelMs, error }
    // Prefixed namespace names lose their prefix; and while another process deletes a namespace,
    // iproute2's nsid-to-name lookup for link-netns can fail with this message on stderr.
    const strip = (s: string): string => s.split(prefix).join('').replace(/^Error: Peer netns reference is invalid\.\n/gm, '')
    const kres = (id: string): { exitCode: string; stdout: string; stderr: string } => ({
      exitCode: readOr(join(D, `${id}.rc`), '(not run)').trim(),
      stdout: strip(readOr(join(D, `${id}.out`))),
      stderr: strip(readOr(join(D, `${id}.err`))),
    })
    /** The instant (ns since the epoch) a waiter recorded just before it became ping. */
    const recorded = (id: string): bigint | undefined => {
      const t = readOr(join(D, `${id}.t`)).trim()
      return /^\d+\.\d{6}$/.test(t) ? BigInt(t.replace('.', '')) * 1000n : undefined
    }
    /** Per namespace: addresses whose failed neighbour entry a GC pass may or may not have removed. */
    const gcUncertain = new Map<string, Set<string>>()
    const compare = (phase: string, command: string, id: string, e: { exitCode: number; stdout: string; stderr: string }, ns?: string): void => {
      const k = kres(id)
      note(phase, command, 'exitCode', k.exitCode, String(e.exitCode))
      const uncertain = ns !== undefined && /neigh|arp/.test(command) ? gcUncertain.get(ns) ?? new Set<string>() : new Set<string>()
      note(phase, command, 'stdout', withoutFailed(normalize(command, k.stdout), uncertain), withoutFailed(normalize(command, e.stdout), uncertain))
      note(phase, command, 'stderr', normalize(command, k.stderr), normalize(command, e.stderr))
    }

    // ---- Engine, world 2: the export as a command file (round trip), per line like the kernel.
    const w2 = new World({ seed: doc.spec.seed })
    plain.build.forEach((l, i) => compare('build (export run as commands)', l, buildIds[i].id, run(w2, l)))
    w2.advance(SETTLE_AFTER_BUILD_S * 1000 * NS_PER_MS)
    let ci = 0
    plain.commands.forEach((c) => c.lines.forEach((l) => {
      const id = cmdIds[ci++].id
      const r = run(w2, l)
      // A typed command is compared with the product path below; an expanded `podnet` command here.
      if (c.command.startsWith('podnet ')) compare(`lab command ${c.command}`, l, id, r)
    }))

    // ---- Engine, world 1: the lab as the product builds it (Cluster), faults from instantiate().
    ci = 0
    doc.spec.commands.forEach((c, i) => {
      const lines = parts.commands[i].lines
      const line = commandLine(c)
      if (!line.trim().startsWith('podnet ')) compare('lab command', line, cmdIds[ci].id, w1.results[i])
      ci += lines.length
    })
    const kRef = marks.get('faulted')!
    /**
     * The engine side of the timeline, on a world built from the lab: the kernel's instants, the
     * matrix, the tables, the round trip. Neighbour timers that expire on one tick run in `order`.
     */
    const replay = (world: World, cluster: Cluster, order: World['sameTickOrder']): Omit<CaseResult, 'lab' | 'diffs' | 'comparisons' | 'kernelMs'> => {
      gcUncertain.clear()
      const eRef = world.sched.now
      const engineTime = (k: bigint): number => eRef + Number(k - kRef)
      // The engine's ticks on the kernel's grid: the probe's retransmitted requests left on ticks
      // where jiffies was a multiple of 8 (a few microseconds after the tick).
      const probe = readOr(join(D, 'jp.out')).split('\n').map((l) => /^(\d+)\.(\d{9}) /.exec(l)).filter((m) => m !== null).map((m) => BigInt(m[1]) * 1_000_000_000n + BigInt(m[2]))
      const tick = probe.length >= 2 ? probe[1] - 20_000n : undefined
      if (tick !== undefined) {
        const e = BigInt(eRef) + (tick - kRef)
        world.jiffiesOffsetNs = Number(((-e % WHEEL_GRANULE_NS) + WHEEL_GRANULE_NS) % WHEEL_GRANULE_NS)
      }
      world.sameTickOrder = order
      const alignTo = (mark: string): void => {
        const k = marks.get(mark)
        if (k === undefined) return
        const t = engineTime(k)
        if (t > world.sched.now) world.advance(t - world.sched.now)
      }

      // The machine's periodic neighbour GC passes while the lab was alive, at the same instants.
      // A pass while the table held gc_thresh1 entries or more removes failed entries; entries that
      // failed within GC_WINDOW_MS of it are left out of the comparison (either outcome is right).
      const kEnd = marks.get('end')!
      const gets = marks.get('gets')!
      let gcPasses = 0
      let forcedGc = false
      /** Failed entries (that failed after `since`) may or may not be in the kernel's tables. */
      const uncertainSince = (since: number): void => {
        for (const [name, ns] of world.namespaces) {
          for (const n of ns.neigh.entries()) {
            if (stateName(n.state) !== 'FAILED' || n.updatedNs <= since) continue
            let set = gcUncertain.get(name)
            if (!set) gcUncertain.set(name, (set = new Set()))
            set.add(formatIpv4(n.ip))
          }
        }
      }
      const windowNs = GC_WINDOW_MS * NS_PER_MS
      let passDuringDumps = false
      for (const pass of monitor.runsBetween(kRef, kEnd)) {
        if (pass.forced) forcedGc = true
        // The table size at the pass is known between two samples a few milliseconds apart.
        const surely = Math.min(pass.entriesBefore, pass.entriesAfter) >= GC_THRESH1
        const maybe = Math.max(pass.entriesBefore, pass.entriesAfter) >= GC_THRESH1
        if (!maybe) continue
        gcPasses++
        // A pass while the tables were being read: which of the dumps saw it is unknown.
        if (pass.toNs >= gets) {
          passDuringDumps = true
          continue
        }
        const t = engineTime(pass.toNs)
        world.sched.at(t, () => {
          uncertainSince(surely ? t - windowNs : -Infinity)
          for (const ns of world.namespaces.values()) ns.neigh.periodicGc()
        })
        world.sched.at(t + windowNs, () => uncertainSince(t))
      }

      let latePings = 0
      let maxLateMs = 0
      const m0 = marks.get('matrix')
      const m1 = marks.get('matrix1')
      // A matrix ping starts at the instant the kernel side recorded for it (or its slot).
      const matrixRun = (r: number, i: number): { ns: Netns; argv: string[]; startNs?: number } => {
        const { probe, ns, target, slotMs } = rounds[r][i]
        const base = r === 0 ? m0 : m1
        const planned = base === undefined ? undefined : base + BigInt(((r === 0 ? 0 : (r - 1) * ROUND_MS) + slotMs) * 1e6)
        const k = recorded(probe.id) ?? planned
        if (k !== undefined && planned !== undefined) {
          const late = Number(k - planned) / 1e6
          if (late > LATE_MS) latePings++
          maxLateMs = Math.max(maxLateMs, late)
        }
        return { ns: world.netns(ns)!, argv: ['-c', '1', '-W', '1', target], startNs: k === undefined ? undefined : engineTime(k) + PING_EXEC_NS }
      }
      const compareRound = (r: number, res: { exitCode: number; stdout: string; stderr: string }[]): void => {
        rounds[r].forEach(({ probe }, i) => compare('ping matrix', probe.command, probe.id, res[i]))
        const dbg = process.env.PODNET_DEBUG_SRC
        if (dbg) {
          rounds[r].forEach(({ probe }, i) => {
            if (!probe.command.includes(`exec ${dbg} `)) return
            const k = kres(probe.id).stdout
            const brief = (t: string): string => (/From \S+/.exec(t)?.[0] ?? '') + (t.match(/From \S+ icmp_seq=1 (.*)/)?.[1] ?? (t.includes('bytes from') ? 'reply' : '-'))
            console.log(`r${r} ${probe.command.split(' ').pop()} kernel: ${brief(k)} | engine: ${brief(res[i].stdout)}`)
          })
        }
      }

      let firstRound = 0
      if (sample) {
        // The engine's own tcpdump on each device, started and stopped around the ping as in the
        // kernel; round 0 (pings to the sources' own addresses, over lo) runs meanwhile.
        const caps = sample.devices.map((d) => {
          const ctx = new Ctx(world, world.netns(d.ns)!)
          const job = tcpdumpJob(ctx, ['-n', '-e', '-l', '-i', d.dev, CAPTURE_FILTER])
          return { ctx, job }
        })
        const k = recorded('s') ?? marks.get('sampleping')!
        const runs: { ns: Netns; argv: string[]; startNs?: number }[] = [{ ns: world.netns(sample.from)!, argv: ['-c', '1', '-W', '1', sample.to], startNs: engineTime(k) + PING_EXEC_NS }]
        if (rounds.length) runs.push(...rounds[0].map((_, i) => matrixRun(0, i)))
        const res = pingConcurrently(world, runs)
        // The captures end when the kernel side stopped its tcpdumps (0.3 s after the ping ended).
        const kill = marks.get('capkill')
        world.advance(kill === undefined ? 300 * NS_PER_MS : Math.max(0, engineTime(kill) - world.sched.now))
        for (const c of caps) if (typeof c.job !== 'number') c.job.stop()
        const cmd = `ip netns exec ${sample.from} ping -c 1 -W 1 ${sample.to}`
        compare('capture ping', cmd, 's', res[0])
        sample.devices.forEach((d, i) => {
          const kc = normalizeCapture(readOr(join(D, `t${i}.out`)))
          const e = normalizeCapture(caps[i].ctx.stdout)
          note('capture', `ip netns exec ${d.ns} tcpdump -n -e -i ${d.dev} '${CAPTURE_FILTER}' (during: ${cmd})`, 'capture', kc, e)
        })
        if (rounds.length) {
          compareRound(0, res.slice(1))
          firstRound = 1
        }
      }
      for (let r = firstRound; r < rounds.length; r++) compareRound(r, pingConcurrently(world, rounds[r].map((_, i) => matrixRun(r, i))))
      alignTo('gets')
      if (passDuringDumps) uncertainSince(-Infinity)
      for (const ns of nsNames) {
        for (const p of routeGets.get(ns)!) compare(p.phase, p.command, p.id, execLine(world, cluster, p.command, true))
        for (const p of dumps.get(ns)!) compare(p.phase, p.command, p.id, execLine(world, cluster, p.command, true), ns)
      }

      // ---- Round trip: the export run as commands builds what the product built.
      w2.advance(Math.max(0, world.sched.now - w2.sched.now))
      for (const ns of nsNames) {
        for (const c of [`ip -n ${ns} route show`, `ip -n ${ns} addr show`, `ip -n ${ns} link show`, `bridge -n ${ns} fdb show dev eth0`]) {
          const a = run(world, c, undefined, 0)
          const b = run(w2, c, undefined, 0)
          comparisons++
          if (normalize(c, a.stdout) !== normalize(c, b.stdout)) diffs.push({ lab, phase: 'round trip (product vs export run as commands)', command: c, field: 'stdout', kernel: a.stdout, engine: b.stdout })
        }
      }
      const uncertain = [...gcUncertain.values()].reduce((a, s) => a + s.size, 0)
      return { gcPasses, gcUncertain: uncertain, forcedGc, ticksAligned: tick !== undefined, latePings, maxLateMs: Math.round(maxLateMs) }
    }
    const before = diffs.length
    const beforeComparisons = comparisons
    let stats = replay(world, cluster, 'armed')
    // Two neighbour timers of one namespace on one tick run in an order the CPU that armed each
    // decides (one CPU runs the last armed first). A lab that differs is replayed with the other
    // order; it matches if either order matches everything (docs/conformance.md, "Same-tick timers").
    let reordered = false
    if (diffs.length > before) {
      const first = diffs.splice(before)
      const firstComparisons = comparisons
      comparisons = beforeComparisons
      const again = instantiate(doc)
      const s2 = replay(again.world, again.cluster!, 'reverse')
      if (diffs.length > before) {
        diffs.splice(before, diffs.length - before, ...first)
        comparisons = firstComparisons
      } else {
        stats = s2
        reordered = true
      }
    }
    return { lab, diffs, comparisons, kernelMs, ...stats, reordered }
  } finally {
    if (!process.env.PODNET_KEEP) rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * ARP entries the running labs may hold together: the machine-wide table must stay below
 * gc_thresh2 (512), where creating an entry makes the kernel drop entries that other labs still
 * use (a forced GC). A lab's share is arpEstimate().
 */
export const ARP_BUDGET = GC_THRESH2 - 42

/**
 * Runs labs at most `jobs` at a time and, together, below an ARP-entry budget (the machine-wide
 * table must stay below gc_thresh2, where the kernel starts removing entries other labs still
 * use): biggest labs first, smaller ones fill the gaps. A lab larger than the budget runs alone.
 */
export async function runPool<T>(items: readonly T[], jobs: number, budget: number, weight: (it: T) => number, runOne: (it: T) => Promise<void>): Promise<void> {
  const queue = [...items].map((it) => ({ it, w: weight(it) })).sort((a, b) => b.w - a.w)
  let running = 0
  let used = 0
  await new Promise<void>((resolve, reject) => {
    const pump = (): void => {
      if (!queue.length && !running) {
        resolve()
        return
      }
      while (running < jobs && queue.length) {
        const i = queue.findIndex((x) => running === 0 || used + x.w <= budget)
        if (i < 0) break
        const [x] = queue.splice(i, 1)
        running++
        used += x.w
        runOne(x.it).then(() => {
          running--
          used -= x.w
          pump()
        }, reject)
      }
    }
    pump()
  })
}

/** A diff list as a person reads it: which lab, which command, kernel and engine side by side. */
export function formatDiffs(diffs: Diff[], max = 12): string {
  const out: string[] = []
  for (const d of diffs.slice(0, max)) {
    out.push(`[${d.lab}] ${d.phase}: ${d.command}\n  ${d.field} differs\n  --- kernel\n${ind(d.kernel)}\n  +++ engine\n${ind(d.engine)}`)
  }
  if (diffs.length > max) out.push(`... and ${diffs.length - max} more`)
  return out.join('\n')
}

function ind(s: string): string {
  return s.split('\n').map((l) => `    |${l}`).join('\n')
}
