import {PutObjectTaggingCommand} from '@aws-sdk/client-s3'

import type {Signer} from '../../integrity/signer.js'
import {pushBundles} from '../../storage/push-run.js'
import {createS3Client} from '../../storage/s3-client.js'
import {drillPushSettings} from '../push-settings.js'

export interface DrillPushOptions {
  bucket: string
  endpoint?: string
  allowUnlocked?: boolean
  signer?: Signer
}

export interface DrillPushResult {
  bucket: string
  prefix: string
  mode: string
  retainUntil: null | string
  locked: boolean
  objects: Array<{key: string; versionId: null | string; tagged: boolean}>
  failed: string[]
  tags: Record<string, string>
}

/**
 * Pushes a drill bundle with the real push workflow under the drill settings (drills/ prefix,
 * GOVERNANCE, 1 day), then tags every uploaded object version `drill=true`.
 */
export async function pushDrillBundle(tarball: string, scenarioId: string, options: DrillPushOptions): Promise<DrillPushResult> {
  const settings = drillPushSettings(scenarioId)
  const run = await pushBundles([tarball], {
    actor: `hipaa-ir drill run ${scenarioId} (exercise)`,
    allowUnlocked: options.allowUnlocked ?? false,
    bucket: options.bucket,
    mode: settings.mode,
    prefix: settings.prefix,
    retainDays: settings.retainDays,
    ...(options.endpoint === undefined ? {} : {endpoint: options.endpoint}),
    ...(options.signer === undefined ? {} : {signer: options.signer}),
  })
  const client = createS3Client(options.endpoint === undefined ? {} : {endpoint: options.endpoint})
  const objects: DrillPushResult['objects'] = []
  const failed = run.failed.map((f) => f.error)
  try {
    for (const pushed of run.pushed) {
      for (const object of Object.values(pushed.objects)) {
        if (object === undefined) continue
        const tagged = await client.send(new PutObjectTaggingCommand({
          Bucket: options.bucket,
          Key: object.key,
          Tagging: {TagSet: settings.tags},
          ...(object.versionId === undefined ? {} : {VersionId: object.versionId}),
        })).then(() => true, (error: unknown) => {
          failed.push(`tagging ${object.key}: ${error instanceof Error ? error.message : String(error)}`)
          return false
        })
        objects.push({key: object.key, tagged, versionId: object.versionId ?? null})
      }
    }
  } finally {
    client.destroy()
  }
  return {
    bucket: options.bucket,
    failed,
    locked: run.locked,
    mode: run.pushed[0]?.mode ?? settings.mode.toUpperCase(),
    objects,
    prefix: settings.prefix,
    retainUntil: run.pushed[0]?.retainUntil ?? null,
    tags: Object.fromEntries(settings.tags.map((t) => [t.Key, t.Value])),
  }
}
