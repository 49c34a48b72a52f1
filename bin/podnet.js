#!/usr/bin/env node
// The `podnet` command: runs the bundled CLI (out/cli/podnet.mjs). `npm install` builds the bundle
// (the prepare script); in a checkout whose sources changed since, or where it was never built,
// it is rebuilt here first with esbuild, so a fresh clone and an edited one both just work.
import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(root, 'out/cli/podnet.mjs')

/** Whether the bundle is missing or older than one of the files it was built from. */
function stale() {
  let built
  try {
    built = statSync(bundle).mtimeMs
  } catch {
    return true
  }
  let inputs
  try {
    inputs = JSON.parse(readFileSync(join(root, 'out/cli/inputs.json'), 'utf8'))
  } catch {
    return true
  }
  for (const rel of inputs) {
    let m
    try {
      m = statSync(join(root, rel)).mtimeMs
    } catch {
      // A source that is gone (a shipped package has none): only a checkout rebuilds.
      if (existsSync(join(root, 'src-main'))) return true
      continue
    }
    if (m > built) return true
  }
  return false
}

if (stale()) {
  try {
    const { buildCli } = await import('../scripts/build-cli.mjs')
    await buildCli({ quiet: true })
  } catch (e) {
    if (!existsSync(bundle)) {
      process.stderr.write(`podnet: cannot build the command line (${e?.code === 'ERR_MODULE_NOT_FOUND' ? 'esbuild is not installed: run npm install' : e?.message ?? e})\n`)
      process.exit(1)
    }
    // An older bundle still runs; say why it was not refreshed.
    process.stderr.write(`podnet: warning: the bundle is older than the sources and could not be rebuilt (${e?.message ?? e})\n`)
  }
}

await import(pathToFileURL(bundle).href)
