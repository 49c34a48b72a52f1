/// <reference types="vite/client" />
import type { PodnetApi } from '../shared/api.ts'

declare global {
  interface Window {
    /** Set by the Electron preload or by the browser build's Worker client (src-renderer/web). */
    podnet?: PodnetApi
  }
}

declare module '*.vue' {
  import type { DefineComponent } from 'vue'
  const component: DefineComponent<object, object, unknown>
  export default component
}

export {}
