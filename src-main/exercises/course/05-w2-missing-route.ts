// Walkthrough 2: a node is missing the route to another node's pod CIDR.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-missing-route
  title:
    en: Destination Net Unreachable
    ja: ICMP ネットワーク到達不能
  summary:
    en: pod1 cannot reach pod4 on the other node, and node1 says so. Find the route that is missing.
    ja: pod1 から別ノードの pod4 に届かず、node1 がそれを知らせてきます。足りない経路を見つけます。
  topic: walkthrough-2
  level: beginner
  minutes: 10
spec:
  start:
    scenario: routed
    break:
      - ip -n node1 route del 10.244.2.0/24
  task:
    en: >-
      In this cluster every node routes the other nodes' pod ranges itself. pod1 on node1 cannot reach pod4
      on node2: ping answers Destination Net Unreachable. Find out why and fix it.
    ja: >-
      このクラスターでは、各ノードが他ノードの Pod の範囲への経路を自分で持っています。node1 上の pod1 から node2 上の pod4 に
      届かず、ping は Destination Net Unreachable を返します。原因を見つけて直してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: reach-pod3
      text: { en: pod2 reaches pod3, ja: pod2 から pod3 に届く }
      deliver: { from: pod2, to: pod3 }
    - id: route
      text:
        en: node1 routes 10.244.2.0/24 via node2 (192.168.0.12)
        ja: node1 が 10.244.2.0/24 を node2（192.168.0.12）経由で転送する
      route: { netns: node1, dst: 10.244.2.0/24, via: 192.168.0.12 }
  hints:
    - en: Trace pod1 → pod4. Which namespace sends the ICMP Destination Net Unreachable, and what did its FIB lookup find?
      ja: pod1 → pod4 をトレースしてください。ICMP ネットワーク到達不能を送っているのはどの名前空間で、その FIB 検索は何を見つけましたか？
    - en: Compare ip route in node1 and in node2. Each node needs a route for the other node's pod CIDR.
      ja: node1 と node2 で ip route を比べてください。各ノードには相手ノードの Pod CIDR への経路が必要です。
    - en: 10.244.2.0/24 belongs to node2, whose address on the node network is 192.168.0.12.
      ja: 10.244.2.0/24 は node2 のもので、node2 のノードネットワーク上のアドレスは 192.168.0.12 です。
  solution:
    commands:
      - ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0
  explanation:
    en: >-
      node1 had no route for node2's pod CIDR 10.244.2.0/24 and no default route either. pod1's packet reached
      node1 through cbr0 (pod1's default route), node1's FIB lookup for 10.244.2.3 found nothing, and node1
      dropped the packet and answered with ICMP Destination Net Unreachable. In walkthrough 2 the network
      between nodes must know which node owns which pod CIDR: here a route on each node, elsewhere a cloud
      route table. The route goes via node2's own address, so node1 sends the unchanged packet (src pod1,
      dst pod4, no NAT) to node2's MAC.
    ja: >-
      node1 には node2 の Pod CIDR 10.244.2.0/24 への経路も、デフォルト経路もありませんでした。pod1 のパケットは（pod1 のデフォルト経路で）
      cbr0 を通って node1 に届きましたが、10.244.2.3 の FIB 検索で何も見つからず、node1 はパケットを破棄して ICMP Destination Net
      Unreachable を返しました。ウォークスルー 2 では、ノード間のネットワークがどの Pod CIDR をどのノードが持っているかを知っている
      必要があります。ここでは各ノードの経路で、別の環境ではクラウドのルートテーブルで実現します。経路は node2 自身のアドレスを
      経由するので、node1 はパケットを書き換えずに（送信元 pod1、宛先 pod4、NAT なし）node2 の MAC へ送ります。
  mistakes:
    - note: the pod range on node1's own bridge
      commands:
        - ip -n node1 route add 10.244.2.0/24 dev cbr0
    - note: node1's own address as the next hop
      commands:
        - ip -n node1 route add 10.244.2.0/24 via 192.168.0.11 dev eth0
`
