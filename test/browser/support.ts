/**
 * Browser test support: Debian's Chromium (never a downloaded browser) driven by playwright-core,
 * pages made by the real CLI, and screenshots saved under test-artifacts/browser/ (gitignored).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { compile, loadCluster, resolveTargets, targetCidrs, type ReachabilityIndex } from '@kubereach/core';
import { memoryIO, run } from '../../packages/cli/src/index.js';
import { CHROMIUM, CHROMIUM_FLAGS } from './chromium.js';

export const ARTIFACTS = 'test-artifacts/browser';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does`);
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_FLAGS] });
}

/** A page that fails the test on any script error or failed request (the report must need no network). */
export async function open(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`network request: ${r.url()}`);
  });
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

/** Runs the CLI in-process; returns its exit code and stdout. */
export async function cli(argv: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO('', cwd === undefined ? {} : { cwd });
  const code = await run(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** Writes CLI output (a report page) to a temp file and returns its file:// URL. */
export async function cliPage(argv: string[], name: string): Promise<string> {
  const r = await cli(argv);
  if (r.code > 1) throw new Error(`kubereach ${argv.join(' ')} failed: ${r.err}`);
  const dir = mkdtempSync(join(tmpdir(), 'kubereach-browser-'));
  const file = join(dir, name);
  writeFileSync(file, r.out);
  return pathToFileURL(file).href;
}

/** The index the report command builds for these files (targets cut as their own ranges, as the CLI does). */
export function indexOf(...files: string[]): ReachabilityIndex {
  const res = loadCluster(files.map((f) => ({ name: f, text: readFileSync(f, 'utf8') })));
  const targets = resolveTargets(res.cluster);
  return compile(res.cluster, { extraCidrs: targetCidrs(targets) });
}

/** What the page's counter says is drawn. */
export async function counts(page: Page): Promise<{ nodes: number; edges: number; matches: number }> {
  const el = page.getByTestId('counts');
  const [nodes, edges, matches] = await Promise.all([el.getAttribute('data-nodes'), el.getAttribute('data-edges'), el.getAttribute('data-matches')]);
  return { nodes: Number(nodes), edges: Number(edges), matches: Number(matches) };
}

/** Edges sigma actually draws (not hidden by a reducer), by their drawn colour. */
export async function drawnEdgeColours(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const app = (
      window as unknown as {
        kubereach: {
          graph: {
            sigma: { getGraph(): { forEachEdge(f: (k: string) => void): void }; getEdgeDisplayData(k: string): { hidden: boolean; color: string } | undefined };
          };
        };
      }
    ).kubereach;
    const out: Record<string, number> = {};
    const s = app.graph.sigma;
    s.getGraph().forEachEdge((k) => {
      const d = s.getEdgeDisplayData(k);
      if (d !== undefined && !d.hidden) out[d.color] = (out[d.color] ?? 0) + 1;
    });
    return out;
  });
}

/** Clicks a node where sigma draws it (a real mouse click on the canvas). */
export async function clickNode(page: Page, id: string): Promise<void> {
  const pos = await page.evaluate((nodeId) => {
    const app = (
      window as unknown as { kubereach: { model: { byId: Map<string, number> }; graph: { viewportOf(i: number): { x: number; y: number } | null } } }
    ).kubereach;
    const i = app.model.byId.get(nodeId);
    return i === undefined ? null : app.graph.viewportOf(i);
  }, id);
  if (pos === null) throw new Error(`${id} is not drawn`);
  const box = (await page.getByTestId('graph').boundingBox())!;
  await page.mouse.click(box.x + pos.x, box.y + pos.y);
}
