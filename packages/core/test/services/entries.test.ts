/**
 * Entry points, one named test per rule (README "kubereach exposure"): Gateway API attachment
 * (listener allowedRoutes.namespaces, default Same) and cross-namespace references (ReferenceGrant),
 * per the Gateway API specification; NodePort/LoadBalancer sources; Ingress backends by port name.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile, entryPoints, hasErrors, loadCluster } from '../../src/index.js';

const GW = readFileSync(new URL('../../../../fixtures/services/httproute-without-referencegrant/cluster.yaml', import.meta.url), 'utf8');

function paths(yaml: string) {
  const r = loadCluster([{ name: 'g.yaml', text: yaml }]);
  expect(hasErrors(r.diagnostics), JSON.stringify(r.diagnostics)).toBe(false);
  return entryPoints(compile(r.cluster)).map((p) => `${p.entry} -> ${p.backend}: ${p.verdict}`);
}

describe('Gateway API', () => {
  test('a cross-namespace backendRef without a ReferenceGrant is not resolved (RefNotPermitted)', () => {
    expect(paths(GW)).toContain('Gateway infra/gw http :80 via HTTPRoute apps/frontend -> (none): not admitted');
  });
  test('a ReferenceGrant in the backend namespace from the Route kind and namespace resolves it', () => {
    const granted = GW.replace('kind: HTTPRoute, namespace: other', 'kind: HTTPRoute, namespace: apps');
    expect(paths(granted)).toContain('Gateway infra/gw http :80 via HTTPRoute apps/frontend -> shop/web[Deployment]: admitted');
  });
  test('a grant for another Route kind does not', () => {
    const other = GW.replace('kind: HTTPRoute, namespace: other', 'kind: GRPCRoute, namespace: apps');
    expect(paths(other)).toContain('Gateway infra/gw http :80 via HTTPRoute apps/frontend -> (none): not admitted');
  });
  test('a listener admits Routes of its own namespace only by default', () => {
    const same = GW.replace('allowedRoutes: {namespaces: {from: All}}', 'allowedRoutes: {}');
    expect(paths(same).filter((p) => p.includes('HTTPRoute shop/web'))).toEqual(['Gateway infra/gw http :80 via HTTPRoute shop/web -> (none): not admitted']);
  });
  test('a Selector listener admits namespaces whose labels match', () => {
    const sel = GW.replace('allowedRoutes: {namespaces: {from: All}}', 'allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}}');
    expect(paths(sel)).toContain('Gateway infra/gw http :80 via HTTPRoute shop/web -> shop/web[Deployment]: admitted');
    expect(paths(sel)).toContain('Gateway infra/gw http :80 via HTTPRoute apps/frontend -> (none): not admitted');
  });
});

describe('Services from outside', () => {
  const svc = (extra: string) => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: w, namespace: a}
spec:
  selector: {matchLabels: {app: w}}
  template: {metadata: {labels: {app: w}}, spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}}
---
apiVersion: v1
kind: Service
metadata: {name: w, namespace: a}
spec: {type: LoadBalancer, selector: {app: w}, ports: [{port: 80, nodePort: 30080}]${extra}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {}
  ingress: [{from: [{ipBlock: {cidr: 198.51.100.0/24}}]}]
`;
  test('externalTrafficPolicy Local: the clients are evaluated; some ranges admitted is partly', () => {
    expect(paths(svc(', externalTrafficPolicy: Local'))).toEqual(['LoadBalancer a/w[Service] node port 30080/TCP, port 80/TCP -> a/w[Deployment]: partly']);
  });
  test('loadBalancerSourceRanges limit the clients to those ranges', () => {
    expect(paths(svc(', externalTrafficPolicy: Local, loadBalancerSourceRanges: [198.51.100.0/24]'))).toEqual(['LoadBalancer a/w[Service] node port 30080/TCP, port 80/TCP -> a/w[Deployment]: admitted']);
  });
  test('externalTrafficPolicy Cluster with known nodes: the backend sees the node address (SNAT)', () => {
    const nodes = '\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {addresses: [{type: InternalIP, address: 10.0.0.5}]}\n';
    expect(paths(svc(', loadBalancerSourceRanges: [198.51.100.0/24]') + nodes)).toEqual(['LoadBalancer a/w[Service] node port 30080/TCP, port 80/TCP -> a/w[Deployment]: not admitted']);
  });
});
