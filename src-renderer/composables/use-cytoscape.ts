import cytoscape, { type Core, type EventObject, type NodeSingular } from 'cytoscape'
import { onBeforeUnmount, onMounted, type Ref } from 'vue'
import { locate, nodeBoxAt, nsId, type CanvasModel } from '../canvas/graph.ts'
import { followPan } from '../canvas/follow.ts'
import { DETAIL_ZOOM, detailAt, sceneFor, type View } from '../canvas/scene.ts'
import { stylesheet } from '../canvas/style.ts'
import { styleTriggersOnce } from '../canvas/style-triggers.ts'
import { warmNextFrame, warmTextures } from '../canvas/texture-warm.ts'
import type { ThemeName } from '../canvas/theme.ts'
import { applyGraph, applyHighlight, applySelection, restorePosition, setMovable, viewportFor } from '../canvas/sync.ts'
import { now, span, timed } from '../lib/timing.ts'

const MIN_ZOOM = 0.005
const MAX_ZOOM = 3
/** Fitting never zooms in further than this: a small lab is not blown up to fill the canvas. */
const FIT_MAX_ZOOM = 1.4
const FIT_PADDING = 16
/** Revealing something zooms in at least this far, so it is drawn in full and its name reads. */
const REVEAL_ZOOM = 0.7
/** The view has to rest this long before the level of detail follows it (no work mid-gesture). */
const SETTLE_MS = 140
/** How long a refused move takes to slide back. */
const PUT_BACK_MS = 320
/**
 * Above this many drawn elements a pan or zoom moves a snapshot of the view (Cytoscape's
 * `textureOnViewport`) instead of drawing every element each frame: taking the snapshot is one
 * full drawing in the gesture's first frame, which pays only when every frame would cost as much
 * (a 1,000-node lab far out draws some 3,000; a 100-node lab about 400, docs/performance.md).
 */
export const TEXTURE_ABOVE = 1500

/** The link an edge stands for (veth pairs and wires of the underlay: `veth:ID`), or null. */
const linkOf = (edgeId: string): string | null => (edgeId.startsWith('veth:') ? edgeId.slice(5) : null)

/** Slides a node back to where the layout has it. */
function putBack(node: NodeSingular): void {
  node.animate({ position: { x: Number(node.data('lx')), y: Number(node.data('ly')) } }, { duration: PUT_BACK_MS, easing: 'ease-out-cubic' })
}

export interface CanvasOptions {
  /** The theme the canvas starts in (setTheme changes it). */
  theme?: ThemeName
}

/** What a click or a box on the canvas picks: a namespace, or a link by the topology's id. */
export type CanvasPick = { ns: string } | { link: string }

export interface CanvasHandlers {
  /** A namespace was clicked (null: the background); `additive`: with Shift, Ctrl or Cmd held. */
  onSelect(ns: string | null, additive?: boolean): void
  /** A link (a veth pair, a wire of the underlay) was clicked. */
  onSelectLink?(link: string, additive: boolean): void
  /** A box was drawn with a modifier held on the background: what it holds. */
  onBoxSelect?(picks: CanvasPick[], additive: boolean): void
  /** A pod dragged onto no other node was put back, at this point of the canvas in pixels. */
  onPodBack?(pod: string, at: { x: number; y: number }): void
  /** A pod was dropped on another node's box. */
  onMovePod(pod: string, node: string): void
  /** Several selected pods were dropped on another node's box together. */
  onMovePods?(pods: string[], node: string): void
  /** Boxes or pods were dragged within the drawing (one gesture): by how much, in model units. */
  onMoved?(moves: { ns: string; by: { x: number; y: number } }[]): void
  /** A right click on a namespace, a device (`dev`) or a link (null: elsewhere), at this point of the canvas in pixels. */
  onContext?(target: { ns: string; dev?: string } | { link: string } | null, at: { x: number; y: number }): void
}

/**
 * Owns the Cytoscape instance of one canvas. The instance lives in this closure only, never in
 * reactive state (it is cyclic and huge); the component drives it through the returned functions,
 * and gestures come back as handler calls that become store actions. It keeps the level of
 * detail in step with the view: when a pan or zoom comes to rest, the boxes in view open.
 */
export function useCytoscape(container: Ref<HTMLElement | null>, handlers: CanvasHandlers, options: CanvasOptions = {}) {
  let cy: Core | null = null
  let model: CanvasModel | null = null
  let pinned: ReadonlySet<string> = new Set()
  let detail = false
  /** Which boxes are open and which ports are drawn, as last applied (to skip work that changes nothing). */
  let shownKey = ''
  let selected: readonly string[] = []
  let highlighted: { id: string | null; drop: boolean } = { id: null, drop: false }
  let fitPending = true
  /** The view is as the last fit left it: a resize of the canvas, or a bigger lab, fits again. */
  let fitted = false
  let fitting = false
  let settle: ReturnType<typeof setTimeout> | undefined
  let resize: ResizeObserver | null = null
  const drawnWaiters: (() => void)[] = []

  const onPress = (e: MouseEvent): void => {
    if (!cy) return
    if (e.altKey) setMovable(cy, true)
    // Shift, Ctrl or Cmd draws a selection box; Alt moves what the drag starts on (Cytoscape would box with any of them).
    cy.boxSelectionEnabled(!e.altKey && (e.shiftKey || e.ctrlKey || e.metaKey))
  }
  const onUp = (): void => {
    if (cy) setMovable(cy, false)
    // Every element of the gesture has been let go by now.
    setTimeout(endGesture, 0)
  }

  /** The elements grabbed in the gesture under way, with where each one started. */
  const gesture = new Map<string, { x: number; y: number }>()
  let moves: { ns: string; by: { x: number; y: number } }[] = []

  /** An element let go: a pod onto another node moves there; anything else moved keeps its place. */
  function dropped(n: NodeSingular): void {
    const start = gesture.get(n.id())
    // Contents dragged with their box move with it, not on their own.
    if (!start || n.ancestors().some((a) => gesture.has((a as NodeSingular).id())) || n.hasClass('anchor')) return
    const p = n.position()
    const by = { x: p.x - start.x, y: p.y - start.y }
    if (Math.abs(by.x) < 0.5 && Math.abs(by.y) < 0.5) return
    const ns = String(n.data('ns'))
    if (n.hasClass('pod') && n.parent().nonempty()) {
      const own = String(n.parent().first().data('ns'))
      const target = model ? nodeBoxAt(model, p) : null
      // Onto another node (it moves there) or out of every node (it goes back): settlePods.
      if (target !== own) return void leaving.push(n)
    }
    moves.push({ ns, by })
  }

  /** Pods let go outside their own node in this gesture. */
  let leaving: NodeSingular[] = []

  function endGesture(): void {
    gesture.clear()
    if (leaving.length) settlePods(leaving.splice(0))
    leaving = []
    const done = moves
    moves = []
    if (done.length && handlers.onMoved) handlers.onMoved(done)
    else for (const m of done) if (cy) restorePosition(cy.getElementById(nsId(m.ns)) as NodeSingular)
  }

  onMounted(() => {
    if (!container.value) return
    cy = cytoscape({
      container: container.value,
      style: stylesheet(options.theme ?? 'light'),
      elements: [],
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      // A box drawn on the background with Shift (or Ctrl, Cmd) held selects what it holds
      // (enabled per press: onPress); the selection is the app's (the .sel class).
      boxSelectionEnabled: false,
      selectionType: 'single',
      hideEdgesOnViewport: true,
      // No snapshot of the whole canvas when a pan or zoom starts: taking it is a full drawing in
      // one frame (100-300 ms for a 100-node lab without a GPU), while drawing the cached
      // elements each frame takes 5-25 ms (docs/performance.md). Only a drawing of more than
      // TEXTURE_ABOVE elements uses one (refresh).
      textureOnViewport: false,
      motionBlur: false,
      pixelRatio: 'auto',
    })
    // Styling a box clears its relatives' style caches once, not once per property (canvas/style-triggers.ts).
    styleTriggersOnce(cy)
    warmTextures(cy)
    cy.on('viewport', () => {
      if (!fitting) fitted = false
      clearTimeout(settle)
      settle = setTimeout(() => refresh(false), SETTLE_MS)
    })
    cy.on('render', () => {
      if (drawFrom !== null) span('page:draw', drawFrom)
      drawFrom = null
      // A frame drawn before the pending work says nothing about it.
      if (flushTimer === undefined) for (const done of drawnWaiters.splice(0)) done()
    })
    const additive = (e: EventObject): boolean => {
      const m = e.originalEvent as MouseEvent | undefined
      return !!m && (m.shiftKey || m.ctrlKey || m.metaKey)
    }
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) handlers.onSelect(null, additive(e))
    })
    cy.on('tap', 'node', (e: EventObject) => {
      const n = e.target as NodeSingular
      if (!n.hasClass('anchor')) handlers.onSelect(String(n.data('ns')), additive(e))
    })
    cy.on('tap', 'edge', (e: EventObject) => {
      const link = linkOf(e.target.id())
      if (link) handlers.onSelectLink?.(link, additive(e))
    })
    cy.on('cxttap', (e: EventObject) => {
      const at = { x: e.renderedPosition.x, y: e.renderedPosition.y }
      if (e.target === cy) return handlers.onContext?.(null, at)
      if (e.target.isEdge()) {
        const link = linkOf(e.target.id())
        return handlers.onContext?.(link ? { link } : null, at)
      }
      const n = e.target as NodeSingular
      const dev = String(n.data('dev') ?? '')
      handlers.onContext?.(n.hasClass('anchor') ? null : { ns: String(n.data('ns')), ...(dev && n.hasClass('iface') ? { dev } : {}) }, at)
    })
    // A box: what it holds, once it is let go. Cytoscape reports the end, then each element in
    // the box; the app's selection (the .sel class) is the one drawn, so Cytoscape's own is cleared.
    // A box is drawn with a modifier held, so it adds to the selection.
    let boxed: CanvasPick[] | null = null
    cy.on('boxend', () => {
      boxed = []
      setTimeout(() => {
        const picks = boxed ?? []
        boxed = null
        cy?.elements(':selected').unselect()
        if (picks.length) handlers.onBoxSelect?.(picks, true)
      }, 0)
    })
    cy.on('box', 'node, edge', (e: EventObject) => {
      const el = e.target
      if (!boxed) return
      if (el.isEdge()) {
        const link = linkOf(el.id())
        if (link) boxed.push({ link })
      } else if (String(el.id()).startsWith('ns:')) boxed.push({ ns: String(el.data('ns')) })
    })
    // A drag: where each element grabbed started, and what it moved once let go (one gesture,
    // reported together, so moving several things is one step).
    cy.on('grab', 'node', (e: EventObject) => {
      const n = e.target as NodeSingular
      gesture.set(n.id(), { ...n.position() })
    })
    cy.on('dragfree', 'node', (e: EventObject) => dropped(e.target as NodeSingular))
    // A drag with Alt held moves whatever it starts on, selected or not; one with Shift, Ctrl or
    // Cmd on the background draws a selection box (capture: before Cytoscape sees the press).
    container.value.addEventListener('mousedown', onPress, true)
    window.addEventListener('mouseup', onUp)
    if (typeof ResizeObserver !== 'undefined') {
      resize = new ResizeObserver(() => {
        if (!cy) return
        cy.resize()
        if (fitted) fit()
        else refresh(false)
      })
      resize.observe(container.value)
    }
  })

  onBeforeUnmount(() => {
    clearTimeout(settle)
    clearTimeout(flushTimer)
    flushTimer = undefined
    resize?.disconnect()
    resize = null
    container.value?.removeEventListener('mousedown', onPress, true)
    window.removeEventListener('mouseup', onUp)
    drawnWaiters.length = 0
    cy?.destroy()
    cy = null
  })

  /**
   * Pods let go together go, in one change, to the node most of them were dropped on; the rest
   * (and all of them when none is on another node) slide back, and one dropped outside any node
   * says why where it was let go.
   */
  function settlePods(pods: NodeSingular[]): void {
    if (!model) return
    const ownOf = (pod: NodeSingular): string | null => (pod.parent().nonempty() ? String(pod.parent().first().data('ns')) : null)
    const votes = new Map<string, number>()
    const targets = pods.map((pod) => {
      const t = nodeBoxAt(model!, pod.position())
      if (t && t !== ownOf(pod)) votes.set(t, (votes.get(t) ?? 0) + 1)
      return t
    })
    const node = [...votes].sort((a, b) => b[1] - a[1])[0]?.[0]
    const going = node ? pods.filter((pod) => ownOf(pod) !== node) : []
    pods.forEach((pod, i) => {
      if (going.includes(pod)) return
      // Put back where it was, visibly (not in one jump).
      const where = pod.renderedPosition()
      const moved = Math.hypot(pod.position().x - Number(pod.data('lx')), pod.position().y - Number(pod.data('ly'))) > 4
      putBack(pod)
      if (moved && !targets[i] && !node) handlers.onPodBack?.(String(pod.data('ns')), { x: where.x, y: where.y })
    })
    if (!node || going.length === 0) return
    // In name order (pod2 before pod10), whichever order Cytoscape freed them in.
    const names = going.map((pod) => String(pod.data('ns'))).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    if (names.length === 1) handlers.onMovePod(names[0], node)
    else handlers.onMovePods?.(names, node)
  }

  function currentView(): View | null {
    if (!cy || cy.width() === 0 || cy.height() === 0) return null
    const zoom = cy.zoom()
    detail = detailAt(zoom, detail)
    const e = cy.extent()
    return { zoom, detail, extent: { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2 } }
  }

  /**
   * Draws the model for the current view. Unless `force`, does nothing when the view opens the
   * same boxes and draws the same ports as before.
   */
  function refresh(force: boolean): void {
    if (!cy || !model) return
    const view = currentView()
    // Before the canvas has a size, the overview (the cheapest drawing) stands in.
    const m = model
    const { graph, key } = timed('page:scene', () => sceneFor(m, view ?? { zoom: 0, detail: false, extent: m.extent }, pinned))
    if (!force && key === shownKey) return
    shownKey = key
    const c = cy
    timed('page:cytoscape', () => {
      if (applyGraph(c, graph).added > 0) warmNextFrame(c)
      applySelection(c, selected)
      applyHighlight(c, highlighted.id, highlighted.drop)
    })
    // Read by the renderer at every frame, so it can change with the drawing.
    ;(cy as unknown as { renderer(): { textureOnViewport: boolean } }).renderer().textureOnViewport = graph.nodes.length + graph.edges.length > TEXTURE_ABOVE
  }

  // Work asked for by the views is done a moment later, in one go: the panels answer a click at
  // once, and the canvas (the costly part) follows, drawn once however many changes came.
  let flushTimer: ReturnType<typeof setTimeout> | undefined
  /** When the flush that drew a new model began (the span until Cytoscape has drawn it). */
  let drawFrom: number | null = null
  let pending = { model: false, fit: false, reveal: null as string | null }

  function schedule(): void {
    if (flushTimer === undefined) flushTimer = setTimeout(flush, 0)
  }

  function flush(): void {
    flushTimer = undefined
    if (pending.model) drawFrom = now()
    const todo = pending
    pending = { model: false, fit: false, reveal: null }
    if (!cy || !model) return
    // Fit and reveal first, so the detail chosen is the one of the view the lab is shown in.
    if (todo.fit) fitView()
    if (todo.reveal !== null) revealView(todo.reveal)
    clearTimeout(settle)
    refresh(todo.model)
    cy.forceRender()
  }

  /**
   * Shows a model; `pins`: namespaces drawn in full whatever the view. `placed`: positions
   * changed, 'moved' (a drag, an undo of one: the view stays where it is, whatever the drawing's
   * extent) or 'added' (something dropped where the learner let it go: the view stays unless it
   * went out of a fitted view).
   */
  function show(m: CanvasModel, pins: ReadonlySet<string> = new Set(), relayout = false, placed: 'moved' | 'added' | null = null): void {
    const grew = placed === null && model !== null && (m.extent.x1 !== model.extent.x1 || m.extent.y1 !== model.extent.y1 || m.extent.x2 !== model.extent.x2 || m.extent.y2 !== model.extent.y2)
    // A node dropped on a switch hangs below it: maybe out of a view the learner left fitted.
    const left = placed === 'added' && cy !== null && !inside(m.extent, cy.extent())
    model = m
    pinned = pins
    if (fitPending || relayout || (fitted && (grew || left))) {
      fitPending = false
      pending.fit = true
    }
    pending.model = true
    schedule()
  }

  /** Whether `a` lies within `b` (model units). */
  const inside = (a: { x1: number; y1: number; x2: number; y2: number }, b: { x1: number; y1: number; x2: number; y2: number }): boolean => a.x1 >= b.x1 && a.y1 >= b.y1 && a.x2 <= b.x2 && a.y2 <= b.y2

  /** Calls `done` once the canvas has drawn what it holds now (after any work still to do). */
  function whenDrawn(done: () => void): void {
    if (!cy) return
    drawnWaiters.push(done)
    if (flushTimer === undefined) cy.forceRender()
  }

  function fitView(): void {
    if (!cy || !model) return
    cy.resize()
    if (cy.width() === 0 || cy.height() === 0) return
    const view = viewportFor(model.extent, cy.width(), cy.height(), FIT_PADDING, { min: MIN_ZOOM, max: FIT_MAX_ZOOM })
    fitting = true
    cy.viewport(view)
    fitting = false
    fitted = true
  }

  /** Shows the whole lab. */
  function fit(): void {
    pending.fit = true
    schedule()
  }

  /** Centres the view on a namespace, zoomed in far enough to see it in full (and no further in than needed). */
  function revealView(ns: string): void {
    if (!cy || !model) return
    const b = locate(model, ns)
    if (!b) return
    const fitZoom = Math.min(cy.width() / Math.max(b.x2 - b.x1 + 120, 1), cy.height() / Math.max(b.y2 - b.y1 + 120, 1))
    const zoom = Math.min(MAX_ZOOM, Math.max(cy.zoom(), Math.min(REVEAL_ZOOM, fitZoom), DETAIL_ZOOM))
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * ((b.x1 + b.x2) / 2), y: cy.height() / 2 - zoom * ((b.y1 + b.y2) / 2) } })
  }

  function reveal(ns: string): void {
    pending.reveal = ns
    schedule()
  }

  /** Draws everything in another theme's colours. */
  function setTheme(theme: ThemeName): void {
    cy?.style(stylesheet(theme))
  }

  /** Zooms by a factor around the middle of the canvas. */
  function zoomBy(factor: number): void {
    if (!cy) return
    cy.zoom({ level: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, cy.zoom() * factor)), renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } })
  }

  /** The next show fits the view (a different lab was loaded). */
  function refit(): void {
    fitPending = true
  }

  /** The model point under a client (window) point, or null when it is outside the canvas. */
  function toModel(clientX: number, clientY: number): { x: number; y: number } | null {
    if (!cy || !container.value) return null
    const r = container.value.getBoundingClientRect()
    if (clientX < r.left || clientX > r.right || clientY < r.top || clientY > r.bottom) return null
    const pan = cy.pan()
    const z = cy.zoom()
    return { x: (clientX - r.left - pan.x) / z, y: (clientY - r.top - pan.y) / z }
  }

  /** While building (drawing a wire), a drag neither pans the view nor moves what it starts on. */
  function setBuilding(on: boolean): void {
    if (!cy) return
    cy.userPanningEnabled(!on)
    cy.autoungrabify(on)
  }

  return {
    show,
    toModel,
    setBuilding,
    whenDrawn,
    fit,
    refit,
    reveal,
    zoomBy,
    setTheme,
    select: (ids: readonly string[]) => {
      selected = ids
      if (cy) applySelection(cy, ids)
    },
    /** Marks the element a trace step happens at; returns its id when the canvas has it drawn, else null. */
    highlight: (id: string | null, drop = false): string | null => {
      highlighted = { id, drop }
      if (!cy) return null
      applyHighlight(cy, id, drop)
      return id !== null && cy.getElementById(id).nonempty() ? id : null
    },
    /**
     * Brings the namespace of the current hop into view when it is out of it (or at the edge),
     * panning only: the zoom the learner chose stays. True when the view moved.
     */
    follow: (id: string, ns: string): boolean => {
      if (!cy || !model) return false
      // The element itself where it is drawn (a bridge of a wide switch), else its namespace's box.
      const el = cy.getElementById(id)
      const b = el.nonempty() && el.visible() ? el.boundingBox({ includeLabels: false }) : locate(model, ns)
      if (!b) return false
      const pan = followPan({ zoom: cy.zoom(), pan: cy.pan(), w: cy.width(), h: cy.height() }, b)
      if (!pan) return false
      cy.pan(pan)
      return true
    },
    /** For the overlay: the instance, or null before mount / after unmount. */
    instance: (): Core | null => cy,
  }
}
