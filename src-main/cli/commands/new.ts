import { serializeLab, type LabDoc } from '../../lab/format.ts'
import { scenarioLab } from '../../lab/session.ts'
import { scenarioNames } from '../../k8s/scenarios.ts'
import { UsageError, type CliCommand } from '../command.ts'
import { buildLab, writeOutput } from '../lab-io.ts'

export const newCommand: CliCommand = {
  name: 'new',
  summary: { en: 'write a lab file for a built-in scenario', ja: '組み込みシナリオのラボファイルを書き出す' },
  details: {
    en: `The file lists the cluster with every address explicit (node IPs, pod CIDRs, pod IPs), so it
says what the lab is. Without -o it is printed. Scenarios: ${scenarioNames().join(', ')} (podnet scenarios).`,
    ja: `ファイルにはクラスターのすべてのアドレス（ノードの IP、Pod の CIDR、Pod の IP）を明記するので、
ラボの構成がそのまま読めます。-o を省くと標準出力に書きます。シナリオ：${scenarioNames().join('、')}（podnet scenarios）。`,
  },
  args: [{ name: 'SCENARIO', complete: 'scenario', help: { en: 'a built-in scenario', ja: '組み込みシナリオ' } }],
  options: [
    { name: 'nodes', value: 'N', complete: 'none', help: { en: "number of nodes (default: the scenario's)", ja: 'ノード数（既定値はシナリオごと）' } },
    { name: 'pods-per-node', value: 'M', complete: 'none', help: { en: "pods on each node (default: the scenario's)", ja: '各ノードの Pod 数（既定値はシナリオごと）' } },
    { name: 'name', value: 'NAME', complete: 'none', help: { en: 'the lab\'s name (metadata.name; default: the scenario)', ja: 'ラボの名前（metadata.name。既定値はシナリオ名）' } },
    { name: 'output', short: 'o', value: 'FILE', complete: 'lab-file', help: { en: 'write the lab to FILE (atomically) instead of printing it', ja: 'ラボを標準出力ではなく FILE に書き込む（アトミックに保存）' } },
  ],
  examples: ['podnet new routed -o lab.podnet', 'podnet new flannel-vxlan --nodes 3 --pods-per-node 4 --name overlay -o overlay.podnet'],
  run(inv, ctx) {
    const scenario = inv.args[0]
    const nodes = inv.int('nodes')
    const podsPerNode = inv.int('pods-per-node')
    let doc: LabDoc
    try {
      doc = scenarioLab(scenario, nodes, podsPerNode)
    } catch (e) {
      const m = (e as Error).message
      throw new UsageError({ en: m, ja: m })
    }
    const name = inv.string('name')
    if (name !== undefined) doc.metadata.name = name
    const rt = buildLab(doc, scenario)
    if (rt.cluster) doc.spec.cluster = rt.cluster.toSpec()
    writeOutput(inv.string('output') ?? '-', serializeLab(doc), ctx.io)
    return 0
  },
}
