/**
 * File names are bytes on Linux, not text. A name that is valid UTF-8 is recorded as it is; any
 * other is recorded with `encoding: "escaped"`: each byte that is not part of a valid UTF-8 sequence
 * becomes `\xNN` (two lowercase hex digits) and each backslash becomes `\\`, so the record maps back
 * to exactly one byte string (decodeEscapedName) and two different names never share a record.
 */
export type NameEncoding = 'escaped'

const strict = new TextDecoder('utf-8', {fatal: true})

/** Length of the UTF-8 sequence a lead byte announces (0 for a byte that cannot start one). */
function sequenceLength(byte: number): number {
  if (byte < 0x80) return 1
  if (byte >= 0xc2 && byte <= 0xdf) return 2
  if (byte >= 0xe0 && byte <= 0xef) return 3
  if (byte >= 0xf0 && byte <= 0xf4) return 4
  return 0
}

export function encodeName(bytes: Uint8Array): {text: string; encoding?: NameEncoding} {
  try {
    return {text: strict.decode(bytes)}
  } catch {
    // not UTF-8: escape below
  }
  let text = ''
  let index = 0
  while (index < bytes.length) {
    const byte = bytes[index] as number
    const length = sequenceLength(byte)
    if (length === 1) {
      text += byte === 0x5c ? '\\\\' : String.fromCharCode(byte)
      index += 1
      continue
    }
    if (length > 1 && index + length <= bytes.length) {
      try {
        text += strict.decode(bytes.subarray(index, index + length))
        index += length
        continue
      } catch {
        // an invalid sequence: its lead byte is escaped
      }
    }
    text += `\\x${byte.toString(16).padStart(2, '0')}`
    index += 1
  }
  return {encoding: 'escaped', text}
}

/** The exact bytes an escaped name stands for (the inverse of encodeName). */
export function decodeEscapedName(text: string): Buffer {
  const parts: Buffer[] = []
  let plain = ''
  for (let index = 0; index < text.length; index++) {
    const char = text[index]
    if (char !== '\\') {
      plain += char
      continue
    }
    parts.push(Buffer.from(plain))
    plain = ''
    if (text[index + 1] === '\\') {
      parts.push(Buffer.from('\\'))
      index += 1
    } else {
      parts.push(Buffer.from([Number.parseInt(text.slice(index + 2, index + 4), 16)]))
      index += 3
    }
  }
  parts.push(Buffer.from(plain))
  return Buffer.concat(parts)
}
