// Underlay: flannel host-gw cannot work across a router; VXLAN can.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-host-gw-router
  title:
    en: host-gw across a router
    ja: ルーターをまたぐ host-gw
  summary:
    en: flannel's host-gw backend needs every node on one link. Here a router sits between them; make pods talk without touching the router.
    ja: flannel の host-gw バックエンドは、すべてのノードが同じリンク上にいることを前提にしています。ここではノードの間にルーターがあります。ルーターに手を加えずに Pod が通信できるようにします。
  topic: underlay
  level: advanced
  minutes: 15
spec:
  start:
    scenario: host-gw-behind-router
  task:
    en: >-
      The nodes of this cluster sit on separate subnets (192.168.1.0/24 and 192.168.2.0/24) joined by a
      router, and flannel runs its host-gw backend. Pods on different nodes cannot reach each other. The network
      team will not add pod routes to their router. Make pods on different nodes reach each other, without
      deleting pods.
    ja: >-
      このクラスターのノードは別々のサブネット（192.168.1.0/24 と 192.168.2.0/24）にあり、ルーターでつながっています。flannel は
      host-gw バックエンドで動いています。異なるノードの Pod が互いに届きません。ネットワークチームは自分たちのルーターに Pod の
      経路を追加してくれません。Pod を削除せずに、異なるノードの Pod が互いに届くようにしてください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod3 reaches pod2, ja: pod3 から pod2 に届く }
      deliver: { from: pod3, to: pod2 }
    - id: tunnel
      text:
        en: pod1 → pod4 crosses the router inside the tunnel, through flannel.1
        ja: pod1 → pod4 はトンネルの中でルーターを越え、flannel.1 を通る
      path: { from: pod1, to: pod4, through: [node1/flannel.1, router, node2/flannel.1] }
  constraints:
    - id: router-untouched
      text: { en: The router holds no route for pod ranges, ja: ルーターは Pod の範囲への経路を持たない }
      count: { netns: router, of: routes, within: 10.244.0.0/16, max: 0 }
    - id: keep-pods
      text: { en: No pod is deleted or recreated, ja: Pod を削除・再作成しない }
      keep: { pods: true }
  hints:
    - en: The Events tab shows what flanneld tried on each node. Why could it not add its routes?
      ja: イベントタブで、各ノードの flanneld が何を試みたかを確認してください。なぜ経路を追加できなかったのでしょうか？
    - en: A host-gw route looks like 10.244.2.0/24 via 192.168.2.10, and its next hop must be on the same link as the node. Is it, for node1?
      ja: host-gw の経路は「10.244.2.0/24 via 192.168.2.10」という形で、ネクストホップはノードと同じリンク上にある必要があります。node1 から見てそうなっていますか？
    - en: An overlay needs only the node addresses to be routable, and the router already routes them. podnet cluster mode changes the backend.
      ja: オーバーレイに必要なのはノードのアドレスに届くことだけで、ルーターはすでにそれらを転送しています。podnet cluster mode でバックエンドを変更できます。
  solution:
    commands:
      - podnet cluster mode flannel-vxlan
  explanation:
    en: >-
      host-gw programs each remote pod CIDR as a plain route via the remote node's address, which only works
      when that address is on the node's own link: here it is behind a router, so Linux refused the route
      (the gateway is not reachable directly) and flanneld logged the failure. Packets for other nodes' pods then
      followed the default route to the router, which knows nothing about pod ranges and dropped them. VXLAN
      only needs node addresses to be reachable, which the router provides: node1 wraps the packet in UDP to
      192.168.2.10, the router forwards it like any other packet, and node2 unwraps it. Pod routes on the router
      would also work, but that is exactly what the network team refused.
    ja: >-
      host-gw は、リモートの Pod CIDR をリモートノードのアドレス経由の単純な経路として設定します。これはそのアドレスがノード自身の
      リンク上にあるときしか機能しません。ここではルーターの向こうにあるため、Linux はその経路を拒否し（ゲートウェイに直接届かない）、
      flanneld は失敗をイベントに記録しました。そのため他のノードの Pod 宛てのパケットはデフォルト経路でルーターへ向かい、
      Pod の範囲を何も知らないルーターがそれを破棄しました。VXLAN に必要なのはノードのアドレスに届くことだけで、それはルーターが
      提供しています。node1 はパケットを 192.168.2.10 宛ての UDP でカプセル化し、ルーターは他のパケットと同じように転送し、node2 がカプセル化を
      解きます。ルーターに Pod の経路を置いても動きますが、それこそネットワークチームが断ったことです。
  mistakes:
    - note: pod routes on the router after all
      commands:
        - ip -n router route add 10.244.1.0/24 via 192.168.1.10
        - ip -n router route add 10.244.2.0/24 via 192.168.2.10
    - note: plain routes on the nodes fail for the same reason as host-gw
      commands:
        - podnet cluster mode routes
`
