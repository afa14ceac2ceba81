/**
 * LabelIndex.select (compile/label-index.ts) narrows candidates by a matchLabels pair or an `In`
 * requirement; the answer must be exactly the items the selector matches, within the scope.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { LabelIndex } from '../../src/compile/label-index.js';
import { matches } from '../../src/compile/selector.js';
import type { LabelSelector, Labels } from '../../src/model/types.js';

const key = fc.constantFrom('app', 'team', 'env');
const value = fc.constantFrom('a', 'b', 'c', 'd');
const labels: fc.Arbitrary<Labels> = fc.dictionary(key, value, { maxKeys: 3 });
const selector: fc.Arbitrary<LabelSelector> = fc.record({
  matchLabels: fc.dictionary(key, value, { maxKeys: 2 }),
  matchExpressions: fc.array(
    fc.oneof(
      fc.record({ key, operator: fc.constantFrom('In' as const, 'NotIn' as const), values: fc.array(value, { minLength: 1, maxLength: 3 }) }),
      fc.record({ key, operator: fc.constantFrom('Exists' as const, 'DoesNotExist' as const), values: fc.constant([]) }),
    ),
    { maxLength: 3 },
  ),
});

describe('LabelIndex', () => {
  test('select = the items the selector matches, within the scope (candidates from matchLabels or In)', () => {
    fc.assert(
      fc.property(
        fc.array(labels, { maxLength: 40 }),
        selector,
        fc.option(fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }), { nil: null }),
        (items, sel, inScope) => {
          const index = new LabelIndex(items);
          const ids = items.map((_, i) => i);
          const scoped = inScope === null ? ids : ids.filter((i) => inScope[i]!);
          const scope = inScope === null ? null : { size: scoped.length, has: (i: number) => inScope[i]!, items: () => scoped };
          const want = scoped.filter((i) => matches(sel, items[i]!));
          expect([...index.select(sel, scope)].sort((a, b) => a - b)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });

  test('an In requirement over two values finds the items of both, and only them', () => {
    const index = new LabelIndex([{ team: 'a' }, { team: 'b' }, { team: 'c' }, {}, { team: 'a', env: 'x' }]);
    const sel: LabelSelector = { matchLabels: {}, matchExpressions: [{ key: 'team', operator: 'In', values: ['a', 'b', 'a'] }] };
    expect([...index.select(sel, null)].sort((a, b) => a - b)).toEqual([0, 1, 4]);
  });
});
