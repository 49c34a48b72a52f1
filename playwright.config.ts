import { defineConfig } from '@playwright/test'

// UI tests against the browser build (dist-web, built by `npm run build:web`), served locally and
// driven in Debian's Chromium (browsers cannot be downloaded here). e2e/electron.spec.ts drives
// the desktop build where an Electron binary exists and reports itself skipped elsewhere.
const PORT = Number(process.env.PODNET_E2E_PORT ?? 4179)

export default defineConfig({
  testDir: 'e2e',
  timeout: 45_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  // In CI a test that fails is run once more, in a fresh worker: one that then passes is
  // listed as "flaky" in the report (a timing fault to find), one that fails twice fails the run.
  retries: process.env.CI ? 1 : 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.PODNET_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `node scripts/serve-static.mjs dist-web ${PORT}`,
    url: `http://127.0.0.1:${PORT}/index.html`,
    reuseExistingServer: false,
    timeout: 20_000,
  },
  projects: [
    { name: 'web', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
})
