/**
 * The derived queries agree with the point answers they summarise, on generated clusters:
 * who-can-reach, the matrix, the stats pair count, and lateral paths.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ConnectionSet, compile, findPath, indexStats, matrix, whoCanReach, type IndexEntity } from '../../packages/core/src/index.js';
import { clusterArb } from '../reference/arbitraries.js';

describe('derived queries', () => {
  test('who-can-reach an entity = every source with a non-empty connection set to it, in answer order', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), fc.option(fc.constantFrom(53, 80, 443, 8080), { nil: undefined }), (cluster, pick, port) => {
        const ix = compile(cluster);
        // any entity: an endpoint, or an external range (reached from endpoints only)
        const goal = ix.entities[pick % ix.entities.length]!;
        const filter = port === undefined ? undefined : { protocol: 'TCP' as const, port };
        const got = whoCanReach(ix, { kind: 'entity', entity: goal }, filter).map((r) => `${r.src.id} ${r.conn.toString()} via ${r.via}`);
        // answer order: external ranges by index, then endpoints by id
        const order = [
          ...ix.entities.filter((e) => e.kind === 'external'),
          ...ix.entities.filter((e) => e.kind === 'endpoint').sort((a, b) => (a.id < b.id ? -1 : 1)),
        ];
        const want = order
          // the goal itself only when it has replicas (two of them may connect); loopback is no answer
          .filter((s) => !ix.isLoopback(s, goal) && !(s.kind === 'external' && goal.kind === 'external'))
          .map((s) => {
            const c = ix.connectionsBetween(s, goal);
            return { s, c: filter === undefined ? c : c.intersect(ConnectionSet.port('TCP', filter.port)) };
          })
          .filter(({ c }) => !c.isEmpty())
          .map(({ s, c }) => `${s.id} ${c.toString()} via ${goal.id}`);
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  test('the matrix lists exactly the pairs with something allowed (an endpoint with replicas to itself too), and stats counts the pairs of distinct endpoints among them', () => {
    fc.assert(
      fc.property(clusterArb, (cluster) => {
        const ix = compile(cluster);
        const eps = ix.entities.filter((e) => e.kind === 'endpoint');
        let pairs = 0;
        let replicaPairs = 0;
        for (const a of eps) {
          for (const b of eps) {
            if (ix.connectionsBetween(a, b).isEmpty()) continue;
            if (a !== b) pairs++;
            else if (ix.hasReplicas(a)) replicaPairs++;
          }
        }
        expect(matrix(ix, { external: false }).length).toBe(pairs + replicaPairs);
        expect(indexStats(ix).allowedPairs).toBe(pairs);
      }),
      { numRuns: 150 },
    );
  });

  test('a lateral path is a chain of allowed hops ending at the goal, and none exists when the goal is unreachable (an endpoint to itself too)', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), fc.nat(), (cluster, i, j) => {
        fc.pre(cluster.endpoints.length > 1);
        const ix = compile(cluster);
        const eps = ix.entities.filter((e): e is Extract<IndexEntity, { kind: 'endpoint' }> => e.kind === 'endpoint');
        const src = eps[i % eps.length]!;
        const dst = eps[j % eps.length]!;
        const hops = findPath(ix, src, { kind: 'entity', entity: dst }, { maxHops: eps.length + 1 });
        if (src.index === dst.index && !ix.hasReplicas(src)) {
          // one pod asked about itself: loopback, zero hops
          expect(hops).toEqual([]);
          return;
        }
        // reachability in one hop or more, by brute force over endpoints (from an endpoint to itself
        // that is one replica reaching another, directly or through others)
        const seen = new Set<number>();
        let frontier = [src];
        while (frontier.length > 0) {
          const next: typeof frontier = [];
          for (const a of frontier)
            for (const b of eps)
              if (!seen.has(b.index) && !ix.connectionsBetween(a, b).isEmpty()) {
                seen.add(b.index);
                next.push(b);
              }
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

  test('paths: the first shortest chain in breadth-first order (frontier by discovery, classes ascending), hop by hop as a naive search over class pairs finds it', () => {
    fc.assert(
      fc.property(
        clusterArb,
        fc.nat(),
        fc.nat(),
        fc.option(fc.constantFrom(53, 80, 443, 8080), { nil: undefined }),
        fc.integer({ min: 1, max: 6 }),
        (cluster, i, j, port, maxHops) => {
          fc.pre(cluster.endpoints.length > 1);
          const ix = compile(cluster);
          const eps = ix.entities.filter((e): e is Extract<IndexEntity, { kind: 'endpoint' }> => e.kind === 'endpoint');
          const src = eps[i % eps.length]!;
          const goal = ix.entities[j % ix.entities.length]!;
          fc.pre(src.index !== goal.index);
          const filter = port === undefined ? undefined : { protocol: 'TCP' as const, port };
          const conn = (a: IndexEntity, b: IndexEntity) => {
            const c = ix.connectionsBetween(a, b);
            return filter === undefined ? c : c.intersect(ConnectionSet.port('TCP', filter.port));
          };
          const C = ix.compiled.classes.count;
          const rep = (c: number) => ix.entities[ix.compiled.classes.members[c]![0]!]! as Extract<IndexEntity, { kind: 'endpoint' }>;
          // the naive search: every class pair tested through the point query, no bitsets
          let want: string[] | null = null;
          if (!conn(src, goal).isEmpty()) want = [`${src.id} -> ${goal.id} ${conn(src, goal).toString()}`];
          else {
            const parent = new Map<number, number>([[src.bit, src.bit]]);
            let frontier = [src.bit];
            let found: number | null = null;
            for (let hop = 0; hop < maxHops - 1 && found === null && frontier.length > 0; hop++) {
              const next: number[] = [];
              for (const n of frontier) {
                for (let d = 0; d < C && found === null; d++) {
                  if (parent.has(d) || conn(rep(n), rep(d)).isEmpty()) continue;
                  parent.set(d, n);
                  if (!conn(rep(d), goal).isEmpty()) found = d;
                  next.push(d);
                }
                if (found !== null) break;
              }
              frontier = next;
            }
            if (found !== null) {
              const chain = [found];
              while (chain[0] !== src.bit) chain.unshift(parent.get(chain[0]!)!);
              want = [];
              let cur: IndexEntity = src;
              for (const c of chain.slice(1)) {
                want.push(`${cur.id} -> ${rep(c).id} ${conn(cur, rep(c)).toString()}`);
                cur = rep(c);
              }
              if (cur.index !== goal.index) want.push(`${cur.id} -> ${goal.id} ${conn(cur, goal).toString()}`);
            }
          }
          const hops = findPath(ix, src, { kind: 'entity', entity: goal }, { maxHops, ...(filter ? { filter } : {}) });
          expect(hops === null ? null : hops.map((h) => `${h.from} -> ${h.to} ${h.conn.toString()}`)).toEqual(want);
        },
      ),
      { numRuns: 300 },
    );
  });
});
