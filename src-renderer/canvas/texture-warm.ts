import type { Core } from 'cytoscape'

/**
 * Cytoscape draws each element into a texture of its cache (a row of a 1,024-pixel-wide canvas,
 * one cache for bodies, one for labels) and copies it from there onto the view, element after
 * element. Without a GPU, copying out of a texture drawn into since its last copy makes Chromium
 * rasterise and snapshot that texture first, so the first drawing of a lab did that once per
 * element (drawImage was the largest item of its frame's profile, docs/performance.md). In a
 * frame asked to (`warmNextFrame`: elements were added), every element in view is first drawn
 * into its textures, and only then are they copied out: each texture is drawn in one run and read
 * after it. The textures, their contents and the drawing are the same; only the order changes.
 *
 * Applied to Cytoscape's canvas renderer's prototype; applying it again does nothing.
 */

interface Bb {
  x1: number
  y1: number
  x2: number
  y2: number
  w: number
  h: number
}

interface Ele {
  boundingBox(): Bb
  visible(): boolean
  isEdge(): boolean
}

interface TextureCache {
  getBoundingBox(ele: Ele): Bb
  getElement(ele: Ele, bb: Bb, pxRatio: number, lvl?: number, reason?: string | null): unknown
}

interface Renderer {
  data: { eleTxrCache: TextureCache; lblTxrCache: TextureCache; slbTxrCache: TextureCache; tlbTxrCache: TextureCache }
  drawLayeredElements(context: unknown, eles: ArrayLike<Ele>, pxRatio: number, extent?: Bb): void
  drawCachedNodes(context: unknown, eles: ArrayLike<Ele>, pxRatio: number, extent?: Bb): void
  [WARM]?: boolean
}

const WARM = Symbol.for('podnet.warmTextures')
const PATCHED = Symbol.for('podnet.warmTexturesPatched')

const intersects = (a: Bb, b: Bb): boolean => !(a.x1 > b.x2 || b.x1 > a.x2 || a.y1 > b.y2 || b.y1 > a.y2)

/** Draws into their textures the elements in view that have none yet (what drawCachedElement will ask for). */
function warm(r: Renderer, eles: ArrayLike<Ele>, pxRatio: number, extent: Bb | undefined, nodesOnly: boolean): void {
  const { eleTxrCache, lblTxrCache, slbTxrCache, tlbTxrCache } = r.data
  const inView: Ele[] = []
  for (let i = 0; i < eles.length; i++) {
    const ele = eles[i]
    if (nodesOnly && ele.isEdge()) continue
    const bb = ele.boundingBox()
    if (bb.w === 0 || bb.h === 0 || !ele.visible()) continue
    if (!extent || intersects(bb, extent)) inView.push(ele)
  }
  // One cache after the other: the bodies, then the labels (each kind in its own textures).
  for (const cache of [eleTxrCache, lblTxrCache, slbTxrCache, tlbTxrCache]) {
    for (const ele of inView) {
      const bb = cache.getBoundingBox(ele)
      if (bb.w === 0 || bb.h === 0) continue
      cache.getElement(ele, bb, pxRatio, undefined, null)
    }
  }
}

/**
 * Makes the canvas renderer draw a frame's new elements into their textures before copying any
 * (in the frames `warmNextFrame` asks for). The node layer is drawn by `drawLayeredElements`, or
 * by `drawCachedNodes` while the view is moved (edges hidden): both start with the warming.
 */
export function warmTextures(cy: Core): void {
  const r = (cy as unknown as { renderer(): Renderer | undefined }).renderer()
  if (!r?.data?.eleTxrCache) return
  const proto = Object.getPrototypeOf(r) as Renderer & { [PATCHED]?: true }
  if (proto[PATCHED] || typeof proto.drawLayeredElements !== 'function' || typeof proto.drawCachedNodes !== 'function') return
  proto[PATCHED] = true
  const layered = proto.drawLayeredElements
  const nodes = proto.drawCachedNodes
  proto.drawLayeredElements = function (this: Renderer, context, eles, pxRatio, extent) {
    if (this[WARM]) {
      this[WARM] = false
      warm(this, eles, pxRatio, extent, false)
    }
    layered.call(this, context, eles, pxRatio, extent)
  }
  proto.drawCachedNodes = function (this: Renderer, context, eles, pxRatio, extent) {
    if (this[WARM]) {
      this[WARM] = false
      warm(this, eles, pxRatio, extent, true)
    }
    nodes.call(this, context, eles, pxRatio, extent)
  }
}

/** The next frame draws the elements in view into their textures first (see warmTextures). */
export function warmNextFrame(cy: Core): void {
  const r = (cy as unknown as { renderer(): Renderer | undefined }).renderer()
  if (r) r[WARM] = true
}
