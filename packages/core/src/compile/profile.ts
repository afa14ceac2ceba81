/**
 * The CNI profile: every choice that depends on which CNI enforces the policies, in one place
 * (the CNI profile). The engine reads these flags and nothing else about the CNI.
 *
 * | choice                              | generic              | cilium                                   | calico                                      |
 * |-------------------------------------|----------------------|------------------------------------------|---------------------------------------------|
 * | ipBlock/CIDR matches known pod IPs  | yes (upstream e2e)   | no: pods are selected by identity         | yes: Calico matches nets / ipBlock by address |
 * | ipBlock/CIDR matches node addresses | yes                  | no: nodes carry the host / remote-node   | yes (by address)                            |
 * |                                     |                      | identities (policy-cidr-match-mode unset) |                                             |
 * | host-network pods are policy        | yes, with a caveat   | no: they are the node (`host` identity), | no: they have no WorkloadEndpoint, so no    |
 * | subjects and pod peers              |                      | reached through host / remote-node       | policy applies to or selects them; only     |
 * |                                     |                      |                                          | HostEndpoints (not modelled) protect the    |
 * |                                     |                      |                                          | host: a caveat on every answer about one    |
 * | Services                            | translated to backends before policy (every profile: Calico's kube-proxy / eBPF DNAT comes first) |
 * | entity addresses                    | -                    | host, remote-node: node addresses and    | -                                           |
 * |                                     |                      | host-network pods; kube-apiserver: the   |                                             |
 * |                                     |                      | endpoints of default/kubernetes; world:  |                                             |
 * |                                     |                      | every other address                      |                                             |
 *
 * Detection: Cilium kinds or agent pods make it cilium; otherwise Calico kinds (policies, tiers,
 * network sets, WorkloadEndpoints, Profiles) or calico-node pods make it calico.
 */
import type { Cluster } from '../model/types.js';

/** A CNI whose policy choices kubereach knows. */
export type Cni = 'generic' | 'cilium' | 'calico';
/** Every {@link Cni}, for option parsing. */
export const CNIS: readonly Cni[] = ['generic', 'cilium', 'calico'];

/** The CNI-dependent choices an answer rests on, and where they came from (given, or detected from the input). */
export interface CniProfile {
  readonly cni: Cni;
  /** How the profile was chosen: given by the user, or detected from the input (and from what). */
  readonly source: string;
  readonly ipblockMatchesPods: boolean;
  readonly ipblockMatchesNodes: boolean;
  readonly hostNetworkIsPolicySubject: boolean;
}

/** Detects the CNI from the input: Cilium kinds or agent pods make it cilium; then Calico kinds or calico-node pods make it calico. */
export function detectCni(cluster: Cluster): { cni: Cni; reason: string } {
  const cilium = cluster.ciliumPolicies?.length ?? 0;
  if (cilium > 0) return { cni: 'cilium', reason: `detected: ${cilium} Cilium polic${cilium === 1 ? 'y' : 'ies'} in the input` };
  if ((cluster.ciliumCidrGroups?.length ?? 0) > 0) return { cni: 'cilium', reason: 'detected: CiliumCIDRGroup objects in the input' };
  const agent = cluster.endpoints.find(
    (e) => e.namespace === 'kube-system' && (e.labels['k8s-app'] === 'cilium' || e.labels['app.kubernetes.io/name'] === 'cilium-agent'),
  );
  if (agent !== undefined) return { cni: 'cilium', reason: `detected: Cilium agent ${agent.id} in the input` };
  const calico = cluster.calico;
  if (calico !== undefined) return { cni: 'calico', reason: `detected: ${calicoWhat(calico)} in the input` };
  const node = cluster.endpoints.find((e) => (e.namespace === 'kube-system' || e.namespace === 'calico-system') && e.labels['k8s-app'] === 'calico-node');
  if (node !== undefined) return { cni: 'calico', reason: `detected: calico-node ${node.id} in the input` };
  return { cni: 'generic', reason: 'no CNI detected in the input' };
}

function calicoWhat(c: NonNullable<Cluster['calico']>): string {
  const n = c.policies.length;
  if (n > 0) return `${n} Calico polic${n === 1 ? 'y' : 'ies'}`;
  if (c.tiers.length > 0) return 'Calico Tier objects';
  if (c.networkSets.length > 0) return 'Calico network sets';
  return 'Calico objects';
}

/**
 * The profile for a CNI (null: detect from the input). `ipblockPods` given explicitly (the
 * --ipblock-pods flag) overrides the profile's choice for pod IPs.
 */
export function cniProfile(cluster: Cluster, cni: Cni | null, ipblockPods?: 'match' | 'ignore', source = 'given'): CniProfile {
  const chosen = cni === null ? detectCni(cluster) : { cni, reason: source };
  const cilium = chosen.cni === 'cilium';
  return {
    cni: chosen.cni,
    source: chosen.reason,
    ipblockMatchesPods: ipblockPods !== undefined ? ipblockPods === 'match' : !cilium,
    ipblockMatchesNodes: !cilium,
    hostNetworkIsPolicySubject: chosen.cni === 'generic',
  };
}

/**
 * The profile as every output states it, or null for the generic profile chosen by default (its
 * choices are upstream Kubernetes semantics and need no statement):
 * `cni profile: cilium (detected: 1 Cilium policy in the input): CIDR rules and ipBlocks match...`.
 */
export function profileStatement(p: CniProfile): string | null {
  if (p.cni === 'generic' && p.source !== 'given') return null;
  const head = `cni profile: ${p.cni} (${p.source})`;
  if (p.cni === 'calico') {
    const pods = p.ipblockMatchesPods
      ? 'nets and ipBlocks match pod and node addresses (Calico matches by address)'
      : 'nets and ipBlocks match node addresses but not pod IPs (--ipblock-pods ignore)';
    return `${head}: ${pods}; host-network pods have no workload endpoint, so no policy applies to them or selects them (only HostEndpoints, not modelled, would protect their node); Services are translated to their backends before policy`;
  }
  if (p.cni !== 'cilium') return head;
  const pods = p.ipblockMatchesPods
    ? 'ipBlocks and CIDR rules match pod IPs (--ipblock-pods match) but not node addresses'
    : 'CIDR rules and ipBlocks match neither pod IPs nor node addresses (Cilium selects those by identity)';
  return `${head}: ${pods}; host-network pods are their node (the host / remote-node entities), not policy subjects or pod peers; Services are translated to their backends before policy`;
}
