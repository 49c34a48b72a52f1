import { buildEn } from './build.ts'
import { labfileEn } from './labfile.ts'
import { requestEn } from './request.ts'

/**
 * English explanations for trace message keys (shared/trace.ts `msg`): one present-tense sentence
 * saying what happened and why, in Linux terms. `{name}` is filled from the event's params.
 * Parameters that can be empty (`via`, root-namespace names) are deliberately left out of templates.
 */
export const en = {
  // A process hands a packet to its namespace's stack.
  'send.echo_request': 'ping sends ICMP echo request #{seq} from {src} to {dst} and hands it to the IPv4 stack for a FIB lookup',
  'send.udp': 'A process sends a UDP datagram from {src}:{sport} to {dst}:{dport} and hands it to the IPv4 stack for a FIB lookup',

  // FIB (routing table) decisions.
  'route.output': 'The FIB lookup for {dst} selects a route out of {out} and picks {src} as the source address',
  'route.output_none': 'The FIB has no route to {dst} ({errno}), so the sending process gets an error at once and nothing is sent',
  'route.output_local': 'The FIB lookup finds {dst} in the local table (it is one of this namespace\'s own addresses), so the packet loops back through lo instead of leaving on a wire',
  'route.input_local': 'The FIB lookup for {dst}, received on {dev}, hits the local table: the address belongs to this namespace, so the packet is delivered up the stack',
  'route.input_broadcast': 'The packet to {dst} on {dev} is a broadcast or multicast, so it is delivered to this namespace\'s own stack instead of being forwarded',
  'route.input_forward': 'The FIB lookup for {dst}, received on {dev}, matches a route out of {out}; the address is not local and forwarding is on, so the packet is routed onward',
  'route.input_none': 'The FIB has no usable route to {dst} for the packet received on {dev} ({errno}), so it cannot be forwarded',
  'route.not_forwarding': '{dst} is not a local address and forwarding is off on {dev} (net.ipv4.ip_forward = 0), so this namespace acts as a host and does not route the packet onward',
  'route.redirected': 'An ICMP redirect arrives on {dev} and is accepted: packets to {dst} now go via {via} directly (a nexthop exception, shown by `ip route get` as cache <redirected>)',

  // Neighbour (ARP) table.
  'neigh.hit': 'The neighbour (ARP) table maps {ip} to {mac} on {dev} (state {state}), so the frame goes straight to that MAC without ARP',
  'neigh.miss': 'The neighbour (ARP) table has no usable MAC for next hop {ip} on {dev}, so the packet waits in a queue while the kernel resolves it with ARP',
  'neigh.failed': 'ARP for {ip} on {dev} gets no reply after all retries, so the neighbour entry becomes FAILED and the queued packet is discarded with ICMP Host Unreachable to its sender',

  // ARP packets.
  'arp.request': '{dev} ({mac}) broadcasts an ARP request "who has {ip}? tell {src}" to learn the next hop\'s MAC address',
  'arp.probe': '{dev} ({mac}) sends a unicast ARP request for {ip} (tell {src}) to confirm that a neighbour entry that is no longer fresh is still valid',
  'arp.request_for_us': '{dev} receives an ARP request from {asker} for its own address {ip}, records the asker\'s MAC in the neighbour table and replies',
  'arp.request_not_for_us': '{dev} receives an ARP request from {asker} for {ip}, which is not an address of this namespace, so it does not reply',
  'arp.reply_received': '{dev} receives an ARP reply saying {ip} is at {mac}, updates the neighbour table and sends the packets that were waiting for it',
  'arp.reply': '{dev} answers {to} with an ARP reply: {ip} is at {mac}',

  // Frames crossing devices.
  'xmit.veth': '{dev} sends the frame into its veth pair, a virtual cable whose other end {peer} (often in another network namespace) receives it at once',
  'xmit.bridge': 'Bridge {dev} sends a frame from its own IP stack out through its ports',
  'xmit.vxlan': 'The VXLAN device {dev} takes the frame and looks up its destination MAC in the VXLAN FDB to find which remote node to tunnel it to',
  'recv.frame': '{dev} receives the frame and passes it on: to its bridge if it is a bridge port, otherwise to the namespace\'s IP stack',

  // Linux bridge (cbr0): FDB learning, forwarding, flooding.
  'bridge.learn': 'Bridge {bridge} learns that {mac} is behind port {port} and records it in its FDB',
  'bridge.moved': 'Bridge {bridge} now sees {mac} behind port {port} and updates its FDB entry, because the MAC moved to another port',
  'bridge.forward': 'Bridge {bridge} finds {mac} in its FDB behind port {port} and forwards the frame out of that port only',
  'bridge.flood_broadcast': 'Bridge {bridge} floods the broadcast/multicast frame for {mac} out of every other port ({ports})',
  'bridge.flood_unknown': 'Bridge {bridge} has no FDB entry for {mac} yet, so it floods the frame out of every other port ({ports})',
  'bridge.local': 'Bridge {bridge} passes the frame that came in on {port} up to its own IP stack, because it is for the bridge\'s own MAC or is a broadcast',

  // IP forwarding.
  'forward.ttl': 'The router forwards the packet from {src} to {dst} from {in} to {out} and decrements its TTL to {ttl}',

  // Local delivery.
  'deliver.echo_request': 'ICMP echo request #{seq} from {from} to {to} reaches this namespace\'s ICMP handler, which answers it with an echo reply',
  'deliver.echo_reply': 'Echo reply #{seq} from {from} reaches the ping socket (id {ident}), completing the round trip',
  'deliver.icmp_error': 'An ICMP error (type {type}, code {code}) from {from} about a packet sent to {about} arrives, and the kernel hands it to the socket that sent that packet',
  'deliver.udp': 'The UDP datagram from {from} to {to}:{port} is delivered to the socket bound to port {port}',
  'deliver.udp_no_socket': 'No socket listens on UDP port {port} at {to}, so the datagram is discarded and the kernel answers with ICMP Port Unreachable (except for broadcasts)',

  // ICMP messages the kernel generates.
  'icmp.echo_reply': 'The kernel sends ICMP echo reply #{seq} from {from} back to {to}',
  'icmp.net_unreachable': '{from} sends ICMP Destination Net Unreachable to {to} because it has no route to the destination',
  'icmp.host_unreachable': '{from} sends ICMP Destination Host Unreachable to {to} because ARP for the next hop failed or an unreachable route matched',
  'icmp.port_unreachable': '{from} sends ICMP Port Unreachable to {to} because nothing listens on the destination UDP port',
  'icmp.protocol_unreachable': '{from} sends ICMP Protocol Unreachable to {to} because this stack does not handle the packet\'s IP protocol',
  'icmp.frag_needed': '{from} sends ICMP Fragmentation Needed (next-hop MTU {mtu}) to {to} because the packet is too big for the next link and has the Don\'t Fragment bit set',
  'icmp.time_exceeded': '{from} sends ICMP Time Exceeded to {to} because the packet\'s TTL ran out on the way',
  'icmp.redirect': '{from} sends an ICMP Redirect to {to} telling it to use {gateway} directly, because the packet leaves by the same interface it came in on',
  'icmp.unreachable': '{from} sends ICMP Destination Unreachable to {to}, for example because a prohibit route forbids the destination',
  'icmp.rate_limited': 'The ICMP error (type {type}, code {code}) to {to} is suppressed by the kernel\'s ICMP rate limit, so the sender gets no error this time',

  // VXLAN (flannel.1).
  'encap.vxlan': '{dev} wraps the frame for {mac} in a VXLAN header (VNI {vni}) inside UDP {src}:{sport} to {dst}:{dport}, so the node network carries it to the node that owns that MAC',
  'decap.vxlan': '{dev} receives a VXLAN packet with VNI {vni} from {from}, strips the outer IP/UDP/VXLAN headers and passes the inner Ethernet frame on as if it arrived on {dev}',

  // Drops: the reason, in the kernel's terms.
  'drop.no_carrier': 'Dropped: {dev} has no carrier (it or its veth peer is down, or the peer is gone), so the frame cannot leave',
  'drop.veth_mtu': 'Dropped: the {len}-byte packet is larger than the MTU {mtu} of the receiving veth end {dev}',
  'drop.device_down': 'Dropped: {dev} is administratively down (ip link set {dev} down), so it neither sends nor receives',
  'drop.lo_down': 'Dropped: the loopback device {dev} is down, so packets to this namespace\'s own addresses cannot be delivered',
  'drop.bridge_port_disabled': 'Dropped: port {dev} of bridge {bridge} is not forwarding, because the port or the bridge is down or has no carrier',
  'drop.bridge_bad_src': 'Dropped: bridge {bridge} rejects a frame whose source MAC {mac} is multicast or all zeros, since no real port can own that address',
  'drop.bridge_same_port': 'Dropped: bridge {bridge}\'s FDB says {mac} is behind {dev}, the port the frame came in on, so the bridge does not send it back out',
  'drop.bridge_to_self': 'Dropped: bridge {bridge} is asked to send a frame to its own MAC address, so there is no port to send it out of',
  'drop.bridge_mtu': 'Dropped: the {len}-byte packet is larger than the MTU {mtu} of bridge port {dev}',
  'drop.bridge_storm': 'Dropped: the frame came back to bridge {bridge} on {dev} after going round a loop of bridges {passes} times. Bridges joined in a loop without STP flood a broadcast round it forever (a broadcast storm, on Linux too), so the lab stops it here',
  'drop.not_for_us': 'Dropped: the frame received on {dev} is addressed to another host\'s MAC, so this stack ignores it',
  'drop.ip_malformed': 'Dropped: the IPv4 header received on {dev} is invalid ({reason})',
  'drop.martian_source': 'Dropped: martian source; the packet from {src} to {dst} on {dev} has a source address that cannot be valid there (multicast, 0.0.0.0, loopback or one of our own addresses)',
  'drop.martian_destination': 'Dropped: martian destination; {dst} (from {src} on {dev}) is not a valid destination here, such as 0.0.0.0 or a loopback address arriving from outside',
  'drop.not_forwarding': 'Dropped: {dst} is not a local address and forwarding is off on {dev} (net.ipv4.ip_forward = 0), so the packet is discarded silently',
  'drop.no_route': 'Dropped: the FIB has no route to {dst} for the packet received on {dev}, so the router answers the sender with ICMP Destination Net Unreachable',
  'drop.unreachable_route': 'Dropped: the packet to {dst} received on {dev} matches an unreachable or prohibit route, so the sender gets ICMP Destination Unreachable',
  'drop.blackhole': 'Dropped: a blackhole route matches {dst}, so the packet is discarded silently, without any ICMP error',
  'drop.forward_not_host': 'Dropped: the frame on {dev} was not sent to this host\'s MAC (it is a broadcast, a multicast or for another host), and Linux only forwards packets sent to its own MAC',
  'drop.ttl_exceeded': 'Dropped: the packet to {dst} arrives with TTL {ttl}, which forwarding would bring to 0, so the router sends ICMP Time Exceeded to the source',
  'drop.frag_needed': 'Dropped: the {len}-byte packet to {dst} does not fit the MTU {mtu} of {dev} and has Don\'t Fragment set, so the router sends ICMP Fragmentation Needed',
  'drop.too_big': 'Dropped: the {len}-byte packet is larger than the MTU {mtu} of {dev} and has Don\'t Fragment set, so it cannot be sent',
  'drop.neigh_queue_full': 'Dropped: too many packets are waiting for ARP to resolve {ip}, so the oldest queued packet is discarded (unres_qlen_bytes)',
  'drop.arp_malformed': 'Dropped: the ARP packet received on {dev} is malformed',
  'drop.arp_martian': 'Dropped: the ARP packet for target {ip} involves a multicast or loopback address, which ARP never resolves',
  'drop.arp_unsolicited': 'Dropped: {dev} receives an ARP reply from {ip} that nobody asked for, and Linux does not create neighbour entries from unsolicited replies (arp_accept = 0)',
  'drop.icmp_malformed': 'Dropped: the ICMP message received on {dev} is malformed',
  'drop.udp_malformed': 'Dropped: the UDP datagram received on {dev} is malformed',
  'drop.icmp_no_route_back': 'Dropped: the FIB has no route back to {to}, so the kernel cannot send its ICMP reply or error',
  'drop.vxlan_unknown_vni': 'Dropped: a VXLAN packet arrives on UDP port {port}, but no VXLAN device that is up has its VNI',
  'drop.vxlan_no_fdb': 'Dropped: {dev} has no VXLAN FDB entry for {mac} (and no all-zeros default entry), so it does not know which remote VTEP to tunnel the frame to',
  'drop.vxlan_no_remote': 'Dropped: the VXLAN FDB entry on {dev} has no remote IP (dst 0.0.0.0), so the encapsulated packet has nowhere to go',
  'drop.vxlan_no_route': 'Dropped: {dev} cannot encapsulate the frame because the FIB has no route to the remote VTEP {remote}',
  'drop.vxlan_loop': 'Dropped: the route to the remote VTEP goes out through {dev} itself, which would loop the packet',
  'drop.vxlan_bad_header': 'Dropped: the VXLAN packet for {dev} has an invalid VXLAN header or a truncated inner frame',
  'drop.vxlan_own_source': 'Dropped: the decapsulated frame on {dev} has {dev}\'s own MAC as its source, so it is our own traffic looping back',

  // Control plane: flanneld, IPAM and CNI programming the kernel (Kubernetes layer).
  'control.flannel_lease': 'flanneld on {node} holds the lease for pod subnet {subnet} and advertises {publicIp} as the VTEP address other nodes tunnel to',
  'control.flannel_route': 'flanneld on {node} adds the route {route}, which sends traffic for another node\'s pod subnet toward that node (through flannel.1 with the VXLAN backend, straight to the node with host-gw)',
  'control.flannel_neigh': 'flanneld on {node} adds the permanent ARP entry {entry}, so the remote flannel.1 address resolves without ARP across the tunnel',
  'control.flannel_fdb': 'flanneld on {node} adds the VXLAN FDB entry {entry}, telling flannel.1 which node IP to send frames for that remote VTEP MAC to',
  'control.flannel_error': 'flanneld on {node} fails to program the kernel for subnet {subnet}: {error}',
  'control.flannel_remove': 'flanneld on {node} removes the route, ARP and FDB entries for subnet {subnet}, because that node\'s lease is gone',
  'control.ipam_assign': 'The host-local IPAM plugin on {node} assigns {ip} to pod {pod} from the node\'s pod CIDR',
  'control.cni_add': 'The bridge CNI plugin on {node} creates a veth pair for pod {pod}: eth0 inside the pod\'s network namespace and {veth} in the root namespace, attached to cbr0',
  'control.route_added': 'The route {route} is added to the routing table of {netns}',
  'control.route_failed': 'Adding the route {route} to {netns} fails: {error}',
  'control.route_limit': 'The cloud route table is full ({limit} routes), so no route is added for node {node}\'s pod subnet and other nodes cannot reach its pods',
  'control.route_removed': 'The route {route} is removed from the routing table of {netns}',
  'control.mode_changed': 'The cluster moves from {from} to {to}: what the old mode programmed between nodes is removed, and the new mode programs every node',
  'control.flannel_stop': 'flanneld on {node} stops and removes what its {backend} backend programmed',

  // Steps of the CLI's numbered walkthrough.
  'step.leave_pod': 'The packet leaves pod {pod} through {dev} and comes out of its veth peer {peer} in the node\'s root namespace',
  'step.enter_root': 'The packet enters the root network namespace of node {node} on {dev}',
  'step.cross_node': 'The packet travels from node {from} to node {to} across the node network (the underlay)',
  'step.deliver_pod': 'The packet reaches pod {pod}, whose kernel delivers it to the local stack',
  'step.verdict_delivered': 'Result: the packet from {from} reaches {to}',
  'step.verdict_dropped': 'Result: the packet never arrives — {reason}',
  'step.verdict_count': 'Result: {ok} of {n} packets from {from} reach {to}',
  'step.number': 'Step {n}:',
  'step.header': 'Trace {from} → {to}, {proto}',
  'step.entry': '↳ decided by: {entry}',
  'step.veth': 'The frame crosses the veth pair from {fromDev} in {fromNs} to its peer {toDev} in {toNs}',
  'step.section_reply': '— The reply —',
  'step.section_error': '— The ICMP error sent back —',
  'step.no_answer': 'no answer came back before the timeout',

  // Where the article the walkthrough follows simplifies Linux.
  'note.article_simplifies_arp': 'Note: the article says the bridge does the ARP, but in Linux the sending pod\'s kernel sends the ARP request, and the bridge only floods that broadcast to its ports and learns source MACs into its FDB',
  'note.article_flannel0': 'Note: the article\'s flannel0 belongs to flannel\'s older UDP backend (a TUN device); with the VXLAN backend the device is the kernel VXLAN interface flannel.1, named after its VNI 1',

  // Why a change asked for on the canvas or in a panel is refused (ApiError.msg); the lab is unchanged.
  'edit.no_cluster': 'This lab has no Kubernetes cluster; build it with commands in the terminal',
  'edit.name_invalid': '"{name}" cannot be a name: use lowercase letters, digits and "-", 1 to 15 characters, starting and ending with a letter or a digit',
  'edit.name_taken': 'There is already a namespace named "{name}" in this lab',
  'edit.no_namespace': 'There is no namespace named "{name}" in this lab',
  'edit.no_node': 'There is no node named "{name}" in this lab',
  'edit.wire_switches': '{a} and {b} are both switches: join two switches through a router',
  'edit.wire_routers': '{a} and {b} are both routers: join two routers through a switch',
  'edit.wire_pod': '{pod} is a pod: the CNI plugin wires a pod to its node\'s bridge; drop the pod into a node instead',
  'edit.wire_kinds': '{a} and {b} cannot be wired together: wire a node to a switch or to a router, or a router to a switch',
  'edit.already_wired': '{name} is already wired to {to}; delete that link first',
  'edit.router_on_switch': '{router} is already on {switch}',
  'edit.not_wired': '{a} and {b} are not wired to each other',
  'edit.pod_same_node': '{pod} already runs on {node}',
  'edit.mode_same': 'The cluster already uses this mode',
  'edit.no_pod': 'There is no pod named "{name}" in this lab',
  'edit.no_device': '{netns} has no device named {device}',
  'edit.device_taken': '{netns} already has a device named {device}: choose another name',

  // ICMP errors by type and code, as a verdict names them (in English as iputils' ping prints them).
  'icmp_name.3_0': 'Destination Net Unreachable',
  'icmp_name.3_1': 'Destination Host Unreachable',
  'icmp_name.3_2': 'Destination Protocol Unreachable',
  'icmp_name.3_3': 'Destination Port Unreachable',
  'icmp_name.3_4': 'Frag needed and DF set (mtu = {mtu})',
  'icmp_name.3': 'Destination Unreachable (code {code})',
  'icmp_name.11_0': 'Time to live exceeded',
  'icmp_name.11': 'Time exceeded (code {code})',
  'icmp_name.5': 'Redirect (code {code}, new next hop {gateway})',

  // A trace or comparison asked for something the lab does not have.
  'request.no_such_ns': 'no pod or namespace named "{name}"',
  'request.no_address': '"{name}" has no IPv4 address to send to',
  'request.count_range': 'count must be between 1 and {max}, not {count}',

  // podnet compare: the same probe in two labs side by side.
  'compare.title': 'Compare {from} → {to}, {proto}',
  'compare.result': 'Result',
  'compare.mtu': 'Path MTU (largest DF)',
  'compare.mtu_set_by': 'MTU set by',
  'compare.wire': 'Largest frame on a wire',
  'compare.bytes': '{n} bytes',
  'compare.devices': 'Devices crossed',
  'compare.tables': 'Table entries consulted',
  'compare.hops': 'The request, hop by hop (bytes of the packet there):',

  // What is wrong in a lab file, and where (labfile.ts).
  ...labfileEn,

  // Why a lab cannot be built, and where (build.ts).
  ...buildEn,

  // Why a request to the handler table is refused (request.ts).
  ...requestEn,
} as const satisfies Record<string, string>
