/**
 * diffUpdate (diff/update-diff.ts), the diff `kubereach watch` prints after a policy event, compares
 * only the rows an incremental update touched. After every event of a random sequence of policy
 * edits, namespace relabels and endpoint relabels, applied one after another to one index as the watch applies them, its entries must be
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
  replaceEndpoint,
  replaceNamespace,
  replacePolicy,
  type Cidr,
  type Cluster,
  type Labels,
  type NetworkPolicy,
  type ReachabilityDiff,
  type UpdateResult,
} from '../../packages/core/src/index.js';
import { clusterArb, namespaceLabelsArb, podLabelsArb, ruleArb, wideClusterArb } from '../reference/arbitraries.js';

type Edit =
  | { kind: 'add-rule'; dir: 'ingress' | 'egress' }
  | { kind: 'drop-rule' }
  | { kind: 'remove' }
  | { kind: 'flip-egress-isolation' }
  | { kind: 'flip-ingress-isolation' }
  | { kind: 'copy' }
  | { kind: 'ns-relabel'; labels: Labels }
  | { kind: 'pod-relabel'; labels: Labels; keep: boolean; like: number | null };

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('add-rule' as const), dir: fc.constantFrom('ingress' as const, 'egress' as const) }),
  fc.constant({ kind: 'drop-rule' as const }),
  fc.constant({ kind: 'remove' as const }),
  fc.constant({ kind: 'flip-egress-isolation' as const }),
  fc.constant({ kind: 'flip-ingress-isolation' as const }),
  fc.constant({ kind: 'copy' as const }),
  fc.record({ kind: fc.constant('ns-relabel' as const), labels: namespaceLabelsArb }),
  // keep: the new labels join the old ones (only the keys drawn change); else they replace them
  // like: the labels of another endpoint of its namespace (it joins that one's class, or its class takes them)
  fc.record({ kind: fc.constant('pod-relabel' as const), labels: podLabelsArb, keep: fc.boolean(), like: fc.option(fc.nat(), { nil: null }) }),
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
    case 'ns-relabel':
    case 'pod-relabel':
      throw new Error('not a policy event');
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

/** Every endpoint twice more, without addresses: two endpoints no selector tells apart share a class. */
function withTwins(c: Cluster): Cluster {
  const twin = (e: Cluster['endpoints'][number], k: number) => ({ ...e, id: `${e.namespace}/${e.name}-t${k}[${e.kind}]`, name: `${e.name}-t${k}`, ips: [] });
  return { ...c, endpoints: [...c.endpoints, ...c.endpoints.map((e) => twin(e, 1)), ...c.endpoints.map((e) => twin(e, 2))] };
}

function sequenceProperty(clusters: fc.Arbitrary<Cluster>, numRuns: number): void {
  fc.assert(
    fc.property(clusters, fc.array(fc.tuple(fc.nat(), editArb, ruleArb, fc.boolean()), { minLength: 1, maxLength: 6 }), (cluster: Cluster, steps) => {
      fc.pre(cluster.policies.length > 0);
      // the events first, so every index is compiled with every ipBlock boundary any of them brings,
      // as the watch keeps them (it compiles again with the new cuts before a diff when one is new)
      let policies = [...cluster.policies];
      type Step =
        | { kind: 'policy'; before: NetworkPolicy | null; after: NetworkPolicy | null; materialize: boolean }
        | { kind: 'namespace'; name: string; labels: Labels; materialize: boolean }
        | { kind: 'endpoint'; pick: number; labels: Labels; keep: boolean; like: number | null; materialize: boolean };
      const events: Step[] = [];
      for (const [pick, e, rule, materialize] of steps) {
        if (e.kind === 'ns-relabel') {
          events.push({ kind: 'namespace', name: cluster.namespaces[pick % cluster.namespaces.length]!.name, labels: e.labels, materialize });
          continue;
        }
        if (e.kind === 'pod-relabel') {
          events.push({ kind: 'endpoint', pick, labels: e.labels, keep: e.keep, like: e.like, materialize });
          continue;
        }
        if (policies.length === 0) break;
        const ev = event(policies, pick, e, rule);
        events.push({ kind: 'policy', ...ev, materialize });
        policies = [...policies.filter((p) => p !== ev.before), ...(ev.after === null ? [] : [ev.after])];
      }
      const cuts = new Map<string, Cidr>();
      const seen = (ps: readonly NetworkPolicy[]) => {
        for (const c of policyCidrs({ ...cluster, policies: [...ps] })) cuts.set(cidrKey(c), c);
      };
      seen(cluster.policies);
      for (const ev of events) if (ev.kind === 'policy' && ev.after !== null) seen([ev.after]);
      const options = { extraCidrs: [...cuts.values()] };

      let current: Cluster = cluster;
      let index = compile(cluster, options);
      for (const ev of events) {
        if (ev.materialize) index.materialize(); // rows computed before the event must not hide a change
        let update: UpdateResult;
        let next: Cluster;
        if (ev.kind === 'policy') {
          update = replacePolicy(index, ev.before, ev.after);
          next = { ...current, policies: [...current.policies.filter((p) => p !== ev.before), ...(ev.after === null ? [] : [ev.after])] };
        } else if (ev.kind === 'endpoint') {
          const before = current.endpoints[ev.pick % current.endpoints.length]!;
          const peers = current.endpoints.filter((x) => x.namespace === before.namespace);
          const labels = ev.like !== null ? peers[ev.like % peers.length]!.labels : ev.keep ? { ...before.labels, ...ev.labels } : ev.labels;
          const after = { ...before, labels };
          update = replaceEndpoint(index, before, after);
          // no workload is listed pod by pod here, and only labels change: never a full compile
          // unless the endpoint needs a class of its own that its old one cannot become
          if (!update.incremental) expect(update.reason).toMatch(/new endpoint class/);
          next = { ...current, endpoints: current.endpoints.map((x) => (x === before ? after : x)) };
        } else {
          const before = current.namespaces.find((n) => n.name === ev.name)!;
          const after = { ...before, labels: { ...ev.labels, 'kubernetes.io/metadata.name': ev.name } };
          update = replaceNamespace(index, before, after);
          expect(update.incremental).toBe(true); // no admin, Cilium or Calico policy here: never a full compile
          next = { ...current, namespaces: current.namespaces.map((n) => (n === before ? after : n)) };
        }
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

describe('diffUpdate after a sequence of policy, namespace and pod events equals the diff of full recomputes', () => {
  test('small clusters', () => sequenceProperty(clusterArb, 200));
  test('clusters of 40-90 endpoints (sources past one word, replicas, open rules)', () => sequenceProperty(wideClusterArb, 25));
  test('clusters whose endpoints come in twins of unknown address (a relabel moves one into an existing class)', () =>
    sequenceProperty(clusterArb.map(withTwins), 100));

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
