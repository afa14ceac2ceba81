/**
 * Positions inside a composed YAML document: walk the AST (which keeps each node's offsets) along a
 * path. The same rules as for JSON: the last of duplicate keys wins, a missing step stops at the
 * deepest node found. A mapping walked once is indexed by key, so locating every key of a mapping
 * with N keys costs O(N) in all, not O(N^2) (sequences are arrays already).
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
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
