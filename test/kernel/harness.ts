// Kernel harness: runs lab command files on the real Linux kernel (network namespaces) so the
// simulator's output can be compared with what the kernel, iproute2 and iputils really print.
//
// Execution model (decided, and relied on by the tests):
// - Each non-blank line that does not start with `#` (after trimming) is run on its own, in order,
//   as `bash --noprofile --norc -c LINE`. Shell state (variables, `cd`, functions) therefore does NOT
//   persist from one line to the next, exactly like typing each line into a fresh `bash -c`.
//   All lines of one run share one scratch working directory (a fresh temp dir), so files written
//   by one line can be read by a later one; the directory is removed afterwards.
// - stdin is /dev/null; stdout and stderr go to per-line files (not pipes), so a line that leaves a
//   background job running (`tcpdump ... &`) cannot block the harness, and per-line output is
//   separated exactly. What a background job writes after its line ended is not reported.
// - Environment: LC_ALL=C, LANG=C, HOME, RK_NETNS_LOG and a PATH of the run's wrapper directory
//   followed by the standard system directories (/usr/sbin and /sbin included); nothing else is
//   inherited (no TERM), so outputs do not depend on the caller's locale or shell setup.
// - Each line runs in its own process group. A line that exceeds perLineTimeoutMs (default 30 s)
//   or the remaining overall budget timeoutMs (default 120 s) gets SIGTERM, then SIGKILL after 1 s,
//   for its whole process group, and is reported with exitCode 124 (like coreutils `timeout`) and
//   timedOut: true. Lines not started because the overall budget ran out are reported with
//   exitCode 124, empty output, timedOut: true and notRun: true. runOnKernel never rejects because
//   of a failing or timed-out line.
// - exitCode is the line's exit status; if bash itself was killed by a signal, 128 + signal number.
// - Teardown (always, also after a timeout or an exception): leftover process groups of the lines
//   are killed; then every network namespace that appeared during the run (diff of `ip netns list`
//   before/after) AND is owned by the run is deleted, and likewise every new link of the root
//   namespace (diff of `ip -o link show`). "Owned" means: its name was given to `ip netns add` /
//   `ip netns attach` by a line (a small `ip` wrapper placed first in PATH records those names, so
//   names built by loops or variables are caught too), or its name appears as a word in one of the
//   executed lines. This keeps a run from deleting namespaces or devices that another process
//   created at the same time (a concurrent test run, a developer's lab): a pure before/after diff
//   would. Namespaces and links that existed before the run are never touched. Process exit,
//   SIGINT, SIGTERM and SIGHUP tear down any run still in progress the same way.
// - PATH therefore starts with a private directory holding that `ip` wrapper, which records and then
//   execs the real `ip` with the same arguments (output and exit codes are the real ones).

import { spawn, spawnSync } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface CommandResult {
  /** 1-based line number in the command file. */
  line: number
  /** The line's text, trimmed. */
  command: string
  exitCode: number
  stdout: string
  stderr: string
  /** Set when the line was killed (or never started) because a timeout expired. */
  timedOut?: boolean
  /** Set when the line was never started because the overall timeout had expired. */
  notRun?: boolean
  /** When the line started, in milliseconds after the first line started (for pacing an engine run). */
  startMs?: number
}

export interface RunOptions {
  /** Budget for the whole file, default 120000 ms. */
  timeoutMs?: number
  /** Budget for one line, default 30000 ms. */
  perLineTimeoutMs?: number
}

export type Availability = { ok: true } | { ok: false; reason: string }

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
const BASE_ENV: Record<string, string> = {
  PATH: SYSTEM_PATH,
  LC_ALL: 'C',
  LANG: 'C',
  HOME: process.env.HOME ?? '/root',
}
const TEARDOWN_CMD_TIMEOUT_MS = 10000

/** Parses `ip netns list` output ("name" or "name (id: N)" per line) into names. */
export function parseNetnsList(text: string): string[] {
  const names: string[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    names.push(line.split(/\s+/)[0])
  }
  return names
}

/** Parses `ip -o link show` output ("N: name[@peer]: <FLAGS> ...") into device names. */
export function parseLinkNames(text: string): string[] {
  const names: string[] = []
  for (const raw of text.split('\n')) {
    const m = /^\d+:\s+([^:\s]+):/.exec(raw)
    if (!m) continue
    const at = m[1].indexOf('@')
    names.push(at >= 0 ? m[1].slice(0, at) : m[1])
  }
  return names
}

/** Names present in `after` but not in `before`, in `after` order. */
export function newNames(before: readonly string[], after: readonly string[]): string[] {
  const seen = new Set(before)
  return after.filter((n, i) => !seen.has(n) && after.indexOf(n) === i)
}

/** The lines of a command file that get executed: non-blank, not starting with `#` once trimmed. */
export function commandLines(lines: readonly string[]): { line: number; command: string }[] {
  const out: { line: number; command: string }[] = []
  lines.forEach((text, i) => {
    const command = text.trim()
    if (command === '' || command.startsWith('#')) return
    out.push({ line: i + 1, command })
  })
  return out
}

function runSync(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    timeout: TEARDOWN_CMD_TIMEOUT_MS,
    env: BASE_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') }
}

function listNetns(): string[] {
  return parseNetnsList(runSync('ip', ['netns', 'list']).stdout)
}

function listRootLinks(): string[] {
  return parseLinkNames(runSync('ip', ['-o', 'link', 'show']).stdout)
}

function deleteNetns(name: string): void {
  runSync('ip', ['netns', 'del', name])
}

function deleteRootLink(name: string): void {
  // A veth peer may already be gone together with its other end: errors are ignored.
  runSync('ip', ['link', 'del', 'dev', name])
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // group already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Tracking of runs in progress, for exit/signal teardown.

interface ActiveRun {
  netnsBefore: string[] | null
  linksBefore: string[] | null
  prefixes: string[]
  pgids: Set<number>
  /** Text of the executed lines: a new namespace/link whose name appears in it is owned. */
  texts: string[]
  /** File where the `ip` wrapper records names passed to `ip netns add|attach`. */
  netnsLog: string | null
}

/** Whether `name` occurs as a whole word (not part of a longer name) in one of the texts. */
export function mentioned(name: string, texts: readonly string[]): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const re = new RegExp(`(^|[^A-Za-z0-9_.@-])${esc}($|[^A-Za-z0-9_.@-])`)
  return texts.some((t) => re.test(t))
}

function recordedNetns(run: ActiveRun): Set<string> {
  if (!run.netnsLog) return new Set()
  return new Set(readText(run.netnsLog).split('\n').map((l) => l.trim()).filter(Boolean))
}

const active = new Set<ActiveRun>()
let handlersInstalled = false

function teardownRun(run: ActiveRun): void {
  for (const pgid of run.pgids) killGroup(pgid, 'SIGKILL')
  run.pgids.clear()
  const nsNow = listNetns()
  const doomed = new Set<string>()
  if (run.netnsBefore) {
    const recorded = recordedNetns(run)
    for (const n of newNames(run.netnsBefore, nsNow)) {
      if (recorded.has(n) || mentioned(n, run.texts)) doomed.add(n)
    }
  }
  for (const p of run.prefixes) for (const n of nsNow) if (n.startsWith(p)) doomed.add(n)
  for (const n of doomed) deleteNetns(n)
  if (run.linksBefore) {
    for (const l of newNames(run.linksBefore, listRootLinks())) {
      if (mentioned(l, run.texts)) deleteRootLink(l)
    }
  }
}

function teardownAll(): void {
  for (const run of [...active]) {
    try {
      teardownRun(run)
    } catch {
      // best effort while exiting
    }
    active.delete(run)
  }
}

function installHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', teardownAll)
  const signals: [NodeJS.Signals, number][] = [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]
  for (const [sig, code] of signals) {
    process.on(sig, () => {
      teardownAll()
      process.exit(code)
    })
  }
}

// ---------------------------------------------------------------------------------------------

let cachedAvailability: Availability | null = null

/**
 * Whether the kernel suite can run here: root, a working `ip netns add` (a throwaway
 * `rk-probe-<pid>` namespace is created and deleted), and bash, ip, ping, tcpdump in PATH.
 */
export function kernelAvailability(): Availability {
  if (cachedAvailability) return cachedAvailability
  cachedAvailability = probeAvailability()
  return cachedAvailability
}

function probeAvailability(): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: `not Linux (platform ${process.platform})` }
  const uid = typeof process.getuid === 'function' ? process.getuid() : -1
  if (uid !== 0) return { ok: false, reason: `not running as root (uid ${uid})` }
  for (const tool of ['bash', 'ip', 'ping', 'tcpdump']) {
    const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8', env: BASE_ENV, timeout: 5000 })
    if (r.status !== 0) return { ok: false, reason: `${tool} not found in PATH (${SYSTEM_PATH})` }
  }
  const probe = `rk-probe-${process.pid}`
  const add = runSync('ip', ['netns', 'add', probe])
  if (add.status !== 0) {
    deleteNetns(probe)
    const why = add.stderr.trim() || `exit code ${add.status}`
    return { ok: false, reason: `ip netns add ${probe} failed: ${why}` }
  }
  const exec = runSync('ip', ['netns', 'exec', probe, 'ip', 'link', 'show', 'lo'])
  const del = runSync('ip', ['netns', 'del', probe])
  if (exec.status !== 0) {
    return { ok: false, reason: `ip netns exec ${probe} failed: ${exec.stderr.trim() || `exit code ${exec.status}`}` }
  }
  if (del.status !== 0) {
    return { ok: false, reason: `ip netns del ${probe} failed: ${del.stderr.trim() || `exit code ${del.status}`}` }
  }
  return { ok: true }
}

// ---------------------------------------------------------------------------------------------

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 }

function findRealIp(): string {
  const r = spawnSync('sh', ['-c', 'command -v ip'], { encoding: 'utf8', env: BASE_ENV, timeout: 5000 })
  return (r.stdout ?? '').trim() || '/usr/sbin/ip'
}

/** Bash wrapper for `ip`: appends names given to `ip netns add|attach` to $RK_NETNS_LOG, then execs the real ip. */
export function ipWrapperScript(realIp: string): string {
  return `#!/bin/bash
# Written by test/kernel/harness.ts: records namespace names for teardown, then runs the real ip.
args=("$@"); i=0; n=\${#args[@]}
while [ "$i" -lt "$n" ]; do
  case "\${args[$i]}" in
    -n|-netns|--netns|-b|-batch|-rc|-rcvbuf|-l|-loops|-f|-family) i=$((i+2)) ;;
    -*) i=$((i+1)) ;;
    *) break ;;
  esac
done
case "\${args[$i]}" in
  net|netn|netns)
    case "\${args[$((i+1))]}" in
      a|ad|add|at|att|atta|attac|attach)
        if [ -n "\${args[$((i+2))]}" ] && [ -n "$RK_NETNS_LOG" ]; then printf '%s\\n' "\${args[$((i+2))]}" >> "$RK_NETNS_LOG"; fi ;;
    esac ;;
esac
exec ${realIp} "$@"
`
}

function runLine(command: string, cwd: string, env: Record<string, string>, outPath: string, errPath: string, timeoutMs: number, run: ActiveRun):
  Promise<{ exitCode: number; timedOut: boolean }> {
  return new Promise((resolve) => {
    const outFd = openSync(outPath, 'w')
    const errFd = openSync(errPath, 'w')
    let child: ChildProcess
    try {
      child = spawn('bash', ['--noprofile', '--norc', '-c', command], {
        cwd,
        env,
        stdio: ['ignore', outFd, errFd],
        detached: true, // own process group, so a timeout kills the whole line
      })
    } catch {
      closeSync(outFd)
      closeSync(errFd)
      resolve({ exitCode: 127, timedOut: false })
      return
    }
    closeSync(outFd)
    closeSync(errFd)
    const pgid = child.pid
    if (pgid !== undefined) run.pgids.add(pgid)
    let timedOut = false
    let killTimer: NodeJS.Timeout | undefined
    const timer = setTimeout(() => {
      timedOut = true
      if (pgid !== undefined) {
        killGroup(pgid, 'SIGTERM')
        killTimer = setTimeout(() => killGroup(pgid, 'SIGKILL'), 1000)
      }
    }, Math.max(1, timeoutMs))
    child.on('error', () => {
      clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      resolve({ exitCode: 127, timedOut })
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      if (timedOut && pgid !== undefined) killGroup(pgid, 'SIGKILL')
      let exitCode = code ?? (signal ? 128 + (SIGNAL_NUMBERS[signal] ?? 0) : -1)
      if (timedOut) exitCode = 124
      resolve({ exitCode, timedOut })
    })
  })
}

/**
 * Runs a command file on the real kernel, line by line (see the execution model at the top of
 * this file), and tears down every namespace and root-namespace link the lines created.
 */
export async function runOnKernel(lines: string[], opts: RunOptions = {}): Promise<CommandResult[]> {
  const overall = opts.timeoutMs ?? 120000
  const perLine = opts.perLineTimeoutMs ?? 30000
  installHandlers()
  const run: ActiveRun = { netnsBefore: null, linksBefore: null, prefixes: [], pgids: new Set(), texts: [], netnsLog: null }
  active.add(run)
  const dir = mkdtempSync(join(tmpdir(), 'rk-run-'))
  const work = join(dir, 'cwd')
  const bin = join(dir, 'bin')
  mkdirSync(work)
  mkdirSync(bin)
  writeFileSync(join(bin, 'ip'), ipWrapperScript(findRealIp()), { mode: 0o755 })
  run.netnsLog = join(dir, 'netns.log')
  writeFileSync(run.netnsLog, '')
  const env = { ...BASE_ENV, PATH: `${bin}:${SYSTEM_PATH}`, RK_NETNS_LOG: run.netnsLog }
  const results: CommandResult[] = []
  try {
    run.netnsBefore = listNetns()
    run.linksBefore = listRootLinks()
    const deadline = Date.now() + overall
    const t0 = performance.now()
    let n = 0
    for (const { line, command } of commandLines(lines)) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) {
        results.push({ line, command, exitCode: 124, stdout: '', stderr: '', timedOut: true, notRun: true })
        continue
      }
      run.texts.push(command)
      const outPath = join(dir, `${n}.out`)
      const errPath = join(dir, `${n}.err`)
      n++
      const startMs = performance.now() - t0
      const { exitCode, timedOut } = await runLine(command, work, env, outPath, errPath, Math.min(perLine, remaining), run)
      const result: CommandResult = { line, command, exitCode, stdout: readText(outPath), stderr: readText(errPath), startMs }
      if (timedOut) result.timedOut = true
      results.push(result)
    }
    return results
  } finally {
    try {
      teardownRun(run)
    } finally {
      active.delete(run)
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * Runs fn and afterwards (also when it throws) deletes every network namespace whose name
 * starts with prefix. The prefix must start with `rk-` so that nothing else can be deleted.
 */
export async function withKernelLab<T>(prefix: string, fn: () => Promise<T>): Promise<T> {
  if (!prefix.startsWith('rk-') || prefix.length < 4) {
    throw new Error(`withKernelLab: prefix must start with "rk-" and be longer than it, got "${prefix}"`)
  }
  installHandlers()
  const run: ActiveRun = { netnsBefore: null, linksBefore: null, prefixes: [prefix], pgids: new Set(), texts: [], netnsLog: null }
  active.add(run)
  try {
    return await fn()
  } finally {
    try {
      teardownRun(run)
    } finally {
      active.delete(run)
    }
  }
}

/** Names of the network namespaces that exist now (for tests and callers that check teardown). */
export function currentNetns(): string[] {
  return listNetns()
}
