import type {S3Client} from '@aws-sdk/client-s3'
import * as Flags from '@oclif/core/flags'

import {UsageError, errorMessage} from '../core/errors.js'
import type {Inventory} from '../fleet/inventory.js'

/** The flags every `fleet` command that reads a case from S3 shares. Credentials never come from a flag. */
export const fleetCaseFlags = {
  bucket: Flags.string({description: 'the bucket holding the case (s3://B/[P/]CASE/)', required: true}),
  case: Flags.string({description: 'case id (the CASE folder in the bucket)', required: true}),
  endpoint: Flags.string({description: 'S3 endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, or AWS itself)'}),
  inventory: Flags.string({description: 'Ansible inventory (INI or YAML): hosts in it without a bundle are named'}),
  prefix: Flags.string({description: 'key prefix in the bucket (the case is PREFIX/CASE/)'}),
  run: Flags.string({description: 'the fleet run (YYYYMMDDTHHMMSSZ) whose manifest is read (default: the latest)'}),
}

export interface FleetCaseContext {
  client: S3Client
  endpoint: string | undefined
  inventory: Inventory | undefined
}

/** The inventory (read and checked first: a bad one is exit 2 before any request) and an S3 client for the endpoint. */
export async function openFleetCase(flags: {endpoint?: string; inventory?: string}): Promise<FleetCaseContext> {
  const {readInventory} = await import('../fleet/inventory.js')
  const inventory = flags.inventory === undefined ? undefined : await readInventory(flags.inventory)
  const {createS3Client, resolveEndpoint} = await import('../storage/s3-client.js')
  let endpoint: string | undefined
  try {
    endpoint = resolveEndpoint(flags.endpoint)
  } catch (error) {
    throw new UsageError(errorMessage(error))
  }
  return {client: createS3Client(endpoint === undefined ? {} : {endpoint}), endpoint, inventory}
}
