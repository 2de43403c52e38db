import type {CollectorSpec} from '../spec.js'

export const posture = {
  id: 'posture',
  version: '1.0.0',
  title: 'Security posture snapshot',
  why: 'Which baseline controls were in force at the time (audit watch, SSH policy, encryption): input to the secured/unsecured question.',
  volatility: 60,
  engine: 'posture',
  parser: 'none',
  timeoutMs: 120_000,
  maxOutputBytes: 16 * 1024 * 1024,
  needsRoot: true,
  liveOnly: false,
  containsPhi: false,
  outputDir: 'posture',
  commands: [],
} as const satisfies CollectorSpec
