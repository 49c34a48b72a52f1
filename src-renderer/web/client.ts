import { CHANNELS, type ApiMethod, type ApiReply, type PodnetApi } from '../../shared/api.ts'

/**
 * `window.podnet` for the browser build: each call is a message to the Worker that runs the lab,
 * answered with the same ApiReply envelope the desktop's IPC uses, so failures reject with the
 * ApiError itself.
 */
export function createWorkerApi(worker: Worker): PodnetApi {
  let next = 1
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>()
  worker.onmessage = (e: MessageEvent<{ id: number; reply: ApiReply }>) => {
    const p = pending.get(e.data.id)
    if (!p) return
    pending.delete(e.data.id)
    if (e.data.reply.ok) p.resolve(e.data.reply.value)
    else p.reject(e.data.reply.error)
  }
  worker.onerror = (e: ErrorEvent) => {
    // A crashed worker answers nothing more: fail what is waiting instead of hanging.
    for (const p of pending.values()) p.reject({ code: 'internal', message: `the lab worker failed: ${e.message}` })
    pending.clear()
  }
  const call = <K extends ApiMethod>(method: K): PodnetApi[K] =>
    ((payload?: unknown) =>
      new Promise((resolve, reject) => {
        const id = next++
        pending.set(id, { resolve, reject })
        worker.postMessage({ id, channel: CHANNELS[method], payload })
      })) as unknown as PodnetApi[K]
  return {
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
  }
}
