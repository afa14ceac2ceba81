/**
 * One named test per exposure rule (README "Exposure to pods and namespaces that do not exist yet").
 * Expected lines follow the NetworkPolicy API reference (what a selector admits) in the shape
 * np-guard's netpol-analyzer prints.
 */
import { describe, expect, test } from 'vitest';
import { compile, exposure, hasErrors, loadCluster } from '../../src/index.js';
import { exposurePeerText } from '../../src/query/exposure.js';

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
  test("namespaceSelector {} admits the entire cluster, with the rule's ports", () => {
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
    const l = lines(
      app('a', 'x') +
        policy(
          'a',
          '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: b}}, podSelector: {matchLabels: {app: db}}}]}]',
        ),
    );
    expect(l).toContain('a/x[Deployment] => b/[pod with {app=db}] : All Connections');
  });
  test("a podSelector alone is the policy's own namespace", () => {
    const l = lines(app('a', 'x') + policy('a', '  podSelector: {}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]'));
    expect(l).toEqual(['a/x[Deployment] => a/[pod with {app=db}] : All Connections', 'a/x[Deployment] <= entire-cluster : All Connections']);
  });
  test('a representative that an input pod matches by plain labels is that pod, not exposure', () => {
    const l = lines(
      app('a', 'x') +
        app('a', 'db') +
        policy('a', '  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]'),
    );
    expect(l.filter((x) => x.startsWith('a/x[Deployment] =>'))).toEqual([]);
  });
  test('a selector with expressions stays a representative even when pods match it', () => {
    const l = lines(
      app('a', 'x') +
        app('a', 'db') +
        policy(
          'a',
          '  podSelector: {matchLabels: {app: x}}\n  policyTypes: [Egress]\n  egress: [{to: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [db, cache]}]}}]}]',
        ),
    );
    expect(l).toContain('a/x[Deployment] => a/[pod with {{Key:app,Operator:In,Values:[db cache],}}] : All Connections');
  });
  test('a representative line equal to the entire-cluster exposure is not repeated; a wider one is', () => {
    const same = lines(
      app('a', 'x') +
        policy(
          'a',
          '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {t: y}}}]\n    ports: [{port: 80}]\n  - from: [{namespaceSelector: {}}]\n    ports: [{port: 80}]',
        ),
    );
    expect(same.filter((x) => x.includes('<='))).toEqual(['a/x[Deployment] <= entire-cluster : TCP 80']);
    const wider = lines(
      app('a', 'x') +
        policy(
          'a',
          '  podSelector: {}\n  ingress:\n  - from: [{namespaceSelector: {matchLabels: {t: y}}}]\n    ports: [{port: 81}]\n  - from: [{namespaceSelector: {}}]\n    ports: [{port: 80}]',
        ),
    );
    expect(wider.filter((x) => x.includes('<='))).toEqual([
      'a/x[Deployment] <= [namespace with {t=y}]/[all pods] : TCP 80-81',
      'a/x[Deployment] <= entire-cluster : TCP 80',
    ]);
  });
  test('named ports: kept as names toward a representative (its ports are unknown), resolved on the endpoint for ingress', () => {
    const l = lines(
      app('a', 'x', '{app: x}', '[{name: web, containerPort: 8080}]') +
        policy(
          'a',
          '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n  ingress: [{from: [{namespaceSelector: {}}], ports: [{port: web}]}]\n  egress: [{to: [{namespaceSelector: {matchLabels: {t: y}}}], ports: [{port: http}]}]',
        ),
    );
    expect(l).toEqual(['a/x[Deployment] => [namespace with {t=y}]/[all pods] : TCP http', 'a/x[Deployment] <= entire-cluster : TCP 8080']);
  });
});

/**
 * Through the admin tiers (AdminNetworkPolicy / BaselineAdminNetworkPolicy v1alpha1: Admin by
 * priority, first match decides Allow/Deny/Pass; Pass and the undecided go to the NetworkPolicy
 * tier, or, when no NetworkPolicy isolates the pod there, to the Baseline tier; then allowed).
 */
describe('exposure through the admin tiers', () => {
  const anp = (priority: number, spec: string, name = `anp-${priority}`) => `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
${spec}
---`;
  const banp = (spec: string) => `
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: a}}}
${spec}
---`;
  const house = (h: string) => `{namespaces: {matchLabels: {house: ${h}}}}`;
  const tcp = (p: number) => `[{portNumber: {port: ${p}, protocol: TCP}}]`;

  test('a pod an admin policy selects in a direction is protected there, though no NetworkPolicy selects it', () => {
    const ex = (y: string) => {
      const r = loadCluster([{ name: 't.yaml', text: y }]);
      return exposure(compile(r.cluster)).unprotected.map((u) => `${u.endpoint.id} ${u.direction}`);
    };
    expect(ex(app('a', 'x') + anp(10, `  egress: [{name: e, action: Deny, to: [${house('s')}]}]`))).toEqual(['a/x[Deployment] ingress']);
  });
  test('an admin Allow to future namespaces is a representative line; the rest falls through to allow', () => {
    expect(lines(app('a', 'x') + anp(10, `  ingress: [{name: i, action: Allow, from: [${house('s')}], ports: ${tcp(80)}}]`))).toEqual([
      'a/x[Deployment] => entire-cluster : All Connections',
      'a/x[Deployment] <= entire-cluster : All Connections',
    ]);
    // behind a NetworkPolicy default deny, the Allow is all the representative gets
    expect(
      lines(
        app('a', 'x') +
          policy('a', '  podSelector: {}\n  policyTypes: [Ingress]') +
          anp(10, `  ingress: [{name: i, action: Allow, from: [${house('s')}], ports: ${tcp(80)}}]`),
      ),
    ).toEqual(['a/x[Deployment] => entire-cluster : All Connections', 'a/x[Deployment] <= [namespace with {house=s}]/[all pods] : TCP 80']);
  });
  test('an admin Deny to a representative is a "No Connections" line when the entire cluster gets more', () => {
    expect(
      lines(app('a', 'x') + anp(10, `  egress: [{name: d, action: Deny, to: [${house('s')}]}, {name: all, action: Allow, to: [{namespaces: {}}]}]`)),
    ).toEqual([
      'a/x[Deployment] => [namespace with {house=s}]/[all pods] : No Connections',
      'a/x[Deployment] => entire-cluster : All Connections',
      'a/x[Deployment] <= entire-cluster : All Connections',
    ]);
  });
  test('the first matching rule decides a port: a Deny of TCP 9090 before an Allow of everything', () => {
    expect(
      lines(
        app('a', 'x') +
          anp(10, `  egress: [{name: d, action: Deny, to: [${house('s')}], ports: ${tcp(9090)}}, {name: all, action: Allow, to: [{namespaces: {}}]}]`),
      ).filter((l) => l.includes('=>')),
    ).toEqual([
      // ICMP is in kubereach's connection sets (netpol-analyzer's have no ICMP; the conformance runner drops it when whole)
      'a/x[Deployment] => [namespace with {house=s}]/[all pods] : ICMP 0-255,ICMPv6 0-255,SCTP 1-65535,TCP 1-9089,9091-65535,UDP 1-65535',
      'a/x[Deployment] => entire-cluster : All Connections',
    ]);
  });
  test('policies by priority: a lower number decides first', () => {
    const l = lines(
      app('a', 'x') +
        anp(20, `  ingress: [{name: d, action: Deny, from: [{namespaces: {}}]}]`) +
        anp(5, `  ingress: [{name: a, action: Allow, from: [${house('s')}], ports: ${tcp(80)}}]`),
    );
    expect(l.filter((x) => x.includes('<='))).toEqual(['a/x[Deployment] <= [namespace with {house=s}]/[all pods] : TCP 80']);
  });
  test('Pass skips the rest of the Admin tier: to the NetworkPolicies when one isolates the pod, else to the Baseline', () => {
    const pass =
      anp(10, `  ingress: [{name: p, action: Pass, from: [${house('s')}], ports: ${tcp(80)}}]`) +
      anp(20, `  ingress: [{name: d, action: Deny, from: [{namespaces: {}}]}]`);
    // no NetworkPolicy, no Baseline: passed TCP 80 is allowed by default, the rest denied at priority 20
    expect(lines(app('a', 'x') + pass).filter((x) => x.includes('<='))).toEqual(['a/x[Deployment] <= [namespace with {house=s}]/[all pods] : TCP 80']);
    // a Baseline Deny of TCP 80 decides what was passed
    expect(
      lines(app('a', 'x') + pass + banp(`  ingress: [{name: b, action: Deny, from: [{namespaces: {}}], ports: ${tcp(80)}}]`)).filter((x) => x.includes('<=')),
    ).toEqual([]);
    // a NetworkPolicy isolating the pod decides it instead (and the Baseline is not reached)
    const np = policy('a', '  podSelector: {}\n  ingress: [{from: [{namespaceSelector: {matchLabels: {house: s}}}], ports: [{port: 80}]}]');
    expect(
      lines(app('a', 'x') + pass + np + banp(`  ingress: [{name: b, action: Deny, from: [{namespaces: {}}], ports: ${tcp(80)}}]`)).filter((x) =>
        x.includes('<='),
      ),
    ).toEqual(['a/x[Deployment] <= [namespace with {house=s}]/[all pods] : TCP 80']);
  });
  test('a namedPort carries no protocol: a protocol-less name toward a representative, resolved on the pod for ingress', () => {
    const l = lines(
      app('a', 'x', '{app: x}', '[{name: local, containerPort: 8050, protocol: UDP}]') +
        policy('a', '  podSelector: {}\n  policyTypes: [Ingress, Egress]') +
        anp(
          10,
          `  ingress: [{name: i, action: Allow, from: [{namespaces: {}}], ports: [{namedPort: local}]}]\n  egress: [{name: e, action: Allow, to: [{namespaces: {}}], ports: [{namedPort: local}]}]`,
        ),
    );
    expect(l).toEqual(['a/x[Deployment] => entire-cluster : local', 'a/x[Deployment] <= entire-cluster : UDP 8050']);
  });
});
