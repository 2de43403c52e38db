import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {type CaseDb, caseMemoryLimit, DEFAULT_MEMORY_LIMIT, explainOutOfMemory, openCaseDb, retryAfterOutOfMemory} from '../../src/analyze/case-db.js'
import {HipaaIrError, UsageError} from '../../src/core/errors.js'
import {type LoadableBundle, loadCase} from '../../src/analyze/load-case.js'
import {auditMapper, authMapper} from '../../src/analyze/mappers.js'
import {makeTempDir} from '../helpers/temp.js'

let db: CaseDb | undefined
afterEach(() => {
  db?.close()
  db = undefined
})

/** A bundle folder with `lines` auth lines and `lines` audit lines (or a folder where the audit file should be). */
async function bundle(root: string, host: string, lines: number, broken = false): Promise<LoadableBundle> {
  const name = `IR-LOAD_${host}_20260303T100000Z`
  const dir = join(root, name)
  await mkdir(join(dir, 'auth'), {recursive: true})
  await mkdir(join(dir, 'audit'), {recursive: true})
  const time = (i: number) => new Date(Date.UTC(2026, 2, 3, 10, 0, i)).toISOString()
  await writeFile(join(dir, 'auth/events.jsonl'), Array.from({length: lines}, (_, i) => `${JSON.stringify({host, ip: '198.51.100.7', kind: 'failed', time: time(i), user: `u${i}`})}\n`).join(''))
  if (broken) await mkdir(join(dir, 'audit/events.jsonl'))
  else await writeFile(join(dir, 'audit/events.jsonl'), Array.from({length: lines}, (_, i) => `${JSON.stringify({auid: '1001', key: 'phi_access', paths: [`/var/data/phi/p${i}.json`, '/var/data/phi'], time: time(i)})}\n`).join(''))
  const files = [{file: 'auth/events.jsonl', mapper: authMapper}, {file: 'audit/events.jsonl', mapper: auditMapper}]
  return {contents: {addresses: [], case: 'IR-LOAD', files, host, name, notes: [], phiDirs: ['/var/data/phi']}, dir, name, verified: true}
}

async function threads(opened: CaseDb): Promise<number> {
  return Number((await opened.connection.runAndReadAll(`SELECT current_setting('threads')`)).getRows()[0]?.[0])
}

describe('loading a case on every DuckDB thread', () => {
  it('counts each bundle exactly and numbers every line, however the files were shared out', async () => {
    const root = await makeTempDir('load-case-')
    const bundles = [await bundle(root, 'a', 3000), await bundle(root, 'b', 10), await bundle(root, 'c', 2500), await bundle(root, 'd', 1)]
    db = await openCaseDb(join(root, 'case.duckdb'))
    await db.connection.run('SET threads = 3')
    const done: Array<[string, number]> = []
    const counts = await loadCase(db, bundles, (name, events) => done.push([name, events]))
    expect(counts).toEqual([6000, 20, 5000, 2])
    // The load runs DuckDB's pool at one thread a connection; the rules after it have the whole pool back.
    expect(await threads(db)).toBe(3)
    expect(done.map(([name, n]) => [name, n]).sort()).toEqual(bundles.map((b, i) => [b.name, counts[i]]).sort())
    const rows = (await db.connection.runAndReadAll(`SELECT host, source, count(*)::INTEGER AS n, count(DISTINCT ref)::INTEGER AS refs,
      min(CAST(split_part(ref, ':', 2) AS INTEGER)) AS first, max(CAST(split_part(ref, ':', 2) AS INTEGER)) AS last FROM events GROUP BY ALL ORDER BY ALL`)).getRowObjectsJson()
    expect(rows.find((r) => r.host === 'a' && r.source === 'audit')).toEqual({first: 1, host: 'a', last: 3000, n: 3000, refs: 3000, source: 'audit'})
    // paths keeps every path of an audit record; weight is 1 for a line that stands for itself.
    const audit = (await db.connection.runAndReadAll(`SELECT paths, weight FROM events WHERE host = 'c' AND ref = 'audit/events.jsonl:7'`)).getRowObjectsJson()
    expect(audit).toEqual([{paths: ['/var/data/phi/p6.json', '/var/data/phi'], weight: 1}])
  })

  it('loads all or nothing: a file that cannot be read rolls back what the other connections loaded', async () => {
    const root = await makeTempDir('load-case-')
    const bundles = [await bundle(root, 'a', 2000), await bundle(root, 'b', 2000, true), await bundle(root, 'c', 2000)]
    db = await openCaseDb(join(root, 'case.duckdb'))
    await db.connection.run('SET threads = 2')
    await expect(loadCase(db, bundles)).rejects.toThrow()
    expect(await threads(db)).toBe(2)
    const rows = (await db.connection.runAndReadAll('SELECT count(*)::INTEGER AS n FROM events')).getRowObjectsJson()
    expect(rows).toEqual([{n: 0}])
  })

  it('stores each text column as event.ts names it: DuckDB would fall back to no compression in silence if the file\'s format lacked one', async () => {
    const root = await makeTempDir('load-case-')
    db = await openCaseDb(join(root, 'case.duckdb'))
    await loadCase(db, [await bundle(root, 'a', 3000)])
    await db.connection.run('CHECKPOINT')
    const stored = (await db.connection.runAndReadAll(`SELECT DISTINCT column_name AS name, lower(compression) AS compression FROM pragma_storage_info('events')
      WHERE column_name IN ('data', 'message', 'host', 'ref') AND compression <> 'Constant' ORDER BY ALL`)).getRowObjectsJson()
    expect(stored).toEqual([{compression: 'zstd', name: 'data'}, {compression: 'dictionary', name: 'host'}, {compression: 'zstd', name: 'message'}, {compression: 'fsst', name: 'ref'}])
  })
})

describe('DuckDB\'s memory limit', () => {
  it('is HIPAA_IR_DUCKDB_MEMORY when that is a size, the default when unset, and exit 2 naming it otherwise', () => {
    expect(caseMemoryLimit({})).toBe(DEFAULT_MEMORY_LIMIT)
    expect(caseMemoryLimit({HIPAA_IR_DUCKDB_MEMORY: ' 2GB '})).toBe('2GB')
    expect(caseMemoryLimit({HIPAA_IR_DUCKDB_MEMORY: '768MiB'})).toBe('768MiB')
    expect(() => caseMemoryLimit({HIPAA_IR_DUCKDB_MEMORY: '80%'})).toThrow(UsageError)
    expect(() => caseMemoryLimit({HIPAA_IR_DUCKDB_MEMORY: '2 gallons'})).toThrow(/HIPAA_IR_DUCKDB_MEMORY="2 gallons" is not a size/)
  })

  it('a query that runs out of it says which limit and how to raise it; other errors pass as they are', async () => {
    const root = await makeTempDir('load-case-')
    db = await openCaseDb(join(root, 'case.duckdb'), {memoryLimit: '10MB'})
    const failure = await db.connection.run('SELECT list(range) FROM range(20000000)').then(() => undefined, (error: unknown) => error)
    const explained = explainOutOfMemory(failure, db.memoryLimit)
    expect(explained).toBeInstanceOf(HipaaIrError)
    expect((explained as HipaaIrError).message).toMatch(/^DuckDB ran out of its 10MB memory limit: .*Out of Memory/)
    expect((explained as HipaaIrError).suggestions.join(' ')).toContain('HIPAA_IR_DUCKDB_MEMORY=2GB')
    const other = new Error('Binder Error: no such column')
    expect(explainOutOfMemory(other, '512MB')).toBe(other)
  })
})

describe('the rules beside the exports', () => {
  const outOfMemory = () => new Error('built-in rule auth.password-spray: Out of Memory Error: failed to allocate data of size 16.0 MiB')

  it('run again once the exports end when they ran out of memory while the exports were running', async () => {
    let finishExports: () => void = () => undefined
    const exports = new Promise<number>((resolve) => {
      finishExports = () => resolve(7)
    })
    const order: string[] = []
    let runs = 0
    const result = retryAfterOutOfMemory(async () => {
      runs++
      order.push(`rules ${runs}`)
      if (runs === 1) throw outOfMemory()
      return 'findings'
    }, exports, () => {
      order.push('told')
      setTimeout(() => {
        order.push('exports done')
        finishExports()
      }, 20)
    })
    await expect(result).resolves.toBe('findings')
    expect(order).toEqual(['rules 1', 'told', 'exports done', 'rules 2'])
  })

  it('do not run again when the exports had already ended, nor for any other failure', async () => {
    const ended = Promise.resolve(3)
    let runs = 0
    await expect(retryAfterOutOfMemory(async () => {
      runs++
      throw outOfMemory()
    }, ended)).rejects.toThrow(/Out of Memory/)
    expect(runs).toBe(1)
    const pending = new Promise<number>(() => undefined)
    await expect(retryAfterOutOfMemory(async () => {
      runs++
      throw new Error('Binder Error: no such column')
    }, pending)).rejects.toThrow(/Binder Error/)
    expect(runs).toBe(2)
  })

  it('wait for failed exports too (their error is the caller\'s to report)', async () => {
    let runs = 0
    const failed = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('disk full')), 10))
    failed.catch(() => undefined)
    await expect(retryAfterOutOfMemory(async () => {
      runs++
      if (runs === 1) throw outOfMemory()
      return runs
    }, failed)).resolves.toBe(2)
  })
})
