/**
 * The derived queries agree with the point answers they summarise, on generated clusters:
 * who-can-reach, the matrix, the stats pair count, and lateral paths.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile, findPath, indexStats, matrix, whoCanReach, type IndexEntity } from '../../packages/core/src/index.js';
import { clusterArb } from '../reference/arbitraries.js';

describe('derived queries', () => {
  test('who-can-reach an endpoint = every source with a non-empty connection set to it', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), (cluster, pick) => {
        fc.pre(cluster.endpoints.length > 0);
        const ix = compile(cluster);
        const goal = ix.entities.filter((e) => e.kind === 'endpoint')[pick % cluster.endpoints.length]!;
        const got = whoCanReach(ix, { kind: 'entity', entity: goal }).map((r) => `${r.src.id} ${r.conn.toString()}`).sort();
        const want = ix.entities
          .filter((s) => s.index !== goal.index)
          .map((s) => ({ s, c: ix.connectionsBetween(s, goal) }))
          .filter(({ c }) => !c.isEmpty())
          .map(({ s, c }) => `${s.id} ${c.toString()}`)
          .sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 150 },
    );
  });

  test('the matrix lists exactly the pairs with something allowed, and stats counts the endpoint pairs among them', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const ix = compile(cluster);
        const eps = ix.entities.filter((e) => e.kind === 'endpoint');
        let pairs = 0;
        for (const a of eps) for (const b of eps) if (a !== b && !ix.connectionsBetween(a, b).isEmpty()) pairs++;
        expect(matrix(ix, { external: false }).length).toBe(pairs);
        expect(indexStats(ix).allowedPairs).toBe(pairs);
      }),
      { numRuns: 150 },
    );
  });

  test('a lateral path is a chain of allowed hops ending at the goal, and none exists when the goal is unreachable', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), fc.nat(), (cluster, i, j) => {
        fc.pre(cluster.endpoints.length > 1);
        const ix = compile(cluster);
        const eps = ix.entities.filter((e): e is Extract<IndexEntity, { kind: 'endpoint' }> => e.kind === 'endpoint');
        const src = eps[i % eps.length]!;
        const dst = eps[j % eps.length]!;
        fc.pre(src.index !== dst.index);
        const hops = findPath(ix, src, { kind: 'entity', entity: dst }, { maxHops: eps.length });
        // reachability by brute force over endpoints
        const seen = new Set([src.index]);
        let frontier = [src];
        while (frontier.length > 0) {
          const next: typeof frontier = [];
          for (const a of frontier) for (const b of eps) if (!seen.has(b.index) && !ix.connectionsBetween(a, b).isEmpty()) (seen.add(b.index), next.push(b));
          frontier = next;
        }
        expect(hops !== null).toBe(seen.has(dst.index));
        if (hops !== null) {
          expect(hops[0]!.from).toBe(src.id);
          expect(hops[hops.length - 1]!.to).toBe(dst.id);
          for (const h of hops) expect(ix.connections(h.from, h.to).isEmpty()).toBe(false);
        }
      }),
      { numRuns: 150 },
    );
  });
});
