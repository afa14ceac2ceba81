/**
 * Terse builders for model objects in unit tests (the loader has its own tests; engine tests state
 * clusters directly so each test shows exactly the semantic rule it checks).
 */
import type {
  Cluster,
  ContainerPort,
  Endpoint,
  LabelRequirement,
  LabelSelector,
  NetworkPolicy,
  PolicyPeer,
  PolicyPort,
  PolicyRule,
  Protocol,
} from '../../src/model/types.js';
import { parseCidr, type Cidr } from '../../src/net/ip.js';
import { endpoint } from '../../../../test/reference/build.js';

export const LOC = { file: 'test.yaml', line: 1, col: 1, doc: 0 };

export function sel(matchLabels: Record<string, string> = {}, matchExpressions: LabelRequirement[] = []): LabelSelector {
  return { matchLabels, matchExpressions };
}

export function pod(ns: string, name: string, labels: Record<string, string> = {}, extra: Partial<Endpoint> = {}): Endpoint {
  // one builder for model endpoints across the test tree (test/reference/build.ts); engine tests add fields by spreading
  return { ...endpoint(ns, name, labels), location: LOC, ...extra, id: extra.id ?? `${ns}/${name}[${extra.kind ?? 'Pod'}]` };
}

export function cport(name: string, port: number, protocol: Protocol = 'TCP'): ContainerPort {
  return { name, port, protocol };
}

export function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (typeof c === 'string') throw new Error(`bad cidr ${text}`);
  return c;
}

export const peer = {
  pods: (podSelector: LabelSelector | null, namespaceSelector: LabelSelector | null = null): PolicyPeer => ({
    kind: 'pods',
    podSelector,
    namespaceSelector,
    location: LOC,
  }),
  ip: (c: string, ...except: string[]): PolicyPeer => ({ kind: 'ipBlock', cidr: cidr(c), except: except.map(cidr), location: LOC }),
};

export function port(p: number | string | null, protocol: Protocol = 'TCP', endPort: number | null = null): PolicyPort {
  return { protocol, port: p, endPort, location: LOC };
}

export function rule(peers: PolicyPeer[] | null, ports: PolicyPort[] | null = null, index = 0): PolicyRule {
  return { index, peers, ports, location: LOC };
}

export function netpol(
  ns: string,
  name: string,
  podSelector: LabelSelector,
  spec: { ingress?: PolicyRule[]; egress?: PolicyRule[]; isolatesIngress?: boolean; isolatesEgress?: boolean },
): NetworkPolicy {
  const ingress = (spec.ingress ?? []).map((r, i) => ({ ...r, index: i }));
  const egress = (spec.egress ?? []).map((r, i) => ({ ...r, index: i }));
  return {
    namespace: ns,
    name,
    podSelector,
    isolatesIngress: spec.isolatesIngress ?? true,
    isolatesEgress: spec.isolatesEgress ?? egress.length > 0,
    ingress,
    egress,
    location: LOC,
  };
}

export function cluster(parts: { endpoints: Endpoint[]; policies?: NetworkPolicy[]; namespaces?: Record<string, Record<string, string>> }): Cluster {
  const names = new Set(parts.endpoints.map((e) => e.namespace));
  for (const p of parts.policies ?? []) names.add(p.namespace);
  for (const n of Object.keys(parts.namespaces ?? {})) names.add(n);
  return {
    namespaces: [...names].sort().map((n) => ({
      name: n,
      labels: { ...(parts.namespaces?.[n] ?? {}), 'kubernetes.io/metadata.name': n },
      location: null,
    })),
    endpoints: parts.endpoints,
    nodes: [],
    services: [],
    policies: parts.policies ?? [],
    others: [],
  };
}
