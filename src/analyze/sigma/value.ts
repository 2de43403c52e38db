/**
 * One Sigma detection value with its field modifiers to a predicate on one string (Sigma
 * specification, "Value modifiers"): plain values compare whole, with `*` and `?` wildcards, case-
 * insensitively; `contains`, `startswith`, `endswith` widen the comparison; `re` is a case-sensitive
 * regular expression search (`re|i`, `re|m`, `re|s` set its flags); `cased` makes the comparison
 * case-sensitive; `base64`, `base64offset` and `windash` turn one value into the variants to look
 * for; `cidr` tests an IP address against a network; `lt`, `lte`, `gt`, `gte` compare numbers.
 * A modifier outside this list is an UnsupportedFeature, which the loader lists with the rule.
 */

/** A rule uses a Sigma feature this engine does not implement; `message` is the reason shown. */
export class UnsupportedFeature extends Error {}

export type StringTest = (value: string) => boolean

/** Modifiers that change how a value compares (the others transform values or combine them). */
const PLACEMENT = new Set(['contains', 'startswith', 'endswith'])
const TRANSFORM = new Set(['base64', 'base64offset', 'windash'])
const COMPARE = new Set(['lt', 'lte', 'gt', 'gte'])
const RE_FLAGS = new Set(['i', 'm', 's'])
/** Every modifier this engine implements (`all` and `exists` are applied by the selection). */
export const SUPPORTED_MODIFIERS = ['contains', 'startswith', 'endswith', 'all', 're', 'cased', 'exists', 'base64', 'base64offset', 'windash', 'cidr', 'lt', 'lte', 'gt', 'gte'] as const

/** Sigma escaping: `\*`, `\?` and `\\` are literal; any other backslash is itself. */
function wildcardSource(value: string): string {
  let out = ''
  for (let i = 0; i < value.length; i++) {
    const c = value[i] as string
    const next = value[i + 1]
    if (c === '\\' && (next === '*' || next === '?' || next === '\\')) {
      out += escapeRegExp(next)
      i++
    } else if (c === '*') out += '.*'
    else if (c === '?') out += '.'
    else out += escapeRegExp(c)
  }
  return out
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** The value variants `base64` / `base64offset` / `windash` stand for. */
function variants(value: string, transforms: readonly string[]): string[] {
  let out = [value]
  for (const t of transforms) {
    if (t === 'windash') {
      out = out.flatMap((v) => [...new Set(['-', '/', '\u2013', '\u2014', '\u2015'].map((dash) => v.replace(/(^|\s)[-/\u2013\u2014\u2015]/g, `$1${dash}`)))])
    } else if (t === 'base64') {
      out = out.map((v) => Buffer.from(v, 'utf8').toString('base64'))
    } else {
      // base64offset: the three encodings of the value at byte offsets 0, 1 and 2, without the characters the neighbours change.
      out = out.flatMap((v) => {
        const starts = [0, 2, 3]
        const ends = [0, 3, 2]
        return [0, 1, 2].map((offset) => {
          const encoded = Buffer.from(' '.repeat(offset) + v, 'utf8').toString('base64')
          const tail = ends[(Buffer.byteLength(v, 'utf8') + offset) % 3] as number
          return encoded.slice(starts[offset], tail === 0 ? encoded.length : encoded.length - tail)
        })
      })
    }
  }
  return out
}

function ipv4ToBigInt(text: string): bigint | null {
  const parts = text.split('.')
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n)
}

function ipv6ToBigInt(text: string): bigint | null {
  const address = text.replace(/^\[|\]$/g, '').split('%')[0] as string
  if (!address.includes(':')) return null
  const halves = address.split('::')
  if (halves.length > 2) return null
  const group = (part: string): string[] => (part === '' ? [] : part.split(':'))
  let head = group(halves[0] as string)
  let tail = halves.length === 2 ? group(halves[1] as string) : []
  const expand = (groups: string[]): string[] | null => {
    const last = groups.at(-1)
    if (last === undefined || !last.includes('.')) return groups
    const v4 = ipv4ToBigInt(last)
    if (v4 === null) return null
    return [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)]
  }
  const h = expand(head)
  const t = expand(tail)
  if (h === null || t === null) return null
  head = h
  tail = t
  const missing = 8 - head.length - tail.length
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail]
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(Number.parseInt(g, 16)), 0n)
}

function cidrTest(network: string): StringTest {
  const [base = '', bitsText] = network.split('/')
  const v4 = ipv4ToBigInt(base)
  const width = v4 === null ? 128 : 32
  const start = v4 ?? ipv6ToBigInt(base)
  const bits = bitsText === undefined ? width : Number(bitsText)
  if (start === null || !Number.isInteger(bits) || bits < 0 || bits > width || (bitsText !== undefined && !/^\d+$/.test(bitsText))) {
    throw new UnsupportedFeature(`'${network}' is not an IPv4 or IPv6 network for |cidr`)
  }
  const shift = BigInt(width - bits)
  const prefix = start >> shift
  return (value) => {
    const ip = width === 32 ? ipv4ToBigInt(value) : ipv6ToBigInt(value)
    return ip !== null && ip >> shift === prefix
  }
}

function numberTest(op: string, limit: string): StringTest {
  const bound = Number(limit)
  if (limit.trim() === '' || !Number.isFinite(bound)) throw new UnsupportedFeature(`|${op} needs a number, not '${limit}'`)
  return (value) => {
    if (value.trim() === '') return false
    const n = Number(value)
    if (!Number.isFinite(n)) return false
    return op === 'lt' ? n < bound : op === 'lte' ? n <= bound : op === 'gt' ? n > bound : n >= bound
  }
}

/**
 * The test one value stands for under `modifiers` (`all` and `exists` excluded: the selection applies
 * them). Throws UnsupportedFeature for a modifier this engine lacks or a value it cannot use.
 */
export function valueTest(value: string, modifiers: readonly string[]): StringTest {
  for (const m of modifiers) {
    if (!(SUPPORTED_MODIFIERS as readonly string[]).includes(m) && !RE_FLAGS.has(m)) {
      throw new UnsupportedFeature(`the modifier |${m} is not supported (supported: ${SUPPORTED_MODIFIERS.join(', ')})`)
    }
  }
  if (modifiers.includes('re')) {
    const flags = modifiers.filter((m) => RE_FLAGS.has(m))
    const other = modifiers.filter((m) => m !== 're' && m !== 'all' && !RE_FLAGS.has(m))
    if (other.length > 0) throw new UnsupportedFeature(`|re combined with |${other.join('|')} is not supported`)
    let re: RegExp
    try {
      re = new RegExp(value, [...new Set(flags)].join('') + 'u')
    } catch {
      try {
        re = new RegExp(value, [...new Set(flags)].join(''))
      } catch (error) {
        throw new UnsupportedFeature(`the regular expression '${value}' is not valid in JavaScript (${(error as Error).message})`)
      }
    }
    return (text) => re.test(text)
  }
  const flagWithoutRe = modifiers.find((m) => RE_FLAGS.has(m))
  if (flagWithoutRe !== undefined) throw new UnsupportedFeature(`the modifier |${flagWithoutRe} is not supported (it is a flag of |re)`)
  if (modifiers.includes('cidr')) {
    const other = modifiers.filter((m) => m !== 'cidr' && m !== 'all')
    if (other.length > 0) throw new UnsupportedFeature(`|cidr combined with |${other.join('|')} is not supported`)
    return cidrTest(value)
  }
  const compare = modifiers.filter((m) => COMPARE.has(m))
  if (compare.length > 0) {
    if (compare.length > 1 || modifiers.some((m) => m !== compare[0] && m !== 'all')) throw new UnsupportedFeature(`|${modifiers.join('|')} is not a supported combination`)
    return numberTest(compare[0] as string, value)
  }
  return patternTest([value], modifiers)
}

/**
 * Plain values (with placement, `cased` and transform modifiers) as one regular expression: any of
 * them matches. Unanchored where the placement allows, so a long text is scanned once, not
 * backtracked.
 */
function patternTest(values: readonly string[], modifiers: readonly string[]): StringTest {
  const placement = modifiers.filter((m) => PLACEMENT.has(m))
  if (placement.length > 1) throw new UnsupportedFeature(`|${placement.join('|')} together are not supported`)
  const transforms = modifiers.filter((m) => TRANSFORM.has(m))
  const literal = transforms.some((t) => t !== 'windash')
  const cased = modifiers.includes('cased') || literal
  const lead = placement[0] === 'contains' || placement[0] === 'endswith' ? '' : '^'
  const trail = placement[0] === 'contains' || placement[0] === 'startswith' ? '' : '$'
  // Transformed values (base64) are data, not patterns: their characters are taken literally.
  const sources = values.flatMap((value) => variants(value, transforms).map((v) => (literal ? escapeRegExp(v) : wildcardSource(v))))
    // An unanchored search needs no `.*` at its ends; with them every start position would rescan the text.
    .map((s) => (lead === '' ? s.replace(/^(?:\.\*)+/, '') : s))
    .map((s) => (trail === '' ? s.replace(/(?:\.\*)+$/, '') : s))
  const literals = literalValues(sources)
  if (literals !== null) return literalTest(literals, placement[0], cased)
  const re = new RegExp(`${lead}(?:${sources.join('|')})${trail}`, cased ? 's' : 'is')
  return (text) => re.test(text)
}

/** The values of regular-expression sources that hold no wildcard (only escaped literal characters), else null. */
function literalValues(sources: readonly string[]): string[] | null {
  const out: string[] = []
  for (const s of sources) {
    let value = ''
    for (let i = 0; i < s.length; i++) {
      const c = s[i] as string
      // Sources escape every literal metacharacter; an unescaped one is a wildcard's `.` or `.*`.
      if (c === '\\') value += s[++i] ?? ''
      else if (c === '.') return null
      else value += c
    }
    out.push(value)
  }
  return out
}

/** Plain strings compared without a regular expression (most Sigma values): equality, prefix, suffix or substring. */
function literalTest(values: readonly string[], placement: string | undefined, cased: boolean): StringTest {
  const wanted = cased ? values : values.map((v) => v.toLowerCase())
  const fold = (text: string) => (cased ? text : text.toLowerCase())
  if (placement === undefined) {
    const set = new Set(wanted)
    return (text) => set.has(fold(text))
  }
  if (placement === 'contains') return (text) => {
    const t = fold(text)
    return wanted.some((v) => t.includes(v))
  }
  if (placement === 'startswith') return (text) => {
    const t = fold(text)
    return wanted.some((v) => t.startsWith(v))
  }
  return (text) => {
    const t = fold(text)
    return wanted.some((v) => t.endsWith(v))
  }
}

/** Any of `values` under `modifiers`: one regular expression where they allow it, else one test each. */
export function anyValueTest(values: readonly string[], modifiers: readonly string[]): StringTest {
  const tests = values.map((v) => valueTest(v, modifiers))
  const simple = !modifiers.some((m) => m === 're' || m === 'cidr' || COMPARE.has(m) || RE_FLAGS.has(m))
  if (simple && values.length > 1) return patternTest(values, modifiers)
  return (text) => tests.some((t) => t(text))
}

/** Keywords match anywhere in the text (`contains`) unless their own modifiers place them. */
export function keywordModifiers(modifiers: readonly string[]): readonly string[] {
  const explicit = modifiers.some((m) => PLACEMENT.has(m) || m === 're' || m === 'cidr' || COMPARE.has(m))
  return explicit ? modifiers : [...modifiers, 'contains']
}
