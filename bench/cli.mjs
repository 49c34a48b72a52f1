// `npm run bench:cli`: the command line's targets, measured (not asserted); docs/performance.md
// records the figures with the machine and the date.
// - start-up: wall time of `podnet scenarios` (and `podnet --help`) as a user starts it, through
//   bin/podnet.js, against `node -e ''` on the same machine;
// - a 10-node x 10-pod command file of about 1,200 commands, written as the kernel fixtures are
//   (see commandFile), run by `podnet run` and by bash on the real kernel in the same run: as one
//   bash runs a file, and line by line as the conformance harness runs fixtures. The kernel side
//   needs root; it builds namespaces prefixed rk-cli- and always removes them.
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

/**
 * CPU time (user + system) of the children waited for so far, in ms (Linux: /proc/self/stat). On
 * a machine shared with other work, wall time grows with the load; CPU time much less.
 */
function childCpuMs() {
  try {
    const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ')
    // Fields 16 and 17 of stat (cutime, cstime), counted from the state field (3).
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100
  } catch {
    return NaN
  }
}

/** Runs `fn` n times; wall statistics, and the mean CPU time of the processes it started. */
function measure(n, fn) {
  const c0 = childCpuMs()
  const ms = Array.from({ length: n }, () => fn().ms)
  return { ...stats(ms), cpu: (childCpuMs() - c0) / n }
}
const fmtCpu = (m) => `${fmt(m)}, CPU ${m.cpu.toFixed(0)} ms`
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${release()}, node ${process.version}`)
console.log(`date: ${new Date().toISOString()}; load average ${load()}`)

// The bundle as `npm install` leaves it; then a run that only checks it is fresh.
execFileSync(process.execPath, [join(root, 'scripts/build-cli.mjs')])
podnet('--version')

const base = measure(STARTS, () => wall(process.execPath, ['-e', '']))
const scen = measure(STARTS, () => wall(process.execPath, [bin, 'scenarios']))
const help = measure(STARTS, () => wall(process.execPath, [bin, '--help']))
console.log(`start-up, median (min–max) of ${STARTS}, mean CPU: node -e '' ${fmtCpu(base)}; podnet scenarios ${fmtCpu(scen)} (target < 150 ms); podnet --help ${fmtCpu(help)}`)

// The command file, written the way test/kernel/fixtures/*.sh are: the lab built command by
// command (its iproute2 export), connectivity and tables checked, then the walkthrough's failures
// on three pairs of nodes (a deleted route, ip_forward=0, a link down) and iproute2's errors.
function commandFile(doc, exportLines) {
  const ns = (n) => `${PREFIX}${n}`
  const nodes = doc.spec.cluster.nodes
  const pods = nodes.flatMap((n, i) => n.pods.map((p) => ({ ...p, node: i })))
  const podsOf = (i) => pods.filter((p) => p.node === i)
  const lines = ['# The lab, as its export builds it.', ...exportLines, '# Every pod reaches a pod of the next node.']
  for (const [i, p] of pods.entries()) {
    const next = podsOf((p.node + 1) % nodes.length)
    lines.push(`ip netns exec ${ns(p.name)} ping -c 1 -W 1 ${next[(i * 3) % next.length].ip}`)
  }
  for (const n of nodes) lines.push(`ip -n ${ns(n.name)} route show`, `ip -n ${ns(n.name)} neigh show`, `ip -n ${ns(n.name)} route get ${pods[0].ip}`)
  for (const [a, b] of [[1, 2], [4, 5], [7, 8]]) {
    const [na, nb] = [nodes[a], nodes[b]]
    const [pa, pb] = [podsOf(a)[0], podsOf(b)[1]]
    lines.push(
      `# A deleted route: ${na.name} no longer knows where ${nb.name}'s pods are.`,
      `ip -n ${ns(na.name)} route del ${nb.podCidr}`,
      `ip -n ${ns(na.name)} route del ${nb.podCidr}`,
      `ip -n ${ns(na.name)} route get ${pb.ip}`,
      `ip netns exec ${ns(pa.name)} ping -c 2 ${pb.ip}`,
      `ip -n ${ns(na.name)} route add ${nb.podCidr} via ${nb.ip} dev eth0`,
      `# ip_forward=0 on ${nb.name}: packets for its pods are dropped silently.`,
      `ip netns exec ${ns(nb.name)} sysctl -w net.ipv4.ip_forward=0`,
      `ip netns exec ${ns(pa.name)} ping -c 1 -W 1 ${pb.ip}`,
      `ip netns exec ${ns(nb.name)} sysctl -w net.ipv4.ip_forward=1`,
      `ip netns exec ${ns(pa.name)} ping -c 1 ${pb.ip}`,
      `# A link down: ${na.name}'s uplink goes, and every route through it.`,
      `ip -n ${ns(na.name)} link set eth0 down`,
      `ip netns exec ${ns(pa.name)} ping -c 1 ${pb.ip}`,
      `ip -n ${ns(na.name)} link set eth0 up`,
      `ip -n ${ns(na.name)} route show`,
    )
    for (const [j, n] of nodes.entries()) if (j !== a) lines.push(`ip -n ${ns(na.name)} route add ${n.podCidr} via ${n.ip} dev eth0`)
    lines.push(`ip netns exec ${ns(pa.name)} ping -c 1 ${pb.ip}`)
  }
  lines.push(
    '# Errors, as iproute2 words them.',
    `ip -n ${ns(nodes[0].name)} route add 10.99.5.0/24 via 10.244.1.200 dev eth0`,
    `ip -n ${ns(nodes[0].name)} route add 10.99.5.0/33 dev eth0`,
    `ip -n ${ns(nodes[0].name)} route del 10.99.5.0/24`,
    `ip -n ${ns(nodes[0].name)} link set nosuch up`,
  )
  return lines
}

const dir = mkdtempSync(join(tmpdir(), 'podnet-bench-cli-'))
try {
  const labFile = join(dir, 'lab.podnet')
  podnet('new', 'routed', '--nodes', '10', '--pods-per-node', '10', '-o', labFile)
  const doc = parse(readFileSync(labFile, 'utf8'))
  const flat = (text) => text.split('\n').filter((l) => l.trim() && !l.startsWith('#'))
  const lines = commandFile(doc, flat(podnet('export', labFile, '--prefix', PREFIX)))
  const commands = lines.filter((l) => !l.startsWith('#'))
  const file = join(dir, 'cluster-10x10.sh')
  writeFileSync(file, `# 10 nodes x 10 pods (${commands.length} commands)\n${lines.join('\n')}\n`)
  // BENCH_SAVE=PATH keeps a copy of the command file.
  if (process.env.BENCH_SAVE) writeFileSync(process.env.BENCH_SAVE, readFileSync(file))
  const teardown = join(dir, 'teardown.sh')
  writeFileSync(teardown, podnet('export', labFile, '--prefix', PREFIX, '--teardown'))
  const answered = (out) => (out.match(/ [12] received/g) ?? []).length
  const pings = commands.filter((l) => / ping /.test(l)).length

  const engineRuns = []
  const engine = measure(ENGINE_RUNS, () => engineRuns[engineRuns.push(wall(process.execPath, [bin, 'run', file])) - 1])
  console.log(`podnet run, ${commands.length} commands, median (min–max) of ${ENGINE_RUNS}: ${fmtCpu(engine)}; exit ${engineRuns[0].status}; pings answered ${answered(engineRuns[0].stdout)}/${pings}`)

  const isRoot = KERNEL_RUNS > 0 && process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0
  if (!isRoot) {
    console.log(KERNEL_RUNS > 0 ? 'kernel: skipped (needs root and iproute2)' : 'kernel: skipped (BENCH_KERNEL_RUNS=0)')
  } else {
    const cleanup = () => {
      for (const name of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]))
        if (name.startsWith(PREFIX)) spawnSync('ip', ['netns', 'del', name])
    }
    const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', LANG: 'C', HOME: process.env.HOME ?? '/root' }
    /** The file as one bash runs it, and line by line in a fresh bash each, as test/kernel/harness.ts does. */
    const modes = {
      'bash FILE': () => wall('bash', ['--noprofile', '--norc', file], { env }),
      'bash -c LINE, line by line': () => {
        const t0 = performance.now()
        let out = ''
        for (const c of commands) out += spawnSync('bash', ['--noprofile', '--norc', '-c', c], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).stdout
        return { ms: performance.now() - t0, status: 0, stdout: out }
      },
    }
    try {
      for (const [mode, runFile] of Object.entries(modes)) {
        const runs = []
        // Each kernel run right after a podnet run of its own: on a machine whose load changes
        // from minute to minute, the pair saw the same load, and their ratio is the fair one.
        const ratios = []
        const kernel = measure(KERNEL_RUNS, () => {
          const e = wall(process.execPath, [bin, 'run', file]).ms
          cleanup()
          runs.push(runFile())
          const r = runs.at(-1)
          ratios.push(r.ms / e)
          wall('bash', ['--noprofile', '--norc', teardown], { env })
          return r
        })
        const pr = stats(ratios)
        console.log(
          `kernel, ${mode}, median (min–max) of ${KERNEL_RUNS}: ${fmt(kernel)}; pings answered ${answered(runs[0].stdout)}/${pings} -> podnet run is ${(kernel.median / engine.median).toFixed(1)}× faster by the medians; ${pr.median.toFixed(1)}× (${pr.min.toFixed(1)}–${pr.max.toFixed(1)}) run by run (target ≥ 20×)`,
        )
      }
    } finally {
      cleanup()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
  console.log(`load average at the end: ${load()}`)
}
