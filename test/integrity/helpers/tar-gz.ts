import {createWriteStream} from 'node:fs'
import {pipeline} from 'node:stream/promises'
import {createGzip} from 'node:zlib'
import tarStream from 'tar-stream'

export type TarEntry = Parameters<tarStream.Pack['entry']>[0] & {body?: string}

/** Writes a .tar.gz with exactly these entries (hostile ones included), as an attacker would. */
export async function writeTarGz(path: string, entries: TarEntry[]): Promise<void> {
  const pack = tarStream.pack()
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, createGzip(), createWriteStream(path))
  for (const {body, ...header} of entries) {
    await new Promise<void>((resolve, reject) => {
      pack.entry(header, body ?? '', (error) => (error ? reject(error) : resolve()))
    })
  }
  pack.finalize()
  await done
}

