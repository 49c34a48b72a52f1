import { afterAll, describe, expect, it } from 'vitest'
import { currentNetns, kernelAvailability } from './harness.ts'
import { runCase, formatDiffs, type CaseResult } from './differential.ts'
import { runSeed, sampleLabs } from './gen.ts'
import { serializeLab } from '../../src-main/lab/format.ts'

const avail = kernelAvailability()
if (!avail.ok) console.warn(`skipped: ${avail.reason}`)

const SEED = runSeed()
const COUNT = Number(process.env.PODNET_LABS ?? 200)
const ONLY = process.env.PODNET_LAB === undefined ? null : Number(process.env.PODNET_LAB)
/** Labs run at once: each mostly waits (ping windows, settling), so more than the cores fit. */
const CONCURRENCY = Number(process.env.PODNET_KERNEL_JOBS ?? 10)

/**
 * Random labs (fast-check, seeded): 1-5 nodes with 1-4 pods, every mode, both underlays, then
 * random faults; each built in real namespaces from its export and in the engine, and compared
 * (ping matrix, route lookups, tables, captures, output fidelity). See docs/conformance.md.
 */
describe.skipIf(!avail.ok)('random labs: engine vs kernel', () => {
  const results: CaseResult[] = []
  afterAll(() => {
    const left = currentNetns().filter((n) => n.startsWith(`pk4-${process.pid}-`))
    expect(left, 'namespaces left behind').toEqual([])
  })

  it(`${ONLY === null ? COUNT : 1} labs from seed ${SEED} match the kernel`, { timeout: 30 * 60_000 }, async () => {
    console.log(`random labs: seed ${SEED}, ${COUNT} labs; replay with PODNET_SEED=${SEED} npm run test:kernel (one lab: PODNET_LAB=N)`)
    const docs = sampleLabs(SEED, ONLY === null ? COUNT : ONLY + 1)
    const todo = ONLY === null ? docs.map((d, i) => ({ d, i })) : [{ d: docs[ONLY], i: ONLY }]
    const t0 = Date.now()
    let next = 0
    const failed: { i: number; r: CaseResult; yaml: string }[] = []
    const worker = async (): Promise<void> => {
      while (next < todo.length) {
        const { d, i } = todo[next++]
        const r = await runCase(d, { prefix: `pk4-${process.pid}-${i}-` })
        results.push(r)
        if (r.error || r.diffs.length) failed.push({ i, r, yaml: serializeLab(d) })
      }
    }
    await Promise.all(Array.from({ length: CONCURRENCY }, worker))
    const comparisons = results.reduce((a, r) => a + r.comparisons, 0)
    const relaxed = results.reduce((a, r) => a + (r.relaxed ?? 0), 0)
    const gc = results.filter((r) => r.gcActive).length
    console.log(`random labs: ${results.length} labs, ${comparisons} comparisons, ${failed.length} with mismatches, ${Math.round((Date.now() - t0) / 1000)} s (rate-limit-relaxed pings: ${relaxed}; labs with neighbour GC active: ${gc})`)
    const report = failed
      .sort((a, b) => a.i - b.i)
      .map((f) => `lab ${f.i} (replay: PODNET_SEED=${SEED} PODNET_LAB=${f.i} npm run test:kernel)${f.r.error ? `\n${f.r.error}` : ''}\n${f.yaml}\n${formatDiffs(f.r.diffs)}`)
      .join('\n\n')
    expect(failed.map((f) => f.i), report).toEqual([])
  })
})
