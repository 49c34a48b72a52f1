// The installed command as a user runs it: bin/podnet.js in a real process, the bundle it runs,
// pipes that close early.
import { spawnSync } from 'node:child_process'
import { readFileSync, statSync, utimesSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../..', import.meta.url))
const bin = `${root}bin/podnet.js`
const bundle = `${root}out/cli/podnet.cjs`
const cache = `${root}out/cli/podnet.cache`
const version = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { version: string }).version

function podnet(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', input, env: { ...process.env, LANG: 'C.UTF-8', PODNET_LANG: '' }, timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

function sh(script: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], { encoding: 'utf8', cwd: root, timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

describe('bin/podnet.js', () => {
  it('rebuilds a bundle older than its sources, then runs it', { timeout: 60_000 }, () => {
    podnet(['--version'])
    const old = new Date('2001-01-01T00:00:00Z')
    utimesSync(bundle, old, old)
    expect(podnet(['--version'])).toEqual({ status: 0, stdout: `podnet ${version}\n`, stderr: '' })
    expect(statSync(bundle).mtimeMs).toBeGreaterThan(old.getTime())
    // The bundle requires nothing but Node's own modules: no sources, no tsx, no node_modules.
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])
    expect(required.filter((r) => !builtinModules.includes(r.replace(/^node:/, '')))).toEqual([])
    // The run left V8's code cache of the new bundle for the next start, which takes it.
    expect(readFileSync(cache).subarray(0, 40).toString()).toMatch(new RegExp(`^${statSync(bundle).size}:`))
    expect(podnet(['--version']).stdout).toBe(`podnet ${version}\n`)
  })

  it('reads a command file from standard input and exits with the documented statuses', () => {
    const ok = podnet(['run', '-'], 'ip netns add a\nip -n a link set lo up\nip -n a addr show lo\n')
    expect(ok.status).toBe(0)
    expect(ok.stdout).toMatch(/^1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536/)
    const failed = podnet(['run', '-'], 'ip netns add a\nip -n a route get 10.0.0.1\n')
    expect(failed).toEqual({ status: 1, stdout: '', stderr: 'RTNETLINK answers: Network is unreachable\n' })
    const usage = podnet(['run'])
    expect(usage.status).toBe(2)
    expect(usage.stdout).toBe('')
    expect(usage.stderr).toMatch(/^podnet run: missing SCRIPT/)
  })

  it('ends quietly when the reader closes the pipe', { timeout: 60_000 }, () => {
    // Far more output than a pipe holds (about 130 KB, twice a pipe's buffer), cut after one line.
    const big = sh(`node bin/podnet.js new routed --nodes 40 --pods-per-node 60 | head -1`)
    expect(big).toEqual({ status: 0, stdout: '# PodNet Lab file (podnet.dev/v1); see docs/lab-format.md\n', stderr: '' })
    const small = sh('node bin/podnet.js scenarios | head -1')
    expect(small.status).toBe(0)
    expect(small.stdout).toMatch(/^same-node +Pod to pod on the same node\n$/)
    expect(small.stderr).toBe('')
  })
})
