import type {LineEvidence, TextFile} from '../types.js'
import {numberedLines, parseKeyValue} from './lines.js'

export interface Setting {
  evidence: LineEvidence
  value: string
}

/**
 * Settings of `KEY VALUE` / `key = value` files read in the given order, where a later line overrides
 * an earlier one (login.defs as shadow's getdef reads it; pwquality.conf.d then pwquality.conf).
 */
export function readSettings(files: TextFile[], options: {lowerCaseKeys?: boolean} = {}): Map<string, Setting> {
  const settings = new Map<string, Setting>()
  for (const file of files) {
    for (const {line, text} of numberedLines(file.text)) {
      const parsed = parseKeyValue(text)
      if (parsed === undefined) continue
      const key = options.lowerCaseKeys === true ? parsed.key.toLowerCase() : parsed.key
      settings.set(key, {evidence: {file: file.path, line, text: text.trim()}, value: parsed.value})
    }
  }
  return settings
}
