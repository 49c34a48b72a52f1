// The window's only door to the lab: one ipcRenderer.invoke per channel, exposed as
// `window.podnet` through contextBridge. Runs sandboxed, so it is bundled as CommonJS and may
// require nothing but `electron`.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { CHANNELS, SHELL_EVENT_CHANNEL, type ApiMethod, type ApiReply, type PodnetApi, type ShellEvent } from '../shared/api.ts'

function call<K extends ApiMethod>(method: K): PodnetApi[K] {
  const channel = CHANNELS[method]
  // Failures arrive as { ok: false, error } and are rethrown as the plain ApiError object, which
  // survives the bridge with its code, message and path (an Error would keep only its message).
  return (async (payload?: unknown) => {
    const reply = (await ipcRenderer.invoke(channel, payload)) as ApiReply
    if (reply.ok) return reply.value
    throw reply.error
  }) as unknown as PodnetApi[K]
}

const api: PodnetApi = {
  listScenarios: call('listScenarios'),
  newLab: call('newLab'),
  openLab: call('openLab'),
  getState: call('getState'),
  saveLab: call('saveLab'),
  exec: call('exec'),
  edit: call('edit'),
  undo: call('undo'),
  redo: call('redo'),
  trace: call('trace'),
  exportScript: call('exportScript'),
  exportPcap: call('exportPcap'),
  dissect: call('dissect'),
  onShellEvent(listener: (e: ShellEvent) => void): () => void {
    const handler = (_e: IpcRendererEvent, ev: ShellEvent): void => listener(ev)
    ipcRenderer.on(SHELL_EVENT_CHANNEL, handler)
    return () => {
      ipcRenderer.removeListener(SHELL_EVENT_CHANNEL, handler)
    }
  },
}

contextBridge.exposeInMainWorld('podnet', api)
