import type {Facts} from '../../facts/schema.js'

/** 45 CFR 164.402: is this a breach of unsecured PHI that needs notice? */
export interface BreachDetermination {
  required: boolean
  reasons: string[]
}

const EXCEPTIONS: Readonly<Record<Exclude<Facts['exception'], 'none'>, string>> = {
  'workforce-good-faith':
    'Exception 164.402(1)(i): unintentional acquisition, access or use by a workforce member or person acting under the authority of the entity, in good faith, within the scope of authority, with no further impermissible use or disclosure.',
  'inadvertent-authorized':
    'Exception 164.402(1)(ii): inadvertent disclosure by a person authorized to access PHI to another authorized person at the same covered entity, business associate or organized health care arrangement, with no further impermissible use or disclosure.',
  'unable-to-retain':
    'Exception 164.402(1)(iii): good-faith belief that the unauthorized recipient would not reasonably have been able to retain the information.',
}

/** 16 CFR 318.2 (law review F12): the FTC rule's own definitions, never 45 CFR. */
function determineFtcBreach(facts: Facts, total: number): BreachDetermination {
  if (facts.secured) {
    return {
      required: false,
      reasons: ['Secured (16 CFR 318.2 "unsecured PHR identifiable health information": information not protected through the technologies or methods the HHS guidance under HITECH 13402(h)(2) specifies): the information was encrypted with a key that was not compromised, or destroyed, so the rule does not apply.'],
    }
  }
  if (facts.low_probability) {
    return {
      required: false,
      reasons: ['16 CFR 318.2: unauthorized acquisition is presumed to include unauthorized access unless there is reliable evidence that there has not been, or could not reasonably have been, unauthorized acquisition; `low_probability: true` is read as that evidence. Keep it.'],
    }
  }
  if (total === 0) return {required: false, reasons: ['No affected individuals are listed (every count in `affected` is 0).']}
  const exception = facts.exception === 'none' ? '' : ` The HIPAA exception claimed (${facts.exception}) has no counterpart in 16 CFR 318.2 and does not switch notice off.`
  return {
    required: true,
    reasons: [`16 CFR 318.2: a breach of security is the acquisition of unsecured PHR identifiable health information without the individual's authorization, including an unauthorized disclosure; unauthorized access is presumed to be acquisition unless reliable evidence shows otherwise.${exception}`],
  }
}

export function determineBreach(facts: Facts): BreachDetermination {
  if (facts.regime === 'ftc-hbnr') return determineFtcBreach(facts, Object.values(facts.affected).reduce((sum, n) => sum + n, 0))
  if (facts.secured) {
    return {
      required: false,
      reasons: [
        'Secured PHI (164.402 "unsecured protected health information"; HHS guidance 74 FR 19006): the PHI was encrypted with a key that was not compromised, or destroyed, as the guidance specifies, so it is not "unsecured PHI" and the breach notification rule does not apply.',
      ],
    }
  }
  if (facts.exception !== 'none') return {required: false, reasons: [EXCEPTIONS[facts.exception]]}
  if (facts.low_probability) {
    return {
      required: false,
      reasons: [
        '164.402(2): the documented 4-factor risk assessment shows a low probability that the PHI has been compromised, which rebuts the presumption of a breach.',
      ],
    }
  }
  const total = Object.values(facts.affected).reduce((sum, n) => sum + n, 0)
  if (total === 0) {
    return {required: false, reasons: ['No affected individuals are listed (every count in `affected` is 0).']}
  }
  return {
    required: true,
    reasons: [
      '164.402(2): an impermissible acquisition, access, use or disclosure of unsecured PHI is presumed to be a breach; no exception is claimed and the risk assessment did not show a low probability of compromise.',
    ],
  }
}
