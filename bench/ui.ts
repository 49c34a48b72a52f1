/**
 * `npm run bench:ui`: how the editor copes with big labs, measured in Debian's Chromium (headless,
 * the browser build, 1600 x 1000) with real input events. Not a test: it prints figures, and
 * docs/performance.md records them with the machine and the date.
 *
 * For each lab size, in a fresh page each run:
 *  - first drawn canvas: from the click on Create in the New dialog until the canvas has drawn
 *    the new lab (the engine building it in the Worker included);
 *  - pan: a mouse drag across the canvas for 2 s; zoom: wheel steps in and out for 2 s; frames
 *    counted with requestAnimationFrame, fps and the longest frame;
 *  - JS heap of the page after a full GC, and the number of DOM elements;
 *  - a trace: from the verdict on, the packet's animation for 2 s (fps, longest frame), and the
 *    page's CPU from the click on Send (its longest task, its spans: the trail found, the scene).
 *
 *   npm run bench:ui -- --sizes 100x20,1000x30 --runs 3
 *   npm run bench:ui -- --sizes 100x20 --runs 1 --profile /tmp/ui-traces   (then: npx tsx bench/ui-trace.ts FILE)
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'

interface Options {
  sizes: { nodes: number; pods: number }[]
  runs: number
  port: number
  scenario: string
  trace: boolean
  /** Where to write a Chromium performance trace of each run's pan and zoom (none: not recorded). */
  profile: string | null
}

function options(argv: string[]): Options {
  const o: Options = { sizes: [{ nodes: 100, pods: 20 }, { nodes: 1000, pods: 30 }], runs: 3, port: Number(process.env.PODNET_BENCH_PORT ?? 4290), scenario: 'flannel-vxlan', trace: true, profile: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const v = argv[i + 1]
    if (a === '--sizes' && v) {
      o.sizes = v.split(',').map((s) => {
        const m = /^(\d+)x(\d+)$/.exec(s.trim())
        if (!m) throw new Error(`--sizes: "${s}" is not NODESxPODS, e.g. 100x20`)
        return { nodes: Number(m[1]), pods: Number(m[2]) }
      })
      i++
    } else if (a === '--runs' && v) {
      o.runs = Math.max(1, Number(v))
      i++
    } else if (a === '--port' && v) {
      o.port = Number(v)
      i++
    } else if (a === '--scenario' && v) {
      o.scenario = v
      i++
    } else if (a === '--profile' && v) {
      o.profile = v
      i++
    } else if (a === '--no-trace') o.trace = false
    else throw new Error(`unknown option ${a} (--sizes NxM,..., --runs N, --port P, --scenario NAME, --no-trace, --profile DIR)`)
  }
  return o
}

interface Frames {
  fps: number
  longestMs: number
  frames: number
  /** CPU time of the page's main thread in its longest task, and per frame (from a Chromium trace). */
  longestCpuMs?: number
  cpuPerFrameMs?: number
  /** The editor's named spans (`podnet:NAME`, User Timing) in the trace: total wall milliseconds by NAME. */
  spans?: Record<string, number>
}

interface Run {
  drawnMs: number
  /** The editor's spans while the lab was created and drawn: total milliseconds by name. */
  spans: Record<string, number>
  pan: Frames
  zoom: Frames
  heapMiB: number
  dom: number
  /** The Lab tab's search: typing the last pod's name until its row is listed; picking it until the panel shows it. */
  searchMs: number
  revealMs: number
  trace?: Frames & { verdictMs: number }
}

const VIEW = { width: 1600, height: 1000 }
/** What a --profile trace records: tasks, frames, and the JavaScript sampled (for bench/ui-trace.ts). */
const TRACE_CATEGORIES = ['toplevel', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'disabled-by-default-devtools.timeline.frame', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'blink.user_timing']
const BUILD_TIMEOUT = 600_000

async function serve(port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['scripts/serve-static.mjs', 'dist-web', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`the static server exited (${code})`)))
    child.stdout!.once('data', () => resolve())
  })
  return child
}

/** Starts counting frames in the page. */
async function startFrames(page: Page): Promise<void> {
  // A string, not a function: this file is type-checked without the DOM's types.
  await page.evaluate(`(() => {
    const w = window
    w.__frames = []
    w.__counting = true
    const tick = (t) => {
      if (!w.__counting) return
      w.__frames.push(t)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })()`)
}

async function stopFrames(page: Page): Promise<Frames> {
  const t = await page.evaluate<number[]>('(window.__counting = false, window.__frames)')
  if (t.length < 2) return { fps: 0, longestMs: Infinity, frames: t.length }
  let longest = 0
  for (let i = 1; i < t.length; i++) longest = Math.max(longest, t[i] - t[i - 1])
  return { fps: ((t.length - 1) * 1000) / (t[t.length - 1] - t[0]), longestMs: longest, frames: t.length }
}

async function canvasBox(page: Page): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.getByTestId('canvas').boundingBox()
  if (!box) throw new Error('no canvas on the page')
  return box
}

/** A drag across the canvas for `ms`: right and down, then back, in small steps. */
async function pan(page: Page, ms: number): Promise<Frames> {
  const b = await canvasBox(page)
  const cx = b.x + b.width / 2
  const cy = b.y + b.height / 2
  await page.mouse.move(cx, cy)
  await startFrames(page)
  await page.mouse.down()
  const t0 = Date.now()
  let x = cx
  let y = cy
  let dir = 1
  while (Date.now() - t0 < ms) {
    x += 6 * dir
    y += 3 * dir
    if (Math.abs(x - cx) > b.width / 3) dir = -dir
    await page.mouse.move(x, y)
  }
  await page.mouse.up()
  return stopFrames(page)
}

/** Wheel steps at the canvas centre for `ms`: in for the first half, out for the second. */
async function zoom(page: Page, ms: number): Promise<Frames> {
  const b = await canvasBox(page)
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2)
  await startFrames(page)
  const t0 = Date.now()
  while (Date.now() - t0 < ms) {
    await page.mouse.wheel(0, Date.now() - t0 < ms / 2 ? -60 : 60)
    await page.waitForTimeout(16)
  }
  return stopFrames(page)
}

/**
 * Runs a gesture under a Chromium trace and adds the CPU time of the page's main thread: on a
 * shared machine wall-clock frames mostly measure the other processes; thread time does not.
 * With --profile the trace is kept (with JavaScript samples) for bench/ui-trace.ts.
 */
async function traced(browser: Browser, page: Page, o: Options, name: string, gesture: () => Promise<Frames>): Promise<Frames> {
  const dir = o.profile ?? mkdtempSync(join(tmpdir(), 'podnet-bench-ui-'))
  mkdirSync(dir, { recursive: true })
  const file = join(dir, `ui-${name}-${Date.now()}.json`)
  await browser.startTracing(page, { path: file, categories: o.profile ? TRACE_CATEGORIES : TRACE_CATEGORIES.filter((c) => !c.includes('cpu_profiler')) })
  const frames = await gesture()
  await browser.stopTracing()
  const trace = JSON.parse(readFileSync(file, 'utf8')) as TraceFile
  const cpu = mainThreadCpu(trace, frames.frames)
  if (o.profile) console.log(`  trace: ${file}`)
  else rmSync(dir, { recursive: true, force: true })
  return { ...frames, ...cpu, spans: userSpans(trace) }
}

type TraceEvent = { name: string; cat?: string; ph: string; ts?: number; id?: string; id2?: { local?: string }; pid: number; tid: number; dur?: number; tdur?: number; args?: { name?: string } }
type TraceFile = { traceEvents: TraceEvent[] } | TraceEvent[]

/** The longest task's thread time on the busiest renderer main thread, and its thread time per frame. */
function mainThreadCpu(trace: TraceFile, frames: number): { longestCpuMs: number; cpuPerFrameMs: number } {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const mains = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  let best = { longest: 0, total: 0 }
  for (const m of mains) {
    const tasks = events.filter((e) => e.pid === m.pid && e.tid === m.tid && e.ph === 'X' && e.name === 'RunTask')
    const total = tasks.reduce((s, e) => s + (e.tdur ?? 0), 0)
    if (total > best.total) best = { total, longest: Math.max(0, ...tasks.map((e) => e.tdur ?? 0)) }
  }
  return { longestCpuMs: best.longest / 1000, cpuPerFrameMs: best.total / 1000 / Math.max(1, frames) }
}

/** The `podnet:NAME` User Timing spans of every thread (page and Worker): total milliseconds by NAME. */
function userSpans(trace: TraceFile): Record<string, number> {
  const events = Array.isArray(trace) ? trace : trace.traceEvents
  const open = new Map<string, number>()
  const out: Record<string, number> = {}
  for (const e of events) {
    if (!e.name.startsWith('podnet:') || !e.cat?.includes('user_timing') || e.ts === undefined) continue
    const key = `${e.pid}:${e.tid}:${e.id ?? e.id2?.local ?? ''}:${e.name}`
    const name = e.name.slice('podnet:'.length)
    if (e.ph === 'X') out[name] = (out[name] ?? 0) + (e.dur ?? 0) / 1000
    else if (e.ph === 'b') open.set(key, e.ts)
    else if (e.ph === 'e' && open.has(key)) {
      out[name] = (out[name] ?? 0) + (e.ts - open.get(key)!) / 1000
      open.delete(key)
    }
  }
  return out
}

async function heapMiB(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('HeapProfiler.enable')
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('Performance.enable')
  const { metrics } = await cdp.send('Performance.getMetrics')
  await cdp.detach()
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN
  return used / 2 ** 20
}

/** Waits until the canvas has drawn the lab of generation `gen` or later. */
async function waitDrawn(page: Page, gen: number): Promise<void> {
  // A function, not a string: the page's Content-Security-Policy forbids evaluating strings.
  const drawnAtLeast = (g: number): boolean => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(a: string): string | null } | null } }).document
    return Number(doc.querySelector('[data-testid="canvas"]')?.getAttribute('data-drawn') ?? -1) >= g
  }
  await page.waitForFunction(drawnAtLeast, gen, { timeout: BUILD_TIMEOUT, polling: 50 })
}

async function drawnGeneration(page: Page): Promise<number> {
  return Number((await page.getByTestId('canvas').getAttribute('data-drawn')) ?? -1)
}

async function oneRun(browser: Browser, o: Options, size: { nodes: number; pods: number }): Promise<Run> {
  const context = await browser.newContext({ viewport: VIEW, locale: 'en-US' })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(String(e)))
  await page.goto(`http://127.0.0.1:${o.port}/`)
  await waitDrawn(page, 1)
  const gen = await drawnGeneration(page)
  await page.getByRole('button', { name: 'New lab with options…' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.locator(`input[type="radio"][value="${o.scenario}"]`).check()
  await dialog.getByLabel('Nodes', { exact: true }).fill(String(size.nodes))
  await dialog.getByLabel('Pods per node', { exact: true }).fill(String(size.pods))
  let drawnMs = 0
  const create = async (): Promise<Frames> => {
    const t0 = Date.now()
    await dialog.getByRole('button', { name: 'Create' }).click()
    await waitDrawn(page, gen + 1)
    drawnMs = Date.now() - t0
    return { fps: 0, longestMs: 0, frames: 1 }
  }
  // The creation runs under a trace too: the editor's named spans in it (src-renderer/lib/timing.ts)
  // tell the Worker's part from the page's.
  const created = await traced(browser, page, o, `${size.nodes}x${size.pods}-create`, create)
  await page.waitForTimeout(500)
  const panFrames = await traced(browser, page, o, `${size.nodes}x${size.pods}-pan`, () => pan(page, 2000))
  await page.waitForTimeout(500)
  const zoomFrames = await traced(browser, page, o, `${size.nodes}x${size.pods}-zoom`, () => zoom(page, 2000))
  await page.waitForTimeout(500)
  const heap = await heapMiB(page)
  const dom = await page.evaluate<number>("document.getElementsByTagName('*').length")
  const { searchMs, revealMs } = await search(page, `pod${size.nodes * size.pods}`)
  const run: Run = { drawnMs, spans: created.spans ?? {}, pan: panFrames, zoom: zoomFrames, heapMiB: heap, dom, searchMs, revealMs }
  if (o.trace) {
    await page.getByRole('tab', { name: 'Trace' }).click()
    const last = size.nodes * size.pods
    await pickTraceEnds(page, 'pod1', `pod${last}`)
    let verdictMs = 0
    // Under a trace too: the page's part of showing it (the boxes it passes through made and drawn,
    // its trail found: span page:trail) and the CPU of its first animation's frames.
    const animation = await traced(browser, page, o, `${size.nodes}x${size.pods}-trace`, async () => {
      const t1 = Date.now()
      await page.getByRole('button', { name: /Send packet/ }).click()
      await page.getByTestId('verdict').waitFor({ timeout: BUILD_TIMEOUT })
      verdictMs = Date.now() - t1
      await startFrames(page)
      await page.waitForTimeout(2000)
      return stopFrames(page)
    })
    run.trace = { ...animation, verdictMs }
  }
  if (errors.length) console.error(`  page errors: ${errors.join('; ')}`)
  await context.close()
  return run
}

/** Finds a pod in the Lab tab's searchable list and picks it (the canvas brings it into view). */
async function search(page: Page, name: string): Promise<{ searchMs: number; revealMs: number }> {
  await page.getByRole('tab', { name: 'Lab' }).click()
  const t0 = Date.now()
  await page.getByTestId('ns-search').fill(name)
  const row = page.getByTestId('ns-list').getByRole('button', { name: new RegExp(`^pod ${name}\\b`) })
  await row.first().waitFor({ timeout: BUILD_TIMEOUT })
  const searchMs = Date.now() - t0
  const t1 = Date.now()
  await row.first().click()
  await page.locator('.ns h2', { hasText: name }).waitFor({ timeout: BUILD_TIMEOUT })
  return { searchMs, revealMs: Date.now() - t1 }
}

/** Chooses the trace's source and destination in the panel's searchable pickers. */
async function pickTraceEnds(page: Page, from: string, to: string): Promise<void> {
  const src = page.getByTestId('trace-from')
  await src.fill(from)
  await src.press('Enter')
  const dst = page.getByTestId('trace-to')
  await dst.fill(to)
  await dst.press('Escape')
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const fmt = (x: number, d = 0): string => (Number.isFinite(x) ? x.toFixed(d) : '–')

function report(size: { nodes: number; pods: number }, runs: Run[]): void {
  const col = (f: (r: Run) => number): number[] => runs.map(f)
  const line = (name: string, xs: number[], d = 0, unit = ''): void => {
    console.log(`  ${name.padEnd(24)} median ${fmt(median(xs), d)}${unit}  (${xs.map((x) => fmt(x, d)).join(', ')})`)
  }
  console.log(`${size.nodes} x ${size.pods} (${runs.length} runs)`)
  line('first drawn canvas', col((r) => r.drawnMs), 0, ' ms')
  // Of which: the Worker's part (building, sending the state) and the page's (receiving it, the store, the canvas).
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.spans)))].sort()
  for (const n of names) line(`  ${n}`, col((r) => r.spans[n] ?? 0), 0, ' ms')
  line('pan fps', col((r) => r.pan.fps), 1)
  line('pan longest frame', col((r) => r.pan.longestMs), 0, ' ms')
  line('pan longest task CPU', col((r) => r.pan.longestCpuMs ?? NaN), 0, ' ms')
  line('pan CPU per frame', col((r) => r.pan.cpuPerFrameMs ?? NaN), 1, ' ms')
  line('zoom fps', col((r) => r.zoom.fps), 1)
  line('zoom longest frame', col((r) => r.zoom.longestMs), 0, ' ms')
  line('zoom longest task CPU', col((r) => r.zoom.longestCpuMs ?? NaN), 0, ' ms')
  line('zoom CPU per frame', col((r) => r.zoom.cpuPerFrameMs ?? NaN), 1, ' ms')
  line('JS heap', col((r) => r.heapMiB), 0, ' MiB')
  line('DOM elements', col((r) => r.dom))
  line('search: row listed after', col((r) => r.searchMs), 0, ' ms')
  line('search: pod shown after', col((r) => r.revealMs), 0, ' ms')
  if (runs.every((r) => r.trace)) {
    line('trace: verdict after', col((r) => r.trace!.verdictMs), 0, ' ms')
    line('trace animation fps', col((r) => r.trace!.fps), 1)
    line('trace longest frame', col((r) => r.trace!.longestMs), 0, ' ms')
    // From the click on Send to the animation's end: the page's longest task, and its CPU per animation frame.
    line('trace longest task CPU', col((r) => r.trace!.longestCpuMs ?? NaN), 0, ' ms')
    line('trace CPU per frame', col((r) => r.trace!.cpuPerFrameMs ?? NaN), 1, ' ms')
    const traceSpans = [...new Set(runs.flatMap((r) => Object.keys(r.trace!.spans ?? {})))].filter((n) => n.startsWith('page:')).sort()
    for (const n of traceSpans) line(`  ${n}`, col((r) => r.trace!.spans?.[n] ?? 0), 0, ' ms')
  }
}

async function main(): Promise<void> {
  const o = options(process.argv.slice(2))
  console.log(`bench:ui  ${new Date().toISOString()}  ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`)
  console.log(`Chromium headless at ${VIEW.width} x ${VIEW.height}, scenario ${o.scenario}`)
  const server = await serve(o.port)
  const browser = await chromium.launch({
    executablePath: process.env.PODNET_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--enable-precise-memory-info'],
  })
  try {
    for (const size of o.sizes) {
      const runs: Run[] = []
      for (let i = 0; i < o.runs; i++) {
        try {
          runs.push(await oneRun(browser, o, size))
        } catch (e) {
          console.error(`  ${size.nodes} x ${size.pods} run ${i + 1} failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`)
        }
      }
      if (runs.length) report(size, runs)
      console.log(`  load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`)
    }
  } finally {
    await browser.close()
    server.kill()
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
