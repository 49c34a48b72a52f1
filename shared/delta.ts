import { EVENT_VIEW_LIMIT, type LabDelta, type LabState, type LinkView, type NetnsView } from './api.ts'
import { tunnelForm, tunnelList } from './tunnels.ts'

/**
 * Applies a delta to the state it was computed against (delta.base === state.seq) and returns the
 * next state; untouched namespaces, links and events are kept (same objects), so a view keyed on
 * them redraws only what changed. Returns null when the delta is for another state (the caller
 * then asks for the whole state).
 */
export function applyDelta(state: LabState, d: LabDelta): LabState | null {
  if (d.base !== state.seq) return null
  const t = state.topology
  const next: LabState = {
    seq: d.seq,
    name: d.name,
    dirty: d.dirty,
    canUndo: d.canUndo,
    canRedo: d.canRedo,
    history: d.history.keep === state.history.length && d.history.append.length === 0 ? state.history : [...state.history.slice(0, d.history.keep), ...d.history.append],
    timeNs: d.timeNs,
    topology: {
      mode: d.mode,
      namespaces: applyNamed(t.namespaces, d.namespaces.remove, d.namespaces.set, (n) => n.name),
      links: applyNamed(t.links, d.links.remove, d.links.set, (l: LinkView) => l.id),
      events: d.events.reset ? d.events.append : d.events.append.length ? [...t.events, ...d.events.append].slice(-EVENT_VIEW_LIMIT) : t.events,
      eventCount: d.events.count,
    },
  }
  // Packed tunnels (a big lab's) stay as they are unless the delta changes them; then the list
  // changed takes the form a state of its length has (tunnelForm).
  if (d.tunnels.remove.length === 0 && d.tunnels.set.length === 0) {
    if (t.packedTunnels) next.topology.packedTunnels = t.packedTunnels
    else if (t.tunnels !== undefined) next.topology.tunnels = t.tunnels
  } else if (t.packedTunnels) Object.assign(next.topology, tunnelForm(applyNamed(tunnelList(t), d.tunnels.remove, d.tunnels.set, (l: LinkView) => l.id)))
  else next.topology.tunnels = applyNamed(t.tunnels ?? [], d.tunnels.remove, d.tunnels.set, (l: LinkView) => l.id)
  if (d.description !== undefined) next.description = d.description
  if (d.path !== undefined) next.path = d.path
  if (d.exercise !== undefined) next.exercise = d.exercise
  // The layout comes only when it changed (null: back to the automatic one).
  const layout = d.layout === undefined ? state.layout : (d.layout ?? undefined)
  if (layout) next.layout = layout
  return next
}

/**
 * Removes the listed items, replaces changed ones in place and appends new ones; the host's
 * namespace ('') always goes first, as the lab lists it.
 */
function applyNamed<T>(list: readonly T[], remove: readonly string[], set: readonly T[], key: (x: T) => string): T[] {
  if (remove.length === 0 && set.length === 0) return list as T[]
  const gone = new Set(remove)
  const changed = new Map(set.map((x) => [key(x), x]))
  const out: T[] = []
  for (const x of list) {
    const k = key(x)
    if (gone.has(k)) continue
    const c = changed.get(k)
    if (c !== undefined) {
      out.push(c)
      changed.delete(k)
    } else out.push(x)
  }
  for (const [k, x] of changed) {
    if (k === '' && (x as unknown as NetnsView).devices !== undefined) out.unshift(x)
    else out.push(x)
  }
  return out
}
