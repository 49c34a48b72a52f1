import { onBeforeUnmount, onMounted } from 'vue'
import { hasShell } from '../api/podnet.ts'
import { useLabStore } from '../stores/lab.ts'

/**
 * Ctrl/Cmd+Z, +Y (or +Shift+Z) and +S where no desktop shell owns them (the desktop menu has
 * the same accelerators). Typing in a field keeps the field's own undo.
 */
export function useKeyboardShortcuts(): void {
  const lab = useLabStore()
  const onKey = (e: KeyboardEvent): void => {
    if (hasShell() || !(e.ctrlKey || e.metaKey) || e.altKey) return
    const t = e.target as HTMLElement | null
    const editing = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT' || t.isContentEditable)
    const k = e.key.toLowerCase()
    if (k === 's') {
      e.preventDefault()
      void lab.save()
    } else if (!editing && k === 'z' && !e.shiftKey) {
      e.preventDefault()
      void lab.undo()
    } else if (!editing && (k === 'y' || (k === 'z' && e.shiftKey))) {
      e.preventDefault()
      void lab.redo()
    }
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
