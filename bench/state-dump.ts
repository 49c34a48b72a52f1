/**
 * A dump of what labs show, for comparing two versions of the engine byte for byte after a change
 * meant to be invisible (a faster build, a smaller namespace): the first reply of New as the
 * host sends it, the kernel's views in a sample of namespaces, traces, and the same after pings,
 * simulated time, edits and a mode change. Run it bundled on both versions and compare the files:
 *
 *   npx esbuild bench/state-dump.ts --bundle --packages=external --platform=node --format=esm --outfile=out/bench/state-dump.mjs
 *   node out/bench/state-dump.mjs > dump.txt        (PODNET_DUMP_BIG=1 adds two 100 x 20 labs)
 *
 * Each section starts with a line `== lab / step`; a difference points at its section.
 */
import { createHandlers, LabService } from '../src-main/ipc/handlers.ts'
import { unpackNamespaces } from '../shared/netns-pack.ts'
import type { LabState } from '../shared/api.ts'

const READS = [
  'ip -s -d link',
  'ip addr',
  'ip -j -d addr',
  'ip route show table all',
  'ip -6 route show table all',
  'ip -d route show table local',
  'ip neigh',
  'ip -6 neigh',
  'ip -s neigh',
  'bridge fdb show',
  'bridge -d link',
  'ip -d link show type bridge',
  'ip -d -j link',
  'ip maddr',
  'ip netns list-id',
  'ip -s link',
  'ip route get 10.244.2.3',
]

const LABS: [string, number, number][] = [
  ['same-node', 1, 2],
  ['routed', 3, 2],
  ['cloud-routes', 3, 2],
  ['flannel-vxlan', 12, 3],
  ['flannel-vxlan', 40, 2],
  ['flannel-host-gw', 5, 2],
  ['host-gw-behind-router', 3, 2],
  ['vxlan-behind-router', 4, 2],
  ['empty', 0, 0],
]
if (process.env.PODNET_DUMP_BIG) LABS.push(['routed', 100, 20], ['flannel-vxlan', 100, 20])

/** JSON with typed arrays as plain lists (their bytes are what is compared). */
function json(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (ArrayBuffer.isView(x) ? Array.from(x as Uint8Array) : x))
}

/** A whole state as the page holds it: a big lab's namespaces, which the view packs, unpacked in their place. */
function shown(state: LabState): LabState {
  const t = state.topology
  if (t.packedNamespaces) {
    t.namespaces = unpackNamespaces(t.packedNamespaces)
    delete t.packedNamespaces
  }
  return state
}

const out: string[] = []
const say = (s: string): void => {
  out.push(s)
  if (out.length > 2000) flush()
}
const flush = (): void => {
  process.stdout.write(out.join('\n') + '\n')
  out.length = 0
}

for (const [scenario, nodes, pods] of LABS) {
  const service = new LabService()
  const h = createHandlers(service)
  const lab = `${scenario} ${nodes}x${pods}`
  say(`== ${lab} / newLab`)
  say(json(shown(await h.newLab({ scenario, nodes, podsPerNode: pods }))))
  const all = [...service.session.world.namespaces.keys()]
  // Every namespace of a small lab; the first, second and last of each kind in a big one.
  const sample = all.length <= 60 ? all : [...new Set([...all.slice(0, 4), ...all.filter((n) => n.startsWith('node')).slice(0, 2), ...all.filter((n) => n.startsWith('pod')).slice(0, 2), ...all.slice(-3)])]
  const reads = async (step: string): Promise<void> => {
    for (const ns of ['', ...sample.filter((n) => service.session.world.netns(n))]) {
      for (const line of READS) {
        const r = await h.exec({ line, ...(ns ? { netns: ns } : {}) })
        say(`== ${lab} / ${step} / ${ns || 'host'} / ${line}`)
        say(json(r))
      }
    }
  }
  const pods_ = all.filter((n) => /^pod\d+$/.test(n))
  const traces = async (step: string): Promise<void> => {
    if (pods_.length < 2) return
    const last = pods_[pods_.length - 1]
    for (const [from, to, extra] of [
      ['pod1', last, {}],
      ['pod2', 'pod1', { warm: true }],
      ['pod1', '10.99.0.1', {}],
      ['pod1', '8.8.8.8', { lang: 'ja' }],
      [last, 'pod1', { proto: 'udp', size: 3000 }],
      ['pod1', last, { size: 1472, df: true, count: 3 }],
    ] as [string, string, object][]) {
      let r: unknown
      try {
        r = await h.trace({ from, to, ...extra })
      } catch (e) {
        r = String(e)
      }
      say(`== ${lab} / ${step} / trace ${from} ${to} ${json(extra)}`)
      say(json(r))
    }
  }
  await reads('built')
  await traces('built')
  if (pods_.length >= 2) {
    const ip = async (ns: string): Promise<string> => {
      const r = await h.exec({ line: 'ip -j -4 addr show dev eth0', netns: ns })
      return (JSON.parse(r.stdout) as { addr_info: { local: string }[] }[])[0].addr_info[0].local
    }
    const last = pods_[pods_.length - 1]
    for (const line of [`ping -c 3 ${await ip(last)}`, 'sleep 10', `ping -c 2 -s 2000 ${await ip(pods_[1])}`]) {
      say(`== ${lab} / exec pod1 ${line}`)
      say(json(await h.exec({ line, netns: 'pod1' })))
    }
  }
  say(`== ${lab} / delta after pings`)
  say(json(await h.getDelta()))
  await reads('after pings')
  const edits: object[] = [{ type: 'addNode', name: 'nodeX' }, { type: 'addPod', name: 'podX', node: 'nodeX' }, { type: 'addPod', name: 'podY', node: 'nodeX' }]
  if (pods_.length >= 2) edits.push({ type: 'removePod', name: 'pod2' })
  if (scenario === 'flannel-vxlan') edits.push({ type: 'setMode', mode: 'flannel-host-gw' }, { type: 'setMode', mode: 'flannel-vxlan' })
  if (all.includes('node1')) edits.push({ type: 'setLink', netns: 'node1', device: 'eth0', mtu: 1400 }, { type: 'removeNode', name: 'node1' })
  for (const e of edits) {
    let r: unknown
    try {
      r = await h.edit(e)
    } catch (err) {
      r = String(err)
    }
    say(`== ${lab} / edit ${json(e)}`)
    say(json(r))
    say(json(await h.getDelta()))
  }
  say(`== ${lab} / sleep 260`)
  say(json(await h.exec({ line: 'sleep 260' })))
  await reads('after edits')
  await traces('after edits')
  say(`== ${lab} / state`)
  say(json(shown(await h.getState())))
  say(`== ${lab} / saved`)
  say(json(await h.saveLab({})))
}
flush()
