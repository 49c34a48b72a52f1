import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

// The browser build (used by the e2e tests and `npm start` without Electron): the renderer plus
// a Worker that runs the same handler table as the desktop's main process.
const root = import.meta.dirname

/** Starts the Worker and installs window.podnet before the app's own script runs. */
function installWorkerApi(): Plugin {
  return {
    name: 'podnet-web-install',
    transformIndexHtml: {
      order: 'pre',
      handler: (html) => html.replace('<script type="module" src="./main.ts"></script>', '<script type="module" src="./web/install.ts"></script>\n    <script type="module" src="./main.ts"></script>'),
    },
  }
}

// The page shares memory with its Worker to cancel long work, which needs cross-origin isolation:
// the same headers as scripts/serve-static.mjs, for `vite` and `vite preview` too.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
}

export default defineConfig({
  root: resolve(root, 'src-renderer'),
  base: './',
  plugins: [vue(), installWorkerApi()],
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
  build: {
    outDir: resolve(root, 'dist-web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
  },
})
