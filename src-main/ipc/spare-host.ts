import type { LabSession } from '../lab/session.ts'
import type { HostIo } from './live-host.ts'

/** How long one slice of the spare replay may run before the host looks at its messages again (wall ms). */
export const SPARE_SLICE_MS = 25

/**
 * Makes the open lab's spare replay (LabSession.spareStep) while the host has nothing else to
 * do, in slices of at most SPARE_SLICE_MS, so a request that comes meanwhile waits for one slice
 * at most. A trace then runs in the spare instead of waiting for a replay of the whole lab (some
 * seconds in a 1,000-node one). Only hosts that offer idle time (HostIo.idle: the browser
 * build's Worker, the desktop's lab thread) make one; elsewhere a fork replays the lab.
 */
export class SpareHost {
  private cancel: (() => void) | null = null

  constructor(
    private readonly lab: { readonly session: LabSession },
    private readonly io: HostIo,
  ) {}

  /** After each request: go on with the spare (a new one if the lab changed) once idle. */
  kick(): void {
    if (!this.io.idle || this.cancel) return
    this.cancel = this.io.idle(() => this.slice())
  }

  private slice(): void {
    this.cancel = null
    const session = this.lab.session
    const end = this.io.now() + SPARE_SLICE_MS
    while (session.spareStep()) {
      if (this.io.now() >= end) {
        this.kick()
        return
      }
    }
  }
}
