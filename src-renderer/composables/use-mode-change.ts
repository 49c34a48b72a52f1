import type { Edit } from '../../shared/api.ts'
import { useI18n, type UiKey } from '../i18n/index.ts'
import { useLabStore } from '../stores/lab.ts'
import { useUiStore } from '../stores/ui.ts'

export type ClusterMode = Extract<Edit, { type: 'setMode' }>['mode']

/** The modes a cluster can be moved to (`podnet cluster mode MODE`). */
export const CLUSTER_MODES: readonly ClusterMode[] = ['routes', 'cloud-routes', 'flannel-vxlan', 'flannel-host-gw']

/**
 * Moving the cluster to another mode, from the canvas or the side panel: the learner is told what
 * happens and confirms; then one edit (one undo step). Resolves whether the mode changed.
 */
export function useModeChange() {
  const lab = useLabStore()
  const ui = useUiStore()
  const { t } = useI18n()
  return async (mode: ClusterMode): Promise<boolean> => {
    const from = lab.state?.topology.mode
    if (!from || from === mode) return false
    const words = { from: t(`mode.${from}` as UiKey), to: t(`mode.${mode}` as UiKey) }
    if (!(await ui.ask(t('canvas.mode.title', words), t('canvas.mode.body', words), t('canvas.mode.confirm')))) return false
    return lab.edit({ type: 'setMode', mode })
  }
}
