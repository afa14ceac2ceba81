/**
 * A fast path for the block-style YAML that kubectl, Helm and generators emit, producing the values
 * the `yaml` package produces (YAML 1.2 core schema, as parse-yaml.ts composes them), at a fraction
 * of its cost: the package builds a CST and an AST with positions for every node, about 1.5 MB/s;
 * here a line-based reader builds the plain values directly, and positions are computed only when
 * asked (a diagnostic, a rule's provenance), by reading the one object again.
 *
 * What it reads, exactly (anything else gives up, and parse-yaml.ts reads the whole source):
 *
 * | construct                     | read here                                  | gives up on                      |
 * |-------------------------------|--------------------------------------------|----------------------------------|
 * | documents                     | `---` lines (with a comment), comments     | `...`, directives, BOM, CR, tabs |
 * | block mappings                | `key: value`, plain or quoted keys         | `?`, `<<`, duplicates, non-string keys |
 * | block sequences               | `- x`, `- key: v`, `- - x` (compact), `-` + block | -                         |
 * | plain scalars                 | one line, core-schema null/bool/int/float  | continuation lines, `: ` inside  |
 * | quoted scalars                | one line, the common escapes               | multi-line, rare escapes         |
 * | block scalars                 | `|`, `>`, chomping `-`/`+`                 | indentation indicators, folded more-indented lines |
 * | flow collections              | `[]` and `{}` only                         | anything inside them             |
 * | anchors, aliases, tags        | -                                          | always                           |
 *
 * Giving up is decided before any value is handed out, so a source is read wholly one way or the
 * other; diagnostics (syntax errors, duplicate keys, depth) therefore always come from the `yaml`
 * path, the same as before. A differential property test holds both paths to the same values,
 * document indexes and positions.
 */
import type { SourceText } from './source-text.js';
import type { FieldPath, OffsetLocator, ParsedDocument } from './types.js';
import { ReparsingYamlLocator } from './yaml-locate.js';

/** Thrown inside the reader when the text is outside the subset above; caught at the top. */
const GIVE_UP: unique symbol = Symbol('give up');

/** Child offsets of each collection, recorded when reading for positions. */
type Positions = WeakMap<object, Map<string, number> | number[]>;

/** Characters that may not start a plain scalar or key here (flow, anchors, tags, directives, ...). */
const BAD_START = new Set(['&', '*', '!', '%', '@', '`', ',', '[', ']', '{', '}', '#', '|', '>', "'", '"']);

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '/': '/',
  '\\': '\\',
  ' ': ' ',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

// YAML 1.2 core schema, in the order the `yaml` package tests its tags (first match wins)
const NULL = /^(?:~|[Nn]ull|NULL)$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT_OCT = /^0o[0-7]+$/;
const INT = /^[-+]?[0-9]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the core schema. */
function plainValue(s: string): unknown {
  const c = s.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT_OCT.test(s)) return parseInt(s.substring(2), 8);
    if (INT.test(s)) return parseInt(s, 10);
    if (INT_HEX.test(s)) return parseInt(s.substring(2), 16);
    if (FLOAT_NAN.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
    return s;
  }
  if (c === 126 || c === 110 || c === 78) return NULL.test(s) ? null : s;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL.test(s) ? c === 116 || c === 84 : s;
  return s;
}

/** Whether a plain key would resolve to something other than a string (its toJS key would differ). */
function keyNeedsSchema(s: string): boolean {
  return plainValue(s) !== s;
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The `yaml` package's limit on implicit keys. */
const MAX_KEY = 1024;

/** Reads one document (or one item of a sequence) in [start, end) of the text. */
class Reader {
  /** Start of the current line (between nodes), or a position inside it (while reading a node). */
  pos: number;
  /** Root `items` sequence of a List document: line start and value start of each item. */
  itemLines: number[] | null = null;
  itemStarts: number[] | null = null;
  itemCol = 0;
  /** Where the root `items` sequence ends: the start of the line after its last item. */
  itemsEnd = 0;

  constructor(
    readonly t: string,
    start: number,
    readonly end: number,
    readonly maxDepth: number,
    readonly positions: Positions | null,
  ) {
    this.pos = start;
  }

  /** The first `ch` in [from, e), or -1: indexOf alone would run on past the line, to the end of the text. */
  find(ch: string, from: number, e: number): number {
    const t = this.t;
    for (let i = from; i < e; i++) if (t[i] === ch) return i;
    return -1;
  }

  lineEnd(p: number): number {
    const e = this.t.indexOf('\n', p);
    return e < 0 || e > this.end ? this.end : e;
  }

  /** Moves to the next line holding content; returns its indentation, or -1 at the end. */
  nextLine(): number {
    const t = this.t;
    let p = this.pos;
    while (p < this.end) {
      let i = p;
      while (i < this.end && t.charCodeAt(i) === 32) i++;
      const c = i < this.end ? t.charCodeAt(i) : 10;
      if (c === 10) {
        p = i + 1;
        continue;
      }
      if (c === 35) {
        p = this.lineEnd(i) + 1;
        continue;
      }
      if (c === 9) throw GIVE_UP;
      this.pos = p;
      return i - p;
    }
    this.pos = this.end;
    return -1;
  }

  /** The rest of a line after a value must be blanks, or blanks and a comment. */
  restOfLine(p: number): void {
    const e = this.lineEnd(p);
    let i = p;
    while (i < e && isBlank(this.t.charCodeAt(i))) i++;
    if (i < e && (this.t.charCodeAt(i) !== 35 || i === p)) throw GIVE_UP;
    this.pos = e + 1;
  }

  /** Whether the character at p is followed by a blank or a line end (so `-`, `?`, `:` there are indicators). */
  indicator(p: number): boolean {
    const n = p + 1 < this.end ? this.t.charCodeAt(p + 1) : 10;
    return n === 32 || n === 10 || n === 9;
  }

  isSeqEntry(p: number): boolean {
    if (this.t.charCodeAt(p) !== 45) return false;
    const n = p + 1 < this.end ? this.t.charCodeAt(p + 1) : 10;
    return n === 32 || n === 10 || n === 9;
  }

  /** A block node starting on the current line at indentation `indent`. */
  node(indent: number, depth: number): unknown {
    const p = this.pos + indent;
    if (this.isSeqEntry(p)) return this.seq(indent, depth, false);
    return this.map(p, indent, depth);
  }

  /** Offset just past the `:` of a key starting at k on its line; the key in `this.key`. */
  private key = '';
  readKey(k: number): number {
    const t = this.t;
    const e = this.lineEnd(k);
    const c = t[k]!;
    let i: number;
    if (c === '"' || c === "'") {
      i = c === '"' ? this.doubleQuoted(k, e) : this.singleQuoted(k, e);
      this.key = this.scalar as string;
      while (i < e && isBlank(t.charCodeAt(i))) i++;
      if (t.charCodeAt(i) !== 58) throw GIVE_UP;
    } else {
      if (BAD_START.has(c) || ((c === '-' || c === '?' || c === ':') && this.indicator(k))) throw GIVE_UP;
      // up to the first `:` followed by a blank or the line end; a tab or a comment before it: give up
      for (i = k + 1; ; i++) {
        if (i >= e) throw GIVE_UP;
        const ch = t.charCodeAt(i);
        if (ch === 58) {
          const n = i + 1 < e ? t.charCodeAt(i + 1) : 10;
          if (n === 32 || n === 10 || n === 9) break;
        } else if (ch === 9 || (ch === 35 && t.charCodeAt(i - 1) === 32)) throw GIVE_UP;
      }
      let j = i;
      while (j > k && t.charCodeAt(j - 1) === 32) j--;
      const key = t.slice(k, j);
      if (keyNeedsSchema(key)) throw GIVE_UP;
      this.key = key;
    }
    if (i - k > MAX_KEY || this.key === '<<' || this.key === '__proto__') throw GIVE_UP;
    return i + 1;
  }

  map(k: number, col: number, depth: number): Record<string, unknown> {
    if (depth >= this.maxDepth) throw GIVE_UP;
    const obj: Record<string, unknown> = {};
    const offsets = this.positions === null ? null : new Map<string, number>();
    const t = this.t;
    for (;;) {
      let p = this.readKey(k);
      const key = this.key;
      this.recordItems = depth === 0 && key === 'items' && this.itemLines !== null;
      if (Object.prototype.hasOwnProperty.call(obj, key)) throw GIVE_UP;
      const e = this.lineEnd(p);
      while (p < e && isBlank(t.charCodeAt(p))) p++;
      let value: unknown;
      let at = p;
      let j: number;
      if (p === e || t.charCodeAt(p) === 35) {
        this.pos = e + 1;
        j = this.nextLine();
        if (j > col) {
          at = this.pos + j;
          value = this.node(j, depth + 1);
          j = this.nextLine();
        } else if (j === col && this.isSeqEntry(this.pos + j)) {
          at = this.pos + j;
          value = this.seq(j, depth + 1, true);
          j = this.nextLine();
        } else value = null; // yaml's empty node sits where the value would start
      } else {
        value = this.inline(p, col, depth);
        j = this.nextLine();
        if (j > col) throw GIVE_UP;
      }
      this.recordItems = false;
      obj[key] = value;
      offsets?.set(key, at);
      if (j !== col) break;
      k = this.pos + j;
      if (this.isSeqEntry(k)) throw GIVE_UP;
    }
    if (offsets !== null) this.positions!.set(obj, offsets);
    return obj;
  }

  /** A sequence whose entries start at indentation col; `inMap`: the value of a key at the same indentation. */
  seq(col: number, depth: number, inMap: boolean): unknown[] {
    if (depth >= this.maxDepth) throw GIVE_UP;
    const arr: unknown[] = [];
    const offsets = this.positions === null ? null : ([] as number[]);
    const record = depth === 1 && this.recordItems;
    this.recordItems = false;
    if (record) this.itemCol = col;
    for (;;) {
      const line = this.pos;
      const [value, at] = this.entry(col, depth);
      arr.push(value);
      offsets?.push(at);
      if (record) {
        this.itemLines!.push(line);
        this.itemStarts!.push(at);
      }
      const j = this.nextLine();
      if (j < col) break;
      if (j > col) throw GIVE_UP;
      if (!this.isSeqEntry(this.pos + j)) {
        if (inMap) break;
        throw GIVE_UP;
      }
    }
    if (record) this.itemsEnd = this.pos;
    if (offsets !== null) this.positions!.set(arr, offsets);
    return arr;
  }

  /** Set while reading the value of the root mapping's `items` key (when itemLines is not null). */
  recordItems = false;

  /** One sequence entry: the current line is `- ...` at indentation col. Returns the value and its offset. */
  entry(col: number, depth: number): [unknown, number] {
    const t = this.t;
    let p = this.pos + col + 1;
    const e = this.lineEnd(p);
    while (p < e && isBlank(t.charCodeAt(p))) p++;
    if (p === e || t.charCodeAt(p) === 35) {
      this.pos = e + 1;
      const j = this.nextLine();
      if (j > col) {
        const at = this.pos + j;
        return [this.node(j, depth + 1), at];
      }
      return [null, p];
    }
    if (this.isSeqEntry(p)) return [this.seq(p - this.pos, depth + 1, false), p]; // `- - x`
    const c = t[p]!;
    if (c !== '|' && c !== '>' && c !== '[' && c !== '{' && this.mapOnLine(p, e)) return [this.map(p, p - this.pos, depth + 1), p];
    const v = this.inline(p, col, depth, false);
    const j = this.nextLine();
    if (j > col) throw GIVE_UP;
    return [v, p];
  }

  /** Whether the text from p on its line is `key: ...` (a compact mapping in a sequence entry). */
  mapOnLine(p: number, e: number): boolean {
    const t = this.t;
    let i = p;
    const c = t[p];
    if (c === '"' || c === "'") {
      // a quoted scalar followed by `:` is a key
      let q = p + 1;
      for (; q < e; q++) {
        const d = t[q];
        if (d === '\\' && c === '"') q++;
        else if (d === c) {
          if (c === "'" && t[q + 1] === "'") q++;
          else break;
        }
      }
      if (q >= e) throw GIVE_UP;
      q++;
      while (q < e && isBlank(t.charCodeAt(q))) q++;
      return t.charCodeAt(q) === 58;
    }
    for (;;) {
      i = this.find(':', i, e);
      if (i < 0) return false;
      const n = i + 1 < e ? t.charCodeAt(i + 1) : 10;
      if (n === 32 || n === 10 || n === 9) {
        // a ` #` before it makes it a comment, not a key
        const before = t.slice(p, i);
        if (before.includes(' #') || before.includes('\t#')) return false;
        return true;
      }
      i++;
    }
  }

  /** The last scalar read by doubleQuoted/singleQuoted. */
  scalar: unknown = null;

  /** A value on the current line at p (not empty, not a comment); moves to the next line. */
  inline(p: number, parentIndent: number, depth: number, inMap = true): unknown {
    const t = this.t;
    const e = this.lineEnd(p);
    const c = t[p]!;
    if (c === '"' || c === "'") {
      this.restOfLine(c === '"' ? this.doubleQuoted(p, e) : this.singleQuoted(p, e));
      return this.scalar;
    }
    if (c === '|' || c === '>') return this.block(p, parentIndent, inMap);
    if (c === '[' || c === '{') {
      if (t[p + 1] !== (c === '[' ? ']' : '}')) throw GIVE_UP;
      if (depth + 1 >= this.maxDepth) throw GIVE_UP;
      this.restOfLine(p + 2);
      const v = c === '[' ? [] : {};
      if (this.positions !== null) this.positions.set(v, c === '[' ? [] : new Map());
      return v;
    }
    if (BAD_START.has(c) || ((c === '-' || c === '?' || c === ':') && this.indicator(p))) throw GIVE_UP;
    // up to a comment (` #`); a `: ` or a final `:` inside would make it a mapping, an error here
    let end = e;
    for (let i = p + 1; i < e; i++) {
      const ch = t.charCodeAt(i);
      if (ch === 35 && isBlank(t.charCodeAt(i - 1))) {
        end = i;
        break;
      }
      if (ch === 58 && (i + 1 === e || isBlank(t.charCodeAt(i + 1)))) throw GIVE_UP;
    }
    while (end > p && isBlank(t.charCodeAt(end - 1))) end--;
    this.pos = e + 1;
    return plainValue(t.slice(p, end));
  }

  /** A double-quoted scalar starting at p, closed on its line; returns the offset after it. */
  doubleQuoted(p: number, e: number): number {
    const t = this.t;
    let out = '';
    let from = p + 1;
    for (let i = from; ;) {
      const q = this.find('"', i, e);
      if (q < 0) throw GIVE_UP;
      const b = this.find('\\', i, q);
      if (b >= 0) {
        out += t.slice(from, b);
        const x = t[b + 1]!;
        const simple = ESCAPES[x];
        if (simple !== undefined) {
          out += simple;
          i = from = b + 2;
        } else if (x === 'x' || x === 'u' || x === 'U') {
          const n = x === 'x' ? 2 : x === 'u' ? 4 : 8;
          const hex = t.slice(b + 2, b + 2 + n);
          if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) throw GIVE_UP;
          const code = parseInt(hex, 16);
          if (code > 0x10ffff) throw GIVE_UP;
          out += String.fromCodePoint(code);
          i = from = b + 2 + n;
        } else throw GIVE_UP;
        if (i > e) throw GIVE_UP;
        continue;
      }
      out += t.slice(from, q);
      this.scalar = out;
      return q + 1;
    }
  }

  /** A single-quoted scalar starting at p, closed on its line; returns the offset after it. */
  singleQuoted(p: number, e: number): number {
    const t = this.t;
    let out = '';
    let from = p + 1;
    for (;;) {
      const q = this.find("'", from, e);
      if (q < 0) throw GIVE_UP;
      out += t.slice(from, q);
      if (t[q + 1] === "'") {
        out += "'";
        from = q + 2;
        continue;
      }
      this.scalar = out;
      return q + 1;
    }
  }

  /**
   * A literal (`|`) or folded (`>`) block scalar whose header is at p; content indented past
   * parentIndent (an indentation indicator is read for mapping values only, where it counts from the
   * mapping's indentation).
   */
  block(p: number, parentIndent: number, inMap: boolean): string {
    const t = this.t;
    const folded = t[p] === '>';
    let q = p + 1;
    let chomp = '';
    let indent = -1;
    for (let k = 0; k < 2; k++) {
      const h = t.charCodeAt(q);
      if ((h === 45 || h === 43) && chomp === '') chomp = t[q++]!;
      else if (h >= 49 && h <= 57 && indent < 0) {
        if (!inMap) throw GIVE_UP;
        indent = parentIndent + h - 48;
        q++;
      }
    }
    this.restOfLine(q);
    let maxLeading = 0;
    const lines: string[] = [];
    let ls = this.pos;
    while (ls < this.end) {
      const le = this.lineEnd(ls);
      let n = 0;
      while (ls + n < le && t.charCodeAt(ls + n) === 32) n++;
      if (ls + n === le) {
        // an empty line (spaces only)
        if (indent < 0) maxLeading = Math.max(maxLeading, n);
        else if (n > indent) throw GIVE_UP;
        lines.push('');
        ls = le + 1;
        continue;
      }
      if (indent < 0) {
        if (n <= parentIndent) break; // no content: an empty block
        if (maxLeading > n) throw GIVE_UP;
        indent = n;
      }
      if (n < indent) break;
      const line = t.slice(ls + indent, le);
      if (folded && (line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9)) throw GIVE_UP;
      lines.push(line);
      ls = le + 1;
    }
    this.pos = Math.min(ls, this.end);
    let trailing = 0;
    while (lines.length > 0 && lines[lines.length - 1] === '') {
      lines.pop();
      trailing++;
    }
    if (lines.length === 0) {
      if (maxLeading > 0 && indent < 0) throw GIVE_UP;
      return chomp === '+' ? '\n'.repeat(trailing) : '';
    }
    let body: string;
    if (!folded) body = lines.join('\n');
    else {
      body = '';
      let empties = 0;
      let first = true;
      for (const line of lines) {
        if (line === '') {
          empties++;
          continue;
        }
        body += first ? '\n'.repeat(empties) : empties > 0 ? '\n'.repeat(empties) : ' ';
        body += line;
        empties = 0;
        first = false;
      }
    }
    if (chomp === '-') return body;
    if (chomp === '+') return `${body}\n${'\n'.repeat(trailing)}`;
    return `${body}\n`;
  }
}

/** Document regions of a text: [start, end) each, and whether a `---` line opened it. */
function documents(t: string): { start: number; end: number }[] | null {
  const out: { start: number; end: number }[] = [];
  let start = 0;
  let marked = false;
  const atMarker = (i: number): number => {
    // a `---` line at i (line start): returns the offset of the next line, -1 when not a marker
    if (t.charCodeAt(i) !== 45 || t.charCodeAt(i + 1) !== 45 || t.charCodeAt(i + 2) !== 45) return -1;
    const n = i + 3 < t.length ? t.charCodeAt(i + 3) : 10;
    if (n !== 10 && n !== 32 && n !== 9) return -1;
    let j = i + 3;
    while (j < t.length && isBlank(t.charCodeAt(j))) j++;
    if (j < t.length && t.charCodeAt(j) !== 10 && t.charCodeAt(j) !== 35) throw GIVE_UP; // content after `---`
    const e = t.indexOf('\n', j);
    return e < 0 ? t.length : e + 1;
  };
  const first = atMarker(0);
  if (first >= 0) {
    start = first;
    marked = true;
  }
  for (let i = t.indexOf('\n---', 0); i >= 0; i = t.indexOf('\n---', i + 1)) {
    const next = atMarker(i + 1);
    if (next < 0) continue;
    out.push({ start, end: i + 1 });
    start = next;
  }
  out.push({ start, end: t.length });
  // text before the first `---` that holds nothing but comments is not a document
  if (!marked && out.length > 1 && onlyComments(t, out[0]!.start, out[0]!.end)) out.shift();
  return out;
}

function onlyComments(t: string, start: number, end: number): boolean {
  const r = new Reader(t, start, end, 1, null);
  return r.nextLine() < 0;
}

/** Characters the reader does not handle anywhere in a source (CR, BOM, controls, other line breaks). */
const UNSUPPORTED = /[\r\uFEFF\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x85\u2028\u2029]/;

/** Directives (`%` at a line start) and document end markers (`...`), which the reader leaves to yaml. */
function hasDirectiveOrEnd(t: string): boolean {
  if (t.startsWith('%') || t.startsWith('...')) return true;
  if (t.includes('\n%')) return true;
  for (let i = t.indexOf('\n...'); i >= 0; i = t.indexOf('\n...', i + 1)) {
    const n = i + 4 < t.length ? t.charCodeAt(i + 4) : 10;
    if (n === 10 || n === 32 || n === 9) return true;
  }
  return false;
}

/**
 * The documents of a YAML source read the fast way, or null when the text is outside the subset
 * (see the table above): the caller then reads it with the `yaml` package. All or nothing.
 */
export function fastYamlDocuments(src: SourceText, maxDepth: number): ParsedDocument[] | null {
  const out: ParsedDocument[] = [];
  return fastYamlStream(src, maxDepth, (d) => out.push(d)) < 0 ? out : null;
}

/**
 * The documents of a YAML source read the fast way, each handed to `sink` as soon as it is read (so
 * a long stream's documents need not all be alive at once). Returns -1 when every document was
 * read, else the index of the first document outside the subset: the documents before it went to
 * the sink, and the caller reads the source with the `yaml` package from that document on (a
 * document is handed out only once it is wholly read, so each is read wholly one way or the other).
 */
export function fastYamlStream(src: SourceText, maxDepth: number, sink: (doc: ParsedDocument) => void): number {
  const t = src.text;
  if (UNSUPPORTED.test(t) || hasDirectiveOrEnd(t)) return 0;
  let regions: { start: number; end: number }[] | null;
  try {
    regions = documents(t);
  } catch (e) {
    if (e === GIVE_UP) return 0;
    throw e;
  }
  if (regions === null) return 0;
  for (let doc = 0; doc < regions.length; doc++) {
    const { start, end } = regions[doc]!;
    let parsed: ParsedDocument | null;
    try {
      parsed = readDocument(t, start, end, doc, maxDepth);
    } catch (e) {
      if (e === GIVE_UP) return doc;
      throw e;
    }
    if (parsed !== null) sink(parsed);
  }
  return -1;
}

/** One document region; null for an empty one (yaml's value is null, and it is skipped). */
function readDocument(t: string, start: number, end: number, doc: number, maxDepth: number): ParsedDocument | null {
  const r = new Reader(t, start, end, maxDepth, null);
  r.itemLines = [];
  r.itemStarts = [];
  const indent = r.nextLine();
  if (indent < 0) return null;
  const root = r.pos + indent;
  const value = readRoot(r, indent);
  if (r.nextLine() >= 0) throw GIVE_UP;
  const items = r.itemLines.length > 0 ? { lines: r.itemLines, starts: r.itemStarts!, col: r.itemCol, end: r.itemsEnd } : null;
  return { value, doc, locator: new FastYamlLocator(t, start, end, root, maxDepth, items), keyErrors: [] };
}

/** The root node (a mapping or a sequence at the left margin). */
function readRoot(r: Reader, indent: number): unknown {
  if (indent !== 0) throw GIVE_UP;
  return r.isSeqEntry(r.pos) ? r.seq(0, 0, false) : r.map(r.pos, 0, 0);
}

/**
 * Positions in a document read the fast way: the root and each List item's start are known from the
 * read; a deeper path reads that one item (or the document) again, recording child offsets. The
 * last item read is kept, as the model asks several paths of one object in a row.
 */
class FastYamlLocator implements OffsetLocator {
  private cached: { key: number; value: unknown; positions: Positions } | null = null;
  private reparsing: ReparsingYamlLocator | null = null;

  constructor(
    private readonly t: string,
    private readonly start: number,
    private readonly end: number,
    private readonly root: number,
    private readonly maxDepth: number,
    private readonly items: { lines: number[]; starts: number[]; col: number; end: number } | null,
  ) {}

  offsetOf(path: FieldPath): number {
    if (path.length === 0) return this.root;
    const items = this.items;
    const i = path[1];
    if (items !== null && path[0] === 'items' && typeof i === 'number' && i >= 0 && i < items.starts.length) {
      if (path.length === 2) return items.starts[i]!;
      const { value, positions } = this.read(i, () => {
        const r = new Reader(this.t, items.lines[i]!, this.end, this.maxDepth, new WeakMap());
        return { value: r.entry(items.col, 1)[0], positions: r.positions! };
      });
      return walk(value, positions, path, 2, items.starts[i]!);
    }
    const { value, positions } = this.read(-1, () => {
      const r = new Reader(this.t, this.start, this.end, this.maxDepth, new WeakMap());
      const indent = r.nextLine();
      return { value: readRoot(r, indent), positions: r.positions! };
    });
    return walk(value, positions, path, 0, this.root);
  }

  private read(key: number, f: () => { value: unknown; positions: Positions }): { value: unknown; positions: Positions } {
    if (this.cached?.key !== key) this.cached = { key, ...f() };
    return this.cached;
  }

  /**
   * Ranges (a string's quotes and end, for a diagnostic inside it) come from the `yaml` package's own
   * reading of the one item, or of the document, as for documents read by parse-yaml.ts.
   */
  rangeOf(path: FieldPath): readonly [number, number] {
    if (this.reparsing === null) {
      const it = this.items;
      const items = it === null ? null : it.starts.map((s, i): readonly [number, number] => [s, i + 1 < it.lines.length ? it.lines[i + 1]! : it.end]);
      this.reparsing = new ReparsingYamlLocator(this.t, { range: [this.start, this.end], contents: [this.root, this.end], items, itemsPadded: true });
    }
    return this.reparsing.rangeOf(path);
  }
}

function walk(value: unknown, positions: Positions, path: FieldPath, from: number, at: number): number {
  let node = value;
  let off = at;
  for (let k = from; k < path.length; k++) {
    if (typeof node !== 'object' || node === null) break;
    const offs = positions.get(node);
    if (offs === undefined) break;
    const seg = path[k]!;
    let next: number | undefined;
    if (Array.isArray(offs)) next = typeof seg === 'number' ? offs[seg] : undefined;
    else next = offs.get(String(seg));
    if (next === undefined) break;
    off = next;
    node = (node as Record<string, unknown>)[seg as string];
  }
  return off;
}
