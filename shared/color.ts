/**
 * iproute2's `-color` output (lib/color.c): an attribute's text wrapped in its colour and the
 * reset. The light-background palette, which ip uses unless COLORFGBG says the background is dark
 * (the lab has no environment). JSON output is never coloured.
 */
export type ColorAttr = 'ifname' | 'mac' | 'inet' | 'inet6' | 'up' | 'down'

const LIGHT: Record<ColorAttr, string> = {
  ifname: '\x1b[36m',
  mac: '\x1b[33m',
  inet: '\x1b[35m',
  inet6: '\x1b[34m',
  up: '\x1b[32m',
  down: '\x1b[31m',
}

const CLEAR = '\x1b[0m'

/** `text` in the attribute's colour when colours are on (a null attribute is COLOR_NONE: plain). */
export function paint(on: boolean, attr: ColorAttr | null, text: string): string {
  return on && attr !== null ? LIGHT[attr] + text + CLEAR : text
}

/** oper_state_color: UP green, DOWN red, the other states plain. */
export function operStateColor(state: string): ColorAttr | null {
  return state === 'UP' ? 'up' : state === 'DOWN' ? 'down' : null
}

/**
 * matches_color: `-c`, `-color`, `-color=always|auto|never`. Colours are on for `always` (and no
 * value); `auto` asks for a terminal, which a command's output in the lab is not. Undefined when
 * the option is not a colour option at all.
 */
export function colorOption(opt: string, matches: (word: string, key: string) => boolean): boolean | undefined {
  const eq = opt.indexOf('=')
  const name = eq < 0 ? opt : opt.slice(0, eq)
  const value = eq < 0 ? '' : opt.slice(eq + 1)
  if (!matches(name, '-color')) return undefined
  if (value === '' || value === 'always') return true
  if (value === 'auto' || value === 'never') return false
  return undefined
}

/** ifa_family_color: an IPv6 address (or prefix) in the inet6 colour, anything else in inet's. */
export function addressColor(addr: string): ColorAttr {
  return addr.includes(':') ? 'inet6' : 'inet'
}
