/**
 * Every network finding id has a fixture that raises it (with the exact subject, severity and
 * location written by hand in expected.json) and one that must not.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { auditNetwork, compile, hasErrors, loadCluster, NETWORK_FINDING_IDS, resolveTargets, targetCidrs } from '../../src/index.js';
import { REPO, sourcesUnder, subdirs } from '../../../../test/support/fixtures.js';

const ROOT = join(REPO, 'fixtures/audit-network');

describe.each(subdirs(ROOT))('%s', (id) => {
  test.each(subdirs(join(ROOT, id)))('%s', (variant) => {
    const dir = join(ROOT, id, variant);
    const { cluster, diagnostics } = loadCluster(sourcesUnder(dir));
    expect(hasErrors(diagnostics), JSON.stringify(diagnostics)).toBe(false);
    const index = compile(cluster, { extraCidrs: targetCidrs(resolveTargets(cluster)) });
    const got = auditNetwork(index)
      .filter((f) => f.id === id)
      .map((f) => ({ id: f.id, severity: f.severity, subject: f.subject, line: f.location?.line, col: f.location?.col }));
    const want = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as unknown[];
    expect(got).toEqual(want);
  });
});

test('an Admin-tier Accept that lets one namespace reach the metadata service is named in the evidence', () => {
  const dir = join(ROOT, 'METADATA_REACHABLE', 'raise-admin-accept');
  const { cluster } = loadCluster(sourcesUnder(dir));
  const [f] = auditNetwork(compile(cluster)).filter((x) => x.id === 'METADATA_REACHABLE');
  expect(f?.evidence).toContain('[Admin cnp/jobs-may-use-imds priority 5 rule 0] Accept');
});

test('every network finding id has a raise and a clean fixture', () => {
  const ids = [
    'METADATA_REACHABLE',
    'CONTROL_PLANE_REACHABLE',
    'NAMESPACE_NO_DEFAULT_DENY_INGRESS',
    'NAMESPACE_NO_DEFAULT_DENY_EGRESS',
    'WORKLOAD_IN_SYSTEM_NAMESPACE',
    'LATERAL_PATH',
    'HOSTNETWORK_UNRESTRICTED',
    'EXPOSED_SENSITIVE_WORKLOAD',
  ];
  expect(NETWORK_FINDING_IDS).toEqual(ids);
  expect(subdirs(ROOT)).toEqual([...ids].sort());
  for (const id of ids) {
    const variants = subdirs(join(ROOT, id));
    expect(variants).toContain('raise');
    expect(variants).toContain('clean');
    expect(variants.every((v) => /^(raise|clean)(-[a-z0-9-]+)?$/.test(v))).toBe(true);
  }
});
