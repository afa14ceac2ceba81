/**
 * NAMESPACE_NO_DEFAULT_DENY_INGRESS / _EGRESS: proved per workload from the compiled isolation masks
 * (a NetworkPolicy with an empty-enough selector is not assumed: each workload is checked), listing
 * the workloads that are not isolated.
 */
import * as B from '../../compile/bitset.js';
import type { ReachabilityIndex } from '../../evaluate/index.js';
import type { Finding } from '../finding.js';

/**
 * The findings are a function of the endpoints, their classes, the namespaces and the two isolation
 * sets; the last ones computed are kept with the endpoint list, which an incremental update keeps
 * (evaluate/update.ts), so `kubereach watch` re-auditing after a policy change that leaves isolation
 * as it was does not redo them.
 */
const memo = new WeakMap<
  readonly unknown[],
  { readonly namespaces: unknown; readonly classes: unknown; readonly egress: B.Bits; readonly ingress: B.Bits; readonly findings: readonly Finding[] }
>();

export function isolationFindings(index: ReachabilityIndex): Finding[] {
  const { cluster, classes, egressIsolated, ingressIsolated } = index.compiled;
  // isolation sets compared by content: an update that recomputes one may give the same bits
  const hit = memo.get(cluster.endpoints);
  if (
    hit !== undefined &&
    hit.namespaces === cluster.namespaces &&
    hit.classes === classes &&
    B.equal(hit.egress, egressIsolated) &&
    B.equal(hit.ingress, ingressIsolated)
  )
    return [...hit.findings];
  const out = computeIsolationFindings(index);
  memo.set(cluster.endpoints, { namespaces: cluster.namespaces, classes, egress: egressIsolated, ingress: ingressIsolated, findings: out });
  return [...out];
}

function computeIsolationFindings(index: ReachabilityIndex): Finding[] {
  const { cluster, classes, egressIsolated, ingressIsolated } = index.compiled;
  const out: Finding[] = [];
  const byNs = new Map<string, number[]>();
  cluster.endpoints.forEach((e, i) => {
    const l = byNs.get(e.namespace) ?? [];
    l.push(i);
    byNs.set(e.namespace, l);
  });
  const nsLoc = new Map(cluster.namespaces.map((n) => [n.name, n.location]));
  for (const [ns, eps] of [...byNs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (const [dir, mask] of [
      ['INGRESS', ingressIsolated],
      ['EGRESS', egressIsolated],
    ] as const) {
      const open = eps.filter((i) => !B.has(mask, classes.ofEndpoint[i]!)).map((i) => cluster.endpoints[i]!);
      if (open.length === 0) continue;
      const names = open.map((e) => e.id);
      const d = dir.toLowerCase();
      out.push({
        id: `NAMESPACE_NO_DEFAULT_DENY_${dir}`,
        severity: 'medium',
        subject: ns,
        message: `${open.length} of ${eps.length} workloads in namespace ${ns} are not isolated for ${d}: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ` and ${names.length - 5} more` : ''}.`,
        evidence: `no NetworkPolicy with policyTypes ${dir === 'INGRESS' ? 'Ingress' : 'Egress'} selects ${names[0]}, so all ${d} traffic is allowed by default`,
        fix: `Add a default-deny policy: kind NetworkPolicy, metadata.namespace ${ns}, spec.podSelector {}, policyTypes [${dir === 'INGRESS' ? 'Ingress' : 'Egress'}]; then allow the traffic each workload needs${dir === 'EGRESS' ? ' (remember DNS: UDP/TCP 53 to kube-system)' : ''}.`,
        location: nsLoc.get(ns) ?? open[0]!.location,
      });
    }
  }
  return out;
}
