// Renders the app icon (build/icon.svg) to build/icon.png, 1024 x 1024 with a transparent
// background, in Debian's Chromium. electron-builder makes the .icns (macOS) and .ico (Windows)
// from the PNG. Run after editing the SVG: node scripts/render-icon.mjs
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from '@playwright/test'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const svg = readFileSync(join(root, 'build/icon.svg'), 'utf8')
const browser = await chromium.launch({ executablePath: process.env.PODNET_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`)
  await page.locator('svg').screenshot({ path: join(root, 'build/icon.png'), omitBackground: true })
} finally {
  await browser.close()
}
