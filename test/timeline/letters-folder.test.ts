import {appendFile, mkdir, readdir, readFile, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {describe, expect, it} from 'vitest'

import {parseJson, projectRoot, runCli} from '../helpers/cli.js'
import {makeTempDir} from '../helpers/temp.js'

const fixtures = join(projectRoot, 'test/fixtures/facts')
const flat = (text: string): string => text.replaceAll(/\s*›\s*/g, ' ').replaceAll(/\s+/g, ' ')

interface LettersDoc {
  letters: string[]
  letters_previous?: string | null
  letters_no_longer_owed?: string[]
}

/** The example facts with NY residents (state regulator and media letters for NY when 500+). */
async function factsWith(dir: string, name: string, affected: string): Promise<string> {
  const text = (await readFile(join(fixtures, 'example.yaml'), 'utf8')).replace(/^affected: .*$/m, `affected: ${affected}`)
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

describe('timeline --letters never silently destroys a draft (newcomer M4)', () => {
  it('re-running over existing drafts refuses (exit 2), names the files and the edited one, and changes nothing', async () => {
    const dir = await makeTempDir('hipaa-ir-letters-')
    const letters = join(dir, 'letters')
    const facts = join(fixtures, 'example.yaml')
    const first = await runCli(['timeline', '--facts', facts, '--letters', letters, '--as-of', '2026-03-20'])
    expect(first.exitCode).toBe(0)
    const notice = join(letters, 'individual-notice.md')
    await appendFile(notice, 'COUNSEL EDITS HERE\n')
    const out = join(dir, 'timeline.md')

    const again = await runCli(['timeline', '--facts', facts, '--letters', letters, '--as-of', '2026-03-20', '--out', out])
    expect(again.exitCode).toBe(2)
    const message = flat(again.stderr)
    expect(message).toContain(`--letters ${letters} already holds drafts`)
    expect(message).toContain('individual-notice.{docx,html,md}')
    expect(message).toMatch(/Changed since hipaa-ir wrote them \(or not written by it\): individual-notice\.md\./)
    expect(message).toContain('--force')
    expect(message).toContain('new --letters folder')
    expect(await readFile(notice, 'utf8')).toContain('COUNSEL EDITS HERE')
    await expect(stat(out)).rejects.toThrow() // a refusal writes nothing at all
  })

  it('--force keeps the old drafts in previous-STAMP/ beside the new ones', async () => {
    const dir = await makeTempDir('hipaa-ir-letters-')
    const letters = join(dir, 'letters')
    const facts = join(fixtures, 'example.yaml')
    expect((await runCli(['timeline', '--facts', facts, '--letters', letters, '--as-of', '2026-03-20'])).exitCode).toBe(0)
    await appendFile(join(letters, 'individual-notice.md'), 'COUNSEL EDITS HERE\n')
    const forced = await runCli(['timeline', '--facts', facts, '--letters', letters, '--as-of', '2026-03-20', '--force', '--json'])
    expect(forced.exitCode).toBe(0)
    const doc = parseJson<LettersDoc>(forced)
    expect(doc.letters_previous).toMatch(/\/letters\/previous-\d{8}T\d{6}Z$/)
    const previous = doc.letters_previous!
    expect(await readFile(join(previous, 'individual-notice.md'), 'utf8')).toContain('COUNSEL EDITS HERE')
    expect(await readFile(join(letters, 'individual-notice.md'), 'utf8')).not.toContain('COUNSEL EDITS HERE')
    expect((await readdir(previous)).sort()).toEqual((await readdir(letters)).filter((f) => /\.(md|html|docx)$/.test(f)).sort())
    expect((await stat(previous)).mode & 0o777).toBe(0o700)
  })

  it('drafts for notices no longer owed are moved into no-longer-owed/ and listed', async () => {
    const dir = await makeTempDir('hipaa-ir-letters-')
    const letters = join(dir, 'letters')
    const before = await factsWith(dir, 'ny600.yaml', '{ CA: 300, NV: 512, NY: 600 }')
    const after = await factsWith(dir, 'ny100.yaml', '{ CA: 300, NV: 512, NY: 100 }')
    expect((await runCli(['timeline', '--facts', before, '--letters', letters, '--as-of', '2026-03-20'])).exitCode).toBe(0)
    expect(await readdir(letters)).toContain('media-notice-NY.md')
    await writeFile(join(letters, 'my-notes.txt'), 'mine')

    const rerun = await runCli(['timeline', '--facts', after, '--letters', letters, '--as-of', '2026-03-20', '--force', '--out', join(dir, 't.md')])
    expect(rerun.exitCode).toBe(0)
    expect(flat(rerun.stdout)).toContain(`moved 3 drafts the facts no longer call for into ${join(letters, 'no-longer-owed')}: media-notice-NY.{docx,html,md}`)
    expect((await readdir(join(letters, 'no-longer-owed'))).sort()).toEqual(['media-notice-NY.docx', 'media-notice-NY.html', 'media-notice-NY.md'])
    expect(await readdir(letters)).not.toContain('media-notice-NY.md')
    expect(await readFile(join(letters, 'my-notes.txt'), 'utf8')).toBe('mine') // not a draft: left alone
  })

  it('a new folder, or one holding only other files, needs no --force', async () => {
    const dir = await makeTempDir('hipaa-ir-letters-')
    const letters = join(dir, 'letters')
    await mkdir(letters)
    await writeFile(join(letters, 'README.txt'), 'x')
    const run = await runCli(['timeline', '--facts', join(fixtures, 'business-associate.json'), '--letters', letters, '--as-of', '2025-05-20', '--json'])
    expect(run.exitCode).toBe(0)
    expect(parseJson<LettersDoc>(run)).toMatchObject({letters_previous: null, letters_no_longer_owed: []})
  })
})

describe('timeline terminal output and facts checks', () => {
  it('starts with a one-line next-deadline summary (newcomer m10)', async () => {
    const run = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '2026-03-20'])
    expect(run.exitCode).toBe(0)
    expect(run.stdout.split('\n')[0]).toBe('next deadline: 2026-04-02 (13 days): CA residents; NY residents; New York Attorney General, Dept. of…')
    const out = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '2026-03-20', '--out', join(await makeTempDir('hipaa-ir-t-'), 't.md')])
    expect(out.stdout).toMatch(/^wrote .*t\.md\nnext deadline: 2026-04-02 \(13 days\)/)
  })

  it('an unedited `timeline init` template run as-is warns that example values are still present (newcomer m9)', async () => {
    const dir = await makeTempDir('hipaa-ir-init-')
    const file = join(dir, 'IR-2026-014.yaml')
    expect((await runCli(['timeline', 'init', '--out', file])).exitCode).toBe(0)
    const run = await runCli(['timeline', '--facts', file, '--as-of', '2026-03-04'])
    expect(run.exitCode).toBe(0)
    const warning = flat(run.stderr)
    expect(warning).toContain('The facts still hold example values from the `timeline init` template')
    expect(warning).toContain('entity.name: Example Clinic')
    expect(warning).toContain('entity.phone: 1-800-555-0100')
    const edited = join(dir, 'real.yaml')
    const text = (await readFile(file, 'utf8')).replace(/^id: .*$/m, 'id: IR-REAL').replace('name: Example Clinic', 'name: Riverbend Health').replaceAll('1-800-555-0100', '1-888-000-1111').replace('privacy@example.org', 'p@riverbend.test').replace('https://example.org', 'https://riverbend.test').replace('"1 Main St, Springfield, IL 62701"', '"9 River Rd"').replace('name: Pat Lee', 'name: Dana Cruz').replace(/description: ".*"/, 'description: "Stolen laptop."').replace(/^mitigation: ".*"$/m, 'mitigation: "Remote wipe."')
    await writeFile(edited, text)
    const clean = await runCli(['timeline', '--facts', edited, '--as-of', '2026-03-04'])
    expect(clean.exitCode).toBe(0)
    expect(clean.stderr).not.toContain('example values')
  })

  it('a date beyond the horizon is a facts error naming the field, exit 2 (security L8)', async () => {
    const dir = await makeTempDir('hipaa-ir-far-')
    const file = join(dir, 'far.yaml')
    await writeFile(file, (await readFile(join(fixtures, 'example.yaml'), 'utf8')).replace('discovered: 2026-03-03', 'discovered: 9999-12-31'))
    const run = await runCli(['timeline', '--facts', file])
    expect(run.exitCode).toBe(2)
    expect(flat(run.stderr)).toContain('discovered: 9999-12-31 is out of range')
    const asOf = await runCli(['timeline', '--facts', join(fixtures, 'example.yaml'), '--as-of', '9999-12-31'])
    expect(asOf.exitCode).toBe(2)
    expect(flat(asOf.stderr)).toContain('--as-of 9999-12-31 is out of range')
  })
})
