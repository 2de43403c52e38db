/**
 * Text for a person's terminal: anything that could steer the terminal or reorder what is shown
 * is replaced by a visible escape. C0 controls (ESC, CR, BEL, backspace, ...), DEL, C1 controls
 * (U+0080-U+009F, including the 8-bit CSI and OSC) and the bidirectional controls (U+200E/F,
 * U+061C, U+202A-U+202E, U+2066-U+2069) become `\xNN` / `\uNNNN`. A value from evidence (a tar
 * member name, a custody actor, an sshd_config line) can then never paint a fake "OK" line, hide
 * the output that follows, or set the window title. JSON output does not need this: JSON.stringify
 * escapes every control character, and nobody reads it through the terminal's interpreter.
 */

const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu
const UNSAFE_WITH_LINES = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu

function visible(char: string): string {
  const code = char.codePointAt(0) ?? 0
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`
}

/**
 * `text` with every terminal control made visible. Tab and newline are kept unless `singleLine`
 * (then a newline or CR shows as `\x0a` / `\x0d` and the value stays on its line).
 */
export function terminalText(text: string, options: {singleLine?: boolean} = {}): string {
  const pattern = options.singleLine ? UNSAFE_WITH_LINES : UNSAFE
  return text.replace(pattern, visible)
}

/** One value on one line: terminalText with newlines, tabs and CRs escaped too. */
export function terminalValue(text: string): string {
  return terminalText(text, {singleLine: true})
}

/**
 * A file name from the disk as text: UTF-8 when it is valid UTF-8, else every byte that is not
 * printable ASCII as `\xNN` (so two different byte names never print the same, and U+FFFD never
 * stands in for a byte).
 */
export function printableName(name: Uint8Array): string {
  const bytes = Buffer.from(name)
  if (isUtf8Name(bytes)) return bytes.toString('utf8')
  let out = ''
  for (const byte of bytes) out += byte >= 0x20 && byte < 0x7f && byte !== 0x5c ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`
  return out
}

/** True when the bytes are valid UTF-8 (decoding and encoding again gives the same bytes). */
export function isUtf8Name(name: Uint8Array): boolean {
  const bytes = Buffer.from(name)
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes)
}
