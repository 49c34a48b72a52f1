// Walkthrough 1: the node's bridge is down after maintenance.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w1-bridge-down
  title:
    en: After maintenance on node1
    ja: node1 のメンテナンスのあとで
  summary:
    en: The pods of a node lost each other after maintenance. Read the trace to find the device that stopped forwarding.
    ja: メンテナンス後、ノード上の Pod どうしが通信できなくなりました。トレースを読んで、転送をやめたデバイスを見つけます。
  topic: walkthrough-1
  level: beginner
  minutes: 10
spec:
  start:
    scenario: same-node
    break:
      - ip -n node1 link set cbr0 down
  task:
    en: >-
      After some maintenance on node1, pod1 and pod2 cannot reach each other any more. Find out what is wrong
      and fix it, without deleting or recreating any pod.
    ja: >-
      node1 でメンテナンスをしたあと、pod1 と pod2 が互いに届かなくなりました。何がおかしいのかを見つけて直してください。
      Pod を削除したり作り直したりしてはいけません。
  goals:
    - id: reach
      text: { en: pod1 reaches pod2, ja: pod1 から pod2 に届く }
      deliver: { from: pod1, to: pod2 }
    - id: back
      text: { en: pod2 reaches pod1, ja: pod2 から pod1 に届く }
      deliver: { from: pod2, to: pod1 }
    - id: bridge-up
      text: { en: cbr0 on node1 is up, ja: node1 の cbr0 がアップしている }
      link: { netns: node1, dev: cbr0, up: true }
  constraints:
    - id: keep-pods
      text: { en: No pod is deleted or recreated, ja: Pod を削除・再作成しない }
      keep: { pods: true }
  hints:
    - en: Trace pod1 → pod2 and look for the step where the ARP request is dropped. Which device drops it, and why?
      ja: pod1 → pod2 をトレースして、ARP 要求が破棄されるステップを探してください。どのデバイスが、なぜ破棄していますか？
    - en: A bridge port only forwards while both the port and the bridge are up. Check ip -br link in node1.
      ja: ブリッジのポートが転送するのは、ポートとブリッジの両方がアップしているときだけです。node1 で ip -br link を確認してください。
    - en: ip link set DEVICE up brings a device back up.
      ja: ip link set デバイス up でデバイスをアップに戻せます。
  solution:
    commands:
      - ip -n node1 link set cbr0 up
  explanation:
    en: >-
      The bridge cbr0 itself was down. A Linux bridge does not forward between its ports while it is down,
      so pod1's ARP request for pod2 was dropped the moment it entered cbr0 through pod1's veth, and pod1
      gave up with Destination Host Unreachable. The veths were up and attached, which is why nothing looked
      wrong on the ports themselves. Bringing cbr0 up makes its ports forward again, and Linux adds back the
      route 10.244.1.0/24 dev cbr0 that belongs to the bridge's address.
    ja: >-
      ブリッジ cbr0 自体がダウンしていました。Linux のブリッジはダウンしている間ポート間で転送しないため、pod1 が pod2 に向けて
      送った ARP 要求は、pod1 の veth から cbr0 に入った時点で破棄され、pod1 は Destination Host Unreachable であきらめました。
      veth はアップしていてブリッジにもつながっていたので、ポートだけを見ても異常はありませんでした。cbr0 をアップにすると
      ポートが再び転送するようになり、Linux はブリッジのアドレスに対応する経路 10.244.1.0/24 dev cbr0 を追加し直します。
  mistakes:
    - note: the ports are already up
      commands:
        - ip -n node1 link set vethaf9d6e67 up
        - ip -n node1 link set vethb09d6ffa up
`
