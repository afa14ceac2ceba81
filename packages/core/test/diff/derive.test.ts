/**
 * diffPair (diff/derive.ts): which pairs of clusters take the derived path (the after side made from
 * the before side's index by replacing the changed NetworkPolicies) and which compile both sides, and
 * that both give diffIndexes(compilePair(...))'s entries. The answers themselves are checked on random
 * manifests by test/properties/diff-derived.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { compilePair, diffIndexes, diffPair, type ReachabilityDiff } from '../../src/diff/index.js';
import { loadCluster } from '../../src/pipeline/load-cluster.js';
import type { Cluster } from '../../src/model/types.js';

const NS = `apiVersion: v1
kind: Namespace
metadata: {name: shop}
`;
const pod = (name: string, labels: string, ip: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: shop, labels: {${labels}}}
spec: {containers: [{name: main, image: app:1, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: ${ip}}
`;
const PODS = [pod('web', 'app: web', '10.0.0.1'), pod('db', 'app: db', '10.0.0.2')];
const policy = (name: string, from: string, ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress]
  ingress: [{from: [${from}], ports: [${ports}]}]
`;
const WEB_80 = policy('db-in', '{podSelector: {matchLabels: {app: web}}}', '{port: 80}');

function load(name: string, ...docs: string[]): Cluster {
  const r = loadCluster([{ name, text: docs.join('---\n') }]);
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.cluster;
}

function lines(d: ReachabilityDiff): string[] {
  return [
    ...d.added.map((e) => `added ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.removed.map((e) => `removed ${e.src} => ${e.dst} : ${e.conn.toString()}`),
    ...d.changed.map((e) => `changed ${e.src} => ${e.dst} : ${e.before.toString()} -> ${e.after.toString()}`),
  ];
}

/** diffPair's path, after checking its entries against two full compiles. */
function path(before: Cluster, after: Cluster): string | null {
  const r = diffPair(before, after);
  expect(lines(r.diff)).toEqual(lines(diffIndexes(compilePair(before, after))));
  return r.fullReason;
}

describe('diffPair: the after side is derived when only NetworkPolicies differ', () => {
  test('a port added to a rule: derived (the new port is cut on the before side too), with the change', () => {
    const a = load('a.yaml', NS, ...PODS, WEB_80);
    const b = load(
      'b.yaml',
      '# another file, other lines\n',
      NS,
      ...PODS,
      policy('db-in', '{podSelector: {matchLabels: {app: web}}}', '{port: 80}, {port: 5432}'),
    );
    expect(path(a, b)).toBeNull();
    expect(lines(diffPair(a, b).diff)).toEqual(['changed shop/web[Pod] => shop/db[Pod] : TCP 80 -> TCP 80,5432']);
  });

  test('policies added and removed, an ipBlock and a named port new to the input: derived', () => {
    const a = load('a.yaml', NS, ...PODS, WEB_80);
    const b = load('b.yaml', NS, ...PODS, policy('web-in', '{ipBlock: {cidr: 192.0.2.0/24}}', '{port: http}'));
    expect(path(a, b)).toBeNull();
  });

  test('a container image changed beside a policy: derived (no answer reads images)', () => {
    const a = load('a.yaml', NS, ...PODS, WEB_80);
    const b = load('b.yaml', NS, PODS[0]!.replace('app:1', 'app:2'), PODS[1]!);
    expect(path(a, b)).toBeNull();
  });

  test('a label of a pod changed: both sides compiled (endpoints make the classes)', () => {
    const a = load('a.yaml', NS, ...PODS, WEB_80);
    const b = load('b.yaml', NS, pod('web', 'app: web, tier: front', '10.0.0.1'), PODS[1]!, WEB_80);
    expect(path(a, b)).toBe('endpoints differ');
  });

  test('a policy selecting on a label key no selector of the before side observes: both sides compiled', () => {
    const a = load('a.yaml', NS, pod('web', 'app: web, tier: front', '10.0.0.1'), PODS[1]!, WEB_80);
    const b = load(
      'b.yaml',
      NS,
      pod('web', 'app: web, tier: front', '10.0.0.1'),
      PODS[1]!,
      policy('db-in', '{podSelector: {matchLabels: {tier: front}}}', '{port: 80}'),
    );
    expect(path(a, b)).toMatch(/^label key tier is not observed/);
  });

  test('any Calico object in the input: both sides compiled (Calico and staged policies compile with NetworkPolicies)', () => {
    const set = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: partners, labels: {role: partner}}
spec: {nets: [198.51.100.0/24]}
`;
    const a = load('a.yaml', NS, ...PODS, set);
    const b = load('b.yaml', NS, ...PODS, set, WEB_80);
    expect(path(a, b)).toBe('Calico objects compile together with NetworkPolicies');
  });

  test('derive false compiles both sides whatever the change', () => {
    const a = load('a.yaml', NS, ...PODS, WEB_80);
    expect(diffPair(a, load('b.yaml', NS, ...PODS), {}, false).fullReason).toBe('asked to compile both sides');
  });
});
