import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { CompareSourceView, CompareView } from '../../shared/api.ts'
import { api, hasShell } from '../api/podnet.ts'
import { useLabStore } from './lab.ts'
import { useSettingsStore } from './settings.ts'
import { historyKey, useTraceStore } from './trace.ts'
import { useWorkStore } from './work.ts'

/** The cluster modes a lab can be moved to (`podnet cluster mode`). */
export const CLUSTER_MODES = ['routes', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw'] as const
export type ClusterMode = (typeof CLUSTER_MODES)[number]

/** One side to compare: the open lab as it is, moved to a mode, or another lab file. */
export type SideChoice = 'lab' | ClusterMode | 'file'

/** The probe's payload when none is typed (as ping sends). */
export const COMPARE_DEFAULT_SIZE = 56

/**
 * The Compare view: what to compare (the probe and the two sides), the last comparison and
 * whether the lab changed since it ran. The comparison runs on replays: the lab never changes.
 */
export const useCompareStore = defineStore('compare', () => {
  const lab = useLabStore()
  const sides = ref<[SideChoice, SideChoice]>(['routes', 'flannel-vxlan'])
  /** Payload bytes; null: the default. */
  const size = ref<number | null>(null)
  /** A lab file the user picked in the browser build (the desktop shell reads its own). */
  const file = ref<{ name: string; text: string } | null>(null)
  const result = shallowRef<CompareView | null>(null)
  /** What ran: the sides' words for the headers (a file's name), and the lab's history then. */
  const ran = ref<{ sides: [SideChoice, SideChoice]; file: string | null; history: string } | null>(null)
  const running = ref(false)
  const stale = computed(() => ran.value !== null && ran.value.history !== historyKey(lab.state))

  /** The open lab has a cluster: its mode can change. */
  const hasCluster = computed(() => (lab.state?.topology.mode ?? null) !== null)

  /** Sensible sides for the open lab: routes vs VXLAN with a cluster, this lab vs a file without. */
  function suggest(): void {
    sides.value = hasCluster.value ? ['routes', 'flannel-vxlan'] : ['lab', 'file']
    result.value = null
    ran.value = null
    file.value = null
  }

  function source(c: SideChoice): CompareSourceView {
    if (c === 'lab') return {}
    if (c === 'file') return file.value ? { text: file.value.text, name: file.value.name } : { file: 'dialog' }
    return { mode: c }
  }

  /** Whether a side needs a file the browser build has not been given yet. */
  const needsFile = computed(() => !hasShell() && sides.value.includes('file') && file.value === null)

  async function run(): Promise<void> {
    const trace = useTraceStore()
    if (!trace.from || !trace.to.trim() || needsFile.value) return
    const chosen: [SideChoice, SideChoice] = [...sides.value]
    const history = historyKey(lab.state)
    running.value = true
    try {
      // Long in a big lab (two replays, a probe per halving of the MTU search): the progress bar shows, with Cancel.
      const r = await lab.call(() =>
        useWorkStore().track(() =>
          api.compare({
            from: trace.from,
            to: trace.to.trim(),
            proto: trace.proto,
            ...(trace.proto === 'udp' ? { port: trace.port } : {}),
            size: size.value ?? COMPARE_DEFAULT_SIZE,
            sides: [source(chosen[0]), source(chosen[1])],
            lang: useSettingsStore().lang,
          }),
        ),
      )
      if (!r || 'cancelled' in r) return
      result.value = r
      ran.value = { sides: chosen, file: chosen.includes('file') ? (r.sides[chosen.indexOf('file')]?.label ?? null) : null, history }
    } finally {
      running.value = false
    }
  }

  return { sides, size, file, result, ran, running, stale, hasCluster, needsFile, suggest, run }
})
