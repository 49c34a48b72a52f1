import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { World } from '../../src-main/engine/kernel/world.ts'
import { runScript } from '../../src-main/engine/commands/index.ts'
import { kernelAvailability, runOnKernel } from './harness.ts'
import { compareRuns, formatMismatches } from './compare.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/**
 * The foundation's acceptance check: a 3-node routed cluster built from an empty world by a
 * command file gives, in the engine, the same ping results, routes, route lookups and error
 * lines as the same file run line by line with bash on this machine's kernel.
 */
describe.skipIf(!avail.ok)('routed 3-node cluster: engine vs kernel', () => {
  it('prints what the kernel prints, line for line', async () => {
    const text = readFileSync(new URL('./fixtures/routed-3node.sh', import.meta.url), 'utf8')
    const kernel = await runOnKernel(text.split('\n'), { timeoutMs: 120_000 })
    const engine = runScript(new World({ seed: 1 }), text)
    expect(engine.length).toBe(kernel.length)
    const ms = compareRuns(kernel, engine)
    expect(ms, formatMismatches(ms, 'routed-3node.sh')).toEqual([])
  })
})
