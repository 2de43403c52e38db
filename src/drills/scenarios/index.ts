/** Every scenario, in the order `drill list` shows them. */
import type {Scenario, ScenarioSummary} from '../types.js'
import {businessAssociate} from './business-associate.js'
import {credentialStuffing} from './credential-stuffing.js'
import {insiderSnooping} from './insider-snooping.js'
import {laptopEncrypted, laptopUnencrypted} from './laptop.js'
import {misdirectedEmail} from './misdirected-email.js'
import {ransomware} from './ransomware.js'

export const SCENARIOS: readonly Scenario[] = [
  ransomware,
  laptopEncrypted,
  laptopUnencrypted,
  insiderSnooping,
  misdirectedEmail,
  businessAssociate,
  credentialStuffing,
]

export function findScenario(id: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.id === id)
}

export function scenarioSummaries(): ScenarioSummary[] {
  return SCENARIOS.map((s) => ({id: s.id, summary: s.summary, title: s.title}))
}
