import {execa} from 'execa'
import {chmod, mkdir, symlink, utimes, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'
import {gzipSync} from 'node:zlib'

import {buildHostFiles, type HostLayout} from './host-fixture.js'

/**
 * Builds a synthetic system root with planted evidence on both sides of a fixed window, in the
 * layouts of Debian 12 / Ubuntu 24.04 (auth.log, RFC 3339 stamps) or RHEL 9 (secure, classic
 * stamps without a year). Every planted line says whether it is inside the window (IN) or not (OUT),
 * so tests can check that collect finds every IN and no OUT.
 */
export const WINDOW_START = '2026-03-03T00:00:00Z'

export interface FixtureOptions {
  layout: 'debian' | 'journal-only' | 'rhel'
  /** Accounts, persistence places and shell histories (host-fixture.ts): the log layout's own by default, `false` for none. */
  host?: false | HostLayout
}

async function put(root: string, path: string, content: string | Buffer, mtime?: string): Promise<void> {
  const full = join(root, path)
  await mkdir(dirname(full), {recursive: true})
  await writeFile(full, content)
  if (mtime) await utimes(full, new Date(mtime), new Date(mtime))
}

const rfc = (iso: string) => iso.replace('Z', '.000000+00:00')

export const DEBIAN_AUTH = {
  current: [
    `${rfc('2026-03-03T09:15:02Z')} phi-db sshd[4100]: Accepted publickey for alice from 203.0.113.7 port 50122 ssh2: ED25519 SHA256:abc`,
    `${rfc('2026-03-03T09:15:02Z')} phi-db sshd[4100]: pam_unix(sshd:session): session opened for user alice(uid=1001) by (uid=0)`,
    `${rfc('2026-03-03T09:20:00Z')} phi-db sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/tar czf /tmp/x.tgz /var/data/phi`,
    `${rfc('2026-03-03T09:30:11Z')} phi-db sshd[4200]: Failed password for invalid user admin from 198.51.100.9 port 40222 ssh2`,
    `${rfc('2026-03-03T09:30:11Z')} phi-db CRON[4300]: pam_unix(cron:session): session closed for user root`,
  ],
  rotated1: [
    `${rfc('2026-03-02T23:59:59Z')} phi-db sshd[3000]: Failed password for root from 198.51.100.9 port 40000 ssh2`,
    `${rfc('2026-03-03T00:00:01Z')} phi-db sshd[3001]: Invalid user oracle from 198.51.100.9 port 40001`,
  ],
  rotated2gz: [
    `${rfc('2026-03-01T12:00:00Z')} phi-db sshd[2000]: Accepted password for bob from 192.0.2.10 port 51000 ssh2`,
    `${rfc('2026-03-03T00:30:00Z')} phi-db sshd[2001]: Accepted password for mallory from 192.0.2.66 port 51001 ssh2`,
  ],
}

/** Expected events inside the window for the Debian layout (by raw line). */
export const DEBIAN_IN = [DEBIAN_AUTH.rotated2gz[1], DEBIAN_AUTH.rotated1[1], ...DEBIAN_AUTH.current]

export const RHEL_SECURE = {
  current: [
    'Mar  3 09:15:02 phi-db sshd[4100]: Accepted password for alice from 203.0.113.7 port 50122 ssh2',
    'Mar  3 09:31:40 phi-db su[4400]: pam_unix(su:session): session opened for user root(uid=0) by alice(uid=1001)',
    'Mar  2 22:00:00 phi-db sshd[4000]: Failed password for alice from 203.0.113.7 port 50000 ssh2',
  ],
  rotated: [
    'Feb 27 10:00:00 phi-db sshd[1000]: Accepted password for carol from 192.0.2.20 port 52000 ssh2',
    'Mar  3 00:05:00 phi-db sshd[1001]: Failed password for invalid user test from 198.51.100.9 port 40100 ssh2',
  ],
}
export const RHEL_IN = [RHEL_SECURE.rotated[1], RHEL_SECURE.current[0], RHEL_SECURE.current[1]]

/** Audit events: serial 200 and 300 inside the window with key phi_access; 100 outside; 250 another key. */
export function auditLines(): {current: string; rotated: string} {
  const ev = (epoch: number, serial: number, key: string, auid: number, name: string) =>
    [
      `type=SYSCALL msg=audit(${epoch}.100:${serial}): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=0 a3=0 items=1 ppid=4100 pid=${serial + 5000} auid=${auid} uid=${auid} gid=${auid} euid=${auid} suid=${auid} fsuid=${auid} egid=${auid} sgid=${auid} fsgid=${auid} tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" subj=unconfined key="${key}"`,
      `type=CWD msg=audit(${epoch}.100:${serial}): cwd="/home/alice"`,
      `type=PATH msg=audit(${epoch}.100:${serial}): item=0 name="${name}" inode=1234 dev=fd:01 mode=0100600 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0`,
      `type=PROCTITLE msg=audit(${epoch}.100:${serial}): proctitle=636174002F7661722F646174612F706869`,
      `type=EOE msg=audit(${epoch}.100:${serial}): `,
    ].join('\n')
  const t = (iso: string) => Date.parse(iso) / 1000
  return {
    current: [
      ev(t('2026-03-03T09:21:00Z'), 200, 'phi_access', 1001, '/var/data/phi/patients.csv'),
      ev(t('2026-03-03T09:22:00Z'), 250, 'user_changes', 1001, '/etc/passwd'),
      ev(t('2026-03-03T09:25:00Z'), 300, 'phi_access', 1002, '/var/data/phi/labs/results.csv'),
    ].join('\n') + '\n',
    rotated: ev(t('2026-03-02T08:00:00Z'), 100, 'phi_access', 1001, '/var/data/phi/old.csv') + '\n',
  }
}

export async function buildFixtureRoot(root: string, options: FixtureOptions): Promise<void> {
  await put(root, 'etc/hostname', 'phi-db\n')
  await put(root, 'etc/timezone', 'UTC\n')
  if (options.layout === 'debian') {
    await put(root, 'var/log/auth.log', DEBIAN_AUTH.current.join('\n') + '\n', '2026-03-03T10:00:00Z')
    await put(root, 'var/log/auth.log.1', DEBIAN_AUTH.rotated1.join('\n') + '\n', '2026-03-03T00:10:00Z')
    await put(root, 'var/log/auth.log.2.gz', gzipSync(DEBIAN_AUTH.rotated2gz.join('\n') + '\n'), '2026-03-03T00:40:00Z')
    // Rotated long before the window: never read.
    await put(root, 'var/log/auth.log.3.gz', gzipSync(`${rfc('2026-02-01T00:00:00Z')} phi-db sshd[1]: Accepted password for eve from 192.0.2.1 port 1 ssh2\n`), '2026-02-02T00:00:00Z')
  } else if (options.layout === 'rhel') {
    await put(root, 'var/log/secure', RHEL_SECURE.current.join('\n') + '\n', '2026-03-03T10:00:00Z')
    await put(root, 'var/log/secure-20260303', RHEL_SECURE.rotated.join('\n') + '\n', '2026-03-03T00:06:00Z')
  } else {
    await mkdir(join(root, 'var/log/journal'), {recursive: true})
  }
  const audit = auditLines()
  await put(root, 'var/log/audit/audit.log', audit.current, '2026-03-03T10:00:00Z')
  await put(root, 'var/log/audit/audit.log.1', audit.rotated, '2026-03-02T09:00:00Z')
  await put(root, 'var/log/wtmp', '')

  // PHI: two recent files, one old, a FIFO, a symlink pointing out, and a recent sub-folder.
  await put(root, 'var/data/phi/patients.csv', 'id,name\n1,SYNTHETIC PATIENT\n', '2026-03-03T09:21:00Z')
  await chmod(join(root, 'var/data/phi/patients.csv'), 0o640)
  await utimes(join(root, 'var/data/phi/patients.csv'), new Date('2026-03-03T09:21:00Z'), new Date('2026-03-03T09:21:00Z'))
  await put(root, 'var/data/phi/labs/results.csv', 'id,result\n1,SYNTHETIC\n', '2026-03-03T09:25:00Z')
  await put(root, 'var/data/phi/archive-2025.csv', 'old\n', '2025-12-01T00:00:00Z')
  await execa('mkfifo', [join(root, 'var/data/phi/pipe')])
  await utimes(join(root, 'var/data/phi/pipe'), new Date('2026-03-03T09:26:00Z'), new Date('2026-03-03T09:26:00Z'))
  await symlink('/etc/shadow', join(root, 'var/data/phi/escape'))
  await utimes(join(root, 'var/data/phi/labs'), new Date('2026-03-03T09:25:00Z'), new Date('2026-03-03T09:25:00Z'))
  await utimes(join(root, 'var/data/phi'), new Date('2026-03-01T00:00:00Z'), new Date('2026-03-01T00:00:00Z'))
  const host = options.host ?? (options.layout === 'rhel' ? 'rhel' : 'debian')
  if (host !== false) await buildHostFiles(root, host)
}
