// Walkthrough 2 from nothing: every namespace, veth, bridge, address and route by hand.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-build-from-empty
  title:
    en: Walkthrough 2 from an empty machine
    ja: 空のマシンからウォークスルー 2 を組み立てる
  summary:
    en: Build two nodes and two pods with ip commands alone, the way a CNI plugin and an administrator would, until pod1 and pod4 talk.
    ja: CNI プラグインと管理者が行うように、ip コマンドだけで 2 つのノードと 2 つの Pod を組み立て、pod1 と pod4 が通信できるようにします。
  topic: walkthrough-2
  level: advanced
  minutes: 40
spec:
  start:
    lab: {}
  task:
    en: >-
      This lab is an empty Linux machine. Build the article's walkthrough 2 in it, in the terminal:
      namespaces node1 and node2 whose eth0 ends of one veth pair form the node network 192.168.0.0/24
      (node1 192.168.0.11, node2 192.168.0.12); a bridge cbr0 on each node (10.244.1.1/24 on node1,
      10.244.2.1/24 on node2); pod1 (10.244.1.2) on node1 and pod4 (10.244.2.3) on node2, each with eth0 in
      its own namespace, the other end of its veth attached to its node's cbr0, and a default route via that
      cbr0 address. Then make the nodes route each other's pod range, so that pod1 and pod4 reach each other
      without NAT.
    ja: >-
      このラボは空の Linux マシンです。ここに記事のウォークスルー 2 をターミナルで組み立ててください。名前空間 node1 と node2 を作り、
      1 つの veth ペアの両端をそれぞれの eth0 にしてノードネットワーク 192.168.0.0/24 とします（node1 は 192.168.0.11、node2 は
      192.168.0.12）。各ノードにブリッジ cbr0 を作ります（node1 は 10.244.1.1/24、node2 は 10.244.2.1/24）。pod1（10.244.1.2）を node1 に、
      pod4（10.244.2.3）を node2 に置き、それぞれ自分の名前空間に eth0 を持ち、veth のもう一方の端をノードの cbr0 につなぎ、その cbr0
      のアドレスを経由するデフォルト経路を設定します。最後に、ノードが互いの Pod の範囲を転送するようにして、pod1 と pod4 が NAT
      なしで互いに届くようにしてください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod4 reaches pod1, ja: pod4 から pod1 に届く }
      deliver: { from: pod4, to: pod1 }
    - id: bridges
      text:
        en: pod1 → pod4 passes through cbr0 on node1 and cbr0 on node2
        ja: pod1 → pod4 は node1 の cbr0 と node2 の cbr0 を通る
      path: { from: pod1, to: pod4, through: [node1/cbr0, node2/cbr0] }
    - id: pod1-default
      text: { en: pod1 has a default route via 10.244.1.1, ja: pod1 に 10.244.1.1 を経由するデフォルト経路がある }
      route: { netns: pod1, dst: default, via: 10.244.1.1 }
    - id: pod4-default
      text: { en: pod4 has a default route via 10.244.2.1, ja: pod4 に 10.244.2.1 を経由するデフォルト経路がある }
      route: { netns: pod4, dst: default, via: 10.244.2.1 }
  hints:
    - en: Start with the four namespaces (ip netns add), then the node link, ip -n node1 link add eth0 type veth peer name eth0 netns node2, with addresses, and bring everything up.
      ja: まず 4 つの名前空間を作り（ip netns add）、次にノード間のリンクを ip -n node1 link add eth0 type veth peer name eth0 netns node2 で作ってアドレスを付け、すべてをアップにします。
    - en: For a pod, create the veth in the pod's namespace with its peer in the node's (peer name vethX netns node1), attach the peer with master cbr0, and give eth0 its address.
      ja: Pod ごとに、Pod の名前空間で veth を作り、対向をノードの名前空間に置きます（peer name vethX netns node1）。対向を master cbr0 でブリッジにつなぎ、eth0 にアドレスを付けます。
    - en: Trace pod1 → pod4 to see how far a packet gets. A new namespace starts with net.ipv4.ip_forward = 0.
      ja: pod1 → pod4 をトレースして、パケットがどこまで進むかを見てください。新しい名前空間は net.ipv4.ip_forward = 0 で始まります。
    - en: Each node needs a route for the other node's pod CIDR via the other node's address.
      ja: 各ノードには、相手ノードの Pod CIDR への、相手ノードのアドレスを経由する経路が必要です。
  solution:
    commands:
      - ip netns add node1
      - ip netns add node2
      - ip netns add pod1
      - ip netns add pod4
      - ip -n node1 link add eth0 type veth peer name eth0 netns node2
      - ip -n node1 addr add 192.168.0.11/24 dev eth0
      - ip -n node2 addr add 192.168.0.12/24 dev eth0
      - ip -n node1 link set eth0 up
      - ip -n node2 link set eth0 up
      - ip -n node1 link add cbr0 type bridge
      - ip -n node2 link add cbr0 type bridge
      - ip -n node1 addr add 10.244.1.1/24 dev cbr0
      - ip -n node2 addr add 10.244.2.1/24 dev cbr0
      - ip -n node1 link set cbr0 up
      - ip -n node2 link set cbr0 up
      - ip -n pod1 link add eth0 type veth peer name veth1 netns node1
      - ip -n pod4 link add eth0 type veth peer name veth4 netns node2
      - ip -n node1 link set veth1 master cbr0
      - ip -n node2 link set veth4 master cbr0
      - ip -n node1 link set veth1 up
      - ip -n node2 link set veth4 up
      - ip -n pod1 addr add 10.244.1.2/24 dev eth0
      - ip -n pod4 addr add 10.244.2.3/24 dev eth0
      - ip -n pod1 link set eth0 up
      - ip -n pod4 link set eth0 up
      - ip -n pod1 route add default via 10.244.1.1
      - ip -n pod4 route add default via 10.244.2.1
      - ip netns exec node1 sysctl -w net.ipv4.ip_forward=1
      - ip netns exec node2 sysctl -w net.ipv4.ip_forward=1
      - ip -n node1 route add 10.244.2.0/24 via 192.168.0.12
      - ip -n node2 route add 10.244.1.0/24 via 192.168.0.11
  explanation:
    en: >-
      You built what the CNI bridge plugin and the routes of walkthrough 2 build: per pod a namespace whose
      eth0 is one end of a veth pair, the other end a port of the node's cbr0, an address from the node's
      range and a default route via cbr0; per node a bridge holding the range's first address, IP forwarding
      on, and a route for the other node's range via that node. The packet leaves pod1 with src 10.244.1.2
      and dst 10.244.2.3 and keeps them all the way: node1 routes it to node2's MAC, node2 routes it into cbr0,
      which delivers it to pod4's veth.
    ja: >-
      作ったものは、CNI の bridge プラグインとウォークスルー 2 の経路が作るものと同じです。Pod ごとに、eth0 が veth ペアの一端である
      名前空間があり、もう一端はノードの cbr0 のポートで、ノードの範囲から割り当てたアドレスと cbr0 を経由するデフォルト経路を
      持ちます。ノードごとに、範囲の最初のアドレスを持つブリッジがあり、IP 転送が有効で、相手ノードの範囲への相手ノード経由の
      経路があります。パケットは送信元 10.244.1.2、宛先 10.244.2.3 で pod1 を出て、最後までそのままです。node1 は node2 の MAC へ
      転送し、node2 は cbr0 へ転送し、cbr0 が pod4 の veth へ届けます。
  mistakes:
    - note: everything but IP forwarding
      commands:
        - ip netns add node1
        - ip netns add node2
        - ip netns add pod1
        - ip netns add pod4
        - ip -n node1 link add eth0 type veth peer name eth0 netns node2
        - ip -n node1 addr add 192.168.0.11/24 dev eth0
        - ip -n node2 addr add 192.168.0.12/24 dev eth0
        - ip -n node1 link set eth0 up
        - ip -n node2 link set eth0 up
        - ip -n node1 link add cbr0 type bridge
        - ip -n node2 link add cbr0 type bridge
        - ip -n node1 addr add 10.244.1.1/24 dev cbr0
        - ip -n node2 addr add 10.244.2.1/24 dev cbr0
        - ip -n node1 link set cbr0 up
        - ip -n node2 link set cbr0 up
        - ip -n pod1 link add eth0 type veth peer name veth1 netns node1
        - ip -n pod4 link add eth0 type veth peer name veth4 netns node2
        - ip -n node1 link set veth1 master cbr0
        - ip -n node2 link set veth4 master cbr0
        - ip -n node1 link set veth1 up
        - ip -n node2 link set veth4 up
        - ip -n pod1 addr add 10.244.1.2/24 dev eth0
        - ip -n pod4 addr add 10.244.2.3/24 dev eth0
        - ip -n pod1 link set eth0 up
        - ip -n pod4 link set eth0 up
        - ip -n pod1 route add default via 10.244.1.1
        - ip -n pod4 route add default via 10.244.2.1
        - ip -n node1 route add 10.244.2.0/24 via 192.168.0.12
        - ip -n node2 route add 10.244.1.0/24 via 192.168.0.11
`
