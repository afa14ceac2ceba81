/**
 * The admin tiers in one internal form for both API generations:
 *
 * | input                                        | tier     | priority        | actions              |
 * |----------------------------------------------|----------|-----------------|----------------------|
 * | v1alpha1 AdminNetworkPolicy                  | Admin    | spec.priority   | Allow->Accept, Deny, Pass |
 * | v1alpha1 BaselineAdminNetworkPolicy (name `default`) | Baseline | 0       | Allow->Accept, Deny  |
 * | v1alpha2 ClusterNetworkPolicy                | spec.tier| spec.priority   | Accept, Deny, Pass   |
 *
 * Everything here is validated: selectors are well formed, CIDRs parsed, ports in range, every rule
 * has at least one peer. The engine never re-checks any of it.
 *
 * Semantics the engine must honour (from the CRD field documentation):
 * - Per direction: Admin policies by ascending priority, rules in order, first match decides.
 *   Accept = allowed (an egress Accept does not bypass ingress rules at the destination), Deny =
 *   denied, Pass = skip the rest of the *current tier*: from Admin to NetworkPolicy (or, when no
 *   NetworkPolicy selects the pod in that direction, to Baseline); from Baseline to the default
 *   (allow). Pass exists in Baseline only in v1alpha2.
 * - Baseline policies are ordered by priority too (v1alpha2 gives Baseline CNPs a priority; a
 *   v1alpha1 BANP is priority 0).
 * - Subjects and `namespaces`/`pods` peers never include host-network pods.
 * - `networks` peers match any address in the blocks, pod IPs included (cluster-internal traffic is
 *   checked against them too); `nodes` peers match the IP addresses in the selected Nodes'
 *   status.addresses.
 * - A `named` port carries no protocol: it matches the destination pod's container port of that name
 *   with whatever protocol that port declares. The destination is the subject pod for ingress and
 *   the peer pod for egress. A named port never matches a `networks`, `nodes` or `domainNames` peer
 *   (addresses have no port names).
 * - `domainNames` peers cannot be evaluated from manifests: they match nothing here (the extractor
 *   warns with UNSUPPORTED_PEER).
 * - `ports: null` means every port of every protocol (and ICMP); a non-null list is never empty.
 */
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Cidr } from '../../net/ip.js';
import type { Protocol } from '../../base/types.js';
import type { LabelSelector } from '../label-types.js';

/** The tier an admin policy belongs to: Admin (before NetworkPolicies) or Baseline (after). */
export type AdminTier = 'Admin' | 'Baseline';
/** The API version an admin policy was written in. */
export type AdminGeneration = 'v1alpha1' | 'v1alpha2';
/** The kind an admin policy was read from. */
export type AdminSourceKind = 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
/** v1alpha1 `Allow` is stored as `Accept`. */
export type AdminAction = 'Accept' | 'Deny' | 'Pass';

/** The pods a policy applies to. An empty selector selects everything. */
export type AdminSubject =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector }
  | {
      readonly kind: 'pods';
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
    };

/**
 * A peer of a rule. Closed union; supported kinds:
 * - namespaces: all (non host-network) pods of the selected namespaces (ingress and egress)
 * - pods: pods matching podSelector in namespaces matching namespaceSelector (ingress and egress)
 * - nodes: the addresses of the selected Nodes (egress only; experimental in both generations)
 * - networks: CIDR blocks, IPv4 and IPv6 (egress only)
 * - domainNames: FQDN patterns (v1alpha2 egress, experimental); never matched statically
 */
export type AdminPeer =
  | { readonly kind: 'namespaces'; readonly namespaceSelector: LabelSelector; readonly location: SourceLocation }
  | {
      readonly kind: 'pods';
      readonly namespaceSelector: LabelSelector;
      readonly podSelector: LabelSelector;
      readonly location: SourceLocation;
    }
  | { readonly kind: 'nodes'; readonly nodeSelector: LabelSelector; readonly location: SourceLocation }
  | { readonly kind: 'networks'; readonly cidrs: readonly Cidr[]; readonly location: SourceLocation }
  | { readonly kind: 'domainNames'; readonly names: readonly string[]; readonly location: SourceLocation };

/** A destination port match. Ranges are inclusive and have start < end. */
export type AdminPort =
  | { readonly kind: 'number'; readonly protocol: Protocol; readonly port: number; readonly location: SourceLocation }
  | {
      readonly kind: 'range';
      readonly protocol: Protocol;
      readonly start: number;
      readonly end: number;
      readonly location: SourceLocation;
    }
  /** Protocol-less: resolved on the destination pod, with that container port's protocol. */
  | { readonly kind: 'named'; readonly name: string; readonly location: SourceLocation };

/** One rule of an admin policy: its action, peers and ports, with where it was written. */
export interface AdminRule {
  /** Position in its ingress/egress list (0-based), as shown in explanations. */
  readonly index: number;
  /** The rule's `name`, '' when absent. */
  readonly name: string;
  readonly action: AdminAction;
  /** OR of peers; never empty. */
  readonly peers: readonly AdminPeer[];
  /** OR of ports; null = every port of every protocol. Never an empty list. */
  readonly ports: readonly AdminPort[] | null;
  readonly location: SourceLocation;
}

/** An AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy, read into one shape. */
export interface AdminPolicy {
  readonly tier: AdminTier;
  readonly name: string;
  /** 0-1000, lower first. A v1alpha1 BANP is 0. */
  readonly priority: number;
  readonly generation: AdminGeneration;
  readonly sourceKind: AdminSourceKind;
  readonly subject: AdminSubject;
  readonly ingress: readonly AdminRule[];
  readonly egress: readonly AdminRule[];
  readonly location: SourceLocation;
}

/** `Kind name`, the form diagnostics and explanations use for these cluster-scoped objects. */
export function adminPolicyRef(p: Pick<AdminPolicy, 'sourceKind' | 'name'>): string {
  return `${p.sourceKind} ${p.name}`;
}
