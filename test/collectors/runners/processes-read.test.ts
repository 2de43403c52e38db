import {spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import {copyFile, readFile, rm} from 'node:fs/promises'
import {createServer} from 'node:net'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {hashExecutables} from '../../../src/collectors/runners/exe-hash.js'
import {readProcess, VANISHED, type ProcessFacts} from '../../../src/collectors/runners/proc-read.js'
import {socketsByInode} from '../../../src/collectors/runners/proc-sockets.js'
import {makeTempDir} from '../../helpers/temp.js'

async function started(path: string, args: string[]) {
  const child = spawn(path, args, {stdio: 'ignore'})
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  return child
}

describe('reading one process from /proc', () => {
  it('reads this test process: argv, cwd, executable key and its sockets by fd', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const facts = readProcess(process.pid) as ProcessFacts
      expect(facts).not.toBe(VANISHED)
      expect(facts.stat.pid).toBe(process.pid)
      expect(facts.cmdline).toEqual(expect.arrayContaining(process.argv.slice(1)))
      expect(facts.exe).toBe(await import('node:fs').then((fs) => fs.realpathSync(process.execPath)))
      expect(facts.exeDeleted).toBe(false)
      expect(facts.exeKey).toMatch(/^\d+:\d+$/)
      expect(facts.cwd).toBe(process.cwd())
      const {byInode} = socketsByInode(new Map([[facts.netns ?? '', [process.pid]]]))
      const port = (server.address() as {port: number}).port
      const listener = (facts.socketFds ?? []).map((s) => byInode.get(s.inode)).find((s) => s?.local_port === port)
      expect(listener).toMatchObject({listening: true, local_address: '127.0.0.1', state: 'LISTEN'})
    } finally {
      server.close()
    }
  })

  it('gives VANISHED for a process that is not there', () => {
    expect(readProcess(2 ** 22 + 7)).toBe(VANISHED)
  })

  it('a binary whose real name ends in " (deleted)" is not taken for a deleted one', async () => {
    const dir = await makeTempDir('hipaa-ir-procread-')
    const path = join(dir, 'tool (deleted)')
    await copyFile('/bin/sleep', path)
    const child = await started(path, ['30'])
    try {
      const facts = readProcess(child.pid ?? 0) as ProcessFacts
      expect(facts.exe).toBe(path)
      expect(facts.exeDeleted).toBe(false)
    } finally {
      child.kill('SIGKILL')
      await rm(dir, {force: true, recursive: true})
    }
  })
})

describe('hashing each executable once, through /proc/PID/exe', () => {
  it('hashes a deleted binary, tries the next pid when one has exited, and calls an executable with no live process vanished', async () => {
    const dir = await makeTempDir('hipaa-ir-exehash-')
    const path = join(dir, 'implant')
    await copyFile('/bin/sleep', path)
    const sha256 = createHash('sha256').update(await readFile(path)).digest('hex')
    const child = await started(path, ['30'])
    try {
      await rm(path)
      const facts = readProcess(child.pid ?? 0) as ProcessFacts
      expect(facts.exeDeleted).toBe(true)
      const key = facts.exeKey ?? ''
      const gone = 2 ** 22 + 9
      const hashes = await hashExecutables(new Map([[key, [gone, child.pid ?? 0]], ['1:1', [gone]]]), 2)
      expect(hashes.get(key)).toMatchObject({sha256})
      expect(hashes.get('1:1')).toMatchObject({denied: false, vanished: true})
      // A pid whose executable is now another file (the pid was reused) is not hashed under this key.
      expect(await hashExecutables(new Map([['1:1', [process.pid]]]), 1)).toEqual(new Map([['1:1', expect.objectContaining({vanished: true})]]))
    } finally {
      child.kill('SIGKILL')
      await rm(dir, {force: true, recursive: true})
    }
  })
})
