/**
 * Whether two rows over the same port atoms allow the same destinations on every port atom. Rows of
 * one index and of an index updated from it (evaluate/update.ts) share their atoms, so comparing
 * them is comparing answers: this is how lint proves that removing a rule changes nothing.
 */
import * as B from '../compile/bitset.js';
import type { Row } from '../evaluate/rows.js';

export function rowsEqual(a: Row, b: Row, portCount: number): boolean {
  if (a === b) return true;
  // walk the union of both rows' interval starts; within one merged interval both segments are fixed
  let i = 0;
  let j = 0;
  let atom = 0;
  while (atom < portCount) {
    while (i + 1 < a.starts.length && a.starts[i + 1]! <= atom) i++;
    while (j + 1 < b.starts.length && b.starts[j + 1]! <= atom) j++;
    const sa = a.segs[a.segAt[i]!]!;
    const sb = b.segs[b.segAt[j]!]!;
    if (sa !== sb && !B.equal(sa, sb)) return false;
    const nextA = i + 1 < a.starts.length ? a.starts[i + 1]! : portCount;
    const nextB = j + 1 < b.starts.length ? b.starts[j + 1]! : portCount;
    atom = Math.min(nextA, nextB);
  }
  return true;
}
