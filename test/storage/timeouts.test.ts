/**
 * S3 never hangs: a server that accepts TCP connections and then never answers (a fault the real
 * server cannot produce, so an in-process one on 127.0.0.1) makes `push` and `collect --push` exit 5
 * with the bundle pending and the retry command printed. The tests shorten the limits through the
 * documented HIPAA_IR_S3_* variables; the defaults are checked to give up within two minutes.
 */
import {readFile} from 'node:fs/promises'
import {createServer, type Server, type Socket} from 'node:net'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {makeTempDir} from '../helpers/temp.js'
import {withRetry} from '../../src/storage/retry.js'
import {
  DEFAULT_S3_TIMEOUTS, pushDeadlineMs, s3TimeoutsFromEnv, silentServerBudgetMs,
} from '../../src/storage/s3-timeouts.js'
import {makeBundle} from './local-s3.js'

let server: Server
let endpoint: string
const sockets: Socket[] = []
let work: string

/** Dummy credentials: the request must be signed to be sent at all; nothing answers it. */
const baseEnv = {AWS_ACCESS_KEY_ID: 'AKIDSILENT', AWS_REGION: 'us-east-1', AWS_SECRET_ACCESS_KEY: 'silent-secret'}
const shortLimits = {HIPAA_IR_S3_CONNECT_TIMEOUT: '2', HIPAA_IR_S3_IDLE_TIMEOUT: '0.5', HIPAA_IR_S3_REQUEST_TIMEOUT: '2'}

beforeAll(async () => {
  // Accepts every connection, reads what is sent, never writes a byte.
  server = createServer((socket) => {
    sockets.push(socket)
    socket.on('error', () => undefined)
    socket.resume()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  work = await makeTempDir('hipaa-ir-silent-')
})

afterAll(async () => {
  for (const socket of sockets) socket.destroy()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('default limits', () => {
  it('give up on a silent server within two minutes, connect and idle alike', () => {
    expect(silentServerBudgetMs(DEFAULT_S3_TIMEOUTS)).toBeLessThanOrEqual(120_000)
    expect(DEFAULT_S3_TIMEOUTS.timeoutAttempts * DEFAULT_S3_TIMEOUTS.connectMs).toBeLessThanOrEqual(120_000)
    expect(s3TimeoutsFromEnv({})).toEqual(DEFAULT_S3_TIMEOUTS)
  })

  it('give a whole push a deadline that grows with the bundle, and a fixed one when set', () => {
    expect(pushDeadlineMs(DEFAULT_S3_TIMEOUTS, 0)).toBe(600_000)
    expect(pushDeadlineMs(DEFAULT_S3_TIMEOUTS, 1024 * 1024 * 1024)).toBe(600_000 + 1024 * 4000)
    expect(pushDeadlineMs(s3TimeoutsFromEnv({HIPAA_IR_S3_DEADLINE: '90'}), 1e12)).toBe(90_000)
  })

  it('read the HIPAA_IR_S3_* variables in seconds and refuse anything else (exit 2)', () => {
    expect(s3TimeoutsFromEnv({HIPAA_IR_S3_CONNECT_TIMEOUT: '3', HIPAA_IR_S3_IDLE_TIMEOUT: '0.25'})).toMatchObject({connectMs: 3000, idleMs: 250})
    for (const bad of ['0', '-1', '10s', 'soon']) {
      expect(() => s3TimeoutsFromEnv({HIPAA_IR_S3_IDLE_TIMEOUT: bad})).toThrow(/HIPAA_IR_S3_IDLE_TIMEOUT.*not a number of seconds/)
    }
  })

  it('retry a timed-out request once, not six times, and stop at once when the deadline fires', async () => {
    let tries = 0
    const timeout = Object.assign(new Error('socket timed out'), {name: 'TimeoutError'})
    await expect(withRetry(async () => {
      tries++
      throw timeout
    }, {sleep: async () => undefined})).rejects.toBe(timeout)
    expect(tries).toBe(2)

    const deadline = new AbortController()
    const reason = new Error('deadline')
    setTimeout(() => deadline.abort(reason), 50)
    const started = Date.now()
    await expect(withRetry(() => new Promise<never>(() => undefined), {signal: deadline.signal})).rejects.toBe(reason)
    expect(Date.now() - started).toBeLessThan(2000)
  })
})

describe('a server that accepts connections and never answers', () => {
  it('push exits 5 within seconds, the bundle pending and the retry command printed', async () => {
    const tarball = await makeBundle(join(work, 'push'), 'IR-90_web1_20260301T000000Z', 1024)
    const started = Date.now()
    const result = await runCli(['push', tarball, '--bucket', 'evidence', '--endpoint', endpoint], {env: {...baseEnv, ...shortLimits}, timeoutMs: 60_000})
    expect(result.exitCode, result.stderr).toBe(5)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(result.stderr).toMatch(/did not answer in time/)
    expect(result.stderr).toContain(`hipaa-ir push --pending --out-dir ${join(work, 'push')} --bucket evidence --endpoint ${endpoint}`)
    const state = JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {lastError?: string; status: string}
    expect(state.status).toBe('pending')
    expect(state.lastError).toMatch(/TimeoutError/)
  })

  it('push exits 5 when the whole-run deadline passes, even with long per-request limits', async () => {
    const tarball = await makeBundle(join(work, 'deadline'), 'IR-91_web1_20260301T000000Z', 1024)
    const started = Date.now()
    const result = await runCli(['push', tarball, '--bucket', 'evidence', '--endpoint', endpoint], {
      env: {...baseEnv, HIPAA_IR_S3_DEADLINE: '1', HIPAA_IR_S3_IDLE_TIMEOUT: '60', HIPAA_IR_S3_REQUEST_TIMEOUT: '60'}, timeoutMs: 60_000,
    })
    expect(result.exitCode, result.stderr).toBe(5)
    // The aborted request leaves no socket or timer behind to keep the process alive.
    expect(Date.now() - started).toBeLessThan(15_000)
    expect(result.stderr).toMatch(/did not finish within 1 s.*HIPAA_IR_S3_DEADLINE/)
    expect(result.stderr).toContain('hipaa-ir push --pending')
    const state = JSON.parse(await readFile(tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {lastError?: string; status: string}
    expect(state.status).toBe('pending')
    expect(state.lastError).toMatch(/HIPAA_IR_S3_DEADLINE/)
  })

  it('verify s3:// gives up too (exit 1), naming the time limit', async () => {
    const started = Date.now()
    const result = await runCli(['verify', 's3://evidence/IR-93/web1/IR-93_web1_20260301T000000Z.tar.gz', '--endpoint', endpoint], {
      env: {...baseEnv, ...shortLimits}, timeoutMs: 60_000,
    })
    expect(result.exitCode, result.stderr).toBe(1)
    expect(Date.now() - started).toBeLessThan(30_000)
    expect(result.stderr).toMatch(/did not answer in time/)
  })

  it('collect --push exits 5 with the bundle pending and the retry command', async () => {
    const root = join(work, 'root')
    await buildFixtureRoot(root, {layout: 'debian'})
    const out = join(work, 'collect')
    const result = await runCli(
      ['collect', '--case', 'IR-92', '--root', root, '--out-dir', out, '--since', WINDOW_START, '--push', '--bucket', 'evidence', '--endpoint', endpoint, '--json'],
      {env: {...baseEnv, ...shortLimits}, timeoutMs: 90_000},
    )
    expect(result.exitCode, result.stderr).toBe(5)
    const json = parseJson<{push: {error: string; status: string}; tarball: string; warnings: string[]}>(result)
    expect(json.push.status).toBe('pending')
    expect(json.push.error).toMatch(/did not answer in time/)
    expect(json.warnings.join('\n')).toContain(`Retry with: hipaa-ir push --pending --out-dir ${out} --bucket evidence --endpoint ${endpoint}`)
    const state = JSON.parse(await readFile(json.tarball.replace(/\.tar\.gz$/, '.push.json'), 'utf8')) as {status: string}
    expect(state.status).toBe('pending')
  })
})
