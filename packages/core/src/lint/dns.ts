/**
 * DNS_BLOCKED: an egress-isolated workload that cannot reach cluster DNS (kube-dns/CoreDNS pods:
 * kube-system, label `k8s-app: kube-dns` or named coredns/kube-dns) on both UDP 53 and TCP 53
 * (TCP carries answers too large for UDP, so both are needed). Decided by the index, both sides:
 * the workload's egress and the DNS pods' ingress.
 *
 * When the input holds no DNS pods (an application's manifests alone), the check adds the stock
 * CoreDNS Deployment (kube-system, `k8s-app: kube-dns`, ports 53/UDP and 53/TCP) to a copy of the
 * cluster and says so in the evidence: a rule written for the real DNS pods then matches it.
 */
import * as B from '../compile/bitset.js';
import { compile, type IndexEntity, type ReachabilityIndex } from '../evaluate/index.js';
import type { Finding } from '../audit/finding.js';
import { formatLocation } from '../diagnostics/diagnostic.js';
import { loadCluster } from '../pipeline/load-cluster.js';
import type { Endpoint } from '../model/types.js';
import { explainConnection, formatRule } from '../query/explain.js';

const ASSUMED = `apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
  labels:
    k8s-app: kube-dns
spec:
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      containers:
        - name: coredns
          image: registry.k8s.io/coredns/coredns
          ports:
            - { name: dns, containerPort: 53, protocol: UDP }
            - { name: dns-tcp, containerPort: 53, protocol: TCP }
`;

/** The file name the assumed CoreDNS objects carry in locations. */
export const ASSUMED_DNS_SOURCE = '<assumed CoreDNS>';

export function isDnsEndpoint(e: Pick<Endpoint, 'namespace' | 'name' | 'labels'>): boolean {
  return e.namespace === 'kube-system' && (e.labels['k8s-app'] === 'kube-dns' || /^(coredns|kube-dns)(-|$)/.test(e.name));
}

/** The index to check DNS against: the given one, or one with the stock CoreDNS added when the input has none. */
export function dnsIndex(index: ReachabilityIndex): { index: ReachabilityIndex; assumed: boolean } {
  const cluster = index.compiled.cluster;
  if (cluster.endpoints.some(isDnsEndpoint)) return { index, assumed: false };
  const extra = loadCluster([{ name: ASSUMED_DNS_SOURCE, text: ASSUMED }]).cluster;
  const hasNs = cluster.namespaces.some((n) => n.name === 'kube-system');
  const merged = {
    ...cluster,
    namespaces: hasNs ? cluster.namespaces : [...cluster.namespaces, ...extra.namespaces],
    endpoints: [...cluster.endpoints, ...extra.endpoints],
  };
  return { index: compile(merged, index.compiled.options), assumed: true };
}

export function dnsFindings(index: ReachabilityIndex): Finding[] {
  const { egressIsolated } = index.compiled;
  const isolated = index.entities.filter(
    (e): e is Extract<IndexEntity, { kind: 'endpoint' }> =>
      e.kind === 'endpoint' && B.has(egressIsolated, e.bit) && !e.endpoint.hostNetwork && !isDnsEndpoint(e.endpoint),
  );
  if (isolated.length === 0) return [];
  const { index: idx, assumed } = dnsIndex(index);
  const dns = idx.entities.filter((e) => e.kind === 'endpoint' && isDnsEndpoint(e.endpoint));
  const out: Finding[] = [];
  for (const e of isolated) {
    const src = idx.entities[e.index]!; // endpoints keep their positions: the assumed ones come last
    const missing = (['UDP', 'TCP'] as const).filter((proto) => !dns.some((d) => idx.allows(src, d, proto, 53)));
    if (missing.length === 0) continue;
    const d = dns[0]!;
    const v = explainConnection(idx, src, d, missing[0]!, 53);
    const side = !v.egress.allowed ? v.egress : v.ingress;
    const selected = side.selectedBy.filter((p) => p.tier === 'NetworkPolicy').map((p) => `${p.policy} (${formatLocation(p.location)})`);
    const last = side.steps[side.steps.length - 1];
    const decided =
      last?.kind === 'rule'
        ? `${formatRule(last.rule)} at ${formatLocation(last.rule.location)}`
        : selected.length > 0
          ? `isolated by ${selected.join(', ')} and no rule allows it`
          : 'denied';
    const policyLoc = v.egress.selectedBy.find((p) => p.tier === 'NetworkPolicy')?.location ?? e.endpoint.location;
    out.push({
      id: 'DNS_BLOCKED',
      severity: 'medium',
      subject: e.id,
      message: `${e.id} is isolated for egress and cannot reach cluster DNS on ${missing.map((p) => `${p} 53`).join(' or ')}: name lookups will fail${missing.length === 1 && missing[0] === 'TCP' ? ' for large answers' : ''}.`,
      evidence: `${e.id} -> ${d.id} ${missing[0]} 53 is denied on ${side.direction} (${decided})${assumed ? `; the input has no DNS pods, so the stock CoreDNS Deployment (kube-system, k8s-app=kube-dns) was assumed` : ''}`,
      fix: `Allow egress from ${e.endpoint.namespace} to the DNS pods: to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports UDP 53 and TCP 53${side.direction === 'ingress' ? "; and admit it on the DNS pods' ingress" : ''}.`,
      location: policyLoc,
    });
  }
  return out;
}
