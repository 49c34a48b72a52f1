// `npm run bench:cli`: the command line's targets, measured (not asserted); docs/performance.md
// records the figures with the machine and the date.
// - start-up: wall time of `podnet scenarios` (and `podnet --help`) as a user starts it, through
//   bin/podnet.js, against `node -e ''` on the same machine;
// - a 10-node x 10-pod command file (the lab's iproute2 export plus pings, routes and neighbour
//   tables, about 1,200 commands) run by `podnet run` and by bash on the real kernel, in the same
//   run. The kernel side needs root; it builds namespaces prefixed rk-cli- and always removes them.
//   On a machine shared with other kernel users, hold their lock: flock LOCKFILE npm run bench:cli.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, release, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'bin/podnet.js')
const PREFIX = 'rk-cli-'
const STARTS = Number(process.env.BENCH_STARTS ?? 30)
const ENGINE_RUNS = Number(process.env.BENCH_ENGINE_RUNS ?? 5)
const KERNEL_RUNS = Number(process.env.BENCH_KERNEL_RUNS ?? 3)

function stats(ms) {
  const s = [...ms].sort((a, b) => a - b)
  return { median: s[s.length >> 1], min: s[0], max: s[s.length - 1] }
}
const fmt = ({ median, min, max }) => `${median.toFixed(0)} ms (${min.toFixed(0)}–${max.toFixed(0)})`

/** Wall time of one process, from spawn to exit, in ms. */
function wall(cmd, args, opts = {}) {
  const t0 = performance.now()
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28, ...opts })
  const ms = performance.now() - t0
  if (r.error) throw r.error
  return { ms, status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() }
}

const podnet = (...args) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 })

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, node ${process.version}`)
console.log(`date: ${new Date().toISOString()}`)

// The bundle as `npm install` leaves it; then a run that only checks it is fresh.
execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')])
podnet('--version')

const base = stats(Array.from({ length: STARTS }, () => wall(process.execPath, ['-e', '']).ms))
const scen = stats(Array.from({ length: STARTS }, () => wall(process.execPath, [bin, 'scenarios']).ms))
const help = stats(Array.from({ length: STARTS }, () => wall(process.execPath, [bin, '--help']).ms))
console.log(`start-up, median (min–max) of ${STARTS}: node -e '' ${fmt(base)}; podnet scenarios ${fmt(scen)} (target < 150 ms); podnet --help ${fmt(help)}`)

// The command file: build the lab as an administrator would, then look at it and ping across it.
const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-cli-'))
try {
  const labFile = join(dir, 'lab.podnet')
  podnet('new', 'routed', '--nodes', '10', '--pods-per-node', '10', '-o', labFile)
  const doc = parse(readFileSync(labFile, 'utf8'))
  const flat = (text) => text.split('\n').filter((l) => l.trim() && !l.startsWith('#'))
  const lines = flat(podnet('export', labFile, '--prefix', PREFIX))
  const nodes = doc.spec.cluster.nodes
  const pods = nodes.flatMap((n, i) => n.pods.map((p) => ({ ...p, node: i })))
  for (const n of nodes) lines.push(`ip -n ${PREFIX}${n.name} route`, `ip -n ${PREFIX}${n.name} -br link`)
  // Each pod pings a pod of the next node, then its neighbour table is read.
  for (const [i, p] of pods.entries()) {
    const next = pods.filter((q) => q.node === (p.node + 1) % nodes.length)
    const far = next[(i * 3) % next.length]
    lines.push(`ip netns exec ${PREFIX}${p.name} ping -c 1 -W 1 ${far.ip}`)
    lines.push(`ip -n ${PREFIX}${p.name} neigh`)
  }
  for (const n of nodes) lines.push(`ip -n ${PREFIX}${n.name} neigh`, `ip -n ${PREFIX}${n.name} route get ${pods[0].ip}`, `bridge -n ${PREFIX}${n.name} fdb show br cbr0`)
  const file = join(dir, 'cluster-10x10.sh')
  writeFileSync(file, `# 10 nodes x 10 pods, built and checked (${lines.length} commands)\n${lines.join('\n')}\n`)
  // BENCH_SAVE=PATH keeps a copy of the command file.
  if (process.env.BENCH_SAVE) writeFileSync(process.env.BENCH_SAVE, readFileSync(file))
  const teardown = join(dir, 'teardown.sh')
  writeFileSync(teardown, podnet('export', labFile, '--prefix', PREFIX, '--teardown'))
  const received = (out) => (out.match(/ 1 received/g) ?? []).length
  const pings = lines.filter((l) => / ping /.test(l)).length

  const engineRuns = Array.from({ length: ENGINE_RUNS }, () => wall(process.execPath, [bin, 'run', file]))
  const engine = stats(engineRuns.map((r) => r.ms))
  console.log(`podnet run, ${lines.length} commands, median (min–max) of ${ENGINE_RUNS}: ${fmt(engine)}; exit ${engineRuns[0].status}; pings answered ${received(engineRuns[0].stdout)}/${pings}`)

  const isRoot = KERNEL_RUNS > 0 && process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0
  if (!isRoot) {
    console.log(KERNEL_RUNS > 0 ? 'kernel: skipped (needs root and iproute2)' : 'kernel: skipped (BENCH_KERNEL_RUNS=0)')
  } else {
    const cleanup = () => {
      for (const name of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]))
        if (name.startsWith(PREFIX)) spawnSync('ip', ['netns', 'del', name])
    }
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', LANG: 'C', HOME: process.env.HOME ?? '/root' }
    const kernelRuns = []
    try {
      for (let i = 0; i < KERNEL_RUNS; i++) {
        cleanup()
        kernelRuns.push(wall('bash', ['--noprofile', '--norc', file], { env }))
        wall('bash', ['--noprofile', '--norc', teardown], { env })
      }
    } finally {
      cleanup()
    }
    const kernel = stats(kernelRuns.map((r) => r.ms))
    console.log(`bash on the kernel, same file, median (min–max) of ${KERNEL_RUNS}: ${fmt(kernel)}; exit ${kernelRuns[0].status}; pings answered ${received(kernelRuns[0].stdout)}/${pings}`)
    console.log(`podnet run is ${(kernel.median / engine.median).toFixed(1)}× faster than bash on the kernel (medians; target ≥ 20×)`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
