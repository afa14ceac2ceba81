/**
 * Properties of the reachability diff on generated clusters (test/reference/arbitraries.ts):
 *   - diff(a, a) is empty;
 *   - diff(b, a) is diff(a, b) with added and removed swapped (changed: before and after swapped);
 *   - applying diff(a, b) to a's matrix gives b's matrix, where both matrices are the full pair
 *     matrices of the two aligned indexes (this also checks that skipping unchanged sources in bulk
 *     never hides a change: the matrices are computed pair by pair, with no skipping);
 *   - `--explain` attributes every changed pair to at least one edit (a change has a cause).
 * Pairs of clusters are drawn two ways: independent (many endpoints on one side only, everything
 * different) and close (b is a with some policies dropped and one foreign policy added, and some
 * endpoints relabelled), which is what real pull requests look like.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clusterEdits, compilePair, diffClusters, diffIndexes, diffRows, editsFor, type ReachabilityDiff } from '../../packages/core/src/diff/index.js';
import type { ReachabilityIndex } from '../../packages/core/src/evaluate/index.js';
import type { Cluster } from '../../packages/core/src/model/types.js';
import { clusterArb, ruleArb } from '../reference/arbitraries.js';
import { describeCluster } from '../reference/describe.js';

const RUNS = 150;

/**
 * b close to a: keep some policies of a, add the first policy of `extra` renamed, relabel some
 * endpoints, and scale some workloads between one replica and three (which opens or closes the
 * traffic between their replicas).
 */
const closePairArb: fc.Arbitrary<[Cluster, Cluster]> = fc
  .tuple(
    clusterArb,
    clusterArb,
    fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
    fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
  )
  .map(([a, extra, keep, relabel, scale]) => {
    const names = new Set(a.namespaces.map((n) => n.name));
    const foreign = extra.policies
      .filter((p) => names.has(p.namespace))
      .slice(0, 1)
      .map((p) => ({ ...p, name: `extra-${p.name}` }));
    const b: Cluster = {
      ...a,
      policies: [...a.policies.filter((_, i) => keep[i] !== false), ...foreign],
      endpoints: a.endpoints
        .map((e, i) => (relabel[i] === true ? { ...e, labels: { ...e.labels, app: e.labels['app'] === 'a' ? 'b' : 'a' } } : e))
        .map((e, i) => (scale[i] === true && e.kind !== 'Pod' && e.kind !== 'DaemonSet' ? { ...e, replicas: e.replicas === 3 ? 1 : 3, podCount: 0 } : e)),
    };
    return [a, b];
  });

const anyPairArb: fc.Arbitrary<[Cluster, Cluster]> = fc.oneof(closePairArb, fc.tuple(clusterArb, clusterArb));

type Mode = 'match' | 'ignore';

function text(d: ReachabilityDiff): { added: string[]; removed: string[]; changed: string[] } {
  return {
    added: d.added.map((e) => `${e.src} => ${e.dst} : ${e.conn.toString()}`),
    removed: d.removed.map((e) => `${e.src} => ${e.dst} : ${e.conn.toString()}`),
    changed: d.changed.map((e) => `${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
  };
}

/** Every non-empty pair of an index, pair by pair (no row sharing, no skipping), keyed `src => dst`. */
function fullMatrix(index: ReachabilityIndex): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of index.entities) {
    for (const d of index.entities) {
      if (index.isLoopback(s, d) || (s.kind === 'external' && d.kind === 'external')) continue;
      const c = index.connectionsBetween(s, d);
      if (!c.isEmpty()) out.set(`${s.id} => ${d.id}`, c.toString());
    }
  }
  return out;
}

function sorted(m: Map<string, string>): string[] {
  return [...m].map(([k, v]) => `${k} : ${v}`).sort();
}

describe('diff properties', () => {
  for (const mode of ['match', 'ignore'] as const satisfies readonly Mode[]) {
    it(`diff(a, a) is empty (ipblockPods=${mode})`, () => {
      fc.assert(
        fc.property(clusterArb, (a) => {
          const d = text(diffClusters(a, a, { ipblockPods: mode }));
          expect(d, describeCluster(a)).toEqual({ added: [], removed: [], changed: [] });
        }),
        { numRuns: RUNS },
      );
    });

    it(`diff(b, a) is diff(a, b) inverted (ipblockPods=${mode})`, () => {
      fc.assert(
        fc.property(anyPairArb, ([a, b]) => {
          const ab = diffClusters(a, b, { ipblockPods: mode });
          const ba = text(diffClusters(b, a, { ipblockPods: mode }));
          expect(ba.added).toEqual(text(ab).removed);
          expect(ba.removed).toEqual(text(ab).added);
          expect(ba.changed).toEqual(ab.changed.map((e) => `${e.src} => ${e.dst} : ${e.after.toString()} -> ${e.before.toString()}`));
        }),
        { numRuns: RUNS },
      );
    });

    it(`applying diff(a, b) to a's matrix gives b's matrix (ipblockPods=${mode})`, () => {
      fc.assert(
        fc.property(anyPairArb, ([a, b]) => {
          const pair = compilePair(a, b, { ipblockPods: mode });
          const d = diffIndexes(pair);
          const m = fullMatrix(pair.before);
          for (const e of d.added) {
            expect(m.has(`${e.src} => ${e.dst}`)).toBe(false);
            m.set(`${e.src} => ${e.dst}`, e.conn.toString());
          }
          for (const e of d.removed) {
            expect(m.get(`${e.src} => ${e.dst}`)).toBe(e.conn.toString());
            m.delete(`${e.src} => ${e.dst}`);
          }
          for (const e of d.changed) {
            expect(m.get(`${e.src} => ${e.dst}`)).toBe(e.before.toString());
            m.set(`${e.src} => ${e.dst}`, e.after.toString());
          }
          expect(sorted(m), `${describeCluster(a)}\n---\n${describeCluster(b)}`).toEqual(sorted(fullMatrix(pair.after)));
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('every changed pair is attributed to at least one edit', () => {
    fc.assert(
      fc.property(anyPairArb, ([a, b]) => {
        const pair = compilePair(a, b);
        const edits = clusterEdits(a, b);
        for (const r of diffRows(diffIndexes(pair))) {
          expect(
            editsFor(pair, edits, r.src, r.dst).length,
            `${r.kind} ${r.src} => ${r.dst}\n${describeCluster(a)}\n---\n${describeCluster(b)}`,
          ).toBeGreaterThan(0);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('a rule added to one policy only adds connections, and is the cause of every pair it changes', () => {
    const arb = fc.tuple(clusterArb, fc.nat(), ruleArb, fc.constantFrom('ingress' as const, 'egress' as const)).filter(([a]) => a.policies.length > 0);
    fc.assert(
      fc.property(arb, ([a, i, r, dir]) => {
        const k = i % a.policies.length;
        const p = a.policies[k]!;
        const added = { ...p, [dir]: [...p[dir], { ...r, index: p[dir].length }] };
        const b: Cluster = { ...a, policies: a.policies.map((x, j) => (j === k ? added : x)) };
        const pair = compilePair(a, b);
        const edits = clusterEdits(a, b);
        const rows = diffRows(diffIndexes(pair));
        // adding an allow rule never removes or narrows anything
        expect(rows.filter((x) => x.kind !== 'added' && !(x.kind === 'changed' && x.before.subtract(x.after).isEmpty()))).toEqual([]);
        for (const row of rows) {
          expect(
            editsFor(pair, edits, row.src, row.dst).map((e) => e.kind),
            `${row.src} => ${row.dst}\n${describeCluster(b)}`,
          ).toEqual(['rule-added']);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('each changed pair is reported once, in matrix order', () => {
    fc.assert(
      fc.property(anyPairArb, ([a, b]) => {
        const d = diffClusters(a, b);
        const pair = compilePair(a, b);
        const ids = [...new Set([...pair.before.entities, ...pair.after.entities].map((e) => e.id))];
        const ext = ids.filter((i) => i.endsWith('[External]'));
        const eps = ids.filter((i) => !i.endsWith('[External]')).sort();
        const order = new Map([...ext, ...eps].map((id, i) => [id, i]));
        for (const list of [d.added, d.removed, d.changed] as const) {
          const keys = list.map((e) => [order.get(e.src)!, order.get(e.dst)!] as const);
          for (let i = 1; i < keys.length; i++) {
            const [s0, d0] = keys[i - 1]!;
            const [s1, d1] = keys[i]!;
            expect(s0 < s1 || (s0 === s1 && d0 < d1)).toBe(true);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
