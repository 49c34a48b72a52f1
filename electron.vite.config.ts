import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import vue from '@vitejs/plugin-vue'

// The desktop build: main (ESM, package.json is "type": "module"), the sandboxed preload (which
// Electron only loads as CommonJS, hence .cjs), and the renderer. Output in out/. Nothing here
// imports `electron`, so building needs no Electron binary.
const root = import.meta.dirname

export default defineConfig({
  main: {
    build: {
      outDir: resolve(root, 'out/main'),
      // The shell, and the lab's worker thread (src-main/host/lab-thread.ts) next to it.
      lib: { entry: { index: resolve(root, 'src-main/index.ts'), 'lab-thread': resolve(root, 'src-main/host/lab-thread.ts') }, formats: ['es'] },
      rollupOptions: { output: { entryFileNames: '[name].js' } },
    },
  },
  preload: {
    build: {
      outDir: resolve(root, 'out/preload'),
      externalizeDeps: false,
      lib: { entry: resolve(root, 'src-main/preload.ts'), formats: ['cjs'] },
      rollupOptions: { output: { format: 'cjs', entryFileNames: 'index.cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'src-renderer'),
    plugins: [vue()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: resolve(root, 'src-renderer/index.html') },
    },
  },
})
