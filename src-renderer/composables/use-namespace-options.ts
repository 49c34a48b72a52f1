import { computed, type ComputedRef } from 'vue'
import type { NetnsView } from '../../shared/api.ts'
import { useI18n, type UiKey } from '../i18n/index.ts'
import type { PickOption } from '../lib/search.ts'
import { useLabStore } from '../stores/lab.ts'

/** A namespace as a pick option: its name ('host' for the root one), its role and node as the hint. */
export function namespaceOption(n: NetnsView, role: string): PickOption {
  return { value: n.name, label: n.name || 'host', hint: n.node ? `${role} · ${n.node}` : role }
}

/**
 * The lab's namespaces as options for pickers and lists, in the UI's language; `order` sorts
 * them by role first (pods, then nodes, then the rest), as the trace picker lists them.
 */
export function useNamespaceOptions(order: 'lab' | 'pods-first' = 'lab'): ComputedRef<PickOption[]> {
  const lab = useLabStore()
  const { t } = useI18n()
  return computed(() => {
    const roles = new Map<string, string>()
    const role = (r: string): string => roles.get(r) ?? (roles.set(r, t(`role.${r}` as UiKey)), roles.get(r)!)
    let list = lab.namespaces
    if (order === 'pods-first') {
      const rank: Record<string, number> = { pod: 0, node: 1, router: 2, switch: 3, other: 4 }
      list = [...list].sort((a, b) => (rank[a.role] ?? 9) - (rank[b.role] ?? 9))
    }
    return list.map((n) => namespaceOption(n, role(n.role)))
  })
}
