import type { DissectLayer, TraceStepView } from '../../shared/api.ts'
import type { TraceEventJson } from '../../shared/trace.ts'

/**
 * "Changed since the previous hop": which step showed the same packet last, and what differs
 * between its headers and this step's, field by field (a TTL decremented, MACs rewritten) and
 * layer by layer (VXLAN's outer headers added, a link header stripped on input).
 */

/** The packet a step's bytes belong to (the frame event's, which may be borrowed from a neighbour). */
function packetOf(s: TraceStepView, events: ReadonlyMap<number, TraceEventJson>): TraceEventJson | undefined {
  return s.frameEvent === undefined ? undefined : events.get(s.frameEvent)
}

/**
 * The step before `index` whose bytes showed this packet last, as it was before it became what
 * this step shows: the same packet, or, across a VXLAN tunnel, the packet that was wrapped (for
 * the outer one) or the outer one (for the frame unwrapped from it). Steps with the very same
 * bytes are skipped, so the answer is where something last changed (or, when nothing ever did,
 * the last step that showed it). Null: the packet is new here.
 */
export function previousHop(steps: readonly TraceStepView[], events: readonly TraceEventJson[] | ReadonlyMap<number, TraceEventJson>, index: number): number | null {
  const bySeq = events instanceof Map ? events : new Map((events as readonly TraceEventJson[]).map((e) => [e.seq, e]))
  const cur = steps[index]
  const mine = cur ? packetOf(cur, bySeq) : undefined
  if (!cur || !mine) return null
  /** The last earlier step with this very packet in the same bytes: "nothing changed" when no other. */
  let same: number | null = null
  const related = (j: number): boolean => {
    const s = steps[j]
    const theirs = packetOf(s, bySeq)
    if (!theirs || theirs.seq === mine.seq) return false
    if (theirs.frame === mine.frame) {
      if (theirs.packet === mine.packet) same ??= j
      return false
    }
    if (theirs.packet === mine.packet) return true
    const tunnel = s.role === 'tunnel' || cur.role === 'tunnel'
    return tunnel && (theirs.cause === mine.packet || mine.cause === theirs.packet)
  }
  // A frame is compared with the frame before it (so rewritten MACs show), a packet at the IP
  // layer with the packet before it; failing that, with whatever showed the packet last.
  const layer = mine.layer ?? 'ethernet'
  let any: number | null = null
  for (let j = index - 1; j >= 0; j--) {
    if (!related(j)) continue
    if ((packetOf(steps[j], bySeq)!.layer ?? 'ethernet') === layer) return j
    any ??= j
  }
  return any ?? same
}

export interface FieldChange {
  /** The raw value at the previous hop. */
  before: string
}

export interface HeaderChanges {
  /** By `layerKey|fieldKey` of the current layers: fields whose value differs. */
  fields: Map<string, FieldChange>
  /** Keys of the current layers that the previous hop did not have. */
  added: string[]
  /** Names of the previous hop's layers that are gone. */
  removed: string[]
}

const depthOf = (key: string): number => key.split('inner.').length - 1
const baseOf = (key: string): string => key.replace(/^(inner\.)+/, '')
const withDepth = (base: string, depth: number): string => 'inner.'.repeat(depth) + base

/** Keys of layers that carry no header fields to compare (padding, payload bytes). */
const NOT_HEADERS = /(^|\.)(data|padding|payload|udp_payload|icmp_data|fragment|quoted_payload|ip_options|malformed)$/

/**
 * Compares two decodes of one packet at consecutive hops. Layers are matched from the innermost
 * packet outwards, so a frame wrapped in VXLAN lines up with the frame it was: its own layers
 * match the old ones one level deeper, and the outer layers show as added.
 */
export function headerChanges(prev: readonly DissectLayer[], cur: readonly DissectLayer[]): HeaderChanges {
  const out: HeaderChanges = { fields: new Map(), added: [], removed: [] }
  const headers = (ls: readonly DissectLayer[]) => ls.filter((l) => !NOT_HEADERS.test(l.key))
  const p = headers(prev)
  const c = headers(cur)
  const maxP = Math.max(0, ...p.map((l) => depthOf(l.key)))
  const maxC = Math.max(0, ...c.map((l) => depthOf(l.key)))
  const shift = maxC - maxP
  const prevByKey = new Map(p.map((l) => [l.key, l]))
  const matched = new Set<string>()
  for (const l of c) {
    const d = depthOf(l.key) - shift
    const old = d >= 0 ? prevByKey.get(withDepth(baseOf(l.key), d)) : undefined
    if (!old) {
      out.added.push(l.key)
      continue
    }
    matched.add(old.key)
    const before = new Map(old.fields.map((f) => [f.key, f.raw]))
    for (const f of l.fields) {
      const was = before.get(f.key)
      if (was !== undefined && was !== f.raw) out.fields.set(`${l.key}|${f.key}`, { before: was })
    }
  }
  for (const l of p) if (!matched.has(l.key)) out.removed.push(l.name)
  return out
}
