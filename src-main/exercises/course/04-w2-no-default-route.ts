// Walkthrough 2: a pod without its default route (reaches its own node's pods only).
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w2-no-default-route
  title:
    en: A pod that only knows its neighbours
    ja: 隣の Pod しか知らない Pod
  summary:
    en: pod1 still reaches pods on its own node, but nothing beyond. Find what its routing table lacks.
    ja: pod1 は同じノードの Pod には届きますが、その先へは届きません。ルーティングテーブルに何が欠けているかを探します。
  topic: walkthrough-2
  level: beginner
  minutes: 10
spec:
  start:
    scenario: routed
    break:
      - ip -n pod1 route del default
  task:
    en: >-
      pod1 can still talk to pod2 on its own node, but it cannot reach pod4 on node2, nor node2 itself
      (192.168.0.12). Find out why and fix it as the CNI plugin would have set it up.
    ja: >-
      pod1 は同じノードの pod2 とは通信できますが、node2 上の pod4 にも、node2 自身（192.168.0.12）にも届きません。
      原因を見つけて、CNI プラグインが設定するはずだった形に直してください。
  goals:
    - id: reach-pod4
      text: { en: pod1 reaches pod4 on node2, ja: pod1 から node2 上の pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: reach-node2
      text: { en: pod1 reaches node2's address 192.168.0.12, ja: pod1 から node2 のアドレス 192.168.0.12 に届く }
      deliver: { from: pod1, to: 192.168.0.12 }
    - id: reach-pod2
      text: { en: pod1 still reaches pod2, ja: pod1 から pod2 にも引き続き届く }
      deliver: { from: pod1, to: pod2 }
  hints:
    - en: Trace pod1 → pod4. The very first step shows what pod1's kernel decides before anything is sent.
      ja: pod1 → pod4 をトレースしてください。最初のステップで、何かを送る前に pod1 のカーネルが何を判断したかがわかります。
    - en: Compare ip route in pod1 with ip route in pod2. Which line is missing in pod1?
      ja: pod1 と pod2 でそれぞれ ip route を実行して比べてください。pod1 にはどの行が欠けていますか？
    - en: The CNI bridge plugin gives every pod a default route via its node's cbr0 address, here 10.244.1.1.
      ja: CNI の bridge プラグインは、すべての Pod にノードの cbr0 のアドレス（ここでは 10.244.1.1）を経由するデフォルト経路を設定します。
  solution:
    commands:
      - ip -n pod1 route add default via 10.244.1.1 dev eth0
  explanation:
    en: >-
      pod1 had lost its default route. Its only route left was 10.244.1.0/24 dev eth0, the subnet it shares
      with pod2 on cbr0, so pod2 stayed reachable. For any other destination the FIB lookup failed in pod1
      itself (connect: Network is unreachable) and nothing was ever sent. The CNI bridge plugin installs
      default via the bridge's address (10.244.1.1) in every pod; node1 then routes the packet on, as in the
      article's walkthrough 2. A route for 10.244.2.0/24 alone would reach pod4 but not node2 or anything else
      outside the pod network.
    ja: >-
      pod1 はデフォルト経路を失っていました。残っていたのは cbr0 上で pod2 と共有するサブネットの経路 10.244.1.0/24 dev eth0 だけ
      だったので、pod2 には引き続き届きました。それ以外の宛先では pod1 自身の FIB 検索が失敗し（connect: Network is unreachable）、
      何も送られませんでした。CNI の bridge プラグインはすべての Pod にブリッジのアドレス（10.244.1.1）を経由するデフォルト経路を
      設定し、そこから先は node1 がパケットを転送します。記事のウォークスルー 2 のとおりです。10.244.2.0/24 への経路だけを足すと
      pod4 には届きますが、node2 や Pod ネットワークの外には届きません。
  mistakes:
    - note: pod2 as the gateway (pods do not forward)
      commands:
        - ip -n pod1 route add default via 10.244.1.3 dev eth0
    - note: a route for node2's pods only
      commands:
        - ip -n pod1 route add 10.244.2.0/24 via 10.244.1.1 dev eth0
`
