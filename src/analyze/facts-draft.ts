/**
 * The facts draft of `analyze --facts-out`: a facts file that `hipaa-ir timeline --facts` accepts as
 * it is, with every value drafted from evidence commented with the evidence it came from, and every
 * value only a person can decide left as a `[[DECIDE: …]]` marker (the timeline then runs on a stated
 * provisional reading; see src/timeline/facts/undecided.ts). Pure: text in, text out.
 */
import type {Finding} from './finding.js'
import type {PeopleCount} from './scope/patient-map.js'
import type {PhiTypes} from './scope/phi-types.js'
import type {Scope} from './scope/compute-scope.js'

export interface FactsDraftInput {
  caseId: string
  scope: Scope
  findings: readonly Finding[]
  phiTypes: PhiTypes
  /** From --patient-map, or null without one. */
  people: PeopleCount | null
  patientMap: string | null
  bundles: ReadonlyArray<{name: string; host: string; verified: boolean}>
  /** The bundle to quote the posture snapshot of (`evidence:`), as a path relative to the draft, or null. */
  evidencePath: string | null
  /** When the draft was made (ISO). */
  drafted: string
}

/** A YAML scalar: JSON's double-quoted strings are valid YAML. */
const q = (value: string) => JSON.stringify(value)
/** A comment stays on its line, whatever the evidence holds. */
const c = (text: string) => `  # ${text.replace(/[\r\n\u2028\u2029]+/g, ' ').slice(0, 400)}`
const decide = (what: string) => q(`[[DECIDE: ${what}]]`)
const day = (iso: string | null) => (iso === null ? null : iso.slice(0, 10))

function refOf(f: Finding): string {
  return f.refs[0] === undefined ? 'no ref' : `ref ${f.refs[0]}`
}

function describe(input: FactsDraftInput, behind: Finding[]): string {
  const {scope} = input
  const titles = [...new Set(behind.map((f) => f.title))].slice(0, 4).join('; ')
  const hosts = scope.hosts.length === 1 ? `host ${scope.hosts[0]}` : `${scope.hosts.length} hosts (${scope.hosts.join(', ')})`
  const who = scope.accounts.length > 0 ? ` Accounts used: ${scope.accounts.join(', ')}.` : ''
  const from = scope.sources.length > 0 ? ` Source addresses: ${scope.sources.join(', ')}.` : ''
  const tools = scope.programs.length > 0 ? ` Programs of the intruder's own: ${scope.programs.join(', ')}.` : ''
  return `Between ${scope.start} and ${scope.end} (UTC) the evidence shows on ${hosts}: ${titles}.${who}${from}${tools} ${scope.phi_files} PHI file${scope.phi_files === 1 ? '' : 's'} were touched by these accounts and programs in that window.`
}

export function renderFactsDraft(input: FactsDraftInput): string {
  const {scope} = input
  const behind = input.findings.filter((f) => scope.findings.includes(f.id))
  const first = [...behind].sort((a, b) => ((a.first ?? '') < (b.first ?? '') ? -1 : 1))[0]
  const last = [...behind].sort((a, b) => ((a.last ?? a.first ?? '') > (b.last ?? b.first ?? '') ? -1 : 1))[0]
  const lines: string[] = [
    `# hipaa-ir analyze: DRAFT incident facts for \`hipaa-ir timeline --facts\`, drafted ${input.drafted} from ${input.bundles.length} evidence bundle${input.bundles.length === 1 ? '' : 's'}.`,
    '# A DRAFT FOR COUNSEL, NOT LEGAL ADVICE. Every drafted value names the evidence it came from (see findings.json and report.md).',
    '# "[[DECIDE: ...]]" marks what only a person can decide. The timeline runs on this file as it is, on a provisional',
    '# reading it states (no deadline later than it could be), until each marker is replaced with the decision.',
    '',
    `id: ${q(input.caseId)}${c('the case id of the bundles')}`,
    `reporter: ${decide('covered-entity or business-associate')}`,
    'entity:',
    `  name: ${decide('the legal name of the entity that sends the notices')}`,
    `  phone: ${decide('a toll-free number for questions (164.404(c)(1)(E))')}`,
    `  email: ${decide('the contact email')}`,
    `  website: ${decide('the website')}`,
    `  address: ${decide('the postal address')}`,
    '',
    `discovered: ${decide('the first day anyone other than the intruder knew of the breach, or would have with reasonable diligence (164.404(a)(2))')}`,
    '',
    'breach:',
    scope.start === null ? `  start: ${decide('no finding of medium severity or worse: the evidence does not show when a breach began')}` : `  start: ${day(scope.start)}${c(`first malicious event ${scope.start}: ${first?.rule ?? '?'} on ${first?.host ?? '?'} (${first ? refOf(first) : 'no ref'})`)}`,
    scope.end === null ? `  end: ${decide('when the breach ended')}` : `  end: ${day(scope.end)}${c(`last malicious event ${scope.end}: ${last?.rule ?? '?'} on ${last?.host ?? '?'} (${last ? refOf(last) : 'no ref'})`)}`,
    scope.start === null ? `  description: ${decide('what happened')}` : `  description: ${q(describe(input, behind))}${c(`drafted from findings ${behind.slice(0, 6).map((f) => f.id).join(', ')}${behind.length > 6 ? ', …' : ''}`)}`,
  ]
  if (input.phiTypes.types.length > 0) {
    lines.push(`  phi_types: [${input.phiTypes.types.map(q).join(', ')}]${c('from the names of the folders touched; check against what the files hold')}`)
    for (const type of input.phiTypes.types) lines.push(`  #   ${type}: ${(input.phiTypes.from[type] ?? []).join(', ')}`)
  } else lines.push(`  phi_types: [${decide('the kinds of PHI in the files touched')}]`)
  for (const folder of input.phiTypes.unknownFolders.slice(0, 10)) lines.push(`  #   [[DECIDE]] what PHI ${folder} holds (its name says nothing)`)
  lines.push('  type: Hacking/IT Incident  # HHS portal category; change it if the evidence says otherwise', '  location: Network Server', '')
  if (input.people === null) {
    lines.push(`affected: ${decide('residents per state: run analyze with --patient-map (a CSV exported from the EHR) to count them')}${c(`${scope.phi_files} PHI files in scope, see phi-paths.txt`)}`)
  } else {
    const counts = Object.entries(input.people.byState).map(([state, n]) => `${state}: ${n}`).join(', ')
    lines.push(`affected: {${counts}}${c(`from --patient-map ${input.patientMap ?? ''}: ${input.people.individuals} individuals behind ${scope.phi_files} PHI files${input.people.unmapped > 0 ? `; ${input.people.unmapped} files no row of the map covers` : ''}${input.people.conflicts.length > 0 ? `; ${input.people.conflicts.length} patients in more than one state, counted once` : ''}`)}`)
    if (input.people.unmapped > 0) lines.push(`# [[DECIDE]] ${input.people.unmapped} PHI files in scope are not in the patient map: find whose they are and add them to affected.`)
  }
  lines.push(
    '',
    `secured: ${decide('true only if the PHI was encrypted per HHS guidance and the key was not compromised, or destroyed')}`,
    'exception: none  # none applies unless counsel finds one (164.402(1))',
    `low_probability: ${decide('the outcome of the documented four-factor risk assessment (164.402(2))')}`,
    `insufficient_contact: 0  # individuals with out-of-date contact information (10 or more: substitute notice)`,
    '',
  )
  if (input.evidencePath !== null) lines.push(`evidence: ${q(input.evidencePath)}${c('its posture snapshot is quoted on the secured question')}`)
  lines.push(input.bundles.length === 0 ? 'evidence_bundles: []' : 'evidence_bundles:')
  for (const bundle of input.bundles) lines.push(`  - ${q(bundle.name)}${c(`${bundle.host}, ${bundle.verified ? 'verified' : 'NOT VERIFIED: findings from it are marked unverified'}`)}`)
  return `${lines.join('\n')}\n`
}
