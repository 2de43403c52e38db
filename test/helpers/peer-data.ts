import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

const projectRoot = fileURLToPath(new URL('../../', import.meta.url))

/**
 * A file of the outside reference data (public test logs of loghub, jc, fail2ban, filebeat, audit
 * tools, and real captures; provenance in its SOURCES.md). It is not part of the project: it sits
 * beside the checkout, in `../shared/reference/peer-data`.
 */
export function peerDataPath(...parts: string[]): string {
  return join(projectRoot, '..', 'shared', 'reference', 'peer-data', ...parts)
}

export function peerData(...parts: string[]): string {
  return readFileSync(peerDataPath(...parts), 'utf8')
}
