import { KernelError } from './errors.ts'
import { routingGen } from './fib.ts'

/** Per-device IPv4 settings (net.ipv4.conf.<dev>.*) with the kernel's defaults in a new namespace. */
const DEVCONF_DEFAULTS: Record<string, string> = {
  accept_local: '0',
  accept_redirects: '1',
  accept_source_route: '0',
  arp_accept: '0',
  arp_announce: '0',
  arp_filter: '0',
  arp_ignore: '0',
  arp_notify: '0',
  forwarding: '0',
  log_martians: '0',
  mc_forwarding: '0',
  promote_secondaries: '0',
  proxy_arp: '0',
  rp_filter: '0',
  secure_redirects: '1',
  send_redirects: '1',
  shared_media: '1',
}
const DEVCONF_KEYS = Object.keys(DEVCONF_DEFAULTS)

const GLOBAL_DEFAULTS: Record<string, string> = {
  'net.ipv4.ip_forward': '0',
  'net.ipv4.ip_default_ttl': '64',
  'net.ipv4.icmp_echo_ignore_all': '0',
  'net.ipv4.icmp_echo_ignore_broadcasts': '1',
  'net.ipv4.icmp_ratelimit': '1000',
  'net.ipv4.icmp_ratemask': '6168',
  'net.ipv4.icmp_msgs_per_sec': '1000',
  'net.ipv4.icmp_msgs_burst': '50',
  'net.ipv4.ip_local_port_range': '32768\t60999',
  'net.ipv4.ip_no_pmtu_disc': '0',
  'net.ipv4.route.mtu_expires': '600',
  'net.ipv4.route.min_pmtu': '552',
}

/**
 * A device's own settings as copied from `default` when it appeared: one list shared by every
 * device that appeared while `default` stayed the same (a node's veths and bridge, after
 * ip_forward=1), copied before it is changed for one of them.
 */
class InheritedConf extends Map<string, string> {}

/** Splits `net.ipv4.conf.<dev>.<key>` (device names may contain dots, e.g. flannel.1). */
function splitConf(key: string): { scope: string; name: string } | null {
  if (!key.startsWith('net.ipv4.conf.')) return null
  const rest = key.slice('net.ipv4.conf.'.length)
  const dot = rest.lastIndexOf('.')
  if (dot <= 0) return null
  const name = rest.slice(dot + 1)
  if (!Object.hasOwn(DEVCONF_DEFAULTS, name)) return null
  return { scope: rest.slice(0, dot), name }
}

/**
 * The sysctl tree of one namespace, as strings (how `sysctl` shows them). Only values that differ
 * from the defaults are stored, because a lab has thousands of namespaces. `net.ipv4.ip_forward`
 * and `net.ipv4.conf.all.forwarding` are one setting and writing either sets every device's
 * `forwarding`, as devinet does.
 */
export class Sysctl {
  /** net.ipv4.* values that are not per device (the shared defaults until the first write). */
  private globals: Readonly<Record<string, string>> = GLOBAL_DEFAULTS
  /** Per device: the values that differ from what the device inherited. */
  private readonly devices = new Map<string, Map<string, string> | null>()
  /** What a device appearing now copies from `default` (made by the first; undefined: not yet). */
  private inherited: InheritedConf | null | undefined = undefined

  get ipForward(): boolean {
    return this.globals['net.ipv4.ip_forward'] === '1'
  }

  /** conf.all / conf.default values, by setting name (shared defaults until written, like globals). */
  private allConf: Readonly<Record<string, string>> = DEVCONF_DEFAULTS
  private defaultConf: Readonly<Record<string, string>> = DEVCONF_DEFAULTS

  private setGlobal(key: string, v: string): void {
    if (this.globals === GLOBAL_DEFAULTS) this.globals = { ...GLOBAL_DEFAULTS }
    ;(this.globals as Record<string, string>)[key] = v
  }

  private setConf(scope: 'all' | 'default', name: string, v: string): void {
    if (scope === 'all') {
      if (this.allConf === DEVCONF_DEFAULTS) this.allConf = { ...DEVCONF_DEFAULTS }
      ;(this.allConf as Record<string, string>)[name] = v
    } else {
      if (this.defaultConf === DEVCONF_DEFAULTS) this.defaultConf = { ...DEVCONF_DEFAULTS }
      ;(this.defaultConf as Record<string, string>)[name] = v
      this.inherited = undefined
    }
  }

  private scopeValue(scope: string, name: string): string {
    if (scope === 'all') return this.allConf[name]
    if (scope === 'default') return this.defaultConf[name]
    // A device's settings were copied from `default` when it appeared; only changes are stored.
    return this.devices.get(scope)?.get(name) ?? DEVCONF_DEFAULTS[name]
  }

  /** IN_DEV_FORWARD: the device's own forwarding flag. */
  forwarding(dev: string): boolean {
    const own = this.devices.get(dev)
    if (own === undefined) return this.allConf.forwarding === '1'
    return (own?.get('forwarding') ?? DEVCONF_DEFAULTS.forwarding) === '1'
  }

  /** A per-device value combined with `all` the way the kernel combines that setting. */
  devconf(dev: string, key: string): number {
    const all = Number(this.scopeValue('all', key))
    const own = Number(this.devices.has(dev) ? this.scopeValue(dev, key) : this.scopeValue('default', key))
    switch (key) {
      case 'rp_filter':
      case 'arp_ignore':
      case 'arp_announce':
        return Math.max(all, own)
      case 'send_redirects':
      case 'shared_media':
      case 'proxy_arp':
      case 'arp_filter':
      case 'log_martians':
        return all || own ? 1 : 0
      case 'accept_redirects':
        return all && own ? 1 : 0
      default:
        return own
    }
  }

  num(key: string): number {
    return Number(this.globals[key] ?? this.get(key) ?? 0)
  }

  /** A device appears with net.ipv4.conf.<dev>.* copied from `default` (devinet_sysctl_register). */
  addDevice(dev: string): void {
    routingGen.value++
    // A namespace whose `default` was never written (nearly all) copies nothing.
    if (this.defaultConf === DEVCONF_DEFAULTS) {
      this.devices.set(dev, null)
      return
    }
    let own = this.inherited
    if (own === undefined) {
      own = null
      for (const k of DEVCONF_KEYS) {
        const v = this.defaultConf[k]
        if (v !== DEVCONF_DEFAULTS[k]) (own ??= new InheritedConf()).set(k, v)
      }
      this.inherited = own
    }
    this.devices.set(dev, own)
  }

  removeDevice(dev: string): void {
    routingGen.value++
    this.devices.delete(dev)
  }

  renameDevice(from: string, to: string): void {
    routingGen.value++
    const own = this.devices.get(from) ?? null
    this.devices.delete(from)
    this.devices.set(to, own)
  }

  has(key: string): boolean {
    if (Object.hasOwn(GLOBAL_DEFAULTS, key)) return true
    const c = splitConf(key)
    return c !== null && (c.scope === 'all' || c.scope === 'default' || this.devices.has(c.scope))
  }

  get(key: string): string | undefined {
    if (Object.hasOwn(GLOBAL_DEFAULTS, key)) return this.globals[key]
    const c = splitConf(key)
    if (!c || !this.has(key)) return undefined
    return this.scopeValue(c.scope, c.name)
  }

  /**
   * The settings that differ from a fresh namespace's, by key: the same information as every key's
   * value (the keys of a device come and go with the device), without listing hundreds of defaults.
   */
  changed(): Record<string, string> {
    const out: [string, string][] = []
    for (const [k, v] of Object.entries(this.globals)) if (v !== GLOBAL_DEFAULTS[k]) out.push([k, v])
    const scopes: [string, Readonly<Record<string, string>> | ReadonlyMap<string, string> | null][] = [['all', this.allConf], ['default', this.defaultConf], ...this.devices]
    for (const [scope, conf] of scopes) {
      if (conf === null || conf === DEVCONF_DEFAULTS) continue
      const entries = conf instanceof Map ? [...conf] : Object.entries(conf)
      for (const [k, v] of entries) if (v !== DEVCONF_DEFAULTS[k]) out.push([`net.ipv4.conf.${scope}.${k}`, v])
    }
    return Object.fromEntries(out.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)))
  }

  /** All keys, sorted as `sysctl -a` lists them. */
  keys(): string[] {
    const out = Object.keys(GLOBAL_DEFAULTS)
    for (const scope of ['all', 'default', ...this.devices.keys()]) for (const k of DEVCONF_KEYS) out.push(`net.ipv4.conf.${scope}.${k}`)
    return out.sort()
  }

  private store(key: string, v: string): void {
    const c = splitConf(key)
    if (!c) {
      this.setGlobal(key, v)
      return
    }
    if (c.scope === 'all' || c.scope === 'default') this.setConf(c.scope, c.name, v)
    else {
      const own = this.devices.get(c.scope)
      if (own) this.ownConf(c.scope, own).set(c.name, v)
      else this.devices.set(c.scope, new Map([[c.name, v]]))
    }
  }

  /** A device's own settings to change: its own copy when it shares the inherited ones. */
  private ownConf(dev: string, own: Map<string, string>): Map<string, string> {
    if (!(own instanceof InheritedConf)) return own
    const copy = new Map(own)
    this.devices.set(dev, copy)
    return copy
  }

  /** Writes a value; throws ENOENT for an unknown key and EINVAL for a value the key refuses. */
  set(key: string, raw: string): string {
    routingGen.value++
    if (!this.has(key)) throw new KernelError('ENOENT')
    const value = raw.trim()
    const isBool = key.endsWith('.forwarding') || key === 'net.ipv4.ip_forward' || key.startsWith('net.ipv4.icmp_echo_ignore')
    if (key === 'net.ipv4.ip_local_port_range') {
      const m = /^(\d+)\s+(\d+)$/.exec(value)
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) throw new KernelError('EINVAL')
      const v = `${Number(m[1])}\t${Number(m[2])}`
      this.setGlobal(key, v)
      return v
    }
    if (!/^-?\d+$/.test(value)) throw new KernelError('EINVAL')
    let n = Number(value)
    if (key === 'net.ipv4.ip_default_ttl' && (n < 1 || n > 255)) throw new KernelError('EINVAL')
    // icmp_echo_ignore_* are u8 booleans with a 0..1 range (proc_dou8vec_minmax).
    if (key.startsWith('net.ipv4.icmp_echo_ignore') && (n < 0 || n > 1)) throw new KernelError('EINVAL')
    if (isBool) n = n ? 1 : 0
    const v = String(n)
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      this.setGlobal('net.ipv4.ip_forward', v)
      this.setConf('all', 'forwarding', v)
      this.setConf('default', 'forwarding', v)
      for (const [d, own] of this.devices) {
        if (own) this.ownConf(d, own).delete('forwarding')
        if (v !== DEVCONF_DEFAULTS.forwarding) this.store(`net.ipv4.conf.${d}.forwarding`, v)
      }
      // inet_forward_change: a router stops accepting redirects, a host accepts them again.
      this.setConf('all', 'accept_redirects', v === '1' ? '0' : '1')
      return v
    }
    this.store(key, v)
    return v
  }
}
