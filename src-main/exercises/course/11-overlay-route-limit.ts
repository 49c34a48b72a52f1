// Why overlays: the cloud route table is full at its route limit; move the cluster to VXLAN.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: overlay-route-limit
  title:
    en: The cloud route table is full
    ja: クラウドのルートテーブルが満杯
  summary:
    en: The cluster outgrew its cloud route table's limit. Move it to the flannel VXLAN overlay, the article's reason for overlays.
    ja: クラスターがクラウドのルートテーブルの上限を超えて大きくなりました。記事がオーバーレイを使う理由そのものです。flannel の VXLAN オーバーレイに移行します。
  topic: overlay
  level: intermediate
  minutes: 15
spec:
  start:
    lab:
      cluster:
        mode: cloud-routes
        clusterCidr: 10.244.0.0/16
        underlay: { kind: switch, cidr: 192.168.0.0/24, routeLimit: 4 }
        nodes:
          - { name: node1, pods: [{ name: pod1 }] }
          - { name: node2, pods: [{ name: pod2 }] }
          - { name: node3, pods: [{ name: pod3 }] }
          - { name: node4, pods: [{ name: pod4 }] }
          - { name: node5, pods: [{ name: pod5 }] }
  task:
    en: >-
      This cluster relies on the cloud's route table (the router) to carry pods between nodes, and that table
      accepts at most 4 routes, as real providers limit theirs (the article cites 50 routes on AWS). The
      cluster just got its fifth node, and pod5 on node5 cannot be reached. The table cannot grow: move the
      cluster to the flannel VXLAN overlay so that every pod reaches every other, without deleting pods.
      Change the mode with podnet cluster mode in the terminal, or with the mode control in the Lab tab.
    ja: >-
      このクラスターは、ノード間の Pod の通信をクラウドのルートテーブル（ルーター）に頼っています。そのテーブルは、実際の
      プロバイダーと同じように上限があり、経路を 4 つまでしか受け付けません（記事では AWS の 50 経路が挙げられています）。
      クラスターに 5 台目のノードが加わったところ、node5 上の pod5 に届かなくなりました。テーブルはこれ以上増やせないので、
      Pod を削除せずにクラスターを flannel の VXLAN オーバーレイに移行し、すべての Pod が互いに届くようにしてください。
      モードはターミナルの podnet cluster mode か、ラボタブのモード切り替えで変更できます。
  goals:
    - id: reach
      text: { en: pod1 reaches pod5 on node5, ja: pod1 から node5 上の pod5 に届く }
      deliver: { from: pod1, to: pod5 }
    - id: back
      text: { en: pod5 reaches pod2, ja: pod5 から pod2 に届く }
      deliver: { from: pod5, to: pod2 }
    - id: overlay
      text:
        en: pod1 → pod5 is carried by flannel.1 on both nodes
        ja: pod1 → pod5 は両方のノードの flannel.1 で運ばれる
      path: { from: pod1, to: pod5, through: [node1/flannel.1, node5/flannel.1] }
    - id: mode
      text: { en: The cluster uses flannel VXLAN, ja: クラスターが flannel VXLAN を使っている }
      mode: flannel-vxlan
  constraints:
    - id: limit
      text:
        en: The router holds at most 4 routes for pod ranges (the table's limit)
        ja: ルーターが持つ Pod の範囲への経路は 4 つまで（テーブルの上限）
      count: { netns: router, of: routes, within: 10.244.0.0/16, max: 4 }
    - id: keep-pods
      text: { en: No pod is deleted or recreated, ja: Pod を削除・再作成しない }
      keep: { pods: true }
  hints:
    - en: The Events tab shows what the cloud controller did when node5 joined. Compare it with ip route in the router.
      ja: イベントタブで、node5 が加わったときにクラウドのコントローラーが何をしたかを確認し、ルーターの ip route と比べてください。
    - en: An overlay only needs the nodes' own addresses to be reachable, which they are on this switch. Pods' packets travel inside UDP packets between node addresses.
      ja: オーバーレイに必要なのは、ノード自身のアドレスに届くことだけで、このスイッチ上ではすでに届きます。Pod のパケットはノードのアドレス間の UDP パケットに包まれて運ばれます。
    - en: podnet cluster mode flannel-vxlan removes the cloud routes and lets flanneld program flannel.1 on every node.
      ja: podnet cluster mode flannel-vxlan を実行すると、クラウドの経路が削除され、flanneld が各ノードの flannel.1 を設定します。
  solution:
    commands:
      - podnet cluster mode flannel-vxlan
  explanation:
    en: >-
      With routes in the cloud's table, every node's pod CIDR needs one entry: the fifth node found the table
      full (the controller logged the route limit), so nothing routed 10.244.5.0/24 and node5's pods were cut
      off. An overlay takes pod routing out of the underlay: flanneld gives each node flannel.1 and, per other
      node, an onlink route, a permanent neighbour and an FDB entry; node1 wraps pod1's packet in UDP port 8472
      to node5's address, which the switch already knows how to reach. The cost is 50 bytes per packet (the
      VXLAN MTU is 1450) and the work of encapsulating. Note that existing pods keep the MTU 1500 they were
      created with until they are recreated; new pods get 1450.
    ja: >-
      クラウドのテーブルに経路を置く方式では、ノードごとに Pod CIDR のエントリが 1 つ必要です。5 台目のノードが加わったときには
      テーブルが満杯で（コントローラーが経路の上限をイベントに記録しています）、10.244.5.0/24 を転送するものがなくなり、node5 の
      Pod が孤立しました。オーバーレイは Pod の経路をアンダーレイから切り離します。flanneld は各ノードに flannel.1 を作り、
      他のノードごとに onlink の経路、永続的なネイバーエントリ、FDB エントリを設定します。node1 は pod1 のパケットを UDP ポート
      8472 で包んで node5 のアドレスへ送り、スイッチはそのアドレスへの届け方をすでに知っています。代償はパケットごとの 50 バイト
      （VXLAN の MTU は 1450）とカプセル化の処理です。なお、既存の Pod は作り直されるまで作成時の MTU 1500 のままで、新しい Pod は
      1450 になります。
  mistakes:
    - note: a fifth route in a table that only takes four
      commands:
        - ip -n router route add 10.244.5.0/24 via 192.168.0.15
    - note: host-gw also works on one switch, but it is not an overlay
      commands:
        - podnet cluster mode flannel-host-gw
`
