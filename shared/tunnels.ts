import type { ApiReply, LabState, LinkView, PackedTunnels, Topology } from './api.ts'
import { namespaceBuffers, packNamespaces, PACK_NAMESPACES_ABOVE, unpackNamespaces, type PackedNamespaces } from './netns-pack.ts'

export type { PackedTunnels } from './api.ts'

/*
 * VXLAN tunnels, packed or not. A flannel cluster of n nodes has n(n-1)/2 of them (half a million
 * for 1,000 nodes): as objects with their string ids they were three quarters of the whole state's
 * copy, and unpacking them took longer than drawing the far-out canvas, which shows none of them.
 * A big lab's view keeps them packed from where they are found (src-main/lab/view.ts) to the
 * canvas (`Topology.packedTunnels`): objects and ids are made only for the tunnels asked for
 * (a selected node's, which the canvas draws), by the functions below.
 */

const endName = (netns: string, device: string): string => `${netns}/${device}`

/** The id the state gives a tunnel between two ends. */
export function tunnelId(a: { netns: string; device: string }, b: { netns: string; device: string }): string {
  const x = endName(a.netns, a.device)
  const y = endName(b.netns, b.device)
  return x < y ? `vxlan:${x}|${y}` : `vxlan:${y}|${x}`
}

/** The tunnels packed, or null when one has an id packing would not give back (then they go as they are). */
export function packTunnels(list: readonly LinkView[]): PackedTunnels | null {
  const index = new Map<string, number>()
  const p: PackedTunnels = { netns: [], device: [], a: new Uint32Array(list.length), b: new Uint32Array(list.length) }
  const end = (e: { netns: string; device: string }): number => {
    const k = endName(e.netns, e.device)
    let i = index.get(k)
    if (i === undefined) {
      i = p.netns.length
      index.set(k, i)
      p.netns.push(e.netns)
      p.device.push(e.device)
    }
    return i
  }
  for (let i = 0; i < list.length; i++) {
    const t = list[i]
    if (t.id !== tunnelId(t.a, t.b)) return null
    p.a[i] = end(t.a)
    p.b[i] = end(t.b)
  }
  return p
}

/** A packed list's ends as shared objects (nothing changes them), and each one's id prefix and name. */
interface Ends {
  ends: { netns: string; device: string }[]
  names: string[]
  prefixed: string[]
  /** Each end's place in name order, so choosing which end comes first compares two numbers. */
  rank: Uint32Array
}

const endsOf = new WeakMap<PackedTunnels, Ends>()

function ends(p: PackedTunnels): Ends {
  let e = endsOf.get(p)
  if (e) return e
  const list = p.netns.map((netns, i) => ({ netns, device: p.device[i] }))
  const names = list.map((x) => endName(x.netns, x.device))
  const rank = new Uint32Array(names.length)
  names
    .map((n, i) => [n, i] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .forEach(([, i], r) => (rank[i] = r))
  e = { ends: list, names, prefixed: names.map((n) => `vxlan:${n}|`), rank }
  endsOf.set(p, e)
  return e
}

/** Tunnel i of a packed list as an object (its ends shared with the list's other tunnels). */
function tunnelAt(p: PackedTunnels, e: Ends, i: number): LinkView {
  const a = p.a[i]
  const b = p.b[i]
  return { id: e.rank[a] < e.rank[b] ? e.prefixed[a] + e.names[b] : e.prefixed[b] + e.names[a], a: e.ends[a], b: e.ends[b] }
}

/** The tunnels again, in their order; the ends are shared objects (nothing changes them). */
export function unpackTunnels(p: PackedTunnels): LinkView[] {
  const e = ends(p)
  const out: LinkView[] = new Array(p.a.length)
  for (let i = 0; i < p.a.length; i++) out[i] = tunnelAt(p, e, i)
  return out
}

/** How many VXLAN tunnels a topology has, in either form. */
export function tunnelCount(topo: Pick<Topology, 'tunnels' | 'packedTunnels'>): number {
  return topo.packedTunnels ? topo.packedTunnels.a.length : (topo.tunnels?.length ?? 0)
}

const listOf = new WeakMap<PackedTunnels, LinkView[]>()

/** All of a topology's VXLAN tunnels as objects, in their order (made once for a packed list). */
export function tunnelList(topo: Pick<Topology, 'tunnels' | 'packedTunnels'>): readonly LinkView[] {
  const p = topo.packedTunnels
  if (!p) return topo.tunnels ?? []
  let list = listOf.get(p)
  if (!list) listOf.set(p, (list = unpackTunnels(p)))
  return list
}

/** The VXLAN tunnels with an end in namespace `netns`, in their order: objects made for those only. */
export function tunnelsOf(topo: Pick<Topology, 'tunnels' | 'packedTunnels'>, netns: string): LinkView[] {
  const p = topo.packedTunnels
  if (!p) return (topo.tunnels ?? []).filter((t) => t.a.netns === netns || t.b.netns === netns)
  const mine = new Uint8Array(p.netns.length)
  let any = false
  for (let i = 0; i < p.netns.length; i++) {
    if (p.netns[i] !== netns) continue
    mine[i] = 1
    any = true
  }
  const out: LinkView[] = []
  if (!any) return out
  const e = ends(p)
  const { a, b } = p
  for (let i = 0; i < a.length; i++) if (mine[a[i]] || mine[b[i]]) out.push(tunnelAt(p, e, i))
  return out
}

/**
 * What changed from one packed list of tunnels to the next: the ids of those that went and the
 * tunnels that came (a view's delta). Each end name gets one number across both lists and each
 * tunnel one for its pair of ends, either way round as its id: only the tunnels that went or came
 * get an id or an object.
 */
export function tunnelChanges(was: PackedTunnels, next: PackedTunnels): { remove: string[]; set: LinkView[] } {
  const endNo = new Map<string, number>()
  const numbers = (p: PackedTunnels): Uint32Array => {
    const out = new Uint32Array(p.netns.length)
    for (let i = 0; i < out.length; i++) {
      const k = endName(p.netns[i], p.device[i])
      let n = endNo.get(k)
      if (n === undefined) endNo.set(k, (n = endNo.size))
      out[i] = n
    }
    return out
  }
  const wasNo = numbers(was)
  const nextNo = numbers(next)
  const m = endNo.size
  const pairOf = (p: PackedTunnels, no: Uint32Array, i: number): number => {
    const x = no[p.a[i]]
    const y = no[p.b[i]]
    return x < y ? x * m + y : y * m + x
  }
  const pairs = (p: PackedTunnels, no: Uint32Array): Set<number> => {
    const out = new Set<number>()
    for (let i = 0; i < p.a.length; i++) out.add(pairOf(p, no, i))
    return out
  }
  const had = pairs(was, wasNo)
  const has = pairs(next, nextNo)
  const end = (p: PackedTunnels, i: number) => ({ netns: p.netns[i], device: p.device[i] })
  const remove: string[] = []
  const set: LinkView[] = []
  for (let i = 0; i < was.a.length; i++) if (!has.has(pairOf(was, wasNo, i))) remove.push(tunnelId(end(was, was.a[i]), end(was, was.b[i])))
  for (let i = 0; i < next.a.length; i++) {
    if (had.has(pairOf(next, nextNo, i))) continue
    const a = end(next, next.a[i])
    const b = end(next, next.b[i])
    set.push({ id: tunnelId(a, b), a, b })
  }
  return { remove, set }
}

/** Above this many tunnels a lab state carries them packed (a 100-node mesh has 4,950). */
export const PACK_TUNNELS_ABOVE = 1000

/**
 * Tunnels in the form a state carries them: packed above PACK_TUNNELS_ABOVE, else as objects.
 * `packed` is given for a list that has a packed form already (the view's).
 */
export function tunnelForm(list: readonly LinkView[] | null, packed?: PackedTunnels): Pick<Topology, 'tunnels' | 'packedTunnels'> {
  const n = packed ? packed.a.length : (list?.length ?? 0)
  if (n > PACK_TUNNELS_ABOVE) {
    const p = packed ?? (list ? packTunnels(list) : null)
    if (p) return { packedTunnels: p }
  }
  return { tunnels: list ? [...list] : packed ? unpackTunnels(packed) : [] }
}

/**
 * A lab state as it crosses to the page, from either host (the browser build's Worker, the
 * desktop app's lab thread through the main process): its many namespaces as `packedNamespaces`.
 */
type Crossing = LabState & { topology: { packedNamespaces?: PackedNamespaces } }

/** The lab state a reply value carries: the value itself, or its `state` (an exercise opened). */
function stateIn(value: unknown): Crossing | undefined {
  if (value === null || typeof value !== 'object') return undefined
  if ('topology' in value) return value as Crossing
  const inner = (value as { state?: unknown }).state
  return inner !== null && typeof inner === 'object' && 'topology' in inner ? (inner as Crossing) : undefined
}

/**
 * A reply ready to cross a thread or process boundary: a lab state's packed tunnels go with
 * their buffers transferred (copies: the host keeps its own), many tunnels as objects are packed
 * (`topology.packedTunnels`, which the page keeps as they are), and many namespaces too
 * (`topology.packedNamespaces`). The reply given is not changed. unpackValue undoes the
 * namespaces' packing on the page.
 */
export function packReply(reply: ApiReply): { reply: ApiReply; transfer: ArrayBuffer[] } {
  const state = reply.ok ? stateIn(reply.value) : undefined
  const known = state?.topology.packedTunnels
  const list = state?.topology.tunnels
  const packed = known ? { netns: known.netns, device: known.device, a: known.a.slice(), b: known.b.slice() } : list && list.length > PACK_TUNNELS_ABOVE ? packTunnels(list) : null
  const spaces = state?.topology.namespaces
  const packedNs = spaces && spaces.length > PACK_NAMESPACES_ABOVE ? packNamespaces(spaces) : null
  if (!reply.ok || !state || (!packed && !packedNs)) return { reply, transfer: [] }
  const { tunnels: sentTunnels, packedTunnels: _known, namespaces: sentSpaces, ...rest } = state.topology
  const topology: Crossing['topology'] = { ...rest, namespaces: packedNs ? [] : sentSpaces }
  const transfer: ArrayBuffer[] = []
  if (packed) {
    topology.packedTunnels = packed
    transfer.push(packed.a.buffer as ArrayBuffer, packed.b.buffer as ArrayBuffer)
  } else if (sentTunnels !== undefined) topology.tunnels = sentTunnels
  if (packedNs) {
    topology.packedNamespaces = packedNs
    transfer.push(...namespaceBuffers(packedNs))
  }
  const crossing = { ...state, topology }
  const value = reply.value === state ? crossing : { ...(reply.value as object), state: crossing }
  return { reply: { ok: true, value }, transfer }
}

/** Whether a value from the host carries a lab state with its namespaces packed (to unpack on the page). */
export function isPacked(value: unknown): boolean {
  return stateIn(value)?.topology.packedNamespaces !== undefined
}

/** A value as it arrived from the host with its lab state's namespaces unpacked again (in place); packed tunnels stay packed. */
export function unpackValue<T>(value: T): T {
  const state = stateIn(value)
  const packedNs = state?.topology.packedNamespaces
  if (state && packedNs) {
    state.topology.namespaces = unpackNamespaces(packedNs)
    delete state.topology.packedNamespaces
  }
  return value
}
