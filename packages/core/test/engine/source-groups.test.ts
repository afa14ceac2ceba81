/**
 * SourceGroups: two sources share a group exactly when the same blocks list them and their egress
 * isolation is the same, and a group's lists are exactly its sources' blocks per direction in id
 * order (checked against lists built source by source). An update regroups only touched sources.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import * as B from '../../src/compile/bitset.js';
import type { Block } from '../../src/compile/block.js';
import { IdSet } from '../../src/compile/id-set.js';
import { SourceGroups, type IsoKey } from '../../src/evaluate/source-groups.js';

/** The sources each block was made with (the naive lists read these, not the block's set). */
const sourcesOf = new WeakMap<Block, ReadonlySet<number>>();

function block(id: number, direction: 'ingress' | 'egress', size: number, rows: readonly number[]): Block {
  const b: Block = {
    id,
    direction,
    tier: 'NetworkPolicy',
    action: 'Accept',
    rows: IdSet.ofIds(size, rows),
    other: IdSet.empty(size),
    ports: B.empty(1),
    rule: null as unknown as Block['rule'],
  };
  sourcesOf.set(b, new Set(rows));
  return b;
}

const world = fc
  .record({
    size: fc.integer({ min: 1, max: 300 }),
    seed: fc.array(fc.record({ egress: fc.boolean(), dense: fc.boolean(), picks: fc.array(fc.nat(), { maxLength: 40 }) }), { maxLength: 30 }),
    iso: fc.array(fc.constantFrom<IsoKey>(0, 1, 2), { minLength: 300, maxLength: 300 }),
  })
  .map(({ size, seed, iso }) => {
    const blocks = seed.map((s, id) => {
      // dense blocks list most sources (a bitset), sparse ones a few (sorted ids)
      const rows = s.dense ? Array.from({ length: size }, (_, i) => i).filter((i) => !s.picks.includes(i)) : s.picks.map((p) => p % size);
      return block(id, s.egress ? 'egress' : 'ingress', size, rows);
    });
    return { size, blocks, iso: iso.slice(0, size) };
  });

const naive = (blocks: readonly Block[], s: number, dir: 'ingress' | 'egress') =>
  blocks.filter((b) => b.direction === dir && sourcesOf.get(b)!.has(s)).map((b) => b.id);
const key = (blocks: readonly Block[], iso: readonly IsoKey[], s: number) => `${iso[s]}|${naive(blocks, s, 'egress')}|${naive(blocks, s, 'ingress')}`;

describe('SourceGroups', () => {
  test('same group exactly when same blocks and isolation; lists are the blocks in id order', () => {
    fc.assert(
      fc.property(world, ({ size, blocks, iso }) => {
        const g = SourceGroups.build(size, (s) => iso[s]!, blocks, blocks);
        // group <-> (isolation, blocks) is a bijection over the sources
        const groupOfKey = new Map<string, number>();
        const keyOfGroup = new Map<number, string>();
        for (let s = 0; s < size; s++) {
          const k = key(blocks, iso, s);
          expect(groupOfKey.get(k) ?? g.groupOf[s]).toBe(g.groupOf[s]);
          expect(keyOfGroup.get(g.groupOf[s]!) ?? k).toBe(k);
          groupOfKey.set(k, g.groupOf[s]!);
          keyOfGroup.set(g.groupOf[s]!, k);
          const lists = g.listsOf(g.groupOf[s]!);
          expect(lists.egress.map((b) => b.id)).toEqual(naive(blocks, s, 'egress'));
          expect(lists.ingress.map((b) => b.id)).toEqual(naive(blocks, s, 'ingress'));
          expect(g.isoOf(g.groupOf[s]!)).toBe(iso[s]);
        }
      }),
      { numRuns: 80 },
    );
  });

  test('an update regroups touched sources by their new lists and leaves the others as they were', () => {
    fc.assert(
      fc.property(world, fc.array(fc.nat(), { maxLength: 20 }), ({ size, blocks, iso }, touchPicks) => {
        const g = SourceGroups.build(size, (s) => iso[s]!, blocks, blocks);
        const touched = B.fromArray(
          size,
          touchPicks.map((p) => p % size),
        );
        // drop the first block from every touched source (as removing a policy does)
        const next = g.withLists(touched, (s, old) => ({
          iso: iso[s]!,
          lists: { egress: old.egress.filter((b) => b.id !== 0), ingress: old.ingress.filter((b) => b.id !== 0) },
        }));
        const after = (s: number, dir: 'ingress' | 'egress') => naive(blocks, s, dir).filter((id) => !B.has(touched, s) || id !== 0);
        for (let s = 0; s < size; s++) {
          const lists = next.listsOf(next.groupOf[s]!);
          expect(lists.egress.map((b) => b.id)).toEqual(after(s, 'egress'));
          expect(lists.ingress.map((b) => b.id)).toEqual(after(s, 'ingress'));
          if (!B.has(touched, s)) expect(next.groupOf[s]).toBe(g.groupOf[s]);
        }
      }),
      { numRuns: 80 },
    );
  });
});
