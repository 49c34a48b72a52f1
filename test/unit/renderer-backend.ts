import { nextTick } from 'vue'
import { requestMethods, type PodnetApi } from '../../shared/api.ts'
// The real handler table stands in for the desktop shell / Worker behind window.podnet.
import { createHandlers, LabService } from '../../src-main/ipc/handlers.ts'

/** Puts the real handler table behind window.podnet, as the preload and the Worker client do. */
export function installBackend(scenario = 'same-node'): PodnetApi {
  const h = createHandlers(new LabService(scenario))
  const api: PodnetApi = requestMethods((m) => (payload) => (h[m] as (p?: unknown) => Promise<unknown>)(payload))
  // (The page's window: this module is type-checked without the DOM's types.)
  Object.assign((globalThis as unknown as { window: object }).window, { podnet: api })
  return api
}

/** Lets the stores' watchers and the calls they start finish. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await nextTick()
    await new Promise((r) => setTimeout(r, 0))
  }
}
