import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { DissectLayer, LabState, TraceRequestView, TraceStepView, TraceView } from '../../shared/api.ts'
import type { TraceEventJson } from '../../shared/trace.ts'
import { api } from '../api/podnet.ts'
import { download } from '../lib/download.ts'
import { previousHop } from '../player/changes.ts'
import {
  changeSpeed,
  INITIAL_PLAYER,
  nextStep,
  playFrom,
  prevStep,
  snapToVisible,
  stepAtPosition,
  stepNamespace,
  stepsTouching,
  tick as playerTick,
  visibleSteps,
  type PlayerFilters,
  type Speed,
} from '../player/player.ts'
import { useLabStore } from './lab.ts'
import { useSettingsStore } from './settings.ts'
import { useUiStore } from './ui.ts'

/** What the lab's configuration is: its history of changes (a different lab resets the trace anyway). */
export function historyKey(state: LabState | null): string {
  return state ? state.history.map((e) => `${e.atNs} ${e.line}`).join('\n') : ''
}

/** Default payload sizes, as ping and a small datagram send them. */
export const DEFAULT_SIZE = { icmp: 56, udp: 32 } as const
export const DEFAULT_PORT = 9999

/**
 * The packet walk: the send form, the last trace and whether the lab changed since, the player
 * (the step shown, playing or not, speed, filters) and the headers of the step shown.
 */
export const useTraceStore = defineStore('trace', () => {
  // ---- The send form.
  const from = ref('')
  const to = ref('')
  const proto = ref<'icmp' | 'udp'>('icmp')
  const warm = ref(false)
  /** Payload bytes (ping -s); null: the protocol's default. */
  const size = ref<number | null>(null)
  const df = ref(false)
  const count = ref(1)
  const port = ref(DEFAULT_PORT)
  /** UDP source port; null: the engine picks one. */
  const sport = ref<number | null>(null)

  // ---- The last result. A trace is read-only data, replaced whole: no deep proxies over hundreds of events.
  const current = shallowRef<TraceView | null>(null)
  const events = computed(() => new Map<number, TraceEventJson>((current.value?.events ?? []).map((e) => [e.seq, e])))
  /** The lab's history the trace ran on. */
  const ranOn = ref<string | null>(null)
  /** The lab changed since the trace ran: its result may no longer hold. */
  const stale = computed(() => current.value !== null && ranOn.value !== historyKey(useLabStore().state))

  // ---- The player (see player/player.ts).
  /** The step shown: index into current.steps, or null. */
  const selected = ref<number | null>(INITIAL_PLAYER.at)
  const playing = ref(INITIAL_PLAYER.playing)
  const speed = ref<Speed>(INITIAL_PLAYER.speed)
  const filters = ref<PlayerFilters>({ ...INITIAL_PLAYER.filters })
  /** Only the steps at this namespace (a device clicked on the canvas), or null for all. */
  const focus = ref<string | null>(null)
  const visible = computed<number[]>(() => {
    const steps = current.value?.steps ?? []
    const shown = visibleSteps(steps, filters.value)
    if (focus.value === null) return shown
    const here = new Set(stepsTouching(steps, focus.value))
    return shown.filter((i) => here.has(i))
  })
  const selectedStep = computed<TraceStepView | null>(() => (current.value && selected.value !== null ? (current.value.steps[selected.value] ?? null) : null))

  // ---- The inspector: the step's headers and the previous hop's, to say what changed.
  const layers = shallowRef<DissectLayer[] | null>(null)
  /** The event whose bytes the inspector shows. */
  const frameEvent = shallowRef<TraceEventJson | null>(null)
  /** The step that showed this packet last, and its headers. */
  const prevHop = ref<number | null>(null)
  const prevLayers = shallowRef<DissectLayer[] | null>(null)

  const lab = () => useLabStore()
  const lang = () => useSettingsStore().lang

  /** The source suggest() chose last (a learner's own choice is kept). */
  let suggestedFrom: string | null = null

  /** Picks sensible endpoints: the first pod, and a pod on another node when there is one. `fresh`: a new lab. */
  function suggest(fresh = false): void {
    const l = lab()
    const names = new Set(l.namespaces.map((n) => n.name))
    const pods = l.pods
    // A packet starts in a pod, or (no pod yet) in a node, a plain namespace or the host; never
    // in a switch or router, which only pass packets on. A default that was not a pod gives way
    // to the first pod once there is one.
    const start = pods[0] ?? l.namespaces.find((n) => n.role === 'node') ?? l.namespaces.find((n) => n.role === 'other' && n.name !== '')
    if (fresh || !names.has(from.value) || (from.value === suggestedFrom && l.byName.get(from.value)?.role !== 'pod' && pods.length > 0)) {
      from.value = start?.name ?? ''
      suggestedFrom = from.value
    }
    if (fresh || !names.has(to.value) || to.value === from.value) {
      const src = l.byName.get(from.value)
      const other = pods.find((p) => p.name !== from.value && p.node !== src?.node) ?? pods.find((p) => p.name !== from.value)
      to.value = other?.name ?? ''
    }
  }

  /** The send form as a request. */
  function request(): TraceRequestView {
    const r: TraceRequestView = { from: from.value, to: to.value.trim(), proto: proto.value }
    if (warm.value) r.warm = true
    if (size.value !== null) r.size = size.value
    if (df.value) r.df = true
    if (count.value !== 1) r.count = count.value
    if (proto.value === 'udp') {
      r.port = port.value
      if (sport.value !== null) r.sport = sport.value
    }
    return r
  }

  async function run(req: TraceRequestView): Promise<void> {
    const l = lab()
    const t = await l.call(() => api.trace({ ...req, lang: lang() }))
    if (!t) return
    current.value = t
    ranOn.value = historyKey(l.state)
    focus.value = null
    selected.value = null
    layers.value = null
    prevLayers.value = null
    frameEvent.value = null
    useUiStore().dockTab = 'trace'
    // Watch it from the start, one hop at a time.
    play()
  }

  async function send(): Promise<void> {
    if (!from.value || !to.value.trim()) return
    await run(request())
  }

  /** Sends the last trace's request again (after the lab changed). */
  async function rerun(): Promise<void> {
    const req = current.value?.request
    if (!req) return send()
    const { lang: _lang, ...again } = req
    await run(again)
  }

  // ---- Player actions.
  function goTo(index: number | null): void {
    selected.value = index
  }

  /** A step picked by the learner: playing stops, and its device becomes the selection. */
  function select(index: number | null): void {
    playing.value = false
    goTo(index)
    const s = selectedStep.value
    if (s) {
      const ui = useUiStore()
      ui.selected = stepNamespace(s)
      ui.rightTab = 'packet'
    }
  }

  function play(): void {
    const start = playFrom(visible.value, selected.value)
    if (start === null) return
    goTo(start)
    playing.value = nextStep(visible.value, start) !== null
  }

  function pause(): void {
    playing.value = false
  }

  function toggle(): void {
    if (playing.value) pause()
    else play()
  }

  /** One step of the clock while playing. */
  function tick(): void {
    const s = playerTick(visible.value, { at: selected.value, playing: playing.value, speed: speed.value, filters: filters.value })
    goTo(s.at)
    playing.value = s.playing
  }

  function next(): void {
    pause()
    const n = nextStep(visible.value, selected.value)
    if (n !== null) goTo(n)
  }

  function prev(): void {
    pause()
    const p = prevStep(visible.value, selected.value)
    if (p !== null) goTo(p)
  }

  function first(): void {
    pause()
    goTo(visible.value[0] ?? null)
  }

  function last(): void {
    pause()
    goTo(visible.value[visible.value.length - 1] ?? null)
  }

  /** The scrubber moved to a position among the visible steps. */
  function scrub(pos: number): void {
    pause()
    goTo(stepAtPosition(visible.value, pos))
  }

  function faster(dir: 1 | -1): void {
    speed.value = changeSpeed(speed.value, dir)
  }

  function setFilter(name: keyof PlayerFilters, on: boolean): void {
    filters.value = { ...filters.value, [name]: on }
  }

  function setFocus(netns: string | null): void {
    focus.value = netns
  }

  /** A device clicked on the canvas: with a trace shown, only its steps are listed (null: all again). */
  function showStepsAt(netns: string | null): void {
    if (current.value) setFocus(netns)
  }

  // A filter that hides the step shown moves the playhead to the nearest one left.
  watch(visible, (v) => {
    if (selected.value !== null && !v.includes(selected.value)) goTo(snapToVisible(v, selected.value))
  })

  // ---- The inspector follows the step shown, in the chosen language.
  let asked = 0
  async function dissectEvent(ev: TraceEventJson | undefined): Promise<DissectLayer[] | null> {
    if (!ev?.frame) return ev ? [] : null
    return (await lab().call(() => api.dissect({ frame: ev.frame as string, layer: ev.layer ?? 'ethernet', lang: lang() }), true)) ?? []
  }

  async function loadLayers(): Promise<void> {
    const ask = ++asked
    const step = selectedStep.value
    const t = current.value
    if (!step || !t || selected.value === null) {
      layers.value = null
      prevLayers.value = null
      frameEvent.value = null
      prevHop.value = null
      return
    }
    const ev = step.frameEvent === undefined ? undefined : events.value.get(step.frameEvent)
    const before = previousHop(t.steps, events.value, selected.value)
    const prevEv = before === null ? undefined : events.value.get(t.steps[before].frameEvent ?? -1)
    const [now, then] = await Promise.all([dissectEvent(ev), dissectEvent(prevEv)])
    // A later step may have been asked for while these were decoding.
    if (ask !== asked) return
    frameEvent.value = ev ?? null
    layers.value = now ?? []
    prevHop.value = before
    prevLayers.value = then
  }
  watch([selected, current, () => useSettingsStore().lang], () => void loadLayers())

  async function exportPcap(steps = false): Promise<void> {
    const ui = useUiStore()
    const t = current.value
    if (!t) {
      ui.showNotice('notice.noTrace')
      return
    }
    const r = await lab().call(() => api.exportPcap({ traceId: t.id, lang: lang(), steps }))
    if (!r) return
    download(r.name, r.bytes, 'application/x-pcapng')
    ui.showNotice('notice.downloaded', { name: r.name })
  }

  function reset(): void {
    playing.value = false
    current.value = null
    ranOn.value = null
    selected.value = null
    focus.value = null
    layers.value = null
    prevLayers.value = null
    frameEvent.value = null
    prevHop.value = null
  }

  return {
    from, to, proto, warm, size, df, count, port, sport,
    current, events, stale, selected, selectedStep, playing, speed, filters, focus, visible,
    layers, frameEvent, prevHop, prevLayers,
    suggest, request, send, rerun, select, goTo, play, pause, toggle, tick, next, prev, first, last, scrub, faster, setFilter, setFocus, showStepsAt, exportPcap, reset,
  }
})
