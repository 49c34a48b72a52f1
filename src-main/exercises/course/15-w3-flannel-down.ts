// Walkthrough 3: flannel.1 went down on node2, and Linux removed what depended on it.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-flannel-down
  title:
    en: flannel.1 went down for a moment
    ja: flannel.1 が一瞬ダウンした
  summary:
    en: Bringing a device back up does not bring back everything Linux removed when it went down. Rebuild node2's side of the overlay.
    ja: デバイスをアップに戻しても、ダウンしたときに Linux が削除したものまでは戻りません。node2 側のオーバーレイを組み直します。
  topic: walkthrough-3
  level: advanced
  minutes: 20
spec:
  start:
    scenario: flannel-vxlan
    break:
      - ip -n node2 link set flannel.1 down
  task:
    en: >-
      Someone took flannel.1 down on node2 for a moment. Since then pods on the two nodes cannot reach each
      other. Bring node2's part of the overlay back to what flanneld programs, including whatever Linux removed
      when the device went down. flanneld is not watching: it only reacts when a node joins or leaves.
    ja: >-
      誰かが node2 の flannel.1 を一瞬ダウンさせました。それ以来、2 つのノードの Pod が互いに届きません。Linux がデバイスのダウン時に
      削除したものも含めて、node2 のオーバーレイを flanneld が設定する状態に戻してください。flanneld は見張っていません。ノードが
      加わったり離れたりしたときにしか反応しないからです。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: back
      text: { en: pod4 reaches pod1, ja: pod4 から pod1 に届く }
      deliver: { from: pod4, to: pod1 }
    - id: up
      text: { en: flannel.1 on node2 is up, ja: node2 の flannel.1 がアップしている }
      link: { netns: node2, dev: flannel.1, up: true }
    - id: route
      text:
        en: node2 routes 10.244.1.0/24 via 10.244.1.0 dev flannel.1
        ja: node2 が 10.244.1.0/24 を 10.244.1.0 dev flannel.1 で転送する
      route: { netns: node2, dst: 10.244.1.0/24, via: 10.244.1.0, dev: flannel.1 }
    - id: neigh
      text:
        en: node2 has its permanent neighbour entry for 10.244.1.0 (node1's VTEP MAC 02:c9:3f:18:e2:25)
        ja: node2 に 10.244.1.0 の永続的なネイバーエントリ（node1 の VTEP の MAC 02:c9:3f:18:e2:25）がある
      neighbour: { netns: node2, ip: 10.244.1.0, lladdr: 02:c9:3f:18:e2:25, dev: flannel.1, permanent: true }
  hints:
    - en: Trace pod1 → pod4. node1 still sends the tunnel packet; what happens to it when it reaches node2?
      ja: pod1 → pod4 をトレースしてください。node1 はまだトンネルのパケットを送っています。それが node2 に届いたとき何が起きていますか？
    - en: After you bring flannel.1 up, compare ip route and ip neigh show dev flannel.1 in node2 with the same commands in node1.
      ja: flannel.1 をアップにしたら、node2 の ip route と ip neigh show dev flannel.1 を node1 の同じコマンドの結果と比べてください。
    - en: When a device goes down, Linux deletes the routes through it and flushes its neighbour entries, permanent ones included. The FDB entries of a VXLAN device that were added as permanent stay.
      ja: デバイスがダウンすると、Linux はそのデバイスを通る経路を削除し、永続的なものも含めてネイバーエントリを消去します。VXLAN デバイスの FDB エントリのうち permanent で追加されたものは残ります。
    - en: The entries to restore on node2 mirror node1's for node2, with node1's values (10.244.1.0, its VTEP MAC from node2's FDB).
      ja: node2 に戻すエントリは、node1 が node2 のために持っているものと対になり、値は node1 のもの（10.244.1.0 と、node2 の FDB にある node1 の VTEP の MAC）です。
  solution:
    commands:
      - ip -n node2 link set flannel.1 up
      - ip -n node2 neigh add 10.244.1.0 lladdr 02:c9:3f:18:e2:25 dev flannel.1 nud permanent
      - ip -n node2 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
  explanation:
    en: >-
      With flannel.1 down on node2, its UDP socket on port 8472 was closed: node1's tunnel packets reached node2's
      eth0 and found nothing listening, so node2 answered ICMP Port Unreachable and the inner packet was lost.
      Taking the device down also made Linux delete the route through it (10.244.1.0/24 via 10.244.1.0 dev flannel.1
      onlink) and flush its neighbour entries, the permanent one flanneld had written included; only the
      permanent FDB entry survived. Bringing the device up reopens the socket but restores neither, so node2 had
      no way back to node1's pods until the neighbour and the route were added again, which flanneld would only
      do when it restarts or a lease changes.
    ja: >-
      node2 の flannel.1 がダウンしている間は UDP ポート 8472 のソケットが閉じていました。node1 のトンネルのパケットは node2 の eth0 に
      届いても待ち受けるものがなく、node2 は ICMP Port Unreachable を返し、内側のパケットは失われました。さらにデバイスのダウンに
      よって、Linux はそのデバイスを通る経路（10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink）を削除し、flanneld が書き込んだ永続的な
      ものも含めてネイバーエントリを消去しました。残ったのは permanent の FDB エントリだけです。デバイスをアップにするとソケットは
      開き直されますが、経路もネイバーエントリも戻らないため、それらを追加し直すまで node2 から node1 の Pod へ戻る道がありません
      でした。flanneld がそれを行うのは、再起動したときかリースが変わったときだけです。
  mistakes:
    - note: up alone does not restore what Linux removed
      commands:
        - ip -n node2 link set flannel.1 up
    - note: the route without the neighbour entry
      commands:
        - ip -n node2 link set flannel.1 up
        - ip -n node2 route add 10.244.1.0/24 via 10.244.1.0 dev flannel.1 onlink
`
