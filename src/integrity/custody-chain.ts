import {createHash} from 'node:crypto'

import {ed25519Verify} from './ed25519.js'
import {type SignifyPublicKey, hex} from './signify-format.js'

/**
 * The chain of custody, pure: one JSON object per line, each signed and carrying the SHA-256 of the
 * previous line's exact bytes (without its newline). A line's bytes are its canonical form: the keys in
 * the order below, JSON.stringify without spaces, `to` left out when absent, `sig` last. The signature
 * is Ed25519 (base64) over the canonical form without `sig`.
 */

/** Events written by collect inside the bundle (`custody.jsonl`). */
export const BUNDLE_ACTIONS = ['collected', 'sealed', 'signed'] as const
/** Events written later in the sidecar `NAME.custody.jsonl` next to the tarball. */
export const SIDECAR_ACTIONS = ['copied', 'pushed', 'retention-verified', 'verified', 'transferred', 'accessed'] as const
export const CUSTODY_ACTIONS = [...BUNDLE_ACTIONS, ...SIDECAR_ACTIONS] as const
export type CustodyAction = (typeof CUSTODY_ACTIONS)[number]

export const ZERO_SHA256 = '0'.repeat(64)

export interface CustodyEvent {
  seq: number
  /** ISO 8601 UTC. */
  time: string
  actor: string
  host: string
  action: CustodyAction
  note: string
  to?: string
  bundle_sha256: string
  prev_sha256: string
  /** signify key number (hex) of the key that signed this line. */
  key: string
  /** base64 Ed25519 signature over the canonical line without `sig`. */
  sig: string
}

export type UnsignedCustodyEvent = Omit<CustodyEvent, 'sig'>

/** Where a chain continues from: the sidecar continues the in-bundle chain. */
export interface CustodyAnchor {
  prevSha256: string
  seq: number
}

/** The last line as recorded elsewhere (a receipt, a ticket): detects removal of trailing lines. */
export interface CustodyHead {
  seq: number
  sha256: string
}

/**
 * `foreign-bundle`: a sidecar event names another bundle's SHA-256; `unlinked`: a sidecar that starts
 * a chain of its own next to a bundle whose chain it should continue; `missing`: an unencrypted
 * bundle without its in-bundle custody.jsonl.
 */
export type CustodyProblemKind = 'edited' | 'reordered' | 'truncated' | 'bad-signature' | 'malformed' | 'wrong-key' | 'foreign-bundle' | 'unlinked' | 'missing'

export interface CustodyProblem {
  /** 1-based line number in the checked text. */
  line: number
  kind: CustodyProblemKind
  detail: string
}

export interface CustodyCheck {
  intact: boolean
  problems: CustodyProblem[]
  events: CustodyEvent[]
  /** False when no public key was given: links and order were checked, signatures were not. */
  signaturesChecked: boolean
  /** The last line's seq and SHA-256 (record it elsewhere to detect later truncation). */
  head?: CustodyHead
}

export interface CustodyCheckOptions {
  anchor?: CustodyAnchor
  head?: CustodyHead
}

const FIELD_ORDER = ['seq', 'time', 'actor', 'host', 'action', 'note', 'to', 'bundle_sha256', 'prev_sha256', 'key'] as const
const SHA256_HEX = /^[0-9a-f]{64}$/
const KEY_HEX = /^[0-9a-f]{16}$/

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

/** The bytes a line's signature covers. */
export function canonicalUnsigned(event: UnsignedCustodyEvent): string {
  const ordered: Record<string, unknown> = {}
  for (const field of FIELD_ORDER) {
    const value = event[field]
    if (value !== undefined) ordered[field] = value
  }
  return JSON.stringify(ordered)
}

/** The exact line (without newline) for a signed event. */
export function serializeCustodyEvent(event: CustodyEvent): string {
  const unsigned = canonicalUnsigned(event)
  return `${unsigned.slice(0, -1)},"sig":${JSON.stringify(event.sig)}}`
}

/** Where the next line links to, from the current chain text (the anchor when the text is empty). */
export function nextLink(text: string, anchor: CustodyAnchor = {prevSha256: ZERO_SHA256, seq: 1}): CustodyAnchor {
  const lines = splitLines(text).lines
  const last = lines.at(-1)
  if (last === undefined) return anchor
  const parsed = parseEvent(last)
  if (typeof parsed === 'string') throw new Error(`the last custody line cannot be read (${parsed}); run \`custody show\` and investigate before adding to it`)
  return {prevSha256: sha256Hex(last), seq: parsed.seq + 1}
}

/** Builds and signs the next event. `sign` returns a raw 64-byte Ed25519 signature. */
export function buildCustodyEvent(
  fields: Omit<UnsignedCustodyEvent, 'prev_sha256' | 'seq' | 'key'>,
  link: CustodyAnchor,
  keyFingerprint: string,
  sign: (message: Uint8Array) => Uint8Array,
): CustodyEvent {
  const unsigned: UnsignedCustodyEvent = {...fields, key: keyFingerprint, prev_sha256: link.prevSha256, seq: link.seq}
  if (unsigned.to === undefined) delete unsigned.to
  const sig = Buffer.from(sign(new TextEncoder().encode(canonicalUnsigned(unsigned)))).toString('base64')
  return {...unsigned, sig}
}

function splitLines(text: string): {lines: string[]; partialLast: boolean} {
  if (text === '') return {lines: [], partialLast: false}
  const lines = text.split('\n')
  const partialLast = lines.at(-1) !== ''
  if (!partialLast) lines.pop()
  return {lines, partialLast}
}

function isString(value: unknown): value is string {
  return typeof value === 'string'
}

/** A parsed event, or a string saying why the line is not one. */
function parseEvent(line: string): CustodyEvent | string {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return 'not JSON'
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object'
  const event = value as Record<string, unknown>
  const allowed = new Set<string>([...FIELD_ORDER, 'sig'])
  const unknown = Object.keys(event).filter((key) => !allowed.has(key))
  if (unknown.length > 0) return `unknown field(s): ${unknown.join(', ')}`
  if (!Number.isSafeInteger(event.seq) || (event.seq as number) < 1) return 'seq is not a positive integer'
  for (const field of ['time', 'actor', 'host', 'note', 'sig'] as const) if (!isString(event[field])) return `${field} is not a string`
  if (event.to !== undefined && !isString(event.to)) return 'to is not a string'
  if (!(CUSTODY_ACTIONS as readonly unknown[]).includes(event.action)) return `unknown action ${JSON.stringify(event.action)}`
  for (const field of ['bundle_sha256', 'prev_sha256'] as const) {
    if (!isString(event[field]) || !SHA256_HEX.test(event[field])) return `${field} is not a lowercase hex SHA-256`
  }
  if (!isString(event.key) || !KEY_HEX.test(event.key)) return 'key is not a 16-digit hex key number'
  // Only the canonical base64 of 64 bytes: decoders ignore the padding bits, which would let a line change unnoticed.
  if (Buffer.from(event.sig as string, 'base64').toString('base64') !== event.sig || (event.sig as string).length !== 88) return 'sig is not the base64 of a 64-byte signature'
  return event as unknown as CustodyEvent
}

type KeyInput = Uint8Array | SignifyPublicKey | SignifyPublicKey[] | undefined

function signatureProblem(event: CustodyEvent, keys: KeyInput): {detail: string; kind: CustodyProblemKind} | undefined {
  if (keys === undefined) return undefined
  let publicKey: Uint8Array | undefined
  if (keys instanceof Uint8Array) publicKey = keys
  else {
    const list = Array.isArray(keys) ? keys : [keys]
    publicKey = list.find((key) => hex(key.keynum) === event.key)?.publicKey
    if (publicKey === undefined) {
      return {detail: `signed by key ${event.key}, which is not among the public keys given (${list.map((key) => hex(key.keynum)).join(', ')})`, kind: 'wrong-key'}
    }
  }
  const signature = Buffer.from(event.sig, 'base64')
  const message = new TextEncoder().encode(canonicalUnsigned(event))
  if (!ed25519Verify(message, new Uint8Array(signature), publicKey)) {
    return {detail: `the signature does not match the line's content (key ${event.key})`, kind: 'bad-signature'}
  }
  return undefined
}

/**
 * Checks a custody chain: every line parses and is in canonical form, links to the previous line's
 * hash with the next seq, and (when keys are given) carries a good signature by one of them.
 * Removal of trailing lines is only detectable against a head recorded elsewhere (options.head).
 */
export function checkCustodyChain(text: string, publicKey?: KeyInput, options: CustodyCheckOptions = {}): CustodyCheck {
  const anchor = options.anchor ?? {prevSha256: ZERO_SHA256, seq: 1}
  const {lines, partialLast} = splitLines(text)
  const problems: CustodyProblem[] = []
  const events: CustodyEvent[] = []
  const eventLines: number[] = []
  const lineHashes = lines.map((line) => sha256Hex(line))
  const positionOfHash = new Map(lineHashes.map((hash, index) => [hash, index]))
  let expected: CustodyAnchor = anchor

  lines.forEach((line, index) => {
    const lineNo = index + 1
    const isPartial = partialLast && index === lines.length - 1
    const parsed = parseEvent(line)
    if (typeof parsed === 'string') {
      problems.push({detail: isPartial ? `the last line is cut off (no newline): ${parsed}` : parsed, kind: isPartial ? 'truncated' : 'malformed', line: lineNo})
      expected = {prevSha256: lineHashes[index] ?? ZERO_SHA256, seq: expected.seq + 1}
      return
    }
    events.push(parsed)
    eventLines.push(index)
    if (serializeCustodyEvent(parsed) !== line) {
      problems.push({detail: 'the line is not byte-for-byte what was signed (reformatted or edited)', kind: 'edited', line: lineNo})
    }
    if (isPartial) problems.push({detail: 'the last line has no newline: the file was cut off while or after it was written', kind: 'truncated', line: lineNo})
    const link = classifyLink(parsed, index, expected, positionOfHash, anchor)
    if (link !== undefined) problems.push({...link, line: lineNo})
    const bad = signatureProblem(parsed, publicKey)
    if (bad !== undefined) problems.push({...bad, line: lineNo})
    expected = {prevSha256: lineHashes[index] ?? ZERO_SHA256, seq: parsed.seq + 1}
  })

  const lastEvent = events.at(-1)
  const head = lines.length > 0 && lastEvent !== undefined ? {seq: lastEvent.seq, sha256: lineHashes.at(-1) ?? ''} : undefined
  if (options.head !== undefined) problems.push(...checkHead(options.head, events, eventLines, lineHashes))
  return {events, head, intact: problems.length === 0, problems, signaturesChecked: publicKey !== undefined}
}

function classifyLink(
  event: CustodyEvent,
  index: number,
  expected: CustodyAnchor,
  positionOfHash: Map<string, number>,
  anchor: CustodyAnchor,
): {detail: string; kind: CustodyProblemKind} | undefined {
  if (event.seq === expected.seq && event.prev_sha256 === expected.prevSha256) return undefined
  const where = positionOfHash.get(event.prev_sha256)
  if (where !== undefined && where !== index - 1) {
    return {detail: `seq ${event.seq} follows line ${where + 1} in the chain but sits at line ${index + 1}`, kind: 'reordered'}
  }
  if (index > 0 && event.prev_sha256 === anchor.prevSha256) {
    return {detail: `seq ${event.seq} is the chain's first event but sits at line ${index + 1}`, kind: 'reordered'}
  }
  if (event.seq > expected.seq && where === undefined) {
    const missing = event.seq - expected.seq
    return {
      detail: `seq jumps from ${expected.seq - 1} to ${event.seq}: ${missing} line(s) ${index === 0 ? 'at the start' : 'before this one'} were removed`,
      kind: 'truncated',
    }
  }
  if (event.seq < expected.seq) return {detail: `seq ${event.seq} where ${expected.seq} was expected (a line repeated or moved)`, kind: 'reordered'}
  if (where === index - 1) return {detail: `seq ${event.seq} where ${expected.seq} was expected (seq edited)`, kind: 'edited'}
  return {
    detail:
      index === 0
        ? `the first line does not link to the start of the chain (prev_sha256 ${event.prev_sha256.slice(0, 12)}…)`
        : `line ${index} was changed after line ${index + 1} was written (its SHA-256 is not the one recorded here)`,
    kind: 'edited',
  }
}

function checkHead(head: CustodyHead, events: CustodyEvent[], eventLines: number[], lineHashes: string[]): CustodyProblem[] {
  const at = events.findIndex((event) => event.seq === head.seq)
  const lastLine = lineHashes.length
  if (at === -1) {
    const last = events.at(-1)?.seq ?? 0
    return last < head.seq
      ? [{detail: `the recorded head is seq ${head.seq} but the chain ends at seq ${last}: trailing line(s) were removed`, kind: 'truncated', line: lastLine}]
      : [{detail: `no line has the recorded head's seq ${head.seq}`, kind: 'edited', line: lastLine}]
  }
  const lineIndex = eventLines[at] ?? 0
  if (lineHashes[lineIndex] !== head.sha256) {
    return [{detail: `the line with seq ${head.seq} does not hash to the recorded head ${head.sha256.slice(0, 12)}…`, kind: 'edited', line: lineIndex + 1}]
  }
  return []
}
