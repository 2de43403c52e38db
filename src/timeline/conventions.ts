/** Text every output carries: the disclaimer and the calendar conventions (breach-rules.md §0). */
export const DISCLAIMER =
  'DRAFT FOR COUNSEL, NOT LEGAL ADVICE. hipaa-ir computes outer limits from the facts you entered and from rule summaries of varying verification status (verified, secondary, unverified). Have counsel confirm every date, every state rule and every letter before anything is sent.'

export const CONVENTIONS = [
  '"N calendar days after X" is X + N (X is day 0); no roll-forward for weekends or holidays. A date on a weekend is flagged, never moved.',
  'Business days skip Saturdays and Sundays only. Holidays never move a date: each business-day item names the federal holidays (5 U.S.C. 6103) inside its count, and a state holiday may push the date later.',
  'Every date is an outer limit: notice is due without unreasonable delay, so the last day can still be late.',
  'Dates chained to another notice count from that notice\'s planned send date (`planned` in the facts) or, failing that, its latest date.',
  'Under a law-enforcement delay, `due` is the conservative reading and `due_if_tolled` the tolling reading; ask counsel.',
  'State items apply if the breached data includes the state\'s defined "personal information"; statuses: verified (rule text read), secondary (law-firm summaries only), unverified.',
]
