/**
 * IdSet (compile/id-set.ts): rule sets as sorted ids when small, as a bitset when not. Every
 * operation must answer as the plain set it stands for, whichever form each operand is in, and the
 * form must depend on the members alone (equal sets compare and hash equal).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as B from '../../src/compile/bitset.js';
import { IdSet } from '../../src/compile/id-set.js';

/** Universes from one word to a few, and member lists from empty to nearly full (both forms). */
const world = fc.integer({ min: 1, max: 130 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    sets: fc.array(fc.array(fc.nat({ max: size - 1 }), { maxLength: size + 10 }), { minLength: 1, maxLength: 5 }),
    probe: fc.array(fc.nat({ max: size - 1 }), { maxLength: size }),
  }),
);

const plain = (ids: readonly number[]) => [...new Set(ids)].sort((a, b) => a - b);
const members = (s: IdSet) => {
  const out: number[] = [];
  s.forEach((i) => out.push(i));
  return out;
};

describe('IdSet', () => {
  test('each operation answers as the plain set, in either form', () => {
    fc.assert(
      fc.property(world, fc.boolean(), ({ size, sets, probe }, viaBits) => {
        const made = sets.map((ids) => (viaBits ? IdSet.ofBits(size, B.fromArray(size, ids)) : IdSet.ofIds(size, ids)));
        const want = sets.map(plain);
        made.forEach((s, k) => {
          expect(members(s)).toEqual(want[k]);
          expect(s.count()).toBe(want[k]!.length);
          expect(s.isEmpty()).toBe(want[k]!.length === 0);
          expect(B.toArray(s.dense())).toEqual(want[k]);
          // sparse exactly when it has at most as many members as the universe has words
          expect(s.sparse() !== null).toBe(want[k]!.length <= B.wordsFor(size));
          for (let i = 0; i < size; i++) expect(s.has(i)).toBe(want[k]!.includes(i));
          const dst = B.fromArray(size, probe);
          s.orInto(dst);
          expect(B.toArray(dst)).toEqual(plain([...probe, ...want[k]!]));
          expect(s.containsAll(B.fromArray(size, probe))).toBe(probe.every((i) => want[k]!.includes(i)));
          expect(s.containsAll(B.fromArray(size, probe), plain(probe).length)).toBe(probe.every((i) => want[k]!.includes(i)));
          expect(members(s.minus(B.fromArray(size, probe)))).toEqual(want[k]!.filter((i) => !probe.includes(i)));
        });
        expect(members(IdSet.union(size, made))).toEqual(plain(want.flat()));
        const a = made[0]!;
        const b = made[made.length - 1]!;
        expect(members(a.intersect(b))).toEqual(want[0]!.filter((i) => want[want.length - 1]!.includes(i)));
      }),
      { numRuns: 300 },
    );
  });

  test('equal sets are equal and hash equal, however they were made', () => {
    fc.assert(
      fc.property(world, ({ size, sets }) => {
        const a = sets.map((ids) => IdSet.ofIds(size, ids));
        const b = sets.map((ids) => IdSet.union(size, [IdSet.ofBits(size, B.fromArray(size, ids)), IdSet.empty(size)]));
        a.forEach((x, i) =>
          b.forEach((y, j) => {
            const same = plain(sets[i]!).join() === plain(sets[j]!).join();
            expect(x.equals(y)).toBe(same);
            if (same) expect(x.hash()).toBe(y.hash());
          }),
        );
      }),
      { numRuns: 200 },
    );
  });
});
