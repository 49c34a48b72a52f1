import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Edit, ExecResult, LabDelta, LabState, LayoutChange, NetnsTables, Point, NetnsView, ScenarioInfo } from '../../shared/api.ts'
import { applyDelta } from '../../shared/delta.ts'
import { api, onShellEvent, toApiError } from '../api/podnet.ts'
import { prunePicks } from '../canvas/selection.ts'
import { translate } from '../i18n/index.ts'
import { timed } from '../lib/timing.ts'
import { download, safeFileName } from '../lib/download.ts'
import { useSettingsStore } from './settings.ts'
import { useUiStore } from './ui.ts'
import { useWorkStore } from './work.ts'

const NO_POSITIONS: Readonly<Record<string, { x: number; y: number }>> = Object.freeze({})

/**
 * The open lab as the engine reports it. The store never computes network behaviour: every
 * change is an API call (an edit or a command line); the whole state comes when a lab is loaded,
 * and each reply after that carries what changed (a LabDelta), which the store applies.
 * The tables of the namespace a panel shows are fetched on their own (`followTables`).
 */
export const useLabStore = defineStore('lab', () => {
  // A new state object per answer (unchanged namespaces keep their objects); shallowRef skips
  // deep proxies over big topologies.
  const state = shallowRef<LabState | null>(null)
  /** The tables of the followed namespace, refreshed after every change. */
  const tables = shallowRef<NetnsTables | null>(null)
  /** Which namespace's tables to keep (the one a panel shows), or null. */
  const followed = ref<string | null>(null)
  const scenarios = ref<ScenarioInfo[]>([])
  const busy = ref(false)
  /** Bumped whenever a different lab is loaded (new, open, restore), so views can reset. */
  const generation = ref(0)
  let stopShell: (() => void) | null = null

  const namespaces = computed<NetnsView[]>(() => state.value?.topology.namespaces ?? [])
  const byName = computed(() => new Map(namespaces.value.map((n) => [n.name, n])))
  const nodes = computed(() => namespaces.value.filter((n) => n.role === 'node'))
  const pods = computed(() => namespaces.value.filter((n) => n.role === 'pod'))
  /**
   * The scenario the open lab was made from, as the toolbar's picker shows it: a lab is named after
   * its scenario; an exercise's lab (named after the exercise) or a lab of another name is none ('').
   */
  const openScenario = computed<string>(() => {
    const s = state.value
    if (!s || s.exercise) return ''
    return scenarios.value.some((x) => x.name === s.name) ? s.name : ''
  })

  const ui = () => useUiStore()
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(useSettingsStore().lang, key, params)

  function apply(s: LabState, newLab = false): void {
    timed('page:store', () => applyState(s, newLab))
  }

  function applyState(s: LabState, newLab: boolean): void {
    state.value = s
    if (newLab) generation.value++
    const sel = ui().selected
    if (sel !== null && !s.topology.namespaces.some((n) => n.name === sel)) ui().select(null)
    // What went from the lab goes from the canvas's selection.
    const picks = ui().picks
    if (picks.length) ui().picks = prunePicks(s.topology, picks)
    void reloadTables()
  }

  /** Applies a reply's delta; one that does not follow from our state makes us ask for the whole state. */
  async function applyChange(d: LabDelta): Promise<void> {
    const next = state.value ? applyDelta(state.value, d) : null
    if (next) apply(next)
    else await refresh()
  }

  let tablesAsked = 0
  /** Fetches the followed namespace's tables (the newest request wins). */
  async function reloadTables(): Promise<void> {
    const name = followed.value
    const ask = ++tablesAsked
    if (name === null || !state.value?.topology.namespaces.some((n) => n.name === name)) {
      tables.value = null
      return
    }
    try {
      const t = await api.tables({ netns: name })
      if (ask === tablesAsked) tables.value = t
    } catch (e) {
      if (ask === tablesAsked) tables.value = null
      ui().showError(toApiError(e))
    }
  }

  /** Keeps the tables of this namespace (null: none) fresh: fetched now and after every change. */
  function followTables(name: string | null): Promise<void> {
    if (followed.value === name && (name === null || tables.value?.netns === name)) return Promise.resolve()
    followed.value = name
    if (tables.value?.netns !== name) tables.value = null
    return reloadTables()
  }

  /** Runs one call with the busy flag; failures become the error banner, never an exception. */
  /**
   * Runs a request, showing its error. `quiet`: a read that may come many times a second (the
   * inspector following the player) and does not make the lab busy (forms stay as they are).
   */
  async function call<T>(fn: () => Promise<T>, quiet = false): Promise<T | undefined> {
    if (!quiet) busy.value = true
    try {
      return await fn()
    } catch (e) {
      const err = toApiError(e)
      // Stopped at the learner's request: nothing changed, which is no error.
      if (err.code === 'cancelled') useWorkStore().cancelled()
      else ui().showError(err)
      return undefined
    } finally {
      if (!quiet) busy.value = false
    }
  }

  async function init(): Promise<void> {
    stopShell?.()
    stopShell = onShellEvent((e) => {
      if (e.type === 'state') apply(e.state, e.reset === true)
      else if (e.type === 'delta') void applyChange(e.delta)
      else if (e.type === 'command' && e.command === 'new-lab') ui().newLabOpen = true
      else if (e.type === 'command' && e.command === 'exercises') ui().exercisesOpen = true
      else if (e.type === 'notice') ui().showNotice({ text: e.text })
      else if (e.type === 'error') ui().showError(e.error)
    })
    const [list, s] = await Promise.all([call(() => api.listScenarios()), call(() => api.getState())])
    if (list) scenarios.value = list
    if (s) apply(s, true)
    // A lab is only unsaved at start when the shell reopened the work of a session that ended unsaved.
    if (s?.dirty) ui().showNotice('notice.recovered', { name: s.name })
  }

  function dispose(): void {
    stopShell?.()
    stopShell = null
  }

  /** Asks before replacing a lab with unsaved changes. */
  async function mayDiscard(): Promise<boolean> {
    if (!state.value?.dirty) return true
    return ui().ask(t('confirm.discardTitle'), t('confirm.discardBody', { name: state.value.name }), t('confirm.discard'))
  }

  async function newLab(scenario: string, nodes?: number, podsPerNode?: number): Promise<boolean> {
    if (!(await mayDiscard())) return false
    const req: { scenario: string; nodes?: number; podsPerNode?: number } = { scenario }
    if (nodes !== undefined) req.nodes = nodes
    if (podsPerNode !== undefined) req.podsPerNode = podsPerNode
    const s = await call(() => useWorkStore().track(() => api.newLab(req)))
    if (!s) return false
    ui().select(null)
    apply(s, true)
    return true
  }

  async function openText(text: string, fileName: string): Promise<boolean> {
    if (!(await mayDiscard())) return false
    const s = await call(() => useWorkStore().track(() => api.openLab({ text, name: fileName })))
    if (!s) return false
    ui().select(null)
    apply(s, true)
    ui().showNotice('notice.opened', { name: fileName })
    return true
  }

  async function openFile(file: File): Promise<boolean> {
    const text = await file.text()
    return openText(text, file.name)
  }

  /** Saves where the shell can (desktop: to disk); otherwise downloads the lab file. */
  async function save(): Promise<void> {
    const r = await call(() => api.saveLab({}))
    if (!r || r.cancelled) return
    if (r.path) ui().showNotice('notice.saved', { name: r.path })
    else {
      const name = safeFileName(state.value?.name ?? 'lab', '.yaml')
      download(name, r.text, 'application/yaml')
      ui().showNotice('notice.downloaded', { name })
    }
    const d = await call(() => api.getDelta())
    if (d) await applyChange(d)
  }

  async function refresh(): Promise<void> {
    const s = await call(() => api.getState())
    if (s) apply(s)
  }

  async function exec(line: string, netns?: string): Promise<ExecResult | undefined> {
    const r = await call(() => api.exec(netns === undefined ? { line } : { line, netns }))
    if (r) await applyChange(r.delta)
    return r
  }

  /** An edit from a panel or the canvas (`place`: where what it adds goes); a command that fails shows its stderr. */
  async function edit(e: Edit, place?: Record<string, Point>): Promise<boolean> {
    const r = await call(() => api.edit(place ? { ...e, place } : e))
    if (!r) return false
    await applyChange(r.delta)
    if (r.exitCode !== 0) {
      ui().showError({ code: 'invalid-request', message: (r.stderr || r.stdout).trim() || `exit code ${r.exitCode}` })
      return false
    }
    return true
  }

  async function undo(): Promise<void> {
    if (!state.value?.canUndo) return
    const d = await call(() => api.undo())
    if (d) await applyChange(d)
  }

  async function redo(): Promise<void> {
    if (!state.value?.canRedo) return
    const d = await call(() => api.redo())
    if (d) await applyChange(d)
  }

  /** Moves things on the canvas, or back to the automatic layout: one undo step; the lab is modified. */
  async function setLayout(change: LayoutChange): Promise<boolean> {
    const d = await call(() => api.setLayout(change))
    if (!d) return false
    await applyChange(d)
    return true
  }

  async function exportScript(): Promise<void> {
    const r = await call(() => api.exportScript({}))
    if (!r) return
    const name = safeFileName(state.value?.name ?? 'lab', '.sh')
    download(name, r.text, 'text/x-shellscript')
    ui().showNotice('notice.downloaded', { name })
  }

  /** Where the user put things on the canvas (LabLayout.positions); empty: the automatic layout. */
  const positions = computed(() => state.value?.layout?.positions ?? NO_POSITIONS)

  return { state, tables, followed, scenarios, openScenario, busy, generation, namespaces, byName, nodes, pods, positions, init, dispose, apply, applyChange, followTables, call, newLab, openText, openFile, save, refresh, exec, edit, undo, redo, setLayout, exportScript }
})
