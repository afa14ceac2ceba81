/**
 * The playground in Chromium, everything computed in the page by the core: paste the demo manifests,
 * get the same graph as the report and the same `can` answers as the CLI on the same text; a link
 * carries the manifests and the question; a bad manifest shows its diagnostic at its line.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { matrix } from '@kubereach/core';
import { cli, counts, indexOf, launch, open, screenshot } from './support.js';

const PLAYGROUND = pathToFileURL('packages/web/dist/playground/index.html').href;
const DEMO = `${readFileSync('fixtures/demo/cluster.yaml', 'utf8').trimEnd()}\n---\n${readFileSync('fixtures/demo/policies.yaml', 'utf8')}`;

let browser: Browser;
let page: Page;
let problems: string[];
/** The CLI reads the same text from a file of the same name, so locations match too. */
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubereach-playground-'));
  writeFileSync(join(dir, 'manifests.yaml'), DEMO);
  browser = await launch();
  ({ page, problems } = await open(browser, PLAYGROUND));
  await page.waitForSelector('body[data-ready=true]');
});

afterAll(async () => {
  await browser?.close();
});

/** Pastes text into the editor as a user's paste does (a paste event with the clipboard's text). */
async function paste(p: Page, text: string): Promise<void> {
  await p.locator('.cm-content').click();
  await p.keyboard.press('Control+A');
  await p.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.querySelector('.cm-content')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

async function ask(p: Page, src: string, dst: string, port: string): Promise<string> {
  await p.getByTestId('can-src').fill(src);
  await p.getByTestId('can-dst').fill(dst);
  await p.getByTestId('can-port').fill(port);
  await p.getByTestId('ask').click();
  return (await p.getByTestId('answer').textContent()) ?? '';
}

const QUESTIONS: readonly (readonly [string, string, string])[] = [
  ['shop/api', 'shop/db', ''],
  ['shop/web', 'shop/db', ''],
  ['shop/api', 'shop/db', '5432'],
  ['shop/web', 'shop/db', '5432'],
  ['payments/gateway', '169.254.169.254', '443'],
  ['shop/web', '169.254.169.254', ''],
  ['monitoring/prometheus', 'shop/api', 'metrics'],
  ['payments/gateway', 'kube-system/coredns', '53/UDP'],
  ['shop/web', 'shop/web', ''], // three replicas: the CLI's note says which pair was answered
  ['shop/web', '10.0.0.10', '6443'], // an address: the CLI's note names the range it stands in
];

describe('the playground in Chromium', () => {
  test('pasting the demo manifests draws the graph of their index', async () => {
    await paste(page, DEMO);
    await expect
      .poll(() => page.locator('.cm-content').evaluate(() => document.querySelector('.cm-content')!.textContent!.length), { timeout: 10_000 })
      .toBeGreaterThan(1000);
    const index = indexOf(join(dir, 'manifests.yaml'));
    await expect.poll(() => counts(page), { timeout: 10_000 }).toEqual({ nodes: index.entities.length, edges: matrix(index).length, matches: 0 });
    expect(await page.getByTestId('diagnostics').textContent()).toBe('');
    await screenshot(page, 'playground-demo');
  });

  for (const [src, dst, port] of QUESTIONS) {
    test(`can ${src} ${dst}${port === '' ? '' : ` --port ${port}`}: the same answer and explanation as the CLI`, async () => {
      const fromCli = await cli(['can', src, dst, ...(port === '' ? [] : ['--port', port]), '--explain', '-f', 'manifests.yaml'], dir);
      expect(fromCli.code).toBeLessThan(2);
      const answer = await ask(page, src, dst, port);
      expect(answer).toBe(fromCli.out);
      expect(answer.split('\n')[0]).toBe(fromCli.code === 0 ? 'yes' : 'no');
    });
  }

  test('a link carries the manifests and the question', async () => {
    await ask(page, 'shop/api', 'shop/db', '5432');
    await page.getByTestId('share').click();
    await expect.poll(() => page.getByTestId('share-link').inputValue()).not.toBe('');
    const link = await page.getByTestId('share-link').inputValue();
    expect(link).toMatch(/#manifests=[A-Za-z0-9_-]+&can=/);
    const other = await open(browser, link);
    await other.page.waitForSelector('body[data-ready=true]');
    const fromCli = await cli(['can', 'shop/api', 'shop/db', '--port', '5432', '--explain', '-f', 'manifests.yaml'], dir);
    expect(await other.page.getByTestId('answer').textContent()).toBe(fromCli.out);
    expect(other.problems).toEqual([]);
    await other.page.close();
  });

  test('dropping manifest files onto the editor loads them (joined as one stream)', async () => {
    const cluster = readFileSync('fixtures/demo/cluster.yaml', 'utf8');
    const policies = readFileSync('fixtures/demo/policies.yaml', 'utf8');
    // first something else, so the drop has to replace it
    await paste(page, 'apiVersion: v1\nkind: Pod\nmetadata: {name: lone, namespace: default}\nspec: {containers: [{name: c, image: x}]}\n');
    await expect
      .poll(
        () =>
          page.evaluate(() =>
            (window as unknown as { kubereach: { model: { data: { nodes: { id: string }[] } } } }).kubereach.model.data.nodes.some(
              (n) => n.id === 'default/lone[Pod]',
            ),
          ),
        { timeout: 10_000 },
      )
      .toBe(true);
    await page.evaluate(
      ([a, b]) => {
        const dt = new DataTransfer();
        dt.items.add(new File([a!], 'cluster.yaml', { type: 'application/yaml' }));
        dt.items.add(new File([b!], 'policies.yaml', { type: 'application/yaml' }));
        document.querySelector('.cm-content')!.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      },
      [cluster, policies],
    );
    const index = indexOf('fixtures/demo/cluster.yaml', 'fixtures/demo/policies.yaml');
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { kubereach: { model: { data: { nodes: unknown[] } } } }).kubereach.model.data.nodes.length), {
        timeout: 10_000,
      })
      .toBe(index.entities.length);
    await expect.poll(() => counts(page), { timeout: 10_000 }).toEqual({ nodes: index.entities.length, edges: matrix(index).length, matches: 0 });
  });

  test('a bad manifest shows its diagnostic at its line, as the CLI reports it', async () => {
    const bad = `${DEMO.trimEnd()}\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad, namespace: shop}\nspec:\n  podSelector: {}\n  ingress:\n  - ports: [{port: 99999}]\n`;
    writeFileSync(join(dir, 'bad.yaml'), bad);
    const fromCli = await cli(['can', 'shop/api', 'shop/db', '-f', 'bad.yaml'], dir);
    expect(fromCli.code).toBe(2);
    const line = /bad\.yaml:(\d+):(\d+)/.exec(fromCli.err)!;
    await paste(page, bad);
    await expect.poll(() => page.getByTestId('diagnostics').textContent(), { timeout: 10_000 }).toContain(`line ${line[1]}:${line[2]} error:`);
    await screenshot(page, 'playground-diagnostic');
    expect(problems).toEqual([]);
  });
});
