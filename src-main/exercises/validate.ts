import type { Path } from '../lab/format.ts'
import { instantiate, LabBuildError } from '../lab/lab.ts'
import { readYaml } from '../lab/format.ts'
import { checkLab, type CheckReport } from './check.ts'
import { exerciseFromData, type Exercise, type Text } from './format.ts'
import { attemptLab, startLab } from './start.ts'

/** One thing wrong with an exercise file, at a field (and a line and column when the file is known). */
export interface Problem {
  path: string
  problem: string
  line?: number
  col?: number
}

export interface Validation {
  ok: boolean
  problems: Problem[]
  /** The checks that were run, for a teacher to read. */
  start?: CheckReport
  solution?: CheckReport
  mistakes: { note?: string; report: CheckReport }[]
}

/** Letters of Japanese text (kana and kanji): a `ja` text without any was probably not translated. */
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/

function pathOf(p: Path): string {
  return p.reduce<string>((s, k) => (typeof k === 'number' ? `${s}[${k}]` : s ? `${s}.${k}` : k), '')
}

/**
 * What `podnet exercise validate` checks beyond the format: both languages really written, the
 * break lines run, the start lab fails at least one goal, the solution's lines run and pass every
 * goal and constraint, and each listed mistake still fails something.
 */
export function validateExercise(ex: Exercise, locate?: (p: Path) => { line: number; col: number }): Validation {
  const problems: Problem[] = []
  const add = (p: Path, problem: string): void => {
    problems.push({ path: pathOf(p), problem, ...(locate ? locate(p) : {}) })
  }
  const untranslated = (t: Text, p: Path): void => {
    if (t.en.length >= 30 && !JAPANESE.test(t.ja)) add([...p, 'ja'], 'the Japanese text has no Japanese in it; translate it')
  }
  untranslated(ex.metadata.summary, ['metadata', 'summary'])
  untranslated(ex.task, ['spec', 'task'])
  untranslated(ex.explanation, ['spec', 'explanation'])
  ex.hints.forEach((h, i) => untranslated(h, ['spec', 'hints', i]))
  ex.goals.forEach((g, i) => untranslated(g.text, ['spec', 'goals', i, 'text']))
  ex.constraints.forEach((g, i) => untranslated(g.text, ['spec', 'constraints', i, 'text']))

  const mistakes: Validation['mistakes'] = []
  const start = startLab(ex, { builtIn: true })
  try {
    const rt = instantiate(start)
    const inline = ex.start.lab?.commands.length ?? 0
    rt.setupResults.forEach((r, i) => {
      if (r.exitCode === 0) return
      const p: Path = i < inline ? ['spec', 'start', 'lab', 'commands', i] : ['spec', 'start', 'break', i - inline]
      add(p, `"${start.spec.setup![i]}" fails (exit code ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`)
    })
  } catch (e) {
    if (!(e instanceof LabBuildError)) throw e
    add(['spec', 'start'], `the start lab cannot be built: ${e.message}`)
    return { ok: false, problems, mistakes }
  }
  const startReport = checkLab(ex, start)
  if (startReport.results.filter((r) => !r.constraint).every((r) => r.pass)) add(['spec', 'goals'], 'the start lab already passes every goal: the exercise has nothing to do')

  const sol = attemptLab(start, ex.solution)
  sol.results.forEach((r, i) => {
    if (r.exitCode !== 0) add(['spec', 'solution', 'commands', i], `"${ex.solution.commands[i]}" fails (exit code ${r.exitCode}): ${(r.stderr || r.stdout).trim()}`)
  })
  const solution = checkLab(ex, sol.doc)
  for (const r of solution.results) {
    if (r.pass) continue
    const list = r.constraint ? 'constraints' : 'goals'
    const i = (r.constraint ? ex.constraints : ex.goals).findIndex((g) => g.id === r.id)
    add(['spec', list, i], `the solution does not pass ${r.constraint ? 'constraint' : 'goal'} "${r.id}": ${r.why?.en ?? ''}`)
  }
  ex.mistakes.forEach((m, i) => {
    const report = checkLab(ex, attemptLab(start, m).doc)
    mistakes.push({ ...(m.note ? { note: m.note } : {}), report })
    if (report.pass) add(['spec', 'mistakes', i], 'this mistake passes every goal and constraint: a goal should catch it')
  })
  return { ok: problems.length === 0, problems, start: startReport, solution, mistakes }
}

/** Parses and validates an exercise file's text: format errors first (located), then the checks above. */
export function validateExerciseText(text: string, file: string): { exercise: Exercise; validation: Validation } {
  const yaml = readYaml(text, file)
  const exercise = exerciseFromData(yaml.raw, yaml.fail)
  return { exercise, validation: validateExercise(exercise, yaml.locate) }
}
