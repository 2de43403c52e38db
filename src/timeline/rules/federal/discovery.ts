import type {Facts} from '../../facts/schema.js'
import type {ClockInfo, IsoDate} from '../../types.js'

import {earlierOf} from '../../calendar.js'

/**
 * Whose discovery date drives the federal clocks. 164.404(a)(2) / 164.410(a)(2): the first day the
 * reporter knew or by reasonable diligence would have known. For a covered entity whose business
 * associate had the breach (Omnibus 2013 commentary, SECONDARY): the BA's discovery when the BA is an
 * agent (or agency is unknown: conservative), else the day the BA notified the covered entity.
 */
const SHOULD_HAVE_KNOWN =
  ' Check: did any workforce member or agent other than the person committing the breach know, or by reasonable diligence should have known, earlier? If so, backdate `discovered` to that day (164.404(a)(2)); the clock does not wait for the investigation to end.'

const FTC_SHOULD_HAVE_KNOWN =
  ' Check: did any employee, officer or other agent other than the person committing the breach know, or by reasonable diligence should have known, earlier? If so, backdate `discovered` to that day (16 CFR 318.3).'

export function federalClock(facts: Facts): ClockInfo {
  const clock = baseClock(facts)
  if (facts.regime === 'ftc-hbnr') {
    return {...clock, discovery_basis: `discovered ${clock.discovered} (the first day the breach is known, or reasonably should have been known: 16 CFR 318.3).${FTC_SHOULD_HAVE_KNOWN}`}
  }
  return {...clock, discovery_basis: `${clock.discovery_basis}.${SHOULD_HAVE_KNOWN}`}
}

function baseClock(facts: Facts): ClockInfo {
  const ba = facts.business_associate
  const own = facts.discovered
  if (facts.reporter !== 'covered-entity' || ba === undefined) {
    const discovered = own ?? ba?.discovered ?? ''
    return {
      discovered,
      discovery_basis: `discovered ${discovered} (the first day known, or that would have been known with reasonable diligence: 164.404(a)(2), 164.410(a)(2))`,
      determined: facts.determined ?? null,
    }
  }
  const agentDate = ba.discovered
  const contractorDate = ba.notified_ce
  const useAgent = ba.is_agent !== false
  const imputed = useAgent ? agentDate : contractorDate
  const imputedBasis = useAgent
    ? `the business associate's discovery ${agentDate ?? '?'} (is_agent: ${String(ba.is_agent)}; ${ba.is_agent === 'unknown' ? 'unknown counts as an agent, the conservative reading' : 'its knowledge is imputed to you'})`
    : `the day the business associate notified you, ${contractorDate ?? '?'} (is_agent: false, an independent contractor)`
  let discovered: IsoDate = imputed ?? own ?? ''
  let basis = `discovery = ${imputedBasis}`
  if (own !== undefined && imputed !== undefined && own < imputed) {
    discovered = earlierOf(own, imputed)
    basis = `discovery = your own discovery ${own}, earlier than ${imputedBasis}`
  }
  const clock: ClockInfo = {discovered, discovery_basis: basis, determined: facts.determined ?? null}
  const otherDate = useAgent ? contractorDate : agentDate
  if (otherDate !== undefined && otherDate !== discovered) {
    clock.alternative = {
      discovered: own !== undefined && own < otherDate ? own : otherDate,
      basis: useAgent
        ? 'if the business associate is an independent contractor (not an agent): the day it notified you'
        : 'if the business associate is your agent: its own discovery date',
    }
  }
  return clock
}

/**
 * The date a state's "discovery or notification" clock starts for a covered entity told by its
 * business associate (e.g. ORS 646A.604: "receiving notice"); otherwise the federal discovery date.
 */
export function stateNotificationDate(facts: Facts, clock: ClockInfo): IsoDate {
  const notified = facts.business_associate?.notified_ce
  if (facts.reporter === 'covered-entity' && notified !== undefined && facts.discovered === undefined) return notified
  return clock.discovered
}
