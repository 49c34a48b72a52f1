import {
  CHANNELS,
  type ApiMethod,
  type ApiReply,
  type Edit,
  type ExecResult,
  type LabDelta,
  type LayoutChange,
  type Point,
  type LabState,
  type Lang,
  type PodnetApi,
  type ScenarioInfo,
  type TraceStepView,
  type TraceView,
} from '../../shared/api.ts'
import type { WorkOptions } from '../engine/kernel/work.ts'
import { hexToBytes } from '../../shared/trace.ts'
import type { CommandResult } from '../engine/commands/index.ts'
import { dissect } from '../engine/wire/dissect.ts'
import { MAX_LAB_FILE_BYTES, MAX_LAYOUT_ENTRIES, MAX_NODES, MAX_PODS_PER_NODE } from '../k8s/limits.ts'
import { checkPoint, LAYOUT_NAME } from '../lab/layout.ts'
import { SCENARIOS, scenarioLimits } from '../k8s/scenarios.ts'
import { MODES, SpecError } from '../k8s/spec.ts'
import { exportScript } from '../lab/export-iproute2.ts'
import { API_VERSION, KIND, type LabDoc } from '../lab/format.ts'
import { completeInLab } from '../lab/complete.ts'
import { LiveShell } from '../lab/live.ts'
import { LiveHost, NO_IO, SPEED_RANGE, type HostIo } from './live-host.ts'
import { SpareHost } from './spare-host.ts'
import { parseIpv4 } from '../engine/addr/ipv4.ts'
import { instantiate } from '../lab/lab.ts'
import { captureFile, captureOfSteps, captureOfTrace } from '../lab/capture.ts'
import { LabSession, scenarioLab } from '../lab/session.ts'
import { arrived, MAX_TRACE_COUNT, stepParams, traceInLab, TraceRequestError, traceVerdict, type TraceReport } from '../lab/trace-report.ts'
import { tablesView, ViewTracker } from '../lab/view.ts'
import { routeRows } from '../engine/commands/ip-route.ts'
import { routeText } from '../../shared/rows.ts'
import { ExerciseService, exerciseHandlers } from './exercise-handlers.ts'
import { compareHandler } from './compare-handler.ts'
import { langField, probeFields } from './probe-fields.ts'
import { BUILD_EDIT_SHAPES, buildEditCommand, isBuildEdit, precheckBuild } from './build-edits.ts'
import { buildError, problemFailure, replaceLab } from './lab-errors.ts'
import type { Problem } from '../../shared/messages/problem.ts'
import { ApiFailure, refused, bool, describeValue, ifnameField, isPlainObject, int, invalid, nameField, netnsField, none, object, oneOf, optional, ROUTE, str, type Check } from './validate.ts'

/**
 * The handler table: channel -> (validated payload) -> result, over one open lab. The same table
 * serves Electron's ipcMain and the browser build's Worker, so it touches no file, window or
 * Node built-in: saving returns the text and the shell writes it.
 */

/** How many traces stay available for pcap export and re-display. */
export const TRACE_CACHE_SIZE = 8

const EMPTY_DOC: LabDoc = { apiVersion: API_VERSION, kind: KIND, metadata: { name: 'untitled' }, spec: { seed: 1, commands: [] } }

/** A scenario's lab with every address written out, as `podnet new` writes it, opened (built once). */
function scenarioSession(name: string, nodes?: number, podsPerNode?: number, work: WorkOptions = {}): LabSession {
  const doc = scenarioLab(name, nodes, podsPerNode)
  const info = SCENARIOS.find((s) => s.name === name)
  if (info) doc.metadata.description = info.title
  const rt = instantiate(doc, work)
  if (rt.cluster) doc.spec.cluster = rt.cluster.toSpec()
  return new LabSession(doc, rt)
}

/** The state behind the table: the open lab, where it was saved, and recent traces. */
export class LabService {
  session: LabSession
  path: string | undefined
  /** Recent traces by id, oldest first (a Map keeps insertion order). */
  private readonly traces = new Map<number, TraceView>()
  private nextTraceId = 1
  lastTraceId: number | undefined
  /** Progress through the exercises; the hosts keep it between sessions. */
  readonly exercises = new ExerciseService()
  /** What the renderer was last sent, so replies carry only what changed. */
  private view = new ViewTracker()

  /** Terminal lines running in the open lab while simulated time passes. */
  live: LiveShell

  /** `initial`: a scenario name to start with, or null for an empty lab. */
  constructor(initial: string | null = 'same-node') {
    this.session = initial === null ? new LabSession(EMPTY_DOC) : scenarioSession(initial)
    this.live = new LiveShell(this.session)
  }

  /**
   * Whether the host calls settleView right after it posted each reply (the Worker, the lab
   * thread): a whole state then leaves what only the next delta needs to that call, so the reply
   * goes out sooner (a 1,000-node lab's fingerprints and pairs by namespace, about half a second).
   */
  settleAfterPost = false

  /** The whole state (a lab was loaded, or the renderer asks); the next deltas are relative to it. */
  state(): LabState {
    return this.view.full(this.session, this.path, !this.settleAfterPost)
  }

  /** Works out what the view left for later (ViewTracker.settle); before anything changes the lab. */
  settleView(): void {
    this.view.settle()
  }

  /** What changed since the last state or delta sent. */
  delta(): LabDelta {
    return this.view.delta(this.session, this.path)
  }

  /** The lab file text without marking it saved (for recovery autosaves). */
  text(): string {
    return this.session.text()
  }

  get dirty(): boolean {
    return this.session.dirty
  }

  /** After the shell failed to write a save, the lab is unsaved again. */
  markDirty(): void {
    this.session.dirty = true
  }

  replace(session: LabSession, path: string | undefined): void {
    this.session = session
    this.live = new LiveShell(session)
    this.path = path
    this.traces.clear()
    this.lastTraceId = undefined
    this.view = new ViewTracker()
  }

  storeTrace(view: TraceView): void {
    this.traces.set(view.id, view)
    this.lastTraceId = view.id
    while (this.traces.size > TRACE_CACHE_SIZE) this.traces.delete(this.traces.keys().next().value as number)
  }

  trace(id: number): TraceView | undefined {
    return this.traces.get(id)
  }

  allocTraceId(): number {
    return this.nextTraceId++
  }
}

/** Each API method as a function of its raw (unvalidated) payload. */
export type Handlers = { [K in ApiMethod]: (payload?: unknown) => Promise<Awaited<ReturnType<PodnetApi[K]>>> }

function check<T>(c: Check<T>, payload: unknown): T {
  return c(payload, 'request')
}

const scenarioNames = SCENARIOS.map((s) => s.name)

const newLabReq = object({ scenario: oneOf(scenarioNames), nodes: optional(int(0, MAX_NODES)), podsPerNode: optional(int(0, MAX_PODS_PER_NODE)) })
// No request names a file to write: where a lab is saved is the desktop shell's to decide (its own
// dialogs and recent files), never the page's. `name` only labels error messages.
const openLabReq = object({
  text: str({ max: MAX_LAB_FILE_BYTES, what: 'request.what.lab_text' }),
  name: optional(str({ max: 255, min: 1, singleLine: true, what: 'request.what.file_name' })),
})
const tablesReq = object({ netns: netnsField })
const execReq = object({ line: str({ max: 4096, min: 1, singleLine: true, what: 'request.what.command_line' }), netns: optional(netnsField) })
const termField = int(1, 1_000_000_000)
const termRunReq = object({ term: termField, line: str({ max: 4096, min: 1, singleLine: true, what: 'request.what.command_line' }), netns: optional(netnsField) })
const termReq = object({ term: termField })
const speedField: Check<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < SPEED_RANGE[0] || v > SPEED_RANGE[1]) throw invalid(path, `must be a number from ${SPEED_RANGE[0]} to ${SPEED_RANGE[1]} (simulated seconds per second), not ${describeValue(v)}`)
  return v
}
const termSpeedReq = object({ speed: speedField })
const completeReq = object({ line: str({ max: 4096, singleLine: true, what: 'request.what.command_line' }), cursor: int(0, 4096), netns: optional(netnsField) })
const traceReq = object({ ...probeFields, df: optional(bool), count: optional(int(1, MAX_TRACE_COUNT)), warm: optional(bool), lang: langField })
const exportScriptReq = object({ prefix: optional(str({ max: 20, pattern: /^[A-Za-z0-9_.-]*$/, what: 'request.what.prefix' })), teardown: optional(bool) })
const exportPcapReq = object({ traceId: int(1, Number.MAX_SAFE_INTEGER), format: optional(oneOf(['pcapng', 'pcap'] as const)), steps: optional(bool), lang: optional(oneOf(['en', 'ja'] as const)) })
// A frame is at most a jumbo frame plus encapsulation: 64 KiB of bytes, twice that in hex.
const setLanguageReq = object({ lang: oneOf(['en', 'ja'] as const) })
const dissectReq = object({ frame: str({ min: 2, max: 2 * 65600, pattern: /^(?:[0-9a-fA-F]{2})+$/, what: 'request.what.hex' }), layer: optional(oneOf(['ethernet', 'ipv4'] as const)), lang: optional(oneOf(['en', 'ja'] as const)) })

const positionsField: Check<Record<string, unknown>> = (v, path) => {
  if (!isPlainObject(v)) throw invalid(path, `must map namespace names to positions { x, y } or null, not ${describeValue(v)}`)
  return v
}
/** Positions by namespace name (`nulls`: null takes one away): the same checks as a lab file's layout section (layout.ts). */
function positionsReq(v: unknown, path: string, nulls: boolean): Record<string, Point | null> {
  const raw = positionsField(v, path)
  const names = Object.keys(raw)
  if (names.length > MAX_LAYOUT_ENTRIES) throw invalid(path, `has ${names.length} entries; a layout may position at most ${MAX_LAYOUT_ENTRIES}`)
  const set: Record<string, Point | null> = {}
  const fail = (p: (string | number)[], problem: Problem): never => {
    throw problemFailure('invalid-request', p.join('.'), problem)
  }
  for (const name of names) {
    if (!LAYOUT_NAME.test(name)) throw invalid(`${path}.${name}`, `must be a network namespace name, not ${describeValue(name)}`)
    const pt = raw[name]
    set[name] = pt === null && nulls ? null : checkPoint(pt, [path, name], fail)
  }
  return set
}

/** A move on the canvas. */
const layoutReq: Check<LayoutChange> = (v, path) => {
  const req = object({ set: optional(positionsField), reset: optional(bool) })(v, path)
  const set = req.set === undefined ? {} : positionsReq(req.set, 'set', true)
  return { ...(Object.keys(set).length ? { set } : {}), ...(req.reset ? { reset: true } : {}) }
}

/** An edit and where what it adds goes on the canvas (EditPlacement), checked as a move is. */
function splitPlacement(payload: unknown): { edit: unknown; place?: Record<string, Point> } {
  if (!isPlainObject(payload) || !Object.hasOwn(payload, 'place')) return { edit: payload }
  const { place, ...edit } = payload
  return { edit, place: positionsReq(place, 'place', false) as Record<string, Point> }
}

const routeField = str({ min: 1, max: 200, pattern: ROUTE, what: 'request.what.route' })

const EDIT_SHAPES = {
  addNode: object({ type: oneOf(['addNode']), name: nameField('node') }),
  removeNode: object({ type: oneOf(['removeNode']), name: nameField('node') }),
  addPod: object({ type: oneOf(['addPod']), name: nameField('pod'), node: nameField('node') }),
  removePod: object({ type: oneOf(['removePod']), name: nameField('pod') }),
  movePod: object({ type: oneOf(['movePod']), name: nameField('pod'), node: nameField('node') }),
  setLink: object({ type: oneOf(['setLink']), netns: netnsField, device: ifnameField, up: optional(bool), mtu: optional(int(68, 65535)) }),
  setIpForward: object({ type: oneOf(['setIpForward']), netns: netnsField, on: bool }),
  addRoute: object({ type: oneOf(['addRoute']), netns: netnsField, route: routeField }),
  deleteRoute: object({ type: oneOf(['deleteRoute']), netns: netnsField, route: routeField }),
  setMode: object({ type: oneOf(['setMode']), mode: oneOf(MODES) }),
  ...BUILD_EDIT_SHAPES,
} satisfies Record<Edit['type'], Check<unknown>>

function checkEdit(payload: unknown): Edit {
  if (!isPlainObject(payload)) throw invalid('request', `must be an edit object with a type, not ${describeValue(payload)}`)
  const type = payload.type
  if (typeof type !== 'string' || !Object.hasOwn(EDIT_SHAPES, type)) throw invalid('type', `must be one of ${Object.keys(EDIT_SHAPES).join(', ')}, not ${describeValue(type)}`)
  const shape: Check<unknown> = EDIT_SHAPES[type as Edit['type']]
  const edit = check(shape, payload) as Edit
  if (edit.type === 'setLink' && edit.up === undefined && edit.mtu === undefined) throw invalid('up', 'setLink needs up, mtu or both')
  return edit
}

/** `ip` with the namespace option, or plain for the host's root namespace. */
function ipIn(netns: string): string {
  return netns === '' ? 'ip' : `ip -n ${netns}`
}

const squash = (s: string): string => s.trim().replace(/\s+/g, ' ')

/**
 * Checks an edit against the lab as it is, so an edit that cannot apply is refused with a reason
 * instead of being recorded in the lab's history as a failing command.
 */
function precheck(service: LabService, e: Edit): void {
  const { world, cluster } = service.session
  if (isBuildEdit(e)) return precheckBuild(world, cluster, e)
  const nsExists = (path: string, name: string): void => {
    if (!world.netns(name)) throw refused('not-found', path, 'request.no_netns', { name })
  }
  const needCluster = (): NonNullable<typeof cluster> => {
    if (!cluster) throw refused('invalid-request', 'type', 'request.no_cluster')
    return cluster
  }
  switch (e.type) {
    case 'addNode':
      needCluster()
      if (world.netns(e.name)) throw refused('invalid-request', 'name', 'request.taken', { name: e.name })
      return
    case 'removeNode':
      if (!needCluster().nodes.has(e.name)) throw refused('not-found', 'name', 'request.no_node', { name: e.name })
      clusterCheck('name', () => needCluster().checkRemoveNode(e.name))
      return
    case 'addPod':
      if (!needCluster().nodes.has(e.node)) throw refused('not-found', 'node', 'request.no_node', { name: e.node })
      if (world.netns(e.name)) throw refused('invalid-request', 'name', 'request.taken', { name: e.name })
      return
    case 'removePod':
      if (!needCluster().podNode(e.name)) throw refused('not-found', 'name', 'request.no_pod', { name: e.name })
      clusterCheck('name', () => needCluster().checkRemovePod(e.name))
      return
    case 'movePod': {
      const c = needCluster()
      const from = c.podNode(e.name)
      if (!from) throw refused('not-found', 'name', 'request.no_pod', { name: e.name })
      if (!c.nodes.has(e.node)) throw refused('not-found', 'node', 'request.no_node', { name: e.node })
      if (from.name === e.node) throw refused('invalid-request', 'node', 'request.pod_on_node', { name: e.name, node: e.node })
      clusterCheck('name', () => c.checkRemovePod(e.name))
      return
    }
    case 'setLink': {
      nsExists('netns', e.netns)
      if (!world.netns(e.netns)!.dev(e.device)) throw e.netns ? refused('not-found', 'device', 'request.no_device', { device: e.device, netns: e.netns }) : refused('not-found', 'device', 'request.no_device_host', { device: e.device })
      return
    }
    case 'setMode':
      if (needCluster().mode === e.mode) throw refused('invalid-request', 'mode', 'request.mode_same', { mode: e.mode })
      return
    case 'setIpForward':
    case 'addRoute':
      nsExists('netns', e.netns)
      return
    case 'deleteRoute': {
      nsExists('netns', e.netns)
      const shown = routeRows(world.netns(e.netns)!).map(routeText)
      const route = squash(e.route)
      if (!shown.some((r) => squash(r) === route)) throw e.netns ? refused('not-found', 'route', 'request.no_route', { netns: e.netns, route }) : refused('not-found', 'route', 'request.no_route_host', { route })
      return
    }
  }
}

/** A check of the cluster's own, as a refusal of the edit naming the field. */
function clusterCheck(path: string, check: () => unknown): void {
  try {
    check()
  } catch (e) {
    if (e instanceof SpecError) throw problemFailure('invalid-request', path, e.reason)
    throw e
  }
}

/** The command line an edit stands for: what the terminal would type, so undo covers both. */
export function editCommand(e: Edit, roleOf?: (ns: string) => string | undefined): string {
  if (isBuildEdit(e)) return buildEditCommand(e, roleOf)
  switch (e.type) {
    case 'addNode':
      return `podnet node add ${e.name}`
    case 'removeNode':
      return `podnet node del ${e.name}`
    case 'addPod':
      return `podnet pod add ${e.name} --node ${e.node}`
    case 'removePod':
      return `podnet pod del ${e.name}`
    case 'movePod':
      return `podnet pod move ${e.name} --node ${e.node}`
    case 'setLink': {
      const parts = [`${ipIn(e.netns)} link set ${e.device}`]
      if (e.mtu !== undefined) parts.push(`mtu ${e.mtu}`)
      if (e.up !== undefined) parts.push(e.up ? 'up' : 'down')
      return parts.join(' ')
    }
    case 'setIpForward':
      return `${e.netns === '' ? '' : `ip netns exec ${e.netns} `}sysctl -w net.ipv4.ip_forward=${e.on ? 1 : 0}`
    case 'addRoute':
      return `${ipIn(e.netns)} route add ${squash(e.route)}`
    case 'deleteRoute':
      return `${ipIn(e.netns)} route del ${squash(e.route)}`
    case 'setMode':
      return `podnet cluster mode ${e.mode}`
  }
}

function verdictText(rep: TraceReport, lang: Lang): string {
  return traceVerdict(rep.probes, rep.from.name, rep.to.name ?? rep.to.ip, lang)
}

/** The report's steps as the renderer shows them: a veth crossing names both of its ends. */
function stepViews(steps: TraceReport['steps']): TraceStepView[] {
  return steps.map((s) => {
    return { ...s, params: stepParams(s) }
  })
}

function execResult(service: LabService, r: CommandResult): ExecResult {
  const res: ExecResult = { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, delta: service.delta() }
  if (r.shell) res.shell = r.shell
  return res
}

/**
 * `io`: the host's timers and its way to push TerminalEvents to the page (the Worker, the desktop
 * shell); without one, terminal lines that wait for simulated time stay waiting.
 */
export function createHandlers(service: LabService = new LabService(), io: HostIo = NO_IO): Handlers {
  const host = new LiveHost(service, io)
  const spare = new SpareHost(service, io)
  const table = handlerTable(service, io, host)
  // After every request, the host goes on with the spare replay for the next trace when idle.
  const out = {} as Record<ApiMethod, (payload?: unknown) => Promise<unknown>>
  for (const [method, handle] of Object.entries(table) as [ApiMethod, (payload?: unknown) => Promise<unknown>][]) {
    out[method] = async (payload) => {
      // What the last whole state left for later is worked out before a request can change the lab.
      service.settleView()
      try {
        return await handle(payload)
      } finally {
        spare.kick()
      }
    }
  }
  return out as Handlers
}

function handlerTable(service: LabService, io: HostIo, host: LiveHost): Handlers {
  return {
    async listScenarios(payload) {
      check(none, payload)
      return SCENARIOS.map((s): ScenarioInfo => ({ name: s.name, title: s.title, walkthrough: s.walkthrough, description: s.description, ja: { ...s.ja }, defaults: { ...s.defaults }, limits: scenarioLimits(s.name) }))
    },

    async newLab(payload) {
      const req = check(newLabReq, payload)
      const info = SCENARIOS.find((s) => s.name === req.scenario)!
      const limits = scenarioLimits(req.scenario)
      const nodes = req.nodes ?? info.defaults.nodes
      const pods = req.podsPerNode ?? info.defaults.podsPerNode
      if (nodes > limits.nodes) throw refused('invalid-request', 'nodes', 'request.new_nodes', { max: String(limits.nodes), scenario: req.scenario, nodes: String(nodes) })
      if (nodes * pods > limits.pods) throw refused('invalid-request', 'podsPerNode', 'request.new_pods', { nodes: String(nodes), pods: String(pods), total: String(nodes * pods), max: String(limits.pods) })
      replaceLab(service, (why) => host.abandon(why), 'a new lab was opened', () => scenarioSession(req.scenario, req.nodes, req.podsPerNode, io.work))
      return service.state()
    },

    async openLab(payload) {
      const req = check(openLabReq, payload)
      const label = req.name ?? 'lab.yaml'
      const file = label.split(/[\\/]/).pop() || label
      replaceLab(service, (why) => host.abandon(why), 'a new lab was opened', () => LabSession.fromText(req.text, file, io.work))
      return service.state()
    },

    async getState(payload) {
      check(none, payload)
      return service.state()
    },

    async getDelta(payload) {
      check(none, payload)
      return service.delta()
    },

    async tables(payload) {
      const req = check(tablesReq, payload)
      const ns = service.session.world.netns(req.netns)
      if (!ns) throw refused('not-found', 'netns', 'request.no_netns', { name: req.netns })
      return tablesView(service.session.world, ns)
    },

    async saveLab(payload) {
      check(none, payload)
      const text = service.session.save()
      return service.path === undefined ? { text } : { text, path: service.path }
    },

    async exec(payload) {
      const req = check(execReq, payload)
      if (req.netns && !service.session.world.netns(req.netns)) throw refused('not-found', 'netns', 'request.no_netns', { name: req.netns })
      const r = service.session.exec(req.line, req.netns || undefined)
      return execResult(service, r)
    },

    async complete(payload) {
      const req = check(completeReq, payload)
      if (req.cursor > req.line.length) throw invalid('cursor', `must be at most the length of the line (${req.line.length}), not ${req.cursor}`)
      if (req.netns && !service.session.world.netns(req.netns)) throw refused('not-found', 'netns', 'request.no_netns', { name: req.netns })
      const { world, cluster } = service.session
      return completeInLab(world, cluster, req.line, req.cursor, req.netns ?? '')
    },

    async termRun(payload) {
      const req = check(termRunReq, payload)
      if (service.live.isRunning(req.term)) throw invalid('term', `terminal ${req.term} is still running a line (interrupt it first)`)
      if (req.netns && !service.session.world.netns(req.netns)) throw refused('not-found', 'netns', 'request.no_netns', { name: req.netns })
      const { output, end } = service.live.start(req.term, req.line, req.netns ?? '', host.sink)
      host.kick()
      if (!end) return { running: true, output }
      return { running: false, output, ...end, delta: service.delta() }
    },

    async termInterrupt(payload) {
      const req = check(termReq, payload)
      const interrupted = service.live.interrupt(req.term, host.sink, '^C')
      host.kick()
      return { interrupted }
    },

    async termSpeed(payload) {
      const req = check(termSpeedReq, payload)
      return { speed: host.setSpeed(req.speed) }
    },

    async edit(payload) {
      const { place, edit } = splitPlacement(payload)
      const e = checkEdit(edit)
      precheck(service, e)
      const r = service.session.exec(editCommand(e, (ns) => service.session.cluster?.roles.get(ns)))
      if (place && r.exitCode === 0 && r.changes.length) service.session.place(place)
      return execResult(service, r)
    },

    async undo(payload) {
      check(none, payload)
      if (service.session.canUndo && !service.session.undoIsMove) host.abandon('the lab was rebuilt for undo')
      service.session.undo()
      return service.delta()
    },

    async redo(payload) {
      check(none, payload)
      if (service.session.canRedo && !service.session.redoIsMove) host.abandon('the lab was rebuilt for redo')
      service.session.redo()
      return service.delta()
    },

    async setLayout(payload) {
      const req = check(layoutReq, payload)
      service.session.setLayout(req)
      return service.delta()
    },

    async trace(payload) {
      const req = check(traceReq, payload)
      // In a replayed copy: tracing changes no ARP cache or clock of the open lab.
      const { world, cluster } = service.session.fork()
      if (!world.netns(req.from)) throw refused('not-found', 'from', 'request.no_such_ns', { name: req.from })
      const lang = req.lang ?? 'en'
      let rep: TraceReport
      const { lang: _lang, ...request } = req
      try {
        rep = traceInLab(world, cluster, request, lang)
      } catch (e) {
        if (e instanceof TraceRequestError) throw refused('not-found', 'to', e.msg, e.params)
        throw e
      }
      const view: TraceView = {
        id: service.allocTraceId(),
        request,
        from: rep.from,
        to: rep.to,
        proto: rep.proto,
        delivered: rep.probes.every((p) => arrived(p.outcome)),
        verdict: rep.verdict,
        verdicts: { en: verdictText(rep, 'en'), ja: verdictText(rep, 'ja') },
        outcome: rep.outcome.kind,
        steps: stepViews(rep.steps),
        events: rep.events,
      }
      if (rep.probes.length > 1) view.probes = rep.probes.map((p) => ({ probe: p.probe, outcome: p.outcome.kind }))
      service.storeTrace(view)
      // A capture running in a terminal sees the live lab, not the replay: send the probe there too.
      if (service.live.capturing) {
        const { port, sport, size, df } = req
        service.live.sendProbe(req.from, parseIpv4(rep.to.ip)!, { proto: rep.proto, ...(port === undefined ? {} : { port }), ...(sport === undefined ? {} : { sport }), ...(size === undefined ? {} : { size }), ...(df === undefined ? {} : { df }) })
        host.kick()
      }
      return view
    },

    async exportScript(payload) {
      const req = check(exportScriptReq, payload)
      try {
        return { text: exportScript(service.session.doc, { prefix: req.prefix ?? '', teardown: req.teardown ?? false }) }
      } catch (e) {
        buildError(e)
      }
    },

    async exportPcap(payload) {
      const req = check(exportPcapReq, payload)
      const t = service.trace(req.traceId)
      if (!t) throw refused('not-found', 'traceId', 'request.trace_gone', { id: String(req.traceId), max: String(TRACE_CACHE_SIZE) })
      // The same writer as `podnet capture`: one interface per device the trace crossed.
      const format = req.format ?? 'pcapng'
      if (req.steps && format === 'pcap') throw invalid('format', 'the steps of a trace mix Ethernet frames and bare IPv4 packets, which only pcapng can hold')
      const lang = req.lang ?? 'en'
      const bytes = captureFile(req.steps ? captureOfSteps(t.steps, t.events, lang) : captureOfTrace(t.events, lang), format, 'PodNet Lab')
      const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]/g, '_')
      return { bytes, name: `trace-${t.id}-${safe(t.from.name)}-${safe(t.to.name ?? t.to.ip)}${req.steps ? '-steps' : ''}.${format}` }
    },

    // The desktop shell acts on the language (menus, dialogs); the table only checks it.
    async setLanguage(payload) {
      return { lang: check(setLanguageReq, payload).lang }
    },

    async dissect(payload) {
      const req = check(dissectReq, payload)
      return dissect(hexToBytes(req.frame), req.layer ?? 'ethernet', req.lang ?? 'en')
    },

    ...exerciseHandlers(service, { work: io.work ?? {}, abandon: (why) => host.abandon(why) }),
    ...compareHandler(service, io),
  }
}

const METHOD_OF_CHANNEL = new Map<string, ApiMethod>(Object.entries(CHANNELS).map(([m, c]) => [c, m as ApiMethod]))

/**
 * Runs one request for a transport: never throws, so an ApiError reaches the renderer intact
 * (a thrown Error loses its fields crossing IPC). Unexpected failures become 'internal'.
 */
export async function dispatch(handlers: Handlers, channel: string, payload: unknown): Promise<ApiReply> {
  const method = METHOD_OF_CHANNEL.get(channel)
  if (!method) return { ok: false, error: { code: 'invalid-request', message: `channel: no channel named ${JSON.stringify(String(channel).slice(0, 60))}`, path: 'channel' } }
  try {
    return { ok: true, value: await handlers[method](payload) }
  } catch (e) {
    if (e instanceof ApiFailure) return { ok: false, error: e.toApiError() }
    return { ok: false, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } }
  }
}

