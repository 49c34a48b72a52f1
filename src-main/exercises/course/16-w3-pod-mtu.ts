// MTU: pods created with 1500 bytes on a 1450-byte VXLAN overlay.
export default `apiVersion: podnet.dev/v1
kind: Exercise
metadata:
  id: w3-pod-mtu
  title:
    en: Big packets into a small tunnel
    ja: 小さなトンネルに大きなパケット
  summary:
    en: The pods think their link carries 1500 bytes, the overlay carries 1450. Find where large packets die and give the pods the right MTU.
    ja: Pod はリンクが 1500 バイト運べると思っていますが、オーバーレイが運べるのは 1450 バイトです。大きなパケットがどこで失われるかを見つけ、Pod に正しい MTU を設定します。
  topic: mtu
  level: intermediate
  minutes: 15
spec:
  start:
    lab:
      cluster:
        mode: flannel-vxlan
        clusterCidr: 10.244.0.0/16
        underlay: { kind: switch, cidr: 192.168.0.0/24 }
        nodes:
          - name: node1
            pods: [{ name: pod1, mtu: 1500 }, { name: pod2, mtu: 1500 }]
          - name: node2
            pods: [{ name: pod3, mtu: 1500 }, { name: pod4, mtu: 1500 }]
  task:
    en: >-
      The CNI configuration of this flannel VXLAN cluster hard-codes an MTU of 1500 for pods. Small pings between
      nodes work, but ping -M do -s 1472 from pod1 to pod4 (a 1500-byte packet that must not be fragmented)
      fails with Frag needed, and an application whose network drops such ICMP messages would simply hang.
      Give the pods the MTU flannel hands out for VXLAN, so that a pod never sends a packet the overlay cannot
      carry, on both ends of each pod's veth pair.
    ja: >-
      この flannel VXLAN クラスターの CNI 設定では、Pod の MTU が 1500 に固定されています。ノード間の小さな ping は通りますが、
      pod1 から pod4 への ping -M do -s 1472（断片化してはいけない 1500 バイトのパケット）は Frag needed で失敗し、その ICMP メッセージを
      落とすネットワークではアプリケーションがただ止まってしまいます。flannel が VXLAN で配る MTU を Pod に設定して、Pod が
      オーバーレイで運べないパケットを送らないようにしてください。各 Pod の veth ペアの両端に設定します。
  goals:
    - id: fits
      text:
        en: A 1450-byte packet with DF set (ping -M do -s 1422) from pod1 reaches pod4
        ja: DF 付きの 1450 バイトのパケット（ping -M do -s 1422）が pod1 から pod4 に届く
      deliver: { from: pod1, to: pod4, size: 1422, df: true }
    - id: refused-early
      text:
        en: pod1 itself refuses a 1500-byte packet with DF set instead of handing it to node1
        ja: DF 付きの 1500 バイトのパケットは、node1 に渡る前に pod1 自身が拒否する
      deliver: { from: pod1, to: pod4, size: 1472, df: true, expect: dropped, at: pod1, reason: too_big }
    - id: pod1
      text: { en: pod1's eth0 has MTU 1450, ja: pod1 の eth0 の MTU が 1450 である }
      link: { netns: pod1, dev: eth0, mtu: 1450 }
    - id: pod2
      text: { en: pod2's eth0 has MTU 1450, ja: pod2 の eth0 の MTU が 1450 である }
      link: { netns: pod2, dev: eth0, mtu: 1450 }
    - id: pod3
      text: { en: pod3's eth0 has MTU 1450, ja: pod3 の eth0 の MTU が 1450 である }
      link: { netns: pod3, dev: eth0, mtu: 1450 }
    - id: pod4
      text: { en: pod4's eth0 has MTU 1450, ja: pod4 の eth0 の MTU が 1450 である }
      link: { netns: pod4, dev: eth0, mtu: 1450 }
  constraints:
    - id: keep-pods
      text: { en: No pod is deleted or recreated, ja: Pod を削除・再作成しない }
      keep: { pods: true }
  hints:
    - en: Trace pod1 → pod4 with a large DF packet (podnet trace --size 1472 --df, or ping -M do -s 1472 in pod1). Where is it dropped, and what MTU does that device have?
      ja: DF 付きの大きなパケットで pod1 → pod4 をトレースしてください（podnet trace --size 1472 --df、または pod1 で ping -M do -s 1472）。どこで破棄され、そのデバイスの MTU はいくつですか？
    - en: flannel.1's MTU is 1450 because VXLAN adds 50 bytes of headers to every frame and node eth0 carries 1500. Compare it with ip link show eth0 in each pod.
      ja: VXLAN はフレームごとに 50 バイトのヘッダーを追加し、ノードの eth0 が運べるのは 1500 バイトなので、flannel.1 の MTU は 1450 です。各 Pod の ip link show eth0 と比べてください。
    - en: ip link set eth0 mtu 1450 in each pod, and the same on the pod's veth in its node (the Namespace panel has an MTU field per device).
      ja: 各 Pod で ip link set eth0 mtu 1450 を実行し、ノード側の Pod の veth にも同じ設定をします（名前空間パネルにはデバイスごとの MTU 欄があります）。
  solution:
    commands:
      - ip -n pod1 link set eth0 mtu 1450
      - ip -n pod2 link set eth0 mtu 1450
      - ip -n pod3 link set eth0 mtu 1450
      - ip -n pod4 link set eth0 mtu 1450
      - ip -n node1 link set vethaf9d6e67 mtu 1450
      - ip -n node1 link set vethb09d6ffa mtu 1450
      - ip -n node2 link set vethb19d718d mtu 1450
      - ip -n node2 link set vethaa9d6688 mtu 1450
  explanation:
    en: >-
      VXLAN wraps each frame in 50 bytes of outer Ethernet, IP, UDP and VXLAN headers, so over a 1500-byte node
      network flannel.1 carries at most 1450 bytes, and flannel tells the CNI plugin to give pods that MTU. With
      1500 the pods sent packets that only node1 could find too big for flannel.1: with DF set node1 dropped them
      and sent ICMP Fragmentation Needed (mtu 1450) back. That works only as long as such ICMP gets through;
      where it is filtered, connections stall (a path MTU black hole). With MTU 1450 on the pods, the sender's own
      stack knows the limit: TCP picks a smaller segment size and ping -M do -s 1472 fails at once in pod1
      (message too long, mtu=1450), while 1450-byte packets cross the tunnel.
    ja: >-
      VXLAN は各フレームを外側のイーサネット・IP・UDP・VXLAN の合計 50 バイトのヘッダーで包むので、1500 バイトのノードネットワーク上
      では flannel.1 が運べるのは最大 1450 バイトです。flannel はこの MTU を Pod に設定するよう CNI プラグインに伝えます。1500 の
      ままだと、Pod は flannel.1 には大きすぎるパケットを送り、それに気づけるのは node1 だけでした。DF が付いていれば node1 は
      パケットを破棄し、ICMP Fragmentation Needed（mtu 1450）を返します。これが機能するのはその ICMP が届く間だけで、フィルター
      されている環境では接続が止まってしまいます（経路 MTU のブラックホール）。Pod の MTU を 1450 にすると、送信側のスタック自身が
      上限を知っているので、TCP は小さなセグメントサイズを選び、ping -M do -s 1472 は pod1 で即座に失敗し（message too long,
      mtu=1450）、1450 バイトのパケットはトンネルを通ります。
  mistakes:
    - note: only the pod that was tested
      commands:
        - ip -n pod1 link set eth0 mtu 1450
        - ip -n node1 link set vethaf9d6e67 mtu 1450
    - note: a bigger tunnel than the node network can carry is refused
      commands:
        - ip -n node1 link set flannel.1 mtu 1500
        - ip -n node2 link set flannel.1 mtu 1500
`
