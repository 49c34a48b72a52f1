import { World } from '../engine/kernel/world.ts'
import { Cluster } from '../k8s/cluster.ts'
import { renderLines } from '../k8s/ops.ts'
import type { LabDoc } from './format.ts'
import { execLine } from './lab.ts'
import { rewriteNamespaces } from './ns-rewrite.ts'
import { tokenize } from '../engine/commands/shell.ts'

export interface ExportOptions {
  /** Prepended to every namespace name so the lab cannot collide with others on the machine. */
  prefix?: string
  /** Print the script that removes what the build script made. */
  teardown?: boolean
}

/** The parts of an export: the cluster's build, then each lab command with the lines it became. */
export interface ExportParts {
  head: string[]
  /** The cluster's build (namespaces, links, addresses, routes, flannel's tables). */
  build: string[]
  /**
   * Each of spec.setup then spec.commands: a command typed as is, or a `podnet ...` command as the
   * operations it caused.
   */
  commands: { command: string; lines: string[] }[]
  /** Removes the lab: one `ip netns del` per namespace alive at the end, newest first. */
  teardown: string[]
}

/**
 * The lab as a flat bash script for a real Linux machine: one command per line, no functions,
 * loops or variables; explicit MACs so both worlds share them. The cluster's build comes from the
 * operations the Kubernetes layer performed; the lab's own commands follow in order (a
 * `podnet node|pod ...` command becomes the operations it caused).
 */
export function exportScript(doc: LabDoc, opts: ExportOptions = {}): string {
  const parts = exportParts(doc, opts)
  if (opts.teardown) return [...parts.head, '# Removes the lab: deleting a namespace deletes its veth pairs and bridges.', ...parts.teardown].join('\n') + '\n'
  const body = [...parts.build]
  for (const c of parts.commands) {
    if (c.command.startsWith('podnet ')) body.push(`# ${c.command}`)
    body.push(...c.lines)
  }
  return [...parts.head, ...body].join('\n') + '\n'
}

export function exportParts(doc: LabDoc, opts: ExportOptions = {}): ExportParts {
  const prefix = opts.prefix ?? ''
  const world = new World({ seed: doc.spec.seed })
  const cluster = doc.spec.cluster ? new Cluster(world, doc.spec.cluster) : null
  const build: string[] = []
  const commands: ExportParts['commands'] = []
  const namespaces: string[] = []
  const noteNs = (lines: readonly string[]): void => {
    for (const l of lines) {
      const m = /^ip netns add \{ns:([^}]+)\}$/.exec(l)
      if (m && !namespaces.includes(m[1])) namespaces.push(m[1])
    }
  }
  if (cluster) {
    cluster.build()
    noteNs(cluster.ops.lines)
    build.push(...renderLines(cluster.ops.lines, prefix))
  }
  for (const line of [...(doc.spec.setup ?? []), ...doc.spec.commands]) {
    const before = cluster ? cluster.ops.lineCount : 0
    execLine(world, cluster, line)
    if (line.trim().startsWith('podnet ')) {
      const added = cluster ? cluster.ops.lines.slice(before) : []
      noteNs(added)
      commands.push({ command: line.trim(), lines: renderLines(added, prefix) })
      continue
    }
    const t = tokenize(line)
    if (typeof t !== 'string') {
      const w = t.filter((x): x is { word: string } => 'word' in x).map((x) => x.word)
      if (w[0] === 'ip' && w[1] === 'netns' && w[2] === 'add' && w[3] && !namespaces.includes(w[3])) namespaces.push(w[3])
    }
    commands.push({ command: line.trim(), lines: [rewriteNamespaces(line.trim(), (n) => prefix + n)] })
  }
  const head = [
    '#!/bin/bash',
    `# ${doc.metadata.name}: exported by PodNet Lab from ${doc.apiVersion}.`,
    `# Run as root on a Linux machine with iproute2.${prefix ? ` Namespaces are prefixed "${prefix}".` : ''}`,
  ]
  const alive = namespaces.filter((n) => world.netns(n))
  return { head, build, commands, teardown: alive.reverse().map((n) => `ip netns del ${prefix}${n}`) }
}
