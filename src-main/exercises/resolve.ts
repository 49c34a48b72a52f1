import { stringify } from 'yaml'
import type { LabDoc } from '../lab/format.ts'
import { builtinExercise } from './builtins.ts'
import { parseExercise, type Exercise } from './format.ts'

/** A lab that names no exercise, or one this build does not have. */
export class ExerciseLookupError extends Error {}

/**
 * The exercise a lab file is an attempt at: the one embedded in it (a teacher's), else the
 * built-in with its id. An embedded exercise is validated like a file of its own.
 */
export function exerciseOfLab(doc: LabDoc, file = 'lab.yaml'): { exercise: Exercise; builtIn: boolean } {
  const ref = doc.exercise
  if (!ref) throw new ExerciseLookupError(`${file} is not an exercise lab: it has no exercise section (start one with podnet exercise start)`)
  if (ref.definition) {
    const exercise = parseExercise(stringify(ref.definition, { lineWidth: 0 }), `${file} (exercise.definition)`)
    if (exercise.metadata.id !== ref.id) throw new ExerciseLookupError(`${file}: exercise.id "${ref.id}" differs from the id of the exercise it carries ("${exercise.metadata.id}")`)
    return { exercise, builtIn: false }
  }
  const exercise = builtinExercise(ref.id)
  if (!exercise) throw new ExerciseLookupError(`${file}: no built-in exercise "${ref.id}" (podnet exercises lists them)`)
  return { exercise, builtIn: true }
}
