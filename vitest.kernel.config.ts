import { defineConfig } from 'vitest/config'

// The real Linux kernel as oracle: builds labs in real network namespaces and compares them
// with the engine. Needs root and iproute2/iputils-ping/tcpdump; reports itself skipped otherwise.
export default defineConfig({
  test: {
    include: ['test/kernel/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120000,
    hookTimeout: 60000,
  },
})
