/**
 * Generated objects -> YAML ready for `kubectl apply -f -` (one object per document, its comment
 * above it), and back: the text is loaded with the same loader as any input and added to a cluster
 * (a policy named like an existing one replaces it, as `kubectl apply` does), so verification checks
 * what would really be applied.
 */
import { stringify } from 'yaml';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { loadCluster } from '../pipeline/load-cluster.js';
import { compareEvaluationOrder } from '../model/admin/order.js';
import type { Cluster } from '../model/types.js';
import type { GeneratedObject } from './freeze.js';

/** Generated objects as one YAML stream. */
export function renderObjects(objects: readonly GeneratedObject[], header: readonly string[] = []): string {
  const docs = objects.map(
    (o) =>
      `${o.comment
        .split('\n')
        .map((l) => `# ${l}`)
        .join('\n')}\n${stringify(o.manifest, { lineWidth: 0 })}`,
  );
  const head = header.map((l) => `# ${l}`).join('\n');
  return `${head}${head === '' ? '' : '\n'}${docs.join('---\n')}`;
}

/**
 * The cluster with the objects of `text` applied: added, or replacing same-named policies; with
 * `replaceNetworkPolicies`, in place of every NetworkPolicy of the input (the Admin and Baseline
 * tiers stay).
 */
export function applyText(
  cluster: Cluster,
  name: string,
  text: string,
  replaceNetworkPolicies = false,
): { cluster: Cluster; diagnostics: readonly Diagnostic[] } {
  const res = loadCluster([{ name, text }]);
  const added = res.cluster.policies;
  const key = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;
  const replaced = new Set(added.map(key));
  const addedAdmin = res.cluster.adminPolicies ?? [];
  const adminNames = new Set(addedAdmin.map((p) => `${p.sourceKind}/${p.name}`));
  return {
    cluster: {
      ...cluster,
      policies: [...(replaceNetworkPolicies ? [] : cluster.policies.filter((p) => !replaced.has(key(p)))), ...added],
      adminPolicies: [...(cluster.adminPolicies ?? []).filter((p) => !adminNames.has(`${p.sourceKind}/${p.name}`)), ...addedAdmin].sort(compareEvaluationOrder),
    },
    diagnostics: res.diagnostics,
  };
}
