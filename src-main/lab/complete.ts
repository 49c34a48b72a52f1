import { complete, type Completion, type ProgramCompleter } from '../engine/commands/complete.ts'
import type { World } from '../engine/kernel/world.ts'
import type { Cluster } from '../k8s/cluster.ts'

/**
 * Completion in an open lab: the command language's (engine/commands/complete.ts) plus the lab's
 * own `podnet` commands, whose names come from the cluster.
 */
export function completeInLab(world: World, cluster: Cluster | null, line: string, cursor: number, netns = ''): Completion {
  const ns = world.netns(netns) ?? world.root
  return complete(world, ns, line, cursor, { podnet: podnetCompleter(cluster) })
}

function podnetCompleter(cluster: Cluster | null): ProgramCompleter {
  return (c) => {
    const [obj, verb, name] = c.args
    const prev = c.args[c.args.length - 1]
    const nodes = cluster ? [...cluster.nodes.keys()] : []
    const pods = cluster ? [...cluster.nodes.values()].flatMap((n) => [...n.pods.keys()]) : []
    if (obj === undefined) return ['node', 'pod']
    if (verb === undefined) return obj === 'node' ? ['add', 'del'] : obj === 'pod' ? ['add', 'del', 'move'] : []
    if (prev === '--node') return nodes
    if (name === undefined) {
      if (verb === 'add') return []
      return obj === 'node' ? nodes : pods
    }
    if (obj === 'node' && verb === 'add') return ['--ip']
    if (obj === 'pod' && (verb === 'add' || verb === 'move')) return verb === 'add' ? ['--ip', '--mtu', '--node'] : ['--node']
    return []
  }
}
