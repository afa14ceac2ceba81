/**
 * `kubereach fix` on the demo: the printed YAML is loaded back here, added to the input, and audited
 * and diffed again independently of the command's own check. By hand: shop, monitoring and
 * kube-system workloads are not egress-isolated, so their metadata and control-plane findings close
 * by allow lists; payments/gateway is isolated and its rule allows 100.100.100.200 on 443, which no
 * added NetworkPolicy can take away (exit 1, named).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { auditNetwork, compile, compilePair, diffIndexes, loadCluster, resolveTargets, targetCidrs, type Cluster } from '@kubereach/core';
import { memoryIO, run } from '../src/index.js';
import { filePatch } from '../src/format/patch.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

const demo = (): Cluster =>
  loadCluster(['fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml'].map((f) => ({ name: f, text: readFileSync(f, 'utf8') }))).cluster;
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
    expect(r.out).toContain('or use --tier admin (an Admin-tier Deny)');
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

// fixtures/fix/lateral (by hand, see its cluster.yaml): shop/web is exposed by a LoadBalancer and may
// only call shop/api on TCP 8080 and DNS; shop/api and kube-system/coredns have no policy.
const LATERAL = 'fixtures/fix/lateral/input';
const GOLDEN = 'fixtures/fix/lateral';
const lateral = (): Cluster =>
  loadCluster(['cluster.yaml', 'policies.yaml'].map((f) => ({ name: `${LATERAL}/${f}`, text: readFileSync(`${LATERAL}/${f}`, 'utf8') }))).cluster;
function addedTo(base: Cluster, yaml: string): Cluster {
  const gen = loadCluster([{ name: 'fix.yaml', text: yaml }]);
  expect(gen.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return {
    ...base,
    policies: [...base.policies, ...gen.cluster.policies],
    adminPolicies: [...(base.adminPolicies ?? []), ...(gen.cluster.adminPolicies ?? [])],
  };
}
const pairs = (c: Cluster) => {
  const d = diffIndexes(compilePair(lateral(), c));
  return {
    added: d.added.map((e) => `${e.src} => ${e.dst}: ${e.conn.toString()}`),
    removed: d.removed.map((e) => `${e.src} => ${e.dst}`),
    changed: d.changed.map((e) => `${e.src} => ${e.dst}: ${e.before.toString()} -> ${e.after.toString()}`),
  };
};
const META = ['100.100.100.200-100.100.100.200[External]', '169.254.169.254-169.254.169.254[External]', 'fd00:ec2::254-fd00:ec2::254[External]'];

describe('kubereach fix LATERAL_PATH (golden: fixtures/fix/lateral/lateral.expected.yaml)', () => {
  test('the chain shop/web -> shop/api -> metadata is cut at its last hop, then the next chain (through DNS to coredns, whose DNS hop stays) too: only the metadata addresses close', async () => {
    const r = await kr('fix', 'LATERAL_PATH', '-f', LATERAL);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(`${GOLDEN}/lateral.expected.yaml`, 'utf8'));
    const after = addedTo(lateral(), r.out);
    expect(audit(after).filter((f) => f.startsWith('LATERAL_PATH'))).toEqual([]);
    const p = pairs(after);
    expect(p.added).toEqual([]);
    expect(p.changed).toEqual([]);
    expect(p.removed.sort()).toEqual(['kube-system/coredns[Deployment]', 'shop/api[Deployment]'].flatMap((s) => META.map((m) => `${s} => ${m}`)).sort());
    expect(r.err).toContain('kubereach: verified: added to the input and audited again: 1 of 1 findings closed.');
  });
  test('a chain no added NetworkPolicy can cut (every hop already isolated by a rule that allows it) is named, exit 1', async () => {
    // shop/api isolated for egress by a policy that allows everything: the last hop cannot be cut by adding;
    // the first hop's sides: web is isolated (its rule allows api), api's ingress is not: cut there.
    // Then web -> coredns (DNS, left alone) -> api -> metadata: coredns -> api is cut on coredns's egress;
    // then web -> coredns -> metadata: coredns -> metadata. Five pairs in all, each checked below.
    const open = `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-egress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  policyTypes: [Egress]\n  egress: [{}]\n`;
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-fix-lateral-'));
    try {
      cpSync(LATERAL, dir, { recursive: true });
      writeFileSync(join(dir, 'api-egress.yaml'), open);
      const r = await kr('fix', 'LATERAL_PATH', '-f', dir);
      expect(r.code).toBe(0);
      // the cut is web -> api, on api's ingress side: an ingress allow list of api without web
      expect(r.out).toContain('kind: NetworkPolicy\nmetadata:\n  name: kubereach-fix-ingress-api\n  namespace: shop\n');
      expect(r.out).toContain(
        [
          '#   what changed (5 pairs; nothing else did):',
          ...META.map((m) => `#     kube-system/coredns[Deployment] => ${m}: closed All Connections`),
          '#     kube-system/coredns[Deployment] => shop/api[Deployment]: closed All Connections',
          '#     shop/web[Deployment] => shop/api[Deployment]: closed TCP 8080',
          '',
        ].join('\n'),
      );
      // and with api's ingress isolated too, allowing web: no hop is left to cut by adding
      writeFileSync(
        join(dir, 'api-ingress.yaml'),
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: api-ingress, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: api}}\n  ingress: [{}]\n`,
      );
      const s = await kr('fix', 'LATERAL_PATH', '-f', dir);
      expect(s.code).toBe(1);
      expect(s.err).toContain(
        'kubereach: NOT closed: LATERAL_PATH shop/web[Deployment]: no hop of shop/web[Deployment] -> shop/api[Deployment] -> cloud metadata service 169.254.169.254 can be cut by adding a NetworkPolicy',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubereach fix --tier admin (golden: fixtures/fix/lateral/admin.expected.yaml)', () => {
  test('one ClusterNetworkPolicy denying the metadata addresses to the namespaces of the findings; exactly those pairs close', async () => {
    const r = await kr('fix', 'METADATA_REACHABLE', '--tier', 'admin', '-f', LATERAL);
    expect(r.code).toBe(0);
    expect(r.out).toBe(readFileSync(`${GOLDEN}/admin.expected.yaml`, 'utf8'));
    const after = addedTo(lateral(), r.out);
    expect(audit(after).filter((f) => f.startsWith('METADATA_REACHABLE'))).toEqual([]);
    const p = pairs(after);
    expect([p.added, p.changed]).toEqual([[], []]);
    expect(p.removed.sort()).toEqual(['kube-system/coredns[Deployment]', 'shop/api[Deployment]'].flatMap((s) => META.map((m) => `${s} => ${m}`)).sort());
  });
  test('an Admin Deny also closes what a NetworkPolicy cannot: the demo gateway whose own rule allows the metadata address', async () => {
    const r = await kr('fix', 'METADATA_REACHABLE', '--tier', 'admin', '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.err).toContain('kubereach: verified: added to the input and audited again: 6 of 6 findings closed.');
    const after = addedTo(demo(), r.out);
    expect(after.adminPolicies?.some((p) => p.name === 'kubereach-fix')).toBe(true);
    expect(audit(after).filter((f) => f.startsWith('METADATA_REACHABLE'))).toEqual([]);
  });
  test('CONTROL_PLANE_REACHABLE in the admin tier: a Deny on the control-plane ports of 10.0.0.10; the four workloads lose exactly those ports', async () => {
    const r = await kr('fix', 'CONTROL_PLANE_REACHABLE', '--tier', 'admin', '-f', 'fixtures/demo');
    expect(r.code).toBe(0);
    expect(r.err).toContain('kubereach: verified: added to the input and audited again: 8 of 8 findings closed.');
    const d = diffIndexes(compilePair(demo(), addedTo(demo(), r.out)));
    expect([d.added, d.removed]).toEqual([[], []]);
    // by hand: the control-plane ports are 6443, 8080, 2379-2380, 10250, 10251, 10252, 10257, 10258, 10259 (TCP)
    const closed = 'TCP 2379-2380,6443,8080,10250-10252,10257-10259';
    expect(d.changed.map((e) => `${e.src} => ${e.dst}: ${e.before.subtract(e.after).toString()}`)).toEqual(
      ['monitoring/prometheus[Deployment]', 'shop/api[Deployment]', 'shop/db[StatefulSet]', 'shop/web[Deployment]'].map(
        (s) => `${s} => 10.0.0.10-10.0.0.10[External]: ${closed}`,
      ),
    );
  });
  test('isolation findings are not written in the admin tier, and say why (exit 1)', async () => {
    const r = await kr('fix', 'NAMESPACE_NO_DEFAULT_DENY_EGRESS', '--tier', 'admin', '-f', LATERAL);
    expect(r.code).toBe(1);
    expect(r.out).not.toContain('apiVersion');
    expect(r.err).toContain('kubereach: NOT closed: NAMESPACE_NO_DEFAULT_DENY_EGRESS kube-system: isolation is a NetworkPolicy notion');
  });
});

describe('kubereach fix --keep FLOWS', () => {
  test('the allow lists keep only the listed flows: shop/api keeps DNS to coredns, every other connection of the isolated workloads closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-fix-keep-'));
    try {
      const flows = join(dir, 'keep.csv');
      writeFileSync(flows, 'src,dst,conn\nshop/api[Deployment],kube-system/coredns[Deployment],UDP 53\n');
      const r = await kr('fix', 'NAMESPACE_NO_DEFAULT_DENY_EGRESS', '--keep', flows, '-f', LATERAL);
      expect(r.code).toBe(0);
      const after = addedTo(lateral(), r.out);
      expect(audit(after).filter((f) => f.startsWith('NAMESPACE_NO_DEFAULT_DENY_EGRESS'))).toEqual([]);
      const p = pairs(after);
      expect(p.added).toEqual([]);
      expect(p.changed).toEqual(['shop/api[Deployment] => kube-system/coredns[Deployment]: All Connections -> UDP 53']);
      expect(p.removed.sort()).toEqual(
        [
          'kube-system/coredns[Deployment] => 0.0.0.0-255.255.255.255[External]',
          'kube-system/coredns[Deployment] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]',
          'kube-system/coredns[Deployment] => shop/api[Deployment]',
          'kube-system/coredns[Deployment] => shop/web[Deployment]',
          'shop/api[Deployment] => 0.0.0.0-255.255.255.255[External]',
          'shop/api[Deployment] => ::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff[External]',
          'shop/api[Deployment] => shop/web[Deployment]',
        ].sort(),
      );
      // the header's list is exactly that diff
      expect(r.out).toContain('#   what changed (8 pairs; nothing else did):\n');
      // without --keep the same fix changes nothing
      const all = await kr('fix', 'NAMESPACE_NO_DEFAULT_DENY_EGRESS', '-f', LATERAL);
      expect(all.out).toContain('#   nothing else changed: every other pair allows exactly what it allows today.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  test('a flows file naming nothing in the input is bad input (exit 2), with file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubereach-fix-keep-'));
    try {
      writeFileSync(join(dir, 'keep.csv'), 'src,dst,conn\nshop/nope,shop/api,TCP 8080\n');
      const r = await kr('fix', '--keep', join(dir, 'keep.csv'), '-f', LATERAL);
      expect(r.code).toBe(2);
      expect(r.err).toContain(`${join(dir, 'keep.csv')}:2: src:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubereach fix -o patch', () => {
  test('a git patch creating kubereach-fix.yaml in the -f folder: git apply takes it, and the applied folder has the finding closed', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'kubereach-fix-patch-'));
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    try {
      git('init', '-q');
      cpSync(LATERAL, join(repo, 'deploy'), { recursive: true });
      git('add', '.');
      git('commit', '-q', '-m', 'manifests');
      const yaml = await kr('fix', 'LATERAL_PATH', '-f', LATERAL);
      const io = memoryIO('', { cwd: repo });
      const code = await run(['fix', 'LATERAL_PATH', '-f', 'deploy', '-o', 'patch'], io);
      expect(code).toBe(0);
      const lines = yaml.out.replace(/\n$/, '').split('\n');
      // exactly the -o yaml output (whose file names differ only in the -f path shown in no line), as a new file
      expect(io.out()).toBe(
        [
          'diff --git a/deploy/kubereach-fix.yaml b/deploy/kubereach-fix.yaml',
          'new file mode 100644',
          '--- /dev/null',
          '+++ b/deploy/kubereach-fix.yaml',
          `@@ -0,0 +1,${lines.length} @@`,
          ...lines.map((l) => `+${l}`),
          '',
        ].join('\n'),
      );
      expect(io.err()).toContain('kubereach: -o patch: creates deploy/kubereach-fix.yaml; apply with git apply (or patch -p1)');
      writeFileSync(join(repo, 'fix.patch'), io.out());
      git('apply', '--check', 'fix.patch');
      git('apply', 'fix.patch');
      expect(readFileSync(join(repo, 'deploy', 'kubereach-fix.yaml'), 'utf8')).toBe(yaml.out);
      // the folder as applied: the finding is gone (audit), and the diff against the commit is the printed one
      // no high finding is left: cutting both chains also closed METADATA_REACHABLE of api and coredns
      expect(await run(['audit', '-f', 'deploy', '-o', 'json'], memoryIO('', { cwd: repo }))).toBe(0);
      const a = memoryIO('', { cwd: repo });
      await run(['audit', '-f', 'deploy', '-o', 'json'], a);
      expect((JSON.parse(a.out()) as { findings: { id: string }[] }).findings.filter((f) => f.id === 'LATERAL_PATH')).toEqual([]);
      const d = memoryIO('', { cwd: repo });
      expect(await run(['diff', '--base', 'HEAD', '-f', 'deploy'], d)).toBe(1);
      expect(
        d
          .out()
          .split('\n')
          .filter((l) => l !== '')
          .sort(),
      ).toEqual(
        ['kube-system/coredns[Deployment]', 'shop/api[Deployment]']
          .flatMap((s) => META.map((m) => `removed ${s} => ${m} : All Connections -> No Connections`))
          .sort(),
      );
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
  test('filePatch replacing an existing file applies with git apply', () => {
    const repo = mkdtempSync(join(tmpdir(), 'kubereach-fix-patch2-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo });
      writeFileSync(join(repo, 'f.yaml'), 'a: 1\nb: 2');
      writeFileSync(join(repo, 'p.patch'), filePatch('f.yaml', 'a: 1\nb: 2', '# new\nc: 3\n'));
      execFileSync('git', ['apply', 'p.patch'], { cwd: repo });
      expect(readFileSync(join(repo, 'f.yaml'), 'utf8')).toBe('# new\nc: 3\n');
      expect(filePatch('f.yaml', 'x\n', 'x\n')).toBe('');
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
