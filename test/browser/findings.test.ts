/**
 * A LATERAL_PATH finding in Chromium: a click on it in the findings panel highlights its chain, the
 * workloads and the hops between them, and dims the rest.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { cliPage, drawnEdgeColours, launch, open, screenshot } from './support.js';

const DIM = '#e4e8ec';
let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

describe('findings in Chromium', () => {
  test('LATERAL_PATH: a click highlights the path web -> worker -> metadata and its two hops', async () => {
    const { page, problems } = await open(browser, await cliPage(['report', '-f', 'fixtures/audit-network/LATERAL_PATH/raise/cluster.yaml'], 'lateral.html'));
    await page.waitForFunction(() => 'kubereach' in window);
    const item = page.locator('[data-testid=findings-list] li[data-id=LATERAL_PATH]').filter({ hasText: 'cloud metadata service' });
    await item.click();
    const lit = await page.evaluate(() => {
      const k = (
        window as unknown as { kubereach: { model: { node(i: number): { id: string } }; graph: { highlight: { nodes: Set<number>; edges: Set<number> } } } }
      ).kubereach;
      return { nodes: [...k.graph.highlight.nodes].map((i) => k.model.node(i).id).sort(), edges: k.graph.highlight.edges.size };
    });
    // cluster.yaml: web may talk only to the workers, whose egress is open (to 169.254.169.254 too)
    expect(lit).toEqual({ nodes: ['169.254.169.254-169.254.169.254[External]', 'edge/web[Deployment]', 'jobs/worker[Deployment]'], edges: 2 });
    const colours = await drawnEdgeColours(page);
    const bright = Object.entries(colours)
      .filter(([c]) => c !== DIM)
      .reduce((n, [, k]) => n + k, 0);
    expect(bright).toBe(2);
    await screenshot(page, 'report-lateral-path');
    expect(problems).toEqual([]);
  });
});
