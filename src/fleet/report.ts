/** What a fleet run prints: the per-host table, the counts, the exit code and the retry command. */
import {ExitCode, type ExitCodeValue} from '../cli/exit-codes.js'
import {terminalText} from '../core/terminal-text.js'
import type {FleetHost, FleetState} from './host-state.js'

const ORDER: FleetState[] = ['done', 'partial', 'pending', 'failed', 'no-answer', 'not-started']

/** 0 all done; 4 all stored, some partial; 5 some pending; 6 at least one host has no stored bundle. */
export function fleetExitCode(hosts: readonly FleetHost[]): ExitCodeValue {
  const states = new Set(hosts.map((h) => h.state))
  if (states.has('failed') || states.has('no-answer') || states.has('not-started')) return ExitCode.NoBundle
  if (states.has('pending')) return ExitCode.PushFailed
  if (states.has('partial')) return ExitCode.PartialCollection
  return ExitCode.Ok
}

export function stateCounts(hosts: readonly FleetHost[]): string {
  return ORDER.map((s) => [s, hosts.filter((h) => h.state === s).length] as const).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(' · ')
}

export function fleetTable(hosts: readonly FleetHost[]): string {
  const rows = [['HOST', 'ADDRESS', 'STATE', 'TIME', 'BUNDLE', 'NOTE']]
  for (const h of hosts) rows.push([h.inventory_name, h.address, h.state, h.state === 'not-started' ? '-' : `${Math.round(h.time_s)}s`, h.bundle ?? '-', h.note].map((c) => terminalText(c)))
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] as string).length)))
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] as number))).join('  ').trimEnd()).join('\n')
}
