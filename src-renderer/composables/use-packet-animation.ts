import type { Core, EdgeSingular } from 'cytoscape'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import type { Hop, Trail, Waypoint } from '../canvas/trail.ts'
import { FLOOD_ALPHA, ROLE_COLORS, TRAIL_ALPHA, withAlpha } from '../canvas/theme.ts'

/** How long the dot takes from one place to the next when it moves to another step. */
export const MS_PER_HOP = 220

interface Point {
  x: number
  y: number
}

const EMPTY: Trail = { waypoints: [], hops: [] }

/**
 * Draws the packet on a canvas laid over Cytoscape (never as graph elements): the path walked so
 * far as a trail along the links it took, flooded copies fainter and dashed, and the packet as a
 * dot coloured by what it is (request, ARP, reply, tunnel, ICMP error), moving along the links
 * when the player steps forward. Follows pan and zoom; cleans up its frame loop and listeners.
 */
export function usePacketAnimation(overlay: Ref<HTMLCanvasElement | null>, getCy: () => Core | null) {
  let raf = 0
  let trail: Trail = EMPTY
  /** Moving: from waypoint `from` to `to` (indices), started at `startedAt`, over `duration` ms. */
  let playing = false
  let move = { from: 0, to: 0, duration: 0 }
  let startedAt = 0
  /** Still: the waypoint index shown (null: nothing). */
  let stillAt: number | null = null
  let boundCy: Core | null = null
  let resize: ResizeObserver | null = null
  const redraw = (): void => {
    if (!playing) schedule()
  }

  function bindViewport(): void {
    const cy = getCy()
    if (cy === boundCy) return
    boundCy?.off('viewport', redraw)
    boundCy = cy
    boundCy?.on('viewport', redraw)
  }

  function schedule(): void {
    if (!raf) raf = requestAnimationFrame(frame)
  }

  function pointOf(cy: Core, id: string): Point | null {
    const el = cy.getElementById(id)
    if (el.empty()) return null
    const p = el.renderedPosition()
    return { x: p.x, y: p.y }
  }

  /** The drawn shape of the edge from a to b (bends and curves included), from a's centre to b's. */
  function edgeShape(cy: Core, a: string, b: string, pa: Point, pb: Point): Point[] {
    const edge = cy.getElementById(a).edgesWith(cy.getElementById(b)).first() as EdgeSingular
    if (edge.empty()) return [pa, pb]
    let mid: Point[] = []
    if (edge.hasClass('lane') || edge.hasClass('bus')) mid = bends(() => edge.renderedSegmentPoints())
    else if (edge.hasClass('tunnel')) {
      const ctrl = bends(() => edge.renderedControlPoints())
      if (ctrl.length === 1) mid = quadratic(edge.renderedSourceEndpoint(), ctrl[0], edge.renderedTargetEndpoint())
    }
    if (edge.source().id() !== a) mid = [...mid].reverse()
    return [pa, ...mid, pb]
  }

  /** The polyline of a hop along links, or null when it does not move along links. */
  function hopLine(cy: Core, hop: Hop): Point[] | null {
    if (hop.kind !== 'link' && hop.kind !== 'inside') return null
    const ends = hop.path.map((id) => pointOf(cy, id))
    if (ends.some((p) => p === null)) return null
    if (hop.kind === 'inside') return ends as Point[]
    const line: Point[] = [ends[0]!]
    for (let k = 1; k < ends.length; k++) line.push(...edgeShape(cy, hop.path[k - 1], hop.path[k], ends[k - 1]!, ends[k]!).slice(1))
    return line
  }

  function strokeTrail(ctx: CanvasRenderingContext2D, line: Point[], wp: Waypoint): void {
    if (wp.flood) {
      ctx.lineWidth = 2.5
      ctx.setLineDash([3, 5])
      ctx.strokeStyle = withAlpha(ROLE_COLORS[wp.role], FLOOD_ALPHA)
    } else {
      ctx.lineWidth = 4
      ctx.setLineDash([])
      ctx.strokeStyle = withAlpha(ROLE_COLORS[wp.role], TRAIL_ALPHA)
    }
    ctx.beginPath()
    ctx.moveTo(line[0].x, line[0].y)
    for (const p of line.slice(1)) ctx.lineTo(p.x, p.y)
    ctx.stroke()
  }

  function frame(now: number): void {
    raf = 0
    const canvas = overlay.value
    const cy = getCy()
    if (!canvas || !cy) return
    bindViewport()
    const dpr = window.devicePixelRatio || 1
    const w = canvas.clientWidth
    const h = canvas.clientHeight
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr)
      canvas.height = Math.round(h * dpr)
    }
    const ctx = canvas.getContext('2d')
    if (!ctx) return
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0)
    ctx.clearRect(0, 0, w, h)
    const { waypoints, hops } = trail
    if (waypoints.length === 0) return
    let at: number
    if (playing) {
      // A frame's timestamp can be a little older than the call that started the move.
      const done = move.duration <= 0 ? 1 : Math.min(1, Math.max(0, (now - startedAt) / move.duration))
      at = move.from + (move.to - move.from) * done
      if (done >= 1) {
        playing = false
        stillAt = move.to
      }
    } else at = stillAt ?? -1
    if (at < 0) return
    const i = Math.floor(at)
    const frac = at - i
    // The trail: every hop along links up to here, each drawn once.
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    const drawn = new Set<string>()
    let moving: Point[] | null = null
    for (let k = 1; k <= Math.min(i + (frac > 0 ? 1 : 0), waypoints.length - 1); k++) {
      const line = hopLine(cy, hops[k])
      if (k === i + 1) moving = line
      if (!line || hops[k].kind !== 'link') continue
      const partial = k === i + 1
      const key = `${hops[k].path.join('>')}|${waypoints[k].role}|${waypoints[k].flood}`
      if (!partial && drawn.has(key)) continue
      drawn.add(key)
      strokeTrail(ctx, partial ? cut(line, frac) : line, waypoints[k])
    }
    ctx.setLineDash([])
    // The dot: on its way along the current hop, or where the step shown happens.
    const next = Math.min(i + 1, waypoints.length - 1)
    const jumping = frac > 0 && hops[next]?.kind === 'jump'
    const wp = waypoints[frac > 0.5 || jumping ? next : i]
    const p = frac > 0 && moving ? pointAlong(moving, frac) : pointOf(cy, wp.id)
    // In a VXLAN tunnel: the inner packet rides the tunnel from VTEP to VTEP while the outer one crosses the underlay.
    const tun = waypoints[i].tunnel ?? (frac > 0 ? waypoints[next].tunnel : undefined)
    if (tun) drawTunnel(ctx, cy, tun, waypoints[i].tunnel && waypoints[next].tunnel ? waypoints[i].tunnel!.frac + (waypoints[next].tunnel!.frac - waypoints[i].tunnel!.frac) * frac : tun.frac)
    if (p && wp.tunnel && !wp.drop) {
      drawEncapsulated(ctx, p, ROLE_COLORS[wp.tunnel.inner])
    } else if (p) {
      const color = wp.drop ? ROLE_COLORS.error : ROLE_COLORS[wp.role]
      ctx.fillStyle = withAlpha(color, wp.flood ? 0.12 : 0.25)
      ctx.beginPath()
      ctx.arc(p.x, p.y, wp.flood ? 10 : 13, 0, Math.PI * 2)
      ctx.fill()
      // A flooded copy is a hollow dot: the same frame, not the packet's own way.
      ctx.fillStyle = wp.flood ? '#ffffff' : color
      ctx.strokeStyle = wp.flood ? color : '#ffffff'
      ctx.lineWidth = 2
      ctx.beginPath()
      ctx.arc(p.x, p.y, wp.flood ? 6 : 7, 0, Math.PI * 2)
      ctx.fill()
      ctx.stroke()
    }
    if (playing) schedule()
  }

  /** The tunnel lit from its start to `frac` of the way, with the inner packet where it has got to. */
  function drawTunnel(ctx: CanvasRenderingContext2D, cy: Core, tun: NonNullable<Waypoint['tunnel']>, frac: number): void {
    const pa = pointOf(cy, tun.a)
    const pb = pointOf(cy, tun.b)
    if (!pa || !pb) return
    const line = edgeShape(cy, tun.a, tun.b, pa, pb)
    ctx.save()
    ctx.lineCap = 'round'
    ctx.lineWidth = 6
    ctx.setLineDash([10, 6])
    ctx.strokeStyle = withAlpha(ROLE_COLORS.tunnel, 0.25)
    ctx.beginPath()
    ctx.moveTo(line[0].x, line[0].y)
    for (const q of line.slice(1)) ctx.lineTo(q.x, q.y)
    ctx.stroke()
    const done = cut(line, Math.max(0, Math.min(1, frac)))
    ctx.strokeStyle = withAlpha(ROLE_COLORS.tunnel, 0.85)
    ctx.lineWidth = 4
    ctx.beginPath()
    ctx.moveTo(done[0].x, done[0].y)
    for (const q of done.slice(1)) ctx.lineTo(q.x, q.y)
    ctx.stroke()
    ctx.setLineDash([])
    const at = done[done.length - 1]
    ctx.fillStyle = ROLE_COLORS[tun.inner]
    ctx.strokeStyle = '#ffffff'
    ctx.lineWidth = 2
    ctx.beginPath()
    ctx.arc(at.x, at.y, 6, 0, Math.PI * 2)
    ctx.fill()
    ctx.stroke()
    ctx.restore()
  }

  /** The outer packet of a tunnel: a box in the tunnel's colour with the inner packet inside it. */
  function drawEncapsulated(ctx: CanvasRenderingContext2D, p: Point, inner: string): void {
    ctx.save()
    ctx.fillStyle = withAlpha(ROLE_COLORS.tunnel, 0.25)
    ctx.beginPath()
    ctx.arc(p.x, p.y, 16, 0, Math.PI * 2)
    ctx.fill()
    ctx.fillStyle = '#ffffff'
    ctx.strokeStyle = ROLE_COLORS.tunnel
    ctx.lineWidth = 3
    ctx.beginPath()
    ctx.roundRect(p.x - 11, p.y - 9, 22, 18, 4)
    ctx.fill()
    ctx.stroke()
    ctx.fillStyle = inner
    ctx.beginPath()
    ctx.arc(p.x, p.y, 5, 0, Math.PI * 2)
    ctx.fill()
    ctx.restore()
  }

  /**
   * Shows the packet where step `step` happens, with the trail up to there. With `maxMs`, a step
   * forward (a few hops at most) is animated along the links from where the dot was, in at most
   * that long; going back, or far, it is just drawn there.
   */
  function showStep(t: Trail, step: number, maxMs = 0): void {
    const same = t === trail
    let target = -1
    t.waypoints.forEach((w, k) => {
      if (w.step <= step) target = k
    })
    const from = same ? (playing ? move.to : stillAt) : null
    trail = t
    const hops = from === null ? 0 : target - from
    if (maxMs > 0 && from !== null && hops > 0 && hops <= 6) {
      move = { from, to: target, duration: Math.min(maxMs, hops * MS_PER_HOP) }
      startedAt = performance.now()
      playing = true
    } else {
      playing = false
      stillAt = target
    }
    schedule()
  }

  function clear(): void {
    trail = EMPTY
    playing = false
    stillAt = null
    schedule()
  }

  onMounted(() => {
    if (overlay.value && typeof ResizeObserver !== 'undefined') {
      resize = new ResizeObserver(() => schedule())
      resize.observe(overlay.value)
    }
  })

  onBeforeUnmount(() => {
    if (raf) cancelAnimationFrame(raf)
    raf = 0
    resize?.disconnect()
    resize = null
    boundCy?.off('viewport', redraw)
    boundCy = null
  })

  return { showStep, clear, redraw: schedule }
}

/** Bend or control points of an edge; Cytoscape throws when the edge is not drawn with them. */
function bends(get: () => Point[] | undefined): Point[] {
  try {
    return get() ?? []
  } catch {
    return []
  }
}

/** The first `frac` of a polyline, by length. */
function cut(line: Point[], frac: number): Point[] {
  const out: Point[] = [line[0]]
  let left = length(line) * frac
  for (let k = 1; k < line.length; k++) {
    const d = Math.hypot(line[k].x - line[k - 1].x, line[k].y - line[k - 1].y)
    if (d >= left) {
      const t = d === 0 ? 0 : left / d
      out.push({ x: line[k - 1].x + (line[k].x - line[k - 1].x) * t, y: line[k - 1].y + (line[k].y - line[k - 1].y) * t })
      return out
    }
    out.push(line[k])
    left -= d
  }
  return out
}

function pointAlong(line: Point[], frac: number): Point {
  const part = cut(line, frac)
  return part[part.length - 1]
}

function length(line: Point[]): number {
  let sum = 0
  for (let k = 1; k < line.length; k++) sum += Math.hypot(line[k].x - line[k - 1].x, line[k].y - line[k - 1].y)
  return sum
}

/** Points on a quadratic Bézier curve (a tunnel arc), end points excluded. */
function quadratic(a: Point, c: Point, b: Point): Point[] {
  const out: Point[] = []
  for (let k = 1; k < 12; k++) {
    const t = k / 12
    const u = 1 - t
    out.push({ x: u * u * a.x + 2 * u * t * c.x + t * t * b.x, y: u * u * a.y + 2 * u * t * c.y + t * t * b.y })
  }
  return out
}
