import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { ApiError, Lang } from '../../shared/api.ts'
import { pickMany, pickOne, type Pick } from '../canvas/selection.ts'
import { translate, type UiKey } from '../i18n/index.ts'
import { useSettingsStore } from './settings.ts'

/** A notice's parameter: a value, or a text that has a wording per language (an exercise's title). */
export type NoticeParam = string | number | Record<Lang, string>

/**
 * A short notice: a UI key with its parameters, worded when shown (so switching the language
 * rewords a notice already up), or a text that comes worded (the desktop shell's).
 */
export type Notice = { key: UiKey; params: Record<string, NoticeParam> } | { text: string }

/** A notice in a language. */
export function noticeText(n: Notice, lang: Lang): string {
  if ('text' in n) return n.text
  const params = Object.fromEntries(Object.entries(n.params).map(([k, v]) => [k, typeof v === 'object' ? v[lang] : v]))
  return translate(lang, n.key, params)
}

export type RightTab = 'lab' | 'namespace' | 'packet' | 'exercise'
export type DockTab = 'terminal' | 'trace' | 'compare' | 'events'

interface Confirmation {
  title: string
  body: string
  confirm: string
  resolve: (ok: boolean) => void
}

/** View state that is not the lab: selection, open panels and dialogs, messages. */
export const useUiStore = defineStore('ui', () => {
  /** The selected namespace ('' is the host's root namespace), or null for the whole lab. */
  const selected = ref<string | null>(null)
  /** Everything selected on the canvas (Shift+click, a box drawn with Shift): what Delete deletes. */
  const picks = ref<Pick[]>([])
  const rightTab = ref<RightTab>('lab')
  const dockTab = ref<DockTab>('trace')
  const newLabOpen = ref(false)
  /** The course list of exercises (toolbar, Help menu). */
  const exercisesOpen = ref(false)
  const confirmation = ref<Confirmation | null>(null)
  const error = ref<ApiError | null>(null)
  const shownNotice = ref<Notice | null>(null)
  /** The notice up now, in the chosen language. */
  const notice = computed(() => (shownNotice.value ? noticeText(shownNotice.value, useSettingsStore().lang) : null))
  /** Bumped to ask the canvas to lay everything out again or to fit the view. */
  const relayoutToken = ref(0)
  const fitToken = ref(0)
  /** Bumped to ask the canvas to bring the selection into view (picked from a list). */
  const revealToken = ref(0)
  let noticeTimer: ReturnType<typeof setTimeout> | undefined

  /** Selects a namespace (null: the whole lab); `reveal` also brings it into view on the canvas. */
  function select(name: string | null, reveal = false): void {
    selected.value = name
    picks.value = name === null ? [] : [{ ns: name }]
    rightTab.value = name === null ? 'lab' : 'namespace'
    if (reveal && name !== null) revealToken.value++
  }

  /**
   * A click on the canvas: a namespace or a link, alone or (additive) toggled in the selection.
   * The panel shows the namespace picked last, or the whole lab when no namespace is picked.
   */
  function pick(p: Pick | null, additive = false): void {
    picks.value = p === null ? (additive ? picks.value : []) : pickOne(picks.value, p, additive)
    followPicks()
  }

  /** Things in a box drawn on the canvas. */
  function pickAll(ps: readonly Pick[], additive: boolean): void {
    picks.value = pickMany(picks.value, ps, additive)
    followPicks()
  }

  function followPicks(): void {
    const last = [...picks.value].reverse().find((x): x is { ns: string } => 'ns' in x)
    selected.value = last?.ns ?? null
    rightTab.value = selected.value === null ? 'lab' : 'namespace'
  }

  function showError(e: ApiError): void {
    error.value = e
  }

  /** Shows a notice for 4 s: a UI key and its parameters, or (the shell's) a worded text. */
  function showNotice(n: Notice | UiKey, params: Record<string, NoticeParam> = {}): void {
    shownNotice.value = typeof n === 'string' ? { key: n, params } : n
    clearTimeout(noticeTimer)
    noticeTimer = setTimeout(() => (shownNotice.value = null), 4000)
  }

  function ask(title: string, body: string, confirm: string): Promise<boolean> {
    confirmation.value?.resolve(false)
    return new Promise((resolve) => {
      confirmation.value = { title, body, confirm, resolve }
    })
  }

  function answer(ok: boolean): void {
    const c = confirmation.value
    confirmation.value = null
    c?.resolve(ok)
  }

  return { selected, picks, pick, pickAll, rightTab, dockTab, newLabOpen, exercisesOpen, confirmation, error, notice, relayoutToken, fitToken, revealToken, select, showError, showNotice, ask, answer }
})
