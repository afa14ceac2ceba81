/**
 * The interner is exact whichever way a bitset reaches it: through its whole words (internCopy) or
 * through a list of candidate words (internWords, the sparse AND of the index); equal bitsets give
 * the same stored copy, different ones different copies.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as B from '../../src/compile/bitset.js';

const bitsets = fc.array(fc.array(fc.nat({ max: 199 }), { maxLength: 12 }), { minLength: 1, maxLength: 30 });

describe('BitsInterner', () => {
  test('internWords and internCopy agree, and equal stored copies mean equal bits', () => {
    fc.assert(
      fc.property(bitsets, fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }), (sets, sparseWay) => {
        const interner = new B.BitsInterner();
        const stored = sets.map((ids, k) => {
          const scratch = B.fromArray(200, ids);
          if (!sparseWay[k]) return interner.internCopy(scratch);
          // candidates: every word a bit is in, plus a zero word, as the AND passes the shorter list
          const words = Int32Array.from(new Set([...ids.map((i) => i >>> 5), 6])).sort();
          return interner.internWords(scratch, words, words.length);
        });
        sets.forEach((a, i) =>
          sets.forEach((b, j) => {
            const same = B.equal(B.fromArray(200, a), B.fromArray(200, b));
            expect(stored[i] === stored[j]).toBe(same);
          }),
        );
        stored.forEach((s, i) => expect(B.toArray(s)).toEqual([...new Set(sets[i])].sort((x, y) => x - y)));
      }),
      { numRuns: 200 },
    );
  });

  test('nonzeroWords lists exactly the nonzero words, ascending', () => {
    const b = B.fromArray(200, [3, 64, 65, 199]);
    expect([...B.nonzeroWords(b)]).toEqual([0, 2, 6]);
    expect([...B.nonzeroWords(B.empty(200))]).toEqual([]);
  });
});

describe('containsAll', () => {
  test('a word with its top bit set (bit 31, 63, ...) is contained like any other', () => {
    // the AND of two such words is a negative int32 while the mask word is unsigned: the regression
    // made every full universe of more than 31 bits "not contained", so no block was ever universal
    const all = B.full(116);
    expect(B.containsAll(all, B.fromArray(116, [63]))).toBe(true);
    expect(B.containsAll(all, all)).toBe(true);
    expect(B.containsAll(B.fromArray(116, [31, 63, 95]), B.fromArray(116, [31, 95]))).toBe(true);
    expect(B.containsAll(B.fromArray(116, [31, 95]), B.fromArray(116, [31, 63, 95]))).toBe(false);
    expect(B.containsAll(B.fromArray(116, [0, 1]), B.fromArray(116, [31]))).toBe(false);
  });

  test('answers as the subset relation of the plain sets', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 127 })), fc.array(fc.nat({ max: 127 })), (a, m) => {
        const want = m.every((i) => a.includes(i));
        expect(B.containsAll(B.fromArray(128, a), B.fromArray(128, m))).toBe(want);
        expect(B.containsAll(B.fromArray(128, [...a, ...m]), B.fromArray(128, m))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
