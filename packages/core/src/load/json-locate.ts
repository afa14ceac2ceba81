/**
 * Positions inside JSON text, found by walking the text along a path only when a location is asked
 * for (the JSON fast path parses with JSON.parse, which keeps no positions). Root `items` elements
 * start at offsets recorded by the scan, so a walk into one List item only reads that item.
 *
 * Each container walked once is indexed (element offsets of an array, key -> value offset of an
 * object, the last of duplicate keys winning as in JSON.parse), so asking for the locations of all
 * N elements of an array costs O(N) in all, not O(N^2): a policy with 20k ipBlock peers used to take
 * minutes. The indexes hold only containers some location went through, one number per entry.
 */
import { stringEnd } from './json-scan.js';
import type { FieldPath, OffsetLocator } from './types.js';

type ContainerIndex = number[] | Map<string, number>;

export class JsonLocator implements OffsetLocator {
  /** Index of each container walked so far, by the offset of its opening bracket. */
  private readonly indexes = new Map<number, ContainerIndex>();

  constructor(
    private readonly text: string,
    private readonly root: number,
    private readonly items: readonly number[] | null,
  ) {}

  offsetOf(path: FieldPath): number {
    let pos = this.root;
    let i = 0;
    if (this.items !== null && path.length >= 2 && path[0] === 'items' && typeof path[1] === 'number') {
      const start = this.items[path[1]];
      if (start !== undefined) {
        pos = start;
        i = 2;
      }
    }
    for (; i < path.length; i++) {
      const next = this.child(pos, path[i]!);
      if (next < 0) break;
      pos = next;
    }
    return pos;
  }

  rangeOf(path: FieldPath): readonly [number, number] {
    const start = this.offsetOf(path);
    return [start, skipValue(this.text, start)];
  }

  /** Offset of the child `seg` of the value at `pos`, or -1. */
  private child(pos: number, seg: string | number): number {
    const index = this.indexOf(pos);
    if (index === null) return -1;
    if (Array.isArray(index)) return typeof seg === 'number' ? (index[seg] ?? -1) : -1;
    return typeof seg === 'string' ? (index.get(seg) ?? -1) : -1;
  }

  /** The index of the container at `pos` (built on first use), or null for a scalar. */
  private indexOf(pos: number): ContainerIndex | null {
    const known = this.indexes.get(pos);
    if (known !== undefined) return known;
    const text = this.text;
    const open = text.charCodeAt(pos);
    let index: ContainerIndex;
    if (open === 123 /* { */) {
      const keys = new Map<string, number>();
      let p = skipWs(text, pos + 1);
      while (text.charCodeAt(p) === 34) {
        const keyEnd = stringEnd(text, p);
        const raw = text.slice(p + 1, keyEnd - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(p, keyEnd)) as string) : raw;
        const valueStart = skipWs(text, skipWs(text, keyEnd) + 1); // past ':'
        keys.set(key, valueStart); // a later duplicate replaces the earlier, as in JSON.parse
        p = skipWs(text, skipValue(text, valueStart));
        if (text.charCodeAt(p) !== 44 /* , */) break;
        p = skipWs(text, p + 1);
      }
      index = keys;
    } else if (open === 91 /* [ */) {
      const starts: number[] = [];
      let p = skipWs(text, pos + 1);
      while (p < text.length && text.charCodeAt(p) !== 93 /* ] */) {
        starts.push(p);
        p = skipWs(text, skipValue(text, p));
        if (text.charCodeAt(p) !== 44) break;
        p = skipWs(text, p + 1);
      }
      index = starts;
    } else {
      return null;
    }
    this.indexes.set(pos, index);
    return index;
  }
}

function skipWs(text: string, p: number): number {
  while (p < text.length && text.charCodeAt(p) <= 32) p++;
  return p;
}

/** End offset (exclusive) of the JSON value starting at `p`. */
export function skipValue(text: string, p: number): number {
  const c = text.charCodeAt(p);
  if (c === 34) return stringEnd(text, p);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let i = p; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d === 34) i = stringEnd(text, i) - 1;
      else if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        if (--depth === 0) return i + 1;
      }
    }
    return text.length;
  }
  let i = p;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d <= 32 || d === 44 || d === 93 || d === 125) break;
    i++;
  }
  return i;
}
