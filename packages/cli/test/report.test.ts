/**
 * `kubereach report` and `kubereach diff -o html`: one self-contained page whose embedded data is
 * exactly what `report -o json` prints (the index's view), with nothing fetched from the network.
 * The page itself is tested in a real browser (test/browser/).
 */
import { describe, expect, test } from 'vitest';
import { reportHtml, scriptSafeJson } from '@kubereach/web';
import type { ReportData } from '@kubereach/core';
import { memoryIO, run } from '../src/index.js';

async function kr(...argv: string[]) {
  const io = memoryIO();
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** The JSON in the page's data element. */
function embedded(html: string): ReportData {
  const m = /<script type="application\/json" id="kubereach-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m).not.toBeNull();
  return JSON.parse(m![1]!) as ReportData;
}

describe('kubereach report', () => {
  test('-o html is one page that holds the same data as -o json, and exits 0', async () => {
    const html = await kr('report', '-f', 'fixtures/demo');
    const json = await kr('report', '-f', 'fixtures/demo', '-o', 'json');
    expect(html.code).toBe(0);
    expect(json.code).toBe(0);
    expect(html.out.startsWith('<!doctype html>')).toBe(true);
    expect(embedded(html.out)).toEqual(JSON.parse(json.out));
    const data = JSON.parse(json.out) as ReportData;
    expect(data.kind).toBe('report');
    expect(data.nodes.length).toBe(20); // 6 workloads + 14 address ranges cut at the policies' and targets' boundaries
    expect(data.nodes.filter((n) => n.kind === 'workload').length).toBe(6);
  });

  test('the page loads nothing from elsewhere: no external script, style, font or image, and a CSP that forbids it', async () => {
    const { out } = await kr('report', '-f', 'fixtures/demo');
    expect(out).not.toMatch(/<script[^>]+src=/i);
    expect(out).not.toMatch(/<link[^>]+href=/i);
    expect(out).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(out).toContain(`content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:"`);
    expect(out.match(/<script/g)?.length).toBe(2); // the data and the bundle
  });

  test('is default html; --title names the page', async () => {
    const r = await kr('report', '-f', 'fixtures/demo', '--title', 'prod cluster');
    expect(embedded(r.out).title).toBe('prod cluster');
  });

  test('the caveats printed as warnings are in the page, which shows them above the graph', async () => {
    const r = await kr('report', '-f', 'fixtures/honesty/unmodelled/cluster.yaml');
    expect(r.code).toBe(0);
    const warnings = r.err
      .split('\n')
      .filter((l) => l.startsWith('warning: '))
      .map((l) => l.slice('warning: '.length));
    expect(warnings.length).toBeGreaterThan(0);
    expect(embedded(r.out).caveats).toEqual(warnings);
  });

  test('--max-edges: a report with more edges is refused with exit 2 and a message, no page; at the limit it is made', async () => {
    const over = await kr('report', '-f', 'fixtures/demo', '--max-edges', '134');
    expect(over.code).toBe(2);
    expect(over.out).toBe('');
    expect(over.err).toBe(
      'kubereach: the report would draw 135 edges, more than the limit of 134: report on fewer namespaces or files, or raise the limit (--max-edges)\n',
    );
    expect((await kr('report', '-f', 'fixtures/demo', '--max-edges', '135')).code).toBe(0);
    expect((await kr('report', '-f', 'fixtures/demo', '--max-edges', 'many')).code).toBe(2);
    const dir = 'fixtures/diff/allow-port';
    expect((await kr('diff', `${dir}/before`, `${dir}/after`, '-o', 'html', '--max-edges', '1')).code).toBe(2);
  });

  test('bad input: exit 2 with the diagnostic, no page', async () => {
    const r = await kr('report', '-f', 'fixtures/_error_/does-not-exist.yaml');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });

  test('text that would close the script element is escaped and reads back unchanged', () => {
    const hostile = { s: '</script><script>alert(1)</script> <!-- \u2028 \u2029' };
    const safe = scriptSafeJson(hostile);
    expect(safe).not.toContain('<');
    expect(JSON.parse(safe)).toEqual(hostile);
    const page = reportHtml({ title: '</script>' } as unknown as ReportData);
    expect(page.match(/<\/script>/g)?.length).toBe(2);
  });
});

describe('report findings: the audit and the linter', () => {
  test("every finding of `kubereach lint` is in the report, marked as the linter's, pointing at the workloads its policy selects", async () => {
    const d = 'fixtures/lint/RULE_REDUNDANT/raise';
    const linted = JSON.parse((await kr('lint', '-f', `${d}/cluster.yaml`, '-f', `${d}/policy.yaml`, '-o', 'json')).out) as {
      findings: { id: string; subject: string; message: string }[];
    };
    expect(linted.findings.length).toBeGreaterThan(0);
    const data = JSON.parse((await kr('report', '-f', `${d}/cluster.yaml`, '-f', `${d}/policy.yaml`, '-o', 'json')).out) as ReportData;
    const fromLinter = data.findings.filter((f) => f.source === 'linter (kubereach lint)');
    expect(fromLinter.map((f) => [f.id, f.subject, f.message])).toEqual(linted.findings.map((f) => [f.id, f.subject, f.message]));
    // policy.yaml's shop/web-ingress selects app=web: the shop/web Pod of cluster.yaml
    const redundant = fromLinter.find((f) => f.id === 'RULE_REDUNDANT')!;
    expect(redundant.subject).toBe('shop/web-ingress[NetworkPolicy]');
    expect(redundant.nodes.map((i) => data.nodes[i]!.id)).toEqual(['shop/web[Pod]']);
    expect(data.findings.filter((f) => f.source === 'audit (kubereach audit)').length).toBe(data.findings.length - fromLinter.length);
  });
});

describe('kubereach diff -o html', () => {
  test('the page holds every changed pair with its status and the edits behind it; exit 1 as for any change', async () => {
    const dir = 'fixtures/diff/allow-port';
    const r = await kr('diff', `${dir}/before`, `${dir}/after`, '-o', 'html');
    expect(r.code).toBe(1);
    const data = embedded(r.out);
    expect(data.kind).toBe('diff');
    expect(data.diff).toEqual({ before: 'before', after: 'after', added: 1, removed: 0, changed: 1 });
    const rows = data.edges.filter((e) => e.status !== 'same').map((e) => `${e.status} ${data.nodes[e.src]!.id} => ${data.nodes[e.dst]!.id}`);
    // expected.txt of the scenario, written by hand
    expect(rows.sort()).toEqual(['added monitoring/exporter[Deployment] => shop/db[Deployment]', 'changed shop/web[Deployment] => shop/db[Deployment]']);
    const explained = await kr('diff', `${dir}/before`, `${dir}/after`, '--explain', '-o', 'json');
    const j = JSON.parse(explained.out) as Record<'added' | 'removed' | 'changed', { src: string; dst: string; causes: string[] }[]>;
    const fromJson = [...j.added, ...j.removed, ...j.changed].map((x) => `${x.src} => ${x.dst}: ${x.causes.join(' | ')}`).sort();
    const fromPage = data.edges
      .filter((e) => e.status !== 'same')
      .map((e) => `${data.nodes[e.src]!.id} => ${data.nodes[e.dst]!.id}: ${e.causes!.map((c) => data.texts[c]).join(' | ')}`)
      .sort();
    expect(fromPage).toEqual(fromJson);
    expect(fromPage[0]).toBe(
      'monitoring/exporter[Deployment] => shop/db[Deployment]: policy shop/db-in: ingress rule 1 added (fixtures/diff/allow-port/after/policies.yaml:19)',
    );
  });
});
