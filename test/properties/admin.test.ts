/**
 * The admin tiers on generated clusters (test/reference/admin-arbitraries.ts):
 * - the engine equals the admin reference evaluator (admin-evaluator.ts) on whole connection sets of
 *   sampled pairs, in both ipBlock readings;
 * - an Admin Deny is final: adding NetworkPolicy allow-alls and a Baseline Accept-all never re-allows a
 *   connection an Admin Deny decided, and the explanation still names that Deny;
 * - an Admin Pass with no NetworkPolicy falls to the Baseline tier: with no NetworkPolicies, an Admin
 *   tier made only of Pass rules changes nothing compared with no Admin tier at all;
 * - explanations agree with verdicts: `explainConnection(...).allowed === index.allows(...)`, and each
 *   side's chain is the oracle's chain, step by step.
 * Failures print the shrunk cluster (admin policies included) and the oracle's chains.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, explainConnection, type DirectionVerdict, type Step } from '@kubereach/core';
import type { AdminPolicy } from '../../packages/core/src/model/admin/types.js';
import type { Cluster, NetworkPolicy, Protocol } from '../../packages/core/src/model/types.js';
import { adminDecision, adminReferenceAllowed, type SideDecision } from '../reference/admin-evaluator.js';
import { adminAllRefs, adminClusterWithQueriesArb, adminInterestingPorts } from '../reference/admin-arbitraries.js';
import { chainText, describeAdminCluster } from '../reference/admin-describe.js';
import type { Query } from '../reference/arbitraries.js';
import { cidr, LOC, policy, rule, selector } from '../reference/build.js';
import { refText } from '../reference/describe.js';
import { check, checkPoints, conns, PROTOCOLS } from './support.js';

type Mode = 'match' | 'ignore';
/** KUBEREACH_PROPERTY_RUNS=n multiplies the runs (a longer hunt for rare counterexamples). */
const SCALE = Number(process.env['KUBEREACH_PROPERTY_RUNS'] ?? '1');

/** The engine's chain for one side in the oracle's notation (admin-describe.ts chainText). */
function engineChain(v: DirectionVerdict): string {
  if (!v.applies) return '(no subject)';
  const step = (s: Step): string => {
    switch (s.kind) {
      case 'rule':
        return `[${s.rule.tier} ${s.rule.policy} priority ${s.rule.priority} rule ${s.rule.ruleIndex}] ${s.rule.action}`;
      case 'np-allow':
        return '[NetworkPolicy] Allow';
      case 'np-deny':
        return '[NetworkPolicy] Deny';
      case 'default-allow':
        return 'default Allow';
      case 'loopback':
        return 'loopback';
      default: {
        const _x: never = s;
        return String(_x);
      }
    }
  };
  return v.steps.map(step).join(' -> ');
}

function failure(title: string, cluster: Cluster, q: Query, mode: Mode, lines: readonly string[]): Error {
  const d = adminDecision(cluster, q.src, q.dst, q.protocol, q.port, { ipblockPods: mode });
  return new Error(
    [
      `${title}: ${refText(q.src)} -> ${refText(q.dst)} ${q.protocol}/${q.port} (ipblockPods=${mode})`,
      ...lines,
      `  oracle egress:  ${chainText(d.egress)}`,
      `  oracle ingress: ${chainText(d.ingress)}`,
      describeAdminCluster(cluster),
    ].join('\n'),
  );
}

describe('admin tiers: engine == admin reference evaluator', () => {
  for (const mode of ['match', 'ignore'] as const) {
    it(`agrees on the whole connection set of sampled pairs, ipblockPods=${mode}`, () => {
      check(
        fc.property(adminClusterWithQueriesArb, ({ cluster, queries }) => {
          const index = compile(cluster, { ipblockPods: mode });
          const known = adminInterestingPorts(cluster);
          for (const q of queries) {
            const set = conns(index, q.src, q.dst);
            const diffs: string[] = [];
            for (const protocol of PROTOCOLS) {
              for (const port of checkPoints(known, set, protocol, q.protocol === protocol ? q.port : 1)) {
                const engine = set.contains(protocol, port);
                if (engine !== adminReferenceAllowed(cluster, q.src, q.dst, protocol, port, { ipblockPods: mode })) {
                  diffs.push(`${protocol}/${port} ${engine ? '!E' : '!R'}`);
                }
              }
            }
            if (diffs.length > 0) {
              const [protocol, port] = diffs[0]!.split(' ')[0]!.split('/') as [Protocol, string];
              throw failure('engine and admin reference disagree', cluster, { ...q, protocol, port: Number(port) }, mode, [
                `  engine allows ${set.toString()}`,
                `  differing ports (!E engine only, !R reference only): ${diffs.slice(0, 12).join(', ')}`,
              ]);
            }
          }
        }),
        400 * SCALE,
      );
    });
  }
});

/** An allow-all NetworkPolicy (both directions) for every namespace. */
function allowAllPolicies(cluster: Cluster): NetworkPolicy[] {
  return cluster.namespaces.map((ns) =>
    policy({
      namespace: ns.name,
      name: 'allow-all',
      podSelector: selector(),
      isolatesIngress: true,
      isolatesEgress: true,
      ingress: [rule(null)],
      egress: [rule(null)],
    }),
  );
}

/** A Baseline CNP accepting everything from and to everyone, ahead of every other Baseline policy. */
function baselineAcceptAll(): AdminPolicy {
  const everyone = { kind: 'namespaces' as const, namespaceSelector: selector(), location: LOC };
  const all = (i: number) => ({ index: i, name: '', action: 'Accept' as const, ports: null, location: LOC });
  return {
    tier: 'Baseline',
    name: 'accept-all',
    priority: 0,
    generation: 'v1alpha2',
    sourceKind: 'ClusterNetworkPolicy',
    subject: { kind: 'namespaces', namespaceSelector: selector() },
    ingress: [{ ...all(0), peers: [everyone] }],
    egress: [{ ...all(0), peers: [everyone, { kind: 'networks', cidrs: [cidr('0.0.0.0/0'), cidr('::/0')], location: LOC }] }],
    location: LOC,
  };
}

/** Every ordered pair of the cluster's refs (no loopback, no address to address) at each query's protocol/port. */
function everyPair(cluster: Cluster, at: readonly Query[]): Query[] {
  const refs = adminAllRefs(cluster);
  const out: Query[] = [];
  for (const { protocol, port } of at) {
    for (const src of refs) {
      for (const dst of refs) {
        if (src === dst || (src.kind === 'ip' && dst.kind === 'ip')) continue;
        out.push({ src, dst, protocol, port });
      }
    }
  }
  return out;
}

describe('an Admin Deny is final', () => {
  it('NetworkPolicy allow-alls and a Baseline Accept-all never re-allow what an Admin Deny decided', () => {
    let decided = 0;
    check(
      fc.property(adminClusterWithQueriesArb, fc.boolean(), fc.constantFrom<Mode>('match', 'ignore'), ({ cluster, queries }, withNp, mode) => {
        const after: Cluster = {
          ...cluster,
          policies: withNp ? [...cluster.policies, ...allowAllPolicies(cluster)] : cluster.policies,
          adminPolicies: [
            ...(cluster.adminPolicies ?? []).filter((p) => p.tier === 'Admin'),
            baselineAcceptAll(),
            ...(cluster.adminPolicies ?? []).filter((p) => p.tier === 'Baseline').map((p) => ({ ...p, priority: p.priority + 1 })),
          ],
        };
        const index = compile(after, { ipblockPods: mode });
        for (const q of everyPair(cluster, queries.slice(0, 2))) {
          const before = adminDecision(cluster, q.src, q.dst, q.protocol, q.port, { ipblockPods: mode });
          const deny = (d: SideDecision) => d.steps[0]?.kind === 'rule' && d.steps[0].tier === 'Admin' && d.steps[0].rule.action === 'Deny';
          if (!deny(before.egress) && !deny(before.ingress)) continue;
          decided++;
          const src = index.resolve(refText(q.src));
          const dst = index.resolve(refText(q.dst));
          const verdict = explainConnection(index, src, dst, q.protocol, q.port);
          const lines: string[] = [];
          if (index.allows(src, dst, q.protocol, q.port)) lines.push('  re-allowed by the engine');
          for (const [d, v] of [
            [before.egress, verdict.egress],
            [before.ingress, verdict.ingress],
          ] as const) {
            if (deny(d) && engineChain(v) !== chainText(d)) lines.push(`  ${v.direction} now explained as ${engineChain(v)}, was ${chainText(d)}`);
          }
          if (lines.length > 0) throw failure('an Admin Deny was undone', after, q, mode, lines);
        }
      }),
      150 * SCALE,
    );
    // the property must have been exercised, not vacuously true
    expect(decided).toBeGreaterThan(100);
  });
});

describe('an Admin Pass with no NetworkPolicy falls to the Baseline tier', () => {
  it('with no NetworkPolicies, an all-Pass Admin tier answers as no Admin tier', () => {
    let passed = 0;
    check(
      fc.property(adminClusterWithQueriesArb, fc.constantFrom<Mode>('match', 'ignore'), ({ cluster, queries }, mode) => {
        const admin = (cluster.adminPolicies ?? []).filter((p) => p.tier === 'Admin');
        const baseline = (cluster.adminPolicies ?? []).filter((p) => p.tier === 'Baseline');
        const toPass = (p: AdminPolicy): AdminPolicy => ({
          ...p,
          ingress: p.ingress.map((r) => ({ ...r, action: 'Pass' })),
          egress: p.egress.map((r) => ({ ...r, action: 'Pass' })),
        });
        const passing: Cluster = { ...cluster, policies: [], adminPolicies: [...admin.map(toPass), ...baseline] };
        const baselineOnly: Cluster = { ...cluster, policies: [], adminPolicies: baseline };
        const a = compile(passing, { ipblockPods: mode });
        const b = compile(baselineOnly, { ipblockPods: mode });
        for (const q of everyPair(cluster, queries.slice(0, 1))) {
          const x = conns(a, q.src, q.dst);
          const y = conns(b, q.src, q.dst);
          if (!x.equals(y))
            throw failure('an Admin Pass changed the answer', passing, q, mode, [`  with Pass rules ${x.toString()}`, `  without Admin tier ${y.toString()}`]);
          // and the chain says so: Pass, then Baseline or the default, never NetworkPolicy
          const v = explainConnection(a, a.resolve(refText(q.src)), a.resolve(refText(q.dst)), q.protocol, q.port);
          for (const side of [v.egress, v.ingress]) {
            const first = side.steps[0];
            if (first?.kind !== 'rule' || first.rule.tier !== 'Admin') continue;
            passed++;
            const next = side.steps[1];
            const ok = next !== undefined && (next.kind === 'default-allow' || (next.kind === 'rule' && next.rule.tier === 'Baseline'));
            if (first.rule.action !== 'Pass' || !ok)
              throw failure('a Pass did not fall to Baseline', passing, q, mode, [`  ${side.direction}: ${engineChain(side)}`]);
          }
        }
      }),
      150 * SCALE,
    );
    expect(passed).toBeGreaterThan(100);
  });
});

describe('explanations agree with verdicts', () => {
  it('explainConnection(...).allowed === index.allows(...), and each chain is the oracle chain', () => {
    check(
      fc.property(adminClusterWithQueriesArb, fc.constantFrom<Mode>('match', 'ignore'), ({ cluster, queries }, mode) => {
        const index = compile(cluster, { ipblockPods: mode });
        // every query, plus each endpoint to itself (loopback)
        const self = cluster.endpoints
          .slice(0, 2)
          .map((e): Query => ({ src: { kind: 'endpoint', id: e.id }, dst: { kind: 'endpoint', id: e.id }, protocol: 'TCP', port: 80 }));
        for (const q of [...queries, ...self]) {
          const src = index.resolve(refText(q.src));
          const dst = index.resolve(refText(q.dst));
          const v = explainConnection(index, src, dst, q.protocol, q.port);
          const allows = index.allows(src, dst, q.protocol, q.port);
          const lines: string[] = [];
          if (v.allowed !== allows) lines.push(`  explanation says ${v.allowed}, index says ${allows}`);
          if (src.index !== dst.index || src.kind !== 'endpoint') {
            const d = adminDecision(cluster, q.src, q.dst, q.protocol, q.port, { ipblockPods: mode });
            for (const [o, e] of [
              [d.egress, v.egress],
              [d.ingress, v.ingress],
            ] as const) {
              if (engineChain(e) !== chainText(o)) lines.push(`  ${e.direction}: explained ${engineChain(e)}`);
            }
          }
          if (lines.length > 0) throw failure('explanation disagrees', cluster, q, mode, lines);
        }
      }),
      300 * SCALE,
    );
  });
});
