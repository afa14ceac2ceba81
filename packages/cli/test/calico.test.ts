/**
 * Calico on the command line: the per-pod matrix, --staged and diff --staged, and tier chains in
 * --explain. Expected outputs worked out by hand from the fixtures' comments.
 */
import { describe, expect, test } from 'vitest';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const STAGED = 'fixtures/calico/staged';
const TIERS = 'fixtures/scenarios/calico-tiers';

describe('matrix --endpoints pods', () => {
  test('every pod is its own line, ns/pod[Pod]; staged policies are not enforced', async () => {
    const r = await kr('matrix', '--no-external', '--endpoints', 'pods', '-f', STAGED);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      [
        'app/db[Pod] => app/web-7d9f-a1[Pod] : All Connections',
        'app/db[Pod] => app/web-7d9f-b2[Pod] : All Connections',
        'app/web-7d9f-a1[Pod] => app/db[Pod] : All Connections',
        'app/web-7d9f-a1[Pod] => app/web-7d9f-b2[Pod] : All Connections',
        'app/web-7d9f-b2[Pod] => app/db[Pod] : All Connections',
        'app/web-7d9f-b2[Pod] => app/web-7d9f-a1[Pod] : All Connections',
        '',
      ].join('\n'),
    );
  });
  test('--staged evaluates the staged policy as if it were enforced', async () => {
    const r = await kr('matrix', '--no-external', '--endpoints', 'pods', '--staged', '-f', STAGED);
    expect(r.out).toContain('app/web-7d9f-a1[Pod] => app/db[Pod] : TCP 5432\n');
    expect(r.out).toContain('app/web-7d9f-b2[Pod] => app/db[Pod] : TCP 5432\n');
  });
  test('-o json lists the pods as endpoints', async () => {
    const r = await kr('matrix', '--no-external', '--endpoints', 'pods', '-o', 'json', '-f', STAGED);
    expect(JSON.parse(r.out).endpoints).toEqual(['app/db[Pod]', 'app/web-7d9f-a1[Pod]', 'app/web-7d9f-b2[Pod]']);
  });
});

describe('diff --staged', () => {
  test('shows exactly what enforcing the staged policies would change; exit 1', async () => {
    const r = await kr('diff', '--staged', '-f', STAGED);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'removed 0.0.0.0-255.255.255.255[External] => app/db[Pod] : All Connections -> No Connections',
        'removed ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => app/db[Pod] : All Connections -> No Connections',
        'changed app/web-7d9f[ReplicaSet] => app/db[Pod] : All Connections -> TCP 5432',
        '',
      ].join('\n'),
    );
  });
});

describe('can --explain across tiers', () => {
  test('a Deny in the security tier names tier, order, kind, policy, rule and location', async () => {
    const r = await kr('can', 'app/web', '169.254.169.254', '--port', '80', '--explain', '-f', TIERS);
    expect(r.code).toBe(1);
    expect(r.out).toContain('denied: [Tier security order 100] GlobalNetworkPolicy deny-metadata rule 0 Deny (fixtures/scenarios/calico-tiers/cluster.yaml:');
  });
  test('a Pass chain: security passes, platform passes by its default action, the default tier decides', async () => {
    const r = await kr('can', 'kube-system/dns', 'app/db', '--port', '5432', '--explain', '-f', TIERS);
    expect(r.out).toMatch(
      /ingress of app\/db\[Pod\]:\n.*\n {2}denied: \[Tier platform order 200\] default action Pass .* -> \[Tier default order 1000000\] default action Deny/,
    );
  });
});
