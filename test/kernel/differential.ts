/**
 * One lab, two worlds: builds a lab in real network namespaces (through its iproute2 export) and
 * in the engine, runs the same probes in both with the same pacing, and lists every difference.
 *
 * The kernel side is one generated bash script per lab (run through runOnKernel, so every
 * namespace it creates is torn down, also on failure or interruption). Each probe writes its exit
 * code, stdout and stderr to files; `date +%s%N` marks between phases let the engine advance its
 * simulated clock to the same offsets, so both worlds see the same gaps between probes (which
 * ICMP rate limits and neighbour timers depend on).
 *
 * Phases, in both worlds:
 *  1. build (the export's lines; in the engine: Cluster.build, and separately the export run as a
 *     command file, whose per-line results are compared with the kernel's), 3 s to settle
 *     (IPv6 DAD, bridge learning), then the lab's commands (faults);
 *  2. one capture: tcpdump on every device of the namespaces on a sample ping's path, cold;
 *  3. the ping matrix (every pod and node to every pod and node address) in rounds: within a
 *     round each source sends one `ping -c 1 -W 1` and all run at once, as `&` + `wait`;
 *  4. 3.5 s for unresolved neighbours to settle (INCOMPLETE -> FAILED), then `ip route get` from
 *     every namespace to every pod and the table dumps and output-fidelity commands.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatIpv4 } from '../../src-main/engine/addr/ipv4.ts'
import { run } from '../../src-main/engine/commands/index.ts'
import { pingConcurrently } from '../../src-main/engine/commands/ping.ts'
import { World } from '../../src-main/engine/kernel/world.ts'
import { NS_PER_MS } from '../../src-main/engine/kernel/scheduler.ts'
import { tcpdumpJob } from '../../src-main/engine/commands/tcpdump.ts'
import { Ctx } from '../../src-main/engine/commands/context.ts'
import { exportParts } from '../../src-main/lab/export-iproute2.ts'
import type { LabDoc } from '../../src-main/lab/format.ts'
import { execLine, instantiate } from '../../src-main/lab/lab.ts'
import { runOnKernel } from './harness.ts'
import { normalize } from './compare.ts'

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
  /** Pings compared without their rate-limited error lines (see docs/conformance.md). */
  relaxed?: number
  /** The machine-wide ARP table reached gc_thresh1: FAILED entries were not compared. */
  gcActive?: boolean
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
const SETTLE_AFTER_BUILD_S = 3
const SETTLE_AFTER_PINGS_S = 3.5
const SETTLE_AFTER_SAMPLE_MS = 3500
/**
 * Every round of the ping matrix lasts this long (pings wait 1 s). A neighbour that cannot be
 * resolved fails 3 s (plus the kernel's timer slack of up to ~0.2 s) after the packet that started
 * resolving it, i.e. 0.4-0.66 s into a later round: inside that round's 1-s ping window and far
 * from its edges, so the kernel's timer slack never decides which ping sees the error.
 */
const ROUND_MS = 1300

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

export async function runCase(doc: LabDoc, opts: CaseOptions): Promise<CaseResult> {
  const lab = doc.metadata.name
  const { prefix } = opts
  if (!prefix.startsWith('pk4-')) throw new Error(`prefix must start with pk4-: ${prefix}`)
  const diffs: Diff[] = []
  let comparisons = 0
  let relaxed = 0
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
    const m = /^ip netns add (\S+)$/.exec(l)
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

  const rounds: Probe[][] = []
  if (!opts.noMatrix) {
    for (let r = 0; r < targets.length; r++) {
      rounds.push(sources.map((s, i) => mk(`p${r}_${i}`, 'ping matrix', `ip netns exec ${s} ping -c 1 -W 1 ${targets[(i + r) % targets.length]}`)))
    }
  }
  const dumpNs = nsNames
  const routeGets: Probe[] = []
  for (const ns of dumpNs) for (const p of pods) routeGets.push(mk(`g${routeGets.length}`, 'route get', `ip -n ${ns} route get ${formatIpv4(p.ip)}`))
  const dumps: Probe[] = []
  for (const ns of dumpNs) for (const c of DUMPS(ns)) dumps.push(mk(`d${dumps.length}`, 'dump', c))

  // ---- The kernel script.
  const dir = mkdtempSync(join(tmpdir(), 'pk4-'))
  const D = dir
  const S: string[] = [
    '#!/bin/bash',
    `D=${D}`,
    // A mark: the phase, the time, and how many ARP entries the machine holds (all namespaces).
    'm() { echo "$1 $(date +%s%N) $((16#$(awk \'NR==2{print $1}\' /proc/net/stat/arp_cache)))" >> $D/marks; }',
    // Sleeps until $2 ms after mark $1 (fixed-length rounds).
    'until_ms() { local t0=$(awk -v k="$1" \'$1==k{print $2}\' $D/marks); local rem=$(( t0 + $2 * 1000000 - $(date +%s%N) )); if [ $rem -gt 0 ]; then sleep $(printf \'%d.%09d\' $((rem / 1000000000)) $((rem % 1000000000))); fi; }',
  ]
  const cap = (id: string, line: string): string => `{ ${line} ; } >$D/${id}.out 2>$D/${id}.err; echo $? >$D/${id}.rc`
  const buildIds: { id: string; line: string }[] = []
  parts.build.forEach((l, i) => buildIds.push({ id: `b${i}`, line: l }))
  S.push('m start', ...buildIds.map((b) => cap(b.id, b.line)), 'm built', `sleep ${SETTLE_AFTER_BUILD_S}`)
  const cmdIds: { id: string; line: string; command: string; podnet: boolean }[] = []
  parts.commands.forEach((c, i) => c.lines.forEach((l, j) => cmdIds.push({ id: `c${i}_${j}`, line: l, command: c.command, podnet: c.command.startsWith('podnet ') })))
  S.push(...cmdIds.map((c) => cap(c.id, c.line)), 'm faulted')
  if (sample) {
    S.push('m sample')
    sample.devices.forEach((d, i) => S.push(`ip netns exec ${prefix}${d.ns} tcpdump -n -e -l -i ${d.dev} ${q(CAPTURE_FILTER)} >$D/t${i}.out 2>$D/t${i}.err &`))
    const n = sample.devices.length
    S.push(`for i in $(seq 100); do [ "$(cat $D/t*.err 2>/dev/null | grep -c '^listening on')" -ge ${n} ] && break; sleep 0.05; done`)
    S.push('m sampleping', cap('s', `ip netns exec ${prefix}${sample.from} ping -c 1 -W 1 ${sample.to}`), 'sleep 0.3', 'kill $(jobs -p) 2>/dev/null; wait')
    // Whatever the sample ping left unresolved fails (3 s) before the matrix starts.
    S.push(`until_ms sampleping ${SETTLE_AFTER_SAMPLE_MS}`)
  }
  rounds.forEach((round, r) => {
    S.push(`m r${r}`)
    // Each ping records when it was spawned, so the engine starts it at the same offset.
    for (const p of round) S.push(`( echo $EPOCHREALTIME >$D/${p.id}.t; ${cap(p.id, p.kernel)} ) &`)
    S.push('wait', `until_ms r${r} ${ROUND_MS}`)
  })
  S.push('m settle', `sleep ${SETTLE_AFTER_PINGS_S}`, 'm gets')
  S.push(...routeGets.map((p) => cap(p.id, p.kernel)))
  S.push('m dumps')
  S.push(...dumps.map((p) => cap(p.id, p.kernel)))
  S.push('m end')
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
  try {
    const marks = new Map<string, bigint>()
    let arpMax = 0
    for (const l of readOr(join(D, 'marks')).split('\n')) {
      const [k, v, n] = l.split(' ')
      if (k && v) marks.set(k, BigInt(v))
      if (n) arpMax = Math.max(arpMax, Number(n))
    }
    // The kernel's periodic neighbour GC runs only while the machine-wide ARP table (shared by
    // every namespace) holds gc_thresh1 entries or more; it then removes unreferenced FAILED
    // entries at a moment of its own. Whether one is still listed then depends on the machine.
    const gcThresh = Number(readOr('/proc/sys/net/ipv4/neigh/default/gc_thresh1', '128').trim())
    const gcActive = arpMax >= gcThresh
    if (error) return { lab, diffs, comparisons, kernelMs, error }
    // Prefixed namespace names lose their prefix; and while another process deletes a namespace,
    // iproute2's nsid-to-name lookup for link-netns can fail with this message on stderr.
    const strip = (s: string): string => s.split(prefix).join('').replace(/^Error: Peer netns reference is invalid\.\n/gm, '')
    const kres = (id: string): { exitCode: string; stdout: string; stderr: string } => ({
      exitCode: readOr(join(D, `${id}.rc`), '(not run)').trim(),
      stdout: strip(readOr(join(D, `${id}.out`))),
      stderr: strip(readOr(join(D, `${id}.err`))),
    })
    const compare = (phase: string, command: string, id: string, e: { exitCode: number; stdout: string; stderr: string }): void => {
      const k = kres(id)
      note(phase, command, 'exitCode', k.exitCode, String(e.exitCode))
      const dropFailed = (t: string): string => (gcActive && /neigh|arp/.test(command) ? t.split('\n').filter((l) => !/ FAILED ?$|\(incomplete\)/.test(l)).join('\n') : t)
      note(phase, command, 'stdout', dropFailed(normalize(command, k.stdout)), dropFailed(normalize(command, e.stdout)))
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
      if (!c.trim().startsWith('podnet ')) compare('lab command', c, cmdIds[ci].id, w1.results[i])
      ci += lines.length
    })
    // Every address of each source namespace (an error to any of them may compete).
    const sourceAddr = new Map<string, string[]>()
    for (const n of sources) sourceAddr.set(n, world.netns(n)!.deviceList().flatMap((d) => d.inet.map((a) => formatIpv4(a.local))))
    const kRef = marks.get('faulted')!
    const eRef = world.sched.now
    const alignTo = (mark: string): void => {
      const k = marks.get(mark)
      if (k === undefined) return
      const t = eRef + Number(k - kRef)
      if (t > world.sched.now) world.advance(t - world.sched.now)
    }

    if (sample) {
      alignTo('sampleping')
      // The engine's own tcpdump on each device, started and stopped around the ping as in the kernel.
      const caps = sample.devices.map((d) => {
        const ctx = new Ctx(world, world.netns(d.ns)!)
        const job = tcpdumpJob(ctx, ['-n', '-e', '-l', '-i', d.dev, CAPTURE_FILTER])
        return { ctx, job }
      })
      const [r] = pingConcurrently(world, [{ ns: world.netns(sample.from)!, argv: ['-c', '1', '-W', '1', sample.to] }])
      world.advance(300 * NS_PER_MS)
      for (const c of caps) if (typeof c.job !== 'number') c.job.stop()
      const cmd = `ip netns exec ${sample.from} ping -c 1 -W 1 ${sample.to}`
      compare('capture ping', cmd, 's', r)
      sample.devices.forEach((d, i) => {
        const k = normalizeCapture(readOr(join(D, `t${i}.out`)))
        const e = normalizeCapture(caps[i].ctx.stdout)
        note('capture', `ip netns exec ${d.ns} tcpdump -n -e -i ${d.dev} '${CAPTURE_FILTER}' (during: ${cmd})`, 'capture', k, e)
      })
    }

    rounds.forEach((round, r) => {
      alignTo(`r${r}`)
      // The trace tells which hosts the engine refused an ICMP error to in this round.
      world.trace.start()
      const res = pingConcurrently(world, round.map((p) => {
        const w = p.command.split(' ')
        const t = readOr(join(D, `${p.id}.t`)).trim()
        const startNs = /^\d+\.\d{6}$/.test(t) ? eRef + Number(BigInt(t.replace('.', '')) * 1000n - kRef) : undefined
        return { ns: world.netns(w[3])!, argv: w.slice(5), startNs }
      }))
      const limited = new Set<string>()
      for (const ev of world.trace.stop()) if (ev.msg === 'icmp.rate_limited') limited.add(String(ev.params.to))
      round.forEach((p, i) => {
        const src = sourceAddr.get(p.command.split(' ')[3])
        if (src && src.some((a) => limited.has(a))) {
          // Errors to this host competed for its rate-limit tokens within the round: which of
          // them got through depends on the order of events milliseconds apart.
          relaxed++
          const strip = (t: string): string => t.replace(/^From \S+ icmp_seq=\d+ Destination (Net|Host) Unreachable\n/gm, '').replace(/, \+\d+ errors/, '')
          const k = kres(p.id)
          note('ping matrix', p.command, 'exitCode', k.exitCode, String(res[i].exitCode))
          note('ping matrix', p.command, 'stdout', strip(normalize(p.command, k.stdout)), strip(normalize(p.command, res[i].stdout)))
          note('ping matrix', p.command, 'stderr', k.stderr, res[i].stderr)
        } else compare('ping matrix', p.command, p.id, res[i])
      })
      const dbg = process.env.PODNET_DEBUG_SRC
      if (dbg) {
        round.forEach((p, i) => {
          if (!p.command.includes(`exec ${dbg} `)) return
          const k = kres(p.id).stdout
          const brief = (t: string): string => (/From \S+/.exec(t)?.[0] ?? '') + (t.match(/From \S+ icmp_seq=1 (.*)/)?.[1] ?? (t.includes('bytes from') ? 'reply' : '-'))
          console.log(`r${r} t=${Number(marks.get(`r${r}`)! - kRef) / 1e6}ms ${p.command.split(' ').pop()} kernel: ${brief(k)} | engine: ${brief(res[i].stdout)}`)
        })
      }
    })
    alignTo('gets')
    for (const p of routeGets) compare(p.phase, p.command, p.id, execLine(world, cluster, p.command, true))
    alignTo('dumps')
    for (const p of dumps) compare(p.phase, p.command, p.id, execLine(world, cluster, p.command, true))

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
    return { lab, diffs, comparisons, kernelMs, relaxed, gcActive }
  } finally {
    if (!process.env.PODNET_KEEP) rmSync(dir, { recursive: true, force: true })
  }
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
