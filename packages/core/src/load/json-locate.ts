/**
 * Positions inside JSON text, found by walking the text along a path only when a location is asked
 * for (the JSON fast path parses with JSON.parse, which keeps no positions). Root `items` elements
 * start at offsets recorded by the scan, so a walk into one List item only reads that item.
 */
import { stringEnd } from './json-scan.js';
import type { FieldPath, OffsetLocator } from './types.js';

export class JsonLocator implements OffsetLocator {
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

  /** Offset of the child `seg` of the value at `pos`, or -1. Last duplicate key wins, as in JSON.parse. */
  private child(pos: number, seg: string | number): number {
    const text = this.text;
    const open = text.charCodeAt(pos);
    let found = -1;
    if (open === 123 /* { */ && typeof seg === 'string') {
      let p = skipWs(text, pos + 1);
      while (text.charCodeAt(p) === 34) {
        const keyEnd = stringEnd(text, p);
        const raw = text.slice(p + 1, keyEnd - 1);
        const key = raw.includes('\\') ? (JSON.parse(text.slice(p, keyEnd)) as string) : raw;
        const valueStart = skipWs(text, skipWs(text, keyEnd) + 1); // past ':'
        if (key === seg) found = valueStart;
        p = skipWs(text, skipValue(text, valueStart));
        if (text.charCodeAt(p) !== 44 /* , */) break;
        p = skipWs(text, p + 1);
      }
    } else if (open === 91 /* [ */ && typeof seg === 'number') {
      let p = skipWs(text, pos + 1);
      for (let index = 0; p < text.length && text.charCodeAt(p) !== 93 /* ] */; index++) {
        if (index === seg) return p;
        p = skipWs(text, skipValue(text, p));
        if (text.charCodeAt(p) !== 44) break;
        p = skipWs(text, p + 1);
      }
    }
    return found;
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
