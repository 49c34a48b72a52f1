// Walkthrough 1: predict who sends the ARP request, then verify it with a trace.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w1-who-arps
  title:
    en: Who asks "who has 10.244.1.3?"
    ja: 「10.244.1.3 は誰？」と尋ねるのは誰か
  summary:
    en: Predict which namespace sends the ARP request when pod1 first talks to pod2, then check it in a trace.
    ja: pod1 が初めて pod2 と通信するとき、どの名前空間が ARP 要求を送るかを予想し、トレースで確かめます。
  topic: walkthrough-1
  level: beginner
  minutes: 5
spec:
  start:
    scenario: same-node
  task:
    en: >-
      The article says that when pod1 sends a packet to pod2 on the same node, the bridge cbr0 asks
      "who has this IP?" with an ARP request. Predict what really happens in Linux and answer the two
      questions. Then send a packet from pod1 to pod2 in the Trace panel (without warming ARP first)
      and read the first steps to see whether you were right.
    ja: >-
      記事では、同じノード上の pod1 が pod2 へパケットを送るとき、ブリッジ cbr0 が ARP 要求で
      「この IP を持っているのは誰？」と尋ねると説明しています。Linux で実際に何が起きるかを予想して、
      2 つの質問に答えてください。そのあと、トレースパネルで pod1 から pod2 へパケットを送り（ARP の事前学習はなしで）、
      最初のステップを読んで予想が合っていたか確かめてください。
  goals:
    - id: who-arps
      text:
        en: Which namespace sends the ARP request for 10.244.1.3?
        ja: 10.244.1.3 を解決する ARP 要求を送るのはどの名前空間か？
      question:
        choices:
          - id: pod1
            text: { en: "pod1, through its eth0", ja: "pod1（自身の eth0 から）" }
          - id: cbr0
            text: { en: "node1, from the bridge cbr0", ja: "node1（ブリッジ cbr0 から）" }
          - id: veth
            text: { en: "node1, from pod1's host-side veth", ja: "node1（pod1 のホスト側 veth から）" }
          - id: pod2
            text: { en: "pod2", ja: "pod2" }
        answer: pod1
    - id: bridge-does
      text:
        en: What does cbr0 do with that ARP request, a broadcast frame?
        ja: その ARP 要求（ブロードキャストフレーム）を cbr0 はどう扱うか？
      question:
        choices:
          - id: flood
            text: { en: "It floods it out of its other ports and learns pod1's MAC", ja: "他のすべてのポートへフラッディングし、pod1 の MAC を学習する" }
          - id: answer
            text: { en: "It answers it itself with pod2's MAC", ja: "pod2 の MAC を使って自分で応答する" }
          - id: drop
            text: { en: "It drops it: bridges do not forward broadcasts", ja: "破棄する（ブリッジはブロードキャストを転送しない）" }
        answer: flood
    - id: reach
      text:
        en: pod1 reaches pod2
        ja: pod1 から pod2 に届く
      deliver: { from: pod1, to: pod2 }
    - id: via-bridge
      text:
        en: The packet crosses the bridge cbr0 in node1
        ja: パケットは node1 のブリッジ cbr0 を通る
      path: { from: pod1, to: pod2, through: [node1/cbr0] }
  hints:
    - en: Look at pod1's routing table (ip route in pod1). Is 10.244.1.3 reached through a gateway, or directly on eth0?
      ja: pod1 のルーティングテーブル（pod1 で ip route）を見てください。10.244.1.3 へはゲートウェイ経由ですか、それとも eth0 から直接ですか？
    - en: An ARP request is sent by whichever kernel needs the MAC address of its next hop. For pod1, pod2 is on-link.
      ja: ARP 要求を送るのは、ネクストホップの MAC アドレスを必要としているカーネルです。pod1 から見ると pod2 は同じリンク上にいます。
    - en: In the trace, the first ARP step happens in pod1 on eth0; the bridge then floods the frame to its other ports.
      ja: トレースでは、最初の ARP のステップは pod1 の eth0 で起きます。その後ブリッジがフレームを他のポートへフラッディングします。
  solution:
    commands: []
    answers: { who-arps: pod1, bridge-does: flood }
  explanation:
    en: >-
      pod1 and pod2 share the subnet 10.244.1.0/24 of cbr0, so pod1's route to 10.244.1.3 is on-link
      (10.244.1.0/24 dev eth0): pod1's own kernel needs pod2's MAC and broadcasts the ARP request from
      its eth0. The frame crosses the veth pair into node1, where cbr0 learns pod1's MAC into its FDB and
      floods the broadcast out of its other ports; pod2's kernel answers, and from then on the bridge
      forwards frames between the two ports by MAC. The article simplifies this: a bridge is a switch,
      it never sends ARP requests of its own for the pods.
    ja: >-
      pod1 と pod2 は cbr0 のサブネット 10.244.1.0/24 を共有しているので、pod1 から 10.244.1.3 への経路は
      同じリンク上（10.244.1.0/24 dev eth0）です。そのため pod2 の MAC を必要とするのは pod1 自身のカーネルで、
      pod1 の eth0 から ARP 要求をブロードキャストします。フレームは veth ペアを通って node1 に入り、cbr0 は pod1 の
      MAC を FDB に学習して、ブロードキャストを他のポートへフラッディングします。pod2 のカーネルが応答し、それ以降
      ブリッジは MAC に基づいて 2 つのポートの間でフレームを転送します。記事はここを単純化しています。ブリッジはスイッチであり、
      Pod のために自分から ARP 要求を送ることはありません。
  mistakes:
    - note: the article's version of the story
      commands: []
      answers: { who-arps: cbr0, bridge-does: flood }
    - note: a bridge that answers ARP itself
      commands: []
      answers: { who-arps: pod1, bridge-does: answer }
`
