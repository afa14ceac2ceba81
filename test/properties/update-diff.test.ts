/**
 * diffUpdate (diff/update-diff.ts), the diff `kubereach watch` prints after a policy event, compares
 * only the rows an incremental update touched. After every event of a random sequence of policy
 * edits, applied one after another to one index as the watch applies them, its entries must be
 * exactly those of diffIndexes over two fresh compiles of the clusters before and after (the full
 * recompute), and the index must answer as a fresh compile does.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  compile,
  diffIndexes,
  diffUpdate,
  policyCidrs,
  replacePolicy,
  type Cidr,
  type Cluster,
  type NetworkPolicy,
  type ReachabilityDiff,
} from '../../packages/core/src/index.js';
import { clusterArb, ruleArb, wideClusterArb } from '../reference/arbitraries.js';

type Edit =
  | { kind: 'add-rule'; dir: 'ingress' | 'egress' }
  | { kind: 'drop-rule' }
  | { kind: 'remove' }
  | { kind: 'flip-egress-isolation' }
  | { kind: 'flip-ingress-isolation' }
  | { kind: 'copy' };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('add-rule' as const), dir: fc.constantFrom('ingress' as const, 'egress' as const) }),
  fc.constant({ kind: 'drop-rule' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'flip-egress-isolation' as const }),
  fc.constant({ kind: 'flip-ingress-isolation' as const }),
  fc.constant({ kind: 'copy' as const }),
);

/** The policy before and after one event (before null: created; after null: deleted). */
function event(
  policies: readonly NetworkPolicy[],
  pick: number,
  e: Edit,
  rule: NetworkPolicy['ingress'][number],
): { before: NetworkPolicy | null; after: NetworkPolicy | null } {
  const p = policies[pick % policies.length]!;
  switch (e.kind) {
    case 'add-rule':
      return {
        before: p,
        after: {
          ...p,
          [e.dir]: [...p[e.dir], { ...rule, index: p[e.dir].length }],
          isolatesEgress: e.dir === 'egress' ? true : p.isolatesEgress,
          isolatesIngress: e.dir === 'ingress' ? true : p.isolatesIngress,
        },
      };
    case 'drop-rule':
      return { before: p, after: { ...p, ingress: p.ingress.slice(1), egress: p.egress.slice(1) } };
    case 'remove':
      return { before: p, after: null };
    case 'flip-egress-isolation':
      return { before: p, after: { ...p, isolatesEgress: !p.isolatesEgress } };
    case 'flip-ingress-isolation':
      return { before: p, after: { ...p, isolatesIngress: !p.isolatesIngress } };
    case 'copy': // a new policy: another's rules under a new name
      return { before: null, after: { ...p, name: `${p.name}-copy${policies.length}` } };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Entries as text, for a failure message that shows the first differing line. */
function lines(d: ReachabilityDiff): string[] {
  return [
    ...d.added.map((e) => `added ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.removed.map((e) => `removed ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.changed.map((e) => `changed ${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
  ];
}

const cidrKey = (c: Cidr) => `${c.start}-${c.end}`;

function sequenceProperty(clusters: fc.Arbitrary<Cluster>, numRuns: number): void {
  fc.assert(
    fc.property(clusters, fc.array(fc.tuple(fc.nat(), editArb, ruleArb, fc.boolean()), { minLength: 1, maxLength: 6 }), (cluster: Cluster, steps) => {
      fc.pre(cluster.policies.length > 0);
      // the events first, so every index is compiled with every ipBlock boundary any of them brings,
      // as the watch keeps them (it compiles again with the new cuts before a diff when one is new)
      let policies = [...cluster.policies];
      const events: { before: NetworkPolicy | null; after: NetworkPolicy | null; materialize: boolean }[] = [];
      for (const [pick, e, rule, materialize] of steps) {
        if (policies.length === 0) break;
        const ev = event(policies, pick, e, rule);
        events.push({ ...ev, materialize });
        policies = [...policies.filter((p) => p !== ev.before), ...(ev.after === null ? [] : [ev.after])];
      }
      const cuts = new Map<string, Cidr>();
      const seen = (ps: readonly NetworkPolicy[]) => {
        for (const c of policyCidrs({ ...cluster, policies: [...ps] })) cuts.set(cidrKey(c), c);
      };
      seen(cluster.policies);
      for (const ev of events) if (ev.after !== null) seen([ev.after]);
      const options = { extraCidrs: [...cuts.values()] };

      let current: Cluster = cluster;
      let index = compile(cluster, options);
      for (const ev of events) {
        if (ev.materialize) index.materialize(); // rows computed before the event must not hide a change
        const update = replacePolicy(index, ev.before, ev.after);
        const next: Cluster = { ...current, policies: [...current.policies.filter((p) => p !== ev.before), ...(ev.after === null ? [] : [ev.after])] };
        const full = diffIndexes({ before: compile(current, options), after: compile(next, options) });
        expect(lines(diffUpdate(index, update))).toEqual(lines(full));
        index = update.index;
        current = next;
        // and the updated index (rows kept, recomputed or patched, some lazily from earlier indexes) answers as a fresh compile
        expect(lines(diffIndexes({ before: index, after: compile(current, options) }))).toEqual([]);
      }
    }),
    { numRuns },
  );
}

describe('diffUpdate after a sequence of policy events equals the diff of full recomputes', () => {
  test('small clusters', () => sequenceProperty(clusterArb, 200));
  test('clusters of 40-90 endpoints (sources past one word, replicas, open rules)', () => sequenceProperty(wideClusterArb, 25));

  test('an update that changes ingress isolation patches the other rows in the changed columns: its diff is the full one', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), (cluster: Cluster, pick) => {
        fc.pre(cluster.policies.length > 0);
        const before = cluster.policies[pick % cluster.policies.length]!;
        const after = { ...before, isolatesIngress: !before.isolatesIngress };
        const index = compile(cluster);
        const update = replacePolicy(index, before, after);
        const next = { ...cluster, policies: [...cluster.policies.filter((p) => p !== before), after] };
        if (update.incremental) {
          // the changed columns are exactly the destinations whose ingress isolation flipped
          const flipped = update.ingressChanged ?? new Uint32Array(index.compiled.ingressIsolated.length);
          const xor = index.compiled.ingressIsolated.map((w, k) => (w ^ update.index.compiled.ingressIsolated[k]!) >>> 0);
          expect([...flipped]).toEqual([...xor]);
        }
        expect(lines(diffUpdate(index, update))).toEqual(
          lines(diffIndexes({ before: compile(cluster, { extraCidrs: policyCidrs(next) }), after: compile(next, { extraCidrs: policyCidrs(cluster) }) })),
        );
      }),
      { numRuns: 50 },
    );
  });
});
