import type { Text } from './format.ts'

/**
 * What the checker says about a goal, in both languages. Short and concrete: the learner reads
 * it next to the goal ("pod1 → pod4 is dropped at node1: no route to 10.244.2.3"). Japanese
 * follows the project's glossary (経路, ネイバーエントリ, IP 転送, 破棄する, 名前空間).
 */
const en = {
  'probe.arrives': '{from} → {to} arrives',
  'probe.dropped_at': '{from} → {to} is dropped at {at}: {reason}',
  'probe.reply_dropped_at': '{from} → {to} arrives, but the reply is dropped at {at}: {reason}',
  'probe.not_sent': '{from} cannot send to {to}: {reason}',
  'probe.lost': '{from} → {to} gets no answer; the packet is last seen at {at}',
  'probe.reply_lost': '{from} → {to} arrives, but no reply comes back; the reply is last seen at {at}',
  'probe.no_target': '{from} → {to}: {error}',
  'probe.wrong_reason': '{from} → {to} is dropped at {at}, but not for the expected reason: {reason}',
  'probe.wrong_place': '{from} → {to} is dropped at {at}, not at {expected}: {reason}',
  'why.no_route': 'no route to {dst}',
  'why.not_forwarding': 'IP forwarding is off (net.ipv4.ip_forward = 0)',
  'why.neigh_failed': 'no ARP reply for {ip} on {dev}',
  'why.neigh_failed_at': 'no ARP reply for {ip} on {dev}; the ARP request is dropped at {at}: {reason}',
  'why.frag_needed': 'the {len}-byte packet does not fit the MTU {mtu} of {dev} and has Don\'t Fragment set',
  'why.too_big_local': 'the {len}-byte packet with Don\'t Fragment set is larger than the MTU {mtu} of its route',
  'why.too_big': 'the {len}-byte packet is larger than the MTU {mtu} of {dev}',
  'why.device_down': '{dev} is down',
  'why.no_carrier': '{dev} has no carrier (it or its veth peer is down)',
  'why.bridge_port_disabled': 'port {dev} of bridge {bridge} is not forwarding (the port or the bridge is down)',
  'why.vxlan_no_fdb': '{dev} has no VXLAN FDB entry for {mac}',
  'why.vxlan_no_route': '{dev} has no route to the remote VTEP {remote}',
  'why.no_listener': 'nothing listens on UDP port {port} of {to}, so no VXLAN device there unwraps the packet',
  'why.timeout': 'no answer came back',
  'path.missing': '{from} → {to} takes the path {path}, which does not pass through {missing}',
  'path.forbidden': '{from} → {to} takes the path {path}, which passes through {found}',
  'table.no_netns': 'there is no namespace named {netns}',
  'route.missing': '{netns} has no route {route}',
  'route.present': '{netns} still has the route {entry}',
  'neigh.missing': '{netns} has no neighbour entry {entry}',
  'neigh.present': '{netns} still has the neighbour entry {entry}',
  'fdb.missing': '{dev} in {netns} has no FDB entry {entry}',
  'fdb.present': '{dev} in {netns} still has the FDB entry {entry}',
  'fdb.no_table': '{dev} in {netns} is neither a bridge nor a VXLAN device',
  'sysctl.value': '{key} is {actual} in {netns}, not {value}',
  'link.missing': '{netns} has no device {dev}',
  'link.exists': '{netns} still has the device {dev}',
  'link.down': '{dev} in {netns} is down',
  'link.up': '{dev} in {netns} is up',
  'link.mtu': '{dev} in {netns} has MTU {actual}, not {mtu}',
  'link.master': '{dev} in {netns} is attached to {actual}, not to {master}',
  'link.no_master': '{dev} in {netns} is not attached to any bridge',
  'link.has_master': '{dev} in {netns} is still attached to {actual}',
  'count.max': '{scope} holds {n} {what}, more than the {max} allowed',
  'count.min': '{scope} holds {n} {what}, fewer than the {min} needed',
  'count.lab': 'the lab',
  'of.routes': 'routes',
  'of.neighbours': 'neighbour entries',
  'of.fdb': 'FDB entries',
  'of.devices': 'devices',
  'of.namespaces': 'namespaces',
  'of.pods': 'pods',
  'of.nodes': 'nodes',
  'command.no_match': '`{run}` prints {output}, which does not match /{pattern}/',
  'command.exit': '`{run}` exits with code {code}, not {expected}',
  'command.nothing': 'nothing',
  'question.unanswered': 'not answered yet',
  'question.wrong': '“{answer}” is not the right answer',
  'mode.other': 'the cluster uses {actual}, not {mode}',
  'mode.none': 'the lab has no cluster',
  'keep.pod_gone': 'pod {pod} was deleted',
  'keep.pod_moved': 'pod {pod} is not where it started: now on {node} with {ip}',
  'keep.node_gone': 'node {node} was deleted',
  'lab.broken': 'the lab cannot be built: {error}',
} as const

export type CheckKey = keyof typeof en

const ja: Record<CheckKey, string> = {
  'probe.arrives': '{from} → {to} は届く',
  'probe.dropped_at': '{from} → {to} は {at} で破棄される：{reason}',
  'probe.reply_dropped_at': '{from} → {to} は届くが、応答が {at} で破棄される：{reason}',
  'probe.not_sent': '{from} は {to} へ送信できない：{reason}',
  'probe.lost': '{from} → {to} に応答がない。パケットが最後に確認できるのは {at} である',
  'probe.reply_lost': '{from} → {to} は届くが、応答が返らない。応答が最後に確認できるのは {at} である',
  'probe.no_target': '{from} → {to}: {error}',
  'probe.wrong_reason': '{from} → {to} は {at} で破棄されるが、想定とは別の理由による：{reason}',
  'probe.wrong_place': '{from} → {to} は {expected} ではなく {at} で破棄される：{reason}',
  'why.no_route': '{dst} への経路がない',
  'why.not_forwarding': 'IP 転送が無効である（net.ipv4.ip_forward = 0）',
  'why.neigh_failed': '{dev} で {ip} への ARP 要求に応答がない',
  'why.neigh_failed_at': '{dev} で {ip} への ARP 要求に応答がない。ARP 要求は {at} で破棄される：{reason}',
  'why.frag_needed': '{len} バイトのパケットは {dev} の MTU {mtu} に収まらず、DF（Don\'t Fragment）が設定されている',
  'why.too_big_local': 'DF 付きの {len} バイトのパケットが経路の MTU {mtu} より大きい',
  'why.too_big': '{len} バイトのパケットが {dev} の MTU {mtu} より大きい',
  'why.device_down': '{dev} がダウンしている',
  'why.no_carrier': '{dev} にキャリアがない（それ自身か veth の対向がダウンしている）',
  'why.bridge_port_disabled': 'ブリッジ {bridge} のポート {dev} が転送していない（ポートかブリッジがダウンしている）',
  'why.vxlan_no_fdb': '{dev} に {mac} の VXLAN FDB エントリがない',
  'why.vxlan_no_route': '{dev} にリモート VTEP {remote} への経路がない',
  'why.no_listener': '{to} の UDP ポート {port} で待ち受けるものがなく、そこで VXLAN デバイスがカプセル化を解かない',
  'why.timeout': '応答が返らない',
  'path.missing': '{from} → {to} の通り道は {path} であり、{missing} を通らない',
  'path.forbidden': '{from} → {to} の通り道は {path} であり、{found} を通る',
  'table.no_netns': '{netns} という名前空間がない',
  'route.missing': '{netns} に経路 {route} がない',
  'route.present': '{netns} にはまだ経路 {entry} がある',
  'neigh.missing': '{netns} にネイバーエントリ {entry} がない',
  'neigh.present': '{netns} にはまだネイバーエントリ {entry} がある',
  'fdb.missing': '{netns} の {dev} に FDB エントリ {entry} がない',
  'fdb.present': '{netns} の {dev} にはまだ FDB エントリ {entry} がある',
  'fdb.no_table': '{netns} の {dev} はブリッジでも VXLAN デバイスでもない',
  'sysctl.value': '{netns} の {key} は {value} ではなく {actual} である',
  'link.missing': '{netns} にデバイス {dev} がない',
  'link.exists': '{netns} にはまだデバイス {dev} がある',
  'link.down': '{netns} の {dev} がダウンしている',
  'link.up': '{netns} の {dev} がアップしている',
  'link.mtu': '{netns} の {dev} の MTU は {mtu} ではなく {actual} である',
  'link.master': '{netns} の {dev} は {master} ではなく {actual} に接続されている',
  'link.no_master': '{netns} の {dev} はどのブリッジにも接続されていない',
  'link.has_master': '{netns} の {dev} はまだ {actual} に接続されている',
  'count.max': '{scope} の{what}は {n} 個あり、上限の {max} 個を超えている',
  'count.min': '{scope} の{what}は {n} 個で、{min} 個に届かない',
  'count.lab': 'ラボ',
  'of.routes': '経路',
  'of.neighbours': 'ネイバーエントリ',
  'of.fdb': 'FDB エントリ',
  'of.devices': 'デバイス',
  'of.namespaces': '名前空間',
  'of.pods': 'Pod',
  'of.nodes': 'ノード',
  'command.no_match': '`{run}` の出力は {output} であり、/{pattern}/ に一致しない',
  'command.exit': '`{run}` の終了コードは {expected} ではなく {code} である',
  'command.nothing': '空',
  'question.unanswered': 'まだ回答していない',
  'question.wrong': '「{answer}」は正しい答えではない',
  'mode.other': 'クラスターのモードは {mode} ではなく {actual} である',
  'mode.none': 'このラボにはクラスターがない',
  'keep.pod_gone': 'Pod {pod} が削除されている',
  'keep.pod_moved': 'Pod {pod} が最初の状態と違う：今は {node} 上で {ip} を持つ',
  'keep.node_gone': 'ノード {node} が削除されている',
  'lab.broken': 'ラボを構築できない：{error}',
}

export const CHECK_MESSAGES: Record<'en' | 'ja', Record<CheckKey, string>> = { en, ja }

export type Param = string | number | Text

function fill(template: string, params: Record<string, Param>, lang: 'en' | 'ja'): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!Object.hasOwn(params, name)) return whole
    const v = params[name]
    return typeof v === 'object' ? v[lang] : String(v)
  })
}

/** A checker message in both languages; a parameter may itself be a text in both. */
export function say(key: CheckKey, params: Record<string, Param> = {}): Text {
  return { en: fill(en[key], params, 'en'), ja: fill(ja[key], params, 'ja') }
}

/** The same text in both languages (names, addresses, entries printed as Linux prints them). */
export function same(s: string): Text {
  return { en: s, ja: s }
}
