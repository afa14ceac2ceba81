/**
 * The validated NetworkPolicy (networking.k8s.io/v1) shapes. They live apart from model/types.ts
 * because other policy models embed a NetworkPolicy (Calico's StagedKubernetesNetworkPolicy) and
 * model/types.ts holds those models in turn: keeping these here leaves the imports acyclic.
 */
import type { Cidr } from '../net/ip.js';
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { Protocol } from '../base/types.js';
import type { LabelSelector } from './label-types.js';

/** A NetworkPolicy port entry after validation. `port: null` means every port of `protocol`. */
export interface PolicyPort {
  readonly protocol: Protocol;
  /** A number, a named port (resolved on the destination pod), or null for all ports. */
  readonly port: number | string | null;
  /** Inclusive end of a numeric range; null when absent. */
  readonly endPort: number | null;
  readonly location: SourceLocation;
}

/** A NetworkPolicy peer: pods and/or namespaces by selector, or an ipBlock. */
export type PolicyPeer =
  | {
      readonly kind: 'pods';
      /** null = not given (with a namespaceSelector: all pods of the selected namespaces). */
      readonly podSelector: LabelSelector | null;
      /** null = not given (the policy's own namespace). */
      readonly namespaceSelector: LabelSelector | null;
      readonly location: SourceLocation;
    }
  | {
      readonly kind: 'ipBlock';
      readonly cidr: Cidr;
      readonly except: readonly Cidr[];
      readonly location: SourceLocation;
    };

/** One ingress or egress rule of a NetworkPolicy, with where it was written. */
export interface PolicyRule {
  /** Position of the rule in its list (0-based), as shown in explanations. */
  readonly index: number;
  /** null when `from`/`to` is absent or empty: the rule matches every peer. */
  readonly peers: readonly PolicyPeer[] | null;
  /** null when `ports` is absent or empty: every port of every protocol. */
  readonly ports: readonly PolicyPort[] | null;
  readonly location: SourceLocation;
}

/** A NetworkPolicy (networking.k8s.io/v1), read and validated. */
export interface NetworkPolicy {
  readonly namespace: string;
  readonly name: string;
  readonly podSelector: LabelSelector;
  /** policyTypes after defaulting: Ingress always unless only Egress is listed; Egress when listed or when egress rules exist. */
  readonly isolatesIngress: boolean;
  readonly isolatesEgress: boolean;
  readonly ingress: readonly PolicyRule[];
  readonly egress: readonly PolicyRule[];
  readonly location: SourceLocation;
}
