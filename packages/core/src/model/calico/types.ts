/**
 * Calico's policy model (projectcalico.org/v3, also read as crd.projectcalico.org/v1), validated.
 * Everything here is checked by model/calico/extract.ts; the compiler never re-checks it.
 *
 * Semantics the engine honours (Calico policy reference: NetworkPolicy, GlobalNetworkPolicy, Tier,
 * Rule, EntityRule, NetworkSet, GlobalNetworkSet):
 * - Tiers by `order` (missing = last), ties by name. Inside a tier, the policies that apply to the
 *   endpoint in the direction, by `order` (missing = last), ties by `name/namespace/kind`; rules in
 *   order; the first rule that matches decides: Allow, Deny, Pass (to the next tier); Log records and
 *   continues. A tier where some policy applies and no rule matched ends with its defaultAction.
 * - Kubernetes NetworkPolicies are policies of the `default` tier with order 1000.
 * - An endpoint no policy applies to, or passed out of the last tier, is allowed (its profile).
 * - Staged policies are never enforced; `staged: true` marks them. `--staged` evaluates the input as
 *   if each were enforced the way Calico enforces one (its object becomes the enforced kind's object
 *   of the same namespace and name): `stagedAction: Set` (the default) creates or replaces that
 *   policy, `Delete` deletes it (model/calico/staged.ts).
 */
import type { SourceLocation } from '../../diagnostics/diagnostic.js';
import type { Cidr } from '../../net/ip.js';
import type { Protocol } from '../../base/types.js';
import type { Labels } from '../label-types.js';
import type { NetworkPolicy } from '../network-policy-types.js';
import type { CalicoSelector } from './selector.js';

/** The action of a Calico rule. */
export type CalicoAction = 'Allow' | 'Deny' | 'Pass' | 'Log';

/** The Calico policy kinds kubereach reads. */
export type CalicoPolicyKind = 'NetworkPolicy' | 'GlobalNetworkPolicy' | 'StagedNetworkPolicy' | 'StagedGlobalNetworkPolicy' | 'StagedKubernetesNetworkPolicy';

/**
 * A protocol as a rule names it: one of the port protocols, one of the ICMP families (by name or as
 * 1 / 58), or another IP protocol (UDPLite, any other number) that the connection space does not hold.
 */
export type CalicoProtocol =
  | { readonly kind: 'port'; readonly protocol: Protocol }
  | { readonly kind: 'icmp'; readonly protocol: 'ICMP' | 'ICMPv6' }
  | { readonly kind: 'other'; readonly name: string };

/**
 * A rule's `icmp` or `notICMP` (Rule reference, "ICMP"): `type` 0-254, `code` 0-255 and only with a
 * type. null fields were not given; both null is no constraint.
 */
export interface CalicoIcmp {
  readonly type: number | null;
  readonly code: number | null;
}

/** A Calico port: a range or a named port. */
export type CalicoPort = { readonly kind: 'range'; readonly start: number; readonly end: number } | { readonly kind: 'named'; readonly name: string };

/** A Calico serviceAccounts match: names and a selector over service-account labels. */
export interface ServiceAccountMatch {
  readonly names: readonly string[];
  readonly selector: CalicoSelector | null;
}

/**
 * A rule's `services` match (EntityRule reference, "ServiceMatch"): a Kubernetes Service by name, in
 * `namespace` or, when that is left empty, in the policy's own namespace.
 */
export interface CalicoServiceMatch {
  readonly name: string;
  /** null: not given (the policy's namespace). */
  readonly namespace: string | null;
  readonly location: SourceLocation;
}

/** A rule's `source` or `destination`. null fields were not given. */
export interface EntityRule {
  readonly selector: CalicoSelector | null;
  readonly notSelector: CalicoSelector | null;
  readonly namespaceSelector: CalicoSelector | null;
  readonly serviceAccounts: ServiceAccountMatch | null;
  readonly nets: readonly Cidr[] | null;
  readonly notNets: readonly Cidr[];
  readonly ports: readonly CalicoPort[] | null;
  readonly notPorts: readonly CalicoPort[];
  /**
   * `services`: the endpoints of a Service (never with selector, notSelector, namespaceSelector,
   * nets, notNets or serviceAccounts); as destination also each endpoint's port.
   */
  readonly services: CalicoServiceMatch | null;
}

/** One Calico rule: action, protocol, source and destination, with where it was written. */
export interface CalicoRule {
  readonly index: number;
  readonly action: CalicoAction;
  readonly protocol: CalicoProtocol | null;
  readonly notProtocol: CalicoProtocol | null;
  /** `icmp` (the ICMP messages the rule matches) and `notICMP` (those it does not); need an ICMP protocol. */
  readonly icmp: CalicoIcmp | null;
  readonly notICMP: CalicoIcmp | null;
  readonly ipVersion: 4 | 6 | null;
  readonly source: EntityRule;
  readonly destination: EntityRule;
  readonly location: SourceLocation;
}

/** A Calico (Global)NetworkPolicy, staged or not, with its tier and order. */
export interface CalicoPolicy {
  readonly kind: CalicoPolicyKind;
  /** null for global kinds. */
  readonly namespace: string | null;
  /** Name without the tier prefix (`security.deny-x` in tier `security` is `deny-x`). */
  readonly name: string;
  readonly tier: string;
  readonly order: number | null;
  readonly selector: CalicoSelector;
  /** GlobalNetworkPolicy only. */
  readonly namespaceSelector: CalicoSelector | null;
  readonly serviceAccountSelector: CalicoSelector | null;
  /** types after defaulting. */
  readonly appliesIngress: boolean;
  readonly appliesEgress: boolean;
  readonly ingress: readonly CalicoRule[];
  readonly egress: readonly CalicoRule[];
  readonly staged: boolean;
  /** Staged policies only: what enforcing it does to the same-named enforced policy (Set, the default, or Delete). */
  readonly stagedAction: StagedAction;
  readonly location: SourceLocation;
}

/** `stagedAction`: Set creates or replaces the enforced policy of the same name, Delete deletes it. */
export type StagedAction = 'Set' | 'Delete';

/** A StagedKubernetesNetworkPolicy: a networking.k8s.io NetworkPolicy staged under its namespace and name. */
export interface StagedKubernetesPolicy {
  readonly policy: NetworkPolicy;
  readonly stagedAction: StagedAction;
  readonly location: SourceLocation;
}

/** A Calico Tier: its order and default action. */
export interface CalicoTier {
  readonly name: string;
  readonly order: number | null;
  readonly defaultAction: 'Deny' | 'Pass';
  /** null for tiers that exist without an object (`default`, or one only named by policies). */
  readonly location: SourceLocation | null;
}

/** A NetworkSet (namespaced) or GlobalNetworkSet (namespace null): labelled address ranges. */
export interface CalicoNetworkSet {
  readonly namespace: string | null;
  readonly name: string;
  readonly labels: Labels;
  readonly nets: readonly Cidr[];
  readonly location: SourceLocation;
}

/** Everything Calico in an input: policies, tiers, network sets and profiles. */
export interface CalicoModel {
  /** Every valid policy (staged ones included, marked), in input order. */
  readonly policies: readonly CalicoPolicy[];
  /** StagedKubernetesNetworkPolicies, in input order (evaluated only with --staged). */
  readonly stagedKubernetes: readonly StagedKubernetesPolicy[];
  readonly tiers: readonly CalicoTier[];
  readonly networkSets: readonly CalicoNetworkSet[];
  /** ServiceAccount labels by `namespace/name` (for `pcsa.*` and serviceAccountSelector). */
  readonly serviceAccounts: ReadonlyMap<string, Labels>;
  /** What the answers cannot account for (source ports, Profile rules, http...): one line each, distinct. */
  readonly caveats: readonly string[];
  /** Profile name -> its labelsToApply (`kns.<ns>`, `ksa.<ns>.<sa>` apply to Pods too). */
  readonly profiles: ReadonlyMap<string, Labels>;
}

/** Orders of the tiers Calico creates itself. */
export const KUBE_ADMIN_TIER_ORDER = 1_000;
export const DEFAULT_TIER_ORDER = 1_000_000;
export const KUBE_BASELINE_TIER_ORDER = 10_000_000;
/** Order Calico gives Kubernetes NetworkPolicies in the default tier. */
export const K8S_NETWORK_POLICY_ORDER = 1000;
