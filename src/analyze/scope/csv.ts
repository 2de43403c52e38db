/**
 * A small RFC 4180 reader for the patient map: quoted fields with `""` inside, commas and line breaks
 * in quotes, CRLF or LF. Each record carries the line it starts on, so errors can name it. Pure.
 */
export interface CsvRecord {
  line: number
  fields: string[]
}

export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let fields: string[] = []
  let field = ''
  let quoted = false
  let line = 1
  let start = 1
  let fieldStarted = false
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"' && !fieldStarted) {
      quoted = true
      fieldStarted = true
    } else if (c === ',') {
      fields.push(field)
      field = ''
      fieldStarted = false
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++
      fields.push(field)
      if (!(fields.length === 1 && fields[0] === '')) records.push({fields, line: start})
      fields = []
      field = ''
      fieldStarted = false
      line++
      start = line
    } else {
      field += c
      fieldStarted = true
    }
  }
  if (fieldStarted || fields.length > 0) {
    fields.push(field)
    records.push({fields, line: start})
  }
  return records
}
