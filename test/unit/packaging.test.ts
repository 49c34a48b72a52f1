// The packaging configuration (electron-builder.config.cjs): what the packages contain, their
// targets, icon and file association, and the fuses every Electron binary gets.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { minimatch } from 'minimatch'
import { describe, expect, it } from 'vitest'
import { LAB_EXTENSION } from '../../src-main/shell/open-files.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const require = createRequire(import.meta.url)
interface Config {
  files: string[]
  asar: boolean
  directories: { output: string; buildResources: string }
  fileAssociations: { ext: string; mimeType: string; name: string }[]
  linux: { target: string[]; icon: string; mimeTypes: string[] }
  mac: { target: string[]; icon: string }
  win: { target: string[]; icon: string }
  npmRebuild: boolean
  afterPack: (context: unknown) => Promise<void>
  [k: string]: unknown
}
const config = require(join(root, 'electron-builder.config.cjs')) as Config
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> }

/** Whether electron-builder's `files` patterns take a path (the last matching pattern decides). */
function packed(path: string): boolean {
  let inc = false
  for (const p of config.files) {
    const neg = p.startsWith('!')
    if (minimatch(path, neg ? p.slice(1) : p, { dot: true, matchBase: !p.includes('/') && neg })) inc = !neg
  }
  return inc
}

describe('what a package contains', () => {
  it('takes the app build and package.json, and no sources, tests, docs, maps or tooling', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean)
    const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/renderer/assets/index-abc.js', 'out/renderer/assets/index-abc.css', 'out/renderer/favicon.svg']
    const noise = ['out/main/index.js.map', 'out/renderer/assets/index-abc.js.map', 'out/cli/podnet.mjs', 'out/cli/inputs.json', 'out/bench/run.mjs', 'out/renderer/x.test.js', 'dist-web/index.html', 'release/PodNet Lab.AppImage', 'node_modules/vitest/package.json', '.podnet-tmp/x']
    const inPackage = [...tracked, ...built, ...noise].filter(packed)
    expect(inPackage.sort()).toEqual(['package.json', ...built].sort())
    expect(packed(pkg.main)).toBe(true)
    expect(config.asar).toBe(true)
  })

  it('ships production dependencies only: no build or test tool is one', () => {
    // electron-builder adds the `dependencies` (and what they need); the app's own code is bundled.
    const deps = Object.keys(pkg.dependencies)
    expect(deps.filter((d) => d in pkg.devDependencies)).toEqual([])
    const tools = /^(electron|electron-builder|electron-vite|vite|vitest|typescript|tsx|esbuild|eslint|@playwright\/.*|@electron\/.*|@types\/.*|vue-tsc|dependency-cruiser|fast-check|happy-dom)$/
    expect(deps.filter((d) => tools.test(d))).toEqual([])
    expect(config.npmRebuild).toBe(false)
    expect(JSON.stringify(config.files)).not.toMatch(/node_modules/)
  })
})

describe('targets, icon and file association', () => {
  it('builds AppImage and deb, dmg, and an NSIS installer', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb'])
    expect(config.mac.target).toEqual(['dmg'])
    expect(config.win.target).toEqual(['nsis'])
  })

  it('has a 1024 x 1024 PNG icon for every platform', () => {
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      const png = readFileSync(join(root, icon))
      expect(png.subarray(1, 4).toString()).toBe('PNG')
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024])
    }
  })

  it('opens .podnet files, the extension the app registers', () => {
    expect(config.fileAssociations).toEqual([expect.objectContaining({ ext: LAB_EXTENSION, mimeType: 'application/x-podnet-lab' })])
    expect(config.linux.mimeTypes).toContain('application/x-podnet-lab')
  })
})

describe('fuses', () => {
  /** A stand-in Electron binary: the fuse wire behind its sentinel, as Electron has it. */
  function fakeElectron(path: string): void {
    const wire = Buffer.from([1, 8, ...'10111011'].map((c) => (typeof c === 'number' ? c : c.charCodeAt(0))))
    writeFileSync(path, Buffer.concat([Buffer.alloc(64, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), wire, Buffer.alloc(64, 9)]))
  }
  const fuses = (path: string): string => {
    const b = readFileSync(path)
    const at = b.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 32
    return b.subarray(at + 2, at + 2 + b[at + 1]).toString()
  }

  it('flips every package\'s fuses after packing: no run-as-node, NODE_OPTIONS or inspector; code only from the asar', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podnet-fuses-'))
    const packager = { executableName: 'podnet-lab', appInfo: { productFilename: 'PodNet Lab' } }
    fakeElectron(join(dir, 'podnet-lab'))
    await config.afterPack({ appOutDir: dir, electronPlatformName: 'linux', arch: 1, packager })
    // RunAsNode, CookieEncryption, NODE_OPTIONS, --inspect, asar integrity, only asar, V8 snapshot, file://
    expect(fuses(join(dir, 'podnet-lab'))).toBe('01000101')
    const framework = join(dir, 'PodNet Lab.app', 'Contents', 'Frameworks', 'Electron Framework.framework')
    mkdirSync(framework, { recursive: true })
    fakeElectron(join(framework, 'Electron Framework'))
    await config.afterPack({ appOutDir: dir, electronPlatformName: 'darwin', arch: 1, packager })
    // macOS also checks the asar against the hash electron-builder embeds.
    expect(fuses(join(framework, 'Electron Framework'))).toBe('01001101')
  })

  it('refuses a fuse configuration that leaves a fuse out or names one that does not exist', async () => {
    const { fuseConfig } = (await import(pathToFileURL(join(root, 'scripts/after-pack.mjs')).href)) as { fuseConfig: (p: string, a: number, f?: Record<string, boolean>) => Record<string, unknown> }
    expect(Object.keys(fuseConfig('win32', 1)).filter((k) => /^\d+$/.test(k))).toHaveLength(8)
    expect(() => fuseConfig('linux', 1, { RunAsNode: false })).toThrow(/no value for EnableCookieEncryption, /)
    const all = { RunAsNode: false, EnableCookieEncryption: true, EnableNodeOptionsEnvironmentVariable: false, EnableNodeCliInspectArguments: false, EnableEmbeddedAsarIntegrityValidation: false, OnlyLoadAppFromAsar: true, LoadBrowserProcessSpecificV8Snapshot: false, GrantFileProtocolExtraPrivileges: true }
    expect(() => fuseConfig('linux', 1, { ...all, RunAsNod: false })).toThrow(/unknown fuses RunAsNod/)
    expect(fuseConfig('darwin', 3, all)).toMatchObject({ resetAdHocDarwinSignature: true })
  })
})
