// Walkthrough 1: a pod's host-side veth is not a port of cbr0 (a CNI ADD that stopped halfway).
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w1-veth-detached
  title:
    en: A pod that nobody hears
    ja: 誰にも声が届かない Pod
  summary:
    en: Two pods on one node cannot talk. Follow the ARP request to find the broken piece of the veth and bridge plumbing.
    ja: 同じノード上の 2 つの Pod が通信できません。ARP 要求の行方を追って、veth とブリッジの配線の壊れた箇所を見つけます。
  topic: walkthrough-1
  level: beginner
  minutes: 10
spec:
  start:
    scenario: same-node
    break:
      - ip -n node1 link set vethb09d6ffa nomaster
  task:
    en: >-
      pod1 and pod2 run on the same node, node1, but pod1 cannot reach pod2 and pod2 cannot reach pod1.
      Find out why and fix it, without deleting or recreating any pod.
    ja: >-
      pod1 と pod2 は同じノード node1 で動いていますが、pod1 から pod2 にも、pod2 から pod1 にも届きません。
      原因を見つけて直してください。Pod を削除したり作り直したりしてはいけません。
  goals:
    - id: reach
      text: { en: pod1 reaches pod2, ja: pod1 から pod2 に届く }
      deliver: { from: pod1, to: pod2 }
    - id: back
      text: { en: pod2 reaches pod1, ja: pod2 から pod1 に届く }
      deliver: { from: pod2, to: pod1 }
    - id: attached
      text:
        en: pod2's host-side veth (vethb09d6ffa) is a port of cbr0
        ja: pod2 のホスト側 veth（vethb09d6ffa）が cbr0 のポートになっている
      link: { netns: node1, dev: vethb09d6ffa, master: cbr0 }
  constraints:
    - id: keep-pods
      text: { en: No pod is deleted or recreated, ja: Pod を削除・再作成しない }
      keep: { pods: true }
  hints:
    - en: Trace pod1 → pod2. pod1 sends ARP requests for 10.244.1.3; where do they go, and does pod2 ever see one?
      ja: pod1 → pod2 をトレースしてください。pod1 は 10.244.1.3 の ARP 要求を送ります。それはどこへ行き、pod2 に届いていますか？
    - en: In node1, brctl show lists the ports of cbr0, and ip -br link shows which bridge each veth belongs to. Is every pod's veth there?
      ja: node1 で brctl show を実行すると cbr0 のポートが、ip -br link を実行すると各 veth がどのブリッジに属しているかがわかります。すべての Pod の veth がそろっていますか？
    - en: A veth end joins a bridge with ip link set DEVICE master BRIDGE.
      ja: veth の端をブリッジにつなぐには ip link set デバイス master ブリッジ を使います。
  solution:
    commands:
      - ip -n node1 link set vethb09d6ffa master cbr0
  explanation:
    en: >-
      pod2's veth pair was fine, but its host-side end vethb09d6ffa was not a port of cbr0, as when a CNI ADD
      stops halfway or someone detaches it. pod1's ARP broadcast for 10.244.1.3 reached cbr0, which flooded it
      out of its ports, and pod2's veth was not one of them: nobody answered, pod1's neighbour entry became
      FAILED and ping reported Destination Host Unreachable. Frames from pod2 arrived on a veth that belongs
      to no bridge and has no address, so node1 had nothing to do with them. Attaching the veth to cbr0
      puts pod2 back on the node's pod network.
    ja: >-
      pod2 の veth ペア自体は正常でしたが、ホスト側の端 vethb09d6ffa が cbr0 のポートになっていませんでした。CNI の ADD が
      途中で止まったときや、誰かが切り離したときに起きる状態です。pod1 が送った 10.244.1.3 の ARP ブロードキャストは cbr0 に
      届き、cbr0 はそれをポートへフラッディングしましたが、pod2 の veth はその中にありませんでした。誰も応答しないため pod1 の
      ネイバーエントリは FAILED になり、ping は Destination Host Unreachable を報告しました。pod2 からのフレームは、どのブリッジにも
      属さずアドレスもない veth に届くだけで、node1 はそれを扱えませんでした。veth を cbr0 につなぐと、pod2 はノードの Pod ネットワークに戻ります。
  mistakes:
    - note: a route instead of the missing bridge port
      commands:
        - ip -n pod1 route add 10.244.1.3 dev eth0
    - note: the veth is already up; up is not the problem
      commands:
        - ip -n node1 link set vethb09d6ffa up
`
