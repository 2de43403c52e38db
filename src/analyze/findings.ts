/**
 * The finding engines, in one place: the built-in and YAML rules (rules/), which query the case
 * database, and Sigma (sigma/), which reads auth lines, shell history and audit events from it and
 * the raw audit records from each unpacked bundle. Rule and Sigma files are loaded (and a bad one
 * refused, exit 2) before any bundle is verified or loaded.
 */
import type {CaseDb} from './case-db.js'
import {compareFindings, type Finding} from './finding.js'
import {type LoadedRule, loadRules} from './rules/load.js'
import {runRules} from './rules/run.js'
import {loadSigmaDirs, sigmaFindings, type SigmaRule, type SkippedRule} from './sigma/index.js'

export interface FindingEngines {
  rules: LoadedRule[]
  /** --sigma folders, and how many rules they hold. */
  sigmaDirs: readonly string[]
  sigmaRules: number
  /** The loaded Sigma rules (run without reading the folders again). */
  sigma: SigmaRule[]
  /** Sigma rules outside the supported subset, with the reason (never silently dropped). */
  sigmaSkipped: SkippedRule[]
}

/** Loads the built-in rules, every --rules folder and every --sigma folder: a bad file is exit 2 before any work. */
export async function loadFindingEngines(ruleDirs: readonly string[], sigmaDirs: readonly string[]): Promise<FindingEngines> {
  const rules = await loadRules(ruleDirs)
  const sigma = await loadSigmaDirs(sigmaDirs)
  return {rules, sigma: sigma.rules, sigmaDirs, sigmaRules: sigma.rules.length, sigmaSkipped: sigma.skipped}
}

export interface FindingEngineInput {
  db: CaseDb
  engines: FindingEngines
  /** The unpacked bundles (Sigma reads their raw audit records). */
  bundles: ReadonlyArray<{dir: string; name: string; verified: boolean}>
  /** The PHI folders the bundles' manifests name. */
  phiDirs: readonly string[]
  /** Each host's own addresses (manifests, --host-address), besides its network evidence. */
  hostAddresses?: Readonly<Record<string, readonly string[]>>
  /** --param NAME=VALUE overrides of the rules' parameters (checked against each rule's declared type). */
  params?: Readonly<Record<string, string>>
  window: {start: Date | null; end: Date | null}
}

/** Every engine's findings, worst first then earliest. */
export async function runFindingEngines(input: FindingEngineInput): Promise<Finding[]> {
  const findings = await runRules(input.db.connection, {hostAddresses: input.hostAddresses, ...(input.params ? {params: input.params} : {}), phiDirs: input.phiDirs, rules: input.engines.rules, window: input.window})
  if (input.engines.sigmaRules > 0) {
    // Sigma needs no history before the window: it reads only the events inside it.
    const sigma = await sigmaFindings({
      bundles: input.bundles, connection: input.db.connection, dirs: input.engines.sigmaDirs, rules: input.engines.sigma,
      since: input.window.start?.toISOString(), until: input.window.end?.toISOString(),
    })
    findings.push(...sigma.findings)
  }
  return findings.sort(compareFindings)
}
