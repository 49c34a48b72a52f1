import { describe, expect, it } from 'vitest'
import { kernelAvailability } from './harness.ts'
import { runCase, formatDiffs } from './differential.ts'
import { labFromShape } from './gen.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/**
 * Output fidelity on a lab in a bad state: `ip -br addr`, `ip addr show`, `ip link show`,
 * `route -n`, `arp -n`, `brctl show` (and the tables) in every namespace after a link went down,
 * MTUs were changed (one below IPv6's minimum), forwarding was turned off and a pod moved away
 * from its node. Every random lab compares the same commands; this one always has these faults.
 */
describe.skipIf(!avail.ok)('output fidelity in a broken lab: engine vs kernel', () => {
  it('prints what the kernel prints', { timeout: 120_000 }, async () => {
    const doc = labFromShape({
      mode: 'flannel-vxlan',
      underlay: 'switch',
      pods: [2, 1],
      seed: 7,
      faults: [
        { kind: 'link-down', a: 3, b: 0, c: 0 },
        { kind: 'mtu', a: 0, b: 1, c: 0 },
        { kind: 'mtu', a: 1, b: 0, c: 1 },
        { kind: 'forward-off', a: 1, b: 0, c: 0 },
        { kind: 'pod-move', a: 2, b: 0, c: 0 },
      ],
    }, 'fidelity')
    const r = await runCase(doc, { prefix: `pk4-${process.pid}-f-`, noMatrix: true })
    expect(r.error).toBeUndefined()
    expect(r.diffs, formatDiffs(r.diffs)).toEqual([])
  })
})
