import * as Args from '@oclif/core/args'
import * as Flags from '@oclif/core/flags'
import {basename} from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {ExitCode} from '../../cli/exit-codes.js'
import {UsageError, VerificationError} from '../../core/errors.js'
import {terminalValue} from '../../core/terminal-text.js'
import {type CustodyEvent} from '../../integrity/custody-chain.js'
import {publicKeyCandidates, resolveBundleTarget} from '../../integrity/bundle-target.js'
import {type BundleCustodyCheck, bundleDigest, checkBundleCustody, readBundleCustody} from '../../integrity/custody-files.js'
import {readPublicKeyFile} from '../../integrity/key-files.js'
import {pathExists} from '../../io/evidence-fs.js'
import {type SignifyPublicKey, hex} from '../../integrity/signify-format.js'

export interface CustodyShowResult extends BundleCustodyCheck {
  bundle: string
  sidecar: string
  keys: {fingerprint: string; path: string}[]
  bundleSha256: string
}


function parseHead(value: string): {seq: number; sha256: string} {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(value)
  if (match === null) throw new UsageError(`--expect-head ${JSON.stringify(value)}: expected SEQ:SHA256, as \`custody show\` prints it`)
  return {seq: Number(match[1]), sha256: match[2] ?? ''}
}

/**
 * One event for a person: who (the actor) and on which machine are kept apart, "by J. Doe (on host
 * vm)", and every value from the chain is escaped: an actor or note cannot steer the terminal.
 */
export function eventLine(event: CustodyEvent): string {
  const to = event.to === undefined ? '' : ` to ${terminalValue(event.to)}`
  const note = event.note === '' ? '' : `  "${terminalValue(event.note)}"`
  return `${String(event.seq).padStart(3)}  ${terminalValue(event.time)}  ${event.action.padEnd(18)} by ${terminalValue(event.actor)} (on host ${terminalValue(event.host)})${to}  [key ${event.key}]${note}`
}

export default class CustodyShow extends BaseCommand<CustodyShowResult> {
  static override summary = "Print a bundle's chain of custody and say whether it is intact"
  static override description = `Reads the in-bundle custody.jsonl (collected, sealed, signed) and the sidecar NAME.custody.jsonl next to the tarball (copied, pushed, verified, transferred, ...), checks that every line links to the one before by SHA-256, that seq runs without gaps, and that every line is signed by a known key.

Signature keys: every --pub given; only without --pub, hipaa-ir.pub and NAME.pub next to the bundle (which prove integrity, not origin: anyone who can write there can drop a key). A chain that was edited, reordered or truncated is named as such (exit 3), and so is a sidecar that does not belong to this bundle: an event naming another bundle's SHA-256 (foreign-bundle), or a sidecar that starts a chain of its own next to an unencrypted bundle (unlinked).

Removing the LAST lines of a chain leaves no trace in the chain itself: record the printed head (SEQ:SHA256) somewhere else (ticket, receipt) and pass it back with --expect-head.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> /evidence/IR-7_web1_20260301T101500Z.tar.gz',
    '<%= config.bin %> <%= command.id %> /evidence/IR-7_web1_20260301T101500Z.tar.gz --pub alice.pub --expect-head 5:3f1c...',
  ]

  static override args = {
    bundle: Args.string({description: 'bundle tarball (NAME.tar.gz) or extracted bundle folder', required: true}),
  }

  static override flags = {
    pub: Flags.string({description: 'public key of someone who signed custody events (repeatable)', multiple: true}),
    'expect-head': Flags.string({description: 'the head (SEQ:SHA256) recorded earlier; detects removed trailing lines'}),
  }

  async run(): Promise<CustodyShowResult> {
    const {args, flags} = await this.parse(CustodyShow)
    const target = await resolveBundleTarget(args.bundle)
    // Keys lying next to the bundle are trusted only when no --pub is given: anyone who can write there can drop one.
    const keyPaths = [...(flags.pub ?? [])]
    const adjacent = flags.pub === undefined || flags.pub.length === 0
    if (adjacent) for (const candidate of publicKeyCandidates(target)) if (await pathExists(candidate)) keyPaths.push(candidate)
    const keys: SignifyPublicKey[] = []
    for (const path of keyPaths) keys.push(await readPublicKeyFile(path))
    const head = flags['expect-head'] === undefined ? undefined : parseHead(flags['expect-head'])

    const custody = await readBundleCustody(target)
    const bundleSha256 = await bundleDigest(target)
    const check = checkBundleCustody(custody, basename(target.sidecarPath), keys, head, bundleSha256)
    if (!check.signaturesChecked) check.warnings.push('no public key found: links and order were checked, signatures were not (pass --pub)')
    else if (adjacent) {
      check.warnings.push(`the public key(s) were found next to the bundle (${keys.map((key) => hex(key.keynum)).join(', ')}): they prove the chain is intact, not who wrote it; pass --pub with keys obtained separately`)
    }
    const result: CustodyShowResult = {
      ...check,
      bundle: target.name,
      bundleSha256,
      keys: keys.map((key, index) => ({fingerprint: hex(key.keynum), path: keyPaths[index] ?? ''})),
      sidecar: target.sidecarPath,
    }
    if (this.jsonEnabled()) {
      if (!result.intact) process.exitCode = ExitCode.VerificationFailed
      return result
    }
    for (const event of result.events) this.log(eventLine(event))
    for (const warning of result.warnings) this.note(warning)
    if (result.head) this.log(`head: ${result.head.seq}:${result.head.sha256}`)
    if (result.intact) {
      this.log(`custody chain intact: ${result.events.length} events${result.signaturesChecked ? ', all signatures good' : ''}`)
      return result
    }
    for (const problem of result.problems) this.log(terminalValue(`${problem.kind.padEnd(14)} ${problem.file}${problem.line > 0 ? ` line ${problem.line}` : ''}: ${problem.detail}`))
    const kinds = [...new Set(result.problems.map((problem) => problem.kind))].join(', ')
    throw new VerificationError(`the custody chain of ${result.bundle} is broken (${kinds})`)
  }
}
