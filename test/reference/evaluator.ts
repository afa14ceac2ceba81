/**
 * The naive reference evaluator: NetworkPolicy networking.k8s.io/v1, pod by pod and rule by rule,
 * written from the Kubernetes API reference (NetworkPolicySpec, NetworkPolicyPeer, IPBlock,
 * NetworkPolicyPort, LabelSelector) and the upstream e2e suite — never from the engine. It is the
 * oracle the fast engine is checked against (test/properties), so it is deliberately slow and plain:
 * no caching, no precomputation, every question answered by walking the cluster again.
 *
 * It imports only the model types and the address parsers; nothing else of @kubereach/core.
 *
 * What the API reference says, and how each sentence appears below:
 * - "Traffic is allowed to a pod if there are no NetworkPolicies selecting the pod ... OR if the
 *   traffic matches at least one ingress rule across all of the NetworkPolicy objects whose
 *   podSelector matches the pod" (same for egress) — `sideAllows`. A policy takes part in a
 *   direction only when its policyTypes include it (the model stores the defaulted policyTypes as
 *   isolatesIngress / isolatesEgress); the rules of a direction it does not list are ignored, as the
 *   API says for `policyTypes: [Ingress]` with egress rules.
 * - "If this field is empty or missing, this rule matches all sources/destinations" (from / to) and
 *   "matches all ports" (ports) — the model turns both into `null`.
 * - A connection needs both sides: the source's egress and the destination's ingress. When one end
 *   is an address outside the cluster only the pod's side exists.
 * - Loopback (a pod to itself) is always allowed. An endpoint that stands for several pods (the
 *   replicas of a workload) asked about itself is a question about two distinct replicas, which is
 *   ordinary pod-to-pod traffic: `podsOf` counts them.
 *
 * Peer selection (NetworkPolicyPeer), the whole table:
 *
 * | peer                                   | namespaces considered            | pods matched in them         |
 * |----------------------------------------|----------------------------------|------------------------------|
 * | rule peers null (from/to absent/empty) | all                              | all pods, and every address  |
 * | podSelector only                       | the policy's own namespace       | pods matching podSelector    |
 * | podSelector {} only                    | the policy's own namespace       | all pods                     |
 * | namespaceSelector only                 | namespaces matching it           | all pods                     |
 * | namespaceSelector {} only              | all namespaces                   | all pods                     |
 * | namespaceSelector + podSelector        | namespaces matching nsSelector   | pods matching podSelector    |
 * | neither (invalid in the API)           | the policy's own namespace       | all pods (by the rules above)|
 * | ipBlock                                | — (addresses, not namespaces)    | see below                    |
 *
 * ipBlock: an address matches when it is inside `cidr` and inside no `except`. An address outside
 * the cluster always can; a pod can only with `ipblockPods: 'match'`, and then it matches when ANY
 * one of its known IPs (endpoint.ips, both families) is inside cidr and inside no except of that
 * block. "Any IP" is our choice: a dual-stack pod sends and receives on either family, so a block of
 * one family that admits one of its addresses admits the pod (the upstream e2e suite puts pod IPs
 * into ipBlocks and expects the pod to be reached). A pod without known IPs never matches an ipBlock.
 *
 * Ports (NetworkPolicyPort): the protocol must be equal; `port: null` is every port of that
 * protocol; a number with `endPort` is the inclusive range; a name is resolved on the destination
 * pod (for an ingress rule the pod the policy selects, for an egress rule the peer pod): it matches
 * when that pod has a containerPort with that name AND the rule's protocol whose number is the port
 * asked for. A named port never matches an address outside the cluster.
 *
 * Label selectors (metav1.LabelSelector): matchLabels AND every matchExpression; In (key present and
 * value listed), NotIn (key absent, or value not listed), Exists, DoesNotExist. An empty selector
 * matches everything.
 */
import type {
  Cluster,
  Endpoint,
  LabelRequirement,
  LabelSelector,
  Labels,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
} from '../../packages/core/src/model/types.js';
import type { Cidr } from '../../packages/core/src/net/ip.js';
import { parseIP } from '../../packages/core/src/net/ip.js';

/** One end of a connection: an endpoint of the cluster, or an address outside it. */
export type Ref = { kind: 'endpoint'; id: string } | { kind: 'ip'; address: string };

export interface ReferenceOptions {
  readonly ipblockPods: 'match' | 'ignore';
}

/** The far end of a rule, resolved: a pod of the cluster, or an outside address (as a number). */
type Party = { kind: 'pod'; endpoint: Endpoint } | { kind: 'ip'; value: bigint };

type Direction = 'ingress' | 'egress';

// ---------------------------------------------------------------------------------------------
// Label selectors

export function requirementMatches(req: LabelRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = has ? labels[req.key] : undefined;
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(value as string);
    case 'NotIn':
      // A pod without the key is "not in" any set of values.
      return !has || !req.values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default: {
      const _x: never = req.operator;
      throw new Error(`unknown operator ${String(_x)}`);
    }
  }
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) return false;
    if (labels[key] !== value) return false;
  }
  for (const req of selector.matchExpressions) {
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Cluster look-ups

/**
 * Labels of a namespace. A namespace that is referenced but not in the list still has its
 * `kubernetes.io/metadata.name` label (the API server sets it on every namespace).
 */
export function namespaceLabels(cluster: Cluster, name: string): Labels {
  for (const ns of cluster.namespaces) {
    if (ns.name === name) return ns.labels;
  }
  return { 'kubernetes.io/metadata.name': name };
}

export function findEndpoint(cluster: Cluster, id: string): Endpoint {
  for (const e of cluster.endpoints) {
    if (e.id === id) return e;
  }
  throw new Error(`reference evaluator: no endpoint ${id}`);
}

/** A policy selects the pods of its own namespace that match its podSelector. */
export function policySelects(policy: NetworkPolicy, pod: Endpoint): boolean {
  return policy.namespace === pod.namespace && selectorMatches(policy.podSelector, pod.labels);
}

function policyTakesPart(policy: NetworkPolicy, direction: Direction): boolean {
  return direction === 'ingress' ? policy.isolatesIngress : policy.isolatesEgress;
}

/** The policies that isolate `pod` in `direction`; empty means the pod is not isolated there. */
export function isolatingPolicies(cluster: Cluster, pod: Endpoint, direction: Direction): NetworkPolicy[] {
  const out: NetworkPolicy[] = [];
  for (const policy of cluster.policies) {
    if (policySelects(policy, pod) && policyTakesPart(policy, direction)) out.push(policy);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Peers

function inCidr(value: bigint, cidr: Cidr): boolean {
  return value >= cidr.start && value <= cidr.end;
}

function blockMatchesAddress(cidr: Cidr, except: readonly Cidr[], value: bigint): boolean {
  if (!inCidr(value, cidr)) return false;
  for (const ex of except) {
    if (inCidr(value, ex)) return false;
  }
  return true;
}

function peerMatches(cluster: Cluster, policy: NetworkPolicy, peer: PolicyPeer, party: Party, options: ReferenceOptions): boolean {
  switch (peer.kind) {
    case 'pods': {
      if (party.kind !== 'pod') return false;
      const pod = party.endpoint;
      // Which namespaces: the policy's own when no namespaceSelector, else those it matches.
      if (peer.namespaceSelector === null) {
        if (pod.namespace !== policy.namespace) return false;
      } else if (!selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, pod.namespace))) {
        return false;
      }
      // Which pods in them: all when no podSelector, else those it matches.
      if (peer.podSelector === null) return true;
      return selectorMatches(peer.podSelector, pod.labels);
    }
    case 'ipBlock': {
      if (party.kind === 'ip') return blockMatchesAddress(peer.cidr, peer.except, party.value);
      if (options.ipblockPods === 'ignore') return false;
      for (const ip of party.endpoint.ips) {
        const parsed = parseIP(ip);
        if (parsed !== null && blockMatchesAddress(peer.cidr, peer.except, parsed.value)) return true;
      }
      return false;
    }
    default: {
      const _x: never = peer;
      throw new Error(`unknown peer ${JSON.stringify(_x)}`);
    }
  }
}

function peersMatch(cluster: Cluster, policy: NetworkPolicy, rule: PolicyRule, party: Party, options: ReferenceOptions): boolean {
  if (rule.peers === null) return true;
  for (const peer of rule.peers) {
    if (peerMatches(cluster, policy, peer, party, options)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Ports

/** `destination` is the pod receiving the connection, or null for an address outside the cluster. */
function portMatches(entry: PolicyPort, destination: Endpoint | null, protocol: Protocol, port: number): boolean {
  if (entry.protocol !== protocol) return false;
  if (entry.port === null) return true;
  if (typeof entry.port === 'number') {
    const end = entry.endPort ?? entry.port;
    return port >= entry.port && port <= end;
  }
  // A named port: only a pod can have one.
  if (destination === null) return false;
  for (const cp of destination.ports) {
    if (cp.name === entry.port && cp.protocol === entry.protocol && cp.port === port) return true;
  }
  return false;
}

function portsMatch(rule: PolicyRule, destination: Endpoint | null, protocol: Protocol, port: number): boolean {
  if (rule.ports === null) return true;
  for (const entry of rule.ports) {
    if (portMatches(entry, destination, protocol, port)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// One side, then the whole connection

/**
 * Does `pod`'s side allow the connection? For egress `pod` is the source and `other` the
 * destination; for ingress `pod` is the destination and `other` the source.
 */
function sideAllows(cluster: Cluster, pod: Endpoint, direction: Direction, other: Party, protocol: Protocol, port: number, options: ReferenceOptions): boolean {
  const policies = isolatingPolicies(cluster, pod, direction);
  if (policies.length === 0) return true;
  // The destination pod on which named ports resolve.
  const destination: Endpoint | null = direction === 'ingress' ? pod : other.kind === 'pod' ? other.endpoint : null;
  for (const policy of policies) {
    const rules = direction === 'ingress' ? policy.ingress : policy.egress;
    for (const rule of rules) {
      if (peersMatch(cluster, policy, rule, other, options) && portsMatch(rule, destination, protocol, port)) {
        return true;
      }
    }
  }
  return false;
}

function toParty(cluster: Cluster, ref: Ref): Party {
  switch (ref.kind) {
    case 'endpoint':
      return { kind: 'pod', endpoint: findEndpoint(cluster, ref.id) };
    case 'ip': {
      const parsed = parseIP(ref.address);
      if (parsed === null) throw new Error(`reference evaluator: bad address ${ref.address}`);
      return { kind: 'ip', value: parsed.value };
    }
    default: {
      const _x: never = ref;
      throw new Error(`unknown ref ${JSON.stringify(_x)}`);
    }
  }
}

/**
 * How many pods an endpoint is, from the API reference: a Pod is one; a Deployment, ReplicaSet,
 * StatefulSet or ReplicationController runs spec.replicas (default 1); a DaemonSet one per node
 * (no Node in the input: assume a cluster of several); Jobs one (parallelism is not in the model).
 * Pod objects of the workload in the input are pods that exist, so the count is at least theirs.
 */
export function podsOf(cluster: Cluster, e: Endpoint): number {
  switch (e.kind) {
    case 'Pod':
      return 1;
    case 'DaemonSet':
      return e.podCount > 0 ? e.podCount : cluster.nodes.length === 1 ? 1 : 2;
    case 'Job':
    case 'CronJob':
      return Math.max(1, e.podCount);
    default:
      return Math.max(e.replicas ?? 1, e.podCount);
  }
}

/** A pod talking to itself: the same endpoint, and that endpoint is one pod. */
export function isLoopback(cluster: Cluster, src: Ref, dst: Ref): boolean {
  if (src.kind !== 'endpoint' || dst.kind !== 'endpoint' || src.id !== dst.id) return false;
  const e = cluster.endpoints.find((x) => x.id === src.id);
  if (e === undefined) throw new Error(`reference evaluator: no endpoint ${src.id}`);
  return podsOf(cluster, e) === 1;
}

/**
 * One side on its own: does `pod`'s NetworkPolicies allow the connection in `direction` with `other`?
 * (For the Cilium oracle, whose allows join the NetworkPolicy union; `isolated` says whether any
 * NetworkPolicy isolates the pod there.)
 */
export function networkPolicySide(
  cluster: Cluster,
  pod: Endpoint,
  direction: Direction,
  other: Ref,
  protocol: Protocol,
  port: number,
  options: ReferenceOptions,
): { isolated: boolean; allowed: boolean } {
  const isolated = isolatingPolicies(cluster, pod, direction).length > 0;
  return { isolated, allowed: isolated && sideAllows(cluster, pod, direction, toParty(cluster, other), protocol, port, options) };
}

/**
 * Is a connection from `src` to `dst` on `protocol`/`port` allowed? An address ref must be outside
 * the cluster (not the IP of an endpoint); asking address to address is a misuse and throws.
 */
export function referenceAllowed(cluster: Cluster, src: Ref, dst: Ref, protocol: Protocol, port: number, options: ReferenceOptions): boolean {
  if (isLoopback(cluster, src, dst)) return true;
  const from = toParty(cluster, src);
  const to = toParty(cluster, dst);
  if (from.kind === 'ip' && to.kind === 'ip') throw new Error('reference evaluator: address to address is not a question');
  const egressOk = from.kind === 'pod' ? sideAllows(cluster, from.endpoint, 'egress', to, protocol, port, options) : true;
  const ingressOk = to.kind === 'pod' ? sideAllows(cluster, to.endpoint, 'ingress', from, protocol, port, options) : true;
  return egressOk && ingressOk;
}
