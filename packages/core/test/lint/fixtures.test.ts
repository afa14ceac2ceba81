/**
 * Every lint id has a fixture that raises it (subject, severity and file:line:col in expected.json,
 * each location checked by hand against the manifest) and one that must not raise it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { compile, hasErrors, lint, LINT_IDS, loadCluster } from '../../src/index.js';
import { redundantRules } from '../../src/lint/redundant.js';
import { REPO, sourcesUnder, subdirs } from '../../../../test/support/fixtures.js';

const ROOT = join(REPO, 'fixtures/lint');

function lintDir(dir: string) {
  const { cluster, diagnostics } = loadCluster(sourcesUnder(dir));
  expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
  return { cluster, index: compile(cluster), findings: lint(compile(cluster)) };
}

describe.each(subdirs(ROOT))('%s', (id) => {
  test.each(subdirs(join(ROOT, id)))('%s', (variant) => {
    const dir = join(ROOT, id, variant);
    const got = lintDir(dir)
      .findings.filter((f) => f.id === id)
      .map((f) => ({ id: f.id, severity: f.severity, subject: f.subject, line: f.location?.line, col: f.location?.col }));
    const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown[];
    expect(got).toEqual(want);
  });
});

test('every lint id has a raise and a clean fixture, and the clean fixtures raise nothing at all', () => {
  expect(subdirs(ROOT)).toEqual([...LINT_IDS].sort());
  for (const id of LINT_IDS) {
    expect(subdirs(join(ROOT, id))).toEqual(['clean', 'raise']);
    expect(lintDir(join(ROOT, id, 'clean')).findings.map((f) => `${f.id} ${f.subject} ${f.message}`)).toEqual([]);
  }
});

test('RULE_REDUNDANT names the rule that still allows the sample connection', () => {
  const [f] = lintDir(join(ROOT, 'RULE_REDUNDANT', 'raise')).findings;
  expect(f?.evidence).toContain('shop/api[Pod] -> shop/web[Pod] TCP 8080 is still allowed');
  expect(f?.evidence).toContain('[NetworkPolicy shop/web-ingress rule 0] Allow');
});

test('of two identical rules the later one is reported, and only one of them', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: b}}}]
  - from: [{podSelector: {matchLabels: {app: b}}}]
`;
  const { cluster } = loadCluster([{ name: 'dup.yaml', text }]);
  const rules = redundantRules(compile(cluster));
  expect(rules.map((r) => [r.policy, r.direction, r.ruleIndex, r.shadowedBy])).toEqual([['x/p', 'ingress', 1, null]]);
});

test('POLICY_SHADOWED names the Admin-tier rule that decides first', () => {
  const [f] = lintDir(join(ROOT, 'POLICY_SHADOWED', 'raise')).findings.filter((x) => x.id === 'POLICY_SHADOWED');
  expect(f?.evidence).toContain('[Admin anp/no-system-to-shop priority 10 rule 0] Deny at');
  expect(f?.evidence).toContain('Deny');
});

test('DNS_BLOCKED assumes the stock CoreDNS when the input has no DNS pods, and says so', () => {
  const text = `apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns-only, namespace: x}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}]
`;
  const { cluster } = loadCluster([{ name: 'app.yaml', text }]);
  const dns = lint(compile(cluster)).filter((f) => f.id === 'DNS_BLOCKED');
  expect(dns.map((f) => f.subject)).toEqual(['x/a[Pod]']);
  expect(dns[0]!.message).toContain('TCP 53');
  expect(dns[0]!.message).not.toContain('UDP 53');
  expect(dns[0]!.evidence).toContain('the stock CoreDNS Deployment (kube-system, k8s-app=kube-dns) was assumed');
  // with TCP added the assumed DNS pods are reached on both: nothing to report
  const fixed = loadCluster([{ name: 'app.yaml', text: text.replace('protocol: UDP}]', 'protocol: UDP}, {port: 53, protocol: TCP}]') }]).cluster;
  expect(lint(compile(fixed)).filter((f) => f.id === 'DNS_BLOCKED')).toEqual([]);
});

test('IPBLOCK_COVERS_PODS says which reading kubereach used', () => {
  const { cluster } = loadCluster(sourcesUnder(join(ROOT, 'IPBLOCK_COVERS_PODS', 'raise')));
  const [m] = lint(compile(cluster)).filter((f) => f.id === 'IPBLOCK_COVERS_PODS');
  expect(m?.evidence).toContain('--ipblock-pods=match');
  const [i] = lint(compile(cluster, { ipblockPods: 'ignore' })).filter((f) => f.id === 'IPBLOCK_COVERS_PODS');
  expect(i?.evidence).toContain('--ipblock-pods=ignore');
  expect(i?.message).toContain('pods of shop/api[Pod] (10.1.0.5)');
  expect(i?.message).toContain('cluster IP 10.96.0.10 of Service shop/api');
});
