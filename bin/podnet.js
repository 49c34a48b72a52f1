#!/usr/bin/env node
// The `podnet` command: runs the bundled CLI (out/cli/podnet.cjs). `npm install` builds the bundle
// (the prepare script); in a checkout whose sources changed since, or where it was never built,
// it is rebuilt here first with esbuild, so a fresh clone and an edited one both just work.
// The bundle runs as a vm.Script with V8's code cache (out/cli/podnet.cache), written after the
// first run: compiling the bundle is most of the start-up otherwise.
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Script } from 'node:vm'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(root, 'out/cli/podnet.cjs')
const cacheFile = join(root, 'out/cli/podnet.cache')

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

// The cache belongs to one bundle: its first line names the bundle's size and time.
const { size, mtimeMs } = statSync(bundle)
const stamp = `${size}:${mtimeMs}:${process.version}\n`
let cachedData
try {
  const c = readFileSync(cacheFile)
  if (c.subarray(0, stamp.length).toString() === stamp) cachedData = c.subarray(stamp.length)
} catch {
  // No cache yet.
}
const source = readFileSync(bundle, 'utf8')
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData })
if (cachedData === undefined || script.cachedDataRejected) {
  // Written once the command has run, so the functions it compiled are in the cache too.
  process.once('exit', () => {
    try {
      const tmp = `${cacheFile}.${process.pid}.tmp`
      writeFileSync(tmp, Buffer.concat([Buffer.from(stamp), script.createCachedData()]))
      renameSync(tmp, cacheFile)
    } catch {
      // A read-only install runs without a cache.
    }
  })
}
const module = { exports: {} }
script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle))
