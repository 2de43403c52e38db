// Benchmark: `hipaa-ir analyze` on a 10-bundle, 5,000,000-event case (BENCH_QUICK: 200,000; or the count
// given as argument), verify
// excluded, against DuckDB alone reading the same JSON lines (read_json_auto into a table). Target:
// at most 2x DuckDB's time, peak RSS at most 1.5 GB. Reports events per second and each phase.
// The case is synthetic bundle folders (manifest.json and the collectors' JSON lines) under bench/.data.
import {existsSync} from 'node:fs'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {dataDir, interleave, measure, prng, projectRoot, quick, rounds, saveResults, summarize, waitForQuiet, writeOnce} from './lib.mjs'

const HOSTS = 10
/** Shares of each source in a bundle: auth and audit dominate real cases. */
const MIX = [['auth', 0.4], ['audit', 0.4], ['phi-files', 0.1], ['processes', 0.05], ['sessions', 0.05]]
const FILES = {audit: 'audit/events.jsonl', auth: 'auth/events.jsonl', 'phi-files': 'phi-files/recently-modified.jsonl', processes: 'processes/processes.jsonl', sessions: 'sessions/sessions.jsonl'}
/** The case covers two weeks of each host's logs (so that the rules' baselines have a history). */
const START = Date.parse('2026-03-01T00:00:00Z')
const SPAN = 14 * 86_400_000
/** Staff: 60 accounts, each logging in from its own two office or VPN addresses. */
const STAFF = Array.from({length: 60}, (_, i) => ({ips: [`10.20.${i}.11`, `10.21.${i}.12`], uid: 1001 + i, user: `staff${String(i).padStart(2, '0')}`}))
/** What internet scanners try. */
const GUESSES = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'user', 'postgres', 'git', 'ftp', 'guest', 'pi', 'deploy', 'support', 'mysql', 'backup']

/**
 * One host's lines of one source, modelled on a PHI server (docs/benchmarks.md, benchmark 8): half
 * the auth log is internet scanners' bursts of failed and invalid-user logins (a few hundred
 * addresses, tens of tries each), a third is cron's root sessions, the rest staff logging in from
 * their usual addresses in office hours, with sudo; 90% of the audit records are the EHR service
 * account reading PHI around the clock, the rest staff reading a few files and root commands. Times
 * rise through each file over the two weeks, as in a log.
 */
function* lines(source, host, count, seed) {
  const random = prng(seed)
  const pick = (list) => list[Math.floor(random() * list.length)]
  const step = SPAN / count
  let chunk = ''
  let burst = {left: 0}
  for (let i = 0; i < count; i++) {
    const at = START + i * step + Math.floor(random() * step)
    const time = new Date(at).toISOString()
    const hour = new Date(at).getUTCHours()
    const office = hour >= 8 && hour < 18 && new Date(at).getUTCDay() % 6 !== 0
    let o
    if (source === 'auth') {
      const pid = 1000 + (i % 30000)
      const roll = random()
      if (burst.left > 0 || roll < 0.025) {
        if (burst.left === 0) burst = {ip: `198.51.${Math.floor(random() * 4)}.${Math.floor(random() * 100)}`, left: 10 + Math.floor(random() * 60)}
        burst.left--
        const user = pick(GUESSES)
        const invalid = user !== 'root' && random() < 0.7
        const port = 30000 + Math.floor(random() * 30000)
        o = {time, host, program: 'sshd', pid, kind: invalid ? 'invalid-user' : 'failed', user, ip: burst.ip, port, method: 'password', source: '/var/log/auth.log',
          raw: `${time} ${host} sshd[${pid}]: ${invalid ? `Invalid user ${user}` : `Failed password for ${user}`} from ${burst.ip} port ${port} ssh2`}
      } else if (roll < 0.7) {
        const kind = random() < 0.5 ? 'session-opened' : 'session-closed'
        o = {time, host, program: 'CRON', pid, kind, user: 'root', source: '/var/log/auth.log',
          raw: `${time} ${host} CRON[${pid}]: pam_unix(cron:session): session ${kind === 'session-opened' ? 'opened' : 'closed'} for user root`}
      } else {
        const staff = STAFF[Math.floor(random() * (office ? STAFF.length : 3))]
        const ip = pick(staff.ips)
        if (random() < 0.1 && staff.uid < 1006) {
          o = {time, host, program: 'sudo', pid, kind: 'sudo', user: staff.user, target_user: 'root', command: '/usr/bin/systemctl status ehr', source: '/var/log/auth.log',
            raw: `${time} ${host} sudo: ${staff.user} : TTY=pts/0 ; PWD=/home/${staff.user} ; USER=root ; COMMAND=/usr/bin/systemctl status ehr`}
        } else {
          const port = 30000 + Math.floor(random() * 30000)
          o = {time, host, program: 'sshd', pid, kind: 'accepted', user: staff.user, ip, port, method: 'publickey', source: '/var/log/auth.log',
            raw: `${time} ${host} sshd[${pid}]: Accepted publickey for ${staff.user} from ${ip} port ${port} ssh2`}
        }
      }
    } else if (source === 'audit') {
      const roll = random()
      const file = `/var/data/phi/p${Math.floor(random() * 100000)}.json`
      if (roll < 0.9) {
        o = {auid: '4294967295', comm: 'ehr', euid: '998', exe: '/opt/ehr/bin/ehr', key: 'phi_access', keys: ['phi_access'], paths: [file],
          serial: i + 1, source: '/var/log/audit/audit.log', success: true, syscall: 'openat', time, types: ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'], uid: '998'}
      } else if (roll < 0.95 && office) {
        const staff = pick(STAFF.slice(0, 10))
        o = {auid: String(staff.uid), comm: 'less', euid: String(staff.uid), exe: '/usr/bin/less', key: 'phi_access', keys: ['phi_access'], paths: [file],
          serial: i + 1, source: '/var/log/audit/audit.log', success: true, syscall: 'openat', time, types: ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'], uid: String(staff.uid)}
      } else {
        o = {auid: '1001', comm: 'systemctl', euid: '0', exe: '/usr/bin/systemctl', key: 'root_commands', keys: ['root_commands'], paths: ['/usr/bin/systemctl'],
          serial: i + 1, source: '/var/log/audit/audit.log', success: true, syscall: 'execve', time, types: ['SYSCALL', 'EXECVE', 'CWD', 'PATH', 'PROCTITLE'], uid: '0'}
      }
    } else if (source === 'phi-files') {
      o = {ctime: time, gid: 998, mode: '0640', mtime: time, path: `/var/data/phi/p${Math.floor(random() * 100000)}.json`, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 2048, type: 'file', uid: 998}
    } else if (source === 'processes') {
      o = {cmdline: ['/usr/bin/python3', '-m', 'worker', String(i)], cwd: '/', exe: '/usr/bin/python3.11', exe_deleted: false, exe_sha256: null, pid: 2000 + i, ppid: 1, start: time, uid: 998, user: 'ehr'}
    } else {
      const staff = pick(STAFF)
      o = {duration: '00:10', host: pick(staff.ips), kind: 'user', login: time, login_raw: time, logout: null, logout_raw: 'still logged in', source: 'last', status: null, tty: 'pts/0', user: staff.user}
    }
    chunk += `${JSON.stringify(o)}\n`
    if (chunk.length > 1 << 20) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk !== '') yield chunk
}

/** Builds (once) the case: HOSTS bundle folders sharing `total` events. */
async function buildCase(total) {
  const root = join(dataDir, `analyze-server-${total}`)
  const bundles = []
  const files = []
  for (let h = 0; h < HOSTS; h++) {
    const host = `phi-${String(h).padStart(2, '0')}`
    const name = `IR-BENCH_${host}_20260303T100000Z`
    const dir = join(root, name)
    bundles.push(dir)
    const collectors = []
    for (const [source, share] of MIX) {
      const file = FILES[source]
      await writeOnce(join(dir, file), lines(source, host, Math.round((total / HOSTS) * share), h * 10 + MIX.findIndex(([s]) => s === source)))
      files.push(join(dir, file))
      collectors.push({files: [file], id: source, status: 'ok'})
    }
    if (!existsSync(join(dir, 'manifest.json'))) {
      await mkdir(dir, {recursive: true})
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({case: 'IR-BENCH', collectors, host, name, phi_dirs: ['/var/data/phi']}))
    }
  }
  return {bundles, files, root}
}

export async function analyze(total) {
  const {bundles, files, root} = await buildCase(total)
  const out = join(root, '.out')
  await mkdir(out, {recursive: true})
  await waitForQuiet()
  const node = process.execPath
  const phases = []
  const runs = await interleave(
    rounds,
    // The last round's outputs (2.2 GB for analyze, timeline.csv 1.55 GB of it) are removed before
    // the clock starts: freeing them is not part of either command's work.
    async () => {
      await rm(join(out, 'analysis'), {force: true, recursive: true})
      const run = await measure([node, join(projectRoot, 'bench/drivers/analyze-load.mjs'), out, ...bundles])
      phases.push(JSON.parse(run.stdout.trim().split('\n').pop()))
      return run
    },
    async () => {
      await rm(join(out, 'baseline.duckdb'), {force: true})
      return measure([node, join(projectRoot, 'bench/drivers/duckdb-read-json.mjs'), out, ...files])
    },
  )
  const last = phases[phases.length - 1]
  const wall = [...runs.ours.map((r) => r.wall)].sort((a, b) => a - b)[Math.floor(runs.ours.length / 2)]
  return summarize(`analyze ${total.toLocaleString('en-US')} events, ${HOSTS} bundles`, runs, {
    events: last.events,
    eventsPerSecond: last.events / wall,
    findings: last.findings,
    phases,
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // bench/results/analyze.json for the benchmark's own size (5,000,000 events), analyze-N.json for another.
  const total = Number(process.argv[2] ?? (quick ? 200_000 : 5_000_000))
  await saveResults(total === 5_000_000 || quick ? 'analyze' : `analyze-${total}`, await analyze(total))
}
