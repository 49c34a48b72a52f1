import type { Point } from '../../shared/api.ts'

/**
 * Where the devices of a switch or router the learner placed by hand go, so its wires do not
 * cross its bridge, its ports or its name, and adding a wire does not move what is drawn.
 *
 * The rule: every port sits on the side of its box that faces the far end of its wire.
 * - A switch keeps its bridge where it was put (its corner is the bridge's top-left). A port
 *   toward a node goes straight above or below that node's uplink, in the row under the bridge
 *   (or over it, for a node put higher than the bridge), so its wire is vertical and the ports
 *   hang off one bus. A port toward another switch or a router goes beside the bridge, in its
 *   row, on the side of the far end (left or right), so its wire leaves upward or sideways,
 *   clear of the bus below.
 * - A router keeps its corner (the top-left of its first port): its ports in one row, in the
 *   order of their far ends from left to right, so its wires do not cross one another.
 * Pure: positions in, positions out.
 */

/** One device of the box: whether it is a core device (a bridge, or wired to nothing), and the far end of its wire. */
export interface PortEnd {
  id: string
  /** Half its drawn size. */
  half: { w: number; h: number }
  /** A bridge (or a device wired to nothing): in the middle row. */
  core?: boolean
  /** Where the far end of its wire is drawn, when known. */
  far?: Point
  /** The far end is in another switch or router (not a node). */
  infra?: boolean
}

/** From one port to the next in a row; room for a port's name beside it. */
export const PORT_STEP = 122
/** From the bridge's row to the row of ports toward nodes (below, or above). */
export const PORT_ROW = 60
/** Ports toward nodes closer than this are set apart (two nodes one above the other): a port's name fits between. */
const MIN_APART = 84

/** Where each device goes (its middle), by id. `corner`: the box's place (LabLayout position). */
export function placePorts(role: 'switch' | 'router', corner: Point, devs: readonly PortEnd[]): Map<string, Point> {
  return role === 'router' ? routerPorts(corner, devs) : switchPorts(corner, devs)
}

const byFarX = (a: PortEnd, b: PortEnd): number => (a.far?.x ?? Infinity) - (b.far?.x ?? Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

function routerPorts(corner: Point, devs: readonly PortEnd[]): Map<string, Point> {
  const out = new Map<string, Point>()
  const first = devs[0]?.half ?? { w: 0, h: 0 }
  const row = [...devs.filter((d) => d.far).sort(byFarX), ...devs.filter((d) => !d.far)]
  row.forEach((d, i) => out.set(d.id, { x: corner.x + first.w + i * PORT_STEP, y: corner.y + first.h }))
  return out
}

function switchPorts(corner: Point, devs: readonly PortEnd[]): Map<string, Point> {
  const out = new Map<string, Point>()
  const core = devs.filter((d) => d.core)
  const first = (core[0] ?? devs[0])?.half ?? { w: 0, h: 0 }
  const y = corner.y + first.h
  const x0 = corner.x + first.w
  core.forEach((d, i) => out.set(d.id, { x: x0 + i * PORT_STEP, y }))
  // Ports toward other boxes go beside the bridge (so they move with the box when it is pushed).
  const lo = x0
  const hi = x0 + Math.max(0, core.length - 1) * PORT_STEP
  // Toward nodes: straight over or under their uplinks, set apart where two would meet.
  const toNodes = devs.filter((d) => !d.core && d.far && !d.infra).sort(byFarX)
  for (const above of [false, true]) {
    let last = -Infinity
    for (const d of toNodes) {
      if (d.far!.y < y !== above) continue
      const x = Math.max(d.far!.x, last + MIN_APART)
      out.set(d.id, { x, y: above ? y - PORT_ROW : y + PORT_ROW })
      last = x
    }
  }
  // Toward other underlay boxes (or an end not drawn yet): beside the bridge, on the far end's side.
  const aside = devs.filter((d) => !d.core && !(d.far && !d.infra))
  const left = aside.filter((d) => d.far && d.far.x < x0).sort((a, b) => byFarX(b, a))
  const right = aside.filter((d) => !left.includes(d)).sort(byFarX)
  left.forEach((d, i) => out.set(d.id, { x: lo - (i + 1) * PORT_STEP, y }))
  right.forEach((d, i) => out.set(d.id, { x: hi + (i + 1) * PORT_STEP, y }))
  return out
}
