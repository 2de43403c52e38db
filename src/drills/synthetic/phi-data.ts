/**
 * Synthetic patient data: obviously fake names ("SYNTHETIC PATIENT 0001"), impossible record
 * numbers and placeholder diagnoses. Never derived from real data. Pure and deterministic.
 */
import {createHash} from 'node:crypto'

export const EXERCISE_BANNER = 'EXERCISE: SYNTHETIC DATA ONLY. Not a real incident, not real PHI, not legal advice.'

export function patientName(n: number): string {
  return `SYNTHETIC PATIENT ${String(n).padStart(4, '0')}`
}

/** A small CSV record of `count` synthetic patients starting at number `first`. */
export function patientCsv(first: number, count: number): string {
  const rows = ['# SYNTHETIC DRILL DATA: not real patients', 'mrn,name,dob,diagnosis']
  for (let n = first; n < first + count; n++) {
    rows.push(`SYN-${String(n).padStart(6, '0')},${patientName(n)},1900-01-01,SYNTHETIC DIAGNOSIS ${n % 7}`)
  }
  return rows.join('\n') + '\n'
}

/** Deterministic bytes that look like ciphertext: what a ransomware drill leaves in place of a file. */
export function pseudoCiphertext(seed: string, size: number): Uint8Array {
  const out = new Uint8Array(size)
  let block = createHash('sha256').update(`drill:${seed}`).digest()
  for (let offset = 0; offset < size; offset += block.length) {
    out.set(block.subarray(0, Math.min(block.length, size - offset)), offset)
    block = createHash('sha256').update(block).digest()
  }
  return out
}

/** `n` minutes after an ISO instant, as ISO. */
export function minutesAfter(iso: string, n: number): string {
  return new Date(Date.parse(iso) + n * 60_000).toISOString()
}
