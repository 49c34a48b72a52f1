import type { Edit, LinkView, Topology } from '../../shared/api.ts'

/**
 * What is selected on the canvas: namespaces (boxes of nodes, pods, switches, routers, other
 * namespaces) and links (veth pairs and the wires of the underlay, by the id the topology gives
 * them). Pure: the component keeps the list (ui store) and turns gestures into these changes.
 */
export type Pick = { ns: string } | { link: string }

export const pickKey = (p: Pick): string => ('ns' in p ? `ns:${p.ns}` : `link:${p.link}`)

/** A plain click picks one thing; Shift (or Ctrl/Cmd) toggles it in the selection. */
export function pickOne(current: readonly Pick[], p: Pick, additive: boolean): Pick[] {
  if (!additive) return [p]
  const k = pickKey(p)
  return current.some((c) => pickKey(c) === k) ? current.filter((c) => pickKey(c) !== k) : [...current, p]
}

/** A box drawn around things adds them (Shift/Ctrl) or picks them alone. */
export function pickMany(current: readonly Pick[], ps: readonly Pick[], additive: boolean): Pick[] {
  const out = additive ? [...current] : []
  const seen = new Set(out.map(pickKey))
  for (const p of ps) {
    if (seen.has(pickKey(p))) continue
    seen.add(pickKey(p))
    out.push(p)
  }
  return out
}

/** Keeps what still exists after the lab changed. */
export function prunePicks(topo: Topology, picks: readonly Pick[]): Pick[] {
  const names = new Set(topo.namespaces.map((n) => n.name))
  const links = new Set(topo.links.map((l) => l.id))
  const kept = picks.filter((p) => ('ns' in p ? names.has(p.ns) : links.has(p.link)))
  return kept.length === picks.length ? (picks as Pick[]) : kept
}

/**
 * The one edit that deletes everything picked (one step of the history, one undo): namespaces
 * by name, links by one of their ends. What goes anyway is left out: a pod whose node goes, a
 * link one of whose namespaces goes (and the host, which cannot go). Null when nothing is left.
 */
export function deletionOf(topo: Topology, picks: readonly Pick[]): Extract<Edit, { type: 'remove' }> | null {
  const byName = new Map(topo.namespaces.map((n) => [n.name, n]))
  const linkById = new Map<string, LinkView>(topo.links.map((l) => [l.id, l]))
  const going = new Set<string>()
  for (const p of picks) if ('ns' in p && p.ns !== '' && byName.has(p.ns)) going.add(p.ns)
  const names = [...going].filter((n) => {
    const node = byName.get(n)?.node
    return !(byName.get(n)?.role === 'pod' && node && going.has(node))
  })
  // A pod's namespace goes with its node too: links into it are gone with it.
  const gone = (ns: string): boolean => going.has(ns) || (byName.get(ns)?.role === 'pod' && going.has(byName.get(ns)?.node ?? '\0'))
  const links: { netns: string; device: string }[] = []
  for (const p of picks) {
    if (!('link' in p)) continue
    const l = linkById.get(p.link)
    if (!l || gone(l.a.netns) || gone(l.b.netns)) continue
    links.push({ netns: l.a.netns, device: l.a.device })
  }
  if (names.length === 0 && links.length === 0) return null
  return links.length ? { type: 'remove', names, links } : { type: 'remove', names }
}

/** The namespaces among the picks that are nodes running pods, with how many (deleting them asks first). */
export function nodesWithPods(topo: Topology, picks: readonly Pick[]): { name: string; pods: number }[] {
  const out: { name: string; pods: number }[] = []
  for (const p of picks) {
    if (!('ns' in p)) continue
    const n = topo.namespaces.find((x) => x.name === p.ns)
    if (n?.role !== 'node') continue
    const pods = topo.namespaces.filter((x) => x.role === 'pod' && x.node === n.name).length
    if (pods) out.push({ name: n.name, pods })
  }
  return out
}
