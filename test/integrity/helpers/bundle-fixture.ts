import {execa} from 'execa'
import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {appendCustodyEvent} from '../../../src/integrity/custody.js'
import {hashFile} from '../../../src/io/evidence-fs.js'
import {formatSha256Sums} from '../../../src/integrity/sha256sums.js'
import {type Signer, createOneTimeSigner} from '../../../src/integrity/signer.js'
import {makeTempDir} from '../../helpers/temp.js'

export interface BundleFixture {
  /** Folder holding the tarball, its .sig and NAME.pub. */
  dir: string
  name: string
  /** The extracted bundle folder DIR/work/NAME (built before tarring). */
  folder: string
  tarball: string
  pub: string
  signer: Signer
}

export const ARTIFACTS: Record<string, string> = {
  'acquisition.jsonl': '{"time":"2026-03-01T10:15:00Z","step":"auth","argv":["journalctl"],"exit_code":0}\n',
  'auth/auth-events.txt': 'Mar  1 10:00:01 web1 sshd[811]: Failed password for invalid user admin from 203.0.113.9 port 50022 ssh2\n',
  'auth/events.jsonl': '{"time":"2026-03-01T10:00:01Z","kind":"failed","user":"admin","ip":"203.0.113.9"}\n',
  'phi-files/recently-modified.jsonl': '{"path":"/var/data/phi/a.csv","type":"file","size":12}\n',
  'sessions/who.txt': 'alice pts/0 2026-03-01 09:58 (198.51.100.7)\n',
}

/**
 * Builds a bundle as collect does: artifacts, manifest.json, custody.jsonl, SHA256SUMS and its
 * signature inside NAME/, then `tar czf` and the detached NAME.tar.gz.sig, with NAME.pub beside it.
 */
export async function buildBundle(options: {signer?: Signer; name?: string; parent?: string} = {}): Promise<BundleFixture> {
  const dir = await makeTempDir('hipaa-ir-bundle-', options.parent)
  const name = options.name ?? 'IR-7_web1_20260301T101500Z'
  const signer = options.signer ?? createOneTimeSigner('IR-7')
  const work = join(dir, 'work')
  const folder = join(work, name)
  await mkdir(folder, {mode: 0o700, recursive: true})
  const files = []
  for (const [path, content] of Object.entries(ARTIFACTS)) {
    await mkdir(dirname(join(folder, path)), {mode: 0o700, recursive: true})
    await writeFile(join(folder, path), content, {mode: 0o600})
    if (path !== 'acquisition.jsonl') files.push({path, ...(await hashFile(join(folder, path)))})
  }
  // As collect writes it: the name, case and host agree with the file name (verify checks this).
  const [caseId = 'IR-7', host = 'web1'] = name.split('_')
  const manifest = {case: caseId, collectors: [], files, host, name}
  await writeFile(join(folder, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, {mode: 0o600})
  const manifestSha = (await hashFile(join(folder, 'manifest.json'))).sha256
  for (const action of ['collected', 'sealed', 'signed'] as const) {
    await appendCustodyEvent(join(folder, 'custody.jsonl'), {action, actor: 'examiner', bundleSha256: manifestSha, host: 'web1'}, signer)
  }
  const all = [...Object.keys(ARTIFACTS), 'manifest.json', 'custody.jsonl'].sort()
  const entries = []
  for (const path of all) entries.push({path, sha256: (await hashFile(join(folder, path))).sha256})
  const sums = formatSha256Sums(entries)
  await writeFile(join(folder, 'SHA256SUMS'), sums, {mode: 0o600})
  await writeFile(join(folder, 'SHA256SUMS.sig'), signer.sign(new TextEncoder().encode(sums)), {mode: 0o600})
  const tarball = join(dir, `${name}.tar.gz`)
  await execa('tar', ['czf', tarball, '-C', work, name])
  await chmod(tarball, 0o600)
  await writeFile(`${tarball}.sig`, signer.sign(new Uint8Array(await readFile(tarball))), {mode: 0o600})
  const pub = join(dir, `${name}.pub`)
  await writeFile(pub, signer.publicKeyText)
  return {dir, folder, name, pub, signer, tarball}
}
