import {chmod, chown, mkdir, readFile, readdir, stat, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

const fixtures = join(projectRoot, 'test/fixtures/facts')

/** oclif wraps error text and prefixes lines with ›; join it back into one line. */
const flat = (text: string): string => text.replaceAll(/\s*›\s*/g, ' ').replaceAll(/\s+/g, ' ')

interface JsonTimeline {
  notification_required: boolean
  reasons: string[]
  deadlines: Array<{id: string; due: string | null; citation: string; audience: string; status: string; days_left?: number; overdue?: boolean}>
  warnings: string[]
  disclaimer: string
  states: Array<{state: string; status: string; coverage: string}>
  letters: string[]
  documentation: string[]
  evidence?: {found: boolean; note: string}
}

describe('hipaa-ir timeline (built CLI)', () => {
  it.each([
    ['impossible-date.yaml', 'discovered', 'is not a real calendar date'],
    ['unknown-state.yaml', 'affected.ZZ', 'is not a US state or territory code'],
    ['negative-count.yaml', 'affected.NY', 'must not be negative'],
    ['written-delay-without-until.yaml', 'law_enforcement_delay.until', 'is required for a written delay'],
    ['missing-discovered.yaml', 'discovered', 'is required'],
    ['unknown-key.yaml', 'discoverd', 'is not a known field'],
    ['not-yaml.yaml', 'not valid YAML or JSON', ''],
  ])('invalid facts %s exit 2 and name %s', async (file, field, what) => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'invalid', file)])
    expect(result.exitCode).toBe(2)
    expect(flat(result.stderr)).toContain(field)
    expect(flat(result.stderr)).toContain(what)
  })

  it('a missing facts file exits 2', async () => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'nope.yaml')])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('does not exist')
  })

  it('an --out or --letters that cannot be written names the path and what to do (exit 1)', async () => {
    const dir = await makeTempDir('hipaa-ir-timeline-out-')
    await writeFile(join(dir, 'file'), 'x')
    const out = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--out', join(dir, 'file', 'timeline.md')])
    expect(out.exitCode).toBe(1)
    expect(out.stderr).toContain(`could not write --out ${join(dir, 'file', 'timeline.md')}`)
    expect(out.stderr).toContain('Choose an --out path in a writable folder')
    const letters = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--letters', join(dir, 'file', 'letters')])
    expect(letters.exitCode).toBe(1)
    expect(letters.stderr).toContain(`could not write the letter drafts to --letters ${join(dir, 'file', 'letters')}`)
  })

  it('a bad --as-of exits 2', async () => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '2026-13-01'])
    expect(result.exitCode).toBe(2)
    expect(result.stderr).toContain('--as-of')
  })

  it('--json prints the contract document with days left and statuses', async () => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '2026-03-20', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson<JsonTimeline>(result)
    expect(doc.notification_required).toBe(true)
    expect(doc.disclaimer).toMatch(/NOT LEGAL ADVICE/)
    const individuals = doc.deadlines.find((d) => d.id === 'individuals')
    expect(individuals).toMatchObject({due: '2026-05-02', citation: '45 CFR 164.404(b)', audience: 'individuals', status: 'verified', days_left: 43, overdue: false})
    expect(doc.deadlines.map((d) => d.id)).toEqual(expect.arrayContaining(['hhs', 'media:NV', 'substitute-notice', 'state:CA:individuals', 'state:NY:individuals', 'state:NY:regulator:after-hhs']))
    expect(doc.deadlines.map((d) => d.id)).not.toContain('media:CA')
    for (const d of doc.deadlines) expect(['verified', 'secondary', 'unverified']).toContain(d.status)
    expect(doc.states.find((s) => s.state === 'NV')).toMatchObject({coverage: 'not-covered', status: 'unverified'})
  })

  it('default output is Markdown with the banner, a table sorted by date and state statuses', async () => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '2026-03-20'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('DRAFT FOR COUNSEL, NOT LEGAL ADVICE')
    const dates = [...result.stdout.matchAll(/^\| (\d{4}-\d{2}-\d{2}) \|/gm)].map((m) => m[1])
    expect(dates.length).toBeGreaterThan(3)
    expect([...dates].sort()).toEqual(dates)
    expect(result.stdout).toMatch(/\| NV \| 512 \| not covered \| UNVERIFIED \|/)
  })

  it('secured PHI: no federal deadlines (the Texas items remain, judged by Texas law), reasons, documentation, and a missing evidence bundle is only a warning', async () => {
    const result = await runCli(['timeline', '--facts', join(fixtures, 'secured.yaml'), '--as-of', '2025-10-12', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson<JsonTimeline>(result)
    expect(doc.notification_required).toBe(false)
    expect(doc.deadlines.map((d) => d.id)).toEqual(['state:TX:regulator', 'state:TX:individuals'])
    expect(doc.reasons.join(' ')).toMatch(/Secured PHI/)
    expect(doc.documentation.join(' ')).toMatch(/164\.414\(b\)/)
    expect(doc.evidence?.found).toBe(false)
    expect(doc.warnings.join(' ')).toMatch(/missing-bundle\.tar\.gz does not exist/)
  })

  it('--format ics --out and --letters write files (0600) and list them', async () => {
    const dir = await makeTempDir('hipaa-ir-timeline-')
    const out = join(dir, 'deadlines.ics')
    const letters = join(dir, 'letters')
    const result = await runCli(['timeline', '--facts', join(fixtures, 'business-associate.json'), '--format', 'ics', '--out', out, '--letters', letters, '--as-of', '2025-05-20', '--json'])
    expect(result.exitCode).toBe(0)
    const doc = parseJson<JsonTimeline>(result)
    expect((await readFile(out, 'utf8')).startsWith('BEGIN:VCALENDAR')).toBe(true)
    expect((await stat(out)).mode & 0o777).toBe(0o600)
    expect((await readdir(letters)).sort()).toEqual(['.hipaa-ir-letters.json', 'ba-to-ce-notice.docx', 'ba-to-ce-notice.html', 'ba-to-ce-notice.md'])
    expect(doc.letters).toHaveLength(3)
    expect(doc.deadlines.map((d) => d.id).sort()).toEqual(['covered-entity', 'state:OR:covered-entity'])
  })

  it('timeline init writes a template that timeline accepts, and never overwrites', async () => {
    const dir = await makeTempDir('hipaa-ir-init-')
    const file = join(dir, 'facts.yaml')
    expect((await runCli(['timeline', 'init', '--out', file])).exitCode).toBe(0)
    expect(await readFile(file, 'utf8')).toMatch(/^# hipaa-ir incident facts/)
    const again = await runCli(['timeline', 'init', '--out', file])
    expect(again.exitCode).toBe(2)
    expect(again.stderr).toContain('already exists')
    const run = await runCli(['timeline', '--facts', file, '--as-of', '2026-03-04', '--format', 'html'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout).toContain('<svg')
  })

  it('under --json nothing is lost: the template without --out, and a Markdown/HTML/ICS rendering without --out (newcomer m3)', async () => {
    const init = parseJson<{path: null; template: string}>(await runCli(['timeline', 'init', '--json']))
    expect(init.path).toBeNull()
    expect(init.template).toMatch(/^# hipaa-ir incident facts/)
    const dir = await makeTempDir('hipaa-ir-init-json-')
    await writeFile(join(dir, 'facts.yaml'), init.template)
    for (const [format, start] of [['html', '<!doctype html>'], ['ics', 'BEGIN:VCALENDAR'], ['md', 'next deadline:']] as const) {
      const doc = parseJson<{output: null; rendered: string}>(await runCli(['timeline', '--facts', join(dir, 'facts.yaml'), '--format', format, '--as-of', '2026-03-04', '--json']))
      expect(doc.output).toBeNull()
      expect(doc.rendered.toLowerCase().startsWith(start.toLowerCase()), format).toBe(true)
    }
    const json = parseJson<Record<string, unknown>>(await runCli(['timeline', '--facts', join(dir, 'facts.yaml'), '--as-of', '2026-03-04', '--json']))
    expect(json).not.toHaveProperty('rendered')
  }, 240_000)

  it('--out, a --letters file and init --out never write through a planted link; a shared --letters folder is refused (security H1)', async () => {
    const dir = await makeTempDir('hipaa-ir-timeline-links-')
    const victim = join(dir, 'victim.conf')
    await writeFile(victim, 'precious\n')
    await chmod(victim, 0o644)
    const untouched = async () => {
      expect(await readFile(victim, 'utf8')).toBe('precious\n')
      expect((await stat(victim)).mode & 0o7777).toBe(0o644)
    }
    const out = join(dir, 'timeline.md')
    await symlink(victim, out)
    const viaOut = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--out', out])
    expect(viaOut.exitCode).toBe(1)
    expect(flat(viaOut.stderr)).toContain(`${out} is a symbolic link (to ${victim}): hipaa-ir never writes through a link`)
    await untouched()

    const letters = join(dir, 'letters')
    await mkdir(letters, {mode: 0o700})
    const letter = join(letters, 'ba-to-ce-notice.md')
    await symlink(victim, letter)
    const viaLetters = await runCli(['timeline', '--facts', join(fixtures, 'business-associate.json'), '--letters', letters, '--as-of', '2025-05-20'])
    expect(viaLetters.exitCode).toBe(1)
    expect(flat(viaLetters.stderr)).toContain(`${letter} is a symbolic link (to ${victim})`)
    await untouched()

    const init = await runCli(['timeline', 'init', '--out', out])
    expect(init.exitCode).toBe(1)
    expect(flat(init.stderr)).toContain(`${out} is a symbolic link`)
    await untouched()

    expect(process.getuid?.(), 'chown to nobody needs root (CI runs as root)').toBe(0)
    const shared = join(dir, 'shared')
    await mkdir(shared)
    await chmod(shared, 0o777)
    await chown(shared, 65534, 65534)
    const viaShared = await runCli(['timeline', '--facts', join(fixtures, 'business-associate.json'), '--letters', shared, '--as-of', '2025-05-20'])
    expect(viaShared.exitCode).not.toBe(0)
    expect(flat(viaShared.stderr)).toContain(`--letters ${shared} can be written by other users`)
    expect(await readdir(shared)).toEqual([])
  })
})
