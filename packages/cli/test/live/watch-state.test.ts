/**
 * The watch's state against a full recompute: after every event of a random sequence (policies
 * deleted, created again and stripped of a rule, pods relabelled and deleted, namespace labels
 * added, changed and removed) applied as `kubereach watch` applies them, the change it reports is the
 * diff of two fresh loads and compiles of the objects before and after, its findings are a fresh
 * audit's, and its index answers as a fresh compile of its objects does.
 *
 * The events bring no ipBlock boundary the cluster does not already have, so the watch's cuts (a
 * union that only grows) are the fresh compiles' cuts and external ranges have the same ids.
 */
import fc from 'fast-check';
import { describe, expect, test, vi } from 'vitest';
import { auditNetwork, compile, diffIndexes, loadCluster, policyCidrs, sortFindings, type Finding, type ReachabilityDiff } from '@kubereach/core';
import { generateCluster } from '../../../../benchmarks/generate.js';
import { WatchState, type ObjectChange } from '../../src/input/live/state.js';
import { listText, type KubeObject, type ServedResource } from '../../src/input/live/list.js';
import { LIVE_RESOURCES } from '../../src/input/live/resources.js';
import { configFindings } from '../../src/commands/audit-config.js';

vi.setConfig({ testTimeout: 300_000 });

const served: ServedResource[] = LIVE_RESOURCES.map((spec) => ({
  spec,
  apiVersion: spec.group === '' ? spec.versions[0]! : `${spec.group}/${spec.versions[0]!}`,
}));
const resourceOf = (o: KubeObject): ServedResource => served.find((r) => r.apiVersion === o['apiVersion'] && r.spec.kind === o['kind'])!;

type Meta = { name: string; namespace?: string; labels?: Record<string, string>; resourceVersion?: string };
const meta = (o: KubeObject) => o['metadata'] as Meta;

function lines(d: ReachabilityDiff): string[] {
  return [
    ...d.added.map((e) => `added ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.removed.map((e) => `removed ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.changed.map((e) => `changed ${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
  ];
}

// what the watch prints of a finding (its evidence is never printed: when an event changes no answer
// the findings held are kept, evidence and all; the incremental index's rule provenance is checked by
// test/properties/incremental.test.ts)
const findingText = (fs: readonly Finding[]) => fs.map((f) => `${f.severity} ${f.id} ${f.subject}: ${f.message}`);

type Ev =
  | { kind: 'policy-delete' | 'policy-create' | 'policy-drop-rule' | 'pod-relabel' | 'pod-delete'; pick: number; value: number }
  | { kind: 'ns-label-add' | 'ns-label-change' | 'ns-label-remove'; pick: number; value: number };

const evArb: fc.Arbitrary<Ev> = fc.record({
  kind: fc.constantFrom(
    'policy-delete',
    'policy-create',
    'policy-drop-rule',
    'pod-relabel',
    'pod-delete',
    'ns-label-add',
    'ns-label-change',
    'ns-label-remove',
  ),
  pick: fc.nat(),
  value: fc.nat({ max: 3 }),
}) as fc.Arbitrary<Ev>;

/** The server's objects, in the order the state holds them (fails on any object one side lacks). */
function sortedLike(held: readonly KubeObject[], live: ReadonlyMap<string, KubeObject>): KubeObject[] {
  const keyOf = (o: KubeObject) => `${o['kind']}/${meta(o).namespace ?? ''}/${meta(o).name}`;
  expect(held.map(keyOf).sort()).toEqual([...live.keys()].sort());
  return held.map((o) => live.get(keyOf(o))!);
}

describe('the watch state equals a full recompute after every event', () => {
  const base = generateCluster({ pods: 120, policies: 24, seed: 5 }) as unknown as KubeObject[];
  const cuts = policyCidrs(loadCluster([{ name: 'c', text: listText(base) }], { ignoreInvalid: true }).cluster);

  test('random sequences of policy, pod and namespace events', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(evArb, { minLength: 1, maxLength: 5 }), async (events) => {
        const live = new Map<string, KubeObject>(base.map((o) => [`${o['kind']}/${meta(o).namespace ?? ''}/${meta(o).name}`, o]));
        const deleted: KubeObject[] = [];
        const state = new WatchState(served, { ipblockPods: 'match', defaultNamespace: 'default', targets: {}, kubeconfigs: [], warn: () => {} });
        await state.init([...live.values()]);
        let rv = 1000;
        for (const ev of events) {
          const of = (kind: string) => [...live.values()].filter((o) => o['kind'] === kind);
          const pickOf = <T>(xs: readonly T[]) => (xs.length === 0 ? undefined : xs[ev.pick % xs.length]);
          let change: ObjectChange | null = null;
          const stamp = (o: KubeObject): KubeObject => ({ ...o, metadata: { ...meta(o), resourceVersion: String(++rv) } });
          switch (ev.kind) {
            case 'policy-delete':
            case 'pod-delete': {
              const o = pickOf(of(ev.kind === 'pod-delete' ? 'Pod' : 'NetworkPolicy'));
              if (o === undefined) break;
              if (ev.kind === 'policy-delete') deleted.push(o);
              change = { type: 'DELETED', resource: resourceOf(o), object: o };
              break;
            }
            case 'policy-create': {
              const o = pickOf(deleted);
              if (o === undefined) break;
              deleted.splice(deleted.indexOf(o), 1);
              change = { type: 'ADDED', resource: resourceOf(o), object: stamp(o) };
              break;
            }
            case 'policy-drop-rule': {
              const o = pickOf(of('NetworkPolicy'));
              if (o === undefined) break;
              const spec = o['spec'] as { ingress?: unknown[]; egress?: unknown[] };
              change = {
                type: 'MODIFIED',
                resource: resourceOf(o),
                object: stamp({
                  ...o,
                  spec: { ...spec, ...(spec.ingress ? { ingress: spec.ingress.slice(1) } : {}), ...(spec.egress ? { egress: spec.egress.slice(1) } : {}) },
                }),
              };
              break;
            }
            case 'pod-relabel': {
              const o = pickOf(of('Pod'));
              if (o === undefined) break;
              const labels = { ...meta(o).labels, app: ['web', 'db', 'api', 'moved'][ev.value]! };
              change = { type: 'MODIFIED', resource: resourceOf(o), object: stamp({ ...o, metadata: { ...meta(o), labels } }) };
              break;
            }
            default: {
              const o = pickOf(of('Namespace'));
              if (o === undefined) break;
              const labels = { ...meta(o).labels };
              if (ev.kind === 'ns-label-remove') {
                for (const k of Object.keys(labels)) if (k !== 'kubernetes.io/metadata.name') delete labels[k];
              } else {
                labels[ev.kind === 'ns-label-add' ? `team-${ev.value}` : (Object.keys(labels).find((k) => k !== 'kubernetes.io/metadata.name') ?? 'team')] =
                  `v${ev.value}`;
              }
              change = { type: 'MODIFIED', resource: resourceOf(o), object: stamp({ ...o, metadata: { ...meta(o), labels } }) };
            }
          }
          if (change === null) continue;
          // fresh loads of the state's own text (so source locations in evidence line up), which
          // holds exactly the objects the server has
          const load = () => loadCluster([{ name: 'cluster', text: state.text() }], { ignoreInvalid: true }).cluster;
          const before = load();
          const key = `${change.object['kind']}/${meta(change.object).namespace ?? ''}/${meta(change.object).name}`;
          if (change.type === 'DELETED') live.delete(key);
          else live.set(key, change.object);
          const got = await state.apply([change]);
          // a namespace relabelled is applied in place (replaceNamespace), never by loading every object again
          if (ev.kind.startsWith('ns-label')) expect(got.incremental).toBe(true);
          const after = load();
          expect(state.text()).toBe(listText(sortedLike(JSON.parse(state.text()).items as KubeObject[], live)));
          const a = compile(before, { ipblockPods: 'match', extraCidrs: cuts });
          const b = compile(after, { ipblockPods: 'match', extraCidrs: cuts });
          expect(lines(got.diff)).toEqual(lines(diffIndexes({ before: a, after: b })));
          expect(findingText(state.findings)).toEqual(findingText(sortFindings([...auditNetwork(b, {}), ...(await configFindings(after, b, []))])));
          // and its index answers every pair as the fresh compile does
          expect(lines(diffIndexes({ before: state.index, after: b }))).toEqual([]);
        }
      }),
      { numRuns: 12 },
    );
  });
});
