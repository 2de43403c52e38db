/** The set-up most S3 test files share: the real server, a direct client, a work folder, a fault proxy and buckets, cleaned up after. */
import type {S3Client} from '@aws-sdk/client-s3'
import {rm} from 'node:fs/promises'
import {afterAll, afterEach, beforeAll} from 'vitest'

import {makeTempDir} from '../helpers/temp.js'
import type {FaultProxy} from './fault-proxy.js'
import {clientFor, startLocalS3, testBuckets, type LocalS3} from './local-s3.js'

export interface S3Suite {
  direct: S3Client
  /** Makes a bucket (Object Lock on unless told) that afterAll empties. */
  lockedBucket: (label: string, locked?: boolean) => Promise<string>
  /** A proxy the test started; closed after each test. */
  proxy: FaultProxy | undefined
  s3: LocalS3
  work: string
}

/** Registers beforeAll / afterEach / afterAll; the fields are filled in by beforeAll. */
export function useS3Suite(prefix: string): S3Suite {
  const suite = {proxy: undefined} as S3Suite
  const buckets = testBuckets(() => suite.direct)
  suite.lockedBucket = async (label, locked = true) => buckets.make(label, locked)
  beforeAll(async () => {
    suite.s3 = await startLocalS3()
    suite.direct = clientFor(suite.s3)
    suite.work = await makeTempDir(prefix)
  })
  afterEach(async () => {
    await suite.proxy?.close()
    suite.proxy = undefined
  })
  afterAll(async () => {
    await buckets.cleanup()
    if (suite.work !== undefined) await rm(suite.work, {force: true, recursive: true})
  })
  return suite
}
