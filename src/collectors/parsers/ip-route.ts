import {splitLines, toInt, tokenize} from './text.js'

/** One next hop of a multipath route (`nexthop via 10.0.0.1 dev eth0 weight 1`). */
export interface IpRouteNexthop {
  dev: string | null
  via: string | null
  weight: number | null
}

/**
 * One route of `ip route` / `ip -6 route`. `type` is the route type when ip printed one
 * (`unreachable`, `local`, `blackhole`, …), else `unicast`. Keywords ip prints without a value
 * (`linkdown`, `onlink`, `dead`, …) go to `flags`. `raw` is the line(s) as printed.
 */
export interface IpRouteRow {
  dev: string | null
  dst: string
  flags: string[]
  metric: number | null
  nexthops: IpRouteNexthop[]
  pref: string | null
  proto: string | null
  raw: string
  scope: string | null
  src: string | null
  table: string | null
  type: string
  via: string | null
}

const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast'])
/** Keywords that take one value; everything else without a value is a flag. */
const VALUED = new Set(['via', 'dev', 'proto', 'scope', 'src', 'metric', 'pref', 'table', 'mtu', 'advmss', 'hoplimit', 'expires', 'weight', 'realm', 'realms', 'tos', 'dsfield', 'from', 'nhid', 'initcwnd', 'initrwnd', 'rto_min', 'quickack', 'congctl', 'features', 'window', 'rtt', 'rttvar', 'ssthresh', 'cwnd', 'reordering', 'encap', 'ttl-propagate', 'error', 'fastopen_no_cookie'])

function keyValues(words: readonly string[]): {flags: string[]; values: Map<string, string>} {
  const values = new Map<string, string>()
  const flags: string[] = []
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string
    const next = words[i + 1]
    if (VALUED.has(word) && next !== undefined) {
      if (word === 'via' && (next === 'inet' || next === 'inet6') && words[i + 2] !== undefined) {
        values.set('via', words[i + 2] as string)
        i += 2
        continue
      }

      if (!values.has(word)) values.set(word, next)
      i++
    } else if (word === 'lock' && next !== undefined) {
      i++
    } else {
      flags.push(word)
    }
  }

  return {flags, values}
}

function parseRouteLine(line: string): IpRouteRow | null {
  const words = tokenize(line).map((token) => token.text)
  if (words.length === 0) return null
  let type = 'unicast'
  if (ROUTE_TYPES.has(words[0] as string) && words.length > 1) type = words.shift() as string
  const dst = words.shift() as string
  const {flags, values} = keyValues(words)
  return {
    dev: values.get('dev') ?? null,
    dst,
    flags,
    metric: toInt(values.get('metric')),
    nexthops: [],
    pref: values.get('pref') ?? null,
    proto: values.get('proto') ?? null,
    raw: line.trimEnd(),
    scope: values.get('scope') ?? null,
    src: values.get('src') ?? null,
    table: values.get('table') ?? null,
    type,
    via: values.get('via') ?? null,
  }
}

export function parseIpRoute(text: string): IpRouteRow[] {
  const rows: IpRouteRow[] = []
  for (const line of splitLines(text)) {
    if (line.trim() === '') continue
    const previous = rows.at(-1)
    if (/^\s/.test(line) && previous !== undefined) {
      // Continuation of a multipath route: `\tnexthop via 10.0.0.1 dev eth0 weight 1`.
      const words = tokenize(line).map((token) => token.text)
      if (words[0] === 'nexthop') {
        const {values} = keyValues(words.slice(1))
        previous.nexthops.push({dev: values.get('dev') ?? null, via: values.get('via') ?? null, weight: toInt(values.get('weight'))})
      }

      previous.raw += `\n${line.trimEnd()}`
      continue
    }

    const row = parseRouteLine(line)
    if (row !== null) rows.push(row)
  }

  return rows
}
