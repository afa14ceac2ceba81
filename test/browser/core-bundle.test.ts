/**
 * The core runs in a browser: the core's README example, bundled by esbuild for the browser from the
 * built package (packages/core/dist, what npm publishes) with no Node shims, runs in Chromium and
 * gives the answers the README states. A `node:` import anywhere in the core would fail the bundle
 * (esbuild cannot resolve Node built-ins for platform 'browser'), so this also guards the core's
 * purity at the package level, next to the import-graph check.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launch, open } from './support.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The README's first ts block, exporting its results as window.example. */
function readmeExample(): string {
  const readme = readFileSync(`${root}/packages/core/README.md`, 'utf8');
  const m = /```ts\n([\s\S]*?)```/.exec(readme);
  if (m === null) throw new Error('packages/core/README.md has no ts example');
  return `${m[1]!}\n(globalThis as any).example = { webToDb, dbToWeb, webToMetadata, why, lines, graphOrder: graph.order, graphSize: graph.size };\n`;
}

async function bundle(): Promise<string> {
  const out = await build({
    stdin: { contents: readmeExample(), loader: 'ts', resolveDir: root, sourcefile: 'readme-example.ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome110'],
    // the published package, not the sources: what an embedder's bundler sees
    alias: { '@kubereach/core': `${root}/packages/core/dist/index.js` },
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe('the core bundled for a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  test('the README example runs in Chromium with the answers the README gives', async () => {
    const js = await bundle();
    expect(js).not.toMatch(/require\(["']node:/);
    const { page, problems } = await open(browser, 'data:text/html,<!doctype html><title>core</title>');
    await page.addScriptTag({ content: js });
    const example = await page.evaluate(() => (globalThis as unknown as { example: unknown }).example);
    expect(example).toEqual({
      webToDb: true,
      dbToWeb: 'All Connections',
      webToMetadata: true,
      why: ['[NetworkPolicy shop/db-from-web rule 0] Allow'],
      lines: ['shop/db[Pod] => shop/web[Pod] : All Connections', 'shop/web[Pod] => shop/db[Pod] : TCP 5432'],
      graphOrder: 2,
      graphSize: 2,
    });
    expect(problems).toEqual([]);
    await page.close();
  });
});
