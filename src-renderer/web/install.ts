// Runs before the app in the browser build: starts the lab Worker and installs `window.podnet`.
import { createWorkerApi } from './client.ts'

window.podnet = createWorkerApi(new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'podnet-lab' }))
