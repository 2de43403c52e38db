import type {Deadline, IsoDate} from '../types.js'

/** Wording for people (letters, chart labels): dates, counts, state names and PHI types in words. Pure. */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const

/** `2026-03-03` → `March 3, 2026`; anything that is not a date is returned as is (a placeholder, a "no date" text). */
export function longDate(value: IsoDate): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  const month = m === null ? undefined : MONTHS[Number(m[2]) - 1]
  return m === null || month === undefined ? value : `${month} ${Number(m[3])}, ${m[1]}`
}

/** `2026-03-03` → `Mar 3`: chart ticks. */
export function shortDate(value: IsoDate): string {
  return longDate(value).replace(/^(\w{3})\w* (\d+), \d+$/, '$1 $2')
}

/** 1840 → `1,840`. */
export function withCommas(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

const STATE_NAMES: Readonly<Record<string, string>> = {
  AK: 'Alaska', AL: 'Alabama', AR: 'Arkansas', AS: 'American Samoa', AZ: 'Arizona', CA: 'California', CO: 'Colorado', CT: 'Connecticut',
  DC: 'the District of Columbia', DE: 'Delaware', FL: 'Florida', GA: 'Georgia', GU: 'Guam', HI: 'Hawaii', IA: 'Iowa', ID: 'Idaho',
  IL: 'Illinois', IN: 'Indiana', KS: 'Kansas', KY: 'Kentucky', LA: 'Louisiana', MA: 'Massachusetts', MD: 'Maryland', ME: 'Maine',
  MI: 'Michigan', MN: 'Minnesota', MO: 'Missouri', MP: 'the Northern Mariana Islands', MS: 'Mississippi', MT: 'Montana', NC: 'North Carolina',
  ND: 'North Dakota', NE: 'Nebraska', NH: 'New Hampshire', NJ: 'New Jersey', NM: 'New Mexico', NV: 'Nevada', NY: 'New York', OH: 'Ohio',
  OK: 'Oklahoma', OR: 'Oregon', PA: 'Pennsylvania', PR: 'Puerto Rico', RI: 'Rhode Island', SC: 'South Carolina', SD: 'South Dakota',
  TN: 'Tennessee', TX: 'Texas', UT: 'Utah', VA: 'Virginia', VI: 'the U.S. Virgin Islands', VT: 'Vermont', WA: 'Washington', WI: 'Wisconsin',
  WV: 'West Virginia', WY: 'Wyoming',
}

/** `OR` → `Oregon` (the code itself when unknown). */
export function stateName(code: string): string {
  return STATE_NAMES[code] ?? code
}

const PHI_WORDS: Readonly<Record<string, string>> = {
  dob: 'date of birth',
  mrn: 'medical record number',
  ssn: 'Social Security number',
  'social-security-number': 'Social Security number',
}

/** A PHI type as written in the facts (`date-of-birth`, `insurance_id`) → words (`date of birth`, `insurance ID`). */
export function phiTypeWords(value: string): string {
  const key = value.trim().toLowerCase()
  const known = PHI_WORDS[key]
  if (known !== undefined) return known
  if (!/^[a-z0-9]+([-_][a-z0-9]+)+$/i.test(value.trim())) return value
  return value.trim().split(/[-_]/).map((w) => (/^(id|ssn|mrn|ip|dna)$/i.test(w) ? w.toUpperCase() : w)).join(' ')
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A chart row label in words (`CA residents`, `HHS`, `Media (NV)`), short enough for the label column. */
export function deadlineLabel(d: Deadline, max = 44): string {
  const words = capitalize(d.audience.trim() === '' ? d.title : d.audience)
  if (words.length <= max) return words
  const cut = words.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:]+$/, '')}…`
}

const DEFERENCE_MAYBE = '(deferred?) HIPAA deference:'

/** What "(deferred?) HIPAA deference" means, said where the user reads it. */
export const DEFERENCE_EXPLAINED = 'HIPAA deference: this state may treat a HIPAA-compliant notice as meeting its own rule, so its separate notice may not be needed (ask counsel before relying on it):'

/** Under the state table: what its "HIPAA deference" column means. */
export const DEFERENCE_LEGEND = 'HIPAA deference: whether notice given under HIPAA also satisfies the notice law of the state. Where the state may accept it, its separate notice may not be needed; ask counsel before relying on that.'

/** A rule note in words: the cryptic "(deferred?)" prefix spelled out. */
export function explainNote(note: string): string {
  return note.startsWith(DEFERENCE_MAYBE) ? `${DEFERENCE_EXPLAINED}${note.slice(DEFERENCE_MAYBE.length)}` : note
}
