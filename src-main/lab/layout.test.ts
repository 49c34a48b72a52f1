import { describe, expect, it } from 'vitest'
import { createHandlers, LabService } from '../ipc/handlers.ts'
import { MAX_LAYOUT_COORD } from '../k8s/limits.ts'
import { LabFormatError, parseLab, serializeLab } from './format.ts'
import { applyLayoutChange, layoutToSave } from './layout.ts'
import { LabSession, scenarioLab } from './session.ts'
import { applyDelta } from '../../shared/delta.ts'
import { thrown } from '../../test/unit/thrown.ts'

const LAB = `apiVersion: podnet.dev/v1
kind: Lab
metadata:
  name: moved
spec:
  seed: 1
  cluster:
    mode: routes
    clusterCidr: 10.244.0.0/16
    underlay: { kind: switch, cidr: 192.168.0.0/24 }
    nodes:
      - { name: node1, pods: [ { name: pod1 } ] }
      - { name: node2, pods: [ { name: pod2 } ] }
  commands: []
`

function err(text: string): LabFormatError {
  return thrown(LabFormatError, () => parseLab(text, 'lab.yaml'))
}

describe('the layout section of a lab file', () => {
  it('reads, writes one position per line, and reads back the same', () => {
    const doc = parseLab(`${LAB}layout:\n  positions:\n    node2: { x: 10, y: -20.26 }\n    pod1: { x: 61, y: 330 }\n`)
    expect(doc.layout).toEqual({ positions: { node2: { x: 10, y: -20.3 }, pod1: { x: 61, y: 330 } } })
    const text = serializeLab(doc)
    expect(text).toContain('    node2: { x: 10, y: -20.3 }\n')
    expect(parseLab(text)).toEqual(doc)
  })

  it('is optional, and an empty one is the same as none', () => {
    expect(parseLab(LAB).layout).toBeUndefined()
    expect(parseLab(`${LAB}layout: { positions: {} }\n`).layout).toBeUndefined()
    expect(serializeLab(parseLab(LAB))).not.toContain('layout')
  })

  it('refuses what is not a position, at its line', () => {
    const base = LAB.split('\n').length
    const cases: [string, RegExp, string, number][] = [
      ['layout: [1]\n', /layout is a mapping/, 'layout', 0],
      ['layout:\n  where: {}\n', /unknown field "where"/, 'layout.where', 1],
      ['layout:\n  positions:\n    node1: { x: .nan, y: 0 }\n', /must be a number from/, 'layout.positions.node1.x', 2],
      ['layout:\n  positions:\n    node1: { x: 1, y: .inf }\n', /must be a number from/, 'layout.positions.node1.y', 2],
      [`layout:\n  positions:\n    node1: { x: ${MAX_LAYOUT_COORD * 2}, y: 0 }\n`, /must be a number from/, 'layout.positions.node1.x', 2],
      ['layout:\n  positions:\n    node1: { x: "1", y: 0 }\n', /must be a number/, 'layout.positions.node1.x', 2],
      ['layout:\n  positions:\n    node1: { x: 1, y: 0, z: 2 }\n', /unknown field "z"/, 'layout.positions.node1.z', 2],
      ['layout:\n  positions:\n    node1: [1, 2]\n', /a position is a mapping/, 'layout.positions.node1', 2],
      ['layout:\n  positions:\n    "a b": { x: 1, y: 0 }\n', /is not a namespace name/, 'layout.positions.a b', 2],
    ]
    for (const [tail, problem, path, line] of cases) {
      const e = err(LAB + tail)
      expect(e.problem, tail).toMatch(problem)
      expect(e.path, tail).toBe(path)
      expect(e.line, tail).toBe(base + line)
    }
  })

  it('keeps unknown names when reading (they may come back) and leaves them out when writing', () => {
    const doc = parseLab(`${LAB}layout:\n  positions:\n    ghost: { x: 1, y: 2 }\n    node1: { x: 3, y: 4 }\n`)
    expect(Object.keys(doc.layout!.positions)).toEqual(['ghost', 'node1'])
    expect(layoutToSave(doc.layout, (n) => n !== 'ghost')).toEqual({ positions: { node1: { x: 3, y: 4 } } })
    expect(layoutToSave(doc.layout, () => false)).toBeUndefined()
    const text = LabSession.fromText(serializeLab(doc)).text()
    expect(text).toContain('node1: { x: 3, y: 4 }')
    expect(text).not.toContain('ghost')
  })

  it('applies changes: set, unset, reset', () => {
    const a = applyLayoutChange(undefined, { set: { node1: { x: 1.04, y: 2 } } })
    expect(a).toEqual({ positions: { node1: { x: 1, y: 2 } } })
    expect(applyLayoutChange(a, { set: { node1: null } })).toBeUndefined()
    expect(applyLayoutChange(a, { set: { pod1: { x: 5, y: 6 } } })).toEqual({ positions: { node1: { x: 1, y: 2 }, pod1: { x: 5, y: 6 } } })
    expect(applyLayoutChange(a, { reset: true })).toBeUndefined()
    expect(a).toEqual({ positions: { node1: { x: 1, y: 2 } } })
  })
})

describe('moves in a session', () => {
  it('are undo steps among the changes, in the order they were made, and mark the lab modified', () => {
    const s = new LabSession(parseLab(LAB))
    expect(s.dirty).toBe(false)
    expect(s.exec('podnet pod add pod3 --node node1').exitCode).toBe(0)
    s.save()
    expect(s.setLayout({ set: { node1: { x: 100, y: 0 } } })).toBe(true)
    expect(s.dirty).toBe(true)
    expect(s.setLayout({ set: { node1: { x: 100, y: 0 } } })).toBe(false)
    expect(s.exec('podnet pod add pod4 --node node2').exitCode).toBe(0)
    s.setLayout({ set: { pod4: { x: 5, y: 300 } } })
    // Undo: the move of pod4, the pod4 change, the move of node1, the pod3 change.
    expect(s.undoIsMove).toBe(true)
    s.undo()
    expect(s.layout).toEqual({ positions: { node1: { x: 100, y: 0 } } })
    expect(s.world.netns('pod4')).toBeDefined()
    s.undo()
    expect(s.world.netns('pod4')).toBeUndefined()
    expect(s.layout).toEqual({ positions: { node1: { x: 100, y: 0 } } })
    s.undo()
    expect(s.layout).toBeUndefined()
    expect(s.world.netns('pod3')).toBeDefined()
    s.undo()
    expect(s.world.netns('pod3')).toBeUndefined()
    expect(s.canUndo).toBe(false)
    // Redo in the same order.
    s.redo()
    expect(s.redoIsMove).toBe(true)
    s.redo()
    expect(s.layout).toEqual({ positions: { node1: { x: 100, y: 0 } } })
    s.redo()
    s.redo()
    expect(s.layout?.positions.pod4).toEqual({ x: 5, y: 300 })
    expect(s.world.netns('pod4')).toBeDefined()
    expect(s.canRedo).toBe(false)
  })

  it('a new change or move drops what could be redone', () => {
    const s = new LabSession(parseLab(LAB))
    s.setLayout({ set: { node1: { x: 1, y: 1 } } })
    s.undo()
    s.setLayout({ set: { node2: { x: 2, y: 2 } } })
    expect(s.canRedo).toBe(false)
    s.undo()
    expect(s.layout).toBeUndefined()
    expect(s.canUndo).toBe(false)
  })

  it('Re-layout is one step, and a save after it writes no positions', () => {
    const s = new LabSession(parseLab(LAB))
    s.setLayout({ set: { node1: { x: 1, y: 1 }, node2: { x: 500, y: 1 } } })
    expect(s.save()).toContain('layout:')
    s.setLayout({ reset: true })
    expect(s.dirty).toBe(true)
    expect(s.save()).not.toContain('layout:')
    s.undo()
    expect(Object.keys(s.layout!.positions)).toEqual(['node1', 'node2'])
  })

  it('survive a save and an open, and the replay ignores them', () => {
    const s = new LabSession(scenarioLab('routed'))
    s.setLayout({ set: { node1: { x: -400, y: 20 }, pod1: { x: 61, y: 330 } } })
    const again = LabSession.fromText(s.save())
    expect(again.layout).toEqual(s.layout)
    expect(again.world.netns('pod1')).toBeDefined()
    expect(again.canUndo).toBe(false)
  })
})

describe('the setLayout request', () => {
  it('moves, sends the layout in the next delta only, and undoes like a change', async () => {
    const service = new LabService('same-node')
    const h = createHandlers(service)
    const state = await h.getState()
    expect(state.layout).toBeUndefined()
    const d1 = await h.setLayout({ set: { pod1: { x: 10, y: 20 } } })
    expect(d1.layout).toEqual({ positions: { pod1: { x: 10, y: 20 } } })
    expect(d1.dirty).toBe(true)
    expect(d1.canUndo).toBe(true)
    const s1 = applyDelta(state, d1)!
    expect(s1.layout).toEqual(d1.layout)
    const d2 = await h.exec({ line: 'ip -n pod1 link show' })
    expect(d2.delta.layout).toBeUndefined()
    expect(applyDelta(s1, d2.delta)!.layout).toEqual(d1.layout)
    const d3 = await h.undo()
    expect(d3.layout).toBeNull()
    expect(applyDelta(applyDelta(s1, d2.delta)!, d3)!.layout).toBeUndefined()
    expect((await h.getState()).layout).toBeUndefined()
  })

  it('refuses what is not a position, naming the field', async () => {
    const h = createHandlers(new LabService('same-node'))
    await expect(h.setLayout({ set: { pod1: { x: Number.NaN, y: 0 } } })).rejects.toThrow(/set\.pod1\.x: must be a number/)
    await expect(h.setLayout({ set: { pod1: { x: 1 } } })).rejects.toThrow(/set\.pod1\.y: must be a number/)
    await expect(h.setLayout({ set: { 'a b': { x: 1, y: 1 } } })).rejects.toThrow(/set\.a b: must be a network namespace name/)
    await expect(h.setLayout({ set: [] })).rejects.toThrow(/set: must map namespace names/)
    await expect(h.setLayout({ move: {} })).rejects.toThrow(/move: unknown field/)
    expect((await h.getState()).dirty).toBe(false)
  })

  it('an edit places what it adds with it: one undo step, and a redo finds the place again', async () => {
    const h = createHandlers(new LabService('empty'))
    const r = await h.edit({ type: 'addSwitch', name: 'sw1', place: { sw1: { x: 100.04, y: -40 } } })
    expect(r.exitCode).toBe(0)
    expect(r.delta.layout).toEqual({ positions: { sw1: { x: 100, y: -40 } } })
    expect((await h.getState()).history.map((e) => e.line)).toEqual(['podnet switch add sw1'])
    // Undo takes the switch away in one step; its place stays (of nothing) for the redo.
    await h.undo()
    const undone = await h.getState()
    expect(undone.topology.namespaces).toEqual([])
    expect(undone.canUndo).toBe(false)
    await h.redo()
    expect((await h.getState()).layout).toEqual({ positions: { sw1: { x: 100, y: -40 } } })
    // A refused edit places nothing; a bad place is refused before anything is done, naming it.
    expect((await h.edit({ type: 'addPod', name: 'pod1', node: 'sw1', place: { pod1: { x: 1, y: 1 } } }).catch((e: Error) => e.message))).toMatch(/node/)
    await expect(h.edit({ type: 'addRouter', name: 'r1', place: { r1: { x: 'a', y: 0 } } })).rejects.toThrow(/place\.r1\.x: must be a number/)
    await expect(h.edit({ type: 'addRouter', name: 'r1', place: { r1: null } })).rejects.toThrow(/place\.r1: a position is a mapping/)
    const s = await h.getState()
    expect(s.layout).toEqual({ positions: { sw1: { x: 100, y: -40 } } })
    expect(s.topology.namespaces.map((n) => n.name)).toEqual(['sw1'])
  })
})
