/**
 * Positions inside a composed YAML document: walk the AST (which keeps each node's offsets) along a
 * path. The same rules as for JSON: the last of duplicate keys wins, a missing step stops at the
 * deepest node found. A mapping walked once is indexed by key, so locating every key of a mapping
 * with N keys costs O(N) in all, not O(N^2) (sequences are arrays already).
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { FieldPath, OffsetLocator } from './types.js';

export class YamlLocator implements OffsetLocator {
  /** Key -> value node of each mapping walked so far. */
  private readonly maps = new WeakMap<object, Map<string, Node>>();

  constructor(
    private readonly contents: Node | null,
    private readonly docStart: number,
  ) {}

  offsetOf(path: FieldPath): number {
    return this.rangeOf(path)[0];
  }

  rangeOf(path: FieldPath): readonly [number, number] {
    let node = this.contents;
    if (node === null) return [this.docStart, this.docStart];
    for (const seg of path) {
      const next = this.child(node, seg);
      if (next === null) break;
      node = next;
    }
    const r = node.range;
    return r ? [r[0], r[1]] : [this.docStart, this.docStart];
  }

  private child(node: Node, seg: string | number): Node | null {
    if (isMap(node)) {
      let keys = this.maps.get(node);
      if (keys === undefined) {
        keys = new Map();
        for (const pair of node.items) {
          const key = pair.key;
          const keyValue: unknown = isScalar(key) ? key.value : key;
          if (keyValue === null || typeof keyValue === 'object') continue;
          // an empty value (`key:`) has no node of its own: point at the key
          const found = isNode(pair.value) ? pair.value : isNode(key) ? key : null;
          if (found !== null) keys.set(String(keyValue), found); // the last duplicate wins
        }
        this.maps.set(node, keys);
      }
      return keys.get(String(seg)) ?? null;
    }
    if (isSeq(node) && typeof seg === 'number') {
      const item: unknown = node.items[seg];
      return isNode(item) ? item : null;
    }
    return null;
  }
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}

/** Text offsets of one document and, when it is a List, of each item (so no AST need be kept). */
export interface DocumentSpan {
  /** [start, end) of the whole document in the source, `---` marker included. */
  readonly range: readonly [number, number];
  /** [start, end) of the document's contents. */
  readonly contents: readonly [number, number];
  /** [start, end) of each element of a root mapping's `items` sequence; null when there is none. */
  readonly items: readonly (readonly [number, number])[] | null;
  /**
   * The items' spans run on to where the next item starts (trailing blanks and comments included),
   * as the block-YAML fast path knows them: enough to re-parse an item alone, not its own range.
   */
  readonly itemsPadded?: true;
}

/** The span of a composed document (see DocumentSpan). */
export function documentSpan(range: readonly [number, number, number], contents: Node | null): DocumentSpan {
  const own: [number, number] = contents?.range ? [contents.range[0], contents.range[1]] : [range[0], range[0]];
  let items: [number, number][] | null = null;
  if (contents !== null && isMap(contents)) {
    for (const pair of contents.items) {
      if (isScalar(pair.key) && pair.key.value === 'items' && isSeq(pair.value)) {
        items = pair.value.items.map((n) => (isNode(n) && n.range ? ([n.range[0], n.range[1]] as [number, number]) : own));
      }
    }
  }
  return { range: [range[0], range[2]], contents: own, items };
}

/** The one document re-parsed last (all locators share it): enough for the runs of lookups into one object. */
let recent: { owner: ReparsingYamlLocator; item: number; locator: YamlLocator } | null = null;

/**
 * Positions inside a YAML document without keeping its AST: a 100 MB stream of small documents would
 * otherwise hold every document's AST (several times the text) for as long as any location may be
 * asked. The document's (or, in a List, the item's) text is parsed again when a location inside it is
 * first asked, and the last one re-parsed is kept for the next lookups. Offsets are the same as
 * the first parse's: the same text, shifted back to where it sits in the source.
 *
 * An item is re-parsed alone, its first line indented as in the source so its block structure
 * reads the same; if that fails (an alias to an anchor elsewhere in the document), the whole
 * document is re-parsed instead.
 */
export class ReparsingYamlLocator implements OffsetLocator {
  constructor(
    private readonly text: string,
    private readonly span: DocumentSpan,
  ) {}

  offsetOf(path: FieldPath): number {
    return this.rangeOf(path)[0];
  }

  rangeOf(path: FieldPath): readonly [number, number] {
    if (path.length === 0) return this.span.contents;
    const items = this.span.items;
    if (items !== null && path[0] === 'items' && typeof path[1] === 'number' && path[1] >= 0 && path[1] < items.length) {
      const index = path[1];
      if (path.length === 2 && this.span.itemsPadded !== true) return items[index]!;
      return this.parsed(index).rangeOf(path.slice(2));
    }
    return this.parsed(-1).rangeOf(path);
  }

  /** A locator over the AST of item `item` (or of the whole document for -1), parsed now or recently. */
  private parsed(item: number): YamlLocator {
    if (recent !== null && recent.owner === this && recent.item === item) return recent.locator;
    let locator = item >= 0 ? this.parseSpan(this.span.items![item]![0], this.span.items![item]![1]) : null;
    if (locator === null) {
      item = -1;
      const [start, end] = this.span.range;
      locator = this.parseSpan(start, end) ?? new YamlLocator(null, this.span.contents[0]);
    }
    recent = { owner: this, item, locator };
    return locator;
  }

  /**
   * Parses text[start, end) with the rest of its first line before it blanked out (a List item
   * starts after its `- `; a byte-order mark stays, as the first parse saw it), so every line keeps
   * its column and every offset is the source's. Null when a slice that starts mid-line does not
   * parse cleanly alone (an alias to an anchor outside it).
   */
  private parseSpan(start: number, end: number): YamlLocator | null {
    const lineStart = this.text.lastIndexOf('\n', start - 1) + 1;
    const prefix = this.text.slice(lineStart, start).replace(/[^\uFEFF]/g, ' ');
    const doc = parseDocument(prefix + this.text.slice(start, end), { merge: true, uniqueKeys: false });
    if (doc.errors.length > 0 && prefix !== '' && prefix !== '\uFEFF') return null;
    const contents = doc.contents;
    if (contents !== null) visit(contents, (n) => shiftRange(n, lineStart));
    return new YamlLocator(contents, this.span.contents[0]);
  }
}

/** Moves a node's range by `shift` (the re-parsed text starts `shift` characters into the source). */
function shiftRange(node: Node, shift: number): void {
  const r = node.range;
  if (r) node.range = [r[0] + shift, r[1] + shift, r[2] + shift];
}

/** Calls `f` on every node of the tree (iteratively: a deep document must not exhaust the stack). */
function visit(root: Node, f: (n: Node) => void): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    f(n);
    if (isMap(n)) {
      for (const pair of n.items) {
        if (isNode(pair.key)) stack.push(pair.key);
        if (isNode(pair.value)) stack.push(pair.value);
      }
    } else if (isSeq(n)) {
      for (const item of n.items) if (isNode(item)) stack.push(item);
    }
  }
}
