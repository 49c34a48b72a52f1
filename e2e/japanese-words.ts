import type { Page } from '@playwright/test'

/**
 * Finds English words a learner would read in a Japanese page: visible text, the words of
 * tooltips, labels and placeholders, and the options of select lists. Left out: what Linux itself
 * prints (terminal output, command lines, table rows and field values, shown in monospace and
 * marked `data-verbatim` or in <code>), and names of things (eth0, 10.244.1.2, flannel.1: words
 * with digits, dots, colons or underscores), and the words below.
 */

/** Linux, protocol and product names a Japanese text keeps as they are (compared without case). */
export const ALLOWED = new Set(
  `podnet lab pod pods ip ipv ip/ icmp udp tcp arp fdb fib mtu df ttl mac vxlan vni veth cbr flannel flanneld host-gw
  iproute iproute2 ping tcpdump traceroute arping bash sysctl bridge brctl netns exec dev via onlink lladdr proto kernel scope src
  metric default link route neigh addr reachable stale delay probe failed permanent incomplete noarp up down lower_up
  broadcast multicast master nat cidr l2 yaml json pcap pcapng wireshark tshark linux kubernetes ethernet ethertype
  id os hex ascii ctrl alt shift tab enter esc home end space en ok utf crc lo rx tx b kib mib
  routes cloud-routes flannel-vxlan flannel-host-gw host dst echo iputils gw loopback operstate unknown dormant
  del add replace show set table local self nomaster tos dscp ecn dsfield ihl cni ipam vtep host-local martian
  unreachable prohibit blackhole throw`
    .split(/\s+/)
    .filter(Boolean),
)

export interface Finding {
  word: string
  text: string
  where: string
}

/** Runs in the page: the texts a learner can read now, each with a short path to where it is. */
const COLLECT = `(() => {
  const skip = 'code, pre, kbd, samp, .xterm, [data-verbatim], script, style, svg, canvas'
  const out = []
  const where = (el) => {
    const parts = []
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.getAttribute('data-testid')
      parts.unshift(e.tagName.toLowerCase() + (id ? '[' + id + ']' : e.classList[0] ? '.' + e.classList[0] : ''))
    }
    return parts.join(' > ')
  }
  const visible = (el) => el.checkVisibility ? el.checkVisibility({ checkOpacity: false, checkVisibilityCSS: true }) : el.offsetParent !== null
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement
    const text = n.textContent.trim()
    if (!text || !el || el.closest(skip)) continue
    if (el.tagName === 'OPTION' ? !visible(el.closest('select')) : !visible(el)) continue
    out.push({ text, where: where(el) })
  }
  for (const el of document.querySelectorAll('[title], [aria-label], [placeholder]')) {
    if (el.closest(skip) || !visible(el)) continue
    for (const a of ['title', 'aria-label', 'placeholder']) {
      const v = el.getAttribute(a)
      if (v && v.trim()) out.push({ text: v.trim(), where: where(el) + ' @' + a })
    }
  }
  return out
})()`

/** English words in one text; `names` are the lab's own names (namespaces, scenarios), kept as they are. */
export function englishWords(text: string, names: ReadonlySet<string> = new Set()): string[] {
  const words: string[] = []
  for (const raw of text.split(/[\s（）()、。：,;「」『』・·|→←↑↓…▾▸▶◀⇆✔✖⚠⟳✕"“”‘’[\]{}<>=+*#!?？！%／]+/)) {
    const chunk = raw.replace(/^[^A-Za-z0-9.\u3000-\u9fff]+|[^A-Za-z0-9\u3000-\u9fff]+$/g, '')
    // Names and values: addresses, MACs, devices (eth0, flannel.1), files (.sh), errno names (ENETUNREACH).
    if (/[0-9_@]|\.[A-Za-z]|[A-Za-z0-9]:[A-Za-z0-9]/.test(chunk) || /^E[A-Z]{3,}$/.test(chunk) || names.has(chunk)) continue
    for (const m of chunk.match(/[A-Za-z][A-Za-z-]*/g) ?? []) {
      const w = m.replace(/-+$/, '')
      if (w.length < 2 || ALLOWED.has(w.toLowerCase()) || names.has(w)) continue
      words.push(w)
    }
  }
  return words
}

/** English words on the page as it is now. */
export async function findEnglish(page: Page, label: string, names: ReadonlySet<string> = new Set()): Promise<Finding[]> {
  const texts = (await page.evaluate(COLLECT)) as { text: string; where: string }[]
  const found: Finding[] = []
  const seen = new Set<string>()
  for (const t of texts) {
    for (const word of englishWords(t.text, names)) {
      const key = `${word}|${t.text}`
      if (seen.has(key)) continue
      seen.add(key)
      found.push({ word, text: t.text.slice(0, 160), where: `${label}: ${t.where}` })
    }
  }
  return found
}
