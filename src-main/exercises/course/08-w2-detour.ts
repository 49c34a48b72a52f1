// Walkthrough 2: traffic arrives, but through the wrong node (a route via the wrong next hop).
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-detour
  title:
    en: It works, but it takes a detour
    ja: 届くけれど遠回り
  summary:
    en: Every ping succeeds, yet traffic from node1 to node3's pods passes through node2. Trace the path and straighten it.
    ja: ping はすべて成功しますが、node1 から node3 の Pod へのトラフィックは node2 を通っています。通り道をトレースしてまっすぐにします。
  topic: walkthrough-2
  level: intermediate
  minutes: 15
spec:
  start:
    scenario: routed
    nodes: 3
    break:
      - ip -n node1 route replace 10.244.3.0/24 via 192.168.0.12 dev eth0
  task:
    en: >-
      This cluster has three nodes, each with two pods (pod5 and pod6 run on node3). Everything can reach
      everything, but node2's operators see traffic from node1's pods to node3's pods going through their
      node. Find the detour and make that traffic go straight from node1 to node3.
    ja: >-
      このクラスターには 3 つのノードがあり、それぞれに 2 つの Pod があります（pod5 と pod6 は node3 で動いています）。すべて互いに
      届きますが、node2 の運用担当者は、node1 の Pod から node3 の Pod へのトラフィックが自分のノードを通っていることに気づきました。
      遠回りを見つけて、そのトラフィックが node1 から node3 へまっすぐ届くようにしてください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod5, ja: pod1 から pod5 に届く }
      deliver: { from: pod1, to: pod5 }
    - id: straight
      text: { en: pod1 → pod5 does not pass through node2, ja: pod1 → pod5 は node2 を通らない }
      path: { from: pod1, to: pod5, avoids: [node2] }
    - id: back
      text: { en: pod6 reaches pod2, ja: pod6 から pod2 に届く }
      deliver: { from: pod6, to: pod2 }
  hints:
    - en: Trace pod1 → pod5 and list the namespaces the packet passes through. Where does node1 send it?
      ja: pod1 → pod5 をトレースして、パケットが通る名前空間を順に挙げてください。node1 はパケットをどこへ送っていますか？
    - en: Look at node1's route for 10.244.3.0/24 (node3's pod CIDR). Which node has the address it goes via?
      ja: node1 の 10.244.3.0/24（node3 の Pod CIDR）への経路を見てください。その経由先のアドレスを持っているのはどのノードですか？
    - en: node3's address is 192.168.0.13.
      ja: node3 のアドレスは 192.168.0.13 です。
  solution:
    commands:
      - ip -n node1 route replace 10.244.3.0/24 via 192.168.0.13 dev eth0
  explanation:
    en: >-
      node1 routed node3's pod CIDR via node2 (192.168.0.12) instead of node3 (192.168.0.13). Because node2
      forwards and has its own correct route to 10.244.3.0/24, it passed each packet on to node3, so pings
      worked and the mistake hid in plain sight: every packet crossed the node network twice, loaded node2
      and would break as soon as node2 went away. A trace shows the path hop by hop, which a successful
      ping never does. With the route via node3 the packet goes straight from node1 to node3.
    ja: >-
      node1 は node3 の Pod CIDR を、node3（192.168.0.13）ではなく node2（192.168.0.12）経由で転送していました。node2 は IP 転送が有効で、
      10.244.3.0/24 への正しい経路を自分で持っているため、各パケットを node3 へ転送し、ping は成功していました。そのため誤りが
      目の前にあっても気づかれませんでした。すべてのパケットがノード間ネットワークを 2 回渡り、node2 に負荷をかけ、node2 が
      いなくなればすぐに壊れる状態です。成功した ping はパケットの通り道を見せてくれませんが、トレースはホップごとに見せてくれます。
      node3 経由の経路にすると、パケットは node1 から node3 へまっすぐ届きます。
  mistakes:
    - note: a second route via node3 with a worse metric leaves the detour in place
      commands:
        - ip -n node1 route add 10.244.3.0/24 via 192.168.0.13 dev eth0 metric 100
    - note: fixing node2 instead of node1
      commands:
        - ip -n node2 route replace 10.244.3.0/24 via 192.168.0.13 dev eth0
`
