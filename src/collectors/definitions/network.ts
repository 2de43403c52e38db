import type {CollectorSpec} from '../spec.js'

export const network = {
  id: 'network',
  version: '1.0.0',
  title: 'Network sockets and routes',
  why: 'Open connections and listeners show exfiltration channels and backdoors; they vanish when a process exits.',
  volatility: 20,
  engine: 'commands',
  parser: 'ss',
  timeoutMs: 20_000,
  maxOutputBytes: 32 * 1024 * 1024,
  needsRoot: true,
  liveOnly: true,
  containsPhi: false,
  outputDir: 'network',
  commands: [
    {name: 'ss-tcp', argv: ['ss', '-antp'], parser: 'ss', liveOnly: true, jsonl: 'sockets.jsonl'},
    {name: 'ss-udp', argv: ['ss', '-uanp'], parser: 'ss', liveOnly: true, jsonl: 'sockets.jsonl'},
    {name: 'ss-listening', argv: ['ss', '-ltnup'], parser: 'ss', liveOnly: true, jsonl: 'sockets.jsonl'},
    {name: 'ip-route', argv: ['ip', 'route'], parser: 'ip-route', liveOnly: true, jsonl: 'routes.jsonl'},
    {name: 'ip6-route', argv: ['ip', '-6', 'route'], parser: 'ip-route', liveOnly: true, jsonl: 'routes.jsonl'},
  ],
} as const satisfies CollectorSpec
