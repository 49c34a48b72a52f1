import { describe, expect, it } from 'vitest'
import { kernelAvailability } from './harness.ts'
import { ARP_BUDGET, arpEstimate, runCase, runPool, formatDiffs, type CaseResult } from './differential.ts'
import { SCENARIOS } from '../../src-main/k8s/scenarios.ts'
import { scenarioLab } from '../../src-main/lab/session.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

/** Every built-in scenario, as `podnet new` makes it, built in both worlds and compared. */
describe.skipIf(!avail.ok)('built-in scenarios: engine vs kernel', () => {
  it('every scenario matches the kernel', { timeout: 10 * 60_000 }, async () => {
    const results: CaseResult[] = []
    const labs = SCENARIOS.map((s, i) => ({ doc: scenarioLab(s.name), i }))
    await runPool(labs, labs.length, ARP_BUDGET, ({ doc }) => arpEstimate(doc), async ({ doc, i }) => {
      results.push(await runCase(doc, { prefix: `pk4-${process.pid}-s${i}-` }))
    })
    const bad = results.filter((r) => r.error || r.diffs.length)
    console.log(`scenarios: ${results.length} labs, ${results.reduce((a, r) => a + r.comparisons, 0)} comparisons, ${bad.length} with mismatches`)
    expect(bad.map((r) => r.lab), bad.map((r) => `${r.lab}: ${r.error ?? ''}\n${formatDiffs(r.diffs)}`).join('\n\n')).toEqual([])
  })
})
