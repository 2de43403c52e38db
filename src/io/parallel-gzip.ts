import {availableParallelism} from 'node:os'
import {Transform, type TransformCallback} from 'node:stream'
import {promisify} from 'node:util'
import {gzip, type ZlibOptions} from 'node:zlib'

const gzipBlock = promisify<Buffer, ZlibOptions, Buffer>(gzip)

export interface ParallelGzipOptions {
  /** Bytes of input per gzip member (default 4 MiB: the members' fresh dictionaries cost well under 1%). */
  blockBytes?: number
  /** zlib level (default 6, as gzip and `tar czf` use). */
  level?: number
  /** Blocks compressed at once on libuv's thread pool (default: the cores, at most 8). */
  parallel?: number
}

/**
 * gzip on every core, as pigz does: the input is cut into blocks, each block is compressed as a
 * gzip member of its own on libuv's thread pool, and the members are emitted in input order.
 * Concatenated members are a single valid gzip file (RFC 1952, 2.2): gunzip, GNU tar, Python and
 * Node read them as one stream. Memory is bounded by `parallel` blocks in and out.
 */
export function parallelGzip(options: ParallelGzipOptions = {}): Transform {
  const blockBytes = options.blockBytes ?? 4 * 1024 * 1024
  const zlibOptions: ZlibOptions = {level: options.level ?? 6}
  const parallel = Math.max(1, options.parallel ?? Math.min(8, availableParallelism()))
  let pending: Buffer[] = []
  let pendingBytes = 0
  let members = 0
  const inFlight: Promise<Buffer>[] = []

  const startBlock = (): void => {
    const block = pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes)
    pending = []
    pendingBytes = 0
    members++
    const compressed = gzipBlock(block, zlibOptions)
    // Rejections are handled when the block's turn comes; this only keeps Node from flagging them early.
    compressed.catch(() => undefined)
    inFlight.push(compressed)
  }

  return new Transform({
    async flush(this: Transform, done: TransformCallback) {
      try {
        if (pendingBytes > 0 || members === 0) startBlock()
        while (inFlight.length > 0) this.push(await (inFlight.shift() as Promise<Buffer>))
        done()
      } catch (error) {
        done(error as Error)
      }
    },
    async transform(this: Transform, chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
      try {
        pending.push(chunk)
        pendingBytes += chunk.length
        while (pendingBytes >= blockBytes) {
          // Cut exactly blockBytes, keeping the rest for the next block.
          const all = Buffer.concat(pending, pendingBytes)
          pending = [all.subarray(0, blockBytes)]
          const rest = all.subarray(blockBytes)
          pendingBytes = blockBytes
          startBlock()
          if (rest.length > 0) {
            pending = [rest]
            pendingBytes = rest.length
          }
          // Back-pressure: at most `parallel` blocks in flight; emit the oldest when it is done.
          while (inFlight.length >= parallel) this.push(await (inFlight.shift() as Promise<Buffer>))
        }
        done()
      } catch (error) {
        done(error as Error)
      }
    },
  })
}
