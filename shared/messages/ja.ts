/**
 * 日本語の説明文（キーとプレースホルダーは en.ts と同一）。である調の一文で、何が起きたかとその理由を
 * Linux の用語で述べる。FIB・ARP・FDB・veth・VXLAN・ip_forward などの用語はラテン文字のまま残す。
 */
import type { MessageKey } from './index.ts'
import { buildJa } from './build.ts'
import { labfileJa } from './labfile.ts'
import { requestJa } from './request.ts'

/** Every key of the English catalogue, and no other (a missing or extra key fails the type check). */
export const ja: Record<MessageKey, string> = {
  // プロセスがパケットを namespace のスタックに渡す。
  'send.echo_request': 'ping が ICMP エコー要求 #{seq} を {src} から {dst} へ送信し、FIB 検索のため IPv4 スタックに渡す',
  'send.udp': 'プロセスが UDP データグラムを {src}:{sport} から {dst}:{dport} へ送信し、FIB 検索のため IPv4 スタックに渡す',

  // FIB（ルーティングテーブル）の判断。
  'route.output': '{dst} への FIB 検索で {out} から出る経路が選ばれ、送信元アドレスに {src} が使われる',
  'route.output_none': '{dst} への経路が FIB にない（{errno}）ため、送信プロセスはただちにエラーを受け取り、何も送信されない',
  'route.output_local': '{dst} はこの名前空間自身のアドレスとして FIB の local テーブルにあるため、パケットは外へ出ずに lo を通って折り返す',
  'route.input_local': '{dev} で受信した {dst} 宛てパケットは FIB 検索で local テーブルに一致し、自分宛てとして上位のスタックへ渡される',
  'route.input_broadcast': '{dev} で受信した {dst} 宛てパケットはブロードキャストまたはマルチキャストのため、転送されずにこの名前空間自身のスタックへ渡される',
  'route.input_forward': '{dev} で受信した {dst} 宛てパケットは FIB 検索で {out} から出る経路に一致し、自分宛てではなく転送も有効なため、先へルーティングされる',
  'route.input_none': '{dev} で受信した {dst} 宛てパケットに使える経路が FIB にない（{errno}）ため、転送できない',
  'route.not_forwarding': '{dst} は自分のアドレスではなく、{dev} で転送が無効（net.ipv4.ip_forward = 0）のため、この名前空間はホストとして振る舞い、パケットを先へルーティングしない',
  'route.redirected': '{dev} に届いた ICMP リダイレクトを受け入れる：以後、{dst} 宛てのパケットは {via} へ直接送る（nexthop 例外。`ip route get` では cache <redirected> と表示される）',

  // ネイバー（ARP）テーブル。
  'neigh.hit': 'ネイバー（ARP）テーブルに {dev} 上の {ip} → {mac}（状態 {state}）があるため、ARP なしでその MAC 宛てにフレームを送る',
  'neigh.miss': 'ネイバー（ARP）テーブルに {dev} 上のネクストホップ {ip} の使える MAC がないため、カーネルが ARP で解決する間、パケットをキューで待たせる',
  'neigh.failed': '{dev} で {ip} への ARP が再送をすべて使い切っても応答がないため、ネイバーエントリは FAILED となり、キューのパケットは破棄されて送信元に ICMP ホスト到達不能（タイプ 3、コード 1）が返る',

  // ARP パケット。
  'arp.request': '{dev}（{mac}）がネクストホップの MAC アドレスを知るため、ARP 要求「{ip} は誰？ {src} に教えて」をブロードキャストする',
  'arp.probe': '{dev}（{mac}）が、鮮度の切れたネイバーエントリがまだ有効か確かめるため、{ip} 宛てにユニキャストの ARP 要求（送信元 {src}）を送る',
  'arp.request_for_us': '{dev} が {asker} から自分のアドレス {ip} を問う ARP 要求を受信し、問い合わせ元の MAC をネイバー（ARP）テーブルに記録して応答する',
  'arp.request_not_for_us': '{dev} が {asker} から {ip} を問う ARP 要求を受信するが、この名前空間のアドレスではないため応答しない',
  'arp.reply_received': '{dev} が「{ip} は {mac}」という ARP 応答を受信し、ネイバー（ARP）テーブルを更新して、解決を待っていたパケットを送信する',
  'arp.reply': '{dev} が {to} に ARP 応答で「{ip} は {mac}」と応答する',

  // デバイスを通るフレーム。
  'xmit.veth': '{dev} がフレームを veth ペアに送り、仮想ケーブルの反対端 {peer}（多くは別のネットワーク名前空間 内）がただちに受信する',
  'xmit.bridge': 'ブリッジ {dev} が自身の IP スタックからのフレームをポートへ送り出す',
  'xmit.vxlan': 'VXLAN デバイス {dev} がフレームを受け取り、どのリモートノードへトンネルするかを宛先 MAC で VXLAN の FDB から調べる',
  'recv.frame': '{dev} がフレームを受信し、ブリッジのポートならブリッジへ、そうでなければ名前空間の IP スタックへ渡す',

  // Linux ブリッジ（cbr0）: FDB の学習、転送、フラッディング。
  'bridge.learn': 'ブリッジ {bridge} が、{mac} はポート {port} の先にあると学習して FDB に記録する',
  'bridge.moved': 'ブリッジ {bridge} が {mac} をポート {port} の先で見つけ、MAC が別のポートへ移ったため FDB エントリを更新する',
  'bridge.forward': 'ブリッジ {bridge} が FDB で {mac} をポート {port} の先に見つけ、そのポートだけにフレームを転送する',
  'bridge.flood_broadcast': 'ブリッジ {bridge} が {mac} 宛てのブロードキャスト／マルチキャストフレームを他の全ポート（{ports}）へフラッディングする',
  'bridge.flood_unknown': 'ブリッジ {bridge} の FDB にはまだ {mac} のエントリがないため、フレームを他の全ポート（{ports}）へフラッディングする',
  'bridge.local': 'ブリッジ {bridge} が {port} から来たフレームを、ブリッジ自身の MAC 宛てかブロードキャストであるため、自身の IP スタックへ渡す',

  // IP 転送。
  'forward.ttl': 'ルーターが {src} から {dst} へのパケットを {in} から {out} へ転送し、TTL を {ttl} に減らす',

  // ローカル配送。
  'deliver.echo_request': '{from} から {to} への ICMP エコー要求 #{seq} がこの名前空間の ICMP 処理に届き、エコー応答で応答する',
  'deliver.echo_reply': '{from} からのエコー応答 #{seq} が ping のソケット（id {ident}）に届き、往復が完了する',
  'deliver.icmp_error': '{about} 宛てに送ったパケットについての ICMP エラー（タイプ {type}、コード {code}）が {from} から届き、カーネルはそのパケットを送ったソケットに渡す',
  'deliver.udp': '{from} から {to}:{port} への UDP データグラムが、ポート {port} に bind されたソケットに届く',
  'deliver.udp_no_socket': '{to} の UDP ポート {port} で待ち受けるソケットがないため、データグラムは破棄され、カーネルは ICMP ポート到達不能（タイプ 3、コード 3）を返す（ブロードキャストを除く）',

  // カーネルが生成する ICMP メッセージ。
  'icmp.echo_reply': 'カーネルが ICMP エコー応答 #{seq} を {from} から {to} へ返送する',
  'icmp.net_unreachable': '宛先への経路がないため、{from} が {to} に ICMP ネットワーク到達不能（タイプ 3、コード 0）を送る',
  'icmp.host_unreachable': 'ネクストホップの ARP 解決に失敗したか unreachable 経路に一致したため、{from} が {to} に ICMP ホスト到達不能（タイプ 3、コード 1）を送る',
  'icmp.port_unreachable': '宛先の UDP ポートで待ち受けるものがないため、{from} が {to} に ICMP ポート到達不能（タイプ 3、コード 3）を送る',
  'icmp.protocol_unreachable': 'このスタックはパケットの IP プロトコルを扱わないため、{from} が {to} に ICMP プロトコル到達不能（タイプ 3、コード 2）を送る',
  'icmp.frag_needed': 'パケットが次のリンクには大きすぎ、DF（フラグメント禁止）ビットも立っているため、{from} が {to} に ICMP フラグメント化要求（タイプ 3、コード 4、ネクストホップ MTU {mtu}）を送る',
  'icmp.time_exceeded': '途中でパケットの TTL が尽きたため、{from} が {to} に ICMP 時間超過（タイプ 11）を送る',
  'icmp.redirect': 'パケットが入ってきたのと同じインターフェースから出ていくため、{from} が {to} に ICMP リダイレクト（タイプ 5）を送り、{gateway} を直接使うよう伝える',
  'icmp.unreachable': '{from} が {to} に ICMP 宛先到達不能（タイプ 3）を送る（prohibit 経路が宛先を禁止している場合など）',
  'icmp.rate_limited': '{to} 宛ての ICMP エラー（タイプ {type}、コード {code}）はカーネルの ICMP レート制限で抑えられ、今回は送信元にエラーが届かない',

  // VXLAN（flannel.1）。
  'encap.vxlan': '{dev} が {mac} 宛てのフレームを VXLAN ヘッダー（VNI {vni}）と UDP {src}:{sport} → {dst}:{dport} でカプセル化し、その MAC を持つノードへノード間ネットワークで運ぶ',
  'decap.vxlan': '{dev} が {from} から VNI {vni} の VXLAN パケットを受信し、外側の IP/UDP/VXLAN ヘッダーを外してカプセル化を解き、内側の Ethernet フレームを {dev} で受信したものとして渡す',

  // 破棄: カーネルの用語で理由を述べる。
  'drop.no_carrier': '破棄：{dev} にキャリアがない（自身か veth の相手側が down、または相手側が存在しない）ため、フレームを送出できない',
  'drop.veth_mtu': '破棄：{len} バイトのパケットが受信側の veth 端 {dev} の MTU {mtu} を超えている',
  'drop.device_down': '破棄：{dev} が管理上 down（ip link set {dev} down）のため、送信も受信もしない',
  'drop.lo_down': '破棄：ループバックデバイス {dev} が down のため、この名前空間自身のアドレス宛てのパケットを配送できない',
  'drop.bridge_port_disabled': '破棄：ポートかブリッジが down、またはキャリアがないため、ブリッジ {bridge} のポート {dev} は転送状態にない',
  'drop.bridge_bad_src': '破棄：送信元 MAC {mac} がマルチキャストまたはオールゼロで、実在のポートが持ち得ないアドレスのため、ブリッジ {bridge} はフレームを拒否する',
  'drop.bridge_same_port': '破棄：ブリッジ {bridge} の FDB では {mac} はフレームが入ってきたポート {dev} の先にあるため、ブリッジはフレームを送り返さない',
  'drop.bridge_to_self': '破棄：ブリッジ {bridge} が自身の MAC アドレス宛てのフレームを送ろうとしており、送り出すポートがない',
  'drop.bridge_mtu': '破棄：{len} バイトのパケットがブリッジポート {dev} の MTU {mtu} を超えている',
  'drop.bridge_storm': '破棄：フレームがブリッジのループを {passes} 回まわった後、{dev} からブリッジ {bridge} に戻ってきた。STP なしでループ状につながったブリッジはブロードキャストを永遠にフラッディングし続ける（ブロードキャストストーム。Linux でも起こる）ため、ラボはここで止める',
  'drop.not_for_us': '破棄：{dev} で受信したフレームは他ホストの MAC 宛てのため、このスタックは無視する',
  'drop.ip_malformed': '破棄：{dev} で受信した IPv4 ヘッダーが不正である（{reason}）',
  'drop.martian_source': '破棄：送信元アドレスが不正（カーネルのログでは martian source）。{dev} で受信した {src} から {dst} へのパケットの送信元が、マルチキャスト、0.0.0.0、ループバック、自分自身のアドレスのいずれかであり、{dev} ではあり得ない',
  'drop.martian_destination': '破棄：宛先アドレスが不正（カーネルのログでは martian destination）。{dev} で {src} から受信したパケットの宛先 {dst} は、0.0.0.0 や外部から届いたループバックアドレスのように、ここでは無効である',
  'drop.not_forwarding': '破棄：{dst} は自分のアドレスではなく、{dev} で転送が無効（net.ipv4.ip_forward = 0）のため、パケットは通知なしに破棄される',
  'drop.no_route': '破棄：{dev} で受信した {dst} 宛てパケットの経路が FIB にないため、ルーターは送信元に ICMP ネットワーク到達不能（タイプ 3、コード 0）を返す',
  'drop.unreachable_route': '破棄：{dev} で受信した {dst} 宛てパケットが unreachable または prohibit 型の経路に一致したため、送信元に ICMP 宛先到達不能（タイプ 3）が返る',
  'drop.blackhole': '破棄：{dst} が blackhole 経路に一致したため、パケットは ICMP エラーもなく通知なしに破棄される',
  'drop.forward_not_host': '破棄：{dev} のフレームはこのホストの MAC 宛てではなく（ブロードキャスト、マルチキャスト、他ホスト宛て）、Linux は自分の MAC 宛てのパケットしか転送しない',
  'drop.ttl_exceeded': '破棄：{dst} 宛てパケットが TTL {ttl} で到着し、転送すると 0 になるため、ルーターは送信元に ICMP 時間超過（タイプ 11）を送る',
  'drop.frag_needed': '破棄：{dst} 宛ての {len} バイトのパケットは {dev} の MTU {mtu} に収まらず DF（フラグメント禁止）も立っているため、ルーターは ICMP フラグメント化要求（タイプ 3、コード 4）を送る',
  'drop.too_big': '破棄：{len} バイトのパケットが {dev} の MTU {mtu} を超え、DF（フラグメント禁止）も立っているため、送信できない',
  'drop.neigh_queue_full': '破棄：{ip} の ARP 解決を待つパケットが多すぎるため、キューで最も古いパケットを破棄する（unres_qlen_bytes）',
  'drop.arp_malformed': '破棄：{dev} で受信した ARP パケットが不正である',
  'drop.arp_martian': '破棄：ターゲット {ip} の ARP パケットはマルチキャストまたはループバックアドレスを含み、それらを ARP が解決することはない',
  'drop.arp_unsolicited': '破棄：{ip} からの、誰も要求していない ARP 応答を {dev} が受信するが、Linux は要求していない応答からネイバーエントリを作らない（arp_accept = 0）',
  'drop.icmp_malformed': '破棄：{dev} で受信した ICMP メッセージが不正である',
  'drop.udp_malformed': '破棄：{dev} で受信した UDP データグラムが不正である',
  'drop.icmp_no_route_back': '破棄：{to} へ戻る経路が FIB にないため、カーネルは ICMP の応答もエラーも送れない',
  'drop.vxlan_unknown_vni': '破棄：UDP ポート {port} に VXLAN パケットが届いたが、その VNI を持つ up 状態の VXLAN デバイスがない',
  'drop.vxlan_no_fdb': '破棄：{dev} の VXLAN FDB に {mac} のエントリも全ゼロのデフォルトエントリもないため、どのリモート VTEP へトンネルすればよいかわからない',
  'drop.vxlan_no_remote': '破棄：{dev} の VXLAN FDB エントリにリモート IP がない（dst 0.0.0.0）ため、カプセル化したパケットの送り先がない',
  'drop.vxlan_no_route': '破棄：リモート VTEP {remote} への経路が FIB にないため、{dev} はフレームをカプセル化できない',
  'drop.vxlan_loop': '破棄：リモート VTEP への経路が {dev} 自身を通るため、パケットがループしてしまう',
  'drop.vxlan_bad_header': '破棄：{dev} 宛ての VXLAN パケットのヘッダーが不正か、内側のフレームが途中で切れている',
  'drop.vxlan_own_source': '破棄：{dev} でカプセル化を解いたフレームの送信元 MAC が {dev} 自身の MAC であり、自分のトラフィックがループして戻ってきたものである',

  // コントロールプレーン: flanneld・IPAM・CNI によるカーネルへの設定（Kubernetes 層）。
  'control.flannel_lease': 'ノード {node} の flanneld が Pod サブネット {subnet} のリースを保持し、他ノードがトンネルする VTEP アドレスとして {publicIp} を広告する',
  'control.flannel_route': 'ノード {node} の flanneld が経路 {route} を追加し、他ノードの Pod サブネット宛てトラフィックをそのノードへ向ける（VXLAN バックエンドでは flannel.1 経由、host-gw ではノードへ直接）',
  'control.flannel_neigh': 'ノード {node} の flanneld が永続 ARP エントリ {entry} を追加し、リモートの flannel.1 のアドレスをトンネル越しの ARP なしで解決できるようにする',
  'control.flannel_fdb': 'ノード {node} の flanneld が VXLAN FDB エントリ {entry} を追加し、そのリモート VTEP MAC 宛てのフレームをどのノード IP へ送るかを flannel.1 に教える',
  'control.flannel_error': 'ノード {node} の flanneld がサブネット {subnet} のカーネル設定に失敗する：{error}',
  'control.flannel_remove': 'サブネット {subnet} のリースがなくなったため、ノード {node} の flanneld がそのサブネットへの経路・ARP・FDB エントリを削除する',
  'control.ipam_assign': 'ノード {node} の host-local IPAM プラグインが、ノードの Pod CIDR から Pod {pod} に {ip} を割り当てる',
  'control.cni_add': 'ノード {node} の bridge CNI プラグインが Pod {pod} 用の veth ペアを作成し、Pod のネットワーク名前空間内に eth0、ルート名前空間に {veth} を置いて cbr0 に接続する',
  'control.route_added': '{netns} のルーティングテーブルに経路 {route} を追加する',
  'control.route_failed': '{netns} のルーティングテーブルに経路 {route} を追加できない：{error}',
  'control.route_limit': 'クラウドのルートテーブルが上限（{limit} 経路）に達しているため、ノード {node} の Pod サブネットへの経路は追加されず、他ノードからその Pod に届かない',
  'control.route_removed': '{netns} のルーティングテーブルから経路 {route} を削除する',
  'control.mode_changed': 'クラスターのモードを {from} から {to} に切り替える。旧モードがノード間に設定したものを削除し、新モードが全ノードを設定する',
  'control.flannel_stop': 'ノード {node} の flanneld が停止し、{backend} バックエンドが設定したものを削除する',

  // CLI の番号付きウォークスルーのステップ。
  'step.leave_pod': 'パケットが Pod {pod} から {dev} を通って出て、ノードのルート名前空間にある対向（ピア）{peer} から現れる',
  'step.enter_root': 'パケットがノード {node} のルート名前空間に {dev} から入る',
  'step.cross_node': 'パケットがノード間ネットワーク（アンダーレイ）を通って、ノード {from} からノード {to} へ移動する',
  'step.deliver_pod': 'パケットが Pod {pod} に届き、Pod のカーネルがローカルのスタックへ配送する',
  'step.verdict_delivered': '結果：{from} からのパケットは {to} に届く',
  'step.verdict_dropped': '結果：パケットは届かない — {reason}',
  'step.verdict_count': '結果：{from} からの {n} 個のパケットのうち {ok} 個が {to} に届く',
  'step.number': 'ステップ {n}：',
  'step.header': 'トレース {from} → {to}、{proto}',
  'step.entry': '↳ 判断に使ったエントリ：{entry}',
  'step.veth': 'フレームは veth ペアを通り、{fromNs} の {fromDev} から対向（ピア）である {toNs} の {toDev} に着く',
  'step.section_reply': '— 応答 —',
  'step.section_error': '— 送り返された ICMP エラー —',
  'step.no_answer': 'タイムアウトまでに応答が返らなかった',

  // ウォークスルーが参照する記事が Linux を単純化している箇所。
  'note.article_simplifies_arp': '注：記事ではブリッジが ARP を行うとしているが、Linux で ARP 要求を送るのは送信側 Pod のカーネルであり、ブリッジはそのブロードキャストを各ポートへフラッディングし、送信元 MAC を FDB に学習するだけである',
  'note.article_flannel0': '注：記事の flannel0 は flannel の古い UDP バックエンド（TUN デバイス）のもので、VXLAN バックエンドのデバイスはカーネルの VXLAN インターフェース flannel.1（名前の 1 は VNI）である',

  // キャンバスやパネルで求めた変更を断る理由（ApiError.msg）。ラボは変わらない。
  'edit.no_cluster': 'このラボには Kubernetes クラスターがありません。ターミナルのコマンドで作ってください',
  'edit.name_invalid': '「{name}」は名前に使えません。英小文字・数字・「-」の 1〜15 文字で、先頭と末尾は英小文字か数字にしてください',
  'edit.name_taken': '「{name}」という名前空間はこのラボにすでにあります',
  'edit.no_namespace': '「{name}」という名前空間はこのラボにありません',
  'edit.no_node': '「{name}」というノードはこのラボにありません',
  'edit.wire_switches': '{a} と {b} はどちらもスイッチです。2 つのスイッチはルーターを介してつないでください',
  'edit.wire_routers': '{a} と {b} はどちらもルーターです。2 つのルーターはスイッチを介してつないでください',
  'edit.wire_pod': '{pod} は Pod です。Pod をノードのブリッジにつなぐのは CNI プラグインなので、Pod はノードの中にドロップしてください',
  'edit.wire_kinds': '{a} と {b} はつなげません。ノードはスイッチかルーターに、ルーターはスイッチにつないでください',
  'edit.already_wired': '{name} はすでに {to} につながっています。先にそのリンクを削除してください',
  'edit.router_on_switch': '{router} はすでに {switch} につながっています',
  'edit.not_wired': '{a} と {b} はつながっていません',
  'edit.pod_same_node': '{pod} はすでに {node} で動いています',
  'edit.mode_same': 'クラスターはすでにこのモードです',
  'edit.no_pod': '「{name}」という Pod はこのラボにありません',
  'edit.no_device': '{netns} には {device} というデバイスがありません',
  'edit.device_taken': '{netns} にはすでに {device} というデバイスがあります。別の名前にしてください',

  // ICMP エラーの種類（タイプとコード）。結果の行で使う。
  'icmp_name.3_0': 'ICMP ネットワーク到達不能（タイプ 3、コード 0）',
  'icmp_name.3_1': 'ICMP ホスト到達不能（タイプ 3、コード 1）',
  'icmp_name.3_2': 'ICMP プロトコル到達不能（タイプ 3、コード 2）',
  'icmp_name.3_3': 'ICMP ポート到達不能（タイプ 3、コード 3）',
  'icmp_name.3_4': 'ICMP フラグメント化要求（タイプ 3、コード 4、MTU {mtu}）',
  'icmp_name.3': 'ICMP 宛先到達不能（タイプ 3、コード {code}）',
  'icmp_name.11_0': 'ICMP 時間超過（TTL 切れ、タイプ 11、コード 0）',
  'icmp_name.11': 'ICMP 時間超過（タイプ 11、コード {code}）',
  'icmp_name.5': 'ICMP リダイレクト（コード {code}、新しいネクストホップ {gateway}）',

  // トレースや比較の要求が、ラボにないものを指している。
  'request.no_such_ns': '「{name}」という名前の Pod や名前空間はありません',
  'request.no_address': '「{name}」には送信先にできる IPv4 アドレスがありません',
  'request.count_range': '回数は 1 から {max} までで指定してください（{count} は指定できません）',

  // podnet compare：2 つのラボで同じプローブを並べて比べる。
  'compare.title': '{from} → {to} の比較（{proto}）',
  'compare.result': '結果',
  'compare.mtu': '経路 MTU（DF で通る最大）',
  'compare.mtu_set_by': 'MTU を決めるデバイス',
  'compare.wire': 'リンク上の最大フレーム',
  'compare.bytes': '{n} バイト',
  'compare.devices': '通過するデバイス数',
  'compare.tables': '判断に使ったエントリ数',
  'compare.hops': '要求パケットのホップごとの流れ（その地点でのバイト数）：',

  // ラボファイルの誤りとその場所（labfile.ts）。
  ...labfileJa,

  // ラボを構築できない理由とその場所（build.ts）。
  ...buildJa,

  // ハンドラーテーブルが要求を受け付けない理由（request.ts）。
  ...requestJa,
}
