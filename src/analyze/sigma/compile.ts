/**
 * A Sigma `detection` to one test over a document (one audit record, or one log line). Selections
 * are maps (every field must match) or lists of maps (any map); a field's value list matches when any
 * value does (every value with `|all`); a list of plain values, a plain value, or a map key with no
 * field name (`'|all': [...]`) is a keyword search in the document's text. A `null` value matches a
 * field that is absent or empty. The condition combines the selections (condition.ts).
 */
import {namesOf, parseCondition, type Condition} from './condition.js'
import {anyValueTest, keywordModifiers, UnsupportedFeature, valueTest, type StringTest} from './value.js'

/** What a rule sees of one piece of evidence: named fields (audit records) and the text to search for keywords. */
export interface SigmaDoc {
  readonly fields: Readonly<Record<string, string | readonly string[]>>
  readonly text: string
}

export type DocTest = (doc: SigmaDoc) => boolean

export interface CompileOptions {
  /** False for log lines, which carry no Sigma fields: a field selection is then unsupported. */
  readonly fields: boolean
}

type Scalar = string | number | boolean | null

function isScalar(value: unknown): value is Scalar {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: Scalar): string {
  return value === null ? '' : String(value)
}

function scalars(value: unknown, where: string): Scalar[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new UnsupportedFeature(`${where} has an empty value list`)
  for (const v of list) if (!isScalar(v)) throw new UnsupportedFeature(`${where} holds a nested list or map, which Sigma does not define`)
  return list as Scalar[]
}

function combine(tests: readonly StringTest[], all: boolean): StringTest {
  return all ? (v) => tests.every((t) => t(v)) : (v) => tests.some((t) => t(v))
}

/** Keywords: each value searched in the whole text. */
function keywordsTest(values: readonly Scalar[], modifiers: readonly string[], where: string): DocTest {
  if (values.some((v) => v === null)) throw new UnsupportedFeature(`${where}: a null keyword means nothing`)
  const all = modifiers.includes('all')
  const rest = modifiers.filter((m) => m !== 'all')
  if (rest.includes('exists')) throw new UnsupportedFeature(`${where}: |exists needs a field`)
  const strings = values.map(text)
  const placed = keywordModifiers(rest)
  const test = all ? combine(strings.map((v) => valueTest(v, placed)), true) : anyValueTest(strings, placed)
  return (doc) => test(doc.text)
}

function fieldTest(field: string, modifiers: readonly string[], raw: unknown, where: string): DocTest {
  const values = scalars(raw, where)
  if (modifiers.includes('exists')) {
    const wanted = values[0]
    if (values.length !== 1 || typeof wanted !== 'boolean' || modifiers.length !== 1) throw new UnsupportedFeature(`${where}: |exists takes true or false alone`)
    return (doc) => {
      const v = doc.fields[field]
      const present = v === undefined ? false : typeof v === 'string' ? v !== '' : v.some((x) => x !== '')
      return present === wanted
    }
  }
  const all = modifiers.includes('all')
  const rest = modifiers.filter((m) => m !== 'all')
  const nullMatches = values.includes(null)
  const strings = values.filter((v) => v !== null).map(text)
  if (all && nullMatches) throw new UnsupportedFeature(`${where}: |all with a null value`)
  const tests = strings.map((v) => valueTest(v, rest))
  const test = all ? combine(tests, true) : anyValueTest(strings, rest)
  const empty = tests.length > 0 && test('')
  // Runs once per record and rule: no allocation on this path.
  return (doc) => {
    const v = doc.fields[field]
    if (v === undefined) return nullMatches
    if (typeof v === 'string') return v === '' ? nullMatches || empty : tests.length > 0 && test(v)
    let present = false
    for (const x of v) {
      if (x === '') continue
      present = true
      if (tests.length > 0 && test(x)) return true
    }
    return present ? false : nullMatches || (v.length > 0 && empty)
  }
}

function mapTest(map: Record<string, unknown>, where: string, options: CompileOptions): DocTest {
  const entries = Object.entries(map)
  if (entries.length === 0) throw new UnsupportedFeature(`${where} is an empty map`)
  const tests = entries.map(([key, value]) => {
    const [field = '', ...modifiers] = key.split('|')
    const at = `${where}, ${key === '' ? 'keywords' : `'${key}'`}`
    if (field === '') return keywordsTest(scalars(value, at), modifiers, at)
    if (!options.fields) throw new UnsupportedFeature(`${at}: a field on a log line (only keywords are supported for syslog rules)`)
    return fieldTest(field, modifiers, value, at)
  })
  return (doc) => tests.every((t) => t(doc))
}

/** One selection (a detection entry) to its test. */
export function compileSelection(name: string, value: unknown, options: CompileOptions): DocTest {
  const where = `selection '${name}'`
  if (isMap(value)) return mapTest(value, where, options)
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isMap)) {
      const tests = value.map((m, i) => mapTest(m, `${where}[${i}]`, options))
      return (doc) => tests.some((t) => t(doc))
    }
    if (value.every(isScalar)) return keywordsTest(scalars(value, where), [], where)
    throw new UnsupportedFeature(`${where} mixes maps and plain values`)
  }
  if (isScalar(value)) return keywordsTest(scalars(value, where), [], where)
  throw new UnsupportedFeature(`${where} is not a map, a list or a value`)
}

function conditionTest(tree: Condition, selections: ReadonlyMap<string, DocTest>): DocTest {
  const names = [...selections.keys()]
  switch (tree.kind) {
    case 'ref': {
      const test = selections.get(tree.name)
      if (test === undefined) throw new UnsupportedFeature(`the condition names '${tree.name}', which the detection does not define`)
      return test
    }
    case 'not': {
      const inner = conditionTest(tree.item, selections)
      return (doc) => !inner(doc)
    }
    case 'and': {
      const items = tree.items.map((i) => conditionTest(i, selections))
      return (doc) => items.every((t) => t(doc))
    }
    case 'or': {
      const items = tree.items.map((i) => conditionTest(i, selections))
      return (doc) => items.some((t) => t(doc))
    }
    case 'of': {
      const matched = namesOf(tree.pattern, names)
      if (matched.length === 0) throw new UnsupportedFeature(`'${tree.quantifier === 'one' ? '1' : 'all'} of ${tree.pattern}' matches no selection`)
      const items = matched.map((n) => selections.get(n) as DocTest)
      return tree.quantifier === 'one' ? (doc) => items.some((t) => t(doc)) : (doc) => items.every((t) => t(doc))
    }
  }
}

/** The record types a selection requires (its `type` field's plain values, upper case), or null when it requires none. */
function selectionTypes(value: unknown): ReadonlySet<string> | null {
  const ofMap = (map: Record<string, unknown>): Set<string> | null => {
    const values = map.type
    const list = Array.isArray(values) ? values : [values]
    if (values === undefined || list.length === 0 || !list.every((v) => typeof v === 'string' && !/[*?\\]/.test(v))) return null
    return new Set((list as string[]).map((v) => v.toUpperCase()))
  }
  if (isMap(value)) return ofMap(value)
  if (Array.isArray(value) && value.length > 0 && value.every(isMap)) {
    const sets = value.map(ofMap)
    return sets.every((s) => s !== null) ? new Set(sets.flatMap((s) => [...(s as Set<string>)])) : null
  }
  return null
}

function union(sets: ReadonlyArray<ReadonlySet<string> | null>): ReadonlySet<string> | null {
  return sets.length > 0 && sets.every((s) => s !== null) ? new Set(sets.flatMap((s) => [...(s as ReadonlySet<string>)])) : null
}

function intersection(sets: ReadonlyArray<ReadonlySet<string> | null>): ReadonlySet<string> | null {
  const known = sets.filter((s): s is ReadonlySet<string> => s !== null)
  if (known.length === 0) return null
  return new Set([...(known[0] as ReadonlySet<string>)].filter((t) => known.every((s) => s.has(t))))
}

/**
 * The record types any document the condition matches must have, or null: a document of another
 * type is rejected before the selections run (most auditd rules begin with `type:`).
 */
function conditionTypes(tree: Condition, types: ReadonlyMap<string, ReadonlySet<string> | null>): ReadonlySet<string> | null {
  switch (tree.kind) {
    case 'ref': return types.get(tree.name) ?? null
    case 'not': return null
    case 'and': return intersection(tree.items.map((i) => conditionTypes(i, types)))
    case 'or': return union(tree.items.map((i) => conditionTypes(i, types)))
    case 'of': {
      const sets = namesOf(tree.pattern, [...types.keys()]).map((n) => types.get(n) ?? null)
      return tree.quantifier === 'one' ? union(sets) : intersection(sets)
    }
  }
}

/** A whole `detection` map to its test; UnsupportedFeature names what is outside the subset. */
export function compileDetection(detection: Record<string, unknown>, options: CompileOptions): DocTest {
  if ('timeframe' in detection) throw new UnsupportedFeature('the detection has a timeframe (an aggregation window): outside the supported subset')
  const condition = detection.condition
  const conditions = typeof condition === 'string' ? [condition] : Array.isArray(condition) && condition.length > 0 && condition.every((c) => typeof c === 'string') ? (condition as string[]) : null
  if (conditions === null) throw new UnsupportedFeature('the detection has no condition (a string, or a list of strings)')
  const selections = new Map<string, DocTest>()
  for (const [name, value] of Object.entries(detection)) {
    if (name !== 'condition') selections.set(name, compileSelection(name, value, options))
  }
  const trees = conditions.map(parseCondition)
  const tests = trees.map((tree) => conditionTest(tree, selections))
  const test: DocTest = tests.length === 1 ? (tests[0] as DocTest) : (doc) => tests.some((t) => t(doc))
  if (!options.fields) return test
  const selectionTypeSets = new Map([...Object.entries(detection)].filter(([name]) => name !== 'condition').map(([name, value]) => [name, selectionTypes(value)]))
  const types = union(trees.map((tree) => conditionTypes(tree, selectionTypeSets)))
  if (types === null) return test
  return (doc) => {
    const type = doc.fields.type
    return typeof type === 'string' && !types.has(type.toUpperCase()) ? false : test(doc)
  }
}
