import { KernelError } from './errors.ts'

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
 * The sysctl tree of one namespace, as strings (how `sysctl` shows them). `net.ipv4.ip_forward`
 * and `net.ipv4.conf.all.forwarding` are one setting and writing either sets every device's
 * `forwarding`, as devinet does.
 */
export class Sysctl {
  private readonly values = new Map<string, string>()
  private readonly devices = new Set<string>()

  constructor() {
    for (const [k, v] of Object.entries(GLOBAL_DEFAULTS)) this.values.set(k, v)
    for (const scope of ['all', 'default']) for (const [k, v] of Object.entries(DEVCONF_DEFAULTS)) this.values.set(`net.ipv4.conf.${scope}.${k}`, v)
  }

  get ipForward(): boolean {
    return this.values.get('net.ipv4.ip_forward') === '1'
  }

  /** IN_DEV_FORWARD: the device's own forwarding flag. */
  forwarding(dev: string): boolean {
    return (this.values.get(`net.ipv4.conf.${dev}.forwarding`) ?? this.values.get('net.ipv4.conf.all.forwarding')) === '1'
  }

  /** A per-device value combined with `all` the way the kernel combines that setting. */
  devconf(dev: string, key: string): number {
    const all = Number(this.values.get(`net.ipv4.conf.all.${key}`) ?? 0)
    const own = Number(this.values.get(`net.ipv4.conf.${dev}.${key}`) ?? this.values.get(`net.ipv4.conf.default.${key}`) ?? 0)
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
    return Number(this.values.get(key) ?? 0)
  }

  /** Adds net.ipv4.conf.<dev>.* from `default` when a device appears. */
  addDevice(dev: string): void {
    this.devices.add(dev)
    for (const k of Object.keys(DEVCONF_DEFAULTS)) this.values.set(`net.ipv4.conf.${dev}.${k}`, this.values.get(`net.ipv4.conf.default.${k}`)!)
  }

  removeDevice(dev: string): void {
    this.devices.delete(dev)
    for (const k of Object.keys(DEVCONF_DEFAULTS)) this.values.delete(`net.ipv4.conf.${dev}.${k}`)
  }

  renameDevice(from: string, to: string): void {
    for (const k of Object.keys(DEVCONF_DEFAULTS)) {
      const v = this.values.get(`net.ipv4.conf.${from}.${k}`)
      this.values.delete(`net.ipv4.conf.${from}.${k}`)
      if (v !== undefined) this.values.set(`net.ipv4.conf.${to}.${k}`, v)
    }
    this.devices.delete(from)
    this.devices.add(to)
  }

  has(key: string): boolean {
    return this.values.has(key)
  }

  get(key: string): string | undefined {
    return this.values.get(key)
  }

  /** All keys, sorted as `sysctl -a` lists them. */
  keys(): string[] {
    return [...this.values.keys()].sort()
  }

  /** Writes a value; throws ENOENT for an unknown key and EINVAL for a value the key refuses. */
  set(key: string, raw: string): string {
    if (!this.values.has(key)) throw new KernelError('ENOENT')
    const value = raw.trim()
    const isBool = key.endsWith('.forwarding') || key === 'net.ipv4.ip_forward' || key.startsWith('net.ipv4.icmp_echo_ignore')
    if (key === 'net.ipv4.ip_local_port_range') {
      const m = /^(\d+)\s+(\d+)$/.exec(value)
      if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) throw new KernelError('EINVAL')
      this.values.set(key, `${Number(m[1])}\t${Number(m[2])}`)
      return this.values.get(key)!
    }
    if (!/^-?\d+$/.test(value)) throw new KernelError('EINVAL')
    let n = Number(value)
    if (key === 'net.ipv4.ip_default_ttl' && (n < 1 || n > 255)) throw new KernelError('EINVAL')
    if (isBool) n = n ? 1 : 0
    const v = String(n)
    if (key === 'net.ipv4.ip_forward' || key === 'net.ipv4.conf.all.forwarding') {
      this.values.set('net.ipv4.ip_forward', v)
      this.values.set('net.ipv4.conf.all.forwarding', v)
      this.values.set('net.ipv4.conf.default.forwarding', v)
      for (const d of this.devices) this.values.set(`net.ipv4.conf.${d}.forwarding`, v)
      // inet_forward_change: a router stops accepting redirects, a host accepts them again.
      this.values.set('net.ipv4.conf.all.accept_redirects', v === '1' ? '0' : '1')
      return v
    }
    this.values.set(key, v)
    return v
  }
}
