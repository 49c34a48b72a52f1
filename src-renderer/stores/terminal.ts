import { defineStore } from 'pinia'
import { ref } from 'vue'
import { useLabStore } from './lab.ts'

export interface TermLine {
  kind: 'cmd' | 'out' | 'err' | 'exit' | 'info'
  text: string
}

/** Scrollback kept per namespace; older lines go first. */
export const MAX_LINES = 2000
const MAX_HISTORY = 200

/** Terminal sessions: one scrollback per namespace, one shared command history. */
export const useTerminalStore = defineStore('terminal', () => {
  /** The namespace commands run in; '' is the host's root namespace. */
  const netns = ref('')
  const sessions = ref<Record<string, TermLine[]>>({})
  const history = ref<string[]>([])
  const running = ref(false)

  function linesOf(ns: string): TermLine[] {
    return sessions.value[ns] ?? []
  }

  function push(ns: string, line: TermLine): void {
    const list = sessions.value[ns] ?? (sessions.value[ns] = [])
    list.push(line)
    if (list.length > MAX_LINES) list.splice(0, list.length - MAX_LINES)
  }

  function clear(ns = netns.value): void {
    sessions.value[ns] = []
  }

  function remember(line: string): void {
    if (history.value[history.value.length - 1] !== line) history.value.push(line)
    if (history.value.length > MAX_HISTORY) history.value.splice(0, history.value.length - MAX_HISTORY)
  }

  /** Runs a line in the current namespace and appends what it printed and its exit code. */
  async function run(line: string): Promise<void> {
    const ns = netns.value
    const text = line.trim()
    if (text === '') return
    remember(text)
    push(ns, { kind: 'cmd', text })
    if (text === 'clear') {
      clear(ns)
      return
    }
    running.value = true
    try {
      const r = await useLabStore().exec(text, ns === '' ? undefined : ns)
      if (!r) return
      if (r.stdout) push(ns, { kind: 'out', text: r.stdout.replace(/\n$/, '') })
      if (r.stderr) push(ns, { kind: 'err', text: r.stderr.replace(/\n$/, '') })
      if (r.exitCode !== 0) push(ns, { kind: 'exit', text: String(r.exitCode) })
    } finally {
      running.value = false
    }
  }

  function reset(): void {
    sessions.value = {}
  }

  return { netns, sessions, history, running, linesOf, push, clear, run, reset }
})
