import type { LinkView } from './api.ts'

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

/** The tunnels again, in their order; the ends are shared objects (nothing changes them). */
export function unpackTunnels(p: PackedTunnels): LinkView[] {
  const ends = p.netns.map((netns, i) => ({ netns, device: p.device[i] }))
  const names = ends.map((e) => endName(e.netns, e.device))
  const out: LinkView[] = new Array(p.a.length)
  for (let i = 0; i < p.a.length; i++) {
    const a = p.a[i]
    const b = p.b[i]
    out[i] = { id: names[a] < names[b] ? `vxlan:${names[a]}|${names[b]}` : `vxlan:${names[b]}|${names[a]}`, a: ends[a], b: ends[b] }
  }
  return out
}
