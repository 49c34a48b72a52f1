import type { TerminalEvent } from '../../shared/api.ts'
import { formatMessage } from '../../shared/messages/index.ts'
import { api, onTerminal, toApiError } from '../api/podnet.ts'
import { useLabStore } from '../stores/lab.ts'
import { useSettingsStore } from '../stores/settings.ts'
import { useTerminalStore, type TermTab } from '../stores/terminal.ts'
import { TerminalShell, type RunOutcome, type ShellHost } from './shell.ts'

/**
 * The terminals' screens by tab id. They live outside reactive state (an xterm instance is a
 * big cyclic object) and outside the component, so switching the dock to another tab and back
 * keeps every scrollback.
 */
const shells = new Map<number, TerminalShell>()

/** The prompt of Debian/Ubuntu's root shell: a node's home directory, a container's `/`. */
export function promptFor(netns: string, role: string | undefined): string {
  const host = netns === '' ? 'host' : netns
  const dir = role === 'pod' ? '/' : '~'
  return `\x1b[01;32mroot@${host}\x1b[00m:\x1b[01;34m${dir}\x1b[00m# `
}

/** A refusal of the lab, in the learner's language where it has words for it (a message key). */
function message(e: unknown): string {
  const err = toApiError(e)
  return err.msg ? formatMessage(err.msg, err.params ?? {}, useSettingsStore().lang) : err.message
}

/** Lines running in the lab, by terminal: where their output goes and who waits for their end. */
const running = new Map<number, { write: (text: string) => void; done: (o: RunOutcome) => void }>()
let stopListening: (() => void) | null = null

/** Routes what the lab pushes (output, ends, files, the clock) to terminals and the store. */
function listen(): void {
  if (stopListening) return
  stopListening = onTerminal((e: TerminalEvent) => {
    const store = useTerminalStore()
    if (e.type === 'clock') {
      store.clockAt(e.timeNs, e.running, e.speed)
      return
    }
    if (e.type === 'file') {
      store.addFile(e.term, e.name, e.bytes)
      return
    }
    const r = running.get(e.term)
    if (!r) return
    if (e.type === 'output') r.write(e.data)
    else {
      running.delete(e.term)
      const outcome: RunOutcome = e.shell ? { exitCode: e.exitCode, shell: e.shell } : { exitCode: e.exitCode }
      void useLabStore().applyChange(e.delta).then(() => r.done(outcome))
    }
  })
}

/** Runs a terminal's lines in the lab: output streams while simulated time runs; Ctrl+C interrupts. */
function labHost(term: number): ShellHost {
  const lab = useLabStore()
  return {
    async run(line, netns, write) {
      listen()
      try {
        const r = await api.termRun(netns === '' ? { term, line } : { term, line, netns })
        write(r.output)
        if (r.running) return await new Promise<RunOutcome>((done) => running.set(term, { write, done }))
        await lab.applyChange(r.delta)
        return r.shell ? { exitCode: r.exitCode, shell: r.shell } : { exitCode: r.exitCode }
      } catch (e) {
        write(`podnet: ${message(e)}\n`)
        return { exitCode: 1 }
      }
    },
    interrupt() {
      void api.termInterrupt({ term }).catch(() => undefined)
    },
    async complete(line, cursor, netns) {
      try {
        return await api.complete(netns === '' ? { line, cursor } : { line, cursor, netns })
      } catch {
        return null
      }
    },
  }
}

/** The screen of a tab, made on first use. */
export function shellOf(tab: TermTab): TerminalShell {
  let s = shells.get(tab.id)
  if (s) return s
  const store = useTerminalStore()
  const lab = useLabStore()
  s = new TerminalShell({
    netns: tab.netns,
    host: labHost(tab.id),
    history: { entries: () => store.history, add: (line) => store.remember(line) },
    prompt: (ns) => promptFor(ns, lab.byName.get(ns)?.role),
    onNetns: (ns) => store.update(tab.id, { netns: ns }),
    onRunning: (running) => store.update(tab.id, { running }),
    onExit: () => {
      store.close(tab.id)
      // Not from inside the screen's own key handler.
      setTimeout(() => disposeShell(tab.id), 0)
    },
  })
  shells.set(tab.id, s)
  return s
}

export function existingShell(id: number): TerminalShell | undefined {
  return shells.get(id)
}

export function disposeShell(id: number): void {
  shells.get(id)?.dispose()
  shells.delete(id)
  // A line still running there is stopped: nobody would see it.
  if (running.delete(id)) void api.termInterrupt({ term: id }).catch(() => undefined)
}

export function disposeAllShells(): void {
  for (const id of [...shells.keys()]) disposeShell(id)
}
