import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { World } from '../../src-main/engine/kernel/world.ts'
import { runScript } from '../../src-main/engine/commands/index.ts'
import { kernelAvailability, runOnKernel } from './harness.ts'
import { compareRuns, formatMismatches } from './compare.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/**
 * The overlay's acceptance check: a 3-node flannel VXLAN cluster built by a command file gives the
 * kernel's ping results (the frag-needed line for a 1472-byte DF ping included), routes, route
 * lookups, neighbours and FDB, also after an FDB entry is deleted.
 */
describe.skipIf(!avail.ok)('flannel VXLAN 3-node cluster: engine vs kernel', () => {
  it('prints what the kernel prints, line for line', async () => {
    const text = readFileSync(new URL('./fixtures/flannel-3node.sh', import.meta.url), 'utf8')
    const kernel = await runOnKernel(text.split('\n'), { timeoutMs: 150_000 })
    const engine = runScript(new World({ seed: 1 }), text)
    expect(engine.length).toBe(kernel.length)
    const ms = compareRuns(kernel, engine)
    expect(ms, formatMismatches(ms, 'flannel-3node.sh')).toEqual([])
  })
})
