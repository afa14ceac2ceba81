/**
 * Positions inside a composed YAML document: walk the AST (which keeps each node's offsets) along a
 * path. The same rules as for JSON: the last of duplicate keys wins, a missing step stops at the
 * deepest node found.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { FieldPath, OffsetLocator } from './types.js';

export class YamlLocator implements OffsetLocator {
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
      const next = child(node, seg);
      if (next === null) break;
      node = next;
    }
    const r = node.range;
    return r ? [r[0], r[1]] : [this.docStart, this.docStart];
  }
}

function child(node: Node, seg: string | number): Node | null {
  if (isMap(node)) {
    let found: Node | null = null;
    for (const pair of node.items) {
      const key = pair.key;
      const keyValue: unknown = isScalar(key) ? key.value : key;
      if (keyValue !== null && typeof keyValue !== 'object' && String(keyValue) === String(seg)) {
        // an empty value (`key:`) has no node of its own: point at the key
        found = (isNode(pair.value) ? pair.value : isNode(key) ? key : null) ?? found;
      }
    }
    return found;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item: unknown = node.items[seg];
    return isNode(item) ? item : null;
  }
  return null;
}

function isNode(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && 'range' in x;
}
