/**
 * `kubereach assert`: exit 0 all hold / 1 some fail / 2 bad input; text and JUnit reports of the demo
 * expectations compared with fixtures/assert/demo.expected.* (each line checked by hand against the
 * demo manifests: the gateway's ipBlock excepts 10.0.0.0/8 and 169.254.169.254 but not Alibaba's
 * 100.100.100.200; shop/web is selected by no egress policy).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function expectations(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'kr-assert-'));
  const f = join(dir, 'expect.yaml');
  writeFileSync(f, text);
  return f;
}

describe('kubereach assert', () => {
  test('the demo expectations: text report as written by hand, exit 1', async () => {
    const r = await kr('assert', 'fixtures/assert/demo.yaml', '-f', 'fixtures/demo');
    expect(r.code).toBe(1);
    expect(r.out).toBe(readFileSync('fixtures/assert/demo.expected.txt', 'utf8'));
  });

  test('JUnit: one test case per expectation, failures with the deciding rule', async () => {
    const r = await kr('assert', 'fixtures/assert/demo.yaml', '-f', 'fixtures/demo', '-o', 'junit');
    expect(r.code).toBe(1);
    expect(r.out).toBe(readFileSync('fixtures/assert/demo.expected.xml', 'utf8'));
    expect(r.out.match(/<testcase /g)?.length).toBe(7);
    expect(r.out.match(/<failure /g)?.length).toBe(2);
  });

  test('json: holds, failing pairs and locations', async () => {
    const r = await kr('assert', 'fixtures/assert/demo.yaml', '-f', 'fixtures/demo', '-o', 'json');
    const j = JSON.parse(r.out) as {
      expectations: { name: string; holds: boolean; failures: { src: string; dst: string; conn: string }[] }[];
      summary: object;
    };
    expect(j.summary).toEqual({ total: 7, passed: 5, failed: 2 });
    const metadata = j.expectations.find((e) => e.name === 'deny payments/gateway -> metadata')!;
    expect(metadata.holds).toBe(false);
    expect(metadata.failures.map((f) => [f.src, f.dst, f.conn])).toEqual([
      ['payments/gateway[Deployment]', '100.100.100.200-100.100.100.200[External]', 'TCP 443'],
    ]);
  });

  test('exit 0 when every expectation holds', async () => {
    const f = expectations(
      'allow:\n  - {from: shop/web, to: shop/api, port: 9000}\ndeny:\n  - {from: shop/web, to: shop/db}\n  - {from: payments/gateway, to: 169.254.169.254}\n',
    );
    const r = await kr('assert', f, '-f', 'fixtures/demo');
    expect(r.out).toContain('3 expectations: 3 hold, 0 fail.');
    expect(r.code).toBe(0);
  });

  test('an allow on a port: every port of it must be allowed; the denying rule is named', async () => {
    const f = expectations('allow:\n  - {from: shop/web, to: shop/db, port: 5432}\n');
    const r = await kr('assert', f, '-f', 'fixtures/demo');
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'shop/web[Deployment] -> shop/db[StatefulSet]: denied; TCP 5432: ingress of shop/db[StatefulSet]: isolated by NetworkPolicy shop/default-deny-ingress, NetworkPolicy shop/db-from-api, no rule allows (fixtures/demo/policies.yaml:2:1)',
    );
  });

  test('a CIDR end is every external range of it', async () => {
    const f = expectations('deny:\n  - {from: payments/gateway, to: 10.0.0.0/8}\n');
    expect((await kr('assert', f, '-f', 'fixtures/demo')).code).toBe(0);
  });

  test('bad input: exit 2 with the location in the expectations file', async () => {
    const unknownField = expectations('allow:\n  - from: shop/web\n    too: shop/api\n');
    let r = await kr('assert', unknownField, '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("expect.yaml:3:5: error: allow[0]: unknown field 'too' (expected from, to, port, reason)");
    const typo = expectations('deny:\n  - {from: shop/wbe, to: metadata}\n');
    r = await kr('assert', typo, '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("expect.yaml:2:5: error: deny shop/wbe -> metadata: from 'shop/wbe' names no endpoint of the input");
    const nothing = expectations('deny:\n  - {from: {namespace: nope}, to: metadata}\n');
    r = await kr('assert', nothing, '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain('matches no endpoint of the input');
    const syntax = expectations('allow:\n  - from: [\n');
    r = await kr('assert', syntax, '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/expect\.yaml:\d+:\d+: error: /);
    const port = expectations('allow:\n  - {from: shop/web, to: shop/api, port: 70000}\n');
    r = await kr('assert', port, '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("expect.yaml:2:42: error: allow[0].port '70000': must be within 1-65535");
  });

  test('an allow to the control plane with no known address fails and says why; a deny checks every external range', async () => {
    const f = expectations('allow:\n  - {from: shop/web, to: control-plane, port: 6443}\ndeny:\n  - {from: shop/web, to: etcd}\n');
    const r = await kr('assert', f, '-f', 'fixtures/lint/RULE_REDUNDANT/clean/cluster.yaml', '-o', 'json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { expectations: { holds: boolean; notes: string[]; failures: { dst: string }[] }[] };
    expect(j.expectations.map((e) => e.holds)).toEqual([false, false]);
    expect(j.expectations[0]!.notes).toContain('an allow to a target whose addresses are unknown cannot be proved');
    expect(j.expectations[1]!.notes[0]).toContain('no etcd address is known from the input');
    expect(j.expectations[1]!.failures.length).toBeGreaterThan(0);
  });
});

test('json and JUnit carry the input caveats (a policy kind kubereach does not model)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kr-assert-'));
  writeFileSync(
    join(dir, 'cnp.yaml'),
    'apiVersion: crd.antrea.io/v1beta1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: shop}\nspec: {appliedTo: [{podSelector: {}}]}\n',
  );
  const f = expectations('deny:\n  - {from: shop/web, to: shop/db}\n');
  const j = await kr('assert', f, '-f', 'fixtures/demo', '-f', join(dir, 'cnp.yaml'), '-o', 'json');
  const caveats = (JSON.parse(j.out) as { caveats: string[] }).caveats;
  expect(caveats.length).toBe(1);
  expect(caveats[0]).toContain('NetworkPolicy (crd.antrea.io)');
  const x = await kr('assert', f, '-f', 'fixtures/demo', '-f', join(dir, 'cnp.yaml'), '-o', 'junit');
  expect(x.out).toContain('<property name="caveat" value="');
});
