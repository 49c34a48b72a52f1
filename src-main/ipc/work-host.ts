import type { ApiReply, WorkProgress } from '../../shared/api.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'

/** How often, at most, progress of long work is passed on (wall ms): a page needs no more. */
export const PROGRESS_EVERY_MS = 100

/**
 * How a lab host (the desktop's lab thread, the browser build's Worker) follows the long work of
 * the request it answers: it passes the engine's progress on at most every PROGRESS_EVERY_MS
 * (each phase's last step always), tells the page how the work ended once it has shown any, and
 * lets the other side cancel through a word of shared memory, which the engine reads between
 * commands and events (a message would wait behind the work).
 *
 * The word holds the id of the newest request the other side wants stopped: the request under
 * way is cancelled when its id is at most that, so a cancel that comes as one request ends never
 * reaches into the next one, and needs no resetting.
 */
export class WorkReporter {
  /** The shared word (null where memory cannot be shared: nothing can be cancelled). */
  flag: Int32Array | null
  private current = 0
  private lastPost = -Infinity
  private shown: WorkProgress | null = null

  constructor(
    flag: Int32Array | null,
    private readonly post: (p: WorkProgress) => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.flag = flag
    const cancelled = (): boolean => this.cancelled
    this.options = {
      signal: {
        get cancelled(): boolean {
          return cancelled()
        },
      },
      progress: (p) => this.progress(p),
    }
  }

  /** What the handler table is given as `HostIo.work`. */
  readonly options: WorkOptions

  /** Whether the other side asked to stop the request under way. */
  get cancelled(): boolean {
    return this.current > 0 && this.flag !== null && this.current <= Atomics.load(this.flag, 0)
  }

  /**
   * Answers request `id` with `fn` (id 0: work nobody may cancel, such as reopening recovered
   * work). Its progress starts afresh; if any was shown, the page then hears how it ended.
   */
  async run(id: number, fn: () => Promise<ApiReply>): Promise<ApiReply> {
    this.current = id
    this.lastPost = -Infinity
    this.shown = null
    let reply: ApiReply | null = null
    try {
      reply = await fn()
      return reply
    } finally {
      this.current = 0
      // Set by progress() while fn ran (TypeScript cannot see that).
      const shown = this.shown as WorkProgress | null
      this.shown = null
      if (shown) this.post({ phase: shown.phase, done: shown.done, total: shown.total, ...(id === 0 && { cancellable: false as const }), end: reply === null ? 'failed' : reply.ok ? 'done' : reply.error.code === 'cancelled' ? 'cancelled' : 'failed' })
    }
  }

  private progress(p: WorkProgress): void {
    const now = this.now()
    if (p.done !== p.total && now - this.lastPost < PROGRESS_EVERY_MS) return
    this.lastPost = now
    this.shown = p
    this.post({ phase: p.phase, done: p.done, total: p.total, ...(p.sub && { sub: { ...p.sub } }), ...(p.fraction !== undefined && { fraction: p.fraction }), ...(this.current === 0 && { cancellable: false as const }) })
  }
}
