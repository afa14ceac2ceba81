/**
 * One named test per Cilium policy rule the engine commits to (README "Cilium"). Each cites the
 * section of Cilium's policy-language reference (Documentation/security/policy/) it checks; expected
 * answers come from that text, not from running the engine.
 */
import { describe, expect, test } from 'vitest';
import { compile, hasErrors, loadCluster, type Diagnostic } from '../../src/index.js';

const PODS = `
apiVersion: v1
kind: Namespace
metadata: {name: a, labels: {team: red}}
---
apiVersion: v1
kind: Namespace
metadata: {name: b, labels: {team: blue}}
---
apiVersion: v1
kind: Node
metadata: {name: n1}
status: {addresses: [{type: InternalIP, address: 172.18.0.2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: a, labels: {app: web}}
spec: {serviceAccountName: web-sa, containers: [{name: c, image: x, ports: [{name: http, containerPort: 8080}]}]}
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: a, labels: {app: db}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: b, labels: {app: api}}
spec: {containers: [{name: c, image: x}]}
status: {podIP: 10.0.1.1}
---
apiVersion: v1
kind: Pod
metadata: {name: agent, namespace: b, labels: {app: agent}}
spec: {hostNetwork: true, containers: [{name: c, image: x}]}
status: {podIP: 172.18.0.2}
`;

function load(policies: string, opts: { dns?: Map<string, string[]> } = {}) {
  const { cluster, diagnostics } = loadCluster([{ name: 'c.yaml', text: `${PODS}---\n${policies}` }]);
  expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
  const index = compile(cluster, opts);
  return { index, diagnostics, can: (s: string, d: string, proto: 'TCP' | 'UDP' | 'ICMP' = 'TCP', port = 80) => index.can(s, d, proto, port) };
}

const cnp = (ns: string, name: string, spec: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n${spec}`;
const ccnp = (name: string, spec: string) => `apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}`;

describe('policy enforcement (intro.rst "Policy Enforcement Modes", default mode)', () => {
  test('an endpoint selected by a rule with an ingress section is in default deny at ingress, not at egress', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: web}}]'));
    expect(can('a/web', 'a/db')).toBe(true);
    expect(can('b/api', 'a/db')).toBe(false);
    expect(can('a/db', 'b/api')).toBe(true);
  });
  test('an empty rule `ingress: [{}]` isolates and allows nothing (unlike NetworkPolicy `- {}`)', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {}\n  ingress:\n  - {}'));
    expect(can('a/web', 'a/db')).toBe(false);
    expect(can('8.8.8.8', 'a/db')).toBe(false);
  });
  test('enableDefaultDeny: {ingress: false} makes the rules additive without isolating', () => {
    const { can } = load(
      cnp(
        'a',
        'p',
        '  endpointSelector: {matchLabels: {app: db}}\n  enableDefaultDeny: {ingress: false}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: web}}]',
      ),
    );
    expect(can('b/api', 'a/db')).toBe(true);
  });
});

describe('deny policies (language.rst "Deny Policies")', () => {
  test('a deny beats an allow of any policy, NetworkPolicies included', () => {
    const np = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: all, namespace: a}\nspec:\n  podSelector: {}\n  ingress: [{}]';
    const { can } = load(
      `${np}\n---\n${ccnp('d', '  endpointSelector: {matchLabels: {app: db}}\n  ingressDeny:\n  - fromEndpoints: [{matchLabels: {app: web}}]')}`,
    );
    expect(can('a/web', 'a/db')).toBe(false);
    expect(can('b/api', 'a/db')).toBe(true);
  });
  test('a deny-only policy also puts its endpoints in default deny', () => {
    const { can } = load(cnp('a', 'd', '  endpointSelector: {matchLabels: {app: db}}\n  ingressDeny:\n  - fromEndpoints: [{matchLabels: {app: web}}]'));
    expect(can('b/api', 'a/db')).toBe(false);
  });
  test('egressDeny with toCIDRSet except: the excepted address falls through to the allows', () => {
    const { can } = load(
      cnp('a', 'd', '  endpointSelector: {}\n  egressDeny:\n  - toCIDRSet: [{cidr: 1.0.0.0/8, except: [1.1.1.1/32]}]\n  egress:\n  - toCIDR: [0.0.0.0/0]'),
    );
    expect(can('a/web', '1.0.0.1', 'TCP', 443)).toBe(false);
    expect(can('a/web', '1.1.1.1', 'TCP', 443)).toBe(true);
  });
});

describe('endpoints based (language.rst "Endpoints Based", "Kubernetes" namespaces)', () => {
  test('a CiliumNetworkPolicy peer selector stays in the policy namespace unless it names one', () => {
    const { can } = load(
      cnp(
        'a',
        'p',
        '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: api}}, {matchLabels: {k8s:io.kubernetes.pod.namespace: b, app: api}}]',
      ),
    );
    expect(can('b/api', 'a/db')).toBe(true);
    const only = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: api}}]'));
    expect(only.can('b/api', 'a/db')).toBe(false);
  });
  test('fromEndpoints [{}] is every endpoint of the namespace (a CCNP: of the cluster), never the world', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{}]'));
    expect(can('a/web', 'a/db')).toBe(true);
    expect(can('b/api', 'a/db')).toBe(false);
    expect(can('8.8.8.8', 'a/db')).toBe(false);
    const cw = load(ccnp('p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{}]'));
    expect(cw.can('b/api', 'a/db')).toBe(true);
    expect(cw.can('8.8.8.8', 'a/db')).toBe(false);
  });
  test('namespace labels, service account and cluster pseudo-labels', () => {
    const ns = load(
      ccnp('p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {io.cilium.k8s.namespace.labels.team: blue}}]'),
    );
    expect(ns.can('b/api', 'a/db')).toBe(true);
    expect(ns.can('a/web', 'a/db')).toBe(false);
    const sa = load(
      cnp(
        'a',
        'p',
        '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {io.cilium.k8s.policy.serviceaccount: web-sa}}]',
      ),
    );
    expect(sa.can('a/web', 'a/db')).toBe(true);
    const cl = load(
      cnp(
        'a',
        'p',
        '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{matchExpressions: [{key: io.cilium.k8s.policy.cluster, operator: In, values: [other]}]}]',
      ),
    );
    expect(cl.can('a/web', 'a/db')).toBe(false);
  });
  test('host-network pods are the host, not endpoints: reached through the host entity', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{}]\n  - fromEntities: [host]'));
    expect(can('b/agent', 'a/db')).toBe(true);
    expect(can('172.18.0.2', 'a/db')).toBe(true);
    const noHost = load(ccnp('p', '  endpointSelector: {matchLabels: {app: db}}\n  ingress:\n  - fromEndpoints: [{}]'));
    expect(noHost.can('b/agent', 'a/db')).toBe(false);
  });
});

describe('entities and CIDRs (language.rst "Entities Based", "IP/CIDR based")', () => {
  test('world is every address that is no node; CIDR rules never match pods or nodes', () => {
    const { can } = load(
      cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toEntities: [world]\n  - toCIDR: [10.0.0.0/8, 172.16.0.0/12]'),
    );
    expect(can('a/web', '8.8.8.8')).toBe(true);
    expect(can('a/web', '172.18.0.2')).toBe(false);
    expect(can('a/web', 'a/db')).toBe(false);
    expect(can('a/web', '10.9.9.9')).toBe(true);
  });
  test('cluster is every endpoint, host-network pods and nodes, and no outside address', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toEntities: [cluster]'));
    expect(can('a/web', 'b/api')).toBe(true);
    expect(can('a/web', '172.18.0.2')).toBe(true);
    expect(can('a/web', '8.8.8.8')).toBe(false);
  });
  test('entities the input cannot place match nothing, with a located warning', () => {
    const { index, can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toEntities: [health]'));
    expect(can('a/web', 'b/api')).toBe(false);
    const w = index.compiled.warnings as Diagnostic[];
    expect(w.map((d) => [d.code, d.location?.line])).toEqual([['CILIUM_UNPLACED', 45]]);
  });
});

describe('ports, ICMP and FQDNs (language.rst "Layer 4 Examples", "ICMP/ICMPv6", "DNS based")', () => {
  test('toPorts without L3 applies to every peer; ANY is TCP, UDP and SCTP; named ports resolve on the destination', () => {
    const { can } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - toPorts: [{ports: [{port: http, protocol: ANY}]}]'));
    expect(can('b/api', 'a/web', 'TCP', 8080)).toBe(true);
    expect(can('8.8.8.8', 'a/web', 'TCP', 8080)).toBe(true);
    expect(can('b/api', 'a/web', 'TCP', 80)).toBe(false);
  });
  test('icmps allow those ICMP types only; an L3-only rule allows ICMP; a ports-only rule does not', () => {
    const { can } = load(
      cnp(
        'a',
        'p',
        '  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: db}}]\n    icmps: [{fields: [{type: 8, family: IPv4}]}]',
      ),
    );
    expect(can('a/db', 'a/web', 'ICMP', 8)).toBe(true);
    expect(can('a/db', 'a/web', 'ICMP', 0)).toBe(false);
    expect(can('a/db', 'a/web', 'TCP', 80)).toBe(false);
    const l3 = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {app: db}}]'));
    expect(l3.can('a/db', 'a/web', 'ICMP', 8)).toBe(true);
  });
  test('toFQDNs resolve through the DNS map; without a DNS proxy rule a warning says Cilium would learn nothing', () => {
    const dns = new Map([['example.com', ['93.184.216.34']]]);
    const { can, index } = load(cnp('a', 'p', '  endpointSelector: {matchLabels: {app: web}}\n  egress:\n  - toFQDNs: [{matchPattern: "*.com"}]'), { dns });
    expect(can('a/web', '93.184.216.34', 'TCP', 443)).toBe(true);
    expect(can('a/web', '93.184.216.35', 'TCP', 443)).toBe(false);
    expect((index.compiled.warnings as Diagnostic[]).map((d) => d.code)).toEqual(['CILIUM_UNPLACED']);
  });
});

describe('toServices (language.rst "Services based")', () => {
  const svc = (name: string, spec: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}, namespace: a}\nspec: ${spec}\n---\n`;
  test('a Service with a selector: its pods only, even when no policy selector mentions the selector key', () => {
    // db carries role=backend, db2 (otherwise alike) does not: the key "role" appears in no endpointSelector
    const db2 =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: db2, namespace: a, labels: {app: db}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: 10.0.0.3}\n---\n';
    const { cluster, diagnostics } = loadCluster([
      {
        name: 'c.yaml',
        text:
          PODS.replace('metadata: {name: db, namespace: a, labels: {app: db}}', 'metadata: {name: db, namespace: a, labels: {app: db, role: backend}}') +
          '---\n' +
          db2 +
          svc('be', '{selector: {role: backend}, ports: [{port: 80}]}') +
          cnp('b', 'api-out', '  endpointSelector: {matchLabels: {app: api}}\n  egress:\n  - toServices: [{k8sService: {serviceName: be, namespace: a}}]'),
      },
    ]);
    expect(hasErrors(diagnostics)).toBe(false);
    const index = compile(cluster);
    expect(index.connections('b/api', 'a/db').toString()).toBe('All Connections');
    expect(index.connections('b/api', 'a/db2').toString()).toBe('No Connections');
    expect(index.connections('b/api', 'a/web').toString()).toBe('No Connections');
  });
  test('a Service without a selector: the addresses of its Endpoints, each exactly', () => {
    const eps =
      'apiVersion: v1\nkind: Endpoints\nmetadata: {name: ext, namespace: a}\nsubsets: [{addresses: [{ip: 192.0.2.10}], ports: [{port: 5432}]}]\n---\n';
    const { index } = load(
      svc('ext', '{ports: [{port: 5432}]}') +
        eps +
        cnp('b', 'api-out', '  endpointSelector: {matchLabels: {app: api}}\n  egress:\n  - toServices: [{k8sService: {serviceName: ext, namespace: a}}]'),
    );
    expect(index.connections('b/api', '192.0.2.10').toString()).toBe('All Connections');
    expect(index.connections('b/api', '192.0.2.11').toString()).toBe('No Connections');
  });
});

describe('additional label requirements (layer3.rst "Additional Label Requirements")', () => {
  const pods = [
    ['prod-db', '{env: prod, app: store}', '10.0.0.11'],
    ['prod-fe', '{env: prod, role: frontend}', '10.0.0.12'],
    ['dev-fe', '{env: dev, role: frontend}', '10.0.0.13'],
    ['prod-other', '{env: prod}', '10.0.0.14'],
  ]
    .map(
      ([n, l, ip]) =>
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${n}, namespace: a, labels: ${l}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIP: ${ip}}`,
    )
    .join('\n---\n');
  const requires = cnp('a', 'l3-label-add-req', '  endpointSelector: {matchLabels: {env: prod}}\n  ingress:\n  - fromRequires: [{matchLabels: {env: prod}}]');
  test("the doc's example: fromRequires env=prod in one policy and fromEndpoints role=frontend in another admit sources with both labels only", () => {
    const rule = cnp(
      'a',
      'l3-label-add-rule',
      '  endpointSelector: {matchLabels: {env: prod}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {role: frontend}}]',
    );
    const { can } = load(`${pods}\n---\n${requires}\n---\n${rule}`);
    expect(can('a/prod-fe', 'a/prod-db')).toBe(true);
    expect(can('a/dev-fe', 'a/prod-db')).toBe(false);
    expect(can('a/prod-other', 'a/prod-db')).toBe(false);
  });
  test('requirements alone grant nothing; a clusterwide allow selecting the same endpoint is narrowed too', () => {
    expect(load(`${pods}\n---\n${requires}`).can('a/prod-fe', 'a/prod-db')).toBe(false);
    const wide = ccnp('fe-in', '  endpointSelector: {matchLabels: {app: store}}\n  ingress:\n  - fromEndpoints: [{matchLabels: {role: frontend}}]');
    const { can } = load(`${pods}\n---\n${requires}\n---\n${wide}`);
    expect(can('a/prod-fe', 'a/prod-db')).toBe(true);
    expect(can('a/dev-fe', 'a/prod-db')).toBe(false);
  });
  test('they narrow endpoint selectors only: entity, CIDR and L4-only peers of the same endpoint are not narrowed', () => {
    const entity = cnp(
      'a',
      'cluster-in',
      '  endpointSelector: {matchLabels: {app: store}}\n  ingress:\n  - fromEntities: [cluster]\n    toPorts: [{ports: [{port: "80", protocol: TCP}]}]',
    );
    const l4 = cnp('a', 'l4-in', '  endpointSelector: {matchLabels: {app: store}}\n  ingress:\n  - toPorts: [{ports: [{port: "81", protocol: TCP}]}]');
    const { can } = load(`${pods}\n---\n${requires}\n---\n${entity}\n---\n${l4}`);
    expect(can('a/dev-fe', 'a/prod-db', 'TCP', 80)).toBe(true);
    expect(can('a/dev-fe', 'a/prod-db', 'TCP', 81)).toBe(true);
    expect(can('a/dev-fe', 'a/prod-db', 'TCP', 82)).toBe(false);
  });
  test('toRequires narrow egress the same way; endpoints other policies do not select are not narrowed', () => {
    const req = cnp('a', 'out-req', '  endpointSelector: {matchLabels: {role: frontend}}\n  egress:\n  - toRequires: [{matchLabels: {env: prod}}]');
    const allow = cnp('a', 'out', '  endpointSelector: {}\n  egress:\n  - toEndpoints: [{}]');
    const { can } = load(`${pods}\n---\n${req}\n---\n${allow}`);
    expect(can('a/dev-fe', 'a/prod-db')).toBe(true);
    expect(can('a/dev-fe', 'a/web')).toBe(false);
    expect(can('a/prod-other', 'a/web')).toBe(true);
  });
  test("a deny rule's requirements narrow deny rules, an allow rule's allow rules", () => {
    const deny = cnp(
      'a',
      'deny-dev',
      '  endpointSelector: {matchLabels: {app: store}}\n  ingressDeny:\n  - fromRequires: [{matchLabels: {env: dev}}]\n  - fromEndpoints: [{matchLabels: {role: frontend}}]\n  ingress:\n  - fromEndpoints: [{}]',
    );
    const { can } = load(`${pods}\n---\n${deny}`);
    expect(can('a/dev-fe', 'a/prod-db')).toBe(false);
    expect(can('a/prod-fe', 'a/prod-db')).toBe(true);
    expect(can('a/prod-other', 'a/prod-db')).toBe(true);
  });
  test('a NetworkPolicy allowing to a narrowed endpoint is named in a located warning (Cilium narrows it too; kubereach does not)', () => {
    const np =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np-in, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: store}}\n  ingress:\n  - from: [{podSelector: {}}]';
    const { index } = load(`${pods}\n---\n${requires}\n---\n${np}`);
    const w = index.compiled.warnings.filter((d) => d.code === 'CILIUM_NOT_MODELLED');
    expect(w).toHaveLength(1);
    expect(w[0]!.message).toContain('NetworkPolicy a/np-in');
    expect(w[0]!.object).toBe('CiliumNetworkPolicy a/l3-label-add-req');
  });
});

describe('reading (located diagnostics)', () => {
  test('invalid fields are errors at their position; nodeSelector is named, not silently dropped', () => {
    const bad = `${cnp('a', 'p', '  endpointSelector: {}\n  ingress:\n  - fromEntities: [planet]\n    toPorts: [{ports: [{port: "70000"}]}]')}\n---\n${ccnp('h', '  nodeSelector: {}\n  ingress: [{}]')}`;
    const { diagnostics } = loadCluster([{ name: 'c.yaml', text: `${PODS}---\n${bad}` }]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col])).toEqual([
      ['INVALID_FIELD', 'error', 45, 20],
      ['PORT_OUT_OF_RANGE', 'error', 46, 31],
      ['CILIUM_NOT_MODELLED', 'warning', 52, 17],
    ]);
  });
});
