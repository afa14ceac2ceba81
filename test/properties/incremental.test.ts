/**
 * Incremental re-evaluation (evaluate/update.ts) must give exactly the index a full compile gives:
 * for generated clusters, edit one policy (add a generated rule, drop a rule, remove the policy, flip
 * its isolation, or add a new one) and compare every ordered pair of entities.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile, replacePolicy, type Cluster, type IndexEntity, type NetworkPolicy } from '../../packages/core/src/index.js';
import { clusterArb, ruleArb, wideClusterArb } from '../reference/arbitraries.js';
import { atomAddresses, ruleLists } from '../reference/rule-lists.js';

type Edit =
  | { kind: 'add-rule'; dir: 'ingress' | 'egress' }
  | { kind: 'drop-rule' }
  | { kind: 'remove' }
  | { kind: 'flip-egress-isolation' }
  | { kind: 'flip-ingress-isolation' };

function edit(p: NetworkPolicy, e: Edit, rule: NetworkPolicy['ingress'][number]): NetworkPolicy | null {
  switch (e.kind) {
    case 'add-rule': {
      const list = [...p[e.dir], { ...rule, index: p[e.dir].length }];
      return { ...p, [e.dir]: list, isolatesEgress: e.dir === 'egress' ? true : p.isolatesEgress };
    }
    case 'drop-rule':
      return { ...p, ingress: p.ingress.slice(1), egress: p.egress.slice(1) };
    case 'remove':
      return null;
    case 'flip-egress-isolation':
      return { ...p, isolatesEgress: !p.isolatesEgress };
    case 'flip-ingress-isolation': // the rows of sources it does not touch are patched in the changed columns
      return { ...p, isolatesIngress: !p.isolatesIngress };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** Same answers for every pair: endpoints by id, addresses by the first address of every atom of either index. */
function assertSame(full: ReturnType<typeof compile>, inc: ReturnType<typeof compile>): void {
  const addresses = atomAddresses(full, inc);
  const refs = (ix: ReturnType<typeof compile>): IndexEntity[] => [
    ...ix.entities.filter((e) => e.kind === 'endpoint'),
    ...addresses.map((a) => ix.addressEntity(a)!),
  ];
  const fa = refs(full);
  const ia = refs(inc);
  const label = (e: IndexEntity) => (e.kind === 'endpoint' ? e.id : e.id);
  for (let i = 0; i < fa.length; i++) {
    for (let j = 0; j < fa.length; j++) {
      const a = full.connectionsBetween(fa[i]!, fa[j]!).toString();
      const b = inc.connectionsBetween(ia[i]!, ia[j]!).toString();
      if (a !== b) expect(`${label(fa[i]!)} -> ${label(fa[j]!)}: incremental ${b}`).toBe(`${label(fa[i]!)} -> ${label(fa[j]!)}: full ${a}`);
    }
  }
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('add-rule' as const), dir: fc.constantFrom('ingress' as const, 'egress' as const) }),
  fc.constant({ kind: 'drop-rule' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'flip-egress-isolation' as const }),
  fc.constant({ kind: 'flip-ingress-isolation' as const }),
);

describe('replacePolicy', () => {
  const editOne = (clusters: fc.Arbitrary<Cluster>, numRuns: number) =>
    fc.assert(
      fc.property(clusters, fc.nat(), editArb, ruleArb, fc.boolean(), (cluster: Cluster, pick, e, rule, materialize) => {
        fc.pre(cluster.policies.length > 0);
        const i = pick % cluster.policies.length;
        const before = cluster.policies[i]!;
        const after = edit(before, e, rule);
        const index = compile(cluster);
        if (materialize) index.materialize(); // rows computed before the edit must not leak stale answers
        const res = replacePolicy(index, before, after);
        const next: Cluster = { ...cluster, policies: [...cluster.policies.filter((p) => p !== before), ...(after ? [after] : [])] };
        assertSame(compile(next), res.index);
      }),
      { numRuns },
    );

  test('equals a full compile after editing one policy', () => editOne(clusterArb, 200));

  // past one word of sources, where blocks open to every source and kept isolation sets are common
  test('equals a full compile after editing one policy, in clusters of 40-90 endpoints', () => editOne(wideClusterArb, 30));

  test('a new policy added to a cluster', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), ruleArb, (cluster: Cluster, pick, rule) => {
        fc.pre(cluster.policies.length > 0);
        const template = cluster.policies[pick % cluster.policies.length]!;
        const added: NetworkPolicy = { ...template, name: `${template.name}-new`, ingress: [{ ...rule, index: 0 }], egress: [] };
        const index = compile(cluster);
        index.materialize();
        const res = replacePolicy(index, null, added);
        assertSame(compile({ ...cluster, policies: [...cluster.policies, added] }), res.index);
      }),
      { numRuns: 100 },
    );
  });

  test('a sequence of edits where every policy has a twin (same peers and ports: merged evaluation blocks)', () => {
    fc.assert(
      fc.property(clusterArb, fc.array(fc.tuple(fc.nat(), editArb, ruleArb), { minLength: 1, maxLength: 4 }), (cluster: Cluster, edits) => {
        fc.pre(cluster.policies.length > 0);
        // each policy and its twin compile to blocks with equal sources and ports: they are evaluated
        // as one block, and editing one of the two must split them apart again
        let policies = cluster.policies.flatMap((p) => [p, { ...p, name: `${p.name}-twin` }]);
        let index = compile({ ...cluster, policies });
        for (const [pick, e, rule] of edits) {
          if (policies.length === 0) break;
          index.materialize();
          const before = policies[pick % policies.length]!;
          const after = edit(before, e, rule);
          index = replacePolicy(index, before, after).index;
          policies = [...policies.filter((p) => p !== before), ...(after ? [after] : [])];
        }
        const full = compile({ ...cluster, policies });
        assertSame(full, index);
        // explanations list the compiled rules, twins apart, whatever was merged for evaluation
        const addresses = atomAddresses(full, index);
        expect(ruleLists(index, addresses)).toEqual(ruleLists(full, addresses));
      }),
      { numRuns: 150 },
    );
  });

  test('two edits made from one index are independent of each other', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), fc.tuple(editArb, ruleArb), fc.tuple(editArb, ruleArb), (cluster: Cluster, pick, [e1, r1], [e2, r2]) => {
        fc.pre(cluster.policies.length > 0);
        const before = cluster.policies[pick % cluster.policies.length]!;
        const index = compile(cluster);
        index.materialize();
        // both made before either is asked anything: no group, id or cached result may be shared wrongly
        const branches = [edit(before, e1, r1), edit(before, e2, r2)].map((after) => ({ after, index: replacePolicy(index, before, after).index }));
        for (const { after, index: ix } of branches) {
          assertSame(compile({ ...cluster, policies: [...cluster.policies.filter((p) => p !== before), ...(after ? [after] : [])] }), ix);
        }
      }),
      { numRuns: 100 },
    );
  });

  test('an edit that needs no new atom is incremental and touches only the rows it can', () => {
    fc.assert(
      fc.property(clusterArb, fc.nat(), (cluster: Cluster, pick) => {
        fc.pre(cluster.policies.length > 0);
        const before = cluster.policies[pick % cluster.policies.length]!;
        fc.pre(before.ingress.length > 0 && before.isolatesIngress);
        const after = { ...before, ingress: before.ingress.slice(1) }; // drop a rule: subjects and isolation unchanged
        const index = compile(cluster);
        const res = replacePolicy(index, before, after);
        expect(res.incremental).toBe(true);
        expect(res.touchedSources).toBeLessThanOrEqual(index.compiled.u.size);
      }),
      { numRuns: 100 },
    );
  });
});
