import * as Flags from '@oclif/core/flags'
import {resolve} from 'node:path'

import {BaseCommand} from '../../cli/base-command.js'
import {UsageError} from '../../core/errors.js'
import {writeKeyPairFiles} from '../../integrity/key-files.js'
import {canPrompt, newPassphraseFromTty, PASSPHRASE_ENV, passphraseFromEnv} from '../../integrity/passphrase.js'
import {hex} from '../../integrity/signify-format.js'
import {newKeyPair} from '../../integrity/signify-keys.js'

export interface KeysGenerateResult {
  fingerprint: string
  passphrase: 'none' | 'environment' | 'terminal'
  publicKey: string
  secretKey: string
}

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/

export default class KeysGenerate extends BaseCommand<KeysGenerateResult> {
  static override summary = 'Make a new Ed25519 signing key pair in signify format'
  static override description = `Writes DIR/NAME.sec (mode 0600) and DIR/NAME.pub. Existing files are never overwritten (exit 2).
The files are OpenBSD signify keys: \`signify-openbsd -V -p NAME.pub\` checks what hipaa-ir signs.

Passphrase protection is optional: set ${PASSPHRASE_ENV} in the environment, or give --passphrase to be asked on the terminal. A passphrase is never taken from a flag value.`

  static override examples = [
    '<%= config.bin %> <%= command.id %> --out-dir /root/.hipaa-ir',
    '<%= config.bin %> <%= command.id %> --out-dir ./keys --name examiner-jdoe --passphrase',
  ]

  static override flags = {
    'out-dir': Flags.string({description: 'folder for the key files (created 0700 if missing)', required: true}),
    name: Flags.string({default: 'hipaa-ir', description: 'base name of the key files: NAME.sec and NAME.pub'}),
    passphrase: Flags.boolean({
      default: false,
      description: `protect the secret key with a passphrase asked on the terminal (or taken from ${PASSPHRASE_ENV})`,
    }),
  }

  async run(): Promise<KeysGenerateResult> {
    const {flags} = await this.parse(KeysGenerate)
    if (!NAME_PATTERN.test(flags.name)) {
      throw new UsageError(`--name ${JSON.stringify(flags.name)}: use letters, digits, dot, dash and underscore only (no slashes)`)
    }
    let passphrase = passphraseFromEnv()
    let source: KeysGenerateResult['passphrase'] = passphrase === undefined ? 'none' : 'environment'
    if (flags.passphrase && passphrase === undefined) {
      if (!canPrompt()) throw new UsageError(`--passphrase needs a terminal to ask on`, {suggestions: [`or set ${PASSPHRASE_ENV} in the environment`]})
      passphrase = await newPassphraseFromTty()
      source = 'terminal'
    }
    const keyPair = newKeyPair()
    const files = await writeKeyPairFiles(resolve(flags['out-dir']), flags.name, keyPair, passphrase)
    keyPair.secretKey.fill(0)
    const result: KeysGenerateResult = {
      fingerprint: hex(keyPair.keynum),
      passphrase: source,
      publicKey: files.publicKeyPath,
      secretKey: files.secretKeyPath,
    }
    if (!this.jsonEnabled()) {
      this.log(`secret key: ${result.secretKey} (0600${source === 'none' ? ', no passphrase' : ', passphrase-protected'})`)
      this.log(`public key: ${result.publicKey}`)
      this.log(`key number: ${result.fingerprint}`)
      this.log('Keep the secret key off the servers you investigate when you can; hand out the .pub file to whoever verifies.')
    }
    return result
  }
}
