/**
 * A generated 2,000-pod cluster (benchmarks/generate.ts, seed 1): the page starts collapsed per
 * namespace, a click on a namespace expands it, and fully expanded it draws exactly the index's
 * entities and allowed pairs. (How fast it becomes interactive is measured in benchmarks/report.ts.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { matrix, type ReachabilityIndex } from '@kubereach/core';
import { generateCluster, renderCluster } from '../../benchmarks/generate.js';
import { cliPage, clickNode, counts, indexOf, launch, open, screenshot } from './support.js';

let browser: Browser;
let page: Page;
let problems: string[];
let index: ReachabilityIndex;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubereach-2000-'));
  const file = join(dir, 'cluster.json');
  writeFileSync(file, renderCluster(generateCluster({ pods: 2000, seed: 1, shape: 'realistic' }), 'json'));
  index = indexOf(file);
  browser = await launch();
  ({ page, problems } = await open(browser, await cliPage(['report', '-f', file], 'large.html')));
  await page.waitForFunction(() => 'kubereach' in window);
});

afterAll(async () => {
  await browser?.close();
});

describe('a 2,000-pod report in Chromium', () => {
  const namespaces = () => new Set(index.entities.map((e) => (e.kind === 'endpoint' ? e.endpoint.namespace : '(outside)'))).size;

  test('starts collapsed: one node per namespace (and one for the addresses outside)', async () => {
    expect(index.cluster.endpoints.reduce((n, e) => n + Math.max(e.podCount, 1), 0)).toBeGreaterThanOrEqual(2000);
    expect((await counts(page)).nodes).toBe(namespaces());
    expect(await page.getByTestId('counts').textContent()).toContain(`(${namespaces()} namespaces collapsed)`);
    await screenshot(page, 'report-2000-collapsed');
  });

  test('a click on a namespace expands it into its workloads', async () => {
    const ns = index.entities.find((e) => e.kind === 'endpoint' && e.endpoint.namespace === 'kube-system')!;
    const members = index.entities.filter((e) => e.kind === 'endpoint' && e.endpoint.namespace === 'kube-system').length;
    await clickNode(page, ns.id); // drawn as its collapsed namespace
    await expect.poll(async () => (await counts(page)).nodes).toBe(namespaces() - 1 + members);
    await screenshot(page, 'report-2000-kube-system');
  });

  test('expanded, it draws every entity and every allowed pair of the index', async () => {
    await page.getByTestId('expand-all').click();
    await expect.poll(() => counts(page)).toEqual({ nodes: index.entities.length, edges: matrix(index).length, matches: 0 });
    await screenshot(page, 'report-2000-expanded');
    expect(problems).toEqual([]);
  });
});
