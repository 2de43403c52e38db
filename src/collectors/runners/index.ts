import type {EngineKey} from '../spec.js'
import {runAccounts} from './accounts.js'
import {runAuditSearch} from './audit-search.js'
import {runAuthLogs} from './auth-logs.js'
import {runCommands} from './commands.js'
import type {CollectorEngine} from './context.js'
import {runFiles} from './files.js'
import {runPersistence} from './persistence.js'
import {runPhiWalk} from './phi-walk.js'
import {runPosture} from './posture.js'
import {runProcesses} from './processes.js'
import {runShellHistory} from './shell-history.js'

/** The engine behind each `engine` key of a collector definition. */
export const engines: Record<EngineKey, CollectorEngine> = {
  accounts: runAccounts,
  'audit-search': runAuditSearch,
  'auth-logs': runAuthLogs,
  commands: runCommands,
  files: runFiles,
  persistence: runPersistence,
  'phi-walk': runPhiWalk,
  posture: runPosture,
  processes: runProcesses,
  'shell-history': runShellHistory,
}
