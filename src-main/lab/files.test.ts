import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanStaleTemps, saveTarget, writeFileAtomic } from './files.ts'

const FILES_TS = fileURLToPath(new URL('./files.ts', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'podnet-hardening-save-'))
const CHILD = join(dir, 'child.mjs')

/** A lab-sized text (about 2 MB) that says which version it is at both ends. */
function version(v: string): string {
  const line = `    - ip -n node1 route add 10.${v.length}.0.0/16 via 192.168.0.12 dev eth0 # version ${v}\n`
  return `# ${v}\n${line.repeat(2_000_000 / line.length)}# ${v}\n`
}
const A = version('old')
const B = version('new!')

const temps = (d: string): string[] => readdirSync(d).filter((f) => f.includes('.podnet-') && f.endsWith('.tmp'))

beforeAll(async () => {
  // The child saves as the app does, with the same function, bundled so it starts quickly.
  const src = join(dir, 'child.ts')
  writeFileSync(
    src,
    `import { readFileSync } from 'node:fs'
import { writeFileAtomic } from ${JSON.stringify(FILES_TS)}
const [target, ...sources] = process.argv.slice(2)
const texts = sources.map((s) => readFileSync(s, 'utf8'))
const once = process.env.ONCE === '1'
for (let i = 0; ; i++) {
  process.stdout.write('w')
  writeFileAtomic(target, texts[i % texts.length])
  if (once) break
}
`,
  )
  await build({ entryPoints: [src], bundle: true, platform: 'node', format: 'esm', outfile: CHILD, logLevel: 'silent' })
  writeFileSync(join(dir, 'a.txt'), A)
  writeFileSync(join(dir, 'b.txt'), B)
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function started(child: ChildProcess): Promise<void> {
  return new Promise((res, rej) => {
    child.stdout!.once('data', () => res())
    child.once('exit', () => rej(new Error('the child ended before it saved')))
  })
}

describe('atomic saves', () => {
  it('keeps permissions and symbolic links, and leaves no temporary file', () => {
    const d = mkdtempSync(join(dir, 'plain-'))
    mkdirSync(join(d, 'real'))
    const real = join(d, 'real', 'lab.yaml')
    writeFileSync(real, 'one')
    chmodSync(real, 0o600)
    symlinkSync('real/lab.yaml', join(d, 'lab.yaml'))
    symlinkSync('lab.yaml', join(d, 'again.yaml'))
    writeFileAtomic(join(d, 'again.yaml'), 'two')
    expect(lstatSync(join(d, 'lab.yaml')).isSymbolicLink()).toBe(true)
    expect(lstatSync(join(d, 'again.yaml')).isSymbolicLink()).toBe(true)
    expect(readFileSync(real, 'utf8')).toBe('two')
    expect(statSync(real).mode & 0o777).toBe(0o600)
    expect(saveTarget(join(d, 'again.yaml'))).toBe(real)
    expect([...temps(d), ...temps(join(d, 'real'))]).toEqual([])
    // A new file gets the usual mode (0666 less the umask).
    writeFileAtomic(join(d, 'new.yaml'), 'x')
    expect(statSync(join(d, 'new.yaml')).mode & 0o777).toBe(0o666 & ~process.umask())
    // A loop of links is an error, not a hang.
    symlinkSync('loop2', join(d, 'loop1'))
    symlinkSync('loop1', join(d, 'loop2'))
    expect(() => writeFileAtomic(join(d, 'loop1'), 'x')).toThrow(/Too many levels of symbolic links/)
  })

  it('removes its temporary file when the write fails, and keeps the old file', () => {
    const d = mkdtempSync(join(dir, 'efbig-'))
    const target = join(d, 'lab.yaml')
    writeFileSync(target, 'old')
    // A file size limit makes the write fail part way, as a full disk would (EFBIG).
    const r = spawnSync('prlimit', ['--fsize=100000', process.execPath, CHILD, target, join(dir, 'a.txt')], { env: { ...process.env, ONCE: '1' }, encoding: 'utf8' })
    expect(r.error, 'prlimit (util-linux) runs here').toBeUndefined()
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('EFBIG')
    expect(readFileSync(target, 'utf8')).toBe('old')
    expect(temps(d)).toEqual([])
  })

  it(
    'survives 100 kill -9 during saves of a 2 MB lab: always the old or the new file, modes and links kept, no temporary file after the next save',
    async () => {
      /** One lane: a file behind a symbolic link, saved and killed `count` times in a row. */
      const lane = async (n: number, count: number): Promise<{ kills: number; interrupted: number }> => {
        const d = mkdtempSync(join(dir, `kill${n}-`))
        mkdirSync(join(d, 'real'))
        const real = join(d, 'real', 'lab.yaml')
        const link = join(d, 'lab.yaml')
        writeFileSync(real, A)
        chmodSync(real, 0o600)
        symlinkSync('real/lab.yaml', link)
        let interrupted = 0
        let kills = 0
        for (; kills < count; kills++) {
          const child = spawn(process.execPath, [CHILD, link, join(dir, 'a.txt'), join(dir, 'b.txt')], { stdio: ['ignore', 'pipe', 'inherit'] })
          const exited = new Promise<void>((res) => child.once('exit', () => res()))
          await started(child)
          await new Promise((res) => setTimeout(res, Math.random() * 30))
          child.kill('SIGKILL')
          await exited
          const text = readFileSync(link, 'utf8')
          expect(text === A || text === B, `lane ${n} kill ${kills}: the file is neither version (${text.length} bytes)`).toBe(true)
          expect(lstatSync(link).isSymbolicLink()).toBe(true)
          expect(statSync(real).mode & 0o777).toBe(0o600)
          if (temps(join(d, 'real')).length) interrupted++
          // The next start (its cleanup) or the next save removes what the killed save left.
          if (kills % 4) cleanStaleTemps(link)
          else writeFileAtomic(link, text)
          expect(temps(join(d, 'real'))).toEqual([])
          expect(temps(d)).toEqual([])
        }
        expect(existsSync(real)).toBe(true)
        return { kills, interrupted }
      }
      const lanes = await Promise.all([0, 1, 2, 3, 4].map((n) => lane(n, 20)))
      expect(lanes.reduce((s, l) => s + l.kills, 0)).toBe(100)
      // Enough kills landed in the middle of a save for the test to mean something.
      expect(lanes.reduce((s, l) => s + l.interrupted, 0)).toBeGreaterThan(10)
    },
    200_000,
  )
})
