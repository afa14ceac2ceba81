/**
 * `npm run bench:report`: how long the HTML report of a generated 2,000-pod cluster takes to make and
 * to become interactive in headless Chromium (Debian's, via playwright-core).
 *
 *   npm run bench:report                   2,000 pods (realistic, seed 1), 5 page loads
 *   npm run bench:report -- --pods 10000 --runs 3
 *
 * Making: the CLI's pipeline in this process (load, compile, audit + lint, buildReport, the page).
 * Opening: a fresh page per run, file:// URL; "interactive" is the page's own performance.now() when
 * the app has parsed the data, laid out the graph and drawn it with its handlers attached (ms since
 * navigation start), and "painted" the second animation frame after that. The median and the range
 * are printed, and written to benchmarks/results/report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { generateCluster, renderCluster } from './generate.js';
import { auditNetwork, buildReport, compile, lint, loadCluster, resolveTargets, sortFindings, targetCidrs } from '../packages/core/src/index.js';
import { reportHtml } from '../packages/web/dist/index.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/browser/chromium.js';

const { values } = parseArgs({ options: { pods: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' } } });
const pods = Number(values.pods ?? 2000);
const runs = Number(values.runs ?? 5);
const seed = Number(values.seed ?? 1);

function ms(t0: number): number {
  return Math.round(performance.now() - t0);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const text = renderCluster(generateCluster({ pods, seed, shape: 'realistic' }), 'json');
  const t0 = performance.now();
  const res = loadCluster([{ name: 'cluster.json', text }]);
  const targets = resolveTargets(res.cluster);
  const index = compile(res.cluster, { extraCidrs: targetCidrs(targets) });
  const tCompiled = performance.now();
  const findings = sortFindings([...auditNetwork(index), ...lint(index)]);
  const tFindings = performance.now();
  const data = buildReport(index, { targets, findings });
  const tData = performance.now();
  const html = reportHtml(data);
  const make = {
    loadCompileMs: Math.round(tCompiled - t0),
    findingsMs: Math.round(tFindings - tCompiled),
    buildReportMs: Math.round(tData - tFindings),
    pageMs: ms(tData),
    totalMs: ms(t0),
  };
  const dir = fileURLToPath(new URL('./tmp/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `report-${pods}.html`);
  writeFileSync(file, html);

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS] });
  const open: { interactiveMs: number; paintedMs: number; expandAllMs: number }[] = [];
  for (let r = 0; r < runs; r++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => {
      const k = (globalThis as unknown as { kubereach?: { firstFrameAt: number } }).kubereach;
      return k !== undefined && k.firstFrameAt > 0;
    });
    const t = await page.evaluate(() => {
      const k = (globalThis as unknown as { kubereach: { readyAt: number; firstFrameAt: number; graph: { expandAll(on: boolean): void } } }).kubereach;
      const t1 = performance.now();
      k.graph.expandAll(true);
      return { interactiveMs: Math.round(k.readyAt), paintedMs: Math.round(k.firstFrameAt), expandAllMs: Math.round(performance.now() - t1) };
    });
    open.push(t);
    await page.close();
  }
  await browser.close();
  const summary = {
    node: process.version,
    date: new Date().toISOString(),
    pods,
    workloads: res.cluster.endpoints.length,
    nodes: data.nodes.length,
    edges: data.edges.length,
    findings: data.findings.length,
    htmlBytes: Buffer.byteLength(html),
    make,
    runs: open,
    interactiveMedianMs: median(open.map((o) => o.interactiveMs)),
    interactiveRangeMs: [Math.min(...open.map((o) => o.interactiveMs)), Math.max(...open.map((o) => o.interactiveMs))],
    paintedMedianMs: median(open.map((o) => o.paintedMs)),
    expandAllMedianMs: median(open.map((o) => o.expandAllMs)),
  };
  writeFileSync(fileURLToPath(new URL('./results/report.json', import.meta.url)), `${JSON.stringify(summary, null, 2)}\n`);
  process.stdout.write(
    [
      `| pods | workloads | graph nodes / edges | findings | page | make (load+compile / findings / data / page) | interactive in Chromium (median, range of ${runs}) | painted | expand all |`,
      '|---|---|---|---|---|---|---|---|---|',
      `| ${pods.toLocaleString('en')} | ${summary.workloads} | ${summary.nodes} / ${summary.edges.toLocaleString('en')} | ${summary.findings} | ${(summary.htmlBytes / 1048576).toFixed(1)} MB | ${make.totalMs} ms (${make.loadCompileMs} / ${make.findingsMs} / ${make.buildReportMs} / ${make.pageMs}) | ${summary.interactiveMedianMs} ms (${summary.interactiveRangeMs[0]}-${summary.interactiveRangeMs[1]}) | ${summary.paintedMedianMs} ms | ${summary.expandAllMedianMs} ms |`,
    ].join('\n') + '\n',
  );
}

void main();
