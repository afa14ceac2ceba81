/**
 * The JSON shapes the generator emits: just enough typing to build and inspect Kubernetes objects as
 * `kubectl get -o json` prints them, and the generator's options. These are wire shapes, not the
 * validated model of packages/core.
 */

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  blockOwnerDeletion: boolean;
  controller: boolean;
  kind: string;
  name: string;
  uid: string;
}

export interface ObjectMeta {
  annotations?: Record<string, string>;
  creationTimestamp: string;
  generateName?: string;
  generation?: number;
  labels?: Labels;
  name: string;
  namespace?: string;
  ownerReferences?: OwnerReference[];
  resourceVersion: string;
  uid: string;
}

/** Any generated object; `spec` and `status` are kind-specific plain JSON. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
}

export type ProtocolName = 'TCP' | 'UDP' | 'SCTP';

export interface ContainerPortJson {
  containerPort: number;
  name: string;
  protocol: ProtocolName;
}

export interface LabelSelectorRequirementJson {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelectorJson {
  matchExpressions?: LabelSelectorRequirementJson[];
  matchLabels?: Labels;
}

export interface IPBlockJson {
  cidr: string;
  except?: string[];
}

export interface PeerJson {
  ipBlock?: IPBlockJson;
  namespaceSelector?: LabelSelectorJson;
  podSelector?: LabelSelectorJson;
}

export interface PolicyPortJson {
  endPort?: number;
  port?: number | string;
  protocol: ProtocolName;
}

export interface IngressRuleJson {
  from?: PeerJson[];
  ports?: PolicyPortJson[];
}

export interface EgressRuleJson {
  ports?: PolicyPortJson[];
  to?: PeerJson[];
}

export interface NetworkPolicySpecJson {
  egress?: EgressRuleJson[];
  ingress?: IngressRuleJson[];
  podSelector: LabelSelectorJson;
  policyTypes: ('Ingress' | 'Egress')[];
}

export interface NetworkPolicyJson extends K8sObject {
  apiVersion: 'networking.k8s.io/v1';
  kind: 'NetworkPolicy';
  spec: NetworkPolicySpecJson;
}

export type Shape = 'realistic' | 'adversarial';

export interface GenerateOptions {
  /** Exact number of Pod objects emitted (system pods included). */
  pods: number;
  /** PRNG seed; same options and seed give identical output. Default 1. */
  seed?: number;
  /** Default 'realistic'. */
  shape?: Shape;
  /** Namespaces in total, the 6 system ones included. Default max(7, round(pods / 75)). */
  namespaces?: number;
  /** Exact number of NetworkPolicies. Default round(pods / 15). */
  policies?: number;
  /** Nodes in total, control plane included. Default max(3, round(pods / 30)). */
  nodes?: number;
  /** IPv4+IPv6 pod, node and service addresses, and IPv6 ipBlocks in policies. Default false. */
  dualStack?: boolean;
  /** 0 (default): the base cluster. K > 0: identical except one NetworkPolicy changed. */
  variant?: number;
  /**
   * Fraction (0-1) of the NetworkPolicies rewritten as equivalent Calico NetworkPolicies, with two
   * Calico tiers (security, platform) added; 0 (default): none (gen/calico.ts).
   */
  calico?: number;
}

export type ResolvedOptions = Required<GenerateOptions>;
