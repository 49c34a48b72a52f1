// The window's only door to the lab: one ipcRenderer.invoke per channel, exposed as
// `window.podnet` through contextBridge. Runs sandboxed, so it is bundled as CommonJS and may
// require nothing but `electron`.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CANCEL_WORK_CHANNEL, CHANNELS, requestMethods, SHELL_EVENT_CHANNEL, TERMINAL_EVENT_CHANNEL, WORK_EVENT_CHANNEL, type ApiMethod, type ApiReply, type PodnetApi, type ShellEvent, type TerminalEvent, type WorkProgress } from '../shared/api.ts'

// Failures arrive as { ok: false, error } and are rethrown as the plain ApiError object, which
// survives the bridge with its code, message and path (an Error would keep only its message).
const api: PodnetApi = {
  ...requestMethods((method: ApiMethod) => async (payload?: unknown) => {
    const reply = (await ipcRenderer.invoke(CHANNELS[method], payload)) as ApiReply
    if (reply.ok) return reply.value
    throw reply.error
  }),
  onShellEvent(listener: (e: ShellEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, ev: ShellEvent): void => listener(ev)
    ipcRenderer.on(SHELL_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(SHELL_EVENT_CHANNEL, handler)
    }
  },
  onTerminal(listener: (e: TerminalEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, ev: TerminalEvent): void => listener(ev)
    ipcRenderer.on(TERMINAL_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(TERMINAL_EVENT_CHANNEL, handler)
    }
  },
  onWork(listener: (p: WorkProgress) => void): () => void {
    const handler = (_e: IpcRendererEvent, p: WorkProgress): void => listener(p)
    ipcRenderer.on(WORK_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(WORK_EVENT_CHANNEL, handler)
    }
  },
  // A message, not an invoke: it must not wait behind the work it stops (the lab thread reads a
  // shared flag the shell sets). Whether anything was under way is not known here.
  cancelWork(): boolean {
    ipcRenderer.send(CANCEL_WORK_CHANNEL)
    return true
  },
}

contextBridge.exposeInMainWorld('podnet', api)
