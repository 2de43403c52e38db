import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {compileDetection, compileSelection, type SigmaDoc} from '../../../src/analyze/sigma/compile.js'
import {namesOf, parseCondition} from '../../../src/analyze/sigma/condition.js'
import {UnsupportedFeature, valueTest} from '../../../src/analyze/sigma/value.js'
import {doc} from './helpers.js'

const fields = {fields: true}
const sel = (value: unknown) => compileSelection('sel', value, fields)
const detect = (detection: Record<string, unknown>) => compileDetection(detection, fields)

describe('values and modifiers', () => {
  it('plain values compare the whole value, case-insensitively, with * and ? wildcards and \\ escapes', () => {
    expect(valueTest('EXECVE', [])('execve')).toBe(true)
    expect(valueTest('EXECVE', [])('execveat')).toBe(false)
    expect(valueTest('/etc/audit/*', [])('/etc/audit/auditd.conf')).toBe(true)
    expect(valueTest('/etc/audit/*', [])('/etc/auditx')).toBe(false)
    expect(valueTest('/etc/*release', [])('/etc/os-release')).toBe(true)
    expect(valueTest('a?c', [])('abc')).toBe(true)
    expect(valueTest('a?c', [])('abbc')).toBe(false)
    expect(valueTest('a\\*c', [])('a*c')).toBe(true)
    expect(valueTest('a\\*c', [])('abc')).toBe(false)
    expect(valueTest('C:\\Windows', [])('c:\\windows')).toBe(true)
    expect(valueTest('a.b', [])('axb')).toBe(false)
  })

  it('contains, startswith and endswith place the value; cased makes it case-sensitive', () => {
    expect(valueTest('DROP', ['contains'])('-A INPUT -j drop')).toBe(true)
    expect(valueTest('--cpu-priority', ['startswith'])('--cpu-priority=5')).toBe(true)
    expect(valueTest('--cpu-priority', ['startswith'])('x--cpu-priority')).toBe(false)
    expect(valueTest('/useradd', ['endswith'])('/usr/sbin/useradd')).toBe(true)
    expect(valueTest('/useradd', ['endswith'])('/usr/sbin/useradd2')).toBe(false)
    expect(valueTest('/home/*/public_html/', ['startswith'])('/home/bob/public_html/x.php')).toBe(true)
    expect(valueTest('Drop', ['contains', 'cased'])('-j DROP')).toBe(false)
    expect(valueTest('DROP', ['contains', 'cased'])('-j DROP')).toBe(true)
  })

  it('re searches case-sensitively; re|i, re|m and re|s set the flags', () => {
    expect(valueTest('(^|\\/)\\.[^.\\/]', ['re'])('/tmp/.hidden')).toBe(true)
    expect(valueTest('(^|\\/)\\.[^.\\/]', ['re'])('../x')).toBe(false)
    expect(valueTest('^ROOT$', ['re'])('root')).toBe(false)
    expect(valueTest('^ROOT$', ['re', 'i'])('root')).toBe(true)
    expect(valueTest('^b$', ['re'])('a\nb')).toBe(false)
    expect(valueTest('^b$', ['re', 'm'])('a\nb')).toBe(true)
    expect(valueTest('a.b', ['re', 's'])('a\nb')).toBe(true)
    expect(() => valueTest('(', ['re'])).toThrow(UnsupportedFeature)
  })

  it('base64 and base64offset look for the encoded value; windash for every dash form', () => {
    expect(valueTest('/bin/bash', ['base64', 'contains'])(`echo ${Buffer.from('/bin/bash -i').toString('base64')} | base64 -d`)).toBe(true)
    for (const prefix of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${prefix}curl http://evil`).toString('base64')
      expect(valueTest('curl', ['base64offset', 'contains'])(encoded)).toBe(true)
    }
    expect(valueTest('curl', ['base64offset', 'contains'])(Buffer.from('wget').toString('base64'))).toBe(false)
    expect(valueTest(' -f ', ['windash', 'contains'])('rm /f x')).toBe(true)
    expect(valueTest(' -f ', ['windash', 'contains'])('rm \u2013f x')).toBe(true)
    expect(valueTest(' -f ', ['windash', 'contains'])('rm f x')).toBe(false)
  })

  it('cidr tests IPv4 and IPv6 networks; lt, lte, gt, gte compare numbers', () => {
    expect(valueTest('10.0.0.0/8', ['cidr'])('10.20.30.40')).toBe(true)
    expect(valueTest('10.0.0.0/8', ['cidr'])('11.0.0.1')).toBe(false)
    expect(valueTest('10.0.0.0/8', ['cidr'])('not an ip')).toBe(false)
    expect(valueTest('fe80::/10', ['cidr'])('fe80::1')).toBe(true)
    expect(valueTest('fe80::/10', ['cidr'])('2001:db8::1')).toBe(false)
    expect(valueTest('::ffff:0:0/96', ['cidr'])('::ffff:192.0.2.1')).toBe(true)
    expect(() => valueTest('10.0.0.0/33', ['cidr'])).toThrow(UnsupportedFeature)
    expect(valueTest('1000', ['gte'])('1000')).toBe(true)
    expect(valueTest('1000', ['gt'])('1000')).toBe(false)
    expect(valueTest('1000', ['lt'])('999')).toBe(true)
    expect(valueTest('1000', ['lte'])('abc')).toBe(false)
  })

  it('a modifier outside the subset is unsupported, with its name', () => {
    expect(() => valueTest('x', ['utf16le'])).toThrow(/the modifier \|utf16le is not supported/)
    expect(() => valueTest('x', ['fieldref'])).toThrow(/\|fieldref/)
    expect(() => valueTest('x', ['contains', 'startswith'])).toThrow(/together/)
  })
})

describe('selections', () => {
  const execve: SigmaDoc = doc({a0: 'chmod', a1: '777', a2: '/tmp/x', type: 'EXECVE'}, 'type=EXECVE argc=3 a0="chmod" a1="777" a2="/tmp/x"')

  it('a map needs every field; a value list needs any value; |all needs every value', () => {
    expect(sel({a0: 'chmod', type: 'EXECVE'})(execve)).toBe(true)
    expect(sel({a0: 'chmod', type: 'SYSCALL'})(execve)).toBe(false)
    expect(sel({a0: ['chown', 'chmod']})(execve)).toBe(true)
    expect(sel({a1: 777})(execve)).toBe(true)
    expect(sel({'a2|contains|all': ['/tmp', 'x']})(execve)).toBe(true)
    expect(sel({'a2|contains|all': ['/tmp', 'y']})(execve)).toBe(false)
  })

  it('a list of maps needs any map', () => {
    expect(sel([{a0: 'ls'}, {a1: '777'}])(execve)).toBe(true)
    expect(sel([{a0: 'ls'}, {a1: '644'}])(execve)).toBe(false)
  })

  it('keywords search the text: a list needs any, |all needs every; a plain value is one keyword', () => {
    expect(sel(['nothing', 'CHMOD'])(execve)).toBe(true)
    expect(sel(['nothing'])(execve)).toBe(false)
    expect(sel({'|all': ['chmod', '/tmp/']})(execve)).toBe(true)
    expect(sel({'|all': ['chmod', '/var/']})(execve)).toBe(false)
    expect(sel('a1="777"')(execve)).toBe(true)
    expect(sel(['chmod*/tmp'])(execve)).toBe(true)
    expect(sel([0])(doc({}, 'init 0'))).toBe(true)
  })

  it('null matches an absent or empty field; |exists tests presence', () => {
    expect(sel({a9: null})(execve)).toBe(true)
    expect(sel({a0: null})(execve)).toBe(false)
    expect(sel({a0: [null, 'chmod']})(execve)).toBe(true)
    expect(sel({key: null})(doc({key: ''}))).toBe(true)
    expect(sel({key: ''})(doc({key: ''}))).toBe(true)
    expect(sel({'a0|exists': true})(execve)).toBe(true)
    expect(sel({'a9|exists': true})(execve)).toBe(false)
    expect(sel({'a9|exists': false})(execve)).toBe(true)
  })

  it('a field with several values (an event with several keys) matches when one does', () => {
    expect(sel({key: 'phi_access'})(doc({key: ['root_commands', 'phi_access']}))).toBe(true)
    expect(sel({key: 'other'})(doc({key: ['root_commands', 'phi_access']}))).toBe(false)
  })

  it('fields are refused on log lines, which only have text', () => {
    expect(() => compileSelection('sel', {pam_user: 'root'}, {fields: false})).toThrow(/a field on a log line/)
    expect(compileSelection('sel', ['Corrupted MAC'], {fields: false})(doc({}, 'sshd[1]: Corrupted MAC on input.'))).toBe(true)
  })
})

describe('conditions', () => {
  it('parses and, or, not, parentheses with not > and > or', () => {
    expect(parseCondition('a or b and not c')).toEqual({items: [{kind: 'ref', name: 'a'}, {items: [{kind: 'ref', name: 'b'}, {item: {kind: 'ref', name: 'c'}, kind: 'not'}], kind: 'and'}], kind: 'or'})
    expect(parseCondition('(a or b) and c')).toEqual({items: [{items: [{kind: 'ref', name: 'a'}, {kind: 'ref', name: 'b'}], kind: 'or'}, {kind: 'ref', name: 'c'}], kind: 'and'})
    expect(parseCondition('selection and not 1 of filter_optional_*')).toEqual({items: [{kind: 'ref', name: 'selection'}, {item: {kind: 'of', pattern: 'filter_optional_*', quantifier: 'one'}, kind: 'not'}], kind: 'and'})
    expect(parseCondition('all of them')).toEqual({kind: 'of', pattern: 'them', quantifier: 'all'})
  })

  it('refuses aggregations, near, and broken conditions with a reason', () => {
    expect(() => parseCondition('sel | count() by exe > 3')).toThrow(/aggregat/)
    expect(() => parseCondition('sel near other')).toThrow(/near/)
    expect(() => parseCondition('(a or b')).toThrow(/not closed/)
    expect(() => parseCondition('a and')).toThrow(/ends too early/)
    expect(() => parseCondition('a b')).toThrow(/unexpected 'b'/)
    expect(() => parseCondition('2 of sel*')).toThrow(/'2 of' is not supported/)
    expect(() => parseCondition('')).toThrow(/empty/)
  })

  it('"them" is every selection not starting with _; patterns use *', () => {
    expect(namesOf('them', ['sel', '_hidden', 'filter'])).toEqual(['sel', 'filter'])
    expect(namesOf('selection_*', ['selection_a', 'selection', 'selection_b'])).toEqual(['selection_a', 'selection_b'])
    expect(namesOf('sel*', ['selection', 'sel', 'other'])).toEqual(['selection', 'sel'])
  })

  it('evaluates every form against documents', () => {
    const d = detect({
      cmd1: {a0: 'chmod'}, cmd2: {a0: 'chown'}, filter: {a1: '644'}, other: ['nothing-here'],
      condition: '1 of cmd* and not filter and not other',
    })
    expect(d(doc({a0: 'chmod', a1: '777'}))).toBe(true)
    expect(d(doc({a0: 'chown', a1: '644'}))).toBe(false)
    expect(d(doc({a0: 'ls'}))).toBe(false)
    const all = detect({sel_a: {a0: 'x'}, sel_b: {a1: 'y'}, condition: 'all of sel_*'})
    expect(all(doc({a0: 'x', a1: 'y'}))).toBe(true)
    expect(all(doc({a0: 'x', a1: 'z'}))).toBe(false)
    const list = detect({a: {a0: 'x'}, b: {a0: 'y'}, condition: ['a', 'b']})
    expect(list(doc({a0: 'y'}))).toBe(true)
    expect(() => detect({a: {a0: 'x'}, condition: '1 of nothing*'})).toThrow(/matches no selection/)
    expect(() => detect({a: {a0: 'x'}})).toThrow(/no condition/)
  })
})

describe('the record type check before the selections', () => {
  it('never changes what matches: types compare case-insensitively; not, keywords and wildcards are not narrowed', () => {
    const execve = doc({a0: 'ls', type: 'EXECVE'}, 'x')
    const syscall = doc({type: 'SYSCALL'}, 'x')
    expect(detect({sel: {a0: 'ls', type: 'execve'}, condition: 'sel'})(execve)).toBe(true)
    expect(detect({sel: {a0: 'ls', type: 'execve'}, condition: 'sel'})(syscall)).toBe(false)
    expect(detect({kw: ['x'], sel: {type: 'EXECVE'}, condition: 'sel or kw'})(syscall)).toBe(true)
    expect(detect({sel: {type: 'EXECVE'}, condition: 'not sel'})(syscall)).toBe(true)
    expect(detect({a: {type: ['PATH', 'CWD']}, b: {type: 'PATH'}, condition: 'a and b'})(doc({type: 'PATH'}))).toBe(true)
    expect(detect({a: {type: ['PATH', 'CWD']}, b: {type: 'PATH'}, condition: 'a and b'})(doc({type: 'CWD'}))).toBe(false)
    expect(detect({sel: {type: 'USER_*'}, condition: 'sel'})(doc({type: 'USER_LOGIN'}))).toBe(true)
    expect(detect({s1: {type: 'EXECVE'}, s2: {a1: 'x'}, condition: '1 of s*'})(doc({a1: 'x', type: 'PATH'}))).toBe(true)
    expect(detect({s1: [{type: 'EXECVE'}, {type: 'PATH'}], condition: 's1'})(doc({type: 'PATH'}))).toBe(true)
    expect(detect({s1: {type: 'EXECVE'}, condition: ['s1', 'not s1']})(syscall)).toBe(true)
  })
})

describe('condition properties', () => {
  const value = fc.constantFrom('a', 'b', 'c')
  const record = fc.record({f1: value, f2: value, f3: value})
  const selectionsArb = fc.array(fc.record({field: fc.constantFrom('f1', 'f2', 'f3'), value}), {maxLength: 4, minLength: 1})

  it('not inverts, and is both, or is either', () => {
    fc.assert(fc.property(record, selectionsArb, (r, sels) => {
      const detection: Record<string, unknown> = {}
      sels.forEach((s, i) => (detection[`sel${i}`] = {[s.field]: s.value}))
      const each = sels.map((_, i) => compileDetection({...detection, condition: `sel${i}`}, fields)(doc(r)))
      const evaluate = (condition: string) => compileDetection({...detection, condition}, fields)(doc(r))
      expect(evaluate('not sel0')).toBe(!each[0])
      expect(evaluate('not not sel0')).toBe(each[0])
      expect(evaluate(sels.map((_, i) => `sel${i}`).join(' and '))).toBe(each.every(Boolean))
      expect(evaluate(sels.map((_, i) => `sel${i}`).join(' or '))).toBe(each.some(Boolean))
      // 1 of = OR of the selections; all of = AND; them = every selection.
      expect(evaluate('1 of sel*')).toBe(each.some(Boolean))
      expect(evaluate('all of sel*')).toBe(each.every(Boolean))
      expect(evaluate('1 of them')).toBe(each.some(Boolean))
      expect(evaluate('all of them')).toBe(each.every(Boolean))
      // De Morgan, through parentheses.
      expect(evaluate('not (sel0 or 1 of sel*)')).toBe(evaluate('not sel0 and not 1 of sel*'))
    }))
  })

  it('a value list is the OR of its values; a list of maps the OR of its maps', () => {
    fc.assert(fc.property(record, fc.array(value, {maxLength: 3, minLength: 1}), (r, values) => {
      const one = values.map((v) => sel({f1: v})(doc(r)))
      expect(sel({f1: values})(doc(r))).toBe(one.some(Boolean))
      expect(sel({'f1|all': values})(doc(r))).toBe(one.every(Boolean))
      expect(sel(values.map((v) => ({f1: v})))(doc(r))).toBe(one.some(Boolean))
    }))
  })

  it('contains matches exactly when the text includes the value, whatever its case', () => {
    const plain = fc.string({maxLength: 12, unit: fc.constantFrom('a', 'B', 'c', ' ', '-', '/', '.', '(', ')', '$', '|', '+', 'é')})
    fc.assert(fc.property(plain, plain, (needle, hay) => {
      expect(valueTest(needle, ['contains'])(hay)).toBe(hay.toLowerCase().includes(needle.toLowerCase()))
      expect(valueTest(needle, [])(hay)).toBe(hay.toLowerCase() === needle.toLowerCase())
      expect(valueTest(needle, ['startswith'])(hay)).toBe(hay.toLowerCase().startsWith(needle.toLowerCase()))
      expect(valueTest(needle, ['endswith'])(hay)).toBe(hay.toLowerCase().endsWith(needle.toLowerCase()))
    }))
  })
})

describe('hostile rules', () => {
  const token = fc.constantFrom('a', '*', '?', '\\', '(', ')', '|', '[', ']', '.', '+', '^', '$', ' ', 'and', 'or', 'not', '1 of', 'all of', 'them', 'sel', 'x')
  const text = fc.array(token, {maxLength: 12}).map((t) => t.join(' '))
  const scalar = fc.oneof(text, fc.integer(), fc.constant(null), fc.boolean())
  const modifier = fc.constantFrom('', '|contains', '|startswith', '|endswith', '|all', '|re', '|re|i', '|cased', '|exists', '|base64', '|base64offset|contains', '|windash', '|cidr', '|gt', '|utf16le', '|contains|all')
  const selection = fc.oneof(
    fc.dictionary(fc.tuple(fc.constantFrom('a0', 'type', ''), modifier).map(([f, m]) => f + m), fc.oneof(scalar, fc.array(scalar, {maxLength: 3})), {maxKeys: 3}),
    fc.array(scalar, {maxLength: 3}),
    fc.array(fc.dictionary(fc.constantFrom('a0', 'type'), scalar, {maxKeys: 2}), {maxLength: 2}),
    scalar,
  )
  const record = fc.record({a0: text, type: text})

  it('compile either to a test that never throws or to UnsupportedFeature', () => {
    fc.assert(fc.property(fc.dictionary(fc.constantFrom('sel', 'sel2', 'x', '_y'), selection, {maxKeys: 3}), text, record, (selections, condition, fieldsOfDoc) => {
      let test
      try {
        test = compileDetection({...selections, condition}, fields)
      } catch (error) {
        expect(error).toBeInstanceOf(UnsupportedFeature)
        return
      }
      expect(typeof test(doc(fieldsOfDoc, `${fieldsOfDoc.a0} ${fieldsOfDoc.type}`))).toBe('boolean')
    }), {numRuns: 500})
  })
})
