import cytoscape from 'cytoscape'
import { describe, expect, it } from 'vitest'
import type { Topology } from '../../shared/api.ts'
// Real engine output (tests may reach below the renderer's API boundary).
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'
import { unpackValue } from '../../shared/tunnels.ts'
import { translate } from '../i18n/index.ts'
import { buildModel, labelsFrom, nsId, type CanvasModel, type Graph } from './graph.ts'
import { sceneFor, type View } from './scene.ts'
import { applyGraph } from './sync.ts'

const EN = labelsFrom((k, p) => translate('en', k, p))
const JA = labelsFrom((k, p) => translate('ja', k, p))

async function flannel(nodes: number, podsPerNode: number): Promise<Topology> {
  const h = createHandlers(new LabService(null))
  // As the page gets it: a big lab's namespaces come packed.
  return unpackValue(await h.newLab({ scenario: 'flannel-vxlan', nodes, podsPerNode })).topology
}

/** The boxes whose elements were asked for (a big cluster's node boxes make them then). */
function watchMade(model: CanvasModel): Set<string> {
  const made = new Set<string>()
  for (const b of model.boxes) {
    const get = Object.getOwnPropertyDescriptor(b, 'children')?.get
    if (get) Object.defineProperty(b, 'children', { get: () => (made.add(b.ns), get.call(b)), configurable: true })
  }
  return made
}

const far = (m: CanvasModel): View => ({ zoom: 0.02, detail: false, extent: m.extent })
const near = (m: CanvasModel, ns: string): View => ({ zoom: 0.6, detail: true, extent: m.boxOf.get(nsId(ns))!.bounds })

describe('a change of language', () => {
  // One 1,000-node lab for the tests that need one (built once: it takes seconds).
  let big: Promise<Topology> | null = null
  const thousand = (): Promise<Topology> => (big ??= flannel(1000, 3))

  it('in a 1,000-node lab lays nothing out again and makes no box\'s elements: only the words change, in their places', async () => {
    const topo = await thousand()
    const en = buildModel(topo, EN)
    const made = watchMade(en)
    const ja = en.relabel(JA)
    expect([...made]).toEqual([])
    // The same boxes in the same places, the words of the far-out leaves in Japanese.
    expect(ja.boxes).toHaveLength(1000 + 1)
    ja.boxes.forEach((b, i) => {
      expect(b.bounds).toBe(en.boxes[i].bounds)
      expect(b.far.position).toEqual(en.boxes[i].far.position)
      expect(b.far.size!.w).toBe(en.boxes[i].far.size!.w)
    })
    expect(ja.boxOf.get(nsId('node7'))!.far.label).toMatch(/^node7\b.*Pod 3 個/s)
    expect(en.boxOf.get(nsId('node7'))!.far.label).toMatch(/^node7\b.*3 pods/s)
    expect(ja.boxOf.get(nsId('pod5'))!.ns).toBe('node2')
    expect(ja.boxes.find((b) => b.banner)!.banner!.label).toContain('L2 スイッチ')
    expect(ja.extent).toEqual(en.extent)
    // A box drawn in full makes its elements once, for both languages.
    expect(ja.boxOf.get(nsId('node500'))!.children).toBe(en.boxOf.get(nsId('node500'))!.children)
    expect([...made]).toEqual(['node500'])
    // What is drawn is what a model built in Japanese draws, far out and near a node.
    const direct = buildModel(topo, JA)
    expect(sceneFor(ja, far(ja), new Set()).graph).toEqual(sceneFor(direct, far(direct), new Set()).graph)
    expect(sceneFor(ja, near(ja, 'node500'), new Set(['pod1'])).graph).toEqual(sceneFor(direct, near(direct, 'node500'), new Set(['pod1'])).graph)
    // And back: the English words again, the same drawing as before.
    const back = ja.relabel(EN)
    expect(sceneFor(back, far(back), new Set()).graph).toEqual(sceneFor(en, far(en), new Set()).graph)
  }, 120_000)

  it('keeps the selection\'s tunnels and a lab with problems reads the same as one built in those words', async () => {
    const topo = await flannel(30, 2)
    // node3's uplink down and node4 not forwarding: their summaries warn, in either language.
    const down: Topology = {
      ...topo,
      namespaces: topo.namespaces.map((n) => (n.name === 'node3' ? { ...n, devices: n.devices.map((d) => (d.name === 'eth0' ? { ...d, up: false } : d)) } : n.name === 'node4' ? { ...n, ipForward: false } : n)),
    }
    const en = buildModel(down, EN).refocus('node2')
    const ja = en.relabel(JA)
    expect(ja.tunnels).toEqual(en.tunnels)
    const direct = buildModel(down, JA).refocus('node2')
    expect(ja.full()).toEqual(direct.full())
    expect(ja.boxOf.get(nsId('node4'))!.summary.label).toContain('IP 転送オフ')
    expect(sceneFor(ja, far(ja), new Set()).graph).toEqual(sceneFor(direct, far(direct), new Set()).graph)
  }, 60_000)

  it('on the canvas rewrites the words of the elements drawn and touches nothing else', async () => {
    const topo = await thousand()
    const en = buildModel(topo, EN)
    const ja = en.relabel(JA)
    const cy = cytoscape({ headless: true, styleEnabled: true })
    const scene = (m: CanvasModel): Graph => sceneFor(m, far(m), new Set()).graph
    const before = scene(en)
    applyGraph(cy, before)
    const touched = new Set<string>()
    cy.on('data', (e) => void touched.add(e.target.id()))
    cy.on('position', (e) => void touched.add(`moved ${e.target.id()}`))
    const after = scene(ja)
    expect(applyGraph(cy, after)).toEqual({ added: 0, removed: 0 })
    // Exactly the elements whose words differ: the 1,000 node summaries, the underlay's name and band.
    const was = new Map(before.nodes.map((n) => [n.id, n.label]))
    const changed = after.nodes.filter((n) => n.label !== was.get(n.id)).map((n) => n.id)
    expect(changed.length).toBeGreaterThanOrEqual(1000)
    expect(changed.length).toBeLessThan(1010)
    expect([...touched].sort()).toEqual(changed.sort())
    for (const n of after.nodes) expect(cy.getElementById(n.id).data('label')).toBe(n.label)
    cy.destroy()
  }, 120_000)
})
