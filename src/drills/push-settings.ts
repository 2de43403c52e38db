/**
 * How a drill's bundle goes to a WORM bucket: marked as exercise data everywhere it can be.
 * Under the `drills/` key prefix, in GOVERNANCE mode (deletable with s3:BypassGovernanceRetention),
 * retained for one day, tagged `drill=true`. Never COMPLIANCE: a drill must not lock a bucket for years.
 */
export const DRILL_PREFIX = 'drills'
export const DRILL_MODE = 'governance'
export const DRILL_RETAIN_DAYS = 1
export const DRILL_TAGS: ReadonlyArray<{Key: string; Value: string}> = [
  {Key: 'drill', Value: 'true'},
  {Key: 'synthetic', Value: 'true'},
]

export interface DrillPushSettings {
  prefix: string
  mode: typeof DRILL_MODE
  retainDays: number
  tags: Array<{Key: string; Value: string}>
}

export function drillPushSettings(scenarioId: string): DrillPushSettings {
  return {
    mode: DRILL_MODE,
    prefix: `${DRILL_PREFIX}/${scenarioId}`,
    retainDays: DRILL_RETAIN_DAYS,
    tags: [...DRILL_TAGS, {Key: 'scenario', Value: scenarioId}],
  }
}
