import type { WorkProgress } from '../../../shared/api.ts'

export type { WorkProgress } from '../../../shared/api.ts'

/**
 * Long work on a lab (building a cluster, opening a file, replaying its history) can be stopped
 * by its host: the host sets the signal (from another thread, through shared memory), and the
 * engine reads it between commands and every CANCEL_CHECK_EVENTS events. Nothing in the engine
 * reads a clock to decide it.
 */
export interface CancelSignal {
  readonly cancelled: boolean
}

/** What a cancelled piece of work throws; whatever it was building is dropped. */
export class WorkCancelled extends Error {
  constructor() {
    super('cancelled')
  }
}

/** How the host follows and stops a piece of long work. */
export interface WorkOptions {
  signal?: CancelSignal
  /** Told as the work goes (often: a host passes on only as many as its page needs). */
  progress?: (p: WorkProgress) => void
}

/** How many events the scheduler runs between two looks at the signal. */
export const CANCEL_CHECK_EVENTS = 1024

export function throwIfCancelled(signal: CancelSignal | null | undefined): void {
  if (signal?.cancelled) throw new WorkCancelled()
}
