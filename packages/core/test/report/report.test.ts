/**
 * The report's data (report/build.ts, report/diff.ts): a view over the index, so every node is an
 * entity, every edge a matrix entry with the same connections and the same explanation text as
 * `can --explain`, and a diff report's edges are exactly the diff's rows plus the unchanged pairs.
 * Facts about fixtures/demo are read off its manifests by hand (see the comments).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import {
  auditNetwork,
  buildDiffReport,
  buildReport,
  compile,
  compilePair,
  diffIndexes,
  explainPair,
  loadCluster,
  matrix,
  orderedEntities,
  renderPairSide,
  resolveTargets,
  sortFindings,
  targetCidrs,
  type Cluster,
  type ReportData,
} from '@kubereach/core';

function load(...files: string[]): Cluster {
  const res = loadCluster(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  expect(res.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return res.cluster;
}

const demo = load('fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml');
const targets = resolveTargets(demo);
const index = compile(demo, { extraCidrs: targetCidrs(targets) });
const findings = sortFindings(auditNetwork(index));
const report = buildReport(index, { targets, findings });

const nodeOf = (r: ReportData, id: string) => r.nodes.findIndex((n) => n.id === id);

describe('buildReport on fixtures/demo', () => {
  test('one node per entity, in matrix order, and one edge per matrix entry with its connections', () => {
    expect(report.nodes.map((n) => n.id)).toEqual(orderedEntities(index).map((e) => e.id));
    const m = matrix(index);
    expect(report.edges.length).toBe(m.length);
    expect(report.edges.map((e) => `${report.nodes[e.src]!.id} => ${report.nodes[e.dst]!.id} : ${report.conns[e.conn]!.text}`)).toEqual(
      m.map((x) => `${x.src.id} => ${x.dst.id} : ${x.conn.toString()}`),
    );
    expect(report.edges.every((e) => e.status === 'same')).toBe(true);
  });

  test('shop/db is reached only by shop/api on TCP 5432 (db-from-api is its only allow rule)', () => {
    const db = nodeOf(report, 'shop/db[StatefulSet]');
    const inbound = report.edges.filter((e) => e.dst === db);
    expect(inbound.map((e) => [report.nodes[e.src]!.id, report.conns[e.conn]!.text])).toEqual([['shop/api[Deployment]', 'TCP 5432']]);
    expect(report.conns[inbound[0]!.conn]).toEqual({ text: 'TCP 5432', TCP: [[5432, 5432]], UDP: [], SCTP: [] });
  });

  test("a workload's policies are the ones that select it, sorted, with file:line:col (shop/db: two ingress policies, no egress)", () => {
    const db = report.nodes[nodeOf(report, 'shop/db[StatefulSet]')]!;
    expect(db.policies.map((p) => `${p.direction} ${p.name} ${p.location}`)).toEqual([
      'ingress shop/db-from-api fixtures/demo/policies.yaml:30:1',
      'ingress shop/default-deny-ingress fixtures/demo/policies.yaml:2:1',
    ]);
    expect(db.location).toMatch(/^fixtures\/demo\/cluster\.yaml:\d+:\d+$/);
  });

  test('edge explanations are the texts can --explain prints', () => {
    for (const e of report.edges) {
      const pair = explainPair(index, index.resolve(report.nodes[e.src]!.id), index.resolve(report.nodes[e.dst]!.id));
      expect(report.texts[e.egress]).toBe(renderPairSide(pair.egress));
      expect(report.texts[e.ingress]).toBe(renderPairSide(pair.ingress));
    }
    const api = nodeOf(report, 'shop/api[Deployment]');
    const db = nodeOf(report, 'shop/db[StatefulSet]');
    const e = report.edges.find((x) => x.src === api && x.dst === db)!;
    expect(report.texts[e.ingress]).toBe(
      [
        'ingress of shop/db[StatefulSet]:',
        '  selected by: NetworkPolicy shop/default-deny-ingress (fixtures/demo/policies.yaml:2:1), NetworkPolicy shop/db-from-api (fixtures/demo/policies.yaml:30:1)',
        '  [NetworkPolicy shop/db-from-api rule 0] Allow TCP 5432 (fixtures/demo/policies.yaml:36:5)',
      ].join('\n'),
    );
    expect(new Set(report.texts).size).toBe(report.texts.length);
  });

  test('sensitive targets become their own kinds of node', () => {
    const kind = (id: string) => report.nodes[nodeOf(report, id)]!.kind;
    expect(kind('169.254.169.254-169.254.169.254[External]')).toBe('metadata');
    expect(kind('fd00:ec2::254-fd00:ec2::254[External]')).toBe('metadata');
    expect(kind('0.0.0.0-9.255.255.255[External]')).toBe('external');
    expect(report.nodes[nodeOf(report, '169.254.169.254-169.254.169.254[External]')]!.targets[0]).toMatch(/^cloud metadata service 169\.254\.169\.254 /);
  });

  test('findings point at their subject, a namespace finding at its workloads', () => {
    expect(report.findings.length).toBe(findings.length);
    for (const [k, f] of report.findings.entries()) {
      expect(f.id).toBe(findings[k]!.id);
      const subject = nodeOf(report, f.subject);
      if (subject >= 0) expect(f.nodes).toEqual([subject]);
      else expect(f.nodes.map((i) => report.nodes[i]!.namespace)).toEqual(f.nodes.map(() => f.subject));
    }
    const ns = report.findings.find((f) => f.id === 'NAMESPACE_NO_DEFAULT_DENY_EGRESS' && f.subject === 'shop');
    expect(ns?.nodes.map((i) => report.nodes[i]!.id).sort()).toEqual(['shop/api[Deployment]', 'shop/db[StatefulSet]', 'shop/web[Deployment]']);
  });

  test('a LATERAL_PATH finding carries its chain as node indexes, the target as its address range', () => {
    // cluster.yaml: web (behind a LoadBalancer) may talk only to the workers, whose egress is open
    const c = load('fixtures/audit-network/LATERAL_PATH/raise/cluster.yaml');
    const t = resolveTargets(c);
    const ix = compile(c, { extraCidrs: targetCidrs(t) });
    const r = buildReport(ix, { targets: t, findings: auditNetwork(ix) });
    const f = r.findings.find((x) => x.id === 'LATERAL_PATH' && x.message.includes('cloud metadata service'))!;
    expect(f.path.map((i) => r.nodes[i]!.id)).toEqual(['edge/web[Deployment]', 'jobs/worker[Deployment]', '169.254.169.254-169.254.169.254[External]']);
    expect(f.nodes.map((i) => r.nodes[i]!.id)).toEqual(['edge/web[Deployment]']);
  });

  test('the report does not depend on the order of the input documents', () => {
    const docs = ['fixtures/demo/policies.yaml', 'fixtures/demo/cluster.yaml'].flatMap((f) => readFileSync(f, 'utf8').split(/^---$/m));
    const shuffled = loadCluster([{ name: 'all.yaml', text: [...docs].reverse().join('\n---\n') }]).cluster;
    const t = resolveTargets(shuffled);
    const ix = compile(shuffled, { extraCidrs: targetCidrs(t) });
    const r = buildReport(ix, { targets: t, findings: sortFindings(auditNetwork(ix)) });
    const strip = (d: ReportData) =>
      JSON.parse(
        JSON.stringify(d)
          .replace(/"(fixtures\/demo\/[a-z]+|all)\.yaml:\d+:\d+/g, '"LOC')
          .replace(/\((fixtures\/demo\/[a-z]+|all)\.yaml:\d+:\d+\)/g, '(LOC)')
          .replace(/ at (fixtures\/demo\/[a-z]+|all)\.yaml:\d+:\d+/g, ' at LOC'),
      ) as ReportData;
    expect(strip(r).nodes).toEqual(strip(report).nodes);
    expect(strip(r).edges).toEqual(strip(report).edges);
  });

  test('the data survives JSON (what the page reads is what was built)', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});

describe('buildDiffReport', () => {
  for (const scenario of ['allow-port', 'workload-added']) {
    test(`${scenario}: every diff row once with its status, every other pair of the after side as unchanged`, () => {
      const dir = `fixtures/diff/${scenario}`;
      const a = load(`${dir}/before/cluster.yaml`, `${dir}/before/policies.yaml`);
      const b = load(`${dir}/after/cluster.yaml`, `${dir}/after/policies.yaml`);
      const pair = compilePair(a, b);
      const d = diffIndexes(pair);
      const r = buildDiffReport(pair, d, { causes: (s, t) => [`cause of ${s} -> ${t}`] });
      const line = (e: ReportData['edges'][number]) => `${e.status} ${r.nodes[e.src]!.id} => ${r.nodes[e.dst]!.id}`;
      expect(r.edges.filter((e) => e.status === 'added').map(line)).toEqual(d.added.map((x) => `added ${x.src} => ${x.dst}`));
      expect(r.edges.filter((e) => e.status === 'removed').map(line)).toEqual(d.removed.map((x) => `removed ${x.src} => ${x.dst}`));
      expect(r.edges.filter((e) => e.status === 'changed').map((e) => `${line(e)} : ${r.conns[e.before!]!.text} -> ${r.conns[e.conn]!.text}`)).toEqual(
        d.changed.map((x) => `changed ${x.src} => ${x.dst} : ${x.before.toString()} -> ${x.after.toString()}`),
      );
      const afterPairs = matrix(pair.after).map((m) => `${m.src.id} => ${m.dst.id}`);
      const shown = r.edges.filter((e) => e.status !== 'removed').map((e) => `${r.nodes[e.src]!.id} => ${r.nodes[e.dst]!.id}`);
      expect([...shown].sort()).toEqual([...afterPairs].sort());
      expect(r.diff).toEqual({ before: 'before', after: 'after', added: d.added.length, removed: d.removed.length, changed: d.changed.length });
      for (const e of r.edges) {
        if (e.status === 'same') expect(e.causes).toBeUndefined();
        else expect(e.causes!.map((c) => r.texts[c])).toEqual([`cause of ${r.nodes[e.src]!.id} -> ${r.nodes[e.dst]!.id}`]);
      }
    });
  }

  test('allow-port (hand-checked in expected.txt): web => db changes from TCP 5432 to TCP 5432,8080', () => {
    const dir = 'fixtures/diff/allow-port';
    const pair = compilePair(
      load(`${dir}/before/cluster.yaml`, `${dir}/before/policies.yaml`),
      load(`${dir}/after/cluster.yaml`, `${dir}/after/policies.yaml`),
    );
    const r = buildDiffReport(pair, diffIndexes(pair));
    const changed = r.edges.filter((e) => e.status === 'changed');
    expect(changed.map((e) => [r.nodes[e.src]!.id, r.nodes[e.dst]!.id, r.conns[e.before!]!.text, r.conns[e.conn]!.text])).toEqual([
      ['shop/web[Deployment]', 'shop/db[Deployment]', 'TCP 5432', 'TCP 5432,8080'],
    ]);
  });

  test('a range wider than one address is not drawn as the target it holds, only lists it', () => {
    // compilePair cuts ranges at the policies' ipBlocks only: here 0.0.0.0-255.255.255.255 holds 169.254.169.254
    const dir = 'fixtures/diff/allow-port';
    const b = load(`${dir}/after/cluster.yaml`, `${dir}/after/policies.yaml`);
    const pair = compilePair(load(`${dir}/before/cluster.yaml`, `${dir}/before/policies.yaml`), b);
    const r = buildDiffReport(pair, diffIndexes(pair), { targets: resolveTargets(b) });
    const wide = r.nodes.find((n) => n.id === '0.0.0.0-255.255.255.255[External]')!;
    expect(wide.kind).toBe('external');
    expect(wide.targets.some((t) => t.startsWith('cloud metadata service 169.254.169.254 '))).toBe(true);
  });

  test('workload-added: a removed edge is explained on the before side, where it exists', () => {
    const dir = 'fixtures/diff/workload-added';
    const pair = compilePair(
      load(`${dir}/before/cluster.yaml`, `${dir}/before/policies.yaml`),
      load(`${dir}/after/cluster.yaml`, `${dir}/after/policies.yaml`),
    );
    const r = buildDiffReport(pair, diffIndexes(pair));
    const removed = r.edges.filter((e) => e.status === 'removed');
    expect(removed.length).toBe(1);
    const e = removed[0]!;
    const pairText = explainPair(pair.before, pair.before.resolve(r.nodes[e.src]!.id), pair.before.resolve(r.nodes[e.dst]!.id));
    expect(r.texts[e.ingress]).toBe(renderPairSide(pairText.ingress));
    expect(r.conns[e.conn]!.text).toBe('All Connections');
  });
});
