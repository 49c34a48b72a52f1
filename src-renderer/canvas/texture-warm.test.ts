import cytoscape, { type Core } from 'cytoscape'
import { describe, expect, it } from 'vitest'
import { warmNextFrame, warmTextures } from './texture-warm.ts'

/**
 * Cytoscape's canvas renderer does not run in Node: a stand-in with the same methods records
 * what the renderer's frame would do, in order (the drawing itself is checked in the browser:
 * e2e/canvas.spec.ts, and the screenshots of docs/performance.md).
 */
type Bb = { x1: number; y1: number; x2: number; y2: number; w: number; h: number }
const bb = (x1: number, y1: number, w: number, h: number): Bb => ({ x1, y1, x2: x1 + w, y2: y1 + h, w, h })

function stand(): { cy: Core; log: string[]; eles: { id: string; box: Bb; shown: boolean; edge: boolean }[] } {
  const log: string[] = []
  const cache = (name: string) => ({
    getBoundingBox: (e: { box: Bb; id: string }) => (name === 'lbl' && e.id === 'quiet' ? bb(0, 0, 0, 0) : e.box),
    getElement: (e: { id: string }, _b: Bb, px: number, lvl?: number, reason?: string | null) => log.push(`${name}:${e.id}:${px}:${lvl}:${reason}`),
  })
  class Renderer {
    data = { eleTxrCache: cache('ele'), lblTxrCache: cache('lbl'), slbTxrCache: cache('slb'), tlbTxrCache: cache('tlb') }
    drawLayeredElements(_c: unknown, eles: ArrayLike<{ id: string }>) {
      log.push(`draw ${Array.from(eles, (e) => e.id).join(',')}`)
    }
    drawCachedNodes(_c: unknown, eles: ArrayLike<{ id: string }>) {
      log.push(`nodes ${Array.from(eles, (e) => e.id).join(',')}`)
    }
  }
  const r = new Renderer()
  const eles = [
    { id: 'a', box: bb(0, 0, 10, 10), shown: true, edge: false },
    { id: 'far', box: bb(500, 500, 10, 10), shown: true, edge: false },
    { id: 'hidden', box: bb(0, 0, 10, 10), shown: false, edge: false },
    { id: 'flat', box: bb(0, 0, 0, 10), shown: true, edge: false },
    { id: 'quiet', box: bb(5, 5, 10, 10), shown: true, edge: false },
    { id: 'e', box: bb(0, 0, 20, 20), shown: true, edge: true },
  ]
  return { cy: { renderer: () => r } as unknown as Core, log, eles }
}

const drawFrame = (cy: Core, eles: ReturnType<typeof stand>['eles'], how: 'layered' | 'nodes' = 'layered'): void => {
  const r = (cy as unknown as { renderer(): Record<string, (...a: unknown[]) => void> }).renderer()
  const list = eles.map((e) => ({ ...e, boundingBox: () => e.box, visible: () => e.shown, isEdge: () => e.edge }))
  r[how === 'layered' ? 'drawLayeredElements' : 'drawCachedNodes'](null, list, 2, bb(-1, -1, 100, 100))
}

describe('textures drawn before they are copied', () => {
  it('in the frame asked for: every element in view into each cache (bodies, then labels), then the drawing', () => {
    const { cy, log, eles } = stand()
    warmTextures(cy)
    warmNextFrame(cy)
    drawFrame(cy, eles)
    expect(log).toEqual([
      'ele:a:2:undefined:null',
      'ele:quiet:2:undefined:null',
      'ele:e:2:undefined:null',
      'lbl:a:2:undefined:null',
      'lbl:e:2:undefined:null',
      'slb:a:2:undefined:null',
      'slb:quiet:2:undefined:null',
      'slb:e:2:undefined:null',
      'tlb:a:2:undefined:null',
      'tlb:quiet:2:undefined:null',
      'tlb:e:2:undefined:null',
      'draw a,far,hidden,flat,quiet,e',
    ])
  })

  it('once: the next frame draws as Cytoscape does', () => {
    const { cy, log, eles } = stand()
    warmTextures(cy)
    warmNextFrame(cy)
    drawFrame(cy, eles)
    log.length = 0
    drawFrame(cy, eles)
    expect(log).toEqual(['draw a,far,hidden,flat,quiet,e'])
  })

  it('not unless asked', () => {
    const { cy, log, eles } = stand()
    warmTextures(cy)
    drawFrame(cy, eles)
    expect(log).toEqual(['draw a,far,hidden,flat,quiet,e'])
  })

  it('while the view moves (edges hidden), the nodes only', () => {
    const { cy, log, eles } = stand()
    warmTextures(cy)
    warmNextFrame(cy)
    drawFrame(cy, eles, 'nodes')
    expect(log.filter((l) => l.startsWith('ele:'))).toEqual(['ele:a:2:undefined:null', 'ele:quiet:2:undefined:null'])
    expect(log.at(-1)).toBe('nodes a,far,hidden,flat,quiet,e')
  })

  it('patches the prototype once, and leaves a renderer without texture caches (headless) alone', () => {
    const { cy } = stand()
    warmTextures(cy)
    const proto = Object.getPrototypeOf((cy as unknown as { renderer(): object }).renderer()) as { drawLayeredElements: unknown }
    const once = proto.drawLayeredElements
    warmTextures(cy)
    expect(proto.drawLayeredElements).toBe(once)
    const headless = cytoscape({ headless: true, elements: [{ data: { id: 'n' } }] })
    expect(() => {
      warmTextures(headless)
      warmNextFrame(headless)
    }).not.toThrow()
  })
})
