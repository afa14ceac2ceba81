/**
 * Calico's selector language (projectcalico.org/v3 `selector`, `namespaceSelector`,
 * `serviceAccountSelector`, rule `selector` / `notSelector`): a parser that reports the exact
 * character it stopped at, a canonical printer (print(parse(s)) parses back to the same tree), and
 * the matcher the compiler uses.
 *
 * Grammar, as Calico's policy reference "Selectors" section defines it:
 *
 *   expr     := and ( '||' and )*
 *   and      := unary ( '&&' unary )*
 *   unary    := '!'* primary
 *   primary  := 'all()' | 'global()' | 'has(' LABEL ')' | '(' expr ')'
 *             | LABEL ( '==' | '!=' | 'contains' | 'starts with' | 'ends with' ) STRING
 *             | LABEL ( 'in' | 'not in' ) '{' [ STRING ( ',' STRING )* [','] ] '}'
 *   LABEL    := [A-Za-z0-9_./-]+ (at most 512 characters)
 *   STRING   := '"' any but '"' '"' | "'" any but "'" "'"   (no escapes)
 *
 * Whitespace is spaces and tabs. The empty selector matches everything (`all()`).
 *
 * | expression           | matches                                               |
 * |----------------------|-------------------------------------------------------|
 * | `k == "v"`           | label k present with value v                          |
 * | `k != "v"`           | label k absent, or present with another value         |
 * | `k in {"a","b"}`     | label k present with one of the values                |
 * | `k not in {...}`     | label k absent, or present with none of the values    |
 * | `has(k)`             | label k present                                       |
 * | `k contains "s"`     | label k present and its value contains s (likewise starts with / ends with) |
 * | `all()`, `global()`  | everything (global() only changes a namespaceSelector's meaning) |
 */

export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'eq' | 'ne' | 'contains' | 'startsWith' | 'endsWith'; readonly key: string; readonly value: string }
  | { readonly kind: 'in' | 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'not'; readonly expr: CalicoSelector }
  | { readonly kind: 'and' | 'or'; readonly left: CalicoSelector; readonly right: CalicoSelector };

export type SelectorParse =
  | { readonly ok: true; readonly selector: CalicoSelector }
  /** `offset`: index of the offending character in the selector text (its length at the end). */
  | { readonly ok: false; readonly offset: number; readonly message: string };

export const MAX_LABEL_LENGTH = 512;

const ALL: CalicoSelector = { kind: 'all' };

function isLabelChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c === '_' || c === '.' || c === '/' || c === '-';
}

class SelectorSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

/** Bound on nesting (parentheses and `!`), so a hostile selector cannot overflow the stack. */
const MAX_DEPTH = 200;

class Parser {
  private i = 0;
  private depth = 0;

  constructor(private readonly s: string) {}

  fail(message: string, at: number = this.i): never {
    throw new SelectorSyntaxError(at, message);
  }

  skip(): void {
    while (this.i < this.s.length && (this.s[this.i] === ' ' || this.s[this.i] === '\t')) this.i++;
  }

  atEnd(): boolean {
    this.skip();
    return this.i >= this.s.length;
  }

  /** Consumes `lit` when it is next (after whitespace). */
  eat(lit: string): boolean {
    this.skip();
    if (this.s.startsWith(lit, this.i)) {
      this.i += lit.length;
      return true;
    }
    return false;
  }

  /** Consumes a keyword followed by a word boundary (the next character is not a label character). */
  eatWord(...words: string[]): boolean {
    const save = this.i;
    for (const w of words) {
      this.skip();
      if (!this.s.startsWith(w, this.i)) {
        this.i = save;
        return false;
      }
      this.i += w.length;
    }
    if (this.i < this.s.length && isLabelChar(this.s[this.i]!)) {
      this.i = save;
      return false;
    }
    return true;
  }

  label(): string {
    this.skip();
    const start = this.i;
    while (this.i < this.s.length && isLabelChar(this.s[this.i]!)) this.i++;
    if (this.i === start)
      this.fail(this.i >= this.s.length ? 'expected a label, found the end of the selector' : `expected a label, found '${this.s[this.i]}'`);
    if (this.i - start > MAX_LABEL_LENGTH) this.fail(`label longer than ${MAX_LABEL_LENGTH} characters`, start);
    return this.s.slice(start, this.i);
  }

  string(): string {
    this.skip();
    const q = this.s[this.i];
    if (q !== '"' && q !== "'")
      this.fail(this.i >= this.s.length ? 'expected a quoted string, found the end of the selector' : `expected a quoted string, found '${this.s[this.i]}'`);
    const end = this.s.indexOf(q, this.i + 1);
    if (end < 0) this.fail('unterminated string');
    const v = this.s.slice(this.i + 1, end);
    this.i = end + 1;
    return v;
  }

  expr(): CalicoSelector {
    let left = this.and();
    while (this.eat('||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  and(): CalicoSelector {
    let left = this.unary();
    while (this.eat('&&')) left = { kind: 'and', left, right: this.unary() };
    return left;
  }

  unary(): CalicoSelector {
    let nots = 0;
    for (;;) {
      this.skip();
      if (this.s[this.i] === '!' && this.s[this.i + 1] !== '=') {
        this.i++;
        nots++;
        if (nots > MAX_DEPTH) this.fail('selector nested too deeply');
      } else break;
    }
    let e = this.primary();
    // `!!x` is x, as in Calico; one `!` per odd count
    if (nots % 2 === 1) e = { kind: 'not', expr: e };
    return e;
  }

  primary(): CalicoSelector {
    this.skip();
    if (this.i >= this.s.length) this.fail('unexpected end of selector');
    const start = this.i;
    if (this.s[this.i] === '(') {
      this.i++;
      if (++this.depth > MAX_DEPTH) this.fail('selector nested too deeply', start);
      const e = this.expr();
      this.depth--;
      if (!this.eat(')')) this.fail(this.i >= this.s.length ? "expected ')', found the end of the selector" : `expected ')', found '${this.s[this.i]}'`);
      return e;
    }
    for (const fn of ['all', 'global'] as const) {
      if (this.s.startsWith(`${fn}(`, this.i)) {
        this.i += fn.length + 1;
        if (!this.eat(')')) this.fail(`expected ')' after ${fn}(`);
        return { kind: fn };
      }
    }
    if (this.s.startsWith('has(', this.i)) {
      this.i += 4;
      const key = this.label();
      if (!this.eat(')')) this.fail("expected ')' after has(label");
      return { kind: 'has', key };
    }
    if (!isLabelChar(this.s[this.i]!)) this.fail(`unexpected '${this.s[this.i]}'`);
    const key = this.label();
    this.skip();
    const opAt = this.i;
    if (this.eat('==')) return { kind: 'eq', key, value: this.string() };
    if (this.eat('!=')) return { kind: 'ne', key, value: this.string() };
    if (this.eatWord('contains')) return { kind: 'contains', key, value: this.string() };
    if (this.eatWord('starts', 'with')) return { kind: 'startsWith', key, value: this.string() };
    if (this.eatWord('ends', 'with')) return { kind: 'endsWith', key, value: this.string() };
    if (this.eatWord('not', 'in')) return { kind: 'notIn', key, values: this.set() };
    if (this.eatWord('in')) return { kind: 'in', key, values: this.set() };
    this.fail(
      opAt >= this.s.length
        ? `expected an operator after label '${key}', found the end of the selector`
        : `expected an operator (==, !=, in, not in, contains, starts with, ends with) after label '${key}'`,
      opAt,
    );
  }

  set(): string[] {
    if (!this.eat('{')) this.fail(this.i >= this.s.length ? "expected '{', found the end of the selector" : `expected '{', found '${this.s[this.i]}'`);
    const values: string[] = [];
    for (;;) {
      this.skip();
      const c = this.s[this.i];
      if (c !== '"' && c !== "'") break;
      values.push(this.string());
      if (!this.eat(',')) break;
    }
    if (!this.eat('}'))
      this.fail(this.i >= this.s.length ? "expected '}', found the end of the selector" : `expected '}' or a quoted string, found '${this.s[this.i]}'`);
    return [...new Set(values)].sort();
  }
}

/** Parses a selector; the empty (or blank) selector is `all()`. */
export function parseCalicoSelector(text: string): SelectorParse {
  const p = new Parser(text);
  try {
    if (p.atEnd()) return { ok: true, selector: ALL };
    const selector = p.expr();
    if (!p.atEnd()) {
      const at = (p as unknown as { i: number }).i;
      return { ok: false, offset: at, message: `unexpected '${text[at]}' after a complete expression` };
    }
    return { ok: true, selector };
  } catch (e) {
    if (e instanceof SelectorSyntaxError) return { ok: false, offset: e.offset, message: e.message };
    throw e;
  }
}

function quote(v: string): string {
  return v.includes('"') ? `'${v}'` : `"${v}"`;
}

/**
 * The canonical text of a selector: fully parenthesised binary operators, values double-quoted
 * (single-quoted when they contain a double quote), set members sorted. `parse(print(x))` is x.
 * A value holding both quote characters cannot be written in Calico's syntax; the parser never
 * produces one.
 */
export function printCalicoSelector(s: CalicoSelector): string {
  switch (s.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${s.key})`;
    case 'eq':
      return `${s.key} == ${quote(s.value)}`;
    case 'ne':
      return `${s.key} != ${quote(s.value)}`;
    case 'contains':
      return `${s.key} contains ${quote(s.value)}`;
    case 'startsWith':
      return `${s.key} starts with ${quote(s.value)}`;
    case 'endsWith':
      return `${s.key} ends with ${quote(s.value)}`;
    case 'in':
      return `${s.key} in {${s.values.map(quote).join(', ')}}`;
    case 'notIn':
      return `${s.key} not in {${s.values.map(quote).join(', ')}}`;
    case 'not':
      return `!${s.expr.kind === 'and' || s.expr.kind === 'or' || s.expr.kind === 'not' ? `(${printCalicoSelector(s.expr)})` : printCalicoSelector(s.expr)}`;
    case 'and':
      return `(${printCalicoSelector(s.left)} && ${printCalicoSelector(s.right)})`;
    case 'or':
      return `(${printCalicoSelector(s.left)} || ${printCalicoSelector(s.right)})`;
    default: {
      const never: never = s;
      throw new Error(`unreachable selector ${JSON.stringify(never)}`);
    }
  }
}

/** Whether a label map satisfies a selector. */
export function calicoMatches(s: CalicoSelector, labels: Readonly<Record<string, string>>): boolean {
  switch (s.kind) {
    case 'all':
    case 'global':
      return true;
    case 'has':
      return Object.prototype.hasOwnProperty.call(labels, s.key);
    case 'not':
      return !calicoMatches(s.expr, labels);
    case 'and':
      return calicoMatches(s.left, labels) && calicoMatches(s.right, labels);
    case 'or':
      return calicoMatches(s.left, labels) || calicoMatches(s.right, labels);
    default: {
      const v = Object.prototype.hasOwnProperty.call(labels, s.key) ? labels[s.key] : undefined;
      switch (s.kind) {
        case 'eq':
          return v === s.value;
        case 'ne':
          return v !== s.value;
        case 'in':
          return v !== undefined && s.values.includes(v);
        case 'notIn':
          return v === undefined || !s.values.includes(v);
        case 'contains':
          return v !== undefined && v.includes(s.value);
        case 'startsWith':
          return v !== undefined && v.startsWith(s.value);
        case 'endsWith':
          return v !== undefined && v.endsWith(s.value);
        default: {
          const never: never = s;
          throw new Error(`unreachable selector ${JSON.stringify(never)}`);
        }
      }
    }
  }
}

/** Label keys a selector observes. */
export function calicoSelectorKeys(s: CalicoSelector, out: Set<string>): void {
  switch (s.kind) {
    case 'all':
    case 'global':
      return;
    case 'not':
      return calicoSelectorKeys(s.expr, out);
    case 'and':
    case 'or':
      calicoSelectorKeys(s.left, out);
      return calicoSelectorKeys(s.right, out);
    default:
      out.add(s.key);
  }
}

/** Whether `global()` occurs in a selector (in a namespaceSelector it selects non-namespaced endpoints). */
export function mentionsGlobal(s: CalicoSelector): boolean {
  switch (s.kind) {
    case 'global':
      return true;
    case 'not':
      return mentionsGlobal(s.expr);
    case 'and':
    case 'or':
      return mentionsGlobal(s.left) || mentionsGlobal(s.right);
    default:
      return false;
  }
}
