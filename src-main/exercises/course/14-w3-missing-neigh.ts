// Walkthrough 3: node1 lost flanneld's permanent neighbour entry for node2's flannel.1 address.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-missing-neigh
  title:
    en: An ARP request into the tunnel
    ja: トンネルへ送られる ARP 要求
  summary:
    en: node1 tries to ARP across the overlay, which flannel never lets happen. Restore the entry that makes ARP unnecessary.
    ja: node1 はオーバーレイ越しに ARP を試みますが、flannel ではそれは起こらないはずです。ARP を不要にするエントリを元に戻します。
  topic: walkthrough-3
  level: intermediate
  minutes: 15
spec:
  start:
    scenario: flannel-vxlan
    break:
      - ip -n node1 neigh del 10.244.2.0 dev flannel.1
  task:
    en: >-
      In this flannel VXLAN cluster, node1's pods cannot reach pods on node2. node1's route for 10.244.2.0/24
      is in place. Find out what node1 is missing and restore it as flanneld programs it.
    ja: >-
      この flannel VXLAN クラスターでは、node1 の Pod から node2 の Pod に届きません。node1 の 10.244.2.0/24 への経路はそろっています。
      node1 に何が欠けているかを見つけ、flanneld が設定するとおりに戻してください。
  goals:
    - id: reach
      text: { en: pod1 reaches pod4, ja: pod1 から pod4 に届く }
      deliver: { from: pod1, to: pod4 }
    - id: reach-pod3
      text: { en: pod2 reaches pod3, ja: pod2 から pod3 に届く }
      deliver: { from: pod2, to: pod3 }
    - id: neigh
      text:
        en: node1 has a permanent neighbour entry for 10.244.2.0 with node2's VTEP MAC 02:3d:6c:ea:63:68
        ja: node1 に、10.244.2.0 を node2 の VTEP の MAC 02:3d:6c:ea:63:68 に対応付ける永続的なネイバーエントリがある
      neighbour: { netns: node1, ip: 10.244.2.0, lladdr: 02:3d:6c:ea:63:68, dev: flannel.1, permanent: true }
  hints:
    - en: Trace pod1 → pod4. node1 forwards the packet to flannel.1 and then needs a MAC address for its next hop. What does it do?
      ja: pod1 → pod4 をトレースしてください。node1 はパケットを flannel.1 へ転送し、次にネクストホップの MAC アドレスを必要とします。そこで何をしていますか？
    - en: Compare ip neigh show dev flannel.1 in node1 and in node2.
      ja: node1 と node2 で ip neigh show dev flannel.1 を比べてください。
    - en: node2's VTEP MAC is the address of flannel.1 in node2 (ip link show flannel.1 there), or the MAC in node1's FDB for flannel.1.
      ja: node2 の VTEP の MAC は node2 の flannel.1 のアドレス（node2 で ip link show flannel.1）で、node1 の flannel.1 の FDB にも載っています。
    - en: ip neigh add IP lladdr MAC dev flannel.1 nud permanent adds the entry.
      ja: ip neigh add IP lladdr MAC dev flannel.1 nud permanent でエントリを追加できます。
  solution:
    commands:
      - ip -n node1 neigh add 10.244.2.0 lladdr 02:3d:6c:ea:63:68 dev flannel.1 nud permanent
  explanation:
    en: >-
      node1's route sends node2's pods via 10.244.2.0 dev flannel.1 onlink, so the kernel needs the MAC of
      10.244.2.0 on flannel.1. flanneld never lets ARP ask for it: it writes a permanent neighbour entry with the
      remote VTEP MAC. Without it, node1 broadcast an ARP request on flannel.1; a broadcast has no FDB entry on a
      flannel.1 created with nolearning and no default destination, so the request was dropped, the neighbour
      entry failed and the packet with it. With the permanent entry back, the frame gets node2's VTEP MAC and the
      FDB sends it to 192.168.0.12. node2's eth0 MAC would be the wrong address: it is not a VTEP in the FDB.
    ja: >-
      node1 の経路は node2 の Pod を 10.244.2.0 dev flannel.1 onlink で送るので、カーネルは flannel.1 上の 10.244.2.0 の MAC を必要とします。
      flanneld はこれを ARP で尋ねさせません。リモートの VTEP の MAC を持つ永続的なネイバーエントリを書き込みます。それがないと、
      node1 は flannel.1 で ARP 要求をブロードキャストします。nolearning でデフォルトの送り先もなく作られた flannel.1 には
      ブロードキャスト用の FDB エントリがないので、要求は破棄され、ネイバーエントリは失敗し、パケットも一緒に失われました。
      永続的なエントリを戻すと、フレームに node2 の VTEP の MAC が付き、FDB がそれを 192.168.0.12 へ送ります。node2 の eth0 の MAC は
      FDB にある VTEP ではないので、正しいアドレスではありません。
  mistakes:
    - note: node2's eth0 MAC instead of its VTEP MAC
      commands:
        - ip -n node1 neigh add 10.244.2.0 lladdr 02:33:2b:8f:47:ca dev flannel.1 nud permanent
    - note: node1's own flannel.1 MAC
      commands:
        - ip -n node1 neigh add 10.244.2.0 lladdr 02:c9:3f:18:e2:25 dev flannel.1 nud permanent
`
