// Benchmark: `hipaa-ir analyze` on a 10-bundle, 5,000,000-event case (BENCH_QUICK: 200,000; or the count
// given as argument), verify
// excluded, against DuckDB alone reading the same JSON lines (read_json_auto into a table). Target:
// at most 2x DuckDB's time, peak RSS at most 1.5 GB. Reports events per second and each phase.
// The case is synthetic bundle folders (manifest.json and the collectors' JSON lines) under bench/.data.
import {existsSync} from 'node:fs'
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {dataDir, interleave, measure, prng, projectRoot, quick, rounds, summarize, waitForQuiet, writeOnce} from './lib.mjs'

const HOSTS = 10
/** Shares of each source in a bundle: auth and audit dominate real cases. */
const MIX = [['auth', 0.4], ['audit', 0.4], ['phi-files', 0.1], ['processes', 0.05], ['sessions', 0.05]]
const FILES = {audit: 'audit/events.jsonl', auth: 'auth/events.jsonl', 'phi-files': 'phi-files/recently-modified.jsonl', processes: 'processes/processes.jsonl', sessions: 'sessions/sessions.jsonl'}
const KINDS = ['accepted', 'failed', 'failed', 'failed', 'invalid-user', 'session-opened', 'session-closed', 'sudo']

function* lines(source, host, count, seed) {
  const random = prng(seed)
  const start = Date.parse('2026-03-01T00:00:00Z')
  let chunk = ''
  for (let i = 0; i < count; i++) {
    const time = new Date(start + i * 500 + Math.floor(random() * 500)).toISOString()
    const user = `user${Math.floor(random() * 200)}`
    const ip = `198.51.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`
    let o
    if (source === 'auth') {
      const kind = KINDS[Math.floor(random() * KINDS.length)]
      const port = 30000 + Math.floor(random() * 30000)
      o = {time, host, program: 'sshd', pid: 1000 + i % 30000, kind, user, ip, port, method: 'password', source: '/var/log/auth.log',
        raw: `${time} ${host} sshd[${1000 + i % 30000}]: ${kind === 'accepted' ? 'Accepted' : 'Failed'} password for ${user} from ${ip} port ${port} ssh2`}
    } else if (source === 'audit') {
      const auid = String(1000 + Math.floor(random() * 50))
      o = {auid, comm: 'ehr', euid: auid, exe: '/opt/ehr/bin/ehr', key: 'phi_access', keys: ['phi_access'], paths: [`/var/data/phi/p${Math.floor(random() * 100000)}.json`],
        serial: i + 1, source: '/var/log/audit/audit.log', success: true, time, types: ['SYSCALL', 'CWD', 'PATH', 'PROCTITLE'], uid: auid}
    } else if (source === 'phi-files') {
      o = {ctime: time, gid: 0, mode: '0640', mtime: time, path: `/var/data/phi/p${i}.json`, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', size: 2048, type: 'file', uid: 0}
    } else if (source === 'processes') {
      o = {cmdline: ['/usr/bin/python3', '-m', 'worker', String(i)], cwd: '/', exe: '/usr/bin/python3.11', exe_deleted: false, exe_sha256: null, pid: 2000 + i, ppid: 1, start: time, uid: 0, user: 'root'}
    } else {
      o = {duration: '00:10', host: ip, kind: 'user', login: time, login_raw: time, logout: null, logout_raw: 'still logged in', source: 'last', status: null, tty: 'pts/0', user}
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
  const root = join(dataDir, `analyze-${total}`)
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
    async () => {
      const run = await measure([node, join(projectRoot, 'bench/drivers/analyze-load.mjs'), out, ...bundles])
      phases.push(JSON.parse(run.stdout.trim().split('\n').pop()))
      return run
    },
    () => measure([node, join(projectRoot, 'bench/drivers/duckdb-read-json.mjs'), out, ...files]),
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

if (import.meta.url === `file://${process.argv[1]}`) await analyze(Number(process.argv[2] ?? (quick ? 200_000 : 5_000_000)))
