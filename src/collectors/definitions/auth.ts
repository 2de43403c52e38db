import type {CollectorSpec} from '../spec.js'

export const auth = {
  id: 'auth',
  version: '1.0.0',
  title: 'Authentication events',
  why: 'SSH logins, failures, sudo and su within the window: how the intruder got in and what account they used.',
  volatility: 30,
  engine: 'auth-logs',
  parser: 'auth-line',
  timeoutMs: 120_000,
  maxOutputBytes: 256 * 1024 * 1024,
  needsRoot: true,
  liveOnly: false,
  containsPhi: false,
  outputDir: 'auth',
  // Used only on journald-only systems (no auth.log or secure file below the root).
  commands: [
    {
      name: 'journalctl',
      argv: ['journalctl', '--no-pager', '-o', 'json', '--facility=auth,authpriv', '--since', '{since:journal}', '{journal-dir-flag}'],
      parser: 'auth-line',
      liveOnly: false,
    },
  ],
} as const satisfies CollectorSpec
