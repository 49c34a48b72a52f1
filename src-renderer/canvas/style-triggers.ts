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
 * Applied to Cytoscape's Style prototype, so every instance (and a new stylesheet: setTheme)
 * has it; applying it again does nothing.
 */

interface StyleElement {
  dirtyStyleCache(): void
}

interface StyleInternals {
  apply(eles: ArrayLike<StyleElement>): unknown
  checkTriggers(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkZOrderTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkConnectedEdgesBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
  checkParallelEdgesBoundsTrigger(ele: StyleElement, name: string, from: unknown, to: unknown): void
}

const PATCHED = Symbol.for('podnet.styleTriggersOnce')

/** The elements whose caches are to be cleared when the styling under way ends (null: none under way). */
let deferred: Set<StyleElement> | null = null

/** Makes Cytoscape clear an element's style caches once per styling, not once per property. */
export function styleTriggersOnce(cy: Core): void {
  const style = (cy as unknown as { style(): object }).style()
  const proto = Object.getPrototypeOf(style) as StyleInternals & { [PATCHED]?: true }
  if (proto[PATCHED] || typeof proto.apply !== 'function' || typeof proto.checkTriggers !== 'function' || typeof proto.checkZOrderTrigger !== 'function') return
  proto[PATCHED] = true
  const apply = proto.apply
  proto.apply = function (this: StyleInternals, eles: ArrayLike<StyleElement>): unknown {
    // Styling inside a styling (a transition's): its elements are cleared with the outer one's.
    if (deferred) return apply.call(this, eles)
    const mine = new Set<StyleElement>()
    deferred = mine
    try {
      return apply.call(this, eles)
    } finally {
      deferred = null
      for (const ele of mine) ele.dirtyStyleCache()
    }
  }
  proto.checkTriggers = function (this: StyleInternals, ele: StyleElement, name: string, from: unknown, to: unknown): void {
    if (deferred) deferred.add(ele)
    else ele.dirtyStyleCache()
    this.checkZOrderTrigger(ele, name, from, to)
    this.checkBoundsTrigger(ele, name, from, to)
    this.checkConnectedEdgesBoundsTrigger(ele, name, from, to)
    this.checkParallelEdgesBoundsTrigger(ele, name, from, to)
  }
}
