import { describe, expect, it } from 'vitest'
import { placePorts, PORT_ROW, PORT_STEP, type PortEnd } from './ports.ts'

const bridge: PortEnd = { id: 'br0', half: { w: 17, h: 10 }, core: true }
const port = (id: string, far?: { x: number; y: number }, infra = false): PortEnd => ({ id, half: { w: 7, h: 7 }, far, infra })
const nic = (id: string, far?: { x: number; y: number }): PortEnd => ({ id, half: { w: 11, h: 9 }, far, infra: true })

describe('ports of a switch or router placed by hand: each on the side facing its far end', () => {
  it('a switch keeps its bridge at its corner whatever is wired to it', () => {
    const corner = { x: 100, y: 50 }
    const alone = placePorts('switch', corner, [bridge])
    const wired = placePorts('switch', corner, [bridge, port('to-node1', { x: -300, y: 400 }), port('to-r1', { x: 900, y: -200 }, true), port('to-r2', { x: -900, y: -200 }, true)])
    expect(alone.get('br0')).toEqual({ x: 117, y: 60 })
    expect(wired.get('br0')).toEqual(alone.get('br0'))
  })

  it('a port toward a node is straight over its uplink, under the bridge (over it for a node put higher)', () => {
    const at = placePorts('switch', { x: 0, y: 0 }, [bridge, port('to-node1', { x: -250, y: 300 }), port('to-node2', { x: 260, y: 310 }), port('to-node3', { x: 40, y: -400 })])
    expect(at.get('to-node1')).toEqual({ x: -250, y: 10 + PORT_ROW })
    expect(at.get('to-node2')).toEqual({ x: 260, y: 10 + PORT_ROW })
    expect(at.get('to-node3')).toEqual({ x: 40, y: 10 - PORT_ROW })
  })

  it('two nodes one above the other get ports set apart, not one on the other', () => {
    const at = placePorts('switch', { x: 0, y: 0 }, [bridge, port('to-node1', { x: 300, y: 300 }), port('to-node2', { x: 302, y: 700 })])
    expect(at.get('to-node2')!.x - at.get('to-node1')!.x).toBeGreaterThanOrEqual(8 * 6.2 + 14)
  })

  it('a port toward a router or switch goes beside the bridge, on the far end side, nearest far end innermost', () => {
    const at = placePorts('switch', { x: 0, y: 0 }, [
      bridge,
      port('to-node1', { x: 400, y: 300 }),
      port('to-node2', { x: -200, y: 300 }),
      port('to-r1', { x: 700, y: -300 }, true),
      port('to-r2', { x: 1500, y: -300 }, true),
      port('to-sw0', { x: -800, y: 0 }, true),
    ])
    // In the bridge's row, right of it or left of it.
    expect(at.get('to-r1')).toEqual({ x: 17 + PORT_STEP, y: 10 })
    expect(at.get('to-r2')).toEqual({ x: 17 + 2 * PORT_STEP, y: 10 })
    expect(at.get('to-sw0')).toEqual({ x: 17 - PORT_STEP, y: 10 })
  })

  it('a router keeps its corner, its ports in one row in the order of their far ends', () => {
    const at = placePorts('router', { x: 500, y: -100 }, [nic('eth0', { x: 900, y: 0 }), nic('eth1', { x: 100, y: 0 }), nic('eth2')])
    expect(at.get('eth1')).toEqual({ x: 511, y: -91 })
    expect(at.get('eth0')).toEqual({ x: 511 + PORT_STEP, y: -91 })
    expect(at.get('eth2')).toEqual({ x: 511 + 2 * PORT_STEP, y: -91 })
  })
})
