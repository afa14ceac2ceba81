/**
 * First-match tiers evaluated factored (evaluate/rows.ts tiersFactored): the dense blocks' answer
 * once per list, shared, and only the words of the sparse blocks evaluated with every block. The
 * result must stand for exactly what evaluating every block over the whole universe gives, and what
 * a destination-by-destination first-match walk gives (Calico's rule order: Allow, Deny, Pass to the
 * next tier, Log goes on; NetworkPolicy blocks allow only where they isolate, and the default tier
 * ends with their isolation).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as B from '../../src/compile/bitset.js';
import type { Action, Block, Tier } from '../../src/compile/block.js';
import type { Compiled } from '../../src/compile/compile.js';
import { IdSet } from '../../src/compile/id-set.js';
import { DirectionCache, evalTiers, tiersFactored, type DirResult } from '../../src/evaluate/rows.js';

const SIZE = 1000; // 32 words: a set of more than 32 members is dense
const DEFAULT_RANK = 2;

/** The destinations a factored result stands for: `co`, with the words of `at` replaced. */
function expand(r: DirResult): B.Bits {
  const out = r.co === null ? B.empty(r.size * 32) : r.co.slice();
  for (let k = 0; k < r.at.length; k++) out[r.at[k]!] = r.val[k]!;
  return out;
}

/** One destination, walked through the blocks in order. */
function walk(blocks: readonly Block[], isolated: B.Bits, base: B.Bits, d: number): boolean {
  if (!B.has(base, d)) return false;
  const iso = B.has(isolated, d);
  let defaultDone = false;
  const ranks = [...new Set(blocks.map((b) => b.rank!))].sort((a, b) => a - b);
  for (const rank of ranks) {
    if (!defaultDone && rank > DEFAULT_RANK) {
      defaultDone = true;
      if (iso) return false;
    }
    let passed = false;
    for (const b of blocks.filter((x) => x.rank === rank).sort((x, y) => x.id - y.id)) {
      if (b.action === 'Log' || !b.other.has(d)) continue;
      if (b.tier === 'NetworkPolicy') {
        if (iso) return true;
        continue;
      }
      if (b.action === 'Accept') return true;
      if (b.action === 'Deny') return false;
      passed = true; // Pass
      break;
    }
    if (rank === DEFAULT_RANK) {
      defaultDone = true;
      if (!passed && iso) return false;
    }
  }
  return !(!defaultDone && iso);
}

const blockArb = fc.record({
  rank: fc.nat({ max: 4 }),
  np: fc.boolean(),
  action: fc.constantFrom<Action>('Accept', 'Deny', 'Pass', 'Log'),
  // few destinations around one place (a sparse block touching few words), or many (dense)
  lo: fc.nat({ max: SIZE - 1 }),
  span: fc.constantFrom(8, 40, 300, SIZE),
  count: fc.constantFrom(1, 3, 10, 40, 200, 900),
  seed: fc.array(fc.nat({ max: SIZE - 1 }), { minLength: 1, maxLength: 900 }),
});

type BlockSpec = typeof blockArb extends fc.Arbitrary<infer T> ? T : never;

function makeBlocks(specs: BlockSpec[]): Block[] {
  return specs.map((s, id) => {
    const ids = s.seed.slice(0, s.count).map((x) => (s.lo + (x % s.span)) % SIZE);
    const tier: Tier = s.np && s.rank === DEFAULT_RANK ? 'NetworkPolicy' : 'Calico';
    return {
      id,
      direction: 'ingress',
      tier,
      action: tier === 'NetworkPolicy' ? 'Accept' : s.action,
      rows: IdSet.empty(SIZE),
      other: IdSet.ofIds(SIZE, ids),
      ports: B.empty(1),
      rule: null as never,
      rank: s.rank,
    } as Block;
  });
}

const compiled = { u: { size: SIZE }, defaultRank: DEFAULT_RANK } as unknown as Compiled;
const bitsArb = fc.oneof(
  fc.constant(B.empty(SIZE)),
  fc.constant(B.fromArray(SIZE, [...Array(SIZE).keys()])),
  fc.array(fc.nat({ max: SIZE - 1 }), { maxLength: 600 }).map((xs) => B.fromArray(SIZE, xs)),
);

describe('tiersFactored', () => {
  test('stands for what evalTiers gives over the whole universe, and for each destination walked alone', () => {
    fc.assert(
      fc.property(fc.array(fc.array(blockArb, { maxLength: 10 }), { minLength: 1, maxLength: 4 }), bitsArb, bitsArb, (lists, isolated, base) => {
        // one cache for several lists: the dense blocks' answers are shared between them
        const cache = new DirectionCache();
        for (const specs of lists) {
          const blocks = makeBlocks(specs).sort((a, b) => a.rank! - b.rank! || a.id - b.id);
          const got = expand(tiersFactored(compiled, blocks, isolated, base, cache));
          const want = evalTiers(compiled, blocks, isolated, base);
          expect(B.toArray(got)).toEqual(B.toArray(want));
          const walked: number[] = [];
          for (let d = 0; d < SIZE; d++) if (walk(blocks, isolated, base, d)) walked.push(d);
          expect(B.toArray(got)).toEqual(walked);
        }
      }),
      { numRuns: 200 },
    );
  });

  test('a Deny in a sparse block takes back a destination the dense blocks allow', () => {
    const base = B.fromArray(SIZE, [...Array(SIZE).keys()]);
    const allowAll = makeBlocks([{ rank: 1, np: false, action: 'Accept', lo: 0, span: SIZE, count: 900, seed: [...Array(900).keys()] }]);
    const deny = { ...makeBlocks([{ rank: 0, np: false, action: 'Deny', lo: 5, span: 8, count: 1, seed: [0] }])[0]!, id: 1 };
    const r = tiersFactored(compiled, [deny, allowAll[0]!], B.empty(SIZE), base, new DirectionCache());
    expect(r.co).not.toBeNull();
    expect([...r.at]).toEqual([0]);
    expect(B.has(expand(r), 5)).toBe(false);
    expect(B.has(expand(r), 6)).toBe(true);
  });
});
