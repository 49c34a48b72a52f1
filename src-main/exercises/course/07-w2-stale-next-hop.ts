// Walkthrough 2: a hand-written route still points at a node's old address.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-stale-next-hop
  title:
    en: A node that moved house
    ja: 引っ越したノード
  summary:
    en: node2 came back from a rebuild with a new address. Find the route that still sends its pods' traffic to the old one.
    ja: node2 は再構築されて新しいアドレスで戻ってきました。まだ古いアドレスへ Pod のトラフィックを送っている経路を探します。
  topic: walkthrough-2
  level: intermediate
  minutes: 15
spec:
  start:
    lab:
      cluster:
        mode: routes
        clusterCidr: 10.244.0.0/16
        underlay: { kind: switch, cidr: 192.168.0.0/24 }
        nodes:
          - name: node1
            ip: 192.168.0.11
            pods: [{ name: pod1 }, { name: pod2 }]
          - name: node2
            ip: 192.168.0.22
            pods: [{ name: pod3 }, { name: pod4 }]
    break:
      - ip -n node1 route replace 10.244.2.0/24 via 192.168.0.12 dev eth0
  task:
    en: >-
      node2 was rebuilt last night and came back with a new address on the node network. Since then pods on
      node1 cannot reach pods on node2 (ping says Destination Host Unreachable after a few seconds). Find out
      why and fix it.
    ja: >-
      node2 は昨夜再構築され、ノードネットワーク上の新しいアドレスで戻ってきました。それ以来、node1 の Pod から node2 の Pod に
      届きません（ping は数秒後に Destination Host Unreachable を返します）。原因を見つけて直してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod3 reaches pod2, ja: pod3 から pod2 に届く }
      deliver: { from: pod3, to: pod2 }
    - id: route
      text:
        en: node1 routes 10.244.2.0/24 via node2's current address
        ja: node1 が 10.244.2.0/24 を node2 の現在のアドレス経由で転送する
      route: { netns: node1, dst: 10.244.2.0/24, via: 192.168.0.22 }
  hints:
    - en: Trace pod1 → pod4. node1 forwards the packet; which next hop does it try to reach, and does anyone answer its ARP request?
      ja: pod1 → pod4 をトレースしてください。node1 はパケットを転送しようとします。どのネクストホップに送ろうとしていて、その ARP 要求に誰か応答していますか？
    - en: Compare node1's route for 10.244.2.0/24 with node2's address (ip -br addr in node2).
      ja: node1 の 10.244.2.0/24 への経路と、node2 のアドレス（node2 で ip -br addr）を比べてください。
    - en: ip route replace changes an existing route in one step.
      ja: ip route replace を使うと、既存の経路を一度に書き換えられます。
  solution:
    commands:
      - ip -n node1 route replace 10.244.2.0/24 via 192.168.0.22 dev eth0
  explanation:
    en: >-
      node1 still sent node2's pod range to 192.168.0.12, node2's address before the rebuild. The route was
      accepted (the next hop is on node1's subnet), so node1 forwarded pod1's packet and asked by ARP who has
      192.168.0.12. Nobody has that address any more: after three unanswered requests the neighbour entry
      became FAILED and node1 sent Destination Host Unreachable back to pod1. Routes written by hand do not
      follow a node's address; a cluster's control plane (or flannel) updates them from each node's current
      address. Giving node2 its old address back would hide the stale route instead of fixing it.
    ja: >-
      node1 は node2 の Pod の範囲を、再構築前の node2 のアドレス 192.168.0.12 へ送り続けていました。ネクストホップが node1 の
      サブネット内にあるので経路自体は受け付けられ、node1 は pod1 のパケットを転送しようとして、ARP で 192.168.0.12 を持つのは
      誰かを尋ねました。そのアドレスを持つ者はもういないので、3 回応答がなかった時点でネイバーエントリは FAILED になり、node1 は
      pod1 に Destination Host Unreachable を返しました。手で書いた経路はノードのアドレス変更に追従しません。クラスターの
      コントロールプレーン（や flannel）は、各ノードの現在のアドレスから経路を更新します。node2 に古いアドレスを付け直すと、
      古い経路を直すのではなく隠すことになります。
  mistakes:
    - note: node2 answers to its old address again
      commands:
        - ip -n node2 addr add 192.168.0.12/24 dev eth0
    - note: a typo in the new next hop
      commands:
        - ip -n node1 route replace 10.244.2.0/24 via 192.168.0.21 dev eth0
`
