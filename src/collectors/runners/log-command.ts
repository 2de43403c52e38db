import type {AcquisitionLog} from '../../bundle/acquisition-log.js'
import type {CommandRecord} from '../record.js'

/** Writes one command's acquisition-log line: argv, exit code or signal, timed-out, duration, bytes, stderr. */
export function logCommand(log: AcquisitionLog, collector: string, record: CommandRecord): void {
  log.record({
    argv: record.argv,
    bytes: record.bytes,
    collector,
    duration_ms: record.duration_ms,
    exit_code: record.exit_code,
    signal: record.signal,
    status: record.status,
    stderr: record.stderr,
    step: 'command',
    timed_out: record.timed_out,
    ...(record.reason ? {error: record.reason} : {}),
  })
}
