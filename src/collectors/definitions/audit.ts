import type {CollectorSpec} from '../spec.js'

export const audit = {
  id: 'audit',
  version: '1.0.0',
  title: 'Audit records of PHI access',
  why: 'auditd watches on the PHI directory (key phi_access) say which account read or changed which patient file.',
  volatility: 40,
  engine: 'audit-search',
  parser: 'audit',
  timeoutMs: 300_000,
  maxOutputBytes: 512 * 1024 * 1024,
  needsRoot: true,
  liveOnly: false,
  containsPhi: true,
  outputDir: 'audit',
  commands: [
    {
      name: 'ausearch-raw',
      argv: ['ausearch', '-k', 'phi_access', '-ts', '{since:ausearch-date}', '{since:ausearch-time}', '--raw', '{audit-input}'],
      parser: 'audit',
      liveOnly: false,
    },
    {
      name: 'ausearch-interpreted',
      argv: ['ausearch', '-k', 'phi_access', '-ts', '{since:ausearch-date}', '{since:ausearch-time}', '-i', '{audit-input}'],
      parser: 'none',
      liveOnly: false,
    },
  ],
} as const satisfies CollectorSpec
