/**
 * The built-in course, in order: walkthrough 1 (pods on one node), walkthrough 2 (routes between
 * nodes), why overlays exist, walkthrough 3 (flannel VXLAN), then MTU and the underlay. Each
 * exercise is its YAML file's text in a TypeScript module, so every build (vitest, the CLI bundle,
 * the desktop main process, the browser's Worker) includes it without a loader; the text goes
 * through the same parser and checks as a teacher's file.
 */
import w1WhoArps from './01-w1-who-arps.ts'
import w1VethDetached from './02-w1-veth-detached.ts'
import w1BridgeDown from './03-w1-bridge-down.ts'
import w2NoDefaultRoute from './04-w2-no-default-route.ts'
import w2MissingRoute from './05-w2-missing-route.ts'
import w2IpForward from './06-w2-ip-forward.ts'
import w2StaleNextHop from './07-w2-stale-next-hop.ts'
import w2Detour from './08-w2-detour.ts'
import w2CloudRouteMissing from './09-w2-cloud-route-missing.ts'
import w2BuildFromEmpty from './10-w2-build-from-empty.ts'
import overlayRouteLimit from './11-overlay-route-limit.ts'
import w3PredictEncap from './12-w3-predict-encap.ts'
import w3MissingFdb from './13-w3-missing-fdb.ts'
import w3MissingNeigh from './14-w3-missing-neigh.ts'
import w3FlannelDown from './15-w3-flannel-down.ts'
import w3PodMtu from './16-w3-pod-mtu.ts'
import w3HostGwRouter from './17-w3-host-gw-router.ts'

export const COURSE: readonly { file: string; text: string }[] = [
  { file: '01-w1-who-arps.yaml', text: w1WhoArps },
  { file: '02-w1-veth-detached.yaml', text: w1VethDetached },
  { file: '03-w1-bridge-down.yaml', text: w1BridgeDown },
  { file: '04-w2-no-default-route.yaml', text: w2NoDefaultRoute },
  { file: '05-w2-missing-route.yaml', text: w2MissingRoute },
  { file: '06-w2-ip-forward.yaml', text: w2IpForward },
  { file: '07-w2-stale-next-hop.yaml', text: w2StaleNextHop },
  { file: '08-w2-detour.yaml', text: w2Detour },
  { file: '09-w2-cloud-route-missing.yaml', text: w2CloudRouteMissing },
  { file: '10-w2-build-from-empty.yaml', text: w2BuildFromEmpty },
  { file: '11-overlay-route-limit.yaml', text: overlayRouteLimit },
  { file: '12-w3-predict-encap.yaml', text: w3PredictEncap },
  { file: '13-w3-missing-fdb.yaml', text: w3MissingFdb },
  { file: '14-w3-missing-neigh.yaml', text: w3MissingNeigh },
  { file: '15-w3-flannel-down.yaml', text: w3FlannelDown },
  { file: '16-w3-pod-mtu.yaml', text: w3PodMtu },
  { file: '17-w3-host-gw-router.yaml', text: w3HostGwRouter },
]
