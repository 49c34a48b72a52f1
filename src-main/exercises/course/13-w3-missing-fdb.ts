// Walkthrough 3: flannel.1 on node1 lost the FDB entry for node2's VTEP.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-missing-fdb
  title:
    en: flannel.1 does not know where to send it
    ja: flannel.1 が送り先を知らない
  summary:
    en: The overlay route and neighbour are there, but node1's VXLAN device cannot tell which node to send to. Restore what flanneld programs.
    ja: オーバーレイの経路とネイバーエントリはあるのに、node1 の VXLAN デバイスはどのノードへ送ればよいかわかりません。flanneld が設定するものを元に戻します。
  topic: walkthrough-3
  level: intermediate
  minutes: 15
spec:
  start:
    scenario: flannel-vxlan
    break:
      - bridge -n node1 fdb del 02:3d:6c:ea:63:68 dev flannel.1 dst 192.168.0.12 self
  task:
    en: >-
      In this flannel VXLAN cluster, pods on node1 cannot reach pods on node2, and pods on node2 get no
      answers from node1's pods. Find out what flannel.1 on node1 is missing and put it back exactly as
      flanneld programs it.
    ja: >-
      この flannel VXLAN クラスターでは、node1 の Pod から node2 の Pod に届かず、node2 の Pod も node1 の Pod から応答を受け取れません。
      node1 の flannel.1 に何が欠けているかを見つけ、flanneld が設定するとおりに戻してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod3 reaches pod2, ja: pod3 から pod2 に届く }
      deliver: { from: pod3, to: pod2 }
    - id: fdb
      text:
        en: flannel.1 on node1 sends frames for node2's VTEP MAC (02:3d:6c:ea:63:68) to 192.168.0.12
        ja: node1 の flannel.1 が node2 の VTEP の MAC（02:3d:6c:ea:63:68）宛てのフレームを 192.168.0.12 へ送る
      fdb: { netns: node1, dev: flannel.1, mac: 02:3d:6c:ea:63:68, dst: 192.168.0.12 }
  hints:
    - en: Trace pod1 → pod4 and find the step where node1 gives up. What does flannel.1 look up there?
      ja: pod1 → pod4 をトレースして、node1 があきらめるステップを探してください。そこで flannel.1 は何を引いていますか？
    - en: Compare bridge fdb show dev flannel.1 in node1 and in node2. flanneld adds one permanent entry per other node.
      ja: node1 と node2 で bridge fdb show dev flannel.1 を比べてください。flanneld は他のノードごとに永続的なエントリを 1 つ追加します。
    - en: The MAC is the one node1's neighbour entry gives for 10.244.2.0 (ip neigh show dev flannel.1); the destination is node2's address.
      ja: MAC は node1 のネイバーエントリが 10.244.2.0 に対して示すもの（ip neigh show dev flannel.1）で、送り先は node2 のアドレスです。
    - en: bridge fdb append MAC dev flannel.1 dst IP self permanent adds such an entry.
      ja: bridge fdb append MAC dev flannel.1 dst IP self permanent でそのようなエントリを追加できます。
  solution:
    commands:
      - bridge -n node1 fdb append 02:3d:6c:ea:63:68 dev flannel.1 dst 192.168.0.12 self permanent
  explanation:
    en: >-
      flanneld programs three things per remote node: an onlink route to its pod CIDR via X.X.X.0 dev flannel.1,
      a permanent neighbour entry mapping X.X.X.0 to that node's VTEP MAC, and an FDB entry telling flannel.1
      to which node address frames for that MAC go. node1 still had the route and the neighbour, so the
      inner frame got its destination MAC, but flannel.1 could not find 02:3d:6c:ea:63:68 in its FDB, and with
      nolearning and no default entry it dropped the frame. Replies from node2's pods failed the same way on
      their way back through node1. A catch-all 00:00:00:00:00:00 entry would hide the problem here but send
      every unknown frame to node2, whatever node it is for.
    ja: >-
      flanneld はリモートノードごとに 3 つのものを設定します。X.X.X.0 dev flannel.1 を経由するその Pod CIDR への onlink の経路、
      X.X.X.0 をそのノードの VTEP の MAC に対応付ける永続的なネイバーエントリ、そしてその MAC 宛てのフレームをどのノードの
      アドレスへ送るかを flannel.1 に教える FDB エントリです。node1 には経路とネイバーエントリが残っていたので、内側のフレームには
      宛先 MAC が付きましたが、flannel.1 は FDB に 02:3d:6c:ea:63:68 を見つけられず、nolearning でデフォルトのエントリもないため
      フレームを破棄しました。node2 の Pod からの応答も、node1 を通って戻る途中で同じように失われていました。
      00:00:00:00:00:00 の全宛先エントリを足すとこの場では問題が隠れますが、未知のフレームをすべて、本来どのノード宛てであっても
      node2 へ送ってしまいます。
  mistakes:
    - note: the entry pointing at node1 itself
      commands:
        - bridge -n node1 fdb append 02:3d:6c:ea:63:68 dev flannel.1 dst 192.168.0.11 self permanent
    - note: a catch-all default entry instead of node2's VTEP
      commands:
        - bridge -n node1 fdb append 00:00:00:00:00:00 dev flannel.1 dst 192.168.0.12 self permanent
`
