import { computed, type ComputedRef } from 'vue'
import type { Lang, NetnsView } from '../../shared/api.ts'
import { useI18n, type UiKey } from '../i18n/index.ts'
import type { PickOption } from '../lib/search.ts'
import { useLabStore } from '../stores/lab.ts'

/** A namespace as a pick option: its name ('host' for the root one), its role and node as the hint. */
export function namespaceOption(n: NetnsView, role: string): PickOption {
  return { value: n.name, label: n.name || 'host', hint: n.node ? `${role} · ${n.node}` : role }
}

type Order = 'lab' | 'pods-first'

/**
 * The options made for a lab's namespaces, by language and order: the pickers and lists that
 * show them (the trace's, the terminal's, the Lab tab's...) share one list, and a language
 * already shown is not made again (a 1,000-node lab has 31,000 namespaces). Gone with the lab.
 */
const made = new WeakMap<readonly NetnsView[], Map<string, PickOption[]>>()

function optionsOf(list: readonly NetnsView[], lang: Lang, order: Order, t: (key: UiKey) => string): PickOption[] {
  let byKey = made.get(list)
  if (!byKey) made.set(list, (byKey = new Map()))
  const key = `${lang} ${order}`
  let options = byKey.get(key)
  if (options) return options
  const roles = new Map<string, string>()
  const role = (r: string): string => roles.get(r) ?? (roles.set(r, t(`role.${r}` as UiKey)), roles.get(r)!)
  let sorted = list
  if (order === 'pods-first') {
    const rank: Record<string, number> = { pod: 0, node: 1, router: 2, switch: 3, other: 4 }
    sorted = [...list].sort((a, b) => (rank[a.role] ?? 9) - (rank[b.role] ?? 9))
  }
  options = sorted.map((n) => namespaceOption(n, role(n.role)))
  byKey.set(key, options)
  return options
}

/**
 * The lab's namespaces as options for pickers and lists, in the UI's language; `order` sorts
 * them by role first (pods, then nodes, then the rest), as the trace picker lists them.
 */
export function useNamespaceOptions(order: Order = 'lab'): ComputedRef<PickOption[]> {
  const lab = useLabStore()
  const { lang, t } = useI18n()
  return computed(() => optionsOf(lab.namespaces, lang.value, order, t))
}
