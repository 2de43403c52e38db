/**
 * The S3 credential hosts get: an AWS shared-credentials file, mode 0600, in the run's private folder.
 * The playbook copies it to each host (no_log, 0600) and removes it there when the host's run ends;
 * it never goes into an environment variable, a command line or a log. With --credentials FILE the
 * operator's file (a short-lived, delete-less credential scoped to the case: README) is used as is;
 * otherwise the controller's own credentials from the standard AWS chain are written out.
 */
import {stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {UsageError, errnoCode} from '../core/errors.js'
import {shellQuote} from '../core/shell-quote.js'
import {createS3Client} from '../storage/s3-client.js'

export interface HostCredentials {
  file: string
  /** True when the controller's own credentials were handed out (a warning: prefer --credentials). */
  fromController: boolean
}

export async function hostCredentials(runDir: string, options: {endpoint?: string; file?: string}): Promise<HostCredentials> {
  if (options.file !== undefined) {
    let info
    try {
      info = await stat(options.file)
    } catch (error) {
      throw new UsageError(`--credentials ${options.file}: ${errnoCode(error) === 'ENOENT' ? 'no such file' : String(error)}`)
    }
    if (!info.isFile()) throw new UsageError(`--credentials ${options.file} is not a file`)
    if ((info.mode & 0o077) !== 0) {
      throw new UsageError(`--credentials ${options.file} is readable by group or others (mode ${(info.mode & 0o777).toString(8)}); an S3 secret must be private`, {
        code: 'E_KEY_MODE', suggestions: [`chmod 600 ${shellQuote(options.file)}`],
      })
    }
    return {file: options.file, fromController: false}
  }
  let creds
  try {
    creds = await createS3Client(options.endpoint === undefined ? {} : {endpoint: options.endpoint}).config.credentials()
  } catch {
    throw new UsageError('no S3 credentials for the hosts: give --credentials FILE (an AWS credentials file, 0600) or set the standard AWS variables or profile', {
      suggestions: ['see the README, "Fleet collection": a short-lived, delete-less credential scoped to the case prefix'],
    })
  }
  const lines = ['[default]', `aws_access_key_id = ${creds.accessKeyId}`, `aws_secret_access_key = ${creds.secretAccessKey}`]
  if (creds.sessionToken !== undefined) lines.push(`aws_session_token = ${creds.sessionToken}`)
  const file = join(runDir, 'host-credentials')
  await writeFile(file, lines.join('\n') + '\n', {flag: 'wx', mode: 0o600})
  return {file, fromController: true}
}
