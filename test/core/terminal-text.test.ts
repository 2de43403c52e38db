import {describe, expect, test} from 'vitest'

import {isUtf8Name, printableName, terminalText, terminalValue} from '../../src/core/terminal-text.js'
import {renderReport, renderTable} from '../../src/posture/render.js'
import type {PostureDocument} from '../../src/posture/types.js'

/** Every character that steers a terminal or reorders text: C0 (but tab/newline), DEL, C1, bidi controls. */
const STEERING = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u

describe('terminal text (M4)', () => {
  test('C0, C1 and bidi controls become visible escapes; ordinary text, tabs and newlines stay', () => {
    expect(terminalText('a\u001B[32mOK\u001B[0m\r\u0007\u009B2J\u202Eevil\u2066\u200F')).toBe(String.raw`a\x1b[32mOK\x1b[0m\x0d\x07\x9b2J\u202eevil\u2066\u200f`)
    expect(terminalText('line 1\n\tline 2 · äöü 漢字')).toBe('line 1\n\tline 2 · äöü 漢字')
    expect(terminalValue('two\nlines\t')).toBe(String.raw`two\x0alines\x09`)
    for (let code = 0; code < 0x30000; code += 1) {
      if (code >= 0xd800 && code <= 0xdfff) continue
      expect(STEERING.test(terminalValue(String.fromCodePoint(code))), code.toString(16)).toBe(false)
    }
  })

  test('byte names: valid UTF-8 as is, anything else as \\xNN, never U+FFFD', () => {
    expect(printableName(Buffer.from('scan-�.pdf'))).toBe('scan-�.pdf')
    expect(printableName(Buffer.from([0x73, 0xff, 0x5c]))).toBe(String.raw`s\xff\x5c`)
    expect(isUtf8Name(Buffer.from([0xc3, 0xa4]))).toBe(true)
    expect(isUtf8Name(Buffer.from([0xc3]))).toBe(false)
  })

  test('assess: values from the image configuration reach the table and the report escaped', () => {
    const hostile = 'PermitRootLogin no\u001B[2J\u001B]0;pwned\u0007'
    const document: PostureDocument = {
      controls: [{evidence: [{file: '/etc/ssh/sshd_config', line: 3, text: hostile}], id: 'ssh.permit-root-login', reference: '45 CFR 164.312(a)(1)', status: 'pass', title: 'sshd refuses root logins'}],
      host: 'web\u001B[31m1',
      phi_dirs: ['/var/data/phi'],
      root: '/img',
      summary: {fail: 0, pass: 1, unknown: 0},
      time: '2026-03-01T10:00:00Z',
    }
    const table = renderTable(document, {colour: false, width: 200})
    expect(table).not.toMatch(STEERING)
    expect(table).toContain(String.raw`PermitRootLogin no\x1b[2J\x1b]0;pwned\x07`)
    expect(table).toContain(String.raw`Posture of web\x1b[31m1`)
    expect(renderReport(document)).toContain(String.raw`PermitRootLogin no\x1b[2J`)
  })
})
