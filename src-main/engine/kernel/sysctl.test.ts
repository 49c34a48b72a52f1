import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Sysctl } from './sysctl.ts'

describe('Sysctl.changed', () => {
  it('lists exactly the keys whose value differs from a fresh namespace with the same devices', () => {
    const devices = ['eth0', 'cbr0', 'flannel.1']
    const fresh = new Sysctl()
    for (const d of devices) fresh.addDevice(d)
    const keys = fresh.keys()
    const write = fc.tuple(fc.constantFrom(...keys), fc.constantFrom('0', '1', '2', '64'))
    fc.assert(
      fc.property(fc.array(write, { maxLength: 6 }), fc.array(write, { maxLength: 3 }), (before, after) => {
        const s = new Sysctl()
        const apply = (ws: [string, string][]): void => {
          for (const [k, v] of ws) {
            try {
              s.set(k, v)
            } catch {
              // a value the key refuses changes nothing
            }
          }
        }
        // Some writes before the devices exist (conf.default is copied into each), some after.
        apply(before.filter(([k]) => !devices.some((d) => k.includes(`.${d}.`))))
        for (const d of devices) s.addDevice(d)
        apply(after)
        const expected = Object.fromEntries(s.keys().filter((k) => s.get(k) !== fresh.get(k)).map((k) => [k, s.get(k)]))
        expect(s.changed()).toEqual(expected)
      }),
    )
  })
})
