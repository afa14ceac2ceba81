/**
 * The CNI profile: every choice that depends on which CNI enforces the policies, in one place
 * (the CNI profile). The engine reads these flags and nothing else about the CNI.
 *
 * | choice                              | generic              | cilium                                   |
 * |-------------------------------------|----------------------|------------------------------------------|
 * | ipBlock/CIDR matches known pod IPs  | yes (upstream e2e)   | no: pods are selected by identity         |
 * | ipBlock/CIDR matches node addresses | yes                  | no: nodes carry the host / remote-node   |
 * |                                     |                      | identities (policy-cidr-match-mode unset) |
 * | host-network pods are policy        | yes, with a caveat   | no: they are the node (`host` identity), |
 * | subjects and pod peers              |                      | reached through host / remote-node       |
 * | Services                            | translated to backends before policy (every profile)              |
 * | entity addresses                    | -                    | host, remote-node: node addresses and    |
 * |                                     |                      | host-network pods; kube-apiserver: the   |
 * |                                     |                      | endpoints of default/kubernetes; world:  |
 * |                                     |                      | every other address                      |
 * A Calico profile is added here beside them.
 */
import type { Cluster } from '../model/types.js';

export type Cni = 'generic' | 'cilium' | 'calico';
export const CNIS: readonly Cni[] = ['generic', 'cilium', 'calico'];

export interface CniProfile {
  readonly cni: Cni;
  /** How the profile was chosen: given by the user, or detected from the input (and from what). */
  readonly source: string;
  readonly ipblockMatchesPods: boolean;
  readonly ipblockMatchesNodes: boolean;
  readonly hostNetworkIsPolicySubject: boolean;
}

/** Detects the CNI from the input: Cilium kinds or Cilium agent pods make it cilium. */
export function detectCni(cluster: Cluster): { cni: Cni; reason: string } {
  const cilium = cluster.ciliumPolicies?.length ?? 0;
  if (cilium > 0) return { cni: 'cilium', reason: `detected: ${cilium} Cilium polic${cilium === 1 ? 'y' : 'ies'} in the input` };
  if ((cluster.ciliumCidrGroups?.length ?? 0) > 0) return { cni: 'cilium', reason: 'detected: CiliumCIDRGroup objects in the input' };
  const agent = cluster.endpoints.find(
    (e) => e.namespace === 'kube-system' && (e.labels['k8s-app'] === 'cilium' || e.labels['app.kubernetes.io/name'] === 'cilium-agent'),
  );
  if (agent !== undefined) return { cni: 'cilium', reason: `detected: Cilium agent ${agent.id} in the input` };
  return { cni: 'generic', reason: 'no CNI detected in the input' };
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
    hostNetworkIsPolicySubject: !cilium,
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
  if (p.cni !== 'cilium') return head;
  const pods = p.ipblockMatchesPods
    ? 'ipBlocks and CIDR rules match pod IPs (--ipblock-pods match) but not node addresses'
    : 'CIDR rules and ipBlocks match neither pod IPs nor node addresses (Cilium selects those by identity)';
  return `${head}: ${pods}; host-network pods are their node (the host / remote-node entities), not policy subjects or pod peers; Services are translated to their backends before policy`;
}
