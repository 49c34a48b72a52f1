import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { DissectLayer, TraceStepView, TraceView } from '../../shared/api.ts'
import type { TraceEventJson } from '../../shared/trace.ts'
import { api } from '../api/podnet.ts'
import { translate } from '../i18n/index.ts'
import { download } from '../lib/download.ts'
import { useLabStore } from './lab.ts'
import { useSettingsStore } from './settings.ts'
import { useUiStore } from './ui.ts'

/** The packet walk: the request form, the last trace, the chosen step and its headers. */
export const useTraceStore = defineStore('trace', () => {
  const from = ref('')
  const to = ref('')
  const proto = ref<'icmp' | 'udp'>('icmp')
  const warm = ref(false)
  // A trace is read-only data, replaced whole; no deep proxies over hundreds of events.
  const current = shallowRef<TraceView | null>(null)
  /** Index into current.steps, or null. */
  const selected = ref<number | null>(null)
  const layers = shallowRef<DissectLayer[] | null>(null)
  /** The event whose bytes the inspector shows. */
  const frameEvent = shallowRef<TraceEventJson | null>(null)
  /** Bumped to (re)start the animation of the whole walk. */
  const playToken = ref(0)
  /** The step the animated packet is at (set by the canvas while it plays). */
  const playhead = ref<number | null>(null)

  const selectedStep = computed<TraceStepView | null>(() => (current.value && selected.value !== null ? (current.value.steps[selected.value] ?? null) : null))

  /** Picks sensible endpoints: the first pod, and a pod on another node when there is one. */
  function suggest(): void {
    const lab = useLabStore()
    const names = new Set(lab.namespaces.map((n) => n.name))
    const pods = lab.pods
    if (!names.has(from.value)) from.value = pods[0]?.name ?? lab.namespaces[0]?.name ?? ''
    if (!names.has(to.value) || to.value === from.value) {
      const src = lab.byName.get(from.value)
      const other = pods.find((p) => p.name !== from.value && p.node !== src?.node) ?? pods.find((p) => p.name !== from.value)
      to.value = other?.name ?? ''
    }
  }

  async function send(): Promise<void> {
    const lab = useLabStore()
    if (!from.value || !to.value) return
    const t = await lab.call(() => api.trace({ from: from.value, to: to.value, proto: proto.value, warm: warm.value, lang: useSettingsStore().lang }))
    if (!t) return
    current.value = t
    selected.value = null
    layers.value = null
    frameEvent.value = null
    playToken.value++
    useUiStore().dockTab = 'trace'
    // The probe taught ARP caches and bridges something: show the tables as they are now.
    await lab.refresh()
  }

  async function select(index: number | null): Promise<void> {
    selected.value = index
    const step = selectedStep.value
    const t = current.value
    if (!step || !t) {
      layers.value = null
      frameEvent.value = null
      return
    }
    const ev = step.frameEvent === undefined ? undefined : t.events.find((e) => e.seq === step.frameEvent)
    frameEvent.value = ev ?? null
    useUiStore().rightTab = 'packet'
    if (!ev?.frame) {
      layers.value = []
      return
    }
    const r = await useLabStore().call(() => api.dissect({ frame: ev.frame as string, layer: ev.layer ?? 'ethernet' }))
    // A later click may have landed while this one was decoding.
    if (selected.value === index) layers.value = r ?? []
  }

  async function exportPcap(): Promise<void> {
    const ui = useUiStore()
    const t = current.value
    if (!t) {
      ui.showNotice(translate(useSettingsStore().lang, 'notice.noTrace'))
      return
    }
    const r = await useLabStore().call(() => api.exportPcap({ traceId: t.id, lang: useSettingsStore().lang }))
    if (!r) return
    download(r.name, r.bytes, 'application/x-pcapng')
    ui.showNotice(translate(useSettingsStore().lang, 'notice.downloaded', { name: r.name }))
  }

  function reset(): void {
    playhead.value = null
    current.value = null
    selected.value = null
    layers.value = null
    frameEvent.value = null
  }

  return { from, to, proto, warm, current, selected, selectedStep, layers, frameEvent, playToken, playhead, suggest, send, select, exportPcap, reset }
})
