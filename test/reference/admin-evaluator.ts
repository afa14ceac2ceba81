/**
 * The naive reference evaluator extended to the admin tiers (policy.networking.k8s.io: ClusterNetworkPolicy
 * v1alpha2, AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1, read into one AdminPolicy form by
 * the model). Written from the CRD field documentation in
 * the shared specs, network-policy-api/config/crd/{standard,experimental}/ — never from the engine — pod
 * by pod, rule by rule, with no precomputation. The NetworkPolicy tier is the NetworkPolicy oracle
 * (evaluator.ts), imported, not rewritten.
 *
 * What the CRD documentation says, and where it appears below:
 * - spec.tier: "Policy tiers are evaluated in the following order: Admin tier, NetworkPolicy tier,
 *   Baseline tier ... If a given connection wasn't allowed or denied by any of the tiers, the default
 *   kubernetes policy is applied, which says that all pods can communicate with each other." — `side`.
 * - spec.priority: "Policies with lower priority values have higher precedence, and are checked
 *   before policies with higher priority values in the same tier." — `tierPolicies` sorts by priority.
 *   Equal priorities are undefined upstream; the arbitraries never generate them.
 * - ingress/egress: "The relative precedence of ... rules within a single CNP object ... will be
 *   determined by the order in which the rule is written" and "CNPs with no egress rules do not affect
 *   egress traffic" — rules in list order, first match; a policy with no rules in a direction is skipped.
 * - action: Accept "No further egress ClusterNetworkPolicy or NetworkPolicy rules will be processed but
 *   any ingress rules at the destination do apply" — each direction is decided on its own and the
 *   connection needs both; Deny "No further ClusterNetworkPolicy or NetworkPolicy rules will be
 *   processed"; Pass "Skips all further ClusterNetworkPolicy rules in the current tier ... and passes
 *   evaluation to the next tier".
 * - NetworkPolicy tier: "v1.NetworkPolicy always makes a final decision for selected pods. Further
 *   evaluation only happens for Pods not selected by a v1.NetworkPolicy." — selected in that direction
 *   (a policy whose policyTypes do not include the direction does not take part in it).
 * - subject / namespaces / pods peers: namespaceSelector (and podSelector) "if empty, selects all";
 *   "host-networked pods are not included in this type of peer" — nor, as subjects, can they be
 *   selected (the model's documented reading, model/admin/types.ts).
 * - networks: "cluster-internal traffic will be checked against the rule as well" — an address in a
 *   block matches, and so does a pod with a known IP in it, under the same `ipblockPods` reading that
 *   NetworkPolicy ipBlocks use ('ignore': addresses outside the cluster only).
 * - nodes: "selects the nodeIPs ... by matching on the IPs present in the node.Status.Addresses field";
 *   an empty selector selects all Nodes. Non-IP addresses (Hostname) are never matched.
 * - protocols / ports: "If unspecified, protocol-specific attributes will not be used to match
 *   traffic" (null = every port of every protocol); number, inclusive range start..end, and
 *   destinationNamedPort: "selects a destination port on a pod based on the ContainerPort name" — the
 *   destination pod's container port of that name, with that port's protocol; never an address.
 * - domainNames: cannot be decided from manifests; matches nothing (as the model documents).
 * - Loopback (a pod to itself) is always allowed, as in the NetworkPolicy oracle; two replicas of
 *   one workload are two pods (isLoopback).
 */
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule, AdminSubject, AdminTier } from '../../packages/core/src/model/admin/types.js';
import type { Cluster, Endpoint, NetworkPolicy, Protocol } from '../../packages/core/src/model/types.js';
import { parseIP } from '../../packages/core/src/net/ip.js';
import {
  findEndpoint,
  isLoopback,
  isolatingPolicies,
  namespaceLabels,
  referenceAllowed,
  selectorMatches,
  type Ref,
  type ReferenceOptions,
} from './evaluator.js';

type Direction = 'ingress' | 'egress';

/** The far end of a rule: a pod of the cluster, or an address (canonical text and number). */
type Party = { kind: 'pod'; endpoint: Endpoint } | { kind: 'ip'; address: string; value: bigint };

/** What decided one direction, as a chain of steps (what `explain` should print). */
export type AdminStep =
  | { readonly kind: 'rule'; readonly tier: AdminTier; readonly policy: AdminPolicy; readonly rule: AdminRule }
  | { readonly kind: 'networkPolicy'; readonly allowed: boolean }
  | { readonly kind: 'default' };

export interface SideDecision {
  readonly allowed: boolean;
  /** Empty when the side has no subject (an address). */
  readonly steps: readonly AdminStep[];
}

export interface AdminDecision {
  readonly allowed: boolean;
  readonly egress: SideDecision;
  readonly ingress: SideDecision;
}

// ---------------------------------------------------------------------------------------------
// Subjects and peers

function subjectSelects(cluster: Cluster, subject: AdminSubject, pod: Endpoint): boolean {
  if (pod.hostNetwork) return false;
  if (!selectorMatches(subject.namespaceSelector, namespaceLabels(cluster, pod.namespace))) return false;
  switch (subject.kind) {
    case 'namespaces':
      return true;
    case 'pods':
      return selectorMatches(subject.podSelector, pod.labels);
    default: {
      const _x: never = subject;
      throw new Error(`unknown subject ${JSON.stringify(_x)}`);
    }
  }
}

function ipsOf(pod: Endpoint): bigint[] {
  const out: bigint[] = [];
  for (const ip of pod.ips) {
    const p = parseIP(ip);
    if (p !== null) out.push(p.value);
  }
  return out;
}

function peerMatches(cluster: Cluster, peer: AdminPeer, party: Party, options: ReferenceOptions): boolean {
  switch (peer.kind) {
    case 'namespaces':
      return party.kind === 'pod' && !party.endpoint.hostNetwork && selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, party.endpoint.namespace));
    case 'pods':
      return (
        party.kind === 'pod' &&
        !party.endpoint.hostNetwork &&
        selectorMatches(peer.namespaceSelector, namespaceLabels(cluster, party.endpoint.namespace)) &&
        selectorMatches(peer.podSelector, party.endpoint.labels)
      );
    case 'networks': {
      const values = party.kind === 'ip' ? [party.value] : options.ipblockPods === 'match' ? ipsOf(party.endpoint) : [];
      return values.some((v) => peer.cidrs.some((c) => v >= c.start && v <= c.end));
    }
    case 'nodes': {
      if (party.kind !== 'ip') return false;
      for (const node of cluster.nodes) {
        if (!selectorMatches(peer.nodeSelector, node.labels)) continue;
        for (const a of node.addresses) {
          const p = parseIP(a.address);
          if (p !== null && p.value === party.value) return true;
        }
      }
      return false;
    }
    case 'domainNames':
      return false;
    default: {
      const _x: never = peer;
      throw new Error(`unknown peer ${JSON.stringify(_x)}`);
    }
  }
}

/** `destination`: the pod receiving the connection, null for an address. */
function portMatches(entry: AdminPort, destination: Endpoint | null, protocol: Protocol, port: number): boolean {
  switch (entry.kind) {
    case 'number':
      return entry.protocol === protocol && entry.port === port;
    case 'range':
      return entry.protocol === protocol && port >= entry.start && port <= entry.end;
    case 'named':
      if (destination === null) return false;
      return destination.ports.some((cp) => cp.name === entry.name && cp.protocol === protocol && cp.port === port);
    default: {
      const _x: never = entry;
      throw new Error(`unknown port ${JSON.stringify(_x)}`);
    }
  }
}

function ruleMatches(
  cluster: Cluster,
  rule: AdminRule,
  other: Party,
  destination: Endpoint | null,
  protocol: Protocol,
  port: number,
  options: ReferenceOptions,
): boolean {
  if (!rule.peers.some((p) => peerMatches(cluster, p, other, options))) return false;
  return rule.ports === null || rule.ports.some((e) => portMatches(e, destination, protocol, port));
}

// ---------------------------------------------------------------------------------------------
// Tiers

/** The policies of a tier that select `pod` and have rules in `direction`, by ascending priority. */
export function tierPolicies(cluster: Cluster, tier: AdminTier, pod: Endpoint, direction: Direction): AdminPolicy[] {
  return (cluster.adminPolicies ?? [])
    .filter((p) => p.tier === tier && (direction === 'ingress' ? p.ingress : p.egress).length > 0 && subjectSelects(cluster, p.subject, pod))
    .sort((a, b) => a.priority - b.priority);
}

/** The first rule of the tier that matches, or null. */
function firstMatch(
  cluster: Cluster,
  tier: AdminTier,
  pod: Endpoint,
  direction: Direction,
  other: Party,
  protocol: Protocol,
  port: number,
  options: ReferenceOptions,
): AdminStep | null {
  const destination = direction === 'ingress' ? pod : other.kind === 'pod' ? other.endpoint : null;
  for (const policy of tierPolicies(cluster, tier, pod, direction)) {
    for (const rule of direction === 'ingress' ? policy.ingress : policy.egress) {
      if (ruleMatches(cluster, rule, other, destination, protocol, port, options)) return { kind: 'rule', tier, policy, rule };
    }
  }
  return null;
}

/**
 * The NetworkPolicy tier for one side, by the NetworkPolicy oracle: a cluster with only the policies
 * that take part in this direction, each made to take part in this direction only, so that
 * `referenceAllowed` (egress AND ingress) answers for this side alone.
 */
function networkPolicySide(
  cluster: Cluster,
  pod: Endpoint,
  direction: Direction,
  other: Party,
  protocol: Protocol,
  port: number,
  options: ReferenceOptions,
): boolean {
  const only = (p: NetworkPolicy): NetworkPolicy => (direction === 'egress' ? { ...p, isolatesIngress: false } : { ...p, isolatesEgress: false });
  const policies = cluster.policies.filter((p) => (direction === 'egress' ? p.isolatesEgress : p.isolatesIngress)).map(only);
  const oneSided: Cluster = { ...cluster, policies, adminPolicies: [] };
  const self: Ref = { kind: 'endpoint', id: pod.id };
  const far: Ref = other.kind === 'pod' ? { kind: 'endpoint', id: other.endpoint.id } : { kind: 'ip', address: other.address };
  return direction === 'egress'
    ? referenceAllowed(oneSided, self, far, protocol, port, options)
    : referenceAllowed(oneSided, far, self, protocol, port, options);
}

/** One direction of `pod` (the source for egress, the destination for ingress), tier by tier. */
function side(cluster: Cluster, pod: Endpoint, direction: Direction, other: Party, protocol: Protocol, port: number, options: ReferenceOptions): SideDecision {
  const steps: AdminStep[] = [];
  const admin = firstMatch(cluster, 'Admin', pod, direction, other, protocol, port, options);
  if (admin !== null && admin.kind === 'rule') {
    steps.push(admin);
    if (admin.rule.action !== 'Pass') return { allowed: admin.rule.action === 'Accept', steps };
  }
  if (isolatingPolicies(cluster, pod, direction).length > 0) {
    const allowed = networkPolicySide(cluster, pod, direction, other, protocol, port, options);
    steps.push({ kind: 'networkPolicy', allowed });
    return { allowed, steps };
  }
  const baseline = firstMatch(cluster, 'Baseline', pod, direction, other, protocol, port, options);
  if (baseline !== null && baseline.kind === 'rule') {
    steps.push(baseline);
    if (baseline.rule.action !== 'Pass') return { allowed: baseline.rule.action === 'Accept', steps };
  }
  steps.push({ kind: 'default' });
  return { allowed: true, steps };
}

function toParty(cluster: Cluster, ref: Ref): Party {
  switch (ref.kind) {
    case 'endpoint':
      return { kind: 'pod', endpoint: findEndpoint(cluster, ref.id) };
    case 'ip': {
      const p = parseIP(ref.address);
      if (p === null) throw new Error(`admin reference evaluator: bad address ${ref.address}`);
      return { kind: 'ip', address: ref.address, value: p.value };
    }
    default: {
      const _x: never = ref;
      throw new Error(`unknown ref ${JSON.stringify(_x)}`);
    }
  }
}

const NO_SIDE: SideDecision = { allowed: true, steps: [] };

/** Both sides of a connection, with the steps that decided each. Address to address throws. */
export function adminDecision(cluster: Cluster, src: Ref, dst: Ref, protocol: Protocol, port: number, options: ReferenceOptions): AdminDecision {
  if (isLoopback(cluster, src, dst)) {
    return { allowed: true, egress: NO_SIDE, ingress: NO_SIDE };
  }
  const from = toParty(cluster, src);
  const to = toParty(cluster, dst);
  if (from.kind === 'ip' && to.kind === 'ip') throw new Error('admin reference evaluator: address to address is not a question');
  const egress = from.kind === 'pod' ? side(cluster, from.endpoint, 'egress', to, protocol, port, options) : NO_SIDE;
  const ingress = to.kind === 'pod' ? side(cluster, to.endpoint, 'ingress', from, protocol, port, options) : NO_SIDE;
  return { allowed: egress.allowed && ingress.allowed, egress, ingress };
}

/** Is a connection allowed, all tiers considered? */
export function adminReferenceAllowed(cluster: Cluster, src: Ref, dst: Ref, protocol: Protocol, port: number, options: ReferenceOptions): boolean {
  return adminDecision(cluster, src, dst, protocol, port, options).allowed;
}
