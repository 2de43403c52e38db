import type {StateItem, StateRule, Threshold, Timing} from './types.js'

/**
 * State breach-notification rules as data (breach-rules.md §4). Each item: citation, trigger, threshold,
 * regulator (audience), status. Summaries, not legal text; every output shows each item's status.
 */

const any: Threshold = {op: 'any'}
const over = (n: number): Threshold => ({op: '>', n})
const atLeast = (n: number): Threshold => ({op: '>=', n})
const days = (n: number, from: 'determination' | 'discovery' = 'discovery', extra: Partial<Extract<Timing, {kind: 'days'}>> = {}): Timing => ({kind: 'days', n, unit: 'calendar', from, ...extra})
const withResidents: Timing = {kind: 'chained', after: 'individuals', n: 0, unit: 'calendar', relation: 'not-later-than'}

function residents(state: string, timing: Timing, citation: string, status: StateItem['status'], extra: Partial<StateItem> = {}): StateItem {
  return {key: 'individuals', title: `Notice to ${state} residents`, audience: `${state} residents`, timing, threshold: any, citation, status, appliesTo: 'notifier', ...extra}
}

function regulator(audience: string, timing: Timing, threshold: Threshold, citation: string, status: StateItem['status'], extra: Partial<StateItem> = {}): StateItem {
  return {key: 'regulator', title: `Notice to ${audience}`, audience, timing, threshold, citation, status, appliesTo: 'notifier', ...extra}
}

const RULES: StateRule[] = [
  {
    state: 'AL', name: 'Alabama', citation: 'Ala. Code 8-38-5, -6, -11', deferral: 'maybe',
    hipaaDeference: 'Compliance with federal law (HIPAA) is deemed compliance, except the AG notice when more than 1,000 (SECONDARY).',
    items: [
      residents('AL', days(45, 'determination'), 'Ala. Code 8-38-5', 'verified'),
      regulator('Alabama Attorney General', days(45, 'determination'), over(1000), 'Ala. Code 8-38-6', 'verified'),
    ],
  },
  {
    state: 'AZ', name: 'Arizona', citation: 'A.R.S. 18-552', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.',
    items: [
      residents('AZ', days(45, 'determination'), 'A.R.S. 18-552', 'secondary'),
      regulator('Arizona Attorney General and AZ Dept. of Homeland Security', days(45, 'determination'), over(1000), 'A.R.S. 18-552', 'secondary'),
    ],
  },
  {
    state: 'CA', name: 'California', citation: 'Cal. Civ. Code 1798.82 (SB 446, Stats. 2025)', deferral: 'content-only',
    hipaaDeference: 'A HIPAA covered entity complying with HITECH 13402(f) is deemed compliant with the content rules of 1798.82(d) only; no timing deference (SECONDARY).',
    items: [
      residents('CA', days(30), 'Cal. Civ. Code 1798.82(a) (SB 446)', 'secondary', {
        orNotification: true, effectiveFrom: '2026-01-01',
        before: {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count for breaches discovered before 2026-01-01)'},
      }),
      regulator('California Attorney General (sample copy)', {kind: 'chained', after: 'individuals', n: 15, unit: 'calendar', relation: 'after'}, over(500), 'Cal. Civ. Code 1798.82(f) (SB 446)', 'secondary', {
        effectiveFrom: '2026-01-01', before: {kind: 'none', text: 'sample copy to the AG; no day count for breaches discovered before 2026-01-01'},
      }),
    ],
  },
  {
    state: 'CO', name: 'Colorado', citation: 'C.R.S. 6-1-716', deferral: 'maybe',
    hipaaDeference: 'UNVERIFIED: a "primary regulator" deemer and possibly a shortest-time-wins clause; not read.',
    items: [
      residents('CO', days(30, 'determination'), 'C.R.S. 6-1-716(2)', 'secondary', {notes: ['Colorado has its own law-enforcement delay clause: confirm with counsel.']}),
      regulator('Colorado Attorney General', days(30, 'determination'), atLeast(500), 'C.R.S. 6-1-716(2)(f)', 'secondary'),
    ],
  },
  {
    state: 'CT', name: 'Connecticut', citation: 'Conn. Gen. Stat. 36a-701b', deferral: 'maybe',
    hipaaDeference: 'HIPAA/HITECH-compliant notice is deemed compliant; the AG notice is still required (SECONDARY).',
    items: [
      residents('CT', days(60), 'Conn. Gen. Stat. 36a-701b(b)', 'secondary'),
      regulator('Connecticut Attorney General', withResidents, any, 'Conn. Gen. Stat. 36a-701b(b)', 'secondary'),
    ],
  },
  {
    state: 'DE', name: 'Delaware', citation: '6 Del. C. 12B-102, 12B-103', deferral: 'maybe',
    hipaaDeference: 'Deemed compliant if HIPAA-regulated and notifying under its procedures (12B-103(b)); whether the AG notice survives is UNVERIFIED.',
    items: [
      residents('DE', days(60, 'determination'), '6 Del. C. 12B-102(c)', 'verified'),
      regulator('Delaware Attorney General', withResidents, over(500), '6 Del. C. 12B-102(d)', 'verified'),
    ],
  },
  {
    state: 'FL', name: 'Florida', citation: 'Fla. Stat. 501.171', deferral: 'maybe',
    hipaaDeference: 'Notice under the federal regulator\'s rules is deemed compliant, but a copy goes to the Department (UNVERIFIED detail).',
    items: [
      residents('FL', days(30, 'determination', {extension: 15}), 'Fla. Stat. 501.171(4)(a)', 'secondary', {notes: ['+15 days if good cause is given to the Department in writing within the 30 days.']}),
      regulator('Florida Dept. of Legal Affairs (Attorney General)', days(30, 'determination', {extension: 15}), atLeast(500), 'Fla. Stat. 501.171(3)', 'secondary'),
    ],
  },
  {
    state: 'IL', name: 'Illinois', citation: '815 ILCS 530/10, 530/50', deferral: 'maybe',
    hipaaDeference: 'HIPAA entities are deemed compliant, but must notify the AG within 5 business days of notifying HHS (SECONDARY).',
    items: [
      residents('IL', {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count)'}, '815 ILCS 530/10(a)', 'secondary'),
      regulator('Illinois Attorney General', withResidents, over(500), '815 ILCS 530/10(e)', 'secondary'),
      {...regulator('Illinois Attorney General (HIPAA entities)', {kind: 'chained', after: 'hhs', n: 5, unit: 'business', relation: 'after'}, any, '815 ILCS 530/50', 'secondary'), key: 'regulator:after-hhs', hipaaOnly: true},
    ],
  },
  {
    state: 'IN', name: 'Indiana', citation: 'IC 24-4.9-3-1, -3-3', deferral: 'maybe',
    hipaaDeference: 'UNVERIFIED: a HIPAA carve-out exists for the data-security duty (3-3.5); the notice carve-out was not read.',
    items: [
      residents('IN', days(45), 'IC 24-4.9-3-3', 'verified'),
      regulator('Indiana Attorney General', {kind: 'none', text: 'whenever residents are notified; no separate deadline'}, any, 'IC 24-4.9-3-1(c)', 'verified'),
    ],
  },
  {
    state: 'LA', name: 'Louisiana', citation: 'La. R.S. 51:3074; LAC 16:III.701', deferral: 'none', hipaaDeference: 'None found.',
    items: [
      residents('LA', days(60), 'La. R.S. 51:3074(E)', 'verified', {notes: ['If delayed for scope or restoration, written reasons go to the AG within the 60 days.']}),
      regulator('Louisiana Attorney General, Consumer Protection Section', {kind: 'chained', after: 'individuals', n: 10, unit: 'calendar', relation: 'after'}, any, 'LAC 16:III.701', 'verified', {notes: ['Timely if RECEIVED within 10 days of distributing the resident notice; must list the names of all affected Louisiana residents.']}),
    ],
  },
  {
    state: 'MA', name: 'Massachusetts', citation: 'M.G.L. c. 93H §3', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (93H §5 interplay).',
    items: [
      residents('MA', {kind: 'none', text: 'as soon as practicable and without unreasonable delay (no day count)'}, 'M.G.L. c. 93H §3', 'secondary'),
      regulator('Massachusetts Attorney General and the Director of Consumer Affairs and Business Regulation (OCABR)', {kind: 'none', text: 'as soon as practicable and without unreasonable delay (no day count)'}, any, 'M.G.L. c. 93H §3', 'secondary'),
    ],
  },
  {
    state: 'MD', name: 'Maryland', citation: 'Md. Code Com. Law 14-3504', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.',
    items: [
      residents('MD', days(45), 'Md. Code Com. Law 14-3504(c)', 'secondary', {orNotification: true}),
      regulator('Maryland Attorney General', {kind: 'chained', after: 'individuals', n: 0, unit: 'calendar', relation: 'before'}, any, 'Md. Code Com. Law 14-3504(h)', 'secondary', {notes: ['Must reach the AG BEFORE the residents are notified.']}),
    ],
  },
  {
    state: 'ME', name: 'Maine', citation: '10 M.R.S. 1348', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.',
    items: [
      residents('ME', days(30), '10 M.R.S. 1348(1)', 'secondary', {notes: ['Counts from awareness of the breach AND identification of its scope; after a law-enforcement delay, within 7 business days of clearance.']}),
      regulator('Maine Attorney General (or Dept. of Professional & Financial Regulation for licensees)', {kind: 'none', text: 'when any Maine resident is notified; no separate day count'}, any, '10 M.R.S. 1348(5)', 'secondary'),
    ],
  },
  {
    state: 'NM', name: 'New Mexico', citation: 'N.M. Stat. 57-12C-6, -8, -10', deferral: 'maybe',
    hipaaDeference: 'Exemption section 57-12C-8 is believed to exempt persons subject to GLBA/HIPAA (text not read).',
    items: [
      residents('NM', days(45), 'N.M. Stat. 57-12C-6', 'secondary'),
      regulator('New Mexico Attorney General', days(45), over(1000), 'N.M. Stat. 57-12C-10', 'secondary'),
    ],
  },
  {
    state: 'NY', name: 'New York', citation: 'N.Y. Gen. Bus. Law 899-aa', deferral: 'maybe',
    hipaaDeference: 'Notice under HIPAA satisfies the individual notice per secondary sources; the regulator notices still apply (UNVERIFIED subsection).',
    items: [
      residents('NY', days(30), 'N.Y. Gen. Bus. Law 899-aa(2)', 'secondary'),
      regulator('New York Attorney General, Dept. of State and State Police', withResidents, any, 'N.Y. Gen. Bus. Law 899-aa(8)', 'secondary', {notes: ['Timing, content, distribution and approximate count; also DFS if a DFS-covered entity.']}),
      {...regulator('New York Attorney General (HIPAA entities, after HHS)', {kind: 'chained', after: 'hhs', n: 5, unit: 'business', relation: 'after'}, any, 'N.Y. Gen. Bus. Law 899-aa(9)', 'verified'), key: 'regulator:after-hhs', hipaaOnly: true},
    ],
  },
  {
    state: 'OH', name: 'Ohio', citation: 'Ohio Rev. Code 1349.19', deferral: 'maybe', hipaaDeference: 'UNVERIFIED: believed to exclude HIPAA covered entities; not confirmed.',
    items: [residents('OH', days(45), 'Ohio Rev. Code 1349.19(B)', 'secondary', {orNotification: true})],
  },
  {
    state: 'OR', name: 'Oregon', citation: 'ORS 646A.604', deferral: 'maybe', hipaaDeference: 'Exempt businesses may still have to notify the AG (DWT); HIPAA details UNVERIFIED.',
    items: [
      residents('OR', days(45), 'ORS 646A.604(3)', 'verified', {orNotification: true}),
      regulator('Oregon Attorney General', days(45), over(250), 'ORS 646A.604(1)(b)', 'verified', {orNotification: true}),
      {key: 'covered-entity', title: 'Vendor notice to the covered entity (Oregon)', audience: 'covered entity', timing: {kind: 'days', n: 10, unit: 'calendar', from: 'discovery'}, threshold: any, citation: 'ORS 646A.604(2)', status: 'verified', appliesTo: 'business-associate', notes: ['The vendor also notifies the AG if more than 250 and the covered entity has not.']},
    ],
  },
  {
    state: 'RI', name: 'Rhode Island', citation: 'R.I. Gen. Laws 11-49.3-4', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.',
    items: [
      residents('RI', days(45, 'determination'), 'R.I. Gen. Laws 11-49.3-4(a)(2)', 'verified', {notes: ['Counts from confirmation of the breach and the ability to work out the notice\'s information (entered as `determined`).']}),
      regulator('Rhode Island Attorney General and major credit reporting agencies', withResidents, over(500), 'R.I. Gen. Laws 11-49.3-4(a)(2)', 'verified', {notes: ['Must not delay the resident notice.']}),
    ],
  },
  {
    state: 'SD', name: 'South Dakota', citation: 'SDCL 22-40-20, -26', deferral: 'maybe',
    hipaaDeference: 'HIPAA-regulated entities following federal procedures are deemed compliant (22-40-26, SECONDARY); the AG threshold notice still applies.',
    items: [
      residents('SD', days(60), 'SDCL 22-40-20', 'verified', {orNotification: true}),
      regulator('South Dakota Attorney General', days(60), over(250), 'SDCL 22-40-20', 'verified', {orNotification: true, notes: ['No separate day count; the 60-day resident clock is used.']}),
    ],
  },
  {
    state: 'TN', name: 'Tennessee', citation: 'Tenn. Code 47-18-2107', deferral: 'exempt',
    hipaaDeference: 'Does not apply to entities subject to HIPAA (2016 SB 2005, SECONDARY).',
    items: [residents('TN', days(45), 'Tenn. Code 47-18-2107(b)', 'secondary', {orNotification: true})],
  },
  {
    state: 'TX', name: 'Texas', citation: 'Tex. Bus. & Com. Code 521.053', deferral: 'none', hipaaDeference: 'None found.',
    items: [
      residents('TX', days(60, 'determination'), 'Tex. Bus. & Com. Code 521.053(b)', 'secondary'),
      regulator('Texas Attorney General (web form)', days(30, 'determination'), atLeast(250), 'Tex. Bus. & Com. Code 521.053(i)', 'secondary'),
    ],
  },
  {
    state: 'VT', name: 'Vermont', citation: '9 V.S.A. 2435', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (none found).',
    items: [
      residents('VT', days(45), '9 V.S.A. 2435(b)(1)', 'verified', {orNotification: true}),
      regulator('Vermont Attorney General (preliminary notice)', days(14, 'discovery', {unit: 'business', capByIndividuals: true}), any, '9 V.S.A. 2435(b)(3)', 'verified', {notes: ['Or by the day consumers are notified, if that is sooner. Entities with a sworn-policy certification notify the AG BEFORE consumers.']}),
    ],
  },
  {
    state: 'WA', name: 'Washington', citation: 'RCW 19.255.010', deferral: 'maybe',
    hipaaDeference: 'A HIPAA covered entity complying with HITECH 13402 is deemed compliant for PHI (SECONDARY); whether the AG must still be notified is UNVERIFIED.',
    items: [
      residents('WA', days(30), 'RCW 19.255.010(8)', 'secondary'),
      regulator('Washington Attorney General', days(30), over(500), 'RCW 19.255.010(7)', 'unverified'),
    ],
  },
  {
    state: 'WI', name: 'Wisconsin', citation: 'Wis. Stat. 134.98', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (believed: HIPAA-compliant entities exempt).',
    items: [residents('WI', days(45), 'Wis. Stat. 134.98(3)', 'secondary')],
  },
]

export const STATE_RULES: ReadonlyMap<string, StateRule> = new Map(RULES.map((rule) => [rule.state, rule]))

/** Duties of a licensed clinic, health facility, home health agency or hospice (`licensed_facility`). */
export const FACILITY_RULES: ReadonlyMap<string, StateItem[]> = new Map([
  [
    'CA',
    [
      {key: 'patients', title: 'Report to each affected patient (licensed facility)', audience: 'affected patients', timing: {kind: 'days', n: 15, unit: 'business', from: 'discovery'}, threshold: any, citation: 'Cal. Health & Safety Code 1280.15(b)', status: 'verified', appliesTo: 'notifier', notes: ['Counts from the day the facility detected the breach. After a law-enforcement delay: within 15 business days of the delay\'s end.']},
      {key: 'regulator:cdph', title: 'Report to the California Dept. of Public Health (CDPH)', audience: 'CDPH', timing: {kind: 'days', n: 15, unit: 'business', from: 'discovery'}, threshold: any, citation: 'Cal. Health & Safety Code 1280.15(b)', status: 'verified', appliesTo: 'notifier'},
    ],
  ],
])
