/** Two-letter codes of the states, DC and the territories ("State" in 45 CFR 160.103). */
export const STATE_CODES = [
  'AK', 'AL', 'AR', 'AS', 'AZ', 'CA', 'CO', 'CT', 'DC', 'DE', 'FL', 'GA', 'GU', 'HI', 'IA', 'ID', 'IL', 'IN', 'KS', 'KY',
  'LA', 'MA', 'MD', 'ME', 'MI', 'MN', 'MO', 'MP', 'MS', 'MT', 'NC', 'ND', 'NE', 'NH', 'NJ', 'NM', 'NV', 'NY', 'OH', 'OK',
  'OR', 'PA', 'PR', 'RI', 'SC', 'SD', 'TN', 'TX', 'UT', 'VA', 'VI', 'VT', 'WA', 'WI', 'WV', 'WY',
] as const

export type StateCode = (typeof STATE_CODES)[number]

const CODES: ReadonlySet<string> = new Set(STATE_CODES)

export function isStateCode(value: string): value is StateCode {
  return CODES.has(value)
}
