import { onBeforeUnmount, onMounted, watch } from 'vue'
import { stepInterval } from '../player/player.ts'
import { useTraceStore } from '../stores/trace.ts'
import { useUiStore } from '../stores/ui.ts'

/**
 * Whether a key press belongs to what has the focus: typing, a list box, a terminal, a slider, a
 * dialog, or a button elsewhere than the player and its step list (Space presses a button).
 */
function ownsKeys(t: EventTarget | null): boolean {
  const el = t as HTMLElement | null
  if (!el || !el.tagName) return false
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true
  if (el.tagName === 'INPUT') return (el as HTMLInputElement).type !== 'checkbox' || !el.closest('[data-player-keys]')
  if (el.closest('[role="dialog"], [role="listbox"], [role="combobox"], .xterm')) return true
  const pressable = el.tagName === 'BUTTON' || el.tagName === 'A' || el.getAttribute('role') === 'tab'
  return pressable && !el.closest('[data-player-keys]')
}

/**
 * The trace player's clock and keys, for the whole window: while playing, the next step comes
 * after the speed's interval; Space plays or pauses, ← and → step, Home and End jump to the ends
 * (when a trace is shown in the dock and the focus is not in a field, a list or a terminal).
 * Cleans up its timer and listener.
 */
export function usePlayer(): void {
  const trace = useTraceStore()
  const ui = useUiStore()
  let timer: ReturnType<typeof setTimeout> | undefined

  const schedule = (): void => {
    clearTimeout(timer)
    timer = undefined
    if (trace.playing) timer = setTimeout(() => trace.tick(), stepInterval(trace.speed))
  }
  watch(() => [trace.playing, trace.speed, trace.selected], schedule)

  const onKey = (e: KeyboardEvent): void => {
    if (!trace.current || ui.dockTab !== 'trace' || e.ctrlKey || e.metaKey || e.altKey || ownsKeys(e.target)) return
    const actions: Record<string, () => void> = { ' ': trace.toggle, ArrowRight: trace.next, ArrowLeft: trace.prev, Home: trace.first, End: trace.last }
    const act = actions[e.key]
    if (!act) return
    e.preventDefault()
    act()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey)
    clearTimeout(timer)
  })
}
