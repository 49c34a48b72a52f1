/**
 * Reads a Chromium performance trace written by `npm run bench:ui -- --profile DIR` and says what
 * made the long frames: the renderer main thread's tasks over `--over` ms (default 30), each with
 * what it was (input, timer, animation frame, style, layout, paint) and the JavaScript functions
 * sampled in it, by self time. Not a test: a tool to find where a frame's time goes.
 *
 *   npx tsx bench/ui-trace.ts /tmp/ui-traces/ui-100x20-....json [--over 30] [--top 12] [--worker]
 *
 * `--worker` reads the lab Worker's thread instead (the engine building the lab, the reply).
 * `--callers NAME` lists, for each long task, where the self time of the functions named NAME
 * (e.g. a canvas call, `drawImage`) was spent, by the chain of their callers.
 */
import { readFileSync } from 'node:fs'

interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  /** Thread (CPU) time of the event, microseconds. */
  tdur?: number
  pid: number
  tid: number
  id?: string
  args?: { data?: Record<string, unknown>; name?: string }
}

interface ProfileNode {
  id: number
  parent?: number
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
}

function main(): void {
  const argv = process.argv.slice(2)
  const file = argv.find((a) => !a.startsWith('--'))
  if (!file) throw new Error('usage: npx tsx bench/ui-trace.ts TRACE.json [--over MS] [--top N] [--worker]')
  const opt = (name: string, d: number): number => {
    const i = argv.indexOf(name)
    return i >= 0 ? Number(argv[i + 1]) : d
  }
  const over = opt('--over', 30)
  const top = opt('--top', 12)
  const callersOf = argv.includes('--callers') ? argv[argv.indexOf('--callers') + 1] : null
  const raw = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] } | TraceEvent[]
  const events = Array.isArray(raw) ? raw : raw.traceEvents

  // The page's main thread: the one named CrRendererMain that ran the most (or the busiest Worker's).
  const worker = argv.includes('--worker')
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && (worker ? String(e.args?.name ?? '').startsWith('DedicatedWorker') : e.args?.name === 'CrRendererMain'))
  const busiest = names
    .map((n) => ({ pid: n.pid, tid: n.tid, work: events.filter((e) => e.pid === n.pid && e.tid === n.tid && e.name === 'RunTask').reduce((s, e) => s + (e.dur ?? 0), 0) }))
    .sort((a, b) => b.work - a.work)[0]
  if (!busiest) throw new Error(worker ? 'no Worker thread in this trace' : 'no renderer main thread in this trace')
  const onMain = events.filter((e) => e.pid === busiest.pid && e.tid === busiest.tid && e.ph === 'X')
  const tasks = onMain.filter((e) => e.name === 'RunTask').sort((a, b) => a.ts - b.ts)

  // JavaScript samples of the main thread (the CPU profile carried in ProfileChunk events).
  const nodes = new Map<number, ProfileNode>()
  const samples: { ts: number; node: number }[] = []
  // Each thread's profile has its own id (the Worker's samples must not count as the page's).
  const profile = events.find((p) => p.name === 'Profile' && p.pid === busiest.pid && p.tid === busiest.tid)
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== busiest.pid || (profile?.id !== undefined && e.id !== profile.id)) continue
    const data = e.args?.data as { cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] } | undefined
    for (const n of data?.cpuProfile?.nodes ?? []) nodes.set(n.id, n)
    let ts = samples.length ? samples[samples.length - 1].ts : Number((profile?.args?.data as { startTime?: number } | undefined)?.startTime ?? 0)
    const s = data?.cpuProfile?.samples ?? []
    const d = data?.timeDeltas ?? []
    for (let i = 0; i < s.length; i++) {
      ts += d[i] ?? 0
      samples.push({ ts, node: s[i] })
    }
  }
  const where = (id: number): string => {
    const f = nodes.get(id)?.callFrame
    if (!f) return '?'
    const src = f.url ? `${f.url.split('/').pop()}:${f.lineNumber + 1}` : ''
    return `${f.functionName || '(anonymous)'} ${src}`.trim()
  }

  const long = tasks.filter((t) => (t.dur ?? 0) / 1000 >= over)
  console.log(`${file}\n${worker ? 'Worker thread' : 'main thread'} ${busiest.pid}:${busiest.tid}: ${tasks.length} tasks, ${long.length} of ${over} ms or more`)
  const kinds = ['EventDispatch', 'TimerFire', 'FireAnimationFrame', 'FunctionCall', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'MinorGC', 'MajorGC', 'V8.GC_SCAVENGER', 'ParseHTML']
  for (const t of long) {
    const end = t.ts + (t.dur ?? 0)
    const inside = onMain.filter((e) => e !== t && e.ts >= t.ts && e.ts + (e.dur ?? 0) <= end)
    const parts = new Map<string, number>()
    for (const e of inside) {
      if (!kinds.includes(e.name)) continue
      const label = e.name === 'EventDispatch' ? `EventDispatch(${String(e.args?.data?.type ?? '')})` : e.name
      parts.set(label, (parts.get(label) ?? 0) + (e.dur ?? 0) / 1000)
    }
    const self = new Map<string, number>()
    const inTask = samples.filter((s) => s.ts >= t.ts && s.ts <= end)
    for (let i = 0; i < inTask.length; i++) {
      const next = inTask[i + 1]?.ts ?? end
      const w = where(inTask[i].node)
      self.set(w, (self.get(w) ?? 0) + (next - inTask[i].ts) / 1000)
    }
    console.log(`\ntask at ${((t.ts - tasks[0].ts) / 1000).toFixed(0)} ms: ${((t.dur ?? 0) / 1000).toFixed(1)} ms (CPU ${((t.tdur ?? 0) / 1000).toFixed(1)} ms)`)
    console.log(`  ${[...parts].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`)
    for (const [fn, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${fn}`)
    // Inclusive time (a function and what it called), to see which caller the work came from.
    const total = new Map<string, number>()
    for (let i = 0; i < inTask.length; i++) {
      const ms = ((inTask[i + 1]?.ts ?? end) - inTask[i].ts) / 1000
      const seen = new Set<string>()
      for (let id: number | undefined = inTask[i].node; id !== undefined; id = nodes.get(id)?.parent) {
        const w = where(id)
        if (seen.has(w)) continue
        seen.add(w)
        total.set(w, (total.get(w) ?? 0) + ms)
      }
    }
    if (callersOf) {
      // Self time of NAME, by its three nearest callers.
      const by = new Map<string, number>()
      for (let i = 0; i < inTask.length; i++) {
        let id: number | undefined = inTask[i].node
        if (nodes.get(id)?.callFrame.functionName !== callersOf) continue
        const chain: string[] = []
        for (id = nodes.get(id)?.parent; id !== undefined && chain.length < 3; id = nodes.get(id)?.parent) chain.push(where(id))
        const k = chain.join(' < ')
        by.set(k, (by.get(k) ?? 0) + ((inTask[i + 1]?.ts ?? end) - inTask[i].ts) / 1000)
      }
      console.log(`  ${callersOf} called from:`)
      for (const [k, ms] of [...by].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${k}`)
    }
    console.log('  inclusive:')
    for (const [fn, ms] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`    ${ms.toFixed(1).padStart(6)} ms  ${fn}`)
  }
}

main()
