/**
 * Lint's redundancy proofs, re-checked by the reference evaluator (no engine code): on generated
 * clusters, removing every rule lint reports as RULE_REDUNDANT or POLICY_SHADOWED, all together,
 * leaves every connection of every pair the same; and every rule reported as shadowed is decided by
 * the Admin tier for every connection the reference evaluator can ask about.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compile, type Cluster, type NetworkPolicy } from '../../packages/core/src/index.js';
import { redundantRules } from '../../packages/core/src/lint/redundant.js';
import { adminReferenceAllowed } from '../reference/admin-evaluator.js';
import { adminAllRefs, adminClusterArb, adminInterestingPorts } from '../reference/admin-arbitraries.js';
import { clusterArb } from '../reference/arbitraries.js';
import { refText } from '../reference/describe.js';
import type { Ref } from '../reference/evaluator.js';
import { check, PROTOCOLS } from './support.js';

function withoutRules(cluster: Cluster, drop: ReadonlySet<string>): Cluster {
  const keep = (p: NetworkPolicy, dir: 'ingress' | 'egress') => p[dir].filter((r) => !drop.has(`${p.namespace}/${p.name} ${dir} ${r.index}`));
  return { ...cluster, policies: cluster.policies.map((p) => ({ ...p, ingress: keep(p, 'ingress'), egress: keep(p, 'egress') })) };
}

function sameEverywhere(a: Cluster, b: Cluster, mode: 'match' | 'ignore'): string | null {
  const refs = adminAllRefs(a);
  const ports = [1, 65535, ...adminInterestingPorts(a)];
  for (const s of refs) {
    for (const d of refs) {
      if (s.kind === 'ip' && d.kind === 'ip') continue;
      for (const proto of PROTOCOLS) {
        for (const port of ports) {
          const x = adminReferenceAllowed(a, s as Ref, d as Ref, proto, port, { ipblockPods: mode });
          const y = adminReferenceAllowed(b, s as Ref, d as Ref, proto, port, { ipblockPods: mode });
          if (x !== y) return `${refText(s)} -> ${refText(d)} ${proto} ${port}: ${x} before, ${y} without the reported rules`;
        }
      }
    }
  }
  return null;
}

describe('removing every rule lint reports as redundant changes no connection (reference evaluator)', () => {
  for (const [name, arb] of [
    ['NetworkPolicy clusters', clusterArb],
    ['clusters with admin tiers', adminClusterArb],
  ] as const) {
    test(name, () => {
      let reported = 0;
      check(
        fc.property(arb, fc.constantFrom('match' as const, 'ignore' as const), (cluster, mode) => {
          const rules = redundantRules(compile(cluster, { ipblockPods: mode }));
          if (rules.length === 0) return true;
          reported++;
          const after = withoutRules(cluster, new Set(rules.map((r) => `${r.policy} ${r.direction} ${r.ruleIndex}`)));
          const diff = sameEverywhere(cluster, after, mode);
          if (diff !== null) throw new Error(`${diff}\nreported: ${rules.map((r) => `${r.policy} ${r.direction} ${r.ruleIndex}`).join(', ')}`);
          return true;
        }),
        60,
      );
      // the property is only worth something when lint does report rules on some of the clusters
      expect(reported).toBeGreaterThan(0);
    });
  }
});
