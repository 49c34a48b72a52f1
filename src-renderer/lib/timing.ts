/**
 * Named spans of the editor's own work on the browser's performance timeline (User Timing
 * `performance.measure`, names `podnet:...`), for `npm run bench:ui`: it reads them from a
 * Chromium trace to tell the Worker's part of a big lab's first drawing (building, sending the
 * state) from the page's (receiving it, the store, the canvas model, Cytoscape). Costs a few
 * microseconds a span; nothing reads them in the app.
 */
const perf: Pick<Performance, 'now' | 'measure'> | undefined = typeof performance === 'object' && typeof performance.measure === 'function' ? performance : undefined

/** Now on the timeline (0 where there is none). */
export const now = (): number => perf?.now() ?? 0

/** Records the span `name` from `start` (a `now()`) until now. */
export function span(name: string, start: number): void {
  try {
    perf?.measure(`podnet:${name}`, { start, end: perf.now() })
  } catch {
    // A timeline that refuses the entry (an old engine): the span is not recorded.
  }
}

/** Runs `fn`, recording how long it took as the span `name`. */
export function timed<T>(name: string, fn: () => T): T {
  const start = perf?.now() ?? 0
  try {
    return fn()
  } finally {
    span(name, start)
  }
}

/** The same for work that completes later (the span ends when the promise settles). */
export async function timedAsync<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = perf?.now() ?? 0
  try {
    return await fn()
  } finally {
    span(name, start)
  }
}
