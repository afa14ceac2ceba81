/**
 * The network audit (issue 4): findings proved from the ReachabilityIndex, never from the mere
 * presence of a policy. Ids are a stable contract:
 *
 * | id                                  | severity        | raised when                                                   |
 * |-------------------------------------|-----------------|---------------------------------------------------------------|
 * | METADATA_REACHABLE                  | high            | a workload can reach a metadata address on some port          |
 * | CONTROL_PLANE_REACHABLE             | high / low      | a workload outside kube-system reaches a control-plane port   |
 * | NAMESPACE_NO_DEFAULT_DENY_INGRESS   | medium          | some workload of a namespace is not ingress-isolated          |
 * | NAMESPACE_NO_DEFAULT_DENY_EGRESS    | medium          | some workload of a namespace is not egress-isolated           |
 * | WORKLOAD_IN_SYSTEM_NAMESPACE        | medium          | user workloads in kube-public / unmarked in kube-system        |
 * | LATERAL_PATH                        | high            | an exposed workload reaches a sensitive target only via hops   |
 */
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';
import type { Endpoint } from '../../model/types.js';
import type { Finding, Severity } from '../finding.js';
import { resolveTargets, type Target, type TargetOptions } from '../../targets/resolve.js';
import { portsSet, reachTarget } from '../../targets/reach.js';
import type { ConnectionSet } from '../../net/connection-set.js';
import { allowEvidence } from './evidence.js';
import { isolationFindings } from './isolation.js';
import { lateralFindings } from './lateral.js';
import { systemNamespaceFindings } from './system-namespace.js';

export type NetworkAuditOptions = TargetOptions;

function workloads(index: ReachabilityIndex): Extract<IndexEntity, { kind: 'endpoint' }>[] {
  return index.entities.filter((e): e is Extract<IndexEntity, { kind: 'endpoint' }> => e.kind === 'endpoint');
}

function metadataFindings(index: ReachabilityIndex, target: Target): Finding[] {
  const out: Finding[] = [];
  for (const src of workloads(index)) {
    // host-network pods use the node's network: no NetworkPolicy can hold them back, and the fix is
    // on the node (IMDS hop limit, host firewall), so they are not reported here
    if (src.endpoint.hostNetwork) continue;
    const hits = reachTarget(index, src, target);
    if (hits.length === 0) continue;
    const h = hits[0]!;
    const ev = allowEvidence(index, src, h.dst, h.conn, h.address);
    out.push({
      id: 'METADATA_REACHABLE',
      severity: 'high',
      subject: src.id,
      message: `${src.id} can reach the cloud metadata service at ${hits.map((x) => x.address).join(', ')} (${h.conn.toString()}), where node credentials can be read.`,
      evidence: ev.text,
      fix: `Deny egress to ${hits.map((x) => x.address).join(', ')}: add an egress NetworkPolicy for ${src.endpoint.namespace} whose ipBlock excepts 169.254.169.254/32 (and fd00:ec2::254/128), or a cluster-wide Admin-tier Deny to those addresses.`,
      location: ev.location ?? src.endpoint.location,
    });
  }
  return out;
}

function controlPlaneFindings(index: ReachabilityIndex, target: Target): Finding[] {
  const out: Finding[] = [];
  const unknown = target.known ? '' : ' (no control-plane address is known from the input, so every address outside the pod network was evaluated; pass --control-plane-ip or include Node objects)';
  for (const src of workloads(index)) {
    if (src.endpoint.namespace === 'kube-system') continue;
    const hits = reachTarget(index, src, target);
    const bySeverity = new Map<Severity, { labels: Set<string>; first: (typeof hits)[number]; conn: ConnectionSet }>();
    for (const h of hits) {
      for (const p of h.ports ?? []) {
        const e = bySeverity.get(p.severity) ?? { labels: new Set<string>(), first: h, conn: h.conn.intersect(portsSet(h.ports!.filter((q) => q.severity === p.severity))) };
        e.labels.add(`${p.label} TCP ${p.lo === p.hi ? p.lo : `${p.lo}-${p.hi}`} on ${h.address}`);
        bySeverity.set(p.severity, e);
      }
    }
    for (const [severity, { labels, first, conn }] of bySeverity) {
      const ev = allowEvidence(index, src, first.dst, conn, first.address);
      const list = [...labels];
      out.push({
        id: 'CONTROL_PLANE_REACHABLE',
        severity,
        subject: src.id,
        message: `${src.id} can reach ${list.slice(0, 4).join(', ')}${list.length > 4 ? ` and ${list.length - 4} more` : ''}${unknown}.`,
        evidence: ev.text,
        fix:
          severity === 'low'
            ? `If ${src.id} does not call the Kubernetes API, deny its egress to the API server (TCP 6443); otherwise allow only that port to the control-plane addresses.`
            : `Deny egress from ${src.endpoint.namespace} to the control-plane and node addresses on these ports (an egress NetworkPolicy with ipBlock except, or an Admin-tier Deny); only kube-system components need them.`,
        location: ev.location ?? src.endpoint.location,
      });
    }
  }
  return out;
}

/** Runs every network check; findings sorted by severity (high first), id, subject. */
export function auditNetwork(index: ReachabilityIndex, options: NetworkAuditOptions = {}): Finding[] {
  const targets = resolveTargets(index.compiled.cluster, options);
  const byWord = new Map(targets.map((t) => [t.word, t]));
  const findings = [
    ...metadataFindings(index, byWord.get('metadata')!),
    ...controlPlaneFindings(index, byWord.get('control-plane')!),
    ...isolationFindings(index),
    ...systemNamespaceFindings(index.compiled.cluster.endpoints as Endpoint[]),
    ...lateralFindings(index, targets),
  ];
  return sortFindings(findings);
}

const RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2, info: 3 };

export function sortFindings(list: Finding[]): Finding[] {
  return list.sort((a, b) => RANK[a.severity] - RANK[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}
