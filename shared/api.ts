/**
 * The contract between the renderer and the lab: one async method per IPC channel. The Electron
 * preload exposes it as `window.podnet`; the browser build's Worker serves the same handler table.
 * Every payload is plain data (structured-clone safe) and is validated by the handler table.
 */
import type { TraceEventJson } from './trace.ts'
import type { FdbRow, NeighRow, RouteRow } from './rows.ts'
import type { PackedNamespaces } from './netns-pack.ts'

export type { FdbRow, NeighRow, RouteGetRow, RouteRow } from './rows.ts'

export type Lang = 'en' | 'ja'

export interface ScenarioInfo {
  name: string
  title: string
  walkthrough: number
  description: string
  /** The title and description in Japanese (the others are English). */
  ja?: { title: string; description: string }
  defaults: { nodes: number; podsPerNode: number }
  /** The most nodes, pods per node and pods in all a lab of this scenario may have. */
  limits?: { nodes: number; podsPerNode: number; pods: number }
}

export type NsRole = 'node' | 'pod' | 'switch' | 'router' | 'other'

export interface DeviceView {
  name: string
  ifindex: number
  kind: 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'dummy'
  mac: string
  mtu: number
  up: boolean
  /** Carrier (LOWER_UP). */
  carrier: boolean
  operState: string
  /** IPv4 addresses as CIDR strings. */
  addresses: string[]
  master?: string
  /** The other end of a veth pair. */
  peer?: { netns: string; device: string }
}

/**
 * A namespace as the canvas and the lists show it. Its tables (thousands of rows on a node of a
 * big cluster) are not part of it: `PodnetApi.tables` gives them for the namespace a view shows.
 */
export interface NetnsView {
  name: string
  role: NsRole
  /** For a pod: the node it runs on. */
  node?: string
  devices: DeviceView[]
  ipForward: boolean
}

/** The tables of one namespace, as rows (render them with shared/rows.ts to get iproute2's lines). */
export interface NetnsTables {
  netns: string
  /** The simulated time they were read at. */
  timeNs: number
  /** `ip route show` (the main table). */
  routes: RouteRow[]
  /** `ip neigh show`. */
  neighbours: NeighRow[]
  /** `bridge fdb show` of bridges and VXLAN devices (forwarding entries: no devices' own or multicast addresses). */
  fdb: FdbRow[]
}

export interface LinkView {
  id: string
  a: { netns: string; device: string }
  b: { netns: string; device: string }
}

export interface ControlEventView {
  seq: number
  timeNs: number
  actor: string
  text: string
  /** Message key and parameters, so a view can render the text in another language. */
  msg?: string
  params?: Record<string, string | number>
}

/**
 * VXLAN tunnels packed: each tunnel is two indexes into the list of tunnel ends, in two typed
 * arrays (which cross a thread or process boundary without a copy). The ids are not carried: each
 * is the canonical `vxlan:END|END` (ends as `netns/device`, the smaller first; tunnelId).
 */
export interface PackedTunnels {
  /** Each tunnel end: its namespace and device. */
  netns: string[]
  device: string[]
  /** The ends of tunnel i: ends a[i] and b[i] (LinkView's `a` and `b`). */
  a: Uint32Array
  b: Uint32Array
}

export interface Topology {
  mode: string | null
  /** The namespaces as objects: all of a small lab's; empty when they come packed. */
  namespaces: NetnsView[]
  /**
   * A big lab's namespaces (more than PACK_NAMESPACES_ABOVE) as the host's view writes them:
   * packed rows (shared/netns-pack.ts), which the page unpacks into `namespaces` as it receives
   * them (unpackValue); the page never sees this field.
   */
  packedNamespaces?: PackedNamespaces
  links: LinkView[]
  /**
   * VXLAN tunnels as configured (a VXLAN FDB remote that is another namespace's address), each
   * once, as objects: a small lab's (at most PACK_TUNNELS_ABOVE, shared/tunnels.ts).
   */
  tunnels?: LinkView[]
  /**
   * The same tunnels packed: a big lab's (a 1,000-node mesh has half a million). A topology has
   * one form or the other; read them with shared/tunnels.ts (tunnelCount, tunnelsOf, tunnelList),
   * which make objects and ids only for the tunnels asked for.
   */
  packedTunnels?: PackedTunnels
  /** The latest control-plane events (at most EVENT_VIEW_LIMIT), oldest first. */
  events: ControlEventView[]
  /** How many events the lab has logged in all (a 100-node cluster logs tens of thousands). */
  eventCount: number
}

/** How many of the latest control-plane events a LabState carries. */
export const EVENT_VIEW_LIMIT = 500

/** One recorded change of the lab's history. */
export interface HistoryEntry {
  /** The command, as one line a terminal would run. */
  line: string
  /** The simulated time it was applied at (ns); a saved lab replays it at the same time. */
  atNs: number
}

export interface LabState {
  /** Which state this is: a LabDelta applies to the state whose seq is its `base`. */
  seq: number
  name: string
  description?: string
  dirty: boolean
  canUndo: boolean
  canRedo: boolean
  /** The lab's change history, oldest first: only changes (reads and observations are not recorded). */
  history: HistoryEntry[]
  /** Simulated time in nanoseconds. */
  timeNs: number
  topology: Topology
  /** Where the lab was last saved, if anywhere. */
  path?: string
  /** The exercise this lab is an attempt at (its id), when it is one. */
  exercise?: string
  /** Where the user put things on the canvas (absent: the automatic layout). */
  layout?: LabLayout
}

/** A point on the canvas, in canvas (model) units. */
export interface Point {
  x: number
  y: number
}

/**
 * Where the user put things on the canvas (a lab file's `layout` section, docs/lab-format.md), by
 * namespace name. A box (a node, a switch, a router, a namespace) is at the top-left corner of its
 * contents as the automatic layout arranges them; a pod is relative to its node's position. What
 * has no position goes where the automatic layout puts it.
 */
export interface LabLayout {
  positions: Record<string, Point>
}

/**
 * Where what an edit adds goes on the canvas (LabLayout positions, as LayoutChange.set): set with
 * the change when it is made, so an item dropped from the palette stays where it was dropped and
 * is one undo step. Undoing the change leaves the positions (of nothing, then), so a redo finds them.
 */
export interface EditPlacement {
  place?: Record<string, Point>
}

/** A change of the layout: one undo step. `set`: new positions (null: back to automatic); `reset`: all automatic. */
export interface LayoutChange {
  set?: Record<string, Point | null>
  reset?: boolean
}

/**
 * What changed in the lab since the state (or delta) with seq `base`: applied to that state, it
 * gives the state with seq `seq` (applyDelta in shared/delta.ts). Namespaces, links and tunnels
 * are sent whole when they changed and by name or id when they went; the header fields always.
 */
export interface LabDelta {
  base: number
  seq: number
  name: string
  description?: string
  path?: string
  /** The exercise the lab is an attempt at (LabState.exercise). */
  exercise?: string
  /** Set when the layout changed: the new one (null: the automatic layout). */
  layout?: LabLayout | null
  dirty: boolean
  canUndo: boolean
  canRedo: boolean
  timeNs: number
  mode: string | null
  /** The first `keep` entries of the history stay; `append` follows them. */
  history: { keep: number; append: HistoryEntry[] }
  /** Namespaces that went, then namespaces that changed or are new (new ones are appended; the host's goes first). */
  namespaces: { remove: string[]; set: NetnsView[] }
  links: { remove: string[]; set: LinkView[] }
  tunnels: { remove: string[]; set: LinkView[] }
  /**
   * Events logged since (at most EVENT_VIEW_LIMIT), and the new total. `reset`: the log was
   * replayed (an undo rebuilds the lab), so `append` replaces the events the renderer has.
   */
  events: { reset?: boolean; append: ControlEventView[]; count: number }
}

export interface ExecResult {
  exitCode: number
  stdout: string
  stderr: string
  /** What the command changed in the lab's view (time passing, tables, devices, history). */
  delta: LabDelta
  /** What the line asked of the terminal: `bash` enters a shell in a namespace, `exit` leaves one. */
  shell?: ShellRequest
}

export interface TraceStepView {
  n: number
  netns: string
  device?: string
  role: 'request' | 'arp' | 'reply' | 'error' | 'tunnel'
  kind: string
  msg: string
  params: Record<string, string | number>
  text: string
  entry?: string
  timeNs: number
  packet: number
  /** Which probe of the trace the step belongs to (1 unless several were sent). */
  probe?: number
  /** `seq` of the trace event this step shows (for a veth crossing, its transmit). */
  event?: number
  /** `seq` of the event whose `frame` best shows the packet at this step, for the header inspector. */
  frameEvent?: number
}

/** What to send in a trace: the send form. */
export interface TraceRequestView {
  from: string
  to: string
  proto?: 'icmp' | 'udp'
  /** UDP destination and source ports. */
  port?: number
  sport?: number
  /** Payload bytes after the ICMP or UDP header (as ping -s). */
  size?: number
  /** Don't Fragment (as ping -M do). */
  df?: boolean
  /** How many probes, one second apart (1 to 10). */
  count?: number
  warm?: boolean
  lang?: Lang
}

export type ProbeOutcomeKind = 'reply' | 'delivered' | 'error' | 'timeout' | 'local-error'

export interface TraceView {
  id: number
  /** The request as it was sent (a re-run sends it again). */
  request?: TraceRequestView
  from: { name: string; ip: string }
  to: { name: string | null; ip: string }
  proto: 'icmp' | 'udp'
  delivered: boolean
  verdict: string
  /** The verdict in every language (step texts re-render from `msg` and `params`). */
  verdicts?: Record<Lang, string>
  /** How the (first) probe ended. */
  outcome?: ProbeOutcomeKind
  /** How each probe ended, when several were sent. */
  probes?: { probe: number; outcome: ProbeOutcomeKind }[]
  steps: TraceStepView[]
  events: TraceEventJson[]
}

/**
 * One side of a comparison: the open lab as it is (`{}`), the open lab moved to another cluster
 * mode (as `podnet cluster mode` moves it), or another lab file. The page never names a file: the
 * browser build sends the text of a file the user picked; in the desktop app `{ file: 'dialog' }`
 * asks the shell to show its Open dialog and read the file the user chooses there.
 */
export type CompareSourceView = { mode?: 'routes' | 'cloud-routes' | 'flannel-vxlan' | 'flannel-host-gw' } | { text: string; name?: string } | { file: 'dialog' }

/** The same probe sent on two sides (replays: neither the open lab nor a file changes). */
export interface CompareRequestView {
  from: string
  to: string
  proto?: 'icmp' | 'udp'
  port?: number
  sport?: number
  /** Payload bytes of the compared probe (as ping -s; 56 by default). */
  size?: number
  sides: [CompareSourceView, CompareSourceView]
  lang?: Lang
}

/** One step of the request's walk on one side. */
export interface CompareHopView {
  netns: string
  device?: string
  /** The step's kind (`route`, `xmit`, `encap`...; `veth` for a veth crossing). */
  kind: string
  msg: string
  params: Record<string, string | number>
  text: string
  /** The table entry that decided, when one did. */
  entry?: string
  /** Bytes of the packet here: the whole frame on a link, or the IP packet at the IP layer. */
  bytes?: number
  layer?: 'ethernet' | 'ipv4'
}

export interface CompareSideView {
  label: string
  /** The cluster mode of the lab, when it has a cluster. */
  mode: string | null
  delivered: boolean
  verdict: string
  /** The verdict in every language. */
  verdicts: Record<Lang, string>
  hops: CompareHopView[]
  /** Devices the request crosses, in order ("node1 eth0"). */
  devices: string[]
  /** Table entries that decided, in order, with where they are ("node1: 10.244.2.0/24 via ..."). */
  tables: string[]
  /** The largest Ethernet frame the request is carried in. */
  wireBytes: number
  /** The largest IP packet that gets through with DF (payload + 28); null when none does. */
  pathMtu: number | null
  /**
   * The first device on the request's way whose MTU is the path MTU ("pod1 eth0"), with that
   * MTU: what sets it. Absent when no probe passes or no device's MTU matches.
   */
  mtuSetBy?: { device: string; mtu: number }
}

export interface CompareView {
  from: string
  to: string
  proto: 'icmp' | 'udp'
  sides: [CompareSideView, CompareSideView]
  /** The two walks aligned: each row has a hop of either side or both (index into side.hops). */
  rows: [number | null, number | null][]
}

/** Tab completion's answer: the candidates for the word that starts at `from` and ends at the cursor. */
export interface CompletionView {
  from: number
  /** Sorted, each once; every one starts with the word. */
  candidates: string[]
  /** A unique candidate takes no space after it (it is a prefix of longer ones: `net.ipv4.`). */
  noSpace?: boolean
}

/** A change made from a panel or the canvas; the lab turns it into a command line. */
export type Edit =
  | { type: 'addNode'; name: string }
  | { type: 'removeNode'; name: string }
  | { type: 'addPod'; name: string; node: string }
  | { type: 'removePod'; name: string }
  | { type: 'movePod'; name: string; node: string }
  | { type: 'setLink'; netns: string; device: string; up?: boolean; mtu?: number }
  | { type: 'setIpForward'; netns: string; on: boolean }
  | { type: 'addRoute'; netns: string; route: string }
  | { type: 'deleteRoute'; netns: string; route: string }
  /** Moves the cluster to another mode (`podnet cluster mode MODE`): the old mode's programming is removed, the new one's added. */
  | { type: 'setMode'; mode: 'routes' | 'cloud-routes' | 'flannel-vxlan' | 'flannel-host-gw' }
  // Building on the canvas: each is one command of the history, so one undo step.
  /** A node wired to a switch or router (`wire`), to nothing yet (`wire: ''`), or as the scenario wires it (absent). */
  | { type: 'addWiredNode'; name: string; wire: string }
  | { type: 'addSwitch'; name: string; cidr?: string }
  | { type: 'addRouter'; name: string }
  /** Wires a node (or any namespace) to a switch or router, or a router to a switch. */
  | { type: 'connect'; a: string; b: string }
  | { type: 'disconnect'; a: string; b: string }
  /** Deletes nodes (with their pods), pods, switches, routers, other namespaces and links (each by one end: a wire of the underlay is unwired, a veth pair goes whole), all in one change. */
  | { type: 'remove'; names: string[]; links?: { netns: string; device: string }[] }
  /** For advanced users: a plain namespace, a bridge in one, a veth pair between two (as `ip` makes them: down). */
  | { type: 'addNamespace'; name: string }
  | { type: 'addBridge'; netns: string; name: string }
  | { type: 'addVethPair'; a: { netns: string; name: string }; b: { netns: string; name: string } }
  | { type: 'renameDevice'; netns: string; device: string; name: string }
  /** Several pods (a selection dragged on the canvas) moved to one node, all in one change. */
  | { type: 'movePods'; names: string[]; node: string }

// ---- Exercises (docs/exercises.md). Texts come in both languages; the renderer picks one. ----

/** A text in English and Japanese. */
export interface TextView {
  en: string
  ja: string
}

export type ExerciseStatus = 'not-started' | 'in-progress' | 'solved'

/** One exercise of the course list. */
export interface ExerciseSummary {
  id: string
  title: TextView
  summary: TextView
  topic: string
  level: string
  minutes: number
  status: ExerciseStatus
  /** False for a teacher's file opened from disk. */
  builtIn: boolean
}

export interface ExerciseGoalView {
  id: string
  constraint: boolean
  text: TextView
  /** A question to answer in the checklist: with choices, or a short answer. */
  question?: { choices?: { id: string; text: TextView }[] }
  /** The learner's answer so far. */
  answer?: string
}

/** The open exercise, with only what the learner may see yet. */
export interface ExerciseView {
  id: string
  builtIn: boolean
  title: TextView
  summary: TextView
  topic: string
  level: string
  minutes: number
  task: TextView
  goals: ExerciseGoalView[]
  /** Hints revealed so far, in order. */
  hints: TextView[]
  hintCount: number
  /** The reference command lines, once every hint is revealed. */
  solution?: string[]
  /** The answers to the questions, once every hint is revealed. */
  solutionAnswers?: { goal: string; answer: TextView }[]
  /** What was wrong and what Linux did, once solved. */
  explanation?: TextView
  status: ExerciseStatus
}

export interface GoalResultView {
  id: string
  constraint: boolean
  pass: boolean
  /** Why it fails (from the trace or the tables). */
  why?: TextView
}

export interface ExerciseCheckView {
  pass: boolean
  results: GoalResultView[]
}

/** After opening, resetting or answering: the lab and the exercise. */
export interface ExerciseOpened {
  state: LabState
  exercise: ExerciseView
}

export interface PodnetApi {
  listScenarios(): Promise<ScenarioInfo[]>
  newLab(req: { scenario: string; nodes?: number; podsPerNode?: number }): Promise<LabState>
  /**
   * Opens lab file text (the shell reads files; the browser build passes the text); `name` only
   * labels error messages. No request says where a lab is written: the desktop shell saves to the
   * lab's own file or where its Save dialog says.
   */
  openLab(req: { text: string; name?: string }): Promise<LabState>
  /** The whole state; the next deltas apply to it. */
  getState(): Promise<LabState>
  /** What changed since the last state or delta (after a save, or to catch up). */
  getDelta(): Promise<LabDelta>
  /** The tables of one namespace (rows), as they are now. */
  tables(req: { netns: string }): Promise<NetnsTables>
  /** The lab file text; the desktop shell also writes it (atomically) and says where (`path`). */
  saveLab(req?: Record<string, never>): Promise<{ text: string; path?: string; cancelled?: boolean }>
  exec(req: { line: string; netns?: string }): Promise<ExecResult>
  /** Tab completion from the command language and the lab's live state (devices, addresses, ...). */
  complete(req: { line: string; cursor: number; netns?: string }): Promise<CompletionView>
  /** One change; `place`: where what it adds goes on the canvas (kept with it: one undo step). */
  edit(req: Edit & EditPlacement): Promise<ExecResult>
  undo(): Promise<LabDelta>
  redo(): Promise<LabDelta>
  /** Moves things on the canvas (or resets them to the automatic layout): one undo step, and the lab is modified. */
  setLayout(req: LayoutChange): Promise<LabDelta>
  trace(req: TraceRequestView): Promise<TraceView>
  /**
   * The same pod-to-pod probe on two sides (two modes of the open lab, or the open lab and another
   * lab file), side by side. `cancelled`: the user closed the desktop shell's Open dialog.
   */
  compare(req: CompareRequestView): Promise<CompareView | { cancelled: true }>
  exportScript(req: { prefix?: string; teardown?: boolean }): Promise<{ text: string }>
  /**
   * The trace's frames as a capture file: pcapng (default; one interface per device, the trace's
   * words as frame comments in `lang`) or classic pcap. Times count from the lab's epoch.
   * `steps`: one record per numbered step instead (what the inspector shows; pcapng only).
   */
  exportPcap(req: { traceId: number; format?: 'pcapng' | 'pcap'; lang?: Lang; steps?: boolean }): Promise<{ bytes: Uint8Array; name: string }>
  /**
   * Decodes a frame (hex) into layers and fields for the header inspector, from its first layer:
   * an Ethernet frame or a bare IPv4 packet. Names and value words are in `lang`.
   */
  dissect(req: { frame: string; layer?: 'ethernet' | 'ipv4'; lang?: Lang }): Promise<DissectLayer[]>
  /** The course: built-in exercises in order, then teachers' files opened before, with status. */
  listExercises(): Promise<ExerciseSummary[]>
  /**
   * Opens an exercise: a built-in or remembered one by id (continuing its work in progress unless
   * `fresh`), or a teacher's exercise file's text. Replaces the open lab.
   */
  openExercise(req: { id: string; fresh?: boolean } | { text: string; name?: string }): Promise<ExerciseOpened>
  /** The exercise the open lab is an attempt at, or null. */
  exerciseState(): Promise<ExerciseView | null>
  /** Checks the open lab against its exercise (on replayed copies: the lab does not change). */
  checkExercise(): Promise<{ exercise: ExerciseView; check: ExerciseCheckView }>
  /** Reveals the next hint. */
  revealHint(): Promise<ExerciseView>
  /** Back to the exercise's start lab (hints and solved status stay). */
  resetExercise(): Promise<ExerciseOpened>
  /** Answers a question goal; the answer is kept in the lab file. */
  answerQuestion(req: { goal: string; answer: string }): Promise<ExerciseOpened>
  /** Forgets a teacher's exercise and its progress (built-in ones stay). */
  removeExercise(req: { id: string }): Promise<ExerciseSummary[]>
  /**
   * The UI's language, so the desktop shell's menus and dialogs speak it (and remember it for the
   * next start). The browser build has neither and just answers.
   */
  setLanguage(req: { lang: Lang }): Promise<{ lang: Lang }>
  /** Desktop shell only: the shell changed the lab (menu Open, Undo, ...) or asks the UI to act. */
  onShellEvent?(listener: (e: ShellEvent) => void): () => void

  // Terminals whose commands run while simulated time passes (ping, tcpdump, sleep, ...).
  /**
   * Starts a line in a terminal (`term`: the renderer's id for it). A line that takes no
   * simulated time ends in the reply; otherwise its output and its end come as TerminalEvents
   * while the host advances the clock, paced to wall time.
   */
  termRun(req: { term: number; line: string; netns?: string }): Promise<TermRunReply>
  /** Ctrl+C: interrupts the line running in a terminal (false when none was running). */
  termInterrupt(req: { term: number }): Promise<{ interrupted: boolean }>
  /** Simulated seconds per wall second while commands run. */
  termSpeed(req: { speed: number }): Promise<{ speed: number }>
  /** Both hosts (Worker, desktop): what running terminal lines print, and when they end. */
  onTerminal?(listener: (e: TerminalEvent) => void): () => void
  /** Both hosts: how far long work (building, opening, replaying a lab) has got. */
  onWork?(listener: (p: WorkProgress) => void): () => void
  /**
   * Both hosts: stops the long work under way and any asked for before (the request fails with
   * code 'cancelled'); false when there is none or the host cannot cancel.
   */
  cancelWork?(): boolean
}

/**
 * How far a long piece of work of the lab host has got: building a cluster (`done` of `total`
 * steps: each node made, each node programmed, then the settling), replaying the history of
 * a lab being opened (`done` of `total` commands), or comparing (`done` of `total` steps: the two
 * replays, the two walks, the probes of the path-MTU search on each side).
 */
export interface WorkProgress {
  phase: 'build' | 'replay' | 'compare'
  done: number
  total: number
  /**
   * Set on the last report of a request that reported any: how it ended (its reply says the
   * rest). The page hides its progress bar then, whoever started the work (the page, a menu).
   */
  end?: 'done' | 'cancelled' | 'failed'
  /** False for work nobody may stop (reopening recovered work): the page offers no Cancel. */
  cancellable?: false
  /**
   * Within the step under way, the progress of the work it does (a comparison making a side's
   * replay: its cluster's build, then its history's replay), so the page shows it moving.
   */
  sub?: { phase: 'build' | 'replay'; done: number; total: number }
  /** How far the whole work is, 0 to 1, where its steps differ in length (a comparison's replays weigh most); else done / total. */
  fraction?: number
}

/** What a `bash` or `exit` asks of the terminal. */
export type ShellRequest = { type: 'enter'; netns: string } | { type: 'exit'; code: number }

/** A terminal line that ended: its exit status, what it asked of the shell, what it changed. */
export interface TermLineEnd {
  exitCode: number
  shell?: ShellRequest
  /** What changed in the lab's view since the last state or delta sent (time, tables, history). */
  delta: LabDelta
}

export type TermRunReply = ({ running: false; output: string } & TermLineEnd) | { running: true; output: string }

/** Pushed by the lab host while terminal lines run. */
export type TerminalEvent =
  /** Text a running line printed (stdout and stderr in the order written). */
  | { type: 'output'; term: number; data: string }
  | ({ type: 'done'; term: number } & TermLineEnd)
  /** A file a command wrote (`tcpdump -w FILE`), for the user to save. */
  | { type: 'file'; term: number; name: string; bytes: Uint8Array }
  /** The simulated clock, while it runs (at most a few times a second) and when it stops. */
  | { type: 'clock'; timeNs: number; running: boolean; speed: number }

/** The channel both desktop hosts push TerminalEvents on (the Worker posts them as messages). */
export const TERMINAL_EVENT_CHANNEL = 'lab:terminal-event'

/** The desktop shell pushes WorkProgress on this channel, and hears a cancel of long work on the next. */
export const WORK_EVENT_CHANNEL = 'lab:work-event'
export const CANCEL_WORK_CHANNEL = 'lab:cancel-work'

/** Pushed by the desktop shell to the window; the browser build never sends any. */
export type ShellEvent =
  /** `reset`: a different lab was loaded (views drop selections and traces). */
  | { type: 'state'; state: LabState; reset?: boolean }
  /** The shell changed the lab (menu Undo, Save, ...): apply it like a reply's delta. */
  | { type: 'delta'; delta: LabDelta }
  | { type: 'command'; command: 'new-lab' | 'about' | 'exercises' }
  | { type: 'notice'; text: string }
  | { type: 'error'; error: ApiError }

/** The channel the desktop shell pushes ShellEvents on. */
export const SHELL_EVENT_CHANNEL = 'lab:shell-event'

export interface DissectField {
  /** Wireshark's field name (`ip.ttl`, `eth.src`): the same in every language and at every depth. */
  key: string
  name: string
  value: string
  /** The value alone (a decimal number or an address), for comparing one hop with the next. */
  raw: string
  offset: number
  length: number
}

export interface DissectLayer {
  /** `eth`, `ip`, `inner.ip` (inside VXLAN), `quoted.ip` (inside an ICMP error)... */
  key: string
  name: string
  offset: number
  length: number
  fields: DissectField[]
}

/** The request/response methods (each one IPC channel); shell events are pushed, not requested. */
export type ApiMethod = Exclude<keyof PodnetApi, 'onShellEvent' | 'onTerminal' | 'onWork' | 'cancelWork'>

/** IPC channel names, one per method. */
export const CHANNELS = {
  listScenarios: 'lab:scenarios',
  newLab: 'lab:new',
  openLab: 'lab:open',
  getState: 'lab:state',
  getDelta: 'lab:delta',
  tables: 'lab:tables',
  saveLab: 'lab:save',
  exec: 'lab:exec',
  complete: 'lab:complete',
  termRun: 'lab:term-run',
  termInterrupt: 'lab:term-interrupt',
  termSpeed: 'lab:term-speed',
  edit: 'lab:edit',
  undo: 'lab:undo',
  redo: 'lab:redo',
  setLayout: 'lab:layout',
  trace: 'lab:trace',
  compare: 'lab:compare',
  exportScript: 'lab:export-script',
  exportPcap: 'lab:export-pcap',
  dissect: 'lab:dissect',
  listExercises: 'exercise:list',
  openExercise: 'exercise:open',
  exerciseState: 'exercise:state',
  checkExercise: 'exercise:check',
  revealHint: 'exercise:hint',
  resetExercise: 'exercise:reset',
  answerQuestion: 'exercise:answer',
  removeExercise: 'exercise:remove',
  setLanguage: 'shell:language',
} as const satisfies Record<ApiMethod, string>

/** Channels whose calls may change the lab (the hosts autosave for recovery after them). */
export const MUTATING_CHANNELS: ReadonlySet<string> = new Set([CHANNELS.newLab, CHANNELS.openLab, CHANNELS.exec, CHANNELS.edit, CHANNELS.undo, CHANNELS.redo, CHANNELS.setLayout, CHANNELS.saveLab, CHANNELS.openExercise, CHANNELS.resetExercise, CHANNELS.answerQuestion, CHANNELS.termRun, CHANNELS.termInterrupt])

/** The request methods of a PodnetApi, each made by `call` from its name (one per CHANNELS entry). */
export function requestMethods(call: (method: ApiMethod) => (payload?: unknown) => Promise<unknown>): Pick<PodnetApi, ApiMethod> {
  return Object.fromEntries((Object.keys(CHANNELS) as ApiMethod[]).map((m) => [m, call(m)])) as unknown as Pick<PodnetApi, ApiMethod>
}

/** A failed call: what was wrong and where (field path, file position). */
export interface ApiError {
  /** 'cancelled': long work (building, opening) stopped at the user's request; the open lab is as it was. */
  code: 'invalid-request' | 'lab-format' | 'lab-build' | 'not-found' | 'cancelled' | 'internal'
  message: string
  path?: string
  /** The reason as a message key of shared/messages with its parameters, so a view can word it in any language. */
  msg?: string
  params?: Record<string, string>
}

/** What crosses a transport (IPC, Worker messages): a result, or an ApiError instead of a throw. */
export type ApiReply<T = unknown> = { ok: true; value: T } | { ok: false; error: ApiError }

export function isApiError(e: unknown): e is ApiError {
  return typeof e === 'object' && e !== null && typeof (e as ApiError).code === 'string' && typeof (e as ApiError).message === 'string'
}
