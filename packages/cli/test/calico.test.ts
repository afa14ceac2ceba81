/**
 * Calico on the command line: the per-pod matrix, --staged and diff --staged, and tier chains in
 * --explain. Expected outputs worked out by hand from the fixtures' comments.
 */
import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('--staged enforces staged policies as Calico does: Set replaces, Delete deletes', () => {
  const REPLACE = 'fixtures/calico/staged-replace';
  test('diff --staged: the NetworkPolicy app/db replaced by its StagedKubernetesNetworkPolicy, block-web-egress deleted', async () => {
    const r = await kr('diff', '--staged', '-f', REPLACE);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'added app/api[Pod] => app/db[Pod] : No Connections -> TCP 5432',
        'added app/web[Pod] => app/api[Pod] : No Connections -> All Connections',
        'removed app/web[Pod] => app/db[Pod] : All Connections -> No Connections',
        '',
      ].join('\n'),
    );
  });
});

describe('who-can-reach and diff --endpoints pods', () => {
  test('who-can-reach lists each pod of a source workload, ns/pod[Pod]', async () => {
    const r = await kr('who-can-reach', 'app/db', '--staged', '--endpoints', 'pods', '-f', STAGED);
    expect(r.code).toBe(0);
    expect(r.out).toBe(
      ['2 sources can reach app/db[Pod]', 'app/web-7d9f-a1[Pod] => app/db[Pod] : TCP 5432', 'app/web-7d9f-b2[Pod] => app/db[Pod] : TCP 5432', ''].join('\n'),
    );
    const w = await kr('who-can-reach', 'app/db', '--staged', '-f', STAGED);
    expect(w.out).toBe(['1 source can reach app/db[Pod]', 'app/web-7d9f[ReplicaSet] => app/db[Pod] : TCP 5432', ''].join('\n'));
    const j = await kr('who-can-reach', 'app/db', '--staged', '--endpoints', 'pods', '-o', 'json', '-f', STAGED);
    expect(JSON.parse(j.out).sources.map((s: { src: string }) => s.src)).toEqual(['app/web-7d9f-a1[Pod]', 'app/web-7d9f-b2[Pod]']);
  });
  test('diff --staged --endpoints pods: each pod pair of a changed workload pair', async () => {
    const r = await kr('diff', '--staged', '--endpoints', 'pods', '-f', STAGED);
    expect(r.code).toBe(1);
    expect(r.out).toBe(
      [
        'removed 0.0.0.0-255.255.255.255[External] => app/db[Pod] : All Connections -> No Connections',
        'removed ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External] => app/db[Pod] : All Connections -> No Connections',
        'changed app/web-7d9f-a1[Pod] => app/db[Pod] : All Connections -> TCP 5432',
        'changed app/web-7d9f-b2[Pod] => app/db[Pod] : All Connections -> TCP 5432',
        '',
      ].join('\n'),
    );
  });
  test('diff --endpoints pods: a pod added to a workload gains its lines, though no workload line changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kr-pods-'));
    const base = readFileSync(join(STAGED, 'cluster.yaml'), 'utf8');
    const pod =
      '\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: web-7d9f-c3, namespace: app, labels: {app: web}, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f, controller: true, uid: u1}]}\nspec: {containers: [{name: web, image: web}]}\n';
    writeFileSync(join(dir, 'before.yaml'), base);
    writeFileSync(join(dir, 'after.yaml'), base + pod);
    const w = await kr('diff', join(dir, 'before.yaml'), join(dir, 'after.yaml'));
    expect(w).toMatchObject({ code: 0, out: '' });
    const r = await kr('diff', join(dir, 'before.yaml'), join(dir, 'after.yaml'), '--endpoints', 'pods');
    expect(r.code).toBe(1);
    const v4 = '0.0.0.0-255.255.255.255[External]';
    const v6 = '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]';
    expect(r.out).toBe(
      [
        `added ${v4} => app/web-7d9f-c3[Pod] : No Connections -> All Connections`,
        `added ${v6} => app/web-7d9f-c3[Pod] : No Connections -> All Connections`,
        'added app/db[Pod] => app/web-7d9f-c3[Pod] : No Connections -> All Connections',
        'added app/web-7d9f-a1[Pod] => app/web-7d9f-c3[Pod] : No Connections -> All Connections',
        'added app/web-7d9f-b2[Pod] => app/web-7d9f-c3[Pod] : No Connections -> All Connections',
        `added app/web-7d9f-c3[Pod] => ${v4} : No Connections -> All Connections`,
        `added app/web-7d9f-c3[Pod] => ${v6} : No Connections -> All Connections`,
        'added app/web-7d9f-c3[Pod] => app/db[Pod] : No Connections -> All Connections',
        'added app/web-7d9f-c3[Pod] => app/web-7d9f-a1[Pod] : No Connections -> All Connections',
        'added app/web-7d9f-c3[Pod] => app/web-7d9f-b2[Pod] : No Connections -> All Connections',
        '',
      ].join('\n'),
    );
    rmSync(dir, { recursive: true, force: true });
  });
  test('--endpoints pods with --explain or -o html is a usage error (exit 2)', async () => {
    const r = await kr('diff', '--staged', '--endpoints', 'pods', '--explain', '-f', STAGED);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--endpoints pods lists pod pairs in -o text, json or md');
  });
});

describe('ICMP type and code on the command line (fixtures/scenarios/calico-icmp-codes)', () => {
  const ICMP = 'fixtures/scenarios/calico-icmp-codes';
  test('--port ICMP is an echo request (type 8 code 0): the server admits exactly that code', async () => {
    const r = await kr('can', 'a/client', 'a/server', '--port', 'ICMP', '-f', ICMP);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe('yes');
    expect((await kr('can', 'a/client', 'a/server', '--port', 'icmp:8:1', '-f', ICMP)).code).toBe(1);
  });
  test('icmp:TYPE:CODE asks one code; icmp:TYPE every code, and a no names the codes that are allowed', async () => {
    expect((await kr('can', 'a/client', 'a/server', '--port', 'icmp:3:4', '-f', ICMP)).code).toBe(0);
    const whole = await kr('can', 'a/client', 'a/server', '--port', 'icmp:3', '-f', ICMP);
    expect(whole.code).toBe(1);
    expect(whole.out).toContain('note: not every code of ICMP type 3 is allowed: only ICMP 3:4 (TYPE:CODES); ask for one code with --port icmp:3:CODE');
    // redirect: every code but 2 (the client's notICMP), so the type as a whole is not allowed
    const redirect = await kr('can', 'a/client', 'a/server', '--port', 'icmp:5', '--explain', '-f', ICMP);
    expect(redirect.code).toBe(1);
    expect(redirect.out).toContain('only ICMP 5:0-1,5:3-255');
    expect(redirect.out).toMatch(/egress of a\/client\[Pod\]:\n.*\n {2}denied: \[Tier default order 1000000\] default action Deny/);
    const json = JSON.parse((await kr('can', 'a/client', 'a/server', '--port', 'icmp:5:2', '-o', 'json', '-f', ICMP)).out);
    expect(json.allowed).toBe(false);
    expect(json.port).toEqual({ asked: 'ICMP type 5 code 2', protocol: 'ICMP', port: 5, code: 2 });
  });
  test('who-can-reach --port icmp:3:4 lists the client; icmp:3 (every code) lists no pod', async () => {
    const r = await kr('who-can-reach', 'a/server', '--port', 'icmp:3:4', '-f', ICMP);
    expect(r.out).toBe('1 source can reach a/server[Pod] on ICMP 3:4\na/client[Pod] => a/server[Pod] : ICMP 3:4\n');
    const all = await kr('who-can-reach', 'a/server', '--port', 'icmp:3', '-f', ICMP);
    expect(all.code).toBe(1);
  });
});
