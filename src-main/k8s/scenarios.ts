import { MAX_NODES, MAX_PODS, MAX_PODS_PER_NODE } from './limits.ts'
import { DEFAULT_CLUSTER_CIDR, DEFAULT_UNDERLAY_CIDR, type ClusterSpec, type Mode, type UnderlayKind } from './spec.ts'

export interface ScenarioInfo {
  name: string
  title: string
  /** Which walkthrough of the article it reproduces (0: none in particular, a lab to build). */
  walkthrough: 0 | 1 | 2 | 3
  description: string
  /** The title and description in Japanese. */
  ja: { title: string; description: string }
  defaults: { nodes: number; podsPerNode: number }
}

export const SCENARIOS: readonly ScenarioInfo[] = [
  { name: 'same-node', title: 'Pod to pod on the same node', walkthrough: 1, description: 'Two pods on one node: veth pairs into the cbr0 bridge, ARP and the bridge FDB.', ja: { title: '同じノード上の Pod から Pod へ', description: '1 つのノードに 2 つの Pod: cbr0 ブリッジにつながる veth ペア、ARP、ブリッジの FDB を扱います。' }, defaults: { nodes: 1, podsPerNode: 2 } },
  { name: 'routed', title: 'Pod to pod across nodes, routes on every node', walkthrough: 2, description: 'Each node routes the other nodes\u2019 pod CIDRs via their node IPs over one L2 segment; no NAT, no overlay.', ja: { title: 'ノードをまたぐ Pod 間通信（各ノードの経路）', description: '各ノードが他のノードの Pod CIDR への経路を、そのノードの IP 経由で持ちます。1 つの L2 セグメント上で、NAT もオーバーレイもありません。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'cloud-routes', title: 'Pod to pod across nodes, cloud route table', walkthrough: 2, description: 'Nodes send everything to a router that holds one route per node (the cloud provider\u2019s route table, with its route limit).', ja: { title: 'ノードをまたぐ Pod 間通信（クラウドのルーティングテーブル）', description: 'ノードはすべてをルーターへ送り、ルーターがノードごとに 1 本の経路を持ちます（クラウドプロバイダーのルーティングテーブルと、その経路数の上限）。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'flannel-vxlan', title: 'Pod to pod across nodes, flannel VXLAN overlay', walkthrough: 3, description: 'flanneld programs flannel.1 (VNI 1, UDP 8472) with a neighbour, an FDB entry and an onlink route per remote node.', ja: { title: 'ノードをまたぐ Pod 間通信（flannel VXLAN オーバーレイ）', description: 'flanneld が flannel.1（VNI 1、UDP 8472）に、リモートノードごとにネイバーエントリ、FDB エントリ、onlink の経路を設定します。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'flannel-host-gw', title: 'Pod to pod across nodes, flannel host-gw', walkthrough: 2, description: 'flanneld adds a route per remote node via its node IP; needs every node on one L2 segment.', ja: { title: 'ノードをまたぐ Pod 間通信（flannel host-gw）', description: 'flanneld がリモートノードごとに、そのノードの IP 経由の経路を追加します。すべてのノードが 1 つの L2 セグメント上にある必要があります。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'host-gw-behind-router', title: 'flannel host-gw across a router (does not work)', walkthrough: 3, description: 'Nodes on separate subnets behind a router: host-gw cannot add its routes (the next hop is not on-link); VXLAN would work.', ja: { title: 'ルーター越しの flannel host-gw（動作しない）', description: 'ノードがルーターの向こうの別々のサブネットにあるため、host-gw は経路を追加できません（ネクストホップが onlink ではない）。VXLAN なら動作します。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'vxlan-behind-router', title: 'flannel VXLAN across a router', walkthrough: 3, description: 'The same routed underlay as host-gw-behind-router, where the overlay works because only node IPs must be routable.', ja: { title: 'ルーター越しの flannel VXLAN', description: 'host-gw-behind-router と同じルーター越しのアンダーレイです。ノードの IP さえルーティングできればよいので、オーバーレイは動作します。' }, defaults: { nodes: 2, podsPerNode: 2 } },
  { name: 'empty', title: 'An empty cluster, built on the canvas', walkthrough: 0, description: 'Nothing yet: drag switches, routers, nodes and pods from the palette, wire them, and choose how pods reach each other.', ja: { title: 'キャンバスで組み立てる空のクラスター', description: 'まだ何もありません。パレットからスイッチ、ルーター、ノード、Pod をドラッグして配線し、Pod 同士がどう通信するかを選びます。' }, defaults: { nodes: 0, podsPerNode: 0 } },
]

/** How big a lab of this scenario may be made (`podnet new`, the New dialog). */
export function scenarioLimits(name: string): { nodes: number; podsPerNode: number; pods: number } {
  return { nodes: name.endsWith('behind-router') ? 255 : MAX_NODES, podsPerNode: MAX_PODS_PER_NODE, pods: MAX_PODS }
}

export function scenarioNames(): string[] {
  return SCENARIOS.map((s) => s.name)
}

/**
 * Address plans of clusters too big for the defaults (a /16 holds 256 node /24s, a switched /24
 * underlay 244 node addresses from .10): a /14 cluster CIDR and a /22 underlay hold 1,000 nodes.
 * Smaller scenarios keep the defaults, so their files and traces stay as they were.
 */
const LARGE_CLUSTER = { fromNodes: { cluster: 256, underlay: 244 }, clusterCidr: '10.244.0.0/14', underlayCidr: '192.168.0.0/22' } as const

/** The cluster spec of a built-in scenario. Pods are numbered across the cluster: node1 has pod1, pod2. */
export function scenarioSpec(name: string, nodes?: number, podsPerNode?: number): ClusterSpec {
  const info = SCENARIOS.find((s) => s.name === name)
  if (!info) throw new Error(`unknown scenario "${name}"; choose one of: ${scenarioNames().join(', ')}`)
  const n = nodes ?? info.defaults.nodes
  const m = podsPerNode ?? info.defaults.podsPerNode
  if (!Number.isInteger(n) || n < 0 || n > MAX_NODES) throw new Error(`--nodes must be between 0 and ${MAX_NODES}, not ${nodes}`)
  if (!Number.isInteger(m) || m < 0 || m > MAX_PODS_PER_NODE) throw new Error(`--pods-per-node must be between 0 and ${MAX_PODS_PER_NODE}, not ${podsPerNode}`)
  if (n * m > MAX_PODS) throw new Error(`${n} nodes with ${m} pods each make ${n * m} pods; a lab may have at most ${MAX_PODS}`)
  const limits = scenarioLimits(name)
  if (n > limits.nodes) throw new Error(`--nodes must be between 0 and ${limits.nodes} for ${name}: each node has a /24 of the routed underlay 192.168.0.0/16`)
  const modes: Record<string, Mode> = {
    empty: 'routes',
    'same-node': 'routes',
    routed: 'routes',
    'cloud-routes': 'cloud-routes',
    'flannel-vxlan': 'flannel-vxlan',
    'flannel-host-gw': 'flannel-host-gw',
    'host-gw-behind-router': 'flannel-host-gw',
    'vxlan-behind-router': 'flannel-vxlan',
  }
  const mode = modes[name]
  const kind: UnderlayKind = name === 'empty' ? 'none' : name.endsWith('behind-router') ? 'routed' : 'switch'
  let pod = 0
  return {
    mode,
    clusterCidr: n <= LARGE_CLUSTER.fromNodes.cluster ? DEFAULT_CLUSTER_CIDR : LARGE_CLUSTER.clusterCidr,
    underlay: kind === 'none' ? { kind } : { kind, cidr: kind === 'routed' ? '192.168.0.0/16' : n <= LARGE_CLUSTER.fromNodes.underlay ? DEFAULT_UNDERLAY_CIDR : LARGE_CLUSTER.underlayCidr, ...(mode === 'cloud-routes' ? { routeLimit: 50 } : {}) },
    nodes: Array.from({ length: n }, (_, i) => ({
      name: `node${i + 1}`,
      pods: Array.from({ length: m }, () => ({ name: `pod${++pod}` })),
    })),
  }
}
