import fc from 'fast-check'
import {chmod, readFile, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {beforeAll, describe, expect, test} from 'vitest'

import {type CustodyAction, appendCustodyEvent, checkCustodyChain, SIDECAR_ACTIONS, ZERO_SHA256} from '../../src/integrity/custody.js'
import {nextLink, sha256Hex} from '../../src/integrity/custody-chain.js'
import {createOneTimeSigner, signerPublicKey} from '../../src/integrity/signer.js'
import {HipaaIrError} from '../../src/core/errors.js'
import {makeTempDir} from '../helpers/temp.js'

const signer = createOneTimeSigner('IR-9')
const key = signerPublicKey(signer)
const BUNDLE = 'a'.repeat(64)
let chainText = ''
let lines: string[] = []

beforeAll(async () => {
  const dir = await makeTempDir('hipaa-ir-custody-')
  const file = join(dir, 'custody.jsonl')
  const actions: CustodyAction[] = ['collected', 'sealed', 'signed', 'copied', 'pushed', 'verified', 'transferred', 'accessed']
  for (const [index, action] of actions.entries()) {
    await appendCustodyEvent(
      file,
      {action, actor: `person ${index}`, bundleSha256: BUNDLE, host: 'web1', note: index % 2 ? 'note "quoted"' : undefined, time: new Date(Date.UTC(2026, 2, 1, 10, index)), to: action === 'transferred' ? 'counsel' : undefined},
      signer,
    )
  }
  chainText = await readFile(file, 'utf8')
  lines = chainText.trimEnd().split('\n')
})

const join_ = (parts: string[]): string => parts.map((line) => `${line}\n`).join('')

describe('custody chain', () => {
  test('an appended chain is intact, linked by SHA-256 and numbered from 1', () => {
    const check = checkCustodyChain(chainText, key.publicKey)
    expect(check.problems).toEqual([])
    expect(check.intact).toBe(true)
    expect(check.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(check.events[0]?.prev_sha256).toBe(ZERO_SHA256)
    expect(check.events[1]?.prev_sha256).toBe(sha256Hex(lines[0] ?? ''))
    expect(check.events[6]?.to).toBe('counsel')
    expect(check.head).toEqual({seq: 8, sha256: sha256Hex(lines[7] ?? '')})
  })

  test('lines signed by a key that is not given are wrong-key', () => {
    const other = signerPublicKey(createOneTimeSigner('x'))
    const check = checkCustodyChain(chainText, [other])
    expect(check.intact).toBe(false)
    expect(new Set(check.problems.map((problem) => problem.kind))).toEqual(new Set(['wrong-key']))
  })

  test('a sidecar continues from the in-bundle chain through its anchor', async () => {
    const dir = await makeTempDir('hipaa-ir-sidecar-')
    const bundlePart = join_(lines.slice(0, 3))
    const anchor = nextLink(bundlePart)
    const sidecar = join(dir, 'NAME.custody.jsonl')
    await appendCustodyEvent(sidecar, {action: 'pushed', actor: 'ops', bundleSha256: BUNDLE}, signer, {anchor})
    const sidecarText = await readFile(sidecar, 'utf8')
    expect(checkCustodyChain(bundlePart + sidecarText, [key]).intact).toBe(true)
    // Cutting the in-bundle part away is visible from the sidecar alone.
    expect(checkCustodyChain(sidecarText, [key]).problems[0]?.kind).toBe('truncated')
  })

  test('a removed last line is detected only against a recorded head', () => {
    const head = checkCustodyChain(chainText).head
    const shortened = join_(lines.slice(0, -1))
    expect(checkCustodyChain(shortened, [key]).intact).toBe(true)
    const check = checkCustodyChain(shortened, [key], {head})
    expect(check.problems.map((problem) => problem.kind)).toEqual(['truncated'])
  })

  test('a line cut off mid-write is truncated; garbage is malformed; reformatting is edited', () => {
    expect(checkCustodyChain(chainText.slice(0, -20), [key]).problems.some((problem) => problem.kind === 'truncated')).toBe(true)
    expect(checkCustodyChain(join_([...lines.slice(0, 2), 'not json', ...lines.slice(2)]), [key]).problems.some((problem) => problem.kind === 'malformed')).toBe(true)
    const spaced = join_([lines[0]?.replace('{"seq":1,', '{"seq": 1,') ?? '', ...lines.slice(1)])
    expect(checkCustodyChain(spaced, [key]).problems[0]?.kind).toBe('edited')
  })

  test('appending to a file whose last line is cut off is refused', async () => {
    const dir = await makeTempDir('hipaa-ir-cut-')
    const file = join(dir, 'c.jsonl')
    await writeFile(file, chainText.slice(0, -5))
    await expect(appendCustodyEvent(file, {action: 'accessed', actor: 'x', bundleSha256: BUNDLE}, signer)).rejects.toThrow(/cut-off/)
  })

  test('unknown actions are refused', async () => {
    await expect(appendCustodyEvent('/nonexistent/x', {action: 'deleted' as CustodyAction, actor: 'x', bundleSha256: BUNDLE}, signer)).rejects.toThrow(/unknown custody action/)
    expect(SIDECAR_ACTIONS).toContain('retention-verified')
  })
})

describe('custody chain properties: every edit, deletion and reordering is detected', () => {
  test('a different base64 spelling of the same signature on the last line is detected', () => {
    const last = lines.at(-1) ?? ''
    const padded = /"sig":"([^"]*)(.)=="/.exec(last)
    const spelled = last.replace(`${padded?.[2]}=="}`, `${String.fromCharCode((padded?.[2] ?? 'A').charCodeAt(0) ^ 1)}=="}`)
    expect(spelled).not.toBe(last)
    expect(checkCustodyChain(join_([...lines.slice(0, -1), spelled]), [key]).intact).toBe(false)
  })

  test('any byte edit of any line', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({max: 126, min: 32}), (lineSeed, posSeed, char) => {
        const index = lineSeed % lines.length
        const line = lines[index] ?? ''
        const pos = posSeed % line.length
        fc.pre(line.charCodeAt(pos) !== char)
        const edited = [...lines]
        edited[index] = line.slice(0, pos) + String.fromCharCode(char) + line.slice(pos + 1)
        return !checkCustodyChain(join_(edited), [key]).intact
      }),
      {numRuns: 400},
    )
  })

  test('any field of any line rewritten to another value, even in canonical form', () => {
    const fields = ['time', 'actor', 'host', 'action', 'note', 'bundle_sha256'] as const
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(...fields), fc.string({minLength: 1}), (lineSeed, field, value) => {
        const index = lineSeed % lines.length
        const event = JSON.parse(lines[index] ?? '{}') as Record<string, unknown>
        const replacement = field === 'action' ? 'accessed' : field === 'bundle_sha256' ? 'b'.repeat(64) : value
        fc.pre(event[field] !== replacement)
        event[field] = replacement
        const edited = [...lines]
        edited[index] = JSON.stringify(event)
        return !checkCustodyChain(join_(edited), [key]).intact
      }),
      {numRuns: 100},
    )
  })

  test('deleting any non-empty set of lines (the last one too, given the recorded head)', () => {
    const head = checkCustodyChain(chainText).head
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({max: lines.length - 1}), {maxLength: lines.length, minLength: 1}), (removed) => {
        const kept = lines.filter((_line, index) => !removed.includes(index))
        return !checkCustodyChain(join_(kept), [key], {head}).intact
      }),
      {numRuns: 150},
    )
  })

  test('deleting any set of lines that leaves the last one is detected even without a head', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat({max: lines.length - 2}), {maxLength: lines.length - 1, minLength: 1}), (removed) => {
        const kept = lines.filter((_line, index) => !removed.includes(index))
        return !checkCustodyChain(join_(kept), [key]).intact
      }),
      {numRuns: 150},
    )
  })

  test('any reordering of the lines', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(lines, {maxLength: lines.length, minLength: lines.length}), (shuffled) => {
        fc.pre(shuffled.some((line, index) => line !== lines[index]))
        return !checkCustodyChain(join_(shuffled), [key]).intact
      }),
      {numRuns: 150},
    )
  })

  test('duplicating any line', () => {
    fc.assert(
      fc.property(fc.nat({max: lines.length - 1}), fc.nat({max: lines.length}), (from, to) => {
        const copy = [...lines]
        copy.splice(to, 0, lines[from] ?? '')
        return !checkCustodyChain(join_(copy), [key]).intact
      }),
      {numRuns: 100},
    )
  })
})

describe('the custody sidecar is never appended through a link (security H1)', () => {
  test('a planted NAME.custody.jsonl link is refused before it is read; the file it points at is untouched', async () => {
    const dir = await makeTempDir('hipaa-ir-sidecar-link-')
    const victim = join(dir, 'created-by-root.sh')
    await writeFile(victim, '#!/bin/sh\n')
    await chmod(victim, 0o644)
    const sidecar = join(dir, 'NAME.custody.jsonl')
    await symlink(victim, sidecar)
    const error = await appendCustodyEvent(sidecar, {action: 'transferred', actor: 'ops', bundleSha256: BUNDLE, to: 'counsel'}, signer).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(HipaaIrError)
    expect((error as HipaaIrError).code).toBe('E_OUTPUT_LINK')
    expect((error as HipaaIrError).message).toContain(`${sidecar} is a symbolic link (to ${victim})`)
    expect(await readFile(victim, 'utf8')).toBe('#!/bin/sh\n')
    expect((await stat(victim)).mode & 0o7777).toBe(0o644)
  })
})
