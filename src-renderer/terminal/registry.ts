import { api, toApiError } from '../api/podnet.ts'
import { useLabStore } from '../stores/lab.ts'
import { useTerminalStore, type TermTab } from '../stores/terminal.ts'
import { TerminalShell, type ShellHost } from './shell.ts'

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

function message(e: unknown): string {
  return toApiError(e).message
}

/** Runs lines through the lab's exec call and completes words with its candidates. */
function labHost(): ShellHost {
  const lab = useLabStore()
  return {
    async run(line, netns, write) {
      try {
        const r = await api.exec(netns === '' ? { line } : { line, netns })
        await lab.applyChange(r.delta)
        write(r.stdout)
        write(r.stderr)
        return r.shell ? { exitCode: r.exitCode, shell: r.shell } : { exitCode: r.exitCode }
      } catch (e) {
        write(`podnet: ${message(e)}\n`)
        return { exitCode: 1 }
      }
    },
    interrupt() {},
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
    host: labHost(),
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
}

export function disposeAllShells(): void {
  for (const id of [...shells.keys()]) disposeShell(id)
}
