// Bundles the `podnet` command line (src-main/cli/entry.ts) into out/cli/podnet.cjs with esbuild,
// so it starts without compiling TypeScript. Run by `npm install` (prepare), `npm run build:cli`,
// and by bin/podnet.js when the bundle is missing or older than a source it was built from.
// CommonJS and minified because start-up is mostly V8 compiling the bundle: bin/podnet.js runs it
// as a vm.Script with V8's code cache, which Node 20 offers only for scripts, not ES modules.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const bundlePath = join(root, 'out/cli/podnet.cjs')
/** V8's code cache of the bundle, written by bin/podnet.js; stale once the bundle changes. */
export const cachePath = join(root, 'out/cli/podnet.cache')
/** The files the bundle was built from, for bin/podnet.js to tell whether it is stale. */
export const inputsPath = join(root, 'out/cli/inputs.json')

export async function buildCli({ quiet = false } = {}) {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [join(root, 'src-main/cli/entry.ts')],
    outfile: bundlePath,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify: true,
    metafile: true,
    write: false,
    legalComments: 'none',
    logLevel: quiet ? 'silent' : 'warning',
  })
  mkdirSync(dirname(bundlePath), { recursive: true })
  // Written whole and renamed into place: a `podnet` started meanwhile reads the old or the new.
  const put = (path, data) => {
    const tmp = `${path}.${process.pid}.tmp`
    writeFileSync(tmp, data)
    renameSync(tmp, path)
  }
  for (const f of result.outputFiles) put(f.path, f.contents)
  rmSync(cachePath, { force: true })
  put(inputsPath, JSON.stringify(Object.keys(result.metafile.inputs).map((p) => relative(root, join(root, p)))) + '\n')
  return bundlePath
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    await buildCli()
  } catch (e) {
    // Installing without dev dependencies (no esbuild) must not fail: the bundle is then built
    // on first use where esbuild exists, or shipped prebuilt.
    if (e?.code === 'ERR_MODULE_NOT_FOUND') console.warn('podnet: esbuild is not installed; the CLI bundle was not built')
    else throw e
  }
}
