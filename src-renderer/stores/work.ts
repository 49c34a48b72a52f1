import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { WorkProgress } from '../../shared/api.ts'
import { canCancelWork, cancelWork, onWork } from '../api/podnet.ts'
import { useUiStore } from './ui.ts'

/** Work shorter than this (wall ms) never shows a progress bar: it would only flash. */
export const SHOW_AFTER_MS = 300

/**
 * Long work of the lab host (building a new lab, opening one, replaying its history) as the page
 * shows it: a progress bar with Cancel once the work has lasted SHOW_AFTER_MS. Work starts when
 * the page asks for it (`track`) or when the host first reports progress of work someone else
 * started (the desktop's menus); it ends when the request settles or the host says it ended.
 */
export const useWorkStore = defineStore('work', () => {
  /** The host's latest report, or null before the first. */
  const progress = shallowRef<WorkProgress | null>(null)
  const active = ref(false)
  /** Whether the bar is on screen (the work has lasted SHOW_AFTER_MS). */
  const shown = ref(false)
  /**
   * Whether the work under way can be stopped: the host can (the desktop app; the browser build
   * where cross-origin isolated) and the work is not one nobody may stop (reopening recovered work).
   */
  const hostCancels = canCancelWork()
  const cancellable = computed(() => hostCancels && progress.value?.cancellable !== false)
  /** Cancel was pressed and the host is stopping. */
  const cancelling = ref(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  let tracked = 0

  /** Done as a fraction of 1 (the host's own where steps differ in length), or null while the host has not said how much there is. */
  const fraction = computed(() => {
    const p = progress.value
    if (p?.fraction !== undefined) return Math.min(1, Math.max(0, p.fraction))
    return p && p.total > 0 ? Math.min(1, p.done / p.total) : null
  })

  function begin(): void {
    if (active.value) return
    active.value = true
    cancelling.value = false
    progress.value = null
    clearTimeout(timer)
    timer = setTimeout(() => (shown.value = active.value), SHOW_AFTER_MS)
  }

  function finish(): void {
    clearTimeout(timer)
    active.value = false
    shown.value = false
    cancelling.value = false
    progress.value = null
  }

  /** Runs a request of the page that may be long work: the bar shows while it lasts. */
  async function track<T>(fn: () => Promise<T>): Promise<T> {
    tracked++
    begin()
    try {
      return await fn()
    } finally {
      if (--tracked === 0) finish()
    }
  }

  function report(p: WorkProgress): void {
    if (p.end !== undefined) {
      if (p.end === 'cancelled') cancelled()
      // A request of the page ends when its reply comes (the page may still be applying it).
      if (tracked === 0) finish()
      return
    }
    begin()
    progress.value = p
  }

  /** Asks the host to stop; the request then fails with code 'cancelled' and the open lab stays. */
  function cancel(): void {
    if (!active.value || cancelling.value || !cancellable.value) return
    cancelling.value = true
    // False: nothing was left to stop (it had just ended).
    if (!cancelWork()) cancelling.value = false
  }

  /** Says the work was cancelled and nothing changed. */
  function cancelled(): void {
    useUiStore().showNotice('work.cancelled')
  }

  /** Follows the host's reports; returns what stops following them. */
  function listen(): () => void {
    const stop = onWork(report)
    return () => {
      stop()
      finish()
    }
  }

  return { progress, active, shown, cancellable, cancelling, fraction, track, report, cancel, cancelled, listen }
})
