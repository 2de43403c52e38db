import {DuckDBInstance} from '@duckdb/node-api'
import {describe, expect, it} from 'vitest'

import {isUnderPhiDirs, normalisePhiDirs, underPhiDirsSql} from '../../src/analyze/phi-dirs.js'
import {sqlString} from '../../src/analyze/sql.js'

const CASES: Array<[string, string[], boolean]> = [
  ['/var/data/phi/p1.json', ['/var/data/phi'], true],
  ['/var/data/phi/a/b/c.pdf', ['/var/data/phi/'], true],
  ['/var/data/phi', ['/var/data/phi'], true],
  ['/var/data/phi2/p1.json', ['/var/data/phi'], false],
  ['/var/data/ph', ['/var/data/phi'], false],
  ['/etc/passwd', ['/var/data/phi', '/srv/ehr/records'], false],
  ['/srv/ehr/records/x', ['/var/data/phi', '/srv/ehr/records'], true],
  ['/anything/at/all', ['/'], true],
  ["/var/data/phi/o'brien.json", ['/var/data/phi'], true],
  ['/var/data/phi/p1.json', [], false],
  ['/var/data/phi/p1.json', ['relative/phi'], false],
]

describe('the PHI-folder test, in SQL and in JavaScript', () => {
  it('normalises folders: absolute only, no trailing slash, no repeats', () => {
    expect(normalisePhiDirs([' /var/data/phi/ ', '/var/data/phi', 'relative', '/'])).toEqual(['/var/data/phi', ''])
  })

  it('gives the same answer both ways: the folder or below it, never a sibling sharing its prefix', async () => {
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      for (const [path, dirs, expected] of CASES) {
        expect(isUnderPhiDirs(path, dirs), `${path} in ${dirs.join(',')}`).toBe(expected)
        const row = (await connection.runAndReadAll(`SELECT ${underPhiDirsSql(dirs, 'p')} AS hit FROM (SELECT ${sqlString(path)} AS p)`)).getRowObjectsJson()[0]
        expect(row?.hit, `SQL: ${path} in ${dirs.join(',')}`).toBe(expected)
      }
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  })
})
