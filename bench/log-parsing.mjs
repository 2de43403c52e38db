// Benchmark 3: log parsing. `collect --collectors auth` over a synthetic 5M-line auth.log against
// `grep -E` for the same event lines; `collect --collectors audit` over a 1 GB audit.log against
// the two `ausearch` runs a responder would type (raw records and interpreted text). Events per
// second and peak RSS (flat memory is the target).
// Usage: node bench/log-parsing.mjs [AUTH_LINES] [AUDIT_MIB]   (default 5000000 1024; BENCH_QUICK=1: 200000 40)
import {existsSync} from 'node:fs'
import {mkdir, readFile, rm, utimes, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {cli, dataDir, interleave, measure, prng, quick, rounds, saveResults, summarize, waitForQuiet, writeOnce} from './lib.mjs'

const START = Date.parse('2026-03-03T00:00:00Z')
const SINCE = '2026-03-01T00:00:00Z'
const USERS = ['alice', 'bob', 'carol', 'dave', 'root', 'admin', 'oracle', 'postgres']

/** Auth lines in Debian 12's ISO-stamp format, a mix like a busy bastion's: mostly sshd noise and failures. */
export function* authLines(count) {
  const random = prng(7)
  let batch = ''
  for (let i = 0; i < count; i++) {
    const t = new Date(START + i * 50).toISOString().replace('Z', '000+00:00')
    const pid = 2000 + (i % 60000)
    const user = USERS[Math.floor(random() * USERS.length)]
    const ip = `198.51.100.${1 + (i % 250)}`
    const port = 30000 + (i % 30000)
    const r = random()
    const body =
      r < 0.3 ? `sshd[${pid}]: Failed password for ${user} from ${ip} port ${port} ssh2`
      : r < 0.4 ? `sshd[${pid}]: Failed password for invalid user ${user}x from ${ip} port ${port} ssh2`
      : r < 0.45 ? `sshd[${pid}]: Invalid user ${user}x from ${ip} port ${port}`
      : r < 0.5 ? `sshd[${pid}]: Accepted publickey for ${user} from ${ip} port ${port} ssh2: ED25519 SHA256:3bT1o0mC9vV2Qq4r0KZ6m1rXo5l0yJt8c1Hn2dP7aWs`
      : r < 0.55 ? `sshd[${pid}]: pam_unix(sshd:session): session opened for user ${user}(uid=1001) by (uid=0)`
      : r < 0.6 ? `sshd[${pid}]: Disconnected from user ${user} ${ip} port ${port}`
      : r < 0.65 ? `sudo:    ${user} : TTY=pts/0 ; PWD=/home/${user} ; USER=root ; COMMAND=/usr/bin/cat /var/data/phi/p${i}.csv`
      : r < 0.8 ? `sshd[${pid}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${user}`
      : r < 0.9 ? `CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`
      : `systemd-logind[512]: New session ${i} of user ${user}.`
    batch += `${t} web01 ${body}\n`
    if (i % 10000 === 9999) {
      yield batch
      batch = ''
    }
  }
  yield batch
}

/** Raw auditd records (SYSCALL, CWD, PATH, PROCTITLE, EOE per event); one event in ten keyed phi_access. */
export function* auditRecords(targetBytes) {
  const random = prng(11)
  let bytes = 0
  let serial = 1000
  let batch = ''
  while (bytes < targetBytes) {
    serial++
    const stamp = `${(START / 1000 + serial * 0.01).toFixed(3)}:${serial}`
    const uid = 1000 + Math.floor(random() * 8)
    const phi = random() < 0.1
    const name = phi ? `/var/data/phi/d${serial % 997}/patient-${serial}.txt` : `/usr/lib/x86_64-linux-gnu/lib${serial % 89}.so.6`
    const key = phi ? '"phi_access"' : '(null)'
    const event =
      `type=SYSCALL msg=audit(${stamp}): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd4b2f3e10 a2=0 a3=0 items=1 ppid=2210 pid=${2000 + (serial % 30000)} auid=${uid} uid=${uid} gid=${uid} euid=${uid} suid=${uid} fsuid=${uid} egid=${uid} sgid=${uid} fsgid=${uid} tty=pts0 ses=7 comm="cat" exe="/usr/bin/cat" subj=unconfined key=${key}\n` +
      `type=CWD msg=audit(${stamp}): cwd="/home/u${uid}"\n` +
      `type=PATH msg=audit(${stamp}): item=0 name="${name}" inode=${1311042 + serial} dev=fd:00 mode=0100640 ouid=0 ogid=1002 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n` +
      `type=PROCTITLE msg=audit(${stamp}): proctitle=636174002F7661722F646174612F7068692F70617469656E74732E637376\n` +
      `type=EOE msg=audit(${stamp}): \n`
    bytes += event.length
    batch += event
    if (batch.length > 1 << 20) {
      yield batch
      batch = ''
    }
  }
  yield batch
}

export async function fakeRoot(name, relative, chunks) {
  const root = join(dataDir, name)
  const file = join(root, relative)
  const done = join(root, '.ready')
  if (!existsSync(done)) {
    await rm(root, {force: true, recursive: true})
    await writeOnce(file, chunks)
    await mkdir(join(root, 'etc'), {recursive: true})
    await writeFile(join(root, 'etc', 'hostname'), 'bench01\n')
    await writeFile(join(root, 'etc', 'timezone'), 'Etc/UTC\n')
    await utimes(file, new Date('2026-03-31T00:00:00Z'), new Date('2026-03-31T00:00:00Z'))
    await writeFile(done, '')
  }
  return {file, root}
}

const countLines = async (path) => (await readFile(path)).reduce((n, b) => n + (b === 10 ? 1 : 0), 0)

export async function logParsing(authLineCount, auditMib) {
  const results = []
  const out = join(dataDir, 'out-logs')
  const auth = await fakeRoot(`auth-${authLineCount}`, 'var/log/auth.log', authLines(authLineCount))
  await waitForQuiet()
  const authRuns = await interleave(
    rounds,
    async () => {
      await rm(out, {force: true, recursive: true})
      return measure([process.execPath, cli, 'collect', '--case', 'BENCH', '--out-dir', out, '--root', auth.root, '--collectors', 'auth', '--since', SINCE, '--json'], {stdout: 'ignore'})
    },
    async () => {
      await rm(out, {force: true, recursive: true})
      const pattern = String.raw`(sshd\[[0-9]+\]: (Accepted|Failed|Invalid user|Disconnected)|sudo: |su: |session (opened|closed))`
      return measure(['bash', '-c', 'mkdir -p "$3" && grep -E "$1" "$2" > "$3/auth-events.txt"', 'grep', pattern, auth.file, out], {okExitCodes: [0, 1]})
    },
  )
  const authResult = summarize(`auth.log ${authLineCount} lines`, authRuns, {lines: authLineCount})
  authResult.linesPerSecond = {baseline: authLineCount / authResult.baseline.wall, ours: authLineCount / authResult.ours.wall}
  console.log(`  lines/s: hipaa-ir ${Math.round(authResult.linesPerSecond.ours)}, grep -E ${Math.round(authResult.linesPerSecond.baseline)}`)
  results.push(authResult)

  const audit = await fakeRoot(`audit-${auditMib}m`, 'var/log/audit/audit.log', auditRecords(auditMib * 1024 * 1024))
  const events = (await countLines(audit.file)) / 5
  await waitForQuiet()
  const auditRuns = await interleave(
    rounds,
    async () => {
      await rm(out, {force: true, recursive: true})
      return measure([process.execPath, cli, 'collect', '--case', 'BENCH', '--out-dir', out, '--root', audit.root, '--collectors', 'audit', '--since', SINCE, '--json'], {stdout: 'ignore'})
    },
    async () => {
      await rm(out, {force: true, recursive: true})
      const script = 'mkdir -p "$2" && { ausearch -k phi_access -ts 03/01/26 00:00:00 --raw -if "$1" > "$2/phi_access.raw"; ausearch -k phi_access -ts 03/01/26 00:00:00 -i -if "$1" > "$2/phi_access.txt"; true; }'
      return measure(['bash', '-c', script, 'ausearch', audit.file, out], {env: {LC_ALL: 'C', TZ: 'UTC'}})
    },
  )
  const auditResult = summarize(`audit.log ${auditMib} MiB (${events} events, 10% phi_access)`, auditRuns, {events})
  auditResult.eventsPerSecond = {baseline: events / auditResult.baseline.wall, ours: events / auditResult.ours.wall}
  console.log(`  events/s: hipaa-ir ${Math.round(auditResult.eventsPerSecond.ours)}, ausearch ×2 ${Math.round(auditResult.eventsPerSecond.baseline)}`)
  results.push(auditResult)
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [lines, mib] = process.argv.slice(2).map(Number)
  await saveResults('log-parsing', await logParsing(lines > 0 ? lines : quick ? 200_000 : 5_000_000, mib > 0 ? mib : quick ? 40 : 1024))
}
