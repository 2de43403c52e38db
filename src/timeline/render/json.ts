import type {Timeline} from '../types.js'

/** The contract's JSON document (the Timeline itself: notification_required, reasons, deadlines, ..., disclaimer). */
export function renderJson(t: Timeline): string {
  return `${JSON.stringify(t, null, 2)}\n`
}
