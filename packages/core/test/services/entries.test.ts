/**
 * Entry points, one named test per rule (README "kubereach exposure"): Gateway API attachment
 * (listener allowedRoutes.namespaces, default Same) and cross-namespace references (ReferenceGrant),
 * per the Gateway API specification; NodePort/LoadBalancer sources; Ingress rules, defaultBackend and class (the IngressClass controller picks the controller pods), per the networking.k8s.io/v1 API reference.
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
    const sel = GW.replace(
      'allowedRoutes: {namespaces: {from: All}}',
      'allowedRoutes: {namespaces: {from: Selector, selector: {matchLabels: {kubernetes.io/metadata.name: shop}}}}',
    );
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
    expect(paths(svc(', externalTrafficPolicy: Local, loadBalancerSourceRanges: [198.51.100.0/24]'))).toEqual([
      'LoadBalancer a/w[Service] node port 30080/TCP, port 80/TCP -> a/w[Deployment]: admitted',
    ]);
  });
  test('externalTrafficPolicy Cluster with known nodes: the backend sees the node address (SNAT)', () => {
    const nodes = '\n---\napiVersion: v1\nkind: Node\nmetadata: {name: n1}\nstatus: {addresses: [{type: InternalIP, address: 10.0.0.5}]}\n';
    expect(paths(svc(', loadBalancerSourceRanges: [198.51.100.0/24]') + nodes)).toEqual([
      'LoadBalancer a/w[Service] node port 30080/TCP, port 80/TCP -> a/w[Deployment]: not admitted',
    ]);
  });
});

/** networking.k8s.io/v1 Ingress (API reference: IngressSpec rules, defaultBackend, ingressClassName; IngressClass spec.controller). */
describe('Ingress', () => {
  const base = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{name: http, port: 80, targetPort: http}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: nginx, namespace: ingress-nginx}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
  template: {metadata: {labels: {app.kubernetes.io/name: ingress-nginx}}, spec: {containers: [{name: c, image: x}]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: traefik, namespace: traefik}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: traefik}}
  template: {metadata: {labels: {app.kubernetes.io/name: traefik}}, spec: {containers: [{name: c, image: x}]}}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: public}
spec: {controller: traefik.io/ingress-controller}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-nginx, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}]
---`;
  const ingress = (spec: string) => `
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop, namespace: shop}
spec: ${spec}
`;
  const via = (yaml: string) => {
    const r = loadCluster([{ name: 'i.yaml', text: yaml }]);
    expect(hasErrors(r.diagnostics), JSON.stringify(r.diagnostics)).toBe(false);
    return entryPoints(compile(r.cluster)).map((p) => `${p.entry} via ${p.via} -> ${p.backend}: ${p.verdict}`);
  };
  test('each rule path and the defaultBackend is an entry; the controller pods must reach the backend', () => {
    expect(
      via(
        base +
          ingress(
            '{defaultBackend: {service: {name: web, port: {name: http}}}, rules: [{host: a.example, http: {paths: [{path: /x, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]}',
          ),
      ),
    ).toEqual([
      'Ingress shop/shop host * path (default backend) via ingress-nginx/nginx[Deployment], traefik/traefik[Deployment] -> shop/web[Deployment]: partly',
      'Ingress shop/shop host a.example path /x via ingress-nginx/nginx[Deployment], traefik/traefik[Deployment] -> shop/web[Deployment]: partly',
    ]);
  });
  test("ingressClassName picks the controller of its IngressClass, by that controller's pod labels", () => {
    expect(via(base + ingress('{ingressClassName: public, defaultBackend: {service: {name: web, port: {number: 80}}}}'))).toEqual([
      'Ingress shop/shop host * path (default backend) via traefik/traefik[Deployment] -> shop/web[Deployment]: not admitted',
    ]);
  });
  test('no controller pod in the input: unknown, with the reason', () => {
    const noControllers = base
      .split('---')
      .filter((d) => !d.includes('kind: Deployment\nmetadata: {name: nginx') && !d.includes('kind: Deployment\nmetadata: {name: traefik'))
      .join('---');
    const r = loadCluster([{ name: 'i.yaml', text: noControllers + ingress('{defaultBackend: {service: {name: web, port: {number: 80}}}}') }]);
    const p = entryPoints(compile(r.cluster));
    expect(p.map((x) => [x.verdict, x.reason])).toEqual([['unknown', 'no ingress controller pods in the input; name them with --ingress-controller NS/NAME']]);
  });
  test('a backend Service missing from the input is not admitted, with the reason', () => {
    const r = loadCluster([{ name: 'i.yaml', text: base + ingress('{defaultBackend: {service: {name: gone, port: {number: 80}}}}') }]);
    expect(entryPoints(compile(r.cluster)).map((x) => [x.verdict, x.reason])).toEqual([['not admitted', 'the backend Service shop/gone is not in the input']]);
  });
});
