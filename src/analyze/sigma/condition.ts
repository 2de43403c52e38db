/**
 * A Sigma `condition` to a tree: `x and y`, `x or y`, `not x`, parentheses, `1 of PATTERN`,
 * `all of PATTERN`, `1 of them`, `all of them` (patterns use `*` wildcards). Precedence: `not` over
 * `and` over `or`. Aggregations (`| count() by …`, `near`) are outside the subset: UnsupportedFeature.
 */
import {UnsupportedFeature} from './value.js'

export type Condition =
  | {readonly kind: 'ref'; readonly name: string}
  | {readonly kind: 'not'; readonly item: Condition}
  | {readonly kind: 'and' | 'or'; readonly items: readonly Condition[]}
  | {readonly kind: 'of'; readonly quantifier: 'one' | 'all'; readonly pattern: string}

function tokenize(text: string): string[] {
  if (text.includes('|')) throw new UnsupportedFeature('the condition aggregates (`| count() …`): aggregations are outside the supported subset')
  return text.replace(/([()])/g, ' $1 ').split(/\s+/).filter((t) => t !== '')
}

class Parser {
  private at = 0
  constructor(private readonly tokens: readonly string[], private readonly text: string) {}

  parse(): Condition {
    if (this.tokens.length === 0) throw new UnsupportedFeature('the condition is empty')
    const tree = this.or()
    if (this.at < this.tokens.length) this.fail(`unexpected '${this.tokens[this.at] as string}'`)
    return tree
  }

  private fail(what: string): never {
    throw new UnsupportedFeature(`the condition '${this.text}' cannot be read: ${what}`)
  }

  private peek(): string | undefined {
    return this.tokens[this.at]?.toLowerCase()
  }

  private or(): Condition {
    const items = [this.and()]
    while (this.peek() === 'or') {
      this.at++
      items.push(this.and())
    }
    return items.length === 1 ? (items[0] as Condition) : {items, kind: 'or'}
  }

  private and(): Condition {
    const items = [this.not()]
    while (this.peek() === 'and') {
      this.at++
      items.push(this.not())
    }
    return items.length === 1 ? (items[0] as Condition) : {items, kind: 'and'}
  }

  private not(): Condition {
    if (this.peek() === 'not') {
      this.at++
      return {item: this.not(), kind: 'not'}
    }
    return this.primary()
  }

  private primary(): Condition {
    const token = this.tokens[this.at]
    if (token === undefined) this.fail('it ends too early')
    const lower = token.toLowerCase()
    this.at++
    if (token === '(') {
      const inner = this.or()
      if (this.tokens[this.at] !== ')') this.fail("a '(' is not closed")
      this.at++
      return inner
    }
    if (token === ')') this.fail("a ')' closes nothing")
    if (lower === 'near') throw new UnsupportedFeature('the condition uses `near` (an aggregation): outside the supported subset')
    if (lower === 'and' || lower === 'or' || lower === 'not' || lower === 'of') this.fail(`'${token}' where a selection was expected`)
    if (this.peek() === 'of') {
      this.at++
      const pattern = this.tokens[this.at]
      if (pattern === undefined || pattern === '(' || pattern === ')') this.fail(`'${token} of' names no selections`)
      this.at++
      if (lower === '1' || lower === 'any') return {kind: 'of', pattern, quantifier: 'one'}
      if (lower === 'all') return {kind: 'of', pattern, quantifier: 'all'}
      throw new UnsupportedFeature(`'${token} of' is not supported (only '1 of' and 'all of')`)
    }
    return {kind: 'ref', name: token}
  }
}

/** Parses one condition string. */
export function parseCondition(text: string): Condition {
  return new Parser(tokenize(text), text).parse()
}

/** The selection names a `1 of` / `all of` pattern stands for (`them`: all, except names starting with `_`). */
export function namesOf(pattern: string, names: readonly string[]): string[] {
  if (pattern.toLowerCase() === 'them') return names.filter((n) => !n.startsWith('_'))
  const re = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
  return names.filter((n) => re.test(n))
}
