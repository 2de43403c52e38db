import type {StateItem, StateRule, Threshold, Timing} from './types.js'

/**
 * State breach-notification rules as data. Each item: citation, trigger, threshold,
 * regulator (audience), status and source. Summaries, not legal text; every output shows each item's status.
 * `verified` only where the statute or regulation text itself was read (the item's or the state's source
 * says where); `secondary` rests on law-firm summaries; `unverified` on recollection or disagreeing sources.
 */

const any: Threshold = {op: 'any'}
const over = (n: number): Threshold => ({op: '>', n})
const atLeast = (n: number): Threshold => ({op: '>=', n})
const days = (n: number, from: 'determination' | 'discovery' = 'discovery', extra: Partial<Extract<Timing, {kind: 'days'}>> = {}): Timing => ({kind: 'days', n, unit: 'calendar', from, ...extra})
const withResidents: Timing = {kind: 'chained', after: 'individuals', n: 0, unit: 'calendar', relation: 'not-later-than'}

/** Notice to the state's residents. */
function residents(state: string, timing: Timing, citation: string, status: StateItem['status'], extra: Partial<StateItem> = {}): StateItem {
  return {key: 'individuals', title: `Notice to ${state} residents`, audience: `${state} residents`, timing, threshold: any, citation, status, appliesTo: 'notifier', ...extra}
}

function regulator(audience: string, timing: Timing, threshold: Threshold, citation: string, status: StateItem['status'], extra: Partial<StateItem> = {}): StateItem {
  return {key: 'regulator', title: `Notice to ${audience}`, audience, timing, threshold, citation, status, appliesTo: 'notifier', ...extra}
}

/** "Immediately following discovery": a vendor's or business associate's notice to the data owner, with no day count. */
const immediately = (words: string): Timing => ({kind: 'none', text: `${words} (no day count: send now)`})

function vendor(state: string, timing: Timing, citation: string, status: StateItem['status'], source: string, notes: string[] = []): StateItem {
  return {key: 'covered-entity', title: `Vendor / business associate notice to the data owner (${state})`, audience: 'covered entity (the data owner or licensee)', timing, threshold: any, citation, status, appliesTo: 'business-associate', source, notes}
}

const RULES: StateRule[] = [
  {
    state: 'AL', name: 'Alabama', citation: 'Ala. Code 8-38-5, -6, -8, -11', deferral: 'maybe',
    source: 'statute text of 8-38-5 (uslawyerdatabase); Mintz; termsfeed; prohipaa; fincher.co',
    hipaaDeference: 'Compliance with federal law (HIPAA) is deemed compliance, except the AG notice when more than 1,000 (SECONDARY).',
    items: [
      residents('AL', days(45, 'determination'), 'Ala. Code 8-38-5', 'verified', {source: 'Ala. Code 8-38-5 statute text read on uslawyerdatabase'}),
      // Law review H1: only 8-38-5 was read; the 8-38-6 threshold and timing rest on summaries.
      regulator('Alabama Attorney General', days(45, 'determination'), over(1000), 'Ala. Code 8-38-6', 'secondary', {source: 'Mintz; termsfeed; prohipaa; consistent with fincher.co and csrps (8-38-6 text not read)'}),
      vendor('AL', days(10), 'Ala. Code 8-38-8', 'secondary', 'fincher.co Alabama table ("Third Party Agent → Covered Entity … 10 days")', ['Counted from discovery (conservative); the statute may count from the determination of the breach.']),
    ],
  },
  {
    state: 'AZ', name: 'Arizona', citation: 'A.R.S. 18-552', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.', source: 'Constangy map; Akin Gump (2022); csrps',
    items: [
      residents('AZ', days(45, 'determination'), 'A.R.S. 18-552', 'secondary'),
      regulator('Arizona Attorney General and AZ Dept. of Homeland Security', days(45, 'determination'), over(1000), 'A.R.S. 18-552', 'secondary'),
    ],
  },
  {
    state: 'CA', name: 'California', citation: 'Cal. Civ. Code 1798.82 (SB 446, Stats. 2025)', deferral: 'content-only',
    source: 'Daily Journal; Norton Rose dataprotectionreport; Moore & Van Allen; CDF; Mondaq; hipaaconsultant; BakerHostetler data map',
    hipaaDeference: 'A HIPAA covered entity complying with HITECH 13402(f) is deemed compliant with the content rules of 1798.82(d) only; no timing deference (SECONDARY).',
    ownTest: {harm: 'none', text: 'no risk-of-harm analysis: "A risk of harm analysis is not permitted in determining when notification is triggered" (BakerHostetler data map, SECONDARY); its "personal information" includes medical and health insurance information (SECONDARY)'},
    items: [
      residents('CA', days(30), 'Cal. Civ. Code 1798.82(a) (SB 446)', 'secondary', {
        orNotification: true, effectiveFrom: '2026-01-01',
        before: {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count for breaches discovered before 2026-01-01)'},
      }),
      regulator('California Attorney General (sample copy)', {kind: 'chained', after: 'individuals', n: 15, unit: 'calendar', relation: 'after'}, over(500), 'Cal. Civ. Code 1798.82(f) (SB 446)', 'secondary', {
        effectiveFrom: '2026-01-01', before: {kind: 'none', text: 'sample copy to the AG; no day count for breaches discovered before 2026-01-01'},
      }),
      vendor('CA', immediately('immediately following discovery'), 'Cal. Civ. Code 1798.82(b)', 'verified', 'statute text as quoted on camlawblog: "shall notify the owner or licensee … immediately following discovery"'),
    ],
  },
  {
    state: 'CO', name: 'Colorado', citation: 'C.R.S. 6-1-716', deferral: 'maybe', source: 'DWT state page; complianceiq; csrps',
    hipaaDeference: 'UNVERIFIED: a "primary regulator" deemer and possibly a shortest-time-wins clause; not read.',
    items: [
      residents('CO', days(30, 'determination'), 'C.R.S. 6-1-716(2)', 'secondary', {notes: ['Colorado has its own law-enforcement delay clause: confirm with counsel.']}),
      regulator('Colorado Attorney General', days(30, 'determination'), atLeast(500), 'C.R.S. 6-1-716(2)(f)', 'secondary'),
    ],
  },
  {
    state: 'CT', name: 'Connecticut', citation: 'Conn. Gen. Stat. 36a-701b', deferral: 'maybe', source: 'Day Pitney; RSA; BakerHostetler',
    hipaaDeference: 'HIPAA/HITECH-compliant notice is deemed compliant; the AG notice is still required (SECONDARY).',
    items: [
      residents('CT', days(60), 'Conn. Gen. Stat. 36a-701b(b)', 'secondary'),
      regulator('Connecticut Attorney General', withResidents, any, 'Conn. Gen. Stat. 36a-701b(b)', 'secondary'),
    ],
  },
  {
    state: 'DE', name: 'Delaware', citation: '6 Del. C. 12B-102, 12B-103', deferral: 'maybe',
    source: 'statute text (cloudfront mirror, self-law.org); Perkins Coie; DWT; Lewis Brisbois',
    hipaaDeference: 'Deemed compliant if HIPAA-regulated and notifying under its procedures (12B-103(b)); whether the AG notice survives is UNVERIFIED.',
    items: [
      residents('DE', days(60, 'determination'), '6 Del. C. 12B-102(c)', 'verified'),
      regulator('Delaware Attorney General', withResidents, over(500), '6 Del. C. 12B-102(d)', 'verified'),
    ],
  },
  {
    state: 'FL', name: 'Florida', citation: 'Fla. Stat. 501.171', deferral: 'maybe', source: 'wordsbywit; RHA; Holland & Knight; Mondaq / BakerHostetler; dwt.com; swlaw.com',
    hipaaDeference: 'Notice under the federal regulator\'s rules is deemed compliant only if a copy of that notice goes to the Department (501.171(4)(g); UNVERIFIED detail).',
    items: [
      residents('FL', days(30, 'determination', {extension: 15}), 'Fla. Stat. 501.171(4)(a)', 'secondary', {notes: ['+15 days if good cause is given to the Department in writing within the 30 days ("15 additional days to provide notice as required in subsection (4)"; statute text not read, so the extension\'s reach is UNVERIFIED).']}),
      // Law review S7: the 15-day extension is for the subsection (4) notice to individuals; sources disagree on the Department notice, so it is not offered here.
      regulator('Florida Dept. of Legal Affairs (Attorney General)', days(30, 'determination'), atLeast(500), 'Fla. Stat. 501.171(3)', 'secondary', {notes: ['The 15-day good-cause extension is for the notice to individuals (subsection (4)); whether it also covers this notice is disputed (wordsbywit says yes): do not rely on it.']}),
      {...regulator('Florida Dept. of Legal Affairs (copy of the notice sent under HIPAA)', {kind: 'none', text: 'a copy of the notice given under the federal regulator\'s rules, when it is sent (no day count)'}, any, 'Fla. Stat. 501.171(4)(g)', 'unverified', {source: 'recollection of the statute text (not read); dwt.com; wordsbywit', notes: ['Needed for the HIPAA-compliance deemer to apply.']}), key: 'regulator:copy', hipaaOnly: true},
      vendor('FL', days(10, 'determination'), 'Fla. Stat. 501.171(6)', 'secondary', 'swlaw.com ("no later than 10 days following determination of breach")'),
    ],
  },
  {
    state: 'IL', name: 'Illinois', citation: '815 ILCS 530/10, 530/50', deferral: 'maybe', source: 'csrps; Radarfirst; Compliancy Group',
    hipaaDeference: 'A HIPAA entity that complies with HIPAA is deemed compliant with the whole Act, provided it notifies the AG within 5 business days of notifying HHS (530/50, SECONDARY).',
    items: [
      residents('IL', {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count)'}, '815 ILCS 530/10(a)', 'secondary', {notForHipaa: true}),
      regulator('Illinois Attorney General', withResidents, over(500), '815 ILCS 530/10(e)', 'secondary', {notForHipaa: true}),
      {...regulator('Illinois Attorney General (HIPAA entities)', {kind: 'chained', after: 'hhs', n: 5, unit: 'business', relation: 'after'}, any, '815 ILCS 530/50', 'secondary', {notes: ['For a HIPAA entity this is the only Illinois item: 530/50 deems HIPAA compliance to satisfy the Act.']}), key: 'regulator:after-hhs', hipaaOnly: true},
    ],
  },
  {
    state: 'IN', name: 'Indiana', citation: 'IC 24-4.9-3-1, -3-3', deferral: 'maybe',
    source: 'lawserver / courtgpt statute text; Jackson Lewis; Akin Gump; HIPAA Journal',
    hipaaDeference: 'UNVERIFIED: a HIPAA carve-out exists for the data-security duty (3-3.5); the notice carve-out was not read.',
    items: [
      residents('IN', days(45), 'IC 24-4.9-3-3', 'verified', {source: 'IC 24-4.9-3-3(a) statute text on courtgpt.ai and lawserver.com'}),
      // Law review S1/H3: 3-3(a)'s 45 days covers "a disclosure or notification under this chapter", the AG disclosure of 3-1(c) included.
      regulator('Indiana Attorney General', days(45), any, 'IC 24-4.9-3-1(c), 24-4.9-3-3(a)', 'verified', {source: 'IC 24-4.9-3-3(a) and 3-1(c) statute text on courtgpt.ai, lawserver.com and statutes.laws.com'}),
    ],
  },
  {
    state: 'LA', name: 'Louisiana', citation: 'La. R.S. 51:3074; LAC 16:III.701', deferral: 'none', hipaaDeference: 'None found.', source: 'ag.state.la.us (LAC 16:III.701 text); legis.la.gov; Klinedinst',
    items: [
      residents('LA', days(60), 'La. R.S. 51:3074(E)', 'verified', {notes: ['If delayed for scope or restoration, written reasons go to the AG within the 60 days.']}),
      regulator('Louisiana Attorney General, Consumer Protection Section', {kind: 'chained', after: 'individuals', n: 10, unit: 'calendar', relation: 'after'}, any, 'LAC 16:III.701', 'verified', {notes: ['Timely if RECEIVED within 10 days of distributing the resident notice; must list the names of all affected Louisiana residents.']}),
    ],
  },
  {
    state: 'MA', name: 'Massachusetts', citation: 'M.G.L. c. 93H §3', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (93H §5 interplay).', source: 'wordsbywit; csrps; mass.gov AG page',
    items: [
      residents('MA', {kind: 'none', text: 'as soon as practicable and without unreasonable delay (no day count)'}, 'M.G.L. c. 93H §3', 'secondary'),
      regulator('Massachusetts Attorney General and the Director of Consumer Affairs and Business Regulation (OCABR)', {kind: 'none', text: 'as soon as practicable and without unreasonable delay (no day count)'}, any, 'M.G.L. c. 93H §3', 'secondary'),
    ],
  },
  {
    state: 'MD', name: 'Maryland', citation: 'Md. Code Com. Law 14-3504', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.', source: 'Perkins Coie; csrps',
    items: [
      residents('MD', days(45), 'Md. Code Com. Law 14-3504(c)', 'secondary', {orNotification: true}),
      regulator('Maryland Attorney General', {kind: 'chained', after: 'individuals', n: 0, unit: 'calendar', relation: 'before'}, any, 'Md. Code Com. Law 14-3504(h)', 'secondary', {notes: ['Must reach the AG BEFORE the residents are notified.']}),
    ],
  },
  {
    state: 'ME', name: 'Maine', citation: '10 M.R.S. 1348', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.', source: 'complianceiq; csrps; recordinglaw',
    items: [
      residents('ME', days(30), '10 M.R.S. 1348(1)', 'secondary', {notes: ['Counts from awareness of the breach AND identification of its scope; after a law-enforcement delay, within 7 business days of clearance.']}),
      regulator('Maine Attorney General (or Dept. of Professional & Financial Regulation for licensees)', {kind: 'none', text: 'when any Maine resident is notified; no separate day count'}, any, '10 M.R.S. 1348(5)', 'secondary'),
    ],
  },
  {
    state: 'NC', name: 'North Carolina', citation: 'N.C. Gen. Stat. 75-65', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (not read).', source: 'csrps North Carolina; law.onecle.com (75-65 text)',
    items: [
      residents('NC', {kind: 'none', text: 'without unreasonable delay (no day count)'}, 'N.C. Gen. Stat. 75-65(a)', 'secondary'),
      regulator('North Carolina Attorney General, Consumer Protection Division', {kind: 'none', text: 'without unreasonable delay, for any breach (no day count)'}, any, 'N.C. Gen. Stat. 75-65(e1)', 'secondary', {source: 'csrps North Carolina ("must be completed without unreasonable delay")'}),
      vendor('NC', immediately('immediately following discovery of the breach'), 'N.C. Gen. Stat. 75-65(b)', 'verified', 'statute text as quoted on law.onecle.com: "immediately following discovery of the breach"'),
    ],
  },
  {
    state: 'NJ', name: 'New Jersey', citation: 'N.J.S.A. 56:8-163', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (not read).', source: 'adam.shostack.org (quoting 56:8-163); Klinedinst New Jersey',
    items: [
      residents('NJ', {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count)'}, 'N.J.S.A. 56:8-163(a)', 'secondary'),
      {
        ...regulator('New Jersey Division of State Police', {kind: 'chained', after: 'individuals', n: 0, unit: 'calendar', relation: 'before'}, any, 'N.J.S.A. 56:8-163(c)(1)', 'verified', {
          source: 'statute text as quoted on adam.shostack.org: "shall, in advance of the disclosure to the customer, report the breach … to the Division of State Police"',
          notes: ['Must reach the State Police BEFORE the residents are notified.'],
        }),
        key: 'state-police',
      },
    ],
  },
  {
    state: 'NM', name: 'New Mexico', citation: 'N.M. Stat. 57-12C-6, -8, -10', deferral: 'maybe', source: 'Perkins Coie; DWT blog (2017); uslawyerdatabase; instalawyer',
    hipaaDeference: 'Exemption section 57-12C-8 is believed to exempt persons subject to GLBA/HIPAA (text not read).',
    items: [
      residents('NM', days(45), 'N.M. Stat. 57-12C-6', 'secondary'),
      regulator('New Mexico Attorney General', days(45), over(1000), 'N.M. Stat. 57-12C-10', 'secondary'),
    ],
  },
  {
    state: 'NY', name: 'New York', citation: 'N.Y. Gen. Bus. Law 899-aa', deferral: 'maybe', source: 'proteuscyber (899-aa text incl. subd. 9); healthlawadvisor; Barclay Damon; edgarindex; Orrick; csrps',
    hipaaDeference: 'Notice under HIPAA satisfies the individual notice per secondary sources; the regulator notices still apply (UNVERIFIED subsection).',
    items: [
      residents('NY', days(30), 'N.Y. Gen. Bus. Law 899-aa(2)', 'secondary'),
      regulator('New York Attorney General, Dept. of State and State Police', withResidents, any, 'N.Y. Gen. Bus. Law 899-aa(8)', 'secondary', {notes: ['Timing, content, distribution and approximate count; also DFS if a DFS-covered entity.']}),
      {...regulator('New York Attorney General (HIPAA entities, after HHS)', {kind: 'chained', after: 'hhs', n: 5, unit: 'business', relation: 'after'}, any, 'N.Y. Gen. Bus. Law 899-aa(9)', 'verified', {source: '899-aa(9) text as reproduced by proteuscyber; no primary copy in the corpus'}), key: 'regulator:after-hhs', hipaaOnly: true},
    ],
  },
  {
    state: 'OH', name: 'Ohio', citation: 'Ohio Rev. Code 1349.19', deferral: 'maybe', source: 'wordsbywit; Mintz matrix; legalclarity; complianceiq; cybersecurity.osu.edu',
    hipaaDeference: 'UNVERIFIED: believed to exclude HIPAA covered entities (OSU policy page on SB 126, 2007); SB 126\'s title names state agencies only. Not confirmed.',
    items: [residents('OH', days(45), 'Ohio Rev. Code 1349.19(B)', 'secondary', {orNotification: true})],
  },
  {
    state: 'OK', name: 'Oklahoma', citation: '24 O.S. 161 et seq. (SB 626, eff. 2026-01-01)', deferral: 'maybe', source: 'tenaco.com; lawivy.com; insideprivacy.com (Covington)',
    hipaaDeference: 'An entity that complies with HIPAA is excused from the individual notice only if it gives the AG the required notice (lawivy, SECONDARY).',
    items: [
      residents('OK', {kind: 'none', text: 'without unreasonable delay (no day count)'}, '24 O.S. 163', 'secondary'),
      regulator('Oklahoma Attorney General', {kind: 'chained', after: 'individuals', n: 60, unit: 'calendar', relation: 'after'}, atLeast(500), '24 O.S. 161 et seq. (SB 626)', 'secondary', {
        effectiveFrom: '2026-01-01', source: 'tenaco.com ("without unreasonable delay but in no event more than 60 days after providing notice to impacted Oklahoma residents"); Covington',
        notes: ['Credit reporting agencies at 1,000 or more (not computed).'],
      }),
    ],
  },
  {
    state: 'OR', name: 'Oregon', citation: 'ORS 646A.604', deferral: 'maybe', hipaaDeference: 'Exempt businesses may still have to notify the AG (DWT); HIPAA details UNVERIFIED.', source: 'oregonlaws.org (646A.604 text); DWT; instalawyer',
    items: [
      residents('OR', days(45), 'ORS 646A.604(3)', 'verified', {orNotification: true}),
      regulator('Oregon Attorney General', days(45), over(250), 'ORS 646A.604(1)(b)', 'verified', {orNotification: true}),
      vendor('OR', days(10), 'ORS 646A.604(2)', 'verified', 'ORS 646A.604 text on oregonlaws.org', ['The vendor also notifies the AG if more than 250 and the covered entity has not.']),
    ],
  },
  {
    state: 'PA', name: 'Pennsylvania', citation: '73 P.S. 2301 et seq. (Act 33 of 2024)', deferral: 'maybe', source: 'jdsupra.com (Constangy); mondaq.com (Sheppard Mullin)',
    hipaaDeference: 'Act 151 of 2022 (in force 2023) created exemptions for HIPAA-regulated entities (Sheppard Mullin, SECONDARY); whether they reach the AG notice is UNVERIFIED. "Medical information" covers state agencies and their contractors only.',
    items: [
      residents('PA', {kind: 'none', text: 'without unreasonable delay (no day count)'}, '73 P.S. 2303', 'secondary', {notes: ['12 months of credit monitoring when SSNs, bank account or driver\'s license numbers are involved (Act 33 of 2024).']}),
      regulator('Pennsylvania Office of Attorney General', withResidents, over(500), '73 P.S. 2301 et seq. (Act 33 of 2024)', 'secondary', {
        effectiveFrom: '2024-09-26', source: 'jdsupra.com (Constangy): "If notice of a breach must be given to more than 500 individuals, notice must made at the same time to the Office of the Attorney General"',
        notes: ['At the same time as the resident notice. Credit reporting agencies at more than 500 too (not computed).'],
      }),
    ],
  },
  {
    state: 'RI', name: 'Rhode Island', citation: 'R.I. Gen. Laws 11-49.3-4', deferral: 'maybe', hipaaDeference: 'UNVERIFIED.', source: 'lawserver (11-49.3-4 text); Snell & Wilmer map; Lewis Brisbois',
    items: [
      residents('RI', days(45, 'determination'), 'R.I. Gen. Laws 11-49.3-4(a)(2)', 'verified', {notes: ['Counts from confirmation of the breach and the ability to work out the notice\'s information (entered as `determined`).']}),
      regulator('Rhode Island Attorney General and major credit reporting agencies', withResidents, over(500), 'R.I. Gen. Laws 11-49.3-4(a)(2)', 'verified', {notes: ['Must not delay the resident notice.']}),
    ],
  },
  {
    state: 'SD', name: 'South Dakota', citation: 'SDCL 22-40-20, -26', deferral: 'maybe', source: 'self-law.org (22-40-20 text); Sidley (2018); accountablehq',
    hipaaDeference: 'HIPAA-regulated entities following federal procedures are deemed compliant (22-40-26, SECONDARY); the AG threshold notice still applies.',
    items: [
      residents('SD', days(60), 'SDCL 22-40-20', 'verified', {orNotification: true}),
      regulator('South Dakota Attorney General', days(60), over(250), 'SDCL 22-40-20', 'verified', {orNotification: true, notes: ['No separate day count; the 60-day resident clock is used.']}),
    ],
  },
  {
    state: 'TN', name: 'Tennessee', citation: 'Tenn. Code 47-18-2107', deferral: 'exempt', source: 'prohipaa (statute text); Bass Berry & Sims; JD Supra',
    hipaaDeference: 'Does not apply to entities subject to HIPAA (2016 SB 2005, SECONDARY).',
    items: [residents('TN', days(45), 'Tenn. Code 47-18-2107(b)', 'secondary', {orNotification: true})],
  },
  {
    state: 'TX', name: 'Texas', citation: 'Tex. Bus. & Com. Code 521.053', deferral: 'none', hipaaDeference: 'None found.', source: 'DWT blog (2023); Constangy; complianceiq; Perkins Coie Texas chart; workplaceprivacyreport.com',
    ownTest: {harm: 'none', text: 'no harm threshold: "shall disclose any breach of system security … to any individual whose sensitive personal information was … acquired" (Perkins Coie Texas chart, SECONDARY); sensitive personal information includes information that identifies an individual and relates to their health or health care (UNVERIFIED detail)'},
    items: [
      residents('TX', days(60, 'determination'), 'Tex. Bus. & Com. Code 521.053(b)', 'secondary'),
      // Law review H6: the SB 768 enrolled text is on legiscan, but no quote of it is in the reference notes, so this stays secondary.
      regulator('Texas Attorney General (web form)', days(30, 'determination'), atLeast(250), 'Tex. Bus. & Com. Code 521.053(i)', 'secondary'),
      vendor('TX', immediately('immediately after discovering the breach'), 'Tex. Bus. & Com. Code 521.053(c)', 'secondary', 'workplaceprivacyreport.com (2023/06)'),
    ],
  },
  {
    state: 'UT', name: 'Utah', citation: 'Utah Code 13-44-202 (SB 127, eff. 2023-05-03)', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (not read).', source: 'perkinscoie.com Utah chart; eyeonprivacy.com (2023/04)',
    items: [
      residents('UT', {kind: 'none', text: 'most expedient time possible and without unreasonable delay (no day count)'}, 'Utah Code 13-44-202', 'secondary'),
      regulator('Utah Attorney General and the Utah Cyber Center', {kind: 'none', text: 'when the residents are notified (no separate day count in the sources)'}, atLeast(500), 'Utah Code 13-44-202 (SB 127)', 'secondary', {
        effectiveFrom: '2023-05-03', source: 'perkinscoie.com Utah chart: "If an Entity must notify 500 or more UT residents, it must also notify the Office of the Attorney General, and the Utah Cyber Center"',
        notes: ['Credit reporting agencies at 1,000 or more (not computed).'],
      }),
    ],
  },
  {
    state: 'VA', name: 'Virginia', citation: 'Va. Code 18.2-186.6', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (not read).', source: 'Klinedinst Virginia ("Attorney General Notice Required: Yes")',
    items: [
      residents('VA', {kind: 'none', text: 'without unreasonable delay (no day count)'}, 'Va. Code 18.2-186.6(B)', 'secondary'),
      regulator('Virginia Attorney General', {kind: 'none', text: 'without unreasonable delay (no day count in the sources)'}, any, 'Va. Code 18.2-186.6', 'secondary'),
    ],
  },
  {
    state: 'VT', name: 'Vermont', citation: '9 V.S.A. 2435', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (none found).', source: 'legislature.vermont.gov (2435 text); Klinedinst; csrps',
    items: [
      residents('VT', days(45), '9 V.S.A. 2435(b)(1)', 'verified', {orNotification: true}),
      regulator('Vermont Attorney General (preliminary notice)', days(14, 'discovery', {unit: 'business', capByIndividuals: true}), any, '9 V.S.A. 2435(b)(3)', 'verified', {notes: ['Or by the day consumers are notified, if that is sooner. Entities with a sworn-policy certification notify the AG BEFORE consumers.']}),
      vendor('VT', immediately('immediately following discovery of the breach'), '9 V.S.A. 2435(b)(2)', 'verified', 'statute text as quoted on legislature.vermont.gov: "immediately following discovery of the breach"'),
    ],
  },
  {
    state: 'WA', name: 'Washington', citation: 'RCW 19.255.010', deferral: 'maybe', source: 'Constangy map; DWT; csrps; WSHA bulletin; Health Data Management',
    hipaaDeference: 'A HIPAA covered entity complying with HITECH 13402 is deemed compliant for PHI (SECONDARY); whether the AG must still be notified is UNVERIFIED.',
    items: [
      residents('WA', days(30), 'RCW 19.255.010(8)', 'secondary'),
      regulator('Washington Attorney General', days(30), over(500), 'RCW 19.255.010(7)', 'unverified'),
    ],
  },
  {
    state: 'WI', name: 'Wisconsin', citation: 'Wis. Stat. 134.98', deferral: 'maybe', hipaaDeference: 'UNVERIFIED (believed: HIPAA-compliant entities exempt).', source: 'csrps; Jackson Lewis',
    items: [residents('WI', days(45), 'Wis. Stat. 134.98(3)', 'secondary')],
  },
]

export const STATE_RULES: ReadonlyMap<string, StateRule> = new Map(RULES.map((rule) => [rule.state, rule]))

// Law review H2: the regulation text, not only the AB 1755 digest.
const FACILITY_SOURCE = '22 CCR 79902(a) regulation text on govt.westlaw.com: "no later than 15 business days after the breach has been detected"; AB 1755 digest; Alston & Bird'

/** Duties of a licensed clinic, health facility, home health agency or hospice (`licensed_facility`). */
export const FACILITY_RULES: ReadonlyMap<string, StateItem[]> = new Map([
  [
    'CA',
    [
      {key: 'patients', title: 'Report to each affected patient (licensed facility)', audience: 'affected patients', timing: {kind: 'days', n: 15, unit: 'business', from: 'discovery'}, threshold: any, citation: 'Cal. Health & Safety Code 1280.15(b); 22 CCR 79902(a)', status: 'verified', appliesTo: 'notifier', source: FACILITY_SOURCE, notes: ['Counts from the day the facility detected the breach. After a law-enforcement delay: within 15 business days of the delay\'s end.']},
      {key: 'regulator:cdph', title: 'Report to the California Dept. of Public Health (CDPH)', audience: 'CDPH', timing: {kind: 'days', n: 15, unit: 'business', from: 'discovery'}, threshold: any, citation: 'Cal. Health & Safety Code 1280.15(b); 22 CCR 79902(a)', status: 'verified', appliesTo: 'notifier', source: FACILITY_SOURCE},
    ],
  ],
])
