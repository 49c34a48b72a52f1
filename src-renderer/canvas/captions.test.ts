import { describe, expect, it } from 'vitest'
import type { DeviceView, NetnsView, Topology } from '../../shared/api.ts'
import { buildModel, CAPTION_ABOVE, nsId } from './graph.ts'
import { sceneFor } from './scene.ts'
import { trailScene } from './trail.ts'

const eth0 = (up: boolean, i: number): DeviceView => ({ name: 'eth0', ifindex: 2, kind: 'veth', mac: '02:00:00:00:00:01', mtu: 1500, up, carrier: up, operState: up ? 'UP' : 'DOWN', addresses: [`192.168.${i >> 8}.${i & 255}/16`] })

/** A grid of `n` nodes (each with an eth0; those in `down` with it down), no pods. */
function grid(n: number, down: ReadonlySet<number> = new Set()): Topology {
  const namespaces: NetnsView[] = []
  for (let i = 1; i <= n; i++) namespaces.push({ name: `node${i}`, role: 'node', devices: [eth0(!down.has(i), i)], ipForward: true })
  return { mode: null, namespaces, links: [], events: [], eventCount: 0 }
}

const words = { switch: 'L2 switch', router: 'router', host: 'host', pods: (n: number) => `${n} pods`, ports: (n: number) => `${n} ports`, down: (n: number) => `${n} down`, noForward: 'no forwarding', problems: (n: number) => `${n} with a problem` }

describe('far out, a big grid captions its rows with the nodes they hold', () => {
  it('names every node once, in bands of whole rows, right of the grid, with how many have a problem', () => {
    const model = buildModel(grid(CAPTION_ABOVE + 100, new Set([7, 150])), words)
    const caps = model.captions
    expect(caps.length).toBeGreaterThan(1)
    expect(caps.length).toBeLessThanOrEqual(12)
    // The bands follow one another: node1-..., then the next band starts after the last one ended.
    let next = 1
    for (const c of caps) {
      const m = /^node(\d+)–(\d+)/.exec(c.label)!
      expect(Number(m[1])).toBe(next)
      next = Number(m[2]) + 1
    }
    expect(next).toBe(CAPTION_ABOVE + 101)
    // Right of every node box (the canvas's left edge is under the palette), and inside the extent (the fit shows them).
    const right = Math.max(...model.boxes.map((b) => b.bounds.x2))
    for (const c of caps) {
      expect(c.position!.x - c.size!.w / 2).toBeGreaterThan(right)
      expect(c.position!.x + c.size!.w / 2).toBeLessThanOrEqual(model.extent.x2)
    }
    // The bands holding node7 and node150 say one node has a problem; the others say nothing of it.
    const warned = caps.filter((c) => c.classes.includes('warn'))
    expect(warned.map((c) => c.label.split('\n')[1])).toEqual(['⚠ 1 with a problem', '⚠ 1 with a problem'])
    expect(caps.filter((c) => !c.classes.includes('warn')).every((c) => !c.label.includes('\n'))).toBe(true)
    // Each caption sits beside the rows it names: node7's box is within its band's height.
    const b7 = model.boxOf.get(nsId('node7'))!
    const band = caps.find((c) => c.label.startsWith('node1–'))!
    expect(band.position!.y - band.size!.h / 2).toBeLessThan(b7.bounds.y2)
  })

  it("are drawn far out only, never in a trace's scene, and a smaller grid has none", () => {
    const model = buildModel(grid(CAPTION_ABOVE + 1), words)
    const far = sceneFor(model, { zoom: 0.01, detail: false, extent: model.extent }, new Set())
    expect(far.graph.nodes.filter((n) => n.classes.startsWith('caption'))).toHaveLength(model.captions.length)
    const near = sceneFor(model, { zoom: 1, detail: true, extent: model.boxes[0].bounds }, new Set())
    expect(near.graph.nodes.some((n) => n.classes.startsWith('caption'))).toBe(false)
    expect(trailScene(model, new Set(['node1']), ['node1']).nodes.some((n) => n.classes.startsWith('caption'))).toBe(false)
    expect(buildModel(grid(CAPTION_ABOVE), words).captions).toEqual([])
    // A wide (Japanese) line is measured wider than as many narrow characters.
    const ja = buildModel(grid(CAPTION_ABOVE + 1, new Set([1])), { ...words, problems: (n: number) => `問題のあるノード ${n} 台` }).captions[0]
    const en = buildModel(grid(CAPTION_ABOVE + 1, new Set([1])), { ...words, problems: (n: number) => `abcdefgh ${n} ij` }).captions[0]
    expect(ja.size!.w).toBeGreaterThan(en.size!.w)
    // Placed by hand, the grid no longer says which rows hold which nodes.
    expect(buildModel(grid(CAPTION_ABOVE + 1), words, { positions: { node3: { x: 0, y: 9000 } } }).captions).toEqual([])
  })
})
