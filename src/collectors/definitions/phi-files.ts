import type {CollectorSpec} from '../spec.js'

export const phiFiles = {
  id: 'phi-files',
  version: '1.0.0',
  title: 'Recently modified PHI files',
  why: 'Which patient files changed in the window (metadata and SHA-256, never contents): the scope of a breach.',
  volatility: 50,
  engine: 'phi-walk',
  parser: 'none',
  timeoutMs: 3_600_000,
  maxOutputBytes: 0,
  needsRoot: true,
  liveOnly: false,
  containsPhi: true,
  outputDir: 'phi-files',
  commands: [],
} as const satisfies CollectorSpec
