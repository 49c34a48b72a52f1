import type { ApiReply, LabState, LinkView } from './api.ts'
import { namespaceBuffers, packNamespaces, PACK_NAMESPACES_ABOVE, unpackNamespaces, type PackedNamespaces } from './netns-pack.ts'

/**
 * VXLAN tunnels packed to cross a thread or process boundary. A flannel cluster of n nodes has
 * n(n-1)/2 of them (half a million for 1,000 nodes): as objects they were three quarters of the
 * whole state's copy (63 of 84 MiB, seconds to copy and read back). Packed, each tunnel is two
 * indexes into the list of tunnel ends, in two typed arrays that cross without a copy (transfer).
 * The ids are not carried: each is the canonical `vxlan:END|END` (ends as `netns/device`, the
 * smaller first), which packTunnels checks.
 */
export interface PackedTunnels {
  /** Each tunnel end: its namespace and device. */
  netns: string[]
  device: string[]
  /** The ends of tunnel i: ends a[i] and b[i], in the order of the list's `a` and `b`. */
  a: Uint32Array
  b: Uint32Array
}

const endName = (netns: string, device: string): string => `${netns}/${device}`

/** The id the state gives a tunnel between two ends. */
export function tunnelId(a: { netns: string; device: string }, b: { netns: string; device: string }): string {
  const x = endName(a.netns, a.device)
  const y = endName(b.netns, b.device)
  return x < y ? `vxlan:${x}|${y}` : `vxlan:${y}|${x}`
}

/** Lists made from a packed form (a view's tunnels): packing them again gives that form back. */
const packedOf = new WeakMap<readonly LinkView[], PackedTunnels>()

/** Notes that `list` is `p` unpacked (and will not be changed), so packTunnels need not work it out again. */
export function rememberPacked(list: readonly LinkView[], p: PackedTunnels): void {
  packedOf.set(list, p)
}

/**
 * The tunnels packed, or null when one has an id packing would not give back (then they go as they
 * are). A list made by unpacking gives its packed form back (a copy: the buffers are transferred).
 */
export function packTunnels(list: readonly LinkView[]): PackedTunnels | null {
  const known = packedOf.get(list)
  if (known) return { netns: known.netns, device: known.device, a: known.a.slice(), b: known.b.slice() }
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

/** The tunnels again, in their order; the ends are shared objects (nothing changes them). */
export function unpackTunnels(p: PackedTunnels): LinkView[] {
  const ends = p.netns.map((netns, i) => ({ netns, device: p.device[i] }))
  const names = ends.map((e) => endName(e.netns, e.device))
  // Each end's place in name order, so choosing which end comes first compares two numbers.
  const rank = new Uint32Array(names.length)
  names
    .map((n, i) => [n, i] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
    .forEach(([, i], r) => (rank[i] = r))
  const prefixed = names.map((n) => `vxlan:${n}|`)
  const out: LinkView[] = new Array(p.a.length)
  for (let i = 0; i < p.a.length; i++) {
    const a = p.a[i]
    const b = p.b[i]
    out[i] = { id: rank[a] < rank[b] ? prefixed[a] + names[b] : prefixed[b] + names[a], a: ends[a], b: ends[b] }
  }
  return out
}

/** Above this many tunnels a lab state's tunnels cross packed (a 100-node mesh has 4,950). */
export const PACK_TUNNELS_ABOVE = 1000

/**
 * A lab state as it crosses to the page, from either host (the browser build's Worker, the
 * desktop app's lab thread through the main process): its many tunnels as `packedTunnels`.
 */
type Crossing = LabState & { topology: { packedTunnels?: PackedTunnels; packedNamespaces?: PackedNamespaces } }

/** The lab state a reply value carries: the value itself, or its `state` (an exercise opened). */
function stateIn(value: unknown): Crossing | undefined {
  if (value === null || typeof value !== 'object') return undefined
  if ('topology' in value) return value as Crossing
  const inner = (value as { state?: unknown }).state
  return inner !== null && typeof inner === 'object' && 'topology' in inner ? (inner as Crossing) : undefined
}

/**
 * A reply ready to cross a thread or process boundary: a lab state with many VXLAN tunnels has
 * them packed (`topology.packedTunnels`), with the buffers to transfer without a copy. The reply
 * given is not changed (the host keeps its own state). unpackValue undoes it on the page.
 */
export function packReply(reply: ApiReply): { reply: ApiReply; transfer: ArrayBuffer[] } {
  const state = reply.ok ? stateIn(reply.value) : undefined
  const list = state?.topology.tunnels
  const packed = list && list.length > PACK_TUNNELS_ABOVE ? packTunnels(list) : null
  const spaces = state?.topology.namespaces
  const packedNs = spaces && spaces.length > PACK_NAMESPACES_ABOVE ? packNamespaces(spaces) : null
  if (!reply.ok || !state || (!packed && !packedNs)) return { reply, transfer: [] }
  const { tunnels: sentTunnels, namespaces: sentSpaces, ...rest } = state.topology
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

/** Whether a value from the host carries a lab state with its tunnels or namespaces packed. */
export function isPacked(value: unknown): boolean {
  const t = stateIn(value)?.topology
  return t !== undefined && (t.packedTunnels !== undefined || t.packedNamespaces !== undefined)
}

/** A value as it arrived from the host with its lab state's tunnels unpacked again (in place). */
export function unpackValue<T>(value: T): T {
  const state = stateIn(value)
  const packed = state?.topology.packedTunnels
  if (state && packed) {
    state.topology.tunnels = unpackTunnels(packed)
    delete state.topology.packedTunnels
  }
  const packedNs = state?.topology.packedNamespaces
  if (state && packedNs) {
    state.topology.namespaces = unpackNamespaces(packedNs)
    delete state.topology.packedNamespaces
  }
  return value
}
