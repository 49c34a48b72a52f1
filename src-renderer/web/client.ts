import { timed } from '../lib/timing.ts'
import { packReply } from '../../shared/tunnels.ts'
import { CHANNELS, requestMethods, type ApiMethod, type ApiReply, type PodnetApi, type TerminalEvent, type WorkProgress } from '../../shared/api.ts'

/** What the page sends the lab Worker. */
export type WorkerRequest = { id: number; channel: string; payload: unknown } | { restore: string } | { progress: string } | { cancelFlag: SharedArrayBuffer }
/**
 * What the lab Worker sends back: an answer (a lab state's many VXLAN tunnels packed in it:
 * shared/tunnels.ts, unpacked by src-renderer/api/podnet.ts as the desktop app's are), the
 * unsaved lab text (null once saved or clean), exercise progress to keep, or what a running
 * terminal line printed.
 */
export type WorkerMessage = { id: number; reply: ApiReply } | { recovery: string | null } | { progress: string } | { terminal: TerminalEvent } | { work: WorkProgress }

/** Where the browser build keeps unsaved work between visits (the desktop app uses a file). */
export const RECOVERY_KEY = 'podnet.recovery'
/** Where it keeps the learner's exercise progress and work in progress (the desktop app: exercises.json). */
export const PROGRESS_KEY = 'podnet.exercises'

interface RecoveryStore {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
  removeItem(key: string): void
}

/**
 * `window.podnet` for the browser build: each call is a message to the Worker that runs the lab,
 * answered with the same ApiReply envelope the desktop's IPC uses, so failures reject with the
 * ApiError itself. Unsaved work is mirrored into `storage` and reopened, still unsaved, the next
 * time the page loads; `hasUnsaved()` tells the page whether leaving would lose anything.
 */
export function createWorkerApi(worker: Worker, storage?: RecoveryStore): PodnetApi & { hasUnsaved(): boolean } {
  let next = 1
  let unsaved = false
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  const terminalListeners = new Set<(e: TerminalEvent) => void>()
  const workListeners = new Set<(p: WorkProgress) => void>()
  worker.onmessage = (e: MessageEvent<WorkerMessage>) => {
    // Reading the data is what copies it into the page (a big lab's state: most of the transfer).
    const m = timed('page:receive', () => e.data)
    if ('terminal' in m) {
      for (const l of terminalListeners) l(m.terminal)
      return
    }
    if ('work' in m) {
      for (const l of workListeners) l(m.work)
      return
    }
    if ('progress' in m) {
      try {
        storage?.setItem(PROGRESS_KEY, m.progress)
      } catch {
        // Storage full or disabled: progress lasts for this visit only.
      }
      return
    }
    if ('recovery' in m) {
      unsaved = m.recovery !== null
      try {
        if (m.recovery === null) storage?.removeItem(RECOVERY_KEY)
        else storage?.setItem(RECOVERY_KEY, m.recovery)
      } catch {
        // Storage full or disabled: the lab still works, it just cannot be recovered.
      }
      return
    }
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (m.reply.ok) p.resolve(m.reply.value)
    else p.reject(m.reply.error)
  }
  worker.onerror = (e: ErrorEvent) => {
    // A crashed worker answers nothing more: fail what is waiting instead of hanging.
    for (const p of pending.values()) p.reject({ code: 'internal', message: `the lab worker failed: ${e.message}` })
    pending.clear()
  }
  // Cancelling long work: a word of memory shared with the Worker, which the engine reads between
  // commands and events (a message would wait behind the work); it holds the id of the newest
  // request to stop (src-main/ipc/work-host.ts). Memory can be shared only where the page is
  // cross-origin isolated: scripts/serve-static.mjs and the Vite servers send COOP and COEP.
  const cancelFlag = typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated ? new Int32Array(new SharedArrayBuffer(4)) : null
  if (cancelFlag) worker.postMessage({ cancelFlag: cancelFlag.buffer as SharedArrayBuffer } satisfies WorkerRequest)
  // Before any request, so the page's first calls see the learner's progress and the recovered lab.
  const progress = storage?.getItem(PROGRESS_KEY) ?? null
  if (progress !== null) worker.postMessage({ progress } satisfies WorkerRequest)
  const saved = storage?.getItem(RECOVERY_KEY) ?? null
  if (saved !== null) worker.postMessage({ restore: saved } satisfies WorkerRequest)
  const call = (method: ApiMethod) => (payload?: unknown) =>
    new Promise((resolve, reject) => {
      const id = next++
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, channel: CHANNELS[method], payload } satisfies WorkerRequest)
    })
  return {
    ...requestMethods(call),
    onTerminal(listener) {
      terminalListeners.add(listener)
      return () => terminalListeners.delete(listener)
    },
    onWork(listener) {
      workListeners.add(listener)
      return () => workListeners.delete(listener)
    },
    // Offered only where memory is shared: the page shows Cancel only where it works.
    ...(cancelFlag && {
      cancelWork() {
        if (pending.size === 0) return false
        Atomics.store(cancelFlag, 0, next - 1)
        return true
      },
    }),
    hasUnsaved: () => unsaved,
  }
}

/**
 * The message answering request `id`, with the typed arrays it can hand over without a copy: a
 * lab state with many VXLAN tunnels sends them packed (shared/tunnels.ts).
 */
export function replyMessage(id: number, reply: ApiReply): { message: WorkerMessage; transfer: ArrayBuffer[] } {
  const packed = packReply(reply)
  return { message: { id, reply: packed.reply }, transfer: packed.transfer }
}
