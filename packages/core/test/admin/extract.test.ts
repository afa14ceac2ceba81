import { describe, expect, it } from 'vitest';
import { parseCidr, type Cidr } from '../../src/net/ip.js';
import { readAdmin } from './objects.js';

/** Drops every `location` (and the generation/sourceKind) so both generations compare by meaning. */
function meaning(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(meaning);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (k !== 'location' && k !== 'generation' && k !== 'sourceKind') out[k] = meaning(x);
    return out;
  }
  return v;
}

const cidr = (t: string): Cidr => {
  const c = parseCidr(t);
  if (typeof c === 'string') throw new Error(t);
  return c;
};

const V1 = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: guard
spec:
  priority: 10
  subject:
    pods:
      namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
  ingress:
  - name: from-monitoring
    action: Allow
    from:
    - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
    ports:
    - portNumber: {protocol: TCP, port: 9090}
    - namedPort: metrics
  egress:
  - action: Deny
    to:
    - networks: [169.254.169.254/32, "fd00:ec2::254/128"]
    - nodes: {matchLabels: {node-role.kubernetes.io/control-plane: ""}}
    ports:
    - portRange: {protocol: UDP, start: 1000, end: 2000}
    - portNumber: {port: 443}
  - name: pass-rest
    action: Pass
    to:
    - pods:
        namespaceSelector: {}
        podSelector: {matchLabels: {tier: db}}
`;

const V2 = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: guard
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchExpressions: [{key: app, operator: In, values: [web]}]}
  ingress:
  - name: from-monitoring
    action: Accept
    from:
    - namespaces: {matchLabels: {kubernetes.io/metadata.name: monitoring}}
    protocols:
    - tcp: {destinationPort: {number: 9090}}
    - destinationNamedPort: metrics
  egress:
  - action: Deny
    to:
    - networks: [169.254.169.254/32, "fd00:ec2::254/128"]
    - nodes: {matchLabels: {node-role.kubernetes.io/control-plane: ""}}
    protocols:
    - udp: {destinationPort: {range: {start: 1000, end: 2000}}}
    - tcp: {destinationPort: {number: 443}}
  - name: pass-rest
    action: Pass
    to:
    - pods:
        podSelector: {matchLabels: {tier: db}}
`;

describe('admin policies in the model builder: both generations, one form', () => {
  it('reads a v1alpha1 AdminNetworkPolicy into the model', () => {
    const r = readAdmin(V1, { file: 'v1.yaml' });
    expect(r.diagnostics).toEqual([]);
    expect(r.rest).toEqual([]);
    expect(r.policies).toHaveLength(1);
    const p = r.policies[0]!;
    expect(meaning(p)).toEqual({
      tier: 'Admin',
      name: 'guard',
      priority: 10,
      subject: {
        kind: 'pods',
        namespaceSelector: { matchLabels: { team: 'a' }, matchExpressions: [] },
        podSelector: { matchLabels: {}, matchExpressions: [{ key: 'app', operator: 'In', values: ['web'] }] },
      },
      ingress: [
        {
          index: 0,
          name: 'from-monitoring',
          action: 'Accept', // v1alpha1 Allow
          peers: [{ kind: 'namespaces', namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' }, matchExpressions: [] } }],
          ports: [
            { kind: 'number', protocol: 'TCP', port: 9090 },
            { kind: 'named', name: 'metrics' },
          ],
        },
      ],
      egress: [
        {
          index: 0,
          name: '',
          action: 'Deny',
          peers: [
            { kind: 'networks', cidrs: [cidr('169.254.169.254/32'), cidr('fd00:ec2::254/128')] },
            { kind: 'nodes', nodeSelector: { matchLabels: { 'node-role.kubernetes.io/control-plane': '' }, matchExpressions: [] } },
          ],
          ports: [
            { kind: 'range', protocol: 'UDP', start: 1000, end: 2000 },
            { kind: 'number', protocol: 'TCP', port: 443 }, // protocol defaults to TCP
          ],
        },
        {
          index: 1,
          name: 'pass-rest',
          action: 'Pass',
          peers: [
            {
              kind: 'pods',
              namespaceSelector: { matchLabels: {}, matchExpressions: [] },
              podSelector: { matchLabels: { tier: 'db' }, matchExpressions: [] },
            },
          ],
          ports: null,
        },
      ],
    });
    expect(p.generation).toBe('v1alpha1');
    expect(p.sourceKind).toBe('AdminNetworkPolicy');
    expect(p.location).toEqual({ file: 'v1.yaml', line: 1, col: 1, doc: 0 });
    expect(p.ingress[0]!.location).toEqual({ file: 'v1.yaml', line: 12, col: 5, doc: 0 });
    expect(p.ingress[0]!.ports![1]!.location).toEqual({ file: 'v1.yaml', line: 18, col: 7, doc: 0 });
    expect(p.egress[0]!.peers[1]!.location).toEqual({ file: 'v1.yaml', line: 23, col: 7, doc: 0 });
  });

  it('reads the v1alpha2 translation into the same rules (v1alpha2 namespaceSelector may be omitted)', () => {
    const a = readAdmin(V1);
    const b = readAdmin(V2);
    expect(b.diagnostics).toEqual([]);
    expect(b.policies[0]!.generation).toBe('v1alpha2');
    expect(b.policies[0]!.sourceKind).toBe('ClusterNetworkPolicy');
    expect(meaning(b.policies)).toEqual(meaning(a.policies));
  });

  it('maps a BaselineAdminNetworkPolicy to the Baseline tier at priority 0', () => {
    const r = readAdmin(
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress:
  - {action: Deny, from: [{namespaces: {}}]}
`,
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.policies.map((p) => [p.tier, p.priority, p.sourceKind, p.ingress[0]!.action])).toEqual([['Baseline', 0, 'BaselineAdminNetworkPolicy', 'Deny']]);
  });

  it('returns policies in evaluation order: Admin by priority then name, then Baseline by priority', () => {
    const doc = (kind: string, name: string, extra: string) =>
      `apiVersion: policy.networking.k8s.io/${kind === 'ClusterNetworkPolicy' ? 'v1alpha2' : 'v1alpha1'}
kind: ${kind}
metadata: {name: ${name}}
spec:
${extra}  subject: {namespaces: {matchLabels: {n: ${name}}}}
`;
    const text = [
      doc('ClusterNetworkPolicy', 'b-late', '  tier: Baseline\n  priority: 5\n'),
      doc('BaselineAdminNetworkPolicy', 'default', ''),
      doc('ClusterNetworkPolicy', 'z', '  tier: Admin\n  priority: 3\n'),
      doc('AdminNetworkPolicy', 'a', '  priority: 3\n'),
      doc('AdminNetworkPolicy', 'first', '  priority: 1\n'),
    ].join('---\n');
    const r = readAdmin(text);
    expect(r.policies.map((p) => `${p.tier}/${p.priority}/${p.name}`)).toEqual([
      'Admin/1/first',
      'Admin/3/a',
      'Admin/3/z',
      'Baseline/0/default',
      'Baseline/5/b-late',
    ]);
    // a and z share priority 3 but have no rules: no connection can be decided by both
    expect(r.diagnostics).toEqual([]);
  });

  it('leaves other objects in rest, in order, and warns about an unsupported version of an admin kind', () => {
    const r = readAdmin(`apiVersion: v1
kind: ConfigMap
metadata: {name: c}
---
apiVersion: policy.networking.k8s.io/v1beta1
kind: ClusterNetworkPolicy
metadata: {name: future}
spec: {}
---
apiVersion: example.com/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: lookalike}
`);
    expect(r.policies).toEqual([]);
    expect(r.rest.map((o) => [o.apiVersion, o.kind, o.name])).toEqual([
      ['v1', 'ConfigMap', 'c'],
      ['policy.networking.k8s.io/v1beta1', 'ClusterNetworkPolicy', 'future'],
      ['example.com/v1alpha1', 'AdminNetworkPolicy', 'lookalike'],
    ]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col, d.object])).toEqual([
      ['INVALID_FIELD', 'warning', 5, 13, 'ClusterNetworkPolicy future'],
    ]);
  });
});

describe('admin policies in the model builder: peers the engine cannot or need not match', () => {
  it('keeps domainNames peers unmatched with an UNSUPPORTED_PEER warning', () => {
    const r = readAdmin(
      `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: fqdn}
spec:
  tier: Admin
  priority: 1
  subject: {namespaces: {}}
  egress:
  - action: Accept
    to:
    - domainNames: ["*.kubernetes.io", example.com]
`,
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col])).toEqual([['UNSUPPORTED_PEER', 'warning', 11, 20]]);
    expect(meaning(r.policies[0]!.egress[0]!.peers)).toEqual([{ kind: 'domainNames', names: ['*.kubernetes.io', 'example.com'] }]);
  });

  it('warns that a named port never matches a networks peer of the same rule, and keeps the rule', () => {
    const r = readAdmin(
      `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: named}
spec:
  tier: Baseline
  priority: 0
  subject: {namespaces: {}}
  egress:
  - action: Deny
    to:
    - networks: [10.0.0.0/8]
    - pods: {podSelector: {}}
    protocols:
    - destinationNamedPort: dns
`,
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col])).toEqual([['NAMED_PORT_IP_PEER', 'warning', 14, 5]]);
    expect(r.policies).toHaveLength(1);
  });

  it('reads a missing pods selector as {} with a MISSING_FIELD warning (v1alpha1 conformance inputs rely on it)', () => {
    const r = readAdmin(
      `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: zero}
spec:
  priority: 2
  subject: {namespaces: {}}
  egress:
  - action: Deny
    to:
    - pods:
        namespaceSelector: {matchLabels: {a: b}}
`,
    );
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col])).toEqual([['MISSING_FIELD', 'warning', 11, 9]]);
    expect(meaning(r.policies[0]!.egress[0]!.peers[0])).toEqual({
      kind: 'pods',
      namespaceSelector: { matchLabels: { a: 'b' }, matchExpressions: [] },
      podSelector: { matchLabels: {}, matchExpressions: [] },
    });
  });
});
