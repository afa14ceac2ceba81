/**
 * Small constructors for model objects (packages/core/src/model/types.ts) used by the reference
 * evaluator's tests and by the arbitraries: every field filled, locations fixed, so a test states
 * only what it is about. No defaults that change semantics: a policy's isolation flags and rule
 * lists are always given by the caller.
 */
import type {
  Cluster,
  ContainerPort,
  Endpoint,
  LabelRequirement,
  LabelSelector,
  Labels,
  Namespace,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
  WorkloadKind,
} from '../../packages/core/src/model/types.js';
import type { Cidr } from '../../packages/core/src/net/ip.js';
import { parseCidr } from '../../packages/core/src/net/ip.js';
import type { SourceLocation } from '../../packages/core/src/diagnostics/diagnostic.js';

export const LOC: SourceLocation = { file: 'gen', line: 1, col: 1, doc: 0 };

export function namespace(name: string, labels: Labels = {}): Namespace {
  return { name, labels: { ...labels, 'kubernetes.io/metadata.name': name }, location: LOC };
}

export function cport(name: string, port: number, protocol: Protocol = 'TCP'): ContainerPort {
  return { name, port, protocol };
}

export function endpoint(
  ns: string,
  name: string,
  labels: Labels = {},
  extra: { ports?: readonly ContainerPort[]; ips?: readonly string[]; kind?: WorkloadKind; replicas?: number | null; podCount?: number } = {},
): Endpoint {
  const kind = extra.kind ?? 'Pod';
  const ports = extra.ports ?? [];
  return {
    id: `${ns}/${name}[${kind}]`,
    kind,
    namespace: ns,
    name,
    labels,
    ports,
    containers: [{ name: 'main', image: 'img', command: [], args: [], ports, requests: {}, limits: {}, init: false, location: LOC }],
    ips: extra.ips ?? [],
    hostNetwork: false,
    nodeName: null,
    replicas: extra.replicas ?? null,
    podCount: extra.podCount ?? 1,
    serviceAccountName: null,
    priorityClassName: null,
    location: LOC,
  };
}

export function selector(matchLabels: Labels = {}, matchExpressions: readonly LabelRequirement[] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}

export const ALL: LabelSelector = selector();

export function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (typeof c === 'string') throw new Error(`bad cidr in a test: ${text} (${c})`);
  return c;
}

export function podsPeer(podSelector: LabelSelector | null, namespaceSelector: LabelSelector | null = null): PolicyPeer {
  return { kind: 'pods', podSelector, namespaceSelector, location: LOC };
}

export function ipBlock(block: string, except: readonly string[] = []): PolicyPeer {
  return { kind: 'ipBlock', cidr: cidr(block), except: except.map(cidr), location: LOC };
}

export function pport(protocol: Protocol, port: number | string | null = null, endPort: number | null = null): PolicyPort {
  return { protocol, port, endPort, location: LOC };
}

/** A rule; `index` is filled by `policy` from the rule's position. */
export function rule(peers: readonly PolicyPeer[] | null, ports: readonly PolicyPort[] | null = null): PolicyRule {
  return { index: 0, peers, ports, location: LOC };
}

export function policy(p: {
  namespace: string;
  name: string;
  podSelector: LabelSelector;
  isolatesIngress: boolean;
  isolatesEgress: boolean;
  ingress?: readonly PolicyRule[];
  egress?: readonly PolicyRule[];
}): NetworkPolicy {
  const number = (rules: readonly PolicyRule[]) => rules.map((r, index) => ({ ...r, index }));
  return {
    namespace: p.namespace,
    name: p.name,
    podSelector: p.podSelector,
    isolatesIngress: p.isolatesIngress,
    isolatesEgress: p.isolatesEgress,
    ingress: number(p.ingress ?? []),
    egress: number(p.egress ?? []),
    location: LOC,
  };
}

export function cluster(c: { namespaces: readonly Namespace[]; endpoints: readonly Endpoint[]; policies?: readonly NetworkPolicy[] }): Cluster {
  return { namespaces: c.namespaces, endpoints: c.endpoints, nodes: [], services: [], policies: c.policies ?? [], others: [] };
}
