import { describe, expect, it } from 'vitest';
import { readAdmin } from './objects.js';

/** [code, severity, line, col] of every diagnostic, in order. */
function diags(text: string): (string | number | undefined)[][] {
  return readAdmin(text).diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.col]);
}

const cnp = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: p
spec:
${spec}`;
// spec lines start at line 6
const anp = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: p
spec:
${spec}`;

describe('validation per the CRD schemas, with locations', () => {
  const cases: [string, string, (string | number)[][]][] = [
    ['tier missing', cnp('  priority: 1\n  subject: {namespaces: {}}\n'), [['MISSING_FIELD', 'error', 6, 3]]],
    ['tier not in the enum', cnp('  tier: Platform\n  priority: 1\n  subject: {namespaces: {}}\n'), [['INVALID_FIELD', 'error', 6, 9]]],
    ['priority above 1000', cnp('  tier: Admin\n  priority: 1001\n  subject: {namespaces: {}}\n'), [['INVALID_FIELD', 'error', 7, 13]]],
    ['priority not an integer', anp('  priority: "5"\n  subject: {namespaces: {}}\n'), [['INVALID_FIELD', 'error', 6, 13]]],
    ['subject missing', anp('  priority: 5\n'), [['MISSING_FIELD', 'error', 6, 3]]],
    [
      'subject with both members',
      anp('  priority: 5\n  subject:\n    namespaces: {}\n    pods: {podSelector: {}, namespaceSelector: {}}\n'),
      [['INVALID_FIELD', 'error', 8, 5]],
    ],
    ['subject namespaces null (YAML `namespaces:`)', anp('  priority: 5\n  subject:\n    namespaces:\n'), [['INVALID_FIELD', 'error', 8, 5]]],
    [
      'selector operator',
      anp('  priority: 5\n  subject:\n    namespaces: {matchExpressions: [{key: a, operator: Equals, values: [x]}]}\n'),
      [['INVALID_SELECTOR', 'error', 8, 56]],
    ],
    [
      'In without values',
      anp('  priority: 5\n  subject:\n    namespaces: {matchExpressions: [{key: a, operator: In}]}\n'),
      [['INVALID_SELECTOR', 'error', 8, 37]],
    ],
    ['label value', anp('  priority: 5\n  subject:\n    namespaces: {matchLabels: {a: "-bad"}}\n'), [['INVALID_SELECTOR', 'error', 8, 35]]],
    [
      'action Allow in v1alpha2',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Allow\n    from: [{namespaces: {}}]\n'),
      [['INVALID_FIELD', 'error', 10, 13]],
    ],
    [
      'Pass in a v1alpha2 Baseline tier is valid',
      cnp('  tier: Baseline\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Pass\n    from: [{namespaces: {}}]\n'),
      [],
    ],
    [
      'empty from',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: []\n'),
      [['INVALID_FIELD', 'error', 11, 11]],
    ],
    [
      'networks in an ingress peer (not a member there)',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    from: [{networks: [10.0.0.0/8]}]\n'),
      [
        ['UNKNOWN_FIELD', 'error', 11, 23],
        ['INVALID_PEER', 'error', 11, 12],
      ],
    ],
    [
      'bad CIDR and an IPv4-in-IPv6 form',
      cnp(
        '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{networks: [10.0.0.0/33, "::ffff:10.0.0.0/104"]}]\n',
      ),
      [
        ['INVALID_CIDR', 'error', 11, 22],
        ['INVALID_CIDR', 'error', 11, 35],
      ],
    ],
    [
      'CIDR host bits are a warning',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{networks: [10.0.0.1/8]}]\n'),
      [['CIDR_HOST_BITS', 'warning', 11, 22]],
    ],
    [
      'port 0',
      cnp(
        '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    protocols: [{tcp: {destinationPort: {number: 0}}}]\n',
      ),
      [['PORT_OUT_OF_RANGE', 'error', 12, 50]],
    ],
    [
      'range with start == end',
      cnp(
        '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    protocols: [{udp: {destinationPort: {range: {start: 80, end: 80}}}}]\n',
      ),
      [['INVALID_END_PORT', 'error', 12, 49]],
    ],
    [
      'tcp without destinationPort',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    protocols: [{tcp: {}}]\n'),
      [['MISSING_FIELD', 'error', 12, 23]],
    ],
    [
      'empty protocols list (minItems 1)',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    protocols: []\n'),
      [['INVALID_FIELD', 'error', 12, 16]],
    ],
    [
      'v1alpha1 protocol ICMP',
      anp(
        '  priority: 5\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    ports: [{portNumber: {protocol: ICMP, port: 1}}]\n',
      ),
      [['UNKNOWN_PROTOCOL', 'error', 11, 37]],
    ],
    [
      'invalid port name is kept with a warning',
      anp('  priority: 5\n  subject: {namespaces: {}}\n  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    ports: [{namedPort: Web_Port}]\n'),
      [['PORT_OUT_OF_RANGE', 'warning', 11, 25]],
    ],
    [
      'rule name over 100 characters',
      cnp(
        `  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - action: Deny\n    name: ${'x'.repeat(101)}\n    from: [{namespaces: {}}]\n`,
      ),
      [['INVALID_FIELD', 'error', 11, 11]],
    ],
    [
      'more than 25 rules in v1alpha2',
      cnp(`  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n${'  - {action: Deny, from: [{namespaces: {}}]}\n'.repeat(26)}`),
      [['INVALID_FIELD', 'error', 10, 3]],
    ],
    // a typo, not pruned: read as the API server prunes it, `ingres:` would drop rules and widen the policy
    ['unknown spec field is an error', anp('  priority: 5\n  subjects: {}\n  subject: {namespaces: {}}\n'), [['UNKNOWN_FIELD', 'error', 7, 13]]],
    [
      'domain name pattern',
      cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - action: Accept\n    to: [{domainNames: ["foo.*.com"]}]\n'),
      [['INVALID_PEER', 'error', 11, 25]],
    ],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(diags(text)).toEqual(expected);
  });

  it('excludes invalid policies and keeps valid ones', () => {
    const text = `${cnp('  tier: Admin\n  priority: 2000\n  subject: {namespaces: {}}\n')}---
${cnp('  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n').replace('name: p', 'name: q')}`;
    const r = readAdmin(text);
    expect(r.policies.map((p) => p.name)).toEqual(['q']);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.object])).toEqual([['INVALID_FIELD', 'error', 'ClusterNetworkPolicy p']]);
  });

  it('with ignoreInvalid reports errors as warnings plus POLICY_IGNORED', () => {
    const r = readAdmin(cnp('  tier: Admin\n  priority: -1\n  subject: {namespaces: {}}\n'), { ignoreInvalid: true });
    expect(r.policies).toEqual([]);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line])).toEqual([
      ['INVALID_FIELD', 'warning', 7],
      ['POLICY_IGNORED', 'warning', 1],
    ]);
  });

  it('a BANP not named default is an error at metadata.name', () => {
    const text = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: baseline
spec:
  subject: {namespaces: {}}
`;
    expect(diags(text)).toEqual([['INVALID_FIELD', 'error', 4, 9]]);
  });
});

describe('ADMIN_PRIORITY_CONFLICT', () => {
  const pol = (name: string, prio: number, subject: string) =>
    cnp(`  tier: Admin\n  priority: ${prio}\n  subject: ${subject}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n`).replace(
      'name: p',
      `name: ${name}`,
    );

  it('warns once, on the later policy, naming both, when subjects can overlap', () => {
    const text = [pol('b', 7, '{namespaces: {matchLabels: {team: x}}}'), pol('a', 7, '{pods: {podSelector: {matchLabels: {app: y}}}}')].join('---\n');
    const r = readAdmin(text);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.line, d.location?.doc, d.object])).toEqual([
      ['ADMIN_PRIORITY_CONFLICT', 'warning', 1, 0, 'ClusterNetworkPolicy b'],
    ]);
    expect(r.diagnostics[0]!.message).toContain('ClusterNetworkPolicy a');
  });

  it('stays quiet when the subjects cannot overlap (disjoint label values, or Exists vs DoesNotExist)', () => {
    const disjointValues = [
      pol('a', 7, '{namespaces: {matchLabels: {team: x}}}'),
      pol('b', 7, '{namespaces: {matchExpressions: [{key: team, operator: In, values: [y, z]}]}}'),
    ];
    const existence = [
      pol('a', 7, '{pods: {podSelector: {matchExpressions: [{key: k, operator: Exists}]}}}'),
      pol('b', 7, '{pods: {podSelector: {matchExpressions: [{key: k, operator: DoesNotExist}]}}}'),
    ];
    for (const docs of [disjointValues, existence]) {
      expect(readAdmin(docs.join('---\n')).diagnostics).toEqual([]);
    }
  });
});

describe('admin policies in the model builder: where their diagnostics go', () => {
  it('keeps parse errors in input order, and lists the admin diagnostics after the other kinds, then the priority conflicts', () => {
    const np = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: late, namespace: default}
spec:
  podSelector: {}
  ingres: []
`;
    const text = [
      cnp('  tier: Admin\n  priority: 3\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n').replace(
        'name: p',
        'name: b',
      ),
      cnp('  tier: Admin\n  priority: 3\n  priority: 3\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n').replace(
        'name: p',
        'name: a',
      ),
      cnp('  tier: Admin\n  priority: -1\n  subject: {namespaces: {}}\n'),
      np,
    ].join('---\n');
    const r = readAdmin(text);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.location?.doc, d.object])).toEqual([
      ['DUPLICATE_KEY', 'error', 1, 'ClusterNetworkPolicy a'], // the parse error: in input order
      ['UNKNOWN_FIELD', 'error', 3, 'NetworkPolicy default/late'], // the built-in kinds
      ['INVALID_FIELD', 'error', 2, 'ClusterNetworkPolicy p'], // then the admin policies
      ['ADMIN_PRIORITY_CONFLICT', 'warning', 0, 'ClusterNetworkPolicy b'], // then their order
    ]);
    expect(r.policies.map((p) => p.name)).toEqual(['a', 'b']);
  });
});
