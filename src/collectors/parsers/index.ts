import {parseIpRoute} from './ip-route.js'
import {parseLast} from './last.js'
import {parseLines} from './lines.js'
import {parseSs} from './ss.js'
import {parseW} from './w.js'
import {parseWho} from './who.js'

export type ParserKey = 'ip-route' | 'last' | 'lines' | 'ss' | 'w' | 'who'

export type TableParser = (text: string) => Record<string, unknown>[]

/**
 * Parsers of the table-output tools, by the parser key a collector definition names. Each takes
 * the tool's whole stdout and returns one plain object per row; none throws on any input.
 * (`last` times are read as UTC: the exec adapter runs every command with TZ=UTC.)
 */
export const parsers: Record<ParserKey, TableParser> = {
  'ip-route': (text) => parseIpRoute(text) as unknown as Record<string, unknown>[],
  last: (text) => parseLast(text) as unknown as Record<string, unknown>[],
  lines: (text) => parseLines(text),
  ss: (text) => parseSs(text) as unknown as Record<string, unknown>[],
  w: (text) => parseW(text) as unknown as Record<string, unknown>[],
  who: (text) => parseWho(text) as unknown as Record<string, unknown>[],
}

export function isParserKey(key: string): key is ParserKey {
  return Object.hasOwn(parsers, key)
}

export {AuditEventAssembler, eventMatchesKey, parseAuditRecordLine, type AuditEvent, type AuditRecord} from './audit.js'
export {classifyAuthMessage, parseAuthLine, type AuthClassification, type AuthEvent, type AuthKind, type AuthLineContext} from './auth-line.js'
export {isValidTimeZone} from './zoned-time.js'
