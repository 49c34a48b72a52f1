import { describe, expect, it } from 'vitest'
import { dialogSide, withFileText } from './compare-file.ts'

describe('a compare request that asks for the Open dialog', () => {
  it('finds the side that asks, and only a side that is exactly { file: "dialog" }', () => {
    expect(dialogSide({ from: 'pod1', to: 'pod4', sides: [{}, { file: 'dialog' }] })).toBe(1)
    expect(dialogSide({ sides: [{ file: 'dialog' }, {}] })).toBe(0)
    expect(dialogSide({ sides: [{}, { mode: 'routes' }] })).toBe(-1)
    // A path the page slipped in is not a dialog request: the handler table refuses the field.
    expect(dialogSide({ sides: [{}, { file: 'dialog', path: '/etc/passwd' }] })).toBe(-1)
    expect(dialogSide({ sides: [{}, { file: '/etc/passwd' }] })).toBe(-1)
    for (const p of [null, 3, 'x', [], { sides: 'x' }, { sides: [null, []] }]) expect(dialogSide(p)).toBe(-1)
  })

  it('puts the text of the chosen file in that side, keeping the rest of the request', () => {
    const p = { from: 'pod1', to: 'pod4', size: 1400, sides: [{ mode: 'routes' }, { file: 'dialog' }] }
    expect(withFileText(p, 1, 'apiVersion: x', 'b.podnet')).toEqual({ from: 'pod1', to: 'pod4', size: 1400, sides: [{ mode: 'routes' }, { text: 'apiVersion: x', name: 'b.podnet' }] })
    expect(p.sides[1]).toEqual({ file: 'dialog' })
  })
})
