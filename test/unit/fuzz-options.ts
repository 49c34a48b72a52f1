import type { Parameters } from 'fast-check'

/**
 * fast-check settings of the fuzz tests. Each run of `npm test` does a fixed number of cases (its
 * time is bounded) from a fresh seed, printed before the run so a failure can be replayed:
 *   PODNET_FUZZ_SEED=1234 npx vitest run test/unit/fuzz-lab-files.test.ts
 * PODNET_FUZZ=N does N times as many cases, for a longer search than `npm test` affords.
 */
export function fuzzOptions<T>(name: string, numRuns: number): Parameters<T> {
  const given = process.env.PODNET_FUZZ_SEED
  const seed = given && /^-?\d+$/.test(given) ? Number(given) | 0 : (Date.now() ^ (process.pid << 16)) | 0
  const runs = Math.max(1, Math.round(numRuns * fuzzScale()))
  console.log(`${name}: ${runs} cases, seed ${seed} (replay with PODNET_FUZZ_SEED=${seed})`)
  return { numRuns: runs, seed, endOnFailure: true }
}

/** PODNET_FUZZ as a factor (1 when unset or not a positive number). */
export function fuzzScale(): number {
  const scale = Number(process.env.PODNET_FUZZ ?? 1)
  return Number.isFinite(scale) && scale > 0 ? scale : 1
}
