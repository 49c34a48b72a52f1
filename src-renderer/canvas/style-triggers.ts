import type { Core } from 'cytoscape'

/**
 * Cytoscape restyles an element one property at a time, and after each one it clears the cached
 * style values (visibility, effective opacity...) of the element, all its descendants, all its
 * parents and all their edges (`checkTriggers` -> `dirtyStyleCache`), building a collection of
 * them each time. Styling a node box of a few hundred elements thus cost the number of its
 * properties (about 40) times the box's size for every element in it: most of the first drawing's
 * frame in a 100-node lab (docs/performance.md). Here an element being styled has those caches
 * cleared once, when all its properties are applied, instead of after each: the same caches end
 * up cleared (nothing in between reads them), once.
 *
 * The other triggers of a property are collected the same way: whether it changes the drawing
 * order, the element's bounds (and its boxes'), its edges' or its parallel edges' bounds is
 * checked for each property as Cytoscape does, and what they call for is done once per element
 * when its styling ends (a box's bounds were marked dirty, walking up its boxes and announcing
 * it, once per bounds-changing property: 13 times for an interface first styled).
 *
 * Applied to Cytoscape's Style prototype, so every instance (and a new stylesheet: setTheme)
 * has it; applying it again does nothing.
 */

interface StyleElement {
  dirtyStyleCache(): void
  dirtyCompoundBoundsCache(): void
  dirtyBoundingBoxCache(): void
  connectedEdges(): { forEach(fn: (e: StyleElement) => void): void }
  parallelEdges(): { forEach(fn: (e: StyleElement) => void): void }
}

interface StyleProperty {
  triggersZOrder?: unknown
  triggersBounds?: unknown
  triggersBoundsOfConnectedEdges?: unknown
  triggersBoundsOfParallelEdges?: unknown
}

interface StyleInternals {
  apply(eles: ArrayLike<StyleElement>): unknown
  checkTriggers(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkZOrderTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkConnectedEdgesBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkParallelEdgesBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkTrigger(ele: StyleElement, name: string, from: unknown, to: unknown, get: (p: StyleProperty) => unknown, on: () => void): void
  _private: { cy: { notify(event: string, ele: StyleElement): void } }
}

/** What the properties applied to an element so far call for, done once its styling ends. */
const ZORDER = 1
const BOUNDS = 2
const EDGES = 4
const PARALLEL = 8

const PATCHED = Symbol.for('podnet.styleTriggersOnce')

/** The elements whose caches are to be cleared when the styling under way ends, with their other triggers (null: none under way). */
let deferred: Map<StyleElement, number> | null = null

/** Does what an element's styling called for, in Cytoscape's order for one property. */
function settle(style: StyleInternals, ele: StyleElement, todo: number): void {
  ele.dirtyStyleCache()
  if (todo & ZORDER) style._private.cy.notify('zorder', ele)
  if (todo & BOUNDS) {
    ele.dirtyCompoundBoundsCache()
    ele.dirtyBoundingBoxCache()
  }
  if (todo & EDGES) ele.connectedEdges().forEach((e) => e.dirtyBoundingBoxCache())
  if (todo & PARALLEL) ele.parallelEdges().forEach((e) => e.dirtyBoundingBoxCache())
}

/** Makes Cytoscape clear an element's style caches, and do what its properties trigger, once per styling, not once per property. */
export function styleTriggersOnce(cy: Core): void {
  const style = (cy as unknown as { style(): object }).style()
  const proto = Object.getPrototypeOf(style) as StyleInternals & { [PATCHED]?: true }
  if (proto[PATCHED] || typeof proto.apply !== 'function' || typeof proto.checkTriggers !== 'function' || typeof proto.checkTrigger !== 'function' || typeof proto.checkZOrderTrigger !== 'function') return
  proto[PATCHED] = true
  const apply = proto.apply
  proto.apply = function (this: StyleInternals, eles: ArrayLike<StyleElement>): unknown {
    // Styling inside a styling (a transition's): its elements are settled with the outer one's.
    if (deferred) return apply.call(this, eles)
    const mine = new Map<StyleElement, number>()
    deferred = mine
    try {
      return apply.call(this, eles)
    } finally {
      deferred = null
      for (const [ele, todo] of mine) settle(this, ele, todo)
    }
  }
  proto.checkTriggers = function (this: StyleInternals, ele: StyleElement, name: string, from: unknown, to: unknown): void {
    const later = deferred
    if (!later) {
      ele.dirtyStyleCache()
      this.checkZOrderTrigger(ele, name, from, to)
      this.checkBoundsTrigger(ele, name, from, to)
      this.checkConnectedEdgesBoundsTrigger(ele, name, from, to)
      this.checkParallelEdgesBoundsTrigger(ele, name, from, to)
      return
    }
    let todo = later.get(ele) ?? 0
    // Each trigger checked as Cytoscape checks it (the property's own test of the two values).
    this.checkTrigger(ele, name, from, to, (p) => p.triggersZOrder, () => (todo |= ZORDER))
    this.checkTrigger(ele, name, from, to, (p) => p.triggersBounds, () => (todo |= BOUNDS))
    this.checkTrigger(ele, name, from, to, (p) => p.triggersBoundsOfConnectedEdges, () => (todo |= EDGES))
    this.checkTrigger(ele, name, from, to, (p) => p.triggersBoundsOfParallelEdges, () => (todo |= PARALLEL))
    later.set(ele, todo)
  }
}
