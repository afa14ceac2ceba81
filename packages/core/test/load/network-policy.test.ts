import { describe, expect, it } from 'vitest';
import { loadCluster, type NetworkPolicy } from '@kubereach/core';

function policy(spec: string, options = {}) {
  const text = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: shop}\nspec:\n${spec}`;
  return loadCluster([{ name: 'np.yaml', text }], options);
}

function valid(spec: string): NetworkPolicy {
  const r = policy(spec);
  expect(r.diagnostics).toEqual([]);
  expect(r.cluster.policies).toHaveLength(1);
  return r.cluster.policies[0]!;
}

const types = (p: NetworkPolicy) => [p.isolatesIngress, p.isolatesEgress];

describe('policyTypes defaulting (API reference)', () => {
  it('absent: Ingress always, Egress iff there are egress rules', () => {
    expect(types(valid('  podSelector: {}\n'))).toEqual([true, false]);
    expect(types(valid('  podSelector: {}\n  egress: [{}]\n'))).toEqual([true, true]);
    // present but empty is no egress rules
    expect(types(valid('  podSelector: {}\n  egress: []\n'))).toEqual([true, false]);
    // an empty policyTypes list is the same as absent
    expect(types(valid('  podSelector: {}\n  policyTypes: []\n  egress: [{}]\n'))).toEqual([true, true]);
  });

  it('given: exactly what is listed', () => {
    expect(types(valid('  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n'))).toEqual([false, true]);
    expect(types(valid('  podSelector: {}\n  policyTypes: [Ingress]\n  egress: [{}]\n'))).toEqual([true, false]);
    expect(types(valid('  podSelector: {}\n  policyTypes: [Ingress, Egress]\n'))).toEqual([true, true]);
  });
});

describe('rules, peers and ports', () => {
  it('from/ports absent or empty are null (match everything); protocol defaults to TCP', () => {
    const p = valid('  podSelector: {matchLabels: {app: web}}\n  ingress:\n  - {}\n  - from: []\n    ports: []\n  - ports: [{port: 80}]\n');
    expect(p.podSelector).toEqual({ matchLabels: { app: 'web' }, matchExpressions: [] });
    expect(p.ingress.map((r) => [r.index, r.peers, r.ports === null ? null : r.ports.map((x) => [x.protocol, x.port, x.endPort])])).toEqual([
      [0, null, null],
      [1, null, null],
      [2, null, [['TCP', 80, null]]],
    ]);
    expect(p.ingress.map((r) => r.location.line)).toEqual([7, 8, 10]);
  });

  it('keeps nil and empty selectors apart, and reads ipBlocks, named ports and ranges', () => {
    const p = valid(`  podSelector: {}
  egress:
  - to:
    - namespaceSelector: {}
    - podSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [db]}]}
      namespaceSelector: {matchLabels: {team: a}}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
    ports:
    - {port: dns, protocol: UDP}
    - {port: 8000, endPort: 8080, protocol: SCTP}
    - protocol: UDP
`);
    const [r] = p.egress;
    expect(r!.peers!.map((x) => (x.kind === 'pods' ? [x.podSelector, x.namespaceSelector] : [x.cidr.text, x.except.map((e) => e.text)]))).toEqual([
      [null, { matchLabels: {}, matchExpressions: [] }],
      [
        { matchLabels: {}, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['db'] }] },
        { matchLabels: { team: 'a' }, matchExpressions: [] },
      ],
      ['10.0.0.0/8', ['10.1.0.0/16']],
    ]);
    expect(r!.peers!.map((x) => [x.location.line, x.location.col])).toEqual([
      [8, 7],
      [9, 7],
      [11, 7],
    ]);
    expect(r!.ports!.map((x) => [x.protocol, x.port, x.endPort, x.location.line])).toEqual([
      ['UDP', 'dns', null, 13],
      ['SCTP', 8000, 8080, 14],
      ['UDP', null, null, 15],
    ]);
  });

  it('uses the network address when host bits are set, with a warning', () => {
    const r = policy('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.1/8}\n');
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['CIDR_HOST_BITS', 'warning']]);
    const peer = r.cluster.policies[0]!.egress[0]!.peers![0]!;
    expect(peer.kind === 'ipBlock' && peer.cidr.text).toBe('10.0.0.0/8');
  });

  it('rejects invalid label keys and values in selectors', () => {
    const r = policy('  podSelector:\n    matchLabels: {"bad key": x, app: "-x"}\n');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line, d.location?.col])).toEqual([
      ['INVALID_SELECTOR', 6, 30],
      ['INVALID_SELECTOR', 6, 38],
    ]);
  });

  it('an ipBlock without cidr is MISSING_FIELD', () => {
    const r = policy('  podSelector: {}\n  egress:\n  - to:\n    - ipBlock: {except: [10.0.0.0/8]}\n');
    expect(r.diagnostics.map((d) => [d.code, d.location?.line, d.location?.col])).toEqual([['MISSING_FIELD', 8, 16]]);
  });
});

describe('invalid policies', () => {
  const bad = '  podSelector: {}\n  ingress:\n  - ports: [{port: 0}]\n';

  it('are left out and reported as errors naming the policy', () => {
    const r = policy(bad);
    expect(r.cluster.policies).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.object])).toEqual([['PORT_OUT_OF_RANGE', 'error', 'NetworkPolicy shop/np']]);
  });

  it('with ignoreInvalid become warnings plus POLICY_IGNORED', () => {
    const r = policy(bad, { ignoreInvalid: true });
    expect(r.cluster.policies).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.object])).toEqual([
      ['PORT_OUT_OF_RANGE', 'warning', 'NetworkPolicy shop/np'],
      ['POLICY_IGNORED', 'warning', 'NetworkPolicy shop/np'],
    ]);
  });

  it('a NetworkPolicy of another API group (Calico) is not a Kubernetes NetworkPolicy: it is a Calico one', () => {
    const text = 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec: {selector: all()}\n';
    const r = loadCluster([{ name: 'c.yaml', text }]);
    expect(r.diagnostics).toEqual([]);
    expect(r.cluster.policies).toEqual([]);
    expect(r.cluster.others).toEqual([]);
    expect(r.cluster.calico!.policies.map((p) => [p.kind, p.namespace, p.name])).toEqual([['NetworkPolicy', 'shop', 'x']]);
  });
});
