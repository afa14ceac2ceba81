/** The network audit starts from the entry points (services/entry-points.ts), not only from Services and ipBlocks. */
import { expect, test } from 'vitest';
import { auditNetwork, compile, entryPoints, hasErrors, loadCluster } from '../../src/index.js';

const YAML = `
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec:
  selector: {matchLabels: {app.kubernetes.io/name: ingress-nginx}}
  template:
    metadata: {labels: {app.kubernetes.io/name: ingress-nginx}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: edge}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: edge}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: edge}
spec:
  ingressClassName: nginx
  rules: [{http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: edge}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress: [{from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ingress-nginx}}}]}]
  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: jobs}}}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: worker, namespace: jobs}
spec:
  selector: {matchLabels: {app: worker}}
  template:
    metadata: {labels: {app: worker}}
    spec: {containers: [{name: w, image: w}]}
`;

test('LATERAL_PATH starts from a workload an admitted Ingress reaches (it admits nothing from addresses outside)', () => {
  const r = loadCluster([{ name: 'i.yaml', text: YAML }]);
  expect(hasErrors(r.diagnostics)).toBe(false);
  const index = compile(r.cluster);
  expect(entryPoints(index).map((p) => [p.backend, p.verdict])).toEqual([['edge/web[Deployment]', 'admitted']]);
  const lateral = auditNetwork(index).filter((f) => f.id === 'LATERAL_PATH' && f.subject === 'edge/web[Deployment]');
  expect(lateral.length).toBeGreaterThan(0);
  expect(lateral[0]!.message).toContain('edge/web[Deployment] (reached from outside through Ingress edge/web host * path /) can reach cloud metadata service');
  expect(lateral[0]!.path).toEqual(['edge/web[Deployment]', 'jobs/worker[Deployment]', expect.stringContaining('169.254.169.254')]);
});

test('an Ingress whose controller is refused is no entry for the audit', () => {
  const closed = YAML.replace('kubernetes.io/metadata.name: ingress-nginx}}}]', 'kubernetes.io/metadata.name: nobody}}}]');
  const index = compile(loadCluster([{ name: 'i.yaml', text: closed }]).cluster);
  expect(entryPoints(index).map((p) => p.verdict)).toEqual(['not admitted']);
  expect(auditNetwork(index).filter((f) => f.id === 'LATERAL_PATH' || f.id === 'EXPOSED_SENSITIVE_WORKLOAD')).toEqual([]);
});
