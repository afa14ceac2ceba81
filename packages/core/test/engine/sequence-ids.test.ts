/**
 * SequenceIds hash-conses sequences item by item: equal sequences get equal ids and different
 * sequences different ids, including after the table grows (checked against string keys).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { SequenceIds } from '../../src/evaluate/sequence-ids.js';

describe('SequenceIds', () => {
  test('the empty sequence is 0; one item after it is a new id; asking again gives the same id', () => {
    const s = new SequenceIds();
    const a = s.next(SequenceIds.EMPTY, 5);
    expect(a).not.toBe(SequenceIds.EMPTY);
    expect(s.next(SequenceIds.EMPTY, 5)).toBe(a);
    expect(s.next(SequenceIds.EMPTY, 6)).not.toBe(a);
    expect(s.next(a, 5)).not.toBe(a);
  });

  test('ids are equal exactly when the sequences are equal (thousands of sequences, past several table growths)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat({ max: 3000 }), { maxLength: 12 }), { minLength: 1, maxLength: 400 }), (seqs) => {
        const s = new SequenceIds();
        const byText = new Map<string, number>();
        const byId = new Map<number, string>();
        for (const q of seqs) {
          let id = SequenceIds.EMPTY;
          for (let k = 0; k < q.length; k++) {
            id = s.next(id, q[k]!);
            const text = q.slice(0, k + 1).join(',');
            const seen = byText.get(text);
            if (seen === undefined) byText.set(text, id);
            else expect(id).toBe(seen);
            const other = byId.get(id);
            if (other === undefined) byId.set(id, text);
            else expect(other).toBe(text);
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
