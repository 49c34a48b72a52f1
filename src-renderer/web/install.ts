// Runs before the app in the browser build: starts the lab Worker and installs `window.podnet`.
import { createWorkerApi } from './client.ts'

const api = createWorkerApi(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'podnet-lab' }), window.localStorage)
window.podnet = api
// Unsaved work survives a reload (it is reopened from storage), but closing the tab should ask.
window.addEventListener('beforeunload', (e) => {
  if (api.hasUnsaved()) e.preventDefault()
})
