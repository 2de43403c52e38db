/**
 * The built-in collectors, read from the artifact files beside this module (`*.yaml`, the format users
 * write their own in; the build copies them next to the compiled module). They are part of the
 * program: a file that does not validate is a defect of the package, and loading stops on it.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {parseArtifactText} from '../artifacts/load.js'
import {artifactToSpec} from '../artifacts/to-spec.js'
import type {CollectorSpec} from '../spec.js'

const here = fileURLToPath(new URL('.', import.meta.url))

function loadBuiltins(): CollectorSpec[] {
  const names = readdirSync(here).filter((name) => name.endsWith('.yaml')).sort()
  if (names.length === 0) throw new Error(`no built-in collector definitions (*.yaml) beside ${here}: the build did not copy them`)
  return names.map((name) => artifactToSpec(parseArtifactText(readFileSync(`${here}${name}`, 'utf8'), `built-in ${name}`, {builtin: true}), 'built-in'))
}

/** Every built-in collector, in no particular order: the plan sorts them by volatility. */
export const collectorDefinitions: readonly CollectorSpec[] = loadBuiltins()
