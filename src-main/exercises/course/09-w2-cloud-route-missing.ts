// Walkthrough 2: the cloud route table (a router) lacks a node's pod CIDR.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-cloud-route-missing
  title:
    en: A gap in the cloud route table
    ja: クラウドのルートテーブルの抜け
  summary:
    en: Here the cloud provider's route table carries pods between nodes. One entry is missing; put it where it belongs.
    ja: このクラスターでは、クラウドプロバイダーのルートテーブルがノード間で Pod のパケットを運びます。抜けているエントリを、あるべき場所に戻します。
  topic: walkthrough-2
  level: intermediate
  minutes: 15
spec:
  start:
    scenario: cloud-routes
    break:
      - ip -n router route del 10.244.2.0/24
  task:
    en: >-
      In this cluster the nodes know no routes for each other's pods: they send everything to their default
      gateway, the cloud's router, whose route table says which node owns which pod CIDR (the article's
      "cloud provider route table"). pod1 cannot reach pod4. Find out why and fix it the way this cluster is
      meant to work.
    ja: >-
      このクラスターのノードは、互いの Pod への経路を持っていません。すべてをデフォルトゲートウェイであるクラウドのルーターへ送り、
      そのルーターのルーティングテーブルが、どの Pod CIDR がどのノードのものかを知っています（記事の「クラウドプロバイダーの
      ルートテーブル」です）。pod1 から pod4 に届きません。原因を見つけて、このクラスターの本来の仕組みに沿って直してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod3 reaches pod2, ja: pod3 から pod2 に届く }
      deliver: { from: pod3, to: pod2 }
    - id: via-router
      text: { en: pod1 → pod4 passes through the router, ja: pod1 → pod4 はルーターを通る }
      path: { from: pod1, to: pod4, through: [router] }
    - id: table
      text:
        en: The router routes 10.244.2.0/24 via node2 (192.168.0.12)
        ja: ルーターが 10.244.2.0/24 を node2（192.168.0.12）経由で転送する
      route: { netns: router, dst: 10.244.2.0/24, via: 192.168.0.12 }
  constraints:
    - id: node1-plain
      text:
        en: node1 keeps no route for other nodes' pods (only its own 10.244.1.0/24)
        ja: node1 は他ノードの Pod への経路を持たない（自分の 10.244.1.0/24 だけ）
      count: { netns: node1, of: routes, within: 10.244.0.0/16, max: 1 }
    - id: node2-plain
      text:
        en: node2 keeps no route for other nodes' pods (only its own 10.244.2.0/24)
        ja: node2 は他ノードの Pod への経路を持たない（自分の 10.244.2.0/24 だけ）
      count: { netns: node2, of: routes, within: 10.244.0.0/16, max: 1 }
  hints:
    - en: Trace pod1 → pod4. Which namespace answers Destination Net Unreachable?
      ja: pod1 → pod4 をトレースしてください。ICMP ネットワーク到達不能を返しているのはどの名前空間ですか？
    - en: ip route in the router shows its table. Which node's pod CIDR has no entry?
      ja: ルーターで ip route を実行するとテーブルが見えます。どのノードの Pod CIDR のエントリがありませんか？
    - en: In the router, a route for a pod CIDR goes via the address of the node that owns it.
      ja: ルーターでは、Pod CIDR への経路はその CIDR を持つノードのアドレスを経由します。
  solution:
    commands:
      - ip -n router route add 10.244.2.0/24 via 192.168.0.12
  explanation:
    en: >-
      The cloud's route table had lost the entry for node2's pod CIDR. node1 sent pod1's packet to its
      default gateway, the router, whose FIB lookup for 10.244.2.3 found nothing: it dropped the packet and
      answered Destination Net Unreachable. Replies from node2's pods died the same way. With the entry
      back, the router forwards the packet to node2 unchanged (still src pod1, dst pod4). A route on node1
      straight to node2 would also deliver it, but it bypasses the table this cluster relies on, and with
      many nodes every node would need a route for every other one.
    ja: >-
      クラウドのルートテーブルから node2 の Pod CIDR のエントリが消えていました。node1 は pod1 のパケットをデフォルトゲートウェイで
      あるルーターへ送りましたが、ルーターの 10.244.2.3 の FIB 検索は何も見つけられず、パケットを破棄して Destination Net
      Unreachable を返しました。node2 の Pod からの応答も同じように失われていました。エントリを戻すと、ルーターはパケットを
      書き換えずに（送信元 pod1、宛先 pod4 のまま）node2 へ転送します。node1 に node2 への経路を直接書いても届きますが、それは
      このクラスターが頼っているテーブルを迂回するもので、ノードが多いと各ノードに他のすべてのノードへの経路が必要になります。
  mistakes:
    - note: a route on node1 around the router
      commands:
        - ip -n node1 route add 10.244.2.0/24 via 192.168.0.12 dev eth0
    - note: the route on the router via the wrong node
      commands:
        - ip -n router route add 10.244.2.0/24 via 192.168.0.11
`
