/**
 * The typed, validated model: what the `model` stage produces from parsed documents and what every
 * later stage consumes. Plain readonly data, no methods, no I/O; every object keeps the location it
 * came from so findings and explanations can point at file:line:col.
 */
import type { SourceLocation } from '../diagnostics/diagnostic.js';
import type { AdminPolicy } from './admin/types.js';
import type { CiliumCidrGroup, CiliumPolicy } from './cilium/types.js';
import type { CalicoModel } from './calico/types.js';
import type { Protocol } from '../base/types.js';

export type { Protocol };
/** The protocols a Kubernetes port may name. */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type { Labels, LabelRequirement, LabelSelector, SelectorOperator } from './label-types.js';
import type { Labels, LabelSelector } from './label-types.js';

export type { NetworkPolicy, PolicyPeer, PolicyPort, PolicyRule } from './network-policy-types.js';
import type { NetworkPolicy } from './network-policy-types.js';

/** A container port; `name` is '' when the port is unnamed. */
export interface ContainerPort {
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** Quantities as written (`500m`, `1Gi`); the audit parses them. */
export type ResourceList = Readonly<Record<string, string>>;

/** A container of a pod template: its ports, and the resources LimitRange/ResourceQuota checks read. */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly args: readonly string[];
  readonly ports: readonly ContainerPort[];
  readonly requests: ResourceList;
  readonly limits: ResourceList;
  /** Init containers are kept for resource checks; their ports are not endpoints. */
  readonly init: boolean;
  readonly location: SourceLocation;
}

/** The kinds an endpoint may be: a Pod or a workload that makes pods. */
export type WorkloadKind = 'Pod' | 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController';

/**
 * A workload (one representative endpoint built from its pod template) or a bare pod. Pods owned by
 * a workload fold into it; see the README's "Input" section for the naming rules.
 */
export interface Endpoint {
  /** `namespace/name[Kind]`, unique in a cluster. */
  readonly id: string;
  readonly kind: WorkloadKind;
  readonly namespace: string;
  readonly name: string;
  /** Labels of the pod template (or of the pod). */
  readonly labels: Labels;
  /** Ports of all (non-init) containers, in declaration order. */
  readonly ports: readonly ContainerPort[];
  readonly containers: readonly Container[];
  /** Known pod IPs (status.podIP / podIPs of the pods folded in), canonical text, both families. */
  readonly ips: readonly string[];
  readonly hostNetwork: boolean;
  readonly nodeName: string | null;
  /** spec.replicas when given (Deployment, ReplicaSet, StatefulSet, ReplicationController), or spec.parallelism (Job; a CronJob's jobTemplate). */
  readonly replicas: number | null;
  /** How many Pod objects of the input folded into this endpoint (0 for a workload seen without pods). */
  readonly podCount: number;
  readonly serviceAccountName: string | null;
  readonly priorityClassName: string | null;
  readonly location: SourceLocation;
  /**
   * The Pod objects folded into this endpoint, when the input has them (their own labels: a
   * selector on a per-pod label such as `statefulset.kubernetes.io/pod-name` tells them apart, and
   * then the compile stage lists them pod by pod).
   */
  readonly pods?: readonly PodInfo[];
}

/** One Pod object of a workload, as far as policies can observe it. */
export interface PodInfo {
  readonly name: string;
  readonly labels: Labels;
  readonly ips: readonly string[];
  readonly nodeName: string | null;
  readonly location: SourceLocation;
}

/** A Namespace and its labels. */
export interface Namespace {
  readonly name: string;
  /** Always includes `kubernetes.io/metadata.name: <name>`. */
  readonly labels: Labels;
  /** null when the namespace is only referenced, not defined in the input. */
  readonly location: SourceLocation | null;
}

/** One address of a Node, with its type (InternalIP, ExternalIP, ...). */
export interface NodeAddress {
  readonly type: string; // InternalIP, ExternalIP, Hostname, ...
  readonly address: string;
}

/** A Node: its addresses, labels and pod CIDRs. */
export interface Node {
  readonly name: string;
  readonly labels: Labels;
  readonly addresses: readonly NodeAddress[];
  /** From `node-role.kubernetes.io/control-plane` or `node-role.kubernetes.io/master`. */
  readonly controlPlane: boolean;
  /** spec.podCIDRs / podCIDR when given. */
  readonly podCIDRs: readonly string[];
  readonly location: SourceLocation;
}

/** One port of a Service: port, targetPort, protocol, nodePort. */
export interface ServicePort {
  readonly name: string;
  readonly port: number;
  readonly targetPort: number | string;
  readonly nodePort: number | null;
  readonly protocol: Protocol;
}

/** A Service: its type, selector, addresses and ports. */
export interface Service {
  readonly namespace: string;
  readonly name: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** null: no selector (endpoints managed elsewhere). */
  readonly selector: Labels | null;
  readonly ports: readonly ServicePort[];
  readonly clusterIPs: readonly string[];
  /** metadata.labels (Cilium's toServices k8sServiceSelector selects on them); absent: none. */
  readonly labels?: Labels;
  readonly location: SourceLocation;
  /** spec.externalName of an ExternalName Service. */
  readonly externalName?: string | null;
  /** spec.externalTrafficPolicy ('Cluster' when absent): Local keeps the client address but only nodes with a backend answer. */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
  /** spec.loadBalancerSourceRanges: the client ranges a LoadBalancer admits (empty: every address). */
  readonly loadBalancerSourceRanges?: readonly string[];
  /** spec.externalIPs and status.loadBalancer.ingress[].ip: addresses outside the cluster that lead to it. */
  readonly externalIPs?: readonly string[];
  readonly loadBalancerIPs?: readonly string[];
}

/**
 * One set of addresses behind a Service without a selector: an EndpointSlice (discovery.k8s.io/v1),
 * or one subset of an Endpoints object.
 */
export interface ServiceEndpoints {
  readonly kind: 'EndpointSlice' | 'Endpoints';
  readonly namespace: string;
  /** The object's name. */
  readonly name: string;
  /** The Service it belongs to (the `kubernetes.io/service-name` label, or the Endpoints' own name). */
  readonly service: string;
  readonly addresses: readonly EndpointAddress[];
  readonly ports: readonly EndpointPort[];
  readonly location: SourceLocation;
}

/** One address of an EndpointSlice or Endpoints object, and the pod behind it. */
export interface EndpointAddress {
  readonly ip: string;
  /** targetRef to a Pod, when given. */
  readonly pod: { readonly namespace: string; readonly name: string } | null;
  /** conditions.ready (EndpointSlice) or addresses vs notReadyAddresses (Endpoints). */
  readonly ready: boolean;
}

/** One port of an EndpointSlice or Endpoints object. */
export interface EndpointPort {
  /** Matches the Service port's name ('' for a single unnamed port). */
  readonly name: string;
  readonly port: number;
  readonly protocol: Protocol;
}

/** An object of a kind the model does not interpret; kept aside, counted, listed with --verbose. */
export interface OtherObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace: string | null;
  readonly name: string | null;
  /** The object as parsed (plain JSON data); later stages (configuration audit) read it. */
  readonly value: unknown;
  readonly location: SourceLocation;
  /** Location of a field inside this object, by path (e.g. ['spec', 'limits', 0]); the object's own when unknown. */
  readonly locate: (path: readonly (string | number)[]) => SourceLocation;
  /** Location of character `index` of the string at `path` (see RawObject.locateChar). */
  readonly locateChar?: (path: readonly (string | number)[], index: number) => SourceLocation;
}

/** Everything an input holds, typed and validated: the result of {@link loadCluster} and what {@link compile} takes. */
export interface Cluster {
  readonly namespaces: readonly Namespace[];
  readonly endpoints: readonly Endpoint[];
  readonly nodes: readonly Node[];
  readonly services: readonly Service[];
  readonly policies: readonly NetworkPolicy[];
  /** Cluster-scoped admin tiers (ClusterNetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy), in evaluation order. */
  readonly adminPolicies?: readonly AdminPolicy[];
  /** EndpointSlices and Endpoints (the backends of Services without a selector). */
  readonly serviceEndpoints?: readonly ServiceEndpoints[];
  /** CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy objects, in input order. */
  readonly ciliumPolicies?: readonly CiliumPolicy[];
  /** CiliumCIDRGroup objects (referenced by toCIDRSet cidrGroupRef / cidrGroupSelector). */
  readonly ciliumCidrGroups?: readonly CiliumCidrGroup[];
  /** Ingresses, Gateways, Routes and ReferenceGrants (entry points from outside). */
  readonly entries?: EntryObjects;
  /** Calico policies, tiers and network sets (model/calico); absent when the input has none. */
  readonly calico?: CalicoModel;
  readonly others: readonly OtherObject[];
}

/** A backend reference of an Ingress or a Route: a Service and its port (number or name). */
export interface BackendRef {
  readonly namespace: string;
  readonly service: string;
  /** null: not given (Routes require it for Services; an Ingress requires number or name). */
  readonly port: number | string | null;
}

/** networking.k8s.io/v1 Ingress: every rule path and the default backend, flattened. */
export interface Ingress {
  readonly namespace: string;
  readonly name: string;
  /** spec.ingressClassName or the kubernetes.io/ingress.class annotation; null when neither. */
  readonly className: string | null;
  readonly paths: readonly { readonly host: string; readonly path: string; readonly backend: BackendRef }[];
  readonly tls: boolean;
  readonly location: SourceLocation;
}

/** gateway.networking.k8s.io Gateway with its listeners. */
export interface Gateway {
  readonly namespace: string;
  readonly name: string;
  readonly className: string;
  readonly listeners: readonly {
    readonly name: string;
    readonly port: number;
    readonly protocol: string;
    /** allowedRoutes.namespaces.from (default Same); Selector's labels in `selector`. */
    readonly from: 'Same' | 'All' | 'Selector';
    readonly selector: LabelSelector | null;
  }[];
  readonly location: SourceLocation;
}

/** HTTPRoute, GRPCRoute or TLSRoute: its parent Gateways and backend Services. */
export interface Route {
  readonly kind: 'HTTPRoute' | 'GRPCRoute' | 'TLSRoute';
  readonly namespace: string;
  readonly name: string;
  readonly parents: readonly { readonly namespace: string; readonly name: string; readonly sectionName: string | null }[];
  readonly backends: readonly BackendRef[];
  readonly location: SourceLocation;
}

/** ReferenceGrant (v1beta1): who in other namespaces may refer to what in its namespace. */
export interface ReferenceGrant {
  readonly namespace: string;
  readonly name: string;
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name: string | null }[];
  readonly location: SourceLocation;
}

/** Entry points from outside the cluster read from the input (Services are in `services`). */
export interface EntryObjects {
  readonly ingresses: readonly Ingress[];
  readonly ingressClasses: readonly { readonly name: string; readonly controller: string }[];
  readonly gateways: readonly Gateway[];
  readonly routes: readonly Route[];
  readonly referenceGrants: readonly ReferenceGrant[];
}
