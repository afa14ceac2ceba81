/**
 * `kubereach generate`: the printed YAML is loaded back here with the ordinary loader, put in place
 * of the input's NetworkPolicies and evaluated again, independently of the command's own check.
 * fixtures/generate/flows.expected-matrix.txt is the flows file's four flows (the 0.0.0.0/0 source
 * cut where the gateway's 0.0.0.0-9.255.255.255 range ends, 0/5 + 8/7) plus DNS from the five
 * workloads to CoreDNS, written by hand.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { compile, loadCluster, matrix, matrixLine, type Cluster } from '@kubereach/core';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

function demo(): Cluster {
  return loadCluster(['fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))).cluster;
}

function replaced(cluster: Cluster, yaml: string): Cluster {
  const gen = loadCluster([{ name: 'generated.yaml', text: yaml }]);
  expect(gen.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(gen.cluster.endpoints).toEqual([]); // policies only
  return { ...cluster, policies: gen.cluster.policies };
}

const lines = (c: Cluster) => matrix(compile(c)).map(matrixLine);

describe('kubereach generate', () => {
  test("--from current: verified, exit 0, and the loaded-back policies give today's matrix (DNS aside)", async () => {
    const r = await kr('generate', '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      '# verified: applied to the input in place of its NetworkPolicies and re-evaluated, every pair allows exactly what it allows today.',
    );
    expect(r.err).toBe("kubereach: verified: applied to the input and re-evaluated, the matrix is today's\n");
    const before = lines(demo());
    const after = lines(replaced(demo(), r.out));
    // every pair of the demo that sends DNS already may (kube-system is open): nothing set aside
    expect(after).toEqual(before);
    // one object per document, each with a comment naming what it is for
    const docs = r.out.split('\n---\n');
    expect(docs.length).toBe(10);
    expect(docs.every((d) => /^# /m.test(d))).toBe(true);
  });

  test('--from FLOWS (CSV as matrix -o csv writes): exactly the flows plus DNS', async () => {
    const r = await kr('generate', '--from', 'fixtures/generate/flows.csv', '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.out).toContain('every pair allows exactly its listed flows, except 5 pairs that gain DNS');
    const after = lines(replaced(demo(), r.out));
    expect(after.join('\n') + '\n').toBe(readFileSync('fixtures/generate/flows.expected-matrix.txt', 'utf8'));
  });

  test('--from FLOWS as JSON (matrix -o json) round-trips: generate from the current matrix gives it back', async () => {
    const m = await kr('matrix', '-o', 'json', '-f', 'fixtures/demo');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const f = join(mkdtempSync(join(tmpdir(), 'kr-gen-')), 'flows.json');
    writeFileSync(f, m.out);
    const r = await kr('generate', '--from', f, '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(lines(replaced(demo(), r.out))).toEqual(lines(demo()));
  });

  test('workloads no selector tells apart but reached differently: NOT verified, exit 1, the pair listed', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const d = mkdtempSync(join(tmpdir(), 'kr-gen-'));
    const pod = (name: string, app: string, ip: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: x, labels: {app: ${app}}}\nstatus: {podIP: ${ip}}\n---\n`;
    writeFileSync(
      join(d, 'c.yaml'),
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n${pod('a', 'w', '10.0.0.1')}${pod('b', 'w', '10.0.0.2')}${pod('c', 'c', '10.0.0.3')}` +
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: c-to-a, namespace: x}\nspec:\n  podSelector: {matchLabels: {app: c}}\n  policyTypes: [Egress]\n  egress: [{to: [{ipBlock: {cidr: 10.0.0.1/32}}]}]\n',
    );
    const r = await kr('generate', '-f', join(d, 'c.yaml'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^# NOT verified: applied to the input and re-evaluated, \d+ pairs differ from what was meant/m);
    expect(r.out).toContain('#   x/c[Pod] => x/b[Pod]: meant No Connections, got All Connections');
    expect(r.out).toContain('(no selector tells these apart)');
  });

  test('bad flows: exit 2 with file:line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const d = mkdtempSync(join(tmpdir(), 'kr-gen-'));
    writeFileSync(join(d, 'a.csv'), 'src,dst,conn\nshop/web,shop/api,TCP 99999\n');
    let r = await kr('generate', '--from', join(d, 'a.csv'), '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("a.csv:2: 'TCP 99999': ports are 1-65535");
    writeFileSync(join(d, 'b.csv'), 'src,dst,conn\nshop/nope,shop/api,443/TCP\n');
    r = await kr('generate', '--from', join(d, 'b.csv'), '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("b.csv:2: src: no endpoint 'shop/nope'");
  });
});
