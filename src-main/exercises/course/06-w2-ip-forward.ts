// Walkthrough 2: IP forwarding off on the receiving node.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-ip-forward
  title:
    en: Every route is there, yet nothing arrives
    ja: 経路はそろっているのに届かない
  summary:
    en: Packets cross the node network and vanish on the other side without a word. Find the setting that makes a node a router.
    ja: パケットはノード間ネットワークを渡り、向こう側で何も言わずに消えます。ノードをルーターにする設定を探します。
  topic: walkthrough-2
  level: beginner
  minutes: 10
spec:
  start:
    scenario: routed
    break:
      - ip netns exec node2 sysctl -w net.ipv4.ip_forward=0
  task:
    en: >-
      Pods on node1 cannot reach pods on node2, and pods on node2 cannot reach pods on node1, although every
      node has its routes. No error comes back: the packets just disappear. Find out why and fix it.
    ja: >-
      node1 の Pod から node2 の Pod に届かず、node2 の Pod から node1 の Pod にも届きません。どのノードにも経路はあります。
      エラーは返らず、パケットはただ消えてしまいます。原因を見つけて直してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod3 reaches pod2, ja: pod3 から pod2 に届く }
      deliver: { from: pod3, to: pod2 }
    - id: forwarding
      text: { en: IP forwarding is on in node2, ja: node2 で IP 転送が有効になっている }
      sysctl: { netns: node2, key: net.ipv4.ip_forward, value: "1" }
  hints:
    - en: Trace pod1 → pod4 and follow the packet to the last namespace it reaches. What does that namespace decide?
      ja: pod1 → pod4 をトレースし、パケットが最後に届く名前空間まで追ってください。その名前空間は何を判断していますか？
    - en: A namespace only routes packets that are not for itself when net.ipv4.ip_forward is 1. Compare sysctl net.ipv4.ip_forward in node1 and node2.
      ja: 自分宛てではないパケットを名前空間が転送するのは、net.ipv4.ip_forward が 1 のときだけです。node1 と node2 で sysctl net.ipv4.ip_forward を比べてください。
    - en: sysctl -w net.ipv4.ip_forward=1 turns it on, or use the IP forwarding switch in the Namespace panel.
      ja: sysctl -w net.ipv4.ip_forward=1 で有効にできます。名前空間パネルの IP 転送のスイッチでもかまいません。
  solution:
    commands:
      - ip netns exec node2 sysctl -w net.ipv4.ip_forward=1
  explanation:
    en: >-
      node2 had net.ipv4.ip_forward = 0, so it behaved as a host, not a router. pod1's packet arrived on node2's
      eth0 addressed to 10.244.2.3, which is not one of node2's addresses; with forwarding off Linux drops
      such a packet silently, without any ICMP error, which is why nothing came back. Packets from pod3 and pod4
      left through cbr0 into node2 and were dropped the same way. Kubernetes nodes need forwarding on (the
      article's step 6: "the node has IP forwarding enabled").
    ja: >-
      node2 では net.ipv4.ip_forward = 0 になっており、ルーターではなくホストとして振る舞っていました。pod1 のパケットは 10.244.2.3 宛てで
      node2 の eth0 に届きますが、これは node2 自身のアドレスではありません。転送が無効だと Linux はそのようなパケットを ICMP エラーも
      返さずに通知なしに破棄するため、何も返ってきませんでした。pod3 と pod4 からのパケットも cbr0 を通って node2 に入り、同じように
      破棄されました。Kubernetes のノードでは IP 転送を有効にしておく必要があります（記事のステップ 6「ノードで IP 転送が有効に
      なっている」）。
  mistakes:
    - note: forwarding on the sending node (already on)
      commands:
        - ip netns exec node1 sysctl -w net.ipv4.ip_forward=1
    - note: forwarding in the destination pod
      commands:
        - ip netns exec pod4 sysctl -w net.ipv4.ip_forward=1
`
