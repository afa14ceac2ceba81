/** `kubereach lint`: the audit's formats and --fail-on convention, over the lint fixtures. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const dir = (id: string, v: 'raise' | 'clean') => ['-f', `fixtures/lint/${id}/${v}/cluster.yaml`, '-f', `fixtures/lint/${id}/${v}/policy.yaml`];

describe('kubereach lint', () => {
  test('exit 1 for a finding at or above --fail-on (default high), 0 below it, 0 when clean', async () => {
    const high = await kr('lint', ...dir('EMPTY_POLICY_TYPES_MISMATCH', 'raise'));
    expect(high.code).toBe(1);
    expect(high.out).toContain('EMPTY_POLICY_TYPES_MISMATCH  shop/web[NetworkPolicy]');
    expect(high.out).toContain('at fixtures/lint/EMPTY_POLICY_TYPES_MISMATCH/raise/policy.yaml:11:5');
    const low = await kr('lint', ...dir('RULE_REDUNDANT', 'raise'));
    expect(low.code).toBe(0);
    expect((await kr('lint', '--fail-on', 'low', ...dir('RULE_REDUNDANT', 'raise'))).code).toBe(1);
    const clean = await kr('lint', '--fail-on', 'info', ...dir('RULE_REDUNDANT', 'clean'));
    expect(clean.code).toBe(0);
    expect(clean.out).toBe('No findings (3 workloads in 2 namespaces).\n');
  });

  test('json has the audit shape', async () => {
    const r = await kr('lint', '-o', 'json', ...dir('NAMED_PORT_UNDEFINED', 'raise'));
    const j = JSON.parse(r.out) as { findings: { id: string; location: { line: number; col: number } }[]; summary: { byId: Record<string, number> } };
    expect(j.findings.map((f) => [f.id, f.location.line, f.location.col])).toEqual([
      ['NAMED_PORT_UNDEFINED', 8, 13],
      ['NAMED_PORT_UNDEFINED', 8, 28],
    ]);
    expect(j.summary.byId).toEqual({ NAMED_PORT_UNDEFINED: 2 });
  });

  test('SARIF validates against the SARIF 2.1.0 schema', async () => {
    const r = await kr('lint', '-o', 'sarif', ...dir('POLICY_SHADOWED', 'raise'));
    const log = JSON.parse(r.out) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
    };
    const require = createRequire(import.meta.url);
    const Ajv = require('ajv') as new (o: object) => { validate: (s: object, d: unknown) => boolean; errorsText: () => string };
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as { $schema?: string };
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, schemaId: 'auto' });
    expect(ajv.validate(schema, log), ajv.errorsText()).toBe(true);
    const res = log.runs[0]!.results;
    expect(res.map((x) => [x.ruleId, x.locations[0]!.physicalLocation.artifactLocation.uri, x.locations[0]!.physicalLocation.region.startLine])).toEqual([
      ['POLICY_SHADOWED', 'fixtures/lint/POLICY_SHADOWED/raise/policy.yaml', 20],
    ]);
  });

  test('bad input: exit 2 with file:line:col', async () => {
    const r = await kr('lint', '-f', 'fixtures/_error_/invalid-cidr/input.yaml');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/invalid-cidr\/input\.yaml:\d+:\d+: error/);
  });
});

test('lint json carries the input caveats', async () => {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const d = mkdtempSync(join(tmpdir(), 'kr-lint-'));
  writeFileSync(
    join(d, 'cnp.yaml'),
    'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec: {appliedTo: [{podSelector: {}}]}\n',
  );
  const r = await kr('lint', '-o', 'json', ...dir('RULE_REDUNDANT', 'clean'), '-f', join(d, 'cnp.yaml'));
  const caveats = (JSON.parse(r.out) as { caveats: string[] }).caveats;
  expect(caveats.length).toBe(1);
  expect(caveats[0]).toContain('NetworkPolicy (crd.antrea.io)');
});
