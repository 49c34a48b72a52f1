import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// Unit and property tests: engine, k8s layer, lab files, IPC table, CLI, renderer components.
// Kernel conformance tests live in test/kernel and run with vitest.kernel.config.ts.
export default defineConfig({
  plugins: [vue()],
  test: {
    include: ['src-main/**/*.test.ts', 'shared/**/*.test.ts', 'src-renderer/**/*.test.ts', 'test/unit/**/*.test.ts'],
    environment: 'node',
    pool: 'threads',
    testTimeout: 20000,
  },
})
