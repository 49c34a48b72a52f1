// Walkthrough 3: predict how the overlay carries the packet, then verify with a trace.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-predict-encap
  title:
    en: Predict the overlay's envelope
    ja: オーバーレイの「封筒」を予想する
  summary:
    en: Before tracing, predict which device wraps pod1's packet, in what, and with which addresses. Then trace and compare.
    ja: トレースする前に、どのデバイスが pod1 のパケットを何で、どのアドレスで包むかを予想します。そのあとトレースして比べます。
  topic: walkthrough-3
  level: beginner
  minutes: 10
spec:
  start:
    scenario: flannel-vxlan
  task:
    en: >-
      This cluster uses the flannel VXLAN overlay. Before you trace anything, answer the three questions about
      how pod1's packet to pod4 crosses from node1 to node2. Then send the packet in the Trace panel, select
      the encapsulation step and look at the outer headers in the Packet tab to check your answers.
    ja: >-
      このクラスターは flannel の VXLAN オーバーレイを使っています。何かをトレースする前に、pod1 から pod4 へのパケットが node1 から
      node2 へどのように渡るかについて、3 つの質問に答えてください。そのあとトレースパネルでパケットを送り、カプセル化のステップを
      選んでパケットタブで外側のヘッダーを見て、答えを確かめてください。
  goals:
    - id: wrapper
      text:
        en: Which device wraps pod1's packet in an outer UDP packet?
        ja: pod1 のパケットを外側の UDP パケットで包むのはどのデバイスか？
      question:
        choices:
          - id: pod-eth0
            text: { en: "eth0 in pod1", ja: "pod1 の eth0" }
          - id: cbr0
            text: { en: "cbr0 in node1", ja: "node1 の cbr0" }
          - id: flannel.1
            text: { en: "flannel.1 in node1", ja: "node1 の flannel.1" }
          - id: node-eth0
            text: { en: "eth0 in node1", ja: "node1 の eth0" }
        answer: flannel.1
    - id: port
      text:
        en: To which UDP destination port is the outer packet sent? (a number)
        ja: 外側のパケットはどの UDP 宛先ポートへ送られるか？（数字で）
      question:
        answer: "8472"
    - id: outer-src
      text:
        en: What is the source IP address of the outer packet?
        ja: 外側のパケットの送信元 IP アドレスはどれか？
      question:
        choices:
          - id: 10.244.1.2
            text: { en: "10.244.1.2 (pod1)", ja: "10.244.1.2（pod1）" }
          - id: 10.244.1.0
            text: { en: "10.244.1.0 (flannel.1 on node1)", ja: "10.244.1.0（node1 の flannel.1）" }
          - id: 192.168.0.11
            text: { en: "192.168.0.11 (node1)", ja: "192.168.0.11（node1）" }
          - id: 10.244.1.1
            text: { en: "10.244.1.1 (cbr0 on node1)", ja: "10.244.1.1（node1 の cbr0）" }
        answer: 192.168.0.11
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: route-get
      text:
        en: node1 sends traffic for pod4 into flannel.1 (ip route get 10.244.2.3)
        ja: node1 は pod4 宛てのトラフィックを flannel.1 へ送る（ip route get 10.244.2.3）
      command: { netns: node1, run: ip route get 10.244.2.3, matches: "dev flannel\\\\.1" }
  hints:
    - en: ip route in node1 shows which device the route for 10.244.2.0/24 uses.
      ja: node1 で ip route を実行すると、10.244.2.0/24 への経路がどのデバイスを使うかがわかります。
    - en: ip -d link show flannel.1 in node1 shows the VXLAN settings, including the destination port and the local address.
      ja: node1 で ip -d link show flannel.1 を実行すると、宛先ポートやローカルアドレスを含む VXLAN の設定が見えます。
    - en: The outer packet travels between the nodes' own addresses; only they are routable on the node network.
      ja: 外側のパケットはノード自身のアドレスの間を流れます。ノードネットワーク上で転送できるのはそれらのアドレスだけです。
  solution:
    commands: []
    answers: { wrapper: flannel.1, port: "8472", outer-src: 192.168.0.11 }
  explanation:
    en: >-
      node1 routes 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink, so pod1's packet is forwarded into
      flannel.1, a kernel VXLAN device (VNI 1). It resolves 10.244.2.0 to node2's VTEP MAC from a permanent
      neighbour entry, looks that MAC up in its FDB (dst 192.168.0.12) and wraps the whole Ethernet frame in
      VXLAN, UDP and IP: outer source 192.168.0.11 (node1), outer destination 192.168.0.12 (node2), UDP
      destination port 8472, flannel's port. node2's kernel hands UDP 8472 to its flannel.1, which unwraps the
      frame; the inner packet still says 10.244.1.2 → 10.244.2.3. The article calls the device flannel0, the
      name of flannel's older UDP backend.
    ja: >-
      node1 は 10.244.2.0/24 を 10.244.2.0 dev flannel.1 onlink で転送するので、pod1 のパケットはカーネルの VXLAN デバイス（VNI 1）で
      ある flannel.1 へ転送されます。flannel.1 は永続的なネイバーエントリから 10.244.2.0 を node2 の VTEP の MAC に解決し、その MAC を
      FDB で引いて（dst 192.168.0.12）、イーサネットフレーム全体を VXLAN・UDP・IP でカプセル化します。外側の送信元は 192.168.0.11（node1）、
      宛先は 192.168.0.12（node2）、UDP の宛先ポートは flannel が使う 8472 です。node2 のカーネルは UDP 8472 を自分の flannel.1 に渡し、
      flannel.1 がカプセル化を解きます。内側のパケットは 10.244.1.2 → 10.244.2.3 のままです。記事ではこのデバイスを flannel0 と
      呼んでいますが、これは flannel の古い UDP バックエンドでの名前です。
  mistakes:
    - note: the bridge does not encapsulate
      commands: []
      answers: { wrapper: cbr0, port: "8472", outer-src: 192.168.0.11 }
    - note: the outer source is the node, not the pod
      commands: []
      answers: { wrapper: flannel.1, port: "8472", outer-src: 10.244.1.2 }
    - note: the standard VXLAN port is not flannel's
      commands: []
      answers: { wrapper: flannel.1, port: "4789", outer-src: 192.168.0.11 }
`
