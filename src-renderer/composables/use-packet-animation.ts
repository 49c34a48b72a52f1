import type { Core } from 'cytoscape'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import type { Waypoint } from '../canvas/graph.ts'
import { ROLE_COLORS } from '../canvas/style.ts'

/** How long the dot takes from one place to the next while playing. */
export const MS_PER_HOP = 220

interface Point {
  x: number
  y: number
}

/**
 * Draws the moving packet on a canvas laid over Cytoscape (never as graph elements): the path
 * walked so far as a faint trail and the packet as a dot coloured by what it is (request, ARP,
 * reply, tunnel, ICMP error). Follows pan and zoom; cleans up its frame loop and listeners.
 */
export function usePacketAnimation(overlay: Ref<HTMLCanvasElement | null>, getCy: () => Core | null, onStep: (step: number | null) => void) {
  let raf = 0
  let waypoints: Waypoint[] = []
  /** Playing: position along the path in hops (fractional); still: the waypoint index shown. */
  let playing = false
  let startedAt = 0
  let stillAt: number | null = null
  let lastStep: number | null = null
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
    if (waypoints.length === 0) return
    const pts = waypoints.map((wp) => pointOf(cy, wp.id))
    let at: number
    if (playing) {
      at = (now - startedAt) / MS_PER_HOP
      if (at >= waypoints.length - 1) {
        at = waypoints.length - 1
        playing = false
        stillAt = at
      }
    } else at = stillAt ?? -1
    if (at < 0) return
    const i = Math.floor(at)
    const frac = at - i
    // The trail: every hop up to here.
    ctx.lineWidth = 3
    ctx.lineCap = 'round'
    ctx.lineJoin = 'round'
    for (let k = 1; k <= Math.min(i + (frac > 0 ? 1 : 0), pts.length - 1); k++) {
      const a = pts[k - 1]
      const b = pts[k]
      if (!a || !b) continue
      const end = k === i + 1 ? { x: a.x + (b.x - a.x) * frac, y: a.y + (b.y - a.y) * frac } : b
      ctx.strokeStyle = hexAlpha(ROLE_COLORS[waypoints[k].role], 0.35)
      ctx.beginPath()
      ctx.moveTo(a.x, a.y)
      ctx.lineTo(end.x, end.y)
      ctx.stroke()
    }
    const a = pts[i]
    const b = pts[Math.min(i + 1, pts.length - 1)]
    if (a) {
      const p = b && frac > 0 ? { x: a.x + (b.x - a.x) * frac, y: a.y + (b.y - a.y) * frac } : a
      const wp = waypoints[frac > 0.5 ? Math.min(i + 1, waypoints.length - 1) : i]
      const color = wp.drop ? ROLE_COLORS.error : ROLE_COLORS[wp.role]
      ctx.fillStyle = hexAlpha(color, 0.25)
      ctx.beginPath()
      ctx.arc(p.x, p.y, 13, 0, Math.PI * 2)
      ctx.fill()
      ctx.fillStyle = color
      ctx.strokeStyle = '#ffffff'
      ctx.lineWidth = 2
      ctx.beginPath()
      ctx.arc(p.x, p.y, 7, 0, Math.PI * 2)
      ctx.fill()
      ctx.stroke()
      if (wp.step !== lastStep) {
        lastStep = wp.step
        onStep(wp.step)
      }
    }
    if (playing) schedule()
  }

  function play(wps: Waypoint[]): void {
    waypoints = wps
    playing = wps.length > 1
    startedAt = performance.now()
    stillAt = wps.length === 1 ? 0 : null
    lastStep = null
    schedule()
  }

  /** Shows the packet where step `step` happens, with the trail up to there. */
  function showStep(wps: Waypoint[], step: number): void {
    waypoints = wps
    playing = false
    let last = -1
    wps.forEach((w, k) => {
      if (w.step <= step) last = k
    })
    stillAt = last
    lastStep = step
    schedule()
  }

  function clear(): void {
    waypoints = []
    playing = false
    stillAt = null
    lastStep = null
    onStep(null)
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

  return { play, showStep, clear, redraw: schedule }
}

function hexAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16)
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`
}
