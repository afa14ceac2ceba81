/**
 * `kubereach diff -o html` in Chromium: added edges drawn green, removed red, changed amber, as many
 * of each as the diff has rows (each scenario's expected.txt, written by hand), and a changed edge's
 * panel shows before and after and the edits behind it.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { cliPage, counts, drawnEdgeColours, launch, open, screenshot } from './support.js';

const GREEN = '#1a9c3b';
const RED = '#d7263d';
const AMBER = '#f0a202';
const GREY = '#b8c2cc';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => {
  await browser?.close();
});

async function diffPage(scenario: string) {
  const dir = `fixtures/diff/${scenario}`;
  const { page, problems } = await open(browser, await cliPage(['diff', `${dir}/before`, `${dir}/after`, '-o', 'html'], `${scenario}.html`));
  await page.waitForFunction(() => 'kubereach' in window);
  return { page, problems };
}

describe('diff reports in Chromium', () => {
  test('allow-port: one added edge green, one changed amber, none red; the changed edge shows before, after and its edits', async () => {
    const { page, problems } = await diffPage('allow-port');
    const colours = await drawnEdgeColours(page);
    expect(colours[GREEN]).toBe(1);
    expect(colours[AMBER]).toBe(1);
    expect(colours[RED]).toBeUndefined();
    expect(Object.keys(colours).every((c) => [GREEN, AMBER, GREY].includes(c))).toBe(true);
    expect(await page.getByTestId('legend').textContent()).toContain('added (1)');
    await screenshot(page, 'diff-allow-port');
    // only the changes
    await page.locator('input[data-status=same]').uncheck();
    await expect.poll(async () => (await counts(page)).edges).toBe(2);
    await page.getByTestId('search').fill('shop/web');
    await page.getByTestId('search').fill('');
    const changed = await page.evaluate(() => {
      const app = (window as unknown as { kubereach: { model: { data: { edges: { status: string }[] } }; selectEdges(l: number[]): void } }).kubereach;
      const i = app.model.data.edges.findIndex((e) => e.status === 'changed');
      app.selectEdges([i]);
      return i;
    });
    expect(changed).toBeGreaterThanOrEqual(0);
    const panel = page.getByTestId('edge-panel');
    expect(await panel.locator('h2').textContent()).toBe('shop/web[Deployment] \u2192 shop/db[Deployment]');
    expect(await panel.locator('dd.conn').allTextContents()).toEqual(['TCP 5432,8080', 'TCP 5432']);
    expect(await panel.getByTestId('causes').locator('li').allTextContents()).toEqual([
      'policy shop/db-in: ingress rule 0 removed (was fixtures/diff/allow-port/before/policies.yaml:14)',
      'policy shop/db-in: ingress rule 0 added (fixtures/diff/allow-port/after/policies.yaml:14)',
    ]);
    await screenshot(page, 'diff-allow-port-edge');
    expect(problems).toEqual([]);
  });

  test('workload-added: three added edges green and one removed red', async () => {
    const { page, problems } = await diffPage('workload-added');
    const colours = await drawnEdgeColours(page);
    expect(colours[GREEN]).toBe(3);
    expect(colours[RED]).toBe(1);
    expect(colours[AMBER]).toBeUndefined();
    await screenshot(page, 'diff-workload-added');
    expect(problems).toEqual([]);
  });
});
