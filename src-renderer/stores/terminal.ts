import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import { api } from '../api/podnet.ts'
import { useLabStore } from './lab.ts'
import { useUiStore } from './ui.ts'

/** One terminal tab: the namespace it was opened in and the one its (nested) shell is in now. */
export interface TermTab {
  id: number
  /** The namespace the terminal was opened in ('' is the host's root namespace). */
  base: string
  /** The namespace of the innermost shell (`ip netns exec NS bash` enters NS). */
  netns: string
  running: boolean
}

/** A file a terminal command wrote, waiting to be saved. */
export interface CapturedFileView {
  id: number
  term: number
  name: string
  bytes: Uint8Array
}

/** bash's HISTSIZE default. */
export const MAX_HISTORY = 500
const HISTORY_KEY = 'podnet.history.'

function loadHistory(key: string): string[] {
  try {
    const raw = globalThis.localStorage?.getItem(HISTORY_KEY + key)
    const list: unknown = raw ? JSON.parse(raw) : []
    return Array.isArray(list) ? list.filter((l): l is string => typeof l === 'string').slice(-MAX_HISTORY) : []
  } catch {
    return []
  }
}

/**
 * The terminal tabs and the command history they share. The history is kept per lab (by its file
 * path, else its name) in local storage, as bash keeps ~/.bash_history; like bash with
 * HISTCONTROL=ignoreboth, a line starting with a space and a repeat of the last line are not kept.
 * The terminals themselves (xterm screens) are not state: see terminal/registry.ts.
 */
export const useTerminalStore = defineStore('terminal', () => {
  const tabs = ref<TermTab[]>([])
  const activeId = ref<number | null>(null)
  const history = ref<string[]>([])
  /** Simulated seconds per wall second while commands run. */
  const speed = ref(1)
  /** The lab's simulated clock as last pushed, and whether commands are running it. */
  const clockNs = ref(0)
  const clockRunning = ref(false)
  /** Files terminal commands wrote (`tcpdump -w`), newest last, until saved or dismissed. */
  const files = shallowRef<CapturedFileView[]>([])
  let nextFileId = 1
  let historyKey = ''
  let nextId = 1

  const active = computed(() => tabs.value.find((t) => t.id === activeId.value) ?? null)

  /**
   * Shows a terminal in a namespace: the tab already in it, else a new one (`newTab`: always a new
   * one). What the canvas context menu's "open terminal here" and the namespace panel call;
   * `show: false` opens it without bringing the dock's terminal forward.
   */
  function openTerminal(netns: string, opts: { newTab?: boolean; show?: boolean } = {}): TermTab {
    const existing = opts.newTab ? undefined : tabs.value.find((t) => t.netns === netns && !t.running)
    const tab = existing ?? { id: nextId++, base: netns, netns, running: false }
    if (!existing) tabs.value.push(tab)
    activeId.value = tab.id
    if (opts.show !== false) useUiStore().dockTab = 'terminal'
    return tabs.value.find((t) => t.id === tab.id)!
  }

  function activate(id: number): void {
    if (tabs.value.some((t) => t.id === id)) activeId.value = id
  }

  function close(id: number): void {
    const i = tabs.value.findIndex((t) => t.id === id)
    if (i < 0) return
    tabs.value.splice(i, 1)
    if (activeId.value === id) activeId.value = (tabs.value[i] ?? tabs.value[i - 1])?.id ?? null
  }

  function update(id: number, patch: Partial<Pick<TermTab, 'netns' | 'running'>>): void {
    const t = tabs.value.find((x) => x.id === id)
    if (t) Object.assign(t, patch)
  }

  /** Switches to a lab's history (when a lab is opened or created). */
  function useHistoryOf(labKey: string): void {
    historyKey = labKey
    history.value = loadHistory(labKey)
  }

  function remember(line: string): void {
    if (line.startsWith(' ') || line.trim() === '' || history.value[history.value.length - 1] === line) return
    history.value.push(line)
    if (history.value.length > MAX_HISTORY) history.value.splice(0, history.value.length - MAX_HISTORY)
    try {
      globalThis.localStorage?.setItem(HISTORY_KEY + historyKey, JSON.stringify(history.value))
    } catch {
      // Storage full or disabled: the history still holds for this session.
    }
  }

  function clockAt(timeNs: number, isRunning: boolean, s: number): void {
    clockNs.value = timeNs
    clockRunning.value = isRunning
    speed.value = s
  }

  async function setSpeed(s: number): Promise<void> {
    const r = await useLabStore().call(() => api.termSpeed({ speed: s }))
    if (r) speed.value = r.speed
  }

  function addFile(term: number, name: string, bytes: Uint8Array): void {
    const list = files.value.filter((f) => !(f.term === term && f.name === name))
    files.value = [...list, { id: nextFileId++, term, name, bytes }]
  }

  function dropFile(id: number): void {
    files.value = files.value.filter((f) => f.id !== id)
  }

  /** A different lab: its namespaces differ, so every terminal closes. */
  function reset(): void {
    tabs.value = []
    activeId.value = null
    files.value = []
  }

  return { tabs, activeId, active, history, speed, clockNs, clockRunning, files, openTerminal, activate, close, update, useHistoryOf, remember, clockAt, setSpeed, addFile, dropFile, reset }
})
