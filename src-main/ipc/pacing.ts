/**
 * Simulated time paced to wall time, for the lab hosts (the browser build's Worker, the desktop's
 * worker thread): while a terminal command runs (ping, tcpdump, sleep), the host advances the
 * World's clock in slices so that `speed` simulated seconds pass per wall second, and a ping
 * prints one line a second as on Linux. Pure arithmetic over the two clocks it is given, so it is
 * tested without timers.
 */

/** Speeds the terminal offers (simulated seconds per wall second). */
export const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 60] as const

/** How far behind the target the engine may fall before the clock gives up catching up (wall ms). */
export const MAX_LAG_MS = 250

export class PacingClock {
  private wallAnchor = 0
  private simAnchor = 0
  private running = false

  constructor(private speedValue = 1) {}

  get speed(): number {
    return this.speedValue
  }

  get active(): boolean {
    return this.running
  }

  /** Starts pacing from simulated time `simNs` at wall time `wallMs`. */
  start(wallMs: number, simNs: number): void {
    this.wallAnchor = wallMs
    this.simAnchor = simNs
    this.running = true
  }

  stop(): void {
    this.running = false
  }

  /** The simulated time (ns, whole) the lab should have reached at wall time `wallMs`. */
  target(wallMs: number): number {
    if (!this.running) return this.simAnchor
    const elapsed = Math.max(0, wallMs - this.wallAnchor)
    return this.simAnchor + Math.floor(elapsed * this.speedValue * 1_000_000)
  }

  /**
   * The lab reached `simNs` at wall time `wallMs`. When that is more than MAX_LAG_MS of wall time
   * behind the target (the engine could not keep up, or the host was suspended), the clock is
   * re-anchored there: time goes on at the set speed from where the lab is, rather than racing
   * through the backlog in one burst.
   */
  reached(wallMs: number, simNs: number): void {
    if (!this.running) return
    const behindNs = this.target(wallMs) - simNs
    if (behindNs > MAX_LAG_MS * this.speedValue * 1_000_000) this.start(wallMs, simNs)
  }

  /** A new speed from now on: what already passed keeps the old one. */
  setSpeed(speed: number, wallMs: number, simNs: number): void {
    if (!(speed > 0) || !Number.isFinite(speed)) throw new RangeError(`speed must be a positive number, not ${speed}`)
    this.speedValue = speed
    if (this.running) this.start(wallMs, simNs)
  }
}
