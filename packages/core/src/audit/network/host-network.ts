/**
 * HOSTNETWORK_UNRESTRICTED: a workload that uses the node's network namespace. NetworkPolicies select
 * pods by their pod network; a host-network pod sends from the node's address, so no NetworkPolicy
 * restricts it, and it reaches whatever the node reaches: the metadata service, the kubelet, etcd,
 * the API server. The metadata and control-plane findings cannot prove anything about it from the
 * policies, so it gets a finding of its own instead of being left out. kube-system is not reported:
 * the node's own agents (kube-proxy, CNI agents, static control-plane pods) live there by design.
 */
import type { IndexEntity, ReachabilityIndex } from '../../evaluate/index.js';
import type { Finding } from '../finding.js';
import type { Target } from '../../targets/resolve.js';

export function hostNetworkFindings(index: ReachabilityIndex, targets: readonly Target[]): Finding[] {
  const metadata = targets.find((t) => t.word === 'metadata')!;
  const cp = targets.find((t) => t.word === 'control-plane')!;
  const where = (t: Target) => (t.known ? t.addresses.map((a) => a.address).join(', ') : 'every address outside the pod network');
  const out: Finding[] = [];
  for (const e of index.entities) {
    if (e.kind !== 'endpoint' || !e.endpoint.hostNetwork || e.endpoint.namespace === 'kube-system') continue;
    const ep = (e as Extract<IndexEntity, { kind: 'endpoint' }>).endpoint;
    out.push({
      id: 'HOSTNETWORK_UNRESTRICTED',
      severity: 'medium',
      subject: e.id,
      message: `${e.id} uses hostNetwork: it sends from the node's address, so no NetworkPolicy restricts it; it can reach the cloud metadata service (${where(metadata)}) and the control plane and kubelet ports (${where(cp)}) as the node can.`,
      evidence: `spec.hostNetwork: true on ${e.id}${ep.nodeName === null ? '' : ` (node ${ep.nodeName})`}`,
      fix: `Drop hostNetwork from ${e.id} unless it must bind to the node's interfaces; otherwise restrict the node itself (host firewall, IMDSv2 with hop limit 1, a CNI host policy).`,
      location: ep.location,
    });
  }
  return out;
}
