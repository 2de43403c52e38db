import type {Deadline} from '../types.js'

/** Builds a deadline record with empty notes by default (one shape for every rule module). */
export function deadline(fields: Omit<Deadline, 'notes'> & {notes?: string[]}): Deadline {
  return {...fields, notes: fields.notes ?? []}
}
