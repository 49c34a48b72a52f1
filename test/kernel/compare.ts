/**
 * Comparing the engine with the kernel: the normalisations (documented in docs/conformance.md)
 * and a readable diff. Normalised are only values that differ between two runs of the kernel
 * itself: measured times, the states of dynamic neighbour entries, and the hash order of
 * neighbour dumps.
 */
export interface Result {
  line: number
  command: string
  exitCode: number
  stdout: string
  stderr: string
}

const DYNAMIC_NUD = /\b(REACHABLE|STALE|DELAY|PROBE)( ?)$/gm

/** Round-trip times and durations as ping prints them. */
export function normalizePing(s: string): string {
  return s
    .replace(/time=\d+(?:\.\d+)? ms/g, 'time=<t> ms')
    .replace(/, time \d+ms$/gm, ', time <t>ms')
    .replace(/^rtt min\/avg\/max\/mdev = [\d./]+ ms/gm, 'rtt min/avg/max/mdev = <rtt> ms')
}

/** Neighbour dumps: dynamic states collapse to one word, and lines are sorted (kernel hash order). */
export function normalizeNeigh(s: string): string {
  const lines = s.replace(DYNAMIC_NUD, '<dynamic>$2').split('\n')
  const last = lines.pop()
  lines.sort()
  if (last !== undefined) lines.push(last)
  return lines.join('\n')
}

/** `ip -j neigh`: the same, for the entries of the JSON array (compact or -pretty). */
export function normalizeNeighJson(s: string): string {
  let rows: unknown
  try {
    rows = JSON.parse(s)
  } catch {
    return s
  }
  if (!Array.isArray(rows)) return s
  const dyn = (e: unknown): string => JSON.stringify(e).replace(/"(REACHABLE|STALE|DELAY|PROBE)"/g, '"<dynamic>"')
  return rows.map(dyn).sort().join('\n') + '\n'
}

export function normalize(command: string, text: string): string {
  let t = normalizePing(text)
  // arping's reply times.
  if (/\barping\b/.test(command)) t = t.replace(/\] {2}\d+\.\d{3}ms$/gm, ']  <t>ms')
  // traceroute's probe times.
  if (/\btraceroute\b/.test(command)) t = t.replace(/ {2}\d+\.\d+ ms/g, '  <t> ms')
  if (/\bneigh(bour|bor)?\b|\bip( -n \S+| -\S+)* n\b|\barp\b/.test(command)) t = /^\s*\[/.test(t) ? normalizeNeighJson(t) : normalizeNeigh(t)
  // IPv6 duplicate address detection finishes within 1-2 s; whether it has is timing.
  t = t.replace(/ scope link tentative /g, ' scope link ')
  // Nexthop exceptions count down in whole seconds of real time.
  t = t.replace(/ expires \d+sec/g, ' expires <t>sec')
  // A bridge's and a bridge port's timers (`ip -d link`) count down in real time.
  t = t.replace(/(_timer)(?: +\d+\.\d\d\b)/g, '$1 <t>').replace(/(_timer": ?)\d+\.\d\d\b/g, '$1<t>')
  return t
}

export interface Mismatch {
  line: number
  command: string
  field: 'exitCode' | 'stdout' | 'stderr'
  kernel: string
  engine: string
}

export function compareRuns(kernel: Result[], engine: Result[]): Mismatch[] {
  const out: Mismatch[] = []
  const byLine = new Map(engine.map((r) => [r.line, r]))
  for (const k of kernel) {
    const e = byLine.get(k.line)
    if (!e) {
      out.push({ line: k.line, command: k.command, field: 'exitCode', kernel: String(k.exitCode), engine: '(not run)' })
      continue
    }
    if (k.exitCode !== e.exitCode) out.push({ line: k.line, command: k.command, field: 'exitCode', kernel: String(k.exitCode), engine: String(e.exitCode) })
    for (const f of ['stdout', 'stderr'] as const) {
      const kn = normalize(k.command, k[f])
      const en = normalize(k.command, e[f])
      if (kn !== en) out.push({ line: k.line, command: k.command, field: f, kernel: kn, engine: en })
    }
  }
  return out
}

/** A mismatch list as a person reads it: which line, which stream, kernel and engine side by side. */
export function formatMismatches(ms: Mismatch[], title: string): string {
  if (ms.length === 0) return `${title}: no mismatches`
  const parts = [`${title}: ${ms.length} mismatch(es)`]
  for (const m of ms) {
    parts.push(`line ${m.line}: ${m.command}\n  ${m.field} differs\n  --- kernel\n${indent(m.kernel)}\n  +++ engine\n${indent(m.engine)}`)
  }
  return parts.join('\n')
}

function indent(s: string): string {
  return s.split('\n').map((l) => `    |${l}`).join('\n')
}
