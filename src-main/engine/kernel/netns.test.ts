import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validIfName } from './netns.ts'

describe('validIfName', () => {
  it('refuses empty, over-long, . and .., and names with /, : or whitespace', () => {
    for (const bad of ['', '.', '..', 'a'.repeat(16), 'eth/0', 'eth:0', 'eth 0', 'eth\t0', 'eth\n0', 'eth\v0', 'eth\f0', 'eth\r0', 'eth\u00a00', 'eth\u20000', 'eth\u30000', 'eth\ufeff0']) {
      expect(validIfName(bad), JSON.stringify(bad)).toBe(false)
    }
    for (const good of ['eth0', 'a'.repeat(15), 'flannel.1', '...', 'veth-é', 'cbr0@x', 'ü']) expect(validIfName(good), good).toBe(true)
  })

  it('agrees with the rule as a regular expression for any name', () => {
    const rule = (name: string): boolean => name.length > 0 && name.length <= 15 && name !== '.' && name !== '..' && !/[\s/:]/.test(name)
    const chars = fc.constantFrom('a', '.', '/', ':', ' ', '\t', '\u00a0', '\u2028', '\u3000', '\ud83d', '\ude00', 'é', '-')
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 17 }), (cs) => {
        const name = cs.join('')
        expect(validIfName(name)).toBe(rule(name))
      }),
    )
  })
})
