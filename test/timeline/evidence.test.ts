import {execa} from 'execa'
import {mkdir, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gzipSync} from 'node:zlib'
import {pack} from 'tar-stream'
import {describe, expect, it} from 'vitest'

import {readEvidencePosture} from '../../src/timeline/io/read-evidence.js'
import {postureFinding} from '../../src/timeline/posture.js'
import {runTimeline} from '../../src/timeline/run-timeline.js'
import {makeTempDir} from '../helpers/temp.js'

const NAME = 'IR-1_host_20260303T101500Z'
const posture = JSON.stringify({controls: [
  {id: 'ssh.banner', title: 'Banner', status: 'pass', evidence: [{file: '/etc/ssh/sshd_config', line: 3, text: 'Banner /etc/issue.net'}], reference: '164.308'},
  {id: 'encryption.phi-at-rest', title: 'PHI at rest', status: 'fail', evidence: [{command: 'findmnt -T /var/data/phi', output: '/dev/sda2 ext4'}], reason: 'not on dm-crypt', reference: '164.312(a)(2)(iv)'},
], phi_dirs: ['/var/data/phi']})

async function tarball(dir: string, entries: Record<string, string>): Promise<string> {
  const p = pack()
  const chunks: Buffer[] = []
  p.on('data', (c: unknown) => {
    chunks.push(c as Buffer)
  })
  const done = new Promise<void>((resolve) => {
    p.on('end', () => resolve())
  })
  for (const [name, body] of Object.entries(entries)) p.entry({name}, body)
  p.finalize()
  await done
  const path = join(dir, `${NAME}.tar.gz`)
  await writeFile(path, gzipSync(Buffer.concat(chunks)))
  return path
}

describe('evidence bundle as an input to the secured question', () => {
  it('reads NAME/posture/posture.json from a .tar.gz without extracting', async () => {
    const dir = await makeTempDir('hipaa-ir-ev-')
    const path = await tarball(dir, {[`${NAME}/manifest.json`]: '{}', [`${NAME}/posture/posture.json`]: posture})
    expect((await readEvidencePosture(path)).posture).toBe(posture)
  })

  it('reads an extracted bundle folder, or its parent', async () => {
    const dir = await makeTempDir('hipaa-ir-ev-')
    await mkdir(join(dir, NAME, 'posture'), {recursive: true})
    await writeFile(join(dir, NAME, 'posture', 'posture.json'), posture)
    expect((await readEvidencePosture(join(dir, NAME))).posture).toBe(posture)
    expect((await readEvidencePosture(dir)).posture).toBe(posture)
  })

  it('missing or unreadable bundles are problems to report, not failures', async () => {
    expect((await readEvidencePosture('/nonexistent/bundle.tar.gz')).problem).toMatch(/does not exist/)
    const dir = await makeTempDir('hipaa-ir-ev-')
    await writeFile(join(dir, 'junk.tar.gz'), 'not gzip')
    expect((await readEvidencePosture(join(dir, 'junk.tar.gz'))).problem).toMatch(/could not be read/)
    expect(await readEvidencePosture(await tarball(dir, {[`${NAME}/manifest.json`]: '{}'}))).toEqual({})
  })

  it('a FIFO or a link to /dev/zero as the bundle or its posture.json is a problem at once, never a hang or an unbounded read', async () => {
    const dir = await makeTempDir('hipaa-ir-ev-')
    await mkdir(join(dir, NAME, 'posture'), {recursive: true})
    await execa('mkfifo', [join(dir, NAME, 'posture', 'posture.json')])
    await execa('mkfifo', [join(dir, 'fifo.tar.gz')])
    await symlink('/dev/zero', join(dir, 'zero.tar.gz'))
    for (const path of [join(dir, NAME), join(dir, 'fifo.tar.gz'), join(dir, 'zero.tar.gz')]) {
      expect((await readEvidencePosture(path)).problem, path).toMatch(/could not be read .*(FIFO|character device)/)
    }
  })

  it('states the control and never decides the question', () => {
    const finding = postureFinding('b.tar.gz', posture, true)
    expect(finding.control).toMatchObject({status: 'fail', evidence: 'findmnt -T /var/data/phi: /dev/sda2 ext4; not on dm-crypt', phi_dirs: ['/var/data/phi']})
    expect(finding.note).toMatch(/Input to the secured\/unsecured question/)
    expect(finding.note).toMatch(/point different ways/)
    expect(postureFinding('b', undefined, false).found).toBe(false)
    expect(postureFinding('b', '{nope', false).note).toMatch(/not valid JSON/)
  })

  it('the timeline quotes the snapshot but keeps the facts\' secured answer', async () => {
    const dir = await makeTempDir('hipaa-ir-ev-')
    await tarball(dir, {[`${NAME}/posture/posture.json`]: posture})
    const facts = join(dir, 'facts.yaml')
    await writeFile(facts, `id: IR-1\ndiscovered: 2026-03-03\naffected: {CA: 10}\nsecured: true\nevidence: ${NAME}.tar.gz\n`)
    const result = await runTimeline({factsPath: facts, format: 'md', asOf: '2026-03-05'})
    expect(result.timeline.notification_required).toBe(false)
    expect(result.timeline.evidence?.control?.status).toBe('fail')
    expect(result.rendered).toContain('## Evidence bundle input')
    expect(result.rendered).toContain('encryption.phi-at-rest is "fail"')
  })
})
