// The PHI tree for benchmark 1, built once per size in a temp folder outside the project
// (BENCH_TMP, default $TMPDIR/hipaa-ir-bench). Deterministic: same names, sizes and bytes every time.
//
// Layout: ROOT/clinic-NN/patient-NNNNN/record-N.{txt,pdf,hl7,xml}, 40 files a patient folder, 25
// patient folders a clinic. Sizes (mulberry32 PRNG, seed = count): 85% 1-8 KiB (notes, HL7
// messages), 13% 8-32 KiB (letters, small PDFs), 2% 64-256 KiB (scans). Contents: varied text, so
// nothing compresses or hashes unrealistically.
//
// Times are fixed, not "now": every entry (files and folders) gets mtime OLD; 1% of the files
// (every 100th) gets mtime RECENT. So one tree serves both cases:
//   - 1% changed:   --since between OLD and RECENT (SINCE_ONE_PERCENT)
//   - all changed:  --since before OLD (SINCE_ALL), as after ransomware rewrote every file.
import {existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {prng} from './lib.mjs'

export const benchTmp = process.env.BENCH_TMP ?? join(tmpdir(), 'hipaa-ir-bench')
const OLD = new Date('2026-01-01T00:00:00Z')
const RECENT = new Date('2026-01-03T00:00:00Z')
export const SINCE_ALL = '2025-12-31T00:00:00Z'
export const SINCE_ONE_PERCENT = '2026-01-02T00:00:00Z'
const FILES_PER_PATIENT = 40
const PATIENTS_PER_CLINIC = 25
const EXTENSIONS = ['txt', 'pdf', 'hl7', 'xml']

/** Size of file i: most a few KiB, some larger. */
function sizeOf(random) {
  const r = random()
  if (r < 0.85) return 1024 + Math.floor(random() * 7 * 1024)
  if (r < 0.98) return 8192 + Math.floor(random() * 24 * 1024)
  return 65536 + Math.floor(random() * 192 * 1024)
}

/** Builds the tree once; returns its root and statistics (files, bytes). */
export function phiFixture(count) {
  const root = join(benchTmp, `phi-${count}`)
  const marker = join(root, '.fixture.json')
  if (existsSync(marker)) return {root, ...JSON.parse(readFileSync(marker, 'utf8'))}
  const random = prng(count)
  // 1 MiB of varied text to slice from (a line of pseudo-records, with a per-file header below).
  const words = ['patient', 'MRN', 'dx', 'E11.9', 'I10', 'rx', 'metformin', 'lisinopril', 'visit', 'note', 'BP', '128/82', 'HbA1c', '7.1', 'follow-up', 'allergy', 'none', 'DOB', '1961-04-02']
  let text = ''
  while (text.length < 1024 * 1024) text += `${words[Math.floor(random() * words.length)]}${random() < 0.1 ? '\n' : ' '}`
  const pool = Buffer.from(text.slice(0, 1024 * 1024))
  let bytes = 0
  const dirs = []
  for (let i = 0; i < count; i++) {
    const patient = Math.floor(i / FILES_PER_PATIENT)
    const dir = join(root, `clinic-${String(Math.floor(patient / PATIENTS_PER_CLINIC)).padStart(3, '0')}`, `patient-${String(patient).padStart(6, '0')}`)
    if (i % FILES_PER_PATIENT === 0) {
      mkdirSync(dir, {recursive: true})
      dirs.push(dir)
    }
    const size = sizeOf(random)
    const offset = Math.floor(random() * (pool.length - size))
    const header = Buffer.from(`record ${i} patient ${patient}\n`)
    const file = join(dir, `record-${i}.${EXTENSIONS[i % EXTENSIONS.length]}`)
    writeFileSync(file, Buffer.concat([header, pool.subarray(offset, offset + size - header.length)]))
    const time = i % 100 === 0 ? RECENT : OLD
    utimesSync(file, time, time)
    bytes += size
  }
  // Folders last (writing files changed their mtime), deepest first.
  const clinics = new Set(dirs.map((d) => join(d, '..')))
  for (const dir of [...dirs, ...clinics, root]) utimesSync(dir, OLD, OLD)
  const stats = {bytes, dirs: dirs.length + clinics.size, files: count, recentFiles: Math.ceil(count / 100)}
  writeFileSync(marker, JSON.stringify(stats))
  utimesSync(marker, OLD, OLD)
  utimesSync(root, OLD, OLD)
  return {root, ...stats}
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const count of process.argv.slice(2).map(Number)) {
    const started = Date.now()
    console.log(JSON.stringify(phiFixture(count)), `${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
}
