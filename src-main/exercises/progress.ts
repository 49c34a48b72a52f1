import { EXERCISE_ID } from '../lab/format.ts'

/** One exercise as the learner left it. */
export interface ProgressEntry {
  /** Opened at least once. */
  started: boolean
  /** Passed a check once (stays solved, as a course list shows it). */
  solved: boolean
  /** Hints revealed so far. */
  hints: number
  /** The work in progress: the exercise's lab file text, as last changed. */
  lab?: string
}

/** Everything kept between sessions: per exercise, and teachers' exercise files opened from disk. */
export interface ProgressData {
  version: 1
  exercises: Record<string, ProgressEntry>
  /** A teacher's exercise file text by its id, so the course list can offer it again. */
  custom: Record<string, string>
}

/** Per exercise, the text of its lab may not grow without bound in a settings file. */
const MAX_LAB_TEXT = 2_000_000

function emptyData(): ProgressData {
  return { version: 1, exercises: {}, custom: {} }
}

/** Reads a progress file, keeping every well-formed entry and dropping the rest. */
function readData(text: string): ProgressData | null {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch {
    return null
  }
  if (!raw || typeof raw !== 'object' || (raw as { version?: unknown }).version !== 1) return null
  const r = raw as { exercises?: unknown; custom?: unknown }
  const data = emptyData()
  if (r.exercises && typeof r.exercises === 'object') {
    for (const [id, e] of Object.entries(r.exercises as Record<string, unknown>)) {
      if (!EXERCISE_ID.test(id) || !e || typeof e !== 'object') continue
      const o = e as Record<string, unknown>
      const hints = typeof o.hints === 'number' && Number.isInteger(o.hints) && o.hints >= 0 ? Math.min(o.hints, 100) : 0
      data.exercises[id] = { started: o.started === true, solved: o.solved === true, hints, ...(typeof o.lab === 'string' && o.lab.length <= MAX_LAB_TEXT ? { lab: o.lab } : {}) }
    }
  }
  if (r.custom && typeof r.custom === 'object') {
    for (const [id, t] of Object.entries(r.custom as Record<string, unknown>)) if (EXERCISE_ID.test(id) && typeof t === 'string' && t.length <= MAX_LAB_TEXT) data.custom[id] = t
  }
  return data
}

/**
 * The learner's progress through the course: status, hints and work in progress per exercise,
 * and the teachers' files they opened. Plain data, serialised as JSON by the hosts (the desktop
 * app's user data folder, the browser's local storage); `take` says when there is news to write.
 */
export class ExerciseProgress {
  private data: ProgressData = emptyData()
  private written: string

  constructor() {
    this.written = this.text()
  }

  /** Loads what a host kept; false (and an empty progress) when the text is not a progress file. */
  load(text: string): boolean {
    const d = readData(text)
    this.data = d ?? emptyData()
    this.written = this.text()
    return d !== null
  }

  text(): string {
    return JSON.stringify(this.data)
  }

  /** The progress text when it changed since the last take (or load), else null. */
  take(): string | null {
    const t = this.text()
    if (t === this.written) return null
    this.written = t
    return t
  }

  entry(id: string): ProgressEntry {
    return (this.data.exercises[id] ??= { started: false, solved: false, hints: 0 })
  }

  peek(id: string): ProgressEntry | undefined {
    return this.data.exercises[id]
  }

  status(id: string): 'not-started' | 'in-progress' | 'solved' {
    const e = this.data.exercises[id]
    return e?.solved ? 'solved' : e?.started ? 'in-progress' : 'not-started'
  }

  /** Keeps the lab of an exercise as it is now (the work in progress), or forgets it (null). */
  keepLab(id: string, text: string | null): void {
    const e = this.entry(id)
    if (text === null || text.length > MAX_LAB_TEXT) delete e.lab
    else e.lab = text
  }

  addCustom(id: string, text: string): void {
    this.data.custom[id] = text
  }

  removeCustom(id: string): void {
    delete this.data.custom[id]
    delete this.data.exercises[id]
  }

  custom(): Readonly<Record<string, string>> {
    return this.data.custom
  }
}
