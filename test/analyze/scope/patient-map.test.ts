import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {parseCsv} from '../../../src/analyze/scope/csv.js'
import {countPeople, parsePatientMap, pathGlobPattern} from '../../../src/analyze/scope/patient-map.js'

const MAP = `path,patient_id,state
/var/data/phi/p-0.json,MRN-0,CA
/var/data/phi/p-1.json,MRN-1,NV
"/var/data/phi/with, comma.json",MRN-2,ca
/var/data/phi/patients/MRN-7/**,MRN-7,TX
/var/data/phi/labs/MRN-8-*.csv,MRN-8,NV
/var/data/phi/p-9.json,MRN-0,OR
`

describe('patient map (analyze --patient-map)', () => {
  it('counts each patient once, by state, from exact paths and globs', () => {
    const map = parsePatientMap(MAP, 'map.csv')
    const people = countPeople(map, [
      '/var/data/phi/p-0.json', '/var/data/phi/p-0.json', '/var/data/phi/p-1.json', '/var/data/phi/with, comma.json',
      '/var/data/phi/patients/MRN-7/notes/2026/visit.txt', '/var/data/phi/patients/MRN-7/x', '/var/data/phi/labs/MRN-8-cbc.csv',
      '/var/data/phi/labs/sub/MRN-8-cbc.csv', '/var/data/phi/unknown.json', '/var/data/phi/p-9.json',
    ])
    expect(people).toEqual({byState: {CA: 2, NV: 2, TX: 1}, conflicts: ['MRN-0'], individuals: 5, unmapped: 2})
  })

  it('refuses a map without the required header, with an unknown state or a relative path, naming the line (exit 2)', () => {
    expect(() => parsePatientMap('file,id\n/x,1\n', 'm.csv')).toThrow(/--patient-map m\.csv: line 1: the header lacks path, patient_id, state/)
    expect(() => parsePatientMap('path,patient_id,state\n/x,1,CA\n/y,2,ZZ\n', 'm.csv')).toThrow(/line 3: state "ZZ" is not a US state/)
    expect(() => parsePatientMap('path,patient_id,state\nx.json,1,CA\n', 'm.csv')).toThrow(/line 2: path "x.json" must be absolute/)
    expect(() => parsePatientMap('path,patient_id,state\n/x,,CA\n', 'm.csv')).toThrow(/line 2: patient_id is empty/)
    try {
      parsePatientMap('', 'm.csv')
    } catch (error) {
      expect((error as {exitCode?: number; oclif?: {exit: number}}).oclif?.exit ?? (error as {exitCode: number}).exitCode).toBe(2)
    }
  })

  it('globs: * stays within a folder, ** crosses folders', () => {
    expect(pathGlobPattern('/a/*.json').test('/a/b.json')).toBe(true)
    expect(pathGlobPattern('/a/*.json').test('/a/c/b.json')).toBe(false)
    expect(pathGlobPattern('/a/**/b.json').test('/a/b.json')).toBe(true)
    expect(pathGlobPattern('/a/**/b.json').test('/a/x/y/b.json')).toBe(true)
    expect(pathGlobPattern('/a/p-[0-4].json').test('/a/p-3.json')).toBe(true)
    expect(pathGlobPattern('/a/p-[!0-4].json').test('/a/p-3.json')).toBe(false)
  })

  it('CSV: quoted fields survive commas, quotes and line breaks, and every record keeps its line (property)', () => {
    const cell = fc.string({maxLength: 12})
    fc.assert(fc.property(fc.array(fc.array(cell, {maxLength: 4, minLength: 3}), {maxLength: 8, minLength: 1}), (rows) => {
      const text = rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n')
      const parsed = parseCsv(text)
      expect(parsed.map((r) => r.fields)).toEqual(rows)
    }))
  })
})
