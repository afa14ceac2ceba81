/**
 * Direction results are stored factored (evaluate/rows.ts): the words the rules decide, plus a shared
 * dense part. The AND of an egress and an ingress result must be the AND of what they stand for,
 * whichever parts are present (an isolated source has none, a non-isolated one only the shared part),
 * and equal ANDs must come back as the same interned bitset.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as B from '../../src/compile/bitset.js';
import { DirectionCache, factored, type DirResult } from '../../src/evaluate/rows.js';

const SIZE = 200;
const ids = fc.array(fc.nat({ max: SIZE - 1 }), { maxLength: 40 });
/** A result: its own bits, and a shared part (absent, or some bits). */
const result = fc.record({ own: ids, co: fc.option(ids, { nil: null }) });

function stands(r: { own: number[]; co: number[] | null }): number[] {
  return [...new Set([...r.own, ...(r.co ?? [])])].sort((a, b) => a - b);
}

function make(cache: DirectionCache, r: { own: number[]; co: number[] | null }): DirResult {
  return r.co === null ? factored(B.fromArray(SIZE, r.own), null) : factored(B.fromArray(SIZE, r.own), B.fromArray(SIZE, r.co));
}

describe('DirectionCache.and', () => {
  test('the AND of factored results is the AND of the sets they stand for, interned', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(result, result), { minLength: 1, maxLength: 8 }), (pairs) => {
        const cache = new DirectionCache();
        const interner = new B.BitsInterner();
        const got = pairs.map(([e, i]) => cache.and(make(cache, e), make(cache, i), interner));
        pairs.forEach(([e, i], k) => {
          const want = stands(e).filter((x) => stands(i).includes(x));
          expect(B.toArray(got[k]!)).toEqual(want);
        });
        got.forEach((a, x) => got.forEach((b, y) => expect(a === b).toBe(B.equal(got[x]!, got[y]!))));
      }),
      { numRuns: 300 },
    );
  });

  test('a word of `at` replaces that word of the shared part (a Deny taking back what the shared part allows)', () => {
    const cache = new DirectionCache();
    const interner = new B.BitsInterner();
    const co = B.fromArray(SIZE, [1, 2, 3, 40, 41]);
    // word 0 is {2} instead of {1, 2, 3}; word 1 is the shared {40, 41}
    const replaced: DirResult = { size: co.length, at: Int32Array.of(0), val: Uint32Array.of(1 << 2), co };
    const everything = cache.only(B.fromArray(SIZE, [...Array(SIZE).keys()]));
    expect(B.toArray(cache.and(replaced, everything, interner))).toEqual([2, 40, 41]); // both shared: word by word
    const isolatedSide = factored(B.fromArray(SIZE, [1, 2, 3, 40, 100]), null);
    expect(B.toArray(cache.and(isolatedSide, replaced, interner))).toEqual([2, 40]); // one side's words only
    expect(B.toArray(cache.and(replaced, isolatedSide, interner))).toEqual([2, 40]);
  });

  test('a result with only a shared part is one object per bitset', () => {
    const cache = new DirectionCache();
    const co = B.fromArray(SIZE, [1, 2, 3]);
    expect(cache.only(co)).toBe(cache.only(co));
    expect([...cache.only(co).at]).toEqual([]);
  });

  test('outside is the base where nothing isolates, once per pair', () => {
    const cache = new DirectionCache();
    const iso = B.fromArray(SIZE, [0, 5, 40]);
    const base = B.fromArray(SIZE, [0, 1, 5, 6, 40, 199]);
    expect(B.toArray(cache.outside(iso, base))).toEqual([1, 6, 199]);
    expect(cache.outside(iso, base)).toBe(cache.outside(iso, base));
  });
});
