/**
 * `--staged`: the input as if every staged policy were enforced, the way Calico enforces one: the
 * staged object becomes the object of the enforced kind with the same namespace and name
 * (StagedNetworkPolicy -> NetworkPolicy, StagedGlobalNetworkPolicy -> GlobalNetworkPolicy,
 * StagedKubernetesNetworkPolicy -> networking.k8s.io NetworkPolicy), so
 *
 * | stagedAction   | the enforced policy of that name      | the staged policy            |
 * |----------------|---------------------------------------|------------------------------|
 * | Set (default)  | replaced (or created when absent)     | evaluated in its place       |
 * | Delete         | deleted                               | not evaluated                |
 *
 * A staged policy keeps its kind in explanations (`StagedNetworkPolicy app/x`), and is ordered among
 * its tier's policies as the enforced one would be (Felix's `name/namespace/kind` key, enforced kind).
 */
import type { Cluster, NetworkPolicy } from '../types.js';
import type { CalicoPolicy, CalicoPolicyKind } from './types.js';

/** The kind a staged Calico kind becomes when enforced (the enforced kinds are their own). */
export function enforcedKind(kind: CalicoPolicyKind): CalicoPolicyKind {
  if (kind === 'StagedNetworkPolicy') return 'NetworkPolicy';
  if (kind === 'StagedGlobalNetworkPolicy') return 'GlobalNetworkPolicy';
  return kind;
}

function key(kind: string, namespace: string | null, name: string): string {
  return `${kind}|${namespace ?? ''}|${name}`;
}

/** The Calico policies in force: enforced ones, or (staged) those with every staged one enforced. */
export function calicoPoliciesInForce(policies: readonly CalicoPolicy[], staged: boolean): CalicoPolicy[] {
  if (!staged) return policies.filter((p) => !p.staged);
  const replaced = new Set<string>();
  for (const p of policies) if (p.staged) replaced.add(key(enforcedKind(p.kind), p.namespace, p.name));
  return policies.filter((p) => (p.staged ? p.stagedAction === 'Set' : !replaced.has(key(p.kind, p.namespace, p.name))));
}

/** The Kubernetes NetworkPolicies in force: with `staged`, StagedKubernetesNetworkPolicies enforced. */
export function networkPoliciesInForce(cluster: Cluster, staged: boolean): readonly NetworkPolicy[] {
  const list = cluster.calico?.stagedKubernetes ?? [];
  if (!staged || list.length === 0) return cluster.policies;
  const replaced = new Set(list.map((s) => key('NetworkPolicy', s.policy.namespace, s.policy.name)));
  return [
    ...cluster.policies.filter((p) => !replaced.has(key('NetworkPolicy', p.namespace, p.name))),
    ...list.filter((s) => s.stagedAction === 'Set').map((s) => s.policy),
  ];
}
