import { defineStore } from 'pinia'
import { ref, watch } from 'vue'
import type { ExerciseCheckView, ExerciseOpened, ExerciseSummary, ExerciseView, HistoryEntry } from '../../shared/api.ts'
import { api } from '../api/podnet.ts'
import { translate } from '../i18n/index.ts'
import { useLabStore } from './lab.ts'
import { useSettingsStore } from './settings.ts'
import { useUiStore } from './ui.ts'
import { useWorkStore } from './work.ts'

const AUTO_CHECK_KEY = 'podnet.autoCheck'

function initialAutoCheck(): boolean {
  try {
    return globalThis.localStorage?.getItem(AUTO_CHECK_KEY) !== 'off'
  } catch {
    return true
  }
}

/**
 * The exercise side of the app: the course list, the open exercise (what the learner may see of
 * it), the last check's results, and checking after each change. The exercise that is open is
 * the one the open lab names (LabState.exercise), so opening a saved lab continues it.
 */
export const useExercisesStore = defineStore('exercises', () => {
  const list = ref<ExerciseSummary[]>([])
  const current = ref<ExerciseView | null>(null)
  const check = ref<ExerciseCheckView | null>(null)
  const checking = ref(false)
  const autoCheck = ref(initialAutoCheck())

  const lab = useLabStore()
  const ui = () => useUiStore()
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(useSettingsStore().lang, key, params)

  watch(autoCheck, (on) => {
    try {
      globalThis.localStorage?.setItem(AUTO_CHECK_KEY, on ? 'on' : 'off')
    } catch {
      // Not kept; the choice holds for this session.
    }
    if (on) void runCheck()
  })

  async function loadList(): Promise<void> {
    const l = await lab.call(() => api.listExercises())
    if (l) list.value = l
  }

  function openCourse(): void {
    ui().exercisesOpen = true
  }

  // However the course is opened (toolbar, Help menu, the panel), it shows fresh statuses.
  watch(
    () => ui().exercisesOpen,
    (open) => {
      if (open) void loadList()
    },
  )

  function opened(r: ExerciseOpened): void {
    lab.apply(r.state, true)
    current.value = r.exercise
    check.value = null
    ui().select(null)
    ui().rightTab = 'exercise'
  }

  /** Asks before replacing unsaved work that no exercise keeps (an exercise's own work is kept). */
  async function mayReplace(): Promise<boolean> {
    const s = lab.state
    if (!s?.dirty || s.exercise) return true
    return ui().ask(t('confirm.exerciseTitle'), t('confirm.exerciseBody', { name: s.name }), t('confirm.openExercise'))
  }

  async function open(id: string, fresh = false): Promise<boolean> {
    if (!(await mayReplace())) return false
    const r = await lab.call(() => useWorkStore().track(() => api.openExercise(fresh ? { id, fresh } : { id })))
    if (!r) return false
    opened(r)
    ui().exercisesOpen = false
    ui().showNotice('notice.exerciseOpened', { title: { ...r.exercise.title } })
    if (autoCheck.value) await runCheck()
    return true
  }

  /** A teacher's exercise file chosen from disk. */
  async function openFile(file: File): Promise<boolean> {
    if (!(await mayReplace())) return false
    const text = await file.text()
    const r = await lab.call(() => useWorkStore().track(() => api.openExercise({ text, name: file.name })))
    if (!r) return false
    opened(r)
    ui().exercisesOpen = false
    await loadList()
    if (autoCheck.value) await runCheck()
    return true
  }

  async function refresh(): Promise<void> {
    const v = await lab.call(() => api.exerciseState())
    if (v === undefined) return
    if (v?.id !== current.value?.id) check.value = null
    current.value = v
  }

  let again = false
  /** Checks the open lab; a change made while a check runs gets a check of its own afterwards. */
  async function runCheck(): Promise<void> {
    if (!current.value) return
    if (checking.value) {
      again = true
      return
    }
    checking.value = true
    try {
      const wasSolved = current.value.status === 'solved'
      const r = await lab.call(() => api.checkExercise())
      if (r) {
        current.value = r.exercise
        check.value = r.check
        if (r.check.pass && !wasSolved) ui().showNotice('notice.exerciseSolved', { title: { ...r.exercise.title } })
      }
    } finally {
      checking.value = false
    }
    if (again) {
      again = false
      await runCheck()
    }
  }

  async function hint(): Promise<void> {
    const v = await lab.call(() => api.revealHint())
    if (v) current.value = v
  }

  async function reset(): Promise<void> {
    if (!(await ui().ask(t('ex.resetTitle'), t('ex.resetBody'), t('ex.reset')))) return
    const r = await lab.call(() => useWorkStore().track(() => api.resetExercise()))
    if (!r) return
    opened(r)
    if (autoCheck.value) await runCheck()
  }

  async function answer(goal: string, value: string): Promise<void> {
    const r = await lab.call(() => api.answerQuestion({ goal, answer: value }))
    if (!r) return
    current.value = r.exercise
    lab.apply(r.state)
    if (autoCheck.value) await runCheck()
  }

  async function remove(id: string, title: string): Promise<void> {
    if (!(await ui().ask(t('course.removeTitle', { title }), '', t('course.remove')))) return
    const l = await lab.call(() => api.removeExercise({ id }))
    if (l) list.value = l
  }

  // The open lab decides which exercise is open (opening a saved lab continues its exercise), and
  // each change to its history may change what passes.
  const historyKey = (h: readonly HistoryEntry[]): string => h.map((e) => `${e.atNs} ${e.line}`).join('\n')
  watch(
    () => lab.state,
    async (s, old) => {
      if (!s) return
      if (s.exercise !== current.value?.id) {
        await refresh()
        if (current.value) {
          ui().rightTab = 'exercise'
          if (autoCheck.value) await runCheck()
        }
        return
      }
      if (current.value && autoCheck.value && old && s.exercise === old.exercise && historyKey(s.history) !== historyKey(old.history)) await runCheck()
    },
  )

  return { list, current, check, checking, autoCheck, loadList, openCourse, open, openFile, refresh, runCheck, hint, reset, answer, remove }
})
