import type {CollectorSpec} from '../spec.js'

export const sessions = {
  id: 'sessions',
  version: '1.0.0',
  title: 'Logged-in sessions and login history',
  why: 'Who is on the box right now and who logged in recently: the first thing that changes when an intruder leaves.',
  volatility: 10,
  engine: 'commands',
  parser: 'who',
  timeoutMs: 15_000,
  maxOutputBytes: 16 * 1024 * 1024,
  needsRoot: false,
  liveOnly: false,
  containsPhi: false,
  outputDir: 'sessions',
  commands: [
    {name: 'who', argv: ['who', '-u'], parser: 'who', liveOnly: true, jsonl: 'sessions.jsonl'},
    {name: 'w', argv: ['w', '-i'], parser: 'w', liveOnly: true, jsonl: 'sessions.jsonl'},
    {name: 'last', argv: ['last', '-F', '-w', '-i', '-f', '{root}/var/log/wtmp'], parser: 'last', liveOnly: false, requiresFile: '{root}/var/log/wtmp', jsonl: 'sessions.jsonl'},
  ],
} as const satisfies CollectorSpec
