/**
 * Cilium's policy language (cilium.io/v2 CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy),
 * validated into plain data. Cilium selects by identity labels, so an endpoint selector is kept split
 * into what it observes: the pod's own labels (and its service account), its namespace (by name or
 * by the namespace's labels), and the cluster name. The compiler (compile/cilium-policy.ts) turns
 * these into the same blocks as NetworkPolicy rules.
 */
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Cidr } from '../../net/ip.js';
import type { Protocol } from '../../base/types.js';
import type { LabelRequirement, LabelSelector } from '../label-types.js';

/** The Cilium policy kinds kubereach reads. */
export type CiliumKind = 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';

/** The four rule lists of a Cilium rule; the *Deny lists beat every allow. */
export type CiliumSection = 'ingress' | 'egress' | 'ingressDeny' | 'egressDeny';

/** The Cilium entities (`world`, `cluster`, `host`, ...) a rule may name. */
export const CILIUM_ENTITIES = [
  'world',
  'world-ipv4',
  'world-ipv6',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'health',
  'init',
  'unmanaged',
  'ingress',
  'all',
] as const;
/** One of {@link CILIUM_ENTITIES}. */
export type CiliumEntity = (typeof CILIUM_ENTITIES)[number];

/**
 * An endpoint selector as Cilium evaluates it against a pod's identity labels:
 * - `pod`: requirements on the pod's labels; `io.cilium.k8s.policy.serviceaccount` stays here (the
 *   compiler gives each pod that pseudo-label from its serviceAccountName);
 * - `namespace`: requirements on the pod's namespace, from `io.kubernetes.pod.namespace` (rewritten
 *   to `kubernetes.io/metadata.name`, which every namespace carries) and
 *   `io.cilium.k8s.namespace.labels.KEY` (rewritten to KEY); null when the selector names none;
 * - `cluster`: requirements on `io.cilium.k8s.policy.cluster`, decided against the cluster name.
 * Label sources `k8s:` and `any:` are stripped from keys first.
 */
export interface CiliumSelector {
  readonly pod: LabelSelector;
  readonly namespace: LabelSelector | null;
  readonly cluster: readonly LabelRequirement[];
  /**
   * Whether the selector names `io.kubernetes.pod.namespace`: only then does a peer selector of a
   * namespaced policy leave the policy's namespace (a namespace-label requirement alone does not).
   */
  readonly namesNamespace: boolean;
  readonly location: SourceLocation;
}

/** A peer of a Cilium rule: endpoints, entities, CIDRs, FQDNs, Services or groups. */
export type CiliumPeer =
  | { readonly kind: 'endpoints'; readonly selector: CiliumSelector; readonly location: SourceLocation }
  | { readonly kind: 'entity'; readonly entity: CiliumEntity; readonly location: SourceLocation }
  | { readonly kind: 'cidr'; readonly cidr: Cidr; readonly except: readonly Cidr[]; readonly location: SourceLocation }
  /** toCIDRSet.cidrGroupRef / cidrGroupSelector, resolved to the CiliumCIDRGroup objects' CIDRs by the compiler. */
  | {
      readonly kind: 'cidrGroup';
      readonly ref: string | null;
      readonly selector: LabelSelector | null;
      readonly except: readonly Cidr[];
      readonly location: SourceLocation;
    }
  /** toFQDNs: resolved through the DNS map given to the compiler. */
  | { readonly kind: 'fqdn'; readonly matchName: string | null; readonly matchPattern: string | null; readonly location: SourceLocation }
  /** toServices: a Service by name, or Services by label selector (in `namespace`, or any when null). */
  | {
      readonly kind: 'service';
      readonly namespace: string | null;
      readonly name: string | null;
      readonly selector: LabelSelector | null;
      readonly location: SourceLocation;
    };

/** One `toPorts[].ports[]` entry; ANY is TCP, UDP and SCTP. `port` null: every port. */
export interface CiliumPort {
  readonly protocol: Protocol | 'ANY';
  readonly port: number | string | null;
  readonly endPort: number | null;
  readonly location: SourceLocation;
}

/** An ICMP match of a Cilium rule. */
export interface CiliumIcmp {
  readonly family: 'IPv4' | 'IPv6';
  readonly type: number;
  readonly location: SourceLocation;
}

/** One Cilium rule of a section, with its peers, ports and where it was written. */
export interface CiliumRule {
  readonly section: CiliumSection;
  /** Position in its section's list. */
  readonly index: number;
  /**
   * L3 peers; null when the rule names none (then the L4 part, if any, applies to every peer). A rule
   * with neither L3 nor L4 (`{}`) allows or denies nothing, but still selects its endpoints.
   */
  readonly peers: readonly CiliumPeer[] | null;
  /** fromRequires / toRequires: every peer must also match all of these. */
  readonly requires: readonly CiliumSelector[];
  /** toPorts ports (null: no toPorts); icmps (null: none). Both null with peers given: every port. */
  readonly ports: readonly CiliumPort[] | null;
  readonly icmps: readonly CiliumIcmp[] | null;
  /** L7 rules of the rule's toPorts, summarised (`http GET /`), or null. */
  readonly l7: string | null;
  /** Whether some toPorts of this rule carries `rules.dns` (a DNS proxy rule that learns FQDN addresses). */
  readonly dnsProxy: boolean;
  readonly location: SourceLocation;
}

/** One rule of `spec` or of `specs[i]`. */
export interface CiliumSpec {
  /** null for `spec`, i for `specs[i]`. */
  readonly specIndex: number | null;
  readonly endpointSelector: CiliumSelector;
  readonly rules: readonly CiliumRule[];
  /** enableDefaultDeny: whether rules of a direction put the selected endpoints into default deny. */
  readonly defaultDenyIngress: boolean;
  readonly defaultDenyEgress: boolean;
  readonly location: SourceLocation;
}

/** A CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy. */
export interface CiliumPolicy {
  readonly kind: CiliumKind;
  /** null for a CiliumClusterwideNetworkPolicy. */
  readonly namespace: string | null;
  readonly name: string;
  readonly specs: readonly CiliumSpec[];
  readonly location: SourceLocation;
}

/** A CiliumCIDRGroup: named CIDRs that rules refer to. */
export interface CiliumCidrGroup {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly cidrs: readonly Cidr[];
  readonly location: SourceLocation;
}

/** `CiliumNetworkPolicy ns/name`, `CiliumClusterwideNetworkPolicy name`: how explanations name a policy. */
export function ciliumPolicyName(p: CiliumPolicy): string {
  return p.namespace === null ? p.name : `${p.namespace}/${p.name}`;
}
