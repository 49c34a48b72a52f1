import { COURSE } from './course/index.ts'
import { parseExercise, type Exercise } from './format.ts'

let parsed: Exercise[] | null = null

/** The built-in course, in order: walkthrough 1, walkthrough 2, why overlays, walkthrough 3. */
export function builtinExercises(): readonly Exercise[] {
  return (parsed ??= COURSE.map((c) => parseExercise(c.text, `built-in ${c.file}`)))
}

export function builtinExercise(id: string): Exercise | undefined {
  return builtinExercises().find((e) => e.metadata.id === id)
}

/** The YAML text of a built-in exercise (a starting point for a teacher's own). */
export function builtinSource(id: string): string | undefined {
  const i = builtinExercises().findIndex((e) => e.metadata.id === id)
  return i < 0 ? undefined : COURSE[i].text
}
