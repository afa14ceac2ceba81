/**
 * `kubereach diff` derives the after side from the before side's index when only NetworkPolicies
 * differ (core diff/derive.ts), and compiles both sides otherwise. Differential property: on random
 * pairs of manifests, every output (text, json, md, html; with and without --explain, with
 * --fail-on-new; the exit code and stderr too) is byte for byte the one of the same command with the
 * derived path switched off (both sides compiled in full, the path before the shortcut existed),
 * workload by workload and pod by pod (--endpoints pods).
 *
 * The pairs: a random cluster (test/reference/arbitraries.ts) rendered as manifests, and the same
 * cluster after 1-3 random edits, rendered again with its objects at other lines (leading comments,
 * policies in another order, JSON on one side and YAML on the other). Edits of policies only (rules
 * added or dropped, policies added, removed or copied, isolation flipped, a podSelector replaced)
 * and of container images (which no answer reads) must take the derived path unless a changed
 * policy observes a label key no selector of the before side does; edits of endpoints, namespaces or
 * unmodelled objects must take the full one. Some clusters carry a ClusterNetworkPolicy (the admin tier beside the replaced
 * NetworkPolicies).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { afterAll, describe, expect, test, vi } from 'vitest';
import type { Cluster, Endpoint, LabelSelector, NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from '../../packages/core/src/model/types.js';
import { memoryIO, run } from '../../packages/cli/src/index.js';
import { clusterArb, ruleArb, wideClusterArb } from '../reference/arbitraries.js';
import { describeCluster } from '../reference/describe.js';

const RUNS = 40;

/** The test's switch for the CLI's diffPair, and the reason each call compiled both sides (null: derived). */
const probe = vi.hoisted(() => ({ full: false, reasons: [] as (string | null)[] }));

vi.mock('@kubereach/core', async (importOriginal) => {
  const core = await importOriginal<typeof import('@kubereach/core')>();
  return {
    ...core,
    diffPair: (...[a, b, options, derive]: Parameters<typeof core.diffPair>) => {
      const r = core.diffPair(a, b, options, (derive ?? true) && !probe.full);
      probe.reasons.push(r.fullReason);
      return r;
    },
  };
});

// ---------------------------------------------------------------------------------------------
// model -> manifests

type Json = Record<string, unknown>;

function selectorJson(s: LabelSelector): Json {
  const out: Json = {};
  if (Object.keys(s.matchLabels).length > 0) out['matchLabels'] = s.matchLabels;
  if (s.matchExpressions.length > 0) {
    out['matchExpressions'] = s.matchExpressions.map((e) =>
      e.operator === 'Exists' || e.operator === 'DoesNotExist' ? { key: e.key, operator: e.operator } : { key: e.key, operator: e.operator, values: e.values },
    );
  }
  return out;
}

function peerJson(p: PolicyPeer): Json {
  if (p.kind === 'ipBlock') return { ipBlock: p.except.length > 0 ? { cidr: p.cidr.text, except: p.except.map((e) => e.text) } : { cidr: p.cidr.text } };
  const out: Json = {};
  if (p.podSelector !== null) out['podSelector'] = selectorJson(p.podSelector);
  if (p.namespaceSelector !== null) out['namespaceSelector'] = selectorJson(p.namespaceSelector);
  return out;
}

function portJson(p: PolicyPort): Json {
  const out: Json = { protocol: p.protocol };
  if (p.port !== null) out['port'] = p.port;
  if (p.endPort !== null) out['endPort'] = p.endPort;
  return out;
}

function ruleJson(r: PolicyRule, peers: 'from' | 'to'): Json {
  const out: Json = {};
  if (r.peers !== null) out[peers] = r.peers.map(peerJson);
  if (r.ports !== null) out['ports'] = r.ports.map(portJson);
  return out;
}

function policyJson(p: NetworkPolicy): Json {
  const types = [...(p.isolatesIngress ? ['Ingress'] : []), ...(p.isolatesEgress ? ['Egress'] : [])];
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: p.name, namespace: p.namespace },
    spec: {
      podSelector: selectorJson(p.podSelector),
      policyTypes: types,
      ingress: p.ingress.map((r) => ruleJson(r, 'from')),
      egress: p.egress.map((r) => ruleJson(r, 'to')),
    },
  };
}

function endpointJson(e: Endpoint, image: string): Json {
  const container = {
    name: 'main',
    image,
    ports: e.ports.map((p) =>
      p.name === '' ? { containerPort: p.port, protocol: p.protocol } : { name: p.name, containerPort: p.port, protocol: p.protocol },
    ),
  };
  const metadata = { name: e.name, namespace: e.namespace };
  if (e.kind === 'Pod') {
    const status = e.ips.length === 0 ? {} : { podIP: e.ips[0], podIPs: e.ips.map((ip) => ({ ip })) };
    return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, labels: e.labels }, spec: { containers: [container] }, status };
  }
  const match = Object.keys(e.labels).length > 0 ? e.labels : { workload: e.name };
  const spec: Json = { selector: { matchLabels: match }, template: { metadata: { labels: { ...e.labels, ...match } }, spec: { containers: [container] } } };
  if (e.replicas !== null) spec['replicas'] = e.replicas;
  if (e.kind === 'StatefulSet') spec['serviceName'] = e.name;
  return { apiVersion: 'apps/v1', kind: e.kind, metadata, spec };
}

interface Side {
  readonly cluster: Cluster;
  /** Container image per endpoint id (what the `image` edit changes; no answer reads it). */
  readonly images: ReadonlyMap<string, string>;
  /** A ClusterNetworkPolicy of the admin tier, the same on both sides, or none. */
  readonly admin: Json | null;
  /** Unmodelled objects (a ConfigMap). */
  readonly extra: readonly Json[];
}

/** The side's objects as one file: a JSON List, or YAML documents after `pad` comment lines. */
function render(side: Side, format: 'json' | 'yaml', pad: number, reversePolicies: boolean): string {
  const c = side.cluster;
  const policies = reversePolicies ? [...c.policies].reverse() : c.policies;
  const objects: Json[] = [
    ...c.namespaces.map((n) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: n.name, labels: n.labels } })),
    ...c.endpoints.map((e) => endpointJson(e, side.images.get(e.id) ?? 'registry.example/app:1')),
    ...(side.admin === null ? [] : [side.admin]),
    ...side.extra,
    ...policies.map(policyJson),
  ];
  if (format === 'json') return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
  return `${'# padding\n'.repeat(pad)}${objects.map((o) => stringify(o)).join('---\n')}`;
}

// ---------------------------------------------------------------------------------------------
// edits

type Edit =
  | { kind: 'add-rule'; pick: number; dir: 'ingress' | 'egress'; rule: PolicyRule }
  | { kind: 'drop-rule'; pick: number }
  | { kind: 'remove-policy'; pick: number }
  | { kind: 'copy-policy'; pick: number }
  | { kind: 'flip'; pick: number; dir: 'ingress' | 'egress' }
  | { kind: 'selector'; pick: number; from: number }
  | { kind: 'image'; pick: number }
  | { kind: 'relabel'; pick: number }
  | { kind: 'namespace-label'; pick: number }
  | { kind: 'remove-endpoint'; pick: number }
  | { kind: 'configmap' };

const pickArb = fc.nat(50);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('add-rule' as const), pick: pickArb, dir: fc.constantFrom('ingress' as const, 'egress' as const), rule: ruleArb }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('drop-rule' as const), pick: pickArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('remove-policy' as const), pick: pickArb }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('copy-policy' as const), pick: pickArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('flip' as const), pick: pickArb, dir: fc.constantFrom('ingress' as const, 'egress' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('selector' as const), pick: pickArb, from: pickArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('image' as const), pick: pickArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('relabel' as const), pick: pickArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('namespace-label' as const), pick: pickArb }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('remove-endpoint' as const), pick: pickArb }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'configmap' as const }), weight: 1 },
);

function reindex(rules: readonly PolicyRule[]): PolicyRule[] {
  return rules.map((r, index) => ({ ...r, index }));
}

function applyEdit(side: Side, e: Edit): Side {
  const c = side.cluster;
  const ps = c.policies;
  const at = <T>(list: readonly T[], i: number): number => (list.length === 0 ? -1 : i % list.length);
  const withPolicy = (i: number, f: (p: NetworkPolicy) => NetworkPolicy | null): Side => {
    if (i < 0) return side;
    const next = f(ps[i]!);
    const policies = next === null ? ps.filter((_, k) => k !== i) : ps.map((p, k) => (k === i ? next : p));
    return { ...side, cluster: { ...c, policies } };
  };
  switch (e.kind) {
    case 'add-rule':
      return withPolicy(at(ps, e.pick), (p) => ({ ...p, [e.dir]: reindex([...p[e.dir], e.rule]) }));
    case 'drop-rule':
      return withPolicy(at(ps, e.pick), (p) => ({ ...p, ingress: reindex(p.ingress.slice(1)), egress: reindex(p.egress.slice(1)) }));
    case 'remove-policy':
      return withPolicy(at(ps, e.pick), () => null);
    case 'copy-policy': {
      const i = at(ps, e.pick);
      if (i < 0) return side;
      return { ...side, cluster: { ...c, policies: [...ps, { ...ps[i]!, name: `${ps[i]!.name}-copy${ps.length}` }] } };
    }
    case 'flip':
      // a policy isolates in at least one direction
      return withPolicy(at(ps, e.pick), (p) => {
        const next = e.dir === 'ingress' ? { ...p, isolatesIngress: !p.isolatesIngress } : { ...p, isolatesEgress: !p.isolatesEgress };
        return next.isolatesIngress || next.isolatesEgress ? next : p;
      });
    case 'selector': {
      const from = at(ps, e.from);
      return withPolicy(at(ps, e.pick), (p) => ({ ...p, podSelector: ps[from]!.podSelector }));
    }
    case 'image': {
      const i = at(c.endpoints, e.pick);
      return { ...side, images: new Map([...side.images, [c.endpoints[i]!.id, `registry.example/app:${e.pick + 2}`]]) };
    }
    case 'relabel': {
      const i = at(c.endpoints, e.pick);
      const endpoints = c.endpoints.map((x, k) => (k === i ? { ...x, labels: { ...x.labels, app: x.labels['app'] === 'a' ? 'b' : 'a' } } : x));
      return { ...side, cluster: { ...c, endpoints } };
    }
    case 'namespace-label': {
      const i = at(c.namespaces, e.pick);
      const namespaces = c.namespaces.map((n, k) => (k === i ? { ...n, labels: { ...n.labels, team: n.labels['team'] === 'x' ? 'y' : 'x' } } : n));
      return { ...side, cluster: { ...c, namespaces } };
    }
    case 'remove-endpoint': {
      const i = at(c.endpoints, e.pick);
      return c.endpoints.length < 2 ? side : { ...side, cluster: { ...c, endpoints: c.endpoints.filter((_, k) => k !== i) } };
    }
    case 'configmap':
      return {
        ...side,
        extra: [...side.extra, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: c.namespaces[0]!.name }, data: { k: 'v' } }],
      };
    default: {
      const never: never = e;
      return never;
    }
  }
}

/** A ClusterNetworkPolicy of the admin tier: namespaces by team, ingress from namespaces by stage. */
const adminArb: fc.Arbitrary<Json | null> = fc.option(
  fc
    .record({
      team: fc.constantFrom('x', 'y'),
      stage: fc.constantFrom('x', 'y'),
      action: fc.constantFrom('Accept', 'Deny', 'Pass'),
      port: fc.option(fc.constantFrom(80, 443, 8080), { nil: null }),
    })
    .map(({ team, stage, action, port }) => ({
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: 'admin-gate' },
      spec: {
        tier: 'Admin',
        priority: 5,
        subject: { namespaces: { matchLabels: { team } } },
        ingress: [
          {
            name: 'gate',
            action,
            from: [{ namespaces: { matchLabels: { stage } } }],
            ...(port === null ? {} : { protocols: [{ tcp: { destinationPort: { number: port } } }] }),
          },
        ],
      },
    })),
  { nil: null, freq: 3 },
);

const caseArb = fc.record({
  // now and then past one 32-bit word of sources (the touched sources are bitsets)
  cluster: fc.oneof({ arbitrary: clusterArb, weight: 5 }, { arbitrary: wideClusterArb, weight: 1 }),
  admin: adminArb,
  edits: fc.array(editArb, { minLength: 1, maxLength: 3 }),
  formats: fc.tuple(fc.constantFrom('json' as const, 'yaml' as const), fc.constantFrom('json' as const, 'yaml' as const)),
  pad: fc.nat(3),
  reverse: fc.boolean(),
  ipblockPods: fc.constantFrom(null, 'match', 'ignore'),
  html: fc.nat(3).map((n) => n === 0),
});

// ---------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'kubereach-diff-derived-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function kr(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The command with the derived path allowed, then switched off: the same bytes, and which path was taken. */
async function both(argv: string[]): Promise<{ reason: string | null }> {
  probe.reasons = [];
  probe.full = false;
  const derived = await kr(argv);
  expect(probe.reasons.length, 'diffPair called once').toBe(1);
  const reason = probe.reasons[0]!;
  probe.full = true;
  const full = await kr(argv);
  probe.full = false;
  expect({ argv, ...derived }).toEqual({ argv, ...full });
  expect(derived.code).not.toBe(2);
  return { reason };
}

describe('diff: the after side derived from the before side answers as two full compiles, in every format', () => {
  test('random pairs of manifests differing in policies, and in other objects', async () => {
    let derivedRuns = 0;
    let fallbackRuns = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (k) => {
        const before: Side = { cluster: k.cluster, images: new Map(), admin: k.admin, extra: [] };
        const after = k.edits.reduce(applyEdit, before);
        const a = join(dir, `before.${k.formats[0]}`);
        const b = join(dir, `after.${k.formats[1]}`);
        writeFileSync(a, render(before, k.formats[0], 0, false));
        writeFileSync(b, render(after, k.formats[1], k.pad, k.reverse));
        const flags = k.ipblockPods === null ? [] : ['--ipblock-pods', k.ipblockPods];
        const runs: string[][] = [
          [],
          ['--explain'],
          ['-o', 'json'],
          ['-o', 'json', '--explain'],
          ['-o', 'md', '--explain'],
          ['--fail-on-new', 'sensitive'],
          ['--endpoints', 'pods'],
          ['-o', 'md', '--endpoints', 'pods', '--fail-on-new', 'any'],
        ];
        const reasons: (string | null)[] = [];
        for (const extra of runs) reasons.push((await both(['diff', a, b, ...flags, ...extra])).reason);
        // text, json and md take one path; -o html always compiles both sides
        const [first, ...rest] = reasons;
        for (const r of rest) expect(r).toBe(first);
        if (k.html) expect((await both(['diff', a, b, ...flags, '-o', 'html'])).reason).toBe('asked to compile both sides');
        // an edit of an endpoint, a namespace or another object (two toggles of one label may cancel out)
        const ids = (x: Side) => JSON.stringify([x.cluster.endpoints, x.cluster.namespaces, x.extra]);
        const expected = ids(before) !== ids(after) ? / differ$/ : /^label key .* is not observed/;
        // else derived, unless a changed policy observes a label key no selector of the before side does
        if (first !== null) expect(first, describeCluster(k.cluster)).toMatch(expected);
        if (ids(before) !== ids(after)) expect(first).not.toBeNull();
        if (first === null) derivedRuns++;
        else fallbackRuns++;
      }),
      { numRuns: RUNS },
    );
    // the property is not vacuous: both paths were compared
    expect(derivedRuns).toBeGreaterThan(RUNS / 4);
    expect(fallbackRuns).toBeGreaterThan(0);
  }, 300_000); // some 14 CLI runs per case: about 15 s alone, more beside other suites
});
