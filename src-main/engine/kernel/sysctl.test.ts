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

describe('Sysctl per-device settings', () => {
  /**
   * A model with every device's settings in full: a device copies `default` when it appears, and
   * ip_forward (or conf.all.forwarding) sets forwarding everywhere. Devices that appear while
   * `default` is unchanged share what they copied until one of them is written.
   */
  it('keeps each device its own values however writes and new devices interleave', () => {
    const fresh = new Sysctl()
    fresh.addDevice('x')
    const names = fresh.keys().filter((k) => k.startsWith('net.ipv4.conf.x.')).map((k) => k.slice('net.ipv4.conf.x.'.length))
    const devices = ['eth0', 'cbr0', 'veth1', 'flannel.1']
    const op = fc.oneof(
      fc.record({ add: fc.constantFrom(...devices) }),
      fc.record({ scope: fc.constantFrom('all', 'default', ...devices), name: fc.constantFrom(...names), value: fc.constantFrom('0', '1') }),
      fc.record({ forward: fc.constantFrom('0', '1') }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const s = new Sysctl()
        const defaults = Object.fromEntries(names.map((n) => [n, fresh.get(`net.ipv4.conf.x.${n}`)!]))
        const model = new Map<string, Record<string, string>>([['all', { ...defaults }], ['default', { ...defaults }]])
        for (const o of ops) {
          if ('add' in o) {
            if (model.has(o.add)) continue
            s.addDevice(o.add)
            model.set(o.add, { ...model.get('default')! })
          } else if ('forward' in o) {
            s.set('net.ipv4.ip_forward', o.forward)
            for (const conf of model.values()) conf.forwarding = o.forward
            model.get('all')!.accept_redirects = o.forward === '1' ? '0' : '1'
          } else if (model.has(o.scope)) {
            s.set(`net.ipv4.conf.${o.scope}.${o.name}`, o.value)
            if (o.scope === 'all' && o.name === 'forwarding') {
              for (const conf of model.values()) conf.forwarding = o.value
              model.get('all')!.accept_redirects = o.value === '1' ? '0' : '1'
            } else model.get(o.scope)![o.name] = o.value
          }
        }
        for (const [scope, conf] of model) for (const n of names) expect(s.get(`net.ipv4.conf.${scope}.${n}`), `${scope}.${n}`).toBe(conf[n])
      }),
    )
  })
})
