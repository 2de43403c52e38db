import {BaseCommand} from '../../cli/base-command.js'
import {scenarioSummaries} from '../../drills/scenarios/index.js'
import type {ScenarioSummary} from '../../drills/types.js'

export interface DrillListResult {
  scenarios: ScenarioSummary[]
}

export default class DrillList extends BaseCommand<DrillListResult> {
  static override summary = 'List the tabletop scenarios'
  static override description = `Each scenario builds a synthetic system (never real PHI) with planted evidence, incident facts, timed injects, discussion questions and expected findings. Run one with \`drill run SCENARIO --out-dir DIR\`.`

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  async run(): Promise<DrillListResult> {
    await this.parse(DrillList)
    const scenarios = scenarioSummaries()
    if (!this.jsonEnabled()) {
      const width = Math.max(...scenarios.map((s) => s.id.length))
      for (const s of scenarios) this.log(`${s.id.padEnd(width)}  ${s.title}: ${s.summary}`)
    }
    return {scenarios}
  }
}
