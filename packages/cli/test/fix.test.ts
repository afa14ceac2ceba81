/**
 * `kubereach fix` on the demo: the printed YAML is loaded back here, added to the input, and audited
 * and diffed again independently of the command's own check. By hand: shop, monitoring and
 * kube-system workloads are not egress-isolated, so their metadata and control-plane findings close
 * by allow lists; payments/gateway is isolated and its rule allows 100.100.100.200 on 443, which no
 * added NetworkPolicy can take away (exit 1, named).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { auditNetwork, compile, compilePair, diffIndexes, loadCluster, resolveTargets, targetCidrs, type Cluster } from '@kubereach/core';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const demo = (): Cluster => loadCluster(['fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))).cluster;
const audit = (c: Cluster) => auditNetwork(compile(c, { extraCidrs: targetCidrs(resolveTargets(c)) })).map((f) => `${f.id} ${f.subject}`);

function added(yaml: string): Cluster {
  const gen = loadCluster([{ name: 'fix.yaml', text: yaml }]);
  expect(gen.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const c = demo();
  return { ...c, policies: [...c.policies, ...gen.cluster.policies] };
}

describe('kubereach fix', () => {
  test('METADATA_REACHABLE: closed where adding a policy can, nothing else changes, the isolated gateway named', async () => {
    const r = await kr('fix', 'METADATA_REACHABLE', '-f', 'fixtures/demo');
    expect(r.code).toBe(1);
    expect(r.out).toContain('# verified: added to the input and audited again: 5 of 5 findings closed.');
    expect(r.out).toContain('#   NOT closed: METADATA_REACHABLE payments/gateway[Deployment]: payments/gateway[Deployment] is already isolated for egress');
    const after = added(r.out);
    const left = audit(after).filter((f) => f.startsWith('METADATA_REACHABLE'));
    expect(left).toEqual(['METADATA_REACHABLE payments/gateway[Deployment]']);
    // the only changes: the five workloads lose the three metadata addresses, nothing else
    const d = diffIndexes(compilePair(demo(), after));
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual([]);
    const removed = d.removed.map((e) => `${e.src} => ${e.dst}`);
    expect(removed.length).toBe(15);
    expect(removed.every((x) => /=> (169\.254\.169\.254|100\.100\.100\.200|fd00:ec2::254)-/.test(x))).toBe(true);
    expect(r.out).toContain('#   what changed (15 pairs; nothing else did):');
  });

  test('NAMESPACE_NO_DEFAULT_DENY_*: isolation added, every connection kept, exit 0', async () => {
    const r = await kr('fix', 'NAMESPACE_NO_DEFAULT_DENY_INGRESS', 'NAMESPACE_NO_DEFAULT_DENY_EGRESS', '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.out).toContain('nothing else changed: every other pair allows exactly what it allows today.');
    const after = added(r.out);
    expect(audit(after).filter((f) => f.startsWith('NAMESPACE_NO_DEFAULT_DENY'))).toEqual([]);
    const d = diffIndexes(compilePair(demo(), after));
    expect([d.added, d.removed, d.changed]).toEqual([[], [], []]);
    // one object per document, each with a comment naming the finding it closes
    const docs = r.out.split('\n---\n');
    expect(docs.every((x) => /# closes NAMESPACE_NO_DEFAULT_DENY_/.test(x))).toBe(true);
  });

  test('an unknown finding id is a usage error', async () => {
    const r = await kr('fix', 'NOPE', '-f', 'fixtures/demo');
    expect(r.code).toBe(2);
    expect(r.err).toContain("'NOPE' is not a finding fix handles");
  });
});
