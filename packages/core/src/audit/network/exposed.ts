/**
 * EXPOSED_SENSITIVE_WORKLOAD (high): an entry point from outside the cluster (NodePort, LoadBalancer,
 * Ingress, Gateway; services/entry-points.ts) that NetworkPolicies admit reaches a workload in
 * kube-system, or one that can itself reach a cloud metadata address or a control-plane port. An
 * attacker who gets code execution through that entry holds node credentials or the control plane
 * one step later.
 */
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';
import { exposedEndpoints, type EntryPath } from '../../services/entry-points.js';
import type { Target } from '../../targets/resolve.js';
import { reachTarget } from '../../targets/reach.js';
import type { Finding } from '../finding.js';

export function exposedSensitiveFindings(index: ReachabilityIndex, paths: readonly EntryPath[], targets: readonly Target[]): Finding[] {
  const out: Finding[] = [];
  const sensitive = targets.filter((t) => (t.word === 'metadata' || t.word === 'control-plane') && t.known);
  for (const [i, p] of exposedEndpoints(paths)) {
    const e = index.entities[i] as Extract<IndexEntity, { kind: 'endpoint' }>;
    const why: string[] = [];
    if (e.endpoint.namespace === 'kube-system') why.push('it runs in kube-system');
    for (const t of sensitive) {
      if (t.word === 'control-plane' && e.endpoint.namespace === 'kube-system') continue;
      const hits = reachTarget(index, e, t);
      if (hits.length > 0) why.push(`it can reach ${t.label} (${hits.map((h) => `${h.address} ${h.conn.toString()}`).join(', ')})`);
    }
    if (why.length === 0) continue;
    out.push({
      id: 'EXPOSED_SENSITIVE_WORKLOAD',
      severity: 'high',
      subject: e.id,
      message: `${e.id} is reached from outside the cluster through ${p.entry}, and ${why.join(', and ')}.`,
      evidence: `${p.entry} -> ${p.via} -> ${p.backend}${p.target === null ? '' : ` :${p.target.port}/${p.target.protocol}`}: ${p.verdict} (${p.reason})`,
      fix: `Take ${e.id} off the entry (a ClusterIP Service, or restrict its ingress to the clients it needs), and deny its egress to metadata and control-plane addresses.`,
      location: p.location,
    });
  }
  return out;
}
