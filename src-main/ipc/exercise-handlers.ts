import { stringify } from 'yaml'
import type { ExerciseCheckView, ExerciseOpened, ExerciseSummary, ExerciseView } from '../../shared/api.ts'
import { builtinExercise, builtinExercises } from '../exercises/builtins.ts'
import { checkLab } from '../exercises/check.ts'
import { parseExercise, type Exercise } from '../exercises/format.ts'
import { ExerciseProgress } from '../exercises/progress.ts'
import { ExerciseLookupError, exerciseOfLab } from '../exercises/resolve.ts'
import { startLab } from '../exercises/start.ts'
import { EXERCISE_ID, LabFormatError, serializeLab } from '../lab/format.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'
import { instantiate, LabBuildError } from '../lab/lab.ts'
import { LabSession } from '../lab/session.ts'
import type { Handlers, LabService } from './handlers.ts'
import { buildError, labFormatFailure, replaceLab } from './lab-errors.ts'
import { ApiFailure, bool, invalid, none, object, optional, refused, str, type Check } from './validate.ts'

type Found = { exercise: Exercise; builtIn: boolean }

/**
 * What the handler table knows about exercises beyond the open lab: the learner's progress (kept
 * by the hosts between sessions) and the teachers' exercises opened before. Which exercise is open
 * is never stored: it is the one the open lab names, so opening a lab file continues its exercise.
 */
export class ExerciseService {
  readonly progress = new ExerciseProgress()
  private readonly custom = new Map<string, { text: string; exercise: Exercise }>()

  /** A built-in exercise, or a teacher's one remembered in the progress. */
  find(id: string): Found | undefined {
    const b = builtinExercise(id)
    if (b) return { exercise: b, builtIn: true }
    const text = this.progress.custom()[id]
    if (text === undefined) return undefined
    let c = this.custom.get(id)
    if (c?.text !== text) {
      try {
        c = { text, exercise: parseExercise(text, `${id}.yaml`) }
      } catch {
        return undefined
      }
      this.custom.set(id, c)
    }
    return { exercise: c.exercise, builtIn: false }
  }

  /** The exercise the session's lab is an attempt at, if any (and if it can be read). */
  current(session: LabSession): Found | null {
    const ref = session.doc.exercise
    if (!ref) return null
    if (!ref.definition) return this.find(ref.id) ?? null
    const text = stringify(ref.definition, { lineWidth: 0 })
    const c = this.custom.get(ref.id)
    if (c?.text === text) return { exercise: c.exercise, builtIn: false }
    try {
      const found = exerciseOfLab(session.doc)
      this.custom.set(ref.id, { text, exercise: found.exercise })
      return found
    } catch (e) {
      if (e instanceof ExerciseLookupError || e instanceof LabFormatError) return null
      throw e
    }
  }

  summaries(): ExerciseSummary[] {
    const builtIns = builtinExercises().map((e) => ({ exercise: e, builtIn: true }))
    const custom = Object.keys(this.progress.custom()).flatMap((id) => {
      const f = this.find(id)
      return f && !f.builtIn ? [f] : []
    })
    return [...builtIns, ...custom].map(({ exercise: e, builtIn }) => ({ id: e.metadata.id, title: e.metadata.title, summary: e.metadata.summary, topic: e.metadata.topic, level: e.metadata.level, minutes: e.metadata.minutes, status: this.progress.status(e.metadata.id), builtIn }))
  }

  /** What the learner may see: hints revealed so far, the solution after the last one, the explanation once solved. */
  view(f: Found, session: LabSession): ExerciseView {
    const e = f.exercise
    const id = e.metadata.id
    const entry = this.progress.peek(id)
    const hints = Math.min(entry?.hints ?? 0, e.hints.length)
    const answers = session.doc.exercise?.answers ?? {}
    const goal = (constraint: boolean) => (g: Exercise['goals'][number]): ExerciseView['goals'][number] => ({
      id: g.id,
      constraint,
      text: g.text,
      ...(g.check.kind === 'question' ? { question: g.check.choices ? { choices: g.check.choices.map((c) => ({ id: c.id, text: c.text })) } : {} } : {}),
      ...(answers[g.id] !== undefined ? { answer: answers[g.id] } : {}),
    })
    return {
      id,
      builtIn: f.builtIn,
      title: e.metadata.title,
      summary: e.metadata.summary,
      topic: e.metadata.topic,
      level: e.metadata.level,
      minutes: e.metadata.minutes,
      task: e.task,
      goals: [...e.goals.map(goal(false)), ...e.constraints.map(goal(true))],
      hints: e.hints.slice(0, hints),
      hintCount: e.hints.length,
      ...(hints === e.hints.length ? { solution: [...e.solution.commands], solutionAnswers: solutionAnswers(e) } : {}),
      ...(entry?.solved ? { explanation: e.explanation } : {}),
      status: this.progress.status(id),
    }
  }

  /**
   * After each request: the open exercise's lab becomes its work in progress (so switching to
   * another exercise, or a restart, loses nothing). Returns the progress text when it changed.
   */
  take(session: LabSession): string | null {
    const f = this.current(session)
    if (f) {
      const id = f.exercise.metadata.id
      this.progress.entry(id).started = true
      this.progress.keepLab(id, serializeLab(session.doc))
      if (!f.builtIn && this.progress.custom()[id] === undefined) this.progress.addCustom(id, stringify(f.exercise.raw, { lineWidth: 0 }))
    }
    return this.progress.take()
  }
}

/** The solution's answers as the learner reads them: a choice's text, or the short answer. */
function solutionAnswers(e: Exercise): NonNullable<ExerciseView['solutionAnswers']> {
  return e.goals.flatMap((g) => {
    if (g.check.kind !== 'question') return []
    const a = e.solution.answers[g.id]
    const choice = g.check.choices?.find((c) => c.id === a)
    return [{ goal: g.id, answer: choice ? choice.text : { en: a, ja: a } }]
  })
}

function check<T>(c: Check<T>, payload: unknown): T {
  return c(payload, 'request')
}

const idField = str({ min: 1, max: 63, pattern: EXERCISE_ID, what: 'request.what.exercise_id' })
const openById = object({ id: idField, fresh: optional(bool) })
const openByText = object({ text: str({ min: 1, max: 2_000_000, what: 'request.what.exercise_text' }), name: optional(str({ min: 1, max: 255, singleLine: true, what: 'request.what.file_name' })) })
const answerReq = object({ goal: str({ min: 1, max: 63, pattern: /^[a-z0-9][a-z0-9_-]*$/, what: 'request.what.goal_id' }), answer: str({ max: 200, singleLine: true, what: 'request.what.answer' }) })
const removeReq = object({ id: idField })

/**
 * What the exercise channels need of the handler table's host: the progress/cancel hooks of long
 * work (an exercise's lab may be big), and the end of live terminal lines when the open lab is replaced.
 */
export interface ExerciseHost {
  work: WorkOptions
  abandon(why: string): void
}

function openedFresh(service: LabService, host: ExerciseHost, f: Found): ExerciseOpened {
  const doc = startLab(f.exercise, { builtIn: f.builtIn })
  replaceLab(service, (why) => host.abandon(why), 'an exercise was opened', () => new LabSession(doc, instantiate(doc, host.work)))
  return { state: service.state(), exercise: service.exercises.view(f, service.session) }
}

function currentOrFail(service: LabService): Found {
  const f = service.exercises.current(service.session)
  if (!f) throw new ApiFailure('not-found', 'the open lab is not an exercise: open one from the course first')
  return f
}

type ExerciseMethods = Pick<Handlers, 'listExercises' | 'openExercise' | 'exerciseState' | 'checkExercise' | 'revealHint' | 'resetExercise' | 'answerQuestion' | 'removeExercise'>

/** The exercise channels of the handler table. */
export function exerciseHandlers(service: LabService, host: ExerciseHost): ExerciseMethods {
  const ex = service.exercises
  return {
    async listExercises(payload) {
      check(none, payload)
      return ex.summaries()
    },

    async openExercise(payload) {
      const byText = typeof payload === 'object' && payload !== null && 'text' in payload
      let id: string
      let fresh = false
      if (byText) {
        const req = check(openByText, payload)
        let parsed: Exercise
        try {
          parsed = parseExercise(req.text, req.name ?? 'exercise.yaml')
        } catch (e) {
          if (e instanceof LabFormatError) throw labFormatFailure(e)
          throw e
        }
        id = parsed.metadata.id
        if (builtinExercise(id)) throw refused('invalid-request', 'text', 'request.builtin_id', { id })
        ex.progress.addCustom(id, req.text)
      } else {
        const req = check(openById, payload)
        id = req.id
        fresh = req.fresh ?? false
      }
      const f = ex.find(id)
      if (!f) throw new ApiFailure('not-found', `id: no exercise "${id}"`, 'id')
      const entry = ex.progress.entry(id)
      entry.started = true
      if (!fresh && entry.lab !== undefined) {
        let session: LabSession | null = null
        try {
          session = LabSession.fromText(entry.lab, `${id} (work in progress)`, host.work)
        } catch (e) {
          // Work in progress that no longer opens (an older build's file): start over rather than fail.
          if (!(e instanceof LabFormatError) && !(e instanceof LabBuildError)) buildError(e)
        }
        if (session?.doc.exercise?.id === id) {
          const opened = session
          replaceLab(service, (why) => host.abandon(why), 'an exercise was opened', () => opened)
          return { state: service.state(), exercise: ex.view(f, service.session) }
        }
      }
      return openedFresh(service, host, f)
    },

    async exerciseState(payload) {
      check(none, payload)
      const f = ex.current(service.session)
      return f ? ex.view(f, service.session) : null
    },

    async checkExercise(payload) {
      check(none, payload)
      const f = currentOrFail(service)
      const rep = checkLab(f.exercise, service.session.doc)
      if (rep.pass) ex.progress.entry(f.exercise.metadata.id).solved = true
      const view: ExerciseCheckView = { pass: rep.pass, results: rep.results.map((r) => ({ id: r.id, constraint: r.constraint, pass: r.pass, ...(r.why ? { why: r.why } : {}) })) }
      return { exercise: ex.view(f, service.session), check: view }
    },

    async revealHint(payload) {
      check(none, payload)
      const f = currentOrFail(service)
      const entry = ex.progress.entry(f.exercise.metadata.id)
      entry.hints = Math.min(entry.hints + 1, f.exercise.hints.length)
      return ex.view(f, service.session)
    },

    async resetExercise(payload) {
      check(none, payload)
      return openedFresh(service, host, currentOrFail(service))
    },

    async answerQuestion(payload) {
      const req = check(answerReq, payload)
      const f = currentOrFail(service)
      const goal = f.exercise.goals.find((g) => g.id === req.goal)
      if (!goal || goal.check.kind !== 'question') throw new ApiFailure('not-found', `goal: "${req.goal}" is not a question of this exercise`, 'goal')
      const choices = goal.check.choices
      if (choices && !choices.some((c) => c.id === req.answer)) throw invalid('answer', `must be one of ${choices.map((c) => c.id).join(', ')}`)
      const doc = service.session.doc
      doc.exercise = { ...doc.exercise!, answers: { ...(doc.exercise!.answers ?? {}), [req.goal]: req.answer.trim() } }
      service.markDirty()
      return { state: service.state(), exercise: ex.view(f, service.session) }
    },

    async removeExercise(payload) {
      const req = check(removeReq, payload)
      if (builtinExercise(req.id)) throw invalid('id', 'built-in exercises cannot be removed')
      ex.progress.removeCustom(req.id)
      return ex.summaries()
    },
  }
}
