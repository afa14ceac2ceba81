/**
 * One named test per exposure rule (README "Exposure to pods and namespaces that do not exist yet").
 * Expected lines follow the NetworkPolicy API reference (what a selector admits) in the shape
 * np-guard's netpol-analyzer prints.
 */
import { describe, expect, test } from 'vitest';
import { compile, exposure, exposurePeerText, hasErrors, loadCluster } from '../../src/index.js';

function lines(yaml: string): string[] {
  const r = loadCluster([{ name: 't.yaml', text: yaml }]);
  expect(hasErrors(r.diagnostics), JSON.stringify(r.diagnostics)).toBe(false);
  const ex = exposure(compile(r.cluster, { ipblockPods: 'ignore' }));
  return [
    ...ex.egress.filter((l) => l.peer.kind !== 'external').map((l) => `${l.endpoint.id} => ${exposurePeerText(l.peer)} : ${l.conn.toString()}`),
    ...ex.ingress.filter((l) => l.peer.kind !== 'external').map((l) => `${l.endpoint.id} <= ${exposurePeerText(l.peer)} : ${l.conn.toString()}`),
  ];
}

const app = (ns: string, name: string, labels = `{app: ${name}}`, ports = '[]') => `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec: {containers: [{name: c, image: x, ports: ${ports}}]}
---`;

const policy = (ns: string, spec: string) => `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ${ns}}
spec:
${spec}
---`;

describe('exposure', () => {
  test('an endpoint no policy isolates is exposed to the entire cluster in that direction', () => {
    expect(lines(app('a', 'x'))).toEqual(['a/x[Deployment] => entire-cluster : All Connections', 'a/x[Deployment] <= entire-cluster : All Connections']);
  });
  test('namespaceSelector {} admits the entire cluster, with the rule\'s ports', () => {
    const l = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: 80}]}]'));
    expect(l).toContain('a/x[Deployment] <= entire-cluster : TCP 80');
  });
  test('a rule without from admits the entire cluster', () => {
    expect(lines(app('a', 'x') + policy('a', '  podSelector: {}\n  ingress: [{ports: [{port: 80}]}]'))).toContain('a/x[Deployment] <= entire-cluster : TCP 80');
  });
  test('a namespaceSelector admits future namespaces so labelled: [namespace with {...}]/[all pods]', () => {
    const l = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {team: payments}}}]}]'));
    expect(l).toContain('a/x[Deployment] <= [namespace with {team=payments}]/[all pods] : All Connections');
  });
  test('a namespace named by kubernetes.io/metadata.name prints as its name; a podSelector as [pod with {...}]', () => {
    const l = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}, podSelector: {matchLabels: {app: db}}}]}]'));
    expect(l).toContain('a/x[Deployment] => b/[pod with {app=db}] : All Connections');
  });
  test('a podSelector alone is the policy\'s own namespace', () => {
    const l = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]'));
    expect(l).toEqual(['a/x[Deployment] => a/[pod with {app=db}] : All Connections', 'a/x[Deployment] <= entire-cluster : All Connections']);
  });
  test('a representative that an input pod matches by plain labels is that pod, not exposure', () => {
    const l = lines(app('a', 'x') + app('a', 'db') + policy('a', '  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]'));
    expect(l.filter((x) => x.startsWith('a/x[Deployment] =>'))).toEqual([]);
  });
  test('a selector with expressions stays a representative even when pods match it', () => {
    const l = lines(app('a', 'x') + app('a', 'db') + policy('a', '  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [db, cache]}]}}]}]'));
    expect(l).toContain('a/x[Deployment] => a/[pod with {{Key:app,Operator:In,Values:[db cache],}}] : All Connections');
  });
  test('a representative line equal to the entire-cluster exposure is not repeated; a wider one is', () => {
    const same = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {t: y}}}]\n    ports: [{port: 80}]\n  - from: [{namespaceSelector: {}}]\n    ports: [{port: 80}]'));
    expect(same.filter((x) => x.includes('<='))).toEqual(['a/x[Deployment] <= entire-cluster : TCP 80']);
    const wider = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {t: y}}}]\n    ports: [{port: 81}]\n  - from: [{namespaceSelector: {}}]\n    ports: [{port: 80}]'));
    expect(wider.filter((x) => x.includes('<='))).toEqual(['a/x[Deployment] <= [namespace with {t=y}]/[all pods] : TCP 80-81', 'a/x[Deployment] <= entire-cluster : TCP 80']);
  });
  test('named ports: kept as names toward a representative (its ports are unknown), resolved on the endpoint for ingress', () => {
    const l = lines(
      app('a', 'x', '{app: x}', '[{name: web, containerPort: 8080}]') +
        policy('a', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: web}]}]\n  egress: [{to: [{namespaceSelector: {matchLabels: {t: y}}}], ports: [{port: http}]}]'),
    );
    expect(l).toEqual(['a/x[Deployment] => [namespace with {t=y}]/[all pods] : TCP http', 'a/x[Deployment] <= entire-cluster : TCP 8080']);
  });
});
