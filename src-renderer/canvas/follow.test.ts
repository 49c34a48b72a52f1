import { describe, expect, it } from 'vitest'
import { followPan } from './follow.ts'

describe('the view follows the current hop', () => {
  const view = { zoom: 2, pan: { x: 0, y: 0 }, w: 1000, h: 600 }
  it('stays where it is while the hop is in view', () => {
    expect(followPan(view, { x1: 100, y1: 100, x2: 150, y2: 150 })).toBeNull()
  })
  it('centres a hop that is out of view or too near the edge, at the same zoom', () => {
    // (2000..2100) * 2 is far to the right of a 1000-pixel view.
    expect(followPan(view, { x1: 2000, y1: 100, x2: 2100, y2: 150 })).toEqual({ x: 500 - 2 * 2050, y: 300 - 2 * 125 })
    // Within the margin of the left edge.
    expect(followPan(view, { x1: 5, y1: 100, x2: 40, y2: 150 })).not.toBeNull()
    expect(followPan({ ...view, pan: { x: -3000, y: 0 } }, { x1: 100, y1: 100, x2: 150, y2: 150 })).toEqual({ x: 500 - 250, y: 300 - 250 })
  })
  it('a box larger than the view counts as in view while its centre is', () => {
    expect(followPan(view, { x1: 0, y1: 100, x2: 600, y2: 200 })).toBeNull()
    expect(followPan(view, { x1: 2000, y1: 0, x2: 2600, y2: 200 })).not.toBeNull()
  })
  it('does nothing before the canvas has a size', () => {
    expect(followPan({ ...view, w: 0 }, { x1: 5000, y1: 0, x2: 5100, y2: 10 })).toBeNull()
  })
})
